//! `slo:` — the top-level objective and a service's override — raw →
//! [`SloSpec`]: one quantile key with a latency target above 0, an
//! availability strictly between 0 % and 100 %.

use super::Ctx;
use crate::error::InputError;
use crate::scenario::raw::slo::{RawLatency, RawSlo};
use crate::scenario::yaml::error_at_position;
use crate::spec::{LatencyObjective, SloSpec};
use crate::units::{Duration, format_duration};
use serde_saphyr::{Location, Spanned};

/// How the quantile keys are written, for hints.
const QUANTILE_HINT: &str = "write one quantile key such as p50, p90, p95, p99 or p99.9 with its target, for example latency: { p99: 300ms }";

/// Checks the `slo` at YAML path `path` (`slo` or `services[i].slo`).
pub(super) fn slo(ctx: &Ctx, path: &str, raw: &Spanned<RawSlo>) -> Result<SloSpec, InputError> {
    let r = &raw.value;
    if r.latency.is_none() && r.availability.is_none() {
        return Err(ctx
            .err(
                &raw.referenced,
                path,
                "expected `latency` or `availability` in the SLO, found neither",
            )
            .with_hint(
                "for example slo: { latency: { p99: 300ms }, availability: 99.9% }, or leave slo out",
            ));
    }
    let latency = r
        .latency
        .as_ref()
        .map(|l| latency(ctx, path, l))
        .transpose()?;
    let availability = match &r.availability {
        None => None,
        Some(a) => {
            let percent = a.value.0;
            let at = &a.referenced;
            let p = format!("{path}.availability");
            if percent > 0.0 && percent < 1.0 {
                return Err(ctx
                    .err(at, p, format!("expected an availability of at least 1 %, found {percent} %"))
                    .with_hint(format!(
                        "a bare number is a percentage: {percent} means {percent} %; for {} % write {}%",
                        percent * 100.0,
                        percent * 100.0
                    )));
            }
            if percent <= 0.0 || percent >= 100.0 {
                return Err(ctx
                    .err(
                        at,
                        p,
                        format!(
                            "expected an availability above 0 % and below 100 %, found {percent} %"
                        ),
                    )
                    .with_hint("100 % leaves no error budget at all; a typical target is 99.9%"));
            }
            // Rounded so that 99.9 % reads 0.999, not 0.9990000000000001.
            Some((percent * 1e10).round() / 1e12)
        }
    };
    Ok(SloSpec {
        latency,
        availability,
    })
}

/// The line and column of `key` in `key: value`, searched back from the value's
/// position on its line (the value's own position if the key is not there).
fn key_position(text: &str, value: &Location, key: &str) -> (u64, u64) {
    let (line, column) = (value.line(), value.column());
    let found = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .and_then(|l| {
            l.char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map(|(i, _)| &l[..i])
        })
        .and_then(|before| {
            before
                .rfind(key)
                .map(|i| before[..i].chars().count() as u64 + 1)
        });
    found.map_or((line, column), |c| (line, c))
}

/// The latency objective `latency: { pNN: target }` of the SLO at `path`.
fn latency(
    ctx: &Ctx,
    path: &str,
    raw: &Spanned<RawLatency>,
) -> Result<LatencyObjective, InputError> {
    let p = format!("{path}.latency");
    let at_key = |key: &str, target: &Spanned<Duration>, message: String| {
        error_at_position(
            ctx.file,
            ctx.text,
            key_position(ctx.text, &target.referenced, key),
            format!("{p}.{key}"),
            message,
        )
    };
    let (key, target) = match raw.value.0.as_slice() {
        [one] => one,
        [] => {
            return Err(ctx
                .err(
                    &raw.referenced,
                    p,
                    "expected a quantile and its latency target, found an empty map",
                )
                .with_hint(QUANTILE_HINT));
        }
        [_, (second, at), ..] => {
            let message = format!(
                "expected one latency objective, found {} quantile keys",
                raw.value.0.len()
            );
            return Err(at_key(second, at, message).with_hint(
                "an SLO has one latency objective; keep the quantile you promise, for example p99",
            ));
        }
    };
    let Some(quantile) = parse_quantile(key) else {
        let message = format!("expected a quantile key such as p99 or p99.9, found \"{key}\"");
        return Err(at_key(key, target, message).with_hint(QUANTILE_HINT));
    };
    if target.value.0 == 0 {
        return Err(ctx
            .err(
                &target.referenced,
                format!("{p}.{key}"),
                format!(
                    "expected a latency target longer than 0, found {}",
                    format_duration(target.value.0)
                ),
            )
            .with_hint("the latency the quantile must not exceed, for example 300ms"));
    }
    Ok(LatencyObjective {
        quantile,
        target_ns: target.value.0,
    })
}

/// `p99` → 0.99, `p99.9` → 0.999, `p50` → 0.5; `None` unless `p` and a number strictly between 0 and 100.
pub(crate) fn parse_quantile(key: &str) -> Option<f64> {
    let digits = key.strip_prefix('p')?;
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    let percent: f64 = digits.parse().ok().filter(|_| well_formed)?;
    (percent > 0.0 && percent < 100.0).then_some(percent / 100.0)
}

/// A service's SLO: the fields its own `slo` sets, else the top-level one's.
pub(super) fn merge(top: Option<SloSpec>, own: Option<SloSpec>) -> Option<SloSpec> {
    match (top, own) {
        (None, own) => own,
        (top, None) => top,
        (Some(top), Some(own)) => Some(SloSpec {
            latency: own.latency.or(top.latency),
            availability: own.availability.or(top.availability),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_keys() {
        assert_eq!(parse_quantile("p99"), Some(0.99));
        assert_eq!(parse_quantile("p50"), Some(0.5));
        assert!((parse_quantile("p99.9").unwrap() - 0.999).abs() < 1e-15);
        for bad in [
            "p100", "p0", "99", "p", "p99.", "p.9", "p9.9.9", "p1e1", "p-5", "P99", "pinf",
        ] {
            assert_eq!(parse_quantile(bad), None, "{bad}");
        }
        let l = LatencyObjective {
            quantile: parse_quantile("p99.9").unwrap(),
            target_ns: 1,
        };
        assert_eq!(l.label(), "p99.9");
    }

    #[test]
    fn a_service_overrides_only_what_it_sets() {
        let top = SloSpec {
            latency: Some(LatencyObjective {
                quantile: 0.99,
                target_ns: 300_000_000,
            }),
            availability: Some(0.999),
        };
        let own = SloSpec {
            latency: Some(LatencyObjective {
                quantile: 0.95,
                target_ns: 1_000_000_000,
            }),
            availability: None,
        };
        let merged = merge(Some(top), Some(own)).unwrap();
        assert_eq!(merged.latency, own.latency);
        assert_eq!(merged.availability, Some(0.999));
        assert_eq!(merge(None, None), None);
        assert_eq!(merge(Some(top), None), Some(top));
        assert_eq!(merge(None, Some(own)), Some(own));
    }
}
