//! The report of the current analysis (`ballast-report`: one self-contained HTML file, charts
//! as inline SVG drawn by `ballast-charts`), built in the tab and offered as a download. It
//! shows what the app shows: the Monte Carlo estimates when the run for this analysis has
//! finished, the optimised portfolio and the frontier when they belong to these assets, the
//! limit alerts and heat map under the workspace's limits.

use crate::app::AppState;
use crate::io;
use ballast_report::{render_report, ReportInput, ReportOptimisation};
use leptos::prelude::*;

/// The report's HTML, or why there is none.
pub fn build(state: &AppState) -> Result<String, String> {
    let c = state
        .computed
        .get_untracked()
        .ok_or("load some data first: there is nothing to report")?;
    let ws = state.workspace.get_untracked();
    let mc = state.mc.get_untracked();
    let monte_carlo = if mc.for_generation == c.generation {
        mc.estimates
    } else {
        Vec::new()
    };
    let run = state.opt.run.get_untracked();
    let frontier = state.opt.frontier.get_untracked();
    let symbols = &c.aligned.symbols;
    let result = run
        .result
        .as_ref()
        .filter(|_| &run.result_symbols == symbols);
    let fr = frontier
        .frontier
        .as_ref()
        .filter(|_| &frontier.symbols == symbols);
    let files: Vec<(String, String)> = ws
        .files_with_roles()
        .map(|(f, role)| (f.name.clone(), role.to_string()))
        .collect();
    let generated = io::utc_now();
    let input = ReportInput {
        aligned: &c.aligned,
        analysis: &c.analysis,
        params: &c.analysis.params,
        correlation: c.correlation.as_ref().ok(),
        monte_carlo: &monte_carlo,
        files: &files,
        generated: &generated,
        optimisation: result.map(|r| ReportOptimisation {
            result: r,
            current: run.today.as_ref().or(fr.map(|f| &f.current)),
            frontier: fr,
        }),
        alerts: c.risk.alerts.as_ref().ok().map(Vec::as_slice),
        heat: c.risk.heat.as_ref().ok(),
    };
    Ok(render_report(&input))
}

/// Build the report and offer it as `ballast-report-<date>.html`; the time it took is on
/// `<body data-report-ms>`.
pub fn download(state: AppState) {
    let t0 = io::now_ms();
    let result = build(&state);
    io::record_ms("reportMs", io::now_ms() - t0);
    let saved = result.and_then(|html| {
        let date = io::utc_now().get(..10).unwrap_or("today").to_string();
        crate::downloads::save_text(
            &html,
            "text/html;charset=utf-8",
            &format!("ballast-report-{date}.html"),
        )
    });
    if let Err(e) = saved {
        state.fail(format!("The report could not be made: {e}."));
    }
}
