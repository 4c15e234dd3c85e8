//! The report's CSS, inside the file: readable on screen, print-friendly (no backgrounds, no
//! table or figure split across pages, each major section on a new page, A4/Letter width).
//! No fonts, images or anything else from elsewhere.

/// The `<style>` contents.
pub const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1d2330; background: #f6f7f9; margin: 0; line-height: 1.4; font-size: 14px; }
main { max-width: 960px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
header.report-head h1 { margin: 0 0 4px; font-size: 26px; }
header.report-head p { margin: 2px 0; color: #4a5264; }
nav.toc ol { columns: 2; margin: 8px 0 0; padding-left: 20px; }
nav.toc a { color: #1f5fa8; text-decoration: none; }
section.major { margin-top: 36px; }
h2 { font-size: 21px; border-bottom: 2px solid #1f5fa8; padding-bottom: 4px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 12.5px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #dfe3ea; padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #9aa3b5; background: #eef1f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.conv { color: #5a6275; font-size: 11.5px; }
td.neg { color: #b3261e; }
table.monthly td, table.monthly th { padding: 2px 4px; font-size: 11.5px; }
figure { margin: 10px 0 18px; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
figcaption { font-size: 12px; color: #4a5264; margin-top: 4px; }
p.note, ul.notes { color: #4a5264; font-size: 12.5px; }
p.chart-error { color: #b3261e; }
.sev-critical, .sev-halt { color: #b3261e; font-weight: 600; }
.sev-warning { color: #9a6700; font-weight: 600; }
.figure-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px; }
.card { border: 1px solid #dfe3ea; border-radius: 6px; padding: 8px 10px; }
.card .label { font-size: 12px; color: #4a5264; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .conv { font-size: 11px; color: #6a7285; }
@page { size: auto; margin: 14mm 12mm; }
@media print {
  body { background: none; font-size: 11px; }
  main { max-width: none; width: 100%; padding: 0; }
  * { background: none !important; box-shadow: none !important; }
  thead th { border-bottom: 1.5px solid #000; }
  nav.toc { display: none; }
  section.major { break-before: page; page-break-before: always; margin-top: 0; }
  table, figure, .card, .figure-cards { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure svg { max-width: 180mm; }
  a { color: inherit; text-decoration: none; }
}
"#;
