//! Position sizing and ATR: worked examples (numbers worked by hand in the comments), the
//! account caps and their names, input errors naming the field, and properties (equal-risk
//! sizing, risk budgets adding up, the VaR budget respected, never a panic).

use ballast_core::align::{Aligned, AlignmentReport, ValuedPosition};
use ballast_core::frequency::Frequency;
use ballast_core::model::{Ohlc, Series, ValueKind};
use ballast_core::trading::atr::{
    atr_close_to_close, atr_hlc, atr_of_series, wilder_smooth, AtrSource, DEFAULT_ATR_PERIOD,
};
use ballast_core::trading::sizing::{
    kelly_estimate, size, size_fixed_amount, size_fixed_fractional, size_kelly, size_risk_budget,
    size_var_budget, size_volatility_atr, size_volatility_target, AccountConstraints,
    InstrumentQuote, SizingData, SizingDetail, SizingMethod, SizingRequest, SizingResult,
};
use ballast_core::trading::TradingError;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

/// Sums and quotients of a few hand-sized numbers: rounding only.
const TOL: f64 = 1e-9;

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOL * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

fn account(equity: f64) -> AccountConstraints {
    AccountConstraints {
        equity,
        max_position_pct: None,
        buying_power: None,
        cash: None,
    }
}

#[track_caller]
fn field_of(r: Result<impl std::fmt::Debug, TradingError>) -> String {
    match r {
        Err(TradingError::InvalidInput { field, .. }) => field,
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

fn day(i: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(i as i64)
}

/// An aligned portfolio of `(symbol, quantity, price, returns)` plus cash.
fn portfolio(assets: &[(&str, f64, f64, Vec<f64>)], cash: f64, periods_per_year: f64) -> Aligned {
    let t = assets.first().map_or(0, |a| a.3.len());
    let dates: Vec<NaiveDate> = (0..=t).map(day).collect();
    let values: Vec<f64> = assets.iter().map(|a| a.1 * a.2).collect();
    let total = values.iter().sum::<f64>() + cash;
    Aligned {
        dates: dates.clone(),
        symbols: assets.iter().map(|a| a.0.to_string()).collect(),
        returns: assets.iter().map(|a| a.3.clone()).collect(),
        prices: assets.iter().map(|a| vec![a.2; t + 1]).collect(),
        positions: assets
            .iter()
            .zip(&values)
            .map(|(a, v)| ValuedPosition {
                symbol: a.0.to_string(),
                quantity: Some(a.1),
                price: a.2,
                value: *v,
                weight: v / total,
                sector: None,
            })
            .collect(),
        weights: values.iter().map(|v| v / total).collect(),
        cash,
        cash_weight: cash / total,
        total_value: total,
        benchmark: None,
        report: AlignmentReport {
            start: dates[0],
            end: dates[t],
            observations: t,
            frequency: Frequency::Daily,
            periods_per_year,
            notes: vec![],
            unused_symbols: vec![],
        },
    }
}

// ---------------------------------------------------------------------------------------------
// ATR

/// Six bars worked by hand (previous close in brackets):
/// t1 H 11 L 9.5 [9.5]  → max(1.5, 1.5, 0)   = 1.5
/// t2 H 10.8 L 10 [10.5] → max(0.8, 0.3, 0.5) = 0.8
/// t3 H 12 L 10.4 [10.2] → max(1.6, 1.8, 0.2) = 1.8 (gap up)
/// t4 H 11.9 L 11 [11.8] → max(0.9, 0.1, 0.8) = 0.9
/// t5 H 11.5 L 10 [11.2] → max(1.5, 0.3, 1.2) = 1.5
/// Period 3: seed (1.5+0.8+1.8)/3 = 41/30; then (2·41/30 + 0.9)/3 = 109/90;
/// then (2·109/90 + 1.5)/3 = 353/270.
fn bars() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    (
        vec![10.0, 11.0, 10.8, 12.0, 11.9, 11.5],
        vec![9.0, 9.5, 10.0, 10.4, 11.0, 10.0],
        vec![9.5, 10.5, 10.2, 11.8, 11.2, 10.1],
    )
}

fn series(ohlc: Option<Ohlc>, closes: Vec<f64>) -> Series {
    Series {
        symbol: "XYZ".into(),
        kind: ValueKind::Price,
        dates: (0..closes.len()).map(day).collect(),
        values: closes,
        ohlc,
        source: "test".into(),
    }
}

#[test]
fn atr_hand_example_high_low_close() {
    let (h, l, c) = bars();
    close("ATR(3)", atr_hlc(&h, &l, &c, 3).unwrap(), 353.0 / 270.0);
    let s = series(
        Some(Ohlc {
            high: h,
            low: l,
            close: c.clone(),
        }),
        c,
    );
    let a = atr_of_series(&s, 3).unwrap();
    assert_eq!(a.source, AtrSource::HighLowClose);
    close("ATR(3) of series", a.value, 353.0 / 270.0);
    assert_eq!((a.period, a.observations, a.as_of), (3, 5, day(5)));
    assert!(a.notes.is_empty(), "{:?}", a.notes);
    assert_eq!(DEFAULT_ATR_PERIOD, 14);
}

/// Closes only: |ΔC| = 1.0, 0.3, 1.6, 0.6, 1.1; seed 2.9/3 = 29/30; (2·29/30 + 0.6)/3 = 76/90;
/// (2·76/90 + 1.1)/3 = 251/270 — smaller than the high/low/close ATR.
#[test]
fn atr_close_only_fallback_is_flagged() {
    let (_, _, c) = bars();
    close("ATR cc", atr_close_to_close(&c, 3).unwrap(), 251.0 / 270.0);
    let a = atr_of_series(&series(None, c), 3).unwrap();
    assert_eq!(a.source, AtrSource::CloseToClose);
    close("ATR cc of series", a.value, 251.0 / 270.0);
    assert!(a.notes.iter().any(|n| n.contains("close-to-close")));
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("CloseToClose"), "{json}");
}

/// A missing high inside the last period + 1 bars: fall back to closes, and say so.
#[test]
fn atr_missing_cell_in_window_falls_back() {
    let (mut h, l, c) = bars();
    h[4] = f64::NAN;
    let s = series(
        Some(Ohlc {
            high: h,
            low: l,
            close: c.clone(),
        }),
        c,
    );
    let a = atr_of_series(&s, 3).unwrap();
    assert_eq!(a.source, AtrSource::CloseToClose);
    close("fallback", a.value, 251.0 / 270.0);
    assert!(
        a.notes.iter().any(|n| n.contains("last 4 bars")),
        "{:?}",
        a.notes
    );
}

/// A missing high before the window: that bar is skipped (no bridged range). TRs 0.8, 1.8,
/// 0.9, 1.5 (t2 still uses the close of t1): seed 3.5/3 = 35/30, then (2·35/30 + 1.5)/3 = 115/90.
#[test]
fn atr_missing_cell_before_window_is_skipped() {
    let (mut h, l, c) = bars();
    h[1] = f64::NAN;
    let s = series(
        Some(Ohlc {
            high: h,
            low: l,
            close: c.clone(),
        }),
        c,
    );
    let a = atr_of_series(&s, 3).unwrap();
    assert_eq!(a.source, AtrSource::HighLowClose);
    close("skipped", a.value, 115.0 / 90.0);
    assert_eq!(a.observations, 4);
    assert!(a.notes.iter().any(|n| n.contains("1 bar")), "{:?}", a.notes);
}

#[test]
fn atr_errors() {
    let (_, _, c) = bars();
    assert_eq!(
        field_of(atr_of_series(&series(None, c.clone()), 0)),
        "period"
    );
    assert!(matches!(
        atr_of_series(&series(None, c.clone()), 14),
        Err(TradingError::TooLittleHistory {
            need: 15,
            got: 6,
            ..
        })
    ));
    let mut r = series(None, c);
    r.kind = ValueKind::Return;
    assert_eq!(field_of(atr_of_series(&r, 3)), "series");
    assert_eq!(field_of(atr_hlc(&[1.0], &[1.0, 2.0], &[1.0], 1)), "ohlc");
    assert_eq!(wilder_smooth(&[1.0, 2.0], 3), None);
    assert_eq!(wilder_smooth(&[1.0, 2.0, 3.0], 3), Some(2.0));
}

// ---------------------------------------------------------------------------------------------
// Single-position rules

/// $100 of risk with a 2×ATR stop: ATR 5 → $10 a share → 10 shares; ATR 20 → $40 a share →
/// 2.5 shares (2 whole shares).
#[test]
fn volatility_atr_worked_example() {
    let acc = account(100_000.0);
    let a = size_volatility_atr("XYZ", 50.0, 100.0, 5.0, 2.0, &acc).unwrap();
    close("shares", a.shares, 10.0);
    close("whole", a.whole_shares, 10.0);
    close("value", a.value, 500.0);
    close("pct", a.pct_of_equity, 0.005);
    close("risk", a.risk_amount, 100.0);
    close("risk pct", a.risk_pct_of_equity, 0.001);
    assert_eq!(a.capped_by, None);
    let b = size_volatility_atr("XYZ", 50.0, 100.0, 20.0, 2.0, &acc).unwrap();
    close("shares", b.shares, 2.5);
    close("whole", b.whole_shares, 2.0);
    close("risk", b.risk_amount, 100.0);
}

/// $1,000 at risk, ATR 1, 2× → 500 shares at $100 = $50,000. Max position 20% of $100,000 =
/// $20,000 → 200 shares; buying power $5,000 → 50 shares (binds); cash $3,000 → 30 shares.
#[test]
fn caps_are_named() {
    let mut acc = account(100_000.0);
    acc.max_position_pct = Some(0.2);
    let a = size_volatility_atr("XYZ", 100.0, 1_000.0, 1.0, 2.0, &acc).unwrap();
    close("max position", a.shares, 200.0);
    close("uncapped", a.uncapped_shares, 500.0);
    close("risk after cap", a.risk_amount, 400.0);
    assert_eq!(
        a.capped_by.as_deref(),
        Some("maximum position 20% of equity ($20,000)")
    );
    acc.buying_power = Some(5_000.0);
    let b = size_volatility_atr("XYZ", 100.0, 1_000.0, 1.0, 2.0, &acc).unwrap();
    close("buying power", b.shares, 50.0);
    assert_eq!(b.capped_by.as_deref(), Some("buying power $5,000"));
    acc.cash = Some(3_000.0);
    let c = size_volatility_atr("XYZ", 100.0, 1_000.0, 1.0, 2.0, &acc).unwrap();
    close("cash", c.shares, 30.0);
    assert_eq!(c.capped_by.as_deref(), Some("cash $3,000"));
    // A loose cap is not named.
    let loose = AccountConstraints {
        max_position_pct: Some(0.9),
        ..account(100_000.0)
    };
    let d = size_volatility_atr("XYZ", 100.0, 1_000.0, 1.0, 2.0, &loose).unwrap();
    assert_eq!((d.shares, d.capped_by), (500.0, None));
}

/// 1% of $100,000 = $1,000 at risk, stop $2.50 away → 400 shares; at $40 that is $16,000 (16%).
#[test]
fn fixed_fractional_worked_example() {
    let r = size_fixed_fractional("XYZ", 40.0, 0.01, 2.5, &account(100_000.0)).unwrap();
    close("shares", r.shares, 400.0);
    close("value", r.value, 16_000.0);
    close("pct", r.pct_of_equity, 0.16);
    close("risk", r.risk_amount, 1_000.0);
    close("risk pct", r.risk_pct_of_equity, 0.01);
}

/// $10,000 at $250 → 40 shares; no stop, so the whole $10,000 counts as at risk. $10,000 at
/// $300 → 33.33 shares, 33 whole.
#[test]
fn fixed_amount_worked_example() {
    let r = size_fixed_amount("XYZ", 250.0, 10_000.0, &account(50_000.0)).unwrap();
    close("shares", r.shares, 40.0);
    close("risk", r.risk_amount, 10_000.0);
    close("pct", r.pct_of_equity, 0.2);
    let s = size_fixed_amount("XYZ", 300.0, 10_000.0, &account(50_000.0)).unwrap();
    close("whole", s.whole_shares, 33.0);
}

/// Returns 2%, −1%, 2%, −1%: μ = 0.005, σ² = 4·0.015²/3 = 0.0003.
/// rf 0: f* = 0.005/0.0003 = 16.67; half Kelly 8.33 → capped at 25% → 0.25·$100,000/$50 = 500.
/// Discrete: W = 0.5, R = 0.02/0.01 = 2 → 0.5 − 0.5/2 = 0.25.
/// rf 0.004 per period: f* = 0.001/0.0003 = 3.333; × 0.06 = 0.2 → 0.2·$100,000/$50 = 400 shares.
#[test]
fn kelly_worked_example() {
    let r = [0.02, -0.01, 0.02, -0.01];
    let e = kelly_estimate(&r, 0.0).unwrap();
    close("mean", e.mean, 0.005);
    close("variance", e.variance, 0.0003);
    close("f*", e.continuous, 0.005 / 0.0003);
    close("W", e.win_rate, 0.5);
    close("R", e.payoff_ratio.unwrap(), 2.0);
    close("discrete", e.discrete.unwrap(), 0.25);

    let acc = account(100_000.0);
    let a = size_kelly("XYZ", 50.0, 0.5, 0.25, Some(&r), 0.0, &acc).unwrap();
    close("capped", a.shares, 500.0);
    close(
        "uncapped",
        a.uncapped_shares,
        0.5 * (0.005 / 0.0003) * 100_000.0 / 50.0,
    );
    assert_eq!(a.capped_by.as_deref(), Some("Kelly cap 25% of equity"));
    match a.detail {
        Some(SizingDetail::Kelly { weight, .. }) => close("weight", weight, 0.25),
        ref d => panic!("{d:?}"),
    }

    let b = size_kelly("XYZ", 50.0, 0.06, 0.25, Some(&r), 0.004, &acc).unwrap();
    close("f*", 0.001 / 0.0003, 10.0 / 3.0);
    close("shares", b.shares, 400.0);
    assert_eq!(b.capped_by, None);

    // A negative edge: no position.
    let c = size_kelly("XYZ", 50.0, 1.0, 0.25, Some(&r), 0.01, &acc).unwrap();
    assert_eq!(c.shares, 0.0);
    assert!(c.notes.iter().any(|n| n.contains("no position")));
    // No returns: the symbol is unknown.
    assert!(matches!(
        size_kelly("XYZ", 50.0, 1.0, 0.25, None, 0.0, &acc),
        Err(TradingError::UnknownSymbol { .. })
    ));
}

/// Portfolio: $10,000 of A with returns 1%, −2%, 0.5%, −1%, 0% → P&L 100, −200, 50, −100, 0.
/// At 75% confidence over 5 periods the type-7 quantile is the 2nd smallest, so VaR = $100.
/// B at $100 with returns 0, 0, 0, −1%, 0 adds −s dollars in period 4: P&L 100, −200, 50,
/// −100−s, 0; while s < 100 the 2nd smallest is −100−s, VaR = 100 + s ≤ 150 → s = 50.
#[test]
fn var_budget_worked_example() {
    let p = portfolio(
        &[("A", 100.0, 100.0, vec![0.01, -0.02, 0.005, -0.01, 0.0])],
        0.0,
        252.0,
    );
    let b = [0.0, 0.0, 0.0, -0.01, 0.0];
    let acc = account(10_000.0);
    let r = size_var_budget("B", 100.0, 150.0, 0.75, Some(&b), &p, &acc).unwrap();
    close("shares", r.shares, 50.0);
    close("value", r.value, 5_000.0);
    match r.detail {
        Some(SizingDetail::VarBudget {
            var_before,
            var_after,
            ..
        }) => {
            close("VaR before", var_before, 100.0);
            close("VaR after", var_after, 150.0);
        }
        ref d => panic!("{d:?}"),
    }
    // B alone: returns sorted −1%, 0, 0, 0, 0 → 2nd smallest 0 → VaR 0 per share.
    close("own risk", r.risk_amount, 0.0);

    // Already over budget: nothing to add, with the reason.
    let z = size_var_budget("B", 100.0, 90.0, 0.75, Some(&b), &p, &acc).unwrap();
    assert_eq!(z.shares, 0.0);
    assert!(
        z.notes.iter().any(|n| n.contains("above the budget")),
        "{:?}",
        z.notes
    );

    // The held symbol's own returns are used when none are given: A's 2nd smallest per share
    // is −1% of $100 = −$1; adding s shares of A: VaR = 100 + s... the portfolio P&L scales
    // by (100 + s)/100, VaR = (100 + s)·1 ≤ 150 → s = 50.
    let a = size_var_budget("A", 100.0, 150.0, 0.75, None, &p, &acc).unwrap();
    close("held", a.shares, 50.0);
}

/// The VaR is not monotone in the size: B at $100 with returns 0, 2%, 0, −1%, 0 gives
/// P&L 100, −200+2s, 50, −100−s, 0. For s < 33.3 the 2nd smallest is −100−s (VaR 100+s);
/// from 33.3 to 100 it is −200+2s (VaR 200−2s, falling); above 100 it is 0.
/// With a $120 budget the VaR first reaches it at s = 20, exceeds it on (20, 40) and is back
/// within from s = 40 on: searching upward from 0 the answer is 20, not a larger size.
#[test]
fn var_budget_searches_upward_from_zero() {
    let p = portfolio(
        &[("A", 100.0, 100.0, vec![0.01, -0.02, 0.005, -0.01, 0.0])],
        0.0,
        252.0,
    );
    let b = [0.0, 0.02, 0.0, -0.01, 0.0];
    let r = size_var_budget("B", 100.0, 120.0, 0.75, Some(&b), &p, &account(10_000.0)).unwrap();
    assert!((r.shares - 20.0).abs() < 1e-6, "{}", r.shares);
    // A $95 budget is below the portfolio's own $100.
    let z = size_var_budget("B", 100.0, 95.0, 0.75, Some(&b), &p, &account(10_000.0)).unwrap();
    assert_eq!(z.shares, 0.0);
}

/// A position that never loses at the quantile: the VaR budget never binds, so only an account
/// limit can size it (and without one it is an error saying so).
#[test]
fn var_budget_unbounded_needs_a_limit() {
    let p = portfolio(
        &[("A", 100.0, 100.0, vec![0.01, -0.02, 0.005, -0.01, 0.0])],
        0.0,
        252.0,
    );
    let b = [0.0; 5];
    assert!(matches!(
        size_var_budget("B", 100.0, 150.0, 0.75, Some(&b), &p, &account(10_000.0)),
        Err(TradingError::Undefined(_))
    ));
    let acc = AccountConstraints {
        buying_power: Some(2_000.0),
        ..account(10_000.0)
    };
    let r = size_var_budget("B", 100.0, 150.0, 0.75, Some(&b), &p, &acc).unwrap();
    close("shares", r.shares, 20.0);
    assert_eq!(r.capped_by.as_deref(), Some("buying power $2,000"));
}

/// Two assets with returns ±1% (A: 100 sh × $100 = $10,000; B: 50 sh × $40 = $2,000), cash
/// $8,000, net $20,000 → weights 0.5 and 0.1, portfolio returns ±0.6%.
/// With P = 300: σ(±1%) = 0.01·√(4/3)·√300 = 0.01·√400 = 0.2, so σ_p = 0.6·0.2 = 0.12.
/// Target 6% → scale 0.5: sell 50 A and 25 B; gross $12,000 → $6,000.
/// Target 24% → scale 2: buy 100 A ($10,000) and 50 B ($2,000) = $12,000; with $6,000 of buying
/// power both purchases are halved: +50 A, +25 B, weights 0.75 and 0.15 → σ = 0.9·0.2 = 18%.
#[test]
fn volatility_target_worked_example() {
    let pm = vec![0.01, -0.01, 0.01, -0.01];
    let p = portfolio(
        &[("A", 100.0, 100.0, pm.clone()), ("B", 50.0, 40.0, pm)],
        8_000.0,
        300.0,
    );
    let down = size_volatility_target(0.06, &p, &account(20_000.0)).unwrap();
    close("A", down[0].shares, -50.0);
    close("B", down[1].shares, -25.0);
    close("A value", down[0].value, -5_000.0);
    match &down[0].detail {
        Some(SizingDetail::VolatilityTarget {
            current_vol,
            scale,
            gross_before,
            gross_after,
            achieved_vol,
            target_shares,
            ..
        }) => {
            close("vol", *current_vol, 0.12);
            close("scale", *scale, 0.5);
            close("gross before", *gross_before, 12_000.0);
            close("gross after", *gross_after, 6_000.0);
            close("achieved", *achieved_vol, 0.06);
            close("target shares", *target_shares, 50.0);
        }
        d => panic!("{d:?}"),
    }
    // Risk of the trade: |−50|·$100·20% = $1,000.
    close("risk", down[0].risk_amount, 1_000.0);

    let acc = AccountConstraints {
        buying_power: Some(6_000.0),
        ..account(20_000.0)
    };
    let up = size_volatility_target(0.24, &p, &acc).unwrap();
    close("A", up[0].shares, 50.0);
    close("B", up[1].shares, 25.0);
    close("A uncapped", up[0].uncapped_shares, 100.0);
    assert_eq!(up[0].capped_by.as_deref(), Some("buying power $6,000"));
    match &up[1].detail {
        Some(SizingDetail::VolatilityTarget { achieved_vol, .. }) => {
            close("achieved", *achieved_vol, 0.18)
        }
        d => panic!("{d:?}"),
    }
}

/// $10,000 of risk split 50/30/20 with a 2×ATR stop; ATRs 2.5, 5, 1 → $5, $10, $2 a share →
/// 5,000/5 = 1,000 A, 3,000/10 = 300 B, 2,000/2 = 1,000 C; the risks add up to $10,000.
#[test]
fn risk_budget_worked_example() {
    let quotes = vec![
        InstrumentQuote {
            symbol: "A".into(),
            price: 50.0,
            atr: 2.5,
        },
        InstrumentQuote {
            symbol: "B".into(),
            price: 100.0,
            atr: 5.0,
        },
        InstrumentQuote {
            symbol: "C".into(),
            price: 20.0,
            atr: 1.0,
        },
    ];
    let budgets = vec![("A".into(), 0.5), ("B".into(), 0.3), ("C".into(), 0.2)];
    let acc = account(1_000_000.0);
    let r = size_risk_budget(10_000.0, &budgets, 2.0, &quotes, &acc).unwrap();
    close("A", r[0].shares, 1_000.0);
    close("B", r[1].shares, 300.0);
    close("C", r[2].shares, 1_000.0);
    close(
        "total risk",
        r.iter().map(|x| x.risk_amount).sum::<f64>(),
        10_000.0,
    );
    // Through the request (serde round trip of the request too).
    let req = SizingRequest {
        symbol: String::new(),
        price: 0.0,
        method: SizingMethod::RiskBudget {
            total_risk: 10_000.0,
            budgets: budgets.clone(),
            atr_multiple: 2.0,
        },
        account: acc.clone(),
    };
    let json = serde_json::to_string(&req).unwrap();
    assert!(json.contains("\"kind\":\"risk_budget\""), "{json}");
    let back: SizingRequest = serde_json::from_str(&json).unwrap();
    let data = SizingData {
        quotes: &quotes,
        ..SizingData::default()
    };
    assert_eq!(size(&back, &data).unwrap(), r);
    // Errors.
    let over = vec![("A".into(), 0.7), ("B".into(), 0.5)];
    assert_eq!(
        field_of(size_risk_budget(10_000.0, &over, 2.0, &quotes, &acc)),
        "budgets"
    );
    let dup = vec![("A".into(), 0.5), ("A".into(), 0.5)];
    assert_eq!(
        field_of(size_risk_budget(10_000.0, &dup, 2.0, &quotes, &acc)),
        "budgets"
    );
    let unknown = vec![("Z".into(), 0.5)];
    assert!(matches!(
        size_risk_budget(10_000.0, &unknown, 2.0, &quotes, &acc),
        Err(TradingError::UnknownSymbol { symbol }) if symbol == "Z"
    ));
}

#[test]
fn errors_name_the_field() {
    let acc = account(100_000.0);
    assert_eq!(
        field_of(size_volatility_atr("X", f64::NAN, 100.0, 5.0, 2.0, &acc)),
        "price"
    );
    assert_eq!(
        field_of(size_volatility_atr("X", 50.0, -1.0, 5.0, 2.0, &acc)),
        "risk_amount"
    );
    assert_eq!(
        field_of(size_volatility_atr("X", 50.0, 100.0, 0.0, 2.0, &acc)),
        "atr"
    );
    assert_eq!(
        field_of(size_volatility_atr(
            "X",
            50.0,
            100.0,
            5.0,
            f64::INFINITY,
            &acc
        )),
        "multiple"
    );
    assert_eq!(
        field_of(size_volatility_atr(
            "X",
            50.0,
            100.0,
            5.0,
            2.0,
            &account(0.0)
        )),
        "equity"
    );
    let bad_pct = AccountConstraints {
        max_position_pct: Some(-0.1),
        ..acc.clone()
    };
    assert_eq!(
        field_of(size_fixed_amount("X", 50.0, 100.0, &bad_pct)),
        "max_position_pct"
    );
    let bad_bp = AccountConstraints {
        buying_power: Some(f64::NAN),
        ..acc.clone()
    };
    assert_eq!(
        field_of(size_fixed_amount("X", 50.0, 100.0, &bad_bp)),
        "buying_power"
    );
    assert_eq!(
        field_of(size_fixed_fractional("X", 50.0, 2.0, 1.0, &acc)),
        "risk_pct"
    );
    assert_eq!(
        field_of(size_fixed_fractional("X", 50.0, 0.01, 0.0, &acc)),
        "stop_distance"
    );
    assert_eq!(field_of(size_fixed_amount("X", 50.0, 0.0, &acc)), "amount");
    let r = [0.01, -0.01];
    assert_eq!(
        field_of(size_kelly("X", 50.0, 1.5, 0.25, Some(&r), 0.0, &acc)),
        "fraction"
    );
    assert_eq!(
        field_of(size_kelly("X", 50.0, 0.5, 0.0, Some(&r), 0.0, &acc)),
        "cap"
    );
    assert_eq!(
        field_of(size_kelly(
            "X",
            50.0,
            0.5,
            0.2,
            Some(&[0.01, f64::NAN]),
            0.0,
            &acc
        )),
        "returns"
    );
    let p = portfolio(&[("A", 1.0, 1.0, vec![0.01, -0.01])], 0.0, 252.0);
    assert_eq!(
        field_of(size_var_budget("A", 1.0, 10.0, 1.0, None, &p, &acc)),
        "confidence"
    );
    assert_eq!(
        field_of(size_var_budget(
            "A",
            1.0,
            10.0,
            0.95,
            Some(&[0.0]),
            &p,
            &acc
        )),
        "returns"
    );
    assert_eq!(
        field_of(size_volatility_target(-0.1, &p, &acc)),
        "target_vol"
    );
    // The portfolio methods need the portfolio.
    let req = SizingRequest {
        symbol: "A".into(),
        price: 1.0,
        method: SizingMethod::VolatilityTarget { target_vol: 0.1 },
        account: acc,
    };
    assert_eq!(field_of(size(&req, &SizingData::default())), "portfolio");
    // The message shows the field.
    let e = size_fixed_amount("X", 50.0, 0.0, &account(1.0)).unwrap_err();
    assert!(e.to_string().starts_with("amount: "), "{e}");
}

#[test]
fn results_serialize() {
    let r = size_volatility_atr("XYZ", 50.0, 100.0, 5.0, 2.0, &account(1e5)).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: SizingResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

// ---------------------------------------------------------------------------------------------
// Properties

fn any_f64() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => -1e6..1e6f64,
        1 => Just(0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
        1 => Just(1e300),
        1 => Just(1e-300),
        2 => 0.0..1.0f64,
    ]
    .boxed()
}

fn any_opt() -> BoxedStrategy<Option<f64>> {
    prop_oneof![Just(None), any_f64().prop_map(Some)].boxed()
}

fn any_method() -> BoxedStrategy<SizingMethod> {
    prop_oneof![
        (any_f64(), any_f64(), any_f64()).prop_map(|(risk_amount, atr, multiple)| {
            SizingMethod::VolatilityAtr {
                risk_amount,
                atr,
                multiple,
            }
        }),
        (any_f64(), any_f64()).prop_map(|(risk_pct, stop_distance)| {
            SizingMethod::FixedFractional {
                risk_pct,
                stop_distance,
            }
        }),
        any_f64().prop_map(|amount| SizingMethod::FixedAmount { amount }),
        (any_f64(), any_f64()).prop_map(|(fraction, cap)| SizingMethod::Kelly { fraction, cap }),
        (any_f64(), any_f64())
            .prop_map(|(budget, confidence)| SizingMethod::VarBudget { budget, confidence }),
        any_f64().prop_map(|target_vol| SizingMethod::VolatilityTarget { target_vol }),
        (
            any_f64(),
            prop::collection::vec(("[ABZ]", any_f64()), 0..4),
            any_f64()
        )
            .prop_map(
                |(total_risk, budgets, atr_multiple)| SizingMethod::RiskBudget {
                    total_risk,
                    budgets,
                    atr_multiple,
                }
            ),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Equal-risk sizing: the same $ risk on every symbol whatever its ATR,
    /// `shares·ATR·multiple = risk_amount`.
    #[test]
    fn equal_risk_across_symbols(
        risk in 1.0..1e5f64,
        multiple in 0.5..5.0f64,
        instruments in prop::collection::vec((0.01..100.0f64, 1.0..1000.0f64), 1..8),
    ) {
        let acc = account(1e7);
        for (atr, price) in instruments {
            let r = size_volatility_atr("X", price, risk, atr, multiple, &acc).unwrap();
            prop_assert!((r.shares * atr * multiple - risk).abs() <= 1e-10 * risk);
            prop_assert!((r.risk_amount - risk).abs() <= 1e-10 * risk);
            prop_assert!(r.whole_shares <= r.shares && r.shares - r.whole_shares < 1.0);
        }
    }

    /// Risk budgets summing to 1 allocate exactly the total risk; the allocation follows the
    /// budgets.
    #[test]
    fn risk_budget_sums_to_total(
        total in 100.0..1e6f64,
        multiple in 0.5..5.0f64,
        rows in prop::collection::vec((0.01..1.0f64, 0.01..50.0f64, 1.0..500.0f64), 1..8),
    ) {
        let s: f64 = rows.iter().map(|r| r.0).sum();
        let budgets: Vec<(String, f64)> =
            rows.iter().enumerate().map(|(i, r)| (format!("S{i}"), r.0 / s)).collect();
        let quotes: Vec<InstrumentQuote> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| InstrumentQuote { symbol: format!("S{i}"), price: r.2, atr: r.1 })
            .collect();
        let out = size_risk_budget(total, &budgets, multiple, &quotes, &account(1e12)).unwrap();
        let sum: f64 = out.iter().map(|x| x.risk_amount).sum();
        prop_assert!((sum - total).abs() <= 1e-9 * total);
        for (o, (_, b)) in out.iter().zip(&budgets) {
            prop_assert!((o.shares * quotes.iter().find(|q| q.symbol == o.symbol).unwrap().atr
                * multiple - b * total).abs() <= 1e-9 * total);
        }
    }

    /// The VaR budget's answer keeps the portfolio VaR within the budget.
    #[test]
    fn var_budget_is_respected(
        a in prop::collection::vec(-0.08..0.08f64, 20..120),
        noise in prop::collection::vec(-0.08..0.08f64, 120),
        mix in -1.0..1.0f64,
        budget_mult in 1.0..4.0f64,
        confidence in 0.8..0.99f64,
    ) {
        let b: Vec<f64> = a.iter().zip(&noise).map(|(x, e)| mix * x + e).collect();
        let p = portfolio(&[("A", 100.0, 100.0, a.clone())], 0.0, 252.0);
        let pnl: Vec<f64> = a.iter().map(|x| 10_000.0 * x).collect();
        let v0 = ballast_core::var::historical_var(&pnl, confidence);
        let budget = v0.abs().max(1.0) * budget_mult;
        let acc = AccountConstraints { buying_power: Some(1e7), ..account(10_000.0) };
        let r = size_var_budget("B", 50.0, budget, confidence, Some(&b), &p, &acc).unwrap();
        prop_assert!(r.shares >= 0.0);
        if let Some(SizingDetail::VarBudget { var_after, .. }) = r.detail {
            prop_assert!(var_after <= budget * (1.0 + 1e-9) || r.shares == 0.0,
                "VaR {var_after} > budget {budget}");
        } else {
            prop_assert!(false, "no detail");
        }
    }

    /// Any request, however malformed, gives a result or a typed error — never a panic.
    #[test]
    fn never_panics(
        symbol in "[ABZ]",
        price in any_f64(),
        method in any_method(),
        equity in any_f64(),
        max_position_pct in any_opt(),
        buying_power in any_opt(),
        cash in any_opt(),
        returns in prop::collection::vec(any_f64(), 0..8),
        give_returns in any::<bool>(),
        rf in any_f64(),
        with_portfolio in any::<bool>(),
        q in any_f64(),
        cash_p in any_f64(),
        quote_price in any_f64(),
        quote_atr in any_f64(),
    ) {
        let req = SizingRequest {
            symbol,
            price,
            method,
            account: AccountConstraints { equity, max_position_pct, buying_power, cash },
        };
        let p = portfolio(
            &[("A", q, 10.0, vec![0.01, -0.02, 0.03, 0.0, -0.01, 0.02, 0.01]),
              ("B", 5.0, quote_price, vec![0.0, 0.01, -0.01, 0.02, -0.03, 0.0, 0.01])],
            cash_p,
            252.0,
        );
        let quotes = vec![
            InstrumentQuote { symbol: "A".into(), price: quote_price, atr: quote_atr },
            InstrumentQuote { symbol: "B".into(), price: 10.0, atr: 1.0 },
        ];
        let data = SizingData {
            returns: give_returns.then_some(returns.as_slice()),
            risk_free_per_period: rf,
            portfolio: with_portfolio.then_some(&p),
            quotes: &quotes,
        };
        let _ = size(&req, &data);
        let closes: Vec<f64> = returns.iter().map(|x| x.abs()).collect();
        let _ = atr_close_to_close(&closes, 3);
        let _ = atr_hlc(&returns, &closes, &closes, 2);
    }
}

#[test]
fn an_absurd_atr_period_is_refused_not_overflowed() {
    use ballast_core::trading::atr::{atr_close_to_close, MAX_ATR_PERIOD};
    let e = atr_close_to_close(&[1.0, 2.0, 3.0], usize::MAX).expect_err("refused");
    assert!(e.to_string().contains("period"), "{e}");
    assert!(atr_close_to_close(&[1.0, 2.0, 3.0], MAX_ATR_PERIOD + 1).is_err());
}
