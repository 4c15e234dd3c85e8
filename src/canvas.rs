//! Drawing `ballast-charts` on `<canvas>` elements through plotters-canvas, and the
//! [`ChartCanvas`] component that redraws a chart when its data, the page or the window size
//! changes.

use crate::app::{AppState, Page};
use crate::downloads::PngDownload;
use ballast_charts::{equity_curve, underwater, EquityChart};
use ballast_core::analysis::AnalysisSeries;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// A drawing area over a canvas.
pub type Area = DrawingArea<CanvasBackend, Shift>;

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

/// The default chart height for the canvas's width (shorter on phones).
pub fn chart_height(canvas: &HtmlCanvasElement) -> u32 {
    let w = canvas.parent_element().map_or(0, |p| p.client_width());
    if w > 0 && w < 600 {
        240
    } else {
        320
    }
}

/// Draw on `canvas` at `height` pixels (0 = the default height).
pub fn draw_on(
    canvas: &HtmlCanvasElement,
    height: u32,
    draw: impl FnOnce(&Area) -> Result<(), ballast_charts::ChartError>,
) -> Result<(), String> {
    let h = if height == 0 {
        chart_height(canvas)
    } else {
        height
    };
    let backend = prepare(canvas, h).ok_or("no canvas context")?;
    let area = backend.into_drawing_area();
    draw(&area).map_err(|e| e.to_string())
}

/// Draw the equity curve; returns a message when drawing failed.
pub fn draw_equity(
    canvas: &HtmlCanvasElement,
    series: &AnalysisSeries,
    benchmark: Option<&str>,
    log_scale: bool,
) -> Result<(), String> {
    draw_on(canvas, 0, |area| {
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
        equity_curve(area, &chart)
    })
}

/// Draw the underwater chart.
pub fn draw_underwater(canvas: &HtmlCanvasElement, series: &AnalysisSeries) -> Result<(), String> {
    draw_on(canvas, 0, |area| {
        underwater(area, &series.dates, &series.drawdown)
    })
}

/// A canvas chart on `page`: `draw` runs when the page is shown, when any signal it reads
/// changes, and when the window is resized. After each successful drawing the canvas's
/// `data-drawn` attribute counts up (the browser tests wait on it). A "PNG" button below the
/// canvas downloads the chart (`data-testid="dl-png-<testid>"`).
#[component]
pub fn ChartCanvas<F>(
    page: Page,
    testid: &'static str,
    label: &'static str,
    draw: F,
) -> impl IntoView
where
    F: Fn(&HtmlCanvasElement) -> Result<(), String> + 'static,
{
    let state = expect_context::<AppState>();
    let node = NodeRef::<leptos::html::Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let count = StoredValue::new(0u32);
    Effect::new(move |_| {
        state.resized.track();
        if state.page.get() != page {
            return;
        }
        let Some(canvas) = node.get() else { return };
        match draw(&canvas) {
            Ok(()) => {
                count.update_value(|c| *c += 1);
                let _ = canvas.set_attribute("data-drawn", &count.get_value().to_string());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <div class="canvas-wrap"><canvas data-testid=testid node_ref=node aria-label=label></canvas></div>
        <PngDownload canvas=node id=testid what=format!("the chart \"{label}\"") />
        {move || error.get().map(|e| view! { <p class="chart-error">{e}</p> })}
    }
}
