//! Parameters and conventions: every analysis parameter, the correlation settings, and the
//! convention of each headline figure (from `ballast_core::figures`).

use crate::html::{num, pct, table, Cell};
use crate::risk::conf_label;
use crate::{ReportInput, Section};
use ballast_core::figures::headline_figures;
use ballast_core::suite::CagrConvention;

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let p = input.params;
    let mut body = String::new();
    let row = |name: &str, field: &str, value: String, meaning: &str| {
        vec![
            Cell::text(name),
            Cell::html(format!("<code>{}</code>", crate::escape::esc(field))),
            Cell::num(&value),
            Cell::conv(meaning),
        ]
    };
    let mut rows = vec![
        row(
            "Risk-free rate",
            "risk_free_annual",
            pct(p.risk_free_annual),
            "annual; per period (1+rf)^(1/P) − 1",
        ),
        row(
            "Confidence",
            "confidence",
            conf_label(p.confidence),
            "of VaR, CVaR, the decomposition and the backtest",
        ),
        row(
            "Horizon",
            "horizon",
            format!("{} periods", p.horizon),
            "of the VaR models and the decomposition",
        ),
        row(
            "EWMA decay λ",
            "ewma_lambda",
            num(p.ewma_lambda, 4),
            "RiskMetrics",
        ),
        row(
            "VaR model",
            "var_model",
            p.var_model.label().to_string(),
            "decomposed, backtested and drawn on the histogram",
        ),
        row(
            "Rolling window",
            "rolling_window",
            format!("{} periods", p.rolling_window),
            "rolling volatility, Sharpe, beta and correlation",
        ),
        row(
            "Backtest window",
            "backtest_window",
            format!("{} periods", p.backtest_window),
            "rolling VaR backtest",
        ),
        row(
            "Drawdown episodes",
            "top_episodes",
            p.top_episodes.to_string(),
            "deepest first",
        ),
        row(
            "CAGR convention",
            "cagr_convention",
            match p.cagr_convention {
                CagrConvention::Observations => "observations".to_string(),
                CagrConvention::Calendar => "calendar".to_string(),
            },
            "of the headline CAGR",
        ),
    ];
    if let Some(c) = input.correlation {
        let cp = &c.params;
        rows.push(row(
            "Covariance estimator",
            "correlation.estimator",
            c.estimate.estimator.label(),
            "of the Correlation section",
        ));
        rows.push(row(
            "Linkage",
            "correlation.linkage",
            cp.linkage.label().to_string(),
            "hierarchical clustering of √(½(1−ρ))",
        ));
        rows.push(row(
            "Cluster threshold",
            "correlation.threshold",
            num(cp.threshold, 2),
            "assets linked when |ρ| ≥ threshold",
        ));
        rows.push(row(
            "Pair window",
            "correlation.pair_window",
            format!("{} periods", cp.pair_window),
            "rolling correlation of a pair",
        ));
        rows.push(row(
            "Breakdown windows",
            "correlation.breakdown",
            format!(
                "{} / {} periods",
                cp.breakdown.short_window, cp.breakdown.long_window
            ),
            "short and long windows of the breakdown detection",
        ));
    }
    body.push_str(&table(
        "params",
        "Analysis parameters",
        &[
            ("Parameter", false),
            ("Field", false),
            ("Value", true),
            ("Meaning", false),
        ],
        rows,
    ));
    let rows = headline_figures(input.analysis, input.aligned)
        .iter()
        .map(|f| {
            vec![
                Cell::text(&f.label),
                Cell::html(format!("<code>{}</code>", crate::escape::esc(&f.key))),
                Cell::conv(&f.convention),
            ]
        })
        .collect();
    body.push_str(&table(
        "",
        "Conventions of the headline figures (each table above gives its figures' own)",
        &[("Figure", false), ("Key", false), ("Convention", false)],
        rows,
    ));
    body.push_str(&crate::html::note(
        "Losses (VaR, CVaR, drawdowns) are positive fractions of portfolio value. Returns are \
         simple returns of today's weights held constant over the window (cash earns zero).",
    ));
    Section {
        id: "parameters",
        title: "Parameters and conventions".into(),
        body,
    }
}
