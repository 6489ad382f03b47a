//! The placement vocabulary shared by the scenario and kube-scheduler: the
//! zone label, pod anti-affinity, zone topology spread and the
//! `NodeResourcesFit` scoring strategy. What a pod needs from a node
//! (requests, selector, tolerations) is [`super::resources`]; how pods are
//! placed is `model::cluster::kube_scheduler`.

/// Label holding a node's zone.
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

/// Pod anti-affinity to pods of the same app, by hostname.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AntiAffinity {
    /// None.
    None,
    /// `preferredDuringScheduling…` with this weight (1–100).
    Preferred(u32),
    /// `requiredDuringScheduling…`.
    Required,
}

/// Zone topology spread of the app's pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneSpread {
    /// `maxSkew`.
    pub max_skew: u32,
    /// `whenUnsatisfiable: DoNotSchedule` (else `ScheduleAnyway`: a score only).
    pub hard: bool,
}

/// How `NodeResourcesFit` scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// Prefer emptier nodes (the default).
    LeastAllocated,
    /// Prefer fuller nodes (bin-packing).
    MostAllocated,
}
