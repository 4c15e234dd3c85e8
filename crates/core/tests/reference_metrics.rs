//! Analytics against the reference values of QuantStats / empyrical / skfolio on the P4
//! portfolio (see tests/data/reference/README.md). Ballast reports losses as positive
//! fractions; the reference stores VaR and drawdowns as negative returns, so signs are flipped
//! here where noted.

use ballast_core::align::align;
use ballast_core::analysis::{analyze, AnalysisParams};
use ballast_core::drawdown::{drawdown_series, episodes, max_drawdown, top_episodes, wealth};
use ballast_core::metrics::{
    annualized_volatility, beta, cagr, cumulative_return, downside_deviation, sharpe, sortino,
};
use ballast_core::model::{Holdings, Position, PriceSet};
use ballast_core::prices::{parse_prices, PriceOptions};
use ballast_core::var::{historical_cvar, historical_var};
mod common;

use chrono::NaiveDate;
use common::{assert_rel, input, rec, reference};
use std::path::PathBuf;

/// Closed-form metrics (sums, products, moments): the peers agree to ~1e-14; leave room for
/// Rust's summation order without hiding a convention error (those are ≥ 3e-5).
const CLOSED_FORM_REL_TOL: f64 = 1e-9;
/// Quantile-based VaR / CVaR: the order-statistic index must match exactly; values to 1e-9.
const QUANTILE_REL_TOL: f64 = 1e-9;
/// Through parse → align → analyze, the portfolio return is a weighted sum (Σ 0.05·r_i) rather
/// than numpy's row mean; the difference is summation order only.
const PIPELINE_REL_TOL: f64 = 1e-9;
const P: f64 = 252.0;

#[test]
fn return_metrics_match_the_recommended_conventions() {
    let r = reference();
    let x = input();
    assert_eq!(x.p4.len(), 8312);
    assert_rel(
        "cumulative_return",
        cumulative_return(&x.p4),
        rec(&r, "cumulative_return"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel("cagr", cagr(&x.p4, P), rec(&r, "cagr"), CLOSED_FORM_REL_TOL);
    assert_rel(
        "volatility",
        annualized_volatility(&x.p4, P),
        rec(&r, "annualized_volatility"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "sharpe",
        sharpe(&x.p4, 0.0, P),
        rec(&r, "sharpe"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "sortino",
        sortino(&x.p4, 0.0, P),
        rec(&r, "sortino"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "downside deviation",
        downside_deviation(&x.p4, 0.0) * P.sqrt(),
        rec(&r, "downside_deviation_annualized"),
        CLOSED_FORM_REL_TOL,
    );
    assert_rel(
        "beta",
        beta(&x.p4, &x.sp500),
        rec(&r, "beta"),
        CLOSED_FORM_REL_TOL,
    );
}

#[test]
fn historical_var_and_cvar() {
    let r = reference();
    let x = input();
    // VaR: reference is a negative return (empyrical); Ballast reports the positive loss.
    assert_rel(
        "VaR 95",
        historical_var(&x.p4, 0.95),
        -rec(&r, "var_historical_95"),
        QUANTILE_REL_TOL,
    );
    assert_rel(
        "VaR 99",
        historical_var(&x.p4, 0.99),
        -rec(&r, "var_historical_99"),
        QUANTILE_REL_TOL,
    );
    // CVaR: reference is skfolio's positive Rockafellar-Uryasev value.
    assert_rel(
        "CVaR 95",
        historical_cvar(&x.p4, 0.95),
        rec(&r, "cvar_historical_95"),
        QUANTILE_REL_TOL,
    );
    assert_rel(
        "CVaR 99",
        historical_cvar(&x.p4, 0.99),
        rec(&r, "cvar_historical_99"),
        QUANTILE_REL_TOL,
    );
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[test]
fn drawdowns_episodes_and_durations() {
    let r = reference();
    let x = input();
    let mut dates = vec![day("1990-01-02")];
    dates.extend(&x.dates);
    let dd = drawdown_series(&wealth(&x.p4));
    assert_rel(
        "max drawdown",
        max_drawdown(&dd),
        -rec(&r, "max_drawdown"),
        CLOSED_FORM_REL_TOL,
    );
    assert!(dd.iter().all(|d| (-1.0..=0.0).contains(d)));
    let all = episodes(&dates, &dd);
    assert_eq!(
        all.len() as u64,
        r["metrics"]["drawdown_episode_count"]["value"]
            .as_u64()
            .unwrap_or(0)
    );
    let max_trading = all.iter().map(|e| e.trading_days).max().unwrap_or(0);
    let max_calendar = all.iter().map(|e| e.calendar_days).max().unwrap_or(0);
    assert_eq!(
        max_trading as u64,
        r["metrics"]["max_drawdown_duration_trading_days"]["value"]
            .as_u64()
            .unwrap_or(0)
    );
    assert_eq!(
        max_calendar as u64,
        r["metrics"]["max_drawdown_duration_calendar_days"]["value"]
            .as_u64()
            .unwrap_or(0)
    );
    let top = top_episodes(all, 5);
    let want = r["metrics"]["drawdown_top5"]["value"]
        .as_array()
        .expect("top5 list");
    assert_eq!(top.len(), want.len());
    for (got, w) in top.iter().zip(want) {
        assert_eq!(got.peak.to_string(), w["peak"].as_str().unwrap_or(""));
        assert_eq!(got.start.to_string(), w["start"].as_str().unwrap_or(""));
        assert_eq!(got.trough.to_string(), w["trough"].as_str().unwrap_or(""));
        assert_eq!(
            got.recovery.map(|d| d.to_string()),
            w["recovery"].as_str().map(str::to_string)
        );
        assert_rel(
            "episode depth",
            got.depth,
            -w["depth"].as_f64().unwrap_or(f64::NAN),
            CLOSED_FORM_REL_TOL,
        );
        assert_eq!(
            got.trading_days as u64,
            w["trading_days_peak_to_recovery"].as_u64().unwrap_or(0)
        );
        assert_eq!(
            got.days_underwater as u64,
            w["days_underwater"].as_u64().unwrap_or(0)
        );
        assert_eq!(
            got.calendar_days as u64,
            w["calendar_days_peak_to_recovery"].as_u64().unwrap_or(0)
        );
    }
}

/// The whole pipeline on the committed sample prices with 20 equal weights held constant is P4.
#[test]
fn pipeline_on_sample_prices_reproduces_p4() {
    let r = reference();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample");
    let opts = PriceOptions::default();
    let prices = std::fs::read(root.join("sp500_prices.csv")).expect("sample");
    let index = std::fs::read(root.join("sp500_index.csv")).expect("index");
    let set = PriceSet::from_imports(vec![
        parse_prices("sp500_prices.csv", &prices, &opts).expect("parses")
    ])
    .expect("set");
    let bench = parse_prices("sp500_index.csv", &index, &opts)
        .expect("parses")
        .series
        .remove(0);
    let holdings = Holdings {
        positions: set
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| Position {
                symbol: s.symbol.clone(),
                description: None,
                quantity: None,
                market_value: None,
                weight: Some(0.05),
                price: None,
                cost_basis: None,
                sector: None,
                asset_class: None,
                line: i + 2,
            })
            .collect(),
        ..Default::default()
    };
    let aligned = align(&set, Some(&holdings), Some(&bench)).expect("aligns");
    assert_eq!(aligned.report.observations, 8312);
    assert_eq!(aligned.report.periods_per_year, 252.0);
    let a = analyze(&aligned, &AnalysisParams::default());
    let m = &a.metrics;
    assert_rel(
        "cumulative",
        m.cumulative_return,
        rec(&r, "cumulative_return"),
        PIPELINE_REL_TOL,
    );
    assert_rel("cagr", m.cagr, rec(&r, "cagr"), PIPELINE_REL_TOL);
    assert_rel(
        "vol",
        m.annualized_volatility,
        rec(&r, "annualized_volatility"),
        PIPELINE_REL_TOL,
    );
    assert_rel("sharpe", m.sharpe, rec(&r, "sharpe"), PIPELINE_REL_TOL);
    assert_rel("sortino", m.sortino, rec(&r, "sortino"), PIPELINE_REL_TOL);
    assert_rel(
        "mdd",
        m.max_drawdown,
        -rec(&r, "max_drawdown"),
        PIPELINE_REL_TOL,
    );
    assert_rel(
        "var",
        m.var_historical,
        -rec(&r, "var_historical_95"),
        PIPELINE_REL_TOL,
    );
    assert_rel(
        "cvar",
        m.cvar_historical,
        rec(&r, "cvar_historical_95"),
        PIPELINE_REL_TOL,
    );
    assert_rel(
        "beta",
        m.beta.unwrap_or(f64::NAN),
        rec(&r, "beta"),
        PIPELINE_REL_TOL,
    );
    assert_eq!(m.max_drawdown_peak, day("2007-12-10"));
    assert_eq!(m.max_drawdown_trough, day("2009-03-05"));
    assert_eq!(m.max_drawdown_recovery, Some(day("2010-03-17")));
    // The last episode is still open at the end of the data: the current drawdown.
    assert!(m.current_drawdown > 0.0 && m.current_drawdown < m.max_drawdown);
}
