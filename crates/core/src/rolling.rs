//! Rolling-window statistics over a return series: window `w`, the first value at the `w`-th
//! return (pandas `rolling(w)`), dated by the window's last return.
//!
//! Each window is computed from its own slice with the same two-pass formulas as the full-sample
//! figures (no running sums), so values agree with the peers to rounding.

use crate::metrics::beta;
use crate::relative::correlation;
use crate::stats::{mean, std_dev};
use chrono::NaiveDate;

/// A dated rolling series.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rolling {
    pub window: usize,
    pub dates: Vec<NaiveDate>,
    pub values: Vec<f64>,
}

fn roll(dates: &[NaiveDate], n: usize, window: usize, f: impl Fn(usize, usize) -> f64) -> Rolling {
    let mut out = Rolling {
        window,
        dates: Vec::new(),
        values: Vec::new(),
    };
    if window == 0 || n < window {
        return out;
    }
    for end in window..=n {
        out.dates.push(dates[end - 1]);
        out.values.push(f(end - window, end));
    }
    out
}

/// Rolling annualised volatility `std(r, ddof=1)·√P`. `dates[t]` is the date of `r[t]`.
pub fn rolling_volatility(
    dates: &[NaiveDate],
    r: &[f64],
    window: usize,
    periods_per_year: f64,
) -> Rolling {
    let n = r.len().min(dates.len());
    roll(dates, n, window, |a, b| {
        std_dev(&r[a..b]) * periods_per_year.sqrt()
    })
}

/// Rolling annualised Sharpe ratio (per-period risk-free rate `rf_d`).
pub fn rolling_sharpe(
    dates: &[NaiveDate],
    r: &[f64],
    window: usize,
    periods_per_year: f64,
    rf_d: f64,
) -> Rolling {
    let n = r.len().min(dates.len());
    roll(dates, n, window, |a, b| {
        let e: Vec<f64> = r[a..b].iter().map(|x| x - rf_d).collect();
        let sd = std_dev(&e);
        if sd > 0.0 {
            mean(&e) / sd * periods_per_year.sqrt()
        } else {
            f64::NAN
        }
    })
}

/// Rolling beta to the benchmark.
pub fn rolling_beta(dates: &[NaiveDate], r: &[f64], b: &[f64], window: usize) -> Rolling {
    let n = r.len().min(b.len()).min(dates.len());
    roll(dates, n, window, |x, y| beta(&r[x..y], &b[x..y]))
}

/// Rolling correlation with the benchmark.
pub fn rolling_correlation(dates: &[NaiveDate], r: &[f64], b: &[f64], window: usize) -> Rolling {
    let n = r.len().min(b.len()).min(dates.len());
    roll(dates, n, window, |x, y| correlation(&r[x..y], &b[x..y]))
}
