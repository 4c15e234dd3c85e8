//! Horizontal bar chart (risk contributions, weights): one row per label, top to bottom in the
//! given order, labels on the left; the series of a row side by side in palette colours;
//! negative values extend left of a zero line.

use crate::legend::{legend_on_top, Mark};
use crate::style::{FONT, GRID, MUTED, PALETTE};
use crate::{empty_state, finite_min_max, fmt_num, fmt_pct, usable_range, ChartError};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Data of a horizontal bar chart.
pub struct BarChart<'a> {
    /// One row per label, drawn top to bottom.
    pub labels: &'a [String],
    /// `(legend name, value per label)`; values may be negative; non-finite values draw no
    /// bar. An empty name is left out of the legend.
    pub series: &'a [(&'a str, &'a [f64])],
    /// Axis labels as percent (`0.12` → `12%`) rather than plain numbers (`0.12`).
    pub percent: bool,
}

/// Labels longer than this are shortened with an ellipsis.
const MAX_LABEL_CHARS: usize = 24;

/// A suggested canvas height in pixels for `labels` rows of `series` bars each (legend and
/// axis included).
pub fn bar_chart_height(labels: usize, series: usize) -> u32 {
    let row = 14 + 8 * series.clamp(1, 6);
    let height = labels.clamp(1, 10_000) * row + 90;
    height.max(160) as u32
}

/// The row axis of `n` rows: rows centred on 0, 1, …, n − 1 (the key points, where the labels
/// go), spanning −0.5..n − 0.5.
struct RowAxis(usize);

impl RowAxis {
    fn inner(&self) -> RangedCoordf64 {
        (-0.5..self.0 as f64 - 0.5).into()
    }
}

impl Ranged for RowAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner().map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            (0..self.0).map(|i| i as f64).collect()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner().range()
    }
}

fn shorten(label: &str) -> String {
    if label.chars().count() > MAX_LABEL_CHARS {
        let mut s: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
    } else {
        label.to_string()
    }
}

/// Draw the horizontal bar chart.
pub fn bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &BarChart<'_>,
) -> Result<(), ChartError> {
    let rows = chart.labels.len();
    let values = chart
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().take(rows).copied());
    let Some((lo, hi)) = finite_min_max(values) else {
        return empty_state(area, "Not enough data to draw");
    };
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let (x0, x1) = if hi - lo < 1e-12 {
        let unit = if chart.percent { 0.01 } else { 1.0 };
        (-unit, unit)
    } else {
        let pad = (hi - lo) * 0.05;
        (
            if lo < 0.0 { lo - pad } else { 0.0 },
            if hi > 0.0 { hi + pad } else { 0.0 },
        )
    };
    if !usable_range(x0, x1) {
        return empty_state(area, "Not enough data to draw");
    }

    area.fill(&WHITE).map_err(ChartError::from)?;
    let labels: Vec<String> = chart.labels.iter().map(|l| shorten(l)).collect();
    let font = (FONT, 12).into_font().color(&MUTED);
    let text_width = |l: &str| {
        area.estimate_text_size(l, &font)
            .map(|(w, _)| w as i32)
            .unwrap_or(l.chars().count() as i32 * 7)
    };
    // Room for about ten characters at least, the longest label at most (up to 180 pixels,
    // and never more than 40% of a narrow canvas).
    let widest = labels
        .iter()
        .map(|l| text_width(l))
        .fold(text_width("Abcdefghij"), i32::max);
    let max_area = (area.dim_in_pixel().0 as i32 * 2 / 5).max(48);
    let label_area = (widest + 14).min(180).min(max_area);
    let items: Vec<(String, Mark)> = chart
        .series
        .iter()
        .zip(PALETTE.iter().cycle())
        .filter(|((name, _), _)| !name.is_empty())
        .map(|((name, _), colour)| (name.to_string(), Mark::Bar(colour.to_rgba())))
        .collect();
    let plot = legend_on_top(area, 10 + label_area, &items)?;
    // Row i is centred on y = rows − 1 − i, so the first label is at the top.
    let top = rows as f64 - 1.0;
    let mut c = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(label_area)
        .build_cartesian_2d(x0..x1, RowAxis(rows))
        .map_err(ChartError::from)?;
    let percent = chart.percent;
    c.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .disable_y_mesh()
        .axis_style(MUTED)
        .label_style(font)
        .x_labels((plot.dim_in_pixel().0 as usize / 90).clamp(3, 10))
        .x_label_formatter(&|v: &f64| if percent { fmt_pct(*v) } else { fmt_num(*v) })
        .y_label_formatter(&|y: &f64| {
            let i = top - y.round();
            if i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(ChartError::from)?;

    let k = chart.series.len().max(1) as f64;
    let group = if k > 1.0 { 0.8 } else { 0.66 };
    let h = group / k;
    let bars = chart
        .series
        .iter()
        .zip(PALETTE.iter().cycle())
        .enumerate()
        .flat_map(|(j, ((_, values), colour))| {
            values
                .iter()
                .take(rows)
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(move |(i, v)| {
                    let upper = top - i as f64 + group / 2.0 - h * j as f64;
                    Rectangle::new([(0.0, upper - h), (*v, upper)], colour.filled())
                })
        });
    c.draw_series(bars).map_err(ChartError::from)?;
    if x0 < 0.0 && x1 > 0.0 {
        c.draw_series(LineSeries::new(
            [(0.0, -0.5), (0.0, top + 0.5)],
            MUTED.stroke_width(1),
        ))
        .map_err(ChartError::from)?;
    }
    area.present().map_err(ChartError::from)
}
