//! Hierarchical Risk Parity (López de Prado 2016, "Building diversified portfolios that
//! outperform out of sample", Journal of Portfolio Management 42(4), 59–69), exactly as
//! PyPortfolioOpt 1.6.0 `HRPOpt(returns).optimize(linkage_method)`:
//!
//! 1. **Tree.** Correlation `ρ_ij = Σ_ij/√(Σ_ii Σ_jj)`, distance
//!    `d_ij = √(clip((1 − ρ_ij)/2, 0, 1))`, hierarchical clustering with the chosen linkage
//!    ([`crate::clustering::hierarchical`], scipy's `linkage`).
//! 2. **Quasi-diagonalisation.** The assets in the dendrogram's leaf order (scipy
//!    `to_tree(Z).pre_order()` = `leaves_list`, no optimal leaf ordering).
//! 3. **Recursive bisection** of the *ordered list* (not of the tree): every list of length
//!    `m > 1` is split into its first `⌊m/2⌋` assets `L` and the rest `R`. A cluster's variance
//!    is `v_c = w_cᵀ Σ_c w_c` with the inverse-variance weights `w_c ∝ 1/diag(Σ_c)` inside it;
//!    `L`'s weights are multiplied by `α = 1 − v_L/(v_L + v_R)`, `R`'s by `1 − α`.
//!
//! Every weight is positive (for a positive-definite `Σ`) and they sum to 1. The covariance's
//! units do not matter (daily or annualised give the same weights). Checked against
//! PyPortfolioOpt, Riskfolio-Lib (`leaf_order=False`) and skfolio (`optimal_ordering=False`) on
//! the 20-stock sample (`tests/optim_estimates.rs`).

use super::heuristics::checked_variances;
use super::OptError;
use crate::clustering::{hierarchical, Dendrogram, Linkage};
use crate::covariance::Matrix;
use crate::estimators::{correlation_from_covariance, min_eigenvalue, PSD_REL_TOL};
use serde::{Deserialize, Serialize};

/// Relative asymmetry `|Σ_ij − Σ_ji| / √(Σ_ii Σ_jj)` tolerated in the input covariance.
const SYMMETRY_TOL: f64 = 1e-10;

/// HRP weights with the tree they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrpResult {
    /// In the assets' order; positive, summing to 1.
    pub weights: Vec<f64>,
    /// The assets in the order the bisection splits (the dendrogram's leaf order).
    pub leaf_order: Vec<usize>,
    /// The hierarchical clustering of the correlation distance.
    pub dendrogram: Dendrogram,
}

/// Hierarchical Risk Parity weights of the assets of `cov` (module docs for the algorithm).
///
/// `symbols` names the assets in errors. Errors: an empty or malformed matrix, symbols not one
/// per asset, a non-finite or asymmetric entry, a variance that is zero
/// ([`OptError::ZeroVariance`]) or negative, and a split whose two clusters both have zero (or
/// clearly negative) variance, which only a singular or non-PSD matrix gives
/// ([`OptError::SingularCovariance`]).
pub fn hrp(cov: &Matrix, symbols: &[String], linkage: Linkage) -> Result<HrpResult, OptError> {
    let var = checked_variances(cov, symbols)?;
    let n = cov.n;
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (cov.data[i * n + j], cov.data[j * n + i]);
            if !a.is_finite() {
                return Err(OptError::invalid(
                    "covariance",
                    format!(
                        "the covariance of {} and {} is not a finite number",
                        symbols[i], symbols[j]
                    ),
                ));
            }
            if j > i && (a - b).abs() > SYMMETRY_TOL * (var[i] * var[j]).sqrt() {
                return Err(OptError::invalid(
                    "covariance",
                    format!(
                        "the matrix is not symmetric: ({}, {}) is {a} but ({}, {}) is {b}",
                        symbols[i], symbols[j], symbols[j], symbols[i]
                    ),
                ));
            }
        }
    }
    let corr = correlation_from_covariance(cov);
    let dendrogram = hierarchical(&corr, linkage);
    let leaf_order = dendrogram.leaf_order.clone();
    let weights = bisection(cov, &var, &leaf_order, symbols)?;
    Ok(HrpResult {
        weights,
        leaf_order,
        dendrogram,
    })
}

/// Recursive bisection of `order` (pypfopt `_raw_hrp_allocation`). Each weight is the product
/// of the factors on its path from the root, multiplied in that order as pypfopt does.
fn bisection(
    cov: &Matrix,
    var: &[f64],
    order: &[usize],
    symbols: &[String],
) -> Result<Vec<f64>, OptError> {
    let mut w = vec![1.0; cov.n];
    let mut stack: Vec<&[usize]> = vec![order];
    while let Some(items) = stack.pop() {
        if items.len() < 2 {
            continue;
        }
        let (left, right) = items.split_at(items.len() / 2);
        let v_left = cluster_variance(cov, var, left);
        let v_right = cluster_variance(cov, var, right);
        let alpha = split_factor(cov, v_left, v_right, left, right, symbols)?;
        left.iter().for_each(|&i| w[i] *= alpha);
        right.iter().for_each(|&i| w[i] *= 1.0 - alpha);
        stack.push(right);
        stack.push(left);
    }
    Ok(w)
}

/// `w_cᵀ Σ_c w_c` with `w_c = (1/diag Σ_c) / Σ (1/diag Σ_c)` (pypfopt `_get_cluster_var`).
fn cluster_variance(cov: &Matrix, var: &[f64], items: &[usize]) -> f64 {
    let n = cov.n;
    let mut w: Vec<f64> = items.iter().map(|&i| 1.0 / var[i]).collect();
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= total);
    items
        .iter()
        .zip(&w)
        .map(|(&i, wi)| {
            let row = &cov.data[i * n..(i + 1) * n];
            let sw: f64 = items.iter().zip(&w).map(|(&j, wj)| row[j] * wj).sum();
            wi * sw
        })
        .sum()
}

/// `α = 1 − v_L/(v_L + v_R)` after clamping rounding-level negative variances to 0.
fn split_factor(
    cov: &Matrix,
    v_left: f64,
    v_right: f64,
    left: &[usize],
    right: &[usize],
    symbols: &[String],
) -> Result<f64, OptError> {
    let n = cov.n;
    let scale = left
        .iter()
        .chain(right)
        .map(|&i| cov.data[i * n + i])
        .fold(0.0, f64::max);
    let tol = PSD_REL_TOL * scale;
    let clamp = |v: f64| if v < 0.0 && v >= -tol { 0.0 } else { v };
    let (v_left, v_right) = (clamp(v_left), clamp(v_right));
    if v_left >= 0.0 && v_right >= 0.0 && v_left + v_right > 0.0 {
        return Ok(1.0 - v_left / (v_left + v_right));
    }
    let names = |items: &[usize]| {
        items
            .iter()
            .map(|&i| symbols[i].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(OptError::SingularCovariance {
        min_eigenvalue: min_eigenvalue(cov),
        detail: format!(
            " (the inverse-variance portfolios of {{{}}} and {{{}}} have variances {v_left:.3e} and {v_right:.3e})",
            names(left),
            names(right)
        ),
    })
}
