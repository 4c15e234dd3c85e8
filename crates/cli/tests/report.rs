//! `ballast report` on the sample files: the file is written with every section; an
//! unwritable `--out` is named; every option is documented.

mod common;

use common::*;

use std::path::PathBuf;

fn out_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ballast-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

fn report(extra: &[&str], name: &str) -> String {
    let out = out_path(name);
    let prices = sample("sp500_prices.csv");
    let holdings = sample("holdings.csv");
    let bench = sample("sp500_index.csv");
    let mut args = vec![
        "report",
        "--prices",
        &prices,
        "--holdings",
        &holdings,
        "--benchmark",
        &bench,
        "--generated",
        "2024-05-17",
        "--out",
    ];
    let out_s = out.to_string_lossy().into_owned();
    args.push(&out_s);
    args.extend_from_slice(extra);
    let r = ballast(&args);
    assert!(
        r.status.success(),
        "ballast report failed: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(stdout.contains("wrote "), "{stdout}");
    std::fs::read_to_string(&out).expect("the report was written")
}

#[test]
fn report_is_written_with_every_section() {
    let html = report(&["--mc-paths", "2000"], "sample.html");
    for h in [
        "Overview",
        "Risk",
        "Drawdowns",
        "Performance",
        "Correlation",
        "Parameters and conventions",
        "Data provenance",
    ] {
        assert!(html.contains(&format!("<h2>{h}</h2>")), "section {h}");
    }
    assert!(!html.contains("<h2>Optimisation</h2>"));
    assert_eq!(html.matches("<svg").count(), 10);
    for f in ["sp500_prices.csv", "holdings.csv", "sp500_index.csv"] {
        assert!(html.contains(f), "file {f}");
    }
    assert!(html.contains("Generated 2024-05-17"));
    assert!(
        html.contains("Monte Carlo: multivariate Student-t"),
        "MC models"
    );
    assert!(!html.to_ascii_lowercase().contains("<script"));
}

#[test]
fn report_with_optimisation_frontier_and_alerts() {
    let html = report(
        &[
            "--optimize",
            "min-variance",
            "--frontier",
            "5",
            "--alerts",
            "--mc-paths",
            "0",
        ],
        "optimised.html",
    );
    assert!(html.contains("<h2>Optimisation</h2>"));
    assert!(html.contains("<h2>Limits and alerts</h2>"));
    assert!(html.contains("data-chart=\"frontier\""));
    assert!(html.contains("data-chart=\"weights\""));
    assert_eq!(html.matches("<svg").count(), 12);
}

#[test]
fn unwritable_out_is_named() {
    let missing = out_path("no/such/dir/r.html");
    let r = ballast(&[
        "report",
        "--prices",
        &sample("sp500_prices.csv"),
        "--mc-paths",
        "0",
        "--out",
        &missing.to_string_lossy(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("--out"), "{err}");
    assert!(r.stdout.is_empty());
}

#[test]
fn docs_name_every_report_option() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).expect("docs/cli.md");
    let section = doc
        .split("## `ballast report`")
        .nth(1)
        .expect("docs/cli.md has a ballast report section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let help = ballast(&["report", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    let mut options: Vec<&str> = help
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', ':', '.', ')']))
        .filter(|w| w.starts_with("--") && w.len() > 2 && *w != "--help")
        .collect();
    options.sort_unstable();
    options.dedup();
    assert!(options.len() >= 25, "{options:?}");
    for opt in options {
        assert!(
            section.contains(&format!("`{opt}")),
            "docs/cli.md report: option {opt}"
        );
    }
}
