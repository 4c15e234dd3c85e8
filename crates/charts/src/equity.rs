//! Equity curve: growth of 1 of the portfolio against the benchmark, linear or log scale.

use crate::style::{FONT, GRID, PALETTE};
use crate::{empty_state, time_chart, ChartError};
use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One labelled line: label, points, colour.
type Line<'a> = (&'a str, Vec<(NaiveDate, f64)>, RGBColor);

/// Data of an equity chart: values are growth of 1 on `dates` (same lengths).
pub struct EquityChart<'a> {
    pub dates: &'a [NaiveDate],
    pub portfolio: &'a [f64],
    pub portfolio_label: &'a str,
    pub benchmark: Option<(&'a str, &'a [f64])>,
    /// Plot `log10(value)` with the axis labelled in values (equal distances = equal % moves).
    pub log_scale: bool,
}

fn fmt_growth(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}×")
    } else if v >= 10.0 {
        format!("{v:.1}×")
    } else {
        format!("{v:.2}×")
    }
}

/// Draw the equity curve.
pub fn equity_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &EquityChart<'_>,
) -> Result<(), ChartError> {
    let n = chart.dates.len().min(chart.portfolio.len());
    let transform = |v: f64| if chart.log_scale { v.log10() } else { v };
    let mut lines: Vec<Line<'_>> = Vec::new();
    let points = |values: &[f64]| -> Vec<(NaiveDate, f64)> {
        chart
            .dates
            .iter()
            .zip(values)
            .take(n)
            .filter(|(_, v)| v.is_finite() && (!chart.log_scale || **v > 0.0))
            .map(|(d, v)| (*d, transform(*v)))
            .collect()
    };
    lines.push((chart.portfolio_label, points(chart.portfolio), PALETTE[0]));
    if let Some((label, b)) = chart.benchmark {
        lines.push((label, points(b), PALETTE[1]));
    }
    let all: Vec<f64> = lines.iter().flat_map(|l| l.1.iter().map(|p| p.1)).collect();
    if n < 2 || lines[0].1.len() < 2 {
        return empty_state(area, "Not enough data to draw");
    }
    let (mut lo, mut hi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if hi - lo < 1e-12 {
        lo -= 0.5;
        hi += 0.5;
    }
    let pad = (hi - lo) * 0.05;
    let (x0, x1) = (chart.dates[0], chart.dates[n - 1]);
    area.fill(&WHITE).map_err(ChartError::from)?;
    let log = chart.log_scale;
    let mut c = time_chart(area, x0..x1, (lo - pad)..(hi + pad), 6, &|v: &f64| {
        fmt_growth(if log { 10f64.powf(*v) } else { *v })
    })?;
    for (label, pts, colour) in lines {
        c.draw_series(LineSeries::new(pts, colour.stroke_width(2)))
            .map_err(ChartError::from)?
            .label(label.to_string())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(3))
            });
    }
    // The legend needs text; a backend without fonts still keeps the lines.
    let _ = c
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .label_font((FONT, 13).into_font().color(&BLACK))
        .draw();
    area.present().map_err(ChartError::from)
}
