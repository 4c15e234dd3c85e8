//! The first analytics: portfolio returns and headline risk figures.
//!
//! Portfolio returns use today's weights held constant over the window:
//! `r_p,t = Σ_i w_i r_i,t` (cash earns zero), i.e. the portfolio rebalanced to today's weights
//! every period — the risk of the portfolio held now. The buy-and-hold value of today's
//! quantities, `V_t = Σ_i q_i P_i,t + cash`, is given as well when quantities are known.

use crate::align::Aligned;
use crate::drawdown::{current_drawdown, drawdown_series, episodes, max_drawdown, wealth};
use crate::metrics::{annualized_volatility, beta, cagr, cumulative_return, sharpe, sortino};
use crate::var::{historical_cvar_sorted, historical_var_sorted};
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
        AnalysisParams {
            risk_free_annual: 0.0,
            confidence: 0.95,
        }
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

/// Constant-weight portfolio returns `r_p,t = Σ_i w_i r_i,t`.
pub fn portfolio_returns(aligned: &Aligned) -> Vec<f64> {
    let n = aligned.dates.len().saturating_sub(1);
    let mut out = vec![0.0; n];
    for (w, r) in aligned.weights.iter().zip(&aligned.returns) {
        for (o, x) in out.iter_mut().zip(r) {
            *o += w * x;
        }
    }
    out
}

/// Buy-and-hold value of today's quantities, when every position has one.
fn buy_and_hold(aligned: &Aligned) -> Option<Vec<f64>> {
    let q: Option<Vec<f64>> = aligned.positions.iter().map(|p| p.quantity).collect();
    let q = q?;
    let mut v = vec![aligned.cash; aligned.dates.len()];
    for (qi, p) in q.iter().zip(&aligned.prices) {
        for (o, x) in v.iter_mut().zip(p) {
            *o += qi * x;
        }
    }
    Some(v)
}

/// Headline analysis of aligned data. Never panics; undefined figures are `NaN` (beta is
/// `None` without a benchmark).
pub fn analyze(aligned: &Aligned, params: &AnalysisParams) -> Analysis {
    let p = aligned.report.periods_per_year;
    let r = portfolio_returns(aligned);
    let equity = wealth(&r);
    let dd = drawdown_series(&equity);
    let dates = aligned.dates.clone();
    let eps = episodes(&dates, &dd);
    let worst = eps
        .iter()
        .max_by(|a, b| a.depth.total_cmp(&b.depth).then(b.peak.cmp(&a.peak)));
    let first = dates.first().copied().unwrap_or_default();
    let sorted_r = crate::stats::sorted(&r);
    let metrics = HeadlineMetrics {
        cumulative_return: cumulative_return(&r),
        cagr: cagr(&r, p),
        annualized_volatility: annualized_volatility(&r, p),
        sharpe: sharpe(&r, params.risk_free_annual, p),
        sortino: sortino(&r, params.risk_free_annual, p),
        max_drawdown: max_drawdown(&dd),
        max_drawdown_peak: worst.map_or(first, |e| e.peak),
        max_drawdown_trough: worst.map_or(first, |e| e.trough),
        max_drawdown_recovery: worst.and_then(|e| e.recovery),
        current_drawdown: current_drawdown(&dd),
        var_historical: historical_var_sorted(&sorted_r, params.confidence),
        cvar_historical: historical_cvar_sorted(&sorted_r, params.confidence),
        beta: aligned.benchmark.as_ref().map(|b| beta(&r, &b.returns)),
    };
    let series = AnalysisSeries {
        dates,
        benchmark_equity: aligned.benchmark.as_ref().map(|b| wealth(&b.returns)),
        buy_and_hold_value: buy_and_hold(aligned),
        equity,
        drawdown: dd,
    };
    Analysis {
        params: *params,
        metrics,
        portfolio_returns: r,
        series,
    }
}
