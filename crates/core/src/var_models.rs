//! Value at Risk and expected shortfall models side by side, at a confidence `c` and a horizon
//! of `h` periods, as **positive fractions of portfolio value** (a VaR of 0.0174 is a 1.74%
//! loss). `α = 1 − c`, `z = Φ⁻¹(α)` (negative).
//!
//! | model | VaR | CVaR (expected shortfall) | horizon |
//! |---|---|---|---|
//! | historical | `−q_α` type-7 quantile of the returns | Rockafellar-Uryasev tail mean | overlapping compounded `h`-period returns `Π_{s=t}^{t+h−1}(1+r_s) − 1` |
//! | Gaussian | `−(μ_h + z σ_h)` | `−(μ_h − σ_h φ(z)/α)` | `μ_h = hμ`, `σ_h = √h σ` (i.i.d. sum), σ with ddof 1 |
//! | Cornish-Fisher | `−(μ_h + h_CF(z) σ_h)` | `−(μ_h + σ_h E[h_CF(Z) \| Z < z])` | as Gaussian, with `S_h = S/√h`, `K_h = K/h` (cumulants of an i.i.d. sum), population moments |
//! | EWMA (RiskMetrics) | `−z σ_EWMA √h` (zero mean) | `σ_EWMA √h φ(z)/α` | square root of time |
//!
//! Cornish-Fisher: `h_CF(z) = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36` (PerformanceAnalytics
//! `VaR.CornishFisher`). Its expected shortfall is the mean of the Cornish-Fisher quantile over
//! the tail, in closed form from the truncated normal moments `E[Z|Z<z] = −φ/α`,
//! `E[Z²|Z<z] = 1 − zφ/α`, `E[Z³|Z<z] = −(z²+2)φ/α` (exact for the Cornish-Fisher distribution
//! when the expansion is monotone; it differs from Boudt, Peterson & Croux's (2008) modified ES,
//! which expands the density instead). Outside the monotone domain (see
//! [`crate::var::CornishFisher`]) the figures are artefacts and carry a flag.
//!
//! Monte Carlo models are in [`crate::montecarlo`]; [`from_monte_carlo`] turns their result into
//! the same [`VarEstimate`].

use crate::montecarlo::McResult;
use crate::stats::{mean, sorted, std_dev, variance};
use crate::var::{historical_cvar_sorted, historical_var_sorted};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// A VaR model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VarModel {
    Historical,
    Gaussian,
    CornishFisher,
    Ewma,
    McNormal,
    McT,
    McBootstrap,
}

impl VarModel {
    /// Every model, in display order.
    pub const ALL: [VarModel; 7] = [
        VarModel::Historical,
        VarModel::Gaussian,
        VarModel::CornishFisher,
        VarModel::Ewma,
        VarModel::McNormal,
        VarModel::McT,
        VarModel::McBootstrap,
    ];
    /// Models computed in the main analysis (Monte Carlo runs separately).
    pub const CLOSED_FORM: [VarModel; 4] = [
        VarModel::Historical,
        VarModel::Gaussian,
        VarModel::CornishFisher,
        VarModel::Ewma,
    ];

    /// Stable key: `historical`, `gaussian`, `cornish_fisher`, `ewma`, `mc_normal`, `mc_t`,
    /// `mc_bootstrap` (JSON keys `var_<key>_<confidence>`).
    pub fn key(self) -> &'static str {
        match self {
            VarModel::Historical => "historical",
            VarModel::Gaussian => "gaussian",
            VarModel::CornishFisher => "cornish_fisher",
            VarModel::Ewma => "ewma",
            VarModel::McNormal => "mc_normal",
            VarModel::McT => "mc_t",
            VarModel::McBootstrap => "mc_bootstrap",
        }
    }

    pub fn from_key(key: &str) -> Option<VarModel> {
        VarModel::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            VarModel::Historical => "Historical",
            VarModel::Gaussian => "Gaussian",
            VarModel::CornishFisher => "Cornish-Fisher",
            VarModel::Ewma => "EWMA (RiskMetrics)",
            VarModel::McNormal => "Monte Carlo: multivariate normal",
            VarModel::McT => "Monte Carlo: multivariate Student-t",
            VarModel::McBootstrap => "Monte Carlo: bootstrap",
        }
    }

    /// The Monte Carlo model behind this one, if it is one.
    pub fn monte_carlo(self) -> Option<crate::montecarlo::McModel> {
        use crate::montecarlo::McModel;
        match self {
            VarModel::McNormal => Some(McModel::Normal),
            VarModel::McT => Some(McModel::StudentT),
            VarModel::McBootstrap => Some(McModel::Bootstrap),
            _ => None,
        }
    }

    pub fn is_monte_carlo(self) -> bool {
        matches!(
            self,
            VarModel::McNormal | VarModel::McT | VarModel::McBootstrap
        )
    }
}

/// Confidence, horizon and EWMA decay.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VarSettings {
    pub confidence: f64,
    /// Horizon in periods (1–20 trading days in the app).
    pub horizon: usize,
    pub ewma_lambda: f64,
}

impl Default for VarSettings {
    fn default() -> Self {
        VarSettings {
            confidence: 0.95,
            horizon: 1,
            ewma_lambda: crate::ewma::RISKMETRICS_LAMBDA,
        }
    }
}

/// One model's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarEstimate {
    pub model: VarModel,
    pub confidence: f64,
    pub horizon: usize,
    /// Positive loss fraction; `NaN` when undefined (too little data).
    pub var: f64,
    pub cvar: f64,
    /// How the figure was obtained, in words ("overlapping 10-day returns, 8,303 windows").
    pub method: String,
    /// A warning to show next to the number (Cornish-Fisher outside its valid domain).
    pub flag: Option<String>,
}

fn z_and_pdf(confidence: f64) -> (f64, f64) {
    let n = Normal::standard();
    let z = n.inverse_cdf(1.0 - confidence);
    (z, n.pdf(z))
}

fn valid(s: &VarSettings) -> bool {
    s.confidence > 0.0 && s.confidence < 1.0 && s.horizon >= 1
}

fn estimate(model: VarModel, s: &VarSettings, var: f64, cvar: f64, method: String) -> VarEstimate {
    VarEstimate {
        model,
        confidence: s.confidence,
        horizon: s.horizon,
        var,
        cvar,
        method,
        flag: None,
    }
}

/// Overlapping compounded `h`-period returns `Π_{s=t}^{t+h−1}(1+r_s) − 1`, `t = 0..N−h`
/// (the returns themselves when `h = 1`; empty when `h = 0` or `h > N`).
pub fn overlapping_returns(r: &[f64], h: usize) -> Vec<f64> {
    if h == 0 || h > r.len() {
        return Vec::new();
    }
    if h == 1 {
        return r.to_vec();
    }
    r.windows(h)
        .map(|w| w.iter().fold(1.0, |acc, x| acc * (1.0 + x)) - 1.0)
        .collect()
}

/// Historical VaR and CVaR over overlapping `h`-period returns.
pub fn historical(r: &[f64], s: &VarSettings) -> VarEstimate {
    let sample = sorted(&overlapping_returns(r, s.horizon));
    let (var, cvar) = if valid(s) && !sample.is_empty() {
        (
            historical_var_sorted(&sample, s.confidence),
            historical_cvar_sorted(&sample, s.confidence),
        )
    } else {
        (f64::NAN, f64::NAN)
    };
    let method = if s.horizon == 1 {
        format!(
            "{} observed returns · linear quantile · Rockafellar-Uryasev tail mean",
            sample.len()
        )
    } else {
        format!(
            "{} overlapping {}-period compounded returns · linear quantile · Rockafellar-Uryasev tail mean",
            sample.len(),
            s.horizon
        )
    };
    estimate(VarModel::Historical, s, var, cvar, method)
}

/// Gaussian VaR and ES, mean included, `σ` with ddof 1, scaled `hμ`, `√h σ`.
pub fn gaussian(r: &[f64], s: &VarSettings) -> VarEstimate {
    let h = s.horizon as f64;
    let (mu, sd) = (mean(r) * h, std_dev(r) * h.sqrt());
    let (var, cvar) = if valid(s) {
        let (z, pdf) = z_and_pdf(s.confidence);
        (-(mu + z * sd), -(mu - sd * pdf / (1.0 - s.confidence)))
    } else {
        (f64::NAN, f64::NAN)
    };
    estimate(
        VarModel::Gaussian,
        s,
        var,
        cvar,
        scaling_note("normal with the sample mean and sd (ddof 1)", s.horizon),
    )
}

fn scaling_note(base: &str, h: usize) -> String {
    if h == 1 {
        base.to_string()
    } else {
        format!("{base} · {h}-period: mean ×{h}, sd ×√{h} (i.i.d. periods)")
    }
}

/// Cornish-Fisher VaR and ES (population moments, PerformanceAnalytics convention), with the
/// monotone-domain flag.
pub fn cornish_fisher(r: &[f64], s: &VarSettings) -> VarEstimate {
    let h = s.horizon as f64;
    let skew = crate::moments::skew_population(r) / h.sqrt();
    let kurt = crate::moments::excess_kurtosis_population(r) / h;
    let mu = mean(r) * h;
    let sd = (variance(r, 0) * h).sqrt();
    let mut est = estimate(
        VarModel::CornishFisher,
        s,
        f64::NAN,
        f64::NAN,
        if s.horizon == 1 {
            "normal quantile adjusted for skew and excess kurtosis (population moments)".into()
        } else {
            format!(
                "normal quantile adjusted for skew and excess kurtosis · {0}-period: mean ×{0}, sd ×√{0}, skew ÷√{0}, excess kurtosis ÷{0}",
                s.horizon
            )
        },
    );
    if !valid(s) {
        return est;
    }
    let (z, pdf) = z_and_pdf(s.confidence);
    let alpha = 1.0 - s.confidence;
    let hcf = |m1: f64, m2: f64, m3: f64| {
        m1 + (m2 - 1.0) * skew / 6.0 + (m3 - 3.0 * m1) * kurt / 24.0
            - (2.0 * m3 - 5.0 * m1) * skew * skew / 36.0
    };
    // The quantile: the polynomial at z (m_k = z^k).
    est.var = -(mu + hcf(z, z * z, z * z * z) * sd);
    // The tail mean: the polynomial's truncated-normal expectation.
    let (t1, t2, t3) = (
        -pdf / alpha,
        1.0 - z * pdf / alpha,
        -(z * z + 2.0) * pdf / alpha,
    );
    est.cvar = -(mu + hcf(t1, t2, t3) * sd);
    let a = kurt / 8.0 - skew * skew / 6.0;
    let b = skew / 3.0;
    let c = 1.0 - kurt / 8.0 + 5.0 * skew * skew / 36.0;
    let monotone = a >= 0.0 && b * b - 4.0 * a * c <= 0.0;
    if !monotone || !skew.is_finite() || !kurt.is_finite() {
        est.flag = Some(format!(
            "skew {skew:.2} and excess kurtosis {kurt:.2} are outside the range where the Cornish-Fisher expansion is a valid quantile (it is not monotone there): the figure can overstate or understate the loss; prefer the historical or Monte Carlo figures"
        ));
    }
    est
}

/// EWMA VaR and ES: zero mean, `σ_EWMA √h`.
pub fn ewma(r: &[f64], s: &VarSettings) -> VarEstimate {
    let sd = (crate::ewma::ewma_variance(r, s.ewma_lambda) * s.horizon as f64).sqrt();
    let (var, cvar) = if valid(s) {
        let (z, pdf) = z_and_pdf(s.confidence);
        (-z * sd, sd * pdf / (1.0 - s.confidence))
    } else {
        (f64::NAN, f64::NAN)
    };
    estimate(
        VarModel::Ewma,
        s,
        var,
        cvar,
        scaling_note(
            &format!(
                "normal, zero mean, exponentially weighted sd (λ = {})",
                s.ewma_lambda
            ),
            s.horizon,
        ),
    )
}

/// The closed-form models (historical, Gaussian, Cornish-Fisher, EWMA) on portfolio returns.
pub fn closed_form_table(r: &[f64], s: &VarSettings) -> Vec<VarEstimate> {
    vec![
        historical(r, s),
        gaussian(r, s),
        cornish_fisher(r, s),
        ewma(r, s),
    ]
}

/// A Monte Carlo result as a [`VarEstimate`] at `confidence`.
pub fn from_monte_carlo(result: &McResult, confidence: f64) -> VarEstimate {
    let model = match result.model {
        crate::montecarlo::McModel::Normal => VarModel::McNormal,
        crate::montecarlo::McModel::StudentT => VarModel::McT,
        crate::montecarlo::McModel::Bootstrap => VarModel::McBootstrap,
    };
    let nu = result
        .nu
        .map(|n| format!(" · fitted ν = {n:.2}"))
        .unwrap_or_default();
    VarEstimate {
        model,
        confidence,
        horizon: result.horizon,
        var: result.var(confidence),
        cvar: result.cvar(confidence),
        method: format!(
            "{} simulated {}-period paths, seed {}{nu} · daily rebalanced to today's weights",
            result.paths, result.horizon, result.seed
        ),
        flag: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_compounds() {
        let r = [0.1, -0.1, 0.2];
        let o = overlapping_returns(&r, 2);
        assert_eq!(o.len(), 2);
        assert!((o[0] - (1.1 * 0.9 - 1.0)).abs() < 1e-15);
        assert!(overlapping_returns(&r, 4).is_empty());
    }
}
