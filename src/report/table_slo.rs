//! The SLO and service-headroom lines under the summary table: one line per
//! profile with an SLO, then one per service with an SLO.

use crate::analysis::ProfileSummary;
use crate::analysis::headroom::ServiceHeadroom;
use crate::analysis::slo::SloSummary;

/// A share as a percentage to 4 decimals (a 99.9 % target needs them), or a dash.
fn percent(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:.4} %", 100.0 * x))
}

/// A headroom as a signed whole percentage, or a dash.
fn signed(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{:+.0} %", 100.0 * x),
        _ => "–".into(),
    }
}

/// The objective as written: `p99 ≤ 300 ms, availability ≥ 99.9 %`.
fn objective(s: &SloSummary) -> String {
    let mut parts = Vec::new();
    if let (Some(q), Some(t)) = (s.latency_quantile, s.latency_target_ms) {
        let label = format!("p{}", (q * 1e6).round() / 1e4);
        parts.push(format!("{label} ≤ {t} ms"));
    }
    if let Some(a) = s.availability_target {
        parts.push(format!("availability ≥ {} %", (a * 1e6).round() / 1e4));
    }
    parts.join(", ")
}

/// "min −12 %, +35 % at peak (812 rps at the SLO; 135.2 rps per pod)".
fn headroom(h: &ServiceHeadroom) -> String {
    match h.capacity_rps_per_pod {
        None => "service headroom unbounded (no CPU work or slot limit)".into(),
        Some(0.0) => "service headroom -100 %: a pod misses the SLO even idle".into(),
        Some(per_pod) => format!(
            "service headroom min {}, {} at peak ({} at the SLO; {per_pod:.1} rps per pod)",
            signed(h.min),
            signed(h.at_peak),
            h.capacity_rps_at_peak
                .map_or("–".into(), |c| format!("{c:.0} rps")),
        ),
    }
}

/// The lines for profile `p`, each starting with a newline (empty without an SLO).
pub fn slo_lines(p: &ProfileSummary) -> String {
    let mut text = String::new();
    if let Some(o) = &p.slo {
        text.push_str(&format!(
            "\n{} SLO: {} of answered requests within the latency target, availability {}, {:.1} min in breach",
            p.name,
            percent(o.within_latency_target),
            percent(o.availability),
            o.minutes_in_breach
        ));
    }
    for s in &p.services {
        let (Some(slo), Some(h)) = (&s.slo, &s.headroom) else {
            continue;
        };
        text.push_str(&format!(
            "\n  {} ({}): {} within, availability {}, {:.1} min in breach; {}",
            s.name,
            objective(slo),
            percent(slo.within_latency_target),
            percent(slo.availability),
            slo.minutes_in_breach,
            headroom(&h.service)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(percent(Some(0.999_954)), "99.9954 %");
        assert_eq!(percent(None), "–");
        assert_eq!(signed(Some(-0.123)), "-12 %");
        assert_eq!(signed(Some(0.35)), "+35 %");
        let s = SloSummary {
            latency_quantile: Some(0.999),
            latency_target_ms: Some(300.0),
            availability_target: Some(0.999),
            within_latency_target: None,
            availability: None,
            minutes_in_breach: 0.0,
        };
        assert_eq!(objective(&s), "p99.9 ≤ 300 ms, availability ≥ 99.9 %");
        let h = ServiceHeadroom {
            min: Some(-0.12),
            at_peak: Some(0.35),
            capacity_rps_at_peak: Some(812.3),
            capacity_rps_per_pod: Some(135.38),
        };
        assert_eq!(
            headroom(&h),
            "service headroom min -12 %, +35 % at peak (812 rps at the SLO; 135.4 rps per pod)"
        );
    }
}
