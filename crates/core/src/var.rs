//! Historical Value at Risk and expected shortfall of a return sample, reported as **positive
//! losses** (a VaR of 0.0174 is a 1.74% loss).
//!
//! - VaR: `VaR_c = −q_{1−c}(r)` with the type-7 (linear interpolation) quantile, as numpy
//!   `percentile`, empyrical `value_at_risk` and Excel `PERCENTILE.INC`.
//! - CVaR (expected shortfall): Rockafellar & Uryasev (2002), as skfolio `cvar`: with
//!   `k = (1−c)·n` and `i = ⌈k⌉−1`, `CVaR = −(Σ_{j<i} r_(j) + (k−i)·r_(i)) / k` on the ascending
//!   sample — the exact mean of the worst `(1−c)` fraction of outcomes, counting the boundary
//!   observation fractionally. Coherent and continuous in `c`.
//!
//! See `../shared/reference/CONVENTIONS.md` §4 (copied figures in the tests).

use crate::stats::{quantile_type7_sorted, sorted};

/// Historical VaR at confidence `c` (0 < c < 1) from returns; `NaN` on an empty sample.
pub fn historical_var(returns: &[f64], confidence: f64) -> f64 {
    historical_var_sorted(&sorted(returns), confidence)
}

/// [`historical_var`] on an ascending sample.
pub fn historical_var_sorted(sorted: &[f64], confidence: f64) -> f64 {
    -quantile_type7_sorted(sorted, 1.0 - confidence)
}

/// Rockafellar-Uryasev historical CVaR at confidence `c`; `NaN` on an empty sample.
pub fn historical_cvar(returns: &[f64], confidence: f64) -> f64 {
    historical_cvar_sorted(&sorted(returns), confidence)
}

/// [`historical_cvar`] on an ascending sample.
pub fn historical_cvar_sorted(sorted: &[f64], confidence: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || !(confidence > 0.0 && confidence < 1.0) {
        return f64::NAN;
    }
    let k = (1.0 - confidence) * n as f64;
    let i = (k.ceil() as usize).saturating_sub(1).min(n - 1);
    let head: f64 = sorted[..i].iter().sum();
    -(head + (k - i as f64) * sorted[i]) / k
}

fn z(confidence: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(1.0 - confidence)
}

/// Gaussian (parametric) VaR, mean included: `−(μ + z_{1−c}·σ)`, σ with ddof 1 (QuantStats
/// `value_at_risk`), positive loss.
pub fn gaussian_var(returns: &[f64], confidence: f64) -> f64 {
    -(crate::stats::mean(returns) + z(confidence) * crate::stats::std_dev(returns))
}

/// Gaussian expected shortfall `−(μ − σ·φ(z)/(1−c))`, σ with ddof 1, positive loss.
pub fn gaussian_es(returns: &[f64], confidence: f64) -> f64 {
    use statrs::distribution::{Continuous, Normal};
    let pdf = Normal::standard().pdf(z(confidence));
    -(crate::stats::mean(returns) - crate::stats::std_dev(returns) * pdf / (1.0 - confidence))
}

/// A Cornish-Fisher VaR with the moments it used and whether the expansion is valid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CornishFisher {
    /// `−(μ + h·√m2)`, positive loss.
    pub var: f64,
    /// Population skewness `S`.
    pub skew: f64,
    /// Population excess kurtosis `K`.
    pub excess_kurtosis: f64,
    /// The expansion `h(z)` is monotone in `z` (a valid quantile map) only when
    /// `a = K/8 − S²/6 ≥ 0` and `b² − 4ac ≤ 0` with `b = S/3`, `c = 1 − K/8 + 5S²/36`. Outside
    /// it the figure is an artefact and must be flagged.
    pub in_monotone_domain: bool,
}

/// Cornish-Fisher (modified) VaR as PerformanceAnalytics `VaR.CornishFisher`:
/// `h = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36`, with population moments.
pub fn cornish_fisher_var(returns: &[f64], confidence: f64) -> CornishFisher {
    let s = crate::moments::skew_population(returns);
    let k = crate::moments::excess_kurtosis_population(returns);
    let z = z(confidence);
    let h = z + (z * z - 1.0) * s / 6.0 + (z.powi(3) - 3.0 * z) * k / 24.0
        - (2.0 * z.powi(3) - 5.0 * z) * s * s / 36.0;
    let m2 = crate::stats::variance(returns, 0);
    let a = k / 8.0 - s * s / 6.0;
    let b = s / 3.0;
    let c = 1.0 - k / 8.0 + 5.0 * s * s / 36.0;
    CornishFisher {
        var: -(crate::stats::mean(returns) + h * m2.sqrt()),
        skew: s,
        excess_kurtosis: k,
        in_monotone_domain: a >= 0.0 && b * b - 4.0 * a * c <= 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sample() {
        let r = [-0.05, -0.02, 0.0, 0.01, 0.03];
        // type 7 at p = 0.2: h = 0.8 → -0.05 + 0.8*0.03 = -0.026
        assert!((historical_var(&r, 0.8) - 0.026).abs() < 1e-15);
        // k = 1 → i = 0 → -( 0 + 1*-0.05)/1
        assert!((historical_cvar(&r, 0.8) - 0.05).abs() < 1e-15);
        // k = 1.5 → i = 1 → -(-0.05 + 0.5*-0.02)/1.5 = 0.04
        assert!((historical_cvar(&r, 0.7) - 0.04).abs() < 1e-15);
    }
}
