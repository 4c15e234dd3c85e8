//! Small HTML building blocks: number formats, tables, figure tables, chart figures. Every
//! piece of user text goes through [`esc`]; cells built with [`Cell::html`] are already HTML.

use crate::escape::esc;
use crate::svg::chart_svg;
use ballast_charts::{bar_chart, bar_chart_height, BarChart};
use ballast_core::figures::{format_value, Figure};

/// A fraction as a percentage with two decimals (`0.1234` → `12.34%`); `n/a` when undefined.
pub fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.2}%", x * 100.0)
    } else {
        "n/a".to_string()
    }
}

/// A number with `decimals` decimals; `n/a` when undefined.
pub fn num(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        "n/a".to_string()
    }
}

/// An amount of money with thousands separators and two decimals (`1234567.8` → `1,234,567.80`).
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{frac}", if x < 0.0 { "-" } else { "" })
}

/// One table cell.
pub struct Cell {
    html: String,
    class: &'static str,
}

impl Cell {
    /// User or label text (escaped).
    pub fn text(s: &str) -> Cell {
        Cell {
            html: esc(s),
            class: "",
        }
    }
    /// A formatted number (escaped, right-aligned).
    pub fn num(s: &str) -> Cell {
        Cell {
            html: esc(s),
            class: "num",
        }
    }
    /// A convention or note (escaped, muted).
    pub fn conv(s: &str) -> Cell {
        Cell {
            html: esc(s),
            class: "conv",
        }
    }
    /// Markup built by this crate (must already be escaped).
    pub fn html(html: String) -> Cell {
        Cell { html, class: "" }
    }
}

/// A table: an optional caption, a header row (`numeric` columns right-aligned) and rows.
pub fn table(class: &str, caption: &str, head: &[(&str, bool)], rows: Vec<Vec<Cell>>) -> String {
    let mut s = String::new();
    if class.is_empty() {
        s.push_str("<table>");
    } else {
        s.push_str(&format!("<table class=\"{}\">", esc(class)));
    }
    if !caption.is_empty() {
        s.push_str(&format!("<caption>{}</caption>", esc(caption)));
    }
    s.push_str("<thead><tr>");
    for (h, numeric) in head {
        if *numeric {
            s.push_str(&format!("<th class=\"num\">{}</th>", esc(h)));
        } else {
            s.push_str(&format!("<th>{}</th>", esc(h)));
        }
    }
    s.push_str("</tr></thead><tbody>");
    for row in rows {
        s.push_str("<tr>");
        for c in row {
            if c.class.is_empty() {
                s.push_str(&format!("<td>{}</td>", c.html));
            } else {
                s.push_str(&format!("<td class=\"{}\">{}</td>", c.class, c.html));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>\n");
    s
}

/// A figure's benchmark value in the figure's own unit.
fn benchmark_value(f: &Figure) -> String {
    format_value(&Figure {
        value: f.benchmark_value,
        ..f.clone()
    })
}

/// A table of figures: label, value (as `figures::format_value` writes it), the benchmark's
/// value when `benchmark` names it, and the convention (the benchmark's own note appended).
pub fn figure_table(caption: &str, figures: &[Figure], benchmark: Option<&str>) -> String {
    let bench_head = benchmark.map(|b| format!("Benchmark ({b})"));
    let mut head: Vec<(&str, bool)> = vec![("Figure", false), ("Value", true)];
    if let Some(h) = &bench_head {
        head.push((h.as_str(), true));
    }
    head.push(("Convention", false));
    let rows = figures
        .iter()
        .map(|f| {
            let mut row = vec![Cell::text(&f.label), Cell::num(&format_value(f))];
            if benchmark.is_some() {
                row.push(Cell::num(&benchmark_value(f)));
            }
            let conv = match &f.benchmark_note {
                Some(n) if benchmark.is_some() => format!("{} (benchmark: {n})", f.convention),
                _ => f.convention.clone(),
            };
            row.push(Cell::conv(&conv));
            row
        })
        .collect();
    table("figures", caption, &head, rows)
}

/// Figure cards (the Overview's headline figures).
pub fn figure_cards(figures: &[Figure]) -> String {
    let mut s = String::from("<div class=\"figure-cards\">");
    for f in figures {
        s.push_str(&format!(
            "<div class=\"card\" data-key=\"{}\"><div class=\"label\">{}</div>\
             <div class=\"value\">{}</div><div class=\"conv\">{}</div></div>",
            esc(&f.key),
            esc(&f.label),
            esc(&format_value(f)),
            esc(&f.convention)
        ));
    }
    s.push_str("</div>\n");
    s
}

/// A chart: its inline SVG in a `<figure>` with a caption (`id` names the chart).
pub fn chart_figure(id: &str, caption: &str, svg: String) -> String {
    format!(
        "<figure class=\"chart\" data-chart=\"{}\">{svg}<figcaption>{}</figcaption></figure>\n",
        esc(id),
        esc(caption)
    )
}

/// A line of a breakdown by position and by sector (contributions, risk decomposition): a name
/// and fractions.
pub trait BreakdownLine {
    /// The headers of the fraction columns (after "Name").
    const COLUMNS: &'static [&'static str];
    /// The names of the two series charted by position.
    const BARS: [&'static str; 2];
    /// The position's or sector's name.
    fn name(&self) -> &str;
    /// The fractions of the columns, in the order of `COLUMNS`.
    fn values(&self) -> Vec<f64>;
    /// The fractions of the two charted series.
    fn bars(&self) -> [f64; 2];
}

/// A breakdown: the table by position, the table by sector (fractions as percentages), then a
/// bar chart of the two charted series by position in a figure (`id` names the chart).
pub fn breakdown<L: BreakdownLine>(
    positions: &[L],
    sectors: &[L],
    id: &str,
    caption: &str,
) -> String {
    let mut head = vec![("Name", false)];
    head.extend(L::COLUMNS.iter().map(|c| (*c, true)));
    let rows = |lines: &[L]| {
        lines
            .iter()
            .map(|l| {
                let mut row = vec![Cell::text(l.name())];
                row.extend(l.values().into_iter().map(|v| Cell::num(&pct(v))));
                row
            })
            .collect::<Vec<_>>()
    };
    let mut s = table("", "By position", &head, rows(positions));
    s.push_str(&table("", "By sector", &head, rows(sectors)));
    let labels: Vec<String> = positions.iter().map(|l| l.name().to_string()).collect();
    let first: Vec<f64> = positions.iter().map(|l| l.bars()[0]).collect();
    let second: Vec<f64> = positions.iter().map(|l| l.bars()[1]).collect();
    let series = [
        (L::BARS[0], first.as_slice()),
        (L::BARS[1], second.as_slice()),
    ];
    let svg = chart_svg(800, bar_chart_height(labels.len(), 2), |area| {
        bar_chart(
            area,
            &BarChart {
                labels: &labels,
                series: &series,
                percent: true,
            },
        )
    });
    s.push_str(&chart_figure(id, caption, svg));
    s
}

/// A list of notes (escaped); empty input gives nothing.
pub fn notes(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut s = String::from("<ul class=\"notes\">");
    for n in items {
        s.push_str(&format!("<li>{}</li>", esc(n)));
    }
    s.push_str("</ul>\n");
    s
}

/// A paragraph of muted text (escaped).
pub fn note(text: &str) -> String {
    format!("<p class=\"note\">{}</p>\n", esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(pct(0.12345), "12.35%");
        assert_eq!(pct(f64::NAN), "n/a");
        assert_eq!(money(1234567.8), "1,234,567.80");
        assert_eq!(money(-999.5), "-999.50");
        assert_eq!(money(12.0), "12.00");
    }
}
