//! Seeded synthetic price data for benchmarks: a one-factor model like the peers' timing data
//! (`../shared/reference/CONVENTIONS.md` §10): `r = 0.0003 + 0.01·m·β + 0.015·ε`,
//! β ~ U(0.5, 1.5), m, ε ~ N(0, 1), prices compounded from 100, business-day dates from
//! 2010-01-04.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::fmt::Write;

/// A wide price CSV (`date,A000,…`) with `n_assets` columns and `n_days` rows.
pub fn wide_csv(n_assets: usize, n_days: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let betas: Vec<f64> = (0..n_assets).map(|_| rng.random_range(0.5..1.5)).collect();
    let mut prices = vec![100.0f64; n_assets];
    let mut out = String::with_capacity(n_days * n_assets * 9);
    out.push_str("date");
    for i in 0..n_assets {
        let _ = write!(out, ",A{i:03}");
    }
    out.push('\n');
    let mut date = NaiveDate::from_ymd_opt(2010, 1, 4).unwrap_or_default();
    for _ in 0..n_days {
        let m: f64 = rng.sample(StandardNormal);
        let _ = write!(out, "{date}");
        for (p, b) in prices.iter_mut().zip(&betas) {
            let e: f64 = rng.sample(StandardNormal);
            *p *= 1.0 + 0.0003 + 0.01 * m * b + 0.015 * e;
            let _ = write!(out, ",{:.4}", *p);
        }
        out.push('\n');
        date += Duration::days(1);
        while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            date += Duration::days(1);
        }
    }
    out
}
