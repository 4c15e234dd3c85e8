//! The Monte Carlo run on the Risk page: a web worker (`src/bin/worker.rs`) simulates every
//! Monte Carlo model off the main thread, reports progress, and can be cancelled
//! (`Worker::terminate`). A new analysis (new data or parameters) cancels the running job and
//! starts a fresh one, so the figures shown always belong to the current analysis.

use crate::app::AppState;
use crate::risk_page::{conf_label, horizon_label};
use crate::worker_job::{self, Job, WorkerEvent};
use ballast_core::mc_batch::McBatch;
use ballast_core::montecarlo::{McModel, MAX_PATHS};
use ballast_core::var_models::VarEstimate;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// Paths per model by default (the CLI's default too).
pub const DEFAULT_PATHS: usize = 100_000;
/// Seed by default (the CLI's default too).
pub const DEFAULT_SEED: u64 = 42;

#[derive(Debug, Clone, PartialEq)]
pub enum McPhase {
    Idle,
    Running,
    Done,
    Cancelled,
    Failed(String),
}

/// What the page shows about the Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct McState {
    pub phase: McPhase,
    pub done: usize,
    pub total: usize,
    /// Estimates of the last finished run (for `for_generation`).
    pub estimates: Vec<VarEstimate>,
    pub for_generation: u64,
    /// The analysis the last run was started for (started automatically at most once).
    pub attempted_for: u64,
    pub paths: usize,
    pub seed: u64,
    pub started_ms: f64,
    pub elapsed_ms: Option<f64>,
}

impl Default for McState {
    fn default() -> Self {
        McState {
            phase: McPhase::Idle,
            done: 0,
            total: 0,
            estimates: Vec::new(),
            for_generation: 0,
            attempted_for: 0,
            paths: DEFAULT_PATHS,
            seed: DEFAULT_SEED,
            started_ms: 0.0,
            elapsed_ms: None,
        }
    }
}

use crate::io::now_ms;

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
}

/// Cancel the running job, if any.
pub fn cancel(state: AppState) {
    let had = JOB.with(|j| j.borrow_mut().take().is_some());
    if had {
        state.mc.update(|m| {
            if m.phase == McPhase::Running {
                m.phase = McPhase::Cancelled;
            }
        });
    }
}

/// Start a run for the current analysis (cancelling any running one).
pub fn start(state: AppState) {
    JOB.with(|j| j.borrow_mut().take());
    let Some((batch, flat, generation)) = state.computed.with_untracked(|c| {
        c.as_ref().map(|c| {
            let p = &c.analysis.params;
            let (paths, seed) = state.mc.with_untracked(|m| (m.paths, m.seed));
            let batch = McBatch {
                models: McModel::ALL.to_vec(),
                paths,
                horizon: p.horizon.max(1),
                seed,
                confidences: vec![p.confidence],
                weights: c.aligned.weights.clone(),
            };
            let flat: Vec<f64> = c.aligned.returns.iter().flatten().copied().collect();
            (batch, flat, c.generation)
        })
    }) else {
        return;
    };
    state.mc.update(|m| {
        m.attempted_for = generation;
        m.phase = McPhase::Running;
        m.done = 0;
        m.total = batch.paths * batch.models.len();
        m.started_ms = now_ms();
        m.elapsed_ms = None;
    });
    match spawn(state, batch, flat, generation) {
        Ok(job) => JOB.with(|j| *j.borrow_mut() = Some(job)),
        Err(e) => state
            .mc
            .update(|m| m.phase = McPhase::Failed(format!("the worker could not start: {e:?}"))),
    }
}

fn spawn(state: AppState, batch: McBatch, flat: Vec<f64>, generation: u64) -> Result<Job, JsValue> {
    let params = serde_json::to_string(&batch).map_err(|e| JsValue::from_str(&e.to_string()))?;
    worker_job::spawn("mc", params, flat, move |event| match event {
        WorkerEvent::Progress { done, total } => state.mc.update(|m| {
            m.done = done;
            m.total = total;
        }),
        WorkerEvent::Result { json, .. } => match serde_json::from_str::<Vec<VarEstimate>>(&json) {
            Ok(estimates) => state.mc.update(|m| {
                m.estimates = estimates;
                m.for_generation = generation;
                m.phase = McPhase::Done;
                m.done = m.total;
                m.elapsed_ms = Some(now_ms() - m.started_ms);
            }),
            Err(e) => state
                .mc
                .update(|m| m.phase = McPhase::Failed(format!("unreadable result: {e}"))),
        },
        WorkerEvent::OptError { message, .. } | WorkerEvent::Error(message) => {
            state.mc.update(|m| m.phase = McPhase::Failed(message))
        }
    })
}

/// Start a run whenever a new analysis appears (and drop stale estimates).
pub fn auto_run(state: AppState) {
    Effect::new(move |prev: Option<u64>| {
        let generation = state
            .computed
            .with(|c| c.as_ref().map_or(0, |c| c.generation));
        if generation != 0 && Some(generation) != prev {
            state.mc.update(|m| m.estimates.clear());
            start(state);
        }
        generation
    });
}

/// Progress, cancel/run buttons, paths and seed.
#[component]
pub fn McPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = move || {
        state.mc.with(|m| {
            let pct = if m.total > 0 {
                100.0 * m.done as f64 / m.total as f64
            } else {
                0.0
            };
            match &m.phase {
                McPhase::Idle => "Monte Carlo: not run for this analysis yet (it starts when this page is shown, or press Run).".to_string(),
                McPhase::Running => format!(
                    "Monte Carlo running in the background: {pct:.0}% of {} paths…",
                    m.total
                ),
                McPhase::Done => format!(
                    "Monte Carlo: {} paths per model, seed {}, finished in {:.2} s.",
                    m.paths,
                    m.seed,
                    m.elapsed_ms.unwrap_or(0.0) / 1000.0
                ),
                McPhase::Cancelled => {
                    "Monte Carlo cancelled: press Run to simulate again.".to_string()
                }
                McPhase::Failed(e) => format!("Monte Carlo failed: {e}"),
            }
        })
    };
    let running = move || state.mc.with(|m| m.phase == McPhase::Running);
    let phase_key = move || {
        state.mc.with(|m| match m.phase {
            McPhase::Idle => "idle",
            McPhase::Running => "running",
            McPhase::Done => "done",
            McPhase::Cancelled => "cancelled",
            McPhase::Failed(_) => "failed",
        })
    };
    let settings = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let p = &c.analysis.params;
                format!("{} over {} · multivariate normal, multivariate Student-t (fitted ν) and bootstrap of historical days · paths simulated day by day, rebalanced to today's weights", conf_label(p.confidence), horizon_label(p.horizon))
            })
        })
    };
    view! {
        <div class="mc" data-testid="mc-panel" data-phase=phase_key
            data-elapsed-ms=move || state.mc.with(|m| m.elapsed_ms.map(|t| format!("{t:.1}")).unwrap_or_default())>
            <div class="row">
                <progress data-testid="mc-progress" max="1" prop:value=move || state.mc.with(|m| if m.total > 0 { m.done as f64 / m.total as f64 } else { 0.0 })></progress>
                <span data-testid="mc-status">{status}</span>
            </div>
            <p class="hint">{settings}</p>
            <div class="row">
                <label>"Paths per model "
                    <input type="number" min="1000" max=MAX_PATHS.to_string() step="1000" data-testid="mc-paths"
                        prop:value=move || state.mc.with(|m| m.paths.to_string())
                        on:change=move |ev| {
                            match event_target_value(&ev).trim().parse::<usize>() {
                                Ok(n) if (1000..=MAX_PATHS).contains(&n) => state.mc.update(|m| m.paths = n),
                                _ => {
                                    let input: web_sys::HtmlInputElement = event_target(&ev);
                                    input.set_value(&state.mc.with_untracked(|m| m.paths.to_string()));
                                    state.fail(format!("Paths per model must be a whole number from 1,000 to {MAX_PATHS}. The previous value is kept."));
                                }
                            }
                        } />
                </label>
                <label>"Seed "
                    <input type="number" min="0" step="1" data-testid="mc-seed"
                        prop:value=move || state.mc.with(|m| m.seed.to_string())
                        on:change=move |ev| {
                            match event_target_value(&ev).trim().parse::<u64>() {
                                Ok(s) => state.mc.update(|m| m.seed = s),
                                Err(_) => {
                                    let input: web_sys::HtmlInputElement = event_target(&ev);
                                    input.set_value(&state.mc.with_untracked(|m| m.seed.to_string()));
                                    state.fail("The seed must be a whole number (0 or more). The previous value is kept.".into());
                                }
                            }
                        } />
                </label>
                <button data-testid="mc-run" on:click=move |_| start(state)>"Run Monte Carlo"</button>
                <button data-testid="mc-cancel" disabled=move || !running() on:click=move |_| cancel(state)>"Cancel"</button>
            </div>
        </div>
    }
}
