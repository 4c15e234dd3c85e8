//! Data model shared by the importers, the aligner and the analytics.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the numbers of a [`Series`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueKind {
    /// Prices (or index levels): strictly positive.
    Price,
    /// Simple periodic returns `p_t / p_{t-1} - 1`, the return *ending* on the row's date.
    Return,
}

/// High / low / close columns kept from an OHLC export (later used for ATR).
/// Each vector is aligned with [`Series::dates`]; a missing cell is `NaN`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ohlc {
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
}

/// One instrument's history: dates strictly ascending and unique, one finite value per date
/// (missing cells are simply absent — never zero, never NaN).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub symbol: String,
    pub kind: ValueKind,
    pub dates: Vec<NaiveDate>,
    pub values: Vec<f64>,
    pub ohlc: Option<Ohlc>,
    /// The file this series came from (for messages and provenance).
    pub source: String,
}

impl Series {
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.dates.first().copied()
    }
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.dates.last().copied()
    }
}

/// The result of reading one price (or returns) file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceImport {
    pub file: String,
    /// The layout that was used (detected or chosen).
    pub layout: crate::prices::PriceLayout,
    pub series: Vec<Series>,
    /// Plain-language notes on decisions taken while reading (date order chosen by evidence,
    /// Adj Close used, rows sorted, footer lines skipped, …).
    pub notes: Vec<String>,
}

/// All price series loaded, from one or several files, unique by symbol.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceSet {
    pub series: Vec<Series>,
    pub notes: Vec<String>,
}

impl PriceSet {
    /// Merge several imports; a symbol present in two files is an error naming both files.
    pub fn from_imports(imports: Vec<PriceImport>) -> Result<Self, crate::error::ImportError> {
        let mut set = PriceSet::default();
        for imp in imports {
            for s in imp.series {
                if let Some(prev) = set.series.iter().find(|p| p.symbol == s.symbol) {
                    return Err(crate::error::ImportError::new(
                        &s.source,
                        crate::error::ImportErrorKind::DuplicateSymbolAcrossFiles {
                            symbol: s.symbol.clone(),
                            other_file: prev.source.clone(),
                        },
                    ));
                }
                set.series.push(s);
            }
            set.notes
                .extend(imp.notes.into_iter().map(|n| format!("{}: {n}", imp.file)));
        }
        Ok(set)
    }

    pub fn get(&self, symbol: &str) -> Option<&Series> {
        self.series
            .iter()
            .find(|s| s.symbol.eq_ignore_ascii_case(symbol))
    }

    pub fn symbols(&self) -> Vec<String> {
        self.series.iter().map(|s| s.symbol.clone()).collect()
    }
}

/// One line of a holdings file. At least one of `quantity`, `market_value`, `weight` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub symbol: String,
    pub description: Option<String>,
    /// Shares / units; negative for a short position.
    pub quantity: Option<f64>,
    /// Market value in the account currency; negative for a short position.
    pub market_value: Option<f64>,
    /// Weight as a fraction of the portfolio (a `%` column is divided by 100 on import).
    pub weight: Option<f64>,
    /// Price given in the file (the price history's last price is used for valuation).
    pub price: Option<f64>,
    pub cost_basis: Option<f64>,
    pub sector: Option<String>,
    pub asset_class: Option<String>,
    /// 1-based line in the source file.
    pub line: usize,
}

/// A holdings file: positions plus cash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Holdings {
    pub file: String,
    pub positions: Vec<Position>,
    /// Cash and money-market balance (in currency), recognised from rows like `SPAXX**` or
    /// "Cash & Cash Investments". Earns a zero return in the analysis.
    pub cash: f64,
    /// When the file gives weights only, the fraction of the portfolio in cash (if a cash row
    /// carries a weight).
    pub cash_weight: Option<f64>,
    /// Detected broker format ("Fidelity", "Schwab", "IBKR Flex", "Vanguard", "generic").
    pub format: String,
    pub notes: Vec<String>,
}
