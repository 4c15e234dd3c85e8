//! Bad input: each case gets a typed error whose message names the file, line and column and
//! says what was expected. None panics.

use ballast_core::error::ImportErrorKind;
use ballast_core::holdings::parse_holdings;
use ballast_core::model::PriceSet;
use ballast_core::prices::{parse_prices, PriceLayout, PriceOptions};

fn price_err(bytes: &[u8]) -> ballast_core::ImportError {
    parse_prices("in.csv", bytes, &PriceOptions::default()).expect_err("must fail")
}

fn holdings_err(bytes: &[u8]) -> ballast_core::ImportError {
    parse_holdings("h.csv", bytes).expect_err("must fail")
}

fn says(e: &ballast_core::ImportError, parts: &[&str]) {
    let msg = e.to_string();
    for p in parts {
        assert!(msg.contains(p), "message {msg:?} lacks {p:?}");
    }
}

#[test]
fn empty_file() {
    let e = price_err(b"");
    assert_eq!(e.kind, ImportErrorKind::Empty);
    says(&e, &["in.csv", "the file is empty"]);
    assert_eq!(price_err(b"\n\r\n  \n").kind, ImportErrorKind::Empty);
}

#[test]
fn header_only() {
    let e = price_err(b"date,AAA,BBB\n");
    says(&e, &["in.csv, line 1", "header but no data rows"]);
}

#[test]
fn non_numeric_price_names_line_and_column() {
    let e = price_err(b"date,AAA,BBB\n2021-01-04,10,20\n2021-01-05,10.5,abc\n");
    says(
        &e,
        &[
            "in.csv, line 3, column \"BBB\"",
            "expected a number, found \"abc\"",
        ],
    );
}

#[test]
fn zero_or_negative_price() {
    let e = price_err(b"date,AAA\n2021-01-04,10\n2021-01-05,0\n2021-01-06,11\n");
    says(&e, &["line 3", "\"AAA\"", "greater than zero", "0"]);
    let e = price_err(b"date,AAA\n2021-01-04,10\n2021-01-05,12\n2021-01-06,-11\n");
    assert!(
        matches!(e.kind, ImportErrorKind::NonPositivePrice(_)),
        "{e}"
    );
    assert_eq!(e.line, Some(4));
}

#[test]
fn duplicate_date_names_both_lines() {
    let e = price_err(b"date,AAA\n2021-01-04,10\n2021-01-05,11\n2021-01-04,12\n");
    says(&e, &["2021-01-04 appears twice, on lines 2 and 4"]);
}

#[test]
fn duplicate_symbol_column() {
    let e = price_err(b"date,AAA,BBB,AAA\n2021-01-04,10,1,2\n2021-01-05,11,1,2\n");
    says(&e, &["symbol AAA appears twice (columns 2 and 4)"]);
}

#[test]
fn unknown_date_format() {
    let e = price_err(b"date,AAA\nyesterday,10\ntoday,11\n");
    says(&e, &["line 2", "unrecognised date \"yesterday\""]);
    let e = price_err(b"date,AAA\n2021-01-04,10\n2021-13-45,11\n2021-01-06,12\n");
    says(&e, &["line 3", "2021-13-45"]);
}

#[test]
fn ragged_row() {
    let e = price_err(b"date,AAA,BBB\n2021-01-04,10,20\n2021-01-05,11,21,99\n");
    says(
        &e,
        &["line 3", "expected 3 fields like the header, found 4"],
    );
}

#[test]
fn all_blank_column() {
    let e = price_err(b"date,AAA,BBB\n2021-01-04,10,\n2021-01-05,11,\n");
    says(&e, &["column \"BBB\"", "no values at all"]);
}

#[test]
fn single_price_row() {
    let e = price_err(b"date,AAA\n2021-01-04,10\n");
    says(&e, &["only one row of prices"]);
}

#[test]
fn binary_garbage() {
    let e = price_err(&[0, 159, 146, 150, 0, 1, 2, 255, 254, 10, 0, 0, 7]);
    assert!(matches!(e.kind, ImportErrorKind::NotText(_)), "{e}");
    says(&e, &["in.csv", "not look like a text CSV"]);
    let e = holdings_err(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    assert!(matches!(e.kind, ImportErrorKind::NotText(_)), "{e}");
}

#[test]
fn holdings_without_quantity_value_or_weight() {
    let e = holdings_err(b"symbol,sector\nAAPL,Tech\n");
    says(
        &e,
        &["h.csv, line 1", "quantity/shares, market value or weight"],
    );
}

#[test]
fn holdings_without_symbol_column() {
    let e = holdings_err(b"name,shares\nApple,10\n");
    says(&e, &["h.csv", "Symbol or Ticker"]);
}

#[test]
fn holding_row_without_amount_and_duplicate_holding() {
    let e = holdings_err(b"symbol,shares\nAAPL,10\nMSFT,\n");
    says(
        &e,
        &["line 3", "no quantity, market value or weight for MSFT"],
    );
    let e = holdings_err(b"symbol,shares\nAAPL,10\nMSFT,3\nAAPL,4\n");
    says(&e, &["AAPL is listed twice, on lines 2 and 4"]);
    let e = holdings_err(b"symbol,shares\nAAPL,ten\n");
    says(&e, &["line 2", "column \"shares\"", "found \"ten\""]);
}

#[test]
fn return_below_minus_one() {
    let opts = PriceOptions {
        layout: PriceLayout::WideReturns,
        ..Default::default()
    };
    let e = parse_prices("r.csv", b"date,F\n2021-01-29,0.1\n2021-02-26,-1.2\n", &opts)
        .expect_err("fails");
    says(&e, &["r.csv, line 3, column \"F\"", "greater than -100%"]);
}

#[test]
fn ambiguous_date_order_asks() {
    let e = price_err(b"date,AAA\n01/02/2021,10\n03/04/2021,11\n");
    assert!(matches!(e.kind, ImportErrorKind::AmbiguousDateOrder { .. }));
    says(
        &e,
        &["line 2", "day/month or month/day", "choose the date order"],
    );
}

#[test]
fn empty_symbol_in_long_file() {
    let e = price_err(b"date,symbol,close\n2021-01-04,AAA,10\n2021-01-04,,11\n");
    says(&e, &["line 3", "empty symbol"]);
}

#[test]
fn date_in_the_header_position() {
    let e = price_err(b"2021-01-04,10,20\n2021-01-05,11,21\n");
    says(&e, &["starts with a date", "must name the columns"]);
}

#[test]
fn same_symbol_in_two_files() {
    let a = parse_prices(
        "a.csv",
        b"date,AAA\n2021-01-04,10\n2021-01-05,11\n",
        &PriceOptions::default(),
    )
    .expect("ok");
    let b = parse_prices(
        "b.csv",
        b"date,AAA\n2021-01-04,10\n2021-01-05,11\n",
        &PriceOptions::default(),
    )
    .expect("ok");
    let e = PriceSet::from_imports(vec![a, b]).expect_err("duplicate");
    says(&e, &["b.csv", "symbol AAA is also in a.csv"]);
}

#[test]
fn non_date_row_inside_the_table() {
    let e = price_err(b"date,AAA\n2021-01-04,10\nsubtotal,11\n2021-01-06,12\n");
    says(&e, &["line 3", "unrecognised date \"subtotal\""]);
}
