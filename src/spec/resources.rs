//! The cluster's vocabulary: resources, nodes and their templates, pods'
//! placement needs (node selector, tolerations). Shared by the scenario,
//! kube-scheduler, the cluster-autoscaler, Karpenter and the cost model.

use std::collections::BTreeMap;

/// CPU, memory and pod slots, as the scheduler counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resources {
    /// CPU in millicores.
    pub cpu_milli: i64,
    /// Memory in bytes.
    pub memory_bytes: i64,
    /// Pod slots (a pod takes one).
    pub pods: i64,
}

impl Resources {
    /// Component-wise sum.
    pub fn plus(self, o: Resources) -> Resources {
        Resources {
            cpu_milli: self.cpu_milli + o.cpu_milli,
            memory_bytes: self.memory_bytes + o.memory_bytes,
            pods: self.pods + o.pods,
        }
    }

    /// Component-wise difference.
    pub fn minus(self, o: Resources) -> Resources {
        Resources {
            cpu_milli: self.cpu_milli - o.cpu_milli,
            memory_bytes: self.memory_bytes - o.memory_bytes,
            pods: self.pods - o.pods,
        }
    }

    /// Every component of `need` fits in `self`.
    pub fn fits(self, need: Resources) -> bool {
        need.cpu_milli <= self.cpu_milli
            && need.memory_bytes <= self.memory_bytes
            && need.pods <= self.pods
    }
}

/// How a node is bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CapacityType {
    /// On-demand.
    OnDemand,
    /// Spot: discounted, can be interrupted with a 2-minute notice.
    Spot,
    /// Reserved (or a savings plan): on-demand with a discount.
    Reserved,
}

/// What a taint does to pods that do not tolerate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaintEffect {
    /// They are not scheduled there.
    NoSchedule,
    /// The scheduler avoids the node if it can.
    PreferNoSchedule,
    /// Not scheduled, and evicted if running.
    NoExecute,
}

/// A node taint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taint {
    /// Key.
    pub key: String,
    /// Value (may be empty).
    pub value: String,
    /// Effect.
    pub effect: TaintEffect,
}

/// A pod toleration (Kubernetes semantics: `Exists` ignores the value; no key with `Exists` tolerates all).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Toleration {
    /// Key; `None` = every key (only with `exists`).
    pub key: Option<String>,
    /// `Exists` (true) or `Equal` (false).
    pub exists: bool,
    /// Value for `Equal`.
    pub value: String,
    /// Effect; `None` = every effect.
    pub effect: Option<TaintEffect>,
}

impl Toleration {
    /// Whether this toleration tolerates `t` (`v1.Toleration.ToleratesTaint`).
    pub fn tolerates(&self, t: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != t.effect) {
            return false;
        }
        match &self.key {
            None => self.exists,
            Some(k) if k != &t.key => false,
            Some(_) => self.exists || self.value == t.value,
        }
    }
}

/// A node as a group would launch it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeTemplate {
    /// Node group (or Karpenter NodePool) name.
    pub group: String,
    /// EC2 instance type.
    pub instance_type: String,
    /// What pods can request on it (allocatable minus daemonsets).
    pub allocatable: Resources,
    /// Node labels (including `topology.kubernetes.io/zone`, `node.kubernetes.io/instance-type`).
    pub labels: BTreeMap<String, String>,
    /// Taints.
    pub taints: Vec<Taint>,
    /// How it is bought.
    pub capacity: CapacityType,
    /// Its price, US dollars per hour.
    pub price_usd_per_hour: f64,
}

/// What a pod needs from a node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodNeeds {
    /// Requests (with `pods: 1`).
    pub requests: Resources,
    /// `nodeSelector`.
    pub node_selector: BTreeMap<String, String>,
    /// Tolerations.
    pub tolerations: Vec<Toleration>,
    /// Required anti-affinity by hostname: at most one pod with this key per
    /// node (the app's name; `None` = no such rule). Every placer honours it
    /// through `model::cluster::check`.
    pub one_per_node: Option<String>,
    /// Hard zone topology spread (`DoNotSchedule`) over the app's pods; `None` =
    /// none (a `ScheduleAnyway` spread is only a scheduler score).
    pub zone_spread: Option<SpreadRule>,
}

/// A hard zone topology-spread constraint over the pods of one app.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpreadRule {
    /// The app whose pods are counted (they all carry this rule).
    pub app: String,
    /// `maxSkew` (≥ 1).
    pub max_skew: u32,
}

impl PodNeeds {
    /// Whether the pod may run on a node with these labels and taints
    /// (selector matches, every NoSchedule/NoExecute taint tolerated); resources not checked.
    pub fn admits(&self, labels: &BTreeMap<String, String>, taints: &[Taint]) -> bool {
        self.node_selector
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && taints
                .iter()
                .filter(|t| t.effect != TaintEffect::PreferNoSchedule)
                .all(|t| self.tolerations.iter().any(|tol| tol.tolerates(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: TaintEffect) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect,
        }
    }

    #[test]
    fn tolerations_follow_kubernetes() {
        let t = taint("workload", "compute", TaintEffect::NoSchedule);
        let equal = Toleration {
            key: Some("workload".into()),
            exists: false,
            value: "compute".into(),
            effect: Some(TaintEffect::NoSchedule),
        };
        assert!(equal.tolerates(&t));
        let wrong_value = Toleration {
            value: "memory".into(),
            ..equal.clone()
        };
        assert!(!wrong_value.tolerates(&t));
        let exists = Toleration {
            exists: true,
            value: String::new(),
            effect: None,
            ..equal.clone()
        };
        assert!(exists.tolerates(&t));
        let all = Toleration {
            key: None,
            exists: true,
            value: String::new(),
            effect: None,
        };
        assert!(all.tolerates(&t));
        let other_effect = Toleration {
            effect: Some(TaintEffect::NoExecute),
            ..equal
        };
        assert!(!other_effect.tolerates(&t));
    }

    #[test]
    fn admission_checks_selector_and_hard_taints() {
        let labels: BTreeMap<String, String> =
            [("node-type".to_string(), "general".to_string())].into();
        let soft = [taint("x", "", TaintEffect::PreferNoSchedule)];
        let hard = [taint("x", "", TaintEffect::NoSchedule)];
        let mut pod = PodNeeds {
            requests: Resources::default(),
            node_selector: labels.clone(),
            tolerations: vec![],
            one_per_node: None,
            zone_spread: None,
        };
        assert!(pod.admits(&labels, &soft));
        assert!(!pod.admits(&labels, &hard));
        assert!(!pod.admits(&BTreeMap::new(), &[]));
        pod.node_selector.clear();
        assert!(pod.admits(&BTreeMap::new(), &[]));
    }

    #[test]
    fn resources_fit_component_wise() {
        let a = Resources {
            cpu_milli: 1000,
            memory_bytes: 100,
            pods: 2,
        };
        let b = Resources {
            cpu_milli: 500,
            memory_bytes: 100,
            pods: 1,
        };
        assert!(a.fits(b));
        assert!(!b.fits(a));
        assert_eq!(a.minus(b).plus(b), a);
    }
}
