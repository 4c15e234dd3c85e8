//! Shared helpers of the optimisation reference tests: the committed
//! `tests/data/reference/optimization_sp500.json` (copied unchanged from the shared reference
//! package; PyPortfolioOpt 1.6.0, Riskfolio-Lib 7.4.0, skfolio 1.12.2 and direct Clarabel
//! 0.11.1 solves; see tests/data/reference/README.md) and its input returns, rebuilt bit for bit
//! from `data/sample/sp500_prices.csv` (price rows from 2013-01-02 on).
#![allow(dead_code)]

use ballast_core::prices::{parse_prices, PriceOptions};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Trading days per year of every annualised reference figure.
pub const PERIODS_PER_YEAR: f64 = 252.0;

pub struct OptData {
    pub tickers: Vec<String>,
    /// Dates of the returns (`dates[t]` is the date of return `t`).
    pub dates: Vec<String>,
    /// assets × dates simple returns, 2013-01-03 .. 2022-12-28 (2515 rows).
    pub returns: Vec<Vec<f64>>,
    /// Prices on the last date (2022-12-28).
    pub last_prices: Vec<f64>,
}

pub fn data() -> &'static OptData {
    static DATA: OnceLock<OptData> = OnceLock::new();
    DATA.get_or_init(|| {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/sp500_prices.csv");
        let bytes = std::fs::read(path).expect("sample prices");
        let import = parse_prices("sp500_prices.csv", &bytes, &PriceOptions::default())
            .expect("sample prices parse");
        let from = import.series[0]
            .dates
            .iter()
            .position(|d| d.to_string() == "2013-01-02")
            .expect("2013-01-02 in the sample");
        let dates = import.series[0].dates[from + 1..]
            .iter()
            .map(|d| d.to_string())
            .collect();
        let returns = import
            .series
            .iter()
            .map(|s| {
                s.values[from..]
                    .windows(2)
                    .map(|w| w[1] / w[0] - 1.0)
                    .collect()
            })
            .collect();
        OptData {
            tickers: import.series.iter().map(|s| s.symbol.clone()).collect(),
            dates,
            returns,
            last_prices: import
                .series
                .iter()
                .map(|s| *s.values.last().expect("price"))
                .collect(),
        }
    })
}

pub fn reference() -> &'static Value {
    static REF: OnceLock<Value> = OnceLock::new();
    REF.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/reference/optimization_sp500.json");
        let text = std::fs::read_to_string(path).expect("optimization reference");
        serde_json::from_str(&text).expect("valid json")
    })
}

/// A `{ticker: number}` object as a vector in the data's ticker order.
pub fn by_ticker(v: &Value) -> Vec<f64> {
    data()
        .tickers
        .iter()
        .map(|t| {
            v[t.as_str()]
                .as_f64()
                .unwrap_or_else(|| panic!("reference value for {t}"))
        })
        .collect()
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

/// Largest absolute difference between two vectors.
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "lengths");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[track_caller]
pub fn assert_weights(what: &str, got: &[f64], want: &[f64], tol: f64) {
    let d = max_abs_diff(got, want);
    eprintln!("{what}: max |Δw| = {d:.2e}");
    assert!(
        d <= tol,
        "{what}: max |Δw| {d:.3e} > {tol:.0e}\n got {got:?}\nwant {want:?}"
    );
}

#[track_caller]
pub fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    let rel = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
    eprintln!("{what}: relative {rel:.2e}");
    assert!(
        rel <= tol,
        "{what}: got {got:.17}, want {want:.17} (relative {rel:.2e} > {tol:.0e})"
    );
}
