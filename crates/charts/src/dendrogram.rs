//! Dendrogram of a hierarchical clustering in scipy's linkage convention: one U-shaped link
//! per merge, from the two merged clusters up to the merge height; leaves in a given order
//! along one axis, heights along the other; an optional dashed cut line, below which each
//! cluster's links take a palette colour.

use crate::style::{FONT, LINK, LOSS, MUTED, PALETTE};
use crate::{empty_state, fmt_num, label_plan, shorten, text_width, usable_range, ChartError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Data of a dendrogram.
pub struct DendrogramChart<'a> {
    /// Leaf names (`n` of them).
    pub labels: &'a [String],
    /// scipy linkage rows `(a, b, height)`, `n − 1` of them: ids below `n` are leaves, id
    /// `n + k` is the cluster formed at row `k`. Each id merges once, into a later row.
    pub merges: &'a [(usize, usize, f64)],
    /// Leaves left to right (top to bottom when `horizontal`); anything but a permutation of
    /// `0..n` means the order of the tree itself (first cluster of each merge first).
    pub leaf_order: &'a [usize],
    /// `true`: leaves on the left, one per row from the top, heights growing to the right (to
    /// sit beside the rows of a heat map); `false`: leaves along the bottom, heights upwards.
    pub horizontal: bool,
    /// Caption of the height axis, e.g. "distance √(½(1−ρ))".
    pub height_label: &'a str,
    /// A dashed line at this height; the clusters below it are coloured.
    pub cut: Option<f64>,
}

/// The strip of a dendrogram's area that holds the height axis: along the bottom when
/// horizontal, along the left otherwise. The leaves share the rest of that side equally:
/// horizontal, leaf `i` of `n` is centred `(i + ½) × (height − DENDROGRAM_AXIS_PX) / n` pixels
/// below the top; vertical, `DENDROGRAM_AXIS_PX + (i + ½) × (width − DENDROGRAM_AXIS_PX) / n`
/// pixels right of the left edge. So an area whose leaf side spans a heat map's grid (plus
/// this strip) puts each leaf beside its heat-map row or column.
pub const DENDROGRAM_AXIS_PX: u32 = 48;

const AXIS: i32 = DENDROGRAM_AXIS_PX as i32;
/// Labels longer than this are shortened with an ellipsis.
const MAX_LABEL_CHARS: usize = 14;
/// Room beyond the highest merge on the height axis, as a fraction of its span.
const HEADROOM: f64 = 0.05;

/// A checked tree: position along the leaf axis (leaf order index, clusters midway between
/// their parts) and height of each of the `2n − 1` nodes.
struct Tree {
    pos: Vec<f64>,
    height: Vec<f64>,
}

/// `order` if it is a permutation of `0..n`.
fn permutation(order: &[usize], n: usize) -> Option<&[usize]> {
    let mut seen = vec![false; n];
    (order.len() == n
        && order
            .iter()
            .all(|&i| seen.get_mut(i).is_some_and(|s| !std::mem::replace(s, true))))
    .then_some(order)
}

/// Check the linkage (each id below `n + k` at row `k`, two different ids, each merged once,
/// finite heights) and place its nodes; `None` when it is not a tree over `n ≥ 2` leaves.
fn tree(n: usize, merges: &[(usize, usize, f64)], leaf_order: &[usize]) -> Option<Tree> {
    if n < 2 || merges.len() != n - 1 {
        return None;
    }
    let nodes = 2 * n - 1;
    let mut used = vec![false; nodes];
    for (k, &(a, b, h)) in merges.iter().enumerate() {
        if a == b || a >= n + k || b >= n + k || !h.is_finite() {
            return None;
        }
        for id in [a, b] {
            if std::mem::replace(used.get_mut(id)?, true) {
                return None;
            }
        }
    }
    // n − 1 merges of 2 distinct, once-used ids below 2n − 2: every node but the last
    // (the root) is merged exactly once, so this is a single tree.
    let mut pos = vec![0.0; nodes];
    let mut height = vec![0.0; nodes];
    match permutation(leaf_order, n) {
        Some(order) => {
            for (i, &leaf) in order.iter().enumerate() {
                *pos.get_mut(leaf)? = i as f64;
            }
        }
        None => {
            // The tree's own order: depth first, first part of each merge first.
            let mut stack = vec![nodes - 1];
            let mut next = 0.0;
            while let Some(id) = stack.pop() {
                if id < n {
                    *pos.get_mut(id)? = next;
                    next += 1.0;
                } else {
                    let &(a, b, _) = merges.get(id - n)?;
                    stack.push(b);
                    stack.push(a);
                }
            }
        }
    }
    for (k, &(a, b, h)) in merges.iter().enumerate() {
        let p = (pos.get(a)? + pos.get(b)?) / 2.0;
        *pos.get_mut(n + k)? = p;
        *height.get_mut(n + k)? = h;
    }
    Some(Tree { pos, height })
}

/// The colour of each merge's link: with a cut, the clusters formed at or below it take
/// palette colours (left to right), the links above it [`LINK`]; without, all [`LINK`].
fn link_colours(
    n: usize,
    merges: &[(usize, usize, f64)],
    tree: &Tree,
    cut: Option<f64>,
) -> Vec<RGBColor> {
    let mut colours = vec![LINK; merges.len()];
    let Some(cut) = cut else {
        return colours;
    };
    // The cluster each node belongs to at the cut (its highest ancestor at or below it),
    // parents first: a parent's id is larger than its parts'.
    let mut cluster: Vec<Option<usize>> = vec![None; 2 * n - 1];
    for (k, &(a, b, h)) in merges.iter().enumerate().rev() {
        let id = n + k;
        if h <= cut {
            let own = cluster.get(id).copied().flatten().unwrap_or(id);
            for node in [id, a, b] {
                if let Some(c) = cluster.get_mut(node) {
                    *c = Some(own);
                }
            }
        }
    }
    let mut roots: Vec<usize> = (n..2 * n - 1)
        .filter(|&id| cluster.get(id).copied().flatten() == Some(id))
        .collect();
    roots.sort_by(|a, b| {
        let p = |id: &usize| tree.pos.get(*id).copied().unwrap_or(0.0);
        p(a).total_cmp(&p(b))
    });
    for (k, colour) in colours.iter_mut().enumerate() {
        if let Some(root) = cluster.get(n + k).copied().flatten() {
            let rank = roots.iter().position(|r| *r == root).unwrap_or(0);
            *colour = PALETTE[rank % 4];
        }
    }
    colours
}

/// Tick values from `lo` to `hi`: about `target` of them at 1, 2 or 5 × a power of ten.
fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let raw = (hi - lo) / target.max(1) as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return Vec::new();
    }
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .take(100)
        .map(|i| {
            let v = i as f64 * step;
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect()
}

/// Draw the dendrogram.
pub fn dendrogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &DendrogramChart<'_>,
) -> Result<(), ChartError> {
    let n = chart.labels.len();
    if n < 2 {
        return empty_state(area, "Not enough data to draw");
    }
    let Some(tree) = tree(n, chart.merges, chart.leaf_order) else {
        return empty_state(area, "Cannot draw this clustering");
    };
    let cut = chart.cut.filter(|c| c.is_finite());
    let heights = || chart.merges.iter().map(|m| m.2).chain(cut);
    let lo = heights().fold(0.0, f64::min);
    let hi = heights().fold(0.0, f64::max);
    let hi = if hi - lo < 1e-12 { lo + 1.0 } else { hi };
    let top = hi + (hi - lo) * HEADROOM;
    if !usable_range(lo, top) {
        return empty_state(area, "Cannot draw this clustering");
    }

    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    // Leaf axis: the side of the area without the axis strip, in equal slots.
    let leaf_len = if chart.horizontal { h - AXIS } else { w - AXIS };
    let slot = f64::from(leaf_len) / n as f64;
    let (font_px, step) = label_plan(slot);
    let labelled = step == 1 && chart.labels.iter().any(|l| !l.trim().is_empty());
    let font = (FONT, font_px).into_font().color(&MUTED);
    let labels: Vec<String> = chart
        .labels
        .iter()
        .map(|l| shorten(l, MAX_LABEL_CHARS))
        .collect();
    let widest = if labelled {
        labels
            .iter()
            .map(|l| text_width(area, l, &font))
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    // Vertical leaves are labelled across when every label fits its slot, upwards otherwise.
    let across = f64::from(widest) <= slot - 4.0;
    let label_room = match (labelled, chart.horizontal, across) {
        (false, _, _) => 4,
        (true, true, _) => (widest + 8).min(w * 3 / 10),
        (true, false, true) => font_px as i32 + 8,
        (true, false, false) => (widest + 8).min(h * 3 / 10),
    };
    // Height axis: from the leaves (height `lo`) to `top`, in pixels.
    let (base, end) = if chart.horizontal {
        (label_room, w - 16)
    } else {
        (h - label_room, 10)
    };
    if leaf_len < 10 || (end - base).abs() < 10 {
        return empty_state(area, "Not enough room to draw");
    }
    let height_px = |v: f64| base + ((v - lo) / (top - lo) * f64::from(end - base)).round() as i32;
    let leaf_px = |p: f64| {
        let offset = ((p + 0.5) * slot).round() as i32;
        if chart.horizontal {
            offset
        } else {
            AXIS + offset
        }
    };
    let point = |p: f64, v: f64| {
        if chart.horizontal {
            (height_px(v), leaf_px(p))
        } else {
            (leaf_px(p), height_px(v))
        }
    };

    area.fill(&WHITE).map_err(ChartError::from)?;
    let colours = link_colours(n, chart.merges, &tree, cut);
    let width = if slot >= 6.0 { 2 } else { 1 };
    let node = |id: usize| {
        (
            tree.pos.get(id).copied().unwrap_or(0.0),
            tree.height.get(id).copied().unwrap_or(0.0),
        )
    };
    for (k, &(a, b, v)) in chart.merges.iter().enumerate() {
        let ((pa, ha), (pb, hb)) = (node(a), node(b));
        let colour = colours.get(k).copied().unwrap_or(LINK);
        area.draw(&PathElement::new(
            vec![point(pa, ha), point(pa, v), point(pb, v), point(pb, hb)],
            colour.stroke_width(width),
        ))
        .map_err(ChartError::from)?;
    }
    if let Some(c) = cut {
        dashed(area, point(-0.5, c), point(n as f64 - 0.5, c))?;
    }
    draw_height_axis(area, chart, (base, end), leaf_len, lo, top, &height_px)?;
    if labelled {
        for (i, &leaf) in permuted(chart.leaf_order, &tree, n).iter().enumerate() {
            let Some(label) = labels.get(leaf) else {
                continue;
            };
            let at = leaf_px(i as f64);
            let (pos, style) = if chart.horizontal {
                (
                    (base - 5, at),
                    font.pos(Pos::new(HPos::Right, VPos::Center)),
                )
            } else if across {
                ((at, base + 5), font.pos(Pos::new(HPos::Center, VPos::Top)))
            } else {
                (
                    (at, base + 5),
                    font.transform(FontTransform::Rotate270)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                )
            };
            let _ = area.draw(&Text::new(label.clone(), pos, style));
        }
    }
    area.present().map_err(ChartError::from)
}

/// The leaves in display order (by their position in `tree`).
fn permuted(leaf_order: &[usize], tree: &Tree, n: usize) -> Vec<usize> {
    match permutation(leaf_order, n) {
        Some(order) => order.to_vec(),
        None => {
            let mut leaves: Vec<usize> = (0..n).collect();
            leaves.sort_by(|a, b| {
                let p = |id: &usize| tree.pos.get(*id).copied().unwrap_or(0.0);
                p(a).total_cmp(&p(b))
            });
            leaves
        }
    }
}

/// A dashed straight line from `from` to `to` in the loss colour.
fn dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
) -> Result<(), ChartError> {
    let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
    let len = dx.hypot(dy);
    if len < 1.0 {
        return Ok(());
    }
    let (dash, gap) = (6.0, 4.0);
    let at = |d: f64| {
        (
            from.0 + (dx * d / len).round() as i32,
            from.1 + (dy * d / len).round() as i32,
        )
    };
    let mut d = 0.0;
    while d < len {
        area.draw(&PathElement::new(
            vec![at(d), at((d + dash).min(len))],
            LOSS.stroke_width(2),
        ))
        .map_err(ChartError::from)?;
        d += dash + gap;
    }
    Ok(())
}

/// The height axis in the strip along the bottom (horizontal) or the left (vertical): a line,
/// ticks with labels, and the caption.
fn draw_height_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &DendrogramChart<'_>,
    (base, end): (i32, i32),
    leaf_len: i32,
    lo: f64,
    top: f64,
    height_px: &dyn Fn(f64) -> i32,
) -> Result<(), ChartError> {
    let line = MUTED.stroke_width(1);
    let tick_font = (FONT, 12).into_font().color(&MUTED);
    let caption_font = (FONT, 13).into_font().color(&MUTED);
    let target = ((end - base).abs() / 70).clamp(2, 10) as usize;
    let ticks = nice_ticks(lo, top, target);
    if chart.horizontal {
        let y = leaf_len + 4;
        area.draw(&PathElement::new(vec![(base, y), (end, y)], line))
            .map_err(ChartError::from)?;
        for t in ticks {
            let x = height_px(t);
            area.draw(&PathElement::new(vec![(x, y), (x, y + 4)], line))
                .map_err(ChartError::from)?;
            let style = tick_font.pos(Pos::new(HPos::Center, VPos::Top));
            let _ = area.draw(&Text::new(fmt_num(t), (x, y + 6), style));
        }
        let style = caption_font.pos(Pos::new(HPos::Center, VPos::Top));
        let _ = area.draw(&Text::new(
            chart.height_label.to_string(),
            ((base + end) / 2, y + 24),
            style,
        ));
    } else {
        let x = AXIS - 4;
        area.draw(&PathElement::new(vec![(x, base), (x, end)], line))
            .map_err(ChartError::from)?;
        for t in ticks {
            let y = height_px(t);
            area.draw(&PathElement::new(vec![(x - 4, y), (x, y)], line))
                .map_err(ChartError::from)?;
            let style = tick_font.pos(Pos::new(HPos::Right, VPos::Center));
            let _ = area.draw(&Text::new(fmt_num(t), (x - 6, y), style));
        }
        let style = caption_font
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let _ = area.draw(&Text::new(
            chart.height_label.to_string(),
            (2, (base + end) / 2),
            style,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(nice_ticks(0.0, 0.84, 4), vec![0.0, 0.25, 0.5, 0.75]);
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert!(nice_ticks(0.0, 0.0, 4).is_empty());
        assert!(nice_ticks(0.0, f64::NAN, 4).is_empty());
    }

    #[test]
    fn a_tree_places_clusters_between_their_parts() {
        let merges = [(0, 1, 0.2), (2, 3, 0.3), (4, 5, 0.7)];
        let t = tree(4, &merges, &[3, 2, 1, 0]).expect("valid");
        assert_eq!(t.pos, vec![3.0, 2.0, 1.0, 0.0, 2.5, 0.5, 1.5]);
        assert_eq!(t.height, vec![0.0, 0.0, 0.0, 0.0, 0.2, 0.3, 0.7]);
        // Without an order: the tree's own, first parts first.
        let t = tree(4, &[(2, 3, 0.1), (0, 4, 0.2), (1, 5, 0.3)], &[]).expect("valid");
        // Root (1, (0, (2, 3))): leaves 1, 0, 2, 3 from the left.
        assert_eq!(&t.pos[..4], &[1.0, 0.0, 2.0, 3.0]);
        assert!(tree(4, &[(2, 3, 0.1), (0, 4, 0.2), (1, 4, 0.3)], &[]).is_none());
        assert!(tree(1, &[], &[]).is_none());
    }
}
