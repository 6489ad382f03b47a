//! Spot interruption rates: a Spot Instance Advisor band, a monthly
//! probability or an hourly hazard, and the hazard λ each stands for.
//!
//! Source: `docs/reference/nodes-spot-cost.md` §4. Each instance's
//! interruptions form a Poisson process with a constant hazard λ per
//! instance-hour. If f is the probability that an instance exposed for a full
//! month (730 h) is interrupted, `λ = −ln(1 − f) / 730` (derived in the
//! reference). An Advisor band stands for the f at its midpoint unless the
//! user gives f; `">20%"` has no upper edge and stands for 25 %, the low end
//! of the reference's assumed 25–30 %.
//!
//! Accepted texts ([`parse_interruption_rate`]): a band (`"<5%"`, `"5-10%"`,
//! `"10-15%"`, `"15-20%"`, `">20%"`; an en dash and spaces are accepted), a
//! monthly probability (`"7.5%"`), or an hourly hazard (`"0.0002/h"`). When
//! a node's interruption comes is `model::cluster::spot_hazard`.

/// Hours in the Advisor's month: 730 (= 8760 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// What every parse error suggests.
const HINT: &str = "write an Advisor band (\"<5%\", \"5-10%\", \"10-15%\", \"15-20%\", \">20%\"), \
a monthly probability such as \"7.5%\", or an hourly rate such as \"0.0002/h\"";

/// A Spot Instance Advisor "frequency of interruption" band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AdvisorBand {
    /// `<5%`.
    Under5,
    /// `5-10%`.
    From5To10,
    /// `10-15%`.
    From10To15,
    /// `15-20%`.
    From15To20,
    /// `>20%`.
    Over20,
}

impl AdvisorBand {
    /// Every band, least interrupted first.
    pub const ALL: [AdvisorBand; 5] = [
        AdvisorBand::Under5,
        AdvisorBand::From5To10,
        AdvisorBand::From10To15,
        AdvisorBand::From15To20,
        AdvisorBand::Over20,
    ];

    /// The band as the Advisor writes it (`"5-10%"`).
    pub fn label(self) -> &'static str {
        match self {
            AdvisorBand::Under5 => "<5%",
            AdvisorBand::From5To10 => "5-10%",
            AdvisorBand::From10To15 => "10-15%",
            AdvisorBand::From15To20 => "15-20%",
            AdvisorBand::Over20 => ">20%",
        }
    }

    /// The monthly interruption probability the band stands for: its midpoint
    /// (0.025, 0.075, 0.125, 0.175), and 0.25 for `>20%`.
    pub fn monthly_fraction(self) -> f64 {
        match self {
            AdvisorBand::Under5 => 0.025,
            AdvisorBand::From5To10 => 0.075,
            AdvisorBand::From10To15 => 0.125,
            AdvisorBand::From15To20 => 0.175,
            AdvisorBand::Over20 => 0.25,
        }
    }

    /// The band whose label is `text` (spaces and an en dash tolerated), if any.
    pub fn from_label(text: &str) -> Option<AdvisorBand> {
        let squeezed: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '–' { '-' } else { c })
            .collect();
        AdvisorBand::ALL.into_iter().find(|b| b.label() == squeezed)
    }
}

/// How often a spot node is interrupted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InterruptionRate {
    /// An Advisor band, at the band's [`AdvisorBand::monthly_fraction`].
    Band(AdvisorBand),
    /// A probability of interruption within a month of exposure, in [0, 1).
    MonthlyFraction(f64),
    /// A hazard λ, interruptions per instance-hour (≥ 0).
    PerHour(f64),
}

impl InterruptionRate {
    /// The hazard λ, interruptions per instance-hour.
    pub fn lambda_per_hour(self) -> f64 {
        match self {
            InterruptionRate::Band(b) => lambda_per_hour(b.monthly_fraction(), HOURS_PER_MONTH),
            InterruptionRate::MonthlyFraction(f) => lambda_per_hour(f, HOURS_PER_MONTH),
            InterruptionRate::PerHour(l) => l,
        }
    }
}

/// The constant hazard under which an instance exposed for `exposure_hours`
/// is interrupted with probability `fraction`: `−ln(1 − f) / L`, per hour.
///
/// `exposure_hours` is 730 for the Advisor's month; the reference suggests a
/// shorter mean lifetime L when the Advisor's denominator is instances.
pub fn lambda_per_hour(fraction: f64, exposure_hours: f64) -> f64 {
    -(-fraction).ln_1p() / exposure_hours
}

/// Parses an interruption rate: a band, a monthly probability in percent, or an hourly hazard.
pub fn parse_interruption_rate(text: &str) -> Result<InterruptionRate, String> {
    let fail = |why: &str| format!("expected {why}, found \"{text}\"\nhint: {HINT}");
    if let Some(band) = AdvisorBand::from_label(text) {
        return Ok(InterruptionRate::Band(band));
    }
    let s = text.trim();
    if s.is_empty() {
        return Err(fail("a spot interruption rate"));
    }
    let band_like = s.starts_with('<') || s.starts_with('>') || s.chars().skip(1).any(|c| c == '-');
    if s.ends_with('%') && band_like {
        return Err(fail("one of the Advisor's bands"));
    }
    if let Some(pct) = s.strip_suffix('%') {
        let f = pct
            .trim()
            .parse::<f64>()
            .map_err(|_| fail("a monthly probability in percent"))?
            / 100.0;
        if !(0.0..1.0).contains(&f) {
            return Err(fail("a monthly probability from 0% to below 100%"));
        }
        return Ok(InterruptionRate::MonthlyFraction(f));
    }
    let number = s
        .strip_suffix("/h")
        .or_else(|| s.strip_suffix("per hour"))
        .ok_or_else(|| fail("a rate with a unit (\"/h\") or a percentage"))?;
    let l = number
        .trim()
        .parse::<f64>()
        .map_err(|_| fail("an hourly rate"))?;
    if !l.is_finite() || l < 0.0 {
        return Err(fail("an hourly rate that is finite and not negative"));
    }
    Ok(InterruptionRate::PerHour(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_midpoints_per_the_reference() {
        let f: Vec<f64> = AdvisorBand::ALL
            .iter()
            .map(|b| b.monthly_fraction())
            .collect();
        assert_eq!(f, [0.025, 0.075, 0.125, 0.175, 0.25]);
        // The reference's λ column, each to one unit of its last digit (its
        // 2.63e-4 is −ln(0.825)/730 = 2.6352e-4 cut short, not rounded):
        // 3.47e-5, 1.07e-4, 1.83e-4, 2.63e-4, 3.9e-4.
        let expected = [
            (3.47e-5, 0.01e-5),
            (1.07e-4, 0.01e-4),
            (1.83e-4, 0.01e-4),
            (2.63e-4, 0.01e-4),
            (3.9e-4, 0.1e-4),
        ];
        for (b, (want, tolerance)) in AdvisorBand::ALL.into_iter().zip(expected) {
            let got = InterruptionRate::Band(b).lambda_per_hour();
            assert!((got - want).abs() <= tolerance, "{}: {got}", b.label());
        }
    }

    #[test]
    fn lambda_for_5_to_10_by_hand() {
        // f = 0.075: −ln(0.925) = 0.077961541…; / 730 = 1.067966e-4 per hour.
        let l = parse_interruption_rate("5-10%").unwrap().lambda_per_hour();
        assert!((l - 0.077_961_541_469_711_6 / 730.0).abs() < 1e-15, "{l}");
        assert!((l - 1.067_966e-4).abs() < 1e-9);
        // Mean time to interruption ≈ 9,400 h; P(within 24 h) ≈ 0.26 % (reference table).
        assert!((1.0 / l - 9363.4).abs() < 1.0);
        assert!(((1.0 - (-24.0 * l).exp()) - 0.00256).abs() < 0.00001);
        // Caveat 1: f = 7.5 % over a 24 h lifetime gives about 3.2e-3 per hour.
        assert!((lambda_per_hour(0.075, 24.0) - 3.2e-3).abs() < 0.05e-3);
    }

    #[test]
    fn parsing_accepts_bands_fractions_and_rates() {
        use InterruptionRate::*;
        let ok = |s: &str| parse_interruption_rate(s).unwrap();
        assert_eq!(ok("<5%"), Band(AdvisorBand::Under5));
        assert_eq!(ok(" 10 – 15 % "), Band(AdvisorBand::From10To15));
        assert_eq!(ok(">20%"), Band(AdvisorBand::Over20));
        assert_eq!(ok("7.5%"), MonthlyFraction(0.075));
        assert_eq!(ok("0%"), MonthlyFraction(0.0));
        assert_eq!(ok("0.0002/h"), PerHour(0.0002));
        assert_eq!(ok("1e-3 per hour"), PerHour(0.001));
        assert_eq!(ok("0/h").lambda_per_hour(), 0.0);
        for bad in [
            "", "5-11%", "<10%", "100%", "-1%", "abc%", "0.001", "-1/h", "x/h",
        ] {
            let e = parse_interruption_rate(bad).unwrap_err();
            assert!(e.contains(&format!("found \"{bad}\"")), "{e}");
            assert!(e.contains("\nhint: write an Advisor band"), "{e}");
        }
        assert!(
            parse_interruption_rate("5-11%")
                .unwrap_err()
                .starts_with("expected one of the Advisor's bands")
        );
    }
}
