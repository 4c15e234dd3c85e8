//! `ballast optimize --rebalance`: the trades from the current holdings to the optimised
//! weights (`ballast_core::optimize::rebalance`), their CSV and the cost-benefit line.

use crate::optimize::{by_symbol, pct, EXIT_OPTIMISATION_FAILED};
use crate::Failure;
use ballast_core::align::Aligned;
use ballast_core::optimize::cost_benefit::{cost_benefit, CostBenefit};
use ballast_core::optimize::rebalance::{
    rebalance, trades_csv, RebalanceParams, RebalancePlan, Side,
};
use ballast_core::optimize::{Estimates, Market, OptimizeSpec};
use serde_json::{json, Value};
use std::path::Path;

/// The rebalancing options of the command line.
pub(crate) struct Options<'a> {
    pub cost_bps: f64,
    pub fixed_fee: f64,
    pub min_trade: f64,
    pub drift_band: f64,
    pub fractional: bool,
    pub trades_csv: Option<&'a Path>,
    pub portfolio_value: Option<f64>,
}

/// A plan with its context.
pub(crate) struct Rebalanced {
    plan: RebalancePlan,
    cost_benefit: CostBenefit,
    params: RebalanceParams,
    total_value: f64,
    trades_csv: Option<String>,
}

/// Current shares and cash: from the holdings' quantities, or from the weights and
/// `--portfolio-value` when the holdings give weights only (or there are none).
fn current_shares(aligned: &Aligned, value: Option<f64>) -> Result<(Vec<f64>, f64), String> {
    let weights_only = aligned.positions.iter().all(|p| p.quantity.is_none());
    match (weights_only, value) {
        (true, Some(v)) => Ok((
            aligned
                .positions
                .iter()
                .map(|p| p.weight * v / p.price)
                .collect(),
            aligned.cash_weight * v,
        )),
        (true, None) => Err(
            "--rebalance needs the portfolio in money: give --holdings with shares or market values, or --portfolio-value"
                .into(),
        ),
        (false, Some(_)) => Err(
            "--portfolio-value applies only when the holdings give weights only; these holdings give shares or values"
                .into(),
        ),
        (false, None) => Ok((
            aligned
                .positions
                .iter()
                .map(|p| p.quantity.unwrap_or(p.value / p.price))
                .collect(),
            aligned.cash,
        )),
    }
}

fn rebalance_failed(e: &ballast_core::optimize::OptError) -> Failure {
    Failure {
        message: format!("--rebalance: {}", crate::optimize::describe(e)),
        code: EXIT_OPTIMISATION_FAILED,
    }
}

/// The plan from the current holdings to `target`.
pub(crate) fn plan(
    opts: Options<'_>,
    aligned: &Aligned,
    market: &Market,
    spec: &OptimizeSpec,
    est: &Estimates,
    target: &[f64],
) -> Result<Rebalanced, Failure> {
    let (shares, cash) = current_shares(aligned, opts.portfolio_value)?;
    let prices: Vec<f64> = aligned.positions.iter().map(|p| p.price).collect();
    let params = RebalanceParams {
        cost_bps: opts.cost_bps,
        fixed_fee: opts.fixed_fee,
        min_trade_value: opts.min_trade,
        drift_band: opts.drift_band,
        whole_shares: !opts.fractional,
    };
    let plan = rebalance(&aligned.symbols, &shares, &prices, cash, target, &params)
        .map_err(|e| rebalance_failed(&e))?;
    let total_value: f64 = shares.iter().zip(&prices).map(|(s, p)| s * p).sum::<f64>() + cash;
    let before: Vec<f64> = shares
        .iter()
        .zip(&prices)
        .map(|(s, p)| s * p / total_value)
        .collect();
    let cb = cost_benefit(
        market,
        est,
        spec.risk_free,
        spec.beta,
        &before,
        &plan.final_weights,
        plan.total_cost,
        total_value,
    );
    let written = match opts.trades_csv {
        Some(path) => {
            std::fs::write(path, trades_csv(&plan)).map_err(|e| {
                Failure::from(format!(
                    "--trades-csv: cannot write {}: {e}",
                    path.display()
                ))
            })?;
            Some(path.display().to_string())
        }
        None => None,
    };
    Ok(Rebalanced {
        plan,
        cost_benefit: cb,
        params,
        total_value,
        trades_csv: written,
    })
}

fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

impl Rebalanced {
    /// The `rebalance` object of `--json`.
    pub(crate) fn plan_json(&self, symbols: &[String]) -> Value {
        let p = &self.plan;
        json!({
            "total_value": num(self.total_value),
            "whole_shares": self.params.whole_shares,
            "cost_bps": self.params.cost_bps,
            "fixed_fee": self.params.fixed_fee,
            "min_trade_value": self.params.min_trade_value,
            "drift_band": self.params.drift_band,
            "trades": p.trades.iter().map(|t| json!({
                "symbol": t.symbol, "side": t.side.as_str(), "shares": num(t.shares),
                "price": num(t.price), "value": num(t.value), "cost": num(t.cost),
            })).collect::<Vec<_>>(),
            "final_shares": by_symbol(symbols, &p.final_shares),
            "final_weights": by_symbol(symbols, &p.final_weights),
            "final_cash": num(p.final_cash),
            "total_cost": num(p.total_cost),
            "turnover": num(p.turnover),
            "tracking_gap": {"rmse": num(p.tracking_gap.rmse), "max_abs": num(p.tracking_gap.max_abs)},
            "skipped": p.skipped,
            "trades_csv": self.trades_csv,
        })
    }

    /// The `cost_benefit` object of `--json`.
    pub(crate) fn cost_benefit_json(&self) -> Value {
        serde_json::to_value(&self.cost_benefit).unwrap_or(Value::Null)
    }

    /// The trades as a readable table.
    pub(crate) fn table(&self) -> String {
        let p = &self.plan;
        let k = &self.params;
        let mut s = format!(
            "Rebalance of {:.2} ({} shares; cost {} bps + {:.2} per trade; minimum trade {:.2}; drift band {})\n",
            self.total_value,
            if k.whole_shares { "whole" } else { "fractional" },
            k.cost_bps,
            k.fixed_fee,
            k.min_trade_value,
            pct(k.drift_band, 2)
        );
        if p.trades.is_empty() {
            s.push_str("No trades.\n");
        } else {
            let w = p
                .trades
                .iter()
                .map(|t| t.symbol.chars().count())
                .max()
                .unwrap_or(0)
                .max(6);
            s.push_str(&format!(
                "{:<4}  {:<w$}  {:>14}  {:>12}  {:>14}  {:>10}\n",
                "Side", "Symbol", "Shares", "Price", "Value", "Cost"
            ));
            for t in &p.trades {
                s.push_str(&format!(
                    "{:<4}  {:<w$}  {:>14}  {:>12.2}  {:>14.2}  {:>10.2}\n",
                    t.side.as_str(),
                    t.symbol,
                    if k.whole_shares {
                        format!("{:.0}", t.shares)
                    } else {
                        format!("{:.4}", t.shares)
                    },
                    t.price,
                    t.value,
                    t.cost
                ));
            }
        }
        let bought: f64 = p
            .trades
            .iter()
            .filter(|t| t.side == Side::Buy)
            .map(|t| t.value)
            .sum();
        let sold: f64 = p
            .trades
            .iter()
            .filter(|t| t.side == Side::Sell)
            .map(|t| t.value)
            .sum();
        s.push_str(&format!(
            "Bought {bought:.2}, sold {sold:.2}, costs {:.2}; one-way turnover {}; cash after {:.2}\n",
            p.total_cost,
            pct(p.turnover, 2),
            p.final_cash
        ));
        s.push_str(&format!(
            "Final weights against the targets: RMSE {}, largest gap {}\n",
            pct(p.tracking_gap.rmse, 3),
            pct(p.tracking_gap.max_abs, 3)
        ));
        for x in &p.skipped {
            s.push_str(&format!("  skipped: {x}\n"));
        }
        s.push_str(&format!("Cost-benefit: {}\n", self.cost_benefit.summary));
        if let Some(path) = &self.trades_csv {
            s.push_str(&format!("Trades written to {path}\n"));
        }
        s
    }
}
