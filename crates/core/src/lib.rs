//! Ballast core: data import, alignment and risk analytics.
//!
//! This crate has **no web dependency**: it builds natively and for `wasm32-unknown-unknown`,
//! and the app, the charts and the CLI all call into it. Every function that reads user data
//! returns a typed error (see [`error`]); nothing here panics on user input.
//!
//! Pipeline: [`prices::parse_prices`] / [`holdings::parse_holdings`] → [`align::align`] →
//! [`analysis::analyze`].

pub mod align;
pub mod analysis;
pub mod attribution;
pub mod backtest;
pub mod clustering;
pub mod correlation_analysis;
pub mod correlation_dynamics;
pub mod covariance;
pub mod dates;
pub mod decomposition;
pub mod detect;
pub mod diversification;
pub mod drawdown;
pub mod error;
pub mod estimators;
pub mod ewma;
pub mod export;
pub mod figures;
pub mod frequency;
pub mod holdings;
pub mod mc_batch;
pub mod metrics;
pub mod model;
pub mod moments;
pub mod montecarlo;
pub mod optimize;
pub mod periods;
pub mod pipeline;
pub mod prices;
pub mod relative;
pub mod rolling;
pub mod share;
pub mod stats;
pub mod suite;
pub mod text;
pub mod trading;
pub mod var;
pub mod var_models;

pub use error::{AlignError, BallastError, ImportError, ImportErrorKind};
pub use model::{Holdings, Ohlc, Position, PriceImport, PriceSet, Series, ValueKind};
