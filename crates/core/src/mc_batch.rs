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

/// Run every model of the batch in turn. `progress(done, total)` is called after each chunk
/// (paths counted over all models). Estimates come model by model, one per confidence.
pub fn run_batch(
    returns: &[Vec<f64>],
    batch: &McBatch,
    mut progress: impl FnMut(usize, usize),
) -> Vec<VarEstimate> {
    let total = batch.paths * batch.models.len();
    let mut out = Vec::new();
    for (k, model) in batch.models.iter().enumerate() {
        let params = McParams {
            model: *model,
            paths: batch.paths,
            horizon: batch.horizon,
            seed: batch.seed,
        };
        match McSimulator::new(returns, &batch.weights, &params) {
            Ok(mut sim) => {
                while sim.done() < sim.total() {
                    let done = sim.step(CHUNK);
                    progress(k * batch.paths + done, total);
                }
                let res = sim.finish();
                out.extend(batch.confidences.iter().map(|c| from_monte_carlo(&res, *c)));
            }
            Err(e) => {
                progress((k + 1) * batch.paths, total);
                out.extend(
                    batch
                        .confidences
                        .iter()
                        .map(|c| failed_estimate(*model, *c, batch.horizon, e.to_string())),
                );
            }
        }
    }
    out
}
