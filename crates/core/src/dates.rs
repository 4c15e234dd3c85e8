//! Date columns: ISO `YYYY-MM-DD` (also `YYYY/MM/DD`, with an optional time part), `m/d/Y`,
//! `d/m/Y`, `d.m.Y`, `YYYYMMDD`, two-digit years (00–68 → 20xx, 69–99 → 19xx, as POSIX
//! `strptime %y`) and month names (`02-Jan-2020`, `Jan 2, 2020`).
//!
//! Slash dates are ambiguous. With [`DateOrder::Auto`] the whole column is the evidence: a first
//! field above 12 proves day-first, a second field above 12 proves month-first; failing that, the
//! order under which the rows are chronological (ascending or descending) is chosen. If nothing
//! tells, [`ImportErrorKind::AmbiguousDateOrder`] asks the user.

use crate::error::{ImportError, ImportErrorKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Day/month order for slash dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DateOrder {
    /// Decide from the whole column; error if the file cannot tell.
    #[default]
    Auto,
    /// `dd/mm/yyyy`
    DayFirst,
    /// `mm/dd/yyyy`
    MonthFirst,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// year first, then month, day
    Ymd(i32, u32, u32),
    /// `a/b/y`: day and month in unknown order
    Slash(u32, u32, i32),
    /// `d.m.y`: day first
    Dmy(u32, u32, i32),
    Named(NaiveDate),
}

fn year(y: &str) -> Option<i32> {
    let v: i32 = y.parse().ok()?;
    match y.len() {
        2 => Some(if v < 69 { 2000 + v } else { 1900 + v }),
        4 => Some(v),
        _ => None,
    }
}

fn num(s: &str, max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn shape(cell: &str) -> Option<Shape> {
    let s = cell.trim();
    // Drop a time part: "2024-01-02 00:00:00", "2024-01-02T00:00:00Z".
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Shape::Ymd(
            s[..4].parse().ok()?,
            num(&s[4..6], 2)?,
            num(&s[6..], 2)?,
        ));
    }
    for sep in ['-', '/', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() != 3 {
            continue;
        }
        if parts[0].len() == 4 {
            return Some(Shape::Ymd(
                parts[0].parse().ok()?,
                num(parts[1], 2)?,
                num(parts[2], 2)?,
            ));
        }
        if let (Some(a), Some(b), Some(y)) = (num(parts[0], 2), num(parts[1], 2), year(parts[2])) {
            return Some(if sep == '.' {
                Shape::Dmy(a, b, y)
            } else {
                Shape::Slash(a, b, y)
            });
        }
    }
    for fmt in [
        "%d-%b-%Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%d-%b-%y",
        "%d %B %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(cell.trim(), fmt) {
            return Some(Shape::Named(d));
        }
    }
    None
}

fn build(shape: Shape, order: DateOrder) -> Option<NaiveDate> {
    match shape {
        Shape::Ymd(y, m, d) => NaiveDate::from_ymd_opt(y, m, d),
        Shape::Dmy(d, m, y) => NaiveDate::from_ymd_opt(y, m, d),
        Shape::Slash(a, b, y) => match order {
            DateOrder::MonthFirst | DateOrder::Auto => NaiveDate::from_ymd_opt(y, a, b),
            DateOrder::DayFirst => NaiveDate::from_ymd_opt(y, b, a),
        },
        Shape::Named(d) => Some(d),
    }
}

/// Does the cell look like a date at all (any supported format)?
pub fn looks_like_date(cell: &str) -> bool {
    match shape(cell) {
        Some(Shape::Slash(a, b, y)) => {
            build(Shape::Slash(a, b, y), DateOrder::MonthFirst).is_some()
                || build(Shape::Slash(a, b, y), DateOrder::DayFirst).is_some()
        }
        Some(s) => build(s, DateOrder::Auto).is_some(),
        None => false,
    }
}

fn order_name(o: DateOrder) -> &'static str {
    match o {
        DateOrder::DayFirst => "day/month/year",
        _ => "month/day/year",
    }
}

fn chronological(dates: &[NaiveDate]) -> bool {
    dates.windows(2).all(|w| w[0] <= w[1]) || dates.windows(2).all(|w| w[0] >= w[1])
}

/// Parse a date column: `cells` are `(line, text)` pairs. Returns the dates and, when the
/// day/month order was chosen by evidence, a note saying why.
pub fn parse_dates(
    file: &str,
    column: &str,
    cells: &[(usize, &str)],
    order: DateOrder,
) -> Result<(Vec<NaiveDate>, Option<String>), ImportError> {
    let mut shapes = Vec::with_capacity(cells.len());
    for &(line, text) in cells {
        match shape(text) {
            Some(s) => shapes.push(s),
            None => {
                return Err(
                    ImportError::new(file, ImportErrorKind::BadDate(text.to_string()))
                        .at_line(line)
                        .in_column(column),
                )
            }
        }
    }
    let mut note = None;
    let mut order = order;
    let slash: Vec<(usize, &str, u32, u32)> = cells
        .iter()
        .zip(&shapes)
        .filter_map(|(&(l, t), s)| match s {
            Shape::Slash(a, b, _) => Some((l, t, *a, *b)),
            _ => None,
        })
        .collect();
    if order == DateOrder::Auto && !slash.is_empty() {
        let day_first = slash.iter().find(|s| s.2 > 12);
        let month_first = slash.iter().find(|s| s.3 > 12);
        order = match (day_first, month_first) {
            (Some(d), Some(m)) => {
                return Err(ImportError::new(
                    file,
                    ImportErrorKind::Other(format!(
                        "dates mix day/month orders: \"{}\" (line {}) is day-first but \"{}\" (line {}) is month-first",
                        d.1, d.0, m.1, m.0
                    )),
                )
                .in_column(column))
            }
            (Some(d), None) => {
                note = Some(format!(
                    "dates read as day/month/year: \"{}\" on line {} cannot be month-first",
                    d.1, d.0
                ));
                DateOrder::DayFirst
            }
            (None, Some(m)) => {
                note = Some(format!(
                    "dates read as month/day/year: \"{}\" on line {} cannot be day-first",
                    m.1, m.0
                ));
                DateOrder::MonthFirst
            }
            (None, None) => {
                if slash.iter().all(|s| s.2 == s.3) {
                    DateOrder::MonthFirst
                } else {
                    let try_order = |o| -> Option<Vec<NaiveDate>> {
                        shapes.iter().map(|s| build(*s, o)).collect()
                    };
                    let mf = try_order(DateOrder::MonthFirst).filter(|d| chronological(d));
                    let df = try_order(DateOrder::DayFirst).filter(|d| chronological(d));
                    match (mf, df) {
                        (Some(_), None) => {
                            note = Some("dates read as month/day/year: only that order puts the rows in date order".into());
                            DateOrder::MonthFirst
                        }
                        (None, Some(_)) => {
                            note = Some("dates read as day/month/year: only that order puts the rows in date order".into());
                            DateOrder::DayFirst
                        }
                        _ => {
                            return Err(ImportError::new(
                                file,
                                ImportErrorKind::AmbiguousDateOrder { example: slash[0].1.to_string() },
                            )
                            .at_line(slash[0].0)
                            .in_column(column))
                        }
                    }
                }
            }
        };
    } else if !slash.is_empty() {
        note = Some(format!("dates read as {} (chosen)", order_name(order)));
    }
    let mut dates = Vec::with_capacity(cells.len());
    for (&(line, text), s) in cells.iter().zip(&shapes) {
        match build(*s, order) {
            Some(d) => dates.push(d),
            None => {
                let kind = match s {
                    Shape::Slash(..) => ImportErrorKind::Other(format!(
                        "\"{text}\" is not a valid date when read as {}",
                        order_name(order)
                    )),
                    _ => ImportErrorKind::BadDate(text.to_string()),
                };
                return Err(ImportError::new(file, kind).at_line(line).in_column(column));
            }
        }
    }
    Ok((dates, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn formats() {
        let cells = [
            (2, "2020-01-31"),
            (3, "2020/02/03"),
            (4, "20200204"),
            (5, "2020-02-05 00:00:00"),
        ];
        let (v, _) = parse_dates("f", "date", &cells, DateOrder::Auto).expect("parses");
        assert_eq!(
            v,
            vec![d(2020, 1, 31), d(2020, 2, 3), d(2020, 2, 4), d(2020, 2, 5)]
        );
        let (v, _) = parse_dates(
            "f",
            "date",
            &[(2, "31.01.2020"), (3, "03-Feb-2020")],
            DateOrder::Auto,
        )
        .expect("parses");
        assert_eq!(v, vec![d(2020, 1, 31), d(2020, 2, 3)]);
    }

    #[test]
    fn slash_evidence() {
        let (v, note) = parse_dates(
            "f",
            "date",
            &[(2, "01/02/2020"), (3, "13/02/2020")],
            DateOrder::Auto,
        )
        .expect("ok");
        assert_eq!(v[0], d(2020, 2, 1));
        assert!(note.unwrap_or_default().contains("13/02/2020"));
        let (v, _) = parse_dates(
            "f",
            "date",
            &[(2, "01/02/2020"), (3, "01/13/2020")],
            DateOrder::Auto,
        )
        .expect("ok");
        assert_eq!(v[0], d(2020, 1, 2));
        let e =
            parse_dates("f", "date", &[(2, "01/02/2020")], DateOrder::Auto).expect_err("ambiguous");
        assert!(matches!(e.kind, ImportErrorKind::AmbiguousDateOrder { .. }));
        let (v, _) =
            parse_dates("f", "date", &[(2, "01/02/2020")], DateOrder::DayFirst).expect("ok");
        assert_eq!(v[0], d(2020, 2, 1));
    }
}
