//! `cluster:` and the pods' placement fields: raw → validated specs.
//!
//! Instance types come from the built-in catalog or `cluster.instance_types`;
//! a group's price is the on-demand price less its spot or reserved
//! discount (spot: 65 % by default, the middle of the reference's 60–70 %
//! for current general-purpose types); allocatable follows the EKS formulas
//! ([`crate::model::allocatable`]) minus the DaemonSet overhead.

use super::Ctx;
use super::work::work;
use crate::error::InputError;
use crate::model::allocatable::allocatable;
use crate::model::cluster::{CapacityType, Resources, Taint, TaintEffect, Toleration};
use crate::model::scheduler::{AntiAffinity, Scoring, ZoneSpread};
use crate::scenario::catalog::{self, Arch, InstanceType};
use crate::scenario::raw::*;
use crate::scenario::raw_cluster::*;
use crate::scenario::spec::{
    ClusterSpec, EventKind, EventSpec, InstanceSpec, NodeAutoscalerSpec, NodeGroupSpec,
    PlacementSpec, WorkDist,
};
use serde_saphyr::Spanned;

use crate::model::cost::{DEFAULT_SPOT_DISCOUNT, EKS_CONTROL_PLANE_USD_PER_HOUR};

/// Checks `cluster:`.
pub(super) fn cluster(ctx: &Ctx, raw: &Spanned<RawCluster>) -> Result<ClusterSpec, InputError> {
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
        custom.push(InstanceSpec {
            name,
            vcpus: t.vcpus.value.0.clamp(1, 4096) as u32,
            memory_bytes: t.memory.value.0,
            on_demand_usd_per_hour: t.price_usd_per_hour.value.0,
            max_pods: t
                .max_pods
                .as_ref()
                .map_or(110, |m| m.value.0.clamp(1, 10_000) as u32),
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
    if r.node_groups.value.is_empty() {
        return Err(ctx
            .err(
                &r.node_groups.referenced,
                "cluster.node_groups",
                "expected at least one node group, found an empty list",
            )
            .with_hint(
                "add a group: { name: general, instance_type: m5.xlarge, min: 2, max: 10 }",
            ));
    }
    let mut groups: Vec<NodeGroupSpec> = Vec::new();
    for (i, g) in r.node_groups.value.iter().enumerate() {
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
        autoscaler: node_autoscaler(ctx, r.node_autoscaler.as_ref(), &r.node_groups.value)?,
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
            let hint = match catalog::did_you_mean(type_name) {
                Some(close) => format!("did you mean {close}? `capsim catalog` lists the built-in types; define others under cluster.instance_types"),
                None => "`capsim catalog` lists the built-in types; define others under cluster.instance_types".to_string(),
            };
            return Err(ctx
                .err(
                    &g.instance_type.referenced,
                    format!("{p}.instance_type"),
                    format!("expected a known instance type, found \"{type_name}\""),
                )
                .with_hint(hint));
        }
    };
    let capacity = match g.capacity.as_ref().map(|c| c.value) {
        None | Some(RawCapacity::OnDemand) => CapacityType::OnDemand,
        Some(RawCapacity::Spot) => CapacityType::Spot,
        Some(RawCapacity::Reserved) => CapacityType::Reserved,
    };
    let discount = |d: &Spanned<crate::units::Percent>| -> Result<f64, InputError> {
        if !(0.0..=100.0).contains(&d.value.0) {
            return Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.discount"),
                    format!("expected a discount from 0% to 100%, found {}%", d.value.0),
                )
                .with_hint("the share taken off the on-demand price"));
        }
        Ok(d.value.0 / 100.0)
    };
    let od = instance.on_demand_usd_per_hour;
    let (price, interruptions) = match capacity {
        CapacityType::OnDemand => (od, None),
        CapacityType::Reserved => (
            od * (1.0
                - g.discount
                    .as_ref()
                    .map(discount)
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
                (None, Some(d)) => od * (1.0 - discount(d)?),
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
    let zones: Vec<String> = match &g.zones {
        Some(z) if z.value.is_empty() => {
            return Err(ctx
                .err(
                    &z.referenced,
                    format!("{p}.zones"),
                    "expected at least one zone",
                )
                .with_hint("for example zones: [a, b, c]"));
        }
        Some(z) => z.value.iter().map(|s| s.trim().to_string()).collect(),
        None => vec!["a".into(), "b".into(), "c".into()],
    };
    let mut taints = Vec::new();
    for (j, t) in g.taints.iter().flatten().enumerate() {
        taints.push(Taint {
            key: t.value.key.clone(),
            value: t.value.value.clone().unwrap_or_default(),
            effect: effect(ctx, &format!("{p}.taints[{j}].effect"), &t.value.effect)?,
        });
    }
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
        boot: boot_dist(boot),
        allocatable: alloc,
        shortages,
    })
}

fn boot_dist(d: WorkDist) -> WorkDist {
    d
}

/// An interruption rate per node-hour: an Advisor band (`"5-10%"` a month), a monthly share or `"0.002/h"`.
fn interruption_rate(text: &str) -> Result<f64, String> {
    crate::model::spot::parse_interruption_rate(text).map(|r| r.lambda_per_hour())
}

fn effect(ctx: &Ctx, path: &str, raw: &Spanned<String>) -> Result<TaintEffect, InputError> {
    match raw.value.as_str() {
        "NoSchedule" => Ok(TaintEffect::NoSchedule),
        "PreferNoSchedule" => Ok(TaintEffect::PreferNoSchedule),
        "NoExecute" => Ok(TaintEffect::NoExecute),
        other => Err(ctx
            .err(
                &raw.referenced,
                path,
                format!("expected NoSchedule, PreferNoSchedule or NoExecute, found \"{other}\""),
            )
            .with_hint("taint effects are written as in Kubernetes")),
    }
}

fn node_autoscaler(
    ctx: &Ctx,
    raw: Option<&Spanned<RawNodeAutoscaler>>,
    groups: &[Spanned<RawNodeGroup>],
) -> Result<NodeAutoscalerSpec, InputError> {
    let Some(a) = raw else {
        return Ok(NodeAutoscalerSpec::None);
    };
    let r = &a.value;
    if r.kind.value != "cluster-autoscaler" {
        return Err(ctx
            .err(
                &r.kind.referenced,
                "cluster.node_autoscaler.kind",
                format!("expected cluster-autoscaler, found \"{}\"", r.kind.value),
            )
            .with_hint(
                "Karpenter is not built yet; leave node_autoscaler out for fixed node groups",
            ));
    }
    const EXPANDERS: &[&str] = &[
        "least-waste",
        "most-pods",
        "least-nodes",
        "priority",
        "random",
        "price",
    ];
    let expanders: Vec<String> = match &r.expander {
        Some(e) => {
            let list: Vec<String> = e.value.split(',').map(|s| s.trim().to_string()).collect();
            if let Some(bad) = list.iter().find(|x| !EXPANDERS.contains(&x.as_str())) {
                return Err(ctx
                    .err(
                        &e.referenced,
                        "cluster.node_autoscaler.expander",
                        format!(
                            "expected expanders from {}, found \"{bad}\"",
                            EXPANDERS.join(", ")
                        ),
                    )
                    .with_hint("chain several with commas, e.g. priority,least-waste"));
            }
            list
        }
        None => vec!["least-waste".into()],
    };
    let priorities = r.priorities.clone().unwrap_or_default();
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
    })
}

/// The placement fields of the pod of the service at path `p`.
pub(super) fn placement(ctx: &Ctx, p: &str, raw: &RawPod) -> Result<PlacementSpec, InputError> {
    let mut tolerations = Vec::new();
    for (j, t) in raw.tolerations.iter().flatten().enumerate() {
        let t = &t.value;
        let exists = match t.operator.as_ref().map(|o| o.value.as_str()) {
            None | Some("Equal") => false,
            Some("Exists") => true,
            Some(other) => {
                let at = &t.operator.as_ref().expect("matched Some").referenced;
                return Err(ctx
                    .err(
                        at,
                        format!("{p}.pod.tolerations[{j}].operator"),
                        format!("expected Equal or Exists, found \"{other}\""),
                    )
                    .with_hint("as in a Kubernetes pod spec"));
            }
        };
        tolerations.push(Toleration {
            key: t.key.clone(),
            exists,
            value: t.value.clone().unwrap_or_default(),
            effect: t
                .effect
                .as_ref()
                .map(|e| effect(ctx, &format!("{p}.pod.tolerations[{j}].effect"), e))
                .transpose()?,
        });
    }
    let anti_affinity = match &raw.anti_affinity {
        None => None,
        Some(a) => Some(match a.value.kind.value.as_str() {
            "required" => AntiAffinity::Required,
            "preferred" => AntiAffinity::Preferred(
                a.value
                    .weight
                    .as_ref()
                    .map_or(100, |w| w.value.0.clamp(1, 100) as u32),
            ),
            other => {
                return Err(ctx
                    .err(
                        &a.value.kind.referenced,
                        format!("{p}.pod.anti_affinity.type"),
                        format!("expected required or preferred, found \"{other}\""),
                    )
                    .with_hint(
                        "required keeps one pod of the service per node; preferred only tries",
                    ));
            }
        }),
    };
    let zone_spread = match &raw.zone_spread {
        None => None,
        Some(z) => {
            let hard = match z
                .value
                .when_unsatisfiable
                .as_ref()
                .map(|w| w.value.as_str())
            {
                None | Some("DoNotSchedule") => true,
                Some("ScheduleAnyway") => false,
                Some(other) => {
                    let at = &z
                        .value
                        .when_unsatisfiable
                        .as_ref()
                        .expect("matched Some")
                        .referenced;
                    return Err(ctx
                        .err(
                            at,
                            format!("{p}.pod.zone_spread.when_unsatisfiable"),
                            format!("expected DoNotSchedule or ScheduleAnyway, found \"{other}\""),
                        )
                        .with_hint("as in a topologySpreadConstraint"));
                }
            };
            if z.value.max_skew.value.0 == 0 {
                return Err(ctx
                    .err(
                        &z.value.max_skew.referenced,
                        format!("{p}.pod.zone_spread.max_skew"),
                        "expected a maxSkew of at least 1, found 0",
                    )
                    .with_hint("1 keeps the zones within one pod of each other"));
            }
            Some(ZoneSpread {
                max_skew: z.value.max_skew.value.0.min(u32::MAX as u64) as u32,
                hard,
            })
        }
    };
    Ok(PlacementSpec {
        node_selector: raw.node_selector.clone().unwrap_or_default(),
        tolerations,
        anti_affinity,
        zone_spread,
    })
}

/// Checks `events:` against the cluster.
pub(super) fn events(
    ctx: &Ctx,
    raw: Option<&Spanned<Vec<Spanned<RawEvent>>>>,
    cluster: Option<&ClusterSpec>,
    duration_ns: crate::units::Nanos,
) -> Result<Vec<EventSpec>, InputError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let no_groups = Vec::new();
    let groups = cluster.map_or(&no_groups, |c| &c.groups);
    let group = |p: &str, name: &Spanned<String>| -> Result<usize, InputError> {
        if cluster.is_none() {
            return Err(ctx
                .err(&name.referenced, format!("{p}.group"), "expected a `cluster` for node events")
                .with_hint("spot reclaims, node failures and zone outages act on node groups; add a cluster: section"));
        }
        groups
            .iter()
            .position(|g| g.name == name.value.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                ctx.err(
                    &name.referenced,
                    format!("{p}.group"),
                    format!("expected a node group, found \"{}\"", name.value),
                )
                .with_hint(format!("the node groups are {}", names.join(", ")))
            })
    };
    let mut out: Vec<EventSpec> = Vec::new();
    for (i, e) in raw.value.iter().enumerate() {
        let p = format!("events[{i}]");
        let r = &e.value;
        let at_ns = r.at.value.0;
        if at_ns >= duration_ns {
            return Err(ctx
                .err(
                    &r.at.referenced,
                    format!("{p}.at"),
                    format!(
                        "expected a time within the run ({}), found {}",
                        crate::units::format_duration(duration_ns),
                        crate::units::format_duration(at_ns)
                    ),
                )
                .with_hint("events after the end would never happen"));
        }
        let kinds = [
            r.spot_reclaim.is_some(),
            r.node_failure.is_some(),
            r.zone_outage.is_some(),
            r.metrics_outage.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(ctx
                .err(&r.at.referenced, p, "expected exactly one of spot_reclaim, node_failure, zone_outage, metrics_outage")
                .with_hint("write one event per list item, for example { at: \"14:00\", zone_outage: { zone: b, for: 30m } }"));
        }
        let kind = if let Some(s) = &r.spot_reclaim {
            let g = group(&format!("{p}.spot_reclaim"), &s.group)?;
            if groups[g].capacity != CapacityType::Spot {
                return Err(ctx
                    .err(
                        &s.group.referenced,
                        format!("{p}.spot_reclaim.group"),
                        format!(
                            "expected a spot node group, found {} ({})",
                            groups[g].name,
                            crate::analysis::cluster::capacity_name(groups[g].capacity)
                        ),
                    )
                    .with_hint(
                        "only spot capacity is reclaimed; use node_failure for other groups",
                    ));
            }
            let f = s.fraction.value.0;
            if !(0.0..=100.0).contains(&f) {
                return Err(ctx
                    .err(
                        &s.fraction.referenced,
                        format!("{p}.spot_reclaim.fraction"),
                        format!("expected 0% to 100%, found {f}%"),
                    )
                    .with_hint("the share of the group's nodes reclaimed"));
            }
            EventKind::SpotReclaim {
                group: g,
                fraction: f / 100.0,
            }
        } else if let Some(n) = &r.node_failure {
            EventKind::NodeFailure {
                group: group(&format!("{p}.node_failure"), &n.group)?,
                count: n.count.map_or(1, |c| c.0.min(100_000) as u32),
            }
        } else if let Some(m) = &r.metrics_outage {
            EventKind::MetricsOutage {
                duration_ns: m.duration.value.0,
            }
        } else {
            let z = r.zone_outage.as_ref().expect("exactly one kind");
            let zone = z.zone.value.trim().to_string();
            if !groups.iter().any(|g| g.zones.contains(&zone)) {
                return Err(ctx
                    .err(
                        &z.zone.referenced,
                        format!("{p}.zone_outage.zone"),
                        format!("expected a zone some node group uses, found \"{zone}\""),
                    )
                    .with_hint("node groups name their zones under zones: (default a, b, c)"));
            }
            let end = at_ns.saturating_add(z.duration.value.0);
            for other in &out {
                if let EventKind::ZoneOutage {
                    zone: oz,
                    duration_ns,
                } = &other.kind
                    && *oz == zone
                    && at_ns < other.at_ns.saturating_add(*duration_ns)
                    && other.at_ns < end
                {
                    return Err(ctx
                        .err(&r.at.referenced, format!("{p}.zone_outage"), format!("expected zone {zone}'s outages not to overlap, but this one starts before the earlier one ends"))
                        .with_hint("merge them into one longer outage"));
                }
            }
            EventKind::ZoneOutage {
                zone,
                duration_ns: z.duration.value.0,
            }
        };
        out.push(EventSpec { at_ns, kind });
    }
    out.sort_by_key(|e| e.at_ns);
    Ok(out)
}

/// Warns about services whose pods no node group can ever take.
pub(super) fn fit_warnings(
    ctx: &mut Ctx,
    cluster: &ClusterSpec,
    services: &[crate::scenario::ServiceSpec],
) {
    for (i, s) in services.iter().enumerate() {
        let needs = crate::model::cluster::PodNeeds {
            requests: Resources {
                cpu_milli: s
                    .pod
                    .cpu_request_cores
                    .map_or(0, |c| (c * 1000.0).round() as i64),
                memory_bytes: s.pod.memory_request_bytes.map_or(0, |b| b as i64),
                pods: 1,
            },
            node_selector: s.placement.node_selector.clone(),
            tolerations: s.placement.tolerations.clone(),
        };
        let fits = cluster.groups.iter().any(|g| {
            let mut labels = g.labels.clone();
            labels.insert(
                "node.kubernetes.io/instance-type".into(),
                g.instance.name.clone(),
            );
            labels.insert("capsim/node-group".into(), g.name.clone());
            let zone_free = needs
                .node_selector
                .keys()
                .all(|k| k != crate::model::scheduler::ZONE_LABEL);
            g.allocatable.fits(needs.requests)
                && (needs.admits(&labels, &g.taints)
                    || (!zone_free
                        && g.zones.iter().any(|z| {
                            let mut l = labels.clone();
                            l.insert(crate::model::scheduler::ZONE_LABEL.into(), z.clone());
                            needs.admits(&l, &g.taints)
                        })))
        });
        if !fits {
            ctx.warnings.push(format!(
                "services[{i}] ({}): its pods fit no node group (requests {}m CPU, {} MiB; node selector and taints considered); they will stay Pending",
                s.name,
                needs.requests.cpu_milli,
                needs.requests.memory_bytes >> 20
            ));
        }
    }
}
