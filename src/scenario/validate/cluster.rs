//! `cluster:` — instance types, node groups, the node autoscaler: raw → validated specs.
//!
//! Instance types come from the built-in catalog or `cluster.instance_types`;
//! a group's price is the on-demand price less its spot or reserved
//! discount (spot: 65 % by default, the middle of the reference's 60–70 %
//! for current general-purpose types); allocatable follows the EKS formulas
//! ([`crate::spec::allocatable`]) minus the DaemonSet overhead.

use super::Ctx;
use super::node_fields::{discount_share, interruption_rate, taints, unknown_type, zones};
use super::work::work;
use crate::error::InputError;
use crate::scenario::raw::cluster::*;
use crate::spec::allocatable::allocatable;
use crate::spec::catalog;
use crate::spec::catalog::{Arch, InstanceType};
use crate::spec::placement::Scoring;
use crate::spec::resources::{CapacityType, Resources};
use crate::spec::{ClusterSpec, InstanceSpec, NodeGroupSpec};
use serde_saphyr::Spanned;

use crate::spec::price::{DEFAULT_SPOT_DISCOUNT, EKS_CONTROL_PLANE_USD_PER_HOUR};

/// Most vCPUs a user-defined instance type may have (a generous bound: the largest EC2 types have under 2,000).
pub(crate) const MAX_VCPUS: u64 = 4096;
/// Most pods a user-defined instance type may take (a generous bound: VPC CNI figures are in the hundreds at most).
pub(crate) const MAX_PODS_PER_NODE: u64 = 10_000;
/// Pods per node of a user-defined type without `max_pods`: the kubelet's `--max-pods` default.
const DEFAULT_MAX_PODS: u32 = 110;

/// A count of `what` at `path` that must be from 1 to `max`, refused (not clamped) otherwise.
fn within(
    ctx: &Ctx,
    raw: &Spanned<crate::scenario::raw::Count>,
    path: &str,
    max: u64,
    what: &str,
) -> Result<u32, InputError> {
    let n = raw.value.0;
    if n == 0 || n > max {
        return Err(ctx
            .err(
                &raw.referenced,
                path,
                format!("expected 1 to {max} {what}, found {n}"),
            )
            .with_hint("the instance type's size as AWS publishes it"));
    }
    Ok(n as u32)
}

/// Checks `cluster:`.
pub(super) fn cluster(ctx: &mut Ctx, raw: &Spanned<RawCluster>) -> Result<ClusterSpec, InputError> {
    let r = &raw.value;
    let mut custom: Vec<InstanceSpec> = Vec::new();
    for (i, t) in r.instance_types.iter().flatten().enumerate() {
        let t = &t.value;
        let name = t.name.value.trim().to_string();
        if catalog::lookup(&name).is_some() || custom.iter().any(|c| c.name == name) {
            return Err(ctx
                .err(
                    &t.name.referenced,
                    format!("cluster.instance_types[{i}].name"),
                    format!("expected a new instance type name, found \"{name}\" again"),
                )
                .with_hint("built-in types (`capsim catalog`) need no definition"));
        }
        let p = format!("cluster.instance_types[{i}]");
        let vcpus = within(ctx, &t.vcpus, &format!("{p}.vcpus"), MAX_VCPUS, "vCPUs")?;
        let max_pods = match &t.max_pods {
            Some(m) => within(ctx, m, &format!("{p}.max_pods"), MAX_PODS_PER_NODE, "pods")?,
            None => DEFAULT_MAX_PODS,
        };
        custom.push(InstanceSpec {
            name,
            vcpus,
            memory_bytes: t.memory.value.0,
            on_demand_usd_per_hour: t.price_usd_per_hour.value.0,
            max_pods,
        });
    }
    let daemonset = r
        .daemonset_overhead
        .as_ref()
        .map_or(Resources::default(), |d| Resources {
            cpu_milli: d.cpu.map_or(0, |c| (c.0 * 1000.0).round() as i64),
            memory_bytes: d.memory.map_or(0, |m| m.0 as i64),
            pods: 0,
        });
    let raw_groups: &[Spanned<RawNodeGroup>] = r.node_groups.as_ref().map_or(&[], |g| &g.value);
    let raw_pools = r.node_pools.as_ref().map_or(&[][..], |p| &p.value);
    if raw_groups.is_empty() && raw_pools.is_empty() {
        let at = r
            .node_groups
            .as_ref()
            .map_or(&raw.referenced, |g| &g.referenced);
        return Err(ctx
            .err(
                at,
                "cluster.node_groups",
                "expected at least one node group (or Karpenter node pool), found none",
            )
            .with_hint(
                "add a group: { name: general, instance_type: m5.xlarge, min: 2, max: 10 }",
            ));
    }
    let mut groups: Vec<NodeGroupSpec> = Vec::new();
    for (i, g) in raw_groups.iter().enumerate() {
        let spec = group(ctx, i, &g.value, &custom, daemonset)?;
        if groups.iter().any(|o| o.name == spec.name) {
            return Err(ctx
                .err(
                    &g.value.name.referenced,
                    format!("cluster.node_groups[{i}].name"),
                    format!(
                        "expected a unique node group name, found \"{}\" again",
                        spec.name
                    ),
                )
                .with_hint("results and events name node groups"));
        }
        groups.push(spec);
    }
    let (pools, pool_groups) =
        super::karpenter::pools(ctx, raw_pools, &custom, daemonset, groups.len())?;
    for (i, pg) in pool_groups.iter().enumerate() {
        if groups.iter().any(|g| g.name == pg.name) {
            return Err(ctx
                .err(
                    &raw_pools[i].value.name.referenced,
                    format!("cluster.node_pools[{i}].name"),
                    format!("expected a name no node group has, found \"{}\"", pg.name),
                )
                .with_hint("results and events name node groups and pools alike"));
        }
    }
    groups.extend(pool_groups);
    let autoscaler = super::node_autoscaler::node_autoscaler(ctx, r, raw_groups, pools)?;
    Ok(ClusterSpec {
        groups,
        daemonset_overhead: daemonset,
        control_plane_usd_per_hour: r
            .control_plane_usd_per_hour
            .as_ref()
            .map_or(EKS_CONTROL_PLANE_USD_PER_HOUR, |c| c.value.0),
        scoring: match r.scheduler.as_ref().map(|s| s.scoring) {
            Some(RawScoring::MostAllocated) => Scoring::MostAllocated,
            _ => Scoring::LeastAllocated,
        },
        autoscaler,
    })
}

fn group(
    ctx: &Ctx,
    i: usize,
    g: &RawNodeGroup,
    custom: &[InstanceSpec],
    daemonset: Resources,
) -> Result<NodeGroupSpec, InputError> {
    let p = format!("cluster.node_groups[{i}]");
    let type_name = g.instance_type.value.trim();
    let instance = match (
        catalog::lookup(type_name),
        custom.iter().find(|c| c.name == type_name),
    ) {
        (Some(it), _) => InstanceSpec {
            name: it.name.to_string(),
            vcpus: it.vcpus,
            memory_bytes: it.memory_bytes,
            on_demand_usd_per_hour: it.on_demand_usd_per_hour,
            max_pods: it.max_pods,
        },
        (None, Some(c)) => c.clone(),
        (None, None) => {
            return Err(unknown_type(
                ctx,
                &g.instance_type.referenced,
                format!("{p}.instance_type"),
                type_name,
            ));
        }
    };
    let capacity = match g.capacity.as_ref().map(|c| c.value) {
        None | Some(RawCapacity::OnDemand) => CapacityType::OnDemand,
        Some(RawCapacity::Spot) => CapacityType::Spot,
        Some(RawCapacity::Reserved) => CapacityType::Reserved,
    };
    if let Some(d) = g
        .discount
        .as_ref()
        .filter(|_| capacity != CapacityType::Reserved)
    {
        return Err(ctx
            .err(
                &d.referenced,
                format!("{p}.discount"),
                "expected a discount only for reserved capacity",
            )
            .with_hint("write capacity: reserved, or put a spot discount under spot:"));
    }
    if let Some(sp) = g.spot.as_ref().filter(|_| capacity != CapacityType::Spot) {
        return Err(ctx
            .err(
                &sp.referenced,
                format!("{p}.spot"),
                "expected spot settings only for capacity: spot",
            )
            .with_hint("write capacity: spot, or remove spot:"));
    }
    let od = instance.on_demand_usd_per_hour;
    let (price, interruptions) = match capacity {
        CapacityType::OnDemand => (od, None),
        CapacityType::Reserved => (
            od * (1.0
                - g.discount
                    .as_ref()
                    .map(|d| discount_share(ctx, d, format!("{p}.discount")))
                    .transpose()?
                    .unwrap_or(0.0)),
            None,
        ),
        CapacityType::Spot => {
            let s = g.spot.as_ref().map(|s| &s.value);
            let price = match (
                s.and_then(|s| s.price_usd_per_hour.as_ref()),
                s.and_then(|s| s.discount.as_ref()),
            ) {
                (Some(p), _) => p.value.0,
                (None, Some(d)) => {
                    od * (1.0 - discount_share(ctx, d, format!("{p}.spot.discount"))?)
                }
                (None, None) => od * (1.0 - DEFAULT_SPOT_DISCOUNT),
            };
            let rate =
                match s.and_then(|s| s.interruption.as_ref()) {
                    Some(text) => Some(interruption_rate(text.value.trim()).map_err(|e| {
                        ctx.err(&text.referenced, format!("{p}.spot.interruption"), e)
                    })?),
                    None => Some(0.0),
                };
            (price, rate)
        }
    };
    let (min, max) = (g.min.value.0, g.max.value.0);
    if min > max || max > 100_000 {
        return Err(ctx
            .err(
                &g.min.referenced,
                format!("{p}.min"),
                format!("expected min ≤ max ≤ 100000, found min {min} and max {max}"),
            )
            .with_hint("the node group's size stays within [min, max]"));
    }
    let initial = g.initial.as_ref().map_or(min, |n| n.value.0);
    if let Some(n) = g
        .initial
        .as_ref()
        .filter(|n| n.value.0 < min || n.value.0 > max)
    {
        return Err(ctx
            .err(
                &n.referenced,
                format!("{p}.initial"),
                format!(
                    "expected between min {min} and max {max}, found {}",
                    n.value.0
                ),
            )
            .with_hint("the nodes running at the start; leave it out for min"));
    }
    let zones = zones(ctx, &p, g.zones.as_ref())?;
    let taints = taints(ctx, &p, g.taints.as_deref())?;
    let boot = match &g.boot {
        Some(b) => work(ctx, &format!("{p}.boot"), b)?,
        None => super::scaling::default_boot(),
    };
    let it = InstanceType {
        name: "",
        arch: Arch::X86_64,
        vcpus: instance.vcpus,
        memory_bytes: instance.memory_bytes,
        on_demand_usd_per_hour: instance.on_demand_usd_per_hour,
        max_pods: instance.max_pods,
        from_reference_table: false,
    };
    let it = catalog::lookup(&instance.name).copied().unwrap_or(it);
    let alloc = allocatable(&it, daemonset);
    if alloc.cpu_milli <= 0 || alloc.memory_bytes <= 0 {
        return Err(ctx
            .err(&g.instance_type.referenced, format!("{p}.instance_type"), format!("expected room for pods, but the DaemonSet overhead leaves {}m CPU and {} MiB on {}", alloc.cpu_milli, alloc.memory_bytes >> 20, instance.name))
            .with_hint("lower cluster.daemonset_overhead or pick a larger type"));
    }
    let mut shortages = Vec::new();
    for (j, w) in g.shortages.iter().flatten().enumerate() {
        let (from, to) = (w.value.from.value.0, w.value.to.value.0);
        if to <= from {
            return Err(ctx
                .err(&w.value.to.referenced, format!("{p}.shortages[{j}].to"), "expected `to` after `from`")
                .with_hint("a window of time when launches in this group fail, e.g. { from: \"09:00\", to: \"10:00\" }"));
        }
        shortages.push((from, to));
    }
    Ok(NodeGroupSpec {
        name: g.name.value.trim().to_string(),
        instance,
        capacity,
        price_usd_per_hour: price,
        interruptions_per_hour: interruptions,
        zones,
        min: min as u32,
        max: max as u32,
        initial: initial as u32,
        labels: g.labels.clone().unwrap_or_default(),
        taints,
        boot,
        allocatable: alloc,
        shortages,
        pool: None,
    })
}
