//! Efficient frontier: risk (x) against expected return (y). The frontier as a solid line
//! with small dots, each asset alone as a labelled grey dot, today's portfolio and the
//! minimum-risk and maximum-Sharpe portfolios as distinct markers, an optional dashed capital
//! market line, and rings on a selected and a hovered frontier point. Returns where the plot
//! was drawn, so the app can map the mouse to a frontier point.

use crate::style::{FONT, GRID, MUTED, NEUTRAL, PALETTE};
use crate::{empty_state, finite_min_max, fmt_num, shorten, text_width, usable_range, ChartError};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Data of an efficient-frontier chart. Points are `(risk, return)`; a point with a
/// non-finite coordinate is skipped (not drawn, never [`FrontierLayout::nearest`]).
pub struct FrontierChart<'a> {
    /// Caption of the x axis, e.g. "Volatility (annualised)" or "CVaR 95% (daily)".
    pub x_label: &'a str,
    /// Caption of the y axis, e.g. "Expected return (annualised)".
    pub y_label: &'a str,
    /// The frontier points `(risk, return)`, in order (joined by a line).
    pub curve: &'a [(f64, f64)],
    /// Each asset alone: `(symbol, risk, return)`, drawn as dots labelled with the symbol
    /// (shortened to 8 characters; a label that would overlap another or leave the plot is
    /// left out).
    pub assets: &'a [(String, f64, f64)],
    /// Today's portfolio (legend "Current").
    pub current: Option<(f64, f64)>,
    /// The minimum-risk portfolio (legend "Minimum risk").
    pub min_risk: Option<(f64, f64)>,
    /// The maximum-Sharpe portfolio (legend "Maximum Sharpe").
    pub max_sharpe: Option<(f64, f64)>,
    /// Capital market line `(risk-free rate, slope)`: y = rf + slope · x, drawn dashed from
    /// x = 0 to the right edge (legend "Capital market line"); the x axis then starts at 0.
    pub cml: Option<(f64, f64)>,
    /// Index in `curve` of the selected point (a large ring).
    pub selected: Option<usize>,
    /// Index in `curve` of the hovered point (a light ring).
    pub hovered: Option<usize>,
    /// Axis labels in percent (`0.12` → `12%`) rather than plain numbers.
    pub percent: bool,
}

/// Where the plot of a frontier chart was drawn, in pixels of the area it was drawn on: data
/// `x_range.0` is at column `left`, `x_range.1` at column `right`, `y_range.0` at row
/// `bottom`, `y_range.1` at row `top` (all inclusive), linear in between.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontierLayout {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    /// `(min, max)` of the risk axis.
    pub x_range: (f64, f64),
    /// `(min, max)` of the return axis.
    pub y_range: (f64, f64),
}

/// Plotters' linear mapping of `v` in `range` to pixels `limit.0..=limit.1` (the same pixel
/// plotters draws a value at), saturating instead of overflowing.
fn map(v: f64, range: (f64, f64), limit: (i32, i32)) -> i32 {
    let (lo, hi) = range;
    let len = limit.1.saturating_sub(limit.0);
    if hi == lo || len == 0 {
        return limit.0.saturating_add(len / 2);
    }
    let t = (v - lo) / (hi - lo);
    if t.is_infinite() {
        return if t > 0.0 { limit.1 } else { limit.0 };
    }
    let offset = if len > 0 {
        (f64::from(len) * t + 1e-3).floor()
    } else {
        (f64::from(len) * t - 1e-3).ceil()
    };
    // `as` saturates (NaN → 0).
    limit.0.saturating_add(offset as i32)
}

impl FrontierLayout {
    /// The pixel `(column, row)` of data point `(x, y)` (risk, return). Higher returns are
    /// higher up (smaller rows). Points outside the ranges map outside the plot.
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        (
            map(x, self.x_range, (self.left, self.right)),
            map(y, self.y_range, (self.bottom, self.top)),
        )
    }

    /// Index of the curve point nearest to pixel `(px, py)` within `max_dist` pixels (the
    /// first of equally near ones); `None` when none is that near. Non-finite points are
    /// skipped.
    pub fn nearest(&self, curve: &[(f64, f64)], px: i32, py: i32, max_dist: f64) -> Option<usize> {
        if max_dist.is_nan() || max_dist < 0.0 {
            return None;
        }
        curve
            .iter()
            .enumerate()
            .filter(|(_, p)| p.0.is_finite() && p.1.is_finite())
            .map(|(i, &(x, y))| {
                let (qx, qy) = self.to_pixel(x, y);
                let d = (f64::from(qx) - f64::from(px)).hypot(f64::from(qy) - f64::from(py));
                (i, d)
            })
            .filter(|(_, d)| *d <= max_dist)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}

/// The frontier: line, dots, rings.
const CURVE: RGBColor = PALETTE[0];
const CURRENT: RGBColor = PALETTE[1];
const MIN_RISK: RGBColor = PALETTE[2];
/// Maximum Sharpe and the capital market line (tangent to the frontier there).
const SHARPE: RGBColor = PALETTE[3];
const MAX_LABEL_CHARS: usize = 8;
const X_AREA: u32 = 44;
const Y_AREA: u32 = 68;
const EMPTY: &str = "Not enough data to draw";

/// How a point or legend item is marked.
#[derive(Clone, Copy)]
enum Shape {
    Circle,
    Diamond,
    Square,
    Star,
}

#[derive(Clone, Copy)]
enum Glyph {
    Line(RGBColor),
    Dashed(RGBColor),
    Shape(Shape, RGBColor),
}

/// `(lo, hi)` padded by 5% each side; a single value gets ±10% of itself (at least 0.01).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if hi - lo < 1e-12 {
        let half = (lo.abs() * 0.1).max(0.01);
        (lo - half, hi + half)
    } else {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    }
}

fn finite(p: &(f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

/// Draw the frontier chart and return where its plot is; `Ok(None)` when there was nothing
/// to draw (no finite frontier point, or no room) and the empty state was drawn instead.
pub fn frontier_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &FrontierChart<'_>,
) -> Result<Option<FrontierLayout>, ChartError> {
    let curve: Vec<(usize, (f64, f64))> = chart
        .curve
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, p)| finite(p))
        .collect();
    if curve.is_empty() {
        empty_state(area, EMPTY)?;
        return Ok(None);
    }
    let assets: Vec<(&str, (f64, f64))> = chart
        .assets
        .iter()
        .map(|(s, x, y)| (s.as_str(), (*x, *y)))
        .filter(|(_, p)| finite(p))
        .collect();
    let markers: Vec<(&str, (f64, f64), Shape, RGBColor)> = [
        ("Current", chart.current, Shape::Diamond, CURRENT),
        ("Minimum risk", chart.min_risk, Shape::Square, MIN_RISK),
        ("Maximum Sharpe", chart.max_sharpe, Shape::Star, SHARPE),
    ]
    .into_iter()
    .filter_map(|(name, p, shape, colour)| Some((name, p.filter(finite)?, shape, colour)))
    .collect();
    let cml = chart.cml.filter(finite);

    let points = || {
        curve
            .iter()
            .map(|(_, p)| *p)
            .chain(assets.iter().map(|(_, p)| *p))
            .chain(markers.iter().map(|m| m.1))
            .chain(cml.map(|(rf, _)| (0.0, rf)))
    };
    let (Some((xlo, xhi)), Some((ylo, yhi))) = (
        finite_min_max(points().map(|p| p.0)),
        finite_min_max(points().map(|p| p.1)),
    ) else {
        empty_state(area, EMPTY)?;
        return Ok(None);
    };
    let (mut x0, x1) = padded(xlo, xhi);
    if cml.is_some() && xlo >= 0.0 {
        x0 = 0.0;
    }
    let (y0, y1) = padded(ylo, yhi);
    if !usable_range(x0, x1) || !usable_range(y0, y1) {
        empty_state(area, EMPTY)?;
        return Ok(None);
    }

    // Legend on top, then the plot below it.
    let mut items: Vec<(&str, Glyph)> = vec![("Efficient frontier", Glyph::Line(CURVE))];
    items.extend(markers.iter().map(|m| (m.0, Glyph::Shape(m.2, m.3))));
    if cml.is_some() {
        items.push(("Capital market line", Glyph::Dashed(SHARPE)));
    }
    let (w, h) = area.dim_in_pixel();
    if w < Y_AREA + 80 || h < X_AREA + 80 {
        empty_state(area, "Not enough room to draw")?;
        return Ok(None);
    }
    area.fill(&WHITE).map_err(ChartError::from)?;
    let plot = legend(area, 10 + Y_AREA as i32, &items)?;
    let mut c = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(ChartError::from)?;
    let percent = chart.percent;
    let x_fmt = move |v: &f64| tick_label(*v, x1 - x0, percent);
    let y_fmt = move |v: &f64| tick_label(*v, y1 - y0, percent);
    c.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style((FONT, 12).into_font().color(&MUTED))
        .axis_desc_style((FONT, 13).into_font().color(&MUTED))
        .x_labels((plot.dim_in_pixel().0 as usize / 90).clamp(3, 10))
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .draw()
        .map_err(ChartError::from)?;
    let (xr, yr) = c.plotting_area().get_pixel_range();
    let (bx, by) = area.get_base_pixel();
    let layout = FrontierLayout {
        left: xr.start - bx,
        right: xr.end - 1 - bx,
        top: yr.start - by,
        bottom: yr.end - 1 - by,
        x_range: (x0, x1),
        y_range: (y0, y1),
    };
    let px = |p: (f64, f64)| layout.to_pixel(p.0, p.1);

    // Capital market line, clipped to the plot.
    if let Some((rf, slope)) = cml {
        if let Some((a, b)) = clip_line(rf, slope, (x0.max(0.0), x1), (y0, y1)) {
            let ends = [px((a, rf + slope * a)), px((b, rf + slope * b))];
            area.draw(&DashedPathElement::new(
                ends,
                8,
                5,
                SHARPE.mix(0.85).stroke_width(2),
            ))
            .map_err(ChartError::from)?;
        }
    }

    // The frontier.
    let pixels: Vec<(i32, i32)> = curve.iter().map(|(_, p)| px(*p)).collect();
    if pixels.len() > 1 {
        area.draw(&PathElement::new(pixels.clone(), CURVE.stroke_width(2)))
            .map_err(ChartError::from)?;
    }
    for p in &pixels {
        area.draw(&Circle::new(*p, 3, CURVE.filled()))
            .map_err(ChartError::from)?;
    }

    // Assets, then their labels where they fit.
    for (_, p) in &assets {
        draw_shape(area, Shape::Circle, px(*p), 4, NEUTRAL)?;
    }
    let font = (FONT, 11).into_font().color(&MUTED);
    let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
    for (symbol, p) in &assets {
        let label = shorten(symbol.trim(), MAX_LABEL_CHARS);
        if label.is_empty() {
            continue;
        }
        let (x, y) = px(*p);
        let (tw, th) = (text_width(area, &label, &font), 12);
        let candidates = [
            (x + 8, y - th / 2),
            (x - 8 - tw, y - th / 2),
            (x - tw / 2, y - 6 - th),
            (x - tw / 2, y + 6),
        ];
        let spot = candidates.into_iter().find(|&(lx, ly)| {
            let r = (lx, ly, lx + tw, ly + th);
            r.0 >= layout.left
                && r.2 <= layout.right
                && r.1 >= layout.top
                && r.3 <= layout.bottom
                && !taken.iter().any(|t| overlaps(*t, r))
        });
        if let Some((lx, ly)) = spot {
            taken.push((lx, ly, lx + tw, ly + th));
            let _ = area.draw(&Text::new(
                label,
                (lx, ly + th / 2),
                font.pos(Pos::new(HPos::Left, VPos::Center)),
            ));
        }
    }

    // Hovered ring, the markers, then the selected ring on top.
    let ring = |i: Option<usize>| {
        i.and_then(|i| chart.curve.get(i))
            .copied()
            .filter(finite)
            .map(px)
    };
    if let Some(p) = ring(chart.hovered) {
        area.draw(&Circle::new(p, 7, CURVE.mix(0.2).filled()))
            .map_err(ChartError::from)?;
        area.draw(&Circle::new(p, 7, CURVE.mix(0.6).stroke_width(1)))
            .map_err(ChartError::from)?;
    }
    for (_, p, shape, colour) in &markers {
        draw_shape(area, *shape, px(*p), 7, *colour)?;
    }
    if let Some(p) = ring(chart.selected) {
        area.draw(&Circle::new(p, 9, CURVE.stroke_width(2)))
            .map_err(ChartError::from)?;
    }
    area.present().map_err(ChartError::from)?;
    Ok(Some(layout))
}

/// A tick label of an axis spanning `span`: a percent (`0.12` → `12%`) or plain number with
/// as few decimals as it needs, and enough for ticks about a tenth of the span apart to
/// differ (daily returns as plain numbers need more than three).
fn tick_label(v: f64, span: f64, percent: bool) -> String {
    let scale = if percent { 100.0 } else { 1.0 };
    let (v, span) = (v * scale, span * scale);
    let needed = if span.is_finite() && span > 0.0 {
        (-(span / 10.0).log10()).ceil().clamp(0.0, 10.0) as usize
    } else {
        0
    };
    let text = if needed <= 3 {
        fmt_num(v)
    } else {
        let s = format!("{v:.needed$}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s.trim_start_matches('-').chars().all(|c| c == '0') {
            "0".to_string()
        } else {
            s.to_string()
        }
    };
    if percent {
        format!("{text}%")
    } else {
        text
    }
}

/// Whether rectangles `(x0, y0, x1, y1)` overlap (with a pixel of room).
fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.2 + 1 && b.0 < a.2 + 1 && a.1 < b.3 + 1 && b.1 < a.3 + 1
}

/// The x interval of line y = rf + slope · x within `xs` whose y lies within `ys`.
fn clip_line(rf: f64, slope: f64, xs: (f64, f64), ys: (f64, f64)) -> Option<(f64, f64)> {
    let (mut a, mut b) = xs;
    if slope == 0.0 {
        if rf < ys.0 || rf > ys.1 {
            return None;
        }
    } else {
        let (p, q) = ((ys.0 - rf) / slope, (ys.1 - rf) / slope);
        a = a.max(p.min(q));
        b = b.min(p.max(q));
    }
    (a.is_finite() && b.is_finite() && a < b).then_some((a, b))
}

/// The outline of `shape` of radius `r` around `(x, y)`.
fn outline(shape: Shape, (x, y): (i32, i32), r: i32) -> Vec<(i32, i32)> {
    match shape {
        Shape::Diamond => vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        Shape::Square => {
            let s = r * 4 / 5;
            vec![
                (x - s, y - s),
                (x + s, y - s),
                (x + s, y + s),
                (x - s, y + s),
            ]
        }
        Shape::Star => (0..10)
            .map(|k| {
                let angle = std::f64::consts::PI * (f64::from(k) / 5.0 - 0.5);
                let radius = if k % 2 == 0 {
                    f64::from(r) + 1.0
                } else {
                    f64::from(r) * 0.45
                };
                (
                    x + (radius * angle.cos()).round() as i32,
                    y + (radius * angle.sin()).round() as i32,
                )
            })
            .collect(),
        Shape::Circle => Vec::new(),
    }
}

/// A filled `shape` with a white outline (so it stands out on the frontier line).
fn draw_shape<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: Shape,
    centre: (i32, i32),
    r: i32,
    colour: RGBColor,
) -> Result<(), ChartError> {
    if let Shape::Circle = shape {
        area.draw(&Circle::new(centre, r, colour.filled()))
            .and_then(|_| area.draw(&Circle::new(centre, r, WHITE.stroke_width(1))))
            .map_err(ChartError::from)
    } else {
        let mut points = outline(shape, centre, r);
        area.draw(&Polygon::new(points.clone(), colour.filled()))
            .map_err(ChartError::from)?;
        if let Some(first) = points.first().copied() {
            points.push(first);
        }
        area.draw(&PathElement::new(points, WHITE.stroke_width(1)))
            .map_err(ChartError::from)
    }
}

/// The legend in rows along the top of `area` (like the other charts' legends, with the
/// markers' shapes), starting `left` pixels in; returns the area below it.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    left: i32,
    items: &[(&str, Glyph)],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    const ROW: i32 = 20;
    const TOP: i32 = 6;
    const MARK: i32 = 18;
    if items.is_empty() {
        return Ok(area.clone());
    }
    let font = (FONT, 13)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let width = area.dim_in_pixel().0 as i32;
    let (mut x, mut row) = (left, 0);
    let mut placed = Vec::with_capacity(items.len());
    for (text, glyph) in items {
        let item_w = MARK + 6 + text_width(area, text, &font);
        if x > left && x + item_w > width - 10 {
            row += 1;
            x = left;
        }
        placed.push((x, TOP + ROW * row + ROW / 2, *text, *glyph));
        x += item_w + 18;
    }
    for (x, y, text, glyph) in placed {
        match glyph {
            Glyph::Line(c) => area
                .draw(&PathElement::new(
                    vec![(x, y), (x + MARK, y)],
                    c.stroke_width(3),
                ))
                .map_err(ChartError::from)?,
            Glyph::Dashed(c) => area
                .draw(&DashedPathElement::new(
                    [(x, y), (x + MARK, y)],
                    7,
                    4,
                    c.stroke_width(2),
                ))
                .map_err(ChartError::from)?,
            Glyph::Shape(shape, c) => draw_shape(area, shape, (x + MARK / 2, y), 6, c)?,
        }
        let _ = area.draw(&Text::new(
            text.to_string(),
            (x + MARK + 6, y),
            font.clone(),
        ));
    }
    let height = (TOP + ROW * (row + 1) + 2).min(area.dim_in_pixel().1 as i32 / 2);
    Ok(area.split_vertically(height).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_pixel_is_where_plotters_draws() {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (640, 400)).into_drawing_area();
            let (_, area) = root.split_horizontally(37);
            let (_, area) = area.split_vertically(11);
            let c = ChartBuilder::on(&area)
                .margin(10)
                .x_label_area_size(X_AREA)
                .y_label_area_size(Y_AREA)
                .build_cartesian_2d(-0.013..0.31, -0.07..0.2)
                .expect("builds");
            let (xr, yr) = c.plotting_area().get_pixel_range();
            let (bx, by) = area.get_base_pixel();
            let l = FrontierLayout {
                left: xr.start - bx,
                right: xr.end - 1 - bx,
                top: yr.start - by,
                bottom: yr.end - 1 - by,
                x_range: (-0.013, 0.31),
                y_range: (-0.07, 0.2),
            };
            for i in 0..=40 {
                let (x, y) = (-0.02 + 0.0085 * f64::from(i), -0.08 + 0.0071 * f64::from(i));
                let (px, py) = c.backend_coord(&(x, y));
                assert_eq!(l.to_pixel(x, y), (px - bx, py - by), "{x} {y}");
            }
        }
    }

    #[test]
    fn the_line_is_clipped_to_the_plot() {
        assert_eq!(
            clip_line(0.1, 0.0, (0.0, 1.0), (0.0, 0.2)),
            Some((0.0, 1.0))
        );
        assert_eq!(clip_line(0.3, 0.0, (0.0, 1.0), (0.0, 0.2)), None);
        let (a, b) = clip_line(0.0, 0.5, (0.0, 1.0), (-0.1, 0.2)).expect("inside");
        assert!(a == 0.0 && (b - 0.4).abs() < 1e-12);
        let (a, b) = clip_line(0.2, -1.0, (0.0, 1.0), (-0.1, 0.1)).expect("inside");
        assert!((a - 0.1).abs() < 1e-12 && (b - 0.3).abs() < 1e-12);
        assert_eq!(clip_line(0.0, 1e-320, (0.0, 1.0), (0.1, 0.2)), None);
    }

    #[test]
    fn tick_labels_tell_ticks_apart() {
        assert_eq!(tick_label(0.12, 0.3, true), "12%");
        assert_eq!(tick_label(0.015, 0.3, true), "1.5%");
        assert_eq!(tick_label(0.2, 0.3, false), "0.2");
        assert_eq!(tick_label(0.0005, 0.0016, false), "0.0005");
        assert_eq!(tick_label(-0.0002, 0.0016, false), "-0.0002");
        assert_eq!(tick_label(-1e-19, 0.0016, false), "0");
        assert_eq!(tick_label(0.00001, 0.00004, true), "0.001%");
        assert_eq!(tick_label(1.0, f64::NAN, false), "1");
    }

    #[test]
    fn map_never_overflows() {
        let l = FrontierLayout {
            left: 10,
            top: 5,
            right: 300,
            bottom: 200,
            x_range: (0.0, 1.0),
            y_range: (0.0, 1.0),
        };
        let _ = l.to_pixel(1e300, -1e300);
        let _ = l.to_pixel(f64::NAN, f64::INFINITY);
        assert_eq!(l.nearest(&[(0.5, 0.5)], i32::MAX, i32::MIN, 1e300), Some(0));
        assert_eq!(l.nearest(&[(0.5, 0.5)], 0, 0, f64::NAN), None);
    }
}
