//! Overview: the headline figures, the holdings and the equity curve.

use crate::html::{chart_figure, figure_cards, money, note, num, pct, table, Cell};
use crate::svg::chart_svg;
use crate::{ReportInput, Section};
use ballast_charts::{equity_curve, EquityChart};
use ballast_core::figures::headline_figures;

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let a = input.aligned;
    let an = input.analysis;
    let mut body = String::new();
    body.push_str(&figure_cards(&headline_figures(an, a)));
    if let Some(c) = input.correlation.and_then(|c| c.largest_cluster.as_ref()) {
        let members: Vec<&str> = c
            .members
            .iter()
            .filter_map(|&i| a.symbols.get(i).map(String::as_str))
            .collect();
        body.push_str(&note(&format!(
            "Largest correlated cluster (|ρ| ≥ {}): {} — {} of portfolio value.",
            num(
                input.correlation.map_or(f64::NAN, |c| c.params.threshold),
                2
            ),
            members.join(", "),
            pct(c.weight)
        )));
    }
    let benchmark = a.benchmark.as_ref().map(|b| b.symbol.clone());
    let svg = chart_svg(800, 320, |area| {
        equity_curve(
            area,
            &EquityChart {
                dates: &an.series.dates,
                portfolio: &an.series.equity,
                portfolio_label: "Portfolio",
                benchmark: match (&benchmark, &an.series.benchmark_equity) {
                    (Some(s), Some(b)) => Some((s.as_str(), b.as_slice())),
                    _ => None,
                },
                log_scale: false,
            },
        )
    });
    body.push_str(&chart_figure(
        "equity",
        "Growth of 1: the portfolio at today's weights held constant over the window, and the benchmark.",
        svg,
    ));
    body.push_str("<h3>Holdings</h3>\n");
    let rows = a
        .positions
        .iter()
        .map(|p| {
            vec![
                Cell::text(&p.symbol),
                Cell::text(p.sector.as_deref().unwrap_or("—")),
                Cell::num(&p.quantity.map_or("—".to_string(), |q| num(q, 2))),
                Cell::num(&num(p.price, 2)),
                Cell::num(&money(p.value)),
                Cell::num(&pct(p.weight)),
            ]
        })
        .chain(std::iter::once(vec![
            Cell::text("Cash"),
            Cell::text("—"),
            Cell::num("—"),
            Cell::num("—"),
            Cell::num(&money(a.cash)),
            Cell::num(&pct(a.cash_weight)),
        ]))
        .collect();
    body.push_str(&table(
        "",
        &format!(
            "Positions valued on {} · net value {}",
            a.report.end,
            money(a.total_value)
        ),
        &[
            ("Symbol", false),
            ("Sector", false),
            ("Quantity", true),
            ("Last price", true),
            ("Value", true),
            ("Weight", true),
        ],
        rows,
    ));
    Section {
        id: "overview",
        title: "Overview".into(),
        body,
    }
}
