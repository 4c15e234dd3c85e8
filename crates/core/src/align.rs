//! Alignment: from loaded price series and holdings to one analysis window of returns.
//! (STUB — being implemented; the types are the contract.)

use crate::error::AlignError;
use crate::frequency::Frequency;
use crate::model::{Holdings, PriceSet, Series};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One held asset after valuation on the last date of the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValuedPosition {
    pub symbol: String,
    pub quantity: Option<f64>,
    /// Last price in the window (from the price history).
    pub price: f64,
    /// Market value on the last date (negative for shorts).
    pub value: f64,
    /// Fraction of net portfolio value (cash included in the denominator).
    pub weight: f64,
    pub sector: Option<String>,
}

/// What the aligner decided, in words and numbers, for display in the app and CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignmentReport {
    /// First date of the window (the base date: the close before the first return).
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Number of returns in the window.
    pub observations: usize,
    pub frequency: Frequency,
    pub periods_per_year: f64,
    /// Plain-language notes: what limits the window, what was left out.
    pub notes: Vec<String>,
    /// Loaded symbols that are not held (not part of the portfolio).
    pub unused_symbols: Vec<String>,
}

/// The aligned data: one calendar, a return per asset per date, weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aligned {
    /// `dates[0]` is the base date; `dates[t]` (t ≥ 1) is the date of return `t-1`.
    pub dates: Vec<NaiveDate>,
    /// Held symbols, in holdings order.
    pub symbols: Vec<String>,
    /// `returns[i][t]`: simple return of asset `i` ending on `dates[t+1]`.
    pub returns: Vec<Vec<f64>>,
    /// `prices[i][t]`: price of asset `i` on `dates[t]` (len = dates.len()).
    pub prices: Vec<Vec<f64>>,
    pub positions: Vec<ValuedPosition>,
    /// Weight of each held asset (same order as `symbols`), fraction of net value.
    pub weights: Vec<f64>,
    pub cash: f64,
    pub cash_weight: f64,
    /// Net portfolio value on the last date (positions + cash); 1.0 when only weights are known.
    pub total_value: f64,
    /// Benchmark returns on the same calendar, when a benchmark is given.
    pub benchmark: Option<BenchmarkReturns>,
    pub report: AlignmentReport,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkReturns {
    pub symbol: String,
    pub returns: Vec<f64>,
}

/// Align prices, holdings and an optional benchmark series. Without holdings the portfolio is
/// an equal-weight (constant-weight) mix of every loaded series.
pub fn align(
    prices: &PriceSet,
    holdings: Option<&Holdings>,
    benchmark: Option<&Series>,
) -> Result<Aligned, AlignError> {
    let _ = (prices, holdings, benchmark);
    Err(AlignError::NoPrices)
}
