//! Benchmark-relative figures of returns `r` against benchmark returns `b` on the same dates,
//! with active returns `a = r − b` and `P` periods per year (`CONVENTIONS.md` §5):
//!
//! | figure | formula |
//! |---|---|
//! | alpha (Jensen, simple annualisation) | `(mean(r) − β·mean(b))·P` |
//! | R² | squared Pearson correlation of `r` and `b` |
//! | tracking error | `std(a, ddof=1)·√P` |
//! | information ratio (annualised) | `mean(a)/std(a, ddof=1)·√P` — peers show the daily, unannualised figure |
//! | correlation | Pearson `cov(r,b)/(σ_r σ_b)` |
//! | up / down capture | `mean(r | b>0)/mean(b | b>0)` and `mean(r | b<0)/mean(b | b<0)` (arithmetic, per period) |

use crate::metrics::beta;
use crate::stats::{covariance, mean, std_dev};

/// Annualised Jensen's alpha with simple (×P) annualisation.
pub fn alpha(r: &[f64], b: &[f64], periods_per_year: f64) -> f64 {
    (mean(r) - beta(r, b) * mean(b)) * periods_per_year
}

/// Pearson correlation; `NaN` when either series is constant.
pub fn correlation(r: &[f64], b: &[f64]) -> f64 {
    let (sr, sb) = (std_dev(r), std_dev(b));
    if sr > 0.0 && sb > 0.0 {
        covariance(r, b) / (sr * sb)
    } else {
        f64::NAN
    }
}

/// Coefficient of determination of the regression of `r` on `b`.
pub fn r_squared(r: &[f64], b: &[f64]) -> f64 {
    correlation(r, b).powi(2)
}

fn active(r: &[f64], b: &[f64]) -> Vec<f64> {
    r.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Annualised tracking error `std(r−b, ddof=1)·√P`.
pub fn tracking_error(r: &[f64], b: &[f64], periods_per_year: f64) -> f64 {
    std_dev(&active(r, b)) * periods_per_year.sqrt()
}

/// Annualised information ratio `mean(r−b)/std(r−b, ddof=1)·√P`; `NaN` when the active
/// return is constant.
pub fn information_ratio(r: &[f64], b: &[f64], periods_per_year: f64) -> f64 {
    let a = active(r, b);
    let sd = std_dev(&a);
    if sd > 0.0 {
        mean(&a) / sd * periods_per_year.sqrt()
    } else {
        f64::NAN
    }
}

fn capture(r: &[f64], b: &[f64], up: bool) -> f64 {
    let (mut sr, mut sb, mut n) = (0.0, 0.0, 0usize);
    for (x, y) in r.iter().zip(b) {
        if (up && *y > 0.0) || (!up && *y < 0.0) {
            sr += x;
            sb += y;
            n += 1;
        }
    }
    if n == 0 || sb == 0.0 {
        f64::NAN
    } else {
        sr / sb
    }
}

/// Up capture: mean portfolio return over mean benchmark return on benchmark-up periods.
pub fn up_capture(r: &[f64], b: &[f64]) -> f64 {
    capture(r, b, true)
}

/// Down capture: the same on benchmark-down periods (below 1 means smaller losses).
pub fn down_capture(r: &[f64], b: &[f64]) -> f64 {
    capture(r, b, false)
}
