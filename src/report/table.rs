//! The summary as a terminal table.

use crate::analysis::{LatencySummary, Summary};
use crate::metrics::Outcomes;
use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

fn ms(v: Option<f64>) -> String {
    match v {
        Some(x) if x >= 100.0 => format!("{x:.0}"),
        Some(x) if x >= 10.0 => format!("{x:.1}"),
        Some(x) => format!("{x:.2}"),
        None => "–".into(),
    }
}

fn row(label: String, r: &Outcomes, l: &LatencySummary, ci: Option<(f64, f64)>) -> Vec<String> {
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
        r.in_flight.to_string(),
        with_ci(l.mean, ci.map(|c| c.0)),
        ms(l.p50),
        ms(l.p90),
        with_ci(l.p99, ci.map(|c| c.1)),
        ms(l.p999),
        ms(l.max),
    ]
}

/// A table with one row per profile and, when there are several services, one per service.
pub fn summary_table(summary: &Summary) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "profile / service",
        "offered",
        "completed",
        "rejected",
        "timed out",
        "in flight",
        "mean ms",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms",
    ]);
    for p in &summary.profiles {
        let ci = p.latency_ci95_ms.map(|c| (c.mean, c.p99));
        t.add_row(row(p.name.clone(), &p.requests, &p.latency_ms, ci));
        if p.services.len() > 1 {
            for s in &p.services {
                t.add_row(row(
                    format!("  {}", s.name),
                    &s.requests,
                    &s.latency_ms,
                    None,
                ));
            }
        }
    }
    for i in 1..12 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!(
        "{} — {} replication(s), seed {}, {} s simulated after {} s warmup (± = 95 % CI across replications)\n{t}",
        summary.scenario,
        summary.replications,
        summary.seed,
        summary.duration_s - summary.warmup_s,
        summary.warmup_s
    )
}
