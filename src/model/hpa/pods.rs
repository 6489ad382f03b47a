//! Pod classification for Resource and Pods metrics (`groupPods`, hpa.md 1.5).
//!
//! Deleted and terminal pods are ignored; Pending pods are unready; pods
//! without a sample are missing; for the cpu resource only, pods that are not
//! Ready, have no start time, or are still initializing with a sample older
//! than one window after their Ready transition are unready too.

use crate::model::hpa::{Observation, PodPhase, PodSample};
use crate::spec::hpa::{ControllerConfig, Resource};
use crate::units::SignedNanos;
use std::collections::BTreeMap;

/// Where `groupPods` puts a pod (docs/reference/hpa.md 1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    /// Deleted or terminal: dropped entirely.
    Ignored,
    /// Pending, or (cpu only) not ready / still initializing.
    Unready,
    /// No sample.
    Missing,
    /// Counted.
    Ready,
}

/// Pods, their samples for one metric, and their groups.
pub(super) struct PodCtx<'a> {
    /// The pods.
    pub pods: &'a [PodSample],
    /// Each pod's sample of the metric.
    pub samples: Vec<Option<i64>>,
    /// Each pod's group.
    pub groups: Vec<Group>,
}

impl<'a> PodCtx<'a> {
    /// For a Resource metric: the pods' samples of `resource`; CPU readiness rules for cpu.
    pub fn resource(
        resource: Resource,
        obs: &'a Observation,
        cfg: &ControllerConfig,
        now: SignedNanos,
    ) -> Result<Self, String> {
        let samples = obs
            .pods
            .iter()
            .map(|p| match resource {
                Resource::Cpu => p.cpu_usage_milli,
                Resource::Memory => p.memory_usage_milli,
            })
            .collect();
        let cpu = resource == Resource::Cpu;
        PodCtx::new(&obs.pods, samples, cpu, cfg, now, resource.as_str())
    }

    /// Groups the pods; errors when there are no samples or no pods.
    pub fn new(
        pods: &'a [PodSample],
        samples: Vec<Option<i64>>,
        cpu_rules: bool,
        cfg: &ControllerConfig,
        now: SignedNanos,
        name: &str,
    ) -> Result<Self, String> {
        if samples.iter().all(Option::is_none) {
            return Err(format!("unable to get metric {name}: no metrics returned"));
        }
        let groups = pods
            .iter()
            .zip(&samples)
            .map(|(p, s)| group(p, *s, cpu_rules, cfg, now))
            .collect();
        Ok(PodCtx {
            pods,
            samples,
            groups,
        })
    }

    /// Indices of pods in `g`.
    pub fn in_group(&self, g: Group) -> Vec<usize> {
        (0..self.groups.len())
            .filter(|&i| self.groups[i] == g)
            .collect()
    }

    /// The samples of ready pods, by pod index; an error if there are none.
    pub fn ready_samples(&self) -> Result<BTreeMap<usize, i64>, String> {
        let values: BTreeMap<usize, i64> = self
            .in_group(Group::Ready)
            .into_iter()
            .filter_map(|i| self.samples[i].map(|v| (i, v)))
            .collect();
        if values.is_empty() {
            Err("did not receive metrics for targeted pods (pods might be unready)".into())
        } else {
            Ok(values)
        }
    }
}

/// `groupPods` for one pod (docs/reference/hpa.md 1.5).
pub(super) fn group(
    p: &PodSample,
    sample: Option<i64>,
    cpu_rules: bool,
    cfg: &ControllerConfig,
    now: SignedNanos,
) -> Group {
    if p.deleted || matches!(p.phase, PodPhase::Failed | PodPhase::Succeeded) {
        return Group::Ignored;
    }
    if p.phase == PodPhase::Pending {
        return Group::Unready;
    }
    if sample.is_none() {
        return Group::Missing;
    }
    if cpu_rules {
        let unready = match (p.ready, p.start) {
            (None, _) | (_, None) => true,
            (Some(ready), Some(start)) => {
                let transition = p.ready_transition.unwrap_or(SignedNanos::MIN);
                if start.saturating_add(cfg.cpu_initialization_period_ns) > now {
                    !ready || p.sample_time < transition.saturating_add(p.sample_window_ns)
                } else {
                    !ready && start.saturating_add(cfg.initial_readiness_delay_ns) > transition
                }
            }
        };
        if unready {
            return Group::Unready;
        }
    }
    Group::Ready
}
