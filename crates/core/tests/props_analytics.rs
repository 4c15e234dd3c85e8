//! Property tests of the analytics' invariants.

use ballast_core::align::align;
use ballast_core::analysis::{analyze, AnalysisParams};
use ballast_core::drawdown::{drawdown_series, max_drawdown, wealth};
use ballast_core::model::{Holdings, Position, PriceSet, Series, ValueKind};
use ballast_core::var::{historical_cvar, historical_var};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

/// Float slack for comparisons of sums of the same terms in different orders.
const SUM_TOL: f64 = 1e-12;

fn returns() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(-0.99f64..1.0, 1..300)
}

fn price_paths(n_assets: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    proptest::collection::vec(
        proptest::collection::vec(0.5f64..1.5, 2..60),
        n_assets..=n_assets,
    )
    .prop_map(|paths| {
        let len = paths.iter().map(Vec::len).min().unwrap_or(2);
        paths
            .into_iter()
            .map(|g| {
                let mut p = 100.0;
                g.into_iter()
                    .take(len)
                    .map(|x| {
                        p *= x;
                        p
                    })
                    .collect()
            })
            .collect()
    })
}

fn set_of(paths: &[Vec<f64>]) -> PriceSet {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    PriceSet {
        series: paths
            .iter()
            .enumerate()
            .map(|(i, p)| Series {
                symbol: format!("S{i}"),
                kind: ValueKind::Price,
                dates: (0..p.len())
                    .map(|t| start + Duration::days(t as i64))
                    .collect(),
                values: p.clone(),
                ohlc: None,
                source: "gen".into(),
            })
            .collect(),
        notes: vec![],
    }
}

proptest! {
    #[test]
    fn var_is_monotone_in_confidence_and_cvar_dominates(r in returns(), c1 in 0.5f64..0.999, c2 in 0.5f64..0.999) {
        let (lo, hi) = if c1 <= c2 { (c1, c2) } else { (c2, c1) };
        prop_assert!(historical_var(&r, lo) <= historical_var(&r, hi) + SUM_TOL);
        prop_assert!(historical_cvar(&r, lo) <= historical_cvar(&r, hi) + SUM_TOL);
        prop_assert!(historical_cvar(&r, hi) >= historical_var(&r, hi) - SUM_TOL);
    }

    #[test]
    fn drawdown_depth_is_between_zero_and_one(r in returns()) {
        let dd = drawdown_series(&wealth(&r));
        let m = max_drawdown(&dd);
        prop_assert!((0.0..=1.0).contains(&m), "{}", m);
        prop_assert!(dd.iter().all(|d| (-1.0..=0.0).contains(d)));
    }

    #[test]
    fn weights_and_cash_sum_to_one(paths in price_paths(4), q in proptest::collection::vec(0.1f64..1000.0, 4), cash in 0.0f64..10_000.0) {
        let set = set_of(&paths);
        let positions = q.iter().enumerate().map(|(i, q)| Position {
            symbol: format!("S{i}"), description: None, quantity: Some(*q), market_value: None, weight: None,
            price: None, cost_basis: None, sector: None, asset_class: None, line: i + 2,
        }).collect();
        let h = Holdings { positions, cash, ..Default::default() };
        let al = align(&set, Some(&h), None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let total: f64 = al.weights.iter().sum::<f64>() + al.cash_weight;
        prop_assert!((total - 1.0).abs() < 1e-9, "{}", total);
        prop_assert!(al.weights.iter().all(|w| *w > 0.0));
    }

    #[test]
    fn analyze_never_panics_and_gives_finite_risk(paths in price_paths(3), rf in -0.05f64..0.2, conf in 0.5f64..0.999) {
        let set = set_of(&paths);
        let al = align(&set, None, Some(&set.series[0])).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let a = analyze(&al, &AnalysisParams { risk_free_annual: rf, confidence: conf, ..Default::default() });
        prop_assert!(a.metrics.annualized_volatility.is_finite() || al.report.observations < 2);
        prop_assert!(a.metrics.var_historical.is_finite());
        prop_assert!(a.metrics.cvar_historical.is_finite());
        prop_assert!((0.0..=1.0).contains(&a.metrics.max_drawdown));
        prop_assert_eq!(a.series.equity.len(), al.dates.len());
    }
}
