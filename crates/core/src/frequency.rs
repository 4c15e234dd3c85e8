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
