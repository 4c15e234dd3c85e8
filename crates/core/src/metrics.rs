//! Return-based performance metrics of a periodic simple-return series `r_1..r_N`, with `P`
//! periods per year. Conventions are the `recommended` entries of the reference file
//! (`../shared/reference/CONVENTIONS.md` §2, §5), i.e. QuantStats 0.0.86 / empyrical 0.7.1:
//!
//! | metric | formula |
//! |---|---|
//! | cumulative return | `Π(1+r_t) − 1` |
//! | CAGR (observation count) | `(1+R)^(P/N) − 1` |
//! | annualised volatility | `std(r, ddof=1)·√P` |
//! | Sharpe | `mean(r−rf_d)/std(r−rf_d, ddof=1)·√P`, `rf_d = (1+rf)^(1/P) − 1` |
//! | Sortino (Sortino & Price 1994) | `mean(r−rf_d)/√(Σ min(r−rf_d,0)²/N)·√P` — all N in the denominator |
//! | beta | `cov(r,b)/var(b)` (ddof cancels) |
//!
//! Undefined figures (zero volatility, an empty series) are `NaN`.

use crate::stats::{covariance, mean, std_dev, variance};

/// Per-period risk-free rate from an annual one: `(1+rf)^(1/P) − 1`.
pub fn per_period_rate(annual: f64, periods_per_year: f64) -> f64 {
    (1.0 + annual).powf(1.0 / periods_per_year) - 1.0
}

/// `Π(1+r_t) − 1`.
pub fn cumulative_return(r: &[f64]) -> f64 {
    r.iter().fold(1.0, |w, x| w * (1.0 + x)) - 1.0
}

/// Observation-count CAGR `(1+R)^(P/N) − 1`; `NaN` for an empty series.
pub fn cagr(r: &[f64], periods_per_year: f64) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    (1.0 + cumulative_return(r)).powf(periods_per_year / r.len() as f64) - 1.0
}

/// `std(r, ddof=1)·√P`.
pub fn annualized_volatility(r: &[f64], periods_per_year: f64) -> f64 {
    std_dev(r) * periods_per_year.sqrt()
}

fn excess(r: &[f64], rf_annual: f64, p: f64) -> Vec<f64> {
    let rf = per_period_rate(rf_annual, p);
    r.iter().map(|x| x - rf).collect()
}

/// Sharpe ratio; `NaN` when the excess returns have zero spread.
pub fn sharpe(r: &[f64], rf_annual: f64, periods_per_year: f64) -> f64 {
    let e = excess(r, rf_annual, periods_per_year);
    let sd = std_dev(&e);
    if sd > 0.0 {
        mean(&e) / sd * periods_per_year.sqrt()
    } else {
        f64::NAN
    }
}

/// Target downside deviation `√(Σ min(r−t,0)²/N)` (per period), all N observations.
pub fn downside_deviation(r: &[f64], target_per_period: f64) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    (r.iter()
        .map(|x| (x - target_per_period).min(0.0).powi(2))
        .sum::<f64>()
        / r.len() as f64)
        .sqrt()
}

/// Sortino ratio with target = the risk-free rate; `NaN` when there is no downside.
pub fn sortino(r: &[f64], rf_annual: f64, periods_per_year: f64) -> f64 {
    let e = excess(r, rf_annual, periods_per_year);
    let dd = downside_deviation(&e, 0.0);
    if dd > 0.0 {
        mean(&e) / dd * periods_per_year.sqrt()
    } else {
        f64::NAN
    }
}

/// Beta `cov(r,b)/var(b)`; `NaN` when the benchmark does not move.
pub fn beta(r: &[f64], b: &[f64]) -> f64 {
    let vb = variance(b, 1);
    if vb > 0.0 {
        covariance(r, b) / vb
    } else {
        f64::NAN
    }
}
