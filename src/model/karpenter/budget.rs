//! Disruption budgets at work (`spec.disruption.budgets`, reference §3.3):
//! how many of a pool's nodes voluntary disruption may take now. The
//! budgets themselves are [`crate::spec::node_pool::DisruptionBudget`].

use crate::spec::node_pool::{DisruptionBudget, DisruptionReason};

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
    use crate::spec::node_pool::{BudgetNodes, DisruptionBudget};

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
