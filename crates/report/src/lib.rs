//! Ballast report: one self-contained HTML file of the current analysis — the figures and
//! tables of every page, the charts as inline SVG drawn by `ballast-charts` (the same code as
//! the app's canvases), the parameters and conventions, the data's provenance and the date it
//! was generated (given by the caller: no clock here).
//!
//! The file loads nothing from elsewhere (no fonts, scripts or images; no script at all, no
//! event handler attributes), so it is safe under a strict Content-Security-Policy and can be
//! mailed or archived as is. All user text (symbols, sectors, file names, notes) is
//! HTML-escaped. The CSS is print-friendly: no backgrounds, tables and charts kept whole, each
//! major section on a new page.
//!
//! One concept per file: `escape.rs`, `style.rs` (the CSS), `svg.rs` (a chart function drawn
//! to an SVG string), `html.rs` (tables and figures), then one file per page of the app:
//! `overview.rs`, `risk.rs`, `drawdowns.rs`, `performance.rs`, `correlation.rs`,
//! `optimisation.rs`, `limits.rs`, and `parameters.rs`, `provenance.rs`.

mod correlation;
mod drawdowns;
pub mod escape;
mod html;
mod limits;
mod optimisation;
mod overview;
mod parameters;
mod performance;
mod provenance;
mod risk;
mod style;
mod svg;

use ballast_core::align::Aligned;
use ballast_core::analysis::{Analysis, AnalysisParams};
use ballast_core::correlation_analysis::CorrelationAnalysis;
use ballast_core::optimize::frontier::Frontier;
use ballast_core::optimize::stats::PortfolioStats;
use ballast_core::optimize::OptResult;
use ballast_core::trading::heat::HeatMap;
use ballast_core::trading::limits::Alert;
use ballast_core::var_models::VarEstimate;
use escape::esc;

/// An optimisation to report: the target weights against today's.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptimisation<'a> {
    /// The optimised portfolio (weights in the order of `Aligned::symbols`).
    pub result: &'a OptResult,
    /// Today's portfolio in the optimiser's conventions (e.g. `Frontier::current`), when known.
    pub current: Option<&'a PortfolioStats>,
    /// The efficient frontier, when one was computed.
    pub frontier: Option<&'a Frontier>,
}

/// Everything the report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub aligned: &'a Aligned,
    pub analysis: &'a Analysis,
    pub params: &'a AnalysisParams,
    /// The Correlation page (estimator, clusters, diversification, heat map, dendrogram).
    pub correlation: Option<&'a CorrelationAnalysis>,
    /// Monte Carlo estimates at the chosen confidence and horizon (`mc_batch`), shown with the
    /// closed-form models; empty when they were not run.
    pub monte_carlo: &'a [VarEstimate],
    /// The input files: `(name, role)`, e.g. `("holdings.csv", "holdings")`.
    pub files: &'a [(String, String)],
    /// When the report was generated, as the caller wants it written.
    pub generated: &'a str,
    pub optimisation: Option<ReportOptimisation<'a>>,
    /// Limit alerts (`trading::limits::evaluate`).
    pub alerts: Option<&'a [Alert]>,
    /// The heat map (`trading::heat::heat_map`).
    pub heat: Option<&'a HeatMap>,
}

/// One major section of the report.
pub(crate) struct Section {
    pub id: &'static str,
    pub title: String,
    pub body: String,
}

/// The ids and titles of the sections [`render_report`] writes for `input`, in order.
pub fn section_titles(input: &ReportInput<'_>) -> Vec<(&'static str, String)> {
    sections(input)
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect()
}

fn sections(input: &ReportInput<'_>) -> Vec<Section> {
    let mut out = vec![
        overview::section(input),
        risk::section(input),
        drawdowns::section(input),
        performance::section(input),
    ];
    if let Some(c) = input.correlation {
        out.push(correlation::section(c));
    }
    if let Some(o) = &input.optimisation {
        out.push(optimisation::section(input, o));
    }
    if input.alerts.is_some() || input.heat.is_some() {
        out.push(limits::section(input));
    }
    out.push(parameters::section(input));
    out.push(provenance::section(input));
    out
}

/// The whole report: one HTML document, nothing loaded from elsewhere.
pub fn render_report(input: &ReportInput<'_>) -> String {
    let sections = sections(input);
    let a = input.aligned;
    let mut s = String::with_capacity(512 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n",
    );
    s.push_str(&format!(
        "<title>Ballast report · {} – {}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        a.report.start,
        a.report.end,
        style::CSS
    ));
    s.push_str(&format!(
        "<header class=\"report-head\"><h1>Portfolio risk report</h1>\
         <p>{} positions · {} – {} · {} {} returns</p>\
         <p class=\"generated\">Generated {} by Ballast {}</p></header>\n",
        a.symbols.len(),
        a.report.start,
        a.report.end,
        a.report.observations,
        a.report.frequency.label(),
        esc(input.generated),
        env!("CARGO_PKG_VERSION"),
    ));
    s.push_str("<nav class=\"toc\"><ol>");
    for sec in &sections {
        s.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            sec.id,
            esc(&sec.title)
        ));
    }
    s.push_str("</ol></nav>\n");
    for sec in sections {
        s.push_str(&format!(
            "<section class=\"major\" id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            sec.id,
            esc(&sec.title),
            sec.body
        ));
    }
    s.push_str(&format!(
        "<footer><p class=\"note\">Generated {}. Figures computed in the browser or by the \
         ballast command from the files listed under Data provenance; nothing was sent \
         anywhere.</p></footer>\n</main>\n</body>\n</html>\n",
        esc(input.generated)
    ));
    s
}
