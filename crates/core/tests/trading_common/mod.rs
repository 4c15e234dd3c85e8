//! Shared helpers of the trading tests (limits, pre-trade): deterministic noise and aligned
//! portfolios built from given returns.
#![allow(dead_code)]

use ballast_core::align::{align, Aligned};
use ballast_core::model::{Holdings, Position, PriceSet, Series, ValueKind};
use chrono::{Duration, NaiveDate};

/// Deterministic uniform noise in [−√3, √3] (unit variance), splitmix64.
pub fn noise(seed: u64, t: usize) -> f64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(t as u64)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let u = (z >> 11) as f64 / (1u64 << 53) as f64;
    (2.0 * u - 1.0) * 3f64.sqrt()
}

pub const T: usize = 250;

pub fn iid(seed: u64, sd: f64) -> Vec<f64> {
    (0..T).map(|t| sd * noise(seed, t)).collect()
}

/// `ρ·base + √(1−ρ²)·own` noise, same sd.
pub fn correlated(base_seed: u64, seed: u64, rho: f64, sd: f64) -> Vec<f64> {
    (0..T)
        .map(|t| sd * (rho * noise(base_seed, t) + (1.0 - rho * rho).sqrt() * noise(seed, t)))
        .collect()
}

pub struct Asset {
    pub symbol: &'static str,
    pub returns: Vec<f64>,
    pub quantity: f64,
    pub sector: Option<&'static str>,
}

/// Prices ending at exactly 100 whose returns are `returns`, held in `quantity`, plus cash.
pub fn build(assets: Vec<Asset>, cash: f64) -> Aligned {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    let dates: Vec<NaiveDate> = (0..=T).map(|i| start + Duration::days(i as i64)).collect();
    let mut series = Vec::new();
    let mut positions = Vec::new();
    for (line, a) in assets.into_iter().enumerate() {
        let mut p = vec![100.0; T + 1];
        for t in (0..T).rev() {
            p[t] = p[t + 1] / (1.0 + a.returns[t]);
        }
        series.push(Series {
            symbol: a.symbol.into(),
            kind: ValueKind::Price,
            dates: dates.clone(),
            values: p,
            ohlc: None,
            source: "test.csv".into(),
        });
        positions.push(Position {
            symbol: a.symbol.into(),
            description: None,
            quantity: Some(a.quantity),
            market_value: None,
            weight: None,
            price: None,
            cost_basis: None,
            sector: a.sector.map(str::to_string),
            asset_class: None,
            line: line + 2,
        });
    }
    let prices = PriceSet {
        series,
        notes: vec![],
    };
    let holdings = Holdings {
        positions,
        cash,
        ..Default::default()
    };
    align(&prices, Some(&holdings), None).expect("aligned")
}
