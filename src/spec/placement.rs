//! Where pods may run: a service's [`PlacementSpec`] and the placement
//! vocabulary shared by the scenario and kube-scheduler — the zone label,
//! pod anti-affinity, zone topology spread and the `NodeResourcesFit`
//! scoring strategy. Taints, tolerations and what a pod needs from a node
//! are [`super::resources`]; how pods are placed is
//! `model::cluster::kube_scheduler`.

use crate::spec::resources::Toleration;
use std::collections::BTreeMap;

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

/// Where a service's pods may and prefer to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlacementSpec {
    /// `nodeSelector`.
    pub node_selector: BTreeMap<String, String>,
    /// Tolerations.
    pub tolerations: Vec<Toleration>,
    /// Anti-affinity to the service's own pods, by hostname.
    pub anti_affinity: Option<AntiAffinity>,
    /// Zone spread of the service's pods.
    pub zone_spread: Option<ZoneSpread>,
}
