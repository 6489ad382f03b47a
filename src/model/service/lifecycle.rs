//! A replica's life: creation → containers running → app started → Ready,
//! and deletion → draining → gone.
//!
//! The kubelet starts a pod's readiness prober when it admits the pod and
//! probes every `periodSeconds` from then on; a probe counts only once the
//! container has run for `initialDelaySeconds` (kubelet `prober/worker.go`,
//! `doProbe`), and succeeds once the app has started. So Ready falls on the
//! first probe tick (creation + k·period) that is both past the initial
//! delay and past the app's start — the quantisation a real cluster shows.
//! Without a probe, a pod is Ready as soon as its app has started.

use crate::engine::rng::SimRng;
use crate::model::service::dist::Sampler;
use crate::spec::{LifecycleSpec, WarmupSpec};
use crate::units::Nanos;

/// Where a replica is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Created, waiting for a node (Pending, unschedulable so far).
    Unscheduled,
    /// Created, not Ready yet.
    Starting,
    /// Ready: in the endpoints.
    Ready,
    /// Deleted: out of the endpoints, draining its requests.
    Terminating,
    /// No longer exists.
    Gone,
}

/// Samplers for the start-up phases of one service's replicas.
#[derive(Debug, Clone)]
pub struct Startup {
    boot: Option<Sampler>,
    image_pull: Option<Sampler>,
    container_start: Option<Sampler>,
    app_start: Option<Sampler>,
    probe: Option<(Nanos, Nanos)>,
    warmup: Option<WarmupSpec>,
    /// Longest drain after deletion.
    pub termination_grace_ns: Nanos,
}

/// When a new replica's containers run and when it turns Ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartTimes {
    /// Containers running (phase Running).
    pub running_ns: Nanos,
    /// First successful readiness probe.
    pub ready_ns: Nanos,
}

impl Startup {
    /// The start-up model of `spec`.
    pub fn new(spec: &LifecycleSpec) -> Self {
        Startup {
            boot: spec.boot.as_ref().map(Sampler::new),
            image_pull: spec.image_pull.as_ref().map(Sampler::new),
            container_start: spec.container_start.as_ref().map(Sampler::new),
            app_start: spec.app_start.as_ref().map(Sampler::new),
            probe: spec.readiness.map(|p| (p.initial_delay_ns, p.period_ns)),
            warmup: spec.warmup,
            termination_grace_ns: spec.termination_grace_ns,
        }
    }

    /// Draws the start-up of a replica created at `created_ns` (no node: every phase runs).
    pub fn times(&self, created_ns: Nanos, rng: &mut SimRng) -> StartTimes {
        self.times_with_pull(created_ns, rng, |start, pull_ns| {
            start.saturating_add(pull_ns)
        })
    }

    /// Draws the start-up of a replica bound to a node at `created_ns`;
    /// `pulled(start, pull_ns)` says when the image is there if the pull
    /// starts at `start` and would take `pull_ns` (a node's image cache
    /// shortens it to nothing, or to the end of a pull already under way).
    pub fn times_with_pull(
        &self,
        created_ns: Nanos,
        rng: &mut SimRng,
        pulled: impl FnOnce(Nanos, Nanos) -> Nanos,
    ) -> StartTimes {
        let draw = |s: &Option<Sampler>, rng: &mut SimRng| s.as_ref().map_or(0, |s| s.sample(rng));
        let booted = created_ns.saturating_add(draw(&self.boot, rng));
        let pull_ns = draw(&self.image_pull, rng);
        let image_ns = pulled(booted, pull_ns);
        let running_ns = image_ns.saturating_add(draw(&self.container_start, rng));
        let app_ns = running_ns.saturating_add(draw(&self.app_start, rng));
        let ready_ns = match self.probe {
            None => app_ns,
            Some((delay_ns, period_ns)) => first_probe_tick(
                created_ns,
                period_ns,
                app_ns.max(running_ns.saturating_add(delay_ns)),
            ),
        };
        StartTimes {
            running_ns,
            ready_ns,
        }
    }

    /// CPU work multiplier of a replica Ready since `ready_ns`, at `now`.
    #[inline]
    pub fn slowdown(&self, ready_ns: Nanos, now: Nanos) -> f64 {
        match self.warmup {
            Some(w) if now < ready_ns.saturating_add(w.duration_ns) => {
                let left = 1.0 - (now - ready_ns) as f64 / w.duration_ns as f64;
                1.0 + (w.slowdown - 1.0) * left
            }
            _ => 1.0,
        }
    }

    /// How long a new replica's warm-up lasts, if it has one.
    pub fn warmup_ns(&self) -> Option<Nanos> {
        self.warmup.map(|w| w.duration_ns)
    }

    /// Whether any replica can be slowed down at all.
    #[inline]
    pub fn has_warmup(&self) -> bool {
        self.warmup.is_some()
    }
}

/// The first tick `origin + k·period` (k ≥ 0) at or after `not_before`.
pub fn first_probe_tick(origin: Nanos, period: Nanos, not_before: Nanos) -> Nanos {
    if not_before <= origin {
        return origin;
    }
    origin + (not_before - origin).div_ceil(period) * period
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{ProbeSpec, WorkDist};
    use crate::units::NANOS_PER_SEC as S;
    use rand::SeedableRng;

    fn spec(phases: &[f64], app: f64, probe: Option<(u64, u64)>) -> LifecycleSpec {
        let phase = |i: usize| phases.get(i).map(|&secs| WorkDist::Constant { secs });
        LifecycleSpec {
            image_pull: phase(0),
            container_start: phase(1),
            app_start: Some(WorkDist::Constant { secs: app }),
            readiness: probe.map(|(d, p)| ProbeSpec {
                initial_delay_ns: d * S,
                period_ns: p * S,
            }),
            ..LifecycleSpec::default()
        }
    }

    #[test]
    fn ready_on_the_first_probe_tick_after_the_app_started() {
        let mut rng = SimRng::seed_from_u64(1);
        // Pull 20 s + start 2 s → running at 22 s; app up at 37 s; probes every
        // 10 s from creation (100 s): 100, 110, …, 140 is the first ≥ 137.
        let s = Startup::new(&spec(&[20.0, 2.0], 15.0, Some((0, 10))));
        let t = s.times(100 * S, &mut rng);
        assert_eq!(t.running_ns, 122 * S);
        assert_eq!(t.ready_ns, 140 * S);
    }

    #[test]
    fn the_initial_delay_counts_from_the_container_start() {
        let mut rng = SimRng::seed_from_u64(1);
        // Running at 5 s, app up at 6 s, but probes count from 5 + 30 = 35 s:
        // ticks every 10 s from 0 → Ready at 40 s.
        let s = Startup::new(&spec(&[5.0], 1.0, Some((30, 10))));
        assert_eq!(s.times(0, &mut rng).ready_ns, 40 * S);
    }

    #[test]
    fn without_a_probe_ready_when_the_app_is_up() {
        let mut rng = SimRng::seed_from_u64(1);
        let s = Startup::new(&spec(&[3.0], 4.0, None));
        assert_eq!(s.times(S, &mut rng).ready_ns, 8 * S);
    }

    #[test]
    fn a_cached_image_skips_the_pull() {
        let mut rng = SimRng::seed_from_u64(1);
        let s = Startup::new(&spec(&[20.0, 2.0], 0.0, None));
        // Cached: the pull ends when it starts.
        let t = s.times_with_pull(0, &mut rng, |start, _| start);
        assert_eq!(t.running_ns, 2 * S);
        // A pull under way until 7 s: wait for it.
        let t = s.times_with_pull(0, &mut rng, |_, _| 7 * S);
        assert_eq!(t.ready_ns, 9 * S);
    }

    #[test]
    fn warmup_fades_linearly() {
        let mut l = spec(&[], 0.0, None);
        l.warmup = Some(WarmupSpec {
            duration_ns: 100 * S,
            slowdown: 3.0,
        });
        let s = Startup::new(&l);
        assert_eq!(s.slowdown(10 * S, 10 * S), 3.0);
        assert_eq!(s.slowdown(10 * S, 60 * S), 2.0);
        assert_eq!(s.slowdown(10 * S, 110 * S), 1.0);
    }

    #[test]
    fn probe_ticks() {
        assert_eq!(first_probe_tick(0, 10, 0), 0);
        assert_eq!(first_probe_tick(0, 10, 10), 10);
        assert_eq!(first_probe_tick(0, 10, 11), 20);
        assert_eq!(first_probe_tick(5, 10, 3), 5);
    }
}
