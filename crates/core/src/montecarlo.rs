//! Monte Carlo Value at Risk and expected shortfall of a portfolio over an `h`-day horizon,
//! reported as **positive losses** (a VaR of 0.0174 is a 1.74% loss), with the conventions of
//! [`crate::var`]: `VaR_c = −q_{1−c}(R)` with the type-7 quantile of the simulated horizon
//! returns `R`, and the Rockafellar-Uryasev CVaR on the same sample.
//!
//! # Portfolio and path
//!
//! Inputs are the assets' aligned **daily simple returns** `x_t ∈ ℝ^p` (`t = 1..T`) and weights
//! `w` (fractions of portfolio value, one per asset; shorts negative; whatever does not sum to
//! 1 is cash with zero return). The portfolio is held at these weights and **rebalanced daily**
//! (constant weights, as everywhere in Ballast), so a simulated path of `h` days with asset
//! returns `x_1..x_h` has the horizon return
//!
//! `R = Π_{s=1..h} (1 + max(w·x_s, −1)) − 1`:
//!
//! a daily portfolio return below −100% is clamped at −1 (the portfolio is wiped out and stays
//! at zero; possible only with leverage, shorts or an extreme Student-t draw). Wealth along a
//! path is capped at `f64::MAX`, so every simulated return is finite.
//!
//! Because the weights are rebalanced daily, the path depends on the simulated asset returns
//! **only through the portfolio's daily return** `r_s = w·x_s`; the models below are therefore
//! simulated at the portfolio level, exactly (this is an identity in distribution, not an
//! approximation).
//!
//! # Models ([`McModel`])
//!
//! With `μ` the sample mean vector, `Σ` the sample covariance (ddof 1) of the asset returns and
//! `L` its Cholesky factor (`Σ = L Lᵀ`, computed with nalgebra):
//!
//! 1. **Multivariate normal**: `x_s = μ + L z_s`, `z_s ~ N(0, I_p)` i.i.d. Then
//!    `w·x_s = w·μ + a·z_s` with `a = Lᵀw`, and `a·z_s ~ N(0, ‖a‖²)` with `‖a‖² = wᵀΣw`: one
//!    standard normal per simulated day gives exactly the same distribution as drawing the
//!    `p`-vector (O(1) per day instead of O(p²) for `L z` or O(p) for `a·z`). `w·μ` and `wᵀΣw`
//!    are computed as the mean and the variance (ddof 1) of the historical portfolio returns
//!    `w·x_t`, which equal them algebraically; so a one-day normal simulation converges to
//!    [`crate::var::gaussian_var`] / [`crate::var::gaussian_es`] of those returns.
//! 2. **Multivariate Student-t** (a normal variance mixture, McNeil, Frey & Embrechts,
//!    *Quantitative Risk Management*, 2015, §6.2): `x_s = μ + √((ν−2)/W_s) · L z_s`,
//!    `W_s ~ χ²(ν)` **shared by the whole vector** on a day (one draw per simulated day), so that
//!    `cov(x) = Σ` (the scatter is moment-matched, `S = Σ(ν−2)/ν`) and all assets have their tail
//!    events on the same days. As above, `w·x_s = w·μ + √((ν−2)/W_s) · σ_p z_s` with
//!    `σ_p² = wᵀΣw` and one standard normal `z_s`: exact. `ν` is fitted by maximum likelihood
//!    ([`fit_student_t_nu`]) on all the assets given, weighted or not.
//! 3. **Bootstrap of historical days** (Efron & Tibshirani, *An Introduction to the Bootstrap*,
//!    1993): each simulated day draws one historical day uniformly, with replacement, and uses
//!    that day's whole cross-section, i.e. its portfolio return `w·x_t` (correlations and fat
//!    tails kept; days i.i.d., so volatility clustering is not). No covariance is needed:
//!    constant or duplicate assets are fine.
//!
//! # Randomness and reproducibility
//!
//! One `ChaCha8Rng::seed_from_u64(seed)` stream (rand_chacha; no OS randomness, so it runs on
//! `wasm32-unknown-unknown`) is consumed in path order, day by day: per day one
//! `rand_distr::StandardNormal` (ziggurat) for the normal model; the normal then one
//! `rand_distr::ChiSquared(ν)` for the Student-t model; one uniform day index
//! (`rand::distr::Uniform<usize>`, sampled with 32 bits on every platform) for the bootstrap.
//! [`McSimulator::step`] can be called with any chunk sizes: the result is bit-identical to one
//! call for all paths.

use crate::stats;
use crate::var::{historical_cvar_sorted, historical_var_sorted};
use nalgebra::{Cholesky, DMatrix, Dyn};
use rand::distr::{Distribution, Uniform};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{ChiSquared, StandardNormal};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;
use thiserror::Error;

/// Largest number of simulated paths accepted.
pub const MAX_PATHS: usize = 1_000_000;
/// Longest horizon accepted, in days (about a trading year).
pub const MAX_HORIZON: usize = 250;
/// Lower bound of the fitted Student-t degrees of freedom (the variance is infinite at ν ≤ 2).
pub const NU_MIN: f64 = 2.05;
/// Upper bound of the fitted Student-t degrees of freedom (at 200 the t is practically normal).
pub const NU_MAX: f64 = 200.0;

/// A Cholesky pivot of asset `k` must keep at least this fraction of the asset's variance
/// (`L_kk² > tol·Σ_kk`, i.e. `1 − R² > tol` in a regression of asset `k` on the assets before
/// it); below it the asset is treated as a duplicate or a combination of the others.
const PIVOT_REL_TOL: f64 = 1e-10;
/// Grid points over `ln(ν−2)` before the golden-section refinement of the ν fit.
const NU_GRID: usize = 48;
/// Golden-section stopping width on `ln(ν−2)` (a relative precision of ν−2 of about 1e-6).
const NU_TOL: f64 = 1e-6;

/// A Monte Carlo model of the joint daily returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum McModel {
    /// Multivariate normal with the sample mean and covariance.
    Normal,
    /// Multivariate Student-t with the sample mean and covariance and a fitted ν.
    StudentT,
    /// Bootstrap of historical days (whole cross-sections).
    Bootstrap,
}

impl McModel {
    /// Every model, in display order.
    pub const ALL: [McModel; 3] = [McModel::Normal, McModel::StudentT, McModel::Bootstrap];

    /// Stable machine key: `mc_normal`, `mc_t`, `mc_bootstrap`.
    pub fn key(self) -> &'static str {
        match self {
            McModel::Normal => "mc_normal",
            McModel::StudentT => "mc_t",
            McModel::Bootstrap => "mc_bootstrap",
        }
    }

    /// Plain name for display.
    pub fn label(self) -> &'static str {
        match self {
            McModel::Normal => "Monte Carlo, normal",
            McModel::StudentT => "Monte Carlo, Student-t",
            McModel::Bootstrap => "Monte Carlo, historical bootstrap",
        }
    }
}

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct McParams {
    pub model: McModel,
    /// Number of simulated paths, `1..=MAX_PATHS`.
    pub paths: usize,
    /// Horizon in days, `1..=MAX_HORIZON`.
    pub horizon: usize,
    /// Seed of the ChaCha8 stream.
    pub seed: u64,
}

/// Why a simulation could not be set up. Asset numbers in the messages count from 1 in input
/// order; the `asset` fields are 0-based indices.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum McError {
    #[error("no assets: the simulation needs the returns of at least one asset")]
    NoAssets,
    #[error(
        "{weights} weight(s) were given for {assets} asset(s): give exactly one weight per asset"
    )]
    WeightCount { weights: usize, assets: usize },
    #[error("the return series have different lengths: asset {} has {len} days but asset 1 has {expected}; align them on common dates first", .asset + 1)]
    LengthMismatch {
        asset: usize,
        len: usize,
        expected: usize,
    },
    #[error("too few observations: this model needs at least {need} days of returns for {assets} asset(s), but there are {have}")]
    TooFewObservations {
        have: usize,
        need: usize,
        assets: usize,
    },
    #[error("asset {} has a missing or infinite return on day {}", .asset + 1, .day + 1)]
    NonFiniteReturn { asset: usize, day: usize },
    #[error("the weight of asset {} is not a finite number", .asset + 1)]
    NonFiniteWeight { asset: usize },
    #[error("the returns are too large to compute a covariance (it overflows); returns must be fractions, 0.01 for 1%")]
    Overflow,
    #[error("asset {} has constant returns, so the covariance matrix is not positive definite; remove it or use the bootstrap model", .asset + 1)]
    ConstantAsset { asset: usize },
    #[error("the covariance matrix is not positive definite: asset {} moves in lockstep with the assets before it (a duplicate, or a combination of them); remove it or use the bootstrap model", .asset + 1)]
    NotPositiveDefinite { asset: usize },
    #[error("the Student-t degrees of freedom could not be fitted to these returns")]
    FitFailed,
    #[error("the number of paths must be between 1 and {max}, got {paths}")]
    PathsOutOfRange { paths: usize, max: usize },
    #[error("the horizon must be between 1 and {max} days, got {horizon}")]
    HorizonOutOfRange { horizon: usize, max: usize },
    #[error(
        "the confidence level must be strictly between 0 and 1 (0.99 for 99%), got {confidence}"
    )]
    ConfidenceOutOfRange { confidence: f64 },
}

/// The simulated horizon returns and what produced them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McResult {
    pub model: McModel,
    pub paths: usize,
    pub horizon: usize,
    pub seed: u64,
    /// Fitted degrees of freedom ν of the Student-t model (`None` for the other models).
    pub nu: Option<f64>,
    /// The simulated horizon returns `R` (fractions, `≥ −1`), ascending.
    pub sorted_returns: Vec<f64>,
}

impl McResult {
    /// Monte Carlo VaR at confidence `c`: `−q_{1−c}(R)`, type-7 quantile, positive loss;
    /// `NaN` unless `0 < c < 1`.
    pub fn var(&self, confidence: f64) -> f64 {
        self.try_var(confidence).unwrap_or(f64::NAN)
    }

    /// Monte Carlo CVaR (Rockafellar-Uryasev expected shortfall) at confidence `c` on the
    /// simulated sample, positive loss; `NaN` unless `0 < c < 1`.
    pub fn cvar(&self, confidence: f64) -> f64 {
        self.try_cvar(confidence).unwrap_or(f64::NAN)
    }

    /// [`McResult::var`] with a typed error for a confidence outside (0, 1).
    pub fn try_var(&self, confidence: f64) -> Result<f64, McError> {
        check_confidence(confidence)?;
        Ok(historical_var_sorted(&self.sorted_returns, confidence))
    }

    /// [`McResult::cvar`] with a typed error for a confidence outside (0, 1).
    pub fn try_cvar(&self, confidence: f64) -> Result<f64, McError> {
        check_confidence(confidence)?;
        Ok(historical_cvar_sorted(&self.sorted_returns, confidence))
    }
}

fn check_confidence(confidence: f64) -> Result<(), McError> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(McError::ConfidenceOutOfRange { confidence })
    }
}

/// How one simulated day's portfolio return is drawn.
#[derive(Debug, Clone)]
enum DayModel {
    /// `r = mean + sd·z`.
    Normal { mean: f64, sd: f64 },
    /// `r = mean + sd·z·√((ν−2)/W)`, `W ~ χ²(ν)`.
    StudentT {
        mean: f64,
        sd: f64,
        nu_minus_2: f64,
        chi2: ChiSquared<f64>,
    },
    /// `r = table[i]`, `i` uniform over the historical days.
    Bootstrap {
        table: Vec<f64>,
        day: Uniform<usize>,
    },
}

/// A prepared Monte Carlo simulation that can be run in chunks ([`McSimulator::step`]), e.g.
/// from a web worker reporting progress, with results independent of the chunking.
#[derive(Debug, Clone)]
pub struct McSimulator {
    params: McParams,
    nu: Option<f64>,
    day: DayModel,
    rng: ChaCha8Rng,
    returns: Vec<f64>,
}

impl McSimulator {
    /// Validate the inputs and prepare the model: moments and Cholesky factor (normal and
    /// Student-t), the ν fit (Student-t), the historical portfolio returns (all models).
    ///
    /// `returns[i]` is asset `i`'s daily simple returns, all of the same length `T` on the same
    /// dates; `weights[i]` its weight. Needs `T ≥ p + 1` (a positive definite covariance) for
    /// the normal and Student-t models and `T ≥ 2` for the bootstrap.
    pub fn new(returns: &[Vec<f64>], weights: &[f64], params: &McParams) -> Result<Self, McError> {
        if params.paths == 0 || params.paths > MAX_PATHS {
            return Err(McError::PathsOutOfRange {
                paths: params.paths,
                max: MAX_PATHS,
            });
        }
        if params.horizon == 0 || params.horizon > MAX_HORIZON {
            return Err(McError::HorizonOutOfRange {
                horizon: params.horizon,
                max: MAX_HORIZON,
            });
        }
        let (p, t) = validate(returns)?;
        if weights.len() != p {
            return Err(McError::WeightCount {
                weights: weights.len(),
                assets: p,
            });
        }
        if let Some(asset) = weights.iter().position(|w| !w.is_finite()) {
            return Err(McError::NonFiniteWeight { asset });
        }
        let need = match params.model {
            McModel::Bootstrap => 2,
            McModel::Normal | McModel::StudentT => (p + 1).max(2),
        };
        if t < need {
            return Err(McError::TooFewObservations {
                have: t,
                need,
                assets: p,
            });
        }
        let portfolio = crate::analysis::weighted_returns(returns, weights, t);
        let (mean, sd) = (stats::mean(&portfolio), stats::std_dev(&portfolio));
        if !(mean.is_finite() && sd.is_finite()) {
            return Err(McError::Overflow);
        }
        let (day, nu) = match params.model {
            McModel::Normal => {
                factor(returns, t)?;
                (DayModel::Normal { mean, sd }, None)
            }
            McModel::StudentT => {
                let nu = fit_nu_checked(returns, t)?;
                let chi2 = ChiSquared::new(nu).map_err(|_| McError::FitFailed)?;
                let day = DayModel::StudentT {
                    mean,
                    sd,
                    nu_minus_2: nu - 2.0,
                    chi2,
                };
                (day, Some(nu))
            }
            McModel::Bootstrap => {
                let day = Uniform::new(0, t).map_err(|_| McError::TooFewObservations {
                    have: t,
                    need,
                    assets: p,
                })?;
                let day = DayModel::Bootstrap {
                    table: portfolio,
                    day,
                };
                (day, None)
            }
        };
        Ok(McSimulator {
            params: *params,
            nu,
            day,
            rng: ChaCha8Rng::seed_from_u64(params.seed),
            returns: Vec::with_capacity(params.paths),
        })
    }

    /// Simulate up to `max_paths` more paths; returns the number of paths done so far.
    pub fn step(&mut self, max_paths: usize) -> usize {
        let n = max_paths.min(self.total() - self.done());
        let h = self.params.horizon;
        let rng = &mut self.rng;
        let out = &mut self.returns;
        match &self.day {
            DayModel::Normal { mean, sd } => run_paths(rng, out, n, h, |rng| {
                let z: f64 = rng.sample(StandardNormal);
                mean + sd * z
            }),
            DayModel::StudentT {
                mean,
                sd,
                nu_minus_2,
                chi2,
            } => run_paths(rng, out, n, h, |rng| {
                let z: f64 = rng.sample(StandardNormal);
                let w: f64 = chi2.sample(rng);
                mean + sd * z * (nu_minus_2 / w).sqrt()
            }),
            DayModel::Bootstrap { table, day } => run_paths(rng, out, n, h, |rng| {
                table.get(day.sample(rng)).copied().unwrap_or(0.0)
            }),
        }
        self.done()
    }

    /// Paths simulated so far.
    pub fn done(&self) -> usize {
        self.returns.len()
    }

    /// Paths requested.
    pub fn total(&self) -> usize {
        self.params.paths
    }

    /// Fitted ν of the Student-t model (`None` for the other models).
    pub fn nu(&self) -> Option<f64> {
        self.nu
    }

    /// Simulate whatever paths remain, then sort: the result always holds all
    /// `params.paths` paths.
    pub fn finish(mut self) -> McResult {
        self.step(usize::MAX);
        let mut sorted_returns = self.returns;
        sorted_returns.sort_by(f64::total_cmp);
        McResult {
            model: self.params.model,
            paths: self.params.paths,
            horizon: self.params.horizon,
            seed: self.params.seed,
            nu: self.nu,
            sorted_returns,
        }
    }
}

/// Convenience: [`McSimulator::new`], all paths, [`McSimulator::finish`].
pub fn simulate(
    returns: &[Vec<f64>],
    weights: &[f64],
    params: &McParams,
) -> Result<McResult, McError> {
    Ok(McSimulator::new(returns, weights, params)?.finish())
}

/// Maximum-likelihood degrees of freedom of a multivariate Student-t fitted to the daily
/// returns, with the location fixed at the sample mean `μ` and the scatter moment-matched to
/// the sample covariance, `S = Σ(ν−2)/ν`.
///
/// With `d_t = (x_t−μ)ᵀ Σ⁻¹ (x_t−μ)` (computed once through the Cholesky factor) and
/// `δ_t = d_t·ν/(ν−2)`, the log-likelihood is
/// `ℓ(ν) = Σ_t [lnΓ((ν+p)/2) − lnΓ(ν/2) − (p/2) ln(νπ) − ½ ln|S| − ((ν+p)/2) ln(1 + δ_t/ν)]`,
/// `|S| = |Σ|((ν−2)/ν)^p`, which reduces (dropping `−½T ln|Σ|`, constant in ν) to
/// `T [lnΓ((ν+p)/2) − lnΓ(ν/2) − (p/2) ln(π(ν−2))] − ((ν+p)/2) Σ_t ln(1 + d_t/(ν−2))`.
/// It is maximised over `ν ∈ [NU_MIN, NU_MAX]` = [2.05, 200] by a 48-point grid on `ln(ν−2)`
/// then a golden-section search between the best point's neighbours. Near-normal data gives
/// a large ν, up to the bound 200. Reference: Kotz & Nadarajah, *Multivariate t Distributions
/// and Their Applications* (2004), ch. 1; McNeil, Frey & Embrechts (2015), §6.2.
///
/// Needs `T ≥ p + 1` observations and a positive definite covariance.
pub fn fit_student_t_nu(returns: &[Vec<f64>]) -> Result<f64, McError> {
    let (p, t) = validate(returns)?;
    let need = (p + 1).max(2);
    if t < need {
        return Err(McError::TooFewObservations {
            have: t,
            need,
            assets: p,
        });
    }
    fit_nu_checked(returns, t)
}

/// The ν fit on already validated returns.
fn fit_nu_checked(returns: &[Vec<f64>], t: usize) -> Result<f64, McError> {
    let (centred, chol) = factor(returns, t)?;
    // Y = L⁻¹ (X − μ)ᵀ, column t holds L⁻¹(x_t − μ); d_t = ‖y_t‖².
    let mut y = centred.transpose();
    if !chol.l_dirty().solve_lower_triangular_mut(&mut y) {
        return Err(McError::FitFailed);
    }
    let d: Vec<f64> = y.column_iter().map(|c| c.norm_squared()).collect();
    fit_nu_from_mahalanobis(&d, returns.len())
}

/// Maximise the profile log-likelihood of ν given the squared Mahalanobis distances `d`.
fn fit_nu_from_mahalanobis(d: &[f64], p: usize) -> Result<f64, McError> {
    let (n, p) = (d.len() as f64, p as f64);
    // Log-likelihood as a function of u = ln(ν − 2).
    let loglik = |u: f64| {
        let nu = 2.0 + u.exp();
        let c = ln_gamma((nu + p) / 2.0)
            - ln_gamma(nu / 2.0)
            - p / 2.0 * (std::f64::consts::PI * (nu - 2.0)).ln();
        let inv = 1.0 / (nu - 2.0);
        let tail: f64 = d.iter().map(|&dt| (dt * inv).ln_1p()).sum();
        let v = n * c - (nu + p) / 2.0 * tail;
        if v.is_nan() {
            f64::NEG_INFINITY
        } else {
            v
        }
    };
    let (lo, hi) = ((NU_MIN - 2.0).ln(), (NU_MAX - 2.0).ln());
    let step = (hi - lo) / (NU_GRID - 1) as f64;
    let grid = |k: usize| {
        if k + 1 == NU_GRID {
            hi
        } else {
            lo + step * k as f64
        }
    };
    let (mut best, mut best_v) = (0, f64::NEG_INFINITY);
    for k in 0..NU_GRID {
        let v = loglik(grid(k));
        if v > best_v {
            (best, best_v) = (k, v);
        }
    }
    if !best_v.is_finite() {
        return Err(McError::FitFailed);
    }
    // Golden section (maximisation) between the neighbours of the best grid point.
    let (mut a, mut b) = (
        grid(best.saturating_sub(1)),
        grid((best + 1).min(NU_GRID - 1)),
    );
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (loglik(x1), loglik(x2));
    while b - a > NU_TOL {
        if f1 >= f2 {
            (b, x2, f2) = (x2, x1, f1);
            x1 = b - g * (b - a);
            f1 = loglik(x1);
        } else {
            (a, x1, f1) = (x1, x2, f2);
            x2 = a + g * (b - a);
            f2 = loglik(x2);
        }
    }
    // Keep the grid point if the refinement did not beat it (a boundary optimum).
    let (u, v) = if f1.max(f2) >= best_v {
        if f1 >= f2 {
            (x1, f1)
        } else {
            (x2, f2)
        }
    } else {
        (grid(best), best_v)
    };
    let nu = (2.0 + u.exp()).clamp(NU_MIN, NU_MAX);
    if nu.is_finite() && v.is_finite() {
        Ok(nu)
    } else {
        Err(McError::FitFailed)
    }
}

/// Shape checks shared by every entry point: at least one asset, equal lengths, finite values.
/// Returns `(p, T)`.
fn validate(returns: &[Vec<f64>]) -> Result<(usize, usize), McError> {
    let first = returns.first().ok_or(McError::NoAssets)?;
    let t = first.len();
    for (asset, r) in returns.iter().enumerate() {
        if r.len() != t {
            return Err(McError::LengthMismatch {
                asset,
                len: r.len(),
                expected: t,
            });
        }
    }
    for (asset, r) in returns.iter().enumerate() {
        if let Some(day) = r.iter().position(|v| !v.is_finite()) {
            return Err(McError::NonFiniteReturn { asset, day });
        }
    }
    Ok((returns.len(), t))
}

/// Centred returns `X − μ` (T × p) and the Cholesky factor of `Σ = (X−μ)ᵀ(X−μ)/(T−1)`, with a
/// diagnosis of which asset makes `Σ` singular. Needs `T ≥ 2`.
fn factor(returns: &[Vec<f64>], t: usize) -> Result<(DMatrix<f64>, Cholesky<f64, Dyn>), McError> {
    let p = returns.len();
    for (asset, r) in returns.iter().enumerate() {
        let (min, max) = r
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        if min == max {
            return Err(McError::ConstantAsset { asset });
        }
    }
    let means: Vec<f64> = returns.iter().map(|r| stats::mean(r)).collect();
    let centred = DMatrix::from_iterator(
        t,
        p,
        returns
            .iter()
            .zip(&means)
            .flat_map(|(r, m)| r.iter().map(move |v| v - m)),
    );
    let cov = centred.tr_mul(&centred) / (t - 1) as f64;
    if cov.iter().any(|v| !v.is_finite()) {
        return Err(McError::Overflow);
    }
    if let Some(chol) = Cholesky::new(cov.clone()) {
        if weak_pivot(&chol, &cov).is_none() {
            return Ok((centred, chol));
        }
    }
    // Diagnose: the first leading block whose factorisation fails names the asset that the
    // assets before it (almost) reproduce.
    for k in 1..p {
        let block = cov.view((0, 0), (k + 1, k + 1)).into_owned();
        let bad = match Cholesky::new(block.clone()) {
            Some(c) => weak_pivot(&c, &block).is_some(),
            None => true,
        };
        if bad {
            return Err(McError::NotPositiveDefinite { asset: k });
        }
    }
    Err(McError::NotPositiveDefinite {
        asset: p.saturating_sub(1),
    })
}

/// The first asset whose Cholesky pivot keeps less than `PIVOT_REL_TOL` of its variance.
fn weak_pivot(chol: &Cholesky<f64, Dyn>, cov: &DMatrix<f64>) -> Option<usize> {
    let l = chol.l_dirty();
    (0..cov.nrows()).find(|&k| {
        let pivot = l[(k, k)];
        pivot.is_nan() || pivot * pivot <= PIVOT_REL_TOL * cov[(k, k)]
    })
}

/// Simulate `n` paths of `h` days, appending each path's horizon return to `out`.
#[inline]
fn run_paths<F>(rng: &mut ChaCha8Rng, out: &mut Vec<f64>, n: usize, h: usize, mut day: F)
where
    F: FnMut(&mut ChaCha8Rng) -> f64,
{
    for _ in 0..n {
        let mut wealth = 1.0f64;
        for _ in 0..h {
            let r = day(rng).max(-1.0);
            wealth = (wealth * (1.0 + r)).min(f64::MAX);
        }
        out.push(wealth - 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loglik_reduction_matches_full_density() {
        // The reduced log-likelihood differs from the full multivariate t density by a constant.
        let d = [0.5, 1.7, 3.2, 0.1, 7.5];
        let p = 2usize;
        let log_det_sigma = -9.0f64;
        let full = |nu: f64| {
            let pf = p as f64;
            let log_det_s = log_det_sigma + pf * ((nu - 2.0) / nu).ln();
            d.iter()
                .map(|&dt| {
                    let delta = dt * nu / (nu - 2.0);
                    ln_gamma((nu + pf) / 2.0)
                        - ln_gamma(nu / 2.0)
                        - pf / 2.0 * (nu * std::f64::consts::PI).ln()
                        - 0.5 * log_det_s
                        - (nu + pf) / 2.0 * (delta / nu).ln_1p()
                })
                .sum::<f64>()
        };
        let reduced = |nu: f64| {
            let pf = p as f64;
            let n = d.len() as f64;
            n * (ln_gamma((nu + pf) / 2.0)
                - ln_gamma(nu / 2.0)
                - pf / 2.0 * (std::f64::consts::PI * (nu - 2.0)).ln())
                - (nu + pf) / 2.0 * d.iter().map(|&x| (x / (nu - 2.0)).ln_1p()).sum::<f64>()
        };
        let c = full(3.0) - reduced(3.0);
        for nu in [2.5, 4.0, 10.0, 50.0] {
            assert!((full(nu) - reduced(nu) - c).abs() < 1e-9);
        }
        assert!((c + 0.5 * d.len() as f64 * log_det_sigma).abs() < 1e-9);
    }
}
