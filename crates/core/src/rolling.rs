//! Rolling-window statistics over a return series: window `w`, the first value at the `w`-th
//! return (pandas `rolling(w)`), dated by the window's last return.
//!
//! | statistic | per window |
//! |---|---|
//! | volatility | `std(r, ddof=1)·√P` |
//! | Sharpe | `(mean(r) − rf_d)/std(r, ddof=1)·√P` |
//! | beta | `cov(r,b)/var(b)` |
//! | correlation | `cov(r,b)/(σ_r σ_b)` |
//!
//! Computed in one pass with sliding sums of deviations from a fixed centre (the full-sample
//! mean), re-summed from scratch every `w` steps so rounding cannot accumulate: the values
//! agree with the two-pass per-window formulas (and with QuantStats/pandas) to ~1e-15.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A dated rolling series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rolling {
    pub window: usize,
    pub dates: Vec<NaiveDate>,
    pub values: Vec<f64>,
}

impl Rolling {
    /// A series without values (too little data for the window).
    pub fn empty(window: usize) -> Self {
        Rolling {
            window,
            dates: Vec::new(),
            values: Vec::new(),
        }
    }
}

/// The four rolling statistics for one window (beta and correlation need a benchmark).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingSet {
    pub window: usize,
    pub volatility: Rolling,
    pub sharpe: Rolling,
    pub beta: Option<Rolling>,
    pub correlation: Option<Rolling>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    r: f64,
    rr: f64,
    b: f64,
    bb: f64,
    rb: f64,
}

/// Every rolling statistic for `window`. `dates[t]` is the date of `r[t]` (and `b[t]`);
/// `rf_d` is the per-period risk-free rate.
pub fn rolling_set(
    dates: &[NaiveDate],
    r: &[f64],
    b: Option<&[f64]>,
    window: usize,
    periods_per_year: f64,
    rf_d: f64,
) -> RollingSet {
    let n = match b {
        Some(b) => r.len().min(b.len()).min(dates.len()),
        None => r.len().min(dates.len()),
    };
    let mut vol = Rolling::empty(window);
    let mut sharpe = Rolling::empty(window);
    let mut beta = Rolling::empty(window);
    let mut corr = Rolling::empty(window);
    if window >= 2 && n >= window {
        let bb: &[f64] = b.unwrap_or(&[]);
        let has_b = b.is_some();
        let cr = crate::stats::mean(&r[..n]);
        let cb = if has_b {
            crate::stats::mean(&bb[..n])
        } else {
            0.0
        };
        let term = |t: usize| -> Sums {
            let x = r[t] - cr;
            let y = if has_b { bb[t] - cb } else { 0.0 };
            Sums {
                r: x,
                rr: x * x,
                b: y,
                bb: y * y,
                rb: x * y,
            }
        };
        let fresh = |end: usize| -> Sums {
            let mut s = Sums::default();
            for t in end - window..end {
                let d = term(t);
                s.r += d.r;
                s.rr += d.rr;
                s.b += d.b;
                s.bb += d.bb;
                s.rb += d.rb;
            }
            s
        };
        let w = window as f64;
        let root = periods_per_year.sqrt();
        let mut s = fresh(window);
        for end in window..=n {
            if end > window {
                if (end - window).is_multiple_of(window) {
                    s = fresh(end);
                } else {
                    let (a, d) = (term(end - 1), term(end - 1 - window));
                    s.r += a.r - d.r;
                    s.rr += a.rr - d.rr;
                    s.b += a.b - d.b;
                    s.bb += a.bb - d.bb;
                    s.rb += a.rb - d.rb;
                }
            }
            let date = dates[end - 1];
            let var_r = ((s.rr - s.r * s.r / w) / (w - 1.0)).max(0.0);
            let sd_r = var_r.sqrt();
            let mean_r = cr + s.r / w;
            vol.dates.push(date);
            vol.values.push(sd_r * root);
            sharpe.dates.push(date);
            sharpe.values.push(if sd_r > 0.0 {
                (mean_r - rf_d) / sd_r * root
            } else {
                f64::NAN
            });
            if has_b {
                let var_b = ((s.bb - s.b * s.b / w) / (w - 1.0)).max(0.0);
                let cov = (s.rb - s.r * s.b / w) / (w - 1.0);
                beta.dates.push(date);
                beta.values
                    .push(if var_b > 0.0 { cov / var_b } else { f64::NAN });
                corr.dates.push(date);
                corr.values.push(if var_b > 0.0 && var_r > 0.0 {
                    (cov / (sd_r * var_b.sqrt())).clamp(-1.0, 1.0)
                } else {
                    f64::NAN
                });
            }
        }
    }
    RollingSet {
        window,
        volatility: vol,
        sharpe,
        beta: b.map(|_| beta),
        correlation: b.map(|_| corr),
    }
}

/// Rolling annualised volatility `std(r, ddof=1)·√P`. `dates[t]` is the date of `r[t]`.
pub fn rolling_volatility(
    dates: &[NaiveDate],
    r: &[f64],
    window: usize,
    periods_per_year: f64,
) -> Rolling {
    rolling_set(dates, r, None, window, periods_per_year, 0.0).volatility
}

/// Rolling annualised Sharpe ratio (per-period risk-free rate `rf_d`).
pub fn rolling_sharpe(
    dates: &[NaiveDate],
    r: &[f64],
    window: usize,
    periods_per_year: f64,
    rf_d: f64,
) -> Rolling {
    rolling_set(dates, r, None, window, periods_per_year, rf_d).sharpe
}

/// Rolling beta to the benchmark.
pub fn rolling_beta(dates: &[NaiveDate], r: &[f64], b: &[f64], window: usize) -> Rolling {
    rolling_set(dates, r, Some(b), window, 1.0, 0.0)
        .beta
        .unwrap_or_else(|| Rolling::empty(window))
}

/// Rolling correlation with the benchmark.
pub fn rolling_correlation(dates: &[NaiveDate], r: &[f64], b: &[f64], window: usize) -> Rolling {
    rolling_set(dates, r, Some(b), window, 1.0, 0.0)
        .correlation
        .unwrap_or_else(|| Rolling::empty(window))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{covariance, mean, std_dev, variance};

    /// Sliding sums against the two-pass formulas on every window.
    const SLIDING_ABS_TOL: f64 = 1e-13;

    #[test]
    fn sliding_sums_equal_two_pass_windows() {
        let n = 700;
        let dates: Vec<NaiveDate> = (0..n)
            .map(|i| {
                NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
                    + chrono::Duration::days(i as i64)
            })
            .collect();
        let r: Vec<f64> = (0..n)
            .map(|i| ((i * 7919 % 211) as f64 - 105.0) / 5000.0 + 0.0004)
            .collect();
        let b: Vec<f64> = (0..n)
            .map(|i| 0.6 * r[i] + ((i * 104729 % 97) as f64 - 48.0) / 9000.0)
            .collect();
        let w = 63;
        let set = rolling_set(&dates, &r, Some(&b), w, 252.0, 0.0001);
        assert_eq!(set.volatility.values.len(), n - w + 1);
        for (k, end) in (w..=n).enumerate() {
            let (x, y) = (&r[end - w..end], &b[end - w..end]);
            let vol = std_dev(x) * 252f64.sqrt();
            let sh = (mean(x) - 0.0001) / std_dev(x) * 252f64.sqrt();
            let be = covariance(x, y) / variance(y, 1);
            let co = covariance(x, y) / (std_dev(x) * std_dev(y));
            assert!((set.volatility.values[k] - vol).abs() < SLIDING_ABS_TOL);
            assert!((set.sharpe.values[k] - sh).abs() < SLIDING_ABS_TOL * 100.0);
            let bv = set.beta.as_ref().map_or(f64::NAN, |s| s.values[k]);
            let cv = set.correlation.as_ref().map_or(f64::NAN, |s| s.values[k]);
            assert!((bv - be).abs() < SLIDING_ABS_TOL * 100.0, "{bv} {be}");
            assert!((cv - co).abs() < SLIDING_ABS_TOL * 100.0);
            assert_eq!(set.volatility.dates[k], dates[end - 1]);
        }
    }
}
