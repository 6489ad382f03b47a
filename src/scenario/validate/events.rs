//! `events:` — scheduled faults (spot reclaims, node failures, zone and
//! metrics outages) → [`EventSpec`], checked against the cluster; the
//! events that act on a service (rolling deployments, traffic incidents)
//! are checked in [`super::service_events`].

use super::Ctx;
use crate::error::InputError;
use crate::scenario::raw::events::RawEvent;
use crate::spec::resources::CapacityType;
use crate::spec::{ClusterSpec, EventKind, EventSpec, ServiceSpec};
use serde_saphyr::Spanned;

/// Checks `events:` against the cluster and the services.
pub(super) fn events(
    ctx: &Ctx,
    raw: Option<&Spanned<Vec<Spanned<RawEvent>>>>,
    cluster: Option<&ClusterSpec>,
    services: &[ServiceSpec],
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
            r.rolling_deployment.is_some(),
            r.traffic_incident.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(ctx
                .err(&r.at.referenced, p, "expected exactly one of spot_reclaim, node_failure, zone_outage, metrics_outage, rolling_deployment, traffic_incident")
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
            let count = match &n.count {
                None => 1,
                Some(c) if c.value.0 == 0 || c.value.0 > 100_000 => {
                    return Err(ctx
                        .err(
                            &c.referenced,
                            format!("{p}.node_failure.count"),
                            format!("expected 1 to 100000 nodes, found {}", c.value.0),
                        )
                        .with_hint(
                            "how many of the group's nodes fail (oldest first); leave it out for 1",
                        ));
                }
                Some(c) => c.value.0 as u32,
            };
            EventKind::NodeFailure {
                group: group(&format!("{p}.node_failure"), &n.group)?,
                count,
            }
        } else if let Some(d) = &r.rolling_deployment {
            super::service_events::rolling_deployment(ctx, &p, d, services)?
        } else if let Some(t) = &r.traffic_incident {
            super::service_events::traffic_incident(ctx, &p, t, at_ns, services, &out)?
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
