//! Underwater chart: the drawdown from the running peak over time, a filled area below zero,
//! y axis in percent.

use crate::style::LOSS;
use crate::{empty_state, time_chart, ChartError};
use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draw the underwater chart of `drawdown` (fractions ≤ 0) on `dates`.
pub fn underwater<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[NaiveDate],
    drawdown: &[f64],
) -> Result<(), ChartError> {
    let pts: Vec<(NaiveDate, f64)> = dates
        .iter()
        .zip(drawdown)
        .filter(|(_, v)| v.is_finite())
        .map(|(d, v)| (*d, v.min(0.0) * 100.0))
        .collect();
    if pts.len() < 2 {
        return empty_state(area, "Not enough data to draw");
    }
    let worst = pts.iter().map(|p| p.1).fold(0.0, f64::min);
    let lo = if worst > -1e-9 { -1.0 } else { worst * 1.08 };
    let (x0, x1) = (pts[0].0, pts[pts.len() - 1].0);
    area.fill(&WHITE).map_err(ChartError::from)?;
    let mut c = time_chart(area, x0..x1, lo..0.0, 5, &|v: &f64| format!("{v:.0}%"))?;
    c.draw_series(
        AreaSeries::new(pts.iter().copied(), 0.0, LOSS.mix(0.35))
            .border_style(LOSS.stroke_width(1)),
    )
    .map_err(ChartError::from)?;
    area.present().map_err(ChartError::from)
}
