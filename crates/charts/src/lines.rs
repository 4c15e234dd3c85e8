//! Several dated lines on one time axis (rolling volatility, Sharpe, beta, correlation), in
//! palette colours, with an optional zero line and optional dashed vertical date markers.

use crate::legend::{legend_on_top, Mark};
use crate::style::{MUTED, PALETTE};
use crate::{
    empty_state, finite_min_max, finite_runs, fmt_num, fmt_pct, time_chart, usable_range,
    ChartError,
};
use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Data of a multi-line chart.
pub struct LinesChart<'a> {
    /// `(legend, dates, values)`: each line has its own ascending dates; a non-finite value
    /// breaks the line. An empty legend name is left out of the legend.
    pub lines: &'a [(&'a str, &'a [NaiveDate], &'a [f64])],
    /// y labels as percent (`0.12` → `12%`).
    pub percent: bool,
    /// Draw a horizontal line at 0 (and keep 0 in the y range).
    pub zero_line: bool,
    /// Dates marked by dashed vertical lines (e.g. events); those outside the x range are
    /// left out.
    pub markers: &'a [NaiveDate],
}

/// Draw the lines.
pub fn lines_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LinesChart<'_>,
) -> Result<(), ChartError> {
    let runs: Vec<Vec<Vec<(NaiveDate, f64)>>> = chart
        .lines
        .iter()
        .map(|(_, dates, values)| finite_runs(dates.iter().copied().zip(values.iter().copied())))
        .collect();
    let points = runs.iter().flatten().flatten();
    // The x range is the union of the lines' dates (a line's missing values included).
    let first = chart
        .lines
        .iter()
        .flat_map(|(_, d, v)| d.iter().take(v.len()))
        .min();
    let last = chart
        .lines
        .iter()
        .flat_map(|(_, d, v)| d.iter().take(v.len()))
        .max();
    let y = finite_min_max(points.map(|p| p.1).chain(chart.zero_line.then_some(0.0)));
    let (x0, x1, (lo, hi)) = match (first, last, y) {
        (Some(a), Some(b), Some(y))
            if a < b && runs.iter().flatten().flatten().nth(1).is_some() =>
        {
            (*a, *b, y)
        }
        _ => return empty_state(area, "Not enough data to draw"),
    };
    let (lo, hi) = if hi - lo < 1e-12 {
        let half = (lo.abs() * 0.1).max(if chart.percent { 0.01 } else { 1.0 });
        (lo - half, hi + half)
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.05;
    if !usable_range(lo - pad, hi + pad) {
        return empty_state(area, "Not enough data to draw");
    }

    area.fill(&WHITE).map_err(ChartError::from)?;
    let colours = PALETTE.iter().cycle();
    let items: Vec<(String, Mark)> = chart
        .lines
        .iter()
        .zip(colours.clone())
        .filter(|((name, _, _), _)| !name.is_empty())
        .map(|((name, _, _), colour)| (name.to_string(), Mark::Line(*colour)))
        .collect();
    let plot = legend_on_top(area, 10 + 56, &items)?;
    let percent = chart.percent;
    let mut c = time_chart(&plot, x0..x1, (lo - pad)..(hi + pad), 6, &|v: &f64| {
        if percent {
            fmt_pct(*v)
        } else {
            fmt_num(*v)
        }
    })?;
    let (y0, y1) = (lo - pad, hi + pad);
    for d in chart.markers.iter().filter(|d| (x0..=x1).contains(*d)) {
        c.draw_series(DashedLineSeries::new(
            [(*d, y0), (*d, y1)],
            5,
            4,
            MUTED.mix(0.7).stroke_width(1),
        ))
        .map_err(ChartError::from)?;
    }
    if chart.zero_line {
        c.draw_series(LineSeries::new(
            [(x0, 0.0), (x1, 0.0)],
            MUTED.stroke_width(1),
        ))
        .map_err(ChartError::from)?;
    }
    for (line, colour) in runs.into_iter().zip(colours) {
        for run in line {
            if let [only] = run.as_slice() {
                // A lone value between gaps: a dot, since a line needs two points.
                c.draw_series([Circle::new(*only, 2, colour.filled())])
                    .map_err(ChartError::from)?;
            } else {
                c.draw_series(LineSeries::new(run, colour.stroke_width(2)))
                    .map_err(ChartError::from)?;
            }
        }
    }
    area.present().map_err(ChartError::from)
}
