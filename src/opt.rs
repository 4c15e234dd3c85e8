//! The Optimise page's state and its background jobs. The user's choices
//! ([`OptSettings`]) become a `ballast_core::optimize::OptimizeSpec`; the optimisation and the
//! efficient frontier run in the web worker (`src/bin/worker.rs`, jobs `"optimize"` and
//! `"frontier"`), each cancellable by terminating its worker. A job is keyed by its spec (as
//! JSON) and the analysis generation, so results always say whether they belong to what is on
//! screen; a failure keeps the previous results (marked stale) and the fallback weights.

use crate::app::AppState;
use crate::io::now_ms;
use crate::worker_job::{Job, WorkerEvent};
use ballast_core::clustering::Linkage;
use ballast_core::estimators::CovEstimator;
use ballast_core::optimize::expected_returns::ReturnModel;
use ballast_core::optimize::frontier::{Frontier, FrontierKind, DEFAULT_POINTS};
use ballast_core::optimize::rebalance::RebalanceParams;
use ballast_core::optimize::stats::PortfolioStats;
use ballast_core::optimize::{
    sector_groups, AssetBound, Constraints, GroupLimit, Market, Objective, OptResult, OptimizeSpec,
};
use leptos::prelude::*;
use std::cell::RefCell;

/// Everything the user chose on the Optimise page (kept while the page is closed; saved with
/// the workspace: a field missing from an older save takes its default).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OptSettings {
    /// `Objective::key`.
    pub objective: String,
    /// Annual fractions.
    pub target_return: f64,
    pub target_volatility: f64,
    pub risk_aversion: f64,
    /// Risk budgets by symbol (missing: 1, i.e. equal).
    pub budgets: Vec<(String, f64)>,
    pub linkage: Linkage,
    /// `ReturnModel::key`.
    pub returns: String,
    pub ewma_span: f64,
    pub compounding: bool,
    /// The user's own annual expected returns by symbol.
    pub user_mu: Vec<(String, f64)>,
    /// `None`: the Correlation page's estimator.
    pub covariance: Option<CovEstimator>,
    /// Annual fraction; `None`: the analysis parameters' risk-free rate.
    pub risk_free: Option<f64>,
    /// CVaR/CDaR confidence β.
    pub beta: f64,
    /// Bounds, leverage, turnover, L2; the sector limits by sector name (members are filled
    /// in from the holdings when the spec is built).
    pub constraints: Constraints,
    pub frontier_kind: FrontierKind,
    pub frontier_points: usize,
}

impl Default for OptSettings {
    fn default() -> Self {
        let spec = OptimizeSpec::default();
        OptSettings {
            objective: spec.objective.key().into(),
            target_return: 0.10,
            target_volatility: 0.20,
            risk_aversion: 1.0,
            budgets: Vec::new(),
            linkage: Linkage::Single,
            returns: spec.expected_returns.key().into(),
            ewma_span: ReturnModel::DEFAULT_EWMA_SPAN,
            compounding: false,
            user_mu: Vec::new(),
            covariance: None,
            risk_free: None,
            beta: spec.beta,
            constraints: Constraints::default(),
            frontier_kind: FrontierKind::MeanVariance,
            frontier_points: DEFAULT_POINTS,
        }
    }
}

/// The value stored for `symbol` in a per-asset list.
pub fn lookup(list: &[(String, f64)], symbol: &str) -> Option<f64> {
    list.iter().find(|(s, _)| s == symbol).map(|(_, v)| *v)
}

/// Set `symbol`'s value in a per-asset list.
pub fn store(list: &mut Vec<(String, f64)>, symbol: &str, value: f64) {
    match list.iter_mut().find(|(s, _)| s == symbol) {
        Some(e) => e.1 = value,
        None => list.push((symbol.to_string(), value)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl Phase {
    pub fn key(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Running => "running",
            Phase::Done => "done",
            Phase::Failed => "failed",
            Phase::Cancelled => "cancelled",
        }
    }
}

/// The optimisation job and its last answers.
#[derive(Debug, Clone, PartialEq)]
pub struct RunState {
    pub phase: Phase,
    /// Key of the last job started.
    pub started_key: String,
    /// The last successful result and the key it belongs to.
    pub result: Option<OptResult>,
    /// The assets of `result` (results of other data are not shown).
    pub result_symbols: Vec<String>,
    /// Today's weights under the same estimates as `result`.
    pub today: Option<PortfolioStats>,
    pub result_key: String,
    /// The message of the last failure (for `started_key`).
    pub error: Option<String>,
    /// Fallback weights offered with the failure, and today's figures under its estimates.
    pub fallback: Option<OptResult>,
    pub fallback_today: Option<PortfolioStats>,
    pub fallback_symbols: Vec<String>,
    /// The user chose to look at the fallback weights.
    pub show_fallback: bool,
    pub started_ms: f64,
    /// Time in the worker and the round trip (worker start included), milliseconds.
    pub worker_ms: Option<f64>,
    pub round_ms: Option<f64>,
    /// Jobs finished (answer or failure; the browser tests wait on it).
    pub completed: u32,
}

impl Default for RunState {
    fn default() -> Self {
        RunState {
            phase: Phase::Idle,
            started_key: String::new(),
            result: None,
            result_symbols: Vec::new(),
            today: None,
            result_key: String::new(),
            error: None,
            fallback: None,
            fallback_today: None,
            fallback_symbols: Vec::new(),
            show_fallback: false,
            started_ms: 0.0,
            worker_ms: None,
            round_ms: None,
            completed: 0,
        }
    }
}

/// The frontier job and its last answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierState {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
    pub started_key: String,
    pub frontier: Option<Frontier>,
    /// The assets of `frontier`.
    pub symbols: Vec<String>,
    pub frontier_key: String,
    pub error: Option<String>,
    pub started_ms: f64,
    pub worker_ms: Option<f64>,
    pub round_ms: Option<f64>,
    pub completed: u32,
}

impl Default for FrontierState {
    fn default() -> Self {
        FrontierState {
            phase: Phase::Idle,
            done: 0,
            total: 0,
            started_key: String::new(),
            frontier: None,
            symbols: Vec::new(),
            frontier_key: String::new(),
            error: None,
            started_ms: 0.0,
            worker_ms: None,
            round_ms: None,
            completed: 0,
        }
    }
}

/// The Optimise page's signals (in the application state).
#[derive(Clone, Copy)]
pub struct OptSignals {
    pub settings: RwSignal<OptSettings>,
    pub run: RwSignal<RunState>,
    pub frontier: RwSignal<FrontierState>,
    /// The frontier point chosen as the target (index into the frontier's points).
    pub selected: RwSignal<Option<usize>>,
    pub rebalance: RwSignal<RebalanceParams>,
}

impl OptSignals {
    pub fn new() -> Self {
        OptSignals {
            settings: RwSignal::new(OptSettings::default()),
            run: RwSignal::new(RunState::default()),
            frontier: RwSignal::new(FrontierState::default()),
            selected: RwSignal::new(None),
            rebalance: RwSignal::new(RebalanceParams::default()),
        }
    }
}

/// A job ready to send: the spec, its key, and the market.
pub struct JobInput {
    pub spec: OptimizeSpec,
    pub key: String,
}

/// The objective of the settings.
pub fn objective_of(s: &OptSettings, symbols: &[String]) -> Objective {
    let budgets = symbols
        .iter()
        .map(|sym| lookup(&s.budgets, sym).unwrap_or(1.0))
        .collect();
    let param = match s.objective.as_str() {
        "efficient_return" => Some(s.target_return),
        "efficient_risk" => Some(s.target_volatility),
        "max_utility" => Some(s.risk_aversion),
        _ => None,
    };
    match Objective::from_key(&s.objective, param, Some(budgets)) {
        Some(Objective::Hrp { .. }) => Objective::Hrp { linkage: s.linkage },
        Some(o) => o,
        None => Objective::MaxSharpe,
    }
}

/// The expected-returns model of the settings (user values in the assets' order; an asset
/// without one gets 0).
pub fn return_model_of(s: &OptSettings, symbols: &[String]) -> ReturnModel {
    match s.returns.as_str() {
        "geometric" => ReturnModel::Geometric,
        "ewma" => ReturnModel::Ewma {
            span: s.ewma_span,
            compounding: s.compounding,
        },
        "capm" => ReturnModel::Capm {
            compounding: s.compounding,
        },
        "user" => ReturnModel::User {
            values: symbols
                .iter()
                .map(|sym| lookup(&s.user_mu, sym).unwrap_or(0.0))
                .collect(),
        },
        _ => ReturnModel::Arithmetic,
    }
}

/// The sector rows of the current holdings with the user's floors and caps.
pub fn sector_rows(state: AppState) -> Vec<GroupLimit> {
    let limits = state.opt.settings.with(|s| s.constraints.groups.clone());
    state.computed.with(|c| {
        c.as_ref().map_or_else(Vec::new, |c| {
            sector_groups(&c.aligned)
                .into_iter()
                .map(|mut g| {
                    if let Some(l) = limits.iter().find(|l| l.name == g.name) {
                        g.min = l.min;
                        g.max = l.max;
                    }
                    g
                })
                .collect()
        })
    })
}

/// The spec the settings describe for the current data (tracks the settings, the data, the
/// Correlation page's estimator and the risk-free rate).
pub fn current_spec(state: AppState) -> Option<JobInput> {
    let generation = state.computed.with(|c| c.as_ref().map(|c| c.generation))?;
    let symbols = state
        .computed
        .with(|c| c.as_ref().map(|c| c.aligned.symbols.clone()))?;
    let groups: Vec<GroupLimit> = sector_rows(state)
        .into_iter()
        .filter(|g| g.min.is_some() || g.max.is_some())
        .collect();
    let (corr_estimator, rf_params) = state
        .workspace
        .with(|w| (w.correlation.estimator, w.params.risk_free_annual));
    let spec = state.opt.settings.with(|s| {
        let mut constraints = s.constraints.clone();
        constraints.groups = groups;
        constraints
            .bounds
            .retain(|b| symbols.contains(&b.symbol) && (b.min.is_some() || b.max.is_some()));
        OptimizeSpec {
            objective: objective_of(s, &symbols),
            expected_returns: return_model_of(s, &symbols),
            covariance: s.covariance.unwrap_or(corr_estimator),
            constraints,
            risk_free: s.risk_free.unwrap_or(rf_params),
            beta: s.beta,
        }
    });
    let json = serde_json::to_string(&spec).ok()?;
    Some(JobInput {
        spec,
        key: format!("{generation}:{json}"),
    })
}

/// The frontier's inputs: the spec without its objective (the frontier does not depend on
/// it), the kind and the number of points.
pub fn frontier_input(state: AppState) -> Option<(JobInput, FrontierKind, usize)> {
    let mut input = current_spec(state)?;
    input.spec.objective = Objective::MinVariance;
    let (kind, points) = state
        .opt
        .settings
        .with(|s| (s.frontier_kind, s.frontier_points));
    let generation = input.key.split(':').next().unwrap_or("0").to_string();
    let json = serde_json::to_string(&input.spec).ok()?;
    input.key = format!("{generation}:{}:{points}:{json}", kind.key());
    Some((input, kind, points))
}

/// The market of the current analysis (held assets, today's weights, benchmark).
pub fn market(state: AppState) -> Option<Market> {
    state
        .computed
        .with_untracked(|c| c.as_ref().map(|c| Market::from_aligned(&c.aligned)))
}

/// The worker message for `spec` on `market`: parameters (JSON) and the returns, asset by
/// asset, then the benchmark's.
fn message(
    market: &Market,
    spec: &OptimizeSpec,
    extra: &[(&str, serde_json::Value)],
) -> Option<(String, Vec<f64>)> {
    let mut params = serde_json::json!({
        "spec": spec,
        "symbols": market.symbols,
        "periods_per_year": market.periods_per_year,
        "current": market.current,
        "has_benchmark": market.benchmark.is_some(),
    });
    for (k, v) in extra {
        params[*k] = v.clone();
    }
    let mut flat: Vec<f64> = market.returns.iter().flatten().copied().collect();
    if let Some(b) = &market.benchmark {
        flat.extend_from_slice(b);
    }
    Some((serde_json::to_string(&params).ok()?, flat))
}

thread_local! {
    static OPT_JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    static FRONTIER_JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
}

/// Give `job` to the worker in `slot`: an idle worker is reused, a busy one is terminated
/// (its job is abandoned) and a new one started.
fn run_in(
    slot: &'static std::thread::LocalKey<RefCell<Option<Job>>>,
    job: &'static str,
    params: String,
    data: Vec<f64>,
    on_event: impl Fn(WorkerEvent) + 'static,
) -> Result<(), wasm_bindgen::JsValue> {
    slot.with(|j| {
        let mut j = j.borrow_mut();
        if j.as_ref().is_some_and(Job::is_busy) {
            *j = None;
        }
        let worker = match j.take() {
            Some(w) => w,
            None => Job::new()?,
        };
        worker.run(job, params, data, on_event)?;
        *j = Some(worker);
        Ok(())
    })
}

/// Start the optimisation for the current settings (cancelling a running one).
pub fn start_optimize(state: AppState) {
    let run = state.opt.run;
    let Some(input) = current_spec(state) else {
        return;
    };
    let Some(market) = market(state) else { return };
    let key = input.key.clone();
    run.update(|r| {
        r.phase = Phase::Running;
        r.started_key = key.clone();
        r.error = None;
        r.fallback = None;
        r.fallback_today = None;
        r.show_fallback = false;
        r.started_ms = now_ms();
    });
    let Some((params, flat)) = message(&market, &input.spec, &[]) else {
        return;
    };
    let symbols = market.symbols.clone();
    let job = run_in(&OPT_JOB, "optimize", params, flat, move |event| {
        // Only the job for the latest settings may write (a cancelled one is terminated).
        if run.with_untracked(|r| r.started_key != key) {
            return;
        }
        match event {
            WorkerEvent::Progress { .. } => {}
            WorkerEvent::Result { json, ms } => match parse_answer(&json) {
                Ok((result, today)) => run.update(|r| {
                    record_times("optimize", r.started_ms, ms);
                    r.phase = Phase::Done;
                    r.result = Some(result);
                    r.result_symbols = symbols.clone();
                    r.today = Some(today);
                    r.result_key = key.clone();
                    r.worker_ms = ms;
                    r.round_ms = Some(now_ms() - r.started_ms);
                    r.completed += 1;
                }),
                Err(e) => fail_run(run, format!("unreadable result: {e}")),
            },
            WorkerEvent::OptError {
                message,
                fallback,
                current,
                ms,
            } => run.update(|r| {
                r.fallback_today = current.and_then(|c| serde_json::from_str(&c).ok());
                record_times("optimize", r.started_ms, ms);
                r.phase = Phase::Failed;
                r.error = Some(message);
                r.fallback = fallback.and_then(|f| serde_json::from_str(&f).ok());
                r.fallback_symbols = symbols.clone();
                r.worker_ms = ms;
                r.round_ms = Some(now_ms() - r.started_ms);
                r.completed += 1;
            }),
            WorkerEvent::Error(message) => fail_run(run, message),
        }
    });
    if let Err(e) = job {
        fail_run(run, format!("the worker could not start: {e:?}"));
    }
}

/// Record a job's round trip and worker time on `<body data-<job>-ms>` and
/// `data-<job>-worker-ms` (the timing script and the browser tests read them).
fn record_times(job: &str, started_ms: f64, worker_ms: Option<f64>) {
    crate::io::record_ms(&format!("{job}Ms"), now_ms() - started_ms);
    if let Some(ms) = worker_ms {
        crate::io::record_ms(&format!("{job}WorkerMs"), ms);
    }
}

/// The worker's `{result, current}`.
fn parse_answer(json: &str) -> Result<(OptResult, PortfolioStats), String> {
    let mut v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let result = serde_json::from_value(v["result"].take()).map_err(|e| e.to_string())?;
    let today = serde_json::from_value(v["current"].take()).map_err(|e| e.to_string())?;
    Ok((result, today))
}

fn fail_run(run: RwSignal<RunState>, message: String) {
    run.update(|r| {
        r.phase = Phase::Failed;
        r.error = Some(message);
        r.completed += 1;
    });
}

/// Cancel the running optimisation.
pub fn cancel_optimize(state: AppState) {
    if OPT_JOB.with(|j| j.borrow_mut().take().is_some()) {
        state.opt.run.update(|r| {
            if r.phase == Phase::Running {
                r.phase = Phase::Cancelled;
            }
        });
    }
}

/// Start the frontier for the current settings (cancelling a running one).
pub fn start_frontier(state: AppState) {
    let fr = state.opt.frontier;
    let Some((input, kind, points)) = frontier_input(state) else {
        return;
    };
    let Some(market) = market(state) else { return };
    let key = input.key.clone();
    fr.update(|f| {
        f.phase = Phase::Running;
        f.started_key = key.clone();
        f.done = 0;
        f.total = points;
        f.error = None;
        f.started_ms = now_ms();
    });
    let extra = [
        ("kind", serde_json::Value::from(kind.key())),
        ("points", serde_json::Value::from(points)),
    ];
    let Some((params, flat)) = message(&market, &input.spec, &extra) else {
        return;
    };
    let selected = state.opt.selected;
    let symbols = market.symbols.clone();
    let job = run_in(&FRONTIER_JOB, "frontier", params, flat, move |event| {
        if fr.with_untracked(|f| f.started_key != key) {
            return;
        }
        match event {
            WorkerEvent::Progress { done, total } => fr.update(|f| {
                f.done = done;
                f.total = total;
            }),
            WorkerEvent::Result { json, ms } => match serde_json::from_str::<Frontier>(&json) {
                Ok(frontier) => {
                    selected.set(None);
                    fr.update(|f| {
                        record_times("frontier", f.started_ms, ms);
                        f.phase = Phase::Done;
                        f.done = frontier.points.len();
                        f.total = frontier.points.len();
                        f.frontier = Some(frontier);
                        f.symbols = symbols.clone();
                        f.frontier_key = key.clone();
                        f.worker_ms = ms;
                        f.round_ms = Some(now_ms() - f.started_ms);
                        f.completed += 1;
                    });
                }
                Err(e) => fail_frontier(fr, format!("unreadable frontier: {e}")),
            },
            WorkerEvent::OptError { message, .. } | WorkerEvent::Error(message) => {
                fail_frontier(fr, message)
            }
        }
    });
    if let Err(e) = job {
        fail_frontier(fr, format!("the worker could not start: {e:?}"));
    }
}

fn fail_frontier(fr: RwSignal<FrontierState>, message: String) {
    fr.update(|f| {
        f.phase = Phase::Failed;
        f.error = Some(message);
        f.completed += 1;
    });
}

/// Cancel the running frontier.
pub fn cancel_frontier(state: AppState) {
    if FRONTIER_JOB.with(|j| j.borrow_mut().take().is_some()) {
        state.opt.frontier.update(|f| {
            if f.phase == Phase::Running {
                f.phase = Phase::Cancelled;
            }
        });
    }
}

/// While the page is shown: run the optimisation and the frontier whenever their inputs
/// differ from the last job started (a cancelled frontier waits for Run).
pub fn auto_run(state: AppState, page_shown: impl Fn() -> bool + 'static) {
    Effect::new(move |_| {
        if !page_shown() {
            return;
        }
        if let Some(input) = current_spec(state) {
            if state.opt.run.with_untracked(|r| r.started_key != input.key) {
                start_optimize(state);
            }
        }
        if let Some((input, _, _)) = frontier_input(state) {
            if state
                .opt
                .frontier
                .with_untracked(|f| f.started_key != input.key)
            {
                start_frontier(state);
            }
        }
    });
}

/// A per-asset bound of the settings.
pub fn bound_of(s: &OptSettings, symbol: &str) -> Option<AssetBound> {
    s.constraints
        .bounds
        .iter()
        .find(|b| b.symbol == symbol)
        .cloned()
}
