//! Colours and fonts shared by the charts.

use plotters::style::RGBColor;

/// Series colours: portfolio, benchmark, then extra series.
pub const PALETTE: [RGBColor; 5] = [
    RGBColor(0x1f, 0x5f, 0xa8), // portfolio: deep blue
    RGBColor(0xe0, 0x7b, 0x22), // benchmark: orange
    RGBColor(0x2e, 0x8b, 0x57),
    RGBColor(0x8e, 0x44, 0xad),
    RGBColor(0x7f, 0x8c, 0x8d),
];
/// Drawdown fill, VaR lines, loss tails and exceedances.
pub const LOSS: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
/// Expected shortfall (CVaR): a darker loss red.
pub const LOSS_DARK: RGBColor = RGBColor(0x7b, 0x1e, 0x16);
/// Realised returns behind a forecast line.
pub const NEUTRAL: RGBColor = RGBColor(0x9a, 0xa3, 0xad);
/// Axis labels and empty-state text.
pub const MUTED: RGBColor = RGBColor(0x55, 0x5f, 0x6b);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xe6, 0xe9, 0xee);
pub const FONT: &str = "sans-serif";
/// Links of a dendrogram (above the cut, or all of them without one).
pub const LINK: RGBColor = RGBColor(0x3d, 0x46, 0x52);
/// A heat-map cell whose value is unknown (NaN): a grey with no hue, unlike any colour of
/// the diverging scale.
pub const MISSING: RGBColor = RGBColor(0xb4, 0xb4, 0xb4);

/// The diverging correlation scale (ColorBrewer RdBu, colour-blind safe), from −1 to +1 in
/// steps of 0.2, with pure white at 0.
const RDBU: [RGBColor; 11] = [
    RGBColor(0x67, 0x00, 0x1f),
    RGBColor(0xb2, 0x18, 0x2b),
    RGBColor(0xd6, 0x60, 0x4d),
    RGBColor(0xf4, 0xa5, 0x82),
    RGBColor(0xfd, 0xdb, 0xc7),
    RGBColor(0xff, 0xff, 0xff),
    RGBColor(0xd1, 0xe5, 0xf0),
    RGBColor(0x92, 0xc5, 0xde),
    RGBColor(0x43, 0x93, 0xc3),
    RGBColor(0x21, 0x66, 0xac),
    RGBColor(0x05, 0x30, 0x61),
];

/// The colour of correlation `rho` on the heat map's diverging scale: −1 deep red, 0 white,
/// +1 deep blue (values beyond ±1 are clamped); NaN and infinities are grey ([`MISSING`]).
pub fn correlation_colour(rho: f64) -> RGBColor {
    if !rho.is_finite() {
        return MISSING;
    }
    let t = (rho.clamp(-1.0, 1.0) + 1.0) * 5.0; // 0..=10
    let i = (t.floor() as usize).min(9);
    let f = t - i as f64;
    match (RDBU.get(i), RDBU.get(i + 1)) {
        (Some(a), Some(b)) => {
            let mix =
                |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
            RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
        }
        _ => MISSING,
    }
}
