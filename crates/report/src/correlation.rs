//! Correlation: the estimator, the diversification figures, the threshold clusters, the
//! breakdown events, the clustered heat map and the dendrogram.

use crate::escape::esc;
use crate::html::{chart_figure, notes, num, pct, table, Cell};
use crate::svg::chart_svg;
use crate::Section;
use ballast_charts::{dendrogram, heatmap, DendrogramChart, HeatmapChart};
use ballast_core::correlation_analysis::CorrelationAnalysis;
use ballast_core::correlation_dynamics::BreakdownKind;

pub(crate) fn section(c: &CorrelationAnalysis) -> Section {
    let sym = |i: usize| c.symbols.get(i).map_or("?", String::as_str);
    let est = &c.estimate;
    let mut body = String::new();
    body.push_str(&format!(
        "<p>Estimator: <strong>{}</strong> · linkage {} · clusters at |ρ| ≥ {}</p>\n",
        esc(&est.estimator.label()),
        esc(c.params.linkage.label()),
        num(c.params.threshold, 2)
    ));
    let mut est_notes = est.notes.clone();
    if let Some(s) = est.shrinkage {
        est_notes.push(format!("Shrinkage intensity {}", num(s, 4)));
    }
    if est.repaired {
        est_notes
            .push("The estimate was repaired to the nearest positive semi-definite matrix.".into());
    }
    body.push_str(&notes(&est_notes));

    let d = &c.diversification;
    let rows = vec![
        vec![
            Cell::text("Average pairwise correlation"),
            Cell::num(&num(c.average_correlation, 3)),
            Cell::conv("mean off-diagonal ρ of the estimate"),
        ],
        vec![
            Cell::text("Diversification ratio"),
            Cell::num(&num(d.diversification_ratio, 3)),
            Cell::conv("Σ|w_i|σ_i / σ_p (Choueifaty & Coignard); 1 = no diversification"),
        ],
        vec![
            Cell::text("Effective number of bets"),
            Cell::num(&num(d.effective_number_of_bets, 2)),
            Cell::conv("exp of the entropy of the risk-contribution shares (Meucci)"),
        ],
        vec![
            Cell::text("Herfindahl index"),
            Cell::num(&num(d.herfindahl, 4)),
            Cell::conv("Σ (w_i / Σ|w|)² over the positions, cash excluded"),
        ],
        vec![
            Cell::text("Effective number of positions"),
            Cell::num(&num(d.effective_number_of_positions, 2)),
            Cell::conv("1 / Herfindahl"),
        ],
    ];
    body.push_str(&table(
        "",
        "Diversification",
        &[("Figure", false), ("Value", true), ("Convention", false)],
        rows,
    ));

    let rows = c
        .clusters
        .iter()
        .filter(|k| k.members.len() > 1)
        .map(|k| {
            let members: Vec<&str> = k.members.iter().map(|&i| sym(i)).collect();
            vec![
                Cell::text(&members.join(", ")),
                Cell::num(&k.members.len().to_string()),
                Cell::num(&pct(k.weight)),
                Cell::num(&pct(k.gross_weight)),
                Cell::num(&num(k.min_abs_corr_link, 3)),
            ]
        })
        .collect::<Vec<_>>();
    let singletons = c.clusters.iter().filter(|k| k.members.len() == 1).count();
    body.push_str(&table(
        "",
        &format!(
            "Correlated clusters (|ρ| ≥ {}), largest share of value first; {singletons} assets stand alone",
            num(c.params.threshold, 2)
        ),
        &[
            ("Members", false),
            ("Assets", true),
            ("Share of value", true),
            ("Gross share", true),
            ("Weakest link |ρ|", true),
        ],
        rows,
    ));

    let rows = c
        .breakdowns
        .iter()
        .map(|b| {
            vec![
                Cell::text(match b.kind {
                    BreakdownKind::Correlation => "Correlation breakdown",
                    BreakdownKind::Volatility => "Volatility spike",
                }),
                Cell::text(&b.start.to_string()),
                Cell::text(&b.end.to_string()),
                Cell::text(&b.peak.to_string()),
                Cell::num(&num(b.peak_value, 3)),
                Cell::num(&b.days.to_string()),
            ]
        })
        .collect();
    let bs = &c.params.breakdown;
    body.push_str(&table(
        "",
        &format!(
            "Breakdown events: {}-period average correlation above the {}-period level by more \
             than {}, or volatility above {}× its long-window level",
            bs.short_window,
            bs.long_window,
            num(bs.correlation_jump, 2),
            num(bs.volatility_ratio, 2)
        ),
        &[
            ("Event", false),
            ("Start", false),
            ("End", false),
            ("Peak", false),
            ("Peak value", true),
            ("Dates", true),
        ],
        rows,
    ));

    let n = c.symbols.len();
    let side = (n as u32 * 32 + 160).clamp(360, 800);
    let scale = format!("ρ ({})", est.estimator.label());
    let svg = chart_svg(side, side, |area| {
        heatmap(
            area,
            &HeatmapChart {
                labels: &c.symbols,
                values: &est.correlation.data,
                order: &c.dendrogram.leaf_order,
                title_scale: &scale,
                show_values: true,
            },
        )
    });
    body.push_str(&chart_figure(
        "heatmap",
        "Correlation matrix in the dendrogram's leaf order (blue positive, red negative).",
        svg,
    ));
    let merges: Vec<(usize, usize, f64)> = c
        .dendrogram
        .merges
        .iter()
        .map(|m| (m.a, m.b, m.height))
        .collect();
    let svg = chart_svg(800, 340, |area| {
        dendrogram(
            area,
            &DendrogramChart {
                labels: &c.symbols,
                merges: &merges,
                leaf_order: &c.dendrogram.leaf_order,
                horizontal: false,
                height_label: "distance √(½(1−ρ))",
                cut: Some((0.5 * (1.0 - c.params.threshold)).sqrt()),
            },
        )
    });
    body.push_str(&chart_figure(
        "dendrogram",
        &format!(
            "Hierarchical clustering ({}); the dashed line is the cluster threshold.",
            c.params.linkage.label()
        ),
        svg,
    ));
    Section {
        id: "correlation",
        title: "Correlation".into(),
        body,
    }
}
