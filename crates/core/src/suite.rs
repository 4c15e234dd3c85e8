//! The full metric suite of a return series (and its benchmark): every scalar figure of the
//! Risk, Drawdowns and Performance pages, each following the convention documented on the
//! function that computes it (`metrics`, `moments`, `relative`, `drawdown`, `periods`).
//! Undefined figures are `NaN`; benchmark figures are `None` without a benchmark.

use crate::drawdown::{average_drawdown, Episode};
use crate::metrics::{
    annualized_mean, annualized_volatility, best_worst, cagr, calmar, cumulative_return,
    downside_deviation, gain_to_pain, gain_to_pain_monthly, kelly, omega, per_period_rate, sharpe,
    sortino, stability, tail_ratio, win_rate,
};
use crate::moments::{excess_kurtosis, skew};
use crate::periods::YearRow;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How CAGR is annualised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CagrConvention {
    /// `(1+R)^(P/N) − 1`: years = number of returns / periods per year (QuantStats, empyrical).
    #[default]
    Observations,
    /// `(1+R)^(365.25/D) − 1`: years = calendar days from the base date to the last date /
    /// 365.25 (ffn; GIPS-style reporting).
    Calendar,
}

/// Calendar CAGR: `(1+R)^(1/years) − 1`, `years = (last − base) days / 365.25`.
pub fn cagr_calendar(r: &[f64], base: NaiveDate, last: NaiveDate) -> f64 {
    let days = (last - base).num_days() as f64;
    if days <= 0.0 || r.is_empty() {
        return f64::NAN;
    }
    (1.0 + cumulative_return(r)).powf(365.25 / days) - 1.0
}

/// A labelled period return (best/worst month or year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReturn {
    /// `YYYY-MM` or `YYYY`.
    pub period: String,
    pub value: f64,
}

/// Benchmark-relative figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelativeMetrics {
    pub beta: f64,
    /// Jensen's alpha, simple annualisation `(mean(r) − β mean(b))·P` (QuantStats).
    pub alpha: f64,
    /// Compounded annualisation `(1 + mean(r − βb))^P − 1` (empyrical, pyfolio).
    pub alpha_compounded: f64,
    pub r_squared: f64,
    pub correlation: f64,
    pub tracking_error: f64,
    pub information_ratio: f64,
    /// The peers' daily, unannualised `mean(a)/std(a)`.
    pub information_ratio_daily: f64,
    pub up_capture: f64,
    pub down_capture: f64,
}

/// Every scalar figure of the suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteMetrics {
    pub cumulative_return: f64,
    pub cagr: f64,
    pub cagr_calendar: f64,
    pub annualized_mean: f64,
    pub annualized_volatility: f64,
    pub sharpe: f64,
    pub sortino: f64,
    /// Annualised target downside deviation `√(Σ min(r−rf_d,0)²/N)·√P`.
    pub downside_deviation: f64,
    /// CAGR (observation count) / max drawdown.
    pub calmar: f64,
    /// Calendar CAGR / max drawdown (ffn).
    pub calmar_calendar: f64,
    /// Omega at the per-period risk-free rate.
    pub omega: f64,
    pub max_drawdown: f64,
    /// Mean depth of all episodes (QuantStats, ffn).
    pub average_drawdown: f64,
    /// Time average of the drawdown series over the return dates (skfolio `average_drawdown`).
    pub mean_drawdown_time_weighted: f64,
    pub drawdown_episodes: usize,
    /// Longest episode, peak to recovery (or the last date), in return observations.
    pub longest_drawdown_trading_days: usize,
    /// Longest episode in calendar days (the longest by this unit, possibly another episode).
    pub longest_drawdown_calendar_days: i64,
    pub current_drawdown: f64,
    /// Length of the current episode (0 at a high): observations and calendar days since the
    /// last peak.
    pub time_under_water_trading_days: usize,
    pub time_under_water_calendar_days: i64,
    pub ulcer_index: f64,
    pub skew: f64,
    pub excess_kurtosis: f64,
    pub tail_ratio: f64,
    pub win_rate: f64,
    pub best_day: f64,
    pub worst_day: f64,
    pub best_month: Option<PeriodReturn>,
    pub worst_month: Option<PeriodReturn>,
    pub best_year: Option<PeriodReturn>,
    pub worst_year: Option<PeriodReturn>,
    pub gain_to_pain: f64,
    pub gain_to_pain_monthly: f64,
    pub kelly: f64,
    pub stability: f64,
    pub relative: Option<RelativeMetrics>,
}

/// Inputs of [`suite_metrics`].
pub struct SuiteInput<'a> {
    /// Base date followed by the return dates (`dates[t+1]` is the date of `r[t]`).
    pub dates: &'a [NaiveDate],
    pub returns: &'a [f64],
    pub benchmark: Option<&'a [f64]>,
    /// Drawdown series including the base point.
    pub drawdown: &'a [f64],
    pub episodes: &'a [Episode],
    pub monthly: &'a [YearRow],
    pub periods_per_year: f64,
    pub risk_free_annual: f64,
}

fn extreme_period(rows: &[YearRow], best: bool, monthly: bool) -> Option<PeriodReturn> {
    let mut out: Option<PeriodReturn> = None;
    for row in rows {
        let cells: Vec<(String, f64)> = if monthly {
            row.months
                .iter()
                .enumerate()
                .filter_map(|(m, v)| v.map(|v| (format!("{}-{:02}", row.year, m + 1), v)))
                .collect()
        } else {
            vec![(row.year.to_string(), row.year_return)]
        };
        for (period, value) in cells {
            let better = match &out {
                None => true,
                Some(o) => (best && value > o.value) || (!best && value < o.value),
            };
            if better && value.is_finite() {
                out = Some(PeriodReturn { period, value });
            }
        }
    }
    out
}

/// Compute every figure.
pub fn suite_metrics(inp: &SuiteInput<'_>) -> SuiteMetrics {
    let r = inp.returns;
    let p = inp.periods_per_year;
    let rf_d = per_period_rate(inp.risk_free_annual, p);
    let base = inp.dates.first().copied().unwrap_or_default();
    let last = inp.dates.last().copied().unwrap_or_default();
    let cagr_obs = cagr(r, p);
    let cagr_cal = cagr_calendar(r, base, last);
    let mdd = crate::drawdown::max_drawdown(inp.drawdown);
    let (best_day, worst_day) = best_worst(r);
    let excess: Vec<f64> = r.iter().map(|x| x - rf_d).collect();
    let (tuw_n, tuw_days) = match inp.episodes.last() {
        Some(e) if e.recovery.is_none() => (e.trading_days, e.calendar_days),
        _ => (0, 0),
    };
    let return_dates = inp.dates.get(1..).unwrap_or(&[]);
    let body = inp.drawdown.get(1..).unwrap_or(&[]);
    let relative = inp.benchmark.map(|b| {
        let beta = crate::metrics::beta(r, b);
        let active: Vec<f64> = r.iter().zip(b).map(|(x, y)| x - y).collect();
        let sd_a = crate::stats::std_dev(&active);
        let intercept: f64 = crate::stats::mean(
            &r.iter()
                .zip(b)
                .map(|(x, y)| x - beta * y)
                .collect::<Vec<f64>>(),
        );
        RelativeMetrics {
            beta,
            alpha: crate::relative::alpha(r, b, p),
            alpha_compounded: (1.0 + intercept).powf(p) - 1.0,
            r_squared: crate::relative::r_squared(r, b),
            correlation: crate::relative::correlation(r, b),
            tracking_error: crate::relative::tracking_error(r, b, p),
            information_ratio: crate::relative::information_ratio(r, b, p),
            information_ratio_daily: if sd_a > 0.0 {
                crate::stats::mean(&active) / sd_a
            } else {
                f64::NAN
            },
            up_capture: crate::relative::up_capture(r, b),
            down_capture: crate::relative::down_capture(r, b),
        }
    });
    SuiteMetrics {
        cumulative_return: cumulative_return(r),
        cagr: cagr_obs,
        cagr_calendar: cagr_cal,
        annualized_mean: annualized_mean(r, p),
        annualized_volatility: annualized_volatility(r, p),
        sharpe: sharpe(r, inp.risk_free_annual, p),
        sortino: sortino(r, inp.risk_free_annual, p),
        downside_deviation: downside_deviation(&excess, 0.0) * p.sqrt(),
        calmar: calmar(cagr_obs, mdd),
        calmar_calendar: calmar(cagr_cal, mdd),
        omega: omega(r, rf_d),
        max_drawdown: mdd,
        average_drawdown: average_drawdown(inp.episodes),
        mean_drawdown_time_weighted: if body.is_empty() {
            f64::NAN
        } else {
            -body.iter().sum::<f64>() / body.len() as f64
        },
        drawdown_episodes: inp.episodes.len(),
        longest_drawdown_trading_days: inp
            .episodes
            .iter()
            .map(|e| e.trading_days)
            .max()
            .unwrap_or(0),
        longest_drawdown_calendar_days: inp
            .episodes
            .iter()
            .map(|e| e.calendar_days)
            .max()
            .unwrap_or(0),
        current_drawdown: crate::drawdown::current_drawdown(inp.drawdown),
        time_under_water_trading_days: tuw_n,
        time_under_water_calendar_days: tuw_days,
        ulcer_index: crate::drawdown::ulcer_index(inp.drawdown),
        skew: skew(r),
        excess_kurtosis: excess_kurtosis(r),
        tail_ratio: tail_ratio(r),
        win_rate: win_rate(r),
        best_day,
        worst_day,
        best_month: extreme_period(inp.monthly, true, true),
        worst_month: extreme_period(inp.monthly, false, true),
        best_year: extreme_period(inp.monthly, true, false),
        worst_year: extreme_period(inp.monthly, false, false),
        gain_to_pain: gain_to_pain(r),
        gain_to_pain_monthly: gain_to_pain_monthly(return_dates, r),
        kelly: kelly(r),
        stability: stability(r),
        relative,
    }
}
