//! Discrete allocation against PyPortfolioOpt 1.6.0 (`discrete_allocation` of the reference),
//! worked rebalancing examples, and the invariants of both as property tests.

mod optim_common;

use ballast_core::optimize::discrete::{greedy_allocation, improved_allocation, Allocation};
use ballast_core::optimize::rebalance::{
    rebalance, trades_csv, RebalanceParams, RebalancePlan, Side,
};
use ballast_core::optimize::OptError;
use optim_common::{assert_rel, by_ticker, data, num, reference};
use proptest::prelude::*;
use serde_json::Value;

/// How far above the LP's weight RMSE the improved allocation may land (measured: it reaches
/// the LP's allocation exactly, so only rounding separates the two figures).
const IMPROVED_VS_LP_RMSE_REL: f64 = 1e-12;

/// A `{ticker: shares}` allocation (absent tickers hold none) in the data's ticker order.
fn shares_by_ticker(v: &Value) -> Vec<f64> {
    data()
        .tickers
        .iter()
        .map(|t| v.get(t.as_str()).and_then(Value::as_f64).unwrap_or(0.0))
        .collect()
}

fn reference_inputs() -> (Vec<f64>, Vec<f64>, f64) {
    let da = &reference()["discrete_allocation"];
    (
        by_ticker(&da["input_weights"]),
        by_ticker(&da["latest_prices"]),
        num(&da["total_portfolio_value"]),
    )
}

fn ok<T>(r: Result<T, OptError>) -> T {
    r.unwrap_or_else(|e| panic!("unexpected error: {e}"))
}

#[test]
fn reference_prices_are_the_sample_last_prices() {
    let (_, prices, _) = reference_inputs();
    for (t, (a, b)) in data()
        .tickers
        .iter()
        .zip(prices.iter().zip(&data().last_prices))
    {
        assert!((a - b).abs() <= 1e-9 * b, "{t}: {a} vs {b}");
    }
}

#[test]
fn greedy_matches_pypfopt_exactly() {
    let (w, p, v) = reference_inputs();
    let g = &reference()["discrete_allocation"]["greedy"];
    let a = ok(greedy_allocation(&w, &p, v));
    assert_eq!(
        a.shares,
        shares_by_ticker(&g["allocation"]),
        "greedy shares"
    );
    let leftover = num(&g["leftover"]);
    eprintln!(
        "greedy leftover {:.12} vs {:.12} (|Δ| {:.1e})",
        a.leftover,
        leftover,
        (a.leftover - leftover).abs()
    );
    assert!((a.leftover - leftover).abs() <= 1e-9, "leftover");
    assert_rel("greedy rmse", a.rmse, num(&g["rmse_weights"]), 1e-12);
    // The record is consistent: values, weights as fractions of V, leftover.
    let spent: f64 = a.values.iter().sum();
    assert!((spent + a.leftover - v).abs() <= 1e-9);
    assert!((a.max_abs_weight_gap - max_gap(&w, &a.weights)).abs() == 0.0);
}

fn max_gap(w: &[f64], a: &[f64]) -> f64 {
    w.iter()
        .zip(a)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn improved_reaches_the_lp_allocation() {
    let (w, p, v) = reference_inputs();
    let da = &reference()["discrete_allocation"];
    let greedy = ok(greedy_allocation(&w, &p, v));
    let improved = ok(improved_allocation(&w, &p, v));
    let lp_rmse = num(&da["lp_HIGHS"]["rmse_weights"]);
    eprintln!(
        "rmse: greedy {:.6e}, improved {:.6e}, LP (HiGHS) {:.6e}; leftover improved {:.6} vs LP {:.6}",
        greedy.rmse,
        improved.rmse,
        lp_rmse,
        improved.leftover,
        num(&da["lp_HIGHS"]["leftover"])
    );
    assert!(improved.rmse <= greedy.rmse);
    assert!(
        improved.rmse <= lp_rmse * (1.0 + IMPROVED_VS_LP_RMSE_REL),
        "improved rmse {} above the LP's {lp_rmse}",
        improved.rmse
    );
    // Measured: one swap (−1 MRK, +1 BBY) gives exactly the LP's allocation.
    assert_eq!(
        improved.shares,
        shares_by_ticker(&da["lp_HIGHS"]["allocation"])
    );
    assert!((improved.leftover - num(&da["lp_HIGHS"]["leftover"])).abs() <= 1e-9);
    assert_rel("improved rmse = LP rmse", improved.rmse, lp_rmse, 1e-12);
}

#[test]
fn greedy_with_shorts_sizes_each_side_on_its_weight() {
    // 130/30: longs 0.8 + 0.5 at 100 and 50, short 0.3 at 20; V = 1000.
    let a = ok(greedy_allocation(
        &[0.8, 0.5, -0.3],
        &[100.0, 50.0, 20.0],
        1000.0,
    ));
    // Short 300/20 = 15 shares (proceeds 300); longs budget min(1300, 1300): 8 and 10.
    assert_eq!(a.shares, vec![8.0, 10.0, -15.0]);
    assert!(a.leftover.abs() < 1e-12);
    assert!(a.rmse < 1e-15);
    let b = ok(improved_allocation(
        &[0.8, 0.5, -0.3],
        &[100.0, 50.0, 20.0],
        1000.0,
    ));
    assert_eq!(b, a);
}

#[test]
fn allocation_serde_round_trip() {
    let a = ok(improved_allocation(&[0.6, 0.4], &[30.0, 7.0], 1000.0));
    let text = serde_json::to_string(&a).unwrap_or_default();
    let back: Allocation = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, a);
}

// ---------------------------------------------------------------------------------------------
// Rebalancing by hand.

fn syms(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn check_identity(plan: &RebalancePlan, prices: &[f64], total: f64) {
    let held: f64 = plan
        .final_shares
        .iter()
        .zip(prices)
        .map(|(s, p)| s * p)
        .sum();
    let lhs = held + plan.final_cash + plan.total_cost;
    assert!(
        (lhs - total).abs() <= 1e-9 * total.abs().max(1.0),
        "value identity: {lhs} vs {total}"
    );
}

#[test]
fn two_assets_no_costs() {
    // A: 10 × $100, B: none, no cash; V = 1000, 50/50 → sell 5 A, buy 10 B.
    let prices = [100.0, 50.0];
    let plan = ok(rebalance(
        &syms(&["A", "B"]),
        &[10.0, 0.0],
        &prices,
        0.0,
        &[0.5, 0.5],
        &RebalanceParams::default(),
    ));
    assert_eq!(plan.trades.len(), 2);
    assert_eq!(plan.trades[0].side, Side::Sell);
    assert_eq!(plan.trades[0].symbol, "A");
    assert_eq!(plan.trades[0].shares, 5.0);
    assert_eq!(plan.trades[1].side, Side::Buy);
    assert_eq!(plan.trades[1].shares, 10.0);
    assert_eq!(plan.final_shares, vec![5.0, 10.0]);
    assert_eq!(plan.final_cash, 0.0);
    assert_eq!(plan.total_cost, 0.0);
    assert_eq!(plan.turnover, 0.5);
    assert_eq!(plan.final_weights, vec![0.5, 0.5]);
    assert_eq!(plan.tracking_gap.rmse, 0.0);
    assert!(plan.skipped.is_empty());
    check_identity(&plan, &prices, 1000.0);
}

#[test]
fn two_assets_with_costs() {
    // Costs 10 bps + $1 per trade. Sell 5 A: value 500, cost 0.50 + 1 = 1.50, cash 498.50.
    // Buying 10 B would need 10·50·1.001 + 1 = 501.50 > 498.50, so the buy budget is
    // 498.50 − 1 = 497.50 at 50.05 a share: 9 shares (450.45), value 450, cost 1.45.
    let prices = [100.0, 50.0];
    let params = RebalanceParams {
        cost_bps: 10.0,
        fixed_fee: 1.0,
        ..RebalanceParams::default()
    };
    let plan = ok(rebalance(
        &syms(&["A", "B"]),
        &[10.0, 0.0],
        &prices,
        0.0,
        &[0.5, 0.5],
        &params,
    ));
    assert_eq!(plan.final_shares, vec![5.0, 9.0]);
    assert!((plan.trades[0].cost - 1.5).abs() < 1e-12);
    assert!((plan.trades[1].value - 450.0).abs() < 1e-12);
    assert!((plan.trades[1].cost - 1.45).abs() < 1e-12);
    assert!((plan.total_cost - 2.95).abs() < 1e-12);
    assert!((plan.final_cash - 47.05).abs() < 1e-9);
    assert!((plan.turnover - 950.0 / 2000.0).abs() < 1e-15);
    // Final weights on V − costs = 997.05.
    assert!((plan.final_weights[0] - 500.0 / 997.05).abs() < 1e-15);
    check_identity(&plan, &prices, 1000.0);
}

#[test]
fn fractional_shares_hit_the_targets() {
    let prices = [100.0, 30.0, 7.0];
    let params = RebalanceParams {
        whole_shares: false,
        ..RebalanceParams::default()
    };
    let plan = ok(rebalance(
        &syms(&["A", "B", "C"]),
        &[10.0, 0.0, 0.0],
        &prices,
        200.0,
        &[0.2, 0.3, 0.5],
        &params,
    ));
    // V = 1200: targets 240, 360, 600.
    assert!((plan.final_shares[0] - 2.4).abs() < 1e-12);
    assert!((plan.final_shares[1] - 12.0).abs() < 1e-12);
    assert!((plan.final_shares[2] - 600.0 / 7.0).abs() < 1e-12);
    assert!(plan.final_cash.abs() < 1e-9);
    assert!(plan.tracking_gap.max_abs < 1e-12);
    check_identity(&plan, &prices, 1200.0);
}

#[test]
fn drift_band_and_minimum_trade() {
    // V = 10,000 (cash 400). HD at 51% (target 50%) is inside the 2% band; AAPL at 12%
    // (target 16%) buys $400 = 4 shares; MSFT at 33% (target 30%) would sell $300, below the
    // $350 minimum.
    let prices = [100.0, 100.0, 40.0];
    let params = RebalanceParams {
        drift_band: 0.02,
        min_trade_value: 350.0,
        ..RebalanceParams::default()
    };
    let plan = ok(rebalance(
        &syms(&["HD", "AAPL", "MSFT"]),
        &[51.0, 12.0, 82.5],
        &prices,
        400.0,
        &[0.5, 0.16, 0.3],
        &params,
    ));
    assert_eq!(plan.trades.len(), 1, "{:?}", plan.trades);
    assert_eq!(plan.trades[0].symbol, "AAPL");
    assert_eq!(plan.trades[0].side, Side::Buy);
    assert_eq!(plan.trades[0].shares, 4.0);
    assert_eq!(plan.final_shares, vec![51.0, 16.0, 82.5]);
    assert!(plan.final_cash.abs() < 1e-9);
    assert_eq!(
        plan.skipped,
        vec![
            "HD: inside the 2% drift band".to_string(),
            "MSFT: trade of $300 below the $350 minimum".to_string(),
        ]
    );
    check_identity(&plan, &prices, 10_000.0);

    // No band: B wants +$40 of the $40 cash, below a $100 minimum; A is on target.
    let plan = ok(rebalance(
        &syms(&["A", "AAPL"]),
        &[10.0, 10.0],
        &[100.0, 100.0],
        40.0,
        &[1000.0 / 2040.0, 1040.0 / 2040.0],
        &RebalanceParams {
            min_trade_value: 100.0,
            ..RebalanceParams::default()
        },
    ));
    assert!(plan.trades.is_empty());
    assert_eq!(
        plan.skipped,
        vec!["AAPL: trade of $40 below the $100 minimum".to_string()]
    );

    // Outside a 2% band HD at 55% goes all the way to the target, 50%.
    let plan = ok(rebalance(
        &syms(&["HD", "AAPL"]),
        &[55.0, 45.0],
        &[100.0, 100.0],
        0.0,
        &[0.5, 0.5],
        &params,
    ));
    assert_eq!(plan.final_shares, vec![50.0, 50.0]);
    check_identity(&plan, &[100.0, 100.0], 10_000.0);
}

#[test]
fn zero_target_sells_the_whole_fractional_holding() {
    let plan = ok(rebalance(
        &syms(&["A", "B"]),
        &[10.5, 0.0],
        &[10.0, 10.0],
        0.0,
        &[0.0, 1.0],
        &RebalanceParams::default(),
    ));
    assert_eq!(plan.trades[0].shares, 10.5);
    assert_eq!(plan.final_shares[0], 0.0);
    // 105 of cash buys 10 whole shares of B, 5 left.
    assert_eq!(plan.final_shares[1], 10.0);
    assert!((plan.final_cash - 5.0).abs() < 1e-12);
}

#[test]
fn invalid_inputs_name_the_field() {
    let s = syms(&["A", "B"]);
    let p = RebalanceParams::default();
    let field = |r: Result<RebalancePlan, OptError>| match r {
        Err(OptError::InvalidInput { field, message }) => (field, message),
        other => panic!("expected InvalidInput, got {other:?}"),
    };
    let (f, m) = field(rebalance(
        &s,
        &[1.0, 1.0],
        &[1.0, 0.0],
        0.0,
        &[0.5, 0.5],
        &p,
    ));
    assert_eq!(f, "prices");
    assert!(m.starts_with("B:"), "{m}");
    assert_eq!(
        field(rebalance(&s, &[1.0], &[1.0, 1.0], 0.0, &[0.5, 0.5], &p)).0,
        "current_shares"
    );
    assert_eq!(
        field(rebalance(
            &s,
            &[1.0, 1.0],
            &[1.0, 1.0],
            0.0,
            &[f64::NAN, 0.5],
            &p
        ))
        .0,
        "target_weights"
    );
    let (f, m) = field(rebalance(
        &s,
        &[1.0, 1.0],
        &[1.0, 1.0],
        -5.0,
        &[0.5, 0.5],
        &p,
    ));
    assert_eq!(f, "cash");
    assert!(m.contains("must be positive"), "{m}");
    for (bad, name) in [
        (
            RebalanceParams {
                cost_bps: -1.0,
                ..p.clone()
            },
            "cost_bps",
        ),
        (
            RebalanceParams {
                fixed_fee: f64::INFINITY,
                ..p.clone()
            },
            "fixed_fee",
        ),
        (
            RebalanceParams {
                min_trade_value: -1.0,
                ..p.clone()
            },
            "min_trade_value",
        ),
        (
            RebalanceParams {
                drift_band: f64::NAN,
                ..p.clone()
            },
            "drift_band",
        ),
    ] {
        assert_eq!(
            field(rebalance(
                &s,
                &[1.0, 1.0],
                &[1.0, 1.0],
                0.0,
                &[0.5, 0.5],
                &bad
            ))
            .0,
            name
        );
    }
}

#[test]
fn params_serde_defaults() {
    let p: RebalanceParams = serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p, RebalanceParams::default());
    assert!(p.whole_shares);
    let p: RebalanceParams = serde_json::from_str(r#"{"cost_bps": 5, "drift_band": 0.02}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.cost_bps, 5.0);
    assert_eq!(p.drift_band, 0.02);
    assert!(p.whole_shares);
    assert_eq!(
        serde_json::to_string(&Side::Buy).unwrap_or_default(),
        "\"buy\""
    );
}

#[test]
fn csv_download() {
    let plan = ok(rebalance(
        &syms(&["A", "B,\"C\""]),
        &[10.0, 0.0],
        &[100.0, 50.0],
        0.0,
        &[0.5, 0.5],
        &RebalanceParams {
            cost_bps: 10.0,
            ..RebalanceParams::default()
        },
    ));
    let csv = trades_csv(&plan);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "symbol,side,shares,price,value,cost");
    assert_eq!(lines[1], "A,sell,5,100,500,0.5");
    assert!(lines[2].starts_with("\"B,\"\"C\"\"\",buy,"), "{}", lines[2]);
    assert_eq!(lines.last(), Some(&""));
    // Round trip through a CSV reader.
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), plan.trades.len());
    assert_eq!(&rows[1][0], "B,\"C\"");
    let value: f64 = rows[1][4].parse().unwrap_or(f64::NAN);
    assert_eq!(value, plan.trades[1].value);
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn long_only_case() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>, f64)> {
    (1usize..8).prop_flat_map(|n| {
        (
            prop::collection::vec(0.5f64..2000.0, n),
            prop::collection::vec(0u32..200, n),
            prop::collection::vec(0.0f64..1.0, n),
            0.0f64..20_000.0,
            0.3f64..1.0,
        )
            .prop_map(|(prices, shares, raw, cash, invested)| {
                let sum: f64 = raw.iter().sum();
                let w = raw
                    .iter()
                    .map(|r| if sum > 0.0 { r / sum * invested } else { 0.0 })
                    .collect();
                (prices, shares.into_iter().map(f64::from).collect(), w, cash)
            })
    })
}

fn params_strategy() -> impl Strategy<Value = RebalanceParams> {
    (
        0.0f64..100.0,
        prop_oneof![Just(0.0), 0.0f64..20.0],
        prop_oneof![Just(0.0), 0.0f64..500.0],
        prop_oneof![Just(0.0), 0.0f64..0.05],
        any::<bool>(),
    )
        .prop_map(
            |(cost_bps, fixed_fee, min_trade_value, drift_band, whole_shares)| RebalanceParams {
                cost_bps,
                fixed_fee,
                min_trade_value,
                drift_band,
                whole_shares,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rebalance_invariants((prices, shares, w, cash) in long_only_case(), params in params_strategy()) {
        let n = prices.len();
        let symbols: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
        let total: f64 = shares.iter().zip(&prices).map(|(s, p)| s * p).sum::<f64>() + cash;
        let result = rebalance(&symbols, &shares, &prices, cash, &w, &params);
        if total <= 0.0 {
            prop_assert!(result.is_err());
            return Ok(());
        }
        let plan = match result {
            Ok(p) => p,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let scale = total.max(1.0);
        // Value identity.
        let held: f64 = plan.final_shares.iter().zip(&prices).map(|(s, p)| s * p).sum();
        prop_assert!((held + plan.final_cash + plan.total_cost - total).abs() <= 1e-9 * scale);
        // No shorts and no negative cash.
        prop_assert!(plan.final_cash >= -1e-9 * scale, "cash {}", plan.final_cash);
        prop_assert!(plan.final_shares.iter().all(|&s| s >= -1e-12));
        // Buys are paid from the cash left after the sells.
        let sold: f64 = plan.trades.iter().filter(|t| t.side == Side::Sell).map(|t| t.value - t.cost).sum();
        let bought: f64 = plan.trades.iter().filter(|t| t.side == Side::Buy).map(|t| t.value + t.cost).sum();
        prop_assert!(bought <= cash + sold + 1e-9 * scale);
        // Whole shares trade whole numbers (a full sale of the holding aside).
        for t in &plan.trades {
            prop_assert!(t.shares > 0.0 && t.value >= params.min_trade_value);
            if params.whole_shares {
                prop_assert!(t.shares.fract() == 0.0);
            }
        }
        // Positions inside the band are untouched.
        for i in 0..n {
            let gap = w[i] - shares[i] * prices[i] / total;
            if gap.abs() <= params.drift_band {
                prop_assert_eq!(plan.final_shares[i], shares[i]);
                prop_assert!(plan.trades.iter().all(|t| t.symbol != symbols[i]));
            }
        }
        // Turnover and costs are consistent with the trades.
        let traded: f64 = plan.trades.iter().map(|t| t.value).sum();
        prop_assert!((plan.turnover - traded / (2.0 * total)).abs() <= 1e-12);
        let cost: f64 = plan.trades.iter().map(|t| t.cost).sum();
        prop_assert!((plan.total_cost - cost).abs() <= 1e-9 * scale);
    }

    #[test]
    fn rebalance_never_panics(
        n in 0usize..6,
        shares in prop::collection::vec(prop_oneof![any::<f64>(), -1e3f64..1e3], 0..7),
        prices in prop::collection::vec(prop_oneof![any::<f64>(), -10.0f64..1e3], 0..7),
        w in prop::collection::vec(prop_oneof![any::<f64>(), -1.0f64..1.0], 0..7),
        cash in prop_oneof![any::<f64>(), -1e4f64..1e4],
        cost_bps in prop_oneof![any::<f64>(), 0.0f64..100.0],
        fee in prop_oneof![any::<f64>(), 0.0f64..10.0],
        band in prop_oneof![any::<f64>(), 0.0f64..0.1],
        whole in any::<bool>(),
    ) {
        let symbols: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
        let params = RebalanceParams { cost_bps, fixed_fee: fee, min_trade_value: 0.0, drift_band: band, whole_shares: whole };
        if let Ok(plan) = rebalance(&symbols, &shares, &prices, cash, &w, &params) {
            prop_assert!(plan.final_cash.is_finite() || !cash.is_finite());
            let _ = trades_csv(&plan);
        }
    }

    #[test]
    fn improved_never_worse_than_greedy(
        n in 1usize..8,
        seed in prop::collection::vec((-0.4f64..1.0, 0.5f64..3000.0), 8),
        v in 10.0f64..1e6,
    ) {
        let w: Vec<f64> = seed[..n].iter().map(|s| s.0).collect();
        let p: Vec<f64> = seed[..n].iter().map(|s| s.1).collect();
        let (g, im) = match (greedy_allocation(&w, &p, v), improved_allocation(&w, &p, v)) {
            (Ok(g), Ok(im)) => (g, im),
            (Err(_), Err(_)) => return Ok(()),
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert!(im.rmse <= g.rmse, "improved {} > greedy {}", im.rmse, g.rmse);
        for a in [&g, &im] {
            prop_assert!(a.leftover >= -1e-9 * v, "leftover {}", a.leftover);
            prop_assert!(a.shares.iter().all(|x| x.fract() == 0.0));
            for (x, wi) in a.shares.iter().zip(&w) {
                prop_assert!(*x * wi >= 0.0, "share {x} against weight {wi}");
            }
            let net: f64 = a.values.iter().sum();
            prop_assert!((net + a.leftover - v).abs() <= 1e-9 * v);
        }
    }

    #[test]
    fn greedy_never_panics(
        w in prop::collection::vec(any::<f64>(), 0..6),
        p in prop::collection::vec(any::<f64>(), 0..6),
        v in any::<f64>(),
    ) {
        let _ = greedy_allocation(&w, &p, v);
        let _ = improved_allocation(&w, &p, v);
    }
}
