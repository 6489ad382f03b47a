//! A profile's `scale:` factor: every capacity setting multiplied.
//!
//! For "development at 50 %, staging at 75 % of production": fixed
//! replicas, an HPA's `minReplicas` and `maxReplicas`, an Auto Scaling
//! group's `min`, `max` and `desired`, and each node group's `min`, `max`
//! and `initial` are multiplied by the factor and rounded up (so a
//! scaled-down service keeps at least one replica where it had one, and
//! a minimum never passes its maximum). Karpenter's pool limits, pod
//! sizes and traffic are not scaled: set them in `set:` if the profile
//! changes them.

use crate::spec::{Autoscaler, Scenario};

/// `n` × `factor`, rounded up.
fn up(n: u32, factor: f64) -> u32 {
    let x = (f64::from(n) * factor).ceil();
    if x >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        x as u32
    }
}

/// Multiplies the capacity settings of `s` by `factor` (> 0).
pub fn scale(s: &mut Scenario, factor: f64) {
    for svc in &mut s.services {
        svc.replicas = up(svc.replicas, factor);
        match &mut svc.autoscaler {
            Autoscaler::None => {}
            Autoscaler::Hpa { spec, .. } => {
                let scaled = |n: i32| {
                    i32::try_from(up(u32::try_from(n).unwrap_or(0), factor)).unwrap_or(i32::MAX)
                };
                spec.min_replicas = scaled(spec.min_replicas);
                spec.max_replicas = scaled(spec.max_replicas);
            }
            Autoscaler::Asg { spec } => {
                spec.min = up(spec.min, factor);
                spec.max = up(spec.max, factor);
                spec.desired = up(spec.desired, factor);
            }
        }
    }
    if let Some(c) = &mut s.cluster {
        for g in &mut c.groups {
            g.min = up(g.min, factor);
            g.max = up(g.max, factor);
            g.initial = up(g.initial, factor);
        }
    }
}
