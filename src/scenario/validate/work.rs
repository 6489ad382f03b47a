//! Work distributions (request CPU and I/O time): raw settings → [`WorkDist`].

use super::Ctx;
use crate::error::InputError;
use crate::scenario::raw::RawDist;
use crate::spec::WorkDist;
use crate::units::{Duration, format_duration, nanos_to_secs};
use serde_saphyr::Spanned;

/// Φ⁻¹(0.99): the standard normal 99th percentile.
const Z_99: f64 = 2.326_347_874_040_840_8;

/// Checks a work distribution at path `p` and turns it into a [`WorkDist`].
pub(super) fn work(ctx: &Ctx, p: &str, raw: &Spanned<RawDist>) -> Result<WorkDist, InputError> {
    let s = |d: Duration| nanos_to_secs(d.0);
    let positive = |d: &Spanned<Duration>, path: &str| -> Result<(), InputError> {
        if d.value.0 > 0 {
            Ok(())
        } else {
            let what = path.rsplit('.').next().unwrap_or(path);
            Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.{path}"),
                    format!("expected a {what} longer than 0, found 0"),
                )
                .with_hint("for requests that take no time use `constant: 0`"))
        }
    };
    Ok(match &raw.value {
        RawDist::Constant(d) => WorkDist::Constant { secs: s(*d) },
        RawDist::Exponential(e) => {
            positive(&e.mean, "exponential.mean")?;
            WorkDist::Exponential {
                mean_s: s(e.mean.value),
            }
        }
        RawDist::Lognormal(l) => {
            positive(&l.median, "lognormal.median")?;
            if l.p99.value.0 <= l.median.value.0 {
                return Err(ctx
                    .err(
                        &l.p99.referenced,
                        format!("{p}.lognormal.p99"),
                        format!(
                            "expected p99 greater than the median, found median {} and p99 {}",
                            format_duration(l.median.value.0),
                            format_duration(l.p99.value.0)
                        ),
                    )
                    .with_hint(format!(
                        "for a fixed value use `constant: {}`",
                        format_duration(l.median.value.0)
                    )));
            }
            let mu = s(l.median.value).ln();
            WorkDist::Lognormal {
                mu,
                sigma: (s(l.p99.value).ln() - mu) / Z_99,
            }
        }
        RawDist::Gamma(g) => {
            positive(&g.mean, "gamma.mean")?;
            if g.cv.value.0 <= 0.0 {
                return Err(ctx
                    .err(
                        &g.cv.referenced,
                        format!("{p}.gamma.cv"),
                        format!(
                            "expected a coefficient of variation greater than 0, found {}",
                            g.cv.value.0
                        ),
                    )
                    .with_hint("for a fixed value use `constant`"));
            }
            let shape = 1.0 / (g.cv.value.0 * g.cv.value.0);
            let scale_s = s(g.mean.value) / shape;
            if !shape.is_finite() || !scale_s.is_normal() {
                return Err(ctx
                    .err(
                        &g.cv.referenced,
                        format!("{p}.gamma.cv"),
                        format!(
                            "expected a coefficient of variation between 1e-6 and 1e6, found {}",
                            g.cv.value.0
                        ),
                    )
                    .with_hint("a cv of 1 is as variable as an exponential; for a fixed value use `constant`"));
            }
            WorkDist::Gamma { shape, scale_s }
        }
        RawDist::Uniform(u) => {
            if u.max.value.0 < u.min.0 {
                return Err(ctx
                    .err(
                        &u.max.referenced,
                        format!("{p}.uniform.max"),
                        format!(
                            "expected max ≥ min, found min {} and max {}",
                            format_duration(u.min.0),
                            format_duration(u.max.value.0)
                        ),
                    )
                    .with_hint("values are drawn evenly between min and max"));
            }
            WorkDist::Uniform {
                min_s: s(u.min),
                max_s: s(u.max.value),
            }
        }
    })
}
