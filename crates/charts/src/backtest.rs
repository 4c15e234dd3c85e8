//! VaR backtest: each day's realised return as a thin grey bar from zero, the forecast VaR as
//! a line at minus the loss, and the exceedances (days the loss exceeded the forecast) as red
//! dots. y axis in percent.

use crate::legend::{legend_on_top, Mark};
use crate::style::{LOSS, NEUTRAL};
use crate::{
    empty_state, finite_min_max, finite_runs, fmt_pct, time_chart, usable_range, ChartError,
};
use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Data of a rolling VaR backtest. All slices are per date (extra elements of a longer slice
/// are ignored).
pub struct BacktestChart<'a> {
    pub dates: &'a [NaiveDate],
    /// Realised returns.
    pub returns: &'a [f64],
    /// Forecast VaR of each date, a positive loss (the line is drawn at `-var`); NaN = no
    /// forecast (the line is broken there).
    pub var: &'a [f64],
    /// Exceedances (return < −VaR), drawn as red dots on the return.
    pub hits: &'a [bool],
    /// Legend text of the VaR line, e.g. "Historical VaR 99% (250-day window)".
    pub var_label: &'a str,
}

/// Draw the VaR backtest.
pub fn var_backtest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &BacktestChart<'_>,
) -> Result<(), ChartError> {
    let n = chart.dates.len().min(chart.returns.len());
    let dates = chart.dates.iter().take(n);
    let returns: Vec<(NaiveDate, f64)> = dates
        .clone()
        .zip(chart.returns)
        .filter(|(_, r)| r.is_finite())
        .map(|(d, r)| (*d, *r))
        .collect();
    let (first, last) = match (returns.first(), returns.last()) {
        (Some(a), Some(b)) if returns.len() >= 2 && a.0 < b.0 => (a.0, b.0),
        _ => return empty_state(area, "Not enough data to draw"),
    };
    let var_runs = finite_runs(dates.clone().zip(chart.var).map(|(d, v)| (*d, -v)));
    let hits: Vec<(NaiveDate, f64)> = dates
        .zip(chart.returns)
        .zip(chart.hits)
        .filter(|((_, r), hit)| **hit && r.is_finite())
        .map(|((d, r), _)| (*d, *r))
        .collect();
    let values = returns.iter().chain(var_runs.iter().flatten()).map(|p| p.1);
    let (lo, hi) = finite_min_max(values.chain([0.0])).unwrap_or((-0.01, 0.01));
    let (lo, hi) = if hi - lo < 1e-12 {
        (lo - 0.01, hi + 0.01)
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.05;
    if !usable_range(lo - pad, hi + pad) {
        return empty_state(area, "Not enough data to draw");
    }

    area.fill(&WHITE).map_err(ChartError::from)?;
    let mut items = vec![("Daily return".to_string(), Mark::Line(NEUTRAL))];
    if !var_runs.is_empty() {
        items.push((chart.var_label.to_string(), Mark::Line(LOSS)));
    }
    items.push((format!("Exceedances ({})", hits.len()), Mark::Dot(LOSS)));
    let plot = legend_on_top(area, 10 + 56, &items)?;
    let mut c = time_chart(&plot, first..last, (lo - pad)..(hi + pad), 6, &|v: &f64| {
        fmt_pct(*v)
    })?;
    // All returns as one path (down to the return and back to zero, day after day): one draw
    // call however many days.
    let spikes = returns
        .iter()
        .flat_map(|(d, r)| [(*d, 0.0), (*d, *r), (*d, 0.0)]);
    c.draw_series(LineSeries::new(spikes, NEUTRAL.stroke_width(1)))
        .map_err(ChartError::from)?;
    for run in var_runs {
        c.draw_series(LineSeries::new(run, LOSS.stroke_width(2)))
            .map_err(ChartError::from)?;
    }
    c.draw_series(hits.into_iter().map(|p| Circle::new(p, 3, LOSS.filled())))
        .map_err(ChartError::from)?;
    area.present().map_err(ChartError::from)
}
