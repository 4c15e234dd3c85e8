//! The charts drawn to SVG natively: lines and areas are emitted; bad data does not panic.

use ballast_charts::{
    bar_chart, bar_chart_height, correlation_colour, dendrogram, equity_curve, heatmap, histogram,
    lines_chart, underwater, var_backtest, BacktestChart, BarChart, DendrogramChart, EquityChart,
    HeatmapChart, HeatmapLayout, HistogramChart, LinesChart, DENDROGRAM_AXIS_PX,
};
use chrono::NaiveDate;
use plotters::prelude::*;

fn dates(n: usize) -> Vec<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    (0..n)
        .map(|i| start + chrono::Duration::days(i as i64))
        .collect()
}

fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, 300)).into_drawing_area();
        draw(&root);
    }
    out
}

#[test]
fn equity_curve_draws_both_lines() {
    let d = dates(50);
    let p: Vec<f64> = (0..50).map(|i| 1.0 + i as f64 * 0.01).collect();
    let b: Vec<f64> = (0..50)
        .map(|i| 1.0 + (i as f64 * 0.3).sin() * 0.05)
        .collect();
    for log in [false, true] {
        let s = svg(|a| {
            equity_curve(
                a,
                &EquityChart {
                    dates: &d,
                    portfolio: &p,
                    portfolio_label: "Portfolio",
                    benchmark: Some(("SP500", &b)),
                    log_scale: log,
                },
            )
            .expect("draws")
        });
        assert!(
            s.matches("<polyline").count() >= 2,
            "two series lines: {}",
            &s[..s.len().min(400)]
        );
        assert!(
            s.contains("#1F5FA8") || s.contains("#1f5fa8") || s.contains("rgb(31,95,168)"),
            "portfolio colour used"
        );
    }
}

#[test]
fn underwater_draws_an_area() {
    let d = dates(30);
    let dd: Vec<f64> = (0..30)
        .map(|i| -((i as f64 * 0.4).sin().abs()) * 0.2)
        .collect();
    let s = svg(|a| underwater(a, &d, &dd).expect("draws"));
    assert!(
        s.contains("<polygon") || s.contains("<path"),
        "an area is drawn"
    );
}

#[test]
fn empty_constant_and_nan_data_do_not_panic() {
    let d = dates(3);
    let _ = svg(|a| {
        equity_curve(
            a,
            &EquityChart {
                dates: &[],
                portfolio: &[],
                portfolio_label: "P",
                benchmark: None,
                log_scale: false,
            },
        )
        .expect("empty ok")
    });
    let _ = svg(|a| {
        equity_curve(
            a,
            &EquityChart {
                dates: &d,
                portfolio: &[1.0, 1.0, 1.0],
                portfolio_label: "P",
                benchmark: None,
                log_scale: true,
            },
        )
        .expect("constant ok")
    });
    let _ = svg(|a| {
        equity_curve(
            a,
            &EquityChart {
                dates: &d,
                portfolio: &[f64::NAN, 1.0, -1.0],
                portfolio_label: "P",
                benchmark: None,
                log_scale: true,
            },
        )
        .expect("nan ok")
    });
    let _ = svg(|a| underwater(a, &d, &[0.0, 0.0, 0.0]).expect("flat ok"));
    let _ = svg(|a| underwater(a, &[], &[]).expect("empty ok"));
}

// ---- risk charts ----------------------------------------------------------------------

/// Colours of `style.rs`, as the SVG backend writes them.
const BLUE: &str = "#1F5FA8";
const ORANGE: &str = "#E07B22";
const LOSS: &str = "#C0392B";
const LOSS_DARK: &str = "#7B1E16";
const EMPTY: &str = "Not enough data to draw";

/// The opening tags `<tag …>` of `svg` that contain every one of `attrs`.
fn tags<'s>(svg: &'s str, tag: &str, attrs: &[&str]) -> Vec<&'s str> {
    svg.split('<')
        .filter(|t| t.starts_with(tag) && t[tag.len()..].starts_with(' '))
        .map(|t| t.split('>').next().unwrap_or(t))
        .filter(|t| attrs.iter().all(|a| t.contains(a)))
        .collect()
}

/// The texts of `svg`: (opening tag, text).
fn texts(svg: &str) -> Vec<(&str, &str)> {
    svg.split('<')
        .filter(|t| t.starts_with("text "))
        .filter_map(|t| t.split_once('>'))
        .map(|(tag, text)| (tag, text.trim()))
        .collect()
}

fn has_text(svg: &str, text: &str) -> bool {
    texts(svg).iter().any(|t| t.1 == text)
}

/// Whether some text (an axis label) ends in `%`.
fn has_percent_label(svg: &str) -> bool {
    texts(svg).iter().any(|t| t.1.ends_with('%'))
}

fn fill(colour: &str) -> String {
    format!("fill=\"{colour}\"")
}

fn stroke(colour: &str) -> String {
    format!("stroke=\"{colour}\"")
}

/// The value of attribute `name` of a tag, as a number.
fn attr(tag: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    tag.split(&key)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The points of a polyline tag.
fn points(tag: &str) -> Vec<(f64, f64)> {
    tag.split("points=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// Pseudo-random returns around 0 with a 1% spread (a fixed xorshift sequence).
fn noise(n: usize) -> Vec<f64> {
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            let mut u = 0.0;
            for _ in 0..4 {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                u += (s >> 11) as f64 / (1u64 << 53) as f64;
            }
            (u - 2.0) * 0.017
        })
        .collect()
}

/// Writes `svg` to `$BALLAST_CHARTS_PREVIEW/name.svg` when that variable names a directory.
fn preview(name: &str, svg: &str) {
    if let Ok(dir) = std::env::var("BALLAST_CHARTS_PREVIEW") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(format!("{dir}/{name}.svg"), svg);
    }
}

fn hist(returns: &[f64], bins: usize, var: Option<f64>, normal: Option<(f64, f64)>) -> String {
    svg(|a| {
        histogram(
            a,
            &HistogramChart {
                returns,
                bins,
                var,
                cvar: var.map(|v| v * 1.3),
                var_label: "VaR 95%",
                cvar_label: "CVaR 95%",
                normal,
            },
        )
        .expect("draws")
    })
}

#[test]
fn histogram_draws_one_bar_per_occupied_bin() {
    // Bins of 0.8% from -2% to 2%: 1, 2, 3, 2, 1 returns.
    let r = [-0.02, -0.01, -0.01, 0.0, 0.0, 0.0, 0.01, 0.01, 0.02];
    let s = hist(&r, 5, None, None);
    let bars = tags(&s, "rect", &[&fill(BLUE)]);
    assert_eq!(bars.len(), 5, "five bars: {bars:?}");
    let heights: Vec<f64> = bars.iter().map(|b| attr(b, "height")).collect();
    assert!(
        (heights[2] / heights[0] - 3.0).abs() < 0.05
            && (heights[1] / heights[0] - 2.0).abs() < 0.05,
        "bar heights follow the counts 1, 2, 3: {heights:?}"
    );
    assert!(
        tags(&s, "rect", &[&fill(LOSS)]).is_empty(),
        "no VaR, no tail"
    );
    assert!(!s.contains("VaR"), "no VaR, no legend");
}

#[test]
fn histogram_colours_the_tail_beyond_var_and_draws_the_lines_and_legend() {
    let r = [-0.02, -0.01, -0.01, 0.0, 0.0, 0.0, 0.01, 0.01, 0.02];
    // VaR 1% falls inside the second bin [-1.2%, -0.4%): the first bin and part of the
    // second are tail.
    let s = hist(&r, 5, Some(0.01), Some((0.0, 0.01)));
    assert_eq!(tags(&s, "rect", &[&fill(LOSS)]).len(), 2, "tail bars");
    assert_eq!(tags(&s, "rect", &[&fill(BLUE)]).len(), 4, "body bars");
    for label in ["VaR 95%", "CVaR 95%", "Normal fit"] {
        assert!(s.contains(label), "legend has {label}");
    }
    // The CVaR line (and its legend mark) in the dark loss colour; the VaR line dashed in
    // the loss colour (many short pieces); the normal density a smooth orange curve.
    assert_eq!(tags(&s, "polyline", &[&stroke(LOSS_DARK)]).len(), 2);
    assert!(
        tags(&s, "polyline", &[&stroke(LOSS)]).len() > 4,
        "dashed VaR line"
    );
    let curve = tags(&s, "polyline", &[&stroke(ORANGE)]);
    assert!(curve.iter().any(|c| points(c).len() > 50), "normal density");
    preview("histogram", &s);
}

#[test]
fn histogram_x_range_ignores_extreme_outliers_but_keeps_the_var_lines() {
    let mut r = noise(5000);
    r[10] = -0.6; // a crash far outside everything else
    let s = hist(&r, 60, Some(0.04), Some((0.0, 0.01)));
    assert!(has_text(&s, "-2%"), "labels near the data");
    for far in ["-60%", "-50%", "-40%", "-30%", "-20%"] {
        assert!(!has_text(&s, far), "axis not stretched to {far}");
    }
    // -CVaR = -5.2% is on the axis even though no return is near it.
    let dark = tags(&s, "polyline", &[&stroke(LOSS_DARK)]);
    assert!(!dark.is_empty(), "CVaR line drawn");
}

#[test]
fn histogram_clamps_the_number_of_bins() {
    let r = noise(2000);
    let many = hist(&r, 100_000, None, None);
    assert!(tags(&many, "rect", &[&fill(BLUE)]).len() <= 200);
    let few = hist(&r, 0, None, None);
    let n = tags(&few, "rect", &[&fill(BLUE)]).len();
    assert!((1..=5).contains(&n), "at least five bins wide: {n}");
}

#[test]
fn histogram_of_empty_nan_single_or_constant_returns_draws_the_empty_state() {
    for r in [
        &[][..],
        &[f64::NAN; 5][..],
        &[0.01][..],
        &[f64::INFINITY, 0.01][..],
    ] {
        let s = hist(r, 60, Some(0.02), Some((0.0, 0.01)));
        assert!(s.contains(EMPTY), "{r:?}");
        assert!(tags(&s, "rect", &[&fill(BLUE)]).is_empty());
    }
    let s = hist(&[0.003; 10], 60, Some(0.02), None);
    assert!(s.contains("All returns are equal"));
    // Nonsense parameters draw the histogram without them.
    let s = hist(&noise(100), 60, Some(f64::NAN), Some((f64::NAN, -1.0)));
    assert!(!tags(&s, "rect", &[&fill(BLUE)]).is_empty());
    assert!(!s.contains("Normal fit"));
    let s = hist(&[-1e308, 1e308, 0.0], 60, Some(f64::MAX), None);
    assert!(s.contains(EMPTY), "an axis that overflows is not drawn");
}

fn backtest(d: &[NaiveDate], r: &[f64], var: &[f64], hits: &[bool]) -> String {
    svg(|a| {
        var_backtest(
            a,
            &BacktestChart {
                dates: d,
                returns: r,
                var,
                hits,
                var_label: "Historical VaR 99% (250-day window)",
            },
        )
        .expect("draws")
    })
}

#[test]
fn backtest_marks_each_exceedance_with_a_red_circle() {
    let n = 400;
    let d = dates(n);
    let r = noise(n);
    let var: Vec<f64> = (0..n)
        .map(|i| if i < 50 { f64::NAN } else { 0.015 })
        .collect();
    let hits: Vec<bool> = r.iter().zip(&var).map(|(r, v)| *r < -v).collect();
    let k = hits.iter().filter(|h| **h).count();
    assert!(k > 3, "the sample has exceedances: {k}");
    let s = backtest(&d, &r, &var, &hits);
    let dots = tags(&s, "circle", &[&fill(LOSS), "r=\"3\""]);
    assert_eq!(dots.len(), k, "one radius-3 dot per exceedance");
    assert_eq!(
        tags(&s, "circle", &[]).len(),
        k + 1,
        "plus the legend's dot"
    );
    assert!(s.contains("Historical VaR 99% (250-day window)"));
    assert!(s.contains(&format!("Exceedances ({k})")));
    assert!(has_percent_label(&s), "y labels in percent");
    // Each dot sits below the VaR line: larger y in pixels than the line at -2%.
    let line = tags(&s, "polyline", &[&stroke(LOSS), "stroke-width=\"2\""]);
    let line_y = line
        .iter()
        .map(|l| points(l))
        .find(|p| p.len() > 2)
        .and_then(|p| p.first().copied())
        .map_or(f64::NAN, |p| p.1);
    assert!(
        dots.iter().all(|c| attr(c, "cy") > line_y),
        "dots below -VaR"
    );
    preview("backtest", &s);
}

#[test]
fn backtest_draws_thousands_of_returns_as_one_path() {
    let n = 8000;
    let d = dates(n);
    let r = noise(n);
    let mut var = vec![0.025; n];
    var[4000] = f64::NAN; // a missing forecast breaks the line in two
    let hits: Vec<bool> = r.iter().zip(&var).map(|(r, v)| *r < -v).collect();
    let start = std::time::Instant::now();
    let s = backtest(&d, &r, &var, &hits);
    let grey = tags(&s, "polyline", &[&stroke("#9AA3AD"), "stroke-width=\"1\""]);
    assert_eq!(grey.len(), 1, "returns in one polyline");
    assert_eq!(points(grey[0]).len(), 3 * n, "down to each return and back");
    let var_lines: Vec<_> = tags(&s, "polyline", &[&stroke(LOSS)])
        .into_iter()
        .filter(|l| points(l).len() > 2)
        .collect();
    assert_eq!(
        var_lines.len(),
        2,
        "the VaR line breaks at the missing forecast"
    );
    assert!(start.elapsed().as_secs() < 5, "fast enough");
}

#[test]
fn backtest_with_too_little_data_draws_the_empty_state() {
    let d = dates(3);
    let nan = [f64::NAN; 3];
    let s = backtest(&d, &nan, &[0.01; 3], &[true; 3]);
    assert!(s.contains(EMPTY), "all-NaN returns");
    let s = backtest(&d[..1], &[-0.05], &[0.01], &[true]);
    assert!(s.contains(EMPTY), "a single day");
    let s = backtest(&[], &[], &[], &[]);
    assert!(s.contains(EMPTY), "empty");
    // Constant returns, short or missing VaR and hit slices: drawn, no panic.
    let s = backtest(&d, &[0.0; 3], &[], &[true]);
    assert!(!s.contains(EMPTY));
    assert_eq!(tags(&s, "circle", &[&fill(LOSS), "r=\"3\""]).len(), 1);
    let s = backtest(&d, &[0.01, -0.02, 0.0], &nan, &[false; 3]);
    assert!(!s.contains("VaR 99%"), "no forecast, no VaR legend");
}

fn bars(labels: &[String], series: &[(&str, &[f64])], percent: bool) -> String {
    svg(|a| {
        bar_chart(
            a,
            &BarChart {
                labels,
                series,
                percent,
            },
        )
        .expect("draws")
    })
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn bar_chart_draws_one_bar_per_finite_value_and_label() {
    let labels = names(&["SPY", "TLT", "GLD", "A very long holding name that goes on"]);
    let w = [0.4, 0.3, 0.2, 0.1];
    let rc = [0.6, -0.1, f64::NAN, 0.5];
    let s = bars(&labels, &[("Weight", &w), ("Risk contribution", &rc)], true);
    // Series bars plus one legend box each.
    assert_eq!(tags(&s, "rect", &[&fill(BLUE)]).len(), 4 + 1);
    assert_eq!(tags(&s, "rect", &[&fill(ORANGE)]).len(), 3 + 1);
    for text in ["SPY", "TLT", "GLD", "Weight", "Risk contribution", "10%"] {
        assert!(has_text(&s, text), "has text {text}");
    }
    assert!(
        s.contains("A very long holding nam…"),
        "long label shortened"
    );
    // Rows top to bottom in the given order.
    let y = |label: &str| {
        texts(&s)
            .iter()
            .find(|t| t.1 == label)
            .map_or(f64::NAN, |t| attr(t.0, "y"))
    };
    assert!(y("SPY") < y("TLT") && y("TLT") < y("GLD"), "SPY on top");
    // The negative bar ends where the positive ones start: at zero.
    let orange = tags(&s, "rect", &[&fill(ORANGE)]);
    let zero = attr(orange[1], "x"); // the first row's positive bar (after the legend box)
    let negative = orange[1..]
        .iter()
        .find(|r| attr(r, "x") < zero)
        .expect("a bar left of zero");
    assert!((attr(negative, "x") + attr(negative, "width") - zero).abs() <= 1.0);
    preview("bars", &s);
}

#[test]
fn bar_chart_labels_plain_numbers_when_not_percent() {
    let labels = names(&["Sharpe", "Sortino"]);
    let s = bars(&labels, &[("", &[1.2, -0.4])], false);
    assert!(!has_percent_label(&s), "no percent labels");
    assert!(
        has_text(&s, "0.5") || has_text(&s, "0.2"),
        "plain number labels"
    );
    assert_eq!(
        tags(&s, "rect", &[&fill(BLUE)]).len(),
        2,
        "no legend for an unnamed series"
    );
}

#[test]
fn bar_chart_handles_sixty_labels_and_suggests_a_height() {
    let labels: Vec<String> = (0..60).map(|i| format!("Asset {i}")).collect();
    let v: Vec<f64> = (0..60).map(|i| (i as f64 - 20.0) / 400.0).collect();
    let h = bar_chart_height(60, 1);
    assert!(h >= 60 * 16, "room for sixty rows: {h}");
    assert!(bar_chart_height(10, 3) > bar_chart_height(10, 1));
    assert!(bar_chart_height(0, 0) >= 120);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, h)).into_drawing_area();
        bar_chart(
            &root,
            &BarChart {
                labels: &labels,
                series: &[("Weight", &v)],
                percent: true,
            },
        )
        .expect("draws");
    }
    assert_eq!(tags(&out, "rect", &[&fill(BLUE)]).len(), 60 + 1);
    assert!(has_text(&out, "Asset 0") && has_text(&out, "Asset 59"));
}

#[test]
fn bar_chart_with_no_labels_or_no_finite_values_draws_the_empty_state() {
    assert!(bars(&[], &[("W", &[])], true).contains(EMPTY));
    assert!(bars(&names(&["A"]), &[], true).contains(EMPTY));
    assert!(bars(&names(&["A", "B"]), &[("W", &[f64::NAN, f64::NAN])], true).contains(EMPTY));
    // A short series or all-zero values: drawn without panicking.
    let s = bars(&names(&["A", "B", "C"]), &[("W", &[0.0])], true);
    assert!(!s.contains(EMPTY));
    let s = bars(&names(&["A"]), &[("W", &[0.25])], false);
    assert_eq!(tags(&s, "rect", &[&fill(BLUE)]).len(), 2);
}

fn lines(lines: &[(&str, &[NaiveDate], &[f64])], markers: &[NaiveDate], zero: bool) -> String {
    svg(|a| {
        lines_chart(
            a,
            &LinesChart {
                lines,
                percent: true,
                zero_line: zero,
                markers,
            },
        )
        .expect("draws")
    })
}

#[test]
fn lines_chart_breaks_lines_at_nan_and_spans_the_union_of_dates() {
    let d = dates(100);
    let a: Vec<f64> = (0..60)
        .map(|i| {
            if i == 30 {
                f64::NAN
            } else {
                0.1 + i as f64 * 0.001
            }
        })
        .collect();
    let b: Vec<f64> = (0..60).map(|i| 0.2 - i as f64 * 0.001).collect();
    // Line A on days 0..60, line B on days 40..100.
    let s = lines(
        &[
            ("Portfolio vol", &d[..60], &a),
            ("Benchmark vol", &d[40..], &b),
        ],
        &[],
        false,
    );
    let blue: Vec<Vec<(f64, f64)>> = tags(&s, "polyline", &[&stroke(BLUE), "stroke-width=\"2\""])
        .iter()
        .map(|t| points(t))
        .collect();
    assert_eq!(blue.len(), 2, "line A in two pieces around its NaN");
    let orange: Vec<Vec<(f64, f64)>> =
        tags(&s, "polyline", &[&stroke(ORANGE), "stroke-width=\"2\""])
            .iter()
            .map(|t| points(t))
            .collect();
    assert_eq!(orange.len(), 1);
    let a_first = blue[0].first().map_or(f64::NAN, |p| p.0);
    let b_first = orange[0].first().map_or(f64::NAN, |p| p.0);
    let b_last = orange[0].last().map_or(f64::NAN, |p| p.0);
    let a_last = blue[1].last().map_or(f64::NAN, |p| p.0);
    assert!(
        a_first < b_first && a_last < b_last,
        "A starts and ends first"
    );
    assert!(
        a_first < 80.0 && b_last > 760.0,
        "x axis spans both lines: {a_first} {b_last}"
    );
    assert!(s.contains("Portfolio vol") && s.contains("Benchmark vol"));
    assert!(has_percent_label(&s), "percent labels");
    preview("lines", &s);
}

#[test]
fn lines_chart_draws_zero_line_and_markers_in_range() {
    let d = dates(100);
    let v: Vec<f64> = (0..100).map(|i| (i as f64 / 10.0).sin()).collect();
    let before = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let without = lines(&[("Beta", &d, &v)], &[], false);
    let with = lines(&[("Beta", &d, &v)], &[d[20], d[70], before], true);
    let muted = |s: &str| tags(s, "polyline", &[&stroke("#555F6B")]).len();
    assert!(
        muted(&with) > muted(&without) + 2,
        "zero line and dashed markers"
    );
    let marker_pieces = tags(&with, "polyline", &[&stroke("#555F6B"), "opacity=\"0.7\""]);
    assert!(marker_pieces.len() > 4, "markers dashed");
    let xs: std::collections::BTreeSet<i64> = marker_pieces
        .iter()
        .filter_map(|p| points(p).first().map(|q| q.0 as i64))
        .collect();
    assert_eq!(
        xs.len(),
        2,
        "two markers in range, the one before the data left out"
    );
}

#[test]
fn lines_chart_with_too_little_data_draws_the_empty_state() {
    let d = dates(3);
    assert!(lines(&[], &[], true).contains(EMPTY));
    assert!(lines(&[("A", &d, &[f64::NAN; 3])], &[], true).contains(EMPTY));
    assert!(lines(&[("A", &d[..1], &[0.1])], &[], false).contains(EMPTY));
    assert!(lines(&[("A", &d, &[])], &[], false).contains(EMPTY));
    // Constant, isolated and mismatched-length lines: drawn without panicking.
    let s = lines(&[("A", &d, &[0.2; 3])], &[d[1]], false);
    assert!(!s.contains(EMPTY));
    let d = dates(5);
    let s = lines(&[("A", &d, &[0.1, f64::NAN, 0.3, 0.4, 0.5])], &[], true);
    assert_eq!(
        tags(&s, "circle", &[&fill(BLUE)]).len(),
        1,
        "a lone value is a dot"
    );
}

// ---- correlation charts ---------------------------------------------------------------

const GREY: &str = "#B4B4B4";
const LINK: &str = "#3D4652";

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn svg_sized(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>),
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root);
    }
    out
}

fn heat(
    size: (u32, u32),
    labels: &[String],
    values: &[f64],
    order: &[usize],
    show_values: bool,
) -> (String, HeatmapLayout) {
    let mut layout = None;
    let s = svg_sized(size, |a| {
        layout = Some(
            heatmap(
                a,
                &HeatmapChart {
                    labels,
                    values,
                    order,
                    title_scale: "ρ (Ledoit-Wolf)",
                    show_values,
                },
            )
            .expect("draws"),
        )
    });
    (s, layout.expect("a layout"))
}

/// The filled rectangles of `svg` inside the heat map's grid: (x, y, width, height, fill).
fn cells(svg: &str, l: &HeatmapLayout) -> Vec<(i32, i32, i32, i32, String)> {
    let size = l.cell_rect(l.n - 1, l.n - 1).map_or(0, |r| r.1 .0) - l.left;
    tags(svg, "rect", &[])
        .into_iter()
        .filter(|t| !t.contains("fill=\"none\""))
        .map(|t| {
            let fill = t
                .split("fill=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_string();
            let v = |name| attr(t, name) as i32;
            (v("x"), v("y"), v("width"), v("height"), fill)
        })
        .filter(|(x, y, _, _, _)| {
            (l.left..l.left + size).contains(x) && (l.top..l.top + size).contains(y)
        })
        .collect()
}

/// A symmetric n × n matrix with 1 on the diagonal and a different value for every pair.
fn distinct_matrix(n: usize) -> Vec<f64> {
    let mut v = vec![1.0; n * n];
    let mut k = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            k += 1.0;
            let rho = -0.95 + 1.9 * ((k * 0.618_034) % 1.0);
            v[i * n + j] = rho;
            v[j * n + i] = rho;
        }
    }
    v
}

#[test]
fn heatmap_draws_one_square_per_cell_where_the_layout_says() {
    let n = 5;
    let labels = names(&["SPY", "TLT", "GLD", "EEM", "BTC-USD"]);
    let v = distinct_matrix(n);
    let order = [3, 1, 4, 0, 2];
    let (s, l) = heat((800, 500), &labels, &v, &order, false);
    assert_eq!(l.n, n);
    let drawn = cells(&s, &l);
    assert_eq!(drawn.len(), n * n, "one rectangle per cell: {drawn:?}");
    for (x, y, w, h, fill) in &drawn {
        assert!(
            (w - h).abs() <= 1 && (*w as f64 - l.cell).abs() <= 1.0,
            "square cells"
        );
        let (r, c) = l
            .cell_at(x + w / 2, y + h / 2)
            .expect("the centre is in the grid");
        assert_eq!(l.cell_rect(r, c), Some(((*x, *y), (x + w, y + h))));
        // The cell shows ρ of the pair in display order.
        assert_eq!(*fill, hex(correlation_colour(v[order[r] * n + order[c]])));
        // Corners of the cell map back to it too.
        assert_eq!(l.cell_at(*x, *y), Some((r, c)));
        assert_eq!(l.cell_at(x + w - 1, y + h - 1), Some((r, c)));
    }
    let end = l.cell_rect(n - 1, n - 1).map_or(0, |r| r.1 .0);
    assert_eq!(l.cell_at(l.left - 1, l.top), None);
    assert_eq!(l.cell_at(l.left, l.top - 1), None);
    assert_eq!(l.cell_at(end, l.top), None, "right of the grid");
    assert_eq!(
        l.cell_at(l.left, l.top + end - l.left),
        None,
        "below the grid"
    );
    assert_eq!(l.cell_rect(n, 0), None);
    // Labels on the left and on top, in display order, and the colour bar's ticks.
    for t in [
        "SPY", "TLT", "GLD", "EEM", "BTC-USD", "-1", "-0.5", "0", "0.5", "1",
    ] {
        assert!(has_text(&s, t), "has text {t}");
    }
    assert!(s.contains("ρ (Ledoit-Wolf)"));
    let left_y = |label: &str| {
        texts(&s)
            .iter()
            .filter(|t| t.1 == label)
            .map(|t| attr(t.0, "y"))
            .fold(f64::NAN, f64::max)
    };
    assert!(left_y("EEM") < left_y("TLT") && left_y("TLT") < left_y("BTC-USD"));
    // The colour bar: deep blue at the top, deep red at the bottom.
    assert!(s.contains(&fill(&hex(correlation_colour(-1.0)))));
    assert!(s.contains(&fill(&hex(correlation_colour(1.0)))));
    preview("heatmap", &s);
}

#[test]
fn heatmap_puts_each_pair_in_its_display_cell() {
    // A 3 × 3 matrix with one distinctive pair: (A, C) at -0.9.
    let labels = names(&["A", "B", "C"]);
    let mut v = vec![1.0, 0.3, -0.9, 0.3, 1.0, 0.2, -0.9, 0.2, 1.0];
    let red = hex(correlation_colour(-0.9));
    let red_cells = |s: &str, l: &HeatmapLayout| -> Vec<(usize, usize)> {
        let mut at: Vec<(usize, usize)> = cells(s, l)
            .iter()
            .filter(|c| c.4 == red)
            .filter_map(|(x, y, w, h, _)| l.cell_at(x + w / 2, y + h / 2))
            .collect();
        at.sort();
        at
    };
    // Display order C, A, B: the pair sits at display (0, 1) and (1, 0).
    let (s, l) = heat((600, 400), &labels, &v, &[2, 0, 1], false);
    assert_eq!(red_cells(&s, &l), vec![(0, 1), (1, 0)]);
    let y = |label: &str| {
        texts(&s)
            .iter()
            .filter(|t| t.1 == label && !t.0.contains("rotate"))
            .map(|t| attr(t.0, "y"))
            .next()
            .unwrap_or(f64::NAN)
    };
    assert!(y("C") < y("A") && y("A") < y("B"), "rows C, A, B");
    // Not a permutation (wrong length, repeated, out of range): the original order.
    for order in [&[0, 1][..], &[0, 0, 1][..], &[0, 1, 5][..], &[][..]] {
        let (s, l) = heat((600, 400), &labels, &v, order, false);
        assert_eq!(red_cells(&s, &l), vec![(0, 2), (2, 0)], "{order:?}");
    }
    // An unknown pair is grey.
    v[1] = f64::NAN;
    v[3] = f64::NAN;
    let (s, l) = heat((600, 400), &labels, &v, &[0, 1, 2], true);
    let grey: Vec<(usize, usize)> = cells(&s, &l)
        .iter()
        .filter(|c| c.4 == GREY)
        .filter_map(|(x, y, w, h, _)| l.cell_at(x + w / 2, y + h / 2))
        .collect();
    assert_eq!(grey, vec![(0, 1), (1, 0)]);
    // Values in the (large) cells, none in the grey ones.
    assert_eq!(texts(&s).iter().filter(|t| t.1 == "1.00").count(), 3);
    assert_eq!(texts(&s).iter().filter(|t| t.1 == "-0.90").count(), 2);
    assert_eq!(texts(&s).iter().filter(|t| t.1 == "0.20").count(), 2);
    assert!(texts(&s).iter().all(|t| !t.1.contains("NaN")));
}

#[test]
fn heatmap_writes_values_only_in_large_cells() {
    let labels: Vec<String> = (0..20).map(|i| format!("S{i}")).collect();
    let v = distinct_matrix(20);
    let (s, l) = heat((800, 300), &labels, &v, &[], true);
    assert!(l.cell < 28.0);
    assert!(!has_text(&s, "1.00"), "cells too small for values");
    let (s, l) = heat((1000, 700), &labels, &v, &[], true);
    assert!(l.cell >= 28.0, "{l:?}");
    assert_eq!(texts(&s).iter().filter(|t| t.1 == "1.00").count(), 20);
    let (s, _) = heat((1000, 700), &labels, &v, &[], false);
    assert!(!has_text(&s, "1.00"), "not asked");
}

#[test]
fn heatmap_of_many_assets_skips_labels_and_covers_the_grid() {
    let n = 200;
    let labels: Vec<String> = (0..n).map(|i| format!("Asset {i}")).collect();
    let v = distinct_matrix(n);
    let order: Vec<usize> = (0..n).rev().collect();
    let start = std::time::Instant::now();
    let (s, l) = heat((900, 800), &labels, &v, &order, true);
    assert!(start.elapsed().as_secs() < 5, "fast enough");
    assert!(!has_text(&s, "Asset 0"), "no labels beyond 60 assets");
    assert!(has_text(&s, "0.5"), "the colour bar stays");
    let drawn = cells(&s, &l);
    assert!(drawn.len() <= n * n && drawn.len() > n * n / 2);
    let area: i32 = drawn.iter().map(|c| c.2 * c.3).sum();
    let side = l.cell_rect(n - 1, n - 1).map_or(0, |r| r.1 .0) - l.left;
    assert_eq!(area, side * side, "the rectangles tile the grid");
    // Cells narrower than a pixel: every pixel of the grid belongs to the cell drawn there.
    let (s, l) = heat((300, 220), &labels, &v, &order, false);
    assert!(l.cell < 1.0, "{l:?}");
    let drawn = cells(&s, &l);
    for (x, y, w, h, colour) in drawn.iter().step_by(97) {
        for (px, py) in [(*x, *y), (x + w - 1, y + h - 1)] {
            let (r, c) = l.cell_at(px, py).expect("in the grid");
            assert_eq!(*colour, hex(correlation_colour(v[order[r] * n + order[c]])));
        }
    }
}

#[test]
fn heatmap_with_no_or_mismatched_data_draws_the_empty_state() {
    let labels = names(&["A", "B"]);
    for (labels, values) in [
        (&[][..], &[][..]),
        (&labels[..], &[1.0, 0.5, 0.5][..]),
        (&labels[..], &[][..]),
    ] {
        let (s, l) = heat((600, 300), labels, values, &[], true);
        assert!(s.contains(EMPTY), "{values:?}");
        assert_eq!(l.n, 0);
        assert_eq!(l.cell_at(300, 150), None);
    }
    // All unknown or absurd values and a tiny canvas: no panic.
    let (s, l) = heat((600, 300), &labels, &[f64::NAN; 4], &[1, 0], true);
    assert_eq!(cells(&s, &l).len(), 2, "two grey runs");
    let (s, _) = heat(
        (600, 300),
        &labels,
        &[f64::INFINITY, -7.0, 1e300, 0.0],
        &[],
        true,
    );
    assert!(!s.contains(EMPTY));
    let (s, l) = heat((40, 30), &labels, &[1.0, 0.5, 0.5, 1.0], &[], true);
    assert!(s.contains("Not enough room"));
    assert_eq!(l.cell_at(5, 5), None);
}

fn dendro(
    size: (u32, u32),
    labels: &[String],
    merges: &[(usize, usize, f64)],
    leaf_order: &[usize],
    horizontal: bool,
    cut: Option<f64>,
) -> String {
    svg_sized(size, |a| {
        dendrogram(
            a,
            &DendrogramChart {
                labels,
                merges,
                leaf_order,
                horizontal,
                height_label: "distance √(½(1−ρ))",
                cut,
            },
        )
        .expect("draws")
    })
}

/// (A, B) at 0.2, (C, D) at 0.3, both at 0.7.
const FOUR: [(usize, usize, f64); 3] = [(0, 1, 0.2), (2, 3, 0.3), (4, 5, 0.7)];

/// The U-shaped links of a dendrogram SVG (polylines of four points) drawn in `colour`.
fn links(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
    tags(svg, "polyline", &[&stroke(colour)])
        .iter()
        .map(|t| points(t))
        .filter(|p| p.len() == 4)
        .collect()
}

#[test]
fn dendrogram_draws_one_u_link_per_merge_both_ways() {
    let labels = names(&["A", "B", "C", "D"]);
    // Vertical: leaves along the bottom, heights upwards.
    let s = dendro((600, 300), &labels, &FOUR, &[0, 1, 2, 3], false, None);
    let l = links(&s, LINK);
    assert_eq!(l.len(), 3, "three U-links: {l:?}");
    for u in &l {
        // Up from the first part, across, down to the second.
        assert!(u[0].0 == u[1].0 && u[1].1 == u[2].1 && u[2].0 == u[3].0);
        assert!(
            u[1].1 < u[0].1 && u[2].1 < u[3].1,
            "the bar is above its parts"
        );
    }
    let (ab, cd, root) = (&l[0], &l[1], &l[2]);
    assert!(
        root[1].1 < cd[1].1 && cd[1].1 < ab[1].1,
        "higher merges higher"
    );
    assert_eq!(root[0].1, ab[1].1, "the root starts at the (A, B) bar");
    assert!(
        ab[0].0 < ab[3].0 && ab[3].0 < cd[0].0,
        "leaves A, B, C, D left to right"
    );
    // Leaves centred in equal slots right of the axis strip.
    let slot = (600.0 - f64::from(DENDROGRAM_AXIS_PX)) / 4.0;
    let a_x = f64::from(DENDROGRAM_AXIS_PX) + slot / 2.0;
    assert!((ab[0].0 - a_x).abs() <= 1.0, "{} vs {a_x}", ab[0].0);
    for t in ["A", "B", "C", "D", "distance √(½(1−ρ))", "0", "0.5"] {
        assert!(has_text(&s, t), "has text {t}");
    }
    preview("dendrogram", &s);

    // Horizontal: leaves on the left from the top, heights to the right.
    let s = dendro(
        (500, 4 * 50 + DENDROGRAM_AXIS_PX),
        &labels,
        &FOUR,
        &[0, 1, 2, 3],
        true,
        None,
    );
    let l = links(&s, LINK);
    assert_eq!(l.len(), 3);
    for u in &l {
        assert!(u[0].1 == u[1].1 && u[1].0 == u[2].0 && u[2].1 == u[3].1);
        assert!(
            u[1].0 > u[0].0 && u[2].0 > u[3].0,
            "the bar is right of its parts"
        );
    }
    let (ab, cd, root) = (&l[0], &l[1], &l[2]);
    assert!(root[1].0 > cd[1].0 && cd[1].0 > ab[1].0);
    let leaf_ys = [ab[0].1, ab[3].1, cd[0].1, cd[3].1];
    assert_eq!(
        leaf_ys,
        [25.0, 75.0, 125.0, 175.0],
        "one 50-pixel row per leaf"
    );
    preview("dendrogram_horizontal", &s);
}

#[test]
fn dendrogram_follows_the_leaf_order() {
    let labels = names(&["A", "B", "C", "D"]);
    let x = |s: &str, label: &str| {
        texts(s)
            .iter()
            .find(|t| t.1 == label)
            .map_or(f64::NAN, |t| attr(t.0, "x"))
    };
    let s = dendro((600, 300), &labels, &FOUR, &[3, 2, 1, 0], false, None);
    assert!(x(&s, "D") < x(&s, "C") && x(&s, "C") < x(&s, "B") && x(&s, "B") < x(&s, "A"));
    assert_eq!(links(&s, LINK).len(), 3);
    // Not a permutation: the tree's own order (first part of each merge first).
    for order in [
        &[][..],
        &[0, 1, 2][..],
        &[0, 0, 1, 2][..],
        &[0, 1, 2, 9][..],
    ] {
        let s = dendro((600, 300), &labels, &FOUR, order, false, None);
        assert_eq!(links(&s, LINK).len(), 3);
        assert!(x(&s, "A") < x(&s, "B") && x(&s, "B") < x(&s, "C") && x(&s, "C") < x(&s, "D"));
    }
}

#[test]
fn dendrogram_cut_draws_a_dashed_line_and_colours_the_clusters_below_it() {
    let labels = names(&["A", "B", "C", "D"]);
    for horizontal in [false, true] {
        let s = dendro(
            (600, 300),
            &labels,
            &FOUR,
            &[0, 1, 2, 3],
            horizontal,
            Some(0.5),
        );
        let dashes = tags(&s, "polyline", &[&stroke(LOSS)]);
        assert!(dashes.len() > 5, "dashed cut line: {}", dashes.len());
        // (A, B) and (C, D) are below the cut: one colour each; the root above it.
        assert_eq!(links(&s, BLUE).len(), 1);
        assert_eq!(links(&s, ORANGE).len(), 1);
        assert_eq!(links(&s, LINK).len(), 1);
        let none = dendro((600, 300), &labels, &FOUR, &[0, 1, 2, 3], horizontal, None);
        assert!(
            tags(&none, "polyline", &[&stroke(LOSS)]).is_empty(),
            "no cut, no line"
        );
    }
    // A cut above everything: one cluster; a non-finite cut: none.
    let s = dendro((600, 300), &labels, &FOUR, &[], false, Some(2.0));
    assert_eq!(links(&s, BLUE).len(), 3);
    let s = dendro((600, 300), &labels, &FOUR, &[], false, Some(f64::NAN));
    assert_eq!(links(&s, LINK).len(), 3);
    assert!(tags(&s, "polyline", &[&stroke(LOSS)]).is_empty());
}

#[test]
fn dendrogram_of_invalid_linkage_draws_the_empty_state() {
    let labels = names(&["A", "B", "C", "D"]);
    let bad: [&[(usize, usize, f64)]; 7] = [
        &[],
        &FOUR[..2],                                            // too few merges
        &[(0, 1, 0.2), (2, 3, 0.3), (4, 5, 0.7), (6, 0, 0.9)], // too many
        &[(0, 1, 0.2), (2, 7, 0.3), (4, 5, 0.7)],              // id out of range
        &[(0, 1, 0.2), (1, 3, 0.3), (4, 5, 0.7)],              // a leaf merged twice
        &[(0, 0, 0.2), (2, 3, 0.3), (4, 5, 0.7)],              // a leaf merged with itself
        &[(0, 1, f64::NAN), (2, 3, 0.3), (4, 5, 0.7)],         // unknown height
    ];
    for merges in bad {
        for horizontal in [false, true] {
            let s = dendro(
                (600, 300),
                &labels,
                merges,
                &[0, 1, 2, 3],
                horizontal,
                Some(0.5),
            );
            assert!(s.contains("Cannot draw this clustering"), "{merges:?}");
            assert!(links(&s, LINK).is_empty());
        }
    }
    // A cluster used before it is formed.
    let s = dendro(
        (600, 300),
        &labels,
        &[(0, 5, 0.2), (2, 3, 0.3), (4, 1, 0.7)],
        &[],
        false,
        None,
    );
    assert!(s.contains("Cannot draw this clustering"));
    // One leaf, no leaves: nothing to cluster.
    let s = dendro((600, 300), &names(&["A"]), &[], &[0], false, None);
    assert!(s.contains(EMPTY));
    let s = dendro((600, 300), &[], &[], &[], true, None);
    assert!(s.contains(EMPTY));
    // Equal (zero) heights and a tiny canvas: no panic.
    let s = dendro(
        (600, 300),
        &labels,
        &[(0, 1, 0.0), (2, 3, 0.0), (4, 5, 0.0)],
        &[],
        false,
        None,
    );
    assert_eq!(links(&s, LINK).len(), 3);
    let s = dendro((30, 20), &labels, &FOUR, &[], true, None);
    assert!(s.contains("Not enough room"));
}

#[test]
fn dendrogram_of_many_leaves_skips_labels() {
    let n = 300;
    let labels: Vec<String> = (0..n).map(|i| format!("Leaf {i}")).collect();
    // A caterpillar: leaf k + 1 joins the cluster of the first k + 1 leaves.
    let merges: Vec<(usize, usize, f64)> = (0..n - 1)
        .map(|k| {
            (
                if k == 0 { 0 } else { n + k - 1 },
                k + 1,
                0.1 + k as f64 * 0.01,
            )
        })
        .collect();
    let s = dendro((800, 300), &labels, &merges, &[], false, Some(1.0));
    assert_eq!(
        tags(&s, "polyline", &[])
            .iter()
            .filter(|t| points(t).len() == 4)
            .count(),
        n - 1
    );
    assert!(!has_text(&s, "Leaf 0"), "too dense for labels");
}

// ---- efficient frontier -----------------------------------------------------------------

use ballast_charts::{frontier_chart, FrontierChart, FrontierLayout};

const GREEN: &str = "#2E8B57";
const PURPLE: &str = "#8E44AD";

/// Twenty frontier points, risk 8% to 30%, concave returns 3% to 17%.
fn frontier_curve() -> Vec<(f64, f64)> {
    (0..20)
        .map(|i| {
            let risk = 0.08 + 0.22 * i as f64 / 19.0;
            (risk, 0.03 + 0.3 * (risk - 0.08).sqrt())
        })
        .collect()
}

fn frontier_assets() -> Vec<(String, f64, f64)> {
    [
        ("SPY", 0.18, 0.10),
        ("TLT", 0.14, 0.03),
        ("GLD", 0.16, 0.05),
        ("Vanguard Real Estate", 0.21, 0.06),
    ]
    .iter()
    .map(|(s, x, y)| (s.to_string(), *x, *y))
    .collect()
}

fn frontier_base<'a>(
    curve: &'a [(f64, f64)],
    assets: &'a [(String, f64, f64)],
) -> FrontierChart<'a> {
    FrontierChart {
        x_label: "Volatility (annualised)",
        y_label: "Expected return (annualised)",
        curve,
        assets,
        current: Some((0.17, 0.08)),
        min_risk: curve.first().copied(),
        max_sharpe: curve.get(8).copied(),
        cml: Some((0.02, 0.9)),
        selected: Some(12),
        hovered: Some(5),
        percent: true,
    }
}

fn front(size: (u32, u32), chart: &FrontierChart) -> (String, Option<FrontierLayout>) {
    let mut layout = None;
    let s = svg_sized(size, |a| layout = frontier_chart(a, chart).expect("draws"));
    (s, layout)
}

/// The centres and radii of the circles of `svg` with all of `attrs`.
fn circles(svg: &str, attrs: &[&str]) -> Vec<(i32, i32, i32)> {
    tags(svg, "circle", attrs)
        .iter()
        .map(|t| {
            (
                attr(t, "cx") as i32,
                attr(t, "cy") as i32,
                attr(t, "r") as i32,
            )
        })
        .collect()
}

#[test]
fn frontier_draws_curve_markers_labels_and_legend() {
    let curve = frontier_curve();
    let assets = frontier_assets();
    let (s, l) = front((800, 420), &frontier_base(&curve, &assets));
    preview("frontier", &s);
    let l = l.expect("a layout");
    let pixels: Vec<(i32, i32)> = curve.iter().map(|p| l.to_pixel(p.0, p.1)).collect();

    // The curve: one polyline through every point, a dot on each.
    let lines: Vec<Vec<(f64, f64)>> = tags(&s, "polyline", &[&stroke(BLUE)])
        .iter()
        .map(|t| points(t))
        .filter(|p| p.len() == curve.len())
        .collect();
    assert_eq!(lines.len(), 1, "one frontier line");
    for (p, q) in lines[0].iter().zip(&pixels) {
        assert_eq!((p.0 as i32, p.1 as i32), *q);
    }
    let dots = circles(&s, &[&fill(BLUE)]);
    for p in &pixels {
        assert!(dots.iter().any(|d| (d.0, d.1) == *p), "a dot at {p:?}");
    }
    // Selected: a large ring on point 12.
    let rings = circles(&s, &[&stroke(BLUE), "fill=\"none\""]);
    assert!(
        rings.iter().any(|r| (r.0, r.1) == pixels[12] && r.2 >= 8),
        "selected ring: {rings:?}"
    );

    // Markers (legend and plot) in their colours, and the dashed capital market line from
    // its intercept at x = 0.
    for colour in [ORANGE, GREEN, PURPLE] {
        assert!(
            tags(&s, "polygon", &[&fill(colour)]).len() >= 2,
            "marker and legend in {colour}"
        );
    }
    assert_eq!(l.x_range.0, 0.0, "the x axis starts at 0 with the CML");
    let start = l.to_pixel(0.0, 0.02);
    let cml: Vec<Vec<(f64, f64)>> = tags(&s, "polyline", &[&stroke(PURPLE), "opacity=\"0.85\""])
        .iter()
        .map(|t| points(t))
        .collect();
    assert!(cml.len() > 5, "dashes: {cml:?}");
    assert!(
        cml.iter()
            .any(|p| p.first().map(|q| (q.0 as i32, q.1 as i32)) == Some(start)),
        "the CML starts at its intercept {start:?}: {cml:?}"
    );

    for text in [
        "Efficient frontier",
        "Current",
        "Minimum risk",
        "Maximum Sharpe",
        "Capital market line",
        "Volatility (annualised)",
        "Expected return (annualised)",
        "SPY",
        "TLT",
        "GLD",
        "Vanguar…",
    ] {
        assert!(has_text(&s, text), "text {text}");
    }
    assert!(has_percent_label(&s));
    assert!(!s.contains("NaN"));

    // Without the CML, markers or percent: no such legend, x from the data.
    let chart = FrontierChart {
        cml: None,
        current: None,
        min_risk: None,
        max_sharpe: None,
        percent: false,
        ..frontier_base(&curve, &assets)
    };
    let (s, l) = front((800, 420), &chart);
    let l = l.expect("a layout");
    assert!(l.x_range.0 > 0.05 && l.x_range.0 < 0.08, "{:?}", l.x_range);
    for text in [
        "Current",
        "Minimum risk",
        "Maximum Sharpe",
        "Capital market line",
    ] {
        assert!(!has_text(&s, text), "no {text}");
    }
    assert!(has_text(&s, "Efficient frontier"));
    assert!(!has_percent_label(&s));
}

#[test]
fn frontier_layout_finds_the_nearest_point() {
    let mut curve = frontier_curve();
    curve[3] = (f64::NAN, 0.1);
    let assets = frontier_assets();
    let (_, l) = front((800, 420), &frontier_base(&curve, &assets));
    let l = l.expect("a layout");
    for (i, p) in curve.iter().enumerate() {
        let (px, py) = l.to_pixel(p.0, p.1);
        if i == 3 {
            continue;
        }
        assert_eq!(l.nearest(&curve, px, py, 10.0), Some(i), "point {i}");
        assert_eq!(l.nearest(&curve, px + 2, py - 1, 10.0), Some(i), "near {i}");
    }
    assert_eq!(l.nearest(&curve, l.right + 200, l.top - 200, 10.0), None);
    assert_eq!(l.nearest(&curve, l.left, l.bottom, 5.0), None);
    assert_eq!(l.nearest(&[], l.left, l.top, 1e9), None);
    assert_eq!(l.nearest(&[(f64::NAN, f64::NAN)], l.left, l.top, 1e9), None);
}

#[test]
fn frontier_to_pixel_is_monotone() {
    // Negative returns too.
    let curve: Vec<(f64, f64)> = (0..30)
        .map(|i| (0.01 + 0.001 * i as f64, -0.004 + 0.0005 * i as f64))
        .collect();
    let chart = FrontierChart {
        x_label: "CVaR 95% (daily)",
        cml: None,
        ..frontier_base(&curve, &[])
    };
    let (_, l) = front((640, 360), &chart);
    let l = l.expect("a layout");
    assert!(
        l.y_range.0 < -0.004 && l.y_range.1 > 0.0105,
        "{:?}",
        l.y_range
    );
    assert_eq!(l.to_pixel(l.x_range.0, l.y_range.1), (l.left, l.top));
    assert_eq!(l.to_pixel(l.x_range.1, l.y_range.0), (l.right, l.bottom));
    let steps: Vec<f64> = (0..=100)
        .map(|k| l.y_range.0 + (l.y_range.1 - l.y_range.0) * k as f64 / 100.0)
        .collect();
    for w in steps.windows(2) {
        let (a, b) = (l.to_pixel(0.02, w[0]), l.to_pixel(0.02, w[1]));
        assert!(b.1 < a.1, "higher return, smaller row: {w:?} {a:?} {b:?}");
        assert_eq!(a.0, b.0);
    }
    let xs: Vec<f64> = (0..=100)
        .map(|k| l.x_range.0 + (l.x_range.1 - l.x_range.0) * k as f64 / 100.0)
        .collect();
    for w in xs.windows(2) {
        assert!(l.to_pixel(w[1], 0.0).0 > l.to_pixel(w[0], 0.0).0);
    }
}

#[test]
fn frontier_with_empty_or_bad_data_draws_the_empty_state() {
    let assets = frontier_assets();
    let nan = [(f64::NAN, f64::NAN), (f64::INFINITY, 0.1), (0.1, f64::NAN)];
    for curve in [&[][..], &nan[..]] {
        let (s, l) = front((600, 300), &frontier_base(curve, &assets));
        assert!(s.contains(EMPTY), "{curve:?}");
        assert_eq!(l, None);
    }
    // Bad markers, assets, CML and indices around a good curve: skipped, no panic.
    let curve = frontier_curve();
    let bad_assets = vec![
        ("NAN".to_string(), f64::NAN, 0.1),
        ("".to_string(), 0.2, 0.1),
        ("INF".to_string(), 0.1, f64::NEG_INFINITY),
    ];
    let chart = FrontierChart {
        current: Some((f64::NAN, 0.1)),
        min_risk: Some((0.1, f64::INFINITY)),
        max_sharpe: None,
        cml: Some((f64::NAN, 1.0)),
        selected: Some(999),
        hovered: Some(usize::MAX),
        ..frontier_base(&curve, &bad_assets)
    };
    let (s, l) = front((600, 300), &chart);
    assert!(l.is_some() && !s.contains(EMPTY));
    assert!(!s.contains("NaN") && !s.contains("inf"));
    for text in [
        "Current",
        "Minimum risk",
        "Capital market line",
        "NAN",
        "INF",
    ] {
        assert!(!has_text(&s, text), "no {text}");
    }
    // Constant data, a single point, absurd values, a steep CML, a tiny canvas.
    let flat = [(0.1, 0.05); 3];
    let (s, l) = front((600, 300), &frontier_base(&flat, &[]));
    assert!(l.is_some() && !s.contains(EMPTY));
    let zero = [(0.0, 0.0)];
    let chart = FrontierChart {
        cml: Some((0.0, 1e6)),
        ..frontier_base(&zero, &[])
    };
    let (s, l) = front((600, 300), &chart);
    assert!(l.is_some() && !s.contains(EMPTY));
    let huge = [(-1e308, 1e308), (1e308, -1e308)];
    let (s, l) = front((600, 300), &frontier_base(&huge, &[]));
    assert!(s.contains(EMPTY) && l.is_none());
    let (s, l) = front((40, 30), &frontier_base(&curve, &assets));
    assert!(s.contains("Not enough room") && l.is_none());
}
