//! `cargo bench -p ballast-core --bench suite`: the analytics issue's budget — the whole
//! non-Monte-Carlo suite for the sample (20 assets × 8,312 days) ≤ 20 ms native — and its parts.

mod synthetic;

use ballast_core::align::align;
use ballast_core::analysis::{analyze, AnalysisParams};
use ballast_core::backtest::rolling_backtest;
use ballast_core::clustering::{hierarchical, threshold_clusters, Linkage};
use ballast_core::correlation_analysis::{analyze_correlation, CorrelationParams};
use ballast_core::decomposition::{decompose, DecompositionInput};
use ballast_core::estimators::{estimate, CovEstimator};
use ballast_core::holdings::parse_holdings;
use ballast_core::model::PriceSet;
use ballast_core::prices::{parse_prices, PriceOptions};
use ballast_core::rolling::rolling_set;
use ballast_core::var_models::{closed_form_table, VarModel};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;

fn bench(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample");
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    let opts = PriceOptions::default();
    let prices = parse_prices("sp500_prices.csv", &read("sp500_prices.csv"), &opts)
        .and_then(|i| PriceSet::from_imports(vec![i]))
        .unwrap_or_else(|e| panic!("sample prices: {e}"));
    let bench_series = parse_prices("sp500_index.csv", &read("sp500_index.csv"), &opts)
        .map(|i| i.series.into_iter().next())
        .unwrap_or_else(|e| panic!("index: {e}"));
    let holdings = parse_holdings("holdings.csv", &read("holdings.csv"))
        .unwrap_or_else(|e| panic!("holdings: {e}"));
    let aligned = align(&prices, Some(&holdings), bench_series.as_ref())
        .unwrap_or_else(|e| panic!("align: {e}"));
    let params = AnalysisParams::default();
    let mut g = c.benchmark_group("sample 20x8312");
    g.sample_size(20);
    g.bench_function("whole suite (analyze)", |b| {
        b.iter(|| analyze(black_box(&aligned), &params))
    });
    let ten_day = AnalysisParams {
        horizon: 10,
        confidence: 0.99,
        ..params
    };
    g.bench_function("whole suite, 99% 10-day", |b| {
        b.iter(|| analyze(black_box(&aligned), &ten_day))
    });
    let r = analyze(&aligned, &params).portfolio_returns;
    let s = params.var_settings();
    g.bench_function("VaR models (closed form)", |b| {
        b.iter(|| closed_form_table(black_box(&r), &s))
    });
    let sectors: Vec<Option<String>> = aligned.positions.iter().map(|p| p.sector.clone()).collect();
    let input = DecompositionInput {
        returns: &aligned.returns,
        weights: &aligned.weights,
        symbols: &aligned.symbols,
        sectors: &sectors,
    };
    for model in [VarModel::Historical, VarModel::Gaussian] {
        g.bench_function(format!("decomposition {}", model.key()), |b| {
            b.iter(|| decompose(black_box(&input), model, &s))
        });
    }
    g.bench_function("backtest historical 250", |b| {
        b.iter(|| rolling_backtest(black_box(&r), 250, 0.95, VarModel::Historical, 0.94))
    });
    let dates = &aligned.dates[1..];
    let bench_r = aligned.benchmark.as_ref().map(|b| b.returns.as_slice());
    g.bench_function("average pairwise correlation 252", |b| {
        b.iter(|| {
            ballast_core::correlation_dynamics::average_pairwise_correlation(
                &aligned.dates[1..],
                black_box(&aligned.returns),
                252,
            )
        })
    });
    g.bench_function("estimate sample", |b| {
        b.iter(|| estimate(black_box(&aligned.returns), CovEstimator::Sample))
    });
    g.bench_function("correlation analysis", |b| {
        b.iter(|| analyze_correlation(black_box(&aligned), &CorrelationParams::default()))
    });
    g.bench_function("rolling set 126", |b| {
        b.iter(|| rolling_set(dates, black_box(&r), bench_r, 126, 252.0, 0.0))
    });
    g.finish();

    // The correlation issue's budget: 500 assets × 2,520 days, the whole correlation analysis
    // (covariance, correlation, clustering, clusters, diversification, average correlation over
    // time and breakdowns) and the estimate + clustering part alone.
    let csv = synthetic::wide_csv(500, 2520, 7).into_bytes();
    let set = parse_prices("wide.csv", &csv, &opts)
        .and_then(|i| PriceSet::from_imports(vec![i]))
        .unwrap_or_else(|e| panic!("synthetic prices: {e}"));
    let big = align(&set, None, None).unwrap_or_else(|e| panic!("align: {e}"));
    let mut g = c.benchmark_group("500x2520");
    g.sample_size(10);
    let cp = CorrelationParams::default();
    g.bench_function("estimate + hierarchical + threshold clusters", |b| {
        b.iter(|| {
            let e = estimate(black_box(&big.returns), CovEstimator::LedoitWolf)
                .unwrap_or_else(|e| panic!("{e}"));
            let d = hierarchical(&e.correlation, Linkage::Ward);
            (threshold_clusters(&e.correlation, 0.7, &big.weights), d)
        })
    });
    g.bench_function("whole correlation analysis", |b| {
        b.iter(|| analyze_correlation(black_box(&big), &cp))
    });
    g.bench_function("whole suite (analyze)", |b| {
        b.iter(|| analyze(black_box(&big), &params))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
