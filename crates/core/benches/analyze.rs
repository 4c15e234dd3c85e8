//! `cargo bench -p ballast-core`: the foundation's budget — parse, align and analyse a
//! 500-asset × 2520-day wide CSV (budget ≤ 1 s for the CLI end to end).

mod synthetic;

use ballast_core::align::align;
use ballast_core::analysis::{analyze, AnalysisParams};
use ballast_core::model::PriceSet;
use ballast_core::pipeline::{run, InputFile, PipelineInput};
use ballast_core::prices::{parse_prices, PriceOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let csv = synthetic::wide_csv(500, 2520, 42).into_bytes();
    let opts = PriceOptions::default();
    let mut g = c.benchmark_group("500x2520");
    g.sample_size(10);
    g.bench_function("parse", |b| {
        b.iter(|| parse_prices("wide.csv", black_box(&csv), &opts).map(|i| i.series.len()))
    });
    let set =
        match parse_prices("wide.csv", &csv, &opts).and_then(|i| PriceSet::from_imports(vec![i])) {
            Ok(s) => s,
            Err(e) => panic!("synthetic data must parse: {e}"),
        };
    g.bench_function("align", |b| {
        b.iter(|| align(black_box(&set), None, None).map(|a| a.dates.len()))
    });
    let aligned = match align(&set, None, None) {
        Ok(a) => a,
        Err(e) => panic!("synthetic data must align: {e}"),
    };
    let params = AnalysisParams::default();
    g.bench_function("analyze", |b| {
        b.iter(|| analyze(black_box(&aligned), &params))
    });
    let files = [InputFile::new("wide.csv", csv.clone())];
    g.bench_function("pipeline (parse+align+analyze)", |b| {
        b.iter(|| {
            let input = PipelineInput {
                prices: &files,
                ..Default::default()
            };
            run(black_box(&input)).map(|o| o.analysis.metrics.sharpe)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
