//! Sample statistics used by the metrics: mean, variance (ddof 1), covariance, type-7 quantile.
//! Empty or too-short inputs give `NaN` (documented), never a panic.

/// Arithmetic mean; `NaN` for an empty slice.
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample variance with `ddof` degrees of freedom removed: `Σ(x−x̄)²/(n−ddof)`.
pub fn variance(x: &[f64], ddof: usize) -> f64 {
    if x.len() <= ddof {
        return f64::NAN;
    }
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - ddof) as f64
}

/// Sample standard deviation (ddof 1).
pub fn std_dev(x: &[f64]) -> f64 {
    variance(x, 1).sqrt()
}

/// Sample covariance (ddof 1) of two equally long slices.
pub fn covariance(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let (mx, my) = (mean(&x[..n]), mean(&y[..n]));
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / (n - 1) as f64
}

/// Quantile with linear interpolation between order statistics (Hyndman-Fan type 7, numpy's
/// default `percentile`, Excel `PERCENTILE.INC`): `h = (n−1)p`, `x_(⌊h⌋) + (h−⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋))`
/// on the ascending sample. `sorted` must be ascending.
pub fn quantile_type7_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Ascending copy with NaN-safe total ordering.
pub fn sorted(x: &[f64]) -> Vec<f64> {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    v
}
