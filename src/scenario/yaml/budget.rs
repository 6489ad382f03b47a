//! serde-saphyr's budget breaches (the YAML reader's limits on nodes,
//! events, aliases, nesting) in words, instead of its Debug text such as
//! `budget breached: Nodes { nodes: 250001 }`.

use crate::scenario::limits::{MAX_YAML_EVENTS, MAX_YAML_NODES};
use serde_saphyr::budget::BudgetBreach;

/// A YAML reader limit in words (not serde-saphyr's Debug text).
pub(super) fn budget_message(breach: &BudgetBreach) -> String {
    let b = serde_saphyr::Budget::default();
    match breach {
        BudgetBreach::Nodes { .. } => format!(
            "expected at most {MAX_YAML_NODES} YAML values (scalars, lists and mappings, keys included), found more"
        ),
        BudgetBreach::Events { .. } => format!(
            "expected at most {MAX_YAML_EVENTS} YAML parser events (about two per list or mapping, one per scalar), found more"
        ),
        BudgetBreach::Aliases { .. } => format!(
            "expected at most {} aliases (`*name`), found more",
            b.max_aliases
        ),
        BudgetBreach::Anchors { .. } => format!(
            "expected at most {} anchors (`&name`), found more",
            b.max_anchors
        ),
        BudgetBreach::AliasAnchorRatio { aliases, anchors } => format!(
            "expected aliases in proportion to anchors, found {aliases} aliases of {anchors} anchors (an alias bomb?)"
        ),
        BudgetBreach::RecordedAnchorEvents { .. } | BudgetBreach::RecordedAnchorBytes { .. } => {
            "expected aliases that expand to a modest size, found ones that expand without bound (an alias bomb?)".into()
        }
        BudgetBreach::Depth { .. } => format!(
            "expected lists and mappings nested at most {} deep, found deeper",
            b.max_depth
        ),
        BudgetBreach::ScalarBytes { .. } => format!(
            "expected at most {} of text in values, found more",
            crate::scenario::limits::format_size(b.max_total_scalar_bytes as u64)
        ),
        BudgetBreach::Documents { .. } => format!(
            "expected at most {} YAML documents, found more",
            b.max_documents
        ),
        _ => "expected a file within the YAML reader's limits, found one beyond them".into(),
    }
}
