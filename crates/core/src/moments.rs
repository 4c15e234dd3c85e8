//! Higher moments of a return sample.
//!
//! - Population (biased) skewness `g1 = m3/m2^{3/2}` and excess kurtosis `g2 = m4/m2² − 3`, with
//!   central moments `m_k = Σ(x−x̄)^k/n` (scipy defaults; used by the Cornish-Fisher VaR).
//! - Bias-corrected `G1 = g1·√(n(n−1))/(n−2)` and `G2 = ((n+1)g2 + 6)(n−1)/((n−2)(n−3))`
//!   (pandas `skew`/`kurt`, Excel `SKEW`/`KURT`; what QuantStats reports) — Ballast's default.
//!
//! Too-short samples or zero variance give `NaN`.

use crate::stats::mean;

fn central(x: &[f64]) -> (f64, f64, f64) {
    let m = mean(x);
    let n = x.len() as f64;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for v in x {
        let d = v - m;
        let d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    (m2 / n, m3 / n, m4 / n)
}

/// Population skewness `g1`.
pub fn skew_population(x: &[f64]) -> f64 {
    if x.len() < 3 {
        return f64::NAN;
    }
    let (m2, m3, _) = central(x);
    if m2 > 0.0 {
        m3 / m2.powf(1.5)
    } else {
        f64::NAN
    }
}

/// Population excess kurtosis `g2`.
pub fn excess_kurtosis_population(x: &[f64]) -> f64 {
    if x.len() < 4 {
        return f64::NAN;
    }
    let (m2, _, m4) = central(x);
    if m2 > 0.0 {
        m4 / (m2 * m2) - 3.0
    } else {
        f64::NAN
    }
}

/// Bias-corrected skewness `G1` (the default).
pub fn skew(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    skew_population(x) * (n * (n - 1.0)).sqrt() / (n - 2.0)
}

/// Bias-corrected excess kurtosis `G2` (the default).
pub fn excess_kurtosis(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    ((n + 1.0) * excess_kurtosis_population(x) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
}
