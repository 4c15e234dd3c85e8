//! The `ballast` binary end to end: the sample files, the reference portfolio P4, bad input.

mod common;

use common::*;

use serde_json::Value;

/// Closed-form metrics against the reference values (see crates/core/tests/data/reference/).
const CLOSED_FORM_REL_TOL: f64 = 1e-9;

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
        &fixture("equal_weight_holdings.csv"),
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
    let out = ballast(&[
        "analyze",
        "--prices",
        &fixture("broken_prices.csv"),
        "--json",
    ]);
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

/// Monte Carlo paths in the tests: enough for stable figures, quick in a debug build.
const TEST_MC_PATHS: &str = "20000";
/// Euler sums (components vs total) and contributions vs totals, printed through JSON.
const SUM_REL_TOL: f64 = 1e-10;

/// The seven VaR models, by their JSON keys, in display order.
const MODEL_KEYS: [&str; 7] = [
    "historical",
    "gaussian",
    "cornish_fisher",
    "ewma",
    "mc_normal",
    "mc_t",
    "mc_bootstrap",
];

/// Every suite key with a benchmark (`metrics.<key>`), as documented in docs/cli.md.
const SUITE_KEYS: [&str; 47] = [
    "cumulative_return",
    "cagr",
    "cagr_calendar",
    "annualized_mean",
    "win_rate",
    "best_day",
    "worst_day",
    "best_month",
    "worst_month",
    "best_year",
    "worst_year",
    "annualized_volatility",
    "downside_deviation",
    "sharpe",
    "sortino",
    "calmar",
    "calmar_calendar",
    "omega",
    "gain_to_pain",
    "gain_to_pain_monthly",
    "kelly",
    "stability",
    "tail_ratio",
    "skew",
    "excess_kurtosis",
    "max_drawdown",
    "average_drawdown",
    "mean_drawdown_time_weighted",
    "drawdown_episodes",
    "longest_drawdown_trading_days",
    "longest_drawdown_calendar_days",
    "current_drawdown",
    "time_under_water_trading_days",
    "time_under_water_calendar_days",
    "ulcer_index",
    "beta",
    "alpha",
    "alpha_compounded",
    "r_squared",
    "correlation",
    "tracking_error",
    "information_ratio",
    "information_ratio_daily",
    "up_capture",
    "down_capture",
    "var_historical_95",
    "cvar_historical_95",
];

fn sample_with_benchmark(extra: &[&str]) -> Value {
    let prices = sample("sp500_prices.csv");
    let holdings = sample("holdings.csv");
    let bench = sample("sp500_index.csv");
    let mut args = vec![
        "--prices",
        &prices,
        "--holdings",
        &holdings,
        "--benchmark",
        &bench,
    ];
    if !extra.contains(&"--mc-paths") {
        args.extend_from_slice(&["--mc-paths", TEST_MC_PATHS]);
    }
    args.extend_from_slice(extra);
    json(&args)
}

#[track_caller]
fn assert_sum(what: &str, parts: &[f64], total: f64) {
    let sum: f64 = parts.iter().sum();
    let scale: f64 = parts.iter().map(|x| x.abs()).sum::<f64>() + total.abs();
    assert!(
        (sum - total).abs() <= SUM_REL_TOL * scale,
        "{what}: Σ {sum} vs {total}"
    );
}

#[test]
fn json_has_every_metric_key() {
    let v = sample_with_benchmark(&[]);
    let m = &v["metrics"];
    for model in MODEL_KEYS {
        for c in ["95", "99"] {
            let (var, cvar) = (format!("var_{model}_{c}"), format!("cvar_{model}_{c}"));
            let (x, y) = (number(&m[&var], &var), number(&m[&cvar], &cvar));
            assert!(x > 0.0 && x < 1.0, "{var} = {x}: a positive loss fraction");
            assert!(y >= x, "{cvar} = {y} below {var} = {x}");
        }
        let (v95, v99) = (
            number(&m[&format!("var_{model}_95")], model),
            number(&m[&format!("var_{model}_99")], model),
        );
        assert!(v99 > v95, "{model}: 99% VaR {v99} above 95% VaR {v95}");
    }
    for key in SUITE_KEYS {
        number(&m[key], key);
    }
    // Nothing printed that the list (and the doc) does not know about.
    let known = |k: &str| {
        SUITE_KEYS.contains(&k)
            || MODEL_KEYS.iter().any(|model| {
                ["95", "99"]
                    .iter()
                    .any(|c| k == format!("var_{model}_{c}") || k == format!("cvar_{model}_{c}"))
            })
    };
    let keys: Vec<&String> = m.as_object().expect("object").keys().collect();
    let unknown: Vec<&&String> = keys.iter().filter(|k| !known(k)).collect();
    assert!(unknown.is_empty(), "undocumented metrics keys: {unknown:?}");
}

#[test]
fn json_sections_var_decomposition_backtest_drawdown_monthly_attribution() {
    let v = sample_with_benchmark(&[]);
    // var.models: seven models at the chosen confidence and horizon.
    let models = array(&v["var"]["models"], "var.models");
    let keys: Vec<&str> = models.iter().filter_map(|e| e["model"].as_str()).collect();
    assert_eq!(keys, MODEL_KEYS);
    for e in models {
        assert_eq!(e["horizon"], 1);
        assert_eq!(e["confidence"], 0.95);
        let var = number(&e["var"], "var");
        assert!(number(&e["cvar"], "cvar") >= var);
        // In currency: the sample is worth about $1,000,000.
        let value = number(&e["var_value"], "var_value");
        assert!((value - var * number(&v["var"]["portfolio_value"], "value")).abs() < 1e-6);
        assert!(e["method"].as_str().is_some_and(|s| !s.is_empty()));
    }
    assert!(
        models[2]["flag"].is_string(),
        "Cornish-Fisher is flagged on the sample"
    );
    // The 1-period models at 95% are the metrics' figures.
    for e in models {
        let key = format!("var_{}_95", e["model"].as_str().unwrap_or(""));
        assert_eq!(e["var"], v["metrics"][&key], "{key}");
    }

    // decomposition: components add up to the total, by position and by sector.
    let d = &v["decomposition"];
    assert_eq!(d["model"], "historical");
    let positions = array(&d["positions"], "decomposition.positions");
    assert_eq!(positions.len(), 20);
    let comp = |rows: &Vec<Value>, k: &str| -> Vec<f64> {
        rows.iter().map(|l| number(&l[k], k)).collect()
    };
    let total_var = number(&d["var"], "decomposition.var");
    let total_cvar = number(&d["cvar"], "decomposition.cvar");
    assert_sum(
        "component VaR",
        &comp(positions, "component_var"),
        total_var,
    );
    assert_sum(
        "component CVaR",
        &comp(positions, "component_cvar"),
        total_cvar,
    );
    assert_sum("pct VaR", &comp(positions, "pct_var"), 1.0);
    let sectors = array(&d["sectors"], "decomposition.sectors");
    assert!(sectors.len() > 1);
    assert_sum("sector VaR", &comp(sectors, "component_var"), total_var);
    // At the chosen confidence (95%), the decomposed historical VaR is the metric.
    assert_rel(
        "decomposition.var",
        total_var,
        number(&v["metrics"]["var_historical_95"], "var"),
        1e-12,
    );

    // backtest
    let b = &v["backtest"];
    let p = number(&b["kupiec"]["p_value"], "kupiec p");
    assert!((0.0..=1.0).contains(&p));
    assert!((0.0..=1.0).contains(&number(&b["christoffersen"]["p_value"], "christoffersen p")));
    assert_eq!(b["forecasts"], 8312 - 250);
    assert!(["green", "yellow", "red"].contains(&b["basel"]["zone"].as_str().unwrap_or("")));
    assert_eq!(b["basel"]["days"], 250);

    // drawdown episodes: 10 by default, deepest first, the first being the max drawdown.
    let eps = array(&v["drawdown"]["episodes"], "drawdown.episodes");
    assert_eq!(eps.len(), 10);
    let depths: Vec<f64> = eps.iter().map(|e| number(&e["depth"], "depth")).collect();
    assert!(depths.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(depths[0], number(&v["metrics"]["max_drawdown"], "mdd"));
    assert_eq!(eps[0]["peak"], v["drawdown"]["max_drawdown_peak"]);

    // monthly_returns: one row per calendar year, twelve cells each.
    let months = array(&v["monthly_returns"], "monthly_returns");
    assert_eq!(months.len(), 2022 - 1990 + 1);
    assert_eq!(months[0]["year"], 1990);
    assert!(months
        .iter()
        .all(|y| array(&y["months"], "months").len() == 12));

    // rolling: the last value of each rolling series.
    assert_eq!(v["rolling"]["window"], 126);
    assert!(number(&v["rolling"]["last"]["volatility"], "rolling vol") > 0.0);
    number(&v["rolling"]["last"]["beta"], "rolling beta");

    // attribution: contributions add up to the annualised mean and volatility.
    let at = &v["attribution"];
    let rows = array(&at["positions"], "attribution.positions");
    assert_eq!(rows.len(), 20);
    let mean = number(&at["annualized_mean"], "annualized_mean");
    let vol = number(&at["annualized_volatility"], "annualized_volatility");
    assert_sum(
        "return contributions",
        &comp(rows, "return_contribution"),
        mean,
    );
    assert_sum("risk contributions", &comp(rows, "risk_contribution"), vol);
    assert_sum(
        "sector risk contributions",
        &comp(
            array(&at["sectors"], "attribution.sectors"),
            "risk_contribution",
        ),
        vol,
    );
    // The attribution's totals are the portfolio's own figures.
    assert_rel(
        "attribution mean",
        mean,
        number(&v["metrics"]["annualized_mean"], "m"),
        1e-10,
    );
    assert_rel(
        "attribution vol",
        vol,
        number(&v["metrics"]["annualized_volatility"], "v"),
        1e-10,
    );
}

#[test]
fn top_option_sets_the_episode_count() {
    let v = sample_with_benchmark(&["--top", "3", "--mc-paths", "0"]);
    assert_eq!(array(&v["drawdown"]["episodes"], "episodes").len(), 3);
    assert_eq!(v["params"]["top_episodes"], 3);
}

#[test]
fn same_seed_same_monte_carlo_figures() {
    let run = |seed: &str| sample_with_benchmark(&["--seed", seed]);
    let (a, b, c) = (run("7"), run("7"), run("8"));
    let mc = |v: &Value| -> Vec<(String, Value)> {
        let mut out: Vec<(String, Value)> = v["metrics"]
            .as_object()
            .expect("object")
            .iter()
            .filter(|(k, _)| k.contains("_mc_"))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        out.extend(
            array(&v["var"]["models"], "models")
                .iter()
                .filter(|e| e["model"].as_str().is_some_and(|m| m.starts_with("mc_")))
                .map(|e| (e["model"].to_string(), e["var"].clone())),
        );
        out
    };
    assert_eq!(mc(&a).len(), 3 * 4 + 3);
    assert_eq!(mc(&a), mc(&b), "same seed, same figures");
    assert_ne!(mc(&a), mc(&c), "another seed, other figures");
    assert!(array(&a["var"]["models"], "models")[4]["method"]
        .as_str()
        .is_some_and(|m| m.contains("seed 7")));
}

#[test]
fn mc_paths_zero_skips_the_monte_carlo_models() {
    let v = sample_with_benchmark(&["--mc-paths", "0"]);
    assert_eq!(array(&v["var"]["models"], "models").len(), 4);
    let m = v["metrics"].as_object().expect("object");
    assert!(m.keys().all(|k| !k.contains("_mc_")));
    assert!(m.contains_key("var_ewma_99"));
}

#[test]
fn horizon_option_gives_horizon_models_and_keeps_the_one_period_keys() {
    let one = sample_with_benchmark(&[]);
    let ten = sample_with_benchmark(&["--horizon", "10", "--confidence", "0.99"]);
    let models = array(&ten["var"]["models"], "var.models");
    assert_eq!(models.len(), 7);
    for e in models {
        assert_eq!(e["horizon"], 10, "{e}");
        assert_eq!(e["confidence"], 0.99);
    }
    assert_eq!(ten["decomposition"]["horizon"], 10);
    assert_eq!(ten["var"]["horizon"], 10);
    // metrics keep their 1-period keys and values (no `_10d` keys), Monte Carlo included (same
    // seed and paths: the same 1-period simulation).
    let m = ten["metrics"].as_object().expect("object");
    assert!(m.keys().all(|k| !k.contains("_10d")), "{:?}", m.keys());
    for model in MODEL_KEYS {
        for c in ["95", "99"] {
            let key = format!("var_{model}_{c}");
            assert_eq!(ten["metrics"][&key], one["metrics"][&key], "{key}");
        }
    }
    // Ten days lose more than one (historical: overlapping compounded 10-day returns).
    let hist10 = number(&models[0]["var"], "10-day VaR");
    assert!(hist10 > number(&one["metrics"]["var_historical_99"], "1-day VaR"));
}

#[test]
fn bad_options_are_refused_with_a_message() {
    let prices = sample("sp500_prices.csv");
    for (args, code, message) in [
        (
            vec!["--horizon", "0"],
            1,
            "--horizon must be between 1 and 250 periods, got 0",
        ),
        (
            vec!["--horizon", "251"],
            1,
            "--horizon must be between 1 and 250 periods, got 251",
        ),
        (
            vec!["--ewma-lambda", "1.5"],
            1,
            "--ewma-lambda must be between 0 and 1 (exclusive), got 1.5",
        ),
        (
            vec!["--mc-paths", "2000000"],
            1,
            "--mc-paths must be at most 1000000, got 2000000",
        ),
        (
            vec!["--confidence", "0.5"],
            1,
            "--confidence must be between 0.5 and 1 (exclusive), got 0.5",
        ),
        (
            vec!["--rolling-window", "1"],
            1,
            "--rolling-window and --backtest-window must be at least 2",
        ),
        (
            vec!["--risk-free=-1"],
            1,
            "--risk-free must be a fraction above -1, got -1",
        ),
        // Parse errors (clap): status 2.
        (
            vec!["--var-model", "foo"],
            2,
            "invalid value 'foo' for '--var-model",
        ),
        (
            vec!["--horizon", "ten"],
            2,
            "invalid value 'ten' for '--horizon",
        ),
    ] {
        let mut a = vec!["analyze", "--prices", &prices, "--json"];
        a.extend_from_slice(&args);
        let out = ballast(&a);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
}

#[test]
fn docs_name_every_json_key() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).expect("docs/cli.md");
    let v = sample_with_benchmark(&["--mc-paths", "0"]);
    for key in SUITE_KEYS {
        assert!(
            doc.contains(&format!("`{key}`")),
            "docs/cli.md: metrics.{key}"
        );
    }
    for model in MODEL_KEYS {
        assert!(
            doc.contains(&format!("`{model}`")),
            "docs/cli.md: model {model}"
        );
    }
    // Every section and every field of every section.
    let mut missing = Vec::new();
    for (section, body) in v.as_object().expect("object") {
        if section == "metrics" {
            continue;
        }
        if !doc.contains(&format!("`{section}")) {
            missing.push(section.clone());
        }
        let keys_of = |o: &Value| -> Vec<String> {
            o.as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        let mut fields: Vec<String> = Vec::new();
        match body {
            Value::Object(o) => {
                for (k, x) in o {
                    fields.push(k.clone());
                    fields.extend(keys_of(x));
                    if let Some(first) = x.as_array().and_then(|a| a.first()) {
                        fields.extend(keys_of(first));
                    }
                }
            }
            Value::Array(a) => {
                if let Some(first) = a.first() {
                    fields.extend(keys_of(first));
                }
            }
            _ => {}
        }
        for f in fields {
            if !doc.contains(&format!("`{f}`")) && !doc.contains(&format!(".{f}`")) {
                missing.push(format!("{section}.{f}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/cli.md does not name: {missing:?}");
    // And every option of `ballast analyze`.
    let help = ballast(&["analyze", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    let mut options: Vec<&str> = help
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .filter(|w| w.starts_with("--") && w.len() > 2 && *w != "--help")
        .collect();
    options.sort_unstable();
    options.dedup();
    assert_eq!(options.len(), 23, "every option of main.rs: {options:?}");
    for opt in options {
        assert!(
            doc.contains(&format!("`{opt}")),
            "docs/cli.md: option {opt}"
        );
    }
}
