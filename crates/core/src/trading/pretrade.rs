//! Pre-trade check: "buy or sell N of SYMBOL at PRICE" against the risk limits, with the
//! portfolio before and after, the reasons for a rejection and the largest size that passes.
//!
//! **The portfolio after the trade.** The signed quantity `Δq = ±N` (buy +, sell −) is added to
//! the symbol's quantity; cash changes by `−Δq × PRICE` (a buy spends, a sell — a short sale
//! too — receives). Positions are marked at the data's last price (a new symbol at `PRICE`), so
//! the net value changes only by `Δq × (last − PRICE)`. A symbol not in the data needs its return
//! history (the last `T` returns are used, `T` the portfolio's number of returns, taken to end on
//! the same date); its sector comes with the proposal. The limits' figures are then computed by
//! the same code as [`crate::trading::limits::snapshot`] on the modified portfolio (clusters of
//! the sample correlation including the new symbol). The current drawdown is the account's and
//! is not changed by a trade.
//!
//! **Rejections** (each a [`Reason`]):
//! - *Halted*: the portfolio's drawdown has reached the halt level (a [`Severity::Halt`]
//!   alert). Only a trade that **reduces an existing position** — sells at most the long
//!   quantity held, or buys back at most the short quantity — is allowed; anything that opens,
//!   adds to or flips a position is rejected;
//! - *Position / Sector / Cluster*: after the trade the traded symbol's position, its sector, or
//!   a correlated cluster containing it reaches its **critical** level, and the trade increased
//!   that figure (a trade that reduces a figure already past its level is not rejected for it);
//! - *VaR*: the 1-day 95% historical VaR reaches its limit after the trade and the trade
//!   increased it;
//! - *Leverage*: gross leverage reaches the maximum after the trade and the trade increased it;
//! - *Buying power*: a buy costs `N × PRICE` above the buying power (default: the cash). Sells
//!   (short sales included) need none here; their risk is in the leverage check.
//!
//! "Reaches" a level is `figure ≥ level·(1 − 1e−9)` ([`crate::trading::limits::reaches`]), and
//! "increased" is `after > before + 1e−12`, both figures on the same set of assets.
//!
//! **Suggested size.** When the trade is rejected, the largest quantity `q ≤ N` in the same
//! direction that passes every check, by bisection on `[1, N]` (whole shares when `N` is whole;
//! otherwise to `10⁻⁹ N`, from 0 when `N < 1`); `None` when the trade passes or when even one
//! share (the smallest size tried) fails. The bisection keeps a passing lower end, so the size
//! returned always passes, even where the checks are not monotone in `q`.
//!
//! **Stop.** With a stop (below the price for a buy, above for a sell) or, without one, an ATR
//! (the stop taken [`ATR_STOP_MULTIPLE`] ATRs away, Wilder's volatility stop), the money lost if
//! the stop is hit, `N × |PRICE − stop|`, is reported; it does not decide approval.

use crate::align::Aligned;
use crate::metrics::annualized_volatility;
use crate::trading::limits::{
    evaluate, level_pct, pct, reaches, sector_name, sector_weights, Alert, Book, Limits, Measured,
    RiskSnapshot, Severity,
};
use crate::trading::TradingError;
use serde::{Deserialize, Serialize};

/// A stop this many ATRs from the price when only an ATR is given.
pub const ATR_STOP_MULTIPLE: f64 = 2.0;
/// A figure grows when `after > before + INCREASE_TOL`.
const INCREASE_TOL: f64 = 1e-12;

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    /// +1 for a buy, −1 for a sell.
    pub fn sign(self) -> f64 {
        match self {
            Side::Buy => 1.0,
            Side::Sell => -1.0,
        }
    }
}

/// "Buy or sell N of SYMBOL at PRICE", with an optional stop or ATR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeProposal {
    pub symbol: String,
    pub side: Side,
    /// Shares or units, positive.
    pub quantity: f64,
    /// Price per share, positive.
    pub price: f64,
    #[serde(default)]
    pub stop: Option<f64>,
    /// Average true range per share (price units), when no stop is given.
    #[serde(default)]
    pub atr: Option<f64>,
    /// Sector of a symbol not in the data (a held symbol keeps its own).
    #[serde(default)]
    pub sector: Option<String>,
    /// Return history of a symbol not in the data (simple returns, oldest first, ending on the
    /// portfolio's last date); ignored for a held symbol.
    #[serde(default)]
    pub returns: Option<Vec<f64>>,
}

/// The account's limits outside the risk limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountState {
    /// Money available for buys; `None`: the portfolio's cash.
    pub buying_power: Option<f64>,
}

/// Why a trade is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReasonKind {
    Halted,
    Position,
    Sector,
    Cluster,
    Var,
    Leverage,
    BuyingPower,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub kind: ReasonKind,
    /// Plain language, with the figures before and after.
    pub message: String,
}

/// The portfolio's risk figures, before or after the trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioView {
    /// `(symbol, weight)`, fraction of net value, holdings order (a new symbol last).
    pub weights: Vec<(String, f64)>,
    /// Annualised volatility of the constant-weight portfolio returns (σ ddof 1 × √periods).
    pub volatility: f64,
    /// 1-day 95% historical VaR, positive fraction of net value.
    pub var_1d: f64,
    /// The same in currency.
    pub var_1d_money: f64,
    /// The correlated cluster (two or more assets) with the largest `|Σw|`: members and `Σw`;
    /// `None` when no assets are correlated above the threshold.
    pub largest_cluster: Option<(Vec<String>, f64)>,
    pub gross_leverage: f64,
    /// Net value (positions plus cash), currency.
    pub equity: f64,
    pub cash: f64,
    /// The limits' alerts of this portfolio.
    pub alerts: Vec<Alert>,
}

/// Money lost if the stop is hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopRisk {
    pub stop: f64,
    /// `|PRICE − stop|`.
    pub per_share: f64,
    /// `N × per_share`.
    pub money: f64,
    /// `money / net value` (before the trade).
    pub fraction_of_equity: f64,
    /// True when the stop was placed from the ATR.
    pub from_atr: bool,
}

/// The verdict, with the portfolio before and after the proposed trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreTradeCheck {
    pub approved: bool,
    /// Empty when approved.
    pub reasons: Vec<Reason>,
    /// Largest quantity in the same direction that passes (module docs).
    pub suggested_quantity: Option<f64>,
    pub before: PortfolioView,
    /// After the full proposed quantity.
    pub after: PortfolioView,
    pub stop_risk: Option<StopRisk>,
    /// Assumptions made, in words.
    pub notes: Vec<String>,
}

fn validate(trade: &TradeProposal) -> Result<(), TradingError> {
    if trade.symbol.trim().is_empty() {
        return Err(TradingError::invalid("symbol", "enter the symbol to trade"));
    }
    if !(trade.quantity.is_finite() && trade.quantity > 0.0) {
        return Err(TradingError::invalid(
            "quantity",
            format!("must be a positive number (got {})", trade.quantity),
        ));
    }
    if !(trade.price.is_finite() && trade.price > 0.0) {
        return Err(TradingError::invalid(
            "price",
            format!("must be a positive number (got {})", trade.price),
        ));
    }
    if let Some(stop) = trade.stop {
        let ok = stop.is_finite()
            && stop >= 0.0
            && match trade.side {
                Side::Buy => stop < trade.price,
                Side::Sell => stop > trade.price,
            };
        if !ok {
            let side = match trade.side {
                Side::Buy => "a buy's stop must be below the price",
                Side::Sell => "a sell's stop must be above the price",
            };
            return Err(TradingError::invalid(
                "stop",
                format!("{side} {:.2} (got {stop})", trade.price),
            ));
        }
    }
    if let Some(atr) = trade.atr {
        if !(atr.is_finite() && atr > 0.0) {
            return Err(TradingError::invalid(
                "atr",
                format!("must be a positive number (got {atr})"),
            ));
        }
    }
    Ok(())
}

fn stop_risk(trade: &TradeProposal, equity: f64) -> Option<StopRisk> {
    let (stop, from_atr) = match (trade.stop, trade.atr) {
        (Some(s), _) => (s, false),
        (None, Some(atr)) => (
            trade.price - trade.side.sign() * ATR_STOP_MULTIPLE * atr,
            true,
        ),
        (None, None) => return None,
    };
    let per_share = (trade.price - stop).abs();
    let money = per_share * trade.quantity;
    Some(StopRisk {
        stop,
        per_share,
        money,
        fraction_of_equity: money / equity,
        from_atr,
    })
}

fn view(m: &Measured, limits: &Limits, periods_per_year: f64, cash: f64) -> PortfolioView {
    let s = &m.snapshot;
    PortfolioView {
        weights: s
            .positions
            .iter()
            .map(|p| (p.symbol.clone(), p.weight))
            .collect(),
        volatility: annualized_volatility(&m.portfolio_returns, periods_per_year),
        var_1d: s.var_1d,
        var_1d_money: s.var_1d * s.equity,
        largest_cluster: s.clusters.first().map(|c| (c.members.clone(), c.weight)),
        gross_leverage: s.gross_leverage,
        equity: s.equity,
        cash,
        alerts: evaluate(s, limits),
    }
}

/// "above" or "at" a level the figure reaches.
fn over(x: f64, level: f64) -> &'static str {
    if x > level {
        "above"
    } else {
        "at"
    }
}

/// What the trade does to the book, for one quantity.
struct Trial<'a> {
    book: &'a Book,
    /// Market values and net value before the trade (the book's order).
    values: &'a [f64],
    equity: f64,
    cash: f64,
    /// The traded asset's index in the book, its mark price and the quantity held.
    k: usize,
    mark: f64,
    held: f64,
    drawdown: f64,
    baseline: &'a RiskSnapshot,
    halt: Option<&'a Alert>,
    limits: &'a Limits,
    trade: &'a TradeProposal,
    buying_power: f64,
}

impl Trial<'_> {
    /// The portfolio after trading `q` (≥ 0) in the proposal's direction, its cash, and the
    /// reasons to reject it.
    fn run(&self, q: f64) -> Result<(Measured, f64, Vec<Reason>), TradingError> {
        let t = self.trade;
        let dq = t.side.sign() * q;
        let mut values = self.values.to_vec();
        values[self.k] += dq * self.mark;
        let equity = self.equity + dq * (self.mark - t.price);
        let cash = self.cash - dq * t.price;
        let m = self.book.measure(&values, equity, Some(self.drawdown))?;
        let reasons = self.reasons(q, dq, &m.snapshot);
        Ok((m, cash, reasons))
    }

    fn reasons(&self, q: f64, dq: f64, after: &RiskSnapshot) -> Vec<Reason> {
        let (t, lim, base) = (self.trade, self.limits, self.baseline);
        let symbol = &self.book.symbols[self.k];
        let mut out = Vec::new();
        let reduces = self.held != 0.0
            && dq.signum() == -self.held.signum()
            && q <= self.held.abs() * (1.0 + INCREASE_TOL);
        if let Some(h) = self.halt {
            if !reduces {
                out.push(Reason {
                    kind: ReasonKind::Halted,
                    message: format!(
                        "Trading is halted: the portfolio is {} below its peak, {} the {} halt level; only trades that reduce an existing position are allowed",
                        pct(h.figure),
                        over(h.figure, h.limit),
                        level_pct(h.limit)
                    ),
                });
            }
        }
        let grew = |a: f64, b: f64| a > b + INCREASE_TOL;
        // The traded position.
        let (a, b) = (
            after.positions[self.k].weight.abs(),
            base.positions[self.k].weight.abs(),
        );
        if reaches(a, lim.position_critical) && grew(a, b) {
            out.push(Reason {
                kind: ReasonKind::Position,
                message: format!(
                    "{symbol} would be {} of the portfolio (now {}), {} the {} critical position limit",
                    pct(a),
                    pct(b),
                    over(a, lim.position_critical),
                    level_pct(lim.position_critical)
                ),
            });
        }
        // Its sector.
        if let Some(name) = sector_name(&self.book.sectors[self.k]) {
            let fig = |s: &RiskSnapshot| {
                sector_weights(s)
                    .into_iter()
                    .find(|x| x.sector == name)
                    .map_or(0.0, |x| x.weight.abs())
            };
            let (a, b) = (fig(after), fig(base));
            if reaches(a, lim.sector_critical) && grew(a, b) {
                out.push(Reason {
                    kind: ReasonKind::Sector,
                    message: format!(
                        "{name} would be {} of the portfolio (now {}), {} the {} critical sector limit",
                        pct(a),
                        pct(b),
                        over(a, lim.sector_critical),
                        level_pct(lim.sector_critical)
                    ),
                });
            }
        }
        // Clusters containing it.
        for c in after.clusters.iter().filter(|c| c.members.contains(symbol)) {
            let a = c.weight.abs();
            let b = base
                .clusters
                .iter()
                .find(|x| x.members == c.members)
                .map_or(0.0, |x| x.weight.abs());
            if reaches(a, lim.cluster_critical) && grew(a, b) {
                out.push(Reason {
                    kind: ReasonKind::Cluster,
                    message: format!(
                        "{} move together (|ρ| ≥ {}) and would be {} of the portfolio (now {}), {} the {} critical cluster limit",
                        c.members.join(", "),
                        after.cluster_threshold,
                        pct(a),
                        pct(b),
                        over(a, lim.cluster_critical),
                        level_pct(lim.cluster_critical)
                    ),
                });
            }
        }
        let (a, b) = (after.var_1d, base.var_1d);
        if reaches(a, lim.var_limit) && grew(a, b) {
            out.push(Reason {
                kind: ReasonKind::Var,
                message: format!(
                    "The 1-day 95% VaR would be {} of the portfolio (now {}), {} the {} VaR limit",
                    pct(a),
                    pct(b),
                    over(a, lim.var_limit),
                    level_pct(lim.var_limit)
                ),
            });
        }
        let (a, b) = (after.gross_leverage, base.gross_leverage);
        if reaches(a, lim.max_gross_leverage) && grew(a, b) {
            out.push(Reason {
                kind: ReasonKind::Leverage,
                message: format!(
                    "Gross leverage would be {a:.2}× (now {b:.2}×), {} the {}× maximum",
                    over(a, lim.max_gross_leverage),
                    lim.max_gross_leverage
                ),
            });
        }
        if t.side == Side::Buy {
            let cost = q * t.price;
            if cost > self.buying_power + INCREASE_TOL * self.buying_power.abs().max(1.0) {
                out.push(Reason {
                    kind: ReasonKind::BuyingPower,
                    message: format!(
                        "The buy costs {cost:.2} but the buying power is {:.2}",
                        self.buying_power
                    ),
                });
            }
        }
        out
    }

    /// Whether trading `q` passes every check.
    fn passes(&self, q: f64) -> bool {
        self.run(q).is_ok_and(|(_, _, r)| r.is_empty())
    }
}

/// Largest `q ≤ n` that passes (module docs); `None` when even the smallest size tried fails.
fn suggest(n: f64, passes: impl Fn(f64) -> bool) -> Option<f64> {
    if n.fract() == 0.0 {
        if n <= 1.0 || !passes(1.0) {
            return None;
        }
        let (mut lo, mut hi) = (1.0f64, n);
        while hi - lo > 1.0 {
            let mid = ((lo + hi) / 2.0).floor();
            if passes(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Some(lo);
    }
    let mut lo = if n > 1.0 {
        if !passes(1.0) {
            return None;
        }
        1.0
    } else {
        0.0
    };
    let mut hi = n;
    for _ in 0..200 {
        if hi - lo <= 1e-9 * n {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if passes(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo > 0.0).then_some(lo)
}

/// Check a proposed trade against the limits and the buying power (module docs). Errors: invalid
/// limits, trade or buying power (naming the field); a symbol not in the data without its
/// returns (field `returns`, naming the symbol) or with too few of them; a portfolio given by
/// weights only (no quantities to trade against).
pub fn check(
    aligned: &Aligned,
    limits: &Limits,
    trade: &TradeProposal,
    account: &AccountState,
) -> Result<PreTradeCheck, TradingError> {
    limits.validate()?;
    validate(trade)?;
    let buying_power = match account.buying_power {
        Some(b) if !(b.is_finite() && b >= 0.0) => {
            return Err(TradingError::invalid(
                "buying_power",
                format!("must be a number of at least 0 (got {b})"),
            ))
        }
        Some(b) => b,
        None => aligned.cash,
    };
    if aligned.positions.iter().all(|p| p.quantity.is_none()) {
        return Err(TradingError::Undefined(
            "the holdings give weights only: a trade in shares needs quantities or market values (and the cash)".into(),
        ));
    }
    let mut notes = Vec::new();
    let ppy = aligned.report.periods_per_year;
    let before_book = Book::from_aligned(aligned, limits.cluster_threshold);
    let values: Vec<f64> = aligned.positions.iter().map(|p| p.value).collect();
    let before = before_book.measure(&values, aligned.total_value, None)?;
    let before_view = view(&before, limits, ppy, aligned.cash);
    let halt = before_view
        .alerts
        .iter()
        .find(|a| a.severity == Severity::Halt);
    let drawdown = before.snapshot.current_drawdown;

    let symbol = trade.symbol.trim();
    let held_at = aligned
        .symbols
        .iter()
        .position(|s| s.eq_ignore_ascii_case(symbol));
    let new_book;
    let new_baseline;
    let (book, baseline, k, mark, held, all_values) = match held_at {
        Some(k) => {
            if trade.returns.is_some() {
                notes.push(format!(
                    "{} is in the data: its own return history is used",
                    aligned.symbols[k]
                ));
            }
            let p = &aligned.positions[k];
            let held = p.quantity.unwrap_or(p.value / p.price);
            (&before_book, &before, k, p.price, held, values)
        }
        None => {
            let Some(r) = trade.returns.as_ref() else {
                return Err(TradingError::invalid(
                    "returns",
                    format!(
                        "{symbol} is not in the loaded data: give its return history ({} returns ending on {})",
                        aligned.report.observations, aligned.report.end
                    ),
                ));
            };
            let t = aligned.returns.iter().map(Vec::len).min().unwrap_or(0);
            if r.len() < t {
                return Err(TradingError::TooLittleHistory {
                    what: "the pre-trade check".into(),
                    symbol: symbol.to_string(),
                    need: t,
                    got: r.len(),
                });
            }
            if let Some(i) = r.iter().position(|x| !x.is_finite()) {
                return Err(TradingError::invalid(
                    "returns",
                    format!("{symbol}'s return {} is not a number", i + 1),
                ));
            }
            if r.len() > t {
                notes.push(format!(
                    "{symbol}: the last {t} of {} returns are used, taken to end on {}",
                    r.len(),
                    aligned.report.end
                ));
            }
            let mut symbols = aligned.symbols.clone();
            symbols.push(symbol.to_string());
            let mut sectors: Vec<Option<String>> =
                aligned.positions.iter().map(|p| p.sector.clone()).collect();
            sectors.push(trade.sector.clone());
            let mut returns = aligned.returns.clone();
            returns.push(r[r.len() - t..].to_vec());
            new_book = Book::new(symbols, sectors, returns, limits.cluster_threshold);
            let mut v = values;
            v.push(0.0);
            new_baseline = new_book.measure(&v, aligned.total_value, Some(drawdown))?;
            let k = v.len() - 1;
            (&new_book, &new_baseline, k, trade.price, 0.0, v)
        }
    };
    let trial = Trial {
        book,
        values: &all_values,
        equity: aligned.total_value,
        cash: aligned.cash,
        k,
        mark,
        held,
        drawdown,
        baseline: &baseline.snapshot,
        halt,
        limits,
        trade,
        buying_power,
    };
    let (after, after_cash, reasons) = trial.run(trade.quantity)?;
    let approved = reasons.is_empty();
    let suggested_quantity = if approved {
        None
    } else {
        suggest(trade.quantity, |q| trial.passes(q))
    };
    if mark != trade.price {
        notes.push(format!(
            "{} is valued at its last price {mark:.2}; the trade at {:.2} changes the net value by {:.2}",
            book.symbols[k],
            trade.price,
            trade.side.sign() * trade.quantity * (mark - trade.price)
        ));
    }
    if trade.stop.is_some() && trade.atr.is_some() {
        notes.push("a stop and an ATR were given: the stop is used".into());
    }
    Ok(PreTradeCheck {
        approved,
        reasons,
        suggested_quantity,
        after: view(&after, limits, ppy, after_cash),
        before: before_view,
        stop_risk: stop_risk(trade, aligned.total_value),
        notes,
    })
}
