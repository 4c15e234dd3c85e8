//! Writes the benchmark's synthetic wide price CSV to stdout:
//! `cargo run --release -p ballast-core --example synthetic_prices -- 500 2520 > wide.csv`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() {
    let mut args = std::env::args().skip(1);
    let n_assets = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let n_days = args.next().and_then(|a| a.parse().ok()).unwrap_or(2520);
    print!("{}", synthetic::wide_csv(n_assets, n_days, 42));
}
