//! A chart function of `ballast-charts` drawn to an inline SVG string at a given size.

use ballast_charts::ChartError;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

/// The area a chart function draws on.
pub type SvgArea<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draw `draw` on a `width × height` SVG and return the `<svg>` element for inline use: the
/// `xmlns` attribute is dropped (HTML does not need it, and the report then names no URL at
/// all), and the size becomes a `viewBox` the CSS scales to the page width. A drawing error
/// yields a short message in place of the chart, never a panic.
pub fn chart_svg<T>(
    width: u32,
    height: u32,
    draw: impl FnOnce(&SvgArea<'_>) -> Result<T, ChartError>,
) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        let r = draw(&root);
        let presented = root.present();
        r.map(|_| ())
            .and(presented.map_err(|e| ChartError(e.to_string())))
    };
    match result {
        Ok(()) => inline(&out, width, height),
        Err(e) => format!(
            "<p class=\"chart-error\">{}</p>",
            crate::escape::esc(&e.to_string())
        ),
    }
}

/// The SVG of plotters made fit for inline HTML (see [`chart_svg`]).
fn inline(svg: &str, width: u32, height: u32) -> String {
    let svg = svg.trim();
    let open_end = svg.find('>').map_or(0, |i| i + 1);
    let body = svg.get(open_end..).unwrap_or("");
    format!(
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" preserveAspectRatio=\"xMidYMid meet\">{body}"
    )
}

#[cfg(test)]
mod tests {
    use super::chart_svg;

    #[test]
    fn one_svg_without_namespace_url() {
        let s = chart_svg(200, 100, |a| {
            ballast_charts::underwater(a, &[], &[])?;
            Ok(())
        });
        assert_eq!(s.matches("<svg").count(), 1, "{s}");
        assert!(s.ends_with("</svg>"), "{s}");
        assert!(!s.contains("http"), "{s}");
    }
}
