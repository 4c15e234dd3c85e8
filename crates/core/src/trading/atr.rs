//! Average True Range (Wilder 1978, *New Concepts in Technical Trading Systems*, ch. 3).
//!
//! - True range of bar `t`: `TR_t = max(H_t − L_t, |H_t − C_{t−1}|, |L_t − C_{t−1}|)` (needs
//!   the previous close, so `n` bars give `n − 1` true ranges).
//! - Close-only fallback when highs and lows are not loaded: `TR_t = |C_t − C_{t−1}|`. It ignores
//!   the intraday range and gaps inside a bar, so it is smaller than the high/low/close ATR on
//!   the same data (flagged with [`AtrSource::CloseToClose`]).
//! - Wilder smoothing of the true ranges: the first ATR is the mean of the first `period` true
//!   ranges, then `ATR_t = (ATR_{t−1}·(period − 1) + TR_t) / period` (an exponential average
//!   with `α = 1/period`), over the whole history; the reported figure is the last one, in
//!   price units ($ per share). Default period 14 ([`DEFAULT_ATR_PERIOD`]).
//! - Missing cells (`NaN`): a bar without a finite high, low and close (or with high < low), or
//!   whose previous close is missing, gives no true range; the smoothing continues with the next
//!   defined one (a gap is never bridged into one oversized range).

use super::TradingError;
use crate::model::{Series, ValueKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Wilder's default ATR period.
pub const DEFAULT_ATR_PERIOD: usize = 14;

/// Which true range an [`Atr`] was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AtrSource {
    /// `max(H − L, |H − C_prev|, |L − C_prev|)`: highs, lows and closes were loaded.
    HighLowClose,
    /// `|C − C_prev|`: closes only (a fallback; smaller than the high/low/close ATR).
    CloseToClose,
}

/// An ATR figure with how it was obtained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Atr {
    pub symbol: String,
    /// Last Wilder-smoothed true range, in price units.
    pub value: f64,
    pub source: AtrSource,
    pub period: usize,
    /// Date of the last true range in the average.
    pub as_of: NaiveDate,
    /// Number of true ranges smoothed.
    pub observations: usize,
    /// Plain-language notes (fallback reason, skipped bars).
    pub notes: Vec<String>,
}

/// One bar's true range against the previous close.
pub fn true_range(high: f64, low: f64, prev_close: f64) -> f64 {
    (high - low)
        .max((high - prev_close).abs())
        .max((low - prev_close).abs())
}

/// Wilder smoothing of `tr` (mean of the first `period` values, then
/// `ATR_t = (ATR_{t−1}(period−1) + TR_t)/period`); `None` when `period` is 0 or there are fewer
/// than `period` values.
pub fn wilder_smooth(tr: &[f64], period: usize) -> Option<f64> {
    if period == 0 || tr.len() < period {
        return None;
    }
    let p = period as f64;
    let seed = tr[..period].iter().sum::<f64>() / p;
    Some(
        tr[period..]
            .iter()
            .fold(seed, |atr, x| (atr * (p - 1.0) + x) / p),
    )
}

fn bar_ok(h: f64, l: f64, c: f64) -> bool {
    h.is_finite() && l.is_finite() && c.is_finite() && h >= l
}

/// High/low/close true ranges with the index of the bar each belongs to (bars with a missing
/// cell or a missing previous close are skipped).
fn hlc_ranges(high: &[f64], low: &[f64], close: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let n = high.len().min(low.len()).min(close.len());
    let mut tr = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    for t in 1..n {
        let prev = close[t - 1];
        if prev.is_finite() && bar_ok(high[t], low[t], close[t]) {
            tr.push(true_range(high[t], low[t], prev));
            at.push(t);
        }
    }
    (tr, at)
}

/// Close-to-close true ranges `|C_t − C_{t−1}|` with their bar indices (pairs with a missing
/// close are skipped).
fn close_ranges(close: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut tr = Vec::with_capacity(close.len());
    let mut at = Vec::with_capacity(close.len());
    for t in 1..close.len() {
        let (a, b) = (close[t - 1], close[t]);
        if a.is_finite() && b.is_finite() {
            tr.push((b - a).abs());
            at.push(t);
        }
    }
    (tr, at)
}

/// Longest ATR period accepted (far beyond any use; keeps `period + 1` from overflowing).
pub const MAX_ATR_PERIOD: usize = 100_000;

fn check_period(period: usize) -> Result<(), TradingError> {
    if period == 0 {
        return Err(TradingError::invalid("period", "must be at least 1"));
    }
    if period > MAX_ATR_PERIOD {
        return Err(TradingError::invalid(
            "period",
            format!("must be at most {MAX_ATR_PERIOD}"),
        ));
    }
    Ok(())
}

fn smoothed(tr: &[f64], period: usize, symbol: &str) -> Result<f64, TradingError> {
    wilder_smooth(tr, period).ok_or_else(|| TradingError::TooLittleHistory {
        what: format!("ATR({period})"),
        symbol: symbol.to_string(),
        need: period + 1,
        got: tr.len() + 1,
    })
}

/// Wilder ATR from high, low and close columns (equally long; `NaN` = missing, skipped).
pub fn atr_hlc(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    period: usize,
) -> Result<f64, TradingError> {
    check_period(period)?;
    if high.len() != close.len() || low.len() != close.len() {
        return Err(TradingError::invalid(
            "ohlc",
            format!(
                "high, low and close must be equally long (got {}, {} and {})",
                high.len(),
                low.len(),
                close.len()
            ),
        ));
    }
    smoothed(&hlc_ranges(high, low, close).0, period, "the series")
}

/// Wilder ATR of close-to-close ranges `|C_t − C_{t−1}|` (`NaN` = missing, skipped).
pub fn atr_close_to_close(close: &[f64], period: usize) -> Result<f64, TradingError> {
    check_period(period)?;
    smoothed(&close_ranges(close).0, period, "the series")
}

/// ATR of a loaded price series: high/low/close when the last `period + 1` bars all have a
/// finite high, low and close (the window the latest figure needs; earlier bars with missing
/// cells are skipped), otherwise close-to-close on the series' prices, with the reason in
/// `notes`. `period` 0, a returns series or too little history are errors.
pub fn atr_of_series(series: &Series, period: usize) -> Result<Atr, TradingError> {
    check_period(period)?;
    if series.kind != ValueKind::Price {
        return Err(TradingError::invalid(
            "series",
            format!(
                "{} holds returns, not prices: an ATR needs prices",
                series.symbol
            ),
        ));
    }
    let mut notes = Vec::new();
    let n = series.dates.len();
    let hlc = match &series.ohlc {
        None => {
            notes.push("no high/low columns loaded: close-to-close ranges |C − C_prev| (smaller than a high/low/close ATR)".to_string());
            None
        }
        Some(o) if o.high.len() != n || o.low.len() != n || o.close.len() != n => {
            notes.push(
                "the high/low/close columns do not match the dates: close-to-close ranges used"
                    .to_string(),
            );
            None
        }
        Some(o) => {
            let need = period + 1;
            let complete_tail =
                n >= need && (n - need..n).all(|t| bar_ok(o.high[t], o.low[t], o.close[t]));
            if complete_tail {
                Some(o)
            } else {
                notes.push(format!(
                    "the last {need} bars do not all have a high, low and close: close-to-close ranges used (smaller than a high/low/close ATR)"
                ));
                None
            }
        }
    };
    let (source, (tr, at)) = match hlc {
        Some(o) => (
            AtrSource::HighLowClose,
            hlc_ranges(&o.high, &o.low, &o.close),
        ),
        None => (AtrSource::CloseToClose, close_ranges(&series.values)),
    };
    let value = smoothed(&tr, period, &series.symbol)?;
    let skipped = n.saturating_sub(1).saturating_sub(tr.len());
    if skipped > 0 {
        notes.push(format!(
            "{skipped} bar(s) with a missing cell gave no true range and were skipped"
        ));
    }
    let as_of = at
        .last()
        .and_then(|&t| series.dates.get(t).copied())
        .ok_or_else(|| TradingError::Undefined(format!("{} has no dates", series.symbol)))?;
    Ok(Atr {
        symbol: series.symbol.clone(),
        value,
        source,
        period,
        as_of,
        observations: tr.len(),
        notes,
    })
}
