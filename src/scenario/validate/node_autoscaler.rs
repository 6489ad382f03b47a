//! `cluster.node_autoscaler:` — the cluster-autoscaler's flags (expander
//! chain, priorities, timers), Karpenter (which needs `cluster.node_pools`
//! and takes none of CA's flags), or `none` (fixed node groups, as when the
//! key is left out; it takes no settings): raw → [`NodeAutoscalerSpec`].
//! Priorities without the `priority` expander have no effect: a warning.

use super::Ctx;
use crate::error::InputError;
use crate::scenario::raw::cluster::*;
use crate::spec::NodeAutoscalerSpec;
use crate::spec::expander::{ChainError, Expander, parse_expanders};
use serde_saphyr::Spanned;

/// Checks `cluster.node_autoscaler` (`groups` for the priorities, `pools` for Karpenter).
pub(super) fn node_autoscaler(
    ctx: &mut Ctx,
    cluster: &RawCluster,
    groups: &[Spanned<RawNodeGroup>],
    pools: Vec<crate::spec::KarpenterPoolSpec>,
) -> Result<NodeAutoscalerSpec, InputError> {
    let kind = cluster
        .node_autoscaler
        .as_ref()
        .map(|a| a.value.kind.value.trim());
    if kind != Some("karpenter")
        && let Some(p) = &cluster.node_pools
        && !p.value.is_empty()
    {
        return Err(ctx
            .err(
                &p.referenced,
                "cluster.node_pools",
                "expected node pools only with node_autoscaler: { kind: karpenter }",
            )
            .with_hint("add node_autoscaler: { kind: karpenter }, or use node_groups with the cluster-autoscaler"));
    }
    let Some(a) = cluster.node_autoscaler.as_ref() else {
        return Ok(NodeAutoscalerSpec::None);
    };
    let r = &a.value;
    if kind == Some("karpenter") {
        return karpenter(ctx, a, pools);
    }
    if kind == Some("none") {
        return none(ctx, a);
    }
    if kind != Some("cluster-autoscaler") {
        return Err(ctx
            .err(
                &r.kind.referenced,
                "cluster.node_autoscaler.kind",
                format!(
                    "expected cluster-autoscaler, karpenter or none, found \"{}\"",
                    r.kind.value
                ),
            )
            .with_hint("write kind: none (or leave node_autoscaler out) for fixed node groups"));
    }
    if r.spot_to_spot_consolidation.is_some() {
        return Err(ctx
            .err(
                &a.referenced,
                "cluster.node_autoscaler.spot_to_spot_consolidation",
                "expected spot_to_spot_consolidation only with kind: karpenter",
            )
            .with_hint("the cluster-autoscaler does not consolidate; remove the key"));
    }
    // The typed chain, parsed here once: an unknown name, a name twice, or
    // one after `random` is an error at the key.
    let expanders = match &r.expander {
        Some(e) => parse_expanders(&e.value).map_err(|why| {
            let at = "cluster.node_autoscaler.expander";
            match why {
                ChainError::Unknown(bad) => {
                    let names: Vec<&str> = Expander::ALL.iter().map(|x| x.name()).collect();
                    let found = format!("found \"{bad}\"");
                    ctx.err(
                        &e.referenced,
                        at,
                        format!("expected expanders from {}, {found}", names.join(", ")),
                    )
                    .with_hint("chain several with commas, e.g. priority,least-waste")
                }
                other => ctx
                    .err(
                        &e.referenced,
                        at,
                        format!(
                            "expected each expander at most once and random last, found \"{}\"",
                            e.value
                        ),
                    )
                    .with_hint(other.to_string()),
            }
        })?,
        None => vec![Expander::LeastWaste],
    };
    let priorities = r.priorities.clone().unwrap_or_default();
    if r.priorities.is_some() && !expanders.contains(&Expander::Priority) {
        let chain: Vec<&str> = expanders.iter().map(|x| x.name()).collect();
        ctx.warnings.push(format!(
            "cluster.node_autoscaler.priorities: no effect without the priority expander (the chain is {}); add priority to expander, e.g. expander: priority,least-waste",
            chain.join(",")
        ));
    }
    if let Some(unknown) = priorities.keys().find(|k| {
        !groups
            .iter()
            .any(|g| g.value.name.value.trim() == k.as_str())
    }) {
        return Err(ctx
            .err(
                &a.referenced,
                "cluster.node_autoscaler.priorities",
                format!("expected node group names, found \"{unknown}\""),
            )
            .with_hint("priorities map a node group's name to a number; higher wins"));
    }
    Ok(NodeAutoscalerSpec::ClusterAutoscaler {
        expanders,
        balance_similar: r.balance_similar_node_groups.unwrap_or(false),
        priorities,
        scan_interval_ns: r.scan_interval.as_ref().map(|d| d.value.0),
        unneeded_ns: r.scale_down_unneeded_time.as_ref().map(|d| d.value.0),
        utilization_threshold: r
            .scale_down_utilization_threshold
            .as_ref()
            .map(|d| d.value.0),
        delay_after_add_ns: r.scale_down_delay_after_add.as_ref().map(|d| d.value.0),
        ignore_daemonsets_utilization: r.ignore_daemonsets_utilization.unwrap_or(false),
    })
}

/// The cluster-autoscaler's flags, as (key, set).
fn ca_flags(r: &RawNodeAutoscaler) -> [(&'static str, bool); 8] {
    [
        ("expander", r.expander.is_some()),
        (
            "balance_similar_node_groups",
            r.balance_similar_node_groups.is_some(),
        ),
        ("priorities", r.priorities.is_some()),
        ("scan_interval", r.scan_interval.is_some()),
        (
            "scale_down_unneeded_time",
            r.scale_down_unneeded_time.is_some(),
        ),
        (
            "scale_down_utilization_threshold",
            r.scale_down_utilization_threshold.is_some(),
        ),
        (
            "scale_down_delay_after_add",
            r.scale_down_delay_after_add.is_some(),
        ),
        (
            "ignore_daemonsets_utilization",
            r.ignore_daemonsets_utilization.is_some(),
        ),
    ]
}

/// `node_autoscaler: { kind: none }`: no node autoscaler, node groups keep
/// their initial size; any setting would have no effect, so none is taken.
fn none(ctx: &Ctx, a: &Spanned<RawNodeAutoscaler>) -> Result<NodeAutoscalerSpec, InputError> {
    let karpenter_gate = (
        "spot_to_spot_consolidation",
        a.value.spot_to_spot_consolidation.is_some(),
    );
    let mut settings = ca_flags(&a.value).into_iter().chain([karpenter_gate]);
    if let Some((key, _)) = settings.find(|(_, set)| *set) {
        return Err(ctx
            .err(
                &a.referenced,
                format!("cluster.node_autoscaler.{key}"),
                format!("expected no {key} with kind: none"),
            )
            .with_hint(
                "kind: none keeps the node groups at their initial size; remove the key, or choose kind: cluster-autoscaler or karpenter",
            ));
    }
    Ok(NodeAutoscalerSpec::None)
}

/// `node_autoscaler: { kind: karpenter }`: needs node pools; takes none of the cluster-autoscaler's flags.
fn karpenter(
    ctx: &Ctx,
    a: &Spanned<RawNodeAutoscaler>,
    pools: Vec<crate::spec::KarpenterPoolSpec>,
) -> Result<NodeAutoscalerSpec, InputError> {
    let r = &a.value;
    if pools.is_empty() {
        return Err(ctx
            .err(
                &r.kind.referenced,
                "cluster.node_autoscaler.kind",
                "expected cluster.node_pools for Karpenter, found none",
            )
            .with_hint("add node_pools: [{ name: default, instance_types: [m5.large, m5.xlarge], capacity_types: [spot, on-demand] }]"));
    }
    let ca_only = ca_flags(r);
    if let Some((key, _)) = ca_only.iter().find(|(_, set)| *set) {
        return Err(ctx
            .err(
                &a.referenced,
                format!("cluster.node_autoscaler.{key}"),
                format!("expected no {key} with kind: karpenter"),
            )
            .with_hint(
                "it is a cluster-autoscaler flag; Karpenter's settings go on each node pool",
            ));
    }
    Ok(NodeAutoscalerSpec::Karpenter {
        pools,
        spot_to_spot: r.spot_to_spot_consolidation.unwrap_or(false),
    })
}
