//! The workspace as one document: every setting the user chose (one serde [`Settings`]) and
//! the data files, as a [`WorkspaceDoc`] — what the local autosave, share links and workspace
//! files carry (`ballast_core::share` encodes it). Restoring a document computes it in full
//! first: only when the analysis succeeds does it replace what is on screen.
//!
//! Settings from another version: a field missing from the document takes its default, a
//! field this version does not know, or cannot read, is left out and named in a note.
//! Values outside what the controls accept are refused with the field's name (a link is
//! untrusted input).

use crate::app::{AppState, Page};
use crate::sizing::{CalcSettings, HedgeSettings, TradeSettings};
use crate::workspace::{compute, BenchmarkChoice, Computed, Workspace};
use ballast_core::analysis::AnalysisParams;
use ballast_core::correlation_analysis::CorrelationParams;
use ballast_core::montecarlo::MAX_PATHS;
use ballast_core::optimize::frontier::{MAX_POINTS, MIN_POINTS};
use ballast_core::optimize::rebalance::RebalanceParams;
use ballast_core::pipeline::InputFile;
use ballast_core::prices::PriceOptions;
use ballast_core::share::{WorkspaceDoc, ROLE_BENCHMARK, ROLE_HOLDINGS, ROLE_PRICES};
use ballast_core::trading::limits::Limits;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every setting of the workspace (not the data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `BenchmarkChoice::value`: `file`, `none` or `sym:SYMBOL`.
    pub benchmark_choice: String,
    pub price_options: PriceOptions,
    pub params: AnalysisParams,
    pub correlation: CorrelationParams,
    pub limits: Limits,
    /// The built-in sample is shown (its files are not stored locally: they ship with the app).
    pub is_sample: bool,
    pub mc_paths: usize,
    pub mc_seed: u64,
    pub perf_log_scale: bool,
    pub optimise: crate::opt::OptSettings,
    pub rebalance: RebalanceParams,
    pub sizing_calc: CalcSettings,
    pub sizing_trade: TradeSettings,
    /// Maintenance margin rate (fraction of gross).
    pub maintenance: f64,
    pub hedge: HedgeSettings,
}

impl Default for Settings {
    fn default() -> Self {
        let mc = crate::mc::McState::default();
        Settings {
            benchmark_choice: BenchmarkChoice::default().value(),
            price_options: PriceOptions::default(),
            params: AnalysisParams::default(),
            correlation: CorrelationParams::default(),
            limits: Limits::default(),
            is_sample: false,
            mc_paths: mc.paths,
            mc_seed: mc.seed,
            perf_log_scale: true,
            optimise: Default::default(),
            rebalance: RebalanceParams::default(),
            sizing_calc: CalcSettings::default(),
            sizing_trade: TradeSettings::default(),
            maintenance: crate::sizing::DEFAULT_MAINTENANCE,
            hedge: HedgeSettings::default(),
        }
    }
}

/// `Some(message)` when `v` is outside `lo..=hi` (or not a number).
fn outside(name: &str, v: f64, lo: f64, hi: f64) -> Option<String> {
    (!(lo..=hi).contains(&v)).then(|| format!("{name} is {v}, outside {lo}–{hi}"))
}

impl Settings {
    /// The settings in force in the app.
    pub fn gather(state: &AppState) -> Settings {
        let ws = state.workspace.get_untracked();
        let (mc_paths, mc_seed) = state.mc.with_untracked(|m| (m.paths, m.seed));
        Settings {
            benchmark_choice: ws.benchmark_choice.value(),
            price_options: ws.options,
            params: ws.params,
            correlation: ws.correlation,
            limits: ws.limits,
            is_sample: ws.is_sample,
            mc_paths,
            mc_seed,
            perf_log_scale: state.perf_log_scale.get_untracked(),
            optimise: state.opt.settings.get_untracked(),
            rebalance: state.opt.rebalance.get_untracked(),
            sizing_calc: state.sizing.calc.get_untracked(),
            sizing_trade: state.sizing.trade.get_untracked(),
            maintenance: state.sizing.maintenance.get_untracked(),
            hedge: state.sizing.hedge.get_untracked(),
        }
    }

    /// Read settings leniently: missing fields take their defaults; unknown or unreadable
    /// fields are left out, each named in the returned notes.
    pub fn from_json(value: &Value) -> (Settings, Vec<String>) {
        let mut notes = Vec::new();
        let Some(given) = value.as_object() else {
            if !value.is_null() {
                notes.push("the settings were not readable: defaults are used".to_string());
            }
            return (Settings::default(), notes);
        };
        let Ok(Value::Object(base)) = serde_json::to_value(Settings::default()) else {
            return (Settings::default(), notes);
        };
        let mut merged: Map<String, Value> = base.clone();
        for (k, v) in given {
            if !base.contains_key(k) {
                notes.push(format!(
                    "the setting “{k}” is not known to this version and was left out"
                ));
                continue;
            }
            // Each field on its own over the defaults: a field that does not read is dropped.
            let mut trial = base.clone();
            trial.insert(k.clone(), v.clone());
            if serde_json::from_value::<Settings>(Value::Object(trial)).is_ok() {
                merged.insert(k.clone(), v.clone());
            } else {
                notes.push(format!(
                    "the setting “{k}” could not be read and takes its default"
                ));
            }
        }
        let settings = serde_json::from_value(Value::Object(merged)).unwrap_or_default();
        (settings, notes)
    }

    /// Refuse values the controls would refuse (a shared link is untrusted input).
    pub fn check(&self) -> Result<(), String> {
        let p = &self.params;
        let c = &self.correlation;
        let b = &c.breakdown;
        let problems: Vec<String> = [
            outside("the VaR confidence", p.confidence, 0.5, 0.9999),
            outside("the VaR horizon", p.horizon as f64, 1.0, 250.0),
            outside("the EWMA λ", p.ewma_lambda, 0.5, 0.9999),
            outside("the risk-free rate", p.risk_free_annual, -0.5, 1.0),
            outside("the rolling window", p.rolling_window as f64, 2.0, 5000.0),
            outside("the backtest window", p.backtest_window as f64, 2.0, 5000.0),
            outside(
                "the number of drawdown episodes",
                p.top_episodes as f64,
                1.0,
                1000.0,
            ),
            outside("the correlation threshold", c.threshold, 0.0, 1.0),
            outside("the pair's window", c.pair_window as f64, 2.0, 5000.0),
            outside("the short window", b.short_window as f64, 2.0, 5000.0),
            outside("the long window", b.long_window as f64, 2.0, 5000.0),
            outside(
                "the Monte Carlo paths",
                self.mc_paths as f64,
                1.0,
                MAX_PATHS as f64,
            ),
            outside(
                "the frontier points",
                self.optimise.frontier_points as f64,
                MIN_POINTS as f64,
                MAX_POINTS as f64,
            ),
            outside("the maintenance margin", self.maintenance, 0.0, 1.0),
            self.limits
                .validate()
                .err()
                .map(|e| format!("the limits: {e}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("its settings are invalid: {}", problems.join("; ")))
        }
    }
}

/// The workspace as a document: settings, page and (unless `with_files` is false) the files.
pub fn doc_of(state: &AppState, with_files: bool) -> WorkspaceDoc {
    let files = if with_files {
        state.workspace.with_untracked(Workspace::doc_files)
    } else {
        Vec::new()
    };
    WorkspaceDoc {
        files,
        settings: serde_json::to_value(Settings::gather(state)).unwrap_or(Value::Null),
        page: state.page.get_untracked().key().to_string(),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// A document ready to show: the computed workspace and everything to set.
pub struct Restored {
    pub workspace: Workspace,
    pub computed: Computed,
    pub settings: Settings,
    pub page: Page,
    /// What the user should know (settings left out, data kept from the current workspace).
    pub notes: Vec<String>,
    /// The data files all came from the document (not kept from the current workspace).
    pub files_from_doc: bool,
}

/// Build and compute the workspace a document describes. A document without price files
/// (a "settings and holdings only" link) keeps the current workspace's prices and benchmark.
/// Nothing in the app changes here.
pub fn prepare(
    doc: &WorkspaceDoc,
    current: &Workspace,
    generation: u64,
) -> Result<Restored, String> {
    let (settings, mut notes) = Settings::from_json(&doc.settings);
    settings.check()?;
    let mut ws = Workspace {
        benchmark_choice: BenchmarkChoice::from_value(&settings.benchmark_choice),
        options: settings.price_options,
        params: settings.params,
        correlation: settings.correlation,
        limits: settings.limits,
        is_sample: settings.is_sample,
        ..Default::default()
    };
    for f in &doc.files {
        let input = InputFile::new(f.name.clone(), f.bytes.clone());
        match f.role.as_str() {
            ROLE_PRICES => ws.prices.push(input),
            ROLE_HOLDINGS => ws.holdings = Some(input),
            ROLE_BENCHMARK => ws.benchmark = Some(input),
            other => notes.push(format!(
                "a file of unknown kind “{other}” ({}) was left out",
                f.name
            )),
        }
    }
    let files_from_doc = !ws.prices.is_empty();
    if ws.prices.is_empty() {
        if current.prices.is_empty() {
            return Err("it carries no price data and none is loaded here".into());
        }
        ws.prices = current.prices.clone();
        if ws.benchmark.is_none() {
            ws.benchmark = current.benchmark.clone();
        }
        ws.is_sample = false;
        notes.push(format!(
            "it carries settings{} only: your price data ({}) is used",
            if ws.holdings.is_some() {
                " and holdings"
            } else {
                ""
            },
            current
                .prices
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let computed = compute(&ws, generation).map_err(|e| e.to_string())?;
    let page = Page::from_key(&doc.page).unwrap_or(Page::Overview);
    Ok(Restored {
        workspace: ws,
        computed,
        settings,
        page,
        notes,
        files_from_doc,
    })
}

impl AppState {
    /// Show a prepared document: every setting, the analysis and the page.
    pub fn show_restored(&self, r: Restored) {
        let s = r.settings;
        // The Monte Carlo starts on the new analysis with these paths and seed.
        self.mc.update(|m| {
            m.paths = s.mc_paths;
            m.seed = s.mc_seed;
        });
        self.perf_log_scale.set(s.perf_log_scale);
        self.opt.settings.set(s.optimise);
        self.opt.rebalance.set(s.rebalance);
        self.opt.selected.set(None);
        self.sizing.calc.set(s.sizing_calc);
        self.sizing.trade.set(s.sizing_trade);
        self.sizing.maintenance.set(s.maintenance);
        self.sizing.hedge.set(s.hedge);
        self.workspace.set(r.workspace);
        self.computed.set(Some(r.computed));
        self.batch_notes.set(r.notes);
        self.error.set(None);
        self.page.set(r.page);
    }

    /// The next analysis generation.
    pub fn next_generation(&self) -> u64 {
        self.computed
            .with_untracked(|c| c.as_ref().map_or(0, |c| c.generation))
            + 1
    }
}
