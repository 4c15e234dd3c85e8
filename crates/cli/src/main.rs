//! `ballast`: the command-line tool over `ballast-core`. See `docs/cli.md`.

mod check_cmd;
mod optimize;
mod output;
mod rebalance_cmd;
mod report_cmd;
mod size_cmd;
mod trade_data;

use ballast_core::align::{align, Aligned};
use ballast_core::analysis::AnalysisParams;
use ballast_core::clustering::Linkage;
use ballast_core::correlation_analysis::{analyze_correlation, CorrelationParams};
use ballast_core::dates::DateOrder;
use ballast_core::estimators::CovEstimator;
use ballast_core::pipeline::{load, run, InputFile, PipelineInput};
use ballast_core::prices::{PriceField, PriceLayout, PriceOptions};
use ballast_core::suite::CagrConvention;
use ballast_core::var_models::VarModel;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "ballast",
    version,
    about = "Portfolio risk analytics from CSV files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse a portfolio: headline risk and performance figures.
    Analyze(Box<AnalyzeArgs>),
    /// Optimise the portfolio's weights: an objective, estimates and constraints; optionally a
    /// frontier and the trades to get there.
    Optimize(Box<optimize::OptimizeArgs>),
    /// Size a position: shares to trade under a sizing rule and the account's caps.
    Size(Box<size_cmd::SizeArgs>),
    /// Check a proposed trade against the risk limits (exit 3 when rejected), or list the
    /// current alerts with --alerts-only.
    Check(Box<check_cmd::CheckArgs>),
    /// Write a self-contained HTML report of the analysis (charts, tables, parameters,
    /// provenance); optionally an optimisation and the limit alerts.
    Report(Box<report_cmd::ReportArgs>),
}

/// Why a command failed, and its exit status (1: bad input or option; 2: the optimisation
/// failed; the argument parser also exits 2). `check` exits 3 on a rejected trade.
pub(crate) struct Failure {
    pub message: String,
    pub code: u8,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { message, code: 1 }
    }
}

#[derive(clap::Args, Debug)]
struct AnalyzeArgs {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// The analysis parameters shared by `analyze` and `report`.
#[derive(clap::Args, Debug)]
pub(crate) struct AnalysisArgs {
    /// Annual risk-free rate as a fraction (0.02 = 2%).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub(crate) risk_free: f64,
    /// VaR/CVaR confidence level (0.5 < c < 1).
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    pub(crate) confidence: f64,
    /// VaR horizon in periods (1–250; the app offers 1–20 trading days). Historical figures
    /// use overlapping compounded returns, parametric ones scale mean ×h and sd ×√h.
    #[arg(long, default_value_t = 1, value_name = "PERIODS")]
    pub(crate) horizon: usize,
    /// RiskMetrics EWMA decay λ (0 < λ < 1).
    #[arg(long, default_value_t = 0.94, value_name = "LAMBDA")]
    pub(crate) ewma_lambda: f64,
    /// Model decomposed per position and backtested: historical, gaussian, cornish-fisher,
    /// ewma, mc-normal, mc-t or mc-bootstrap.
    #[arg(long, default_value = "historical", value_parser = parse_model, value_name = "MODEL")]
    pub(crate) var_model: VarModel,
    /// Rolling window (periods) for volatility, Sharpe, beta and correlation.
    #[arg(long, default_value_t = 126, value_name = "PERIODS")]
    pub(crate) rolling_window: usize,
    /// Window (periods) of the rolling VaR backtest.
    #[arg(long, default_value_t = 250, value_name = "PERIODS")]
    pub(crate) backtest_window: usize,
    /// Number of drawdown episodes in the table (deepest first).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub(crate) top: usize,
    /// CAGR convention of the headline figure.
    #[arg(long, value_enum, default_value_t = CagrArg::Observations)]
    pub(crate) cagr: CagrArg,
    /// Monte Carlo paths per model (0 skips the Monte Carlo models).
    #[arg(long, default_value_t = DEFAULT_MC_PATHS, value_name = "N")]
    pub(crate) mc_paths: usize,
    /// Seed of the Monte Carlo random stream (same seed, same figures).
    #[arg(long, default_value_t = DEFAULT_MC_SEED, value_name = "SEED")]
    pub(crate) seed: u64,
    #[command(flatten)]
    pub(crate) covariance: CovArgs,
    /// Linkage of the hierarchical clustering: single, average, complete or ward.
    #[arg(long, default_value = "ward", value_parser = parse_linkage, value_name = "LINKAGE")]
    pub(crate) linkage: Linkage,
    /// Correlation threshold of the clusters: assets linked when |ρ| ≥ THRESHOLD.
    #[arg(long, default_value_t = 0.7, value_name = "THRESHOLD")]
    pub(crate) threshold: f64,
}

impl AnalysisArgs {
    /// The pipeline's parameters, their ranges checked.
    pub(crate) fn params(&self) -> Result<AnalysisParams, String> {
        if !(self.confidence > 0.5 && self.confidence < 1.0) {
            return Err(format!(
                "--confidence must be between 0.5 and 1 (exclusive), got {}",
                self.confidence
            ));
        }
        if !(1..=ballast_core::montecarlo::MAX_HORIZON).contains(&self.horizon) {
            return Err(format!(
                "--horizon must be between 1 and {} periods, got {}",
                ballast_core::montecarlo::MAX_HORIZON,
                self.horizon
            ));
        }
        if !(self.ewma_lambda > 0.0 && self.ewma_lambda < 1.0) {
            return Err(format!(
                "--ewma-lambda must be between 0 and 1 (exclusive), got {}",
                self.ewma_lambda
            ));
        }
        if self.rolling_window < 2 || self.backtest_window < 2 {
            return Err("--rolling-window and --backtest-window must be at least 2".into());
        }
        if self.mc_paths > ballast_core::montecarlo::MAX_PATHS {
            return Err(format!(
                "--mc-paths must be at most {}, got {}",
                ballast_core::montecarlo::MAX_PATHS,
                self.mc_paths
            ));
        }
        if !self.risk_free.is_finite() || self.risk_free <= -1.0 {
            return Err(format!(
                "--risk-free must be a fraction above -1, got {}",
                self.risk_free
            ));
        }
        Ok(AnalysisParams {
            risk_free_annual: self.risk_free,
            confidence: self.confidence,
            horizon: self.horizon,
            ewma_lambda: self.ewma_lambda,
            var_model: self.var_model,
            rolling_window: self.rolling_window,
            backtest_window: self.backtest_window,
            top_episodes: self.top,
            cagr_convention: match self.cagr {
                CagrArg::Observations => CagrConvention::Observations,
                CagrArg::Calendar => CagrConvention::Calendar,
            },
        })
    }

    /// `--threshold`, checked.
    pub(crate) fn check_threshold(&self) -> Result<(), String> {
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            return Err(format!(
                "--threshold must be between 0 and 1 (exclusive), got {}",
                self.threshold
            ));
        }
        Ok(())
    }

    /// The correlation analysis' parameters: the threshold, then the estimator, checked.
    pub(crate) fn correlation_params(&self) -> Result<CorrelationParams, String> {
        self.check_threshold()?;
        Ok(CorrelationParams {
            estimator: self.covariance.estimator()?,
            linkage: self.linkage,
            threshold: self.threshold,
            ..Default::default()
        })
    }
}

/// The data inputs shared by every subcommand: price files, holdings, benchmark, layout.
#[derive(clap::Args, Debug)]
pub(crate) struct DataArgs {
    /// Price (or returns) files: wide, long/tidy, Yahoo Finance exports, or a wide returns table.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    prices: Vec<PathBuf>,
    /// Holdings file (symbol plus shares, market value or weight; broker exports recognised).
    /// Without it, the portfolio is an equal-weight mix of every price series.
    #[arg(long, value_name = "FILE")]
    holdings: Option<PathBuf>,
    /// Benchmark price file (its first series unless --benchmark-symbol names another).
    #[arg(long, value_name = "FILE")]
    benchmark: Option<PathBuf>,
    /// Benchmark series: in the --benchmark file, or else one of the --prices series (which
    /// then leaves the portfolio, unless the holdings hold it).
    #[arg(long, value_name = "SYMBOL")]
    benchmark_symbol: Option<String>,
    /// Table layout of the price files.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    layout: LayoutArg,
    /// Use Close instead of Adj Close when a file has both.
    #[arg(long)]
    close: bool,
    /// Day/month order of slash dates when the files cannot tell.
    #[arg(long, value_enum, default_value_t = DateOrderArg::Auto)]
    date_order: DateOrderArg,
}

/// The covariance estimator options shared by `analyze` and `optimize`.
#[derive(clap::Args, Debug)]
pub(crate) struct CovArgs {
    /// Covariance estimator: sample, ledoit-wolf or ewma.
    #[arg(long, value_enum, default_value_t = EstimatorArg::Sample)]
    estimator: EstimatorArg,
    /// Span in periods of the ewma estimator (λ = 1 − 2/(span+1)).
    #[arg(long, default_value_t = 180.0, value_name = "PERIODS")]
    span: f64,
}

impl CovArgs {
    /// The chosen estimator, its span checked.
    pub(crate) fn estimator(&self) -> Result<CovEstimator, String> {
        if !(self.span >= 1.0 && self.span.is_finite()) {
            return Err(format!(
                "--span must be at least 1 period, got {}",
                self.span
            ));
        }
        Ok(match self.estimator {
            EstimatorArg::Sample => CovEstimator::Sample,
            EstimatorArg::LedoitWolf => CovEstimator::LedoitWolf,
            EstimatorArg::Ewma => CovEstimator::Ewma { span: self.span },
        })
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum EstimatorArg {
    Sample,
    LedoitWolf,
    Ewma,
}

/// A `--linkage` value: one of the core's linkage keys.
pub(crate) fn parse_linkage(s: &str) -> Result<Linkage, String> {
    Linkage::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = Linkage::ALL.iter().map(|l| l.key()).collect();
        format!("expected one of {}", keys.join(", "))
    })
}

/// Monte Carlo defaults, the same as the app's.
const DEFAULT_MC_PATHS: usize = 100_000;
const DEFAULT_MC_SEED: u64 = 42;

/// A `--var-model` value: a model key with `-` for `_` (`cornish-fisher`, `mc-t`).
fn parse_model(s: &str) -> Result<VarModel, String> {
    VarModel::from_key(&s.replace('-', "_")).ok_or_else(|| {
        let keys: Vec<String> = VarModel::ALL
            .iter()
            .map(|m| m.key().replace('_', "-"))
            .collect();
        format!("expected one of {}", keys.join(", "))
    })
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CagrArg {
    /// (1+R)^(P/N) − 1 (QuantStats, empyrical)
    Observations,
    /// years = calendar days / 365.25 (ffn)
    Calendar,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LayoutArg {
    Auto,
    Wide,
    Long,
    Yahoo,
    Returns,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DateOrderArg {
    Auto,
    /// day/month/year
    Dmy,
    /// month/day/year
    Mdy,
}

/// The files of [`DataArgs`], read.
pub(crate) struct DataFiles {
    prices: Vec<InputFile>,
    holdings: Option<InputFile>,
    benchmark: Option<InputFile>,
}

impl DataArgs {
    /// Read every file (a missing file is named).
    pub(crate) fn read(&self) -> Result<DataFiles, String> {
        Ok(DataFiles {
            prices: self
                .prices
                .iter()
                .map(|p| read(p))
                .collect::<Result<Vec<_>, _>>()?,
            holdings: self.holdings.as_deref().map(read).transpose()?,
            benchmark: self.benchmark.as_deref().map(read).transpose()?,
        })
    }

    fn price_options(&self) -> PriceOptions {
        PriceOptions {
            layout: match self.layout {
                LayoutArg::Auto => PriceLayout::Auto,
                LayoutArg::Wide => PriceLayout::Wide,
                LayoutArg::Long => PriceLayout::Long,
                LayoutArg::Yahoo => PriceLayout::Yahoo,
                LayoutArg::Returns => PriceLayout::WideReturns,
            },
            field: if self.close {
                PriceField::Close
            } else {
                PriceField::AdjClose
            },
            date_order: match self.date_order {
                DateOrderArg::Auto => DateOrder::Auto,
                DateOrderArg::Dmy => DateOrder::DayFirst,
                DateOrderArg::Mdy => DateOrder::MonthFirst,
            },
        }
    }

    /// Read, parse and align the files without analysing them (what `optimize` needs).
    pub(crate) fn load_aligned(&self) -> Result<Aligned, String> {
        let files = self.read()?;
        let input = files.input(self, AnalysisParams::default());
        let loaded = load(&input).map_err(|e| e.to_string())?;
        align(
            &loaded.prices,
            loaded.holdings.as_ref(),
            loaded.benchmark.as_ref(),
        )
        .map_err(|e| e.to_string())
    }
}

impl DataFiles {
    /// The pipeline input of these files with the options of `args`.
    pub(crate) fn input<'a>(
        &'a self,
        args: &'a DataArgs,
        params: AnalysisParams,
    ) -> PipelineInput<'a> {
        PipelineInput {
            prices: &self.prices,
            holdings: self.holdings.as_ref(),
            benchmark: self.benchmark.as_ref(),
            benchmark_symbol: args.benchmark_symbol.as_deref(),
            price_options: args.price_options(),
            params,
        }
    }
}

fn read(path: &Path) -> Result<InputFile, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(InputFile::new(name, bytes))
}

fn analyze(args: &AnalyzeArgs) -> Result<String, String> {
    let a = &args.analysis;
    let params = a.params()?;
    let files = args.data.read()?;
    let out = run(&files.input(&args.data, params)).map_err(|e| e.to_string())?;
    let cparams = a.correlation_params()?;
    let correlation = analyze_correlation(&out.aligned, &cparams).map_err(|e| e.to_string())?;
    let mc = output::monte_carlo(&out, a.mc_paths, a.seed)?;
    if args.json {
        Ok(output::json(&out, &mc, &correlation))
    } else {
        Ok(output::table(&out, &mc, &correlation))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut status = 0u8;
    // The report and its exit status (0, or 3 for a rejected trade).
    let result = match &cli.command {
        Command::Analyze(args) => analyze(args)
            .map(|text| optimize::Report {
                text,
                warnings: Vec::new(),
            })
            .map_err(Failure::from),
        Command::Optimize(args) => optimize::optimize(args),
        Command::Size(args) => size_cmd::size_cmd(args),
        Command::Check(args) => check_cmd::check_cmd(args).map(|(report, code)| {
            status = code;
            report
        }),
        Command::Report(args) => report_cmd::report_cmd(args),
    };
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            // A closed pipe (`ballast … | head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{}", report.text);
            ExitCode::from(status)
        }
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
