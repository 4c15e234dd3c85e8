//! Render one example of each risk chart to SVG files for a visual check:
//! `cargo run -p ballast-charts --example preview -- [dir]` (default `/tmp/charts-preview`).

use ballast_charts::{
    bar_chart, bar_chart_height, histogram, lines_chart, var_backtest, BacktestChart, BarChart,
    HistogramChart, LinesChart,
};
use chrono::NaiveDate;
use plotters::prelude::*;

/// Deterministic fat-tailed returns (a small xorshift generator, Box–Muller, and a volatility
/// regime), so the previews look like market data without a random-number dependency.
fn returns(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed.max(1);
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|i| {
            let (u1, u2) = (uniform().max(1e-12), uniform());
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            let vol = 0.009 * (1.0 + 0.8 * ((i as f64) / 400.0).sin().powi(2));
            0.0003 + vol * z
        })
        .collect()
}

fn business_days(n: usize) -> Vec<NaiveDate> {
    let mut d = NaiveDate::from_ymd_opt(1994, 1, 3).unwrap_or_default();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        use chrono::Datelike;
        if d.weekday().number_from_monday() <= 5 {
            out.push(d);
        }
        d += chrono::Duration::days(1);
    }
    out
}

fn write(
    dir: &str,
    name: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>),
) {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root);
    }
    let path = format!("{dir}/{name}.svg");
    if let Err(e) = std::fs::write(&path, out) {
        eprintln!("{path}: {e}");
    } else {
        println!("{path}");
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/charts-preview".to_string());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{dir}: {e}");
        return;
    }
    let n = 8000;
    let dates = business_days(n);
    let mut r = returns(n, 7);
    // A crash day: the histogram must not be squashed by it.
    if let Some(x) = r.get_mut(5000) {
        *x = -0.2;
    }

    // Histogram with VaR / CVaR 95% and a normal fit.
    let mut sorted: Vec<f64> = r.clone();
    sorted.sort_by(f64::total_cmp);
    let k = n / 20;
    let var = -sorted.get(k).copied().unwrap_or(0.0);
    let cvar = -sorted.iter().take(k).sum::<f64>() / k as f64;
    let mean = r.iter().sum::<f64>() / n as f64;
    let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    write(&dir, "histogram", (960, 320), |a| {
        if let Err(e) = histogram(
            a,
            &HistogramChart {
                returns: &r,
                bins: 60,
                var: Some(var),
                cvar: Some(cvar),
                var_label: "VaR 95%",
                cvar_label: "CVaR 95%",
                normal: Some((mean, sd)),
            },
        ) {
            eprintln!("histogram: {e}");
        }
    });

    // Rolling 250-day historical VaR 99% backtest.
    let window = 250;
    let var99: Vec<f64> = (0..n)
        .map(|i| {
            if i < window {
                return f64::NAN;
            }
            let mut w: Vec<f64> = r.get(i - window..i).unwrap_or_default().to_vec();
            w.sort_by(f64::total_cmp);
            -w.get(window / 100).copied().unwrap_or(f64::NAN)
        })
        .collect();
    let hits: Vec<bool> = r.iter().zip(&var99).map(|(x, v)| *x < -v).collect();
    write(&dir, "backtest", (960, 320), |a| {
        if let Err(e) = var_backtest(
            a,
            &BacktestChart {
                dates: &dates,
                returns: &r,
                var: &var99,
                hits: &hits,
                var_label: "Historical VaR 99% (250-day window)",
            },
        ) {
            eprintln!("backtest: {e}");
        }
    });

    // Weights and risk contributions of twelve holdings (one short).
    let labels: Vec<String> = [
        "SPY",
        "QQQ",
        "IWM",
        "EFA",
        "EEM",
        "TLT",
        "IEF",
        "LQD",
        "HYG",
        "GLD",
        "Vanguard Real Estate Index Fund ETF",
        "VIX futures (short)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let weights = [
        0.22, 0.15, 0.06, 0.1, 0.05, 0.14, 0.1, 0.06, 0.04, 0.05, 0.05, -0.02,
    ];
    let contrib = [
        0.34, 0.27, 0.09, 0.12, 0.08, -0.03, 0.01, 0.03, 0.04, 0.02, 0.06, -0.03,
    ];
    let series = [
        ("Weight", &weights[..]),
        ("Risk contribution", &contrib[..]),
    ];
    write(
        &dir,
        "bars",
        (960, bar_chart_height(labels.len(), series.len())),
        |a| {
            if let Err(e) = bar_chart(
                a,
                &BarChart {
                    labels: &labels,
                    series: &series,
                    percent: true,
                },
            ) {
                eprintln!("bars: {e}");
            }
        },
    );

    // Rolling 63-day annualised volatility of two series, a gap, and event markers.
    let vol = |x: &[f64], start: usize| -> Vec<f64> {
        (0..n)
            .map(|i| {
                if i < start + 63 || (3000..3100).contains(&i) {
                    return f64::NAN;
                }
                let w = x.get(i - 63..i).unwrap_or_default();
                let m = w.iter().sum::<f64>() / 63.0;
                (w.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 62.0 * 252.0).sqrt()
            })
            .collect()
    };
    let b = returns(n, 99);
    let (v1, v2) = (vol(&r, 0), vol(&b, 500));
    let markers = [
        NaiveDate::from_ymd_opt(2008, 9, 15).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2020, 3, 16).unwrap_or_default(),
    ];
    let lines = [
        ("Portfolio", &dates[..], &v1[..]),
        ("Benchmark", &dates[..], &v2[..]),
    ];
    write(&dir, "lines", (960, 320), |a| {
        if let Err(e) = lines_chart(
            a,
            &LinesChart {
                lines: &lines,
                percent: true,
                zero_line: false,
                markers: &markers,
            },
        ) {
            eprintln!("lines: {e}");
        }
    });

    // Rolling beta-like series around zero with a zero line, plain numbers, narrow canvas.
    let beta: Vec<f64> = (0..n)
        .map(|i| 0.4 * ((i as f64) / 700.0).sin() + 0.05 * ((i as f64) / 37.0).cos())
        .collect();
    let lines = [("Rolling beta (1y)", &dates[..], &beta[..])];
    write(&dir, "lines_zero", (520, 240), |a| {
        if let Err(e) = lines_chart(
            a,
            &LinesChart {
                lines: &lines,
                percent: false,
                zero_line: true,
                markers: &[],
            },
        ) {
            eprintln!("lines_zero: {e}");
        }
    });

    // Sixty holdings, one unnamed series, on a phone-width canvas.
    let many: Vec<String> = (0..60).map(|i| format!("Holding number {i}")).collect();
    let values: Vec<f64> = (0..60)
        .map(|i| ((i * 37 % 60) as f64 - 12.0) / 900.0)
        .collect();
    write(&dir, "bars_many", (360, bar_chart_height(60, 1)), |a| {
        if let Err(e) = bar_chart(
            a,
            &BarChart {
                labels: &many,
                series: &[("", &values[..])],
                percent: true,
            },
        ) {
            eprintln!("bars_many: {e}");
        }
    });

    write(&dir, "histogram_empty", (520, 240), |a| {
        if let Err(e) = histogram(
            a,
            &HistogramChart {
                returns: &[f64::NAN],
                bins: 60,
                var: None,
                cvar: None,
                var_label: "VaR 95%",
                cvar_label: "CVaR 95%",
                normal: None,
            },
        ) {
            eprintln!("histogram_empty: {e}");
        }
    });
}
