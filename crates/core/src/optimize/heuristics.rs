//! Allocations that need no optimiser: equal weight, inverse volatility, inverse variance.
//!
//! - **Equal weight**: `w_i = 1/n` (DeMiguel, Garlappi & Uppal 2009, "Optimal versus naive
//!   diversification", RFS 22(5)).
//! - **Inverse volatility**: `w_i = (1/σ_i) / Σ_j (1/σ_j)`, `σ_i = √Σ_ii` (skfolio
//!   `InverseVolatility`; the reference package's `hierarchical.inverse_volatility`).
//! - **Inverse variance**: `w_i = (1/σ_i²) / Σ_j (1/σ_j²)`, the minimum-variance portfolio when
//!   the assets are uncorrelated, and the within-cluster weights of Hierarchical Risk Parity
//!   (López de Prado 2016, "Building diversified portfolios that outperform out of sample",
//!   JPM 42(4)).
//!
//! Only the diagonal of the covariance is read, in any units (daily or annualised give the same
//! weights). Weights are long-only and sum to 1 (up to rounding).

use super::OptError;
use crate::covariance::Matrix;

/// `w_i = 1/n`. `n = 0` is an error.
pub fn equal_weight(n: usize) -> Result<Vec<f64>, OptError> {
    if n == 0 {
        return Err(OptError::invalid(
            "assets",
            "no assets: an allocation needs at least one",
        ));
    }
    Ok(vec![1.0 / n as f64; n])
}

/// `w_i = (1/σ_i) / Σ_j (1/σ_j)` with `σ_i = √Σ_ii` (skfolio `InverseVolatility`).
///
/// Errors: an empty or malformed matrix, `symbols` not one per asset, a variance that is zero
/// ([`OptError::ZeroVariance`], naming the asset), negative or not finite.
pub fn inverse_volatility(cov: &Matrix, symbols: &[String]) -> Result<Vec<f64>, OptError> {
    let var = checked_variances(cov, symbols)?;
    Ok(normalise(var.iter().map(|v| 1.0 / v.sqrt()).collect()))
}

/// `w_i = (1/σ_i²) / Σ_j (1/σ_j²)`; errors as [`inverse_volatility`].
pub fn inverse_variance(cov: &Matrix, symbols: &[String]) -> Result<Vec<f64>, OptError> {
    let var = checked_variances(cov, symbols)?;
    Ok(normalise(var.iter().map(|v| 1.0 / v).collect()))
}

fn normalise(mut w: Vec<f64>) -> Vec<f64> {
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= total);
    w
}

/// The diagonal of `cov` after checking the shape, the symbols and that every variance is a
/// positive finite number.
pub(crate) fn checked_variances(cov: &Matrix, symbols: &[String]) -> Result<Vec<f64>, OptError> {
    let n = cov.n;
    if n == 0 {
        return Err(OptError::invalid(
            "covariance",
            "no assets: an allocation needs at least one",
        ));
    }
    if cov.data.len() != n * n {
        return Err(OptError::invalid(
            "covariance",
            format!(
                "a {n} × {n} matrix needs {} entries, got {}",
                n * n,
                cov.data.len()
            ),
        ));
    }
    if symbols.len() != n {
        return Err(OptError::invalid(
            "symbols",
            format!(
                "{} symbol(s) for a covariance of {n} asset(s)",
                symbols.len()
            ),
        ));
    }
    (0..n)
        .map(|i| {
            let v = cov.data[i * n + i];
            if v == 0.0 {
                Err(OptError::ZeroVariance {
                    symbol: symbols[i].clone(),
                })
            } else if !(v.is_finite() && v > 0.0) {
                Err(OptError::invalid(
                    "covariance",
                    format!(
                        "{}: the variance must be a positive number (got {v})",
                        symbols[i]
                    ),
                ))
            } else {
                Ok(v)
            }
        })
        .collect()
}
