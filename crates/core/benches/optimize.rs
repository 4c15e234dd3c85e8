//! `cargo bench -p ballast-core --bench optimize`: the optimisation issue's budgets on the
//! peers' 5-factor timing data (`BALLAST_SYNTH_DIR=dir` with `synthetic.py --out dir` files for
//! the identical numbers; otherwise the same model from a seeded generator):
//!
//! * 50-point mean-variance frontier, 500 assets × 2,520 days: ≤ 2 s (PyPortfolioOpt +
//!   Clarabel ≈ 10 s, Riskfolio ≈ 47 s on this machine size);
//! * minimum CVaR 95%, 250 × 2,520: ≤ 1.5 s (Riskfolio ≈ 4.6 s);
//! * maximum Sharpe, 500 assets: ≤ 0.25 s (PyPortfolioOpt + Clarabel ≈ 0.26 s).
//!
//! Timings include the estimates (mean, sample covariance) from returns, as the app's do.

mod synthetic;

use ballast_core::optimize::frontier::{frontier, FrontierKind};
use ballast_core::optimize::{optimize, Market, Objective, OptimizeSpec};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn market(n: usize) -> Market {
    let (returns, source) = synthetic::factor_returns(n, 2520, 7);
    eprintln!("data N={n}: {source}");
    Market {
        symbols: (0..n).map(|i| format!("a{i}")).collect(),
        returns,
        periods_per_year: 252.0,
        current: vec![1.0 / n as f64; n],
        benchmark: None,
    }
}

fn spec(objective: Objective) -> OptimizeSpec {
    OptimizeSpec {
        objective,
        ..OptimizeSpec::default()
    }
}

fn bench(c: &mut Criterion) {
    let m500 = market(500);
    let m250 = market(250);
    let mut g = c.benchmark_group("optimize");
    g.sample_size(10);
    g.bench_function("max sharpe 500x2520", |b| {
        b.iter(|| optimize(black_box(&m500), &spec(Objective::MaxSharpe)).map(|r| r.weights))
    });
    g.bench_function("min variance 500x2520", |b| {
        b.iter(|| optimize(black_box(&m500), &spec(Objective::MinVariance)).map(|r| r.weights))
    });
    g.bench_function("min cvar95 250x2520", |b| {
        b.iter(|| optimize(black_box(&m250), &spec(Objective::MinCvar)).map(|r| r.weights))
    });
    g.bench_function("frontier 50 mean-variance 500x2520", |b| {
        b.iter(|| {
            frontier(
                black_box(&m500),
                &spec(Objective::MinVariance),
                FrontierKind::MeanVariance,
                50,
            )
            .map(|f| f.points.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
