//! Portfolio heat map: how much of the portfolio, and how much of its risk, each position is;
//! the sector exposures; concentrated sectors and correlated clusters called out.
//!
//! Per position:
//! - `exposure% = |w| × 100` (fraction of net value, shorts by their size);
//! - `risk% = component VaR / VaR × 100`: the position's Euler share of the portfolio's 1-day
//!   95% historical VaR ([`crate::decomposition`], historical scenario allocation — Hallerbach
//!   2003, Tasche 2000; shares add up to 100%, a hedge's share is negative);
//! - heat score `min(1, 0.6 × exposure%/30 + 0.4 × max(risk%, 0)/30)`: a position at 30% of the
//!   portfolio (the default critical position level) carrying 30% of the risk scores 1 (the
//!   hottest); negative risk shares (hedges) count as 0.
//!
//! When the portfolio's VaR is not a loss (`≤ 0`, a history without losing days) the shares are
//! undefined; they are shown as 0 and a callout says so.

use crate::align::Aligned;
use crate::decomposition::{decompose, DecompositionInput, UNCLASSIFIED};
use crate::trading::limits::{self, pct, reaches, Limits};
use crate::trading::TradingError;
use crate::var_models::{VarModel, VarSettings};
use serde::{Deserialize, Serialize};

/// Percentages at which a term of the score reaches its full weight (30%).
pub const HEAT_SCALE_PCT: f64 = 30.0;
/// Weight of the exposure term.
pub const HEAT_EXPOSURE_WEIGHT: f64 = 0.6;
/// Weight of the risk term.
pub const HEAT_RISK_WEIGHT: f64 = 0.4;

/// `min(1, 0.6 × exposure%/30 + 0.4 × max(risk%, 0)/30)` (module docs); a `NaN` term counts as
/// 0, a negative exposure by its size.
pub fn heat_score(exposure_pct: f64, risk_pct: f64) -> f64 {
    let e = if exposure_pct.is_nan() {
        0.0
    } else {
        exposure_pct.abs()
    };
    let r = if risk_pct.is_nan() {
        0.0
    } else {
        risk_pct.max(0.0)
    };
    (HEAT_EXPOSURE_WEIGHT * e / HEAT_SCALE_PCT + HEAT_RISK_WEIGHT * r / HEAT_SCALE_PCT).min(1.0)
}

/// One position of the heat map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatCell {
    pub symbol: String,
    pub sector: Option<String>,
    /// `|w| × 100`.
    pub exposure_pct: f64,
    /// Share of the 1-day 95% historical VaR × 100 (negative for a hedge).
    pub risk_pct: f64,
    /// Heat score in [0, 1].
    pub score: f64,
}

/// One sector of the exposure view (positions without a sector: "Unclassified").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorExposure {
    pub sector: String,
    /// `Σ w` (net), fraction of net value.
    pub weight: f64,
    /// `Σ |w|`.
    pub gross: f64,
    pub positions: usize,
    /// Sum of the positions' `risk_pct`.
    pub risk_pct: f64,
    /// `|weight|` at or above the sector warning level (never for "Unclassified").
    pub concentrated: bool,
}

/// The heat map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatMap {
    /// Hottest first (score, then exposure, descending).
    pub positions: Vec<HeatCell>,
    /// Largest gross exposure first.
    pub sectors: Vec<SectorExposure>,
    /// Concentrated sectors, correlated clusters, undefined risk shares, in words.
    pub callouts: Vec<String>,
    /// The 1-day 95% historical VaR the risk shares divide (positive fraction of net value).
    pub var_1d: f64,
}

/// Heat scores per position, the sector exposures, and callouts: sectors at or above the sector
/// warning level, and every correlated cluster of two or more assets at
/// `limits.cluster_threshold` (with its share of value and whether it reaches the cluster
/// warning level). Fails on invalid limits, naming the field.
pub fn heat_map(aligned: &Aligned, limits: &Limits) -> Result<HeatMap, TradingError> {
    let snap = limits::snapshot(aligned, limits)?;
    let sectors_in: Vec<Option<String>> =
        aligned.positions.iter().map(|p| p.sector.clone()).collect();
    let dec = decompose(
        &DecompositionInput {
            returns: &aligned.returns,
            weights: &aligned.weights,
            symbols: &aligned.symbols,
            sectors: &sectors_in,
        },
        VarModel::Historical,
        &VarSettings {
            confidence: limits::VAR_CONFIDENCE,
            horizon: 1,
            ..VarSettings::default()
        },
    );
    let mut callouts = Vec::new();
    let shares_defined = dec.var.is_finite() && dec.var > 0.0;
    if !shares_defined {
        callouts.push(format!(
            "The 1-day 95% VaR is {} (not a loss): risk shares are shown as 0",
            pct(dec.var)
        ));
    }
    let mut cells: Vec<HeatCell> = snap
        .positions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let exposure_pct = p.weight.abs() * 100.0;
            let risk_pct = dec
                .positions
                .get(i)
                .map(|l| l.pct_var * 100.0)
                .filter(|r| shares_defined && r.is_finite())
                .unwrap_or(0.0);
            HeatCell {
                symbol: p.symbol.clone(),
                sector: p.sector.clone(),
                exposure_pct,
                risk_pct,
                score: heat_score(exposure_pct, risk_pct),
            }
        })
        .collect();
    // Grouped by sector name; positions without one form "Unclassified", which is not a sector
    // and never concentrated.
    let mut keys: Vec<Option<&str>> = Vec::new();
    let mut sectors: Vec<SectorExposure> = Vec::new();
    for (p, c) in snap.positions.iter().zip(&cells) {
        let key = limits::sector_name(&p.sector);
        let idx = match keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                keys.push(key);
                sectors.push(SectorExposure {
                    sector: key.unwrap_or(UNCLASSIFIED).to_string(),
                    weight: 0.0,
                    gross: 0.0,
                    positions: 0,
                    risk_pct: 0.0,
                    concentrated: false,
                });
                sectors.len() - 1
            }
        };
        let s = &mut sectors[idx];
        s.weight += p.weight;
        s.gross += p.weight.abs();
        s.positions += 1;
        s.risk_pct += c.risk_pct;
    }
    for (s, k) in sectors.iter_mut().zip(&keys) {
        s.concentrated = k.is_some() && reaches(s.weight.abs(), limits.sector_warning);
    }
    sectors.sort_by(|a, b| b.gross.total_cmp(&a.gross).then(a.sector.cmp(&b.sector)));
    for s in sectors.iter().filter(|s| s.concentrated) {
        callouts.push(format!(
            "{} is concentrated: {} of the portfolio in {} position{}, {} of the risk (sector warning level {})",
            s.sector,
            pct(s.weight.abs()),
            s.positions,
            if s.positions == 1 { "" } else { "s" },
            format_args!("{:.1}%", s.risk_pct),
            limits::level_pct(limits.sector_warning)
        ));
    }
    for c in &snap.clusters {
        let x = c.weight.abs();
        let level = if reaches(x, limits.cluster_warning) {
            format!(
                ", at or above the {} cluster warning level",
                limits::level_pct(limits.cluster_warning)
            )
        } else {
            String::new()
        };
        callouts.push(format!(
            "{} move together (|ρ| ≥ {}): {} of the portfolio{level}",
            c.members.join(", "),
            snap.cluster_threshold,
            pct(x)
        ));
    }
    cells.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.exposure_pct.total_cmp(&a.exposure_pct))
            .then(a.symbol.cmp(&b.symbol))
    });
    Ok(HeatMap {
        positions: cells,
        sectors,
        callouts,
        var_1d: snap.var_1d,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOL: f64 = 1e-12;

    #[test]
    fn score_on_hand_numbers() {
        assert!((heat_score(30.0, 30.0) - 1.0).abs() < TOL);
        assert!((heat_score(15.0, 0.0) - 0.3).abs() < TOL);
        assert!((heat_score(0.0, 15.0) - 0.2).abs() < TOL);
        assert!((heat_score(10.0, -50.0) - 0.2).abs() < TOL);
        assert_eq!(heat_score(60.0, 90.0), 1.0);
    }
}
