//! Sample moments of several aligned return series (assets × periods).
//!
//! - Mean vector `μ_i = Σ_t r_it / T`.
//! - Sample covariance with `ddof = 1`: `Σ_ij = Σ_t (r_it − μ_i)(r_jt − μ_j) / (T − 1)` (pandas
//!   `DataFrame.cov`, numpy `cov`; `CONVENTIONS.md` §7).
//!
//! Matrices are dense, row-major `p × p` in a [`Matrix`]. Too few periods give `NaN` entries,
//! never a panic.
//!
//! Speed: the series are centred once and the cross products `Σ_t x_it x_jt` are one matrix
//! multiply (nalgebra → `matrixmultiply`'s blocked, SIMD kernel), done block row by block row
//! on the upper triangle only and mirrored, so the result is exactly symmetric and costs about
//! half a full product (500 assets × 2,520 days: see `benches/covariance.rs`).

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

/// Sample covariance matrix (ddof 1) of equally long series (the first `T` values of each,
/// `T` the shortest length). A constant series gets exactly zero variance and covariances.
pub fn sample_covariance(returns: &[Vec<f64>]) -> Matrix {
    let p = returns.len();
    let t = returns.iter().map(Vec::len).min().unwrap_or(0);
    if t < 2 {
        let mut m = Matrix::zeros(p);
        m.data.iter_mut().for_each(|x| *x = f64::NAN);
        return m;
    }
    let xc = centred(returns, t);
    let mut m = gram(&xc, &xc, p, t);
    let denom = (t - 1) as f64;
    m.data.iter_mut().for_each(|x| *x /= denom);
    m
}

/// The first `t` values of each series minus their mean, asset-major (`p × t`, row-major). A
/// series whose values are all equal is centred to exact zeros (its floating-point mean need
/// not equal the value itself).
pub(crate) fn centred(returns: &[Vec<f64>], t: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(returns.len() * t);
    for r in returns {
        let r = &r[..t];
        let first = r.first().copied().unwrap_or(0.0);
        let mu = if r.iter().all(|&x| x == first) {
            first
        } else {
            crate::stats::mean(r)
        };
        out.extend(r.iter().map(|x| x - mu));
    }
    out
}

/// Assets per block row of [`gram`]: small enough that the skipped lower triangle saves most
/// of its half, large enough for `matrixmultiply`'s packing to pay off.
const GRAM_BLOCK: usize = 64;

/// `C_ij = Σ_t a_it b_jt` for asset-major `a`, `b` (`p × t`, row-major), where `C` is known to
/// be symmetric (`b = a`, or `a` = `b` with each period scaled by a weight). Only the upper
/// triangle is multiplied (block rows of about [`GRAM_BLOCK`] assets against the columns from
/// the block's first asset on); the other triangle is mirrored from it.
///
/// Every nalgebra operand is laid out with row stride 1 (`a` is transposed to period-major
/// first): nalgebra 0.35's small-matrix fallback of `gemm` (taken when a dimension is ≤ 5)
/// indexes a strided column by the length of its underlying slice, which overruns the buffer
/// for views whose row stride is not 1 (dimforge/nalgebra#1616).
pub(crate) fn gram(a: &[f64], b: &[f64], p: usize, t: usize) -> Matrix {
    use nalgebra::{Dyn, MatrixView, MatrixViewMut};
    let mut m = Matrix::zeros(p);
    if p == 0 || t == 0 {
        return m;
    }
    assert!(
        a.len() >= p * t && b.len() >= p * t,
        "gram: buffers too short"
    );
    // `a` period-major: at[s·p + i] = a[i·t + s], i.e. the column-major p × t matrix A.
    let mut at = vec![0.0; p * t];
    const TILE: usize = 32;
    for i0 in (0..p).step_by(TILE) {
        for s0 in (0..t).step_by(TILE) {
            for i in i0..(i0 + TILE).min(p) {
                for s in s0..(s0 + TILE).min(t) {
                    at[s * p + i] = a[i * t + s];
                }
            }
        }
    }
    // Near-equal blocks of about GRAM_BLOCK assets.
    let n_blocks = p.div_ceil(GRAM_BLOCK);
    let mut i0 = 0;
    for k in 0..n_blocks {
        let i1 = p * (k + 1) / n_blocks;
        let (bi, cols) = (i1 - i0, p - i0);
        // Rows i0..i1 of A (bi × t): element (r, s) = at[s·p + i0 + r].
        let av = MatrixView::<f64, Dyn, Dyn, Dyn, Dyn>::from_slice_with_strides_generic(
            &at[i0..],
            Dyn(bi),
            Dyn(t),
            Dyn(1),
            Dyn(p),
        );
        // Bᵀ from asset i0 on (t × cols): element (s, c) = b[(i0 + c)·t + s].
        let bv = MatrixView::<f64, Dyn, Dyn, Dyn, Dyn>::from_slice_with_strides_generic(
            &b[i0 * t..],
            Dyn(t),
            Dyn(cols),
            Dyn(1),
            Dyn(t),
        );
        // C rows i0..i1, columns i0..p, with C stored column-major in m.data (element (r, c)
        // at c·p + r); symmetric, so the mirror below makes it row-major too.
        let mut cv = MatrixViewMut::<f64, Dyn, Dyn, Dyn, Dyn>::from_slice_with_strides_generic(
            &mut m.data[i0 * p + i0..],
            Dyn(bi),
            Dyn(cols),
            Dyn(1),
            Dyn(p),
        );
        cv.gemm(1.0, &av, &bv, 0.0);
        i0 = i1;
    }
    // Computed: (r, c) with c ≥ r at data[c·p + r]. Mirror to data[r·p + c].
    for c in 0..p {
        for r in 0..c {
            m.data[r * p + c] = m.data[c * p + r];
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocked gemm against the plain sums, over sizes that hit nalgebra's small-matrix
    /// fallback (dimensions ≤ 5), uneven block splits and several block rows.
    #[test]
    fn gram_matches_the_plain_sums() {
        let mut seed = 1u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        for &p in &[1usize, 2, 5, 6, 7, 63, 64, 65, 130, 200] {
            for &t in &[1usize, 2, 5, 6, 9, 70] {
                let a: Vec<f64> = (0..p * t).map(|_| next()).collect();
                let w: Vec<f64> = (0..t).map(|_| next().abs()).collect();
                let aw: Vec<f64> = (0..p * t).map(|k| a[k] * w[k % t]).collect();
                let g = gram(&aw, &a, p, t);
                for i in 0..p {
                    for j in 0..p {
                        let want: f64 = (0..t).map(|s| aw[i * t + s] * a[j * t + s]).sum();
                        let got = g.get(i, j);
                        assert!(
                            (got - want).abs() <= 1e-13 * (1.0 + want.abs()),
                            "p {p} t {t} ({i}, {j}): {got} vs {want}"
                        );
                        assert_eq!(got, g.get(j, i));
                    }
                }
            }
        }
    }
}
