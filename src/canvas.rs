//! Drawing `ballast-charts` on `<canvas>` elements through plotters-canvas.

use ballast_charts::{equity_curve, underwater, EquityChart};
use ballast_core::analysis::AnalysisSeries;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Size the canvas to its container's width (a hidden page uses a default width) and return
/// a drawing area on it.
fn prepare(canvas: &HtmlCanvasElement, height: u32) -> Option<CanvasBackend> {
    let parent_width = canvas.parent_element().map_or(0, |p| p.client_width());
    let width = if parent_width > 0 {
        parent_width as u32
    } else {
        960
    };
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    CanvasBackend::with_canvas_object(canvas.clone())
}

fn chart_height(canvas: &HtmlCanvasElement) -> u32 {
    let w = canvas.parent_element().map_or(0, |p| p.client_width());
    if w > 0 && w < 600 {
        240
    } else {
        320
    }
}

/// Draw the equity curve; returns a message when drawing failed.
pub fn draw_equity(
    canvas: &HtmlCanvasElement,
    series: &AnalysisSeries,
    benchmark: Option<&str>,
    log_scale: bool,
) -> Result<(), String> {
    let backend = prepare(canvas, chart_height(canvas)).ok_or("no canvas context")?;
    let area = backend.into_drawing_area();
    let chart = EquityChart {
        dates: &series.dates,
        portfolio: &series.equity,
        portfolio_label: "Portfolio (today's weights)",
        benchmark: match (benchmark, &series.benchmark_equity) {
            (Some(name), Some(b)) => Some((name, b.as_slice())),
            _ => None,
        },
        log_scale,
    };
    equity_curve(&area, &chart).map_err(|e| e.to_string())
}

/// Draw the underwater chart.
pub fn draw_underwater(canvas: &HtmlCanvasElement, series: &AnalysisSeries) -> Result<(), String> {
    let backend = prepare(canvas, chart_height(canvas)).ok_or("no canvas context")?;
    let area = backend.into_drawing_area();
    underwater(&area, &series.dates, &series.drawdown).map_err(|e| e.to_string())
}
