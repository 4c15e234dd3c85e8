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
