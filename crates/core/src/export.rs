//! Tabular export: a table of text cells (as the app shows it) to a CSV or a JSON file.
//!
//! The app reads a rendered `<table>` into rows of [`SpanCell`]s (the cell's raw value or its
//! text, with its `colspan`/`rowspan`), [`Table::from_spans`] lays them out on a grid, and
//! [`to_csv`] / [`to_json`] write the file. Nothing here touches the browser, so it is tested
//! natively.
//!
//! - **Numbers** are cells that read as a plain finite decimal number ([`number`]: digits, an
//!   optional sign, point and exponent; no `%`, currency sign, thousands separator, `inf` or
//!   `NaN`). They are written as they are: CSV keeps the text unchanged, JSON writes a number.
//! - **Text** cells are strings. In CSV a text cell that a spreadsheet would run as a formula
//!   (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`
//!   ([`guard_formula`]); JSON keeps text unchanged.
//! - **CSV** follows RFC 4180 (the `csv` crate's writer): fields with a comma, a quote, CR or LF
//!   are quoted and quotes doubled; lines end with CRLF; the first line is the header.
//! - **JSON** is an array of objects, one per body row, keyed by column header in column order.
//!   Empty or repeated headers are made unique ([`Table::unique_header`]: `column_3`,
//!   `Year_2`); empty cells are `null`.

use std::borrow::Cow;
use thiserror::Error;

/// The largest `colspan` or `rowspan` honoured (HTML caps `colspan` at 1000 too); larger spans
/// count as this many, so a hostile table cannot make the grid huge.
pub const MAX_SPAN: usize = 1000;

/// An export that could not be written.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ExportError {
    /// The CSV writer failed.
    #[error("the CSV file could not be written: {0}")]
    Csv(String),
    /// A JSON value could not be written.
    #[error("the JSON file could not be written: {0}")]
    Json(String),
}

/// One cell as read from a rendered table: its value (raw number or trimmed text) and how many
/// columns and rows it spans (0 counts as 1).
#[derive(Debug, Clone, PartialEq)]
pub struct SpanCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

impl SpanCell {
    /// A cell spanning one column and one row.
    pub fn new(text: impl Into<String>) -> Self {
        SpanCell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
        }
    }
}

/// A table laid out on a grid: one header (one name per column, possibly empty or repeated) and
/// the body rows (records). Rows may be shorter than the header; missing cells are empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Lay out one row group (header rows or body rows) on a grid, honouring spans. `fill` says
/// whether a spanning cell's text goes into every slot it covers (headers) or only into its
/// first slot, the others left empty (body).
fn grid(rows: &[Vec<SpanCell>], fill: bool) -> Vec<Vec<String>> {
    // Slots taken by rowspans from rows above: (rows still covered, text for those rows).
    let mut carried: Vec<Option<(usize, String)>> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let rows_left = rows.len() - r;
        let mut line: Vec<String> = Vec::new();
        let mut col = 0;
        let mut cells = row.iter();
        loop {
            // A slot covered from above comes first.
            if let Some(Some((left, text))) = carried.get_mut(col) {
                if line.len() <= col {
                    line.resize(col + 1, String::new());
                }
                line[col] = text.clone();
                *left -= 1;
                if *left == 0 {
                    carried[col] = None;
                }
                col += 1;
                continue;
            }
            let Some(cell) = cells.next() else {
                // Slots covered from above further right still belong to this row.
                if carried.iter().skip(col).any(Option::is_some) {
                    col += 1;
                    continue;
                }
                break;
            };
            let cs = cell.colspan.clamp(1, MAX_SPAN);
            let rs = cell.rowspan.clamp(1, MAX_SPAN).min(rows_left);
            if line.len() < col + cs {
                line.resize(col + cs, String::new());
            }
            for k in 0..cs {
                let text = if fill || k == 0 {
                    cell.text.clone()
                } else {
                    String::new()
                };
                if rs > 1 {
                    if carried.len() <= col + k {
                        carried.resize(col + k + 1, None);
                    }
                    carried[col + k] =
                        Some((rs - 1, if fill { text.clone() } else { String::new() }));
                }
                line[col + k] = text;
            }
            col += cs;
        }
        out.push(line);
    }
    out
}

impl Table {
    /// Lay out a table read from the page: `header_rows` (from `<thead>`; any number of rows)
    /// and `body_rows`, each a list of cells with their spans.
    ///
    /// - Several header rows are combined per column: the distinct non-empty texts from top to
    ///   bottom joined with `" / "` (a "Portfolio" cell spanning "VaR" and "CVaR" gives
    ///   "Portfolio / VaR" and "Portfolio / CVaR").
    /// - A header cell's text fills every column and row it spans; a body cell's value goes
    ///   into its first (top-left) slot and the other slots it covers are empty, so a value is
    ///   never counted twice.
    /// - Spans do not cross from the header into the body (as in HTML, where a row group bounds
    ///   `rowspan`); spans are capped at [`MAX_SPAN`].
    pub fn from_spans(header_rows: &[Vec<SpanCell>], body_rows: &[Vec<SpanCell>]) -> Table {
        let head = grid(header_rows, true);
        let width = head.iter().map(Vec::len).max().unwrap_or(0);
        let header = (0..width)
            .map(|c| {
                let mut parts: Vec<&str> = Vec::new();
                for row in &head {
                    let t = row.get(c).map_or("", |s| s.trim());
                    if !t.is_empty() && !parts.contains(&t) {
                        parts.push(t);
                    }
                }
                parts.join(" / ")
            })
            .collect();
        Table {
            header,
            rows: grid(body_rows, false),
        }
    }

    /// The number of columns: the widest of the header and the rows.
    pub fn width(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.header.len()))
            .max()
            .unwrap_or(0)
    }

    /// One unique, non-empty name per column ([`Table::width`] of them): the header trimmed; an
    /// empty or missing name becomes `column_<n>` (1-based position); a repeated name gets
    /// `_2`, `_3`, … (skipping names already taken).
    pub fn unique_header(&self) -> Vec<String> {
        let width = self.width();
        let mut out: Vec<String> = Vec::with_capacity(width);
        let base: Vec<String> = (0..width)
            .map(|i| {
                let h = self.header.get(i).map_or("", |s| s.trim());
                if h.is_empty() {
                    format!("column_{}", i + 1)
                } else {
                    h.to_string()
                }
            })
            .collect();
        for (i, name) in base.iter().enumerate() {
            // A suffixed name never takes a name that is used already or that a later column
            // has itself.
            let taken = |n: &str, out: &[String]| {
                out.iter().any(|o| o == n) || base[i + 1..].iter().any(|b| b == n)
            };
            if !out.iter().any(|o| o == name) {
                out.push(name.clone());
                continue;
            }
            let mut k = 2;
            loop {
                let candidate = format!("{name}_{k}");
                if !taken(&candidate, &out) {
                    out.push(candidate);
                    break;
                }
                k += 1;
            }
        }
        out
    }

    /// Cell `(row, column)`, or `""` past the end of a short row.
    fn cell(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }
}

/// The cell as a number, when it is written as a plain finite decimal number: optional sign,
/// digits with an optional point, optional exponent (`0.0123`, `-5`, `1e-7`, `+2.5E3`). Text
/// such as `12.3%`, `$1,000`, `inf`, `NaN`, `0x10` or an empty cell is not a number.
pub fn number(cell: &str) -> Option<f64> {
    let s = cell.trim();
    if s.is_empty()
        || !s.bytes().any(|b| b.is_ascii_digit())
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Protect a text cell from spreadsheet formula injection: a cell that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return and is not a [`number`] gets a leading `'` (which
/// spreadsheets show as text and do not evaluate). Numbers, such as `-0.05`, stay as they are.
pub fn guard_formula(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && number(cell).is_none() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The table as CSV (RFC 4180, CRLF line ends): the header line (names as shown; empty ones
/// stay empty), then one line per body row padded to the table's width. Text cells are
/// guarded against formula injection ([`guard_formula`]); numbers are written unchanged.
pub fn to_csv(table: &Table) -> Result<String, ExportError> {
    let width = table.width();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(false)
        .from_writer(Vec::new());
    let err = |e: csv::Error| ExportError::Csv(e.to_string());
    if width == 0 {
        return Ok(String::new());
    }
    let header: Vec<Cow<str>> = (0..width)
        .map(|c| guard_formula(table.header.get(c).map_or("", |s| s.trim())))
        .collect();
    w.write_record(header.iter().map(|s| s.as_ref()))
        .map_err(err)?;
    for r in 0..table.rows.len() {
        let fields: Vec<Cow<str>> = (0..width)
            .map(|c| guard_formula(table.cell(r, c)))
            .collect();
        w.write_record(fields.iter().map(|s| s.as_ref()))
            .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

/// A JSON value for a cell: a number for a [`number`] (whole numbers that fit in 64 bits stay
/// exact), `null` for an empty cell, else the text.
fn json_value(cell: &str) -> Result<String, ExportError> {
    let err = |e: serde_json::Error| ExportError::Json(e.to_string());
    let t = cell.trim();
    if t.is_empty() {
        return Ok("null".into());
    }
    if let Some(v) = number(t) {
        let whole = !t.contains(['.', 'e', 'E']);
        let n = if let (true, Ok(i)) = (whole, t.parse::<i64>()) {
            serde_json::Number::from(i)
        } else if let (true, Ok(u)) = (whole, t.parse::<u64>()) {
            serde_json::Number::from(u)
        } else {
            match serde_json::Number::from_f64(v) {
                Some(n) => n,
                None => return serde_json::to_string(cell).map_err(err),
            }
        };
        return Ok(n.to_string());
    }
    serde_json::to_string(cell).map_err(err)
}

/// The table as JSON: an array with one object per body row, keyed by [`Table::unique_header`]
/// in column order (one row per line). Numbers are JSON numbers, empty cells `null`, the rest
/// strings (not formula-guarded: JSON is not opened as a spreadsheet). No rows gives `[]`.
pub fn to_json(table: &Table) -> Result<String, ExportError> {
    let keys = table
        .unique_header()
        .iter()
        .map(|k| serde_json::to_string(k).map_err(|e| ExportError::Json(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    if table.rows.is_empty() {
        return Ok("[]\n".into());
    }
    let mut out = String::from("[\n");
    for r in 0..table.rows.len() {
        out.push_str("  {");
        for (c, key) in keys.iter().enumerate() {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(key);
            out.push_str(": ");
            out.push_str(&json_value(table.cell(r, c))?);
        }
        out.push('}');
        if r + 1 < table.rows.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]\n");
    Ok(out)
}

/// An element id as a file-name part: lower case, every run of characters outside `[a-z0-9]`
/// turned into one `-`, no `-` at either end; `"table"` when nothing is left.
pub fn sanitize_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for ch in id.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "table".into()
    } else {
        out
    }
}

/// The download's file name: `ballast-<id>.<ext>` with the id sanitised ([`sanitize_id`]).
pub fn file_name(id: &str, ext: &str) -> String {
    format!("ballast-{}.{ext}", sanitize_id(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<SpanCell> {
        cells.iter().map(|c| SpanCell::new(*c)).collect()
    }

    fn table(header: &[&str], rows: &[&[&str]]) -> Table {
        Table::from_spans(
            &[row(header)],
            &rows.iter().map(|r| row(r)).collect::<Vec<_>>(),
        )
    }

    fn spanned(text: &str, colspan: usize, rowspan: usize) -> SpanCell {
        SpanCell {
            text: text.into(),
            colspan,
            rowspan,
        }
    }

    #[test]
    fn numbers_are_plain_finite_decimals() {
        assert_eq!(number("0.0123"), Some(0.0123));
        assert_eq!(number("-5"), Some(-5.0));
        assert_eq!(number("+2.5E3"), Some(2500.0));
        assert_eq!(number("1e-7"), Some(1e-7));
        assert_eq!(number(" 42 "), Some(42.0));
        for text in [
            "",
            "-",
            "+",
            "e",
            ".",
            "12.3%",
            "$1,000",
            "1,5",
            "inf",
            "-inf",
            "NaN",
            "1e400",
            "0x10",
            "1_000",
            "2024-01-05",
            "--1",
            "1e",
            "=1+2",
        ] {
            assert_eq!(number(text), None, "{text:?} read as a number");
        }
    }

    #[test]
    fn formula_guard_prefixes_risky_text_only() {
        for risky in [
            "=SUM(A1:A9)",
            "+cmd",
            "-cmd|' /C calc'!A0",
            "@SUM(1)",
            "\tx",
            "\rx",
            "-",
            "--1",
        ] {
            assert_eq!(guard_formula(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["-0.05", "+3", "1e-7", "Apple", "", "a=b", "−1.2%", " =x"] {
            assert_eq!(guard_formula(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn csv_quotes_per_rfc4180_and_guards_formulas() {
        let t = table(
            &["Name", "Value", "Note"],
            &[
                &["a,b", "0.5", "say \"hi\""],
                &["line\nbreak", "-0.25", "=HYPERLINK(\"x\")"],
                &["cr\r", "1e-7", "@risk"],
            ],
        );
        let csv = to_csv(&t).unwrap();
        assert_eq!(
            csv,
            "Name,Value,Note\r\n\"a,b\",0.5,\"say \"\"hi\"\"\"\r\n\"line\nbreak\",-0.25,\"'=HYPERLINK(\"\"x\"\")\"\r\n\"cr\r\",1e-7,'@risk\r\n"
        );
        // The csv crate reads it back to the guarded cells.
        let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let recs: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(recs[1], ["line\nbreak", "-0.25", "'=HYPERLINK(\"x\")"]);
    }

    #[test]
    fn csv_pads_short_rows_and_guards_the_header() {
        let t = table(&["=a", "b"], &[&["1"], &["x", "y", "z"]]);
        assert_eq!(to_csv(&t).unwrap(), "'=a,b,\r\n1,,\r\nx,y,z\r\n");
    }

    #[test]
    fn json_is_an_array_of_objects_in_column_order() {
        let t = table(
            &["Model", "VaR", "Count", "Note"],
            &[
                &["Historical", "0.0213", "12", "=x"],
                &["Gaussian", "-1e-3", "", "12.3%"],
            ],
        );
        let json = to_json(&t).unwrap();
        assert_eq!(
            json,
            "[\n  {\"Model\": \"Historical\", \"VaR\": 0.0213, \"Count\": 12, \"Note\": \"=x\"},\n  {\"Model\": \"Gaussian\", \"VaR\": -0.001, \"Count\": null, \"Note\": \"12.3%\"}\n]\n"
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["VaR"].as_f64(), Some(0.0213));
        assert_eq!(v[1]["Count"], serde_json::Value::Null);
    }

    #[test]
    fn json_numbers_round_trip_exactly() {
        let values = [
            0.1 + 0.2,
            -1.0 / 3.0,
            1e-300,
            123_456_789.123_456_79,
            5e-324,
        ];
        let cells: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
        let t = Table {
            header: vec!["v".into()],
            rows: cells.iter().map(|c| vec![c.clone()]).collect(),
        };
        let v: serde_json::Value = serde_json::from_str(&to_json(&t).unwrap()).unwrap();
        for (i, x) in values.iter().enumerate() {
            assert_eq!(v[i]["v"].as_f64(), Some(*x));
        }
        // Whole numbers beyond 2^53 stay exact.
        let big = Table {
            header: vec!["n".into()],
            rows: vec![
                vec!["9007199254740993".into()],
                vec!["18446744073709551615".into()],
            ],
        };
        let s = to_json(&big).unwrap();
        assert!(
            s.contains("9007199254740993") && s.contains("18446744073709551615"),
            "{s}"
        );
    }

    #[test]
    fn headers_are_made_unique_and_non_empty() {
        let t = table(&["", "Year", "Jan", "Year", " ", "Year_2", "Year"], &[]);
        assert_eq!(
            t.unique_header(),
            ["column_1", "Year", "Jan", "Year_3", "column_5", "Year_2", "Year_4"]
        );
        // Rows wider than the header get generated names.
        let t = table(&["a"], &[&["1", "2"]]);
        assert_eq!(t.unique_header(), ["a", "column_2"]);
        let v: serde_json::Value = serde_json::from_str(&to_json(&t).unwrap()).unwrap();
        assert_eq!(v[0]["column_2"], 2);
    }

    #[test]
    fn empty_tables_do_not_fail() {
        let t = Table::default();
        assert_eq!(to_csv(&t).unwrap(), "");
        assert_eq!(to_json(&t).unwrap(), "[]\n");
        let t = table(&["a", "b"], &[]);
        assert_eq!(to_csv(&t).unwrap(), "a,b\r\n");
        assert_eq!(to_json(&t).unwrap(), "[]\n");
        // A body without any header: generated names.
        let t = Table::from_spans(&[], &[row(&["x", "1"])]);
        assert_eq!(to_csv(&t).unwrap(), ",\r\nx,1\r\n");
        assert_eq!(
            to_json(&t).unwrap(),
            "[\n  {\"column_1\": \"x\", \"column_2\": 1}\n]\n"
        );
    }

    #[test]
    fn multi_row_headers_combine_per_column() {
        let head = vec![
            vec![
                spanned("Asset", 1, 2),
                spanned("Portfolio", 2, 1),
                spanned("", 1, 2),
            ],
            vec![SpanCell::new("VaR"), SpanCell::new("CVaR")],
        ];
        let t = Table::from_spans(&head, &[row(&["A", "0.1", "0.2", "x"])]);
        assert_eq!(
            t.header,
            ["Asset", "Portfolio / VaR", "Portfolio / CVaR", ""]
        );
        assert_eq!(
            t.unique_header(),
            ["Asset", "Portfolio / VaR", "Portfolio / CVaR", "column_4"]
        );
    }

    #[test]
    fn body_spans_fill_their_first_slot_only() {
        let body = vec![
            vec![
                spanned("group", 1, 2),
                SpanCell::new("a"),
                SpanCell::new("1"),
            ],
            vec![SpanCell::new("b"), SpanCell::new("2")],
            vec![spanned("total", 2, 1), SpanCell::new("3")],
        ];
        let t = Table::from_spans(&[row(&["g", "k", "v"])], &body);
        assert_eq!(
            t.rows,
            [
                vec!["group", "a", "1"],
                vec!["", "b", "2"],
                vec!["total", "", "3"]
            ]
        );
    }

    #[test]
    fn huge_or_zero_spans_are_bounded() {
        let body = vec![vec![spanned("x", 1_000_000, 0), spanned("y", 0, 1_000_000)]];
        let t = Table::from_spans(&[], &body);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.width(), MAX_SPAN + 1);
        assert_eq!(t.rows[0][MAX_SPAN], "y");
    }

    #[test]
    fn file_names_are_sanitised() {
        assert_eq!(file_name("var-table", "csv"), "ballast-var-table.csv");
        assert_eq!(
            file_name("Group: Risk/Return ", "json"),
            "ballast-group-risk-return.json"
        );
        assert_eq!(file_name("chart_équité", "png"), "ballast-chart-quit.png");
        assert_eq!(file_name("", "csv"), "ballast-table.csv");
        assert_eq!(file_name("../../etc", "csv"), "ballast-etc.csv");
    }
}
