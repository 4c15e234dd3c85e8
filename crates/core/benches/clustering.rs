//! `cargo bench -p ballast-core --bench clustering`: the correlation issue's budget for the
//! clustering — 500 assets (correlations of 2,520 seeded synthetic daily returns), every
//! linkage ≤ 40 ms native, so that covariance + correlation + Ledoit-Wolf (≈ 100 ms) and the
//! clustering fit in 150 ms — plus the threshold clusters, cuts and diversification figures.

use ballast_core::clustering::{cut, hierarchical, threshold_clusters, Linkage};
use ballast_core::covariance::{sample_covariance, Matrix};
use ballast_core::diversification::diversification;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::hint::black_box;

/// Daily returns of the one-factor model of `synthetic.rs` (`CONVENTIONS.md` §10):
/// `r = 0.0003 + 0.01·m·β + 0.015·ε`, β ~ U(0.5, 1.5), m, ε ~ N(0, 1); assets × days.
fn returns(n_assets: usize, n_days: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let betas: Vec<f64> = (0..n_assets).map(|_| rng.random_range(0.5..1.5)).collect();
    let mut r = vec![Vec::with_capacity(n_days); n_assets];
    for _ in 0..n_days {
        let m: f64 = rng.sample(StandardNormal);
        for (series, b) in r.iter_mut().zip(&betas) {
            let e: f64 = rng.sample(StandardNormal);
            series.push(0.0003 + 0.01 * m * b + 0.015 * e);
        }
    }
    r
}

fn correlation(cov: &Matrix) -> Matrix {
    let n = cov.n;
    let sd: Vec<f64> = (0..n).map(|i| cov.get(i, i).sqrt()).collect();
    let mut c = cov.clone();
    for i in 0..n {
        for j in 0..n {
            c.data[i * n + j] /= sd[i] * sd[j];
        }
    }
    c
}

fn bench(c: &mut Criterion) {
    let n = 500;
    let cov = sample_covariance(&returns(n, 2520, 42));
    let corr = correlation(&cov);
    let mut g = c.benchmark_group("clustering 500 assets");
    g.sample_size(20);
    for l in Linkage::ALL {
        g.bench_function(format!("hierarchical {}", l.key()), |b| {
            b.iter(|| hierarchical(black_box(&corr), l))
        });
    }
    let w = vec![1.0 / n as f64; n];
    for t in [0.7, 0.5, 0.3] {
        g.bench_function(format!("threshold clusters |rho| >= {t}"), |b| {
            b.iter(|| threshold_clusters(black_box(&corr), t, &w))
        });
    }
    let ward = hierarchical(&corr, Linkage::Ward);
    g.bench_function("cut k = 2..10 (ward)", |b| {
        b.iter(|| {
            (2..=10)
                .map(|k| cut(black_box(&ward), k))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("diversification", |b| {
        b.iter(|| diversification(black_box(&w), &cov))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
