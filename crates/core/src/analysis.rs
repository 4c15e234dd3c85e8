//! The first analytics: portfolio returns and headline risk figures.
//! (STUB — being implemented; the types are the contract.)

use crate::align::Aligned;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// User parameters of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnalysisParams {
    /// Annual risk-free rate as a fraction (0.02 = 2%); converted per period as
    /// `(1+rf)^(1/P) - 1`.
    pub risk_free_annual: f64,
    /// VaR/CVaR confidence (0.95 by default).
    pub confidence: f64,
}

impl Default for AnalysisParams {
    fn default() -> Self {
        AnalysisParams { risk_free_annual: 0.0, confidence: 0.95 }
    }
}

/// Headline figures. Losses (VaR, CVaR, drawdowns) are **positive fractions**.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineMetrics {
    pub cumulative_return: f64,
    pub cagr: f64,
    pub annualized_volatility: f64,
    pub sharpe: f64,
    pub sortino: f64,
    pub max_drawdown: f64,
    pub max_drawdown_peak: NaiveDate,
    pub max_drawdown_trough: NaiveDate,
    pub max_drawdown_recovery: Option<NaiveDate>,
    pub current_drawdown: f64,
    /// Historical VaR at `confidence` (type-7 quantile), positive loss.
    pub var_historical: f64,
    /// Historical CVaR (Rockafellar-Uryasev), positive loss.
    pub cvar_historical: f64,
    pub beta: Option<f64>,
}

/// Series for the charts, all on `Aligned::dates` (base date included, value 1 / 0 there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisSeries {
    pub dates: Vec<NaiveDate>,
    /// Growth of 1 of the constant-weight portfolio.
    pub equity: Vec<f64>,
    /// Growth of 1 of the benchmark.
    pub benchmark_equity: Option<Vec<f64>>,
    /// Buy-and-hold value of today's quantities (currency), when quantities are known.
    pub buy_and_hold_value: Option<Vec<f64>>,
    /// Drawdown from the running peak, `W_t/HWM_t - 1` (≤ 0).
    pub drawdown: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub params: AnalysisParams,
    pub metrics: HeadlineMetrics,
    /// Portfolio returns, one per period.
    pub portfolio_returns: Vec<f64>,
    pub series: AnalysisSeries,
}
