//! Performance: every suite figure with its convention and the benchmark column, the monthly
//! returns with yearly totals, the contributions to return and risk, and the rolling charts.

use crate::html::{breakdown, chart_figure, figure_table, note, pct, table, BreakdownLine, Cell};
use crate::svg::chart_svg;
use crate::{ReportInput, Section};
use ballast_charts::{lines_chart, LinesChart};
use ballast_core::attribution::ContributionLine;
use ballast_core::figures::suite_figures;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl BreakdownLine for ContributionLine {
    const COLUMNS: &'static [&'static str] = &[
        "Weight",
        "Return contribution (annualised)",
        "Risk contribution (annualised)",
        "Share of risk",
    ];
    const BARS: [&'static str; 2] = ["Return contribution", "Risk contribution"];
    fn name(&self) -> &str {
        &self.name
    }
    fn values(&self) -> Vec<f64> {
        vec![
            self.weight,
            self.return_contribution,
            self.risk_contribution,
            self.risk_share,
        ]
    }
    fn bars(&self) -> [f64; 2] {
        [self.return_contribution, self.risk_contribution]
    }
}

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
    body.push_str(&breakdown(
        &at.positions,
        &at.sectors,
        "contributions",
        "Annualised contributions to return and to risk by position.",
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
