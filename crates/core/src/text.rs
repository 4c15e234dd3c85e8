//! Text hazards: decoding (UTF-8 with or without BOM, a Windows-1252 fallback), delimiter
//! detection (`,` `;` tab), reading records with the `csv` crate, and number cells with currency
//! signs, thousands separators, `%`, parentheses for negatives and decimal commas.

use crate::error::{ImportError, ImportErrorKind};

/// One CSV record with its 1-based physical line number in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Record {
    /// Field `i`, or `""` past the end (ragged short rows read as empty cells).
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }
    /// Number of non-empty fields.
    pub fn non_empty(&self) -> usize {
        self.fields.iter().filter(|f| !f.is_empty()).count()
    }
    /// Field count without trailing empty fields.
    pub fn width(&self) -> usize {
        self.fields
            .iter()
            .rposition(|f| !f.is_empty())
            .map_or(0, |i| i + 1)
    }
}

/// A decoded, tokenised table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub delimiter: u8,
    /// Numbers use `,` as the decimal separator (and `.` or space for thousands).
    pub decimal_comma: bool,
    /// Non-blank records (blank lines and all-empty records are dropped).
    pub records: Vec<Record>,
    pub notes: Vec<String>,
}

/// Decode bytes to text: strips a UTF-8 BOM; invalid UTF-8 falls back to Windows-1252 when the
/// bytes are otherwise text; NUL bytes or many control characters mean "not a text file".
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::new(file, ImportErrorKind::Empty));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::new(
            file,
            ImportErrorKind::NotText("UTF-16 text; save the file as UTF-8 CSV".into()),
        ));
    }
    let control = bytes
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    if bytes.contains(&0) || control * 100 > bytes.len() {
        return Err(ImportError::new(
            file,
            ImportErrorKind::NotText("it contains binary data".into()),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            // Windows-1252 / Latin-1 fallback (Excel on Windows): bytes 0x80-0x9F map to
            // punctuation and currency signs, the rest to the same code points.
            let high = bytes.iter().filter(|&&b| b >= 0x80).count();
            if high * 10 > bytes.len() {
                return Err(ImportError::new(
                    file,
                    ImportErrorKind::NotText("it is neither UTF-8 nor Windows-1252 text".into()),
                ));
            }
            Ok(bytes.iter().map(|&b| cp1252(b)).collect())
        }
    }
}

fn cp1252(b: u8) -> char {
    match b {
        0x80 => '€',
        0x85 => '…',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x96 => '–',
        0x97 => '—',
        0xA3 => '£',
        _ => b as char,
    }
}

fn read_records(text: &str, delimiter: u8, limit: Option<usize>) -> Result<Vec<Record>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    // Physical line numbers from byte offsets (the csv crate does not count blank lines).
    let bytes = text.as_bytes();
    let (mut counted_to, mut line_no) = (0usize, 1usize);
    let mut line_at = |offset: usize| {
        let mut offset = offset.min(bytes.len());
        // A record's position can point at the blank lines skipped before it.
        while offset < bytes.len() && matches!(bytes[offset], b'\n' | b'\r') {
            offset += 1;
        }
        if offset > counted_to {
            line_no += bytes[counted_to..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = offset;
        }
        line_no
    };
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {
                let line = line_at(rec.position().map_or(0, |p| p.byte() as usize));
                if rec.iter().all(str::is_empty) {
                    continue;
                }
                out.push(Record {
                    line,
                    fields: rec.iter().map(str::to_string).collect(),
                });
                if limit.is_some_and(|l| out.len() >= l) {
                    break;
                }
            }
            Ok(false) => break,
            Err(e) => {
                let line = line_at(e.position().map_or(0, |p| p.byte() as usize));
                return Err(format!("line {line}: {e}"));
            }
        }
    }
    Ok(out)
}

/// Choose the delimiter that splits the first lines most consistently into several fields.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let Ok(recs) = read_records(text, d, Some(40)) else {
            continue;
        };
        let mut counts = std::collections::HashMap::new();
        for r in &recs {
            if r.fields.len() > 1 {
                *counts.entry(r.fields.len()).or_insert(0usize) += 1;
            }
        }
        // Score: rows sharing the modal field count, weighted by the field count.
        let score = counts
            .iter()
            .map(|(w, c)| c * 4 + w.min(&64))
            .max()
            .unwrap_or(0);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Decode, detect the delimiter and the decimal separator, and read every record.
pub fn read_table(file: &str, bytes: &[u8]) -> Result<Table, ImportError> {
    let text = decode(file, bytes)?;
    let delimiter = detect_delimiter(&text);
    let records = read_records(&text, delimiter, None)
        .map_err(|e| ImportError::new(file, ImportErrorKind::Csv(e)))?;
    if records.is_empty() {
        return Err(ImportError::new(file, ImportErrorKind::Empty));
    }
    let decimal_comma = delimiter != b',' && detect_decimal_comma(&records);
    let mut notes = Vec::new();
    if delimiter != b',' {
        let name = match delimiter {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "pipe",
        };
        notes.push(format!("{name}-delimited"));
    }
    if decimal_comma {
        notes.push("decimal comma".to_string());
    }
    Ok(Table {
        delimiter,
        decimal_comma,
        records,
        notes,
    })
}

/// Evidence across cells: a separator followed by other than exactly three digits (or the last
/// of two different separators) is the decimal separator.
fn detect_decimal_comma(records: &[Record]) -> bool {
    let (mut comma, mut dot) = (0usize, 0usize);
    for r in records.iter().skip(1).take(500) {
        for f in r.fields.iter().skip(1) {
            let s: String = f
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect();
            if s.len() != f.trim_matches(|c: char| !c.is_ascii_digit()).len() {
                continue;
            }
            let last_comma = s.rfind(',');
            let last_dot = s.rfind('.');
            match (last_comma, last_dot) {
                (Some(c), Some(d)) => {
                    if c > d {
                        comma += 1
                    } else {
                        dot += 1
                    }
                }
                (Some(c), None) => {
                    if s.len() - c - 1 != 3 || s.matches(',').count() == 1 && s.starts_with('0') {
                        comma += 1
                    }
                }
                (None, Some(d)) => {
                    if s.len() - d - 1 != 3 || s.starts_with('0') {
                        dot += 1
                    }
                }
                (None, None) => {}
            }
        }
    }
    comma > dot
}

/// A cell read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Empty, `-`, `--`, `n/a`, `NA`, `null`, `NaN`: no value.
    Missing,
    /// A finite number. `percent` is true when the cell had a `%` sign (the value is already
    /// divided by 100).
    Value { value: f64, percent: bool },
    /// Not a number.
    Invalid,
}

/// Read a number cell: `$1,234.50`, `(12.3)`, `-4%`, `1.234,56` (decimal comma), `€ 12`,
/// `1 234`, `+3`. Non-finite results are invalid.
pub fn parse_number(cell: &str, decimal_comma: bool) -> Cell {
    let s = cell.trim();
    if let Ok(v) = s.parse::<f64>() {
        // Fast path for plain decimals; reject "inf"/"nan" spellings.
        if v.is_finite()
            && s.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        {
            if decimal_comma && s.contains('.') && !s.contains(['e', 'E']) {
                // "1.234" in a decimal-comma file is one thousand two hundred thirty-four.
            } else {
                return Cell::Value {
                    value: v,
                    percent: false,
                };
            }
        }
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "" | "-" | "--" | "n/a" | "na" | "null" | "nan" | "none" | "#n/a"
    ) {
        return Cell::Missing;
    }
    let mut negative = false;
    let mut percent = false;
    let mut t: &str = s;
    if t.starts_with('(') && t.ends_with(')') && t.len() >= 2 {
        negative = true;
        t = &t[1..t.len() - 1];
    }
    let mut body = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '0'..='9' | '.' | ',' | 'e' | 'E' => body.push(c),
            '-' | '−' if body.ends_with(['e', 'E']) => body.push('-'),
            '-' | '−' if body.is_empty() => negative = !negative,
            '-' | '−' => return Cell::Invalid,
            '+' => {
                if body.ends_with(['e', 'E']) {
                    body.push('+');
                } else if !body.is_empty() {
                    return Cell::Invalid;
                }
            }
            '%' => percent = true,
            '$' | '€' | '£' | '¥' | ' ' | '\u{a0}' | '\u{202f}' | '\'' => {}
            _ => return Cell::Invalid,
        }
    }
    let body = if decimal_comma {
        body.replace('.', "").replace(',', ".")
    } else {
        body.replace(',', "")
    };
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Cell::Invalid;
    }
    match body.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let mut v = if negative { -v } else { v };
            if percent {
                v /= 100.0;
            }
            Cell::Value { value: v, percent }
        }
        _ => Cell::Invalid,
    }
}

/// Header text normalised for matching: lowercase ASCII letters and digits only
/// (`"Mkt Val (Market Value)"` → `"mktvalmarketvalue"`).
pub fn normalize_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str, dc: bool) -> f64 {
        match parse_number(s, dc) {
            Cell::Value { value, .. } => value,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn numbers_with_hazards() {
        assert_eq!(v("1,234.50", false), 1234.5);
        assert_eq!(v("$1,234.50", false), 1234.5);
        assert_eq!(v("(12.5)", false), -12.5);
        assert_eq!(v("-$12.5", false), -12.5);
        assert_eq!(v("$-12.5", false), -12.5);
        assert_eq!(v("4.5%", false), 0.045);
        assert_eq!(v("1.234,56", true), 1234.56);
        assert_eq!(v("12,5", true), 12.5);
        assert_eq!(v("€ 1 234,5", true), 1234.5);
        assert_eq!(v("1e-3", false), 0.001);
        assert_eq!(v("+3", false), 3.0);
        assert_eq!(parse_number("n/a", false), Cell::Missing);
        assert_eq!(parse_number("--", false), Cell::Missing);
        assert_eq!(parse_number("abc", false), Cell::Invalid);
        assert_eq!(parse_number("inf", false), Cell::Invalid);
        assert_eq!(parse_number("1-2", false), Cell::Invalid);
    }
}
