//! Price-history import.
//!
//! Accepted layouts (detected from the header and the values; each can be forced with
//! [`PriceOptions::layout`]):
//! - **wide**: `date, SYM1, SYM2, …`; a blank cell means "no price that day" (before a listing,
//!   after a delisting) and is never read as zero;
//! - **long / tidy**: `date, symbol, close[, adj_close]` (also `ticker`, `price`);
//! - **Yahoo Finance** per-ticker exports `Date,Open,High,Low,Close,Adj Close,Volume`: the symbol
//!   comes from the file name (`AAPL.csv`, `BRK-B (1).csv` → `BRK-B`); Adj Close by default,
//!   Close with [`PriceField::Close`]; High/Low/Close kept in [`Series::ohlc`];
//! - **wide returns**: the wide layout holding simple returns (detected when values are small and
//!   some are negative, or when consecutive values do not move together as prices do).
//!
//! Rows may be in any order (they are sorted, with a note); a date twice is an error naming both
//! lines. Lines after the table that are not dated rows (footers, disclaimers) are skipped with
//! a note. Every error names the file, line and column.

use crate::dates::{looks_like_date, parse_dates, DateOrder};
use crate::error::{ImportError, ImportErrorKind};
use crate::model::{Ohlc, PriceImport, Series, ValueKind};
use crate::text::{normalize_header, parse_number, read_table, Cell, Record, Table};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Table layout of a price file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PriceLayout {
    /// Detect from the header and values.
    #[default]
    Auto,
    /// `date, SYM1, SYM2, …` prices; blank cells before a listing / after a delisting.
    Wide,
    /// `date, symbol, close[, adj_close]` one row per date and symbol.
    Long,
    /// Yahoo Finance per-ticker export `Date,Open,High,Low,Close,Adj Close,Volume`;
    /// the symbol comes from the file name.
    Yahoo,
    /// `date, SYM1, SYM2, …` holding simple returns instead of prices.
    WideReturns,
}

impl PriceLayout {
    pub fn label(self) -> &'static str {
        match self {
            PriceLayout::Auto => "auto",
            PriceLayout::Wide => "wide prices",
            PriceLayout::Long => "long (date, symbol, price)",
            PriceLayout::Yahoo => "Yahoo Finance export",
            PriceLayout::WideReturns => "wide returns",
        }
    }
}

/// Which price column to use when a file has both Close and Adj Close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PriceField {
    #[default]
    AdjClose,
    Close,
}

/// User-overridable import choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PriceOptions {
    pub layout: PriceLayout,
    pub field: PriceField,
    pub date_order: DateOrder,
}

const DATE_HEADERS: [&str; 9] = [
    "date",
    "timestamp",
    "time",
    "day",
    "asof",
    "datetime",
    "period",
    "datum",
    "fecha",
];
const SYMBOL_HEADERS: [&str; 6] = ["symbol", "ticker", "asset", "instrument", "secid", "code"];

pub(crate) fn is_date_header(h: &str) -> bool {
    let n = normalize_header(h);
    DATE_HEADERS.contains(&n.as_str())
}

/// Symbol from a Yahoo export's file name: `AAPL.csv` → `AAPL`, `brk-b (1).csv` → `BRK-B`.
pub fn symbol_from_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    };
    let stem = match stem.rfind(" (") {
        Some(i) if stem.ends_with(')') => &stem[..i],
        _ => stem,
    };
    stem.trim().to_uppercase()
}

/// Read one price or returns file. `file_name` is used in messages and, for Yahoo exports,
/// to name the symbol (`AAPL.csv` → `AAPL`).
pub fn parse_prices(
    file_name: &str,
    bytes: &[u8],
    options: &PriceOptions,
) -> Result<PriceImport, ImportError> {
    let table = read_table(file_name, bytes)?;
    let header_idx = find_header(file_name, &table)?;
    let header = &table.records[header_idx];
    let norm: Vec<String> = header.fields.iter().map(|h| normalize_header(h)).collect();
    let has = |names: &[&str]| norm.iter().position(|h| names.contains(&h.as_str()));
    let layout = match options.layout {
        PriceLayout::Auto => {
            if has(&["open"]).is_some()
                && has(&["high"]).is_some()
                && has(&["close"]).is_some()
                && has(&SYMBOL_HEADERS).is_none()
            {
                PriceLayout::Yahoo
            } else if has(&SYMBOL_HEADERS).is_some()
                && has(&["close", "price", "adjclose", "value", "last"]).is_some()
            {
                PriceLayout::Long
            } else {
                // Wide prices or wide returns: decided from the values in read_wide.
                PriceLayout::Auto
            }
        }
        l => l,
    };
    let mut notes = table.notes.clone();
    if header_idx > 0 {
        notes.push(format!("{header_idx} line(s) before the header skipped"));
    }
    let rows = &table.records[header_idx + 1..];
    if rows.is_empty() {
        return Err(ImportError::new(file_name, ImportErrorKind::HeaderOnly).at_line(header.line));
    }
    let ctx = Ctx {
        file: file_name,
        table: &table,
        options,
        notes: &mut notes,
    };
    let (series, layout) = match layout {
        PriceLayout::Yahoo => (vec![read_yahoo(ctx, header, rows)?], layout),
        PriceLayout::Long => (read_long(ctx, header, rows)?, layout),
        _ => read_wide(ctx, header, rows, layout)?,
    };
    Ok(PriceImport {
        file: file_name.to_string(),
        layout,
        series,
        notes,
    })
}

struct Ctx<'a> {
    file: &'a str,
    table: &'a Table,
    options: &'a PriceOptions,
    notes: &'a mut Vec<String>,
}

/// The header is the first record with at least two fields whose first field is a date header,
/// or that is followed by a dated row; lines before it (titles, preambles) are skipped.
fn find_header(file: &str, table: &Table) -> Result<usize, ImportError> {
    let recs = &table.records;
    for (i, r) in recs.iter().enumerate().take(50) {
        if r.width() < 2 {
            continue;
        }
        if is_date_header(r.get(0)) {
            return Ok(i);
        }
        if let Some(next) = recs.get(i + 1) {
            if !looks_like_date(r.get(0)) && looks_like_date(next.get(0)) {
                return Ok(i);
            }
        } else if !looks_like_date(r.get(0)) {
            return Ok(i);
        }
    }
    match recs.iter().find(|r| r.width() >= 2) {
        Some(r) if looks_like_date(r.get(0)) => Err(ImportError::new(
            file,
            ImportErrorKind::NoHeader(format!(
                "line {} starts with a date; the first row must name the columns (date, SYM1, SYM2, …)",
                r.line
            )),
        )),
        Some(r) => Err(ImportError::new(
            file,
            ImportErrorKind::NoHeader(format!(
                "expected a header like \"date,SYM1,SYM2\" followed by dated rows; line {} is \"{}\"",
                r.line,
                r.fields.join(",").chars().take(60).collect::<String>()
            )),
        )),
        None => Err(ImportError::new(
            file,
            ImportErrorKind::NoHeader("no line has two or more columns (is the delimiter , ; or tab?)".into()),
        )),
    }
}

/// Data rows up to the footer: rows whose first cell is not a date are allowed only after the
/// last dated row (footers); a non-date row between dated rows is an error.
fn dated_rows<'r>(
    ctx: &mut Ctx<'_>,
    header: &Record,
    rows: &'r [Record],
) -> Result<&'r [Record], ImportError> {
    let last_dated = rows.iter().rposition(|r| looks_like_date(r.get(0)));
    let Some(last) = last_dated else {
        let r = &rows[0];
        return Err(
            ImportError::new(ctx.file, ImportErrorKind::BadDate(r.get(0).to_string()))
                .at_line(r.line)
                .in_column(header.get(0)),
        );
    };
    if last + 1 < rows.len() {
        ctx.notes.push(format!(
            "{} line(s) after the table skipped (from line {})",
            rows.len() - last - 1,
            rows[last + 1].line
        ));
    }
    Ok(&rows[..=last])
}

fn parse_date_col(
    ctx: &mut Ctx<'_>,
    header: &Record,
    rows: &[Record],
) -> Result<Vec<NaiveDate>, ImportError> {
    let cells: Vec<(usize, &str)> = rows.iter().map(|r| (r.line, r.get(0))).collect();
    let (dates, note) = parse_dates(ctx.file, header.get(0), &cells, ctx.options.date_order)?;
    if let Some(n) = note {
        ctx.notes.push(n);
    }
    Ok(dates)
}

/// Row order by date with duplicate detection; notes when the file was not ascending.
fn sort_rows(
    ctx: &mut Ctx<'_>,
    dates: &[NaiveDate],
    lines: &[usize],
    what: Option<&str>,
) -> Result<Vec<usize>, ImportError> {
    let mut order: Vec<usize> = (0..dates.len()).collect();
    let ascending = dates.windows(2).all(|w| w[0] < w[1]);
    if !ascending {
        order.sort_by_key(|&i| (dates[i], lines[i]));
    }
    for w in order.windows(2) {
        if dates[w[0]] == dates[w[1]] {
            let mut e = ImportError::new(
                ctx.file,
                ImportErrorKind::DuplicateDate {
                    date: dates[w[0]].to_string(),
                    first_line: lines[w[0]],
                    second_line: lines[w[1]],
                },
            );
            if let Some(s) = what {
                e = e.in_column(s);
            }
            return Err(e);
        }
    }
    if !ascending && what.is_none() {
        let descending = dates.windows(2).all(|w| w[0] > w[1]);
        ctx.notes.push(if descending {
            "rows were newest first; sorted by date".to_string()
        } else {
            "rows were not in date order; sorted by date".to_string()
        });
    }
    Ok(order)
}

fn cell_value(
    ctx: &Ctx<'_>,
    r: &Record,
    col: usize,
    name: &str,
) -> Result<Option<f64>, ImportError> {
    match parse_number(r.get(col), ctx.table.decimal_comma) {
        Cell::Missing => Ok(None),
        Cell::Value { value, .. } => Ok(Some(value)),
        Cell::Invalid => Err(ImportError::new(
            ctx.file,
            ImportErrorKind::NotANumber(r.get(col).to_string()),
        )
        .at_line(r.line)
        .in_column(name)),
    }
}

fn check_value(
    ctx: &Ctx<'_>,
    kind: ValueKind,
    v: f64,
    r: &Record,
    col: usize,
    name: &str,
) -> Result<(), ImportError> {
    let bad = match kind {
        ValueKind::Price if v <= 0.0 => {
            Some(ImportErrorKind::NonPositivePrice(r.get(col).to_string()))
        }
        ValueKind::Return if v <= -1.0 => {
            Some(ImportErrorKind::ReturnBelowMinusOne(r.get(col).to_string()))
        }
        _ => None,
    };
    match bad {
        Some(k) => Err(ImportError::new(ctx.file, k)
            .at_line(r.line)
            .in_column(name)),
        None => Ok(()),
    }
}

fn read_wide(
    mut ctx: Ctx<'_>,
    header: &Record,
    rows: &[Record],
    layout: PriceLayout,
) -> Result<(Vec<Series>, PriceLayout), ImportError> {
    let rows = dated_rows(&mut ctx, header, rows)?;
    // Columns: every header after the date; trailing unnamed empty columns are ignored.
    let width = rows
        .iter()
        .map(Record::width)
        .max()
        .unwrap_or(0)
        .max(header.width());
    let mut cols: Vec<(usize, String)> = Vec::new();
    for c in 1..width {
        let name = header.get(c).trim().to_string();
        if name.is_empty() {
            match rows.iter().find(|r| !r.get(c).is_empty()) {
                None => continue,
                Some(r) if header.width() <= c => {
                    return Err(ImportError::new(
                        ctx.file,
                        ImportErrorKind::RaggedRow {
                            expected: header.width(),
                            found: r.width(),
                        },
                    )
                    .at_line(r.line))
                }
                Some(_) => {}
            }
            return Err(ImportError::new(
                ctx.file,
                ImportErrorKind::MissingColumn(format!(
                    "column {} has values but no symbol in the header",
                    c + 1
                )),
            )
            .at_line(header.line));
        }
        if let Some((first, _)) = cols.iter().find(|(_, n)| n.eq_ignore_ascii_case(&name)) {
            return Err(ImportError::new(
                ctx.file,
                ImportErrorKind::DuplicateSymbolColumn {
                    symbol: name,
                    first: first + 1,
                    second: c + 1,
                },
            )
            .at_line(header.line));
        }
        cols.push((c, name));
    }
    if cols.is_empty() {
        return Err(ImportError::new(
            ctx.file,
            ImportErrorKind::NoHeader("no symbol columns after the date column".into()),
        )
        .at_line(header.line));
    }
    let expected = header.width().max(cols.last().map_or(0, |c| c.0 + 1));
    for r in rows {
        if r.width() > expected {
            return Err(ImportError::new(
                ctx.file,
                ImportErrorKind::RaggedRow {
                    expected,
                    found: r.width(),
                },
            )
            .at_line(r.line));
        }
    }
    let dates = parse_date_col(&mut ctx, header, rows)?;
    let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    let order = sort_rows(&mut ctx, &dates, &lines, None)?;
    // Read all values first (column-major), then decide prices vs returns.
    let mut values: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(order.len()); cols.len()];
    for &i in &order {
        for ((c, name), v) in cols.iter().zip(values.iter_mut()) {
            v.push(cell_value(&ctx, &rows[i], *c, name)?);
        }
    }
    for ((_, name), v) in cols.iter().zip(&values) {
        if v.iter().all(Option::is_none) {
            return Err(ImportError::new(ctx.file, ImportErrorKind::AllBlankColumn).in_column(name));
        }
    }
    let kind = match layout {
        PriceLayout::WideReturns => ValueKind::Return,
        PriceLayout::Wide => ValueKind::Price,
        _ => {
            if looks_like_returns(&values) {
                ctx.notes.push(
                    "values look like returns (small, centred on zero): read as a returns table"
                        .into(),
                );
                ValueKind::Return
            } else {
                ValueKind::Price
            }
        }
    };
    let layout = if kind == ValueKind::Return {
        PriceLayout::WideReturns
    } else {
        PriceLayout::Wide
    };
    // Validate in reading order (row by row), so the first bad cell of the file is reported.
    for (k, &i) in order.iter().enumerate() {
        for ((c, name), v) in cols.iter().zip(&values) {
            if let Some(Some(x)) = v.get(k) {
                check_value(&ctx, kind, *x, &rows[i], *c, name)?;
            }
        }
    }
    let mut series = Vec::with_capacity(cols.len());
    for ((_, name), v) in cols.iter().zip(values) {
        let mut s_dates = Vec::with_capacity(v.len());
        let mut s_vals = Vec::with_capacity(v.len());
        for (&i, x) in order.iter().zip(v) {
            if let Some(x) = x {
                s_dates.push(dates[i]);
                s_vals.push(x);
            }
        }
        series.push(Series {
            symbol: name.clone(),
            kind,
            dates: s_dates,
            values: s_vals,
            ohlc: None,
            source: ctx.file.to_string(),
        });
    }
    if order.len() < 2 && kind == ValueKind::Price {
        return Err(
            ImportError::new(ctx.file, ImportErrorKind::SinglePriceRow).at_line(rows[0].line)
        );
    }
    ctx.notes.insert(
        0,
        format!(
            "{}: {} symbol(s), {} dates, {} – {}",
            layout.label(),
            series.len(),
            order.len(),
            dates[order[0]],
            dates[order[order.len() - 1]]
        ),
    );
    Ok((series, layout))
}

/// Returns rather than prices: every |value| ≤ 1.5 and either some value is ≤ 0 or, for most
/// columns, consecutive values differ by more than half their typical size (prices move little
/// from one row to the next; returns do not).
fn looks_like_returns(values: &[Vec<Option<f64>>]) -> bool {
    let all: Vec<f64> = values.iter().flatten().flatten().copied().collect();
    if all.is_empty() || all.iter().any(|v| v.abs() > 1.5) {
        return false;
    }
    if all.iter().any(|&v| v <= 0.0) {
        return true;
    }
    let mut jumpy = 0;
    for col in values {
        let v: Vec<f64> = col.iter().flatten().copied().collect();
        if v.len() < 3 {
            continue;
        }
        let mean_abs = v.iter().map(|x| x.abs()).sum::<f64>() / v.len() as f64;
        let mean_diff =
            v.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (v.len() - 1) as f64;
        if mean_diff > 0.5 * mean_abs {
            jumpy += 1;
        }
    }
    jumpy * 2 > values.len()
}

fn find_col(header: &Record, names: &[&str]) -> Option<usize> {
    let norm: Vec<String> = header.fields.iter().map(|h| normalize_header(h)).collect();
    names.iter().find_map(|n| norm.iter().position(|h| h == n))
}

fn read_yahoo(mut ctx: Ctx<'_>, header: &Record, rows: &[Record]) -> Result<Series, ImportError> {
    let rows = dated_rows(&mut ctx, header, rows)?;
    let symbol = symbol_from_file_name(ctx.file);
    let close = find_col(header, &["close", "price", "last"]);
    let adj = find_col(header, &["adjclose", "adjustedclose", "adjclose5"]);
    let (col, used) = match (ctx.options.field, adj, close) {
        (PriceField::AdjClose, Some(a), _) => (a, "Adj Close"),
        (_, _, Some(c)) => (c, "Close"),
        (_, Some(a), None) => (a, "Adj Close"),
        (_, None, None) => {
            return Err(ImportError::new(
                ctx.file,
                ImportErrorKind::MissingColumn("Close or Adj Close".into()),
            )
            .at_line(header.line))
        }
    };
    let high = find_col(header, &["high"]);
    let low = find_col(header, &["low"]);
    let name = header.get(col).to_string();
    let dates = parse_date_col(&mut ctx, header, rows)?;
    let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    let order = sort_rows(&mut ctx, &dates, &lines, None)?;
    let mut s = Series {
        symbol: symbol.clone(),
        kind: ValueKind::Price,
        dates: vec![],
        values: vec![],
        ohlc: None,
        source: ctx.file.to_string(),
    };
    let mut ohlc = Ohlc {
        high: vec![],
        low: vec![],
        close: vec![],
    };
    let opt = |ctx: &Ctx<'_>, r: &Record, c: Option<usize>| -> Result<f64, ImportError> {
        match c {
            Some(c) => Ok(cell_value(ctx, r, c, header.get(c))?.unwrap_or(f64::NAN)),
            None => Ok(f64::NAN),
        }
    };
    let mut skipped = 0;
    for &i in &order {
        let r = &rows[i];
        let Some(v) = cell_value(&ctx, r, col, &name)? else {
            skipped += 1;
            continue;
        };
        check_value(&ctx, ValueKind::Price, v, r, col, &name)?;
        s.dates.push(dates[i]);
        s.values.push(v);
        ohlc.high.push(opt(&ctx, r, high)?);
        ohlc.low.push(opt(&ctx, r, low)?);
        ohlc.close.push(opt(&ctx, r, close)?);
    }
    if s.values.is_empty() {
        return Err(ImportError::new(ctx.file, ImportErrorKind::AllBlankColumn).in_column(&name));
    }
    if s.values.len() < 2 {
        return Err(
            ImportError::new(ctx.file, ImportErrorKind::SinglePriceRow).at_line(rows[0].line)
        );
    }
    let kept: Vec<&str> = [(high, "High"), (low, "Low"), (close, "Close")]
        .iter()
        .filter(|(c, _)| c.is_some())
        .map(|(_, n)| *n)
        .collect();
    if !kept.is_empty() {
        s.ohlc = Some(ohlc);
    }
    ctx.notes.insert(
        0,
        format!(
            "Yahoo Finance export: symbol {symbol} from the file name, {} dates, {used} used{}",
            s.values.len(),
            if kept.is_empty() {
                String::new()
            } else {
                format!("; {} kept", kept.join(", "))
            }
        ),
    );
    if skipped > 0 {
        ctx.notes
            .push(format!("{skipped} row(s) without a {used} value skipped"));
    }
    Ok(s)
}

fn read_long(
    mut ctx: Ctx<'_>,
    header: &Record,
    rows: &[Record],
) -> Result<Vec<Series>, ImportError> {
    let rows = dated_rows(&mut ctx, header, rows)?;
    let sym_col = find_col(header, &SYMBOL_HEADERS).ok_or_else(|| {
        ImportError::new(ctx.file, ImportErrorKind::MissingColumn("symbol".into()))
            .at_line(header.line)
    })?;
    let close = find_col(header, &["close", "price", "last", "value"]);
    let adj = find_col(header, &["adjclose", "adjustedclose"]);
    let (col, used) = match (ctx.options.field, adj, close) {
        (PriceField::AdjClose, Some(a), _) => (a, "adj_close"),
        (_, _, Some(c)) => (c, "close"),
        (_, Some(a), None) => (a, "adj_close"),
        (_, None, None) => {
            return Err(ImportError::new(
                ctx.file,
                ImportErrorKind::MissingColumn("close or adj_close".into()),
            )
            .at_line(header.line))
        }
    };
    let name = header.get(col).to_string();
    let dates = parse_date_col(&mut ctx, header, rows)?;
    // Group row indices by symbol, in order of first appearance.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let s = r.get(sym_col).trim().to_string();
        if s.is_empty() {
            return Err(ImportError::new(ctx.file, ImportErrorKind::EmptySymbol)
                .at_line(r.line)
                .in_column(header.get(sym_col)));
        }
        let g = *index.entry(s.clone()).or_insert_with(|| {
            groups.push((s, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    let mut series = Vec::with_capacity(groups.len());
    let mut sorted_any = false;
    for (sym, idx) in groups {
        let d: Vec<NaiveDate> = idx.iter().map(|&i| dates[i]).collect();
        let l: Vec<usize> = idx.iter().map(|&i| rows[i].line).collect();
        sorted_any |= !d.windows(2).all(|w| w[0] < w[1]);
        let order = sort_rows(&mut ctx, &d, &l, Some(&sym))?;
        let mut s = Series {
            symbol: sym.clone(),
            kind: ValueKind::Price,
            dates: vec![],
            values: vec![],
            ohlc: None,
            source: ctx.file.to_string(),
        };
        for &k in &order {
            let r = &rows[idx[k]];
            if let Some(v) = cell_value(&ctx, r, col, &name)? {
                check_value(&ctx, ValueKind::Price, v, r, col, &name)?;
                s.dates.push(d[k]);
                s.values.push(v);
            }
        }
        if s.values.is_empty() {
            return Err(ImportError::new(
                ctx.file,
                ImportErrorKind::Other(format!("symbol {sym} has no {used} values")),
            )
            .in_column(&name));
        }
        series.push(s);
    }
    if series.iter().all(|s| s.values.len() < 2) {
        return Err(
            ImportError::new(ctx.file, ImportErrorKind::SinglePriceRow).at_line(rows[0].line)
        );
    }
    if sorted_any {
        ctx.notes
            .push("rows were not in date order; sorted by date".into());
    }
    ctx.notes.insert(
        0,
        format!(
            "long table: {} symbol(s), {} rows, {used} used",
            series.len(),
            rows.len()
        ),
    );
    Ok(series)
}
