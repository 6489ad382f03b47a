//! Erlang B and Erlang C, as in `docs/reference/queueing.md`: the stable
//! recursion B(k, a) = a·B(k−1, a) / (k + a·B(k−1, a)) from B(0, a) = 1,
//! and C(c, a) = c·B / (c − a·(1 − B)) for an offered load a = λ·E\[S\] < c.

/// Erlang B: the blocking probability of `servers` servers at offered load `a` = λ·E\[S\].
pub fn erlang_b(servers: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=servers {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C: the probability that an arrival waits, for `servers` servers at offered load `a` (1 when a ≥ servers).
pub fn erlang_c(servers: u32, a: f64) -> f64 {
    let c = f64::from(servers);
    if a >= c {
        return 1.0;
    }
    let b = erlang_b(servers, a);
    c * b / (c - a * (1.0 - b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct form of docs/reference/queueing.md: [aᶜ/c!·c/(c−a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c!·c/(c−a)].
    fn erlang_c_direct(c: u32, a: f64) -> f64 {
        let mut term = 1.0; // aᵏ/k!
        let mut sum = 0.0;
        for k in 0..c {
            sum += term;
            term *= a / f64::from(k + 1);
        }
        let top = term * f64::from(c) / (f64::from(c) - a);
        top / (sum + top)
    }

    #[test]
    fn worked_example_and_the_direct_form() {
        // docs/reference/queueing.md: M/M/2 at ρ = 0.5 (a = 1) → P(wait) = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-14);
        // M/M/1: C = ρ; Erlang B of one server: a/(1 + a).
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-14);
        assert!((erlang_b(1, 0.7) - 0.7 / 1.7).abs() < 1e-14);
        for (c, rho) in [(1, 0.5), (4, 0.8), (16, 0.9), (32, 0.9), (64, 0.95)] {
            let a = rho * f64::from(c);
            let (rec, direct) = (erlang_c(c, a), erlang_c_direct(c, a));
            assert!(
                (rec - direct).abs() < 1e-12 * direct,
                "c={c}: {rec} vs {direct}"
            );
        }
        assert_eq!(erlang_c(4, 4.0), 1.0);
        assert_eq!(erlang_c(4, 0.0), 0.0);
    }
}
