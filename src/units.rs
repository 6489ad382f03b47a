//! Units: simulated time and the text forms users write in scenario files.
//!
//! Simulated time is an integer count of nanoseconds ([`Nanos`]). This module
//! parses durations (`500ms`, `15s`, `10m`, `2h`, `1d`, `1h30m`), Kubernetes
//! quantities (`500m`, `2`, `512Mi`, `1Gi`), percentages (`99.9%`) and times of
//! day (`"09:00"`), and provides serde types that parse them while the YAML is
//! read, so a bad value is reported at its own line and column.
//!
//! Parse errors are plain strings of the form `expected …, found …` with an
//! optional `\nhint: …` line; [`crate::error`] splits the hint off for display.

pub mod convert;
pub mod quantity;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Simulated time or a span of it, in nanoseconds.
pub type Nanos = u64;

/// Nanoseconds in one second.
pub const NANOS_PER_SEC: u64 = 1_000_000_000;

/// A signed time or span in nanoseconds, on the same clock as [`Nanos`]:
/// for the controllers that see times before the run starts (the HPA's pods
/// that predate it; "long ago" is `SignedNanos::MIN`) and differences that
/// may be negative. It is the one signed time type; [`signed_nanos`] converts.
pub type SignedNanos = i64;

/// Signed nanoseconds in one second.
pub const SIGNED_NANOS_PER_SEC: SignedNanos = NANOS_PER_SEC as SignedNanos;

/// `ns` as a signed time (saturating at `SignedNanos::MAX`, some 292 years).
pub fn signed_nanos(ns: Nanos) -> SignedNanos {
    SignedNanos::try_from(ns).unwrap_or(SignedNanos::MAX)
}

/// Hint shared by every duration error.
const DURATION_HINT: &str = "write a number followed by a unit: ns, us, ms, s, m, h or d (for example 500ms, 15s, 10m, 2h, 1d, 1h30m)";

/// Converts nanoseconds to seconds.
pub fn nanos_to_secs(ns: Nanos) -> f64 {
    ns as f64 / NANOS_PER_SEC as f64
}

/// Converts seconds to the nearest nanosecond (negative values clamp to 0).
pub fn secs_to_nanos(secs: f64) -> Nanos {
    if secs <= 0.0 {
        0
    } else {
        (secs * NANOS_PER_SEC as f64).round() as Nanos
    }
}

/// Parses a duration such as `500ms`, `15s`, `10m`, `2h`, `1d` or `1h30m`.
///
/// `0` alone is accepted; any other number needs a unit.
pub fn parse_duration(text: &str) -> Result<Nanos, String> {
    let s = text.trim();
    let fail = |why: &str| -> String {
        format!("expected a duration{why}, found \"{text}\"\nhint: {DURATION_HINT}")
    };
    if s.is_empty() {
        return Err(fail(""));
    }
    if s == "0" {
        return Ok(0);
    }
    if s.starts_with('-') {
        return Err(format!(
            "expected a duration that is not negative, found \"{text}\"\nhint: {DURATION_HINT}"
        ));
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: u128 = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        if start == i {
            return Err(fail(""));
        }
        let number: f64 = s[start..i].parse().map_err(|_| fail(""))?;
        let unit_start = i;
        while i < bytes.len() && !(bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let unit = &s[unit_start..i];
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "d" => 86_400e9,
            "" => return Err(fail(" with a unit")),
            _ => return Err(fail(&format!(" (unknown unit \"{}\")", unit.trim()))),
        };
        let ns = number * scale;
        if !ns.is_finite() || ns > 1e20 {
            return Err(fail(MAX_DURATION_TEXT));
        }
        total += ns.round() as u128;
    }
    Nanos::try_from(total).map_err(|_| fail(MAX_DURATION_TEXT))
}

/// The longest duration, in words: what a 64-bit count of nanoseconds holds
/// (18,446,744,073 s, a little over 213,503 days, about 584 years). Every
/// duration and offset that is too long says this.
pub const MAX_DURATION_TEXT: &str = " of at most 213503d (about 584 years)";

/// Formats nanoseconds as a short human duration (`1h30m`, `250ms`).
pub fn format_duration(ns: Nanos) -> String {
    if ns == 0 {
        return "0s".to_string();
    }
    let units: [(u64, &str); 7] = [
        (86_400 * NANOS_PER_SEC, "d"),
        (3_600 * NANOS_PER_SEC, "h"),
        (60 * NANOS_PER_SEC, "m"),
        (NANOS_PER_SEC, "s"),
        (1_000_000, "ms"),
        (1_000, "us"),
        (1, "ns"),
    ];
    let mut rest = ns;
    let mut out = String::new();
    for (size, name) in units {
        if rest >= size {
            out.push_str(&format!("{}{}", rest / size, name));
            rest %= size;
        }
    }
    out
}

/// Parses a Kubernetes CPU quantity (`500m`, `2`, `1.5`) into cores.
pub fn parse_cpu(text: &str) -> Result<f64, String> {
    let s = text.trim();
    let fail = || {
        format!(
            "expected a CPU quantity, found \"{text}\"\nhint: write cores as Kubernetes does: \"2\", \"1.5\" or millicores \"500m\""
        )
    };
    let (digits, scale) = match s.strip_suffix('m') {
        Some(d) => (d, 1e-3),
        None => (s, 1.0),
    };
    let v: f64 = digits.parse().map_err(|_| fail())?;
    if !v.is_finite() || v < 0.0 {
        return Err(fail());
    }
    Ok(v * scale)
}

/// Parses a Kubernetes memory quantity (`512Mi`, `1Gi`, `1G`, `1000`) into bytes.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let s = text.trim();
    let fail = || {
        format!(
            "expected a memory quantity, found \"{text}\"\nhint: write bytes as Kubernetes does: 512Mi, 1Gi, 1G or a plain number of bytes"
        )
    };
    const SUFFIXES: [(&str, f64); 12] = [
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let (digits, scale) = SUFFIXES
        .iter()
        .find_map(|(suf, scale)| s.strip_suffix(suf).map(|d| (d, *scale)))
        .unwrap_or((s, 1.0));
    let v: f64 = digits.parse().map_err(|_| fail())?;
    let bytes = v * scale;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(fail());
    }
    Ok(bytes.round() as u64)
}

/// Parses a percentage (`99.9%`, or a bare number meaning percent) into percent.
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let s = text.trim();
    let v: f64 = s
        .strip_suffix('%')
        .unwrap_or(s)
        .trim()
        .parse()
        .map_err(|_| {
            format!("expected a percentage, found \"{text}\"\nhint: write it like 99.9%")
        })?;
    if !v.is_finite() || !(0.0..=100.0).contains(&v) {
        return Err(format!(
            "expected a percentage between 0% and 100%, found \"{text}\"\nhint: write it like 99.9%"
        ));
    }
    Ok(v)
}

/// Parses a time of day `HH:MM` or `HH:MM:SS` into nanoseconds after midnight.
pub fn parse_time_of_day(text: &str) -> Result<Nanos, String> {
    let fail = || {
        format!(
            "expected a time of day like \"09:00\" or \"17:30:15\", found \"{text}\"\nhint: hours 00-23; for later days write a duration such as 1d9h"
        )
    };
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return Err(fail());
    }
    let mut fields = [0u64; 3];
    for (slot, part) in fields.iter_mut().zip(&parts) {
        *slot = part.parse().map_err(|_| fail())?;
    }
    let [h, m, sec] = fields;
    if h > 23 || m > 59 || sec > 59 {
        return Err(fail());
    }
    Ok(((h * 60 + m) * 60 + sec) * NANOS_PER_SEC)
}

/// Parses a point in scenario time: a time of day (`"09:00"`) or a duration from the start (`90m`).
pub fn parse_offset(text: &str) -> Result<Nanos, String> {
    if text.contains(':') {
        parse_time_of_day(text)
    } else {
        parse_duration(text).map_err(|e| {
            if e.contains(MAX_DURATION_TEXT) {
                // The limit, stated as for every other duration.
                return e;
            }
            format!(
                "expected a time of day like \"09:00\" or a duration from the start like 90m, found \"{text}\"\nhint: {DURATION_HINT}; quote times of day"
            )
        })
    }
}

/// A visitor that accepts strings and numbers and hands them to parse functions.
struct TextOrNumber<T> {
    expecting: &'static str,
    from_str: fn(&str) -> Result<T, String>,
    from_num: fn(f64) -> Result<T, String>,
}

impl<T> Visitor<'_> for TextOrNumber<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.from_str)(v).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.from_num)(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_f64(v as f64)
    }
}

fn deserialize_with<'de, D: Deserializer<'de>, T>(
    d: D,
    visitor: TextOrNumber<T>,
) -> Result<T, D::Error> {
    d.deserialize_any(visitor)
}

/// A duration written as `500ms`, `15s`, `10m`, `2h`, `1d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub Nanos);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(
            d,
            TextOrNumber {
                expecting: "a duration such as 500ms, 15s, 10m, 2h or 1d",
                from_str: |s| parse_duration(s).map(Duration),
                from_num: |v| {
                    if v == 0.0 {
                        Ok(Duration(0))
                    } else {
                        Err(format!(
                            "expected a duration with a unit, found the bare number {v}\nhint: {DURATION_HINT}"
                        ))
                    }
                },
            },
        )
    }
}

/// A point in scenario time: a time of day (`"09:00"`) or an offset from the start (`90m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset(pub Nanos);

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(
            d,
            TextOrNumber {
                expecting: "a time of day like \"09:00\" or a duration from the start like 90m",
                from_str: |s| parse_offset(s).map(Offset),
                from_num: |v| {
                    Err(format!(
                        "expected a time of day like \"09:00\" or a duration like 90m, found the bare number {v}\nhint: quote times of day: at: \"09:00\""
                    ))
                },
            },
        )
    }
}

/// A CPU quantity in cores, written as Kubernetes does (`500m`, `2`, `1.5`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cpu(pub f64);

impl<'de> Deserialize<'de> for Cpu {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(
            d,
            TextOrNumber {
                expecting: "a CPU quantity such as 500m or 2",
                from_str: |s| parse_cpu(s).map(Cpu),
                from_num: |v| {
                    if v.is_finite() && v >= 0.0 {
                        Ok(Cpu(v))
                    } else {
                        Err(format!(
                            "expected a CPU quantity that is not negative, found {v}\nhint: write cores as Kubernetes does: \"2\", \"1.5\" or millicores \"500m\""
                        ))
                    }
                },
            },
        )
    }
}

/// A memory quantity in bytes, written as Kubernetes does (`512Mi`, `1Gi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bytes(pub u64);

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(
            d,
            TextOrNumber {
                expecting: "a memory quantity such as 512Mi or 1Gi",
                from_str: |s| parse_bytes(s).map(Bytes),
                from_num: |v| {
                    if v.is_finite() && v >= 0.0 {
                        Ok(Bytes(v.round() as u64))
                    } else {
                        Err(format!(
                            "expected a memory quantity that is not negative, found {v}\nhint: write bytes as Kubernetes does: 512Mi, 1Gi, 1G or a plain number of bytes"
                        ))
                    }
                },
            },
        )
    }
}

/// A percentage such as `99.9%`, stored in percent (99.9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(pub f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(
            d,
            TextOrNumber {
                expecting: "a percentage such as 99.9%",
                from_str: |s| parse_percent(s).map(Percent),
                from_num: |v| parse_percent(&v.to_string()).map(Percent),
            },
        )
    }
}

/// A finite, non-negative number (rates, counts per second, factors).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NonNegative(pub f64);

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(
            d,
            TextOrNumber {
                expecting: "a number that is not negative",
                from_str: |s| {
                    Err(format!(
                        "expected a number that is not negative, found the text \"{s}\"\nhint: write a plain number without quotes or units"
                    ))
                },
                from_num: |v| {
                    if v.is_finite() && v >= 0.0 {
                        Ok(NonNegative(v))
                    } else {
                        Err(format!(
                            "expected a number that is not negative, found {v}\nhint: rates, counts and factors cannot be negative; write 0 for none"
                        ))
                    }
                },
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(500_000_000));
        assert_eq!(parse_duration("15s"), Ok(15 * NANOS_PER_SEC));
        assert_eq!(parse_duration("10m"), Ok(600 * NANOS_PER_SEC));
        assert_eq!(parse_duration("2h"), Ok(7_200 * NANOS_PER_SEC));
        assert_eq!(parse_duration("1d"), Ok(86_400 * NANOS_PER_SEC));
        assert_eq!(parse_duration("1h30m"), Ok(5_400 * NANOS_PER_SEC));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration("250us"), Ok(250_000));
        assert_eq!(parse_duration("0"), Ok(0));
        for bad in ["10 minutes", "10", "-5s", "", "s", "1x", "1.2.3s", "5 s"] {
            assert!(parse_duration(bad).is_err(), "{bad} should fail");
        }
        assert!(parse_duration("10 minutes").unwrap_err().contains("hint:"));
    }

    #[test]
    fn duration_round_trip_format() {
        for text in ["1d", "1h30m", "250ms", "15s", "1m1s"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_cpu("500m"), Ok(0.5));
        assert_eq!(parse_cpu("2"), Ok(2.0));
        assert_eq!(parse_cpu("1.5"), Ok(1.5));
        assert!(parse_cpu("-1").is_err());
        assert!(parse_cpu("2 cores").is_err());
        assert_eq!(parse_bytes("512Mi"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_bytes("1Gi"), Ok(1 << 30));
        assert_eq!(parse_bytes("1G"), Ok(1_000_000_000));
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert!(parse_bytes("12XB").is_err());
    }

    #[test]
    fn percents_and_times() {
        assert_eq!(parse_percent("99.9%"), Ok(99.9));
        assert_eq!(parse_percent("50"), Ok(50.0));
        assert!(parse_percent("101%").is_err());
        assert_eq!(parse_time_of_day("09:00"), Ok(9 * 3600 * NANOS_PER_SEC));
        assert_eq!(
            parse_time_of_day("17:30:15"),
            Ok((17 * 3600 + 30 * 60 + 15) * NANOS_PER_SEC)
        );
        assert!(parse_time_of_day("24:00").is_err());
        assert!(parse_time_of_day("9h").is_err());
        assert_eq!(parse_offset("90m"), Ok(5_400 * NANOS_PER_SEC));
        assert_eq!(parse_offset("09:30"), Ok(34_200 * NANOS_PER_SEC));
    }

    #[test]
    fn second_conversions() {
        assert_eq!(secs_to_nanos(1.5), 1_500_000_000);
        assert_eq!(secs_to_nanos(-3.0), 0);
        assert_eq!(nanos_to_secs(2_500_000_000), 2.5);
    }
}
