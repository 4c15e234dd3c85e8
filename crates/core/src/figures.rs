//! The headline figures as a list of labelled values with their conventions, shared by the
//! app's figure cards, the CLI's table and its `--json` keys, so all three say the same thing.

use crate::align::Aligned;
use crate::analysis::Analysis;
use serde::{Deserialize, Serialize};

/// How a figure is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// A fraction shown as a percentage (0.1234 → 12.34%).
    Percent,
    /// A plain ratio (Sharpe, beta).
    Ratio,
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Stable key (also the CLI JSON key): e.g. `var_historical_95`.
    pub key: String,
    pub label: String,
    /// The convention, written next to the number ("rf 0% · 252/yr").
    pub convention: String,
    pub value: Option<f64>,
    pub unit: Unit,
    /// True for losses reported as positive fractions (VaR, CVaR, drawdowns).
    pub loss: bool,
}

/// Confidence as a key suffix: 0.95 → "95", 0.975 → "97_5", 0.999 → "99_9".
pub fn confidence_suffix(confidence: f64) -> String {
    let pct = (confidence * 1000.0).round() / 10.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{}", pct.round() as i64)
    } else {
        format!("{pct}").replace('.', "_")
    }
}

/// Percent with up to 4 significant decimals, trimmed ("2%", "0.5%").
fn pct_label(x: f64) -> String {
    let s = format!("{:.4}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// The headline figures of an analysis, in display order.
pub fn headline_figures(analysis: &Analysis, aligned: &Aligned) -> Vec<Figure> {
    let report = &aligned.report;
    let m = &analysis.metrics;
    let p = report.periods_per_year;
    let per_year = format!("{}/yr", p);
    let rf = pct_label(analysis.params.risk_free_annual);
    let conf = confidence_suffix(analysis.params.confidence);
    let conf_label = format!("{}%", conf.replace('_', "."));
    let freq = report.frequency.label();
    let peak_trough = format!(
        "peak {} → trough {}{}",
        m.max_drawdown_peak,
        m.max_drawdown_trough,
        match m.max_drawdown_recovery {
            Some(d) => format!(", recovered {d}"),
            None => ", not recovered".to_string(),
        }
    );
    let fig = |key: &str, label: &str, convention: String, value: Option<f64>, unit, loss| Figure {
        key: key.to_string(),
        label: label.to_string(),
        convention,
        value,
        unit,
        loss,
    };
    vec![
        fig(
            "cumulative_return",
            "Cumulative return",
            format!("{} – {}", report.start, report.end),
            Some(m.cumulative_return),
            Unit::Percent,
            false,
        ),
        fig(
            "cagr",
            "CAGR",
            format!("observation count · {per_year}"),
            Some(m.cagr),
            Unit::Percent,
            false,
        ),
        fig(
            "annualized_volatility",
            "Volatility",
            format!("annualised · ddof 1 · ×√{p}"),
            Some(m.annualized_volatility),
            Unit::Percent,
            false,
        ),
        fig(
            "sharpe",
            "Sharpe",
            format!("rf {rf} · {per_year}"),
            Some(m.sharpe),
            Unit::Ratio,
            false,
        ),
        fig(
            "sortino",
            "Sortino",
            format!("target rf {rf} · downside over all N · {per_year}"),
            Some(m.sortino),
            Unit::Ratio,
            false,
        ),
        fig(
            "max_drawdown",
            "Max drawdown",
            peak_trough,
            Some(m.max_drawdown),
            Unit::Percent,
            true,
        ),
        fig(
            "current_drawdown",
            "Current drawdown",
            format!("from the running peak, on {}", report.end),
            Some(m.current_drawdown),
            Unit::Percent,
            true,
        ),
        fig(
            &format!("var_historical_{conf}"),
            &format!("VaR {conf_label}"),
            format!("1-period ({freq}) · historical · linear quantile"),
            Some(m.var_historical),
            Unit::Percent,
            true,
        ),
        fig(
            &format!("cvar_historical_{conf}"),
            &format!("CVaR {conf_label}"),
            format!("1-period ({freq}) · historical · Rockafellar-Uryasev"),
            Some(m.cvar_historical),
            Unit::Percent,
            true,
        ),
        fig(
            "beta",
            "Beta",
            match &aligned.benchmark {
                Some(b) => format!("vs {} · cov/var", b.symbol),
                None => "no benchmark loaded".to_string(),
            },
            m.beta,
            Unit::Ratio,
            false,
        ),
    ]
}

/// A figure's value formatted for display (losses already positive).
pub fn format_value(f: &Figure) -> String {
    match (f.value, f.unit) {
        (None, _) => "—".to_string(),
        (Some(v), _) if !v.is_finite() => "n/a".to_string(),
        (Some(v), Unit::Percent) => format!("{:.2}%", v * 100.0),
        (Some(v), Unit::Ratio) => format!("{v:.2}"),
    }
}
