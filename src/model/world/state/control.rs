//! The control loops' state: their common clock and settings ([`Control`],
//! present only if something autoscales) and each service's autoscaler
//! with its memory ([`Scaler`]). The loops themselves are
//! [`crate::model::world::control`]'s.

use crate::model::asg::AsgController;
use crate::model::ca::CaConfig;
use crate::model::hpa::HpaState;
use crate::model::service::pipeline::gcd;
use crate::spec::hpa::{ControllerConfig, HpaSpec};
use crate::spec::{Autoscaler, NodeAutoscalerSpec, PipelineSpec, Scenario};
use crate::units::Nanos;

/// The clock and settings of the control loops (present only if something autoscales).
#[derive(Debug, Clone)]
pub struct Control {
    /// Period of the `Control` event.
    pub tick_ns: Nanos,
    pub(crate) snapshot_ns: Nanos,
    pub(crate) keep_ns: Nanos,
    pub(crate) sync_ns: Nanos,
    /// Evaluation period of each service's Auto Scaling group (0 = none).
    pub(crate) asg_ns: Vec<Nanos>,
    /// The cluster-autoscaler's scan interval (0 = none).
    pub(crate) ca_ns: Nanos,
    /// Karpenter's disruption poll (0 = no Karpenter).
    pub(crate) karpenter_ns: Nanos,
    /// Some service has an HPA or an ASG: take metric snapshots.
    pub(crate) metrics: bool,
    pub(crate) pipeline: PipelineSpec,
    pub(crate) hpa: ControllerConfig,
}

impl Control {
    /// The control loops `scenario` needs, if any service autoscales.
    pub fn new(scenario: &Scenario) -> Option<Control> {
        let ca_ns = match scenario.cluster.as_ref().map(|c| &c.autoscaler) {
            Some(NodeAutoscalerSpec::ClusterAutoscaler {
                scan_interval_ns, ..
            }) => scan_interval_ns.unwrap_or(CaConfig::default().scan_interval_ns),
            _ => 0,
        };
        let karpenter_ns = match scenario.cluster.as_ref().map(|c| &c.autoscaler) {
            Some(NodeAutoscalerSpec::Karpenter { .. }) => {
                crate::model::karpenter::DISRUPTION_POLL_NS
            }
            _ => 0,
        };
        if ca_ns == 0
            && karpenter_ns == 0
            && scenario
                .services
                .iter()
                .all(|s| matches!(s.autoscaler, Autoscaler::None))
        {
            return None;
        }
        let p = scenario.scaling.pipeline;
        let cfg = scenario.scaling.hpa_controller.clone();
        let asg_ns: Vec<Nanos> = scenario
            .services
            .iter()
            .map(|s| match &s.autoscaler {
                Autoscaler::Asg { spec } => AsgController::new(spec).evaluation_period_ns(),
                _ => 0,
            })
            .collect();
        let snapshot_ns = asg_ns
            .iter()
            .fold(gcd(p.resource.scrape_ns, p.custom.scrape_ns), |g, &a| {
                gcd(g, a)
            });
        let sync_ns = cfg.sync_period_ns as Nanos;
        let keep_ns = [p.resource, p.custom]
            .iter()
            .map(|s| s.window_ns + s.delay_ns + s.scrape_ns)
            .chain(asg_ns.iter().copied())
            .max()
            .unwrap_or(0)
            + snapshot_ns;
        Some(Control {
            tick_ns: gcd(gcd(gcd(snapshot_ns, sync_ns), ca_ns), karpenter_ns),
            ca_ns,
            karpenter_ns,
            metrics: scenario
                .services
                .iter()
                .any(|s| !matches!(s.autoscaler, Autoscaler::None)),
            snapshot_ns,
            keep_ns,
            sync_ns,
            asg_ns,
            pipeline: p,
            hpa: cfg,
        })
    }
}

/// A service's autoscaler and its memory.
#[derive(Debug, Clone)]
pub enum Scaler {
    /// Fixed replicas.
    None,
    /// A Kubernetes HPA.
    Hpa {
        /// The spec.
        spec: Box<HpaSpec>,
        /// The controller's memory of this HPA.
        state: HpaState,
    },
    /// An EC2 Auto Scaling group.
    Asg(Box<AsgController>),
}

impl Scaler {
    /// The autoscaler of a service.
    pub fn new(a: &Autoscaler) -> Scaler {
        match a {
            Autoscaler::None => Scaler::None,
            Autoscaler::Hpa { spec, .. } => Scaler::Hpa {
                spec: spec.clone(),
                state: HpaState::default(),
            },
            Autoscaler::Asg { spec } => Scaler::Asg(Box::new(AsgController::new(spec))),
        }
    }
}
