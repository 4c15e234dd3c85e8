//! The report of the built-in sample through `ballast_core::pipeline`: sections, one SVG per
//! promised chart, parameters, provenance, the same numbers as `figures.rs`; hostile text
//! escaped everywhere; nothing loaded from elsewhere; the time it takes.

use ballast_core::analysis::AnalysisParams;
use ballast_core::correlation_analysis::{analyze_correlation, CorrelationParams};
use ballast_core::figures::{format_value, headline_figures, suite_figures};
use ballast_core::optimize::frontier::{frontier, FrontierKind};
use ballast_core::optimize::{optimize, Market, Objective, OptimizeSpec};
use ballast_core::pipeline::{run, InputFile, PipelineInput, PipelineOutput};
use ballast_core::trading::heat::heat_map;
use ballast_core::trading::limits::{evaluate, snapshot, Limits};
use ballast_report::{render_report, section_titles, ReportInput, ReportOptimisation};
use std::path::PathBuf;

const GENERATED: &str = "2024-05-17 09:30 UTC";

fn sample(name: &str) -> InputFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/sample")
        .join(name);
    InputFile::new(name, std::fs::read(path).expect("sample file"))
}

fn files() -> Vec<(String, String)> {
    vec![
        ("sp500_prices.csv".into(), "prices".into()),
        ("holdings.csv".into(), "holdings".into()),
        ("sp500_index.csv".into(), "benchmark".into()),
    ]
}

fn sample_output() -> PipelineOutput {
    let prices = [sample("sp500_prices.csv")];
    let holdings = sample("holdings.csv");
    let bench = sample("sp500_index.csv");
    run(&PipelineInput {
        prices: &prices,
        holdings: Some(&holdings),
        benchmark: Some(&bench),
        params: AnalysisParams::default(),
        ..Default::default()
    })
    .expect("the sample analyses")
}

/// Charts the report promises: `<figure class="chart" data-chart="…">` ids, in order.
fn chart_ids(html: &str) -> Vec<String> {
    html.split("data-chart=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or("").to_string())
        .collect()
}

/// Every tag's attribute names (lower case): the text between `<` and `>`, outside quotes.
fn attribute_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let mut in_quote = None;
        let mut word = String::new();
        for c in tag.chars() {
            match (in_quote, c) {
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => in_quote = Some(c),
                (None, '=') => {
                    names.push(word.trim().to_ascii_lowercase());
                    word.clear();
                }
                (None, c) if c.is_whitespace() => word.clear(),
                (None, c) => word.push(c),
            }
        }
    }
    names
}

/// Nothing runs and nothing is loaded from elsewhere.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "no script");
    assert!(!lower.contains("http://"), "no http:// reference");
    assert!(!lower.contains("https://"), "no https:// reference");
    assert!(!lower.contains("<img"), "no raw <img");
    assert!(!lower.contains("<link"), "no stylesheet link");
    assert!(!lower.contains("url("), "no CSS url()");
    assert!(!lower.contains("@import"), "no CSS import");
    let names = attribute_names(html);
    assert!(!names.is_empty());
    for n in &names {
        assert!(!n.starts_with("on"), "inline event handler attribute {n}");
        assert!(n != "src", "src attribute");
    }
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "only in-page links: {}",
            &href[..href.len().min(40)]
        );
    }
}

#[test]
fn sample_report_has_every_section_chart_and_figure() {
    let out = sample_output();
    let (a, an) = (&out.aligned, &out.analysis);
    let corr = analyze_correlation(a, &CorrelationParams::default()).expect("correlation");
    let files = files();
    let input = ReportInput {
        aligned: a,
        analysis: an,
        params: &an.params,
        correlation: Some(&corr),
        monte_carlo: &[],
        files: &files,
        generated: GENERATED,
        optimisation: None,
        alerts: None,
        heat: None,
    };
    let t = std::time::Instant::now();
    let html = render_report(&input);
    let elapsed = t.elapsed();
    println!(
        "render_report (sample, 20 assets, 8312 days): {:.1} ms, {} KB",
        elapsed.as_secs_f64() * 1e3,
        html.len() / 1024
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));

    // Sections.
    let titles: Vec<String> = section_titles(&input).into_iter().map(|s| s.1).collect();
    assert_eq!(
        titles,
        [
            "Overview",
            "Risk",
            "Drawdowns",
            "Performance",
            "Correlation",
            "Parameters and conventions",
            "Data provenance"
        ]
    );
    for t in &titles {
        assert!(html.contains(&format!("<h2>{t}</h2>")), "section {t}");
    }
    assert!(!html.contains("<h2>Optimisation</h2>"));
    assert!(!html.contains("<h2>Limits and alerts</h2>"));

    // One SVG per promised chart.
    let charts = chart_ids(&html);
    assert_eq!(
        charts,
        [
            "equity",
            "histogram",
            "decomposition",
            "backtest",
            "underwater",
            "contributions",
            "rolling-volatility",
            "rolling-ratios",
            "heatmap",
            "dendrogram"
        ]
    );
    assert_eq!(html.matches("<svg").count(), charts.len());
    assert_eq!(html.matches("</svg>").count(), charts.len());
    assert!(!html.contains("class=\"chart-error\""), "every chart drew");
    assert!(html.matches("<polyline").count() >= 5, "lines are drawn");

    // Parameters.
    for field in [
        "risk_free_annual",
        "confidence",
        "horizon",
        "ewma_lambda",
        "var_model",
        "rolling_window",
        "backtest_window",
        "top_episodes",
        "cagr_convention",
        "correlation.estimator",
        "correlation.linkage",
        "correlation.threshold",
    ] {
        assert!(
            html.contains(&format!("<code>{field}</code>")),
            "parameter {field}"
        );
    }

    // Provenance and the generated date.
    for (name, role) in &files {
        assert!(
            html.contains(&format!("<td>{name}</td><td>{role}</td>")),
            "file {name}"
        );
    }
    assert!(html.contains("1990-01-02 – 2022-12-28"), "window");
    assert!(html.contains("8312 returns"), "observations");
    assert!(html.contains("daily (252 periods per year)"), "frequency");
    assert!(html.matches(GENERATED).count() >= 2, "generated date");

    // The numbers are figures.rs's.
    for f in headline_figures(an, a) {
        let card = format!(
            "data-key=\"{}\"><div class=\"label\">{}</div><div class=\"value\">{}</div>",
            f.key,
            f.label,
            format_value(&f)
        );
        assert!(html.contains(&card), "headline {}: {card}", f.key);
    }
    let groups = suite_figures(an, a);
    let all: Vec<_> = groups.iter().flat_map(|g| &g.figures).collect();
    for key in [
        "sortino",
        "calmar",
        "max_drawdown",
        "ulcer_index",
        "tracking_error",
    ] {
        let f = all.iter().find(|f| f.key == key).expect(key);
        let row = format!(
            "<td>{}</td><td class=\"num\">{}</td>",
            f.label,
            format_value(f)
        );
        assert!(html.contains(&row), "suite {key}: {row}");
    }
    let sharpe = all.iter().find(|f| f.key == "sharpe").expect("sharpe");
    let bench = ballast_core::figures::Figure {
        value: sharpe.benchmark_value,
        ..(*sharpe).clone()
    };
    assert!(
        html.contains(&format!(
            "<td>Sharpe</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            format_value(sharpe),
            format_value(&bench)
        )),
        "Sharpe with its benchmark column"
    );
    assert!(html.contains("Benchmark (SP500)") || html.contains("Benchmark ("));
    for e in &an.var {
        assert!(
            html.contains(&format!("{:.2}%", e.var * 100.0)),
            "{:?} VaR",
            e.model
        );
    }
    let y = an.monthly.last().expect("a year");
    assert!(html.contains(&format!("<td>{}</td>", y.year)));
    assert!(html.contains(&format!("{:.2}%", y.year_return * 100.0)));
    assert!(html.contains("Kupiec") && html.contains("Christoffersen") && html.contains("Basel"));

    // Print CSS.
    assert!(html.contains("@media print"));
    assert!(html.contains("break-inside: avoid"));
    assert!(html.contains("break-before: page"));
    assert_self_contained(&html);

    assert!(
        elapsed.as_secs_f64() < 1.0,
        "the report takes {elapsed:?} natively (budget: 1 s in the browser)"
    );
}

#[test]
fn optimisation_and_limits_sections_when_given() {
    let out = sample_output();
    let (a, an) = (&out.aligned, &out.analysis);
    let market = Market::from_aligned(a);
    let spec = OptimizeSpec {
        objective: Objective::MinVariance,
        ..Default::default()
    };
    let result = optimize(&market, &spec).expect("optimises");
    let fr = frontier(&market, &spec, FrontierKind::MeanVariance, 8).expect("frontier");
    let limits = Limits::default();
    let alerts = evaluate(&snapshot(a, &limits).expect("snapshot"), &limits);
    let heat = heat_map(a, &limits).expect("heat map");
    let files = files();
    let input = ReportInput {
        aligned: a,
        analysis: an,
        params: &an.params,
        correlation: None,
        monte_carlo: &[],
        files: &files,
        generated: GENERATED,
        optimisation: Some(ReportOptimisation {
            result: &result,
            current: None,
            frontier: Some(&fr),
        }),
        alerts: Some(&alerts),
        heat: Some(&heat),
    };
    let html = render_report(&input);
    for t in ["Optimisation", "Limits and alerts"] {
        assert!(html.contains(&format!("<h2>{t}</h2>")), "section {t}");
    }
    assert!(!html.contains("<h2>Correlation</h2>"));
    let charts = chart_ids(&html);
    assert!(charts.contains(&"weights".to_string()) && charts.contains(&"frontier".to_string()));
    assert!(!charts.contains(&"heatmap".to_string()));
    assert_eq!(charts.len(), 10);
    assert_eq!(html.matches("<svg").count(), charts.len());
    assert!(!html.contains("class=\"chart-error\""));
    assert!(html.contains(&result.label));
    for c in &heat.positions {
        assert!(html.contains(&format!("<td>{}</td>", c.symbol)));
    }
    for al in &alerts {
        assert!(html.contains(&ballast_report::escape::esc(&al.message)));
    }
    assert_self_contained(&html);
}

const XSS: &str = "<img src=x onerror=alert(1)>";

/// A tiny portfolio whose symbol, sector and file name are markup.
#[test]
fn hostile_text_is_escaped_everywhere() {
    let mut csv = format!("date,{XSS},SAFE\n");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
    let (mut p, mut q) = (100.0f64, 50.0f64);
    let mut day = start;
    for i in 0..400 {
        while matches!(
            chrono::Datelike::weekday(&day),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        ) {
            day += chrono::Duration::days(1);
        }
        p *= 1.0 + 0.012 * ((i as f64 * 0.7).sin());
        q *= 1.0 + 0.009 * ((i as f64 * 1.3).cos());
        csv.push_str(&format!("{day},{p:.4},{q:.4}\n"));
        day += chrono::Duration::days(1);
    }
    let holdings = format!(
        "symbol,shares,sector\n\"{XSS}\",10,\"<script>alert(2)</script>\"\nSAFE,20,\"A&B <b>\"\n"
    );
    let file_name = format!("{XSS}.csv");
    let prices = [InputFile::new(file_name.clone(), csv.into_bytes())];
    let holdings = InputFile::new("h<o>ldings.csv", holdings.into_bytes());
    let out = run(&PipelineInput {
        prices: &prices,
        holdings: Some(&holdings),
        benchmark_symbol: None,
        params: AnalysisParams::default(),
        ..Default::default()
    })
    .expect("the hostile portfolio analyses");
    assert!(
        out.aligned.symbols.iter().any(|s| s == XSS),
        "{:?}",
        out.aligned.symbols
    );
    let corr = analyze_correlation(&out.aligned, &CorrelationParams::default()).expect("corr");
    let files = vec![
        (file_name, "prices".to_string()),
        (
            "h<o>ldings.csv".to_string(),
            "holdings\" onclick=\"x".to_string(),
        ),
    ];
    let market = Market::from_aligned(&out.aligned);
    let spec = OptimizeSpec {
        objective: Objective::MinVariance,
        ..Default::default()
    };
    let result = optimize(&market, &spec).expect("optimises");
    let limits = Limits::default();
    let alerts = evaluate(&snapshot(&out.aligned, &limits).expect("snapshot"), &limits);
    let heat = heat_map(&out.aligned, &limits).expect("heat");
    let html = render_report(&ReportInput {
        aligned: &out.aligned,
        analysis: &out.analysis,
        params: &out.analysis.params,
        correlation: Some(&corr),
        monte_carlo: &[],
        files: &files,
        generated: "<script>alert(3)</script>",
        optimisation: Some(ReportOptimisation {
            result: &result,
            current: None,
            frontier: None,
        }),
        alerts: Some(&alerts),
        heat: Some(&heat),
    });
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the symbol shows as text"
    );
    assert!(
        html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "the sector as text"
    );
    assert!(
        html.contains("h&lt;o&gt;ldings.csv"),
        "the file name as text"
    );
    assert!(html.contains("A&amp;B &lt;b&gt;"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<o>"));
    assert!(!html.contains("onclick=\"x"));
    assert_self_contained(&html);
}
