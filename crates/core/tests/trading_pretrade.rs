//! Pre-trade checks: each rejection reason on its own (halted, position, sector, cluster, VaR,
//! leverage, buying power), approval, the suggested size, and trades that reduce risk while
//! trading is halted.

mod trading_common;

use ballast_core::align::Aligned;
use ballast_core::trading::limits::{evaluate, snapshot, AlertKind, Limits, Severity};
use ballast_core::trading::pretrade::{
    check, AccountState, PreTradeCheck, ReasonKind, Side, TradeProposal,
};
use ballast_core::trading::TradingError;
use trading_common::{build, correlated, iid, noise, Asset, T};

/// Weights and cash of a few numbers.
const ARITH_TOL: f64 = 1e-9;

fn asset(symbol: &'static str, returns: Vec<f64>, quantity: f64, sector: &'static str) -> Asset {
    Asset {
        symbol,
        returns,
        quantity,
        sector: Some(sector),
    }
}

/// Five independent assets (daily σ 0.5%) at 100, each in its own sector unless `one_sector`,
/// with the given quantities, plus cash.
fn five(quantities: [f64; 5], cash: f64, one_sector: bool) -> Aligned {
    let symbols = ["A", "B", "C", "D", "E"];
    let sectors = ["S1", "S2", "S3", "S4", "S5"];
    build(
        (0..5)
            .map(|i| {
                asset(
                    symbols[i],
                    iid(10 + i as u64, 0.005),
                    quantities[i],
                    if one_sector { "Tech" } else { sectors[i] },
                )
            })
            .collect(),
        cash,
    )
}

/// A, B, C, D, E at 10% each in their own sectors, cash 50%; net value 100,000.
fn calm() -> Aligned {
    five([100.0; 5], 50_000.0, false)
}

fn trade(symbol: &str, side: Side, quantity: f64) -> TradeProposal {
    TradeProposal {
        symbol: symbol.into(),
        side,
        quantity,
        price: 100.0,
        stop: None,
        atr: None,
        sector: None,
        returns: None,
    }
}

fn new_symbol(symbol: &str, side: Side, quantity: f64, returns: Vec<f64>) -> TradeProposal {
    TradeProposal {
        sector: Some(format!("{symbol} sector")),
        returns: Some(returns),
        ..trade(symbol, side, quantity)
    }
}

fn run(aligned: &Aligned, t: &TradeProposal) -> PreTradeCheck {
    run_with(aligned, t, &AccountState::default())
}

fn run_with(aligned: &Aligned, t: &TradeProposal, account: &AccountState) -> PreTradeCheck {
    check(aligned, &Limits::default(), t, account).expect("check")
}

fn kinds(c: &PreTradeCheck) -> Vec<ReasonKind> {
    c.reasons.iter().map(|r| r.kind).collect()
}

fn not_halted(aligned: &Aligned) {
    let l = Limits::default();
    let s = snapshot(aligned, &l).expect("snapshot");
    assert!(
        evaluate(&s, &l)
            .iter()
            .all(|a| a.severity != Severity::Halt),
        "the test portfolio must not be halted (drawdown {})",
        s.current_drawdown
    );
}

/// The suggested size passes the check, and one share more (whole shares) does not.
#[track_caller]
fn suggestion_passes(aligned: &Aligned, t: &TradeProposal, account: &AccountState) -> f64 {
    let c = run_with(aligned, t, account);
    let q = c.suggested_quantity.expect("a suggested size");
    assert!(q > 0.0 && q < t.quantity, "{q}");
    assert_eq!(q.fract(), 0.0, "whole shares for a whole quantity");
    let at = run_with(
        aligned,
        &TradeProposal {
            quantity: q,
            ..t.clone()
        },
        account,
    );
    assert!(at.approved, "the suggested {q} passes: {:?}", at.reasons);
    assert_eq!(at.suggested_quantity, None);
    let more = run_with(
        aligned,
        &TradeProposal {
            quantity: q + 1.0,
            ..t.clone()
        },
        account,
    );
    assert!(!more.approved, "{} fails", q + 1.0);
    q
}

#[test]
fn approves_when_every_check_passes() {
    let a = calm();
    not_halted(&a);
    let c = run(&a, &trade("A", Side::Buy, 50.0));
    assert!(c.approved, "{:?}", c.reasons);
    assert!(c.reasons.is_empty());
    assert_eq!(c.suggested_quantity, None);
    let w = |v: &[(String, f64)], s: &str| {
        v.iter()
            .find(|(x, _)| x == s)
            .map(|(_, w)| *w)
            .expect("symbol")
    };
    assert!((w(&c.before.weights, "A") - 0.10).abs() < ARITH_TOL);
    assert!((w(&c.after.weights, "A") - 0.15).abs() < ARITH_TOL);
    assert!((c.before.cash - 50_000.0).abs() < ARITH_TOL);
    assert!((c.after.cash - 45_000.0).abs() < ARITH_TOL);
    assert!((c.after.equity - 100_000.0).abs() < 1e-6);
    assert!((c.after.gross_leverage - 0.55).abs() < ARITH_TOL);
    assert!(c.after.var_1d > c.before.var_1d);
    assert!((c.after.var_1d_money - c.after.var_1d * c.after.equity).abs() < 1e-9);
    assert!(c.before.volatility > 0.0 && c.after.volatility > c.before.volatility);
    assert_eq!(c.before.largest_cluster, None);
    // Serialisable for the app and the CLI.
    let json = serde_json::to_string(&c).expect("json");
    let back: PreTradeCheck = serde_json::from_str(&json).expect("back");
    assert_eq!(back, c);
}

#[test]
fn rejects_a_position_above_its_critical_level() {
    let a = calm();
    not_halted(&a);
    // A: 10% → 35%.
    let t = trade("A", Side::Buy, 250.0);
    let c = run(&a, &t);
    assert!(!c.approved);
    assert_eq!(kinds(&c), vec![ReasonKind::Position], "{:?}", c.reasons);
    assert_eq!(
        c.reasons[0].message,
        "A would be 35.0% of the portfolio (now 10.0%), above the 30% critical position limit"
    );
    assert!(c
        .after
        .alerts
        .iter()
        .any(|x| x.kind == AlertKind::Position && x.severity == Severity::Critical));
    // 200 shares make A exactly 30%, the critical level: the largest passing size is 199.
    let q = suggestion_passes(&a, &t, &AccountState::default());
    assert_eq!(q, 199.0);
}

#[test]
fn rejects_a_sector_above_its_critical_level() {
    // Five 10% positions in one sector (50%); buying 150 A makes A 25% and the sector 65%.
    let a = five([100.0; 5], 50_000.0, true);
    not_halted(&a);
    let t = trade("A", Side::Buy, 150.0);
    let c = run(&a, &t);
    assert_eq!(kinds(&c), vec![ReasonKind::Sector], "{:?}", c.reasons);
    assert!(c.reasons[0].message.starts_with("Tech would be 65.0%"));
    let q = suggestion_passes(&a, &t, &AccountState::default());
    assert_eq!(q, 99.0, "Tech reaches 60% at 100 shares");
}

#[test]
fn rejects_a_correlated_cluster_above_its_critical_level() {
    // A 25% and B 20% correlated at 0.95 (different sectors); C, D, E 5% each; cash 40%.
    let a = build(
        vec![
            asset("A", iid(1, 0.005), 250.0, "S1"),
            asset("B", correlated(1, 2, 0.95, 0.005), 200.0, "S2"),
            asset("C", iid(3, 0.005), 50.0, "S3"),
            asset("D", iid(4, 0.005), 50.0, "S4"),
            asset("E", iid(5, 0.005), 50.0, "S5"),
        ],
        40_000.0,
    );
    not_halted(&a);
    assert_eq!(
        snapshot(&a, &Limits::default())
            .expect("snapshot")
            .clusters
            .len(),
        1
    );
    // B 20% → 26%: the cluster 45% → 51%.
    let t = trade("B", Side::Buy, 60.0);
    let c = run(&a, &t);
    assert_eq!(kinds(&c), vec![ReasonKind::Cluster], "{:?}", c.reasons);
    assert!(c.reasons[0].message.starts_with("A, B move together"));
    let (members, w) = c.after.largest_cluster.clone().expect("a cluster");
    assert_eq!(members, vec!["A", "B"]);
    assert!((w - 0.51).abs() < ARITH_TOL);
    let q = suggestion_passes(&a, &t, &AccountState::default());
    assert_eq!(q, 49.0, "the cluster reaches 50% at 50 shares");
    // Selling B reduces the cluster: no cluster reason.
    let c = run(&a, &trade("B", Side::Sell, 60.0));
    assert!(c.approved, "{:?}", c.reasons);
}

#[test]
fn rejects_a_var_above_its_limit() {
    let a = calm();
    not_halted(&a);
    // A new, very volatile symbol (daily σ 8%) at 25% of the portfolio.
    let t = new_symbol("X", Side::Buy, 250.0, iid(99, 0.08));
    let c = run(&a, &t);
    assert_eq!(kinds(&c), vec![ReasonKind::Var], "{:?}", c.reasons);
    assert!(c.after.var_1d >= 0.02 && c.before.var_1d < 0.016);
    assert_eq!(c.after.weights.last().map(|x| x.0.as_str()), Some("X"));
    assert_eq!(c.before.weights.len(), 5);
    suggestion_passes(&a, &t, &AccountState::default());
}

#[test]
fn rejects_gross_leverage_above_the_maximum() {
    // Ten independent 13% longs on margin (cash −30%): gross 1.3×; a 25% short sale makes it
    // 1.55×.
    let symbols = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];
    let sectors = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10"];
    let a = build(
        (0..10)
            .map(|i| asset(symbols[i], iid(20 + i as u64, 0.005), 130.0, sectors[i]))
            .collect(),
        -30_000.0,
    );
    not_halted(&a);
    let t = new_symbol("S", Side::Sell, 250.0, iid(77, 0.005));
    let c = run(&a, &t);
    assert_eq!(kinds(&c), vec![ReasonKind::Leverage], "{:?}", c.reasons);
    assert!((c.before.gross_leverage - 1.3).abs() < ARITH_TOL);
    assert!((c.after.gross_leverage - 1.55).abs() < ARITH_TOL);
    assert!(
        (c.after.cash - -5_000.0).abs() < ARITH_TOL,
        "the sale's proceeds"
    );
    let q = suggestion_passes(&a, &t, &AccountState::default());
    assert_eq!(q, 199.0, "1.5× at 200 shares");
}

#[test]
fn rejects_a_buy_above_the_buying_power() {
    let a = calm();
    not_halted(&a);
    let t = trade("A", Side::Buy, 100.0);
    let account = AccountState {
        buying_power: Some(5_000.0),
    };
    let c = run_with(&a, &t, &account);
    assert_eq!(kinds(&c), vec![ReasonKind::BuyingPower], "{:?}", c.reasons);
    assert_eq!(
        c.reasons[0].message,
        "The buy costs 10000.00 but the buying power is 5000.00"
    );
    assert_eq!(suggestion_passes(&a, &t, &account), 50.0);
    // The default buying power is the cash (50,000).
    let c = run(&a, &trade("B", Side::Buy, 190.0));
    assert!(c.approved, "{:?}", c.reasons);
    let c = run(&a, &new_symbol("Y", Side::Buy, 501.0, iid(55, 0.005)));
    assert_eq!(
        kinds(&c),
        vec![ReasonKind::Position, ReasonKind::BuyingPower]
    );
}

/// Five independent assets that all fell 0.5% a day over the last 60 days: the portfolio is far
/// below its peak (trading halted) while its VaR stays under the limit. A is `a_quantity`
/// shares, B..E 180 each.
fn halted(a_quantity: f64, cash: f64) -> Aligned {
    let symbols = ["A", "B", "C", "D", "E"];
    build(
        (0..5)
            .map(|i| {
                let r = (0..T)
                    .map(|t| {
                        let drift = if t >= T - 60 { -0.005 } else { 0.0 };
                        drift + 0.005 * noise(40 + i as u64, t)
                    })
                    .collect();
                let q = if i == 0 { a_quantity } else { 180.0 };
                asset(symbols[i], r, q, ["S1", "S2", "S3", "S4", "S5"][i])
            })
            .collect(),
        cash,
    )
}

#[test]
fn rejects_every_trade_that_adds_risk_when_halted() {
    let a = halted(180.0, 10_000.0);
    let l = Limits::default();
    let s = snapshot(&a, &l).expect("snapshot");
    let alerts = evaluate(&s, &l);
    assert_eq!(alerts[0].severity, Severity::Halt, "{alerts:?}");
    assert!(alerts.iter().all(|x| x.severity != Severity::Critical));
    let t = trade("A", Side::Buy, 10.0);
    let c = run(&a, &t);
    assert_eq!(kinds(&c), vec![ReasonKind::Halted], "{:?}", c.reasons);
    assert!(c.reasons[0].message.starts_with("Trading is halted"));
    assert_eq!(c.suggested_quantity, None, "even one share fails");
    // A new position and a short sale add risk too.
    let c = run(&a, &new_symbol("N", Side::Buy, 10.0, iid(5, 0.005)));
    assert_eq!(kinds(&c), vec![ReasonKind::Halted]);
    let c = run(&a, &new_symbol("N", Side::Sell, 10.0, iid(5, 0.005)));
    assert_eq!(kinds(&c), vec![ReasonKind::Halted]);
    // Selling part of a long reduces risk: allowed.
    let c = run(&a, &trade("B", Side::Sell, 100.0));
    assert!(c.approved, "{:?}", c.reasons);
}

#[test]
fn a_sell_that_reduces_a_breach_is_approved_even_when_halted() {
    // A is 35% (above the 30% critical level, on margin: cash −7%) and trading is halted.
    let a = halted(350.0, -7_000.0);
    let l = Limits::default();
    let alerts = evaluate(&snapshot(&a, &l).expect("snapshot"), &l);
    assert!(alerts.iter().any(|x| x.severity == Severity::Halt));
    assert!(alerts.iter().any(|x| x.kind == AlertKind::Position
        && x.subject == "A"
        && x.severity == Severity::Critical));
    let c = run(&a, &trade("A", Side::Sell, 100.0));
    assert!(c.approved, "{:?}", c.reasons);
    // Still above the critical level after a smaller sale: reduced, so not rejected for it.
    let c = run(&a, &trade("A", Side::Sell, 10.0));
    assert!(c.approved, "{:?}", c.reasons);
    // Selling more than is held flips A short: rejected; the whole position can be sold.
    let t = trade("A", Side::Sell, 400.0);
    let c = run(&a, &t);
    assert_eq!(kinds(&c), vec![ReasonKind::Halted]);
    assert_eq!(c.suggested_quantity, Some(350.0));
    let c = run(
        &a,
        &TradeProposal {
            quantity: 350.0,
            ..t
        },
    );
    assert!(c.approved, "{:?}", c.reasons);
    // Adding to the breach is rejected for both reasons.
    let account = AccountState {
        buying_power: Some(100_000.0),
    };
    let c = run_with(&a, &trade("A", Side::Buy, 10.0), &account);
    assert_eq!(kinds(&c), vec![ReasonKind::Halted, ReasonKind::Position]);
}

#[test]
fn fractional_quantities_are_bisected_continuously() {
    let a = calm();
    let t = trade("A", Side::Buy, 250.5);
    let c = run(&a, &t);
    let q = c.suggested_quantity.expect("a size");
    assert!(q < 200.0 && q > 199.99, "{q}");
    assert!(run(&a, &TradeProposal { quantity: q, ..t }).approved);
}

#[test]
fn stop_and_atr_give_the_money_at_risk() {
    let a = calm();
    let c = run(
        &a,
        &TradeProposal {
            stop: Some(95.0),
            ..trade("A", Side::Buy, 50.0)
        },
    );
    let s = c.stop_risk.expect("stop risk");
    assert!((s.money - 250.0).abs() < ARITH_TOL);
    assert!((s.fraction_of_equity - 0.0025).abs() < ARITH_TOL);
    let c = run(
        &a,
        &TradeProposal {
            atr: Some(1.5),
            ..trade("A", Side::Sell, 50.0)
        },
    );
    let s = c.stop_risk.expect("stop risk");
    assert!(s.from_atr);
    assert!((s.stop - 103.0).abs() < ARITH_TOL);
    assert!((s.money - 150.0).abs() < ARITH_TOL);
}

#[test]
fn bad_input_is_an_error_naming_the_field() {
    let a = calm();
    let l = Limits::default();
    let field = |t: &TradeProposal, acc: &AccountState| match check(&a, &l, t, acc) {
        Err(TradingError::InvalidInput { field, message }) => (field, message),
        other => panic!("expected an invalid input, got {other:?}"),
    };
    let none = AccountState::default();
    let (f, m) = field(&trade("ZZZ", Side::Buy, 10.0), &none);
    assert_eq!(f, "returns");
    assert!(m.contains("ZZZ"), "{m}");
    assert_eq!(field(&trade("A", Side::Buy, 0.0), &none).0, "quantity");
    assert_eq!(field(&trade("A", Side::Buy, f64::NAN), &none).0, "quantity");
    assert_eq!(
        field(
            &TradeProposal {
                price: -1.0,
                ..trade("A", Side::Buy, 1.0)
            },
            &none
        )
        .0,
        "price"
    );
    assert_eq!(
        field(
            &TradeProposal {
                stop: Some(101.0),
                ..trade("A", Side::Buy, 1.0)
            },
            &none
        )
        .0,
        "stop"
    );
    assert_eq!(
        field(
            &trade("A", Side::Buy, 1.0),
            &AccountState {
                buying_power: Some(-5.0)
            }
        )
        .0,
        "buying_power"
    );
    assert_eq!(field(&trade(" ", Side::Buy, 1.0), &none).0, "symbol");
    let bad_limits = Limits {
        var_limit: -1.0,
        ..l
    };
    assert!(matches!(
        check(&a, &bad_limits, &trade("A", Side::Buy, 1.0), &none),
        Err(TradingError::InvalidInput { ref field, .. }) if field == "var_limit"
    ));
    // Too short a history for a new symbol.
    assert!(matches!(
        check(
            &a,
            &l,
            &new_symbol("N", Side::Buy, 1.0, vec![0.01; 10]),
            &none
        ),
        Err(TradingError::TooLittleHistory {
            need: 250,
            got: 10,
            ..
        })
    ));
}
