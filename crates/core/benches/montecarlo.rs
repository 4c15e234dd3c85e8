//! `cargo bench -p ballast-core --bench montecarlo`: the Monte Carlo budget — 100,000 paths ×
//! 20 assets × 10 days per model must stay well under 1.5 s in the browser (wasm, one thread),
//! so ≤ 0.3 s native; and the Student-t ν fit on 20 assets × 8,300 days.
//!
//! Returns come from the same seeded one-factor model as `synthetic.rs`:
//! `r = 0.0003 + 0.01·m·β + 0.015·ε`, β ~ U(0.5, 1.5), m, ε ~ N(0, 1).

use ballast_core::montecarlo::{fit_student_t_nu, simulate, McModel, McParams};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::hint::black_box;

/// `n_assets` series of `n_days` daily simple returns.
fn returns(n_assets: usize, n_days: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let betas: Vec<f64> = (0..n_assets).map(|_| rng.random_range(0.5..1.5)).collect();
    let mut out: Vec<Vec<f64>> = (0..n_assets).map(|_| Vec::with_capacity(n_days)).collect();
    for _ in 0..n_days {
        let m: f64 = rng.sample(StandardNormal);
        for (col, b) in out.iter_mut().zip(&betas) {
            let e: f64 = rng.sample(StandardNormal);
            col.push(0.0003 + 0.01 * m * b + 0.015 * e);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let data = returns(20, 2000, 42);
    let weights = vec![1.0 / 20.0; 20];
    let mut g = c.benchmark_group("montecarlo 100k paths x 20 assets x 10 days");
    g.sample_size(10);
    for model in McModel::ALL {
        let params = McParams {
            model,
            paths: 100_000,
            horizon: 10,
            seed: 7,
        };
        g.bench_function(model.key(), |b| {
            b.iter(|| simulate(black_box(&data), &weights, &params).map(|r| r.var(0.99)))
        });
    }
    g.finish();

    let long = returns(20, 8300, 43);
    let mut g = c.benchmark_group("student-t fit");
    g.sample_size(10);
    g.bench_function("fit_student_t_nu 20x8300", |b| {
        b.iter(|| fit_student_t_nu(black_box(&long)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
