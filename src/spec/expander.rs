//! The cluster-autoscaler's expander chain (`--expander`, reference §2 of
//! `docs/reference/nodes-spot-cost.md`): the [`Expander`] names and their
//! parser, which validation runs once so that the validated spec carries
//! the typed chain and the model never reads the text again.

/// One expander of a chain (`--expander`, reference §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Expander {
    /// `least-waste`: lowest `wastedCPU + wastedMem` on node *capacity*; ties kept.
    LeastWaste,
    /// `most-pods`: most pending pods helped; ties kept.
    MostPods,
    /// `least-nodes`: fewest nodes (> 0); ties kept.
    LeastNodes,
    /// `priority`: highest priority among the groups the priority map names; unnamed groups dropped.
    Priority,
    /// `price`: lowest price score (reference §2 formula); ties kept.
    Price,
    /// `random`: uniform pick; must be last.
    Random,
}

impl Expander {
    /// Every expander, in the order CA's documentation lists them.
    pub const ALL: [Expander; 6] = [
        Expander::LeastWaste,
        Expander::MostPods,
        Expander::LeastNodes,
        Expander::Priority,
        Expander::Random,
        Expander::Price,
    ];

    /// The flag spelling, such as `least-waste`.
    pub fn name(self) -> &'static str {
        match self {
            Expander::LeastWaste => "least-waste",
            Expander::MostPods => "most-pods",
            Expander::LeastNodes => "least-nodes",
            Expander::Priority => "priority",
            Expander::Price => "price",
            Expander::Random => "random",
        }
    }

    /// The expander spelled `name`, if any.
    pub fn from_name(name: &str) -> Option<Expander> {
        Expander::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// Why a chain is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// A name that is no expander.
    Unknown(String),
    /// An expander listed twice.
    Repeated(Expander),
    /// An expander after `random` (which always returns one option).
    AfterRandom(Expander),
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainError::Unknown(other) => {
                let names: Vec<&str> = Expander::ALL.iter().map(|e| e.name()).collect();
                write!(
                    f,
                    "unknown expander `{other}`; expected one of {}",
                    names.join(", ")
                )
            }
            ChainError::Repeated(e) => write!(f, "expander `{}` is listed twice", e.name()),
            ChainError::AfterRandom(e) => write!(
                f,
                "expander `{}` follows `random`, which always picks exactly one option",
                e.name()
            ),
        }
    }
}

/// Parses `--expander`: a comma-separated chain such as `priority,least-waste`.
///
/// Errors, as CA's `expander/factory` does: an unknown name, a repeated
/// name, or anything after `random` (which always returns one option).
pub fn parse_expanders(text: &str) -> Result<Vec<Expander>, ChainError> {
    let mut chain = Vec::new();
    for raw in text.split(',') {
        let name = raw.trim();
        let e = Expander::from_name(name).ok_or_else(|| ChainError::Unknown(name.to_string()))?;
        if chain.contains(&e) {
            return Err(ChainError::Repeated(e));
        }
        if chain.last() == Some(&Expander::Random) {
            return Err(ChainError::AfterRandom(e));
        }
        chain.push(e);
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_parse_and_reject_like_ca() {
        assert_eq!(
            parse_expanders("priority, least-waste").unwrap(),
            vec![Expander::Priority, Expander::LeastWaste]
        );
        assert!(parse_expanders("most-pods,most-pods").is_err());
        assert!(parse_expanders("random,least-waste").is_err());
        assert!(parse_expanders("cheapest").is_err());
        assert_eq!(
            parse_expanders("most-pods,least-nodes,random")
                .unwrap()
                .len(),
            3
        );
    }
}
