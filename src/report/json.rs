//! `summary.json`: the stable, machine-readable summary.
//!
//! Schema (fields are added over time, never renamed): `scenario`, `seed`,
//! `replications`, `duration_s`, `warmup_s`, and `profiles`, a list of
//! `{name, requests: {offered, completed, rejected, timed_out, in_flight},
//! latency_ms: {mean, p50, p90, p95, p99, p999, max}, latency_ci95_ms:
//! {mean, p99} | null, services: [{name, requests, latency_ms}]}`.
//!
//! With an `slo:` (docs/headroom.md), a profile gains `slo:
//! {within_latency_target, availability, minutes_in_breach}` and each
//! service with an SLO `slo: {latency_quantile, latency_target_ms,
//! availability_target, within_latency_target, availability,
//! minutes_in_breach}` and `headroom: {service: {min, at_peak,
//! capacity_rps_at_peak, capacity_rps_per_pod}}`; without one these keys
//! are absent.

use crate::analysis::Summary;

/// The summary as pretty-printed JSON with a trailing newline.
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(summary).expect("summary serializes");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
