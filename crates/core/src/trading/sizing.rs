//! Position sizing: how many shares to trade under a sizing rule and the account's limits.
//!
//! | method | shares | $ at risk (`risk_amount`) |
//! |---|---|---|
//! | volatility (ATR) | `risk_amount / (ATR·multiple)` | `shares·ATR·multiple` |
//! | fixed fractional | `equity·risk_pct / stop_distance` | `shares·stop_distance` |
//! | fixed amount | `amount / price` | `shares·price` (no stop: the whole amount) |
//! | Kelly | `clamp(fraction·f*, 0, cap)·equity / price`, `f* = (μ − r_f)/σ²` | `shares·price` (no stop) |
//! | VaR budget | largest addition keeping the portfolio's 1-period historical VaR ≤ budget | the added position's own historical VaR in $ |
//! | volatility target | every position × `target / σ_p` (the trade is the change) | `abs(change)·price·σ_i` (annualised) |
//! | risk budget | `budget_i·total_risk / (ATR_i·multiple)` per symbol | `shares·ATR_i·multiple` |
//!
//! Conventions:
//! - A [`SizingResult`] is the order: shares to buy (negative: to sell, volatility target only).
//!   Sizes are for a long entry; a short entry of the same size carries the same risk.
//!   Fractional shares are reported as computed; `whole_shares` rounds toward zero (never more
//!   than computed).
//! - Percentages are fractions (`0.02` = 2%). Equity is the account's net liquidation value.
//! - Account limits cap the size after the rule: maximum position `|value| ≤ max_position_pct·equity`,
//!   buying power `value ≤ buying_power`, cash `value ≤ cash`; the smallest wins and is named in
//!   `capped_by`, the rule's own size is kept in `uncapped_shares`. With several positions
//!   (risk budget, volatility target) the maximum position applies to each, and buying power /
//!   cash to the total bought (all purchases scaled down by the same factor).
//! - Kelly: continuous-time growth-optimal fraction `f* = (μ − r_f)/σ²` per period, `μ` the mean
//!   and `σ²` the sample variance (ddof 1) of the simple returns (Thorp 2006, "The Kelly
//!   criterion in blackjack, sports betting and the stock market", §7); the discrete win/loss
//!   Kelly `W − (1 − W)/R` (Kelly 1956) on the excess returns, `W` the share of gains among
//!   non-zero excess returns and `R` the mean gain over the mean loss, is reported for
//!   information only.
//! - VaR budget: portfolio P&L per period in $ over the history, `Σ_i V_i·r_i,t` with today's
//!   position values held constant (`V_i = q_i·p_i`), plus `s·price·r_new,t` for `s` new shares;
//!   the VaR is [`crate::var::historical_var`] (type-7 quantile, positive loss), the Risk page's
//!   convention, over one period of the data (one day on daily data).
//! - Volatility target: `σ_p = std(r_p, ddof 1)·√P` of [`crate::analysis::portfolio_returns`];
//!   scaling every position by `k` (cash earns zero, net value unchanged by the trades) scales
//!   the portfolio's volatility by exactly `k`.

use super::TradingError;
use crate::align::Aligned;
use crate::analysis::{portfolio_returns, weighted_returns};
use crate::metrics::annualized_volatility;
use crate::stats::{mean, std_dev, variance};
use crate::var::historical_var;
use serde::{Deserialize, Serialize};

/// The account the size must fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountConstraints {
    /// Net liquidation value in $ (> 0).
    pub equity: f64,
    /// Largest position as a fraction of equity (`0.2` = 20%).
    #[serde(default)]
    pub max_position_pct: Option<f64>,
    /// Buying power in $ (≥ 0): the most a purchase may cost.
    #[serde(default)]
    pub buying_power: Option<f64>,
    /// Cash in $ (a cash account: the most a purchase may cost; ≤ 0 allows no purchase).
    #[serde(default)]
    pub cash: Option<f64>,
}

/// The sizing rule and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SizingMethod {
    /// `shares = risk_amount / (atr·multiple)`: the stop is `multiple` ATRs away.
    VolatilityAtr {
        /// $ risked if the stop is hit.
        risk_amount: f64,
        /// Average true range in $ per share.
        atr: f64,
        multiple: f64,
    },
    /// `shares = equity·risk_pct / stop_distance`.
    FixedFractional {
        /// Fraction of equity risked (`0.01` = 1%).
        risk_pct: f64,
        /// Distance from entry to stop in $ per share.
        stop_distance: f64,
    },
    /// `shares = amount / price`.
    FixedAmount { amount: f64 },
    /// `weight = clamp(fraction·f*, 0, cap)`, `shares = weight·equity / price`.
    Kelly {
        /// Share of the full Kelly bet (1 = full, 0.5 = half Kelly); in (0, 1].
        fraction: f64,
        /// Largest weight, fraction of equity (e.g. 0.25).
        cap: f64,
    },
    /// Largest addition keeping the portfolio's 1-period historical VaR at `confidence` ≤ `budget` ($).
    VarBudget { budget: f64, confidence: f64 },
    /// Scale the whole portfolio to an annualised volatility (`0.1` = 10%).
    VolatilityTarget { target_vol: f64 },
    /// `shares_i = budget_i·total_risk / (ATR_i·atr_multiple)`; budgets are shares of
    /// `total_risk` (fractions, summing to at most 1).
    RiskBudget {
        total_risk: f64,
        budgets: Vec<(String, f64)>,
        atr_multiple: f64,
    },
}

impl SizingMethod {
    /// The method's name for display.
    pub fn label(&self) -> &'static str {
        match self {
            SizingMethod::VolatilityAtr { .. } => "volatility (ATR) sizing",
            SizingMethod::FixedFractional { .. } => "fixed fractional",
            SizingMethod::FixedAmount { .. } => "fixed amount",
            SizingMethod::Kelly { .. } => "Kelly",
            SizingMethod::VarBudget { .. } => "VaR budget",
            SizingMethod::VolatilityTarget { .. } => "volatility target",
            SizingMethod::RiskBudget { .. } => "risk budget",
        }
    }
}

/// What to size. `symbol` and `price` (from the data or typed in) are those of the instrument
/// to trade; the portfolio-wide methods (volatility target, risk budget) ignore them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizingRequest {
    pub symbol: String,
    pub price: f64,
    pub method: SizingMethod,
    pub account: AccountConstraints,
}

/// Price and ATR of one instrument of a risk budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrumentQuote {
    pub symbol: String,
    pub price: f64,
    pub atr: f64,
}

/// Data some methods need beyond the request.
#[derive(Debug, Clone, Copy, Default)]
pub struct SizingData<'a> {
    /// The symbol's simple returns per period (Kelly; VaR budget, on the portfolio's calendar —
    /// taken from the portfolio when the symbol is held and this is `None`).
    pub returns: Option<&'a [f64]>,
    /// Risk-free rate per period (Kelly).
    pub risk_free_per_period: f64,
    /// The portfolio (VaR budget, volatility target).
    pub portfolio: Option<&'a Aligned>,
    /// Prices and ATRs (risk budget).
    pub quotes: &'a [InstrumentQuote],
}

/// The Kelly figures of a return history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KellyEstimate {
    pub observations: usize,
    /// Mean simple return per period.
    pub mean: f64,
    /// Sample variance per period (ddof 1).
    pub variance: f64,
    /// `f* = (μ − r_f)/σ²`: growth-optimal fraction of equity (may be negative or above 1).
    pub continuous: f64,
    /// Share of gains among non-zero excess returns.
    pub win_rate: f64,
    /// Mean gain / mean loss of the excess returns; `None` without gains or losses.
    pub payoff_ratio: Option<f64>,
    /// `W − (1 − W)/R`, for information; `None` without gains or losses.
    pub discrete: Option<f64>,
}

/// Method-specific figures behind a [`SizingResult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SizingDetail {
    Kelly {
        estimate: KellyEstimate,
        fraction: f64,
        cap: f64,
        /// `clamp(fraction·f*, 0, cap)`.
        weight: f64,
    },
    VarBudget {
        confidence: f64,
        budget: f64,
        /// Portfolio VaR in $ before and after the addition (after the account caps).
        var_before: f64,
        var_after: f64,
        observations: usize,
    },
    VolatilityTarget {
        current_vol: f64,
        target_vol: f64,
        /// `target_vol / current_vol`.
        scale: f64,
        /// Volatility after the trades (below the target when a cap binds).
        achieved_vol: f64,
        gross_before: f64,
        gross_after: f64,
        current_shares: f64,
        target_shares: f64,
    },
}

/// One position's size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizingResult {
    pub symbol: String,
    /// Shares to buy (negative: sell), fractional, after the account caps.
    pub shares: f64,
    /// `shares` rounded toward zero.
    pub whole_shares: f64,
    /// `shares·price`.
    pub value: f64,
    pub pct_of_equity: f64,
    /// $ at risk (see the module table).
    pub risk_amount: f64,
    pub risk_pct_of_equity: f64,
    /// The binding limit, e.g. "maximum position 20% of equity ($20,000)" or "buying power $5,000".
    pub capped_by: Option<String>,
    /// The rule's size before the caps.
    pub uncapped_shares: f64,
    pub notes: Vec<String>,
    pub detail: Option<SizingDetail>,
}

// ---------------------------------------------------------------------------------------------
// Validation and formatting

fn positive(field: &str, x: f64) -> Result<f64, TradingError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(TradingError::invalid(
            field,
            format!("must be a positive number (got {x})"),
        ))
    }
}

fn non_negative(field: &str, x: f64) -> Result<f64, TradingError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(TradingError::invalid(
            field,
            format!("must be zero or a positive number (got {x})"),
        ))
    }
}

fn finite(field: &str, x: f64) -> Result<f64, TradingError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(TradingError::invalid(
            field,
            format!("must be a number (got {x})"),
        ))
    }
}

/// A positive fraction of at most 1; `what` says what it is a fraction of.
fn unit_fraction(field: &str, x: f64, what: &str) -> Result<f64, TradingError> {
    positive(field, x)?;
    if x > 1.0 {
        return Err(TradingError::invalid(
            field,
            format!("is {what} and must be at most 1 (got {x})"),
        ));
    }
    Ok(x)
}

fn finite_series(field: &str, x: &[f64]) -> Result<(), TradingError> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(TradingError::invalid(
            field,
            format!("value {} of {} is missing or not a number", i + 1, x.len()),
        )),
        None => Ok(()),
    }
}

/// `$1,234` (whole dollars from $100 up, cents below), `-$1,234` for negatives.
pub(crate) fn money(x: f64) -> String {
    if !x.is_finite() {
        return format!("${x}");
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let (whole, cents) = if a >= 100.0 {
        (a.round(), None)
    } else {
        let c = (a * 100.0).round();
        ((c / 100.0).trunc(), Some((c % 100.0) as u64))
    };
    let digits = format!("{whole:.0}");
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match cents {
        Some(c) if c > 0 => format!("{sign}${grouped}.{c:02}"),
        _ => format!("{sign}${grouped}"),
    }
}

/// `0.2` → `20%`, `0.125` → `12.5%`.
pub(crate) fn percent(x: f64) -> String {
    let s = format!("{:.2}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

fn validate_account(a: &AccountConstraints) -> Result<(), TradingError> {
    positive("equity", a.equity)?;
    if let Some(p) = a.max_position_pct {
        positive("max_position_pct", p)?;
    }
    if let Some(b) = a.buying_power {
        non_negative("buying_power", b)?;
    }
    if let Some(c) = a.cash {
        finite("cash", c)?;
    }
    Ok(())
}

/// The most the account lets one purchase cost, with the limit's name (buying power, cash).
fn spending_limit(a: &AccountConstraints) -> Option<(f64, String)> {
    let bp = a
        .buying_power
        .map(|b| (b, format!("buying power {}", money(b))));
    let cash = a.cash.map(|c| (c.max(0.0), format!("cash {}", money(c))));
    match (bp, cash) {
        (Some(b), Some(c)) => Some(if c.0 < b.0 { c } else { b }),
        (b, c) => b.or(c),
    }
}

fn max_position_label(a: &AccountConstraints, pct: f64) -> String {
    format!(
        "maximum position {} of equity ({})",
        percent(pct),
        money(pct * a.equity)
    )
}

/// The maximum position in shares at `price`, with its name.
fn max_position_cap(a: &AccountConstraints, price: f64) -> Option<(f64, String)> {
    a.max_position_pct
        .map(|p| (p * a.equity / price, max_position_label(a, p)))
}

/// Caps in shares for one purchase at `price`: maximum position, then the spending limit.
fn single_caps(a: &AccountConstraints, price: f64) -> Vec<(f64, String)> {
    let mut caps: Vec<(f64, String)> = max_position_cap(a, price).into_iter().collect();
    if let Some((limit, label)) = spending_limit(a) {
        caps.push((limit / price, label));
    }
    caps
}

/// The smallest cap below `shares` (ties: the first listed).
fn apply_caps(shares: f64, caps: &[(f64, String)]) -> (f64, Option<String>) {
    let mut out = (shares, None);
    for (max, label) in caps {
        if *max < out.0 {
            out = (*max, Some(label.clone()));
        }
    }
    out
}

struct Sized<'a> {
    symbol: &'a str,
    price: f64,
    shares: f64,
    uncapped: f64,
    capped_by: Option<String>,
    /// $ at risk per share traded.
    risk_per_share: f64,
    equity: f64,
    notes: Vec<String>,
    detail: Option<SizingDetail>,
}

fn finish(s: Sized) -> SizingResult {
    let value = s.shares * s.price;
    let risk = s.shares.abs() * s.risk_per_share;
    SizingResult {
        symbol: s.symbol.to_string(),
        shares: s.shares,
        whole_shares: s.shares.trunc(),
        value,
        pct_of_equity: value / s.equity,
        risk_amount: risk,
        risk_pct_of_equity: risk / s.equity,
        capped_by: s.capped_by,
        uncapped_shares: s.uncapped,
        notes: s.notes,
        detail: s.detail,
    }
}

impl SizingResult {
    fn with_detail(mut self, detail: SizingDetail) -> SizingResult {
        self.detail = Some(detail);
        self
    }
}

/// Size one purchase of `uncapped` shares under the account caps.
fn single(
    symbol: &str,
    price: f64,
    uncapped: f64,
    risk_per_share: f64,
    account: &AccountConstraints,
    notes: Vec<String>,
) -> SizingResult {
    let caps = single_caps(account, price);
    capped(
        symbol,
        price,
        uncapped,
        risk_per_share,
        &caps,
        account,
        notes,
    )
}

/// Size one purchase of `uncapped` shares under `caps` (see [`apply_caps`]).
fn capped(
    symbol: &str,
    price: f64,
    uncapped: f64,
    risk_per_share: f64,
    caps: &[(f64, String)],
    account: &AccountConstraints,
    notes: Vec<String>,
) -> SizingResult {
    let (shares, capped_by) = apply_caps(uncapped, caps);
    finish(Sized {
        symbol,
        price,
        shares,
        uncapped,
        capped_by,
        risk_per_share,
        equity: account.equity,
        notes,
        detail: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Single-position rules

/// [`single`] with a stop `stop` ($ per share) below the entry, which is also the $ at risk per
/// share; a note when the stop would be at or below zero.
fn with_stop(
    symbol: &str,
    price: f64,
    uncapped: f64,
    stop: f64,
    account: &AccountConstraints,
    mut notes: Vec<String>,
) -> SizingResult {
    if stop >= price {
        notes.push(
            "the stop distance is at least the price: the stop would be at or below zero".into(),
        );
    }
    single(symbol, price, uncapped, stop, account, notes)
}

/// Volatility (ATR) sizing: `shares = risk_amount / (atr·multiple)`; risk = `shares·atr·multiple`.
pub fn size_volatility_atr(
    symbol: &str,
    price: f64,
    risk_amount: f64,
    atr: f64,
    multiple: f64,
    account: &AccountConstraints,
) -> Result<SizingResult, TradingError> {
    positive("price", price)?;
    positive("risk_amount", risk_amount)?;
    positive("atr", atr)?;
    positive("multiple", multiple)?;
    validate_account(account)?;
    let per_share = atr * multiple;
    let notes = vec![format!(
        "stop {multiple}×ATR = {} per share below the entry",
        money(per_share)
    )];
    Ok(with_stop(
        symbol,
        price,
        risk_amount / per_share,
        per_share,
        account,
        notes,
    ))
}

/// Fixed fractional sizing: `shares = equity·risk_pct / stop_distance`.
pub fn size_fixed_fractional(
    symbol: &str,
    price: f64,
    risk_pct: f64,
    stop_distance: f64,
    account: &AccountConstraints,
) -> Result<SizingResult, TradingError> {
    positive("price", price)?;
    unit_fraction("risk_pct", risk_pct, "a fraction of equity")?;
    positive("stop_distance", stop_distance)?;
    validate_account(account)?;
    let notes = vec![format!(
        "risking {} of equity = {}",
        percent(risk_pct),
        money(risk_pct * account.equity)
    )];
    Ok(with_stop(
        symbol,
        price,
        account.equity * risk_pct / stop_distance,
        stop_distance,
        account,
        notes,
    ))
}

/// Fixed amount: `shares = amount / price`; with no stop the whole value is at risk.
pub fn size_fixed_amount(
    symbol: &str,
    price: f64,
    amount: f64,
    account: &AccountConstraints,
) -> Result<SizingResult, TradingError> {
    positive("price", price)?;
    positive("amount", amount)?;
    validate_account(account)?;
    Ok(single(
        symbol,
        price,
        amount / price,
        price,
        account,
        vec!["no stop given: the whole amount is counted as at risk".into()],
    ))
}

/// Kelly figures of a return history (non-finite returns are an error naming `returns`).
pub fn kelly_estimate(
    returns: &[f64],
    risk_free_per_period: f64,
) -> Result<KellyEstimate, TradingError> {
    finite("risk_free_per_period", risk_free_per_period)?;
    finite_series("returns", returns)?;
    if returns.len() < 2 {
        return Err(TradingError::TooLittleHistory {
            what: "the Kelly fraction".into(),
            symbol: "the symbol".into(),
            need: 2,
            got: returns.len(),
        });
    }
    let mu = mean(returns);
    let var = variance(returns, 1);
    if !(var > 0.0 && var.is_finite()) {
        return Err(TradingError::Undefined(
            "the returns do not vary: the Kelly fraction is undefined".into(),
        ));
    }
    let excess: Vec<f64> = returns.iter().map(|r| r - risk_free_per_period).collect();
    let gains: Vec<f64> = excess.iter().copied().filter(|x| *x > 0.0).collect();
    let losses: Vec<f64> = excess.iter().copied().filter(|x| *x < 0.0).collect();
    let decided = gains.len() + losses.len();
    let win_rate = if decided > 0 {
        gains.len() as f64 / decided as f64
    } else {
        0.0
    };
    let payoff_ratio = if gains.is_empty() || losses.is_empty() {
        None
    } else {
        Some(mean(&gains) / -mean(&losses))
    };
    Ok(KellyEstimate {
        observations: returns.len(),
        mean: mu,
        variance: var,
        continuous: (mu - risk_free_per_period) / var,
        win_rate,
        payoff_ratio,
        discrete: payoff_ratio.map(|r| win_rate - (1.0 - win_rate) / r),
    })
}

/// Kelly sizing: `weight = clamp(fraction·f*, 0, cap)`, `shares = weight·equity / price`, from
/// the symbol's returns per period and the risk-free rate per period.
pub fn size_kelly(
    symbol: &str,
    price: f64,
    fraction: f64,
    cap: f64,
    returns: Option<&[f64]>,
    risk_free_per_period: f64,
    account: &AccountConstraints,
) -> Result<SizingResult, TradingError> {
    positive("price", price)?;
    unit_fraction("fraction", fraction, "a share of the full Kelly bet")?;
    positive("cap", cap)?;
    validate_account(account)?;
    let returns = returns.ok_or_else(|| TradingError::UnknownSymbol {
        symbol: symbol.to_string(),
    })?;
    let est = kelly_estimate(returns, risk_free_per_period)?;
    let raw = (fraction * est.continuous).max(0.0);
    let weight = raw.min(cap);
    let mut notes = vec![format!(
        "full Kelly f* = {:.4} ({} of equity) from {} returns; discrete win/loss Kelly {}",
        est.continuous,
        percent(est.continuous),
        est.observations,
        est.discrete
            .map_or("undefined (no gains or no losses)".to_string(), percent)
    )];
    if est.continuous <= 0.0 {
        notes.push("the mean excess return is not positive: Kelly says no position".into());
    }
    let uncapped = raw * account.equity / price;
    let mut caps = vec![(
        cap * account.equity / price,
        format!("Kelly cap {} of equity", percent(cap)),
    )];
    caps.extend(single_caps(account, price));
    Ok(
        capped(symbol, price, uncapped, price, &caps, account, notes).with_detail(
            SizingDetail::Kelly {
                estimate: est,
                fraction,
                cap,
                weight,
            },
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// VaR budget

/// Portfolio P&L in $ per period with today's position values held constant: `Σ_i V_i·r_i,t`.
fn portfolio_pnl(p: &Aligned) -> Result<Vec<f64>, TradingError> {
    let t = p.dates.len().saturating_sub(1);
    if p.positions.len() != p.returns.len() || p.returns.iter().any(|r| r.len() != t) {
        return Err(TradingError::Undefined(
            "the portfolio's positions and return history do not match".into(),
        ));
    }
    let values: Vec<f64> = p.positions.iter().map(|x| x.value).collect();
    finite_series("positions.value", &values)?;
    for (s, r) in p.symbols.iter().zip(&p.returns) {
        finite_series(&format!("returns[{s}]"), r)?;
    }
    Ok(weighted_returns(&p.returns, &values, t))
}

/// Outcome of the upward VaR search.
enum VarSearch {
    /// Largest addition (shares) within the budget.
    Within(f64),
    /// The VaR never exceeds the budget up to the search limit.
    Unbounded,
}

/// `x ≤ limit` (false for NaN).
fn within(x: f64, limit: f64) -> bool {
    x <= limit
}

fn var_with(pnl: &[f64], per_share: &[f64], s: f64, c: f64) -> f64 {
    let x: Vec<f64> = pnl.iter().zip(per_share).map(|(a, b)| a + s * b).collect();
    historical_var(&x, c)
}

/// Largest `s ≥ 0` with `VaR(pnl + s·per_share) ≤ budget` for every size in `[0, s]`, given
/// `VaR(pnl) ≤ budget`.
///
/// The VaR is piecewise linear but not monotone (nor convex) in `s`, so the search goes from 0
/// upward. Phase 1 takes provably safe steps: each P&L moves by at most `δ·u` for `δ` more
/// shares (`u = max_t |per_share_t|`) and the type-7 quantile is 1-Lipschitz in the sup norm,
/// so from `s` with room `g = budget − VaR(s)` the step `g/u` cannot cross the budget. When the
/// steps shrink slowly (the VaR rises much slower than `u`), phase 2 doubles the step until the
/// budget is exceeded and bisects the last interval (a dip back under the budget between two
/// trial sizes of phase 2 would be missed; phase 1 cannot miss one).
fn var_search(pnl: &[f64], per_share: &[f64], c: f64, budget: f64, limit: f64) -> VarSearch {
    let u = per_share.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    if u <= 0.0 {
        return VarSearch::Unbounded;
    }
    let tol = 1e-10 * budget;
    let mut s = 0.0;
    let mut fs = var_with(pnl, per_share, 0.0, c);
    for _ in 0..200 {
        let gap = budget - fs;
        if gap <= tol {
            return VarSearch::Within(s);
        }
        let next = s + gap / u;
        if next > limit {
            break;
        }
        let fnext = var_with(pnl, per_share, next, c);
        if !within(fnext, budget) {
            // Only rounding can get here: stay at the last size known to be within.
            return VarSearch::Within(s);
        }
        s = next;
        fs = fnext;
    }
    // Phase 2: expand, then bisect.
    let mut lo = s;
    let mut step = (budget - fs).max(0.0) / u;
    step = step.max(s * 1e-3).max(f64::MIN_POSITIVE);
    // Doubling from the smallest positive step reaches any finite limit well within 2,200 steps.
    for _ in 0..2200 {
        let trial = lo + step;
        if trial > limit {
            return if var_with(pnl, per_share, limit, c) <= budget {
                VarSearch::Unbounded
            } else {
                bisect(pnl, per_share, c, budget, lo, limit)
            };
        }
        if !within(var_with(pnl, per_share, trial, c), budget) {
            return bisect(pnl, per_share, c, budget, lo, trial);
        }
        lo = trial;
        step *= 2.0;
    }
    VarSearch::Unbounded
}

fn bisect(pnl: &[f64], per_share: &[f64], c: f64, budget: f64, lo: f64, hi: f64) -> VarSearch {
    let (mut lo, mut hi) = (lo, hi);
    for _ in 0..200 {
        if hi - lo <= 1e-12 * hi.max(1.0) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if var_with(pnl, per_share, mid, c) <= budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    VarSearch::Within(lo)
}

/// VaR budget sizing: the most shares of `symbol` to add so that the portfolio's 1-period
/// historical VaR at `confidence` stays within `budget` ($). `returns` are the symbol's returns
/// on the portfolio's calendar (taken from the portfolio when `None` and the symbol is held).
/// If the portfolio alone exceeds the budget the answer is 0 shares with the reason.
pub fn size_var_budget(
    symbol: &str,
    price: f64,
    budget: f64,
    confidence: f64,
    returns: Option<&[f64]>,
    portfolio: &Aligned,
    account: &AccountConstraints,
) -> Result<SizingResult, TradingError> {
    positive("price", price)?;
    positive("budget", budget)?;
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(TradingError::invalid(
            "confidence",
            format!("must be between 0 and 1, e.g. 0.95 (got {confidence})"),
        ));
    }
    validate_account(account)?;
    let pnl = portfolio_pnl(portfolio)?;
    let own = match returns {
        Some(r) => r,
        None => portfolio
            .symbols
            .iter()
            .position(|s| s == symbol)
            .and_then(|i| portfolio.returns.get(i))
            .map(|r| r.as_slice())
            .ok_or_else(|| TradingError::UnknownSymbol {
                symbol: symbol.to_string(),
            })?,
    };
    finite_series("returns", own)?;
    if own.len() != pnl.len() {
        return Err(TradingError::invalid(
            "returns",
            format!(
                "has {} returns; the portfolio's history has {}",
                own.len(),
                pnl.len()
            ),
        ));
    }
    if pnl.len() < 2 {
        return Err(TradingError::TooLittleHistory {
            what: "a historical VaR".into(),
            symbol: "the portfolio".into(),
            need: 2,
            got: pnl.len(),
        });
    }
    let per_share: Vec<f64> = own.iter().map(|r| price * r).collect();
    let own_var = historical_var(own, confidence);
    let var_before = historical_var(&pnl, confidence);
    let mut notes = vec![format!(
        "1-period historical VaR at {} over {} periods of today's positions",
        percent(confidence),
        pnl.len()
    )];
    let detail = |var_after: f64| SizingDetail::VarBudget {
        confidence,
        budget,
        var_before,
        var_after,
        observations: pnl.len(),
    };
    if !within(var_before, budget) {
        notes.push(format!(
            "the portfolio alone has a VaR of {}, above the budget of {}: nothing can be added",
            money(var_before),
            money(budget)
        ));
        return Ok(single(symbol, price, 0.0, price * own_var, account, notes)
            .with_detail(detail(var_before)));
    }
    // Search up to the tightest account limit (or a size a million times equity): within it
    // the VaR is checked on the way up, so a capped answer is within the budget too.
    let far = 1e6 * account.equity / price;
    let tightest = single_caps(account, price)
        .into_iter()
        .filter(|c| c.0 < far)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let limit = tightest.as_ref().map_or(far, |c| c.0.max(0.0));
    let (uncapped, shares, capped_by) = match var_search(
        &pnl, &per_share, confidence, budget, limit,
    ) {
        VarSearch::Within(s) => (s, s, None),
        VarSearch::Unbounded => {
            let Some((cap, label)) = tightest else {
                return Err(TradingError::Undefined(format!(
                        "adding {symbol} does not raise the portfolio VaR above {} at any size: set a maximum position, buying power or cash",
                        money(budget)
                    )));
            };
            let cap = cap.max(0.0);
            let uncapped = match var_search(&pnl, &per_share, confidence, budget, far) {
                VarSearch::Within(s) => s.max(cap),
                VarSearch::Unbounded => {
                    notes.push(
                        "the VaR budget does not bind at any size; the account limit sets the size"
                            .into(),
                    );
                    cap
                }
            };
            (uncapped, cap, Some(label))
        }
    };
    let var_after = var_with(&pnl, &per_share, shares, confidence);
    notes.push(format!(
        "portfolio VaR {} before, {} after (budget {})",
        money(var_before),
        money(var_after),
        money(budget)
    ));
    Ok(finish(Sized {
        symbol,
        price,
        shares,
        uncapped,
        capped_by,
        risk_per_share: price * own_var,
        equity: account.equity,
        notes,
        detail: Some(detail(var_after)),
    }))
}

// ---------------------------------------------------------------------------------------------
// Portfolio-wide rules

/// Volatility target: every position scaled by `k = target_vol / σ_p`; one result per held
/// position whose `shares` is the change (negative: sell).
pub fn size_volatility_target(
    target_vol: f64,
    portfolio: &Aligned,
    account: &AccountConstraints,
) -> Result<Vec<SizingResult>, TradingError> {
    positive("target_vol", target_vol)?;
    validate_account(account)?;
    let p = portfolio.report.periods_per_year;
    positive("periods_per_year", p)?;
    let r = portfolio_returns(portfolio);
    finite_series("portfolio returns", &r)?;
    if r.len() < 2 {
        return Err(TradingError::TooLittleHistory {
            what: "a volatility".into(),
            symbol: "the portfolio".into(),
            need: 2,
            got: r.len(),
        });
    }
    let vol = annualized_volatility(&r, p);
    if !(vol > 0.0 && vol.is_finite()) {
        return Err(TradingError::Undefined(
            "the portfolio's returns do not vary: its volatility cannot be scaled".into(),
        ));
    }
    let n = portfolio.positions.len();
    if portfolio.returns.len() != n {
        return Err(TradingError::Undefined(
            "the portfolio's positions and return history do not match".into(),
        ));
    }
    let k = target_vol / vol;
    let mut current = Vec::with_capacity(n);
    let mut prices = Vec::with_capacity(n);
    for pos in &portfolio.positions {
        let price = positive(&format!("positions[{}].price", pos.symbol), pos.price)?;
        let q = pos.quantity.unwrap_or(pos.value / price);
        current.push(finite(&format!("positions[{}].quantity", pos.symbol), q)?);
        prices.push(price);
    }
    let mut target: Vec<f64> = current.iter().map(|q| k * q).collect();
    let mut capped: Vec<Option<String>> = vec![None; n];
    if let Some(pct) = account.max_position_pct {
        let label = max_position_label(account, pct);
        for i in 0..n {
            let max = pct * account.equity / prices[i];
            // Only a position the trade enlarges is capped (a position already above the limit
            // and shrinking is left to the rule).
            if target[i].abs() > max && target[i].abs() > current[i].abs() {
                target[i] = max.max(current[i].abs()).copysign(target[i]);
                capped[i] = Some(label.clone());
            }
        }
    }
    if let Some((limit, label)) = spending_limit(account) {
        let bought: f64 = (0..n)
            .map(|i| (target[i].abs() - current[i].abs()).max(0.0) * prices[i])
            .sum();
        if bought > limit {
            let f = limit / bought;
            for i in 0..n {
                if target[i].abs() > current[i].abs() {
                    target[i] = current[i] + f * (target[i] - current[i]);
                    capped[i] = Some(label.clone());
                }
            }
        }
    }
    let gross_before: f64 = (0..n).map(|i| (current[i] * prices[i]).abs()).sum();
    let gross_after: f64 = (0..n).map(|i| (target[i] * prices[i]).abs()).sum();
    let nav = portfolio.total_value;
    let achieved_vol = if nav.is_finite() && nav != 0.0 {
        let w: Vec<f64> = (0..n).map(|i| target[i] * prices[i] / nav).collect();
        annualized_volatility(&weighted_returns(&portfolio.returns, &w, r.len()), p)
    } else {
        f64::NAN
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let sigma = std_dev(&portfolio.returns[i]) * p.sqrt();
        let mut notes = vec![format!(
            "portfolio volatility {} → target {}: every position × {:.4}",
            percent(vol),
            percent(target_vol),
            k
        )];
        if capped[i].is_some() {
            notes.push(format!(
                "a limit binds: the volatility reached is {}",
                percent(achieved_vol)
            ));
        }
        out.push(finish(Sized {
            symbol: &portfolio.positions[i].symbol,
            price: prices[i],
            shares: target[i] - current[i],
            uncapped: (k - 1.0) * current[i],
            capped_by: capped[i].clone(),
            risk_per_share: prices[i] * if sigma.is_finite() { sigma } else { 0.0 },
            equity: account.equity,
            notes,
            detail: Some(SizingDetail::VolatilityTarget {
                current_vol: vol,
                target_vol,
                scale: k,
                achieved_vol,
                gross_before,
                gross_after,
                current_shares: current[i],
                target_shares: target[i],
            }),
        }));
    }
    Ok(out)
}

/// Risk budget: `shares_i = budget_i·total_risk / (ATR_i·atr_multiple)` for each budgeted
/// symbol (prices and ATRs from `quotes`). Budgets are fractions of `total_risk` summing to at
/// most 1; uncapped, the $ risks `shares_i·ATR_i·atr_multiple` sum to `Σbudget_i·total_risk`.
pub fn size_risk_budget(
    total_risk: f64,
    budgets: &[(String, f64)],
    atr_multiple: f64,
    quotes: &[InstrumentQuote],
    account: &AccountConstraints,
) -> Result<Vec<SizingResult>, TradingError> {
    positive("total_risk", total_risk)?;
    positive("atr_multiple", atr_multiple)?;
    validate_account(account)?;
    if budgets.is_empty() {
        return Err(TradingError::invalid("budgets", "give at least one symbol"));
    }
    let mut sum = 0.0;
    for (i, (sym, b)) in budgets.iter().enumerate() {
        non_negative(&format!("budgets[{sym}]"), *b)?;
        if budgets[..i].iter().any(|(s, _)| s == sym) {
            return Err(TradingError::invalid(
                "budgets",
                format!("{sym} is listed twice"),
            ));
        }
        sum += b;
    }
    if sum > 1.0 + 1e-9 {
        return Err(TradingError::invalid(
            "budgets",
            format!(
                "the shares of the total risk add up to {}, more than 100%",
                percent(sum)
            ),
        ));
    }
    let mut rows = Vec::with_capacity(budgets.len());
    for (sym, b) in budgets {
        let q = quotes.iter().find(|q| &q.symbol == sym).ok_or_else(|| {
            TradingError::UnknownSymbol {
                symbol: sym.clone(),
            }
        })?;
        let price = positive(&format!("quotes[{sym}].price"), q.price)?;
        let atr = positive(&format!("quotes[{sym}].atr"), q.atr)?;
        let per_share = atr * atr_multiple;
        let uncapped = b * total_risk / per_share;
        let caps: Vec<(f64, String)> = max_position_cap(account, price).into_iter().collect();
        let (shares, by) = apply_caps(uncapped, &caps);
        rows.push((sym, *b, price, per_share, uncapped, shares, by));
    }
    if let Some((limit, label)) = spending_limit(account) {
        let total: f64 = rows.iter().map(|r| r.5 * r.2).sum();
        if total > limit {
            let f = limit / total;
            for r in rows.iter_mut() {
                if r.5 > 0.0 {
                    r.5 *= f;
                    r.6 = Some(label.clone());
                }
            }
        }
    }
    let unallocated = 1.0 - sum;
    Ok(rows
        .into_iter()
        .map(|(sym, b, price, per_share, uncapped, shares, by)| {
            let mut notes = vec![format!(
                "{} of the {} risk budget, stop {}×ATR = {} per share",
                percent(b),
                money(total_risk),
                atr_multiple,
                money(per_share)
            )];
            if unallocated > 1e-9 {
                notes.push(format!(
                    "{} of the risk budget is unallocated",
                    percent(unallocated)
                ));
            }
            finish(Sized {
                symbol: sym,
                price,
                shares,
                uncapped,
                capped_by: by,
                risk_per_share: per_share,
                equity: account.equity,
                notes,
                detail: None,
            })
        })
        .collect())
}

/// Size a request: one result for the single-position methods, one per position for the
/// volatility target and the risk budget.
pub fn size(request: &SizingRequest, data: &SizingData) -> Result<Vec<SizingResult>, TradingError> {
    let (sym, price, acc) = (request.symbol.as_str(), request.price, &request.account);
    let need_portfolio = || {
        data.portfolio.ok_or_else(|| {
            TradingError::invalid("portfolio", "this method needs the loaded portfolio")
        })
    };
    Ok(match &request.method {
        SizingMethod::VolatilityAtr {
            risk_amount,
            atr,
            multiple,
        } => vec![size_volatility_atr(
            sym,
            price,
            *risk_amount,
            *atr,
            *multiple,
            acc,
        )?],
        SizingMethod::FixedFractional {
            risk_pct,
            stop_distance,
        } => vec![size_fixed_fractional(
            sym,
            price,
            *risk_pct,
            *stop_distance,
            acc,
        )?],
        SizingMethod::FixedAmount { amount } => vec![size_fixed_amount(sym, price, *amount, acc)?],
        SizingMethod::Kelly { fraction, cap } => {
            let own = data.returns.or_else(|| {
                let p = data.portfolio?;
                let i = p.symbols.iter().position(|s| s == sym)?;
                p.returns.get(i).map(|r| r.as_slice())
            });
            vec![size_kelly(
                sym,
                price,
                *fraction,
                *cap,
                own,
                data.risk_free_per_period,
                acc,
            )?]
        }
        SizingMethod::VarBudget { budget, confidence } => vec![size_var_budget(
            sym,
            price,
            *budget,
            *confidence,
            data.returns,
            need_portfolio()?,
            acc,
        )?],
        SizingMethod::VolatilityTarget { target_vol } => {
            size_volatility_target(*target_vol, need_portfolio()?, acc)?
        }
        SizingMethod::RiskBudget {
            total_risk,
            budgets,
            atr_multiple,
        } => size_risk_budget(*total_risk, budgets, *atr_multiple, data.quotes, acc)?,
    })
}
