//! Property tests: the importers never panic on arbitrary bytes or CSV-like text, and what
//! they return satisfies the data model's invariants.

use ballast_core::detect::classify;
use ballast_core::holdings::parse_holdings;
use ballast_core::prices::{parse_prices, PriceOptions};
use proptest::prelude::*;

fn csvish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("date".to_string()),
            Just("symbol".to_string()),
            Just("shares".to_string()),
            Just(",".to_string()),
            Just(";".to_string()),
            Just("\t".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\"".to_string()),
            Just("2021-01-0".to_string()),
            Just("01/02/20".to_string()),
            Just("$".to_string()),
            Just("%".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("-".to_string()),
            Just("CASH".to_string()),
            Just("Total".to_string()),
            "[0-9]{1,4}".prop_map(|s| s),
            "[0-9]{1,3}[.,][0-9]{1,3}".prop_map(|s| s),
            "[A-Z]{1,4}".prop_map(|s| s),
        ],
        0..80,
    )
    .prop_map(|v| v.concat())
}

fn check_prices(bytes: &[u8]) {
    if let Ok(imp) = parse_prices("p.csv", bytes, &PriceOptions::default()) {
        for s in &imp.series {
            assert_eq!(s.dates.len(), s.values.len());
            assert!(
                s.dates.windows(2).all(|w| w[0] < w[1]),
                "dates strictly ascending"
            );
            assert!(s.values.iter().all(|v| v.is_finite()));
            match s.kind {
                ballast_core::ValueKind::Price => assert!(s.values.iter().all(|v| *v > 0.0)),
                ballast_core::ValueKind::Return => assert!(s.values.iter().all(|v| *v > -1.0)),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_prices(&bytes);
        let _ = parse_holdings("h.csv", &bytes);
        let _ = classify("x.csv", &bytes);
    }

    #[test]
    fn csv_like_text_never_panics(text in csvish()) {
        check_prices(text.as_bytes());
        let _ = parse_holdings("h.csv", text.as_bytes());
        let _ = classify("x.csv", text.as_bytes());
    }

    #[test]
    fn generated_wide_files_parse_exactly(
        prices in proptest::collection::vec(proptest::collection::vec(0.01f64..1e6, 3), 2..40),
    ) {
        let mut text = String::from("date,A,B,C\n");
        let start = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or_default();
        for (i, row) in prices.iter().enumerate() {
            let d = start + chrono::Duration::days(i as i64 * 7);
            text.push_str(&format!("{d},{},{},{}\n", row[0], row[1], row[2]));
        }
        let imp = parse_prices("g.csv", text.as_bytes(), &PriceOptions::default());
        let imp = imp.map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (k, s) in imp.series.iter().enumerate() {
            let want: Vec<f64> = prices.iter().map(|r| r[k]).collect();
            prop_assert_eq!(&s.values, &want);
        }
    }
}
