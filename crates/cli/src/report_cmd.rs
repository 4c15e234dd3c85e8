//! `ballast report`: the analysis (and optionally an optimisation and the limit alerts) as one
//! self-contained HTML file, written by `ballast-report` — the same report the app saves.

use crate::{parse_linkage, parse_model, CagrArg, CovArgs, DataArgs, Failure};
use crate::{DEFAULT_MC_PATHS, DEFAULT_MC_SEED};
use ballast_core::analysis::AnalysisParams;
use ballast_core::clustering::Linkage;
use ballast_core::correlation_analysis::{analyze_correlation, CorrelationParams};
use ballast_core::optimize::frontier::{frontier, FrontierKind, MAX_POINTS, MIN_POINTS};
use ballast_core::optimize::{optimize, Market, Objective, OptimizeSpec};
use ballast_core::pipeline::run;
use ballast_core::suite::CagrConvention;
use ballast_core::trading::heat::heat_map;
use ballast_core::trading::limits::{evaluate, snapshot, Limits};
use ballast_core::var_models::VarModel;
use ballast_report::{render_report, ReportInput, ReportOptimisation};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Annual risk-free rate as a fraction (0.02 = 2%).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    risk_free: f64,
    /// VaR/CVaR confidence level (0.5 < c < 1).
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    confidence: f64,
    /// VaR horizon in periods (1–250).
    #[arg(long, default_value_t = 1, value_name = "PERIODS")]
    horizon: usize,
    /// RiskMetrics EWMA decay λ (0 < λ < 1).
    #[arg(long, default_value_t = 0.94, value_name = "LAMBDA")]
    ewma_lambda: f64,
    /// Model decomposed per position and backtested (as for `analyze`).
    #[arg(long, default_value = "historical", value_parser = parse_model, value_name = "MODEL")]
    var_model: VarModel,
    /// Rolling window (periods) for volatility, Sharpe, beta and correlation.
    #[arg(long, default_value_t = 126, value_name = "PERIODS")]
    rolling_window: usize,
    /// Window (periods) of the rolling VaR backtest.
    #[arg(long, default_value_t = 250, value_name = "PERIODS")]
    backtest_window: usize,
    /// Number of drawdown episodes in the table (deepest first).
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// CAGR convention of the headline figure.
    #[arg(long, value_enum, default_value_t = CagrArg::Observations)]
    cagr: CagrArg,
    /// Monte Carlo paths per model (0 skips the Monte Carlo models).
    #[arg(long, default_value_t = DEFAULT_MC_PATHS, value_name = "N")]
    mc_paths: usize,
    /// Seed of the Monte Carlo random stream.
    #[arg(long, default_value_t = DEFAULT_MC_SEED, value_name = "SEED")]
    seed: u64,
    #[command(flatten)]
    covariance: CovArgs,
    /// Linkage of the hierarchical clustering: single, average, complete or ward.
    #[arg(long, default_value = "ward", value_parser = parse_linkage, value_name = "LINKAGE")]
    linkage: Linkage,
    /// Correlation threshold of the clusters (0 < t < 1).
    #[arg(long, default_value_t = 0.7, value_name = "THRESHOLD")]
    threshold: f64,
    /// Add an Optimisation section: this objective's weights against today's (an objective key
    /// of `ballast optimize`: min-variance, max-sharpe, min-cvar, risk-parity, hrp, …).
    #[arg(long, value_name = "OBJECTIVE")]
    optimize: Option<String>,
    /// With --optimize: also draw a mean-variance frontier of this many points (2–200).
    #[arg(long, value_name = "POINTS")]
    frontier: Option<usize>,
    /// Add a Limits section: the alerts and heat map under the default risk limits.
    #[arg(long)]
    alerts: bool,
    /// The generated date written in the report (default: now, UTC).
    #[arg(long, value_name = "TEXT")]
    generated: Option<String>,
}

impl ReportArgs {
    fn params(&self) -> Result<AnalysisParams, String> {
        let max_h = ballast_core::montecarlo::MAX_HORIZON;
        if !(self.confidence > 0.5 && self.confidence < 1.0) {
            return Err(format!(
                "--confidence must be between 0.5 and 1 (exclusive), got {}",
                self.confidence
            ));
        }
        if !(1..=max_h).contains(&self.horizon) {
            return Err(format!(
                "--horizon must be between 1 and {max_h} periods, got {}",
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
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            return Err(format!(
                "--threshold must be between 0 and 1 (exclusive), got {}",
                self.threshold
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

    /// The files and their roles, by name.
    fn files(&self) -> Vec<(String, String)> {
        let name = |p: &PathBuf| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut out: Vec<(String, String)> = self
            .data
            .prices
            .iter()
            .map(|p| (name(p), "prices".to_string()))
            .collect();
        if let Some(h) = &self.data.holdings {
            out.push((name(h), "holdings".into()));
        }
        if let Some(b) = &self.data.benchmark {
            let role = match &self.data.benchmark_symbol {
                Some(s) => format!("benchmark ({s})"),
                None => "benchmark".into(),
            };
            out.push((name(b), role));
        }
        out
    }
}

/// Now, UTC, to the minute (no clock in the report library).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Write the report; the summary line names the file, its size and sections.
pub(crate) fn report_cmd(args: &ReportArgs) -> Result<crate::optimize::Report, Failure> {
    let params = args.params()?;
    let files = args.data.read()?;
    let out = run(&files.input(&args.data, params)).map_err(|e| e.to_string())?;
    let cparams = CorrelationParams {
        estimator: args.covariance.estimator()?,
        linkage: args.linkage,
        threshold: args.threshold,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let correlation = match analyze_correlation(&out.aligned, &cparams) {
        Ok(c) => Some(c),
        Err(e) => {
            warnings.push(format!("no Correlation section: {e}"));
            None
        }
    };
    let mc = crate::output::monte_carlo(&out, args.mc_paths, args.seed)?;
    let a = &out.aligned;

    let mut opt = None;
    let mut fr = None;
    if let Some(key) = &args.optimize {
        let objective = Objective::from_key(&key.replace('-', "_"), None, None)
            .ok_or_else(|| format!("--optimize: unknown objective {key}"))?;
        let spec = OptimizeSpec {
            objective,
            covariance: args.covariance.estimator()?,
            risk_free: args.risk_free,
            ..Default::default()
        };
        let market = Market::from_aligned(a);
        opt = Some(optimize(&market, &spec).map_err(|e| Failure {
            message: format!("--optimize {key}: {e}"),
            code: 2,
        })?);
        if let Some(points) = args.frontier {
            if !(MIN_POINTS..=MAX_POINTS).contains(&points) {
                return Err(format!(
                    "--frontier must be between {MIN_POINTS} and {MAX_POINTS} points, got {points}"
                )
                .into());
            }
            match frontier(&market, &spec, FrontierKind::MeanVariance, points) {
                Ok(f) => fr = Some(f),
                Err(e) => warnings.push(format!("no frontier: {e}")),
            }
        }
    } else if args.frontier.is_some() {
        return Err("--frontier needs --optimize".to_string().into());
    }

    let (alerts, heat) = if args.alerts {
        let limits = Limits::default();
        let snap = snapshot(a, &limits).map_err(|e| e.to_string())?;
        let heat = heat_map(a, &limits).map_err(|e| e.to_string())?;
        (Some(evaluate(&snap, &limits)), Some(heat))
    } else {
        (None, None)
    };

    let names = args.files();
    let generated = args.generated.clone().unwrap_or_else(now_utc);
    let input = ReportInput {
        aligned: a,
        analysis: &out.analysis,
        params: &out.analysis.params,
        correlation: correlation.as_ref(),
        monte_carlo: &mc.chosen,
        files: &names,
        generated: &generated,
        optimisation: opt.as_ref().map(|r| ReportOptimisation {
            result: r,
            current: fr.as_ref().map(|f| &f.current),
            frontier: fr.as_ref(),
        }),
        alerts: alerts.as_deref(),
        heat: heat.as_ref(),
    };
    let html = render_report(&input);
    std::fs::write(&args.out, &html)
        .map_err(|e| format!("--out {}: cannot write the report: {e}", args.out.display()))?;
    let sections: Vec<String> = ballast_report::section_titles(&input)
        .into_iter()
        .map(|s| s.1)
        .collect();
    Ok(crate::optimize::Report {
        text: format!(
            "wrote {} ({} KB): {}",
            args.out.display(),
            html.len().div_ceil(1024),
            sections.join(", ")
        ),
        warnings,
    })
}
