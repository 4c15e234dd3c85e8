//! The first analytics: portfolio returns and headline risk figures.
//!
//! Portfolio returns use today's weights held constant over the window:
//! `r_p,t = Σ_i w_i r_i,t` (cash earns zero), i.e. the portfolio rebalanced to today's weights
//! every period — the risk of the portfolio held now. The buy-and-hold value of today's
//! quantities, `V_t = Σ_i q_i P_i,t + cash`, is given as well when quantities are known.

use crate::align::Aligned;
use crate::attribution::{attribute, Attribution};
use crate::backtest::{rolling_backtest, Backtest};
use crate::decomposition::{decompose, Decomposition, DecompositionInput};
use crate::drawdown::{current_drawdown, drawdown_series, episodes, max_drawdown, wealth};
use crate::ewma::RISKMETRICS_LAMBDA;
use crate::metrics::{annualized_volatility, beta, cagr, cumulative_return, sharpe, sortino};
use crate::periods::{monthly_table, YearRow};
use crate::rolling::{rolling_set, RollingSet};
use crate::suite::{suite_metrics, CagrConvention, SuiteInput, SuiteMetrics};
use crate::var::{historical_cvar_sorted, historical_var_sorted};
use crate::var_models::{
    closed_form_table, overlapping_returns, VarEstimate, VarModel, VarSettings,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// User parameters of the analysis. Missing fields (older saved workspaces) take their
/// defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisParams {
    /// Annual risk-free rate as a fraction (0.02 = 2%); converted per period as
    /// `(1+rf)^(1/P) - 1`.
    pub risk_free_annual: f64,
    /// VaR/CVaR confidence (0.95 by default; the app offers 90–99.9%).
    pub confidence: f64,
    /// VaR horizon in periods (1–20 trading days in the app).
    pub horizon: usize,
    /// RiskMetrics EWMA decay λ (0.94).
    pub ewma_lambda: f64,
    /// The model the decomposition, the backtest and the histogram lines use.
    pub var_model: VarModel,
    /// Rolling window for volatility, Sharpe, beta and correlation (63, 126 or 252).
    pub rolling_window: usize,
    /// Window of the rolling VaR backtest (250).
    pub backtest_window: usize,
    /// Number of drawdown episodes in the table (10).
    pub top_episodes: usize,
    /// CAGR convention of the headline figure (observation count by default).
    pub cagr_convention: CagrConvention,
}

impl Default for AnalysisParams {
    fn default() -> Self {
        AnalysisParams {
            risk_free_annual: 0.0,
            confidence: 0.95,
            horizon: 1,
            ewma_lambda: RISKMETRICS_LAMBDA,
            var_model: VarModel::Historical,
            rolling_window: 126,
            backtest_window: 250,
            top_episodes: 10,
            cagr_convention: CagrConvention::Observations,
        }
    }
}

impl AnalysisParams {
    /// The VaR settings of these parameters.
    pub fn var_settings(&self) -> VarSettings {
        VarSettings {
            confidence: self.confidence,
            horizon: self.horizon.max(1),
            ewma_lambda: self.ewma_lambda,
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
    /// Every scalar figure (Risk, Drawdowns, Performance pages).
    pub suite: SuiteMetrics,
    /// The same figures of the benchmark on the same dates (no relative figures).
    pub benchmark_suite: Option<SuiteMetrics>,
    /// The closed-form VaR models at the chosen confidence and horizon.
    pub var: Vec<VarEstimate>,
    /// The closed-form models' 1-period VaR at 95% and 99% (fixed keys for the CLI).
    pub var_standard: Vec<VarEstimate>,
    /// Overlapping horizon returns (the VaR sample; the histogram's data).
    pub horizon_returns: Vec<f64>,
    /// The normal distribution of the Gaussian model at the horizon, `(hμ, √h σ)` (σ with
    /// ddof 1): the histogram's fitted-normal overlay.
    pub normal_fit: (f64, f64),
    pub decomposition: Decomposition,
    pub backtest: Backtest,
    /// The deepest episodes, deepest first.
    pub top_episodes: Vec<crate::drawdown::Episode>,
    pub rolling: RollingSet,
    pub monthly: Vec<YearRow>,
    pub attribution: Attribution,
}

/// Constant-weight portfolio returns `r_p,t = Σ_i w_i r_i,t`.
pub fn portfolio_returns(aligned: &Aligned) -> Vec<f64> {
    weighted_returns(
        &aligned.returns,
        &aligned.weights,
        aligned.dates.len().saturating_sub(1),
    )
}

/// `Σ_i w_i r_i,t` for `t < len` (accumulated asset by asset, so a weight of exactly 0 or 1
/// reproduces an asset's own returns bit for bit). Cash (the weights' remainder) earns zero.
pub fn weighted_returns(returns: &[Vec<f64>], weights: &[f64], len: usize) -> Vec<f64> {
    let mut out = vec![0.0; len];
    for (w, r) in weights.iter().zip(returns) {
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
        cagr: match params.cagr_convention {
            CagrConvention::Observations => cagr(&r, p),
            CagrConvention::Calendar => {
                crate::suite::cagr_calendar(&r, first, dates.last().copied().unwrap_or(first))
            }
        },
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
    let return_dates = dates.get(1..).unwrap_or(&[]);
    let bench = aligned.benchmark.as_ref().map(|b| b.returns.as_slice());
    let monthly = monthly_table(return_dates, &r);
    let suite = suite_metrics(&SuiteInput {
        dates: &dates,
        returns: &r,
        benchmark: bench,
        drawdown: &dd,
        episodes: &eps,
        monthly: &monthly,
        periods_per_year: p,
        risk_free_annual: params.risk_free_annual,
    });
    let benchmark_suite = aligned.benchmark.as_ref().map(|b| {
        let bdd = drawdown_series(&wealth(&b.returns));
        let beps = episodes(&dates, &bdd);
        let bmonthly = monthly_table(return_dates, &b.returns);
        suite_metrics(&SuiteInput {
            dates: &dates,
            returns: &b.returns,
            benchmark: None,
            drawdown: &bdd,
            episodes: &beps,
            monthly: &bmonthly,
            periods_per_year: p,
            risk_free_annual: params.risk_free_annual,
        })
    });
    let settings = params.var_settings();
    let var = closed_form_table(&r, &settings);
    let var_standard = [0.95, 0.99]
        .iter()
        .flat_map(|c| {
            closed_form_table(
                &r,
                &VarSettings {
                    confidence: *c,
                    horizon: 1,
                    ..settings
                },
            )
        })
        .collect();
    let sectors: Vec<Option<String>> = aligned.positions.iter().map(|p| p.sector.clone()).collect();
    let decomposition = decompose(
        &DecompositionInput {
            returns: &aligned.returns,
            weights: &aligned.weights,
            symbols: &aligned.symbols,
            sectors: &sectors,
        },
        params.var_model,
        &settings,
    );
    let backtest = rolling_backtest(
        &r,
        params.backtest_window,
        params.confidence,
        params.var_model,
        params.ewma_lambda,
    );
    let rolling = rolling_set(
        return_dates,
        &r,
        bench,
        params.rolling_window,
        p,
        crate::metrics::per_period_rate(params.risk_free_annual, p),
    );
    let attribution = attribute(
        &aligned.returns,
        &aligned.weights,
        &aligned.symbols,
        &sectors,
        p,
    );
    let horizon_returns = overlapping_returns(&r, settings.horizon);
    let normal_fit = (
        crate::stats::mean(&r) * settings.horizon as f64,
        crate::stats::std_dev(&r) * (settings.horizon as f64).sqrt(),
    );
    let top = crate::drawdown::top_episodes(eps.clone(), params.top_episodes);
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
        suite,
        benchmark_suite,
        var,
        var_standard,
        normal_fit,
        horizon_returns,
        decomposition,
        backtest,
        top_episodes: top,
        rolling,
        monthly,
        attribution,
    }
}
