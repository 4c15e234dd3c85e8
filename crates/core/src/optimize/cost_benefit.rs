//! Is a rebalance worth its cost? The portfolio's figures before and after, next to the cost.
//!
//! Before = today's weights, after = the weights the trades leave (whole shares and cash
//! included), both through [`portfolio_stats`] with the optimiser's estimates: annualised
//! volatility and Sharpe ratio, per-period historical VaR_β (Rockafellar-Uryasev, see
//! `stats.rs`) in percent and in money. The cost is in money and in percent of the portfolio;
//! "cost in Sharpe units" is the cost as a fraction of the portfolio divided by the annualised
//! volatility after — the one-off return drag expressed on the Sharpe scale, so a Sharpe gain
//! smaller than it does not pay for the trades within a year.

use super::run::{Estimates, Market};
use super::stats::portfolio_stats;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostBenefit {
    pub volatility_before: f64,
    pub volatility_after: f64,
    pub var_before: f64,
    pub var_after: f64,
    pub var_money_before: f64,
    pub var_money_after: f64,
    pub sharpe_before: f64,
    pub sharpe_after: f64,
    pub cost: f64,
    pub cost_fraction: f64,
    pub cost_in_sharpe_units: f64,
    /// One plain-language line: "volatility 18.2% → 14.1%, VaR … , Sharpe … for $123 (0.12%)".
    pub summary: String,
}

/// Compare `before` and `after` weights (fractions of `total_value`) given the trades' `cost`.
#[allow(clippy::too_many_arguments)]
pub fn cost_benefit(
    market: &Market,
    est: &Estimates,
    risk_free: f64,
    beta: f64,
    before: &[f64],
    after: &[f64],
    cost: f64,
    total_value: f64,
) -> CostBenefit {
    let b = portfolio_stats(
        before,
        &est.mu,
        &est.sigma,
        &market.returns,
        risk_free,
        beta,
    );
    let a = portfolio_stats(after, &est.mu, &est.sigma, &market.returns, risk_free, beta);
    let cost_fraction = if total_value > 0.0 {
        cost / total_value
    } else {
        f64::NAN
    };
    let cost_in_sharpe_units = if a.volatility > 0.0 {
        cost_fraction / a.volatility
    } else {
        f64::NAN
    };
    let summary = format!(
        "volatility {:.2}% → {:.2}%, {:.0}% VaR {:.2}% → {:.2}% ({:.0} → {:.0}), Sharpe {:.3} → {:.3}, for a cost of {:.2} ({:.3}% of the portfolio, {:.4} in Sharpe units)",
        b.volatility * 100.0,
        a.volatility * 100.0,
        beta * 100.0,
        b.var * 100.0,
        a.var * 100.0,
        b.var * total_value,
        a.var * total_value,
        b.sharpe,
        a.sharpe,
        cost,
        cost_fraction * 100.0,
        cost_in_sharpe_units
    );
    CostBenefit {
        volatility_before: b.volatility,
        volatility_after: a.volatility,
        var_before: b.var,
        var_after: a.var,
        var_money_before: b.var * total_value,
        var_money_after: a.var * total_value,
        sharpe_before: b.sharpe,
        sharpe_after: a.sharpe,
        cost,
        cost_fraction,
        cost_in_sharpe_units,
        summary,
    }
}
