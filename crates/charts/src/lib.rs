//! Ballast charts: plotters drawing functions generic over [`DrawingBackend`], so the same
//! chart draws on a `<canvas>` in the app (plotters-canvas) and to SVG in reports and native
//! tests. Plain data in (dates and numbers); no dependency on `ballast-core`.
//!
//! Nothing here panics on empty, constant or non-finite data: too little data draws an
//! empty-state message; non-finite points are skipped.

mod backtest;
mod bars;
mod dendrogram;
mod equity;
mod frontier;
mod heatmap;
mod histogram;
mod legend;
mod lines;
mod style;
mod underwater;

pub use backtest::{var_backtest, BacktestChart};
pub use bars::{bar_chart, bar_chart_height, BarChart};
pub use dendrogram::{dendrogram, DendrogramChart, DENDROGRAM_AXIS_PX};
pub use equity::{equity_curve, EquityChart};
pub use frontier::{frontier_chart, FrontierChart, FrontierLayout};
pub use heatmap::{heatmap, HeatmapChart, HeatmapLayout};
pub use histogram::{histogram, HistogramChart};
pub use lines::{lines_chart, LinesChart};
pub use style::{correlation_colour, MISSING, PALETTE};
pub use underwater::underwater;

use plotters::prelude::*;

/// A drawing failed (the backend reported an error).
#[derive(Debug, thiserror::Error)]
#[error("chart drawing failed: {0}")]
pub struct ChartError(pub String);

impl ChartError {
    pub(crate) fn from<E: std::fmt::Display>(e: E) -> Self {
        ChartError(e.to_string())
    }
}

/// Draw a centred message on an otherwise empty area (text failures are ignored: a backend
/// without fonts still gets a blank, valid chart).
pub(crate) fn empty_state<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    message: &str,
) -> Result<(), ChartError> {
    area.fill(&WHITE).map_err(ChartError::from)?;
    let (w, h) = area.dim_in_pixel();
    let style = ("sans-serif", 16).into_font().color(&style::MUTED);
    let _ = area.draw(&Text::new(
        message.to_string(),
        (w as i32 / 2 - 60, h as i32 / 2),
        style,
    ));
    area.present().map_err(ChartError::from)
}

/// `label` cut to `max` characters, the last one an ellipsis when it was longer.
pub(crate) fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() > max {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    } else {
        label.to_string()
    }
}

/// The width of `text` in pixels as `area`'s backend estimates it (about 7 pixels a character
/// when it cannot).
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    font: &TextStyle,
) -> i32 {
    area.estimate_text_size(text, font)
        .map(|(w, _)| w as i32)
        .unwrap_or(text.chars().count() as i32 * 7)
}

/// Labels along an axis of equal slots `slot` pixels apart: `(font size, step)`, a font of 8
/// to 12 pixels and a label on every `step`-th slot so that labels do not overlap.
pub(crate) fn label_plan(slot: f64) -> (u32, usize) {
    let font = (slot - 2.0).floor().clamp(8.0, 12.0);
    let step = if slot > 0.0 {
        ((font + 2.0) / slot).ceil().clamp(1.0, 1e6) as usize
    } else {
        usize::MAX
    };
    (font as u32, step)
}

/// About one date label per 130 pixels of width (2 to 8).
pub(crate) fn x_label_count<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> usize {
    (area.dim_in_pixel().0 as usize / 130).clamp(2, 8)
}

/// A chart over dates (x) and numbers (y), with Ballast's axes: date labels by width, light
/// grid, muted labels; `y_format` writes the y labels.
pub(crate) fn time_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, plotters::coord::Shift>,
    x: std::ops::Range<chrono::NaiveDate>,
    y: std::ops::Range<f64>,
    y_labels: usize,
    y_format: &dyn Fn(&f64) -> String,
) -> Result<TimeChart<'a, DB>, ChartError> {
    let mut c = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(x, y)
        .map_err(ChartError::from)?;
    c.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(style::GRID)
        .axis_style(style::MUTED)
        .label_style((style::FONT, 12).into_font().color(&style::MUTED))
        .x_labels(x_label_count(area))
        .y_labels(y_labels)
        .x_label_formatter(&|d: &chrono::NaiveDate| d.format("%Y-%m").to_string())
        .y_label_formatter(y_format)
        .draw()
        .map_err(ChartError::from)?;
    Ok(c)
}

/// The chart context [`time_chart`] returns.
pub(crate) type TimeChart<'a, DB> = ChartContext<
    'a,
    DB,
    plotters::coord::cartesian::Cartesian2d<
        plotters::coord::types::RangedDate<chrono::NaiveDate>,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// A number with as few decimals as it needs, at most three (`0.12`, `-1`, `2.5`); `-0` is `0`.
pub(crate) fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let decimals = (0..3)
        .find(|d| {
            let scaled = v * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(3) as usize;
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_string()
    } else {
        s
    }
}

/// A fraction as a percent label with as few decimals as it needs (`0.015` → `1.5%`,
/// `-0.02` → `-2%`).
pub(crate) fn fmt_pct(v: f64) -> String {
    format!("{}%", fmt_num(v * 100.0))
}

/// The runs of consecutive finite values of `points`: a non-finite value ends a run (a line
/// is broken there rather than drawn through it).
pub(crate) fn finite_runs<X: Copy>(
    points: impl IntoIterator<Item = (X, f64)>,
) -> Vec<Vec<(X, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for (x, v) in points {
        if v.is_finite() {
            run.push((x, v));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Whether `lo..hi` can be an axis: finite, increasing, with a finite span (values near
/// `f64::MAX` would overflow the axis arithmetic).
pub(crate) fn usable_range(lo: f64, hi: f64) -> bool {
    (hi - lo).is_finite() && hi > lo
}

/// The smallest and largest finite value (`None` when there is none).
pub(crate) fn finite_min_max(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_use_as_few_decimals_as_needed() {
        assert_eq!(fmt_pct(-0.02), "-2%");
        assert_eq!(fmt_pct(0.015), "1.5%");
        assert_eq!(fmt_pct(0.035), "3.5%");
        assert_eq!(fmt_pct(-0.0), "0%");
        assert_eq!(fmt_pct(1e-18), "0%");
        assert_eq!(fmt_num(0.12), "0.12");
        assert_eq!(fmt_num(-1.0), "-1");
        assert_eq!(fmt_num(1.0 / 3.0), "0.333");
        assert_eq!(fmt_num(f64::NAN), "");
    }

    #[test]
    fn non_finite_values_split_runs() {
        let runs = finite_runs([
            (0, 1.0),
            (1, f64::NAN),
            (2, 2.0),
            (3, 3.0),
            (4, f64::INFINITY),
        ]);
        assert_eq!(runs, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
        assert_eq!(
            finite_runs(Vec::<(i32, f64)>::new()),
            Vec::<Vec<(i32, f64)>>::new()
        );
        assert_eq!(finite_min_max([f64::NAN, 2.0, -1.0]), Some((-1.0, 2.0)));
        assert_eq!(finite_min_max([f64::NAN]), None);
    }
}
