//! Exposure, leverage and margin of a book of positions plus cash.
//!
//! With position values `v_i` (negative for shorts), `L = Σ_{v>0} v_i`, `S = Σ_{v<0} |v_i|`:
//! - gross exposure `G = Σ|v_i| = L + S`, net exposure `N = Σv_i = L − S`;
//! - equity `E = N + cash` (cash may be negative: borrowed; short-sale proceeds sit in cash);
//! - gross leverage `G/E`, net leverage `N/E` (undefined, an error, when `E ≤ 0`);
//! - margin (Reg T / portfolio-margin style, one maintenance rate `m` on every position's
//!   absolute value): requirement `m·G`, margin use `m·G/E`, excess `E − m·G`.
//!
//! Margin call under a uniform move. Every price falls by a fraction `x` (longs lose `x·L`,
//! shorts gain `x·S`): `E(x) = E − x·(L − S)` and `G(x) = G·(1 − x)`, so the call comes when
//! `E − x·N = m·G·(1 − x)`, i.e.
//!
//! `x* = (E − m·G) / (N − m·G)`,
//!
//! reported when `0 < x* < 1` (`N > m·G` and `E > m·G`, which needs borrowed cash: with
//! `cash ≥ 0` a long book only reaches the requirement at `x = 1`, when it is worth nothing).
//! `None` when no fall triggers a call (net short, or not levered enough); `Some(0)` when the
//! book is already below the requirement. Symmetrically every price rising by `y` gives
//! `E + y·N = m·G·(1 + y)`, `y* = (E − m·G)/(m·G − N)` for `y* > 0` — the risk of a short book.
//! Example: $100k equity, $200k long, $100k borrowed, `m = 25%`:
//! `100k − 200k·x = 0.25·200k·(1 − x)` → `x* = 50k/150k = 1/3`.

use super::TradingError;
use crate::align::Aligned;
use serde::{Deserialize, Serialize};

/// Exposure, leverage and margin figures (amounts in the portfolio's currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exposure {
    /// Sum of long values `L`.
    pub long: f64,
    /// Sum of short values as a positive number `S`.
    pub short: f64,
    /// `G = L + S`.
    pub gross: f64,
    /// `N = L − S`.
    pub net: f64,
    pub cash: f64,
    /// `E = N + cash`.
    pub equity: f64,
    /// `G / E`.
    pub gross_leverage: f64,
    /// `N / E`.
    pub net_leverage: f64,
    /// Maintenance margin rate `m` (fraction of gross).
    pub maintenance_margin: f64,
    /// `m·G`.
    pub margin_requirement: f64,
    /// `m·G / E`.
    pub margin_use: f64,
    /// `E − m·G`.
    pub excess_margin: f64,
    /// Uniform fall of every price that triggers a margin call, fraction in `[0, 1)`.
    pub margin_call_fall: Option<f64>,
    /// Uniform rise of every price that triggers a margin call (a short book's risk).
    pub margin_call_rise: Option<f64>,
    pub notes: Vec<String>,
}

/// Uniform fall `x* = (E − m·G)/(N − m·G)` that triggers a margin call (module docs); `None`
/// when no fall in `[0, 1)` does, `Some(0.0)` when already below the requirement.
pub fn margin_call_fall(long: f64, short: f64, equity: f64, maintenance: f64) -> Option<f64> {
    let (g, n) = (long + short, long - short);
    let room = equity - maintenance * g;
    if room <= 0.0 {
        return (g > 0.0).then_some(0.0);
    }
    let d = n - maintenance * g;
    if d <= 0.0 {
        return None;
    }
    let x = room / d;
    (x.is_finite() && x < 1.0).then_some(x)
}

/// Uniform rise `y* = (E − m·G)/(m·G − N)` that triggers a margin call; `None` when no rise
/// does, `Some(0.0)` when already below the requirement.
pub fn margin_call_rise(long: f64, short: f64, equity: f64, maintenance: f64) -> Option<f64> {
    let (g, n) = (long + short, long - short);
    let room = equity - maintenance * g;
    if room <= 0.0 {
        return (g > 0.0).then_some(0.0);
    }
    let d = maintenance * g - n;
    if d <= 0.0 {
        return None;
    }
    let y = room / d;
    y.is_finite().then_some(y)
}

/// Exposure of positions given by value (negative = short) plus cash, at maintenance margin
/// rate `maintenance_margin` in `[0, 1]`.
pub fn exposure(
    values: &[f64],
    cash: f64,
    maintenance_margin: f64,
) -> Result<Exposure, TradingError> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(TradingError::invalid(
            "values",
            format!("position {} has no finite value", i + 1),
        ));
    }
    if !cash.is_finite() {
        return Err(TradingError::invalid("cash", "must be a number"));
    }
    if !(0.0..=1.0).contains(&maintenance_margin) {
        return Err(TradingError::invalid(
            "maintenance_margin",
            format!("must be a fraction between 0 and 1, e.g. 0.25 (got {maintenance_margin})"),
        ));
    }
    let long: f64 = values.iter().filter(|v| **v > 0.0).sum();
    let short: f64 = -values.iter().filter(|v| **v < 0.0).sum::<f64>();
    let (gross, net) = (long + short, long - short);
    let equity = net + cash;
    if equity.is_nan() || equity <= 0.0 {
        return Err(TradingError::Undefined(format!(
            "equity (positions {net:.2} + cash {cash:.2}) is not positive: leverage and margin use are undefined"
        )));
    }
    let m = maintenance_margin;
    let requirement = m * gross;
    let fall = margin_call_fall(long, short, equity, m);
    let rise = margin_call_rise(long, short, equity, m);
    let mut notes = Vec::new();
    if equity <= requirement && gross > 0.0 {
        notes.push("equity is at or below the maintenance requirement: margin call now".into());
    } else {
        match fall {
            Some(x) => notes.push(format!(
                "a uniform fall of {:.2}% in every price triggers a margin call",
                100.0 * x
            )),
            None => notes.push("no uniform fall in prices triggers a margin call".into()),
        }
        if let Some(y) = rise {
            notes.push(format!(
                "a uniform rise of {:.2}% in every price triggers a margin call",
                100.0 * y
            ));
        }
    }
    Ok(Exposure {
        long,
        short,
        gross,
        net,
        cash,
        equity,
        gross_leverage: gross / equity,
        net_leverage: net / equity,
        maintenance_margin: m,
        margin_requirement: requirement,
        margin_use: requirement / equity,
        excess_margin: equity - requirement,
        margin_call_fall: fall,
        margin_call_rise: rise,
        notes,
    })
}

/// [`exposure`] of an aligned portfolio: its positions' market values and its cash.
pub fn exposure_of(aligned: &Aligned, maintenance_margin: f64) -> Result<Exposure, TradingError> {
    let values: Vec<f64> = aligned.positions.iter().map(|p| p.value).collect();
    exposure(&values, aligned.cash, maintenance_margin)
}
