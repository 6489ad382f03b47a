//! The one list of raw-mirror fields whose values are wrapped in `Spanned`.
//!
//! serde_saphyr's `Spanned<T>` reads as a map with a `value` key, so an
//! error inside such a field has a `value` segment in its serde path;
//! [`crate::scenario::yaml`] hides that segment after the field names listed here, so
//! that messages name `services[0].pod.cpu`, not `services[0].pod.cpu.value`.
//!
//! The test below reads the sources of every file of the mirror (`raw/`)
//! and checks that each field typed `Spanned<…>` or `Option<Spanned<…>>`
//! (under its YAML name: `rename`, `rename_all = "camelCase"`) is listed,
//! and that each listed name is a field of the mirror.

/// YAML field names whose values are wrapped in `Spanned` (their `value`
/// path segment is hidden), in name order.
///
/// `node_selector` and `statistic` are not `Spanned`; they stay listed as
/// they were (a map key `value` under `node_selector` is reported at the
/// map), so that error paths do not change.
pub(crate) const SPANNED_FIELDS: &[&str] = &[
    "above",
    "add_rps",
    "adjust",
    "alarm",
    "anti_affinity",
    "app_start",
    "asg",
    "at",
    "at_or_above",
    "at_or_below",
    "availability",
    "below",
    "boot",
    "budgets",
    "capacity",
    "capacity_types",
    "cluster",
    "concurrency",
    "consolidate_after",
    "consolidation_policy",
    "container_start",
    "control_plane_usd_per_hour",
    "cooldown",
    "count",
    "cpu",
    "cpu_initialization_period",
    "cv",
    "datapoints_to_alarm",
    "delay",
    "desired",
    "discount",
    "downscale_stabilization",
    "duration",
    "effect",
    "end",
    "evaluation_periods",
    "events",
    "expander",
    "file",
    "for",
    "fraction",
    "from",
    "group",
    "hpa",
    "image_pull",
    "initial",
    "initialDelaySeconds",
    "initial_readiness_delay",
    "instance_type",
    "instance_types",
    "instance_warmup",
    "interruption",
    "interval",
    "io",
    "kind",
    "latency",
    "max",
    "max_events",
    "max_pods",
    "max_skew",
    "max_surge",
    "max_unavailable",
    "mean",
    "median",
    "memory",
    "metric",
    "min",
    "min_adjustment_magnitude",
    "multiply",
    "name",
    "node_autoscaler",
    "node_groups",
    "node_pools",
    "node_selector",
    "nodes",
    "operator",
    "p99",
    "peak",
    "period",
    "periodSeconds",
    "platform",
    "pod",
    "policies",
    "price_usd_per_hour",
    "queue_limit",
    "ramp",
    "rate",
    "reasons",
    "replicas",
    "replications",
    "rolling_deployment",
    "rps",
    "scale_down_delay_after_add",
    "scale_down_unneeded_time",
    "scale_down_utilization_threshold",
    "scan_interval",
    "scrape",
    "service",
    "services",
    "shortages",
    "slo",
    "slowdown",
    "spot",
    "startup",
    "statistic",
    "steps",
    "sync_period",
    "taints",
    "target",
    "termination_grace",
    "time_column",
    "timeout",
    "to",
    "tolerance",
    "tolerations",
    "traffic_incident",
    "type",
    "value_column",
    "vcpus",
    "warmup",
    "weight",
    "when_unsatisfiable",
    "window",
    "zone",
    "zone_spread",
    "zones",
];

/// Whether `key` is listed in [`SPANNED_FIELDS`].
pub(crate) fn is_spanned(key: &str) -> bool {
    SPANNED_FIELDS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::SPANNED_FIELDS;
    use std::collections::BTreeSet;

    /// Every file of the raw mirror (`raw/`), by name.
    const SOURCES: &[(&str, &str)] = &[
        ("mod.rs", include_str!("mod.rs")),
        ("asg.rs", include_str!("asg.rs")),
        ("cluster.rs", include_str!("cluster.rs")),
        ("common.rs", include_str!("common.rs")),
        ("events.rs", include_str!("events.rs")),
        ("karpenter.rs", include_str!("karpenter.rs")),
        ("scaling.rs", include_str!("scaling.rs")),
        ("slo.rs", include_str!("slo.rs")),
    ];

    /// `snake_case` → `camelCase`.
    fn camel(name: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Every field of the mirror as (YAML name, whether it is `Spanned`, file).
    fn fields() -> Vec<(String, bool, &'static str)> {
        let mut out = Vec::new();
        for (file, text) in SOURCES {
            let mut camel_case = false;
            let mut rename: Option<String> = None;
            for line in text.lines() {
                let t = line.trim();
                if line.starts_with('}') {
                    camel_case = false;
                }
                if t.starts_with("#[serde(") && t.contains("rename_all = \"camelCase\"") {
                    camel_case = true;
                }
                if let Some(r) = t.strip_prefix("#[serde(rename = \"") {
                    rename = r.split('"').next().map(str::to_string);
                    continue;
                }
                if t.starts_with("//") || t.starts_with("#[") {
                    continue;
                }
                let Some((name, ty)) = t.strip_prefix("pub ").and_then(|f| f.split_once(": "))
                else {
                    rename = None;
                    continue;
                };
                if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    rename = None;
                    continue;
                }
                let yaml = match rename.take() {
                    Some(r) => r,
                    None if camel_case => camel(name),
                    None => name.to_string(),
                };
                let ty = ty.strip_prefix("Option<").unwrap_or(ty);
                out.push((yaml, ty.starts_with("Spanned<"), *file));
            }
        }
        out
    }

    #[test]
    fn the_list_covers_every_spanned_field() {
        let listed: BTreeSet<&str> = SPANNED_FIELDS.iter().copied().collect();
        let missing: Vec<String> = fields()
            .into_iter()
            .filter(|(name, spanned, _)| *spanned && !listed.contains(name.as_str()))
            .map(|(name, _, file)| format!("{file}: {name}"))
            .collect();
        assert!(
            missing.is_empty(),
            "Spanned fields not in SPANNED_FIELDS: {missing:?}"
        );
    }

    #[test]
    fn every_listed_name_is_a_field_of_the_mirror() {
        let all: BTreeSet<String> = fields().into_iter().map(|(name, _, _)| name).collect();
        let stray: Vec<&&str> = SPANNED_FIELDS
            .iter()
            .filter(|n| !all.contains(**n))
            .collect();
        assert!(stray.is_empty(), "not fields of the raw mirror: {stray:?}");
    }

    #[test]
    fn the_list_is_sorted_without_repeats() {
        assert!(SPANNED_FIELDS.windows(2).all(|w| w[0] < w[1]));
    }
}
