//! Data frequency detection from dates. (STUB — being implemented.)

use serde::{Deserialize, Serialize};

/// Sampling frequency of a price history; sets the periods per year of every annualised figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Annual,
}

impl Frequency {
    pub fn periods_per_year(self) -> f64 {
        match self {
            Frequency::Daily => 252.0,
            Frequency::Weekly => 52.0,
            Frequency::Monthly => 12.0,
            Frequency::Quarterly => 4.0,
            Frequency::Annual => 1.0,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annual => "annual",
        }
    }
}

impl Frequency {
    /// Detect from the median gap in calendar days between consecutive dates: ≤ 4 daily,
    /// ≤ 10 weekly, ≤ 45 monthly, ≤ 100 quarterly, else annual. Fewer than two dates: daily.
    pub fn detect(dates: &[chrono::NaiveDate]) -> Frequency {
        let mut gaps: Vec<i64> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
        if gaps.is_empty() {
            return Frequency::Daily;
        }
        let mid = gaps.len() / 2;
        let (_, median, _) = gaps.select_nth_unstable(mid);
        match *median {
            i64::MIN..=4 => Frequency::Daily,
            5..=10 => Frequency::Weekly,
            11..=45 => Frequency::Monthly,
            46..=100 => Frequency::Quarterly,
            _ => Frequency::Annual,
        }
    }

    /// The date one period before `d` (used as the base date of a returns table): the previous
    /// weekday for daily data, 7 days for weekly, the previous month end for monthly, and so on.
    pub fn previous(self, d: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::{Datelike, Days, Months, Weekday};
        let back = |m: u32| {
            d.checked_sub_months(Months::new(m))
                .and_then(|x| x.with_day(1))
                .and_then(|x| x.checked_add_months(Months::new(1)))
                .and_then(|x| x.checked_sub_days(Days::new(1)))
                .unwrap_or(d)
        };
        match self {
            Frequency::Daily => {
                let mut p = d.pred_opt().unwrap_or(d);
                while matches!(p.weekday(), Weekday::Sat | Weekday::Sun) {
                    p = p.pred_opt().unwrap_or(p);
                }
                p
            }
            Frequency::Weekly => d.checked_sub_days(Days::new(7)).unwrap_or(d),
            Frequency::Monthly => back(1),
            Frequency::Quarterly => back(3),
            Frequency::Annual => back(12),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn detects() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        assert_eq!(
            Frequency::detect(&[d(2020, 1, 2), d(2020, 1, 3), d(2020, 1, 6)]),
            Frequency::Daily
        );
        assert_eq!(
            Frequency::detect(&[d(2020, 1, 3), d(2020, 1, 10), d(2020, 1, 17)]),
            Frequency::Weekly
        );
        assert_eq!(
            Frequency::detect(&[d(2020, 1, 31), d(2020, 2, 29), d(2020, 3, 31)]),
            Frequency::Monthly
        );
        assert_eq!(Frequency::Monthly.previous(d(2020, 3, 31)), d(2020, 2, 29));
        assert_eq!(Frequency::Daily.previous(d(2020, 1, 6)), d(2020, 1, 3));
    }
}
