//! Distribution helpers against closed forms.

use super::*;

#[test]
fn cells_cover_the_probability() {
    let d = WorkDist::Exponential { mean_s: 1.0 };
    let n = nodes(&d);
    let total: f64 = n.iter().map(|c| c.1).sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    assert!(n.windows(2).all(|w| w[0].0 < w[1].0), "increasing values");
}

#[test]
fn quantiles_invert_the_survival_function() {
    let dists = [
        WorkDist::Exponential { mean_s: 0.02 },
        WorkDist::Lognormal {
            mu: -4.0,
            sigma: 0.9,
        },
        WorkDist::Gamma {
            shape: 0.44,
            scale_s: 0.011,
        },
        WorkDist::Uniform {
            min_s: 0.01,
            max_s: 0.03,
        },
    ];
    for d in &dists {
        for p in [0.5, 0.1, 0.01, 1e-3, 1e-6] {
            let x = upper_quantile(d, p);
            let back = survival(d, x);
            assert!((back - p).abs() < 1e-6 * p.max(1e-3), "{d:?} p={p}: {back}");
        }
    }
}

#[test]
fn compression_keeps_the_mean_and_the_tail() {
    // 2000 equally likely atoms 1..=2000: mean 1000.5, 1 % of the mass above 1980.
    let mut atoms: Vec<(f64, f64)> = (1..=2000).map(|i| (f64::from(i), 1.0)).collect();
    let c = compress(&mut atoms);
    let mass: f64 = c.iter().map(|n| n.1).sum();
    let mean: f64 = c.iter().map(|n| n.0 * n.1).sum();
    assert!((mass - 1.0).abs() < 1e-12);
    assert!((mean - 1000.5).abs() < 1e-9, "{mean}");
    let above: f64 = c.iter().filter(|n| n.0 > 1980.0).map(|n| n.1).sum();
    assert!((above - 0.01).abs() < 1e-3, "{above}");
    assert!(c.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn holding_time_moments_and_survival() {
    // X = 2·cpu + io with cpu ~ Exp(10 ms) and io ~ Exp(20 ms): both parts have rate 50/s,
    // so X ~ Gamma(2, 20 ms): P(X > t) = (1 + t/0.02)·e^(−t/0.02), E[X²] = 2·3·(20 ms)².
    let work = Work::new(
        WorkDist::Exponential { mean_s: 0.01 },
        Some(WorkDist::Exponential { mean_s: 0.02 }),
    );
    let h = Holding::new(&work, vec![(2.0, 1.0)]);
    assert!((h.mean_s() - 0.04).abs() < 1e-15);
    assert!((h.scv() - 0.5).abs() < 1e-12);
    let m1 = h.expect(|s| s);
    let m2 = h.expect(|s| s * s);
    assert!((m1 / 0.04 - 1.0).abs() < 2e-3, "{m1}");
    assert!((m2 / (6.0 * 0.02f64.powi(2)) - 1.0).abs() < 1e-2, "{m2}");
    for t in [0.01, 0.05, 0.1, 0.2] {
        let exact = (1.0 + t / 0.02) * (-t / 0.02f64).exp();
        let got = h.survival(t);
        assert!((got / exact - 1.0).abs() < 3e-3, "t={t}: {got} vs {exact}");
    }
    assert!(!h.is_exponential());
    let constant = Work::new(
        WorkDist::Constant { secs: 0.005 },
        Some(WorkDist::Exponential { mean_s: 0.01 }),
    );
    let c = Holding::new(&constant, vec![(1.0, 1.0)]);
    assert!((c.survival(0.015) - (-1.0f64).exp()).abs() < 1e-15);
    assert_eq!(c.survival(0.004), 1.0);
    let exp = Work::new(WorkDist::Exponential { mean_s: 0.01 }, None);
    assert!(Holding::new(&exp, vec![(1.0, 1.0)]).is_exponential());
}

#[test]
fn a_random_slowdown_mixes() {
    // G = 1 or 3 with equal chance, exponential 10 ms work:
    // P(X > t) = ½e^(−t/0.01) + ½e^(−t/0.03); E[X] = 20 ms; E[X²] = ½·2·(0.01² + 0.03²).
    let work = Work::new(WorkDist::Exponential { mean_s: 0.01 }, None);
    let h = Holding::new(&work, vec![(1.0, 0.5), (3.0, 0.5)]);
    assert!((h.mean_s() - 0.02).abs() < 1e-15);
    let second = 0.01f64.powi(2) + 0.03f64.powi(2);
    assert!((h.scv() - (second / 0.0004 - 1.0)).abs() < 1e-12);
    for t in [0.005, 0.03, 0.1] {
        let exact = 0.5 * (-t / 0.01f64).exp() + 0.5 * (-t / 0.03f64).exp();
        assert!((h.survival(t) - exact).abs() < 1e-15);
    }
    assert!((h.expect(|x| x * x) / second - 1.0).abs() < 1e-2);
    assert!(!h.is_exponential());
}
