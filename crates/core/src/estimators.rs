//! Covariance estimators of several aligned return series (assets × periods), each named
//! wherever a covariance is shown (`CONVENTIONS.md` §7, `OPTIMIZATION.md` "Estimators").
//!
//! - **Sample** (ddof 1): `Σ_ij = Σ_t (r_it − r̄_i)(r_jt − r̄_j) / (T − 1)` (pandas
//!   `DataFrame.cov`, numpy `cov`).
//! - **Ledoit-Wolf**, scikit-learn's `LedoitWolf().fit(X).covariance_`: the *biased* (1/T,
//!   demeaned) covariance `S` shrunk toward the constant-variance target `μ·I`,
//!   `Σ = (1 − δ)·S + δ·μ·I`, `μ = tr(S)/p`, `δ = min(b², d²)/d²`, `d² = ‖S − μI‖²_F / p`,
//!   `b² = Σ_t ‖x_t x_tᵀ − S‖²_F / (p T²)` with `x_t` the centred returns of period `t`.
//!   Even at `δ = 0` it is `(T − 1)/T` times the sample covariance.
//! - **Exponentially weighted**, PyPortfolioOpt's `exp_cov(span)`: the cross products of the
//!   series centred on their **full-sample** means, averaged with weights `λ^(T−1−t)`,
//!   `λ = 1 − 2/(span + 1)` (pandas `ewm(span).mean()`, `adjust=True`, last value). This is not
//!   the RiskMetrics zero-mean EWMA of [`crate::ewma`], which the VaR models use.
//!
//! All three are Gram matrices of the centred data (with non-negative period weights), or a
//! convex combination of one with `μ·I`, so they are positive semi-definite by construction; the
//! nearest-PSD repair in [`estimate`] is then a no-op, except for a smallest eigenvalue that
//! rounding pushes a hair below zero when the matrix is singular (more assets than
//! observations), which stays within the tolerance and is left alone. The repair exists for
//! matrices that are not Gram matrices (user-supplied, pairwise with gaps).
//!
//! Units: daily (per period), never annualised here.

use crate::covariance::{centred, gram, Matrix};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// A matrix counts as positive semi-definite when its smallest eigenvalue is at least
/// `−PSD_REL_TOL` times its largest absolute eigenvalue: symmetric eigen-solvers and the
/// products that build the matrix are accurate to a small multiple of `ε·‖Σ‖`.
pub const PSD_REL_TOL: f64 = 1e-12;

/// A diagonal within this of 1 makes a matrix "correlation-like" for [`nearest_psd`].
const UNIT_DIAGONAL_TOL: f64 = 1e-12;
/// Higham's alternating projections stop when successive iterates differ by less than this
/// (relative, Frobenius norm) or after [`HIGHAM_MAX_ITER`] rounds.
const HIGHAM_TOL: f64 = 1e-10;
const HIGHAM_MAX_ITER: usize = 200;

/// The covariance estimator in use; named wherever a covariance is shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum CovEstimator {
    /// Sample covariance, ddof 1.
    Sample,
    /// scikit-learn's Ledoit-Wolf shrinkage toward the constant-variance target.
    LedoitWolf,
    /// PyPortfolioOpt's exponentially weighted covariance with this span (in periods, ≥ 1).
    Ewma { span: f64 },
}

impl CovEstimator {
    /// PyPortfolioOpt's default span for `exp_cov`.
    pub const DEFAULT_EWMA_SPAN: f64 = 180.0;

    /// Stable machine key: `"sample"`, `"ledoit_wolf"`, `"ewma"`.
    pub fn key(&self) -> String {
        match self {
            CovEstimator::Sample => "sample",
            CovEstimator::LedoitWolf => "ledoit_wolf",
            CovEstimator::Ewma { .. } => "ewma",
        }
        .to_string()
    }

    /// Name shown to the user, e.g. `"Exponentially weighted (span 180, λ = 0.98895)"`.
    pub fn label(&self) -> String {
        match self {
            CovEstimator::Sample => "Sample (ddof 1)".to_string(),
            CovEstimator::LedoitWolf => {
                "Ledoit-Wolf (scikit-learn: constant-variance target)".to_string()
            }
            CovEstimator::Ewma { span } => format!(
                "Exponentially weighted (span {}, λ = {})",
                trim_number(*span, 2),
                trim_number(lambda_from_span(*span), 5)
            ),
        }
    }

    /// One line with the formula.
    pub fn convention(&self) -> String {
        match self {
            CovEstimator::Sample => {
                "Σ_ij = Σ_t (r_it − r̄_i)(r_jt − r̄_j) / (T − 1) (pandas DataFrame.cov, numpy cov)"
                    .to_string()
            }
            CovEstimator::LedoitWolf => {
                "Σ = (1 − δ)·S + δ·μ·I with S = Σ_t x_t x_tᵀ / T (centred, ddof 0), \
                 μ = tr(S)/p, δ = min(b², d²)/d², d² = ‖S − μI‖²_F/p, \
                 b² = Σ_t ‖x_t x_tᵀ − S‖²_F/(p T²) (scikit-learn LedoitWolf)"
                    .to_string()
            }
            CovEstimator::Ewma { span } => format!(
                "Σ_ij = Σ_t λ^(T−1−t) (r_it − r̄_i)(r_jt − r̄_j) / Σ_t λ^(T−1−t), \
                 λ = 1 − 2/(span + 1) = {}, full-sample means r̄ (PyPortfolioOpt exp_cov, \
                 pandas ewm adjust=True)",
                trim_number(lambda_from_span(*span), 6)
            ),
        }
    }
}

/// A number with at most `decimals` decimals and no trailing zeros (`180`, `0.98895`).
fn trim_number(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Decay `λ = 1 − α`, `α = 2/(span + 1)` (pandas `ewm(span=…)`).
pub fn lambda_from_span(span: f64) -> f64 {
    1.0 - 2.0 / (span + 1.0)
}

/// Inverse of [`lambda_from_span`]: `span = 2/(1 − λ) − 1` (infinite at `λ = 1`).
pub fn span_from_lambda(lambda: f64) -> f64 {
    2.0 / (1.0 - lambda) - 1.0
}

/// A covariance estimate with its correlation and the facts a reader needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CovEstimate {
    pub estimator: CovEstimator,
    /// Daily (per-period) units.
    pub covariance: Matrix,
    /// `Σ_ij/√(Σ_ii Σ_jj)`, unit diagonal, clamped to [−1, 1]; the whole row and column of a
    /// zero-variance asset (see `zero_variance`) are `NaN`, for every estimator.
    pub correlation: Matrix,
    /// Ledoit-Wolf `δ`.
    pub shrinkage: Option<f64>,
    /// Ledoit-Wolf `μ = tr(S)/p`.
    pub shrinkage_target: Option<f64>,
    /// True when the nearest-PSD repair changed the matrix.
    pub repaired: bool,
    /// 0-based indices of the assets without variance (constant returns); the notes name them
    /// 1-based ("asset 3") because they do not know the symbols.
    pub zero_variance: Vec<usize>,
    /// Plain-language notes.
    pub notes: Vec<String>,
}

/// Why no estimate can be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CovError {
    #[error("no assets: a covariance needs at least one return series")]
    NoAssets,
    #[error(
        "asset {} has {len} returns but asset 1 has {expected}: the series must be aligned to the same dates",
        .asset + 1
    )]
    LengthMismatch {
        /// 0-based.
        asset: usize,
        len: usize,
        expected: usize,
    },
    #[error("{observations} observation(s): a covariance needs at least 2")]
    TooFewObservations { observations: usize },
    #[error("asset {} has a missing or non-finite return at period {}", .asset + 1, .period + 1)]
    NonFinite {
        /// 0-based.
        asset: usize,
        /// 0-based.
        period: usize,
    },
    #[error("the exponential weighting span must be a number of at least 1 period (got {0})")]
    InvalidSpan(f64),
    #[error("the returns are too large: their cross products overflow")]
    Overflow,
}

/// Estimate the covariance of `returns` (assets × periods, equal lengths, finite values) with
/// `estimator`, its correlation, and notes: more assets than observations (singular sample
/// matrix), assets without variance, a PSD repair. The repair (eigenvalue clipping, see
/// [`nearest_psd`]) runs only when the estimate is not PSD within [`PSD_REL_TOL`]; for the
/// three estimators here that does not happen beyond rounding (module docs).
pub fn estimate(returns: &[Vec<f64>], estimator: CovEstimator) -> Result<CovEstimate, CovError> {
    estimate_named(returns, estimator, &[])
}

/// [`estimate`] with the assets' names (symbols) in the notes — "FLAT has no variance" rather
/// than "asset 21 has no variance". `names` is used only when it has one name per series.
pub fn estimate_named(
    returns: &[Vec<f64>],
    estimator: CovEstimator,
    names: &[String],
) -> Result<CovEstimate, CovError> {
    let p = returns.len();
    if p == 0 {
        return Err(CovError::NoAssets);
    }
    let t = returns[0].len();
    if let Some((asset, r)) = returns.iter().enumerate().find(|(_, r)| r.len() != t) {
        return Err(CovError::LengthMismatch {
            asset,
            len: r.len(),
            expected: t,
        });
    }
    if t < 2 {
        return Err(CovError::TooFewObservations { observations: t });
    }
    for (asset, r) in returns.iter().enumerate() {
        if let Some(period) = r.iter().position(|x| !x.is_finite()) {
            return Err(CovError::NonFinite { asset, period });
        }
    }
    if let CovEstimator::Ewma { span } = estimator {
        if !(span.is_finite() && span >= 1.0) {
            return Err(CovError::InvalidSpan(span));
        }
    }

    let xc = centred(returns, t);
    let (mut covariance, base_diag, shrinkage, target) = match estimator {
        CovEstimator::Sample => {
            let mut m = gram(&xc, &xc, p, t);
            let denom = (t - 1) as f64;
            m.data.iter_mut().for_each(|x| *x /= denom);
            let d = diagonal(&m);
            (m, d, None, None)
        }
        CovEstimator::LedoitWolf => {
            let mut s = gram(&xc, &xc, p, t);
            let n = t as f64;
            s.data.iter_mut().for_each(|x| *x /= n);
            let d = diagonal(&s);
            let (delta, mu) = shrink(&mut s, &xc, t);
            (s, d, Some(delta), Some(mu))
        }
        CovEstimator::Ewma { span } => {
            let m = ewma_from_centred(&xc, p, t, span);
            let d = diagonal(&m);
            (m, d, None, None)
        }
    };
    if covariance.data.iter().any(|x| !x.is_finite()) {
        return Err(CovError::Overflow);
    }

    let mut notes = Vec::new();
    if p >= t {
        let what = match estimator {
            CovEstimator::Sample => {
                "the sample covariance is singular; Ledoit-Wolf shrinkage is suggested"
            }
            CovEstimator::LedoitWolf => {
                "the sample covariance would be singular; the Ledoit-Wolf shrinkage keeps this \
                 estimate invertible"
            }
            CovEstimator::Ewma { .. } => {
                "the exponentially weighted covariance is singular; Ledoit-Wolf shrinkage is \
                 suggested"
            }
        };
        let relation = if p > t {
            "more assets"
        } else {
            "as many assets"
        };
        let than = if p > t { "than" } else { "as" };
        notes.push(format!(
            "{relation} ({p}) {than} observations ({t}): {what}"
        ));
    }
    let zero_variance: Vec<usize> = (0..p).filter(|&i| base_diag[i] <= 0.0).collect();
    for &i in &zero_variance {
        let name = match names.get(i) {
            Some(n) if names.len() == p => n.clone(),
            _ => format!("asset {}", i + 1),
        };
        let constant = xc[i * t..(i + 1) * t].iter().all(|&x| x == 0.0);
        let why = if constant {
            "its returns are constant"
        } else {
            "under this estimator's weights"
        };
        notes.push(format!(
            "{name} has no variance ({why}): its correlations are undefined"
        ));
    }

    let mut repaired = false;
    if let Some(min_eig) = not_psd(&covariance) {
        let (fixed, changed) = nearest_psd(&covariance);
        if changed {
            covariance = fixed;
            repaired = true;
            notes.push(format!(
                "repaired to the nearest positive semi-definite matrix (smallest eigenvalue was \
                 {min_eig:.1e})"
            ));
        }
    }

    let mut correlation = correlation_from_covariance(&covariance);
    for &i in &zero_variance {
        for j in 0..p {
            correlation.data[i * p + j] = f64::NAN;
            correlation.data[j * p + i] = f64::NAN;
        }
    }
    Ok(CovEstimate {
        estimator,
        covariance,
        correlation,
        shrinkage,
        shrinkage_target: target,
        repaired,
        zero_variance,
        notes,
    })
}

fn diagonal(m: &Matrix) -> Vec<f64> {
    (0..m.n).map(|i| m.data[i * m.n + i]).collect()
}

/// scikit-learn's `LedoitWolf().fit(X)` (`assume_centered=False`): returns the shrunk matrix,
/// `δ` and `μ`. Series of unequal length use their first `T` values (`T` the shortest); fewer
/// than 2 periods give `NaN` (scikit-learn needs at least one, and then returns zeros).
///
/// `b²` without the `T` rank-one matrices: `Σ_t ‖x_t x_tᵀ − S‖²_F = Σ_t ‖x_t‖⁴ − T‖S‖²_F`
/// (because `Σ_t x_tᵀ S x_t = T‖S‖²_F`); scikit-learn's `sum(X²ᵀX²)` is the same `Σ_t ‖x_t‖⁴`,
/// so the two agree term by term, at `O(T·p)` instead of `O(T·p²)`.
pub fn ledoit_wolf(returns: &[Vec<f64>]) -> (Matrix, f64, f64) {
    let p = returns.len();
    let t = returns.iter().map(Vec::len).min().unwrap_or(0);
    if t < 2 {
        let mut m = Matrix::zeros(p);
        m.data.iter_mut().for_each(|x| *x = f64::NAN);
        return (m, f64::NAN, f64::NAN);
    }
    let xc = centred(returns, t);
    let mut s = gram(&xc, &xc, p, t);
    let n = t as f64;
    s.data.iter_mut().for_each(|x| *x /= n);
    let (delta, mu) = shrink(&mut s, &xc, t);
    (s, delta, mu)
}

/// Shrink the biased covariance `s` of the centred data `xc` (asset-major, `p × t`) in place;
/// returns `(δ, μ)` (scikit-learn `ledoit_wolf_shrinkage`, including `δ = 0` for one asset).
fn shrink(s: &mut Matrix, xc: &[f64], t: usize) -> (f64, f64) {
    let p = s.n;
    if p == 0 {
        return (0.0, f64::NAN);
    }
    let n = t as f64;
    let trace: f64 = (0..p).map(|i| s.data[i * p + i]).sum();
    let mu = trace / p as f64;
    if p == 1 {
        return (0.0, mu);
    }
    let fro2: f64 = s.data.iter().map(|x| x * x).sum();
    // Σ_t ‖x_t‖⁴: squared norms of the period vectors, accumulated asset by asset.
    let mut norms = vec![0.0; t];
    for row in xc.chunks_exact(t).take(p) {
        for (acc, x) in norms.iter_mut().zip(row) {
            *acc += x * x;
        }
    }
    let beta_sum: f64 = norms.iter().map(|v| v * v).sum();
    let b2 = (beta_sum / n - fro2) / (p as f64 * n);
    let d2 = (fro2 - 2.0 * mu * trace + p as f64 * mu * mu) / p as f64;
    let b2 = b2.min(d2);
    let delta = if b2 > 0.0 && d2 > 0.0 {
        (b2 / d2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    s.data.iter_mut().for_each(|x| *x *= 1.0 - delta);
    for i in 0..p {
        s.data[i * p + i] += delta * mu;
    }
    (delta, mu)
}

/// PyPortfolioOpt's `exp_cov(returns, span)` in daily units (no ×252): the series centred on
/// their full-sample means, cross products averaged with weights `λ^(T−1−t)` normalised to sum
/// to 1, `λ = 1 − 2/(span + 1)`. Series of unequal length use their first `T` values; fewer
/// than 2 periods or a span below 1 give `NaN`.
pub fn ewma_covariance(returns: &[Vec<f64>], span: f64) -> Matrix {
    let p = returns.len();
    let t = returns.iter().map(Vec::len).min().unwrap_or(0);
    if t < 2 || !(span.is_finite() && span >= 1.0) {
        let mut m = Matrix::zeros(p);
        m.data.iter_mut().for_each(|x| *x = f64::NAN);
        return m;
    }
    let xc = centred(returns, t);
    ewma_from_centred(&xc, p, t, span)
}

fn ewma_from_centred(xc: &[f64], p: usize, t: usize, span: f64) -> Matrix {
    let lambda = lambda_from_span(span);
    let mut w = vec![0.0; t];
    let mut wt = 1.0;
    for v in w.iter_mut().rev() {
        *v = wt;
        wt *= lambda;
    }
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|v| *v /= total);
    let weighted: Vec<f64> = xc
        .chunks_exact(t)
        .flat_map(|row| row.iter().zip(&w).map(|(x, v)| x * v))
        .collect();
    gram(&weighted, xc, p, t)
}

/// Correlation from a covariance: `Σ_ij/√(Σ_ii Σ_jj)`, unit diagonal, clamped to [−1, 1]. An
/// asset whose variance is zero, negative or not finite has a `NaN` row and column (diagonal
/// included, as pandas).
pub fn correlation_from_covariance(cov: &Matrix) -> Matrix {
    let n = cov.n;
    let inv_sd: Vec<f64> = (0..n)
        .map(|i| {
            let v = cov.data[i * n + i];
            if v > 0.0 && v.is_finite() {
                1.0 / v.sqrt()
            } else {
                f64::NAN
            }
        })
        .collect();
    let mut out = Matrix::zeros(n);
    for i in 0..n {
        let row = &cov.data[i * n..(i + 1) * n];
        let out_row = &mut out.data[i * n..(i + 1) * n];
        for j in 0..n {
            let r = row[j] * inv_sd[i] * inv_sd[j];
            out_row[j] = if r.is_nan() { r } else { r.clamp(-1.0, 1.0) };
        }
        if !inv_sd[i].is_nan() {
            out_row[i] = 1.0;
        }
    }
    // Exact symmetry whatever the rounding of the products.
    for i in 0..n {
        for j in 0..i {
            out.data[i * n + j] = out.data[j * n + i];
        }
    }
    out
}

/// Smallest eigenvalue of a symmetric matrix (its upper triangle is used); `NaN` for an empty
/// matrix or one with a non-finite entry.
pub fn min_eigenvalue(m: &Matrix) -> f64 {
    match eigenvalues(m) {
        Some(e) => e.iter().copied().fold(f64::INFINITY, f64::min),
        None => f64::NAN,
    }
}

fn to_nalgebra_symmetric(m: &Matrix) -> DMatrix<f64> {
    let n = m.n;
    DMatrix::from_fn(n, n, |i, j| {
        let (a, b) = if i <= j { (i, j) } else { (j, i) };
        m.data[a * n + b]
    })
}

fn eigenvalues(m: &Matrix) -> Option<Vec<f64>> {
    if m.n == 0 || m.data.len() != m.n * m.n || m.data.iter().any(|x| !x.is_finite()) {
        return None;
    }
    // Scaled to entries of at most 1 so that no intermediate overflows (the solver would
    // then never converge); eigenvalues scale back linearly.
    let scale = max_abs(m.data.iter());
    if scale == 0.0 {
        return Some(vec![0.0; m.n]);
    }
    let a = to_nalgebra_symmetric(m) / scale;
    Some(
        a.symmetric_eigenvalues()
            .iter()
            .map(|x| x * scale)
            .collect(),
    )
}

fn max_abs<'a>(x: impl Iterator<Item = &'a f64>) -> f64 {
    x.fold(0.0f64, |a, v| a.max(v.abs()))
}

/// `Some(smallest eigenvalue)` when `m` is not PSD within [`PSD_REL_TOL`]. A Cholesky
/// factorisation of `m + τI`, `τ = PSD_REL_TOL·max_i m_ii`, settles the usual (positive
/// definite) case in `p³/6` operations; only when it fails are the eigenvalues computed.
fn not_psd(m: &Matrix) -> Option<f64> {
    if m.n == 0 || m.data.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let max_diag = (0..m.n).map(|i| m.data[i * m.n + i]).fold(0.0f64, f64::max);
    if cholesky_ok(m, PSD_REL_TOL * max_diag) {
        return None;
    }
    let e = eigenvalues(m)?;
    let lo = e.iter().copied().fold(f64::INFINITY, f64::min);
    let scale = e.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    (lo < -PSD_REL_TOL * scale).then_some(lo)
}

/// Whether `m + shift·I` (upper triangle read) has a Cholesky factor with positive pivots.
pub fn cholesky_ok(m: &Matrix, shift: f64) -> bool {
    let n = m.n;
    // Row-major lower factor; row i holds L_i0..L_ii.
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let (li, lj) = (&l[i * n..i * n + j], &l[j * n..j * n + j]);
            let s = dot(li, lj);
            let a = m.data[j * n + i] + if i == j { shift } else { 0.0 };
            if i == j {
                let d = a - s;
                if d.is_nan() || d <= 0.0 {
                    return false;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a - s) / l[j * n + j];
            }
        }
    }
    true
}

/// Dot product with four accumulators (lets the compiler vectorise it).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// The nearest positive semi-definite matrix, and whether anything changed (`false`, with the
/// input returned as is, when it is already PSD within [`PSD_REL_TOL`] or has a non-finite
/// entry). The input is symmetrised first (`(A + Aᵀ)/2`).
///
/// - **Correlation-like input** (unit diagonal): Higham (2002), "Computing the nearest
///   correlation matrix", alternating projections with Dykstra's correction between the PSD
///   cone and the unit-diagonal matrices — the nearest *correlation* matrix in the Frobenius
///   norm, so the result is again a correlation matrix. It stops at a relative change of 1e-10
///   (at most 200 rounds, each one eigendecomposition) and finishes by clipping the remaining
///   negative eigenvalues at 0 and rescaling to the unit diagonal (`D^{-1/2} X D^{-1/2}`, a
///   congruence, so still PSD): the diagonal is exactly 1 and the result exactly PSD up to
///   rounding.
/// - **Any other (covariance) input**: eigenvalue clipping at 0, `V max(Λ, 0) Vᵀ`, the nearest
///   PSD matrix in the Frobenius norm (Higham 1988) in one eigendecomposition. Variances are
///   not a constraint for a covariance, and clipping only ever *raises* them (by
///   `Σ_k |λ_k| v_ik²` over the clipped eigenvalues, in total the clipped mass), so a repaired
///   covariance never understates an asset's risk.
pub fn nearest_psd(m: &Matrix) -> (Matrix, bool) {
    let n = m.n;
    if n == 0 || m.data.len() != n * n || m.data.iter().any(|x| !x.is_finite()) {
        return (m.clone(), false);
    }
    let mut sym = Matrix::zeros(n);
    for i in 0..n {
        for j in 0..n {
            sym.data[i * n + j] = 0.5 * (m.data[i * n + j] + m.data[j * n + i]);
        }
    }
    if not_psd(&sym).is_none() {
        return (m.clone(), false);
    }
    let a = DMatrix::from_row_slice(n, n, &sym.data);
    let correlation_like = (0..n).all(|i| (a[(i, i)] - 1.0).abs() <= UNIT_DIAGONAL_TOL);
    let out = if correlation_like {
        higham_correlation(a)
    } else {
        clip_eigenvalues(&a)
    };
    let mut res = Matrix::zeros(n);
    for i in 0..n {
        for j in i..n {
            let v = out[(i, j)];
            res.data[i * n + j] = v;
            res.data[j * n + i] = v;
        }
    }
    (res, true)
}

/// `V max(Λ, 0) Vᵀ`, symmetrised (computed on the matrix scaled to entries of at most 1).
fn clip_eigenvalues(a: &DMatrix<f64>) -> DMatrix<f64> {
    let scale = max_abs(a.iter());
    if scale == 0.0 || !scale.is_finite() {
        return a.clone();
    }
    let eig = nalgebra::SymmetricEigen::new(a / scale);
    let v = &eig.eigenvectors;
    let mut vl = v.clone();
    for (k, mut col) in vl.column_iter_mut().enumerate() {
        col *= eig.eigenvalues[k].max(0.0);
    }
    let out = &vl * v.transpose();
    (&out + out.transpose()) * (0.5 * scale)
}

fn higham_correlation(a: DMatrix<f64>) -> DMatrix<f64> {
    let n = a.nrows();
    let mut y = a;
    let mut ds = DMatrix::<f64>::zeros(n, n);
    for _ in 0..HIGHAM_MAX_ITER {
        let r = &y - &ds;
        let x = clip_eigenvalues(&r);
        ds = &x - &r;
        let mut y_new = x;
        for i in 0..n {
            y_new[(i, i)] = 1.0;
        }
        let change = (&y_new - &y).norm() / y_new.norm().max(f64::MIN_POSITIVE);
        y = y_new;
        if change < HIGHAM_TOL {
            break;
        }
    }
    // Finish: exact PSD by clipping, exact unit diagonal by a congruence.
    let x = clip_eigenvalues(&y);
    let d: Vec<f64> = (0..n)
        .map(|i| {
            let v = x[(i, i)];
            if v > 0.0 {
                1.0 / v.sqrt()
            } else {
                0.0
            }
        })
        .collect();
    let mut out = DMatrix::from_fn(n, n, |i, j| x[(i, j)] * d[i] * d[j]);
    for i in 0..n {
        out[(i, i)] = 1.0;
    }
    out
}
