//! Date parsing: ISO, m/d/Y, d/m/Y, d.m.Y, YYYYMMDD, with day/month order chosen by evidence.
//! (STUB — being implemented.)

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
