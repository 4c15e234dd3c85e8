//! Writes the benchmark's synthetic wide price CSV to stdout:
//! `cargo run --release -p ballast-core --example synthetic_prices -- 500 2520 > wide.csv`
//! (the one-factor prices of the analytics benches), or with a third argument `factor` the
//! prices compounded from the optimisation bench's 5-factor returns
//! (`synthetic::factor_returns(n, days, 7)`, the peers' timing model), for the browser
//! frontier timing.

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::fmt::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let n_assets = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let n_days = args.next().and_then(|a| a.parse().ok()).unwrap_or(2520);
    if args.next().as_deref() != Some("factor") {
        print!("{}", synthetic::wide_csv(n_assets, n_days, 42));
        return;
    }
    let (returns, _) = synthetic::factor_returns(n_assets, n_days, 7);
    let mut out = String::from("date");
    for i in 0..n_assets {
        let _ = write!(out, ",a{i}");
    }
    out.push('\n');
    let mut date = chrono::NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or_default();
    let mut prices = vec![100.0f64; n_assets];
    for t in 0..=n_days {
        if t > 0 {
            for (p, r) in prices.iter_mut().zip(&returns) {
                *p *= 1.0 + r[t - 1];
            }
        }
        let _ = write!(out, "{date}");
        for p in &prices {
            let _ = write!(out, ",{p:.10}");
        }
        out.push('\n');
        date = next_business_day(date);
    }
    print!("{out}");
}

fn next_business_day(d: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut n = d + chrono::Duration::days(1);
    while matches!(n.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        n += chrono::Duration::days(1);
    }
    n
}
