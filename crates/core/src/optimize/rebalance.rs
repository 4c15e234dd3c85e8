//! Rebalancing: the trades that take current holdings to target weights, with costs, a drift
//! band, a minimum trade size and whole shares.
//!
//! Conventions (`n` assets, prices `p_i`, current shares `s_i`, cash `c`, targets `w_i` as
//! fractions of the total value):
//!
//! - total value `V = Σ_i s_i p_i + c` (must be positive; negative cash, a margin loan, is
//!   allowed); current weights `u_i = s_i p_i / V`; target values `w_i V`, not renormalised
//!   when some positions are left alone;
//! - **drift band** `b`: a position is traded only if `|u_i − w_i| > b` (absolute weight;
//!   `b = 0.02` is 2 points); the others keep their shares;
//! - wanted trade value `Δ_i = w_i V − s_i p_i` (sell when negative, buy when positive);
//!   trades whose value is below `min_trade_value` are skipped;
//! - **cost** of an executed trade of value `|q_i| p_i`: `|q_i| p_i · cost_bps/10⁴ + fixed_fee`,
//!   paid from cash;
//! - **order**: sells first (a sale whose cost would exceed its proceeds is skipped), then buys
//!   from the cash `A` left after the sells. With `m` buys and `r = cost_bps/10⁴`, the buys
//!   can spend `B = A − m·fixed_fee` on `Σ q_i p_i (1 + r)`. Fractional shares: the wanted buys
//!   are scaled by `k = min(1, B / Σ Δ_i (1 + r))`. Whole shares: each trade is rounded to the
//!   nearest whole share (a sale never goes short unless the target is short; a zero target
//!   sells the whole holding, fractions included); if the rounded buys do not fit, the buy
//!   budget `B` is allocated in proportion to `Δ_i` at prices `p_i (1 + r)` by
//!   [`improved_allocation`] (PyPortfolioOpt's greedy pass plus a local search). Buys that come
//!   to zero shares or fall below the minimum are dropped and the rest re-allocated with their
//!   fee released (at most `n` rounds);
//! - after the trades: `Σ_i s'_i p_i + c' + total_cost = V`; final weights
//!   `s'_i p_i / (V − total_cost)`; **turnover** one-way, `Σ |trade value| / (2V)`; the tracking
//!   gap is `sqrt(Σ (final_i − w_i)²/n)` and `max |final_i − w_i|`.
//!
//! References: threshold (tolerance-band) rebalancing, Masters (2003), "Rebalancing",
//! Journal of Investing 12(1), 52–57; Donohue & Yip (2003), "Optimal portfolio rebalancing
//! with transaction costs", Journal of Portfolio Management 29(4), 49–63; the whole-share step
//! is [`crate::optimize::discrete`].

use super::discrete::{improved_allocation, weight_gap};
use super::OptError;
use serde::{Deserialize, Serialize};

/// The rebalancing rules, as set in the UI/CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RebalanceParams {
    /// Proportional cost in basis points of the trade value (`0 ≤ cost_bps < 10,000`).
    pub cost_bps: f64,
    /// Fixed fee per executed trade, in the currency of the prices (`≥ 0`).
    pub fixed_fee: f64,
    /// Trades worth less than this are skipped (`≥ 0`).
    pub min_trade_value: f64,
    /// Absolute weight band: a position is traded only if `|u_i − w_i| > drift_band`
    /// (`0.02` = 2 points; `≥ 0`).
    pub drift_band: f64,
    /// Trade whole shares only (default) or fractional shares.
    pub whole_shares: bool,
}

impl Default for RebalanceParams {
    fn default() -> Self {
        RebalanceParams {
            cost_bps: 0.0,
            fixed_fee: 0.0,
            min_trade_value: 0.0,
            drift_band: 0.0,
            whole_shares: true,
        }
    }
}

impl RebalanceParams {
    /// Checks every field, naming the first one out of range.
    pub fn validate(&self) -> Result<(), OptError> {
        if !self.cost_bps.is_finite() || !(0.0..10_000.0).contains(&self.cost_bps) {
            return Err(OptError::invalid(
                "cost_bps",
                format!(
                    "the cost must be between 0 and 10,000 basis points (got {})",
                    self.cost_bps
                ),
            ));
        }
        for (field, value, what) in [
            ("fixed_fee", self.fixed_fee, "the fixed fee per trade"),
            (
                "min_trade_value",
                self.min_trade_value,
                "the minimum trade value",
            ),
            ("drift_band", self.drift_band, "the drift band"),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(OptError::invalid(
                    field,
                    format!("{what} must be zero or a positive number (got {value})"),
                ));
            }
        }
        Ok(())
    }
}

/// Direction of a trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    /// `"buy"` or `"sell"`, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }
}

/// One executed trade; `shares`, `value` and `cost` are positive magnitudes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    pub symbol: String,
    pub side: Side,
    pub shares: f64,
    pub price: f64,
    /// `shares · price`.
    pub value: f64,
    /// `value · cost_bps/10⁴ + fixed_fee`.
    pub cost: f64,
}

/// Distance between two weight vectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// `sqrt(Σ_i (a_i − w_i)² / n)`.
    pub rmse: f64,
    /// `max_i |a_i − w_i|`.
    pub max_abs: f64,
}

/// The result of [`rebalance`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RebalancePlan {
    /// Sells first, then buys, each in the assets' order.
    pub trades: Vec<Trade>,
    pub final_shares: Vec<f64>,
    /// `s'_i p_i / (V − total_cost)`.
    pub final_weights: Vec<f64>,
    pub final_cash: f64,
    pub total_cost: f64,
    /// One-way turnover `Σ |trade value| / (2V)`.
    pub turnover: f64,
    /// Final weights against the targets.
    pub tracking_gap: Gap,
    /// Why positions were not traded, in plain language ("HD: inside the 2% drift band").
    pub skipped: Vec<String>,
}

/// `$40`, `$40.37`.
fn money(x: f64) -> String {
    if (x - x.round()).abs() < 0.005 {
        format!("${:.0}", x.round())
    } else {
        format!("${x:.2}")
    }
}

/// `0.02` → `2%`, `0.025` → `2.5%`.
fn percent(x: f64) -> String {
    let s = format!("{:.4}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

fn check_inputs(
    symbols: &[String],
    current_shares: &[f64],
    prices: &[f64],
    cash: f64,
    target_weights: &[f64],
) -> Result<(), OptError> {
    let n = symbols.len();
    if n == 0 {
        return Err(OptError::invalid("symbols", "no assets to rebalance"));
    }
    for (field, len) in [
        ("current_shares", current_shares.len()),
        ("prices", prices.len()),
        ("target_weights", target_weights.len()),
    ] {
        if len != n {
            return Err(OptError::invalid(
                field,
                format!("{len} values for {n} symbols; give one per asset"),
            ));
        }
    }
    for i in 0..n {
        let sym = &symbols[i];
        if !prices[i].is_finite() || prices[i] <= 0.0 {
            return Err(OptError::invalid(
                "prices",
                format!("{sym}: price {} must be positive and finite", prices[i]),
            ));
        }
        if !current_shares[i].is_finite() {
            return Err(OptError::invalid(
                "current_shares",
                format!("{sym}: share count {} is not a number", current_shares[i]),
            ));
        }
        if !target_weights[i].is_finite() {
            return Err(OptError::invalid(
                "target_weights",
                format!("{sym}: target weight {} is not a number", target_weights[i]),
            ));
        }
    }
    if !cash.is_finite() {
        return Err(OptError::invalid(
            "cash",
            format!("cash {cash} is not a number"),
        ));
    }
    Ok(())
}

/// The trades from `current_shares` (+ `cash`) to `target_weights`; see the module
/// documentation for every convention (total value, drift band, minimum trade, costs, order
/// of sells and buys, whole-share rounding).
///
/// Errors: empty or mismatched inputs, a price that is not positive and finite, a non-finite
/// share count, weight or cash, a parameter out of range (naming the field and the symbol),
/// or a total value `Σ s_i p_i + cash ≤ 0`.
pub fn rebalance(
    symbols: &[String],
    current_shares: &[f64],
    prices: &[f64],
    cash: f64,
    target_weights: &[f64],
    params: &RebalanceParams,
) -> Result<RebalancePlan, OptError> {
    check_inputs(symbols, current_shares, prices, cash, target_weights)?;
    params.validate()?;
    let n = symbols.len();
    let holdings: f64 = current_shares.iter().zip(prices).map(|(s, p)| s * p).sum();
    let total = holdings + cash;
    if !total.is_finite() || total <= 0.0 {
        return Err(OptError::invalid(
            "cash",
            format!(
                "the holdings ({}) plus cash ({}) come to {}; the total value must be positive to rebalance",
                money(holdings),
                money(cash),
                money(total)
            ),
        ));
    }
    if params.whole_shares {
        for (sym, &p) in symbols.iter().zip(prices) {
            let count = total / p;
            if count.is_nan() || count > 9_007_199_254_740_992.0 {
                return Err(OptError::invalid(
                    "prices",
                    format!(
                        "{sym}: price {p} is too small for this portfolio to trade whole shares"
                    ),
                ));
            }
        }
    }
    let rate = params.cost_bps / 1e4;
    let fee = params.fixed_fee;
    let min_trade = params.min_trade_value;

    let mut final_shares = current_shares.to_vec();
    let mut cash_now = cash;
    let mut total_cost = 0.0;
    let mut traded = 0.0;
    let mut sells = Vec::new();
    let mut buys = Vec::new();
    let mut skipped = Vec::new();
    // Buy candidates (asset, wanted value Δ_i > 0).
    let mut wanted_buys: Vec<(usize, f64)> = Vec::new();

    for i in 0..n {
        let sym = &symbols[i];
        let (s, p, w) = (current_shares[i], prices[i], target_weights[i]);
        let gap = w - s * p / total;
        if gap.abs() <= params.drift_band {
            if gap != 0.0 && params.drift_band > 0.0 {
                skipped.push(format!(
                    "{sym}: inside the {} drift band",
                    percent(params.drift_band)
                ));
            }
            continue;
        }
        let delta = w * total - s * p;
        if delta == 0.0 {
            continue;
        }
        if delta.abs() < min_trade {
            skipped.push(format!(
                "{sym}: trade of {} below the {} minimum",
                money(delta.abs()),
                money(min_trade)
            ));
            continue;
        }
        if delta > 0.0 {
            wanted_buys.push((i, delta));
            continue;
        }
        // Sell.
        let mut q = -delta / p;
        if w == 0.0 && s > 0.0 {
            q = s;
        } else {
            if params.whole_shares {
                q = q.round();
            }
            if w >= 0.0 && s > 0.0 {
                q = q.min(s);
            }
        }
        if q <= 0.0 {
            skipped.push(format!("{sym}: the sale rounds to zero whole shares"));
            continue;
        }
        let value = q * p;
        if value < min_trade {
            skipped.push(format!(
                "{sym}: trade of {} below the {} minimum",
                money(value),
                money(min_trade)
            ));
            continue;
        }
        let cost = value * rate + fee;
        if cost >= value {
            skipped.push(format!(
                "{sym}: the trading cost ({}) would exceed the sale's proceeds ({})",
                money(cost),
                money(value)
            ));
            continue;
        }
        final_shares[i] -= q;
        cash_now += value - cost;
        total_cost += cost;
        traded += value;
        sells.push(Trade {
            symbol: sym.clone(),
            side: Side::Sell,
            shares: q,
            price: p,
            value,
            cost,
        });
    }

    // Buys from the cash left after the sells.
    let available = cash_now;
    let mut candidates = wanted_buys;
    let mut planned: Vec<(usize, f64)> = Vec::new();
    for _ in 0..=n {
        if candidates.is_empty() {
            break;
        }
        let budget = available - fee * candidates.len() as f64;
        if budget <= 0.0 {
            for &(i, _) in &candidates {
                skipped.push(format!(
                    "{}: no cash left for the purchase after the sales and fees",
                    symbols[i]
                ));
            }
            candidates.clear();
            break;
        }
        let shares = buy_shares(&candidates, prices, rate, fee, available, budget, params)?;
        let mut keep = Vec::with_capacity(candidates.len());
        let mut dropped = false;
        for (&(i, delta), &q) in candidates.iter().zip(&shares) {
            let value = q * prices[i];
            if q <= 0.0 {
                skipped.push(format!(
                    "{}: the purchase rounds to zero {}",
                    symbols[i],
                    if params.whole_shares {
                        "whole shares"
                    } else {
                        "shares"
                    }
                ));
                dropped = true;
            } else if value < min_trade {
                skipped.push(format!(
                    "{}: trade of {} below the {} minimum",
                    symbols[i],
                    money(value),
                    money(min_trade)
                ));
                dropped = true;
            } else {
                keep.push((i, delta));
            }
        }
        if dropped {
            candidates = keep;
            continue;
        }
        planned = candidates.iter().map(|&(i, _)| i).zip(shares).collect();
        break;
    }
    for (i, q) in planned {
        let p = prices[i];
        let value = q * p;
        let cost = value * rate + fee;
        final_shares[i] += q;
        cash_now -= value + cost;
        total_cost += cost;
        traded += value;
        buys.push(Trade {
            symbol: symbols[i].clone(),
            side: Side::Buy,
            shares: q,
            price: p,
            value,
            cost,
        });
    }

    let after = total - total_cost;
    let denom = if after > 0.0 { after } else { total };
    let final_weights: Vec<f64> = final_shares
        .iter()
        .zip(prices)
        .map(|(s, p)| s * p / denom)
        .collect();
    let (rmse, max_abs) = weight_gap(target_weights, &final_weights);
    let mut trades = sells;
    trades.extend(buys);
    Ok(RebalancePlan {
        trades,
        final_shares,
        final_weights,
        final_cash: cash_now,
        total_cost,
        turnover: traded / (2.0 * total),
        tracking_gap: Gap { rmse, max_abs },
        skipped,
    })
}

/// Shares to buy of each candidate `(i, Δ_i)` given the cash `available` and the budget
/// `B = available − m·fee` for `Σ q_i p_i (1 + r)`.
fn buy_shares(
    candidates: &[(usize, f64)],
    prices: &[f64],
    rate: f64,
    fee: f64,
    available: f64,
    budget: f64,
    params: &RebalanceParams,
) -> Result<Vec<f64>, OptError> {
    let wanted: f64 = candidates.iter().map(|&(_, d)| d * (1.0 + rate)).sum();
    if !params.whole_shares {
        let k = (budget / wanted).min(1.0);
        return Ok(candidates.iter().map(|&(i, d)| k * d / prices[i]).collect());
    }
    // Nearest whole shares when they fit.
    let rounded: Vec<f64> = candidates
        .iter()
        .map(|&(i, d)| (d / prices[i]).round())
        .collect();
    let spend: f64 = candidates
        .iter()
        .zip(&rounded)
        .filter(|(_, &q)| q > 0.0)
        .map(|(&(i, _), &q)| q * prices[i] * (1.0 + rate) + fee)
        .sum();
    if spend <= available {
        return Ok(rounded);
    }
    // Otherwise the budget in proportion to the wanted values.
    let total_delta: f64 = candidates.iter().map(|&(_, d)| d).sum();
    let weights: Vec<f64> = candidates.iter().map(|&(_, d)| d / total_delta).collect();
    let effective: Vec<f64> = candidates
        .iter()
        .map(|&(i, _)| prices[i] * (1.0 + rate))
        .collect();
    let allocation = improved_allocation(&weights, &effective, budget.min(wanted))?;
    Ok(allocation.shares)
}

/// The trades as CSV for download: header `symbol,side,shares,price,value,cost`, one row per
/// trade, CRLF line ends and fields quoted when they hold a comma, quote or line break
/// (RFC 4180); numbers in Rust's shortest round-trip form (full precision).
pub fn trades_csv(plan: &RebalancePlan) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = String::from("symbol,side,shares,price,value,cost\r\n");
    for t in &plan.trades {
        out.push_str(&format!(
            "{},{},{},{},{},{}\r\n",
            field(&t.symbol),
            t.side.as_str(),
            t.shares,
            t.price,
            t.value,
            t.cost
        ));
    }
    out
}
