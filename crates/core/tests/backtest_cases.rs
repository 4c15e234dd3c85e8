//! Edge cases of the VaR backtest tests, with statistics computed by hand.
//!
//! Hand values: Python 3 `math` only, straight from the formulas of `backtest.rs`, with
//! `xlny(x, y) = 0 if x == 0 else x·ln y` and the χ²(1) p-value `erfc(√(LR/2))`:
//!
//! ```text
//! Kupiec, n = 250, c = 0.99 (p = 0.01):
//!   LR = −2[(n−x) ln(1−p) + x ln p] + 2[(n−x) ln(1−x/n) + x ln(x/n)]
//!   x = 0    LR = −500 ln 0.99        = 5.025167926750726    p = 0.02498150305344971
//!   x = 4                               0.7691383643858458       0.380483738238954
//!   x = 5                               1.956809788230622        0.16185491719604272
//!   x = 9                               10.229030632597755       0.0013824730075046663
//!   x = 10                              12.955491062356018       0.0003189845082133835
//!   x = 250  LR = −500 ln 0.01        = 2302.5850929940457   p = 0 (underflows)
//! Christoffersen, 250 days, 5 hits:
//!   spread (days 25, 75, 125, 175, 225): n00 239, n01 5, n10 5, n11 0
//!     LR = 0.20493237652149787, p = 0.6507686878924304
//!   clustered (days 100–104):           n00 243, n01 1, n10 1, n11 4
//!     LR = 30.98481265704308,   p = 2.6005541201771564e-08
//!   no hit / every day a hit: LR = 0, p = 1.
//! ```

use ballast_core::backtest::{
    basel_zone, christoffersen, kupiec, rolling_backtest, BaselZone, BASEL_DAYS,
};
use ballast_core::var_models::VarModel;

/// Statistics: the hand values carry 16 digits; the Rust sums differ in the last bits only.
const STAT_REL_TOL: f64 = 1e-12;
/// p-values: `1 − cdf` of statrs loses up to ~1e-16 absolute to cancellation.
const P_ABS_TOL: f64 = 1e-9;

#[track_caller]
fn assert_stat(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= STAT_REL_TOL * want.abs().max(1.0),
        "{got} vs {want}"
    );
}

#[test]
fn kupiec_without_exceedances() {
    let t = kupiec(250, 0, 0.99);
    assert_stat(t.statistic, 5.025167926750726);
    assert!((t.p_value - 0.02498150305344971).abs() < P_ABS_TOL, "{t:?}");
    // 0 out of 250 at 99% is unusual enough to reject at 5% (too conservative a VaR).
    assert!(t.p_value < 0.05);
}

#[test]
fn kupiec_with_every_day_an_exceedance() {
    let t = kupiec(250, 250, 0.99);
    assert_stat(t.statistic, 2302.5850929940457);
    assert!(t.p_value >= 0.0 && t.p_value < 1e-300, "{t:?}");
    // More exceedances than days is not a sample: NaN, not a panic.
    assert!(kupiec(250, 251, 0.99).statistic.is_nan());
    assert!(kupiec(0, 0, 0.99).p_value.is_nan());
}

#[test]
fn kupiec_around_the_basel_boundaries() {
    for (x, stat, p, zone) in [
        (4, 0.7691383643858458, 0.380483738238954, BaselZone::Green),
        (5, 1.956809788230622, 0.16185491719604272, BaselZone::Yellow),
        (
            9,
            10.229030632597755,
            0.0013824730075046663,
            BaselZone::Yellow,
        ),
        (
            10,
            12.955491062356018,
            0.0003189845082133835,
            BaselZone::Red,
        ),
    ] {
        let t = kupiec(250, x, 0.99);
        assert_stat(t.statistic, stat);
        assert!((t.p_value - p).abs() < P_ABS_TOL, "x = {x}: {t:?}");
        assert_eq!(basel_zone(x), zone, "x = {x}");
    }
}

/// A 99% historical backtest with exactly `x` exceedances in its 250 forecasts: a 20-period
/// window of small positive returns (0.1%–0.5%) and `x` losses of 50%, 25 periods apart, so a
/// window never holds two of them. With no loss in the window the VaR is −0.1% (the smallest
/// return; nothing falls below it); with one, the type-7 quantile at 0.01 of 20 returns is
/// `−0.5 + 0.19·(0.001 + 0.5) ≈ −40.5%`, and the next −50% still exceeds it. So the hits are
/// exactly the losses.
fn series_with_losses(x: usize) -> Vec<f64> {
    let window = 20;
    let mut r: Vec<f64> = (0..window + BASEL_DAYS)
        .map(|i| 0.001 * (1 + i % 5) as f64)
        .collect();
    for j in 0..x {
        r[window + 10 + 25 * j] = -0.5;
    }
    r
}

#[test]
fn basel_zone_of_a_rolling_backtest() {
    for (x, zone) in [
        (0, BaselZone::Green),
        (4, BaselZone::Green),
        (5, BaselZone::Yellow),
        (9, BaselZone::Yellow),
        (10, BaselZone::Red),
    ] {
        let r = series_with_losses(x);
        let b = rolling_backtest(&r, 20, 0.99, VarModel::Historical, 0.94);
        assert_eq!(b.var.len(), 250);
        assert_eq!(b.exceedances, x, "x = {x}");
        let basel = b.basel.expect("250 forecasts");
        assert_eq!((basel.days, basel.exceedances, basel.zone), (250, x, zone));
        // The Kupiec test of the same backtest is the hand-computed one.
        let t = kupiec(250, x, 0.99);
        assert_eq!(b.kupiec, t);
    }
}

#[test]
fn christoffersen_clustered_hits_are_less_likely_independent() {
    let spread: Vec<bool> = (0..250)
        .map(|i| [25, 75, 125, 175, 225].contains(&i))
        .collect();
    let clustered: Vec<bool> = (0..250).map(|i| (100..=104).contains(&i)).collect();
    let s = christoffersen(&spread);
    let c = christoffersen(&clustered);
    assert_stat(s.statistic, 0.20493237652149787);
    assert!((s.p_value - 0.6507686878924304).abs() < P_ABS_TOL, "{s:?}");
    assert_stat(c.statistic, 30.98481265704308);
    assert!(
        (c.p_value - 2.6005541201771564e-08).abs() < P_ABS_TOL,
        "{c:?}"
    );
    assert!(c.p_value < s.p_value);
    // Same number of hits: Kupiec cannot tell them apart, Christoffersen can.
    assert_eq!(
        spread.iter().filter(|h| **h).count(),
        clustered.iter().filter(|h| **h).count()
    );
}

#[test]
fn christoffersen_degenerate_sequences() {
    for seq in [vec![false; 250], vec![true; 250]] {
        let t = christoffersen(&seq);
        assert_eq!(t.statistic, 0.0, "{t:?}");
        assert!((t.p_value - 1.0).abs() < P_ABS_TOL, "{t:?}");
    }
    // Fewer than two days: no transition, no test.
    assert!(christoffersen(&[true]).statistic.is_nan());
    assert!(christoffersen(&[]).p_value.is_nan());
}
