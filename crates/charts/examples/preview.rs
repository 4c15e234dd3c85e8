//! Render one example of each risk chart to SVG files for a visual check:
//! `cargo run -p ballast-charts --example preview -- [dir]` (default `/tmp/charts-preview`).

use ballast_charts::{
    bar_chart, bar_chart_height, dendrogram, heatmap, histogram, lines_chart, var_backtest,
    BacktestChart, BarChart, DendrogramChart, HeatmapChart, HistogramChart, LinesChart,
    DENDROGRAM_AXIS_PX,
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

/// A correlation matrix of `n` assets from a factor model: a market factor, `groups` sector
/// factors (the last group loads negatively on the market, like bonds against equities) and
/// idiosyncratic noise, so the matrix has blocks to find. Row-major.
fn factor_correlation(n: usize, groups: usize, seed: u64) -> Vec<f64> {
    let mut s = seed.max(1);
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    // Assets are shuffled over the groups, so the original order shows no blocks.
    let loads: Vec<(usize, f64, f64, f64)> = (0..n)
        .map(|_| {
            let g = (uniform() * groups as f64) as usize % groups.max(1);
            let market = if g + 1 == groups { -0.35 } else { 0.55 } * (0.5 + uniform());
            (g, market, 0.4 + 0.6 * uniform(), 0.3 + 0.7 * uniform())
        })
        .collect();
    let cov = |i: usize, j: usize| {
        let (gi, mi, si, ei) = loads[i];
        let (gj, mj, sj, _) = loads[j];
        mi * mj + if gi == gj { si * sj } else { 0.0 } + if i == j { ei * ei } else { 0.0 }
    };
    let mut rho = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            rho[i * n + j] = cov(i, j) / (cov(i, i) * cov(j, j)).sqrt();
        }
    }
    rho
}

/// Average-linkage clustering of correlation matrix `rho` on the distance √(½(1 − ρ)) in
/// scipy's linkage convention, and the leaf order of the tree (first part of each merge
/// first). Naive O(n³), fine for a preview.
fn average_linkage(rho: &[f64], n: usize) -> (Vec<(usize, usize, f64)>, Vec<usize>) {
    let mut d: Vec<f64> = rho
        .iter()
        .map(|r| (0.5 * (1.0 - r.clamp(-1.0, 1.0))).sqrt())
        .collect();
    // Active clusters: (id, size) in slot i; d[i * n + j] is the distance of slots i and j.
    let mut active: Vec<Option<(usize, usize)>> = (0..n).map(|i| Some((i, 1))).collect();
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    for k in 0..n.saturating_sub(1) {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..n {
            if active[i].is_none() {
                continue;
            }
            for j in i + 1..n {
                if active[j].is_some() && d[i * n + j] < best.0 {
                    best = (d[i * n + j], i, j);
                }
            }
        }
        let (h, i, j) = best;
        let (Some((a, na)), Some((b, nb))) = (active[i], active[j]) else {
            break;
        };
        merges.push((a.min(b), a.max(b), h));
        for m in 0..n {
            if m != i && active[m].is_some() {
                let v = (na as f64 * d[i * n + m] + nb as f64 * d[j * n + m]) / (na + nb) as f64;
                d[i * n + m] = v;
                d[m * n + i] = v;
            }
        }
        active[i] = Some((n + k, na + nb));
        active[j] = None;
    }
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![2 * n - 2];
    while let Some(id) = stack.pop() {
        if id < n {
            order.push(id);
        } else if let Some(&(a, b, _)) = merges.get(id - n) {
            stack.push(b);
            stack.push(a);
        }
    }
    (merges, order)
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
    // The first chart to present closes the SVG document: with several charts in one file,
    // move the closing tag to the end.
    let out = out.replace("</svg>", "") + "</svg>\n";
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

    // Twenty assets: heat map in dendrogram order, the dendrogram beside its rows (to the
    // right of the colour bar), clusters coloured below a cut.
    let names: Vec<String> = [
        "SPY", "QQQ", "IWM", "EFA", "EEM", "VGK", "EWJ", "TLT", "IEF", "SHY", "LQD", "HYG", "GLD",
        "SLV", "USO", "DBC", "VNQ", "XLU", "XLE", "BTC-USD",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let n = names.len();
    let mut rho = factor_correlation(n, 4, 11);
    let (merges, order) = average_linkage(&rho, n);
    // One unknown pair (too little overlapping history): grey.
    rho[3 * n + 19] = f64::NAN;
    rho[19 * n + 3] = f64::NAN;
    write(&dir, "heatmap_dendrogram", (1200, 760), |a| {
        let (left, right) = a.split_horizontally(760);
        match heatmap(
            &left,
            &HeatmapChart {
                labels: &names,
                values: &rho,
                order: &order,
                title_scale: "ρ (Ledoit-Wolf)",
                show_values: true,
            },
        ) {
            Ok(layout) => {
                // The dendrogram's leaf side spans the grid rows plus its axis strip.
                let grid = layout.cell_rect(n - 1, n - 1).map_or(0, |r| r.1 .1) - layout.top;
                let strip = right.margin(layout.top.max(0) as u32, 0, 10, 10);
                let (strip, _) = strip.split_vertically(grid + DENDROGRAM_AXIS_PX as i32);
                if let Err(e) = dendrogram(
                    &strip,
                    &DendrogramChart {
                        labels: &names,
                        merges: &merges,
                        leaf_order: &order,
                        horizontal: true,
                        height_label: "distance √(½(1−ρ))",
                        cut: Some(0.5),
                    },
                ) {
                    eprintln!("dendrogram: {e}");
                }
            }
            Err(e) => eprintln!("heatmap: {e}"),
        }
    });
    write(&dir, "dendrogram_vertical", (960, 360), |a| {
        if let Err(e) = dendrogram(
            a,
            &DendrogramChart {
                labels: &names,
                merges: &merges,
                leaf_order: &order,
                horizontal: false,
                height_label: "distance √(½(1−ρ))",
                cut: None,
            },
        ) {
            eprintln!("dendrogram_vertical: {e}");
        }
    });

    // Six assets with values in the cells, original order.
    let six = &names[..6];
    let rho6: Vec<f64> = (0..36).map(|k| rho[(k / 6) * n + k % 6]).collect();
    write(&dir, "heatmap_values", (560, 420), |a| {
        if let Err(e) = heatmap(
            a,
            &HeatmapChart {
                labels: six,
                values: &rho6,
                order: &[],
                title_scale: "ρ (sample)",
                show_values: true,
            },
        ) {
            eprintln!("heatmap_values: {e}");
        }
    });

    // 500 assets: grid only, in dendrogram order; timed.
    let n = 500;
    let big_names: Vec<String> = (0..n).map(|i| format!("A{i:03}")).collect();
    let big = factor_correlation(n, 9, 5);
    let start = std::time::Instant::now();
    let (big_merges, big_order) = average_linkage(&big, n);
    println!("500-asset clustering (preview only): {:?}", start.elapsed());
    for (name, size) in [
        ("heatmap_500", (1000u32, 760u32)),
        ("heatmap_500_small", (480, 360)),
    ] {
        let start = std::time::Instant::now();
        let mut out = String::new();
        let mut layout = None;
        {
            let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
            match heatmap(
                &root,
                &HeatmapChart {
                    labels: &big_names,
                    values: &big,
                    order: &big_order,
                    title_scale: "ρ (Ledoit-Wolf)",
                    show_values: true,
                },
            ) {
                Ok(l) => layout = Some(l),
                Err(e) => eprintln!("{name}: {e}"),
            }
        }
        let elapsed = start.elapsed();
        let rects = out.matches("<rect").count();
        println!(
            "{name}: {elapsed:?} to SVG, {rects} rectangles, {} bytes, {layout:?}",
            out.len()
        );
        let path = format!("{dir}/{name}.svg");
        if let Err(e) = std::fs::write(&path, out) {
            eprintln!("{path}: {e}");
        }
    }
    write(&dir, "dendrogram_500", (1000, 360), |a| {
        if let Err(e) = dendrogram(
            a,
            &DendrogramChart {
                labels: &big_names,
                merges: &big_merges,
                leaf_order: &big_order,
                horizontal: false,
                height_label: "distance √(½(1−ρ))",
                cut: Some(0.55),
            },
        ) {
            eprintln!("dendrogram_500: {e}");
        }
    });

    // Sixty assets on a phone-width canvas: every other label.
    let sixty = &big_names[..60];
    let rho60: Vec<f64> = (0..3600).map(|k| big[(k / 60) * n + k % 60]).collect();
    write(&dir, "heatmap_60_small", (360, 330), |a| {
        if let Err(e) = heatmap(
            a,
            &HeatmapChart {
                labels: sixty,
                values: &rho60,
                order: &[],
                title_scale: "ρ",
                show_values: true,
            },
        ) {
            eprintln!("heatmap_60_small: {e}");
        }
    });

    write(&dir, "heatmap_empty", (520, 240), |a| {
        if let Err(e) = heatmap(
            a,
            &HeatmapChart {
                labels: &[],
                values: &[],
                order: &[],
                title_scale: "ρ",
                show_values: false,
            },
        ) {
            eprintln!("heatmap_empty: {e}");
        }
    });

    frontier_previews(&dir);
}

use ballast_charts::{frontier_chart, FrontierChart};

/// Efficient frontiers: a mean-variance frontier (a hyperbola in volatility) with its capital
/// market line, in percent, hovering and selecting points; a daily mean-CVaR frontier with
/// negative returns on a phone-width canvas; and the empty state.
fn frontier_previews(dir: &str) {
    let rf = 0.03;
    let curve: Vec<(f64, f64)> = (0..40)
        .map(|i| {
            let mu = 0.045 + 0.1 * f64::from(i) / 39.0;
            ((0.0064 + 2.2 * (mu - 0.05).powi(2)).sqrt(), mu)
        })
        .collect();
    let sharpe = |p: &(f64, f64)| (p.1 - rf) / p.0;
    let best = curve
        .iter()
        .copied()
        .max_by(|a, b| sharpe(a).total_cmp(&sharpe(b)));
    let assets: Vec<(String, f64, f64)> = [
        ("SPY", 0.18, 0.095),
        ("QQQ", 0.24, 0.12),
        ("TLT", 0.15, 0.04),
        ("IEF", 0.07, 0.035),
        ("GLD", 0.16, 0.06),
        ("EEM", 0.23, 0.07),
        ("Vanguard Real Estate Index Fund ETF", 0.21, 0.065),
    ]
    .iter()
    .map(|(s, x, y)| (s.to_string(), *x, *y))
    .collect();
    let min_risk = curve.iter().copied().min_by(|a, b| a.0.total_cmp(&b.0));
    write(dir, "frontier", (960, 460), |a| {
        if let Err(e) = frontier_chart(
            a,
            &FrontierChart {
                x_label: "Volatility (annualised)",
                y_label: "Expected return (annualised)",
                curve: &curve,
                assets: &assets,
                current: Some((0.13, 0.07)),
                min_risk,
                max_sharpe: best,
                cml: best.map(|p| (rf, sharpe(&p))),
                selected: Some(24),
                hovered: Some(30),
                percent: true,
            },
        ) {
            eprintln!("frontier: {e}");
        }
    });

    let daily: Vec<(f64, f64)> = (0..25)
        .map(|i| {
            let mu = -0.0004 + 0.0012 * f64::from(i) / 24.0;
            ((1.2e-4 + 60.0 * (mu - 0.0001).powi(2)).sqrt(), mu)
        })
        .collect();
    let daily_assets: Vec<(String, f64, f64)> = assets
        .iter()
        .map(|(s, x, y)| (s.clone(), x / 8.0, (y - 0.05) / 60.0))
        .collect();
    write(dir, "frontier_cvar_small", (360, 300), |a| {
        if let Err(e) = frontier_chart(
            a,
            &FrontierChart {
                x_label: "CVaR 95% (daily)",
                y_label: "Expected return (daily)",
                curve: &daily,
                assets: &daily_assets,
                current: Some((0.02, 0.0001)),
                min_risk: daily.iter().copied().min_by(|a, b| a.0.total_cmp(&b.0)),
                max_sharpe: None,
                cml: None,
                selected: None,
                hovered: None,
                percent: false,
            },
        ) {
            eprintln!("frontier_cvar_small: {e}");
        }
    });

    write(dir, "frontier_empty", (520, 240), |a| {
        if let Err(e) = frontier_chart(
            a,
            &FrontierChart {
                x_label: "Volatility (annualised)",
                y_label: "Expected return (annualised)",
                curve: &[(f64::NAN, 0.1)],
                assets: &[],
                current: None,
                min_risk: None,
                max_sharpe: None,
                cml: None,
                selected: None,
                hovered: None,
                percent: true,
            },
        ) {
            eprintln!("frontier_empty: {e}");
        }
    });
}
