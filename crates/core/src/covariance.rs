//! Sample moments of several aligned return series (assets × periods).
//!
//! - Mean vector `μ_i = Σ_t r_it / T`.
//! - Sample covariance with `ddof = 1`: `Σ_ij = Σ_t (r_it − μ_i)(r_jt − μ_j) / (T − 1)` (pandas
//!   `DataFrame.cov`, numpy `cov`; `CONVENTIONS.md` §7).
//!
//! Matrices are dense, row-major `p × p` in a [`Matrix`]. Too few periods give `NaN` entries,
//! never a panic.

use serde::{Deserialize, Serialize};

/// A dense square matrix, row-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub n: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(n: usize) -> Self {
        Matrix {
            n,
            data: vec![0.0; n * n],
        }
    }
    /// Entry `(i, j)`; `NaN` outside the matrix.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        if i < self.n && j < self.n {
            self.data[i * self.n + j]
        } else {
            f64::NAN
        }
    }
    /// `Σ w` (a vector of length `n`; missing weights count as 0).
    pub fn mul_vec(&self, w: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| {
                self.data[i * self.n..(i + 1) * self.n]
                    .iter()
                    .zip(w)
                    .map(|(a, b)| a * b)
                    .sum()
            })
            .collect()
    }
    /// The quadratic form `wᵀ Σ w`.
    pub fn quad_form(&self, w: &[f64]) -> f64 {
        self.mul_vec(w).iter().zip(w).map(|(a, b)| a * b).sum()
    }
}

/// Mean of each series.
pub fn mean_vector(returns: &[Vec<f64>]) -> Vec<f64> {
    returns.iter().map(|r| crate::stats::mean(r)).collect()
}

/// Sample covariance matrix (ddof 1) of equally long series.
pub fn sample_covariance(returns: &[Vec<f64>]) -> Matrix {
    let p = returns.len();
    let t = returns.iter().map(Vec::len).min().unwrap_or(0);
    let mut m = Matrix::zeros(p);
    if t < 2 {
        m.data.iter_mut().for_each(|x| *x = f64::NAN);
        return m;
    }
    let centred: Vec<Vec<f64>> = returns
        .iter()
        .map(|r| {
            let mu = crate::stats::mean(&r[..t]);
            r[..t].iter().map(|x| x - mu).collect()
        })
        .collect();
    let denom = (t - 1) as f64;
    for i in 0..p {
        for j in i..p {
            let s: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
            m.data[i * p + j] = s / denom;
            m.data[j * p + i] = s / denom;
        }
    }
    m
}
