//! `ballast report`: the analysis (and optionally an optimisation and the limit alerts) as one
//! self-contained HTML file, written by `ballast-report` — the same report the app saves.

use crate::{AnalysisArgs, DataArgs, Failure};
use ballast_core::analysis::AnalysisParams;
use ballast_core::correlation_analysis::analyze_correlation;
use ballast_core::optimize::frontier::{frontier, FrontierKind, MAX_POINTS, MIN_POINTS};
use ballast_core::optimize::{optimize, Market, Objective, OptimizeSpec};
use ballast_core::pipeline::run;
use ballast_core::trading::heat::heat_map;
use ballast_core::trading::limits::{evaluate, snapshot, Limits};
use ballast_report::{render_report, ReportInput, ReportOptimisation};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    analysis: AnalysisArgs,
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
    /// The analysis parameters, then `--threshold`, checked (before any file is read).
    fn params(&self) -> Result<AnalysisParams, String> {
        let params = self.analysis.params()?;
        self.analysis.check_threshold()?;
        Ok(params)
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
    let cparams = args.analysis.correlation_params()?;
    let mut warnings = Vec::new();
    let correlation = match analyze_correlation(&out.aligned, &cparams) {
        Ok(c) => Some(c),
        Err(e) => {
            warnings.push(format!("no Correlation section: {e}"));
            None
        }
    };
    let mc = crate::output::monte_carlo(&out, args.analysis.mc_paths, args.analysis.seed)?;
    let a = &out.aligned;

    let mut opt = None;
    let mut fr = None;
    if let Some(key) = &args.optimize {
        let objective = Objective::from_key(&key.replace('-', "_"), None, None)
            .ok_or_else(|| format!("--optimize: unknown objective {key}"))?;
        let spec = OptimizeSpec {
            objective,
            covariance: args.analysis.covariance.estimator()?,
            risk_free: args.analysis.risk_free,
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
