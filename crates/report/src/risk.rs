//! Risk: VaR and CVaR of every model with its method, the return histogram, the decomposition
//! by position and sector, and the rolling backtest with its tests.

use crate::html::{
    breakdown, chart_figure, figure_table, note, num, pct, table, BreakdownLine, Cell,
};
use crate::svg::chart_svg;
use crate::{ReportInput, Section};
use ballast_charts::{histogram, var_backtest, BacktestChart, HistogramChart};
use ballast_core::backtest::BaselZone;
use ballast_core::decomposition::RiskLine;
use ballast_core::figures::{confidence_suffix, format_value, standard_var_figures, var_figures};

/// A confidence as a label: 0.95 → "95%", 0.975 → "97.5%".
pub(crate) fn conf_label(c: f64) -> String {
    format!("{}%", confidence_suffix(c).replace('_', "."))
}

impl BreakdownLine for RiskLine {
    const COLUMNS: &'static [&'static str] = &[
        "Weight",
        "Marginal VaR",
        "Component VaR",
        "% of VaR",
        "Incremental VaR",
        "Marginal CVaR",
        "Component CVaR",
        "% of CVaR",
        "Incremental CVaR",
    ];
    const BARS: [&'static str; 2] = ["Component VaR", "Component CVaR"];
    fn name(&self) -> &str {
        &self.name
    }
    fn values(&self) -> Vec<f64> {
        vec![
            self.weight,
            self.marginal_var,
            self.component_var,
            self.pct_var,
            self.incremental_var,
            self.marginal_cvar,
            self.component_cvar,
            self.pct_cvar,
            self.incremental_cvar,
        ]
    }
    fn bars(&self) -> [f64; 2] {
        [self.component_var, self.component_cvar]
    }
}

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let a = input.aligned;
    let an = input.analysis;
    let per = a.report.frequency.label();
    let p = input.params;
    let mut body = String::new();

    // Every model at the chosen confidence and horizon.
    let horizon = if p.horizon > 1 {
        format!("{}-period ({per})", p.horizon)
    } else {
        format!("1-period ({per})")
    };
    body.push_str(&format!(
        "<h3>VaR and CVaR of every model · {} · {horizon}</h3>\n",
        conf_label(p.confidence)
    ));
    let rows = an
        .var
        .iter()
        .chain(input.monte_carlo)
        .map(|e| {
            let [v, c] = var_figures(e, per);
            vec![
                Cell::text(e.model.label()),
                Cell::num(&format_value(&v)),
                Cell::num(&format_value(&c)),
                Cell::conv(&e.method),
                Cell::conv(e.flag.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    body.push_str(&table(
        "",
        "Losses as positive fractions of portfolio value",
        &[
            ("Model", false),
            ("VaR", true),
            ("CVaR", true),
            ("Method", false),
            ("Warning", false),
        ],
        rows,
    ));
    if input.monte_carlo.is_empty() {
        body.push_str(&note(
            "The Monte Carlo models were not run for this report (closed-form models only).",
        ));
    }
    body.push_str(&figure_table(
        "1-period VaR and CVaR at 95% and 99% (closed-form models)",
        &standard_var_figures(an, a),
        None,
    ));

    // Histogram with the chosen model's lines.
    let d = &an.decomposition;
    let var_label = format!("VaR {}", conf_label(d.confidence));
    let cvar_label = format!("CVaR {}", conf_label(d.confidence));
    let svg = chart_svg(800, 320, |area| {
        histogram(
            area,
            &HistogramChart {
                returns: &an.horizon_returns,
                bins: 60,
                var: d.var.is_finite().then_some(d.var),
                cvar: d.cvar.is_finite().then_some(d.cvar),
                var_label: &var_label,
                cvar_label: &cvar_label,
                normal: Some(an.normal_fit),
            },
        )
    });
    body.push_str(&chart_figure(
        "histogram",
        &format!(
            "Distribution of {horizon} returns with the {} VaR and CVaR and the fitted normal.",
            d.model.label()
        ),
        svg,
    ));

    // Decomposition.
    body.push_str(&format!(
        "<h3>Decomposition · {} · {} · {}-period</h3>\n",
        crate::escape::esc(d.model.label()),
        conf_label(d.confidence),
        d.horizon
    ));
    body.push_str(&note(&format!(
        "Portfolio VaR {} · CVaR {}. Component figures sum to the total (Euler); incremental \
         figures are the change when the position is removed.",
        pct(d.var),
        pct(d.cvar)
    )));
    if let Some(n) = &d.note {
        body.push_str(&note(n));
    }
    body.push_str(&breakdown(
        &d.positions,
        &d.sectors,
        "decomposition",
        "Component VaR and CVaR by position (fractions of portfolio value).",
    ));

    // Backtest.
    let bt = &an.backtest;
    body.push_str(&format!(
        "<h3>Backtest · {} VaR {} · {}-period rolling window</h3>\n",
        crate::escape::esc(bt.model.label()),
        conf_label(bt.confidence),
        bt.window
    ));
    let forecasts = bt.var.len();
    let expected = (1.0 - bt.confidence) * forecasts as f64;
    let mut rows = vec![
        vec![
            Cell::text("Forecasts"),
            Cell::num(&forecasts.to_string()),
            Cell::conv("one-period-ahead VaR from the returns before each date"),
        ],
        vec![
            Cell::text("Exceedances"),
            Cell::num(&bt.exceedances.to_string()),
            Cell::conv(&format!(
                "expected {} at {}",
                num(expected, 1),
                conf_label(bt.confidence)
            )),
        ],
        vec![
            Cell::text("Kupiec (unconditional coverage)"),
            Cell::num(&format!(
                "LR {} · p {}",
                num(bt.kupiec.statistic, 2),
                num(bt.kupiec.p_value, 3)
            )),
            Cell::conv("χ²(1); p below 0.05 rejects the model's coverage"),
        ],
        vec![
            Cell::text("Christoffersen (independence)"),
            Cell::num(&format!(
                "LR {} · p {}",
                num(bt.christoffersen.statistic, 2),
                num(bt.christoffersen.p_value, 3)
            )),
            Cell::conv("χ²(1); p below 0.05: exceedances cluster"),
        ],
    ];
    rows.push(match &bt.basel {
        Some(b) => vec![
            Cell::text("Basel traffic light"),
            Cell::num(&format!(
                "{} ({} exceedances)",
                match b.zone {
                    BaselZone::Green => "green",
                    BaselZone::Yellow => "yellow",
                    BaselZone::Red => "red",
                },
                b.exceedances
            )),
            Cell::conv(&format!(
                "99% VaR of the same model over the last {} forecasts",
                b.days
            )),
        ],
        None => vec![
            Cell::text("Basel traffic light"),
            Cell::num("—"),
            Cell::conv("fewer than 250 forecasts"),
        ],
    });
    body.push_str(&table(
        "",
        "Backtest tests",
        &[("Test", false), ("Result", true), ("Convention", false)],
        rows,
    ));
    let start = bt.window.min(an.portfolio_returns.len());
    let dates = a.dates.get(start + 1..).unwrap_or(&[]);
    let returns = an.portfolio_returns.get(start..).unwrap_or(&[]);
    let label = format!(
        "{} VaR {} ({}-period window)",
        bt.model.label(),
        conf_label(bt.confidence),
        bt.window
    );
    let svg = chart_svg(800, 320, |area| {
        var_backtest(
            area,
            &BacktestChart {
                dates,
                returns,
                var: &bt.var,
                hits: &bt.hits,
                var_label: &label,
            },
        )
    });
    body.push_str(&chart_figure(
        "backtest",
        "Realised returns against the forecast VaR; red dots mark exceedances.",
        svg,
    ));
    Section {
        id: "risk",
        title: "Risk".into(),
        body,
    }
}
