//! Calendar-period returns: compounded within each calendar month and year,
//! `Π(1+r) − 1` over the returns dated in the period (empyrical `aggregate_returns`,
//! QuantStats `monthly_returns`). Months without data are absent (not zero).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One year of the monthly table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearRow {
    pub year: i32,
    /// `months[m-1]`: the return of month `m`, `None` when the year has no data that month.
    pub months: [Option<f64>; 12],
    /// The calendar year's compounded return (over the months with data).
    pub year_return: f64,
}

/// The year × month table of compounded returns. `dates[t]` is the date of `r[t]`.
pub fn monthly_table(dates: &[NaiveDate], r: &[f64]) -> Vec<YearRow> {
    let mut rows: Vec<YearRow> = Vec::new();
    for (d, x) in dates.iter().zip(r) {
        if rows.last().is_none_or(|row| row.year != d.year()) {
            rows.push(YearRow {
                year: d.year(),
                months: [None; 12],
                year_return: 0.0,
            });
        }
        if let Some(row) = rows.last_mut() {
            let m = d.month0() as usize;
            let cell = row.months[m].get_or_insert(0.0);
            *cell = (1.0 + *cell) * (1.0 + x) - 1.0;
            row.year_return = (1.0 + row.year_return) * (1.0 + x) - 1.0;
        }
    }
    rows
}
