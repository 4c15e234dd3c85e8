//! Contribution to return and to risk, by position and by sector, over the analysis window.
//!
//! With constant weights `w` (cash earns zero), portfolio returns are `r_p = Σ_i w_i r_i`, so
//! - **return**: `c_i = w_i · mean(r_i) · P` sums exactly to the portfolio's arithmetic
//!   annualised mean `mean(r_p) · P`;
//! - **risk** (Euler allocation of volatility): `c_i = w_i (Σw)_i / σ_p · √P` with the sample
//!   covariance `Σ` (ddof 1) sums exactly to the annualised volatility `σ_p √P`,
//!   `σ_p = √(wᵀΣw)`; `share_i = c_i / (σ_p √P)`.
//!
//! Sectors add up their positions; positions without a sector are "Unclassified".

use crate::covariance::{mean_vector, sample_covariance};
use crate::decomposition::UNCLASSIFIED;
use serde::{Deserialize, Serialize};

/// One row (a position or a sector).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionLine {
    pub name: String,
    pub weight: f64,
    /// Contribution to the annualised arithmetic mean return.
    pub return_contribution: f64,
    /// Contribution to annualised volatility.
    pub risk_contribution: f64,
    /// Share of volatility (sums to 1).
    pub risk_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub annualized_mean: f64,
    pub annualized_volatility: f64,
    pub positions: Vec<ContributionLine>,
    pub sectors: Vec<ContributionLine>,
}

/// Contributions of each position and sector.
pub fn attribute(
    returns: &[Vec<f64>],
    weights: &[f64],
    symbols: &[String],
    sectors: &[Option<String>],
    periods_per_year: f64,
) -> Attribution {
    let mu = mean_vector(returns);
    let cov = sample_covariance(returns);
    let sw = cov.mul_vec(weights);
    let var_p: f64 = sw.iter().zip(weights).map(|(a, b)| a * b).sum();
    let sd = var_p.sqrt();
    let root = periods_per_year.sqrt();
    let vol = sd * root;
    let positions: Vec<ContributionLine> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let risk = if sd > 0.0 { w * sw[i] / sd * root } else { 0.0 };
            ContributionLine {
                name: symbols.get(i).cloned().unwrap_or_default(),
                weight: *w,
                return_contribution: w * mu[i] * periods_per_year,
                risk_contribution: risk,
                risk_share: if vol > 0.0 { risk / vol } else { f64::NAN },
            }
        })
        .collect();
    let mut by_sector: Vec<ContributionLine> = Vec::new();
    for (i, p) in positions.iter().enumerate() {
        let name = sectors
            .get(i)
            .cloned()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| UNCLASSIFIED.to_string());
        let row = match by_sector.iter_mut().position(|l| l.name == name) {
            Some(k) => &mut by_sector[k],
            None => {
                by_sector.push(ContributionLine {
                    name,
                    weight: 0.0,
                    return_contribution: 0.0,
                    risk_contribution: 0.0,
                    risk_share: 0.0,
                });
                let last = by_sector.len() - 1;
                &mut by_sector[last]
            }
        };
        row.weight += p.weight;
        row.return_contribution += p.return_contribution;
        row.risk_contribution += p.risk_contribution;
        row.risk_share += p.risk_share;
    }
    by_sector.sort_by(|a, b| b.risk_contribution.total_cmp(&a.risk_contribution));
    Attribution {
        annualized_mean: mu.iter().zip(weights).map(|(m, w)| m * w).sum::<f64>() * periods_per_year,
        annualized_volatility: vol,
        positions,
        sectors: by_sector,
    }
}
