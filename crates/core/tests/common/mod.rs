//! Shared helpers of the reference tests: the committed reference values and input series
//! (see tests/data/reference/README.md).
#![allow(dead_code)]

use chrono::NaiveDate;
use serde_json::Value;
use std::path::PathBuf;

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference")
}

/// The recommended reference entries.
pub fn reference() -> Value {
    let text = std::fs::read_to_string(dir().join("metrics_sp500_recommended.json"))
        .expect("reference json");
    serde_json::from_str(&text).expect("valid json")
}

/// A numeric reference value.
pub fn rec(v: &Value, key: &str) -> f64 {
    v["metrics"][key]["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("reference {key} is a number"))
}

/// The P4 and SP500 return series with their dates.
pub struct Input {
    pub dates: Vec<NaiveDate>,
    pub p4: Vec<f64>,
    pub sp500: Vec<f64>,
}

pub fn input() -> Input {
    let mut rdr =
        csv::Reader::from_path(dir().join("metrics_sp500_returns.csv")).expect("returns csv");
    let mut inp = Input {
        dates: vec![],
        p4: vec![],
        sp500: vec![],
    };
    for rec in rdr.records() {
        let rec = rec.expect("record");
        inp.dates
            .push(NaiveDate::parse_from_str(&rec[0], "%Y-%m-%d").expect("date"));
        inp.p4.push(rec[1].parse().expect("P4"));
        inp.sp500.push(rec[2].parse().expect("SP500"));
    }
    inp
}

#[track_caller]
pub fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    let rel = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
    assert!(
        rel <= tol,
        "{what}: got {got:.17}, want {want:.17} (relative {rel:.2e} > {tol:.0e})"
    );
}
