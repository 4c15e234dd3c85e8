//! A batch of Monte Carlo VaR runs — every Monte Carlo model at one confidence and horizon,
//! with one seed — reporting progress as it goes. The web worker and the CLI both run it, so
//! they give the same figures for the same inputs.

use crate::montecarlo::{McModel, McParams, McSimulator};
use crate::var_models::{from_monte_carlo, VarEstimate, VarModel};
use serde::{Deserialize, Serialize};

/// What to run. `returns` are passed separately (assets × periods).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McBatch {
    pub models: Vec<McModel>,
    pub paths: usize,
    pub horizon: usize,
    pub seed: u64,
    /// Confidences to report; the first is the one shown, every one gets an estimate.
    pub confidences: Vec<f64>,
    pub weights: Vec<f64>,
}

/// Paths simulated between two progress reports.
pub const CHUNK: usize = 5_000;

/// A model that could not run, as an estimate with the reason in its flag.
pub fn failed_estimate(
    model: McModel,
    confidence: f64,
    horizon: usize,
    why: String,
) -> VarEstimate {
    let vm = VarModel::ALL
        .into_iter()
        .find(|m| m.monte_carlo() == Some(model))
        .unwrap_or(VarModel::McNormal);
    VarEstimate {
        model: vm,
        confidence,
        horizon,
        var: f64::NAN,
        cvar: f64::NAN,
        method: "not simulated".into(),
        flag: Some(format!("the simulation could not run: {why}")),
    }
}

/// Runs a batch chunk by chunk, so a caller (the web worker) can report progress and yield
/// between chunks.
pub struct BatchRunner<'a> {
    returns: &'a [Vec<f64>],
    batch: &'a McBatch,
    model: usize,
    sim: Option<McSimulator>,
    out: Vec<VarEstimate>,
}

impl<'a> BatchRunner<'a> {
    pub fn new(returns: &'a [Vec<f64>], batch: &'a McBatch) -> Self {
        BatchRunner {
            returns,
            batch,
            model: 0,
            sim: None,
            out: Vec::new(),
        }
    }

    /// Paths over all models.
    pub fn total(&self) -> usize {
        self.batch.paths * self.batch.models.len()
    }

    pub fn is_done(&self) -> bool {
        self.model >= self.batch.models.len()
    }

    /// Simulate up to [`CHUNK`] more paths (or set up / finish a model); returns the paths
    /// done so far over all models.
    pub fn step(&mut self) -> usize {
        let Some(model) = self.batch.models.get(self.model).copied() else {
            return self.total();
        };
        let base = self.model * self.batch.paths;
        if self.sim.is_none() {
            let params = McParams {
                model,
                paths: self.batch.paths,
                horizon: self.batch.horizon,
                seed: self.batch.seed,
            };
            match McSimulator::new(self.returns, &self.batch.weights, &params) {
                Ok(sim) => self.sim = Some(sim),
                Err(e) => {
                    let h = self.batch.horizon;
                    self.out.extend(
                        self.batch
                            .confidences
                            .iter()
                            .map(|c| failed_estimate(model, *c, h, e.to_string())),
                    );
                    self.model += 1;
                    return base + self.batch.paths;
                }
            }
        }
        let Some(sim) = self.sim.as_mut() else {
            return base;
        };
        let done = sim.step(CHUNK);
        if done >= sim.total() {
            if let Some(sim) = self.sim.take() {
                let res = sim.finish();
                self.out.extend(
                    self.batch
                        .confidences
                        .iter()
                        .map(|c| from_monte_carlo(&res, *c)),
                );
            }
            self.model += 1;
        }
        base + done
    }

    /// The estimates, model by model, one per confidence.
    pub fn into_estimates(self) -> Vec<VarEstimate> {
        self.out
    }
}

/// Run every model of the batch in turn. `progress(done, total)` is called after each chunk
/// (paths counted over all models). Estimates come model by model, one per confidence.
pub fn run_batch(
    returns: &[Vec<f64>],
    batch: &McBatch,
    mut progress: impl FnMut(usize, usize),
) -> Vec<VarEstimate> {
    let mut runner = BatchRunner::new(returns, batch);
    let total = runner.total();
    while !runner.is_done() {
        let done = runner.step();
        progress(done, total);
    }
    runner.into_estimates()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_reports_progress_and_keeps_going_after_a_failed_model() {
        let a: Vec<f64> = (0..300)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 3000.0)
            .collect();
        // The second asset duplicates the first: normal and Student-t cannot factor the
        // covariance, the bootstrap still runs.
        let returns = vec![a.clone(), a];
        let batch = McBatch {
            models: McModel::ALL.to_vec(),
            paths: 12_000,
            horizon: 2,
            seed: 7,
            confidences: vec![0.95, 0.99],
            weights: vec![0.5, 0.5],
        };
        let mut seen = Vec::new();
        let est = run_batch(&returns, &batch, |d, t| seen.push((d, t)));
        assert_eq!(est.len(), 6);
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
        assert_eq!(seen.last().copied(), Some((36_000, 36_000)));
        assert!(est[0].flag.is_some() && est[2].flag.is_some());
        assert!(est[4].flag.is_none() && est[4].var > 0.0 && est[5].var >= est[4].var);
    }
}
