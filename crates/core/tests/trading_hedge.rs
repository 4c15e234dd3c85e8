//! Hedging (beta and minimum-variance) and exposure / leverage / margin: hand examples and
//! properties (variance reduction = ρ² at the minimum-variance ratio, a benchmark hedged with
//! itself has no volatility left).

use ballast_core::align::{Aligned, AlignmentReport, BenchmarkReturns, ValuedPosition};
use ballast_core::frequency::Frequency;
use ballast_core::trading::exposure::{exposure, exposure_of, margin_call_fall, margin_call_rise};
use ballast_core::trading::hedge::{
    beta_hedge, beta_hedge_of, min_variance_hedge, min_variance_hedge_of, Hedge,
};
use ballast_core::trading::TradingError;
use ballast_core::var::historical_var;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

/// Hand-sized sums and quotients: rounding only.
const TOL: f64 = 1e-9;
/// ρ² against 1 − Var(hedged)/Var: the same quantity computed two ways.
const RHO2_TOL: f64 = 1e-12;

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOL * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

#[track_caller]
fn field_of(r: Result<impl std::fmt::Debug, TradingError>) -> String {
    match r {
        Err(TradingError::InvalidInput { field, .. }) => field,
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

fn std1(x: &[f64]) -> f64 {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

// ---------------------------------------------------------------------------------------------
// Hedging

/// Benchmark 1%, −1%, 2%, −2% (mean 0, variance 0.001/3); portfolio 1.5%, −0.5%, 2.5%, −2.5%
/// (mean 0.25%). Deviations 1.25%, −0.75%, 2.25%, −2.75%:
/// cov = (0.000125 + 0.000075 + 0.00045 + 0.00055)/3 = 0.0004 → β = 0.0004/(0.001/3) = 1.2.
/// $1,000,000 portfolio, benchmark at $500: notional −$1,200,000, 2,400 units short.
#[test]
fn beta_hedge_hand_example() {
    let b = [0.01, -0.01, 0.02, -0.02];
    let p = [0.015, -0.005, 0.025, -0.025];
    let h = beta_hedge(&p, &b, 1_000_000.0, Some(500.0), 252.0, 0.95).unwrap();
    close("beta", h.ratio, 1.2);
    close("notional", h.notional, -1_200_000.0);
    close("units", h.units, -2_400.0);
    // Hedged returns p − 1.2b = 0.3%, 0.7%, 0.1%, −0.1%.
    let hedged = [0.003, 0.007, 0.001, -0.001];
    close("vol before", h.vol_before, std1(&p) * 252f64.sqrt());
    close("vol after", h.vol_after, std1(&hedged) * 252f64.sqrt());
    close("VaR before", h.var_before, historical_var(&p, 0.95));
    close("VaR after", h.var_after, historical_var(&hedged, 0.95));
    close(
        "VaR $",
        h.var_after_amount,
        1_000_000.0 * historical_var(&hedged, 0.95),
    );
    close(
        "reduction",
        h.variance_reduction,
        1.0 - std1(&hedged).powi(2) / std1(&p).powi(2),
    );
    close(
        "ρ² = reduction",
        h.correlation.powi(2),
        h.variance_reduction,
    );
    // Without a price the units are $ of notional.
    let d = beta_hedge(&p, &b, 1_000_000.0, None, 252.0, 0.95).unwrap();
    close("units in $", d.units, -1_200_000.0);
    assert_eq!(d.hedge_price, 1.0);
    let json = serde_json::to_string(&h).unwrap();
    let back: Hedge = serde_json::from_str(&json).unwrap();
    assert_eq!(back, h);
}

/// The benchmark hedged with itself at β: nothing left. A portfolio that is 1.5× the benchmark
/// has β = 1.5 and a hedged series of zeros (to rounding).
#[test]
fn hedging_the_benchmark_with_itself() {
    let b: Vec<f64> = (0..250)
        .map(|i| 0.01 * ((i as f64) * 0.7).sin() + 0.002 * ((i * 7 % 11) as f64 - 5.0) / 5.0)
        .collect();
    let p: Vec<f64> = b.iter().map(|x| 1.5 * x).collect();
    let h = beta_hedge(&p, &b, 100_000.0, Some(400.0), 252.0, 0.99).unwrap();
    assert!((h.ratio - 1.5).abs() < 1e-12, "{}", h.ratio);
    assert!(h.vol_after < 1e-12 * h.vol_before, "{}", h.vol_after);
    assert!(h.var_after.abs() < 1e-12, "{}", h.var_after);
    assert!((h.variance_reduction - 1.0).abs() < 1e-12);
    assert!((h.correlation - 1.0).abs() < 1e-12);
    let s = beta_hedge(&b, &b, 100_000.0, None, 252.0, 0.95).unwrap();
    assert_eq!(s.vol_after, 0.0);
    assert!((s.ratio - 1.0).abs() < 1e-15);
}

#[test]
fn hedge_errors() {
    let b = [0.01, -0.01, 0.02];
    let p = [0.01, -0.02, 0.0];
    assert_eq!(
        field_of(beta_hedge(&p, &b[..2], 1.0, None, 252.0, 0.95)),
        "benchmark_returns"
    );
    assert_eq!(
        field_of(min_variance_hedge(&p, &b[..2], 1.0, None, 252.0, 0.95)),
        "instrument_returns"
    );
    assert_eq!(
        field_of(beta_hedge(
            &[0.0, f64::NAN, 0.0],
            &b,
            1.0,
            None,
            252.0,
            0.95
        )),
        "portfolio_returns"
    );
    assert_eq!(
        field_of(beta_hedge(&p, &b, -5.0, None, 252.0, 0.95)),
        "portfolio_value"
    );
    assert_eq!(
        field_of(beta_hedge(&p, &b, 1.0, Some(0.0), 252.0, 0.95)),
        "hedge_price"
    );
    assert_eq!(
        field_of(beta_hedge(&p, &b, 1.0, None, 0.0, 0.95)),
        "periods_per_year"
    );
    assert_eq!(
        field_of(beta_hedge(&p, &b, 1.0, None, 252.0, 1.0)),
        "confidence"
    );
    assert!(matches!(
        beta_hedge(&p, &[0.01; 3], 1.0, None, 252.0, 0.95),
        Err(TradingError::Undefined(_))
    ));
    assert!(matches!(
        beta_hedge(&p[..1], &b[..1], 1.0, None, 252.0, 0.95),
        Err(TradingError::TooLittleHistory { .. })
    ));
}

fn day(i: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(i as i64)
}

/// A: 100 sh × $50, B: 200 sh × $25, cash $0; benchmark "IDX".
fn aligned(a: Vec<f64>, b: Vec<f64>, bench: Vec<f64>) -> Aligned {
    let t = a.len();
    let dates: Vec<NaiveDate> = (0..=t).map(day).collect();
    let pos = |s: &str, q: f64, p: f64| ValuedPosition {
        symbol: s.into(),
        quantity: Some(q),
        price: p,
        value: q * p,
        weight: q * p / 10_000.0,
        sector: None,
    };
    Aligned {
        dates: dates.clone(),
        symbols: vec!["A".into(), "B".into()],
        returns: vec![a, b],
        prices: vec![vec![50.0; t + 1], vec![25.0; t + 1]],
        positions: vec![pos("A", 100.0, 50.0), pos("B", 200.0, 25.0)],
        weights: vec![0.5, 0.5],
        cash: 0.0,
        cash_weight: 0.0,
        total_value: 10_000.0,
        benchmark: Some(BenchmarkReturns {
            symbol: "IDX".into(),
            returns: bench,
        }),
        report: AlignmentReport {
            start: dates[0],
            end: dates[t],
            observations: t,
            frequency: Frequency::Daily,
            periods_per_year: 252.0,
            notes: vec![],
            unused_symbols: vec![],
        },
    }
}

/// Through the aligned portfolio: portfolio returns 0.5·A + 0.5·B; hedging with B at its last
/// price $25: h = Cov(r_p, r_B)/Var(r_B); units = −h·$10,000/$25.
#[test]
fn hedges_of_an_aligned_portfolio() {
    let a = vec![0.01, -0.02, 0.015, 0.0, -0.005];
    let b = vec![0.02, -0.01, 0.0, 0.01, -0.02];
    let idx = vec![0.012, -0.018, 0.01, 0.004, -0.011];
    let al = aligned(a.clone(), b.clone(), idx.clone());
    let rp: Vec<f64> = a.iter().zip(&b).map(|(x, y)| 0.5 * x + 0.5 * y).collect();
    let mv = min_variance_hedge_of(&al, "B", None, 0.95).unwrap();
    let direct = min_variance_hedge(&rp, &b, 10_000.0, Some(25.0), 252.0, 0.95).unwrap();
    close("ratio", mv.ratio, direct.ratio);
    close("units", mv.units, -direct.ratio * 10_000.0 / 25.0);
    assert_eq!(mv.method_label, "minimum-variance hedge with B");
    let bh = beta_hedge_of(&al, Some(100.0), 0.95).unwrap();
    let direct = beta_hedge(&rp, &idx, 10_000.0, Some(100.0), 252.0, 0.95).unwrap();
    close("beta", bh.ratio, direct.ratio);
    close(
        "beta = metrics::beta",
        bh.ratio,
        ballast_core::metrics::beta(&rp, &idx),
    );
    assert_eq!(bh.method_label, "beta hedge against IDX");
    // The benchmark as a min-variance instrument is the beta hedge.
    let via = min_variance_hedge_of(&al, "IDX", Some(100.0), 0.95).unwrap();
    close("same ratio", via.ratio, bh.ratio);
    assert!(matches!(
        min_variance_hedge_of(&al, "ZZZ", None, 0.95),
        Err(TradingError::UnknownSymbol { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// At the minimum-variance ratio the variance falls by exactly ρ², and no other ratio does
    /// better.
    #[test]
    fn min_variance_reduction_is_rho_squared(
        h in prop::collection::vec(-0.08..0.08f64, 10..300),
        noise in prop::collection::vec(-0.05..0.05f64, 300),
        loading in -2.0..2.0f64,
        bump in -0.5..0.5f64,
    ) {
        let p: Vec<f64> = h.iter().zip(&noise).map(|(x, e)| loading * x + e).collect();
        let r = min_variance_hedge(&p, &h, 1e6, Some(50.0), 252.0, 0.95);
        let Ok(r) = r else { return Ok(()); };
        prop_assert!((r.variance_reduction - r.correlation.powi(2)).abs() <= RHO2_TOL,
            "{} vs {}", r.variance_reduction, r.correlation.powi(2));
        let other: Vec<f64> = p.iter().zip(&h).map(|(x, y)| x - (r.ratio + bump) * y).collect();
        prop_assert!(std1(&other) * 252f64.sqrt() >= r.vol_after * (1.0 - 1e-12));
    }

    /// Random inputs never panic.
    #[test]
    fn hedge_never_panics(
        p in prop::collection::vec(prop_oneof![Just(f64::NAN), -1.0..1.0f64, Just(0.0)], 0..10),
        h in prop::collection::vec(prop_oneof![Just(f64::INFINITY), -1.0..1.0f64, Just(0.0)], 0..10),
        v in prop_oneof![Just(f64::NAN), -1e6..1e6f64],
        price in prop::option::of(prop_oneof![Just(0.0), -10.0..1e3f64]),
        ppy in prop_oneof![Just(0.0), 1.0..400.0f64],
        c in -0.5..1.5f64,
    ) {
        let _ = beta_hedge(&p, &h, v, price, ppy, c);
        let _ = min_variance_hedge(&p, &h, v, price, ppy, c);
    }

    /// Exposure never panics, and when defined equity = net + cash and the margin-call fall
    /// (if any) makes equity equal the requirement.
    #[test]
    fn exposure_consistent(
        values in prop::collection::vec(-1e6..1e6f64, 0..8),
        cash in -1e6..1e6f64,
        m in 0.0..1.0f64,
    ) {
        let Ok(e) = exposure(&values, cash, m) else { return Ok(()); };
        prop_assert!((e.equity - (e.net + e.cash)).abs() <= 1e-9 * (e.gross + cash.abs() + 1.0));
        if let Some(x) = e.margin_call_fall {
            if x > 0.0 {
                let eq = e.equity - x * e.net;
                let req = m * e.gross * (1.0 - x);
                prop_assert!((eq - req).abs() <= 1e-7 * (e.gross + e.equity.abs() + 1.0));
                prop_assert!(x < 1.0);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Exposure

/// $200k long, $100k borrowed (cash −100k): equity $100k, gross leverage 2, m = 25%:
/// requirement $50k, use 50%, excess $50k; the call: 100k − 200k·x = 0.25·200k·(1 − x) →
/// 150k·x = 50k → x = 1/3.
#[test]
fn levered_long_margin_call_at_one_third() {
    let e = exposure(&[200_000.0], -100_000.0, 0.25).unwrap();
    close("gross", e.gross, 200_000.0);
    close("net", e.net, 200_000.0);
    close("equity", e.equity, 100_000.0);
    close("gross leverage", e.gross_leverage, 2.0);
    close("net leverage", e.net_leverage, 2.0);
    close("requirement", e.margin_requirement, 50_000.0);
    close("use", e.margin_use, 0.5);
    close("excess", e.excess_margin, 50_000.0);
    close("fall", e.margin_call_fall.unwrap(), 1.0 / 3.0);
    assert_eq!(e.margin_call_rise, None);
}

/// $150k long, $50k short, cash −$20k: L − S = 100k, G = 200k, E = 80k, m = 25% → req 50k;
/// x = (80k − 50k)/(100k − 50k) = 0.6 (check: 80k − 60k = 20k = 0.25·200k·0.4).
#[test]
fn long_short_book() {
    let e = exposure(&[150_000.0, -50_000.0], -20_000.0, 0.25).unwrap();
    close("long", e.long, 150_000.0);
    close("short", e.short, 50_000.0);
    close("gross leverage", e.gross_leverage, 2.5);
    close("net leverage", e.net_leverage, 1.25);
    close("fall", e.margin_call_fall.unwrap(), 0.6);
}

/// Unlevered long (no borrowing): a call only when everything is worth nothing → none.
/// Net short ($100k short, $200k cash, E = $100k): no fall triggers a call; a rise does:
/// 100k − 100k·y = 0.25·100k·(1 + y) → y = 75k/125k = 0.6.
/// Already below the requirement: a call at a fall of 0.
#[test]
fn no_call_and_calls_now() {
    let u = exposure(&[100_000.0], 0.0, 0.25).unwrap();
    assert_eq!(u.margin_call_fall, None);
    assert_eq!(margin_call_fall(100_000.0, 0.0, 150_000.0, 0.25), None);
    let s = exposure(&[-100_000.0], 200_000.0, 0.25).unwrap();
    assert_eq!(s.margin_call_fall, None);
    close("rise", s.margin_call_rise.unwrap(), 0.6);
    close(
        "rise fn",
        margin_call_rise(0.0, 100_000.0, 100_000.0, 0.25).unwrap(),
        0.6,
    );
    let now = exposure(&[400_000.0], -300_000.0, 0.3).unwrap();
    assert_eq!(now.margin_call_fall, Some(0.0));
    assert!(now.notes.iter().any(|n| n.contains("margin call now")));
}

#[test]
fn exposure_errors_and_aligned() {
    assert_eq!(field_of(exposure(&[1.0], 0.0, 1.5)), "maintenance_margin");
    assert_eq!(field_of(exposure(&[f64::NAN], 0.0, 0.25)), "values");
    assert_eq!(field_of(exposure(&[1.0], f64::INFINITY, 0.25)), "cash");
    assert!(matches!(
        exposure(&[100.0], -200.0, 0.25),
        Err(TradingError::Undefined(_))
    ));
    let al = aligned(vec![0.0; 3], vec![0.0; 3], vec![0.0; 3]);
    let e = exposure_of(&al, 0.25).unwrap();
    close("gross", e.gross, 10_000.0);
    close("equity", e.equity, 10_000.0);
    let json = serde_json::to_string(&e).unwrap();
    assert!(json.contains("margin_call_fall"), "{json}");
}
