//! The metrics pipeline: periodic samples of counters and gauges, read back
//! as rates over a window, as an autoscaler sees them some time later.
//!
//! Every `snapshot_ns` each replica (and each service) records its
//! cumulative CPU core-seconds and arrivals and its requests in flight. A
//! stage of the pipeline ([`StageSpec`]: metrics-server for CPU and memory,
//! Prometheus + adapter for custom metrics) publishes a sample at each
//! multiple T of its scrape period, computed from the snapshots at T and
//! T − window (a rate needs two points, so a replica younger than one window
//! has no sample: the HPA sees it as "missing"), and an autoscaler reading
//! at time t sees the newest sample with T + delay ≤ t.

use crate::spec::StageSpec;
use crate::units::Nanos;
use std::collections::VecDeque;

/// Counters and gauges of one replica or service at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    /// When it was taken.
    pub at_ns: Nanos,
    /// CPU core-seconds used since creation.
    pub cpu_core_s: f64,
    /// Requests that arrived since creation.
    pub arrivals: u64,
    /// Requests running or queued.
    pub in_flight: u64,
    /// Requests waiting in a queue.
    pub queued: u64,
}

/// A published sample: rates over `window_ns` ending at `at_ns`, gauges at `at_ns`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// The sample's timestamp.
    pub at_ns: Nanos,
    /// Its window.
    pub window_ns: Nanos,
    /// Mean cores in use over the window.
    pub cpu_cores: f64,
    /// Arrivals per second over the window.
    pub arrival_rps: f64,
    /// Requests running or queued at `at_ns`.
    pub in_flight: u64,
    /// Requests queued at `at_ns`.
    pub queued: u64,
}

/// The snapshots of one replica or service, as far back as any stage needs.
#[derive(Debug, Clone, Default)]
pub struct History {
    snaps: VecDeque<Snapshot>,
}

impl History {
    /// Records `s` and forgets snapshots older than `keep_ns` before it.
    ///
    /// Snapshots lie on a regular grid, so the oldest one's time follows
    /// from the newest one's and the count: the front is never read (with
    /// thousands of replicas, it would be one more cache miss each).
    pub fn push(&mut self, s: Snapshot, keep_ns: Nanos) {
        let n = self.snaps.len();
        if let Some(last) = self.snaps.back() {
            let step = s.at_ns - last.at_ns;
            let oldest_ns = last.at_ns - (n as u64 - 1) * step;
            // Keep those with at_ns + keep_ns ≥ s.at_ns.
            let stale = s.at_ns.saturating_sub(keep_ns).saturating_sub(oldest_ns);
            let drop = if step == 0 { 0 } else { stale.div_ceil(step) };
            self.snaps.drain(..(drop as usize).min(n));
        }
        self.snaps.push_back(s);
    }

    fn at(&self, t: Nanos) -> Option<&Snapshot> {
        // Snapshots are taken on a regular grid with no gaps once a replica
        // exists, so the one at `t` is found by its distance from the newest.
        let last = self.snaps.back()?;
        if t > last.at_ns {
            return None;
        }
        let n = self.snaps.len();
        if n == 1 {
            return Some(last).filter(|s| s.at_ns == t);
        }
        let step = (last.at_ns - self.snaps[n - 2].at_ns).max(1);
        let back = usize::try_from((last.at_ns - t) / step).ok()?;
        let s = self.snaps.get(n.checked_sub(1 + back)?)?;
        Some(s).filter(|s| s.at_ns == t)
    }

    /// The sample `stage` shows at `now`, if the replica existed for its whole window.
    pub fn sample(&self, stage: &StageSpec, now: Nanos) -> Option<Sample> {
        let at_ns = published_at(stage, now)?;
        let end = self.at(at_ns)?;
        let start = self.at(at_ns.checked_sub(stage.window_ns)?)?;
        let w_s = stage.window_ns as f64 * 1e-9;
        Some(Sample {
            at_ns,
            window_ns: stage.window_ns,
            cpu_cores: (end.cpu_core_s - start.cpu_core_s) / w_s,
            arrival_rps: (end.arrivals - start.arrivals) as f64 / w_s,
            in_flight: end.in_flight,
            queued: end.queued,
        })
    }
}

impl History {
    /// Rates over [from, to] (or from the first snapshot after `from`, for a
    /// replica younger than that); `None` without two snapshots in the span.
    pub fn span(&self, from: Nanos, to: Nanos) -> Option<Sample> {
        let end = self.at(to)?;
        let start = self.snaps.iter().find(|s| s.at_ns >= from)?;
        if start.at_ns >= end.at_ns {
            return None;
        }
        let w_s = (end.at_ns - start.at_ns) as f64 * 1e-9;
        Some(Sample {
            at_ns: to,
            window_ns: end.at_ns - start.at_ns,
            cpu_cores: (end.cpu_core_s - start.cpu_core_s) / w_s,
            arrival_rps: (end.arrivals - start.arrivals) as f64 / w_s,
            in_flight: end.in_flight,
            queued: end.queued,
        })
    }
}

/// The timestamp of the newest sample of `stage` visible at `now`.
pub fn published_at(stage: &StageSpec, now: Nanos) -> Option<Nanos> {
    let visible = now.checked_sub(stage.delay_ns)?;
    Some(visible / stage.scrape_ns * stage.scrape_ns)
}

/// Greatest common divisor (for the snapshot period of several stages).
pub fn gcd(a: Nanos, b: Nanos) -> Nanos {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::NANOS_PER_SEC as S;

    fn snap(t: u64, cpu: f64, arrivals: u64) -> Snapshot {
        Snapshot {
            at_ns: t * S,
            cpu_core_s: cpu,
            arrivals,
            in_flight: t,
            queued: 0,
        }
    }

    #[test]
    fn rates_over_the_window_with_delay() {
        let stage = StageSpec {
            scrape_ns: 15 * S,
            window_ns: 30 * S,
            delay_ns: 10 * S,
        };
        let mut h = History::default();
        for k in 0..=6 {
            h.push(snap(15 * k, 0.5 * (15 * k) as f64, 20 * 15 * k), 90 * S);
        }
        // At 70 s the newest visible sample is T = 60 s (60 + 10 ≤ 70), over 30..60 s.
        let s = h.sample(&stage, 70 * S).unwrap();
        assert_eq!(s.at_ns, 60 * S);
        assert!((s.cpu_cores - 0.5).abs() < 1e-12);
        assert!((s.arrival_rps - 20.0).abs() < 1e-12);
        assert_eq!(s.in_flight, 60);
        // At 69 s only T = 45 s is visible.
        assert_eq!(h.sample(&stage, 69 * S).unwrap().at_ns, 45 * S);
    }

    #[test]
    fn a_replica_younger_than_the_window_has_no_sample() {
        let stage = StageSpec {
            scrape_ns: 15 * S,
            window_ns: 30 * S,
            delay_ns: 0,
        };
        let mut h = History::default();
        h.push(snap(45, 0.0, 0), 60 * S);
        h.push(snap(60, 1.0, 1), 60 * S);
        assert_eq!(h.sample(&stage, 60 * S), None);
        h.push(snap(75, 2.0, 2), 60 * S);
        assert!(h.sample(&stage, 75 * S).is_some());
    }

    #[test]
    fn old_snapshots_are_dropped() {
        let mut h = History::default();
        for k in 0..100 {
            h.push(snap(15 * k, 0.0, 0), 60 * S);
        }
        // Kept: those no more than 60 s older than the newest (1485 s).
        let kept: Vec<u64> = h.snaps.iter().map(|s| s.at_ns / S).collect();
        assert_eq!(kept, vec![1425, 1440, 1455, 1470, 1485]);
        // A keep that is not a whole number of steps: 50 s keeps 1455–1500.
        h.push(snap(1500, 0.0, 0), 50 * S);
        let kept: Vec<u64> = h.snaps.iter().map(|s| s.at_ns / S).collect();
        assert_eq!(kept, vec![1455, 1470, 1485, 1500]);
    }
}
