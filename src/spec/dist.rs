//! Distributions of non-negative durations — a request's CPU and I/O work,
//! node boot and pod start-up times — as validated from the scenario
//! (parameters in seconds; the model samples them in nanoseconds).

/// A distribution of non-negative durations, parameters in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WorkDist {
    /// Always `secs`.
    Constant {
        /// The value.
        secs: f64,
    },
    /// Exponential with mean `mean_s`.
    Exponential {
        /// Mean.
        mean_s: f64,
    },
    /// ln X ~ Normal(mu, sigma²), X in seconds.
    Lognormal {
        /// Mean of ln X.
        mu: f64,
        /// Standard deviation of ln X.
        sigma: f64,
    },
    /// Gamma with `shape` k and `scale_s` θ (mean kθ).
    Gamma {
        /// Shape k.
        shape: f64,
        /// Scale θ.
        scale_s: f64,
    },
    /// Uniform on [min_s, max_s].
    Uniform {
        /// Lower bound.
        min_s: f64,
        /// Upper bound.
        max_s: f64,
    },
}

impl WorkDist {
    /// The mean, in seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            WorkDist::Constant { secs } => secs,
            WorkDist::Exponential { mean_s } => mean_s,
            WorkDist::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            WorkDist::Gamma { shape, scale_s } => shape * scale_s,
            WorkDist::Uniform { min_s, max_s } => (min_s + max_s) / 2.0,
        }
    }
}
