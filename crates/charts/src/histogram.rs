//! Return histogram: the distribution of returns as bars (the tail beyond the VaR in the loss
//! colour), vertical VaR and CVaR lines at minus the losses, and a fitted normal density
//! scaled to the bars. x axis: return in percent; y axis: count per bin.

use crate::legend::{legend_on_top, Mark};
use crate::style::{FONT, GRID, LOSS, LOSS_DARK, MUTED, PALETTE};
use crate::{empty_state, fmt_pct, usable_range, ChartError};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Data of a return histogram. Losses (`var`, `cvar`) are positive fractions, drawn at
/// minus the loss on the return axis.
pub struct HistogramChart<'a> {
    /// The sample (daily or h-day returns), any order; non-finite values are skipped.
    pub returns: &'a [f64],
    /// Number of bins, clamped to 5..=200.
    pub bins: usize,
    /// Value at Risk (positive loss): a dashed vertical line at `-var`.
    pub var: Option<f64>,
    /// Expected shortfall (positive loss): a solid darker line at `-cvar`.
    pub cvar: Option<f64>,
    /// Legend text of the VaR line, e.g. "VaR 95%".
    pub var_label: &'a str,
    /// Legend text of the CVaR line, e.g. "CVaR 95%".
    pub cvar_label: &'a str,
    /// `(mean, sd)` of a fitted normal, drawn as its density scaled to the bars
    /// (count per bin = n × bin width × pdf).
    pub normal: Option<(f64, f64)>,
}

/// The order statistic at or beyond the `p` quantile of sorted `sorted`, rounding outward
/// (down below the median, up above it), so a small sample keeps its extremes.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let pos = p.clamp(0.0, 1.0) * sorted.len().saturating_sub(1) as f64;
    let i = if p < 0.5 { pos.floor() } else { pos.ceil() } as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

fn normal_pdf(x: f64, mean: f64, sd: f64) -> f64 {
    let z = (x - mean) / sd;
    (-0.5 * z * z).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
}

/// Draw the return histogram.
pub fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &HistogramChart<'_>,
) -> Result<(), ChartError> {
    let mut xs: Vec<f64> = chart
        .returns
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if xs.len() < 2 {
        return empty_state(area, "Not enough data to draw");
    }
    xs.sort_by(f64::total_cmp);
    let (min, max) = match (xs.first(), xs.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => return empty_state(area, "Not enough data to draw"),
    };
    if max - min < 1e-12 {
        return empty_state(area, "All returns are equal");
    }
    let loss = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| -v);
    let (var_x, cvar_x) = (loss(chart.var), loss(chart.cvar));
    // A few extreme outliers must not squash the picture: bin the 0.1%–99.9% range, widened
    // to the VaR and CVaR lines.
    let (mut lo, mut hi) = (quantile(&xs, 0.001), quantile(&xs, 0.999));
    if !usable_range(lo, hi) || hi - lo < 1e-12 {
        (lo, hi) = (min, max);
    }
    for x in [var_x, cvar_x].into_iter().flatten() {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    let bins = chart.bins.clamp(5, 200);
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for x in &xs {
        if *x >= lo && *x <= hi {
            let i = (((x - lo) / width).floor() as usize).min(bins - 1);
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
        }
    }
    let (x0, x1) = (lo - (hi - lo) * 0.03, hi + (hi - lo) * 0.03);
    if !usable_range(x0, x1) {
        return empty_state(area, "Not enough data to draw");
    }
    let n = xs.len() as f64;
    let density: Vec<(f64, f64)> = match chart.normal {
        Some((mean, sd)) if mean.is_finite() && sd.is_finite() && sd > 0.0 => (0..=240)
            .map(|i| {
                let x = x0 + (x1 - x0) * i as f64 / 240.0;
                (x, n * width * normal_pdf(x, mean, sd))
            })
            .filter(|p| p.1.is_finite())
            .collect(),
        _ => Vec::new(),
    };
    let top_count = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let top_density = density.iter().map(|p| p.1).fold(0.0, f64::max);
    // A very narrow fitted normal may poke out of the top rather than flatten the bars.
    let y1 = top_count.max(top_density.min(top_count * 2.0)) * 1.08;

    area.fill(&WHITE).map_err(ChartError::from)?;
    let mut items = Vec::new();
    if var_x.is_some() {
        items.push((chart.var_label.to_string(), Mark::Dashed(LOSS)));
    }
    if cvar_x.is_some() {
        items.push((chart.cvar_label.to_string(), Mark::Line(LOSS_DARK)));
    }
    if !density.is_empty() {
        items.push(("Normal fit".to_string(), Mark::Line(PALETTE[1])));
    }
    let plot = legend_on_top(area, 10 + 56, &items)?;
    let mut c = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(x0..x1, 0.0..y1)
        .map_err(ChartError::from)?;
    c.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style((FONT, 12).into_font().color(&MUTED))
        .x_labels((plot.dim_in_pixel().0 as usize / 90).clamp(3, 12))
        .y_labels(5)
        .x_label_formatter(&|v: &f64| fmt_pct(*v))
        // Counts are whole numbers: no label on a fractional grid line.
        .y_label_formatter(&|v: &f64| {
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(ChartError::from)?;

    // A one-pixel gap between bars when they are wide enough to show it.
    let plot_px = f64::from(c.plotting_area().dim_in_pixel().0.max(1));
    let px = (x1 - x0) / plot_px;
    let gap = if width / px >= 4.0 { px } else { 0.0 };
    let body = PALETTE[0].mix(0.55).filled();
    let tail = LOSS.mix(0.7).filled();
    let cut = var_x.unwrap_or(f64::NEG_INFINITY);
    let mut bars = Vec::with_capacity(bins + 1);
    for (i, count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let (a, b) = (lo + width * i as f64, lo + width * (i + 1) as f64 - gap);
        let h = *count as f64;
        if b <= cut {
            bars.push(Rectangle::new([(a, 0.0), (b, h)], tail));
        } else if a >= cut {
            bars.push(Rectangle::new([(a, 0.0), (b, h)], body));
        } else {
            // The bin the VaR falls in: its part beyond the VaR is tail.
            bars.push(Rectangle::new([(a, 0.0), (cut, h)], tail));
            bars.push(Rectangle::new([(cut, 0.0), (b, h)], body));
        }
    }
    c.draw_series(bars).map_err(ChartError::from)?;
    if !density.is_empty() {
        c.draw_series(LineSeries::new(density, PALETTE[1].stroke_width(2)))
            .map_err(ChartError::from)?;
    }
    if let Some(x) = cvar_x {
        c.draw_series(LineSeries::new(
            [(x, 0.0), (x, y1)],
            LOSS_DARK.stroke_width(2),
        ))
        .map_err(ChartError::from)?;
    }
    if let Some(x) = var_x {
        c.draw_series(DashedLineSeries::new(
            [(x, 0.0), (x, y1)],
            7,
            4,
            LOSS.stroke_width(2),
        ))
        .map_err(ChartError::from)?;
    }
    area.present().map_err(ChartError::from)
}
