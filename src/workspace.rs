//! The workspace (the user's files and settings) and what is computed from it. A new workspace
//! is computed in full before it replaces the old one, so a failure leaves the previous
//! analysis on screen.

use ballast_core::align::Aligned;
use ballast_core::analysis::{Analysis, AnalysisParams};
use ballast_core::correlation_analysis::{
    analyze_correlation, CorrelationAnalysis, CorrelationParams,
};
use ballast_core::dates::DateOrder;
use ballast_core::detect::{classify, FileRole};
use ballast_core::error::BallastError;
use ballast_core::figures::{headline_figures, Figure};
use ballast_core::pipeline::{analyze_loaded, load, InputFile, Loaded, PipelineInput};
use ballast_core::prices::PriceOptions;
use ballast_core::share::{DocFile, ROLE_BENCHMARK, ROLE_HOLDINGS, ROLE_PRICES};
use ballast_core::trading::heat::{heat_map, HeatMap};
use ballast_core::trading::limits::{evaluate, snapshot, Alert, Limits};

/// Everything the user has loaded and chosen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workspace {
    pub prices: Vec<InputFile>,
    pub holdings: Option<InputFile>,
    pub benchmark: Option<InputFile>,
    /// Which benchmark to use.
    pub benchmark_choice: BenchmarkChoice,
    pub options: PriceOptions,
    pub params: AnalysisParams,
    /// Settings of the Correlation page.
    pub correlation: CorrelationParams,
    /// Risk limits (serde; saved with the other settings).
    pub limits: Limits,
    /// True while the built-in sample is shown.
    pub is_sample: bool,
}

impl Workspace {
    /// The data files with their roles in a workspace document (`ballast_core::share`):
    /// the price files, then the holdings, then the benchmark.
    pub fn files_with_roles(&self) -> impl Iterator<Item = (&InputFile, &'static str)> {
        self.prices
            .iter()
            .map(|f| (f, ROLE_PRICES))
            .chain(self.holdings.iter().map(|f| (f, ROLE_HOLDINGS)))
            .chain(self.benchmark.iter().map(|f| (f, ROLE_BENCHMARK)))
    }

    /// The files as a workspace document's files.
    pub fn doc_files(&self) -> Vec<DocFile> {
        self.files_with_roles()
            .map(|(f, role)| DocFile {
                name: f.name.clone(),
                role: role.to_string(),
                bytes: f.bytes.clone(),
            })
            .collect()
    }
}

/// The benchmark: the benchmark file's series, one of the loaded price series (which then
/// leaves the portfolio), or none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BenchmarkChoice {
    #[default]
    File,
    Symbol(String),
    None,
}

impl BenchmarkChoice {
    /// The select's value: `file`, `none` or `sym:SYMBOL`.
    pub fn value(&self) -> String {
        match self {
            BenchmarkChoice::File => "file".into(),
            BenchmarkChoice::None => "none".into(),
            BenchmarkChoice::Symbol(s) => format!("sym:{s}"),
        }
    }
    pub fn from_value(v: &str) -> BenchmarkChoice {
        match v.strip_prefix("sym:") {
            Some(s) => BenchmarkChoice::Symbol(s.to_string()),
            None if v == "none" => BenchmarkChoice::None,
            None => BenchmarkChoice::File,
        }
    }
}

/// What the user asked a file to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Auto,
    Prices,
    Holdings,
    Benchmark,
}

impl Role {
    pub fn from_value(v: &str) -> Role {
        match v {
            "prices" => Role::Prices,
            "holdings" => Role::Holdings,
            "benchmark" => Role::Benchmark,
            _ => Role::Auto,
        }
    }
}

/// A date-order select's value: `dmy`, `mdy`, `auto`; `None` for anything else.
pub fn date_order_from(value: &str) -> Option<DateOrder> {
    match value {
        "dmy" => Some(DateOrder::DayFirst),
        "mdy" => Some(DateOrder::MonthFirst),
        "auto" => Some(DateOrder::Auto),
        _ => None,
    }
}

/// A computed analysis, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub loaded: Loaded,
    pub aligned: Aligned,
    pub analysis: Analysis,
    pub figures: Vec<Figure>,
    /// The correlation structure (or why it could not be computed).
    pub correlation: Result<CorrelationAnalysis, String>,
    /// The risk limits' alerts and the heat map under the workspace's limits.
    pub risk: RiskView,
    /// Increases with every successful analysis.
    pub generation: u64,
}

/// Load, align and analyse a workspace.
pub fn compute(ws: &Workspace, generation: u64) -> Result<Computed, BallastError> {
    let input = PipelineInput {
        prices: &ws.prices,
        holdings: ws.holdings.as_ref(),
        benchmark: match ws.benchmark_choice {
            BenchmarkChoice::File => ws.benchmark.as_ref(),
            _ => None,
        },
        benchmark_symbol: match &ws.benchmark_choice {
            BenchmarkChoice::Symbol(s) => Some(s.as_str()),
            _ => None,
        },
        price_options: ws.options,
        params: ws.params,
    };
    let loaded = load(&input)?;
    let (aligned, analysis) = analyze_loaded(&loaded, &ws.params)?;
    let figures = headline_figures(&analysis, &aligned);
    let correlation = timed_correlation(&aligned, &ws.correlation);
    let risk = risk_view(&aligned, &ws.limits);
    Ok(Computed {
        loaded,
        aligned,
        analysis,
        figures,
        correlation,
        risk,
        generation,
    })
}

/// Re-analyse already-loaded data with new parameters.
pub fn reanalyze(
    prev: &Computed,
    params: &AnalysisParams,
    limits: &Limits,
) -> Result<Computed, BallastError> {
    let (aligned, analysis) = analyze_loaded(&prev.loaded, params)?;
    let figures = headline_figures(&analysis, &aligned);
    // The limits' figures depend on the aligned portfolio only: kept when it did not change.
    let risk = if aligned == prev.aligned && prev.risk.limits == *limits {
        prev.risk.clone()
    } else {
        risk_view(&aligned, limits)
    };
    // The aligned data are the same: the correlation analysis does not change.
    Ok(Computed {
        loaded: prev.loaded.clone(),
        aligned,
        analysis,
        figures,
        correlation: prev.correlation.clone(),
        risk,
        generation: prev.generation + 1,
    })
}

/// The limits' alerts and the heat map of a portfolio (or why they could not be computed),
/// with the time they took.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskView {
    pub limits: Limits,
    pub alerts: Result<Vec<Alert>, String>,
    pub heat: Result<HeatMap, String>,
    /// Milliseconds spent in the core calls.
    pub ms: f64,
}

/// Alerts and heat map of `aligned` under `limits`, timed on `<body data-limits-ms>`.
pub fn risk_view(aligned: &Aligned, limits: &Limits) -> RiskView {
    let t0 = crate::io::now_ms();
    let alerts = snapshot(aligned, limits)
        .map(|s| evaluate(&s, limits))
        .map_err(|e| e.to_string());
    let heat = heat_map(aligned, limits).map_err(|e| e.to_string());
    let ms = crate::io::now_ms() - t0;
    crate::io::record_ms("limitsMs", ms);
    RiskView {
        limits: *limits,
        alerts,
        heat,
        ms,
    }
}

/// Re-evaluate the limits only (the analysis is unchanged).
pub fn relimit(c: &mut Computed, limits: &Limits) {
    c.risk = risk_view(&c.aligned, limits);
}

/// Re-run the correlation analysis only (new estimator, linkage, threshold, pair, windows).
pub fn recorrelate(c: &mut Computed, params: &CorrelationParams) {
    c.correlation = timed_correlation(&c.aligned, params);
}

/// The correlation analysis, timed on `<body data-correlation-ms>` (the timing script reads it).
fn timed_correlation(
    aligned: &Aligned,
    params: &CorrelationParams,
) -> Result<CorrelationAnalysis, String> {
    let t0 = crate::io::now_ms();
    let out = analyze_correlation(aligned, params).map_err(|e| e.to_string());
    crate::io::record_ms("correlationMs", crate::io::now_ms() - t0);
    out
}

impl Computed {
    /// Net portfolio value in currency, when the holdings give quantities or market values
    /// (weight-only holdings have no currency figures).
    pub fn currency_value(&self) -> Option<f64> {
        let weights_only = self.loaded.holdings.as_ref().is_some_and(|h| {
            h.positions
                .iter()
                .all(|p| p.quantity.is_none() && p.market_value.is_none())
        });
        let no_holdings = self.loaded.holdings.is_none();
        (!weights_only && !no_holdings).then_some(self.aligned.total_value)
    }
}

/// The workspace after loading a batch of files: price files replace the price set, a
/// holdings file replaces the holdings (new prices without holdings clear them: equal
/// weight), a benchmark file replaces the benchmark. Returns notes on what happened.
pub fn with_batch(ws: &Workspace, files: Vec<(InputFile, Role)>) -> (Workspace, Vec<String>) {
    let mut prices = Vec::new();
    let mut holdings = None;
    let mut benchmark = None;
    let mut notes = Vec::new();
    for (f, role) in files {
        let role = match role {
            Role::Auto => match classify(&f.name, &f.bytes) {
                FileRole::Prices => Role::Prices,
                FileRole::Holdings => Role::Holdings,
            },
            r => r,
        };
        match role {
            Role::Holdings => {
                if holdings.is_some() {
                    notes.push(format!("several holdings files: {} used", f.name));
                }
                holdings = Some(f);
            }
            Role::Benchmark => benchmark = Some(f),
            _ => prices.push(f),
        }
    }
    let mut next = ws.clone();
    if !prices.is_empty() {
        next.prices = prices;
        if matches!(next.benchmark_choice, BenchmarkChoice::Symbol(_)) {
            next.benchmark_choice = BenchmarkChoice::File;
        }
        next.is_sample = false;
        if holdings.is_none() && next.holdings.is_some() {
            next.holdings = None;
            notes.push("new prices without a holdings file: the portfolio is an equal-weight mix of every series".into());
        }
    }
    if let Some(h) = holdings {
        next.holdings = Some(h);
        next.is_sample = false;
    }
    if let Some(b) = benchmark {
        next.benchmark = Some(b);
        next.benchmark_choice = BenchmarkChoice::File;
    }
    (next, notes)
}
