//! Discrete allocation: turning target weights into whole numbers of shares.
//!
//! Given target weights `w_i` (fractions of the total value `V`, shorts negative), prices
//! `p_i > 0` and the amount `V` to invest, an allocation is a vector of whole share counts
//! `x_i` with the cash left over `L = V − Σ_i x_i p_i ≥ 0`. Its quality is measured, as in the
//! project's reference (`discrete_allocation` of `optimization_sp500.json`), on the allocation
//! weights **as fractions of `V`** (uninvested cash therefore counts as a gap):
//!
//! - `a_i = x_i p_i / V`,
//! - `rmse = sqrt( Σ_i (w_i − a_i)² / n )` over all `n` assets, zero-weight ones included,
//! - `max_abs_weight_gap = max_i |w_i − a_i|`.
//!
//! Two allocators:
//!
//! - [`greedy_allocation`]: PyPortfolioOpt 1.6.0
//!   `DiscreteAllocation(w, latest_prices, total_portfolio_value).greedy_portfolio()`
//!   (Martin 2021, JOSS 6(61), 3066; `pypfopt/discrete_allocation.py`), reproduced step for step
//!   for long-only weights; see the function for the algorithm and the two places where Ballast
//!   departs from it (shorts, and inputs on which PyPortfolioOpt fails).
//! - [`improved_allocation`]: the greedy allocation followed by a deterministic steepest-descent
//!   local search over ±1-share moves and 1-for-1 swaps that lowers the weight RMSE while keeping
//!   `L ≥ 0`. It is never worse than greedy. On the reference ($100,000 in the max-Sharpe
//!   portfolio, 2022-12-28 prices) one swap (sell 1 MRK, buy 1 BBY) reaches exactly
//!   PyPortfolioOpt's `lp_portfolio` (mixed-integer LP) answer (`tests/optim_rebalance.rs`).

use super::OptError;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A whole-share allocation and how far it is from the target weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// Whole share counts `x_i`, in the input order (negative = short).
    pub shares: Vec<f64>,
    /// Position values `x_i p_i`.
    pub values: Vec<f64>,
    /// Allocation weights `a_i = x_i p_i / V` (fractions of the total value, cash included).
    pub weights: Vec<f64>,
    /// Cash left over, `V − Σ x_i p_i` (short-sale proceeds count as cash).
    pub leftover: f64,
    /// `sqrt(Σ_i (w_i − a_i)² / n)` over all `n` assets.
    pub rmse: f64,
    /// `max_i |w_i − a_i|`.
    pub max_abs_weight_gap: f64,
}

/// Purchases of the greedy second pass after which Ballast stops (PyPortfolioOpt has no cap).
/// The pass buys at most about `Σ p_i / min p_i` shares, so only absurd price ranges reach it.
const MAX_SECOND_PASS_PURCHASES: usize = 1_000_000;

/// Largest share count Ballast allocates: `2^53`, beyond which `f64` integers are not exact.
const MAX_EXACT_SHARES: f64 = 9_007_199_254_740_992.0;

/// PyPortfolioOpt gives up looking for an affordable asset after this many (its `counter == 10`).
const PYPFOPT_AFFORDABLE_SEARCH: usize = 10;

/// Checks the common inputs of both allocators.
fn validate(weights: &[f64], prices: &[f64], total_value: f64) -> Result<(), OptError> {
    if weights.is_empty() {
        return Err(OptError::invalid("weights", "no assets to allocate"));
    }
    if prices.len() != weights.len() {
        return Err(OptError::invalid(
            "prices",
            format!(
                "{} prices for {} weights; give one price per asset",
                prices.len(),
                weights.len()
            ),
        ));
    }
    if !total_value.is_finite() || total_value <= 0.0 {
        return Err(OptError::invalid(
            "total_value",
            format!("the amount to invest must be a positive number (got {total_value})"),
        ));
    }
    for (i, (&w, &p)) in weights.iter().zip(prices).enumerate() {
        if !w.is_finite() {
            return Err(OptError::invalid(
                "weights",
                format!("asset {}: weight {w} is not a finite number", i + 1),
            ));
        }
        if !p.is_finite() || p <= 0.0 {
            return Err(OptError::invalid(
                "prices",
                format!("asset {}: price {p} must be positive and finite", i + 1),
            ));
        }
    }
    // Every budget is at most `V·(1 + Σ|w|)`; share counts must stay exact integers.
    let reach = total_value * (1.0 + weights.iter().map(|w| w.abs()).sum::<f64>());
    for (i, &p) in prices.iter().enumerate() {
        let count = reach / p;
        if count.is_nan() || count > MAX_EXACT_SHARES {
            return Err(OptError::invalid(
                "prices",
                format!(
                    "asset {}: price {p} is too small for the amount invested to be counted in whole shares",
                    i + 1
                ),
            ));
        }
    }
    if weights.iter().all(|&w| w == 0.0) {
        return Err(OptError::invalid(
            "weights",
            "every weight is zero; there is nothing to allocate",
        ));
    }
    Ok(())
}

/// Builds the [`Allocation`] record (values, weights as fractions of `V`, gaps).
fn finish(
    shares: Vec<f64>,
    weights: &[f64],
    prices: &[f64],
    total_value: f64,
    leftover: f64,
) -> Allocation {
    let values: Vec<f64> = shares.iter().zip(prices).map(|(x, p)| x * p).collect();
    let alloc_weights: Vec<f64> = values.iter().map(|v| v / total_value).collect();
    let (rmse, max_abs_weight_gap) = weight_gap(weights, &alloc_weights);
    Allocation {
        shares,
        values,
        weights: alloc_weights,
        leftover,
        rmse,
        max_abs_weight_gap,
    }
}

/// `(sqrt(Σ (w_i − a_i)² / n), max |w_i − a_i|)`; `(0, 0)` for no assets.
pub(crate) fn weight_gap(target: &[f64], actual: &[f64]) -> (f64, f64) {
    if target.is_empty() {
        return (0.0, 0.0);
    }
    let mut sse = 0.0;
    let mut max = 0.0_f64;
    for (w, a) in target.iter().zip(actual) {
        let d = w - a;
        sse += d * d;
        max = max.max(d.abs());
    }
    ((sse / target.len() as f64).sqrt(), max)
}

/// First index of the largest element (numpy `argmax` on finite data).
fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate().skip(1) {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// PyPortfolioOpt's long-only greedy pass on non-negative `weights`: returns the share counts
/// (input order) and the cash left, computed by the same sequence of subtractions.
fn greedy_long(weights: &[f64], prices: &[f64], total_value: f64) -> (Vec<f64>, f64) {
    let n = weights.len();
    // `self.weights.sort(key=lambda x: x[1], reverse=True)`: stable, ties keep input order.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        weights[b]
            .partial_cmp(&weights[a])
            .unwrap_or(Ordering::Equal)
    });
    let w: Vec<f64> = order.iter().map(|&i| weights[i]).collect();
    let p: Vec<f64> = order.iter().map(|&i| prices[i]).collect();

    // First pass: floor(w·V/p) shares of each, in descending weight order.
    let mut funds = total_value;
    let mut bought = vec![0.0; n];
    for k in 0..n {
        let mut shares = (w[k] * total_value / p[k]).floor().max(0.0);
        // Only reachable when Σw > 1, where PyPortfolioOpt stops on an assertion: buy what the
        // remaining cash allows instead.
        if shares * p[k] > funds {
            shares = (funds / p[k]).floor().max(0.0);
            while shares > 0.0 && shares * p[k] > funds {
                shares -= 1.0;
            }
        }
        funds -= shares * p[k];
        bought[k] = shares;
    }

    // Second pass: one share at a time of the asset with the largest deficit that is
    // affordable, with PyPortfolioOpt's search limit.
    let mut purchases = 0;
    while funds > 0.0 && purchases < MAX_SECOND_PASS_PURCHASES {
        let invested: f64 = p.iter().zip(&bought).map(|(p, x)| p * x).sum();
        // PyPortfolioOpt divides 0/0 here when the first pass bought nothing; Ballast takes the
        // current weights as zero.
        let mut deficit: Vec<f64> = (0..n)
            .map(|k| {
                let current = if invested > 0.0 {
                    p[k] * bought[k] / invested
                } else {
                    0.0
                };
                w[k] - current
            })
            .collect();
        let mut idx = argmax(&deficit);
        let mut price = p[idx];
        let mut counter = 0;
        while price > funds {
            deficit[idx] = 0.0;
            idx = argmax(&deficit);
            if deficit[idx] < 0.0 || counter == PYPFOPT_AFFORDABLE_SEARCH {
                break;
            }
            price = p[idx];
            counter += 1;
        }
        if deficit[idx] <= 0.0 || counter == PYPFOPT_AFFORDABLE_SEARCH {
            break;
        }
        bought[idx] += 1.0;
        funds -= price;
        purchases += 1;
    }

    let mut shares = vec![0.0; n];
    for (k, &i) in order.iter().enumerate() {
        shares[i] = bought[k];
    }
    (shares, funds)
}

/// Greedy whole-share allocation of `total_value` to `weights` at `prices` (PyPortfolioOpt
/// 1.6.0 `DiscreteAllocation(...).greedy_portfolio()`, `reinvest=False`).
///
/// **Long-only weights** (all `w_i ≥ 0`), exactly PyPortfolioOpt's algorithm:
/// 1. sort the assets by weight, descending (stable);
/// 2. first pass: buy `⌊w_i V / p_i⌋` shares of each, in that order, subtracting each cost
///    from the cash `L` (starting at `V`);
/// 3. second pass, while `L > 0`: with the current weights `c_i = x_i p_i / Σ_j x_j p_j`, take
///    the asset with the largest deficit `w_i − c_i`; if its price exceeds `L`, set its deficit
///    to 0 and take the next largest, giving up when the best deficit is negative or after
///    10 such look-ups; stop when the chosen deficit is `≤ 0`; otherwise buy one share.
///
/// Departures (only where PyPortfolioOpt fails or has no rule): when the first pass bought
/// nothing, the current weights are taken as 0 instead of 0/0; when `Σ w_i > 1` the first pass
/// buys only what the cash allows instead of failing an assertion; the second pass stops after
/// 1,000,000 purchases.
///
/// **Weights with shorts**: longs and shorts are sized on `|w_i|·V` separately (not
/// PyPortfolioOpt's `short_ratio` split). With `S = Σ_{w<0} |w_i|` and `Λ = Σ_{w≥0} w_i`, the
/// shorts are allocated by the same greedy pass on `|w_i|/S` with budget `S·V` (whole shares
/// sold short, `x_i < 0`), then the longs on `w_i/Λ` with budget `min(Λ·V, V + proceeds)`, so
/// the cash `L = V + proceeds − long cost` never goes negative. When `Σ w_i = 1` this is
/// PyPortfolioOpt's `reinvest=True` sizing.
///
/// Errors: empty or mismatched inputs, a non-finite weight, a price that is not positive and
/// finite, `V ≤ 0`, or all weights zero (each naming the field and asset, 1-based).
pub fn greedy_allocation(
    weights: &[f64],
    prices: &[f64],
    total_value: f64,
) -> Result<Allocation, OptError> {
    validate(weights, prices, total_value)?;
    let n = weights.len();
    // `if self.weights[-1][1] < 0` (the smallest weight after the sort).
    if weights.iter().all(|&w| w >= 0.0) {
        let (shares, leftover) = greedy_long(weights, prices, total_value);
        return Ok(finish(shares, weights, prices, total_value, leftover));
    }

    let short_idx: Vec<usize> = (0..n).filter(|&i| weights[i] < 0.0).collect();
    let long_idx: Vec<usize> = (0..n).filter(|&i| weights[i] >= 0.0).collect();
    let short_total: f64 = short_idx.iter().map(|&i| -weights[i]).sum();
    let long_total: f64 = long_idx.iter().map(|&i| weights[i]).sum();
    let mut shares = vec![0.0; n];

    let short_budget = short_total * total_value;
    let sw: Vec<f64> = short_idx
        .iter()
        .map(|&i| -weights[i] / short_total)
        .collect();
    let sp: Vec<f64> = short_idx.iter().map(|&i| prices[i]).collect();
    let (sx, short_left) = greedy_long(&sw, &sp, short_budget);
    for (k, &i) in short_idx.iter().enumerate() {
        shares[i] = -sx[k];
    }
    let proceeds = short_budget - short_left;

    let mut cash = total_value + proceeds;
    if long_total > 0.0 {
        let long_budget = (long_total * total_value).min(total_value + proceeds);
        let lw: Vec<f64> = long_idx.iter().map(|&i| weights[i] / long_total).collect();
        let lp: Vec<f64> = long_idx.iter().map(|&i| prices[i]).collect();
        let (lx, long_left) = greedy_long(&lw, &lp, long_budget);
        for (k, &i) in long_idx.iter().enumerate() {
            shares[i] = lx[k];
        }
        cash -= long_budget - long_left;
    }
    Ok(finish(shares, weights, prices, total_value, cash))
}

/// The greedy allocation improved by a local search on the weight RMSE.
///
/// Starting from [`greedy_allocation`], each step evaluates every move that keeps the cash
/// `L ≥ 0` and each position on the side of its target (`x_i ≥ 0` when `w_i > 0`, `x_i ≤ 0`
/// when `w_i < 0`; zero-weight assets are never bought):
/// - one share more or less of one asset, `x_i ± 1`;
/// - a 1-for-1 swap, `x_i + 1` and `x_j − 1` (`i ≠ j`).
///
/// The objective is the sum of squared gaps `Σ_i (w_i − x_i p_i/V)²` (so `rmse²·n`), which is
/// separable, so a move's change is the change of one or two terms. The step with the largest
/// decrease is taken (ties: the first in asset order, singles before swaps); the search stops
/// when no move lowers the objective by more than `1e-12` of its value, or after `100 + 10·n`
/// steps. Steepest descent is deterministic; the result is checked against the greedy one and
/// the greedy one returned if the search somehow did not improve it, so it is never worse.
/// Reference: a 1-exchange neighbourhood search (Papadimitriou & Steiglitz 1982, ch. 19) on the
/// allocation problem PyPortfolioOpt's `lp_portfolio` solves as a mixed-integer LP.
///
/// Errors: as [`greedy_allocation`].
pub fn improved_allocation(
    weights: &[f64],
    prices: &[f64],
    total_value: f64,
) -> Result<Allocation, OptError> {
    let greedy = greedy_allocation(weights, prices, total_value)?;
    let n = weights.len();
    let v = total_value;
    let mut x = greedy.shares.clone();
    let mut cash = greedy.leftover;
    let term = |i: usize, xi: f64| {
        let d = weights[i] - xi * prices[i] / v;
        d * d
    };
    let allowed = |i: usize, xi: f64| {
        if weights[i] > 0.0 {
            xi >= 0.0
        } else if weights[i] < 0.0 {
            xi <= 0.0
        } else {
            false
        }
    };
    let mut sse: f64 = (0..n).map(|i| term(i, x[i])).sum();
    let max_steps = 100 + 10 * n;
    // Change of the objective for x_i + 1 and x_i − 1 (None when not allowed).
    let mut up: Vec<Option<f64>> = vec![None; n];
    let mut down: Vec<Option<f64>> = vec![None; n];
    let refresh = |i: usize, xi: f64, up: &mut [Option<f64>], down: &mut [Option<f64>]| {
        let now = term(i, xi);
        up[i] = allowed(i, xi + 1.0).then(|| term(i, xi + 1.0) - now);
        down[i] = allowed(i, xi - 1.0).then(|| term(i, xi - 1.0) - now);
    };
    for (i, &xi) in x.iter().enumerate() {
        refresh(i, xi, &mut up, &mut down);
    }
    for _ in 0..max_steps {
        // (change, i, j): x_i + 1 when i is Some, x_j − 1 when j is Some.
        let mut best: Option<(f64, Option<usize>, Option<usize>)> = None;
        let mut consider = |delta: f64, i: Option<usize>, j: Option<usize>| {
            if best.is_none_or(|(b, _, _)| delta < b) {
                best = Some((delta, i, j));
            }
        };
        for i in 0..n {
            if let Some(d) = up[i] {
                if cash - prices[i] >= 0.0 {
                    consider(d, Some(i), None);
                }
            }
            if let Some(d) = down[i] {
                if cash + prices[i] >= 0.0 {
                    consider(d, None, Some(i));
                }
            }
        }
        for i in 0..n {
            let Some(du) = up[i] else { continue };
            for j in 0..n {
                if i == j {
                    continue;
                }
                let Some(dd) = down[j] else { continue };
                if cash - prices[i] + prices[j] >= 0.0 {
                    consider(du + dd, Some(i), Some(j));
                }
            }
        }
        let Some((delta, bi, bj)) = best else { break };
        if delta >= -1e-12 * sse || delta >= 0.0 {
            break;
        }
        if let Some(i) = bi {
            x[i] += 1.0;
            cash -= prices[i];
            refresh(i, x[i], &mut up, &mut down);
        }
        if let Some(j) = bj {
            x[j] -= 1.0;
            cash += prices[j];
            refresh(j, x[j], &mut up, &mut down);
        }
        sse += delta;
    }
    let improved = finish(x, weights, prices, total_value, cash);
    if improved.rmse <= greedy.rmse && improved.leftover >= 0.0 {
        Ok(improved)
    } else {
        Ok(greedy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_assets_by_hand() {
        // V = 1000, 50/50 at 300 and 100: the first pass buys 1 and 5 shares (800), cash 200;
        // the deficits are 0.5 − 300/800 = 0.125 and −0.125; the first is unaffordable and the
        // rest negative, so greedy stops with 200 left.
        let a = greedy_allocation(&[0.5, 0.5], &[300.0, 100.0], 1000.0)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.shares, vec![1.0, 5.0]);
        assert_eq!(a.leftover, 200.0);
        // The swap +1 of the first, −1 of the second costs 200 and lowers Σ gap² from
        // 0.2² = 0.04 to 0.1² + 0.1² = 0.02.
        let b = improved_allocation(&[0.5, 0.5], &[300.0, 100.0], 1000.0)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.shares, vec![2.0, 4.0]);
        assert_eq!(b.leftover, 0.0);
        assert!((b.rmse - 0.1).abs() < 1e-15);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(greedy_allocation(&[], &[], 1.0).is_err());
        assert!(greedy_allocation(&[1.0], &[0.0], 1.0).is_err());
        assert!(greedy_allocation(&[1.0], &[1.0], -1.0).is_err());
        assert!(greedy_allocation(&[f64::NAN], &[1.0], 1.0).is_err());
        assert!(greedy_allocation(&[0.0, 0.0], &[1.0, 1.0], 1.0).is_err());
        assert!(greedy_allocation(&[1.0], &[1.0, 2.0], 1.0).is_err());
    }
}
