//! Correlation heat map: an n × n grid of square cells coloured by ρ on a diverging scale
//! (−1 deep red, 0 white, +1 deep blue; unknown values grey), rows and columns in a display
//! order (e.g. a dendrogram's leaf order), labels on the left and on top, a colour bar on the
//! right. Returns where the cells were drawn, so the app can map the mouse to a pair.

use crate::style::{correlation_colour, FONT, MUTED};
use crate::{empty_state, fmt_num, label_plan, shorten, text_width, ChartError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Data of a correlation heat map.
pub struct HeatmapChart<'a> {
    /// Asset symbols, in the original order (`n` of them).
    pub labels: &'a [String],
    /// The `n × n` correlation matrix, row-major, in the original order; NaN (or any
    /// non-finite value) is unknown and drawn grey.
    pub values: &'a [f64],
    /// Display order: display row/column `i` shows original index `order[i]`. Anything but a
    /// permutation of `0..n` (wrong length, repeats, out of range) means `0..n`.
    pub order: &'a [usize],
    /// Caption of the colour bar, e.g. "ρ (Ledoit-Wolf)"; empty for none.
    pub title_scale: &'a str,
    /// Write ρ in each cell when cells are at least 28 pixels wide (never on smaller cells).
    pub show_values: bool,
}

/// Where the grid of a heat map was drawn, in pixels of the area it was drawn on: cell edge
/// `i` (of `0..=n`) lies `round(i × cell)` pixels right of `left` (columns) or below `top`
/// (rows), so cells are squares of `cell` pixels, give or take one pixel. `n == 0`: nothing
/// was drawn (empty state).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatmapLayout {
    pub left: i32,
    pub top: i32,
    pub cell: f64,
    pub n: usize,
}

impl HeatmapLayout {
    /// The layout of an empty state: no cells.
    const NONE: HeatmapLayout = HeatmapLayout {
        left: 0,
        top: 0,
        cell: 0.0,
        n: 0,
    };

    /// Offset in pixels of cell edge `i` from the grid's left or top.
    fn edge(&self, i: usize) -> i32 {
        (i as f64 * self.cell).round() as i32
    }

    /// The cell whose pixels include offset `d` from the grid's left or top.
    fn index(&self, d: i32) -> Option<usize> {
        if self.n == 0 || self.cell.is_nan() || self.cell <= 0.0 {
            return None;
        }
        if d < 0 || d >= self.edge(self.n) {
            return None;
        }
        let mut i = ((f64::from(d) + 0.5) / self.cell).floor() as usize;
        i = i.min(self.n - 1);
        while i > 0 && self.edge(i) > d {
            i -= 1;
        }
        // Cells narrower than a pixel: the last cell starting at or before `d` is the one
        // drawn there.
        while i + 1 < self.n && self.edge(i + 1) <= d {
            i += 1;
        }
        Some(i)
    }

    /// `(row, col)` display indices of the cell under pixel `(x, y)`, or `None` outside the
    /// grid. Display index `i` is original index `order[i]` of the chart.
    pub fn cell_at(&self, x: i32, y: i32) -> Option<(usize, usize)> {
        Some((self.index(y - self.top)?, self.index(x - self.left)?))
    }

    /// The pixel rectangle `((x0, y0), (x1, y1))` (right and bottom exclusive) of the cell at
    /// display `(row, col)`, e.g. to outline the hovered cell; `None` outside the grid. It is
    /// empty (`x0 == x1`) for a cell narrower than a pixel that another cell covers.
    pub fn cell_rect(&self, row: usize, col: usize) -> Option<((i32, i32), (i32, i32))> {
        if row >= self.n || col >= self.n {
            return None;
        }
        Some((
            (self.left + self.edge(col), self.top + self.edge(row)),
            (
                self.left + self.edge(col + 1),
                self.top + self.edge(row + 1),
            ),
        ))
    }
}

/// Cells at least this many pixels wide get their value written in them (when asked).
const VALUE_CELL_PX: f64 = 28.0;
/// Labels are drawn for at most this many assets.
const MAX_LABELLED: usize = 60;
/// Labels longer than this are shortened with an ellipsis.
const MAX_LABEL_CHARS: usize = 12;
const MARGIN: i32 = 10;
const BAR_GAP: i32 = 16;
const BAR_W: i32 = 14;

/// `order` if it is a permutation of `0..n`, else `0..n`.
fn display_order(order: &[usize], n: usize) -> Vec<usize> {
    let mut seen = vec![false; n];
    let valid = order.len() == n
        && order
            .iter()
            .all(|&i| seen.get_mut(i).is_some_and(|s| !std::mem::replace(s, true)));
    if valid {
        order.to_vec()
    } else {
        (0..n).collect()
    }
}

/// Draw the heat map and return where its cells are.
pub fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &HeatmapChart<'_>,
) -> Result<HeatmapLayout, ChartError> {
    let n = chart.labels.len();
    if n == 0 || n.checked_mul(n) != Some(chart.values.len()) {
        empty_state(area, "Not enough data to draw")?;
        return Ok(HeatmapLayout::NONE);
    }
    let order = display_order(chart.order, n);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);

    // The colour bar: gap, bar, ticks and their labels, the rotated caption.
    let tick_font = (FONT, 12).into_font().color(&MUTED);
    let tick_w = ["-0.5", "-1", "0.5"]
        .iter()
        .map(|t| text_width(area, t, &tick_font))
        .max()
        .unwrap_or(24);
    let caption_w = if chart.title_scale.is_empty() { 0 } else { 18 };
    let bar_block = BAR_GAP + BAR_W + 4 + 4 + tick_w + 6 + caption_w;

    // Labels, sized for the cells the grid would have without them.
    let side0 = f64::from((w - 2 * MARGIN - bar_block).min(h - 2 * MARGIN));
    let labelled =
        n <= MAX_LABELLED && side0 > 0.0 && chart.labels.iter().any(|l| !l.trim().is_empty());
    let labels: Vec<String> = order
        .iter()
        .map(|&i| {
            chart
                .labels
                .get(i)
                .map(|l| shorten(l, MAX_LABEL_CHARS))
                .unwrap_or_default()
        })
        .collect();
    let (font_px, step) = label_plan(side0 / n as f64);
    let label_font = (FONT, font_px).into_font().color(&MUTED);
    let widest = if labelled {
        labels
            .iter()
            .map(|l| text_width(area, l, &label_font))
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    let left_room = if labelled { (widest + 8).min(w / 4) } else { 0 };
    // Top labels are written across when they fit in their columns, rotated otherwise.
    let across = (widest as f64) <= (side0 / n as f64) * step as f64 - 4.0;
    let top_room = match (labelled, across) {
        (false, _) => 0,
        (true, true) => font_px as i32 + 8,
        (true, false) => (widest + 8).min(h / 4),
    };

    let side = (w - 2 * MARGIN - left_room - bar_block).min(h - 2 * MARGIN - top_room);
    if side < 20 {
        empty_state(area, "Not enough room to draw")?;
        return Ok(HeatmapLayout::NONE);
    }
    let layout = HeatmapLayout {
        left: MARGIN + left_room,
        top: MARGIN + top_room,
        cell: f64::from(side) / n as f64,
        n,
    };

    area.fill(&WHITE).map_err(ChartError::from)?;
    draw_cells(area, &layout, chart.values, &order)?;
    if chart.show_values && layout.cell >= VALUE_CELL_PX {
        draw_values(area, &layout, chart.values, &order)?;
    }
    if labelled {
        let (font_px, step) = label_plan(layout.cell);
        let font = (FONT, font_px).into_font().color(&MUTED);
        let centre = |i: usize| (layout.edge(i) + layout.edge(i + 1)) / 2;
        for (i, label) in labels.iter().enumerate().step_by(step.max(1)) {
            let y = layout.top + centre(i);
            let x = layout.left + centre(i);
            let _ = area.draw(&Text::new(
                label.clone(),
                (layout.left - 5, y),
                font.pos(Pos::new(HPos::Right, VPos::Center)),
            ));
            let top = if across {
                font.pos(Pos::new(HPos::Center, VPos::Bottom))
            } else {
                font.transform(FontTransform::Rotate270)
                    .pos(Pos::new(HPos::Left, VPos::Center))
            };
            let _ = area.draw(&Text::new(label.clone(), (x, layout.top - 5), top));
        }
    }
    draw_colour_bar(
        area,
        layout.left + layout.edge(n) + BAR_GAP,
        layout.top,
        side.min(400).max(60.min(h - layout.top - MARGIN)),
        tick_w,
        chart.title_scale,
    )?;
    area.present().map_err(ChartError::from)?;
    Ok(layout)
}

/// The cells, one filled rectangle each; along a row, neighbours of the same colour are
/// merged into one rectangle, and cells narrower than a pixel that a neighbour covers are
/// skipped (so at most one rectangle per pixel).
fn draw_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &HeatmapLayout,
    values: &[f64],
    order: &[usize],
) -> Result<(), ChartError> {
    let n = layout.n;
    let edges: Vec<i32> = (0..=n).map(|i| layout.edge(i)).collect();
    let spans: Vec<(usize, i32, i32)> = edges
        .windows(2)
        .enumerate()
        .filter_map(|(i, e)| match e {
            [a, b] if b > a => Some((i, *a, *b)),
            _ => None,
        })
        .collect();
    let draw = |x0: i32, x1: i32, y0: i32, y1: i32, colour: RGBColor| {
        area.draw(&Rectangle::new(
            [
                (layout.left + x0, layout.top + y0),
                (layout.left + x1, layout.top + y1),
            ],
            colour.filled(),
        ))
        .map_err(ChartError::from)
    };
    for &(r, y0, y1) in &spans {
        let Some(row) = order.get(r).and_then(|&i| values.get(i * n..(i + 1) * n)) else {
            continue;
        };
        let mut run: Option<(i32, i32, RGBColor)> = None;
        for &(c, x0, x1) in &spans {
            let v = order.get(c).and_then(|&j| row.get(j)).copied();
            let colour = correlation_colour(v.unwrap_or(f64::NAN));
            run = match run {
                Some((start, _, current)) if current == colour => Some((start, x1, colour)),
                Some((start, end, current)) => {
                    draw(start, end, y0, y1, current)?;
                    Some((x0, x1, colour))
                }
                None => Some((x0, x1, colour)),
            };
        }
        if let Some((start, end, colour)) = run {
            draw(start, end, y0, y1, colour)?;
        }
    }
    Ok(())
}

/// ρ with two decimals in the middle of each cell with a known value, white on dark cells.
fn draw_values<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &HeatmapLayout,
    values: &[f64],
    order: &[usize],
) -> Result<(), ChartError> {
    let n = layout.n;
    let size = (layout.cell * 0.36).clamp(10.0, 15.0);
    let dark = (FONT, size)
        .into_font()
        .color(&RGBColor(0x22, 0x22, 0x22))
        .pos(Pos::new(HPos::Center, VPos::Center));
    let light = dark.color(&WHITE);
    for (r, &i) in order.iter().enumerate() {
        for (c, &j) in order.iter().enumerate() {
            let Some(v) = values.get(i * n + j).copied().filter(|v| v.is_finite()) else {
                continue;
            };
            let Some(((x0, y0), (x1, y1))) = layout.cell_rect(r, c) else {
                continue;
            };
            let style = if v.abs() > 0.6 { &light } else { &dark };
            let text = format!("{v:.2}").replace("-0.00", "0.00");
            let _ = area.draw(&Text::new(text, ((x0 + x1) / 2, (y0 + y1) / 2), style));
        }
    }
    Ok(())
}

/// The vertical colour bar (+1 at the top, −1 at the bottom) with ticks at −1, −0.5, 0, 0.5
/// and 1 and the caption `caption` written downwards on its right.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: i32,
    y: i32,
    height: i32,
    tick_w: i32,
    caption: &str,
) -> Result<(), ChartError> {
    if height < 10 {
        return Ok(());
    }
    // One-pixel strips from +1 down to −1, neighbours of the same colour merged.
    let rho = |py: i32| 1.0 - 2.0 * f64::from(py) / f64::from(height - 1);
    let mut start = 0;
    for py in 1..=height {
        let colour = correlation_colour(rho(start));
        if py == height || correlation_colour(rho(py)) != colour {
            area.draw(&Rectangle::new(
                [(x, y + start), (x + BAR_W, y + py)],
                colour.filled(),
            ))
            .map_err(ChartError::from)?;
            start = py;
        }
    }
    area.draw(&Rectangle::new(
        [(x, y), (x + BAR_W, y + height)],
        MUTED.stroke_width(1),
    ))
    .map_err(ChartError::from)?;
    let font = (FONT, 12)
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for t in [1.0, 0.5, 0.0, -0.5, -1.0] {
        let ty = y + ((1.0 - t) / 2.0 * f64::from(height)).round() as i32;
        area.draw(&PathElement::new(
            vec![(x + BAR_W, ty), (x + BAR_W + 4, ty)],
            MUTED.stroke_width(1),
        ))
        .map_err(ChartError::from)?;
        let _ = area.draw(&Text::new(fmt_num(t), (x + BAR_W + 7, ty), font.clone()));
    }
    if !caption.is_empty() {
        let style = (FONT, 13)
            .into_font()
            .color(&MUTED)
            .transform(FontTransform::Rotate90)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let _ = area.draw(&Text::new(
            caption.to_string(),
            (x + BAR_W + 7 + tick_w + 6, y + height / 2),
            style,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pixel_of_the_grid_maps_to_the_cell_drawn_there() {
        for (n, cell) in [
            (1, 300.0),
            (5, 31.4),
            (7, 1.5),
            (500, 1.48),
            (500, 0.68),
            (9, 0.3),
        ] {
            let l = HeatmapLayout {
                left: 10,
                top: 20,
                cell,
                n,
            };
            let end = l.edge(n);
            for d in 0..end {
                let i = l.index(d).expect("inside");
                assert!(
                    l.edge(i) <= d && d < l.edge(i + 1),
                    "n {n} cell {cell} d {d}: {i}"
                );
            }
            assert_eq!(l.index(-1), None);
            assert_eq!(l.index(end), None);
            if cell >= 1.0 {
                assert_eq!(l.cell_at(10, 20), Some((0, 0)));
            }
            assert_eq!(l.cell_at(9, 20), None);
            assert_eq!(l.cell_at(10 + end - 1, 20 + end - 1), Some((n - 1, n - 1)));
        }
        let nothing = HeatmapLayout::NONE;
        assert_eq!(nothing.cell_at(0, 0), None);
        let broken = HeatmapLayout {
            cell: f64::NAN,
            ..HeatmapLayout::NONE
        };
        assert_eq!(broken.cell_at(0, 0), None);
    }

    #[test]
    fn only_permutations_are_display_orders() {
        assert_eq!(display_order(&[2, 0, 1], 3), vec![2, 0, 1]);
        assert_eq!(display_order(&[2, 2, 1], 3), vec![0, 1, 2]);
        assert_eq!(display_order(&[3, 0, 1], 3), vec![0, 1, 2]);
        assert_eq!(display_order(&[0, 1], 3), vec![0, 1, 2]);
        assert_eq!(display_order(&[], 0), Vec::<usize>::new());
    }

    #[test]
    fn the_scale_diverges_from_white() {
        assert_eq!(correlation_colour(0.0), WHITE);
        assert_eq!(correlation_colour(1.0), RGBColor(0x05, 0x30, 0x61));
        assert_eq!(correlation_colour(-1.0), RGBColor(0x67, 0x00, 0x1f));
        assert_eq!(correlation_colour(3.0), correlation_colour(1.0));
        assert_eq!(correlation_colour(f64::NAN), crate::style::MISSING);
        assert_eq!(correlation_colour(f64::NEG_INFINITY), crate::style::MISSING);
        // Blue for positive, red for negative.
        let (p, m) = (correlation_colour(0.5), correlation_colour(-0.5));
        assert!(p.2 > p.0 && m.0 > m.2);
    }
}
