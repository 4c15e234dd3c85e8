//! VaR and CVaR decomposition per position and per sector: marginal, component (Euler) and
//! incremental figures, and each position's share of the total. All figures are positive
//! fractions of portfolio value (× the portfolio value for currency).
//!
//! With weights `w` (cash earns zero), `VaR(w)` is positively homogeneous of degree one, so by
//! Euler's theorem `VaR = Σ_i w_i ∂VaR/∂w_i`:
//! - **marginal** `MVaR_i = ∂VaR/∂w_i` (loss per unit of weight added to position `i`);
//! - **component** `CVaR_i = w_i · MVaR_i`; components sum to the total exactly;
//! - **percent contribution** `component / total`;
//! - **incremental** `IVaR_i = VaR(w) − VaR(w with w_i = 0)`: the change if the position were
//!   closed into cash (not additive).
//!
//! Models:
//! - **Gaussian** (mean included) and **EWMA** (zero mean, RiskMetrics covariance): with `μ_h = hμ`,
//!   `Σ_h = hΣ`, `σ = √(wᵀΣ_h w)`: `MVaR_i = −(μ_h,i + z (Σ_h w)_i/σ)`,
//!   `MCVaR_i = −(μ_h,i − (Σ_h w)_i/σ · φ(z)/α)` (Jorion, *Value at Risk*, 3rd ed., ch. 7).
//! - **Historical** (scenario Euler allocation, Hallerbach 2003; Tasche 2000): the VaR is a
//!   weighted combination of tail scenarios `VaR = −Σ_s a_s R_s` (the two order statistics of the
//!   type-7 quantile with weights `1−f`, `f`; for CVaR the Rockafellar-Uryasev tail weights), and
//!   `MVaR_i = −Σ_s a_s x_is`, where `x_is` is asset `i`'s return in scenario `s`. For a horizon
//!   `h > 1` a scenario is an overlapping `h`-period window `t = s..s+h−1`, and asset `i`'s
//!   return in it is its contribution to the compounded portfolio return: each day's return
//!   weighted by the portfolio's growth before that day, `x_is = Σ_t r_it Π_{s≤u<t}(1 + r_pu)`.
//!   Since `Σ_i w_i x_is = Σ_t r_pt Π_{u<t}(1 + r_pu) = Π_t(1 + r_pt) − 1 = R_s`, components add
//!   up to the total exactly, whatever the daily returns (even when they cancel: +10% then −10%
//!   sums to 0 but compounds to −1%).
//!
//! Cornish-Fisher and Monte Carlo figures are decomposed with the historical scenarios (the
//! result says so in [`Decomposition::note`]).

use crate::analysis::weighted_returns;
use crate::covariance::{mean_vector, sample_covariance, Matrix};
use crate::var_models::{overlapping_returns, VarModel, VarSettings};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// One row of the decomposition (a position or a sector).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskLine {
    pub name: String,
    /// Fraction of net portfolio value.
    pub weight: f64,
    pub marginal_var: f64,
    pub component_var: f64,
    /// `component_var / total VaR`.
    pub pct_var: f64,
    pub incremental_var: f64,
    pub marginal_cvar: f64,
    pub component_cvar: f64,
    pub pct_cvar: f64,
    pub incremental_cvar: f64,
}

/// The decomposition of the portfolio's VaR and CVaR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decomposition {
    /// The model whose figures are decomposed (historical, Gaussian or EWMA).
    pub model: VarModel,
    /// Why the model differs from the one asked for, if it does.
    pub note: Option<String>,
    pub confidence: f64,
    pub horizon: usize,
    pub var: f64,
    pub cvar: f64,
    pub positions: Vec<RiskLine>,
    /// The same rolled up by sector (positions without one: "Unclassified").
    pub sectors: Vec<RiskLine>,
}

/// Inputs: asset returns (assets × periods, aligned), weights, names and sectors.
pub struct DecompositionInput<'a> {
    pub returns: &'a [Vec<f64>],
    pub weights: &'a [f64],
    pub symbols: &'a [String],
    pub sectors: &'a [Option<String>],
}

/// Label for positions without a sector.
pub const UNCLASSIFIED: &str = "Unclassified";

/// Decompose the VaR and CVaR of `model` (historical scenarios for models without an analytic
/// gradient).
pub fn decompose(
    input: &DecompositionInput<'_>,
    model: VarModel,
    s: &VarSettings,
) -> Decomposition {
    let (used, note) = match model {
        VarModel::Historical | VarModel::Gaussian | VarModel::Ewma => (model, None),
        other => (
            VarModel::Historical,
            Some(format!(
                "{} has no per-position gradient here; the decomposition uses historical scenarios",
                other.label()
            )),
        ),
    };
    let (mu, cov) = match used {
        VarModel::Ewma => (
            vec![0.0; input.returns.len()],
            crate::ewma::ewma_covariance(input.returns, s.ewma_lambda),
        ),
        VarModel::Gaussian => (mean_vector(input.returns), sample_covariance(input.returns)),
        _ => (Vec::new(), Matrix::zeros(0)),
    };
    let engine = |w: &[f64]| match used {
        VarModel::Historical => historical_gradients(input.returns, w, s),
        _ => parametric_gradients(&mu, &cov, w, s),
    };
    // Totals only (for the incremental figures): selection instead of a full sort.
    // Totals with some positions closed into cash (the incremental figures), without
    // recomputing everything: historical scenarios subtract the positions' daily returns from
    // the portfolio's (then a selection, O(T)); parametric figures update wᵀμ and wᵀΣw.
    let t_len = input.returns.iter().map(Vec::len).min().unwrap_or(0);
    let full_daily = if used == VarModel::Historical {
        weighted_returns(input.returns, input.weights, t_len)
    } else {
        Vec::new()
    };
    let sw = if used == VarModel::Historical {
        Vec::new()
    } else {
        cov.mul_vec(input.weights)
    };
    let totals = |members: &[usize]| -> (f64, f64) {
        let w = input.weights;
        if used == VarModel::Historical {
            if input.returns.len() != w.len() {
                return (f64::NAN, f64::NAN);
            }
            let mut daily = full_daily.clone();
            for &i in members {
                if w[i] != 0.0 {
                    for (d, r) in daily.iter_mut().zip(&input.returns[i]) {
                        *d -= w[i] * r;
                    }
                }
            }
            return historical_totals_of(daily, s);
        }
        if !(s.confidence > 0.0 && s.confidence < 1.0) || s.horizon == 0 {
            return (f64::NAN, f64::NAN);
        }
        let mut mu_p: f64 = mu.iter().zip(w).map(|(m, x)| m * x).sum();
        let mut var_p: f64 = sw.iter().zip(w).map(|(a, x)| a * x).sum();
        for &i in members {
            mu_p -= w[i] * mu[i];
            var_p -= 2.0 * w[i] * sw[i];
            for &j in members {
                var_p += w[i] * w[j] * cov.get(i, j);
            }
        }
        let h = s.horizon as f64;
        let norm = Normal::standard();
        let z = norm.inverse_cdf(1.0 - s.confidence);
        let tail = norm.pdf(z) / (1.0 - s.confidence);
        let sigma = (var_p.max(0.0) * h).sqrt();
        (-(mu_p * h + z * sigma), -(mu_p * h - sigma * tail))
    };
    let full = engine(input.weights);
    let n = input.weights.len();
    let line = |name: String, members: &[usize]| -> RiskLine {
        let weight: f64 = members.iter().map(|&i| input.weights[i]).sum();
        let comp_var: f64 = members
            .iter()
            .map(|&i| input.weights[i] * full.var_grad[i])
            .sum();
        let comp_cvar: f64 = members
            .iter()
            .map(|&i| input.weights[i] * full.cvar_grad[i])
            .sum();
        let (without_var, without_cvar) = totals(members);
        let (mv, mc) = if members.len() == 1 {
            (full.var_grad[members[0]], full.cvar_grad[members[0]])
        } else if weight != 0.0 {
            (comp_var / weight, comp_cvar / weight)
        } else {
            (f64::NAN, f64::NAN)
        };
        RiskLine {
            name,
            weight,
            marginal_var: mv,
            component_var: comp_var,
            pct_var: comp_var / full.var,
            incremental_var: full.var - without_var,
            marginal_cvar: mc,
            component_cvar: comp_cvar,
            pct_cvar: comp_cvar / full.cvar,
            incremental_cvar: full.cvar - without_cvar,
        }
    };
    let positions = (0..n)
        .map(|i| line(input.symbols.get(i).cloned().unwrap_or_default(), &[i]))
        .collect();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let sector = input
            .sectors
            .get(i)
            .cloned()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| UNCLASSIFIED.to_string());
        match groups.iter_mut().find(|(g, _)| *g == sector) {
            Some((_, m)) => m.push(i),
            None => groups.push((sector, vec![i])),
        }
    }
    let mut sectors: Vec<RiskLine> = groups.iter().map(|(g, m)| line(g.clone(), m)).collect();
    sectors.sort_by(|a, b| b.component_var.total_cmp(&a.component_var));
    Decomposition {
        model: used,
        note,
        confidence: s.confidence,
        horizon: s.horizon,
        var: full.var,
        cvar: full.cvar,
        positions,
        sectors,
    }
}

/// Totals and gradients at one weight vector.
struct Gradients {
    var: f64,
    cvar: f64,
    var_grad: Vec<f64>,
    cvar_grad: Vec<f64>,
}

fn nan_gradients(n: usize) -> Gradients {
    Gradients {
        var: f64::NAN,
        cvar: f64::NAN,
        var_grad: vec![f64::NAN; n],
        cvar_grad: vec![f64::NAN; n],
    }
}

fn parametric_gradients(mu: &[f64], cov: &Matrix, w: &[f64], s: &VarSettings) -> Gradients {
    let n = w.len();
    if !(s.confidence > 0.0 && s.confidence < 1.0) || s.horizon == 0 {
        return nan_gradients(n);
    }
    let h = s.horizon as f64;
    let norm = Normal::standard();
    let z = norm.inverse_cdf(1.0 - s.confidence);
    let tail = norm.pdf(z) / (1.0 - s.confidence);
    let sw: Vec<f64> = cov.mul_vec(w).iter().map(|x| x * h).collect();
    let sigma = sw.iter().zip(w).map(|(a, b)| a * b).sum::<f64>().sqrt();
    let mu_p: f64 = mu.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() * h;
    let var = -(mu_p + z * sigma);
    let cvar = -(mu_p - sigma * tail);
    let (var_grad, cvar_grad) = (0..n)
        .map(|i| {
            let d = if sigma > 0.0 { sw[i] / sigma } else { 0.0 };
            (-(mu[i] * h + z * d), -(mu[i] * h - d * tail))
        })
        .unzip();
    Gradients {
        var,
        cvar,
        var_grad,
        cvar_grad,
    }
}

/// (scenario index, weight) pairs.
type ScenarioWeights = Vec<(usize, f64)>;

/// Scenario weights `a_s` such that `VaR = −Σ a_s R_(s)` (type-7) and `CVaR = −Σ b_s R_(s)`
/// (Rockafellar-Uryasev), over scenarios sorted ascending by `R`. Returns (index, weight) pairs.
fn tail_weights(order: &[usize], confidence: f64) -> (ScenarioWeights, ScenarioWeights) {
    let n = order.len();
    let p = 1.0 - confidence;
    let h = (n - 1) as f64 * p;
    let lo = (h.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let f = h - lo as f64;
    let mut var_w = vec![(order[lo], 1.0 - f)];
    if f > 0.0 {
        var_w.push((order[hi], f));
    }
    let k = p * n as f64;
    let i = (k.ceil() as usize).saturating_sub(1).min(n - 1);
    let mut cvar_w: Vec<(usize, f64)> = order[..i].iter().map(|&s| (s, 1.0 / k)).collect();
    cvar_w.push((order[i], (k - i as f64) / k));
    (var_w, cvar_w)
}

fn historical_gradients(returns: &[Vec<f64>], w: &[f64], s: &VarSettings) -> Gradients {
    let n_assets = w.len();
    let t = returns.iter().map(Vec::len).min().unwrap_or(0);
    let h = s.horizon;
    if returns.len() != n_assets || h == 0 || t < h || !(s.confidence > 0.0 && s.confidence < 1.0) {
        return nan_gradients(n_assets);
    }
    let daily = weighted_returns(returns, w, t);
    let scen = overlapping_returns(&daily, h);
    let mut order: Vec<usize> = (0..scen.len()).collect();
    order.sort_by(|a, b| scen[*a].total_cmp(&scen[*b]).then(a.cmp(b)));
    let (var_w, cvar_w) = tail_weights(&order, s.confidence);
    // Asset i's contribution to the compounded return of the window starting at `start`:
    // `Σ_t r_it Π_{u<t}(1 + r_pu)` (just `r_i,start` when h = 1). Summed over the weights this is
    // the window's compounded portfolio return exactly, with no division (an allocation in
    // proportion to `Σ_t r_pt` would break down when the daily returns cancel).
    let asset_in = |i: usize, start: usize| -> f64 {
        let mut growth = 1.0;
        let mut x = 0.0;
        for t in start..start + h {
            x += returns[i][t] * growth;
            growth *= 1.0 + daily[t];
        }
        x
    };
    let grad = |weights: &[(usize, f64)]| -> Vec<f64> {
        (0..n_assets)
            .map(|i| {
                -weights
                    .iter()
                    .map(|&(sc, a)| a * asset_in(i, sc))
                    .sum::<f64>()
            })
            .collect()
    };
    Gradients {
        var: -var_w.iter().map(|&(sc, a)| a * scen[sc]).sum::<f64>(),
        cvar: -cvar_w.iter().map(|&(sc, a)| a * scen[sc]).sum::<f64>(),
        var_grad: grad(&var_w),
        cvar_grad: grad(&cvar_w),
    }
}

/// Historical VaR and CVaR (type-7, Rockafellar-Uryasev) of daily portfolio returns at the
/// horizon, by selection, O(n).
fn historical_totals_of(daily: Vec<f64>, s: &VarSettings) -> (f64, f64) {
    if s.horizon == 0 || daily.len() < s.horizon || !(s.confidence > 0.0 && s.confidence < 1.0) {
        return (f64::NAN, f64::NAN);
    }
    let mut scen = if s.horizon == 1 {
        daily
    } else {
        overlapping_returns(&daily, s.horizon)
    };
    let n = scen.len();
    let p = 1.0 - s.confidence;
    let h = (n - 1) as f64 * p;
    let lo = (h.floor() as usize).min(n - 1);
    let f = h - lo as f64;
    let (_, x_lo, right) = scen.select_nth_unstable_by(lo, f64::total_cmp);
    let x_lo = *x_lo;
    let x_hi = right.iter().copied().fold(f64::INFINITY, f64::min);
    let var = if f > 0.0 {
        -(x_lo + f * (x_hi - x_lo))
    } else {
        -x_lo
    };
    let k = p * n as f64;
    let i = (k.ceil() as usize).saturating_sub(1).min(n - 1);
    let (left, x_i, _) = scen.select_nth_unstable_by(i, f64::total_cmp);
    let cvar = -(left.iter().sum::<f64>() + (k - i as f64) * *x_i) / k;
    (var, cvar)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut totals (subtracting a position) against a full recomputation.
    const INCREMENTAL_ABS_TOL: f64 = 1e-14;

    #[test]
    fn incremental_figures_equal_a_recomputation_without_the_position() {
        let returns: Vec<Vec<f64>> = (0..4)
            .map(|a| {
                (0..300)
                    .map(|t| {
                        let common = ((t * 7919 % 97) as f64 - 48.0) / 3000.0;
                        let own = (((t + 17 * a) * 104_729 % 89) as f64 - 44.0) / 2500.0;
                        common * (a as f64 + 1.0) / 2.0 + own
                    })
                    .collect()
            })
            .collect();
        let weights = [0.3, 0.25, -0.1, 0.35];
        let symbols: Vec<String> = ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect();
        let sectors = vec![Some("X".to_string()), Some("X".to_string()), None, None];
        let input = DecompositionInput {
            returns: &returns,
            weights: &weights,
            symbols: &symbols,
            sectors: &sectors,
        };
        for model in [VarModel::Historical, VarModel::Gaussian, VarModel::Ewma] {
            for horizon in [1, 5] {
                let s = VarSettings {
                    confidence: 0.95,
                    horizon,
                    ewma_lambda: 0.94,
                };
                let d = decompose(&input, model, &s);
                for (i, line) in d.positions.iter().enumerate() {
                    let mut w = weights.to_vec();
                    w[i] = 0.0;
                    let alone = decompose(
                        &DecompositionInput {
                            weights: &w,
                            ..input
                        },
                        model,
                        &s,
                    );
                    assert!(
                        (line.incremental_var - (d.var - alone.var)).abs() < INCREMENTAL_ABS_TOL,
                        "{model:?} h{horizon} {i}"
                    );
                    assert!(
                        (line.incremental_cvar - (d.cvar - alone.cvar)).abs() < INCREMENTAL_ABS_TOL
                    );
                }
                let x = d
                    .sectors
                    .iter()
                    .find(|l| l.name == "X")
                    .map(|l| l.incremental_var);
                let mut w = weights.to_vec();
                w[0] = 0.0;
                w[1] = 0.0;
                let without = decompose(
                    &DecompositionInput {
                        weights: &w,
                        ..input
                    },
                    model,
                    &s,
                );
                let want = d.var - without.var;
                assert!(
                    x.is_some_and(|x| (x - want).abs() < INCREMENTAL_ABS_TOL),
                    "{model:?}"
                );
            }
        }
    }
}
