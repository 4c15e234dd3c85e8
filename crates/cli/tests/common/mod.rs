//! Helpers shared by the CLI's end-to-end tests: paths of the sample and fixture files, running
//! the binary, and reading its output.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of `data/sample/`.
pub fn sample(name: &str) -> String {
    root()
        .join("data/sample")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A file of `crates/cli/tests/data/`.
pub fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

pub fn ballast(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .output()
        .expect("the ballast binary runs")
}

/// `ballast <cmd>` on the sample prices and holdings with `extra`.
pub fn on_sample(cmd: &str, extra: &[&str]) -> Output {
    let prices = sample("sp500_prices.csv");
    let holdings = sample("holdings.csv");
    let mut args = vec![cmd, "--prices", &prices, "--holdings", &holdings];
    args.extend_from_slice(extra);
    ballast(&args)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn number(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is a number: {v:?}"))
}

pub fn array<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} is an array: {v:?}"))
}

/// Every JSON key under `v` as `(path, key)`, arrays read through their first element; the
/// values of the keys in `by_symbol` (objects keyed by asset) are not descended into.
pub fn keys(v: &Value, path: &str, by_symbol: &[&str], out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                out.push((format!("{path}.{k}"), k.clone()));
                if !by_symbol.contains(&k.as_str()) {
                    keys(x, &format!("{path}.{k}"), by_symbol, out);
                }
            }
        }
        Value::Array(a) => {
            if let Some(first) = a.first() {
                keys(first, &format!("{path}[]"), by_symbol, out);
            }
        }
        _ => {}
    }
}
