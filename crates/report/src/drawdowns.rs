//! Drawdowns: the drawdown figures (portfolio and benchmark), the deepest episodes and the
//! underwater chart.

use crate::html::{chart_figure, figure_table, pct, table, Cell};
use crate::svg::chart_svg;
use crate::{ReportInput, Section};
use ballast_charts::underwater;
use ballast_core::figures::suite_figures;

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let a = input.aligned;
    let an = input.analysis;
    let bench = a.benchmark.as_ref().map(|b| b.symbol.as_str());
    let mut body = String::new();
    for g in suite_figures(an, a).iter().filter(|g| g.id == "drawdowns") {
        body.push_str(&figure_table(&g.title, &g.figures, bench));
    }
    let rows = an
        .top_episodes
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                Cell::num(&(i + 1).to_string()),
                Cell::num(&pct(e.depth)),
                Cell::text(&e.peak.to_string()),
                Cell::text(&e.trough.to_string()),
                Cell::text(
                    &e.recovery
                        .map_or("not recovered".to_string(), |d| d.to_string()),
                ),
                Cell::num(&e.trading_days.to_string()),
                Cell::num(&e.calendar_days.to_string()),
                Cell::num(&e.days_underwater.to_string()),
            ]
        })
        .collect();
    body.push_str(&table(
        "",
        &format!(
            "The {} deepest drawdown episodes, deepest first",
            an.top_episodes.len()
        ),
        &[
            ("#", true),
            ("Depth", true),
            ("Peak", false),
            ("Trough", false),
            ("Recovery", false),
            ("Periods", true),
            ("Calendar days", true),
            ("Periods under water", true),
        ],
        rows,
    ));
    let svg = chart_svg(800, 260, |area| {
        underwater(area, &an.series.dates, &an.series.drawdown)
    });
    body.push_str(&chart_figure(
        "underwater",
        "Drawdown from the running peak of the portfolio's wealth.",
        svg,
    ));
    Section {
        id: "drawdowns",
        title: "Drawdowns".into(),
        body,
    }
}
