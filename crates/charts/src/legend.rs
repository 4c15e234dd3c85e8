//! A legend drawn as rows of items above a chart, so it never covers the data.

use crate::style::FONT;
use crate::ChartError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How a legend item is marked.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled circle.
    Dot(RGBColor),
    /// A filled box (bars).
    Bar(RGBAColor),
}

const ROW: i32 = 20;
const TOP: i32 = 6;
const MARK: i32 = 18;

/// Draw `items` in rows along the top of `area`, starting `left` pixels in (to line up with
/// the plot), and return the area below the legend. No items: the whole area. Text failures
/// are ignored (a backend without fonts still gets the marks).
pub(crate) fn legend_on_top<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    left: i32,
    items: &[(String, Mark)],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    if items.is_empty() {
        return Ok(area.clone());
    }
    let font = (FONT, 13)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let width = area.dim_in_pixel().0 as i32;
    let mut placed = Vec::with_capacity(items.len());
    let (mut x, mut row) = (left, 0);
    for (text, mark) in items {
        let text_w = area
            .estimate_text_size(text, &font)
            .map(|(w, _)| w as i32)
            .unwrap_or(text.chars().count() as i32 * 7);
        let item_w = MARK + 6 + text_w;
        if x > left && x + item_w > width - 10 {
            row += 1;
            x = left;
        }
        placed.push((x, TOP + ROW * row + ROW / 2, text, *mark));
        x += item_w + 18;
    }
    for (x, y, text, mark) in placed {
        match mark {
            Mark::Line(c) => area.draw(&PathElement::new(
                vec![(x, y), (x + MARK, y)],
                c.stroke_width(3),
            )),
            Mark::Dashed(c) => area
                .draw(&PathElement::new(
                    vec![(x, y), (x + 7, y)],
                    c.stroke_width(2),
                ))
                .and_then(|_| {
                    area.draw(&PathElement::new(
                        vec![(x + 11, y), (x + MARK, y)],
                        c.stroke_width(2),
                    ))
                }),
            Mark::Dot(c) => area.draw(&Circle::new((x + MARK / 2, y), 4, c.filled())),
            Mark::Bar(c) => area.draw(&Rectangle::new(
                [(x + 2, y - 6), (x + MARK - 2, y + 6)],
                c.filled(),
            )),
        }
        .map_err(ChartError::from)?;
        let _ = area.draw(&Text::new(text.clone(), (x + MARK + 6, y), font.clone()));
    }
    let height = (TOP + ROW * (row + 1) + 2).min(area.dim_in_pixel().1 as i32 / 2);
    Ok(area.split_vertically(height).1)
}
