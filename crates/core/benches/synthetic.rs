//! Seeded synthetic price data for benchmarks: a one-factor model like the peers' timing data
//! (`../shared/reference/CONVENTIONS.md` §10): `r = 0.0003 + 0.01·m·β + 0.015·ε`,
//! β ~ U(0.5, 1.5), m, ε ~ N(0, 1), prices compounded from 100, business-day dates from
//! 2010-01-04.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::fmt::Write;

#[allow(dead_code)]
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

/// Asset-major daily returns of the peers' 5-factor timing model (`synthetic.py`):
/// `r = α + B f + e`, α ~ U(0, 0.0008), B[:,0] ~ N(1, 0.3), B[:,1..] ~ N(0, 0.5),
/// idiosyncratic σ ~ U(0.010, 0.025), factor vols (0.010, 0.006, 0.005, 0.004, 0.003).
/// Same model, ChaCha8 stream (numpy's PCG64 stream is not reproduced). When
/// `BALLAST_SYNTH_DIR` holds `synthetic_N{n}_T{t}.csv` written by `synthetic.py --out`, that
/// exact data set is used instead, so the timings compare with the peers' on the same numbers.
#[allow(dead_code)]
pub fn factor_returns(n: usize, t: usize, seed: u64) -> (Vec<Vec<f64>>, &'static str) {
    if let Ok(dir) = std::env::var("BALLAST_SYNTH_DIR") {
        let path = std::path::Path::new(&dir).join(format!("synthetic_N{n}_T{t}.csv"));
        if let Ok(text) = std::fs::read_to_string(&path) {
            let mut cols = vec![Vec::with_capacity(t); n];
            for line in text.lines().skip(1) {
                for (i, v) in line.split(',').skip(1).enumerate() {
                    if let (Some(c), Ok(x)) = (cols.get_mut(i), v.parse::<f64>()) {
                        c.push(x);
                    }
                }
            }
            if cols.iter().all(|c| c.len() == t) {
                return (cols, "synthetic.py");
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let fvol = [0.010, 0.006, 0.005, 0.004, 0.003];
    let alpha: Vec<f64> = (0..n).map(|_| rng.random_range(0.0..0.0008)).collect();
    let b: Vec<[f64; 5]> = (0..n)
        .map(|_| {
            let mut row = [0.0; 5];
            let z: f64 = rng.sample(StandardNormal);
            row[0] = 1.0 + 0.3 * z;
            for v in row.iter_mut().skip(1) {
                let z: f64 = rng.sample(StandardNormal);
                *v = 0.5 * z;
            }
            row
        })
        .collect();
    let idio: Vec<f64> = (0..n).map(|_| rng.random_range(0.010..0.025)).collect();
    let mut out = vec![Vec::with_capacity(t); n];
    for _ in 0..t {
        let f: Vec<f64> = fvol
            .iter()
            .map(|v| v * rng.sample::<f64, _>(StandardNormal))
            .collect();
        for i in 0..n {
            let e: f64 = rng.sample(StandardNormal);
            let r = alpha[i] + (0..5).map(|k| b[i][k] * f[k]).sum::<f64>() + idio[i] * e;
            out[i].push(r);
        }
    }
    (out, "ChaCha8 5-factor")
}
