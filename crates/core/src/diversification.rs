//! Diversification figures of a portfolio: diversification ratio, effective number of bets on
//! the risk contributions, and the concentration of the weights.
//!
//! Inputs: the positions' weights `w` (fractions of net portfolio value; cash is not a
//! position and is left out) and the covariance matrix `Σ` of their returns (any frequency: the
//! figures are ratios and do not depend on it). Missing weights count as 0; weights past
//! `Σ`'s size are ignored by the risk figures. `σ_p = √(wᵀΣw)`, `σ_i = √Σ_ii`.

use crate::covariance::Matrix;
use serde::{Deserialize, Serialize};

/// The diversification figures; `NaN` where undefined (zero portfolio volatility, no weights).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diversification {
    /// `DR = Σ |w_i| σ_i / σ_p` (Choueifaty & Coignard 2008, "Toward Maximum Diversification",
    /// *Journal of Portfolio Management* 35(1)): the weighted average volatility over the
    /// portfolio's volatility. 1 for a single asset or perfectly correlated long assets, `√n`
    /// for `n` equally weighted uncorrelated assets of equal volatility. Long/short portfolios
    /// use `|w_i|` (gross exposure: a short position adds its own risk to the numerator), which
    /// keeps `DR ≥ 1` by the triangle inequality; for long-only portfolios it is the paper's
    /// ratio.
    pub diversification_ratio: f64,
    /// `ENB = exp(−Σ p_i ln p_i)` over the Euler risk-contribution shares
    /// `p_i = w_i (Σw)_i / σ_p²` (which sum to 1): the exponential of their entropy, Meucci's
    /// (2009, "Managing Diversification", *Risk* 22(5)) effective number of bets taken on the
    /// positions' risk contributions rather than on principal-component bets. `n` when every
    /// position contributes the same risk (e.g. equal-weight uncorrelated assets of equal
    /// volatility), 1 when one position carries all of it. Shares `≤ 0` (hedging positions,
    /// which reduce risk) have no entropy term: they are left out and the positive shares are
    /// rescaled to sum to 1.
    pub effective_number_of_bets: f64,
    /// Herfindahl–Hirschman index of the weights `H = Σ (w_i / Σ_j |w_j|)²` over the positions
    /// (cash excluded; gross exposure as the base, so shorts count by their size). Between
    /// `1/n` (equal weights) and 1 (one position).
    pub herfindahl: f64,
    /// `1 / H`: the number of equally weighted positions with the same concentration.
    pub effective_number_of_positions: f64,
}

/// The diversification figures of `weights` under the covariance `cov` (see
/// [`Diversification`] for each formula and convention).
pub fn diversification(weights: &[f64], cov: &Matrix) -> Diversification {
    let n = cov.n;
    let w: Vec<f64> = (0..n)
        .map(|i| weights.get(i).copied().unwrap_or(0.0))
        .collect();
    let sw = cov.mul_vec(&w);
    let var_p: f64 = w.iter().zip(&sw).map(|(a, b)| a * b).sum();
    let (dr, enb) = if var_p > 0.0 && var_p.is_finite() {
        let sigma_p = var_p.sqrt();
        let weighted_vol: f64 = w
            .iter()
            .enumerate()
            .map(|(i, wi)| wi.abs() * cov.get(i, i).max(0.0).sqrt())
            .sum();
        let shares: Vec<f64> = w
            .iter()
            .zip(&sw)
            .map(|(wi, s)| wi * s / var_p)
            .filter(|p| *p > 0.0)
            .collect();
        let total: f64 = shares.iter().sum();
        let entropy: f64 = shares
            .iter()
            .map(|p| {
                let q = p / total;
                -q * q.ln()
            })
            .sum();
        (weighted_vol / sigma_p, entropy.exp())
    } else {
        (f64::NAN, f64::NAN)
    };
    let gross: f64 = weights.iter().map(|x| x.abs()).sum();
    let herfindahl = if gross > 0.0 && gross.is_finite() {
        weights.iter().map(|x| (x / gross).powi(2)).sum()
    } else {
        f64::NAN
    };
    Diversification {
        diversification_ratio: dr,
        effective_number_of_bets: enb,
        herfindahl,
        effective_number_of_positions: 1.0 / herfindahl,
    }
}
