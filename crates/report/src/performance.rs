//! Performance: every suite figure with its convention and the benchmark column, the monthly
//! returns with yearly totals, the contributions to return and risk, and the rolling charts.

use crate::html::{chart_figure, figure_table, note, pct, table, Cell};
use crate::svg::chart_svg;
use crate::{ReportInput, Section};
use ballast_charts::{bar_chart, bar_chart_height, lines_chart, BarChart, LinesChart};
use ballast_core::attribution::ContributionLine;
use ballast_core::figures::suite_figures;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn contribution_rows(lines: &[ContributionLine]) -> Vec<Vec<Cell>> {
    lines
        .iter()
        .map(|l| {
            vec![
                Cell::text(&l.name),
                Cell::num(&pct(l.weight)),
                Cell::num(&pct(l.return_contribution)),
                Cell::num(&pct(l.risk_contribution)),
                Cell::num(&pct(l.risk_share)),
            ]
        })
        .collect()
}

const CONTRIBUTION_HEAD: [(&str, bool); 5] = [
    ("Name", false),
    ("Weight", true),
    ("Return contribution (annualised)", true),
    ("Risk contribution (annualised)", true),
    ("Share of risk", true),
];

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let a = input.aligned;
    let an = input.analysis;
    let bench = a.benchmark.as_ref().map(|b| b.symbol.as_str());
    let mut body = String::new();
    body.push_str(&note(
        "Every figure of the suite with its convention; the drawdown figures are under Drawdowns.",
    ));
    for g in suite_figures(an, a).iter().filter(|g| g.id != "drawdowns") {
        let b = if g.id == "benchmark" { None } else { bench };
        body.push_str(&figure_table(&g.title, &g.figures, b));
    }

    // Monthly returns.
    let mut head: Vec<(&str, bool)> = vec![("Year", false)];
    head.extend(MONTHS.iter().map(|m| (*m, true)));
    head.push(("Year", true));
    let rows = an
        .monthly
        .iter()
        .map(|y| {
            let mut row = vec![Cell::text(&y.year.to_string())];
            row.extend(
                y.months
                    .iter()
                    .map(|m| Cell::num(&m.map_or(String::new(), pct))),
            );
            row.push(Cell::num(&pct(y.year_return)));
            row
        })
        .collect();
    body.push_str(&table(
        "monthly",
        "Monthly returns (compounded within each month) and yearly totals",
        &head,
        rows,
    ));

    // Contributions.
    let at = &an.attribution;
    body.push_str("<h3>Contributions to return and risk</h3>\n");
    body.push_str(&note(&format!(
        "Portfolio annualised mean {} · annualised volatility {}. Return contributions are \
         w·mean×P; risk contributions w·(Σw)/σ annualised (Euler), summing to the volatility.",
        pct(at.annualized_mean),
        pct(at.annualized_volatility)
    )));
    body.push_str(&table(
        "",
        "By position",
        &CONTRIBUTION_HEAD,
        contribution_rows(&at.positions),
    ));
    body.push_str(&table(
        "",
        "By sector",
        &CONTRIBUTION_HEAD,
        contribution_rows(&at.sectors),
    ));
    let labels: Vec<String> = at.positions.iter().map(|l| l.name.clone()).collect();
    let ret: Vec<f64> = at.positions.iter().map(|l| l.return_contribution).collect();
    let risk: Vec<f64> = at.positions.iter().map(|l| l.risk_contribution).collect();
    let series = [
        ("Return contribution", ret.as_slice()),
        ("Risk contribution", risk.as_slice()),
    ];
    let svg = chart_svg(800, bar_chart_height(labels.len(), 2), |area| {
        bar_chart(
            area,
            &BarChart {
                labels: &labels,
                series: &series,
                percent: true,
            },
        )
    });
    body.push_str(&chart_figure(
        "contributions",
        "Annualised contributions to return and to risk by position.",
        svg,
    ));

    // Rolling figures.
    let r = &an.rolling;
    body.push_str(&format!(
        "<h3>Rolling figures · {}-period window</h3>\n",
        r.window
    ));
    let vol = [(
        "Volatility (annualised)",
        r.volatility.dates.as_slice(),
        r.volatility.values.as_slice(),
    )];
    let svg = chart_svg(800, 260, |area| {
        lines_chart(
            area,
            &LinesChart {
                lines: &vol,
                percent: true,
                zero_line: false,
                markers: &[],
            },
        )
    });
    body.push_str(&chart_figure(
        "rolling-volatility",
        "Rolling annualised volatility (ddof 1).",
        svg,
    ));
    let mut ratios = vec![(
        "Sharpe",
        r.sharpe.dates.as_slice(),
        r.sharpe.values.as_slice(),
    )];
    if let Some(b) = &r.beta {
        ratios.push(("Beta", b.dates.as_slice(), b.values.as_slice()));
    }
    if let Some(c) = &r.correlation {
        ratios.push(("Correlation", c.dates.as_slice(), c.values.as_slice()));
    }
    let svg = chart_svg(800, 260, |area| {
        lines_chart(
            area,
            &LinesChart {
                lines: &ratios,
                percent: false,
                zero_line: true,
                markers: &[],
            },
        )
    });
    body.push_str(&chart_figure(
        "rolling-ratios",
        "Rolling Sharpe (annualised), and beta and correlation against the benchmark when one is loaded.",
        svg,
    ));
    Section {
        id: "performance",
        title: "Performance".into(),
        body,
    }
}
