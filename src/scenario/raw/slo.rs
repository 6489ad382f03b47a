//! The raw serde mirror of `slo:` — a latency objective at one quantile and
//! an availability target — at the top of the file or on a service.
//!
//! Like [`super`], these types reject unknown keys and parse units while
//! reading; [`super::validate`] checks the quantile key and the ranges.

use crate::units::{Duration, Percent};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// `slo: { latency: { p99: 300ms }, availability: 99.9% }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlo {
    /// One quantile key (`p50`, `p90`, `p95`, `p99`, `p99.9`, …) and its latency target.
    #[serde(default)]
    pub latency: Option<Spanned<RawLatency>>,
    /// Share of requests that must succeed, as a percentage.
    #[serde(default)]
    pub availability: Option<Spanned<Percent>>,
}

/// `latency: { p99: 300ms }`: quantile keys and targets (with their positions, for errors), in file order.
#[derive(Debug)]
pub struct RawLatency(pub Vec<(String, Spanned<Duration>)>);

impl<'de> Deserialize<'de> for RawLatency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawLatency;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a quantile and its latency target, such as { p99: 300ms }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLatency, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    entries.push((key, map.next_value::<Spanned<Duration>>()?));
                }
                Ok(RawLatency(entries))
            }
        }
        d.deserialize_map(V)
    }
}
