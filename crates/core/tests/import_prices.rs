//! Price import: every layout and text hazard, from small committed fixtures.

use ballast_core::dates::DateOrder;
use ballast_core::model::ValueKind;
use ballast_core::prices::{parse_prices, PriceField, PriceLayout, PriceOptions};
use chrono::NaiveDate;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn auto() -> PriceOptions {
    PriceOptions::default()
}

#[test]
fn wide_with_blank_cells_before_listing_and_after_delisting() {
    let imp = parse_prices("wide.csv", &fixture("wide_listing_gaps.csv"), &auto()).expect("parses");
    assert_eq!(imp.layout, PriceLayout::Wide);
    assert_eq!(imp.series.len(), 3);
    let bbb = &imp.series[1];
    assert_eq!(bbb.symbol, "BBB");
    assert_eq!(bbb.dates, vec![d(2020, 1, 6), d(2020, 1, 7), d(2020, 1, 8)]);
    assert_eq!(bbb.values, vec![20.0, 20.5, 21.0]);
    let ccc = &imp.series[2];
    assert_eq!(
        ccc.dates.len(),
        3,
        "blank cells after delisting are absent, not zero"
    );
    assert!(ccc.values.iter().all(|v| *v > 0.0));
    assert_eq!(imp.series[0].kind, ValueKind::Price);
}

#[test]
fn long_layout_uses_adj_close_by_default_and_close_on_request() {
    let imp = parse_prices("long.csv", &fixture("long.csv"), &auto()).expect("parses");
    assert_eq!(imp.layout, PriceLayout::Long);
    assert_eq!(imp.series.len(), 2);
    assert_eq!(imp.series[0].symbol, "AAA");
    assert_eq!(imp.series[0].values, vec![9.5, 10.45, 11.4]);
    assert_eq!(imp.series[1].values, vec![20.0, 19.0]);
    let opts = PriceOptions {
        field: PriceField::Close,
        ..auto()
    };
    let imp = parse_prices("long.csv", &fixture("long.csv"), &opts).expect("parses");
    assert_eq!(imp.series[0].values, vec![10.0, 11.0, 12.0]);
}

#[test]
fn yahoo_export_symbol_from_file_name_adj_close_ohlc_kept() {
    let imp = parse_prices("AAPL.csv", &fixture("AAPL.csv"), &auto()).expect("parses");
    assert_eq!(imp.layout, PriceLayout::Yahoo);
    let s = &imp.series[0];
    assert_eq!(s.symbol, "AAPL");
    assert_eq!(
        s.values,
        vec![184.94, 183.55, 181.22, 184.85],
        "null row skipped, Adj Close used"
    );
    let ohlc = s.ohlc.as_ref().expect("High/Low/Close kept");
    assert_eq!(ohlc.high[0], 188.44);
    assert_eq!(ohlc.low[3], 181.50);
    assert_eq!(ohlc.close[1], 184.25);
    let close = PriceOptions {
        field: PriceField::Close,
        ..auto()
    };
    let imp = parse_prices("brk-b (1).csv", &fixture("AAPL.csv"), &close).expect("parses");
    assert_eq!(imp.series[0].symbol, "BRK-B");
    assert_eq!(imp.series[0].values[0], 185.64);
}

#[test]
fn returns_table_is_detected_or_chosen() {
    let imp = parse_prices("r.csv", &fixture("returns.csv"), &auto()).expect("parses");
    assert_eq!(imp.layout, PriceLayout::WideReturns);
    assert_eq!(imp.series[0].kind, ValueKind::Return);
    assert_eq!(imp.series[1].values, vec![-0.004, 0.008, 0.011, -0.013]);
    // Forced wide prices: negative values are then an error naming the cell.
    let forced = PriceOptions {
        layout: PriceLayout::Wide,
        ..auto()
    };
    let e = parse_prices("r.csv", &fixture("returns.csv"), &forced).expect_err("negative price");
    assert_eq!(e.line, Some(2));
    assert_eq!(e.column.as_deref(), Some("FUND_B"));
    // Small positive prices (a penny stock) stay prices.
    let penny = b"date,P\n2020-01-02,0.264\n2020-01-03,0.266\n2020-01-06,0.27\n";
    let imp = parse_prices("p.csv", penny, &auto()).expect("parses");
    assert_eq!(imp.series[0].kind, ValueKind::Price);
}

#[test]
fn european_bom_crlf_semicolon_decimal_comma_dotted_dates() {
    let imp = parse_prices("eu.csv", &fixture("european.csv"), &auto()).expect("parses");
    let a = &imp.series[0];
    assert_eq!(a.symbol, "ALPHA");
    assert_eq!(a.values, vec![1234.5, 1240.0, 1251.25]);
    assert_eq!(imp.series[1].values, vec![12.5, 12.75, 13.0]);
    assert_eq!(a.dates[0], d(2020, 1, 2));
    assert!(
        imp.notes.iter().any(|n| n.contains("decimal comma")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn day_month_order_by_evidence_and_by_choice() {
    let imp = parse_prices("dmy.csv", &fixture("dmy.csv"), &auto()).expect("parses");
    assert_eq!(imp.series[0].dates[0], d(2020, 2, 1));
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("day/month/year") && n.contains("13/02/2020")),
        "{:?}",
        imp.notes
    );
    let imp = parse_prices("mdy.csv", &fixture("mdy.csv"), &auto()).expect("parses");
    assert_eq!(imp.series[0].dates[0], d(2020, 2, 1));
    assert!(imp.notes.iter().any(|n| n.contains("month/day/year")));
    let ambiguous = b"date,X\n01/02/2020,10\n03/04/2020,11\n";
    let e = parse_prices("a.csv", ambiguous, &auto()).expect_err("cannot tell");
    assert!(e.to_string().contains("choose the date order"), "{e}");
    let opts = PriceOptions {
        date_order: DateOrder::DayFirst,
        ..auto()
    };
    let imp = parse_prices("a.csv", ambiguous, &opts).expect("chosen");
    assert_eq!(imp.series[0].dates, vec![d(2020, 2, 1), d(2020, 4, 3)]);
}

#[test]
fn unsorted_rows_are_sorted_with_a_note() {
    let imp = parse_prices("u.csv", &fixture("unsorted.csv"), &auto()).expect("parses");
    assert_eq!(imp.series[0].values, vec![10.0, 11.0, 12.0]);
    assert_eq!(
        imp.series[1].dates,
        vec![d(2020, 1, 2), d(2020, 1, 3), d(2020, 1, 6)]
    );
    assert!(imp.notes.iter().any(|n| n.contains("sorted")));
}

#[test]
fn title_line_compact_dates_blank_line_and_footer() {
    let imp = parse_prices("f.csv", &fixture("footer.csv"), &auto()).expect("parses");
    assert_eq!(imp.series.len(), 2);
    assert_eq!(
        imp.series[0].dates,
        vec![d(2020, 1, 2), d(2020, 1, 3), d(2020, 1, 6)]
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("after the table")),
        "{:?}",
        imp.notes
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("before the header")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn tab_delimiter_currency_thousands_and_quotes() {
    let imp = parse_prices("t.tsv", &fixture("tab.tsv"), &auto()).expect("parses");
    assert_eq!(imp.series[0].values, vec![1010.5, 1020.5]);
    assert_eq!(imp.series[1].values, vec![1000.0, 1010.0]);
}

#[test]
fn full_sample_files() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample");
    let bytes = std::fs::read(root.join("sp500_prices.csv")).expect("sample prices");
    let imp = parse_prices("sp500_prices.csv", &bytes, &auto()).expect("parses");
    assert_eq!(imp.series.len(), 20);
    assert!(imp.series.iter().all(|s| s.dates.len() == 8313));
    assert_eq!(imp.series[0].symbol, "AAPL");
    assert_eq!(imp.series[0].values[0], 0.264);
    assert_eq!(imp.series[19].dates[8312], d(2022, 12, 28));
    let idx = std::fs::read(root.join("sp500_index.csv")).expect("sample index");
    let imp = parse_prices("sp500_index.csv", &idx, &auto()).expect("parses");
    assert_eq!(imp.series[0].symbol, "SP500");
    assert_eq!(imp.series[0].values[0], 359.69);
}
