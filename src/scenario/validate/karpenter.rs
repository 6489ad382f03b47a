//! `cluster.node_pools:` — Karpenter NodePools: raw → [`KarpenterPoolSpec`],
//! resolved against the built-in catalog (allocatable by the EKS formulas
//! less the DaemonSet overhead), and the node group that stands for each
//! pool in the cluster's state and reports.

use super::Ctx;
use super::node_fields::{discount_share, interruption_rate, taints, unknown_type, zones};
use super::work::work;
use crate::error::InputError;
use crate::scenario::raw::cluster::RawCapacity;
use crate::scenario::raw::karpenter::*;
use crate::spec::allocatable::allocatable;
use crate::spec::catalog;
use crate::spec::node_pool::{
    BudgetNodes, ConsolidationPolicy, DisruptionBudget, DisruptionReason, NodePool, NodePoolSpec,
    PoolLimits, capacity_rank,
};
use crate::spec::price::SpotPrice;
use crate::spec::resources::{CapacityType, Resources};
use crate::spec::{InstanceSpec, KarpenterPoolSpec, NodeGroupSpec, OfferingShortage};
use serde_saphyr::Spanned;

/// Checks every pool; the stand-in node groups get indices from `first_group` on.
pub(super) fn pools(
    ctx: &Ctx,
    raw: &[Spanned<RawNodePool>],
    custom: &[InstanceSpec],
    daemonset: Resources,
    first_group: usize,
) -> Result<(Vec<KarpenterPoolSpec>, Vec<NodeGroupSpec>), InputError> {
    let mut pools: Vec<KarpenterPoolSpec> = Vec::new();
    let mut groups = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        let (pool, group) = pool(ctx, i, &p.value, custom, daemonset, first_group + i)?;
        if pools
            .iter()
            .any(|o| o.pool.spec.name == pool.pool.spec.name)
        {
            return Err(ctx
                .err(
                    &p.value.name.referenced,
                    format!("cluster.node_pools[{i}].name"),
                    format!(
                        "expected a unique node pool name, found \"{}\" again",
                        pool.pool.spec.name
                    ),
                )
                .with_hint("results and events name node pools"));
        }
        pools.push(pool);
        groups.push(group);
    }
    Ok((pools, groups))
}

fn capacity(c: RawCapacity) -> CapacityType {
    match c {
        RawCapacity::OnDemand => CapacityType::OnDemand,
        RawCapacity::Spot => CapacityType::Spot,
        RawCapacity::Reserved => CapacityType::Reserved,
    }
}

fn pool(
    ctx: &Ctx,
    i: usize,
    r: &RawNodePool,
    custom: &[InstanceSpec],
    daemonset: Resources,
    group: usize,
) -> Result<(KarpenterPoolSpec, NodeGroupSpec), InputError> {
    let p = format!("cluster.node_pools[{i}]");
    let name = r.name.value.trim().to_string();
    if r.instance_types.value.is_empty() {
        return Err(ctx
            .err(
                &r.instance_types.referenced,
                format!("{p}.instance_types"),
                "expected at least one instance type",
            )
            .with_hint(
                "list the types Karpenter may choose from, e.g. [m5.large, m5.xlarge, c5.xlarge]",
            ));
    }
    let mut types: Vec<String> = Vec::new();
    for (j, t) in r.instance_types.value.iter().enumerate() {
        let tn = t.value.trim();
        let path = format!("{p}.instance_types[{j}]");
        if catalog::lookup(tn).is_none() {
            if custom.iter().any(|c| c.name == tn) {
                return Err(ctx
                    .err(&t.referenced, path, format!("expected a built-in instance type, found the user-defined \"{tn}\""))
                    .with_hint("node pools choose among built-in types (`capsim catalog`); use a node group for a user-defined type"));
            }
            return Err(unknown_type(ctx, &t.referenced, path, tn));
        }
        if types.iter().any(|x| x == tn) {
            return Err(ctx
                .err(
                    &t.referenced,
                    path,
                    format!("expected each instance type once, found \"{tn}\" again"),
                )
                .with_hint("remove the duplicate"));
        }
        types.push(tn.to_string());
    }
    let mut caps: Vec<CapacityType> = Vec::new();
    match &r.capacity_types {
        Some(list) if list.value.is_empty() => {
            return Err(ctx
                .err(&list.referenced, format!("{p}.capacity_types"), "expected at least one capacity type")
                .with_hint("for example capacity_types: [spot, on-demand]; Karpenter prefers spot when allowed"));
        }
        Some(list) => {
            for c in &list.value {
                let c = capacity(c.value);
                if !caps.contains(&c) {
                    caps.push(c);
                }
            }
        }
        None => caps.push(CapacityType::OnDemand),
    }
    if let Some(s) = &r.spot {
        if !caps.contains(&CapacityType::Spot) {
            return Err(ctx
                .err(
                    &s.referenced,
                    format!("{p}.spot"),
                    "expected spot settings only for a pool that may buy spot",
                )
                .with_hint("add spot to capacity_types, or remove spot:"));
        }
        if let Some(pr) = &s.value.price_usd_per_hour {
            return Err(ctx
                .err(
                    &pr.referenced,
                    format!("{p}.spot.price_usd_per_hour"),
                    "expected a discount for a node pool, found an explicit price",
                )
                .with_hint("a pool has several types: write spot: { discount: 65% }"));
        }
    }
    let spot_discount = match r.spot.as_ref().and_then(|s| s.value.discount.as_ref()) {
        Some(d) => discount_share(ctx, d, format!("{p}.spot.discount"))?,
        None => crate::spec::price::DEFAULT_SPOT_DISCOUNT,
    };
    let interruptions = match r.spot.as_ref().and_then(|s| s.value.interruption.as_ref()) {
        Some(t) => Some(
            interruption_rate(t.value.trim())
                .map_err(|e| ctx.err(&t.referenced, format!("{p}.spot.interruption"), e))?,
        ),
        None if caps.contains(&CapacityType::Spot) => Some(0.0),
        None => None,
    };
    let reserved_discount = match &r.discount {
        Some(d) if !caps.contains(&CapacityType::Reserved) => {
            return Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.discount"),
                    "expected a discount only for a pool that may buy reserved capacity",
                )
                .with_hint("add reserved to capacity_types, or remove discount:"));
        }
        Some(d) => discount_share(ctx, d, format!("{p}.discount"))?,
        None => 0.0,
    };
    let zones = zones(ctx, &p, r.zones.as_ref())?;
    let weight = match &r.weight {
        Some(w) if !(0..=100).contains(&w.value) => {
            return Err(ctx
                .err(
                    &w.referenced,
                    format!("{p}.weight"),
                    format!("expected a weight from 0 to 100, found {}", w.value),
                )
                .with_hint("pools with a higher weight are tried first, as in Karpenter"));
        }
        Some(w) => w.value as i32,
        None => 0,
    };
    let taints = taints(ctx, &p, r.taints.as_deref())?;
    let limits = r
        .limits
        .as_ref()
        .map_or(PoolLimits::default(), |l| PoolLimits {
            cpu_milli: l.cpu.map(|c| (c.0 * 1000.0).round() as i64),
            memory_bytes: l.memory.map(|m| m.0 as i64),
        });
    let budgets = match &r.budgets {
        None => vec![DisruptionBudget::default()],
        Some(list) => budgets(ctx, &p, list)?,
    };
    let boot = match &r.boot {
        Some(b) => work(ctx, &format!("{p}.boot"), b)?,
        None => super::scaling::default_boot(),
    };
    let mut spec = NodePoolSpec::new(&name, &[], &[]);
    spec.weight = weight;
    spec.instance_types = types.clone();
    spec.capacity_types = caps.clone();
    spec.zones = zones.clone();
    spec.labels = r.labels.clone().unwrap_or_default();
    spec.taints = taints.clone();
    spec.limits = limits;
    spec.consolidation_policy = match r.consolidation_policy.as_ref().map(|c| c.value) {
        Some(RawConsolidationPolicy::WhenEmpty) => ConsolidationPolicy::WhenEmpty,
        _ => ConsolidationPolicy::WhenEmptyOrUnderutilized,
    };
    spec.consolidate_after_ns = r.consolidate_after.as_ref().map_or(Some(0), |c| c.value.0);
    spec.budgets = budgets;
    spec.spot_pricing.default = SpotPrice::Discount(spot_discount);
    spec.reserved_discount = reserved_discount;
    let pool = NodePool::resolve(
        spec,
        |n| catalog::lookup(n).copied(),
        |it| allocatable(it, daemonset),
    )
    .map_err(|e| ctx.err(&r.name.referenced, p.clone(), e.to_string()))?;
    if let Some(t) = pool
        .types
        .iter()
        .find(|t| t.allocatable.cpu_milli <= 0 || t.allocatable.memory_bytes <= 0)
    {
        return Err(ctx
            .err(
                &r.instance_types.referenced,
                format!("{p}.instance_types"),
                format!(
                    "expected room for pods, but the DaemonSet overhead leaves nothing on {}",
                    t.it.name
                ),
            )
            .with_hint("lower cluster.daemonset_overhead or drop the small type"));
    }
    let shortages = shortages(ctx, &p, r, &types, &caps, &zones)?;
    let first = &pool.types[0];
    let best_cap = *caps
        .iter()
        .min_by_key(|c| capacity_rank(**c))
        .expect("not empty");
    let group_spec = NodeGroupSpec {
        name: name.clone(),
        instance: InstanceSpec {
            name: first.it.name.to_string(),
            vcpus: first.it.vcpus,
            memory_bytes: first.it.memory_bytes,
            on_demand_usd_per_hour: first.it.on_demand_usd_per_hour,
            max_pods: first.it.max_pods,
        },
        capacity: best_cap,
        price_usd_per_hour: pool.price_usd_per_hour(0, best_cap),
        interruptions_per_hour: interruptions,
        zones,
        min: 0,
        max: u32::MAX,
        initial: 0,
        labels: pool.spec.labels.clone(),
        taints,
        boot,
        allocatable: first.allocatable,
        shortages: Vec::new(),
        pool: Some(i),
    };
    Ok((
        KarpenterPoolSpec {
            pool,
            group,
            shortages,
        },
        group_spec,
    ))
}

fn budgets(
    ctx: &Ctx,
    p: &str,
    list: &Spanned<Vec<Spanned<RawBudget>>>,
) -> Result<Vec<DisruptionBudget>, InputError> {
    let mut out = Vec::new();
    for (j, b) in list.value.iter().enumerate() {
        let nodes = match b.value.nodes.value {
            BudgetNodesText::Percent(x) => BudgetNodes::Percent(x),
            BudgetNodesText::Count(x) => BudgetNodes::Count(x),
        };
        let mut reasons = Vec::new();
        for (k, r) in b
            .value
            .reasons
            .iter()
            .flat_map(|r| r.value.iter())
            .enumerate()
        {
            reasons.push(match r.value.trim() {
                "Empty" => DisruptionReason::Empty,
                "Underutilized" => DisruptionReason::Underutilized,
                "Drifted" => DisruptionReason::Drifted,
                other => {
                    return Err(ctx
                        .err(
                            &r.referenced,
                            format!("{p}.budgets[{j}].reasons[{k}]"),
                            format!("expected Empty, Underutilized or Drifted, found \"{other}\""),
                        )
                        .with_hint("budget reasons are written as in Karpenter"));
                }
            });
        }
        out.push(DisruptionBudget { nodes, reasons });
    }
    Ok(out)
}

fn shortages(
    ctx: &Ctx,
    p: &str,
    r: &RawNodePool,
    types: &[String],
    caps: &[CapacityType],
    zones: &[String],
) -> Result<Vec<OfferingShortage>, InputError> {
    let mut out = Vec::new();
    for (j, w) in r.shortages.iter().flatten().enumerate() {
        let w = &w.value;
        let q = format!("{p}.shortages[{j}]");
        let (from_ns, to_ns) = (w.from.value.0, w.to.value.0);
        if to_ns <= from_ns {
            return Err(ctx
                .err(&w.to.referenced, format!("{q}.to"), "expected `to` after `from`")
                .with_hint("a window of time when launches fail, e.g. { from: \"09:00\", to: \"10:00\", capacity: spot }"));
        }
        let capacity = w.capacity.as_ref().map(|c| capacity(c.value));
        if let (Some(c), Some(raw)) = (capacity, &w.capacity)
            && !caps.contains(&c)
        {
            return Err(ctx
                .err(
                    &raw.referenced,
                    format!("{q}.capacity"),
                    "expected a capacity type the pool may buy",
                )
                .with_hint("the shortage would never matter; check capacity_types"));
        }
        let instance_type = w.instance_type.as_ref().map(|t| t.value.trim().to_string());
        if let (Some(t), Some(raw)) = (&instance_type, &w.instance_type)
            && !types.contains(t)
        {
            return Err(ctx
                .err(
                    &raw.referenced,
                    format!("{q}.instance_type"),
                    format!("expected one of the pool's instance types, found \"{t}\""),
                )
                .with_hint(format!("the pool's types: {}", types.join(", "))));
        }
        let zone = w.zone.as_ref().map(|z| z.value.trim().to_string());
        if let (Some(z), Some(raw)) = (&zone, &w.zone)
            && !zones.contains(z)
        {
            return Err(ctx
                .err(
                    &raw.referenced,
                    format!("{q}.zone"),
                    format!("expected one of the pool's zones, found \"{z}\""),
                )
                .with_hint(format!("the pool's zones: {}", zones.join(", "))));
        }
        out.push(OfferingShortage {
            from_ns,
            to_ns,
            capacity,
            instance_type,
            zone,
        });
    }
    Ok(out)
}
