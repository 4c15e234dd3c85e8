//! Efficient frontiers, one point at a time (so a worker can report progress and stop).
//!
//! * **Mean-variance** (Markowitz 1952): targets `r_k = r_min + k(r_max − r_min)/(K−1)` from the
//!   minimum-variance portfolio's return to the highest return reachable under the constraints
//!   (an LP); each point is `min w'Σw (+γ‖w‖²)` s.t. `μ'w ≥ r_k` and the constraints — return
//!   spaced, as PyPortfolioOpt's loop (Riskfolio spaces in risk). Each point's column
//!   generation starts from the previous point's support.
//! * **Mean-CVaR** (Rockafellar & Uryasev 2000; Krokhmal, Palmquist & Uryasev 2002): the same
//!   return grid from the minimum-CVaR portfolio's return; each point is the minimum-CVaR LP with
//!   `μ'w ≥ r_k`.
//!
//! The last target is pulled in by `1e-9·(1 + |r_max|)` so the top point stays strictly
//! feasible (PyPortfolioOpt refuses `max(μ)` outright). The maximum Sharpe portfolio and the
//! capital market line `r_f + SR·σ` come with the mean-variance frontier.

use super::constraints::Resolved;
use super::mean_variance as mv;
use super::objective::Objective;
use super::program::Family;
use super::run::{
    check_covariance, check_status, estimates, max_reachable_return, optimize_with, solve_mv,
    solve_scenario, weights_of, Estimates, Market, OptimizeSpec,
};
use super::stats::{portfolio_stats, PortfolioStats};
use super::{scenario, OptError};
use serde::{Deserialize, Serialize};

/// Which frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontierKind {
    MeanVariance,
    MeanCvar,
}

impl FrontierKind {
    pub fn key(self) -> &'static str {
        match self {
            FrontierKind::MeanVariance => "mean_variance",
            FrontierKind::MeanCvar => "mean_cvar",
        }
    }
    pub fn from_key(k: &str) -> Option<Self> {
        match k {
            "mean_variance" => Some(FrontierKind::MeanVariance),
            "mean_cvar" => Some(FrontierKind::MeanCvar),
            _ => None,
        }
    }
}

/// Default number of points.
pub const DEFAULT_POINTS: usize = 50;
/// Limits on the number of points.
pub const MIN_POINTS: usize = 2;
pub const MAX_POINTS: usize = 200;

/// One frontier portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    pub target_return: f64,
    pub weights: Vec<f64>,
    pub stats: PortfolioStats,
}

/// A finished frontier with the markers drawn next to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frontier {
    pub kind: FrontierKind,
    pub points: Vec<FrontierPoint>,
    /// Each asset alone: (expected return, volatility, CVaR).
    pub assets: Vec<(f64, f64, f64)>,
    /// Today's portfolio.
    pub current: PortfolioStats,
    /// The maximum Sharpe portfolio (mean-variance only, when some portfolio beats r_f).
    pub max_sharpe: Option<FrontierPoint>,
    pub risk_free: f64,
    pub notes: Vec<String>,
}

/// Computes a frontier point by point.
pub struct FrontierRunner {
    market: Market,
    est: Estimates,
    spec: OptimizeSpec,
    cons: Resolved,
    kind: FrontierKind,
    targets: Vec<f64>,
    points: Vec<FrontierPoint>,
    scen: Vec<Vec<f64>>,
    notes: Vec<String>,
    first: Option<FrontierPoint>,
}

fn linspace(a: f64, b: f64, k: usize) -> Vec<f64> {
    if k <= 1 {
        return vec![a];
    }
    (0..k)
        .map(|i| a + (b - a) * i as f64 / (k - 1) as f64)
        .collect()
}

impl FrontierRunner {
    /// Check the inputs and solve the frontier's two ends.
    pub fn new(
        market: &Market,
        spec: &OptimizeSpec,
        kind: FrontierKind,
        points: usize,
    ) -> Result<Self, OptError> {
        if !(MIN_POINTS..=MAX_POINTS).contains(&points) {
            return Err(OptError::invalid(
                "frontier points",
                format!("must be between {MIN_POINTS} and {MAX_POINTS}"),
            ));
        }
        let est = estimates(market, spec)?;
        let probe = match kind {
            FrontierKind::MeanVariance => Objective::MinVariance,
            FrontierKind::MeanCvar => Objective::MinCvar,
        };
        check_covariance(market, &est, &probe)?;
        let mut s = spec.clone();
        s.objective = probe;
        let low = optimize_with(market, &est, &s, None)?;
        let cons = spec.constraints.resolve(&market.symbols, &market.current)?;
        let high = max_reachable_return(&cons, &est.mu, &market.symbols)?;
        let r0 = low.stats.expected_return;
        let top = high - 1e-9 * (1.0 + high.abs());
        let targets = if top > r0 {
            linspace(r0, top, points)
        } else {
            vec![r0]
        };
        let first = FrontierPoint {
            target_return: r0,
            weights: low.weights.clone(),
            stats: low.stats,
        };
        let scen = match kind {
            FrontierKind::MeanCvar => scenario::date_major(&market.returns),
            FrontierKind::MeanVariance => Vec::new(),
        };
        Ok(FrontierRunner {
            market: market.clone(),
            est,
            spec: spec.clone(),
            cons,
            kind,
            targets,
            points: Vec::with_capacity(points),
            scen,
            notes: low.notes,
            first: Some(first),
        })
    }

    /// `(done, total)` points.
    pub fn progress(&self) -> (usize, usize) {
        (self.points.len(), self.targets.len())
    }

    pub fn is_done(&self) -> bool {
        self.points.len() >= self.targets.len()
    }

    /// Compute the next point; `Ok(true)` when the frontier is complete.
    pub fn step(&mut self) -> Result<bool, OptError> {
        let k = self.points.len();
        if k >= self.targets.len() {
            return Ok(true);
        }
        if k == 0 {
            if let Some(p) = self.first.take() {
                self.points.push(p);
                return Ok(self.is_done());
            }
        }
        let target = self.targets[k];
        let n = self.market.symbols.len();
        let hint = self.points.last().map(|p| p.weights.clone());
        let w = match self.kind {
            FrontierKind::MeanVariance => {
                let built =
                    mv::min_variance(&self.est.sigma, &self.cons, &self.est.mu, Some(target));
                let sol = solve_mv(&built, &self.cons, &self.est, hint.as_deref())?;
                check_status(&built.program, &sol, &self.cons, &self.market.symbols)?;
                weights_of(&built, &sol, n)
            }
            FrontierKind::MeanCvar => {
                let (mut built, screen) =
                    scenario::min_cvar(&self.scen, &self.cons, self.spec.beta);
                built.program.add_le(
                    self.est
                        .mu
                        .iter()
                        .enumerate()
                        .map(|(i, &m)| (i, -m))
                        .collect(),
                    -target,
                    Family::TargetReturn,
                );
                let sol = solve_scenario(
                    &built,
                    &screen,
                    &self.scen,
                    self.spec.beta,
                    &self.cons,
                    &self.est,
                    hint.as_deref(),
                )?;
                check_status(&built.program, &sol, &self.cons, &self.market.symbols)?;
                weights_of(&built, &sol, n)
            }
        };
        let stats = portfolio_stats(
            &w,
            &self.est.mu,
            &self.est.sigma,
            &self.market.returns,
            self.spec.risk_free,
            self.spec.beta,
        );
        self.points.push(FrontierPoint {
            target_return: target,
            weights: w,
            stats,
        });
        Ok(self.is_done())
    }

    /// Assemble the frontier with its markers (solves the maximum Sharpe portfolio).
    pub fn finish(self) -> Frontier {
        let n = self.market.symbols.len();
        let mut notes = self.notes;
        let assets = (0..n)
            .map(|i| {
                let mut e = vec![0.0; n];
                e[i] = 1.0;
                let s = portfolio_stats(
                    &e,
                    &self.est.mu,
                    &self.est.sigma,
                    &self.market.returns,
                    self.spec.risk_free,
                    self.spec.beta,
                );
                (s.expected_return, s.volatility, s.cvar)
            })
            .collect();
        let current = portfolio_stats(
            &self.market.current,
            &self.est.mu,
            &self.est.sigma,
            &self.market.returns,
            self.spec.risk_free,
            self.spec.beta,
        );
        let max_sharpe = if self.kind == FrontierKind::MeanVariance {
            let mut s = self.spec.clone();
            s.objective = Objective::MaxSharpe;
            let hint = self.points.last().map(|p| p.weights.clone());
            match optimize_with(&self.market, &self.est, &s, hint.as_deref()) {
                Ok(r) => Some(FrontierPoint {
                    target_return: r.stats.expected_return,
                    weights: r.weights,
                    stats: r.stats,
                }),
                Err(e) => {
                    notes.push(format!("no maximum Sharpe portfolio: {e}"));
                    None
                }
            }
        } else {
            None
        };
        Frontier {
            kind: self.kind,
            points: self.points,
            assets,
            current,
            max_sharpe,
            risk_free: self.spec.risk_free,
            notes,
        }
    }
}

/// The whole frontier in one call.
pub fn frontier(
    market: &Market,
    spec: &OptimizeSpec,
    kind: FrontierKind,
    points: usize,
) -> Result<Frontier, OptError> {
    let mut r = FrontierRunner::new(market, spec, kind, points)?;
    while !r.step()? {}
    Ok(r.finish())
}
