//! The `ballast` binary end to end: the sample files, the reference portfolio P4, bad input.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// Closed-form metrics against the reference values (see crates/core/tests/data/reference/).
const CLOSED_FORM_REL_TOL: f64 = 1e-9;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(name: &str) -> String {
    root()
        .join("data/sample")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn ballast(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .output()
        .expect("the ballast binary runs")
}

fn json(args: &[&str]) -> Value {
    let mut a = vec!["analyze"];
    a.extend_from_slice(args);
    a.push("--json");
    let out = ballast(&a);
    assert!(
        out.status.success(),
        "ballast failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints one JSON object")
}

fn assert_rel(key: &str, got: f64, want: f64, tol: f64) {
    let rel = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
    assert!(
        rel <= tol,
        "{key}: got {got}, want {want} (rel {rel:e} > {tol:e})"
    );
}

#[test]
fn sample_json_has_the_documented_keys() {
    let v = json(&[
        "--prices",
        &sample("sp500_prices.csv"),
        "--holdings",
        &sample("holdings.csv"),
        "--benchmark",
        &sample("sp500_index.csv"),
    ]);
    assert_eq!(v["window"]["start"], "1990-01-02");
    assert_eq!(v["window"]["end"], "2022-12-28");
    assert_eq!(v["window"]["observations"], 8312);
    assert_eq!(v["window"]["periods_per_year"], 252.0);
    for key in [
        "cumulative_return",
        "cagr",
        "annualized_volatility",
        "sharpe",
        "sortino",
        "max_drawdown",
        "current_drawdown",
        "var_historical_95",
        "cvar_historical_95",
        "beta",
    ] {
        let x = v["metrics"][key].as_f64();
        assert!(
            x.is_some_and(f64::is_finite),
            "metrics.{key} is {:?}",
            v["metrics"][key]
        );
    }
    let m = &v["metrics"];
    let mdd = m["max_drawdown"].as_f64().unwrap_or(f64::NAN);
    assert!(
        mdd > 0.0 && mdd < 1.0,
        "max drawdown is a positive fraction: {mdd}"
    );
    assert!(m["cvar_historical_95"].as_f64() >= m["var_historical_95"].as_f64());
    assert_eq!(
        v["portfolio"]["positions"].as_array().map(Vec::len),
        Some(20)
    );
    let total = v["portfolio"]["total_value"].as_f64().unwrap_or(0.0);
    assert!(
        (total - 1_000_000.0).abs() < 1.0,
        "sample worth about $1,000,000: {total}"
    );
}

/// Equal weights of 5% held constant are the reference portfolio P4 of
/// `metrics_sp500.json` (equal weight rebalanced daily): the CLI must reproduce its
/// recommended values.
#[test]
fn equal_weight_sample_reproduces_reference_p4() {
    let v = json(&[
        "--prices",
        &sample("sp500_prices.csv"),
        "--holdings",
        &data("equal_weight_holdings.csv"),
        "--benchmark",
        &sample("sp500_index.csv"),
    ]);
    let m = &v["metrics"];
    // Recommended entries of metrics_sp500.json (losses turned positive).
    let want = [
        ("cumulative_return", 247.42441253451932),
        ("cagr", 0.18199754140034496),
        ("annualized_volatility", 0.18934707267648052),
        ("sharpe", 0.9780024591843908),
        ("sortino", 1.4324539932463078),
        ("max_drawdown", 0.4840751122596194),
        ("var_historical_95", 0.017441999827292245),
        ("cvar_historical_95", 0.027151732679023554),
        ("beta", 0.9607067940819405),
    ];
    for (key, w) in want {
        assert_rel(
            key,
            m[key].as_f64().unwrap_or(f64::NAN),
            w,
            CLOSED_FORM_REL_TOL,
        );
    }
    assert_eq!(v["drawdown"]["max_drawdown_peak"], "2007-12-10");
    assert_eq!(v["drawdown"]["max_drawdown_trough"], "2009-03-05");
    assert_eq!(v["drawdown"]["max_drawdown_recovery"], "2010-03-17");
}

#[test]
fn table_output_is_readable() {
    let out = ballast(&["analyze", "--prices", &sample("sp500_prices.csv")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Sharpe"), "{text}");
    assert!(text.contains("Window 1990-01-02 – 2022-12-28"), "{text}");
    assert!(text.contains("equal"), "no-holdings note missing: {text}");
}

#[test]
fn bad_input_gives_a_message_and_non_zero_exit() {
    let out = ballast(&["analyze", "--prices", &data("broken_prices.csv"), "--json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken_prices.csv"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("BBB"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout on failure");

    let out = ballast(&["analyze", "--prices", "/nonexistent/prices.csv"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));

    let out = ballast(&[
        "analyze",
        "--prices",
        &sample("sp500_prices.csv"),
        "--confidence",
        "1.5",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--confidence"));
}

#[test]
fn holding_without_prices_is_named() {
    let dir = std::env::temp_dir().join(format!("ballast-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let h = dir.join("h.csv");
    std::fs::write(&h, "symbol,shares\nAAPL,10\nZZZZ,5\n").expect("write");
    let out = ballast(&[
        "analyze",
        "--prices",
        &sample("sp500_prices.csv"),
        "--holdings",
        &h.to_string_lossy(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ZZZZ"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn benchmark_symbol_from_the_prices() {
    // Held: KO stays in the portfolio and is the benchmark too.
    let v = json(&[
        "--prices",
        &sample("sp500_prices.csv"),
        "--holdings",
        &sample("holdings.csv"),
        "--benchmark-symbol",
        "KO",
    ]);
    assert_eq!(v["benchmark"], "KO");
    assert_eq!(
        v["portfolio"]["positions"].as_array().map(Vec::len),
        Some(20)
    );
    // Not held (no holdings: equal weight): KO leaves the portfolio.
    let v = json(&[
        "--prices",
        &sample("sp500_prices.csv"),
        "--benchmark-symbol",
        "KO",
    ]);
    assert_eq!(
        v["portfolio"]["positions"].as_array().map(Vec::len),
        Some(19)
    );
    assert!(v["metrics"]["beta"].as_f64().is_some());
}
