//! One optimisation from start to finish: estimates, pre-flight checks, the program, the
//! solve, the explanation of a failure, and the portfolio's figures.

use super::constraints::{Constraints, Resolved};
use super::expected_returns::{expected_returns, ReturnModel};
use super::mean_variance::{self as mv, Built};
use super::objective::Objective;
use super::program::{status_words, Program, Solution, SolveOptions, Status};
use super::screening::{solve_screened, Screen};
use super::stats::{portfolio_stats, PortfolioStats};
use super::{diagnose, heuristics, hierarchical, risk_budget, scenario, OptError};
use crate::covariance::Matrix;
use crate::estimators::{cholesky_ok, estimate, min_eigenvalue, CovEstimator};
use serde::{Deserialize, Serialize};

/// From this many assets on, long-only mean-variance programs are solved by column generation
/// (`screening.rs`); below it the whole program is solved directly.
pub const SCREEN_MIN_ASSETS: usize = 40;
/// From this many scenarios on, CVaR programs are solved by row generation.
pub const SCREEN_MIN_SCENARIOS: usize = 500;
/// A covariance whose smallest eigenvalue is below this fraction of its mean eigenvalue is
/// treated as singular.
pub const SINGULAR_RELATIVE: f64 = 1e-10;

/// Everything the user chose for an optimisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptimizeSpec {
    pub objective: Objective,
    pub expected_returns: ReturnModel,
    pub covariance: CovEstimator,
    pub constraints: Constraints,
    /// Annual risk-free rate (fraction).
    pub risk_free: f64,
    /// Confidence level β of CVaR and CDaR (0.95 = the worst 5%).
    pub beta: f64,
}

impl Default for OptimizeSpec {
    fn default() -> Self {
        OptimizeSpec {
            objective: Objective::MaxSharpe,
            expected_returns: ReturnModel::default(),
            covariance: CovEstimator::Sample,
            constraints: Constraints::default(),
            risk_free: 0.0,
            beta: 0.95,
        }
    }
}

/// The data an optimisation runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct Market {
    pub symbols: Vec<String>,
    /// Asset-major per-period simple returns.
    pub returns: Vec<Vec<f64>>,
    pub periods_per_year: f64,
    /// Today's weights (for turnover and comparisons); zeros if unknown.
    pub current: Vec<f64>,
    pub benchmark: Option<Vec<f64>>,
}

impl Market {
    /// The held assets of an aligned portfolio: their returns, today's weights (of net value,
    /// cash excluded from the assets) and the benchmark.
    pub fn from_aligned(a: &crate::align::Aligned) -> Self {
        Market {
            symbols: a.symbols.clone(),
            returns: a.returns.clone(),
            periods_per_year: a.report.periods_per_year,
            current: a.weights.clone(),
            benchmark: a.benchmark.as_ref().map(|b| b.returns.clone()),
        }
    }
}

/// One group per sector named in the holdings (members in holdings order), without limits: the
/// rows of the sector-limits editor.
pub fn sector_groups(a: &crate::align::Aligned) -> Vec<super::GroupLimit> {
    let mut groups: Vec<super::GroupLimit> = Vec::new();
    for p in &a.positions {
        let Some(sector) = p.sector.as_ref().filter(|s| !s.trim().is_empty()) else {
            continue;
        };
        match groups.iter_mut().find(|g| &g.name == sector) {
            Some(g) => g.members.push(p.symbol.clone()),
            None => groups.push(super::GroupLimit {
                name: sector.clone(),
                members: vec![p.symbol.clone()],
                min: None,
                max: None,
            }),
        }
    }
    groups
}

/// Annualised estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimates {
    pub mu: Vec<f64>,
    pub sigma: Matrix,
    pub notes: Vec<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptResult {
    pub objective: String,
    pub label: String,
    pub weights: Vec<f64>,
    pub stats: PortfolioStats,
    /// The optimised quantity, its name and units.
    pub objective_name: String,
    pub objective_value: f64,
    /// "solved", "solved to reduced accuracy", or "closed form" for heuristics.
    pub status: String,
    pub iterations: u32,
    pub notes: Vec<String>,
    /// Set when these are fallback weights, not the requested optimum.
    pub fallback: Option<String>,
}

/// μ (the chosen model) and Σ (the chosen estimator), both × periods per year.
pub fn estimates(market: &Market, spec: &OptimizeSpec) -> Result<Estimates, OptError> {
    let n = market.symbols.len();
    if n == 0 {
        return Err(OptError::invalid(
            "assets",
            "there are no assets to optimise",
        ));
    }
    if market.returns.len() != n {
        return Err(OptError::invalid(
            "returns",
            "one return series per asset is needed",
        ));
    }
    let t = market.returns[0].len();
    if t < 3 {
        return Err(OptError::TooFewObservations {
            what: "optimisation".into(),
            need: 3,
            got: t,
        });
    }
    let p = market.periods_per_year;
    if !(p.is_finite() && p > 0.0) {
        return Err(OptError::invalid("periods per year", "must be positive"));
    }
    let mu = expected_returns(
        &market.returns,
        p,
        &spec.expected_returns,
        market.benchmark.as_deref(),
        spec.risk_free,
    )?;
    let est = estimate(&market.returns, spec.covariance)
        .map_err(|e| OptError::invalid("covariance", e.to_string()))?;
    let mut sigma = est.covariance;
    for v in &mut sigma.data {
        *v *= p;
    }
    Ok(Estimates {
        mu,
        sigma,
        notes: est.notes,
    })
}

/// Pre-flight: zero variance and singular covariance, for objectives that need Σ.
pub(crate) fn check_covariance(
    market: &Market,
    est: &Estimates,
    obj: &Objective,
) -> Result<(), OptError> {
    let n = est.sigma.n;
    let needs_var = !matches!(obj, Objective::EqualWeight);
    if needs_var {
        for i in 0..n {
            if est.sigma.data[i * n + i] <= 0.0 || !est.sigma.data[i * n + i].is_finite() {
                return Err(OptError::ZeroVariance {
                    symbol: market.symbols[i].clone(),
                });
            }
        }
    }
    if obj.uses_covariance() && n > 1 {
        let mean = (0..n).map(|i| est.sigma.data[i * n + i]).sum::<f64>() / n as f64;
        // Positive definite beyond the threshold iff Σ − εI has a Cholesky factor (p³/6
        // operations); the eigenvalues are computed only for the message.
        if !cholesky_ok(&est.sigma, -SINGULAR_RELATIVE * mean) {
            let min = min_eigenvalue(&est.sigma);
            let t = market.returns[0].len();
            let detail = if t <= n {
                format!(" because there are {t} observations for {n} assets")
            } else {
                " (some assets move together exactly)".to_string()
            };
            return Err(OptError::SingularCovariance {
                min_eigenvalue: min,
                detail,
            });
        }
    }
    Ok(())
}

/// Solve a built program, by column generation when large and long-only.
pub(crate) fn solve_mv(
    built: &Built,
    cons: &Resolved,
    est: &Estimates,
    hint: Option<&[f64]>,
) -> Result<Solution, OptError> {
    let n = cons.n;
    let opts = SolveOptions::default();
    let simple = cons.long_only() && cons.turnover.is_none() && cons.gross.is_none();
    if n < SCREEN_MIN_ASSETS || !simple {
        return built.program.solve(opts);
    }
    let screen = Screen {
        cols: (0..n).map(|i| (built.w0 + i, built.own_rows[i])).collect(),
        rows: Vec::new(),
    };
    let on = initial_support(cons, est, hint);
    Ok(solve_screened(&built.program, &screen, on, Vec::new(), opts, 1e-9, 1e-9)?.solution)
}

/// Solve a scenario program, by row generation when there are many scenarios (and column
/// generation over the assets too when there are many of them and the weights are long-only).
pub(crate) fn solve_scenario(
    built: &Built,
    screen: &Screen,
    scen: &[Vec<f64>],
    beta: f64,
    cons: &Resolved,
    est: &Estimates,
    hint: Option<&[f64]>,
) -> Result<Solution, OptError> {
    let opts = SolveOptions::default();
    let t = scen.len();
    if t < SCREEN_MIN_SCENARIOS {
        return built.program.solve(opts);
    }
    let n = cons.n;
    let simple = cons.long_only() && cons.turnover.is_none() && cons.gross.is_none();
    let screen_cols = simple && n >= SCREEN_MIN_ASSETS;
    let mut col_on = vec![true; n];
    if screen_cols {
        col_on = initial_support(cons, est, hint);
    }
    // Start from the tail of the inverse-variance portfolio over the initial assets (or of the
    // hint): 2× the tail size.
    let mut w: Vec<f64> = (0..n)
        .map(|i| {
            if col_on[i] {
                1.0 / est.sigma.data[i * n + i].max(1e-300)
            } else {
                0.0
            }
        })
        .collect();
    if let Some(h) = hint {
        w = h.to_vec();
    }
    let total: f64 = w.iter().sum();
    let k = ((((1.0 - beta) * t as f64).ceil() as usize) * 2).clamp(1, t);
    let mut loss: Vec<(f64, usize)> = scen
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                -r.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() / total,
                i,
            )
        })
        .collect();
    loss.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut on = vec![false; t];
    for &(_, i) in &loss[..k] {
        on[i] = true;
    }
    let mut screen = screen.clone();
    if screen_cols {
        screen.cols = (0..n).map(|i| (built.w0 + i, built.own_rows[i])).collect();
    } else {
        col_on.clear();
    }
    Ok(solve_screened(&built.program, &screen, col_on, on, opts, 1e-9, 1e-9)?.solution)
}

/// Initial working set of assets for column generation: the lowest-variance and the
/// highest-return assets (`max(10, n/20)` of each), the support of a nearby solution, and every
/// asset with a positive floor.
fn initial_support(cons: &Resolved, est: &Estimates, hint: Option<&[f64]>) -> Vec<bool> {
    let n = cons.n;
    let k = (n / 20).max(10).min(n);
    let mut on = vec![false; n];
    let mut by_var: Vec<usize> = (0..n).collect();
    by_var.sort_by(|&a, &b| est.sigma.data[a * n + a].total_cmp(&est.sigma.data[b * n + b]));
    for &i in &by_var[..k] {
        on[i] = true;
    }
    let mut by_mu: Vec<usize> = (0..n).collect();
    by_mu.sort_by(|&a, &b| est.mu[b].total_cmp(&est.mu[a]));
    for &i in &by_mu[..k] {
        on[i] = true;
    }
    if let Some(h) = hint {
        for (i, &w) in h.iter().enumerate() {
            if w > 1e-7 {
                on[i] = true;
            }
        }
    }
    for (o, &l) in on.iter_mut().zip(&cons.lower) {
        if l > 0.0 {
            *o = true;
        }
    }
    on
}

/// Weights from a solution (`y/κ` for homogenised programs).
pub(crate) fn weights_of(built: &Built, sol: &Solution, n: usize) -> Vec<f64> {
    let w = &sol.x[built.w0..built.w0 + n];
    match built.kappa {
        Some(k) => {
            let kappa = sol.x[k];
            w.iter().map(|y| y / kappa).collect()
        }
        None => w.to_vec(),
    }
}

/// The highest expected return reachable under the constraints (an LP).
pub fn max_reachable_return(
    cons: &Resolved,
    mu: &[f64],
    symbols: &[String],
) -> Result<f64, OptError> {
    let built = mv::max_return(cons.n, cons, mu);
    let sol = built.program.solve(SolveOptions::default())?;
    check_status(&built.program, &sol, cons, symbols)?;
    Ok(mu.iter().zip(&sol.x).map(|(a, b)| a * b).sum())
}

/// Turn a solver status into an error where it is not usable.
pub(crate) fn check_status(
    prog: &Program,
    sol: &Solution,
    cons: &Resolved,
    symbols: &[String],
) -> Result<(), OptError> {
    match sol.status {
        Status::Solved | Status::AlmostSolved => Ok(()),
        Status::Infeasible => Err(OptError::Infeasible {
            conflicts: diagnose::conflicts(prog, cons, symbols),
        }),
        Status::Unbounded => Err(OptError::SolverFailed {
            status: status_words(sol.status).into(),
            advice: "the objective can grow without limit; add bounds or a leverage cap".into(),
        }),
        Status::Failed => Err(OptError::SolverFailed {
            status: status_words(sol.status).into(),
            advice: "the problem is badly conditioned; try Ledoit-Wolf shrinkage for the covariance, fewer assets, or looser constraints".into(),
        }),
    }
}

fn heuristic(
    market: &Market,
    est: &Estimates,
    spec: &OptimizeSpec,
    label: &str,
    weights: Vec<f64>,
    notes: Vec<String>,
) -> OptResult {
    let stats = portfolio_stats(
        &weights,
        &est.mu,
        &est.sigma,
        &market.returns,
        spec.risk_free,
        spec.beta,
    );
    OptResult {
        objective: spec.objective.key().into(),
        label: label.into(),
        objective_name: "volatility (annualised)".into(),
        objective_value: stats.volatility,
        weights,
        stats,
        status: "closed form".into(),
        iterations: 0,
        notes,
        fallback: None,
    }
}

/// Run one optimisation.
pub fn optimize(market: &Market, spec: &OptimizeSpec) -> Result<OptResult, OptError> {
    let est = estimates(market, spec)?;
    optimize_with(market, &est, spec, None)
}

/// Run one optimisation with precomputed estimates; `hint` (weights of a nearby solution)
/// seeds column generation.
pub fn optimize_with(
    market: &Market,
    est: &Estimates,
    spec: &OptimizeSpec,
    hint: Option<&[f64]>,
) -> Result<OptResult, OptError> {
    let n = market.symbols.len();
    let syms = &market.symbols;
    if !(spec.beta > 0.5 && spec.beta < 1.0) {
        return Err(OptError::invalid(
            "CVaR level",
            "must be between 50% and 100% (e.g. 95%)",
        ));
    }
    if !spec.risk_free.is_finite() {
        return Err(OptError::invalid("risk-free rate", "must be a number"));
    }
    check_covariance(market, est, &spec.objective)?;
    let mut notes = est.notes.clone();
    let cons = spec.constraints.resolve(syms, &market.current)?;
    let obj = &spec.objective;
    if obj.takes_constraints() {
        let obvious = cons.obvious_conflicts(syms);
        if !obvious.is_empty() {
            return Err(OptError::Infeasible { conflicts: obvious });
        }
    } else if spec.constraints != Constraints::default() {
        notes.push(format!(
            "{} ignores weight bounds, groups, leverage and turnover: its weights follow from the risk model alone",
            obj.label()
        ));
    }
    let ppy = market.periods_per_year;
    let (weights, status, iterations, objective_name, mut objective_value) = match obj {
        Objective::EqualWeight => {
            let w = heuristics::equal_weight(n)?;
            return Ok(heuristic(market, est, spec, obj.label(), w, notes));
        }
        Objective::InverseVolatility => {
            let w = heuristics::inverse_volatility(&est.sigma, syms)?;
            return Ok(heuristic(market, est, spec, obj.label(), w, notes));
        }
        Objective::Hrp { linkage } => {
            let h = hierarchical::hrp(&est.sigma, syms, *linkage)?;
            notes.push(format!(
                "clustering: {} linkage on the distance √((1 − ρ)/2), leaves in dendrogram order, recursive bisection (López de Prado 2016; PyPortfolioOpt HRPOpt)",
                linkage.label()
            ));
            return Ok(heuristic(market, est, spec, obj.label(), h.weights, notes));
        }
        Objective::RiskParity | Objective::RiskBudget { .. } => {
            let b = match obj {
                Objective::RiskBudget { budgets } => risk_budget::normalise_budgets(budgets, syms)?,
                _ => vec![1.0 / n as f64; n],
            };
            let r = risk_budget::risk_budgeting(&est.sigma, &b)?;
            notes.push(format!(
                "Clarabel exponential-cone program ({}, {} iterations) polished by {} Newton steps",
                r.clarabel_status, r.clarabel_iterations, r.newton_steps
            ));
            let spread = r
                .contributions
                .iter()
                .zip(&b)
                .map(|(c, b)| (c - b).abs())
                .fold(0.0, f64::max);
            (
                r.weights,
                "solved".to_string(),
                r.clarabel_iterations,
                "largest gap between risk contribution and budget".to_string(),
                spread,
            )
        }
        _ if obj.is_mean_variance() => {
            let (built, name) = match obj {
                Objective::MinVariance => (
                    mv::min_variance(&est.sigma, &cons, &est.mu, None),
                    "variance (annualised)",
                ),
                Objective::EfficientReturn { target_return } => {
                    let max = max_reachable_return(&cons, &est.mu, syms)?;
                    if !target_return.is_finite() {
                        return Err(OptError::invalid("target return", "must be a number"));
                    }
                    if *target_return > max + 1e-9 {
                        return Err(OptError::TargetReturnTooHigh {
                            target: *target_return,
                            max,
                        });
                    }
                    (
                        mv::min_variance(&est.sigma, &cons, &est.mu, Some(*target_return)),
                        "variance (annualised)",
                    )
                }
                Objective::MaxUtility { risk_aversion } => {
                    if !(risk_aversion.is_finite() && *risk_aversion > 0.0) {
                        return Err(OptError::invalid("risk aversion", "must be positive"));
                    }
                    (
                        mv::max_utility(&est.sigma, &cons, &est.mu, *risk_aversion),
                        "utility μ'w − (δ/2)w'Σw",
                    )
                }
                Objective::MaxSharpe => {
                    let max = max_reachable_return(&cons, &est.mu, syms)?;
                    if max <= spec.risk_free + 1e-12 {
                        return Err(OptError::NothingBeatsRiskFree {
                            rf: spec.risk_free,
                            best: max,
                        });
                    }
                    let excess: Vec<f64> = est.mu.iter().map(|m| m - spec.risk_free).collect();
                    (mv::max_ratio(&est.sigma, &cons, &excess), "Sharpe ratio")
                }
                Objective::MaxDiversification => {
                    let vols: Vec<f64> = (0..n).map(|i| est.sigma.data[i * n + i].sqrt()).collect();
                    (
                        mv::max_ratio(&est.sigma, &cons, &vols),
                        "diversification ratio σ'w/√(w'Σw)",
                    )
                }
                Objective::EfficientRisk { target_volatility } => {
                    if !(target_volatility.is_finite() && *target_volatility > 0.0) {
                        return Err(OptError::invalid("target volatility", "must be positive"));
                    }
                    let gmv = mv::min_variance(&est.sigma, &cons, &est.mu, None);
                    let gsol = solve_mv(&gmv, &cons, est, hint)?;
                    check_status(&gmv.program, &gsol, &cons, syms)?;
                    let wg = weights_of(&gmv, &gsol, n);
                    let min_vol = est.sigma.quad_form(&wg).max(0.0).sqrt();
                    if *target_volatility < min_vol - 1e-9 {
                        return Err(OptError::TargetVolatilityTooLow {
                            target: *target_volatility,
                            min: min_vol,
                        });
                    }
                    let chol = mv::cholesky(&est.sigma)?;
                    (
                        mv::efficient_risk(&est.sigma, &chol, &cons, &est.mu, *target_volatility),
                        "expected return (annualised)",
                    )
                }
                _ => unreachable_objective()?,
            };
            let sol = solve_mv(&built, &cons, est, hint)?;
            check_status(&built.program, &sol, &cons, syms)?;
            let w = weights_of(&built, &sol, n);
            (
                w,
                status_words(sol.status).to_string(),
                sol.iterations,
                name.to_string(),
                f64::NAN,
            )
        }
        // The scenario programs: minimum CVaR, return/CVaR, CDaR, MAD.
        _ => {
            let scen = scenario::date_major(&market.returns);
            let (built, screen, name) = match obj {
                Objective::MinCvar => {
                    let (b, s) = scenario::min_cvar(&scen, &cons, spec.beta);
                    (b, Some(s), "CVaR (per period)")
                }
                Objective::MaxCvarRatio => {
                    let max = max_reachable_return(&cons, &est.mu, syms)?;
                    if max <= spec.risk_free + 1e-12 {
                        return Err(OptError::NothingBeatsRiskFree {
                            rf: spec.risk_free,
                            best: max,
                        });
                    }
                    let excess: Vec<f64> =
                        est.mu.iter().map(|m| (m - spec.risk_free) / ppy).collect();
                    let (b, s) = scenario::max_cvar_ratio(&scen, &cons, &excess, spec.beta);
                    (b, Some(s), "excess return / CVaR (per period)")
                }
                Objective::MinCdar => (
                    scenario::min_cdar(&scen, &cons, spec.beta),
                    None,
                    "CDaR (uncompounded)",
                ),
                _ => (
                    scenario::min_mad(&scen, &cons),
                    None,
                    "mean absolute deviation (per period)",
                ),
            };
            let sol = match &screen {
                Some(s) => solve_scenario(&built, s, &scen, spec.beta, &cons, est, hint)?,
                None => built.program.solve(SolveOptions::default())?,
            };
            check_status(&built.program, &sol, &cons, syms)?;
            let w = weights_of(&built, &sol, n);
            (
                w,
                status_words(sol.status).to_string(),
                sol.iterations,
                name.to_string(),
                f64::NAN,
            )
        }
    };
    let stats = portfolio_stats(
        &weights,
        &est.mu,
        &est.sigma,
        &market.returns,
        spec.risk_free,
        spec.beta,
    );
    if objective_value.is_nan() {
        objective_value = match obj {
            Objective::MinVariance | Objective::EfficientReturn { .. } => {
                stats.volatility * stats.volatility
            }
            Objective::MaxUtility { risk_aversion } => {
                stats.expected_return - 0.5 * risk_aversion * stats.volatility * stats.volatility
            }
            Objective::MaxSharpe => stats.sharpe,
            Objective::MaxDiversification => stats.diversification_ratio,
            Objective::EfficientRisk { .. } => stats.expected_return,
            Objective::MinCvar => stats.cvar,
            Objective::MaxCvarRatio => (stats.expected_return - spec.risk_free) / ppy / stats.cvar,
            Objective::MinCdar => stats.cdar,
            Objective::MinMad => stats.mad,
            _ => f64::NAN,
        };
    }
    if cons.l2 > 0.0 && !obj.is_mean_variance() {
        notes.push(format!(
            "L2 regularisation applies to variance-based objectives; {} ignores it",
            obj.label()
        ));
    }
    if status == "solved to reduced accuracy" {
        notes.push("Clarabel stopped at reduced accuracy; weights are good to about 1e-6".into());
    }
    Ok(OptResult {
        objective: obj.key().into(),
        label: obj.label().into(),
        weights,
        stats,
        objective_name,
        objective_value,
        status,
        iterations,
        notes,
        fallback: None,
    })
}

fn unreachable_objective<T>() -> Result<T, OptError> {
    Err(OptError::invalid(
        "objective",
        "internal: not a mean-variance objective",
    ))
}

/// Weights that cannot fail, offered when an optimisation does: inverse volatility, or equal
/// weight when an asset has no variance. Clearly labelled as a fallback.
pub fn fallback(
    market: &Market,
    spec: &OptimizeSpec,
    reason: &OptError,
) -> Result<OptResult, OptError> {
    let est = estimates(market, spec)?;
    let n = market.symbols.len();
    let (label, w) = match heuristics::inverse_volatility(&est.sigma, &market.symbols) {
        Ok(w) => ("Inverse volatility", w),
        Err(_) => ("Equal weight", heuristics::equal_weight(n)?),
    };
    let mut r = heuristic(market, &est, spec, label, w, Vec::new());
    r.fallback = Some(format!(
        "Fallback: {label} weights, because the requested optimisation failed ({reason}). They ignore the objective and the constraints."
    ));
    Ok(r)
}
