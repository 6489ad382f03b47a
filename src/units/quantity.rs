//! Kubernetes resource quantities (`500m`, `2`, `1.5`, `1Gi`, `1e3`) read exactly.
//!
//! A quantity is kept as an exact decimal (`mantissa × 10^exp10`, binary
//! suffixes folded into the mantissa), so it converts to milli-units the way
//! `Quantity.MilliValue` does (rounding up) and to a float the way
//! `Quantity.AsApproximateFloat64` does: the integer mantissa times Go's
//! `math.Pow10(exponent)`, which is why `"0.3"` reads as 0.30000000000000004.

/// An exactly parsed Kubernetes quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// The digits (and sign) as an integer, binary suffix multiplied in.
    pub mantissa: i128,
    /// The power of ten the mantissa is scaled by.
    pub exp10: i32,
}

/// Hint shared by quantity errors.
const QUANTITY_HINT: &str = "write a Kubernetes quantity: a number with an optional suffix m, k, M, G, Ki, Mi, Gi (for example 500m, 2, 1.5, 512Mi)";

/// Parses a Kubernetes quantity such as `500m`, `2`, `1.5`, `512Mi` or `1e3`.
pub fn parse_quantity(text: &str) -> Result<Quantity, String> {
    let fail = || format!("expected a quantity, found \"{text}\"\nhint: {QUANTITY_HINT}");
    let s = text.trim();
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let number_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(number_end);
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() || frac.contains('.') {
        return Err(fail());
    }
    let digits = format!("{whole}{frac}");
    if digits.len() > 30 {
        return Err(fail());
    }
    let mut mantissa: i128 = digits.parse().map_err(|_| fail())?;
    let frac_len = i32::try_from(frac.len()).map_err(|_| fail())?;
    let exp10 = match suffix {
        "" => 0,
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = "KMGTPE".find(&suffix[..1]).unwrap_or(0) as u32 + 1;
            mantissa = mantissa
                .checked_mul(1i128 << (10 * power))
                .ok_or_else(fail)?;
            0
        }
        e if e.starts_with(['e', 'E']) => e[1..].parse::<i32>().map_err(|_| fail())?,
        _ => return Err(fail()),
    };
    if exp10.abs() > 40 {
        return Err(fail());
    }
    Ok(Quantity {
        mantissa: if negative { -mantissa } else { mantissa },
        exp10: exp10 - frac_len,
    })
}

/// Go's `math.Pow10` for the exponents quantities produce: exact table entries
/// (decimal literals correctly rounded), negative ones as `1 / 10^k`.
fn go_pow10(n: i32) -> f64 {
    let table = |k: i32| -> f64 { format!("1e{k}").parse().unwrap_or(f64::INFINITY) };
    if n >= 0 {
        table(n / 32 * 32) * table(n % 32)
    } else {
        let k = -n;
        (1.0 / table(k / 32 * 32)) / table(k % 32)
    }
}

impl Quantity {
    /// The value in milli-units, rounded up as `MilliValue` does; `None` if it does not fit.
    pub fn milli(&self) -> Option<i64> {
        let e = self.exp10 + 3;
        let value = if e >= 0 {
            self.mantissa.checked_mul(10i128.checked_pow(e as u32)?)?
        } else {
            let div = 10i128.checked_pow((-e) as u32)?;
            let q = self.mantissa / div;
            if self.mantissa % div != 0 {
                q + self.mantissa.signum()
            } else {
                q
            }
        };
        i64::try_from(value).ok()
    }

    /// `AsApproximateFloat64`: the mantissa (rounded up to nano-units first, as
    /// the parser does for finer values) times `Pow10(exponent)`.
    pub fn approx_f64(&self) -> f64 {
        let (mut mantissa, mut exp10) = (self.mantissa, self.exp10);
        if exp10 < -9 {
            // Beyond i128's range the quotient is 0 and the remainder the mantissa.
            let (q, r) = match 10i128.checked_pow((-9 - exp10) as u32) {
                Some(div) => (mantissa / div, mantissa % div),
                None => (0, mantissa),
            };
            mantissa = if r != 0 { q + mantissa.signum() } else { q };
            exp10 = -9;
        }
        let base = mantissa as f64;
        if exp10 == 0 {
            base
        } else {
            base * go_pow10(exp10)
        }
    }
}

/// A quantity read while deserializing (a string, or a plain number), in milli-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MilliQuantity(pub i64);

impl<'de> serde::Deserialize<'de> for MilliQuantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MilliVisitor)
    }
}

/// Reads a [`MilliQuantity`] from text or a number.
struct MilliVisitor;

impl serde::de::Visitor<'_> for MilliVisitor {
    type Value = MilliQuantity;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a quantity such as 500m, 2 or 1Gi")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MilliQuantity, E> {
        let q = parse_quantity(v).map_err(E::custom)?;
        if q.mantissa < 0 {
            return Err(E::custom(format!(
                "expected a quantity that is not negative, found \"{v}\"\nhint: {QUANTITY_HINT}"
            )));
        }
        q.milli().map(MilliQuantity).ok_or_else(|| {
            E::custom(format!(
                "expected a quantity below 9.2e15, found \"{v}\"\nhint: {QUANTITY_HINT}"
            ))
        })
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<MilliQuantity, E> {
        self.visit_str(&number_text(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<MilliQuantity, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<MilliQuantity, E> {
        self.visit_str(&v.to_string())
    }
}

/// A float as quantity text: the shortest decimal that reads back as `v` (no exponent).
pub fn number_text(v: f64) -> String {
    let s = format!("{v}");
    if s.contains(['e', 'E']) {
        format!("{v:.12}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milli(s: &str) -> Option<i64> {
        parse_quantity(s).unwrap().milli()
    }

    #[test]
    fn milli_values() {
        assert_eq!(milli("100"), Some(100_000));
        assert_eq!(milli("500m"), Some(500));
        assert_eq!(milli("1Gi"), Some(1_073_741_824_000));
        assert_eq!(milli("1.5"), Some(1500));
        assert_eq!(milli("2k"), Some(2_000_000));
        assert_eq!(milli("1e3"), Some(1_000_000));
        assert_eq!(milli("0.5m"), Some(1)); // rounded up
        assert_eq!(milli("250u"), Some(1));
        for bad in ["", "abc", "1.2.3", "5 cores", "1x", "Mi", "1e", "."] {
            assert!(parse_quantity(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn approximate_float_like_go() {
        let f = |s: &str| parse_quantity(s).unwrap().approx_f64();
        assert_eq!(f("0.3"), 0.30000000000000004);
        assert_eq!(f("0.30"), 0.3); // 30 × 0.01
        assert_eq!(f("0.05"), 0.05);
        assert_eq!(f("0.1"), 0.1);
        assert_eq!(f("2"), 2.0);
        assert_eq!(f("100m"), 0.1);
        assert_eq!(f("1Ki"), 1024.0);
        // Finer than nano-units: rounded up to 1n, as the parser does.
        assert_eq!(f("1e-40"), 1e-9);
        assert_eq!(f("0.0000000001"), 1e-9);
    }
}
