//! Replica counts over time and the log of scaling decisions.

use crate::units::Nanos;

/// Time-weighted statistics of a service's replica count (pods that exist
/// and are not terminating), over the measured part of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaStats {
    warmup_ns: Nanos,
    last_ns: Nanos,
    count: u32,
    replica_s: f64,
    measured_s: f64,
    /// Fewest replicas after the warmup.
    pub min: u32,
    /// Most replicas after the warmup.
    pub max: u32,
}

impl ReplicaStats {
    /// Statistics that start counting at `warmup_ns`.
    pub fn new(warmup_ns: Nanos) -> Self {
        ReplicaStats {
            warmup_ns,
            last_ns: 0,
            count: 0,
            replica_s: 0.0,
            measured_s: 0.0,
            min: u32::MAX,
            max: 0,
        }
    }

    /// Accounts for the count held since the last change; a count counts
    /// toward min and max only if it held for some time after the warmup (so
    /// the steps of several changes at one instant do not).
    fn advance(&mut self, now: Nanos) {
        let from = self.last_ns.max(self.warmup_ns);
        if now > from {
            let dt = (now - from) as f64 * 1e-9;
            self.replica_s += self.count as f64 * dt;
            self.measured_s += dt;
            self.min = self.min.min(self.count);
            self.max = self.max.max(self.count);
        }
        self.last_ns = now;
    }

    /// The count becomes `count` at `now`.
    pub fn set(&mut self, now: Nanos, count: u32) {
        self.advance(now);
        self.count = count;
    }

    /// The run ends at `now`; the count at the end counts too.
    pub fn close(&mut self, now: Nanos) {
        self.advance(now);
        if now >= self.warmup_ns {
            self.min = self.min.min(self.count);
            self.max = self.max.max(self.count);
        }
    }

    /// Time-weighted mean after the warmup.
    pub fn mean(&self) -> f64 {
        if self.measured_s > 0.0 {
            self.replica_s / self.measured_s
        } else {
            self.count as f64
        }
    }
}

/// One scaling decision: a service's replicas or a node group's nodes changed (or a pod found no node).
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingEvent {
    /// When.
    pub at_ns: Nanos,
    /// What changed: a service's name, or a node group's.
    pub target: String,
    /// Which controller decided (`hpa`, `asg` for services; `scheduler`; `cluster-autoscaler` for node groups).
    pub source: &'static str,
    /// Replicas before.
    pub from: u32,
    /// Replicas after.
    pub to: u32,
    /// The rule that set the value (e.g. `ScaleUpLimit`, a policy name).
    pub reason: String,
    /// The metric values behind the decision, as `name=value` pairs.
    pub metrics: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    const S: Nanos = 1_000_000_000;

    #[test]
    fn steps_at_one_instant_do_not_count() {
        let mut r = ReplicaStats::new(0);
        for n in 1..=3 {
            r.set(0, n);
        }
        r.set(10 * S, 2);
        r.set(10 * S, 1);
        r.close(20 * S);
        assert_eq!((r.min, r.max), (1, 3));
        assert!((r.mean() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn time_weighted_after_the_warmup() {
        let mut r = ReplicaStats::new(10 * S);
        r.set(0, 2);
        r.set(5 * S, 8); // before the warmup: not counted in min/max
        r.set(20 * S, 4);
        r.close(30 * S);
        // 10..20 s at 8, 20..30 s at 4.
        assert!((r.mean() - 6.0).abs() < 1e-12);
        assert_eq!((r.min, r.max), (4, 8));
    }
}
