//! Ballast charts: plotters drawing functions generic over [`DrawingBackend`], so the same
//! chart draws on a `<canvas>` in the app (plotters-canvas) and to SVG in reports and native
//! tests. Plain data in (dates and numbers); no dependency on `ballast-core`.
//!
//! Nothing here panics on empty, constant or non-finite data: too little data draws an
//! empty-state message; non-finite points are skipped.

mod equity;
mod style;
mod underwater;

pub use equity::{equity_curve, EquityChart};
pub use style::PALETTE;
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
