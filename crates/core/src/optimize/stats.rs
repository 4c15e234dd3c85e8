//! The risk figures of a weight vector, in the optimiser's conventions
//! (`../shared/reference/OPTIMIZATION.md`, "Conventions"):
//!
//! * expected return `μ'w` and volatility `√(w'Σw)`, annualised, from the chosen estimators;
//!   Sharpe `(μ'w − r_f)/σ`;
//! * historical CVaR_β and VaR_β of the per-period loss `L_t = −r_t'w` as the
//!   Rockafellar-Uryasev minimum: `VaR` = the `⌈(1−β)T⌉`-th largest loss and
//!   `CVaR = VaR + Σ_t max(L_t − VaR, 0)/((1−β)T)` (the fractional-atom definition the CVaR
//!   programs minimise; the Risk page's type-7 VaR can differ in the last digits);
//! * CDaR_β of uncompounded cumulative returns (the CDaR program's measure) and the maximum
//!   uncompounded drawdown;
//! * mean absolute deviation `1/T Σ|(r_t − r̄)'w|`;
//! * risk contributions `w_i(Σw)_i/w'Σw` and the diversification ratio `σ'w/√(w'Σw)`.

use crate::covariance::Matrix;
use serde::{Deserialize, Serialize};

/// Figures of one portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioStats {
    pub expected_return: f64,
    pub volatility: f64,
    pub sharpe: f64,
    /// Per-period historical VaR_β and CVaR_β (positive = loss).
    pub var: f64,
    pub cvar: f64,
    /// CDaR_β of uncompounded cumulative returns.
    pub cdar: f64,
    pub max_drawdown: f64,
    pub mad: f64,
    pub risk_contributions: Vec<f64>,
    pub diversification_ratio: f64,
    pub gross_exposure: f64,
    pub assets_held: usize,
}

/// Per-period portfolio returns `r_t'w` (asset-major input).
pub fn portfolio_path(returns: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
    let t = returns.first().map_or(0, Vec::len);
    let mut out = vec![0.0; t];
    for (r, &wi) in returns.iter().zip(w) {
        if wi != 0.0 {
            for (o, &x) in out.iter_mut().zip(r) {
                *o += wi * x;
            }
        }
    }
    out
}

/// Rockafellar-Uryasev `(VaR_β, CVaR_β)` of `losses` (the `⌈(1−β)T⌉`-th largest loss).
pub fn ru_var_cvar(losses: &[f64], beta: f64) -> (f64, f64) {
    let t = losses.len();
    if t == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut sorted = losses.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let k = (((1.0 - beta) * t as f64).ceil() as usize).clamp(1, t);
    let var = sorted[k - 1];
    let tail: f64 = losses.iter().map(|&l| (l - var).max(0.0)).sum();
    (var, var + tail / ((1.0 - beta) * t as f64))
}

/// CDaR_β and maximum drawdown of uncompounded cumulative returns (running peak from 0).
pub fn cdar_uncompounded(path: &[f64], beta: f64) -> (f64, f64) {
    let mut cum = 0.0;
    let mut peak: f64 = 0.0;
    let dd: Vec<f64> = path
        .iter()
        .map(|r| {
            cum += r;
            peak = peak.max(cum);
            peak - cum
        })
        .collect();
    let max_dd = dd.iter().cloned().fold(0.0, f64::max);
    let (_, cdar) = ru_var_cvar(&dd, beta);
    (cdar, max_dd)
}

/// Figures of `w` given annualised `mu`/`sigma`, per-period `returns` (asset-major).
pub fn portfolio_stats(
    w: &[f64],
    mu: &[f64],
    sigma: &Matrix,
    returns: &[Vec<f64>],
    rf_annual: f64,
    beta: f64,
) -> PortfolioStats {
    let ret: f64 = mu.iter().zip(w).map(|(a, b)| a * b).sum();
    let var = sigma.quad_form(w).max(0.0);
    let vol = var.sqrt();
    let path = portfolio_path(returns, w);
    let losses: Vec<f64> = path.iter().map(|r| -r).collect();
    let (hvar, hcvar) = ru_var_cvar(&losses, beta);
    let (cdar, max_dd) = cdar_uncompounded(&path, beta);
    let mean = path.iter().sum::<f64>() / path.len().max(1) as f64;
    let mad = path.iter().map(|r| (r - mean).abs()).sum::<f64>() / path.len().max(1) as f64;
    let sw = sigma.mul_vec(w);
    let rc = w
        .iter()
        .zip(&sw)
        .map(|(a, b)| if var > 0.0 { a * b / var } else { f64::NAN })
        .collect();
    let wsig: f64 = w
        .iter()
        .enumerate()
        .map(|(i, &wi)| wi * sigma.data[i * sigma.n + i].max(0.0).sqrt())
        .sum();
    PortfolioStats {
        expected_return: ret,
        volatility: vol,
        sharpe: if vol > 0.0 {
            (ret - rf_annual) / vol
        } else {
            f64::NAN
        },
        var: hvar,
        cvar: hcvar,
        cdar,
        max_drawdown: max_dd,
        mad,
        risk_contributions: rc,
        diversification_ratio: if vol > 0.0 { wsig / vol } else { f64::NAN },
        gross_exposure: w.iter().map(|x| x.abs()).sum(),
        assets_held: w.iter().filter(|x| x.abs() > 1e-6).count(),
    }
}
