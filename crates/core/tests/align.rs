//! Alignment: windows, gaps, valuation, weights, benchmark, returns tables, frequency.

use ballast_core::align::align;
use ballast_core::error::AlignError;
use ballast_core::frequency::Frequency;
use ballast_core::model::{Holdings, Position, PriceSet, Series, ValueKind};
use chrono::{Duration, NaiveDate};

/// Weights and values are products and ratios of a few numbers.
const ARITH_TOL: f64 = 1e-12;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn series(symbol: &str, start: NaiveDate, step_days: i64, values: &[f64]) -> Series {
    Series {
        symbol: symbol.into(),
        kind: ValueKind::Price,
        dates: (0..values.len())
            .map(|i| start + Duration::days(i as i64 * step_days))
            .collect(),
        values: values.to_vec(),
        ohlc: None,
        source: "test.csv".into(),
    }
}

fn set(s: Vec<Series>) -> PriceSet {
    PriceSet {
        series: s,
        notes: vec![],
    }
}

fn pos(symbol: &str, line: usize) -> Position {
    Position {
        symbol: symbol.into(),
        description: None,
        quantity: None,
        market_value: None,
        weight: None,
        price: None,
        cost_basis: None,
        sector: None,
        asset_class: None,
        line,
    }
}

fn holdings(p: Vec<Position>, cash: f64) -> Holdings {
    Holdings {
        positions: p,
        cash,
        ..Default::default()
    }
}

#[test]
fn window_starts_at_the_latest_listing_and_says_why() {
    let a = series("AAA", d(2020, 1, 1), 1, &[10.0, 11.0, 12.0, 13.0, 14.0]);
    let b = series("BBB", d(2020, 1, 3), 1, &[20.0, 21.0, 22.0]);
    let al = align(&set(vec![a, b]), None, None).expect("aligns");
    assert_eq!(al.report.start, d(2020, 1, 3));
    assert_eq!(al.report.end, d(2020, 1, 5));
    assert_eq!(al.report.observations, 2);
    assert!(
        al.report
            .notes
            .iter()
            .any(|n| n.contains("BBB has no prices before 2020-01-03")
                && n.contains("earlier history of 1 asset(s) unused")),
        "{:?}",
        al.report.notes
    );
    assert!(al.report.notes.iter().any(|n| n.contains("equal-weight")));
    assert!((al.weights[0] - 0.5).abs() < ARITH_TOL);
    assert!((al.returns[0][0] - (13.0 / 12.0 - 1.0)).abs() < ARITH_TOL);
}

#[test]
fn a_gap_drops_the_date_and_the_return_spans_it() {
    let a = series("AAA", d(2020, 1, 1), 1, &[10.0, 11.0, 12.0, 13.0]);
    let mut b = series("BBB", d(2020, 1, 1), 1, &[20.0, 21.0, 22.0, 23.0]);
    b.dates.remove(1);
    b.values.remove(1);
    let al = align(&set(vec![a, b]), None, None).expect("aligns");
    assert_eq!(al.dates, vec![d(2020, 1, 1), d(2020, 1, 3), d(2020, 1, 4)]);
    assert!(
        (al.returns[0][0] - 0.2).abs() < ARITH_TOL,
        "AAA return over the gap: 12/10-1"
    );
    assert!((al.returns[1][0] - 0.1).abs() < ARITH_TOL);
    assert!(
        al.returns.iter().flatten().all(|r| *r != 0.0),
        "no zero return invented"
    );
    assert!(al
        .report
        .notes
        .iter()
        .any(|n| n.contains("1 date(s) inside the window dropped")));
}

#[test]
fn valuation_by_quantity_value_weight_with_cash_and_a_short() {
    let a = series("AAA", d(2020, 1, 1), 1, &[10.0, 20.0]);
    let b = series("BBB", d(2020, 1, 1), 1, &[5.0, 10.0]);
    let c = series("CCC", d(2020, 1, 1), 1, &[1.0, 2.0]);
    let mut pa = pos("AAA", 2);
    pa.quantity = Some(10.0); // 200
    let mut pb = pos("bbb", 3);
    pb.market_value = Some(300.0);
    let mut pc = pos("CCC", 4);
    pc.quantity = Some(-50.0); // short: -100
    let h = holdings(vec![pa, pb, pc], 600.0); // net 200+300-100+600 = 1000
    let al = align(&set(vec![a, b, c]), Some(&h), None).expect("aligns");
    assert!((al.total_value - 1000.0).abs() < ARITH_TOL);
    assert!((al.weights[0] - 0.2).abs() < ARITH_TOL);
    assert!((al.weights[1] - 0.3).abs() < ARITH_TOL);
    assert!(
        (al.weights[2] + 0.1).abs() < ARITH_TOL,
        "short has a negative weight"
    );
    assert!((al.cash_weight - 0.6).abs() < ARITH_TOL);
    assert!((al.weights.iter().sum::<f64>() + al.cash_weight - 1.0).abs() < ARITH_TOL);
    assert_eq!(al.positions[1].symbol, "BBB", "matched case-insensitively");
    assert_eq!(
        al.positions[1].quantity,
        Some(30.0),
        "implied quantity from value"
    );

    let mut wa = pos("AAA", 2);
    wa.weight = Some(0.6);
    let mut wb = pos("BBB", 3);
    wb.weight = Some(0.3);
    let h = Holdings {
        positions: vec![wa, wb],
        cash_weight: Some(0.1),
        ..Default::default()
    };
    let al = align(
        &set(vec![
            series("AAA", d(2020, 1, 1), 1, &[1.0, 2.0]),
            series("BBB", d(2020, 1, 1), 1, &[1.0, 2.0]),
        ]),
        Some(&h),
        None,
    )
    .expect("aligns");
    assert!((al.weights[0] - 0.6).abs() < ARITH_TOL && (al.cash_weight - 0.1).abs() < ARITH_TOL);
}

#[test]
fn holding_without_prices_is_an_error_naming_it() {
    let a = series("AAA", d(2020, 1, 1), 1, &[10.0, 20.0]);
    let mut p = pos("ZZZ", 7);
    p.quantity = Some(1.0);
    let e = align(&set(vec![a]), Some(&holdings(vec![p], 0.0)), None).expect_err("fails");
    assert_eq!(
        e,
        AlignError::HoldingWithoutPrices {
            symbol: "ZZZ".into(),
            line: 7
        }
    );
    assert!(e.to_string().contains("ZZZ") && e.to_string().contains("line 7"));
}

#[test]
fn non_overlapping_histories_and_too_few_dates() {
    let a = series("AAA", d(2020, 1, 1), 1, &[10.0, 20.0]);
    let b = series("BBB", d(2021, 1, 1), 1, &[10.0, 20.0]);
    let e = align(&set(vec![a, b]), None, None).expect_err("fails");
    assert!(matches!(e, AlignError::NoOverlap(_)), "{e}");
    assert_eq!(
        align(&set(vec![]), None, None).expect_err("fails"),
        AlignError::NoPrices
    );
}

#[test]
fn benchmark_that_does_not_cover_the_window_is_left_out_with_a_note() {
    let a = series("AAA", d(2020, 1, 1), 1, &[10.0, 11.0, 12.0]);
    let b = series("IDX", d(2020, 1, 2), 1, &[100.0, 101.0]);
    let al = align(&set(vec![a.clone()]), None, Some(&b)).expect("aligns");
    assert!(al.benchmark.is_none());
    assert!(al.report.notes.iter().any(|n| n.contains("benchmark IDX")));
    let b = series("IDX", d(2019, 12, 31), 1, &[100.0, 101.0, 102.0, 103.0]);
    let al = align(&set(vec![a]), None, Some(&b)).expect("aligns");
    assert_eq!(al.benchmark.map(|b| b.returns.len()), Some(2));
}

#[test]
fn returns_tables_keep_their_first_return() {
    let mut r = series("FUND", d(2021, 1, 31), 0, &[0.01, -0.02, 0.03]);
    r.kind = ValueKind::Return;
    r.dates = vec![d(2021, 1, 29), d(2021, 2, 26), d(2021, 3, 31)];
    let al = align(&set(vec![r]), None, None).expect("aligns");
    assert_eq!(al.report.observations, 3);
    assert_eq!(al.report.frequency, Frequency::Monthly);
    assert_eq!(al.report.periods_per_year, 12.0);
    assert!((al.returns[0][0] - 0.01).abs() < ARITH_TOL);
    assert!((al.returns[0][1] + 0.02).abs() < ARITH_TOL);
}

#[test]
fn weekly_data_is_52_per_year() {
    let a = series("AAA", d(2020, 1, 3), 7, &[10.0, 11.0, 12.0, 11.5, 12.5]);
    let al = align(&set(vec![a]), None, None).expect("aligns");
    assert_eq!(al.report.frequency, Frequency::Weekly);
    assert_eq!(al.report.periods_per_year, 52.0);
}
