//! Exponentially weighted (RiskMetrics) volatility and covariance.
//!
//! With decay `λ` (RiskMetrics daily: 0.94) and zero mean, the forecast variance for the period
//! after the last of `T` returns is the normalised exponentially weighted mean of squares
//!
//! `σ²_{T+1} = Σ_{k=0}^{T−1} λ^k r²_{T−k} / Σ_{k=0}^{T−1} λ^k`
//!
//! (RiskMetrics Technical Document, 4th ed., 1996, §5.2.1; the weights are normalised over the
//! available history instead of seeding a recursion, so no start value has to be chosen). The
//! covariance uses the same weights on cross products, so `wᵀ Σ_EWMA w` equals the EWMA
//! variance of the portfolio's returns exactly. Recursively: `S_t = λ S_{t−1} + r_t²`,
//! `W_t = λ W_{t−1} + 1`, `σ²_{t+1} = S_t / W_t`.

use crate::covariance::Matrix;

/// Default RiskMetrics decay for daily data.
pub const RISKMETRICS_LAMBDA: f64 = 0.94;

/// EWMA variance forecast for the next period; `NaN` for an empty series or `λ ∉ (0, 1)`.
pub fn ewma_variance(r: &[f64], lambda: f64) -> f64 {
    if r.is_empty() || !(lambda > 0.0 && lambda < 1.0) {
        return f64::NAN;
    }
    let (mut s, mut w) = (0.0, 0.0);
    for x in r {
        s = lambda * s + x * x;
        w = lambda * w + 1.0;
    }
    s / w
}

/// One-step-ahead EWMA variance forecasts: `out[t]` uses `r[..t]` (so `out[0]` is `NaN`).
pub fn ewma_variance_path(r: &[f64], lambda: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(r.len());
    if !(lambda > 0.0 && lambda < 1.0) {
        return vec![f64::NAN; r.len()];
    }
    let (mut s, mut w) = (0.0, 0.0);
    for x in r {
        out.push(if w > 0.0 { s / w } else { f64::NAN });
        s = lambda * s + x * x;
        w = lambda * w + 1.0;
    }
    out
}

/// EWMA covariance forecast (zero mean, normalised weights) of equally long series.
pub fn ewma_covariance(returns: &[Vec<f64>], lambda: f64) -> Matrix {
    let p = returns.len();
    let t = returns.iter().map(Vec::len).min().unwrap_or(0);
    let mut m = Matrix::zeros(p);
    if t == 0 || !(lambda > 0.0 && lambda < 1.0) {
        m.data.iter_mut().for_each(|x| *x = f64::NAN);
        return m;
    }
    // Weight of period s (0-based, oldest first): λ^(t−1−s), normalised.
    let mut weights = vec![0.0; t];
    let mut acc = 1.0;
    for s in (0..t).rev() {
        weights[s] = acc;
        acc *= lambda;
    }
    let total: f64 = weights.iter().sum();
    let weighted: Vec<Vec<f64>> = returns
        .iter()
        .map(|r| r[..t].iter().zip(&weights).map(|(x, w)| x * w).collect())
        .collect();
    for (i, wi) in weighted.iter().enumerate() {
        for (j, rj) in returns.iter().enumerate().skip(i) {
            let s: f64 = wi.iter().zip(&rj[..t]).map(|(a, b)| a * b).sum::<f64>() / total;
            m.data[i * p + j] = s;
            m.data[j * p + i] = s;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_weights_by_hand() {
        // λ = 0.5, r = [0.1, −0.2]: (0.5·0.01 + 0.04)/(1.5) = 0.03
        assert!((ewma_variance(&[0.1, -0.2], 0.5) - 0.03).abs() < 1e-15);
        let path = ewma_variance_path(&[0.1, -0.2], 0.5);
        assert!(path[0].is_nan());
        assert!((path[1] - 0.01).abs() < 1e-15);
        let c = ewma_covariance(&[vec![0.1, -0.2], vec![0.1, -0.2]], 0.5);
        assert!((c.get(0, 1) - 0.03).abs() < 1e-15);
    }
}
