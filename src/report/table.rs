//! The summary as a terminal table (the SLO lines under it: [`super::table_slo`]).

use crate::analysis::{LatencySummary, ReplicaSummary, Summary};
use crate::metrics::Outcomes;
use comfy_table::{
    CellAlignment, Table,
    presets::{ASCII_MARKDOWN, UTF8_FULL_CONDENSED},
};

fn ms(v: Option<f64>) -> String {
    match v {
        Some(x) if x >= 100.0 => format!("{x:.0}"),
        Some(x) if x >= 10.0 => format!("{x:.1}"),
        Some(x) => format!("{x:.2}"),
        None => "–".into(),
    }
}

fn row(
    label: String,
    r: &Outcomes,
    l: &LatencySummary,
    ci: Option<(f64, f64)>,
    replicas: String,
) -> Vec<String> {
    let with_ci = |v: Option<f64>, hw: Option<f64>| match hw {
        Some(h) => format!("{} ±{}", ms(v), ms(Some(h))),
        None => ms(v),
    };
    vec![
        label,
        r.offered.to_string(),
        r.completed.to_string(),
        r.rejected.to_string(),
        r.timed_out.to_string(),
        r.failed.to_string(),
        r.in_flight.to_string(),
        with_ci(l.mean, ci.map(|c| c.0)),
        ms(l.p50),
        ms(l.p90),
        with_ci(l.p99, ci.map(|c| c.1)),
        ms(l.p999),
        ms(l.max),
        replicas,
    ]
}

/// "min–max (mean)", or the fixed count.
fn replicas(r: &ReplicaSummary) -> String {
    if r.min == r.max {
        r.min.to_string()
    } else {
        format!("{}–{} ({:.1})", r.min, r.max, r.mean)
    }
}

/// A table with one row per profile and, when there are several services, one per
/// service; box-drawn for a terminal, or Markdown.
pub fn summary_table(summary: &Summary, markdown: bool) -> String {
    let mut t = Table::new();
    t.load_style(if markdown {
        ASCII_MARKDOWN
    } else {
        UTF8_FULL_CONDENSED
    });
    t.set_header(vec![
        "profile / service",
        "offered",
        "completed",
        "rejected",
        "timed out",
        "failed",
        "in flight",
        "mean ms",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms",
        "replicas",
    ]);
    for p in &summary.profiles {
        let ci = p.latency_ci95_ms.map(|c| (c.mean, c.p99));
        let total: Vec<ReplicaSummary> = p.services.iter().map(|s| s.replicas).collect();
        let label = if p.services.len() == 1 {
            replicas(&total[0])
        } else {
            String::new()
        };
        t.add_row(row(p.name.clone(), &p.requests, &p.latency_ms, ci, label));
        if p.services.len() > 1 {
            for s in &p.services {
                t.add_row(row(
                    format!("  {}", s.name),
                    &s.requests,
                    &s.latency_ms,
                    None,
                    replicas(&s.replicas),
                ));
            }
        }
    }
    for i in 1..14 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut text = format!(
        "{} — {} replication(s), seed {}, {} s simulated after {} s warmup (± = 95 % CI across replications)\n{t}",
        summary.scenario,
        summary.replications,
        summary.seed,
        summary.duration_s - summary.warmup_s,
        summary.warmup_s
    );
    for p in &summary.profiles {
        if let Some(c) = &p.cluster {
            text.push_str(&format!(
                "\n{}: nodes max {} (mean {:.1}); cost ${:.2} ({}); CPU headroom min {:.0} %, {:.0} % at peak; spot interruptions {}",
                p.name,
                c.nodes.max,
                c.nodes.mean,
                c.cost_usd.total,
                c.cost_usd
                    .per_million_requests
                    .map_or("no requests".to_string(), |v| format!("${v:.4} per million requests")),
                100.0 * c.headroom.cpu_min,
                100.0 * c.headroom.cpu_at_peak,
                c.spot.interruptions
            ));
        } else if let Some(cost) = &p.cost_usd {
            // No cluster: the bill of the VM services' instances.
            text.push_str(&format!(
                "\n{}: instances cost ${:.2} ({})",
                p.name,
                cost.total,
                cost.per_million_requests
                    .map_or("no requests".to_string(), |v| format!(
                        "${v:.4} per million requests"
                    )),
            ));
        }
    }
    for p in &summary.profiles {
        text.push_str(&super::table_slo::slo_lines(p));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{LatencyCi, ProfileSummary, ServiceSummary};

    fn summary() -> Summary {
        let latency = LatencySummary {
            mean: Some(114.317),
            p50: Some(85.59),
            p90: Some(249.17),
            p95: Some(318.5),
            p99: Some(479.72),
            p999: Some(709.89),
            max: Some(1664.73),
        };
        let requests = Outcomes {
            offered: 10,
            completed: 7,
            rejected: 1,
            timed_out: 1,
            failed: 0,
            in_flight: 1,
        };
        let service = |name: &str| ServiceSummary {
            name: name.into(),
            requests,
            latency_ms: latency,
            replicas: ReplicaSummary {
                min: 2,
                max: 5,
                mean: 3.25,
            },
            scaling_events: 4.0,
            headroom_to_max_replicas: Some(5),
            slo: None,
            headroom: None,
        };
        Summary {
            scenario: "demo".into(),
            seed: 1,
            replications: 4,
            duration_s: 7200.0,
            warmup_s: 600.0,
            profiles: vec![ProfileSummary {
                name: "default".into(),
                vs_first: None,
                requests,
                latency_ms: latency,
                latency_ci95_ms: Some(LatencyCi {
                    mean: 0.6255,
                    p99: 1.1981,
                }),
                services: vec![service("api"), service("auth")],
                cluster: None,
                cost_usd: None,
                slo: None,
            }],
        }
    }

    #[test]
    fn markdown_table_has_profile_and_service_rows() {
        let text = summary_table(&summary(), true);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "demo — 4 replication(s), seed 1, 6600 s simulated after 600 s warmup (± = 95 % CI across replications)"
        );
        assert!(
            lines[1].starts_with("| profile / service | offered | completed |"),
            "{}",
            lines[1]
        );
        let default_row: Vec<&str> = lines[3].split('|').map(str::trim).collect();
        assert_eq!(
            default_row[1..15],
            [
                "default",
                "10",
                "7",
                "1",
                "1",
                "0",
                "1",
                "114 ±0.63",
                "85.6",
                "249",
                "480 ±1.20",
                "710",
                "1665",
                ""
            ]
        );
        assert!(lines[4].starts_with("|   api "), "{}", lines[4]);
        assert!(
            lines[4].trim_end().ends_with("| 2–5 (3.2) |"),
            "{}",
            lines[4]
        );
        assert!(lines[5].starts_with("|   auth "), "{}", lines[5]);
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn empty_latency_shows_a_dash() {
        assert_eq!(ms(None), "–");
        assert_eq!(ms(Some(0.1234)), "0.12");
        assert_eq!(ms(Some(12.34)), "12.3");
    }
}
