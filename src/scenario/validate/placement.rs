//! The pods' placement fields (`node_selector`, `tolerations`,
//! `anti_affinity`, `zone_spread`) → [`PlacementSpec`], the warning for
//! pods no node group can ever take, and the warning for placement fields in
//! a scenario without a `cluster:` (they have no nodes to act on).

use super::Ctx;
use super::node_fields::effect;
use crate::error::InputError;
use crate::scenario::raw::RawPod;
use crate::spec::placement::{AntiAffinity, PlacementSpec, ZoneSpread};
use crate::spec::resources::Toleration;
use crate::spec::{ClusterSpec, NodeAutoscalerSpec};

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
            "required" => {
                if let Some(w) = &a.value.weight {
                    return Err(ctx
                        .err(
                            &w.referenced,
                            format!("{p}.pod.anti_affinity.weight"),
                            "expected no weight with type: required",
                        )
                        .with_hint("only preferred terms have a weight (Kubernetes' requiredDuringScheduling terms have none); remove it, or write type: preferred"));
                }
                AntiAffinity::Required
            }
            "preferred" => AntiAffinity::Preferred(match &a.value.weight {
                None => 100,
                // Kubernetes: "must be in the range 1-100" (validateWeightedPodAffinityTerms).
                Some(w) if !(1..=100).contains(&w.value.0) => {
                    return Err(ctx
                        .err(
                            &w.referenced,
                            format!("{p}.pod.anti_affinity.weight"),
                            format!("expected a weight in the range 1-100, found {}", w.value.0),
                        )
                        .with_hint(
                            "as in Kubernetes' weightedPodAffinityTerm; leave it out for 100",
                        ));
                }
                Some(w) => w.value.0 as u32,
            }),
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

/// Why a service's placement fields can do nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NotPlaced {
    /// The scenario has no `cluster:`: there are no nodes.
    NoCluster,
    /// The service is `platform: vm`: its replicas are EC2 instances of their own.
    Vm,
}

/// Warns about the placement fields of the pod of the service at path `p`
/// when its pods are never placed on nodes (see [`NotPlaced`]).
pub(super) fn unplaced_warnings(ctx: &mut Ctx, p: &str, raw: &RawPod, why: NotPlaced) {
    let set = [
        ("node_selector", raw.node_selector.is_some()),
        ("tolerations", raw.tolerations.is_some()),
        ("anti_affinity", raw.anti_affinity.is_some()),
        ("zone_spread", raw.zone_spread.is_some()),
    ];
    for (key, _) in set.iter().filter(|(_, s)| *s) {
        ctx.warnings.push(match why {
            NotPlaced::NoCluster => format!(
                "{p}.pod.{key}: no effect without a `cluster:` (pods are placed on nodes only in a cluster); add cluster: with node_groups, or remove it"
            ),
            NotPlaced::Vm => format!(
                "{p}.pod.{key}: no effect on a `platform: vm` service (its replicas are EC2 instances of their own, never placed on the cluster's nodes); remove it, or make the service platform: kubernetes"
            ),
        });
    }
}

/// Warns about services whose pods no node group can ever take.
pub(super) fn fit_warnings(
    ctx: &mut Ctx,
    cluster: &ClusterSpec,
    services: &[crate::spec::ServiceSpec],
) {
    for (i, s) in services.iter().enumerate() {
        if matches!(s.platform, crate::spec::Platform::Vm { .. }) {
            continue; // its instances are not placed on nodes
        }
        let needs = s.pod_needs();
        // A zone selector may pin one of the group's zones: try each.
        let fits = cluster
            .groups
            .iter()
            .any(|g| match (g.pool, &cluster.autoscaler) {
                (Some(p), NodeAutoscalerSpec::Karpenter { pools, .. }) => {
                    // A pool fits if any type, capacity type and zone it may launch does.
                    let pool = &pools[p].pool;
                    (0..pool.types.len()).any(|t| {
                        pool.types[t].allocatable.fits(needs.requests)
                            && pool.spec.capacity_types.iter().any(|&c| {
                                pool.spec.zones.iter().any(|z| {
                                    needs.admits(&pool.node_labels(t, c, z), &pool.spec.taints)
                                })
                            })
                    })
                }
                _ => {
                    g.allocatable.fits(needs.requests)
                        && g.zones
                            .iter()
                            .any(|z| needs.admits(&g.node_labels(z), &g.taints))
                }
            });
        let karpenter = matches!(cluster.autoscaler, NodeAutoscalerSpec::Karpenter { .. });
        if karpenter && s.placement.zone_spread.is_some_and(|z| z.hard) {
            ctx.warnings.push(format!(
                "services[{i}] ({}): Karpenter's plan here does not spread pods over zones; with a hard zone spread, pods it plans into one zone may stay Pending",
                s.name
            ));
        }
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
