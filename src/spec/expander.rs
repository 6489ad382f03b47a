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
}

/// Parses `--expander`: a comma-separated chain such as `priority,least-waste`.
///
/// Errors, as CA's `expander/factory` does: an unknown name, an empty list,
/// a repeated name, or anything after `random` (which always returns one option).
pub fn parse_expanders(text: &str) -> Result<Vec<Expander>, String> {
    let mut chain = Vec::new();
    for raw in text.split(',') {
        let name = raw.trim();
        let e = match name {
            "least-waste" => Expander::LeastWaste,
            "most-pods" => Expander::MostPods,
            "least-nodes" => Expander::LeastNodes,
            "priority" => Expander::Priority,
            "price" => Expander::Price,
            "random" => Expander::Random,
            other => {
                return Err(format!(
                    "unknown expander `{other}`; expected least-waste, most-pods, least-nodes, priority, price or random"
                ));
            }
        };
        if chain.contains(&e) {
            return Err(format!("expander `{name}` is listed twice"));
        }
        if chain.last() == Some(&Expander::Random) {
            return Err(format!(
                "expander `{name}` follows `random`, which always picks exactly one option"
            ));
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
