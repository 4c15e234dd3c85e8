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

/// Arithmetic annualised mean `mean(r)·P`.
pub fn annualized_mean(r: &[f64], periods_per_year: f64) -> f64 {
    mean(r) * periods_per_year
}

/// Calmar ratio: CAGR over the maximum drawdown of the whole sample (positive fraction);
/// `NaN` without a drawdown.
pub fn calmar(cagr: f64, max_drawdown: f64) -> f64 {
    if max_drawdown > 0.0 {
        cagr / max_drawdown
    } else {
        f64::NAN
    }
}

/// Omega ratio at a per-period threshold `t`: `Σ max(r−t,0) / Σ max(t−r,0)`.
pub fn omega(r: &[f64], threshold: f64) -> f64 {
    let (mut up, mut down) = (0.0, 0.0);
    for x in r {
        let d = x - threshold;
        if d > 0.0 {
            up += d
        } else {
            down -= d
        }
    }
    if down > 0.0 {
        up / down
    } else {
        f64::NAN
    }
}

/// Tail ratio `|q_0.95 / q_0.05|` with type-7 quantiles.
pub fn tail_ratio(r: &[f64]) -> f64 {
    let s = crate::stats::sorted(r);
    let lo = crate::stats::quantile_type7_sorted(&s, 0.05);
    (crate::stats::quantile_type7_sorted(&s, 0.95) / lo).abs()
}

/// Win rate `#(r>0) / #(r≠0)`: periods with a zero return are left out (QuantStats).
pub fn win_rate(r: &[f64]) -> f64 {
    let wins = r.iter().filter(|x| **x > 0.0).count();
    let nonzero = r.iter().filter(|x| **x != 0.0).count();
    if nonzero == 0 {
        f64::NAN
    } else {
        wins as f64 / nonzero as f64
    }
}

/// Best and worst period returns `(max, min)`.
pub fn best_worst(r: &[f64]) -> (f64, f64) {
    r.iter()
        .fold((f64::NAN, f64::NAN), |(b, w), x| (b.max(*x), w.min(*x)))
}

/// Gain-to-pain `Σr / |Σ r<0|` (sums, not compounded); on daily returns by default, and on
/// monthly buckets (daily returns summed per calendar month, Schwager's definition) with
/// [`gain_to_pain_monthly`].
pub fn gain_to_pain(r: &[f64]) -> f64 {
    let pain: f64 = r.iter().filter(|x| **x < 0.0).sum();
    if pain < 0.0 {
        r.iter().sum::<f64>() / pain.abs()
    } else {
        f64::NAN
    }
}

/// Gain-to-pain on calendar-month sums of the returns (`dates[t]` is the date of `r[t]`).
pub fn gain_to_pain_monthly(dates: &[chrono::NaiveDate], r: &[f64]) -> f64 {
    use chrono::Datelike;
    let mut months: Vec<f64> = Vec::new();
    let mut key = None;
    for (d, x) in dates.iter().zip(r) {
        let k = (d.year(), d.month());
        if key != Some(k) {
            months.push(0.0);
            key = Some(k);
        }
        if let Some(m) = months.last_mut() {
            *m += x;
        }
    }
    gain_to_pain(&months)
}

/// Kelly fraction `(W·p − (1−p))/W` with payoff ratio `W = mean(r|r>0)/|mean(r|r<0)|` and
/// `p` the win rate (zero periods left out).
pub fn kelly(r: &[f64]) -> f64 {
    let wins: Vec<f64> = r.iter().copied().filter(|x| *x > 0.0).collect();
    let losses: Vec<f64> = r.iter().copied().filter(|x| *x < 0.0).collect();
    let w = mean(&wins) / mean(&losses).abs();
    let p = win_rate(r);
    (w * p - (1.0 - p)) / w
}

/// Stability: R² of an OLS fit of `Σ log(1+r)` on time `0..N−1` (empyrical).
pub fn stability(r: &[f64]) -> f64 {
    let mut acc = 0.0;
    let y: Vec<f64> = r
        .iter()
        .map(|x| {
            acc += x.ln_1p();
            acc
        })
        .collect();
    let t: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
    crate::relative::r_squared(&y, &t)
}
