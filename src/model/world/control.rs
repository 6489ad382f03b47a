//! The control loops: metric snapshots and autoscaler syncs on one clock.
//!
//! One `Control` event ticks on the greatest common divisor of the snapshot
//! period and the HPA sync period. At a tick, snapshots come first (so a
//! sync at the same instant sees a sample taken then, if the pipeline has
//! no delay), then every HPA syncs, in service order. An HPA sees its
//! service through [`crate::model::hpa::Observation`]: the pods that exist
//! with their phase, readiness, start and readiness-change times, CPU and
//! memory requests, and the newest samples the metrics pipeline
//! ([`crate::model::service::pipeline`]) has delivered. The loops' clock
//! and the services' autoscalers are [`crate::model::world::state::control`]'s.

use crate::engine::Scheduler;
use crate::metrics::ScalingEvent;
use crate::model::asg::{GroupObservation, InstanceSample};
use crate::model::hpa;
use crate::model::hpa::{Observation, PodPhase, PodSample};
use crate::model::service::lifecycle::Stage;
use crate::model::service::pipeline::Snapshot;
use crate::model::world::state::control::{Control, Scaler};
use crate::model::world::{Event, World};
use crate::units::{Nanos, signed_nanos};
use std::collections::BTreeMap;
use std::fmt::Write;

impl World {
    /// One tick of the control clock at `sched.now()`.
    pub(super) fn control_tick(&mut self, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let Some(c) = self.control.clone() else {
            return;
        };
        if c.metrics && now.is_multiple_of(c.snapshot_ns) {
            self.snapshot(now, c.keep_ns);
        }
        if now.is_multiple_of(c.sync_ns) {
            for s in 0..self.services.len() as u32 {
                self.sync_hpa(s, now, &c, sched);
            }
        }
        if c.ca_ns > 0 && now.is_multiple_of(c.ca_ns) {
            self.ca_loop(now, sched);
        }
        if c.karpenter_ns > 0 && now.is_multiple_of(c.karpenter_ns) {
            self.karpenter_poll(now, sched);
        }
        for (s, &period) in c.asg_ns.iter().enumerate() {
            if period > 0 && now > 0 && now.is_multiple_of(period) {
                self.evaluate_asg(s as u32, now, period, sched);
            }
        }
        if now + c.tick_ns < self.duration_ns {
            sched.at(now + c.tick_ns, Event::Control);
        }
    }

    fn snapshot(&mut self, now: Nanos, keep_ns: Nanos) {
        for svc in &mut self.services {
            let mut queued = 0;
            for &p in &svc.pods {
                let pod = &self.pods[p as usize];
                queued += u64::from(pod.queued());
                self.lives[p as usize].history.push(
                    Snapshot {
                        at_ns: now,
                        cpu_core_s: pod.usage.total(now),
                        arrivals: pod.arrivals,
                        in_flight: u64::from(pod.in_flight()),
                        queued: u64::from(pod.queued()),
                    },
                    keep_ns,
                );
            }
            svc.history.push(
                Snapshot {
                    at_ns: now,
                    cpu_core_s: svc.usage.total(now),
                    arrivals: svc.arrivals_total,
                    in_flight: svc.in_flight,
                    queued,
                },
                keep_ns,
            );
        }
    }

    /// What the HPA of service `s` sees at `now`.
    fn observe(&self, s: usize, now: Nanos, c: &Control) -> Observation {
        let out = self.faults.metrics_out(now);
        let svc = &self.services[s];
        let t = &svc.template;
        let (res, custom) = (&c.pipeline.resource, &c.pipeline.custom);
        // Per-pod custom samples only for an HPA with a Pods metric (they cost two strings a pod).
        let pods_metrics = match &svc.scaler {
            Scaler::Hpa { spec, .. } => spec
                .metrics
                .iter()
                .any(|m| matches!(m.source, crate::spec::hpa::MetricSource::Pods { .. })),
            _ => false,
        };
        let mut pods = Vec::with_capacity(svc.pods.len());
        for &p in &svc.pods {
            let life = &self.lives[p as usize];
            let ready = life.stage == Stage::Ready;
            let r = life.history.sample(res, now).filter(|_| !out);
            let m = if pods_metrics {
                life.history.sample(custom, now).filter(|_| !out)
            } else {
                None
            };
            let mut metrics = Vec::new();
            if let Some(m) = m {
                metrics.push(("http_requests_per_second".into(), milli(m.arrival_rps)));
                metrics.push(("in_flight_requests".into(), m.in_flight as i64 * 1000));
            }
            pods.push(PodSample {
                phase: if signed_nanos(now) < life.running {
                    PodPhase::Pending
                } else {
                    PodPhase::Running
                },
                deleted: life.stage == Stage::Terminating,
                ready: Some(ready),
                start: Some(life.created),
                ready_transition: Some(if ready { life.ready } else { life.created }),
                cpu_request_milli: t.cpu_request_milli,
                memory_request_milli: t.memory_request_milli,
                cpu_usage_milli: r.map(|r| milli(r.cpu_cores)),
                memory_usage_milli: r.and_then(|r| {
                    t.memory
                        .map(|m| (m.base_bytes + m.per_request_bytes * r.in_flight) as i64 * 1000)
                }),
                sample_time: r.map_or(signed_nanos(now), |r| signed_nanos(r.at_ns)),
                sample_window_ns: signed_nanos(res.window_ns),
                metrics,
            });
        }
        let mut service_metrics = BTreeMap::new();
        if let Some(m) = svc.history.sample(custom, now).filter(|_| !out) {
            service_metrics.insert("requests_per_second".into(), milli(m.arrival_rps));
            service_metrics.insert("in_flight_requests".into(), m.in_flight as i64 * 1000);
            service_metrics.insert("queue_length".into(), m.queued as i64 * 1000);
        }
        Observation {
            spec_replicas: svc.desired as i32,
            status_replicas: (svc.pods.len() as u32 - svc.terminating) as i32,
            pods,
            object_metrics: service_metrics.clone(),
            external_metrics: service_metrics,
        }
    }

    fn sync_hpa(&mut self, s: u32, now: Nanos, c: &Control, sched: &mut Scheduler<Event>) {
        if !matches!(self.services[s as usize].scaler, Scaler::Hpa { .. }) {
            return;
        }
        let obs = self.observe(s as usize, now, c);
        let from = self.services[s as usize].desired;
        let Scaler::Hpa { spec, state } = &mut self.services[s as usize].scaler else {
            return;
        };
        let d = hpa::reconcile(spec, &c.hpa, state, &obs, signed_nanos(now));
        // The ScaledToZero condition lives in the HPA's status, from sync to sync.
        spec.scaled_to_zero = d.scaled_to_zero;
        let to = d.desired.max(0) as u32;
        if to == from {
            return;
        }
        let mut metrics = String::new();
        for m in &d.metrics {
            let name = spec.metrics[m.metric].name();
            if !metrics.is_empty() {
                metrics.push(';');
            }
            match &m.error {
                // The metric could not be read this sync (e.g. no sample yet).
                Some(_) => {
                    let _ = write!(metrics, "{name}=unavailable");
                }
                None => {
                    let _ = write!(metrics, "{name}={}", round3(m.current));
                }
            }
        }
        self.events.push(ScalingEvent {
            at_ns: now,
            target: self.services[s as usize].name.clone(),
            source: "hpa",
            from,
            to,
            reason: d.reason.as_str().to_string(),
            metrics,
        });
        self.scale_to(s, to, now, sched);
    }

    /// What each InService instance of service `s` did over the `period_ns` up to `now`.
    fn instance_samples(
        &self,
        s: usize,
        now: Nanos,
        period_ns: Nanos,
    ) -> (Vec<InstanceSample>, u32) {
        let svc = &self.services[s];
        let base = svc.cpu_base_cores;
        let mut samples = Vec::with_capacity(svc.pods.len());
        let mut pending = 0;
        for &p in &svc.pods {
            let life = &self.lives[p as usize];
            match life.stage {
                Stage::Unscheduled | Stage::Starting => pending += 1,
                Stage::Ready => {
                    if let Some(w) = life.history.span(now.saturating_sub(period_ns), now) {
                        samples.push(InstanceSample {
                            in_service_since_ns: life.ready.max(0) as Nanos,
                            cpu_utilization_percent: 100.0 * w.cpu_cores / base,
                            request_count: w.arrival_rps * w.window_ns as f64 * 1e-9,
                        });
                    }
                }
                Stage::Terminating | Stage::Gone => {}
            }
        }
        (samples, pending)
    }

    fn evaluate_asg(&mut self, s: u32, now: Nanos, period_ns: Nanos, sched: &mut Scheduler<Event>) {
        let (samples, pending) = self.instance_samples(s as usize, now, period_ns);
        let svc = &mut self.services[s as usize];
        let Scaler::Asg(ctl) = &mut svc.scaler else {
            return;
        };
        let group = GroupObservation {
            desired: svc.desired,
            pending,
            instances: &samples,
        };
        let Some(action) = ctl.evaluate(now, &group) else {
            return;
        };
        let from = svc.desired;
        if action.desired == from {
            return;
        }
        let mean_cpu = samples
            .iter()
            .map(|x| x.cpu_utilization_percent)
            .sum::<f64>()
            / samples.len().max(1) as f64;
        self.events.push(ScalingEvent {
            at_ns: now,
            target: self.services[s as usize].name.clone(),
            source: "asg",
            from,
            to: action.desired,
            reason: action.reason,
            metrics: format!("cpu_utilization={}", round3(mean_cpu)),
        });
        self.scale_to(s, action.desired, now, sched);
    }
}

fn milli(x: f64) -> i64 {
    (x * 1000.0).round() as i64
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
