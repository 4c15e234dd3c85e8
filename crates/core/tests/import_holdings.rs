//! Holdings import: broker exports and plain files.

use ballast_core::detect::{classify, FileRole};
use ballast_core::holdings::parse_holdings;
use std::path::PathBuf;

/// Currency amounts parsed from text are exact up to float rounding of the decimal.
const MONEY_TOL: f64 = 1e-9;

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= MONEY_TOL * b.abs().max(1.0)
}

#[test]
fn fidelity_positions_money_market_pending_and_footer() {
    let h = parse_holdings("fidelity.csv", &fixture("fidelity.csv")).expect("parses");
    assert_eq!(h.format, "Fidelity");
    let syms: Vec<&str> = h.positions.iter().map(|p| p.symbol.as_str()).collect();
    assert_eq!(syms, ["AAPL", "MSFT"]);
    let aapl = &h.positions[0];
    assert_eq!(aapl.quantity, Some(100.0));
    assert_eq!(aapl.price, Some(185.64));
    assert_eq!(aapl.market_value, Some(18564.0));
    assert_eq!(aapl.cost_basis, Some(15000.0));
    assert_eq!(aapl.description.as_deref(), Some("APPLE INC"));
    assert_eq!(h.positions[1].quantity, Some(-20.0), "short position");
    assert!(
        close(h.cash, 12345.67 - 100.0),
        "SPAXX** plus pending activity: {}",
        h.cash
    );
    assert!(
        h.notes.iter().any(|n| n.contains("ignored")),
        "footer noted: {:?}",
        h.notes
    );
}

#[test]
fn schwab_preamble_cash_row_and_account_total() {
    let h = parse_holdings("schwab.csv", &fixture("schwab.csv")).expect("parses");
    assert_eq!(h.format, "Schwab");
    assert_eq!(h.positions.len(), 2);
    assert_eq!(h.positions[0].symbol, "KO");
    assert_eq!(h.positions[0].quantity, Some(1000.0));
    assert_eq!(h.positions[0].market_value, Some(61850.0));
    assert_eq!(h.positions[1].price, Some(146.51));
    assert!(close(h.cash, 5432.10));
    assert!(
        h.notes.iter().any(|n| n.contains("total row")),
        "{:?}",
        h.notes
    );
}

#[test]
fn ibkr_flex_with_short_and_cash() {
    let h = parse_holdings("ibkr.csv", &fixture("ibkr.csv")).expect("parses");
    assert_eq!(h.format, "IBKR Flex");
    assert_eq!(h.positions.len(), 2);
    assert_eq!(h.positions[1].symbol, "TSLA");
    assert_eq!(h.positions[1].quantity, Some(-10.0));
    assert_eq!(h.positions[1].market_value, Some(-2484.8));
    assert_eq!(h.positions[0].price, Some(185.64));
    assert!(close(h.cash, 1500.25));
}

#[test]
fn vanguard_first_table_only_money_market_is_cash() {
    let h = parse_holdings("vanguard.csv", &fixture("vanguard.csv")).expect("parses");
    assert_eq!(h.format, "Vanguard");
    assert_eq!(h.positions.len(), 1);
    assert_eq!(h.positions[0].symbol, "VTSAX");
    assert_eq!(h.positions[0].quantity, Some(120.5));
    assert!(close(h.cash, 2500.0));
}

#[test]
fn plain_weights_percent_and_fraction() {
    let h = parse_holdings("w.csv", &fixture("weights_percent.csv")).expect("parses");
    assert_eq!(h.positions.len(), 2);
    assert!(close(h.positions[0].weight.unwrap_or(f64::NAN), 0.60));
    assert!(close(h.cash_weight.unwrap_or(f64::NAN), 0.05));
    let h = parse_holdings("w.csv", &fixture("weights_fraction.csv")).expect("parses");
    assert!(close(h.positions[0].weight.unwrap_or(f64::NAN), 0.25));
    assert_eq!(h.positions[1].sector.as_deref(), Some("Energy"));
    let h = parse_holdings("p.csv", b"symbol,weight\nAAA,40%\nBBB,60%\n").expect("parses");
    assert!(close(h.positions[1].weight.unwrap_or(f64::NAN), 0.6));
}

#[test]
fn sample_holdings_and_windows_1252() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/holdings.csv");
    let h = parse_holdings("holdings.csv", &std::fs::read(p).expect("sample")).expect("parses");
    assert_eq!(h.positions.len(), 20);
    assert!(close(h.cash, 59939.15));
    assert_eq!(
        h.positions[0].sector.as_deref(),
        Some("Information Technology")
    );
    let h = parse_holdings("l.csv", &fixture("latin1.csv")).expect("parses");
    assert_eq!(h.positions[0].sector.as_deref(), Some("Cafés"));
}

#[test]
fn classify_routes_files() {
    for f in [
        "fidelity.csv",
        "schwab.csv",
        "ibkr.csv",
        "vanguard.csv",
        "weights_percent.csv",
        "weights_fraction.csv",
    ] {
        assert_eq!(classify(f, &fixture(f)), FileRole::Holdings, "{f}");
    }
    for f in [
        "wide_listing_gaps.csv",
        "long.csv",
        "AAPL.csv",
        "returns.csv",
        "european.csv",
        "footer.csv",
        "tab.tsv",
    ] {
        assert_eq!(classify(f, &fixture(f)), FileRole::Prices, "{f}");
    }
}
