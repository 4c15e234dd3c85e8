//! Price-history import: wide, long/tidy, Yahoo Finance per-ticker exports and wide returns
//! tables, auto-detected (each choice overridable).
//! (STUB — being implemented.)

use crate::dates::DateOrder;
use crate::error::ImportError;
use crate::model::PriceImport;
use serde::{Deserialize, Serialize};

/// Table layout of a price file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PriceLayout {
    /// Detect from the header and values.
    #[default]
    Auto,
    /// `date, SYM1, SYM2, …` prices; blank cells before a listing / after a delisting.
    Wide,
    /// `date, symbol, close[, adj_close]` one row per date and symbol.
    Long,
    /// Yahoo Finance per-ticker export `Date,Open,High,Low,Close,Adj Close,Volume`;
    /// the symbol comes from the file name.
    Yahoo,
    /// `date, SYM1, SYM2, …` holding simple returns instead of prices.
    WideReturns,
}

/// Which price column to use when a file has both Close and Adj Close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PriceField {
    #[default]
    AdjClose,
    Close,
}

/// User-overridable import choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PriceOptions {
    pub layout: PriceLayout,
    pub field: PriceField,
    pub date_order: DateOrder,
}

/// Read one price or returns file. `file_name` is used in messages and, for Yahoo exports,
/// to name the symbol (`AAPL.csv` → `AAPL`).
pub fn parse_prices(
    file_name: &str,
    bytes: &[u8],
    options: &PriceOptions,
) -> Result<PriceImport, ImportError> {
    let _ = (file_name, bytes, options);
    Err(ImportError::new(file_name, crate::error::ImportErrorKind::Other("not implemented".into())))
}
