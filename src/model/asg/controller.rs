//! The group's controller: feeds the alarms each tick, runs invoked policies, picks one capacity.
//!
//! Rules implemented, each from the EC2 Auto Scaling user guide unless noted:
//!
//! - **Simple scaling** waits: "After a simple scaling policy is invoked … it
//!   waits for the scaling activity or health check replacement to complete
//!   and the cooldown period to end before responding to additional alarms"
//!   (the cooldown starts when the activity completes: for a scale-out, when
//!   the last launched instance reaches InService). The cooldown is the
//!   policy's own or the group's `DefaultCooldown`; it gates simple policies
//!   only.
//! - **Step and target tracking** keep responding while instances launch, but
//!   instances in their warm-up are not part of the current capacity when
//!   scaling out, so repeated invocations within one step make one activity
//!   and a larger step adds only the difference; scale-in waits until no
//!   instance is warming up ("dynamic scaling becomes conservative … This
//!   blocks the scale-in activities for dynamic scaling until the instances
//!   finish warming up", "Set the default instance warmup").
//! - **Target tracking** scales out proportionally, to
//!   `ceil(capacity × metric / target)`, on its high alarm (metric > target,
//!   3 of 3 one-minute periods) and in with the same formula on its low alarm
//!   (metric < 90 % of target, 15 of 15); with several target tracking
//!   policies it scales in only when all of them (that may scale in) are in
//!   their low alarm ("Target tracking scaling policies", multiple policies).
//! - **Several policies at once**: "Amazon EC2 Auto Scaling chooses the policy
//!   that provides the largest capacity for both scale out and scale in"
//!   ("Multiple dynamic scaling policies"); any scale-out beats any scale-in.
//! - Results are clamped to `[min, max]`.
//!
//! Simplifications: scale-in activities are taken to complete at once
//! (termination and connection draining are not waited for); the cooldown is
//! started by simple-policy activities only; target tracking scale-in uses
//! the proportional formula, not AWS's unpublished more gradual one.

use super::adjust::{apply, clamp, select_step};
use super::alarm::{Alarm, AlarmState};
use crate::spec::asg::*;
use crate::units::{NANOS_PER_SEC, Nanos};

/// What one InService instance did over the tick that just ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceSample {
    /// When the instance reached InService (launch plus boot); `0` for an
    /// instance that was already InService when the run started, which counts
    /// as warmed up from the start.
    pub in_service_since_ns: Nanos,
    /// Its average CPU busy share over the tick, in percent of all its vCPUs (0–100).
    pub cpu_utilization_percent: f64,
    /// Requests the load balancer sent it during the tick.
    pub request_count: f64,
}

/// The group as the simulation sees it at the end of a tick.
#[derive(Debug, Clone, Copy)]
pub struct GroupObservation<'a> {
    /// Current desired capacity.
    pub desired: u32,
    /// Instances launched but not yet InService.
    pub pending: u32,
    /// One sample per InService instance.
    pub instances: &'a [InstanceSample],
}

/// A change of desired capacity and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The new desired capacity, within `[min, max]`.
    pub desired: u32,
    /// Policy, alarm, value and adjustment, for the event log.
    pub reason: String,
}

/// A policy and the alarms that invoke it (target tracking: high, then low).
#[derive(Debug, Clone)]
struct Policy {
    spec: PolicySpec,
    alarms: Vec<Alarm>,
}

/// A simple-scaling activity that has not completed yet.
#[derive(Debug, Clone, Copy)]
struct Activity {
    started_ns: Nanos,
    cooldown_ns: Nanos,
}

/// One candidate capacity from an invoked policy.
struct Candidate {
    desired: u32,
    reason: String,
    simple_cooldown_ns: Option<Nanos>,
    target_tracking_in: bool,
}

/// An Auto Scaling group's dynamic scaling, evaluated once per tick.
#[derive(Debug, Clone)]
pub struct AsgController {
    spec: AsgSpec,
    policies: Vec<Policy>,
    tick_ns: Nanos,
    activity: Option<Activity>,
    cooldown_until_ns: Nanos,
}

impl InstanceSample {
    /// Whether the instance is still within `warmup_ns` of reaching InService at `now_ns`.
    fn warming(&self, now_ns: Nanos, warmup_ns: Nanos) -> bool {
        self.in_service_since_ns != 0 && now_ns.saturating_sub(self.in_service_since_ns) < warmup_ns
    }
}

/// Greatest common divisor.
fn gcd(a: Nanos, b: Nanos) -> Nanos {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl AsgController {
    /// A controller for `spec` (already validated), with every alarm in INSUFFICIENT_DATA.
    pub fn new(spec: &AsgSpec) -> Self {
        let minute = 60 * NANOS_PER_SEC;
        let policies: Vec<Policy> = spec
            .policies
            .iter()
            .map(|p| Policy {
                alarms: match &p.kind {
                    PolicyKind::Simple { alarm, .. } | PolicyKind::Step { alarm, .. } => {
                        vec![Alarm::new(alarm.clone())]
                    }
                    PolicyKind::TargetTracking { metric, target, .. } => {
                        let alarm = |comparison, threshold, n| {
                            Alarm::new(AlarmSpec {
                                metric: *metric,
                                statistic: metric.default_statistic(),
                                period_ns: TARGET_TRACKING_PERIOD_NS,
                                evaluation_periods: n,
                                datapoints_to_alarm: n,
                                comparison,
                                threshold,
                            })
                        };
                        vec![
                            alarm(
                                Comparison::Greater,
                                *target,
                                TARGET_TRACKING_HIGH_DATAPOINTS,
                            ),
                            alarm(
                                Comparison::Less,
                                target * TARGET_TRACKING_LOW_FRACTION,
                                TARGET_TRACKING_LOW_DATAPOINTS,
                            ),
                        ]
                    }
                },
                spec: p.clone(),
            })
            .collect();
        let tick_ns = policies
            .iter()
            .flat_map(|p| &p.alarms)
            .fold(minute, |g, a| gcd(g, a.spec().period_ns));
        AsgController {
            spec: spec.clone(),
            policies,
            tick_ns,
            activity: None,
            cooldown_until_ns: 0,
        }
    }

    /// How often [`Self::evaluate`] must be called: every multiple of this from time 0.
    ///
    /// The gcd of one minute (the re-invocation cadence and target tracking's
    /// period) and every alarm period: 60 s unless an alarm uses a
    /// high-resolution 10, 20 or 30 s period.
    pub fn evaluation_period_ns(&self) -> Nanos {
        self.tick_ns
    }

    /// The state of each policy's alarms, in policy order (target tracking: high, low).
    pub fn alarm_states(&self) -> Vec<Vec<AlarmState>> {
        self.policies
            .iter()
            .map(|p| p.alarms.iter().map(Alarm::state).collect())
            .collect()
    }

    /// One tick at `now_ns` (a multiple of [`Self::evaluation_period_ns`]):
    /// `group.instances` covers the tick `(now − tick, now]`. Returns the new
    /// desired capacity, if it changes.
    pub fn evaluate(&mut self, now_ns: Nanos, group: &GroupObservation) -> Option<Action> {
        self.feed_alarms(now_ns, group.instances);
        self.track_activity(group);
        let invoked: Vec<(usize, usize)> = self
            .policies
            .iter_mut()
            .enumerate()
            .flat_map(|(i, p)| {
                p.alarms
                    .iter_mut()
                    .enumerate()
                    .filter_map(|(which, a)| a.tick(now_ns).then_some((i, which)))
                    .collect::<Vec<_>>()
            })
            .collect();
        let tt_ready_in = self.target_tracking_ready_to_scale_in();
        let candidates: Vec<Candidate> = invoked
            .into_iter()
            .filter_map(|(i, which)| self.run_policy(i, which, now_ns, group))
            .collect();
        let desired = group.desired;
        let chosen = candidates
            .iter()
            .filter(|c| c.desired > desired)
            .max_by_key(|c| c.desired)
            .or_else(|| {
                candidates
                    .iter()
                    .filter(|c| c.desired < desired && (tt_ready_in || !c.target_tracking_in))
                    .max_by_key(|c| c.desired)
            })?;
        if let Some(cooldown_ns) = chosen.simple_cooldown_ns {
            if chosen.desired > desired {
                self.activity = Some(Activity {
                    started_ns: now_ns,
                    cooldown_ns,
                });
            } else {
                self.cooldown_until_ns = now_ns + cooldown_ns;
            }
        }
        Some(Action {
            desired: chosen.desired,
            reason: chosen.reason.clone(),
        })
    }

    /// Adds this tick's datapoints to every alarm.
    fn feed_alarms(&mut self, now_ns: Nanos, instances: &[InstanceSample]) {
        let warmup = self.spec.metric_warmup_ns();
        let counted = || instances.iter().filter(move |s| !s.warming(now_ns, warmup));
        let cpu: Vec<f64> = counted().map(|s| s.cpu_utilization_percent).collect();
        let requests: Vec<f64> = if instances.is_empty() {
            Vec::new()
        } else {
            let total: f64 = instances.iter().map(|s| s.request_count).sum();
            vec![total / instances.len() as f64]
        };
        for alarm in self.policies.iter_mut().flat_map(|p| &mut p.alarms) {
            alarm.record(match alarm.spec().metric {
                Metric::CpuUtilization => &cpu,
                Metric::RequestCountPerTarget => &requests,
            });
        }
    }

    /// Ends a simple-scaling scale-out once nothing is pending; its cooldown starts then.
    fn track_activity(&mut self, group: &GroupObservation) {
        let Some(a) = self.activity else { return };
        if group.pending > 0 {
            return;
        }
        let done_ns = group
            .instances
            .iter()
            .map(|s| s.in_service_since_ns)
            .filter(|&t| t >= a.started_ns)
            .max()
            .unwrap_or(a.started_ns);
        self.cooldown_until_ns = done_ns + a.cooldown_ns;
        self.activity = None;
    }

    /// Whether every target tracking policy that may scale in is in its low alarm.
    fn target_tracking_ready_to_scale_in(&self) -> bool {
        self.policies.iter().all(|p| match p.spec.kind {
            PolicyKind::TargetTracking {
                disable_scale_in: false,
                ..
            } => p.alarms[1].state() == AlarmState::Alarm,
            _ => true,
        })
    }

    /// Instances that count as warming up for a policy with warm-up `warmup_ns`.
    fn warming(now_ns: Nanos, group: &GroupObservation, warmup_ns: Nanos) -> u32 {
        let young = group
            .instances
            .iter()
            .filter(|s| s.warming(now_ns, warmup_ns))
            .count() as u32;
        group.pending + young
    }

    /// Runs policy `i`, invoked by its alarm number `which`.
    fn run_policy(
        &self,
        i: usize,
        which: usize,
        now_ns: Nanos,
        group: &GroupObservation,
    ) -> Option<Candidate> {
        let policy = &self.policies[i];
        let alarm = &policy.alarms[which];
        let value = alarm.latest()?;
        let desired = group.desired;
        let (min, max) = (self.spec.min, self.spec.max);
        let name = &policy.spec.name;
        match &policy.spec.kind {
            PolicyKind::Simple {
                adjustment,
                min_adjustment_magnitude,
                cooldown_ns,
                ..
            } => {
                if self.activity.is_some() || now_ns < self.cooldown_until_ns {
                    return None;
                }
                let to = clamp(
                    apply(desired, *adjustment, *min_adjustment_magnitude),
                    min,
                    max,
                );
                Some(Candidate {
                    desired: to,
                    reason: format!(
                        "policy {name} (simple): alarm {} at {value:.2}; {} → {to}",
                        alarm.describe(),
                        describe(adjustment.kind, adjustment.value)
                    ),
                    simple_cooldown_ns: Some(cooldown_ns.unwrap_or(self.spec.default_cooldown_ns)),
                    target_tracking_in: false,
                })
            }
            PolicyKind::Step {
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                instance_warmup_ns,
                ..
            } => {
                let a = alarm.spec();
                let step = select_step(steps, value - a.threshold, a.comparison.is_upper())?;
                let adjustment = Adjustment {
                    kind: *adjustment_type,
                    value: step.adjustment,
                };
                let warming = Self::warming(
                    now_ns,
                    group,
                    self.spec.policy_warmup_ns(*instance_warmup_ns),
                );
                let to = self.warm_aware(desired, warming, |base| {
                    apply(base, adjustment, *min_adjustment_magnitude)
                })?;
                Some(Candidate {
                    desired: to,
                    reason: format!(
                        "policy {name} (step): alarm {} at {value:.2}; step {} → {to}",
                        alarm.describe(),
                        describe(adjustment.kind, adjustment.value)
                    ),
                    simple_cooldown_ns: None,
                    target_tracking_in: false,
                })
            }
            PolicyKind::TargetTracking {
                target,
                disable_scale_in,
                instance_warmup_ns,
                ..
            } => {
                if which == 1 && *disable_scale_in {
                    return None;
                }
                let warming = Self::warming(
                    now_ns,
                    group,
                    self.spec.policy_warmup_ns(*instance_warmup_ns),
                );
                let to = self.warm_aware(desired, warming, |base| {
                    (f64::from(base) * value / target).ceil() as i64
                })?;
                Some(Candidate {
                    desired: to,
                    reason: format!(
                        "policy {name} (target tracking {} = {target}): {} alarm at {value:.2}; ceil(capacity × {value:.2} / {target}) → {to}",
                        alarm.spec().metric.name(),
                        if which == 0 { "high" } else { "low" }
                    ),
                    simple_cooldown_ns: None,
                    target_tracking_in: which == 1,
                })
            }
        }
    }

    /// Step and target tracking capacity with warm-up: `want(base)` is the
    /// requested capacity from a base capacity. Scale-out counts only
    /// instances past their warm-up and never lowers `desired`; scale-in
    /// waits while any instance is warming up.
    fn warm_aware(&self, desired: u32, warming: u32, want: impl Fn(u32) -> i64) -> Option<u32> {
        let (min, max) = (self.spec.min, self.spec.max);
        let plain = clamp(want(desired), min, max);
        if plain > desired {
            let warm = clamp(want(desired.saturating_sub(warming)), min, max);
            (warm > desired).then_some(warm)
        } else if plain < desired && warming == 0 {
            Some(plain)
        } else {
            None
        }
    }
}
