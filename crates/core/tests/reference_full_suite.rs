//! The whole pipeline (parse → holdings → benchmark → align → analyse) on the committed sample
//! prices with 20 × 5% weights and the S&P 500 index as benchmark — the reference portfolio P4 —
//! checked **through the figure keys** the app's tables and the CLI's `metrics.<key>` use
//! (`headline_figures`, `suite_figures`, `standard_var_figures`), against every recommended entry
//! of `metrics_sp500_recommended.json` and the variants Ballast offers, plus the episode table,
//! the monthly table and the 126-period rolling volatility of the `Analysis`.
//!
//! Signs: Ballast reports losses (VaR, CVaR, drawdowns) as positive fractions; the reference
//! keeps each library's sign (see each entry's `convention`): empyrical/QuantStats VaR, Gaussian
//! ES and drawdowns are negative returns, skfolio's CVaR and time-weighted drawdown are positive.
//! Each comparison below states which applies, and checks the reference's sign so a change in
//! the reference file cannot silently flip a comparison.

mod common;

use ballast_core::analysis::{Analysis, AnalysisParams};
use ballast_core::figures::{headline_figures, standard_var_figures, suite_figures, Figure};
use ballast_core::pipeline::{run, InputFile, PipelineInput, PipelineOutput};
use ballast_core::var_models::VarModel;
use common::{assert_rel, reference};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Closed-form figures: 1e-9 relative (tests/data/reference/README.md). Through the pipeline the
/// portfolio return is `Σ 0.05·r_i` instead of numpy's row mean — summation order only (~1e-16).
const CLOSED_FORM_REL_TOL: f64 = 1e-9;
/// Series (rolling volatility, monthly table): 1e-12 absolute (reference README).
const SERIES_ABS_TOL: f64 = 1e-12;

/// How the reference stores a figure relative to Ballast's.
#[derive(Clone, Copy, Debug)]
enum Sign {
    /// Same sign (ratios, returns, positive losses such as skfolio's CVaR).
    Same,
    /// The reference stores a negative return where Ballast reports a positive loss.
    Flipped,
}

fn sample(name: &str) -> InputFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/sample")
        .join(name);
    InputFile::new(name, std::fs::read(&path).expect("sample file"))
}

/// The P4 portfolio through the whole pipeline: the sample prices, a holdings file of 20 × 5%
/// weights (written as the user would, with percent signs) and the index file as benchmark.
fn p4(params: AnalysisParams) -> PipelineOutput {
    let prices = [sample("sp500_prices.csv")];
    let header = String::from_utf8_lossy(&prices[0].bytes)
        .lines()
        .next()
        .expect("header")
        .to_string();
    let symbols: Vec<&str> = header.split(',').skip(1).collect();
    assert_eq!(symbols.len(), 20);
    let mut holdings = String::from("symbol,weight\n");
    for s in &symbols {
        holdings.push_str(&format!("{s},5%\n"));
    }
    let holdings = InputFile::new("p4_holdings.csv", holdings.into_bytes());
    let benchmark = sample("sp500_index.csv");
    let out = run(&PipelineInput {
        prices: &prices,
        holdings: Some(&holdings),
        benchmark: Some(&benchmark),
        params,
        ..Default::default()
    })
    .expect("the pipeline runs on the sample");
    assert_eq!(out.aligned.report.observations, 8312);
    assert_eq!(out.aligned.report.periods_per_year, 252.0);
    assert!(out.aligned.weights.iter().all(|w| (w - 0.05).abs() < 1e-15));
    out
}

/// Every figure by key. A key shown in several lists (headline and suite) must carry the same
/// value in each.
fn figures(out: &PipelineOutput) -> BTreeMap<String, Figure> {
    let (an, al): (&Analysis, _) = (&out.analysis, &out.aligned);
    let mut map: BTreeMap<String, Figure> = BTreeMap::new();
    let all = headline_figures(an, al)
        .into_iter()
        .chain(suite_figures(an, al).into_iter().flat_map(|g| g.figures))
        .chain(standard_var_figures(an, al));
    for f in all {
        if let Some(prev) = map.get(&f.key) {
            assert_eq!(
                prev.value, f.value,
                "{} differs between figure lists",
                f.key
            );
        }
        map.insert(f.key.clone(), f);
    }
    map
}

fn value(figs: &BTreeMap<String, Figure>, key: &str) -> f64 {
    figs.get(key)
        .unwrap_or_else(|| panic!("no figure keyed {key}"))
        .value
        .unwrap_or_else(|| panic!("figure {key} has no value"))
}

fn entry<'a>(v: &'a Value, section: &str, key: &str) -> &'a Value {
    let e = &v[section][key];
    assert!(e.is_object(), "reference {section}.{key} exists");
    e
}

#[track_caller]
fn check(
    figs: &BTreeMap<String, Figure>,
    ballast_key: &str,
    reference_entry: &Value,
    sign: Sign,
    tol: f64,
) {
    let want = reference_entry["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("reference for {ballast_key} is a number"));
    let want = match sign {
        Sign::Same => want,
        Sign::Flipped => {
            assert!(want < 0.0, "reference {ballast_key} is a negative return");
            -want
        }
    };
    let fig = &figs[ballast_key];
    assert_rel(ballast_key, value(figs, ballast_key), want, tol);
    if fig.loss {
        assert!(
            fig.value.is_some_and(|x| x >= 0.0),
            "{ballast_key} is a loss: positive"
        );
    }
}

#[test]
fn every_recommended_metric_through_the_figure_keys() {
    let v = reference();
    let out = p4(AnalysisParams::default());
    let figs = figures(&out);
    use Sign::{Flipped, Same};
    // (reference key, Ballast key, sign)
    let cases: &[(&str, &str, Sign)] = &[
        ("cumulative_return", "cumulative_return", Same),
        ("cagr", "cagr", Same),
        ("annualized_volatility", "annualized_volatility", Same),
        ("sharpe", "sharpe", Same),
        ("sortino", "sortino", Same),
        ("downside_deviation_annualized", "downside_deviation", Same),
        ("calmar", "calmar", Same),
        ("omega", "omega", Same),
        // QuantStats: min(W/cummax W) − 1, negative.
        ("max_drawdown", "max_drawdown", Flipped),
        // QuantStats: mean of episode depths, negative.
        ("average_drawdown", "average_drawdown", Flipped),
        // skfolio: positive fraction.
        ("ulcer_index", "ulcer_index", Same),
        ("skew", "skew", Same),
        ("kurtosis_excess", "excess_kurtosis", Same),
        ("tail_ratio", "tail_ratio", Same),
        ("win_rate", "win_rate", Same),
        // max(r) and min(r): returns in both (the worst day is not reported as a loss).
        ("best_day", "best_day", Same),
        ("worst_day", "worst_day", Same),
        ("stability", "stability", Same),
        ("gain_to_pain", "gain_to_pain", Same),
        ("gain_to_pain_monthly", "gain_to_pain_monthly", Same),
        ("kelly_criterion", "kelly", Same),
        ("beta", "beta", Same),
        ("alpha_annualized", "alpha", Same),
        ("information_ratio_annualized", "information_ratio", Same),
        ("tracking_error_annualized", "tracking_error", Same),
        ("r_squared", "r_squared", Same),
        ("annualized_mean_return", "annualized_mean", Same),
        // empyrical np.percentile: a negative return.
        ("var_historical_95", "var_historical_95", Flipped),
        ("var_historical_99", "var_historical_99", Flipped),
        // skfolio Rockafellar-Uryasev: POSITIVE loss.
        ("cvar_historical_95", "cvar_historical_95", Same),
        ("cvar_historical_99", "cvar_historical_99", Same),
        // QuantStats norm.ppf / Gaussian ES: negative returns.
        ("var_parametric_95", "var_gaussian_95", Flipped),
        ("var_parametric_99", "var_gaussian_99", Flipped),
        ("cvar_parametric_95", "cvar_gaussian_95", Flipped),
        ("cvar_parametric_99", "cvar_gaussian_99", Flipped),
        // mean + h·√m2 stored as a return (PA reports −value).
        ("var_cornish_fisher_95", "var_cornish_fisher_95", Flipped),
        ("var_cornish_fisher_99", "var_cornish_fisher_99", Flipped),
    ];
    for (ref_key, key, sign) in cases {
        check(
            &figs,
            key,
            entry(&v, "metrics", ref_key),
            *sign,
            CLOSED_FORM_REL_TOL,
        );
    }
    // Counts: exact.
    for (ref_key, key) in [
        ("drawdown_episode_count", "drawdown_episodes"),
        (
            "max_drawdown_duration_trading_days",
            "longest_drawdown_trading_days",
        ),
        (
            "max_drawdown_duration_calendar_days",
            "longest_drawdown_calendar_days",
        ),
    ] {
        let want = entry(&v, "metrics", ref_key)["value"]
            .as_u64()
            .unwrap_or(u64::MAX);
        assert_eq!(value(&figs, key), want as f64, "{key}");
    }
    // The headline VaR at the chosen confidence (95% by default) is the same figure.
    assert_eq!(
        value(&figs, "var_historical_95"),
        out.analysis.metrics.var_historical
    );
}

#[test]
fn variants_through_the_figure_keys() {
    let v = reference();
    let out = p4(AnalysisParams::default());
    let figs = figures(&out);
    for key in [
        // ffn: (P_T/P_0)^(1/yf) − 1, years of 365.25 days from the base date.
        "cagr_calendar",
        "calmar_calendar",
        // empyrical: (1 + mean(r − βb))^252 − 1.
        "alpha_compounded",
        // QuantStats: mean(a)/std(a), not annualised.
        "information_ratio_daily",
        // skfolio: POSITIVE −mean(dd_t) over the N return dates.
        "mean_drawdown_time_weighted",
    ] {
        check(
            &figs,
            key,
            entry(&v, "variants", key),
            Sign::Same,
            CLOSED_FORM_REL_TOL,
        );
    }
    // The calendar CAGR convention makes the headline CAGR the ffn figure, under its own key.
    let cal = p4(AnalysisParams {
        cagr_convention: ballast_core::suite::CagrConvention::Calendar,
        ..Default::default()
    });
    let head = headline_figures(&cal.analysis, &cal.aligned);
    let fig = head
        .iter()
        .find(|f| f.key == "cagr_calendar")
        .expect("headline keyed cagr_calendar");
    assert_rel(
        "headline calendar CAGR",
        fig.value.unwrap_or(f64::NAN),
        entry(&v, "variants", "cagr_calendar")["value"]
            .as_f64()
            .unwrap_or(f64::NAN),
        CLOSED_FORM_REL_TOL,
    );
    assert!(head.iter().all(|f| f.key != "cagr"));
}

#[test]
fn cornish_fisher_outside_its_domain_is_flagged() {
    let v = reference();
    let out = p4(AnalysisParams::default());
    for c in ["95", "99"] {
        let r = entry(&v, "metrics", &format!("var_cornish_fisher_{c}"));
        // The reference says P4 is outside the monotone domain.
        assert_eq!(r["in_monotone_domain"].as_bool(), Some(false));
    }
    let cf: Vec<_> = out
        .analysis
        .var_standard
        .iter()
        .chain(&out.analysis.var)
        .filter(|e| e.model == VarModel::CornishFisher)
        .collect();
    assert_eq!(cf.len(), 3, "95%, 99% and the chosen confidence");
    for e in cf {
        let flag = e.flag.as_deref().unwrap_or_else(|| {
            panic!("Cornish-Fisher at {} must carry a flag on P4", e.confidence)
        });
        assert!(flag.contains("not monotone"), "{flag}");
    }
    // No other closed-form model is flagged.
    assert!(out
        .analysis
        .var_standard
        .iter()
        .filter(|e| e.model != VarModel::CornishFisher)
        .all(|e| e.flag.is_none()));
}

#[test]
fn standard_var_keys_cover_every_closed_form_model() {
    let out = p4(AnalysisParams {
        confidence: 0.975,
        horizon: 10,
        ..Default::default()
    });
    let figs = standard_var_figures(&out.analysis, &out.aligned);
    let keys: Vec<&str> = figs.iter().map(|f| f.key.as_str()).collect();
    for model in VarModel::CLOSED_FORM {
        for c in ["95", "99"] {
            for kind in ["var", "cvar"] {
                let k = format!("{kind}_{}_{c}", model.key());
                assert!(keys.contains(&k.as_str()), "{k} missing from {keys:?}");
            }
        }
    }
    // 1-period figures whatever the chosen confidence and horizon.
    assert_eq!(figs.len(), 16);
    assert!(out.analysis.var_standard.iter().all(|e| e.horizon == 1));
    assert!(figs.iter().all(|f| !f.key.contains("_10d") && f.loss));
}

#[test]
fn top_five_episodes() {
    let v = reference();
    let out = p4(AnalysisParams {
        top_episodes: 5,
        ..Default::default()
    });
    let want = entry(&v, "metrics", "drawdown_top5")["value"]
        .as_array()
        .expect("top5 list");
    let got = &out.analysis.top_episodes;
    assert_eq!(got.len(), 5);
    assert_eq!(want.len(), 5);
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.peak.to_string(), w["peak"].as_str().unwrap_or(""));
        assert_eq!(g.start.to_string(), w["start"].as_str().unwrap_or(""));
        assert_eq!(g.trough.to_string(), w["trough"].as_str().unwrap_or(""));
        assert_eq!(
            g.recovery.map(|d| d.to_string()),
            w["recovery"].as_str().map(str::to_string)
        );
        assert_eq!(Some(g.recovery.is_some()), w["recovered"].as_bool());
        // Reference depth: the minimum of dd, negative.
        assert_rel(
            "episode depth",
            g.depth,
            -w["depth"].as_f64().unwrap_or(f64::NAN),
            CLOSED_FORM_REL_TOL,
        );
        assert_eq!(
            Some(g.trading_days as u64),
            w["trading_days_peak_to_recovery"].as_u64()
        );
        assert_eq!(
            Some(g.days_underwater as u64),
            w["days_underwater"].as_u64()
        );
        assert_eq!(
            Some(g.calendar_days as u64),
            w["calendar_days_peak_to_recovery"].as_u64()
        );
    }
    // The default table has 10 episodes, the first 5 being the same.
    let ten = p4(AnalysisParams::default()).analysis.top_episodes;
    assert_eq!(ten.len(), 10);
    assert_eq!(&ten[..5], &got[..]);
}

#[test]
fn monthly_table_and_rolling_volatility_of_the_analysis() {
    let v = reference();
    let out = p4(AnalysisParams {
        rolling_window: 126,
        ..Default::default()
    });
    let a = &out.analysis;
    // Monthly table: compounded within the month / year ("YYYY-MM", "YYYY-EOY" keys).
    let want = entry(&v, "metrics", "monthly_returns")["value"]
        .as_object()
        .expect("object");
    let mut compared = 0;
    for row in &a.monthly {
        let eoy = want[&format!("{}-EOY", row.year)]
            .as_f64()
            .unwrap_or(f64::NAN);
        assert!(
            (row.year_return - eoy).abs() <= SERIES_ABS_TOL,
            "{}: {} vs {eoy}",
            row.year,
            row.year_return
        );
        compared += 1;
        for (m, cell) in row.months.iter().enumerate() {
            let key = format!("{}-{:02}", row.year, m + 1);
            match (cell, want.get(&key).and_then(Value::as_f64)) {
                (Some(got), Some(w)) => {
                    assert!((got - w).abs() <= SERIES_ABS_TOL, "{key}: {got} vs {w}");
                    compared += 1;
                }
                (None, None) => {}
                (got, w) => panic!("{key}: {got:?} vs {w:?}"),
            }
        }
    }
    assert_eq!(compared, want.len(), "every month and year compared");
    // Rolling 126-period volatility: first value at the 126th return.
    let roll = &a.rolling.volatility;
    assert_eq!(a.rolling.window, 126);
    let want = &entry(&v, "metrics", "rolling_volatility_126")["value"];
    assert_eq!(Some(roll.values.len() as u64), want["n_values"].as_u64());
    let n = roll.values.len();
    for (pairs, offset) in [(&want["first"], 0), (&want["last"], n - 5)] {
        let pairs = pairs.as_array().expect("pairs");
        assert_eq!(pairs.len(), 5);
        for (k, pair) in pairs.iter().enumerate() {
            let i = offset + k;
            assert_eq!(roll.dates[i].to_string(), pair[0].as_str().unwrap_or(""));
            let w = pair[1].as_f64().unwrap_or(f64::NAN);
            assert!(
                (roll.values[i] - w).abs() <= SERIES_ABS_TOL,
                "{}: {} vs {w}",
                roll.dates[i],
                roll.values[i]
            );
        }
    }
    // Rolling beta and correlation exist with the benchmark, on the same dates.
    let beta = a.rolling.beta.as_ref().expect("benchmark: rolling beta");
    assert_eq!(beta.dates, roll.dates);
}

#[test]
fn confidence_key_suffixes() {
    use ballast_core::figures::confidence_suffix;
    for (c, key) in [
        (0.9, "90"),
        (0.95, "95"),
        (0.975, "97_5"),
        (0.99, "99"),
        (0.995, "99_5"),
        (0.999, "99_9"),
        // Not "100": a 99.99% figure must not be keyed (and labelled) as 100%.
        (0.9999, "99_99"),
    ] {
        assert_eq!(confidence_suffix(c), key, "{c}");
    }
}

/// The benchmark column: the benchmark's figures with the same conventions equal the metric
/// functions applied to the benchmark's own returns (here the S&P 500 index of the reference
/// file), and the portfolio's values are unchanged by it.
#[test]
fn benchmark_column_is_the_benchmark_own_figures() {
    use ballast_core::drawdown::{drawdown_series, max_drawdown, wealth};
    use ballast_core::metrics::{annualized_volatility, cagr, cumulative_return, sharpe, sortino};
    let out = p4(AnalysisParams::default());
    let b = &out
        .aligned
        .benchmark
        .as_ref()
        .expect("the sample has a benchmark")
        .returns;
    let input = common::input();
    assert_eq!(b.len(), input.sp500.len());
    let groups = suite_figures(&out.analysis, &out.aligned);
    let bench = |key: &str| -> f64 {
        groups
            .iter()
            .flat_map(|g| &g.figures)
            .find(|f| f.key == key)
            .and_then(|f| f.benchmark_value)
            .unwrap_or_else(|| panic!("no benchmark value for {key}"))
    };
    let dd = drawdown_series(&wealth(&input.sp500));
    for (key, want) in [
        ("cumulative_return", cumulative_return(&input.sp500)),
        ("cagr", cagr(&input.sp500, 252.0)),
        (
            "annualized_volatility",
            annualized_volatility(&input.sp500, 252.0),
        ),
        ("sharpe", sharpe(&input.sp500, 0.0, 252.0)),
        ("sortino", sortino(&input.sp500, 0.0, 252.0)),
        ("max_drawdown", max_drawdown(&dd)),
    ] {
        assert_rel(key, bench(key), want, CLOSED_FORM_REL_TOL);
    }
    // Benchmark-relative figures have no benchmark column.
    assert!(groups
        .iter()
        .filter(|g| g.id == "benchmark")
        .flat_map(|g| &g.figures)
        .all(|f| f.benchmark_value.is_none()));
}
