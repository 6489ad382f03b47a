//! Prices: what one node of a given capacity type costs per hour, and the
//! fixed figures of the reference (EKS control plane, default spot discount).
//! The bill that applies them to a run's nodes is [`crate::metrics::bill`].
//!
//! Source: `docs/reference/nodes-spot-cost.md` §4 ("Typical spot
//! discounts", "Billing rules") and §5.1 (on-demand prices, in the catalog).

use crate::spec::resources::CapacityType;

/// EKS control plane, standard support: $0.10 per cluster-hour (§4).
pub const EKS_CONTROL_PLANE_USD_PER_HOUR: f64 = 0.10;

/// EKS control plane, extended support: $0.60 per cluster-hour (§4).
pub const EKS_EXTENDED_SUPPORT_USD_PER_HOUR: f64 = 0.60;

/// Default spot discount off on-demand: 65 %, the middle of the reference's
/// "about 60–70 %" for current general-purpose types (price 0.35 × on-demand,
/// inside its suggested 0.30–0.45 ×).
pub const DEFAULT_SPOT_DISCOUNT: f64 = 0.65;

/// How spot capacity is priced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpotPrice {
    /// A fraction off the on-demand price, in [0, 1).
    Discount(f64),
    /// An explicit price, US dollars per hour.
    UsdPerHour(f64),
}

/// The pricing rules of one node group (or VM pool).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    /// On-demand price, US dollars per hour (the catalog's, or user-defined).
    pub on_demand_usd_per_hour: f64,
    /// How spot is priced.
    pub spot: SpotPrice,
    /// Reserved (or savings-plan) discount off on-demand, in [0, 1).
    pub reserved_discount: f64,
}

impl Pricing {
    /// On-demand at `on_demand_usd_per_hour`, spot at the default discount, no reserved discount.
    pub fn on_demand(on_demand_usd_per_hour: f64) -> Pricing {
        Pricing {
            on_demand_usd_per_hour,
            spot: SpotPrice::Discount(DEFAULT_SPOT_DISCOUNT),
            reserved_discount: 0.0,
        }
    }

    /// Checks every figure: prices finite and not negative, discounts in [0, 1).
    pub fn validate(&self) -> Result<(), String> {
        let price = |what: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!(
                    "expected a {what} that is not negative, found {v}\nhint: prices are US dollars per hour, such as 0.192"
                ))
            }
        };
        let discount = |what: &str, v: f64| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!(
                    "expected a {what} from 0 to below 1, found {v}\nhint: a discount is the fraction off on-demand: 0.65 means 65 % off"
                ))
            }
        };
        price("on-demand price", self.on_demand_usd_per_hour)?;
        match self.spot {
            SpotPrice::Discount(d) => discount("spot discount", d)?,
            SpotPrice::UsdPerHour(p) => price("spot price", p)?,
        }
        discount("reserved discount", self.reserved_discount)
    }

    /// The hourly price of one node bought as `capacity`, US dollars per hour.
    pub fn usd_per_hour(&self, capacity: CapacityType) -> f64 {
        let od = self.on_demand_usd_per_hour;
        match capacity {
            CapacityType::OnDemand => od,
            CapacityType::Spot => match self.spot {
                SpotPrice::Discount(d) => od * (1.0 - d),
                SpotPrice::UsdPerHour(p) => p,
            },
            CapacityType::Reserved => od * (1.0 - self.reserved_discount),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_per_capacity_type() {
        // c5.2xlarge $0.34/h: spot at 65 % off = 0.34 × 0.35 = 0.119; reserved at 40 % off = 0.204.
        let p = Pricing {
            reserved_discount: 0.4,
            ..Pricing::on_demand(0.34)
        };
        assert!(p.validate().is_ok());
        assert_eq!(p.usd_per_hour(CapacityType::OnDemand), 0.34);
        assert!((p.usd_per_hour(CapacityType::Spot) - 0.119).abs() < 1e-12);
        assert!((p.usd_per_hour(CapacityType::Reserved) - 0.204).abs() < 1e-12);
        let explicit = Pricing {
            spot: SpotPrice::UsdPerHour(0.1),
            ..p
        };
        assert_eq!(explicit.usd_per_hour(CapacityType::Spot), 0.1);
    }

    #[test]
    fn bad_prices_are_refused_with_a_hint() {
        let base = Pricing::on_demand(0.192);
        let bad = [
            Pricing::on_demand(-0.1),
            Pricing::on_demand(f64::NAN),
            Pricing {
                spot: SpotPrice::Discount(1.0),
                ..base
            },
            Pricing {
                spot: SpotPrice::UsdPerHour(-1.0),
                ..base
            },
            Pricing {
                reserved_discount: -0.1,
                ..base
            },
        ];
        for p in bad {
            let e = p.validate().unwrap_err();
            assert!(
                e.starts_with("expected a ") && e.contains("\nhint: "),
                "{e}"
            );
        }
        assert!(
            Pricing::on_demand(-0.1)
                .validate()
                .unwrap_err()
                .contains("on-demand price that is not negative, found -0.1")
        );
    }

    #[test]
    fn control_plane_is_73_a_month() {
        assert!((EKS_CONTROL_PLANE_USD_PER_HOUR * 730.0 - 73.0).abs() < 1e-9); // "~$73/month"
    }
}
