//! `cargo bench -p ballast-core --bench covariance`: the correlation issue's budget — sample
//! covariance + correlation + Ledoit-Wolf for 500 assets × 2,520 days ≤ ~120 ms native (NumPy
//! and scikit-learn on one BLAS thread: about 160 ms, `CONVENTIONS.md` §10) — and each part,
//! plus the exponentially weighted covariance and `estimate` (which adds the PSD check).

mod synthetic;

use ballast_core::align::align;
use ballast_core::covariance::sample_covariance;
use ballast_core::estimators::{
    correlation_from_covariance, estimate, ewma_covariance, ledoit_wolf, CovEstimator,
};
use ballast_core::model::PriceSet;
use ballast_core::prices::{parse_prices, PriceOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    // The seeded one-factor prices of the other benches, through parse and align, so the
    // returns are what the app would hand over (2,520 prices → 2,519 returns).
    let csv = synthetic::wide_csv(500, 2520, 42).into_bytes();
    let aligned = parse_prices("wide.csv", &csv, &PriceOptions::default())
        .and_then(|i| PriceSet::from_imports(vec![i]))
        .map_err(|e| e.to_string())
        .and_then(|s| align(&s, None, None).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("synthetic data: {e}"));
    let r = &aligned.returns;
    assert_eq!(r.len(), 500);
    let mut g = c.benchmark_group("covariance 500x2520");
    g.sample_size(20);
    g.bench_function("sample covariance", |b| {
        b.iter(|| sample_covariance(black_box(r)))
    });
    let s = sample_covariance(r);
    g.bench_function("correlation", |b| {
        b.iter(|| correlation_from_covariance(black_box(&s)))
    });
    g.bench_function("ledoit-wolf", |b| b.iter(|| ledoit_wolf(black_box(r))));
    g.bench_function("ewma span 180", |b| {
        b.iter(|| ewma_covariance(black_box(r), 180.0))
    });
    g.bench_function("sample + correlation + ledoit-wolf (budget)", |b| {
        b.iter(|| {
            let s = sample_covariance(black_box(r));
            let c = correlation_from_covariance(&s);
            let lw = ledoit_wolf(r);
            (s, c, lw)
        })
    });
    for est in [
        CovEstimator::Sample,
        CovEstimator::LedoitWolf,
        CovEstimator::Ewma { span: 180.0 },
    ] {
        g.bench_function(
            format!("estimate {} (with correlation, PSD check)", est.key()),
            |b| b.iter(|| estimate(black_box(r), est).map(|e| e.covariance.n)),
        );
    }
    // More assets than observations (500 × 120): singular sample matrix, so the PSD check
    // falls back from Cholesky to the eigenvalues.
    let short: Vec<Vec<f64>> = r.iter().map(|x| x[x.len() - 120..].to_vec()).collect();
    g.bench_function("estimate sample 500x120 (singular)", |b| {
        b.iter(|| estimate(black_box(&short), CovEstimator::Sample).map(|e| e.notes.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
