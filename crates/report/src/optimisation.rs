//! Optimisation: the target weights against today's, the risk figures of both, the notes, and
//! the weights and frontier charts.

use crate::html::{chart_figure, note, notes, num, pct, table, Cell};
use crate::svg::chart_svg;
use crate::{ReportInput, ReportOptimisation, Section};
use ballast_charts::{bar_chart, bar_chart_height, frontier_chart, BarChart, FrontierChart};
use ballast_core::optimize::frontier::FrontierKind;
use ballast_core::optimize::stats::PortfolioStats;

fn stats_rows(target: &PortfolioStats, today: Option<&PortfolioStats>) -> Vec<Vec<Cell>> {
    type Row = (&'static str, fn(&PortfolioStats) -> String, &'static str);
    let rows: [Row; 11] = [
        (
            "Expected return",
            |s| pct(s.expected_return),
            "annualised, from the chosen return model",
        ),
        (
            "Volatility",
            |s| pct(s.volatility),
            "annualised, from the chosen covariance estimator",
        ),
        ("Sharpe", |s| num(s.sharpe, 2), "(μ'w − rf)/σ"),
        (
            "VaR",
            |s| pct(s.var),
            "per period, historical (Rockafellar-Uryasev)",
        ),
        (
            "CVaR",
            |s| pct(s.cvar),
            "per period, historical (Rockafellar-Uryasev)",
        ),
        (
            "CDaR",
            |s| pct(s.cdar),
            "of uncompounded cumulative returns",
        ),
        ("Max drawdown", |s| pct(s.max_drawdown), "uncompounded"),
        ("Mean absolute deviation", |s| pct(s.mad), "per period"),
        (
            "Diversification ratio",
            |s| num(s.diversification_ratio, 3),
            "σ'w/√(w'Σw)",
        ),
        ("Gross exposure", |s| pct(s.gross_exposure), "Σ|w|"),
        (
            "Assets held",
            |s| s.assets_held.to_string(),
            "weights above zero",
        ),
    ];
    rows.iter()
        .map(|(label, f, conv)| {
            vec![
                Cell::text(label),
                Cell::num(&today.map_or("—".to_string(), f)),
                Cell::num(&f(target)),
                Cell::conv(conv),
            ]
        })
        .collect()
}

pub(crate) fn section(input: &ReportInput<'_>, o: &ReportOptimisation<'_>) -> Section {
    let a = input.aligned;
    let r = o.result;
    let mut body = String::new();
    body.push_str(&format!(
        "<p>Objective: <strong>{}</strong> · {} {} · status {} ({} iterations)</p>\n",
        crate::escape::esc(&r.label),
        crate::escape::esc(&r.objective_name),
        num(r.objective_value, 6),
        crate::escape::esc(&r.status),
        r.iterations
    ));
    if let Some(f) = &r.fallback {
        body.push_str(&note(&format!(
            "Fallback weights, not the requested optimum: {f}"
        )));
    }
    body.push_str(&notes(&r.notes));
    let rows = a
        .symbols
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let today = a.weights.get(i).copied().unwrap_or(f64::NAN);
            let target = r.weights.get(i).copied().unwrap_or(f64::NAN);
            vec![
                Cell::text(s),
                Cell::num(&pct(today)),
                Cell::num(&pct(target)),
                Cell::num(&pct(target - today)),
            ]
        })
        .collect();
    body.push_str(&table(
        "",
        "Weights: today against the target (fractions of net value)",
        &[
            ("Symbol", false),
            ("Today", true),
            ("Target", true),
            ("Change", true),
        ],
        rows,
    ));
    body.push_str(&table(
        "",
        "Risk figures (optimiser conventions)",
        &[
            ("Figure", false),
            ("Today", true),
            ("Target", true),
            ("Convention", false),
        ],
        stats_rows(&r.stats, o.current.or(o.frontier.map(|f| &f.current))),
    ));
    let today: Vec<f64> = a.weights.clone();
    let series = [
        ("Today", today.as_slice()),
        ("Target", r.weights.as_slice()),
    ];
    let svg = chart_svg(800, bar_chart_height(a.symbols.len(), 2), |area| {
        bar_chart(
            area,
            &BarChart {
                labels: &a.symbols,
                series: &series,
                percent: true,
            },
        )
    });
    body.push_str(&chart_figure(
        "weights",
        "Weights today and at the target.",
        svg,
    ));
    if let Some(fr) = o.frontier {
        let risk = |s: &PortfolioStats| match fr.kind {
            FrontierKind::MeanVariance => s.volatility,
            FrontierKind::MeanCvar => s.cvar,
        };
        let point = |s: &PortfolioStats| (risk(s), s.expected_return);
        let curve: Vec<(f64, f64)> = fr.points.iter().map(|p| point(&p.stats)).collect();
        let assets: Vec<(String, f64, f64)> = a
            .symbols
            .iter()
            .zip(&fr.assets)
            .map(|(s, x)| {
                let risk = match fr.kind {
                    FrontierKind::MeanVariance => x.1,
                    FrontierKind::MeanCvar => x.2,
                };
                (s.clone(), risk, x.0)
            })
            .collect();
        let cml = match (fr.kind, fr.max_sharpe.as_ref()) {
            (FrontierKind::MeanVariance, Some(p)) if p.stats.sharpe.is_finite() => {
                Some((fr.risk_free, p.stats.sharpe))
            }
            _ => None,
        };
        let x_label = match fr.kind {
            FrontierKind::MeanVariance => "Volatility (annualised)",
            FrontierKind::MeanCvar => "CVaR (per period)",
        };
        let svg = chart_svg(800, 420, |area| {
            frontier_chart(
                area,
                &FrontierChart {
                    x_label,
                    y_label: "Expected return (annualised)",
                    curve: &curve,
                    assets: &assets,
                    current: Some(point(&fr.current)),
                    min_risk: fr.points.first().map(|p| point(&p.stats)),
                    max_sharpe: fr.max_sharpe.as_ref().map(|p| point(&p.stats)),
                    cml,
                    selected: None,
                    hovered: None,
                    percent: true,
                },
            )
        });
        body.push_str(&chart_figure(
            "frontier",
            &format!(
                "Efficient frontier ({} points); grey dots are the assets alone.",
                fr.points.len()
            ),
            svg,
        ));
        body.push_str(&notes(&fr.notes));
    }
    Section {
        id: "optimisation",
        title: "Optimisation".into(),
        body,
    }
}
