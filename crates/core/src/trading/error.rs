//! Errors of sizing, limits, pre-trade checks and hedging, in words a user can act on.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum TradingError {
    /// An input out of range; `field` names it as the UI and CLI do.
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    /// A symbol that is neither in the data nor given with a price and a volatility/ATR.
    #[error("{symbol} is not in the loaded data; give its price and its volatility or ATR")]
    UnknownSymbol { symbol: String },

    /// Not enough history for the figure.
    #[error("{what} needs at least {need} observations; {symbol} has {got}")]
    TooLittleHistory {
        what: String,
        symbol: String,
        need: usize,
        got: usize,
    },

    /// The figure is undefined for this portfolio (e.g. zero equity, zero volatility).
    #[error("{0}")]
    Undefined(String),
}

impl TradingError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        TradingError::InvalidInput {
            field: field.to_string(),
            message: message.into(),
        }
    }
}
