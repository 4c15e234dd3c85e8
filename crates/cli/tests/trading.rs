//! `ballast size` and `ballast check` end to end: sizing rules on hand-checkable numbers, the
//! ATR from high/low/close columns, pre-trade verdicts and their exit status, the limits'
//! options, the alerts, exposure and hedge sections, errors naming their option, and the
//! documentation of every option and JSON key.

mod common;

use common::*;

use serde_json::Value;
use std::process::Output;

/// Money and share figures that are exact up to binary rounding.
const TOL: f64 = 1e-9;

fn parse(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("--json prints JSON ({e}): {}", stderr(out)))
}

/// `ballast size … --json` on the sample: the results.
fn size_json(extra: &[&str]) -> Vec<Value> {
    let mut a = extra.to_vec();
    a.push("--json");
    let out = on_sample("size", &a);
    assert!(
        out.status.success(),
        "ballast size failed: {}",
        stderr(&out)
    );
    array(&parse(&out), "size --json").clone()
}

/// A refused command: its exit status, the option named on stderr, nothing on stdout.
fn refused(out: &Output, code: i32, option: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(option), "names {option}: {err}");
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", stdout(out));
}

#[test]
fn atr_sizing_worked_example() {
    // risk 100, stop 2 ATRs: ATR 5 → 100/(5·2) = 10 shares; ATR 20 → 2.5.
    for (atr, want) in [("5", 10.0), ("20", 2.5)] {
        let r = size_json(&[
            "--symbol",
            "AAPL",
            "--method",
            "atr",
            "--risk-amount",
            "100",
            "--atr",
            atr,
            "--atr-multiple",
            "2",
        ]);
        assert_eq!(r.len(), 1);
        let r = &r[0];
        assert_eq!(r["symbol"], "AAPL");
        assert!((number(&r["shares"], "shares") - want).abs() < TOL, "{r}");
        assert_eq!(number(&r["whole_shares"], "whole_shares"), want.trunc());
        assert!((number(&r["risk_amount"], "risk_amount") - 100.0).abs() < TOL);
        assert!(r["capped_by"].is_null());
    }
    // The default multiple is 2, and the text names the figures.
    let out = on_sample(
        "size",
        &[
            "--symbol",
            "AAPL",
            "--method",
            "atr",
            "--risk-amount",
            "100",
            "--atr",
            "5",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for part in [
        "Shares            10",
        "Whole shares      10",
        "% of equity",
        "Risk              100.00",
        "Binding cap       none",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[test]
fn atr_from_the_data_says_which_ranges() {
    // ACME.csv (Yahoo layout): High = C + 1, Low = C − 1, closes alternating 50 / 50.5, so every
    // true range is 2 and ATR(14) = 2: 100/(2·2) = 25 shares at the last close 50.5.
    let prices = sample("sp500_prices.csv");
    let acme = fixture("ACME.csv");
    let holdings = sample("holdings.csv");
    let out = ballast(&[
        "size",
        "--prices",
        &prices,
        &acme,
        "--holdings",
        &holdings,
        "--symbol",
        "acme",
        "--method",
        "atr",
        "--risk-amount",
        "100",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = parse(&out);
    let r = &array(&v, "results")[0];
    assert_eq!(r["symbol"], "ACME");
    assert!((number(&r["shares"], "shares") - 25.0).abs() < TOL, "{r}");
    assert!((number(&r["value"], "value") - 25.0 * 50.5).abs() < TOL);
    let notes = r["notes"].to_string();
    assert!(notes.contains("ATR(14) of ACME = 2.0000"), "{notes}");
    assert!(notes.contains("high/low/close"), "{notes}");
    // The sample's wide file has closes only: close-to-close, said so.
    let r = &size_json(&[
        "--symbol",
        "AAPL",
        "--method",
        "atr",
        "--risk-amount",
        "100",
    ])[0];
    let notes = r["notes"].to_string();
    assert!(notes.contains("close-to-close"), "{notes}");
}

#[test]
fn caps_are_named_and_portfolio_methods_give_one_row_per_position() {
    let r = &size_json(&[
        "--symbol",
        "KO",
        "--method",
        "fixed-amount",
        "--amount",
        "50000",
        "--max-position-pct",
        "0.03",
        "--equity",
        "1000000",
    ])[0];
    assert!(
        (number(&r["value"], "value") - 30_000.0).abs() < 1e-6,
        "{r}"
    );
    assert!(r["capped_by"]
        .as_str()
        .is_some_and(|c| c.starts_with("maximum position 3%")));
    assert!(number(&r["uncapped_shares"], "uncapped") > number(&r["shares"], "shares"));
    // fixed fractional: 1,000,000 × 1% / 5 = 2000 shares.
    let r = &size_json(&[
        "--symbol",
        "KO",
        "--method",
        "fixed-fractional",
        "--risk-pct",
        "0.01",
        "--stop-distance",
        "5",
        "--equity",
        "1000000",
    ])[0];
    assert!(
        (number(&r["shares"], "shares") - 2000.0).abs() < 1e-6,
        "{r}"
    );
    // Volatility target: every held position, each with its detail.
    let rows = size_json(&["--method", "vol-target", "--target-vol", "0.1"]);
    assert_eq!(rows.len(), 20);
    for r in &rows {
        assert_eq!(r["detail"]["kind"], "volatility_target");
        assert!(
            number(&r["shares"], "shares") < 0.0,
            "scaling down sells: {r}"
        );
    }
    // Risk budget: per symbol, buying power shared by one factor.
    let rows = size_json(&[
        "--method",
        "risk-budget",
        "--total-risk",
        "10000",
        "--budget",
        "AAPL=0.5",
        "--budget",
        "KO=0.3",
        "--buying-power",
        "50000",
    ]);
    assert_eq!(rows.len(), 2);
    let spent: f64 = rows.iter().map(|r| number(&r["value"], "value")).sum();
    assert!((spent - 50_000.0).abs() < 1e-6, "{spent}");
    // Kelly and the VaR budget carry their figures.
    let r = &size_json(&["--symbol", "AAPL", "--method", "kelly", "--rf", "0.02"])[0];
    assert_eq!(r["detail"]["kind"], "kelly");
    assert!(number(&r["detail"]["weight"], "weight") <= 0.25 + TOL);
    let r = &size_json(&[
        "--symbol",
        "JNJ",
        "--method",
        "var-budget",
        "--var-budget",
        "20000",
    ])[0];
    assert_eq!(r["detail"]["kind"], "var_budget");
    assert!(number(&r["detail"]["var_after"], "var_after") <= 20_000.0 + 1e-6);
}

#[test]
fn size_errors_name_the_option() {
    let cases: [(&[&str], i32, &str); 9] = [
        (
            &["--symbol", "AAPL", "--method", "atr", "--risk-amount", "-5"],
            1,
            "--risk-amount",
        ),
        (&["--symbol", "AAPL", "--method", "atr"], 1, "--risk-amount"),
        (
            &["--symbol", "AAPL", "--method", "kelly", "--atr", "3"],
            1,
            "--atr",
        ),
        (
            &[
                "--method",
                "vol-target",
                "--target-vol",
                "0.1",
                "--symbol",
                "KO",
            ],
            1,
            "--symbol",
        ),
        (
            &[
                "--method",
                "risk-budget",
                "--total-risk",
                "100",
                "--budget",
                "AAPL",
            ],
            2,
            "--budget",
        ),
        (
            &[
                "--method",
                "risk-budget",
                "--total-risk",
                "100",
                "--budget",
                "AAPL=0.8",
                "--budget",
                "KO=0.5",
            ],
            1,
            "--budget",
        ),
        (
            &["--method", "atr", "--symbol", "ZZZ", "--risk-amount", "100"],
            1,
            "--price",
        ),
        (
            &[
                "--method",
                "kelly",
                "--symbol",
                "KO",
                "--kelly-fraction",
                "2",
            ],
            1,
            "--kelly-fraction",
        ),
        (
            &[
                "--method",
                "atr",
                "--symbol",
                "KO",
                "--risk-amount",
                "100",
                "--atr-period",
                "0",
            ],
            1,
            "--atr-period",
        ),
    ];
    for (args, code, option) in cases {
        refused(&on_sample("size", args), code, option);
    }
    // A period past any history is refused before it can overflow.
    refused(
        &on_sample(
            "size",
            &[
                "--method",
                "atr",
                "--symbol",
                "KO",
                "--risk-amount",
                "100",
                "--atr-period",
                "18446744073709551615",
            ],
        ),
        1,
        "--atr-period",
    );
    // Weights only: the account's value must be given.
    let prices = sample("sp500_prices.csv");
    let out = ballast(&[
        "size",
        "--prices",
        &prices,
        "--method",
        "fixed-amount",
        "--symbol",
        "KO",
        "--amount",
        "100",
    ]);
    refused(&out, 1, "--equity");
}

/// The trade that breaches the position limit: JNJ from 6% to 32% of the portfolio.
const BREACH: [&str; 10] = [
    "--side",
    "buy",
    "--quantity",
    "1500",
    "--symbol",
    "JNJ",
    "--price",
    "174",
    "--buying-power",
    "1000000",
];

fn check(extra: &[&str]) -> Output {
    on_sample("check", extra)
}

fn check_json(extra: &[&str], code: i32) -> Value {
    let mut a = extra.to_vec();
    a.push("--json");
    let out = check(&a);
    assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
    parse(&out)
}

#[test]
fn position_breach_is_rejected_with_exit_3_and_the_suggestion_passes() {
    let out = check(&BREACH);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("REJECTED: buy 1500 JNJ"), "{text}");
    assert!(
        text.contains("JNJ would be") && text.contains("30% critical position limit"),
        "{text}"
    );
    assert!(text.contains("Suggested quantity: "), "{text}");
    for part in [
        "JNJ weight",
        "Volatility (annualised)",
        "1-day 95% VaR",
        "Largest cluster",
        "Gross leverage",
        "Alerts now:",
        "Alerts after the trade:",
        "CRITICAL  JNJ is",
        "Margin use",
        "Fall to a margin call",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }

    let v = check_json(&BREACH, 3);
    assert_eq!(v["approved"], false);
    let reasons = array(&v["reasons"], "reasons");
    assert!(reasons.iter().any(
        |r| r["kind"] == "Position" && r["message"].as_str().is_some_and(|m| m.contains("JNJ"))
    ));
    let q = number(&v["suggested_quantity"], "suggested_quantity");
    assert!((1.0..1500.0).contains(&q) && q.fract() == 0.0, "{q}");
    let q = format!("{q}");
    let mut again = BREACH.to_vec();
    again[3] = &q;
    let out = check(&again);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("APPROVED"), "{}", stdout(&out));
}

#[test]
fn limit_options_change_the_outcome_and_the_alerts() {
    let trade = &BREACH[..];
    let strict = check_json(trade, 3);
    let position_alerts = |v: &Value, side: &str| -> Vec<String> {
        array(&v[side]["alerts"], "alerts")
            .iter()
            .filter(|a| a["kind"] == "Position" && a["subject"] == "JNJ")
            .map(|a| a["severity"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(position_alerts(&strict, "after"), ["Critical"]);
    assert_eq!(strict["limits"]["position_critical"], 0.3);
    let mut loose_args = trade.to_vec();
    loose_args.extend(["--limit-position", "0.5:0.6"]);
    let loose = check_json(&loose_args, 0);
    assert_eq!(loose["approved"], true);
    assert!(array(&loose["reasons"], "reasons").is_empty());
    assert!(loose["suggested_quantity"].is_null());
    assert!(position_alerts(&loose, "after").is_empty(), "{loose}");
    assert_eq!(loose["limits"]["position_warning"], 0.5);
    // And the current alerts: 9% AAPL is past a 5%:8% ladder.
    let v = check_json(&["--alerts-only", "--limit-position", "0.05:0.08"], 0);
    assert!(array(&v["alerts"], "alerts")
        .iter()
        .any(|a| a["kind"] == "Position" && a["subject"] == "AAPL" && a["severity"] == "Critical"));
    // A lower leverage limit rejects the same trade for leverage.
    let mut args = loose_args.clone();
    args.extend(["--max-leverage", "1.1"]);
    let v = check_json(&args, 3);
    assert!(array(&v["reasons"], "reasons")
        .iter()
        .any(|r| r["kind"] == "Leverage"));
}

#[test]
fn alerts_only_lists_alerts_heat_map_and_sectors() {
    let out = check(&["--alerts-only"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for part in [
        "Risk alerts (",
        "below its peak",
        "Heat map (score = min(1, 0.6 × exposure%/30 + 0.4 × risk%/30)",
        "Exposure%",
        "Sectors",
        "Concentrated",
        "Callouts",
        "BAC, JPM move together",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let v = check_json(&["--alerts-only"], 0);
    let alerts = array(&v["alerts"], "alerts");
    assert!(!alerts.is_empty());
    for a in alerts {
        assert!(
            ["Info", "Warning", "Critical", "Halt"].contains(&a["severity"].as_str().unwrap_or(""))
        );
    }
    let cells = array(&v["heat_map"]["positions"], "positions");
    assert_eq!(cells.len(), 20);
    let mut risk = 0.0;
    for c in cells {
        let e = number(&c["exposure_pct"], "exposure_pct");
        let r = number(&c["risk_pct"], "risk_pct");
        let want = (0.6 * e / 30.0 + 0.4 * r.max(0.0) / 30.0).min(1.0);
        assert!((number(&c["score"], "score") - want).abs() < 1e-12, "{c}");
        risk += r;
    }
    assert!(
        (risk - 100.0).abs() < 1e-6,
        "risk shares add up to 100: {risk}"
    );
    assert!(!array(&v["heat_map"]["sectors"], "sectors").is_empty());
    // Trade options do not belong to --alerts-only.
    refused(&check(&["--alerts-only", "--side", "buy"]), 1, "--side");
}

#[test]
fn exposure_hedges_and_a_symbol_that_is_not_held() {
    let prices = sample("sp500_prices.csv");
    let index = sample("sp500_index.csv");
    let holdings = fixture("three_holdings.csv");
    let out = ballast(&[
        "check",
        "--prices",
        &prices,
        "--holdings",
        &holdings,
        "--benchmark",
        &index,
        "--side",
        "buy",
        "--symbol",
        "KO",
        "--quantity",
        "500",
        "--sector",
        "Consumer Staples",
        "--limit-var",
        "0.05",
        "--limit-position",
        "0.4:0.5",
        "--hedge-instrument",
        "PG",
        "--maintenance-margin",
        "0.3",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = parse(&out);
    let after = array(&v["after"]["weights"], "weights");
    let ko = after.last().expect("KO is last");
    assert_eq!(ko[0], "KO");
    assert!(number(&ko[1], "KO weight") > 0.0);
    assert_eq!(v["trade"]["sector"], "Consumer Staples");
    // Exposure: G = L + S, use = m·G/E; the trade spends 500 × last price of the cash.
    let e = &v["exposure"];
    let (g, eq) = (number(&e["gross"], "gross"), number(&e["equity"], "equity"));
    assert!((g - number(&e["long"], "long") - number(&e["short"], "short")).abs() < 1e-6);
    assert!((number(&e["margin_use"], "margin_use") - 0.3 * g / eq).abs() < 1e-12);
    let price = number(&v["trade"]["price"], "price");
    let spent = number(&e["cash"], "cash") - number(&v["exposure_after"]["cash"], "cash after");
    assert!((spent - 500.0 * price).abs() < 1e-6, "{spent}");
    // Hedges: the beta hedge against the index and the minimum-variance hedge with PG (not
    // held, loaded): variance reduction ρ².
    assert_eq!(
        v["hedge"]["beta"]["method_label"],
        "beta hedge against SP500"
    );
    let h = &v["hedge"]["min_variance"];
    assert_eq!(h["method_label"], "minimum-variance hedge with PG");
    let rho = number(&h["correlation"], "correlation");
    assert!((number(&h["variance_reduction"], "variance_reduction") - rho * rho).abs() < 1e-9);
    assert!(number(&h["notional"], "notional") < 0.0);
    // A symbol neither held nor loaded is named.
    refused(
        &check(&["--side", "buy", "--symbol", "ZZZ", "--quantity", "5"]),
        1,
        "--symbol",
    );
}

#[test]
fn invalid_limits_and_trades_name_the_option() {
    let cases: [(&[&str], i32, &str); 8] = [
        (
            &["--alerts-only", "--limit-position", "0.5"],
            2,
            "--limit-position",
        ),
        (
            &["--alerts-only", "--limit-position", "a:b"],
            2,
            "--limit-position",
        ),
        (
            &["--alerts-only", "--limit-position", "0.5:0.4"],
            1,
            "--limit-position",
        ),
        (
            &["--alerts-only", "--limit-drawdown", "0.1:2"],
            1,
            "--limit-drawdown",
        ),
        (
            &["--alerts-only", "--cluster-threshold", "1.5"],
            1,
            "--cluster-threshold",
        ),
        (&["--alerts-only", "--limit-var", "-0.1"], 1, "--limit-var"),
        (
            &[
                "--side",
                "sell",
                "--symbol",
                "AAPL",
                "--quantity",
                "5",
                "--stop",
                "100",
            ],
            1,
            "--stop",
        ),
        (
            &["--side", "buy", "--symbol", "AAPL", "--quantity", "0"],
            1,
            "--quantity",
        ),
    ];
    for (args, code, option) in cases {
        refused(&check(args), code, option);
    }
    refused(
        &check(&["--side", "buy", "--symbol", "AAPL"]),
        1,
        "--quantity",
    );
}

/// Every `--option` of a subcommand's help.
fn options(cmd: &str) -> Vec<String> {
    let help = ballast(&[cmd, "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    let mut options: Vec<String> = help
        .lines()
        // Option lines are indented 6 columns (2 with a short flag); descriptions 10.
        .filter(|l| l.len() - l.trim_start().len() <= 6)
        .map(str::trim_start)
        .filter(|l| l.starts_with("--"))
        .filter_map(|l| l.split_whitespace().next())
        .map(|w| w.trim_end_matches(',').to_string())
        .filter(|w| w != "--help")
        .collect();
    options.sort_unstable();
    options.dedup();
    options
}

fn undocumented(section: &str, v: &Value) -> Vec<String> {
    let mut all = Vec::new();
    keys(v, "", &[], &mut all);
    all.into_iter()
        .filter(|(_, k)| {
            !section.contains(&format!("`{k}`")) && !section.contains(&format!(".{k}`"))
        })
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn docs_name_every_json_key_and_option() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).expect("docs/cli.md");
    let size_doc = doc
        .split("## `ballast size`")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("docs/cli.md has a ballast size section");
    let check_doc = doc
        .split("## `ballast check`")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("docs/cli.md has a ballast check section");

    // size: every detail kind.
    let mut missing = Vec::new();
    for extra in [
        &["--symbol", "AAPL", "--method", "kelly"][..],
        &[
            "--symbol",
            "JNJ",
            "--method",
            "var-budget",
            "--var-budget",
            "20000",
        ],
        &[
            "--method",
            "vol-target",
            "--target-vol",
            "0.1",
            "--max-position-pct",
            "0.05",
        ],
        &[
            "--symbol",
            "KO",
            "--method",
            "fixed-amount",
            "--amount",
            "100",
        ],
    ] {
        missing.extend(undocumented(size_doc, &Value::Array(size_json(extra))));
    }
    assert!(
        missing.is_empty(),
        "docs/cli.md (size) does not name: {missing:?}"
    );

    // check: a rejection with a stop, hedges and exposure; and --alerts-only.
    let prices = sample("sp500_prices.csv");
    let index = sample("sp500_index.csv");
    let holdings = sample("holdings.csv");
    let mut args = vec![
        "check",
        "--prices",
        &prices,
        "--holdings",
        &holdings,
        "--benchmark",
        &index,
        "--hedge-instrument",
        "KO",
        "--stop",
        "160",
        "--json",
    ];
    args.extend_from_slice(&BREACH);
    let out = ballast(&args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = parse(&out);
    for key in [
        "approved",
        "reasons",
        "suggested_quantity",
        "before",
        "after",
        "stop_risk",
        "notes",
        "trade",
        "limits",
        "exposure",
        "exposure_after",
        "alerts",
        "heat_map",
        "hedge",
    ] {
        assert!(v.get(key).is_some(), "JSON key {key} missing");
    }
    let mut missing = undocumented(check_doc, &v);
    missing.extend(undocumented(check_doc, &check_json(&["--alerts-only"], 0)));
    assert!(
        missing.is_empty(),
        "docs/cli.md (check) does not name: {missing:?}"
    );

    for (cmd, section, count) in [("size", size_doc, 30), ("check", check_doc, 26)] {
        let opts = options(cmd);
        assert_eq!(opts.len(), count, "every option of {cmd}: {opts:?}");
        for opt in opts {
            assert!(
                section.contains(&format!("`{opt}")),
                "docs/cli.md ({cmd}): option {opt}"
            );
        }
    }
    // The exit status of a rejection is documented.
    assert!(check_doc.contains("**3 when it is rejected**"));
}
