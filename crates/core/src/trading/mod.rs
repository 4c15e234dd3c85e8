//! Position sizing, risk limits and alerts, pre-trade checks, leverage and margin, hedging.
//!
//! Everything works on the user's own holdings (an [`crate::align::Aligned`] portfolio: last
//! prices, quantities, values, weights of net value, sectors, the return history) and on
//! plain numbers typed in for instruments that are not in the data.

pub mod atr;
pub mod error;
pub mod exposure;
pub mod heat;
pub mod hedge;
pub mod limits;
pub mod pretrade;
pub mod sizing;

pub use error::TradingError;
