//! Diversification ratio, effective number of bets and concentration: hand-computed cases and
//! property tests.

mod common;

use ballast_core::covariance::Matrix;
use ballast_core::diversification::diversification;
use common::assert_rel;
use proptest::prelude::*;

/// Closed-form cases: a handful of floating-point operations.
const HAND_TOL: f64 = 1e-12;

fn cov2(s1: f64, s2: f64, rho: f64) -> Matrix {
    Matrix {
        n: 2,
        data: vec![s1 * s1, rho * s1 * s2, rho * s1 * s2, s2 * s2],
    }
}

/// w = (0.6, 0.4), σ = (0.2, 0.1), ρ = 0.5:
/// σ_p² = 0.36·0.04 + 0.16·0.01 + 2·0.6·0.4·0.5·0.02 = 0.0208;
/// DR = (0.6·0.2 + 0.4·0.1)/√0.0208 = 0.16/0.1442221 = 1.1094004;
/// Σw = (0.028, 0.010), contributions (0.0168, 0.0040), shares (0.8076923, 0.1923077),
/// ENB = exp(0.8076923·0.2135741 + 0.1923077·1.6486586) = exp(0.4895519) = 1.6315849; H = 0.36 + 0.16 = 0.52, 1/H = 1.9230769.
#[test]
fn two_assets_long_only() {
    let d = diversification(&[0.6, 0.4], &cov2(0.2, 0.1, 0.5));
    assert_rel(
        "DR",
        d.diversification_ratio,
        0.16 / 0.0208f64.sqrt(),
        HAND_TOL,
    );
    let (p1, p2) = (0.0168 / 0.0208, 0.0040 / 0.0208);
    let enb = (-(p1 * f64::ln(p1) + p2 * f64::ln(p2))).exp();
    assert_rel("ENB", d.effective_number_of_bets, enb, HAND_TOL);
    assert_rel("ENB value", d.effective_number_of_bets, 1.6315849, 1e-7);
    assert_rel("H", d.herfindahl, 0.52, HAND_TOL);
    assert_rel("1/H", d.effective_number_of_positions, 1.0 / 0.52, HAND_TOL);
}

/// w = (1.0, −0.5), same covariance: σ_p² = 0.04 + 0.0025 − 2·0.5·0.5·0.02 = 0.0325;
/// DR = (0.2 + 0.05)/√0.0325 (gross weights); Σw = (0.035, 0.005), contributions
/// (0.035, −0.0025): the hedge's negative share is left out, so ENB = 1;
/// H = (1/1.5)² + (0.5/1.5)² = 5/9, 1/H = 1.8.
#[test]
fn long_short_uses_gross_weights_and_drops_negative_shares() {
    let d = diversification(&[1.0, -0.5], &cov2(0.2, 0.1, 0.5));
    assert_rel(
        "DR",
        d.diversification_ratio,
        0.25 / 0.0325f64.sqrt(),
        HAND_TOL,
    );
    assert_rel("ENB", d.effective_number_of_bets, 1.0, HAND_TOL);
    assert_rel("H", d.herfindahl, 5.0 / 9.0, HAND_TOL);
    assert_rel("1/H", d.effective_number_of_positions, 1.8, HAND_TOL);
}

#[test]
fn degenerate_inputs_give_nan_not_panics() {
    let z = diversification(&[0.0, 0.0], &cov2(0.2, 0.1, 0.5));
    assert!(z.diversification_ratio.is_nan());
    assert!(z.effective_number_of_bets.is_nan());
    assert!(z.herfindahl.is_nan());
    let nan = diversification(&[0.5, 0.5], &cov2(f64::NAN, 0.1, 0.5));
    assert!(nan.diversification_ratio.is_nan());
    assert_rel("H", nan.herfindahl, 0.5, HAND_TOL);
    let empty = diversification(&[], &Matrix::zeros(0));
    assert!(empty.diversification_ratio.is_nan());
    // Perfectly correlated long assets: no diversification.
    let one = diversification(&[0.3, 0.7], &cov2(0.2, 0.1, 1.0));
    assert_rel("DR", one.diversification_ratio, 1.0, HAND_TOL);
}

fn cov_of(factors: &[Vec<f64>], n: usize) -> Matrix {
    // Σ = F Fᵀ + 0.01 I: positive definite.
    let mut m = Matrix::zeros(n);
    for i in 0..n {
        for j in 0..n {
            let s: f64 = factors[i].iter().zip(&factors[j]).map(|(a, b)| a * b).sum();
            m.data[i * n + j] = s + if i == j { 0.01 } else { 0.0 };
        }
    }
    m
}

proptest! {
    #[test]
    fn equal_weight_uncorrelated_equal_vol(n in 1usize..40, vol in 0.001f64..2.0) {
        let mut cov = Matrix::zeros(n);
        for i in 0..n {
            cov.data[i * n + i] = vol * vol;
        }
        let w = vec![1.0 / n as f64; n];
        let d = diversification(&w, &cov);
        let nf = n as f64;
        prop_assert!((d.diversification_ratio - nf.sqrt()).abs() <= 1e-12 * nf);
        prop_assert!((d.effective_number_of_bets - nf).abs() <= 1e-12 * nf);
        prop_assert!((d.effective_number_of_positions - nf).abs() <= 1e-12 * nf);
        prop_assert!((d.herfindahl - 1.0 / nf).abs() <= 1e-12);
    }

    #[test]
    fn single_asset_is_one(w in 0.01f64..10.0, vol in 0.001f64..2.0, short in any::<bool>()) {
        let w = if short { -w } else { w };
        let d = diversification(&[w], &Matrix { n: 1, data: vec![vol * vol] });
        prop_assert!((d.diversification_ratio - 1.0).abs() < 1e-12);
        prop_assert!((d.effective_number_of_bets - 1.0).abs() < 1e-12);
        prop_assert!((d.herfindahl - 1.0).abs() < 1e-12);
        prop_assert!((d.effective_number_of_positions - 1.0).abs() < 1e-12);
    }

    #[test]
    fn figures_are_within_their_bounds(
        n in 1usize..12,
        raw in proptest::collection::vec(-0.5f64..1.0, 12),
        f in proptest::collection::vec(proptest::collection::vec(-0.3f64..0.3, 2), 12),
    ) {
        let w = &raw[..n];
        prop_assume!(w.iter().any(|x| x.abs() > 1e-3));
        let cov = cov_of(&f, n);
        let d = diversification(w, &cov);
        let nf = n as f64;
        prop_assert!(d.diversification_ratio >= 1.0 - 1e-12, "{}", d.diversification_ratio);
        prop_assert!(d.effective_number_of_bets >= 1.0 - 1e-12 && d.effective_number_of_bets <= nf + 1e-9);
        prop_assert!(d.effective_number_of_positions >= 1.0 - 1e-12 && d.effective_number_of_positions <= nf + 1e-9);
    }
}
