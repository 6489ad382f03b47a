//! Disruption budgets (`spec.disruption.budgets`, reference §3.3): how many
//! of a pool's nodes voluntary disruption may take at once.

/// Why a node is voluntarily disrupted (the budget `reasons` Karpenter knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DisruptionReason {
    /// The node holds no (non-daemonset) pods.
    Empty,
    /// The node's pods fit elsewhere, or on a cheaper replacement.
    Underutilized,
    /// The node no longer matches its pool (not modelled; listed so budgets can name it).
    Drifted,
}

/// A budget's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetNodes {
    /// A percentage of the pool's nodes, rounded up (`nodes: "10%"`).
    Percent(u32),
    /// A count of nodes (`nodes: "5"`).
    Count(u32),
}

/// One entry of `spec.disruption.budgets` (schedules are not modelled: a budget is always active).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisruptionBudget {
    /// Size.
    pub nodes: BudgetNodes,
    /// Reasons it applies to; empty = every reason.
    pub reasons: Vec<DisruptionReason>,
}

impl Default for DisruptionBudget {
    /// Karpenter's default budget: `nodes: "10%"` for every reason (§3.2).
    fn default() -> Self {
        DisruptionBudget {
            nodes: BudgetNodes::Percent(10),
            reasons: Vec::new(),
        }
    }
}

impl DisruptionBudget {
    /// Nodes this budget allows disrupted at once in a pool of `total_nodes`, before subtracting those already disrupted.
    pub fn limit(&self, total_nodes: usize) -> usize {
        match self.nodes {
            // ceil(total × pct / 100) (§3.3, `GetScaledValueFromIntOrPercent` rounding up).
            BudgetNodes::Percent(p) => (total_nodes * p as usize).div_ceil(100),
            BudgetNodes::Count(c) => c as usize,
        }
    }

    /// Whether the budget applies to `reason`.
    pub fn applies_to(&self, reason: DisruptionReason) -> bool {
        self.reasons.is_empty() || self.reasons.contains(&reason)
    }
}

/// Disruptions allowed for `reason` now: the most restrictive applicable
/// budget's limit minus nodes deleting and nodes not ready (§3.3), at least 0.
/// With no applicable budget, unlimited (`usize::MAX`).
pub fn allowed_disruptions(
    budgets: &[DisruptionBudget],
    reason: DisruptionReason,
    total_nodes: usize,
    deleting: usize,
    not_ready: usize,
) -> usize {
    budgets
        .iter()
        .filter(|b| b.applies_to(reason))
        .map(|b| b.limit(total_nodes).saturating_sub(deleting + not_ready))
        .min()
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_up() {
        let b = DisruptionBudget::default();
        // 10 % of 25 = 2.5 → 3 (rounded up, §3.3); 10 % of 1 = 0.1 → 1; of 0 → 0.
        assert_eq!(b.limit(25), 3);
        assert_eq!(b.limit(20), 2);
        assert_eq!(b.limit(1), 1);
        assert_eq!(b.limit(0), 0);
    }

    #[test]
    fn most_restrictive_applicable_budget_wins() {
        let budgets = vec![
            DisruptionBudget::default(),
            DisruptionBudget {
                nodes: BudgetNodes::Count(1),
                reasons: vec![DisruptionReason::Underutilized],
            },
            DisruptionBudget {
                nodes: BudgetNodes::Count(0),
                reasons: vec![DisruptionReason::Drifted],
            },
        ];
        use DisruptionReason::*;
        assert_eq!(allowed_disruptions(&budgets, Empty, 25, 0, 0), 3);
        assert_eq!(allowed_disruptions(&budgets, Underutilized, 25, 0, 0), 1);
        assert_eq!(allowed_disruptions(&budgets, Drifted, 25, 0, 0), 0);
        // 3 − 1 deleting − 1 not ready = 1; never negative.
        assert_eq!(allowed_disruptions(&budgets, Empty, 25, 1, 1), 1);
        assert_eq!(allowed_disruptions(&budgets, Empty, 25, 4, 0), 0);
        assert_eq!(allowed_disruptions(&[], Empty, 25, 0, 0), usize::MAX);
    }
}
