//! The objectives Ballast optimises, their names and the quantity each reports.

use crate::clustering::Linkage;
use serde::{Deserialize, Serialize};

/// What to optimise. Targets are annual fractions (0.2 = 20%).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Objective {
    /// Global minimum variance.
    MinVariance,
    /// Maximum Sharpe ratio at the risk-free rate (homogenised QP).
    MaxSharpe,
    /// Minimum variance for a target annual return.
    EfficientReturn { target_return: f64 },
    /// Maximum return for a target annual volatility (SOCP).
    EfficientRisk { target_volatility: f64 },
    /// Maximum `μ'w − (δ/2)w'Σw`.
    MaxUtility { risk_aversion: f64 },
    /// Minimum historical CVaR at the chosen level (LP).
    MinCvar,
    /// Minimum conditional drawdown at risk (LP).
    MinCdar,
    /// Minimum mean absolute deviation (LP).
    MinMad,
    /// Maximum (expected return − risk-free) / CVaR (homogenised LP).
    MaxCvarRatio,
    /// Equal risk contribution.
    RiskParity,
    /// Risk contributions proportional to the user's budgets (one per asset).
    RiskBudget { budgets: Vec<f64> },
    /// Maximum diversification ratio `σ'w/√(w'Σw)`.
    MaxDiversification,
    /// Hierarchical risk parity on the correlation clustering.
    Hrp { linkage: Linkage },
    /// Weights proportional to 1/σ.
    InverseVolatility,
    /// 1/n each.
    EqualWeight,
}

/// Every objective key, in menu order.
pub const KEYS: [&str; 15] = [
    "min_variance",
    "max_sharpe",
    "efficient_return",
    "efficient_risk",
    "max_utility",
    "min_cvar",
    "min_cdar",
    "min_mad",
    "max_cvar_ratio",
    "risk_parity",
    "risk_budget",
    "max_diversification",
    "hrp",
    "inverse_volatility",
    "equal_weight",
];

impl Objective {
    /// Stable machine key (CLI `--objective`, JSON).
    pub fn key(&self) -> &'static str {
        match self {
            Objective::MinVariance => "min_variance",
            Objective::MaxSharpe => "max_sharpe",
            Objective::EfficientReturn { .. } => "efficient_return",
            Objective::EfficientRisk { .. } => "efficient_risk",
            Objective::MaxUtility { .. } => "max_utility",
            Objective::MinCvar => "min_cvar",
            Objective::MinCdar => "min_cdar",
            Objective::MinMad => "min_mad",
            Objective::MaxCvarRatio => "max_cvar_ratio",
            Objective::RiskParity => "risk_parity",
            Objective::RiskBudget { .. } => "risk_budget",
            Objective::MaxDiversification => "max_diversification",
            Objective::Hrp { .. } => "hrp",
            Objective::InverseVolatility => "inverse_volatility",
            Objective::EqualWeight => "equal_weight",
        }
    }

    /// Build from a key with the parameters the key needs (missing ones take defaults:
    /// target return 10%, target volatility 15%, risk aversion 1, equal budgets, single linkage).
    pub fn from_key(key: &str, param: Option<f64>, budgets: Option<Vec<f64>>) -> Option<Self> {
        Some(match key {
            "min_variance" => Objective::MinVariance,
            "max_sharpe" => Objective::MaxSharpe,
            "efficient_return" => Objective::EfficientReturn {
                target_return: param.unwrap_or(0.10),
            },
            "efficient_risk" => Objective::EfficientRisk {
                target_volatility: param.unwrap_or(0.15),
            },
            "max_utility" => Objective::MaxUtility {
                risk_aversion: param.unwrap_or(1.0),
            },
            "min_cvar" => Objective::MinCvar,
            "min_cdar" => Objective::MinCdar,
            "min_mad" => Objective::MinMad,
            "max_cvar_ratio" => Objective::MaxCvarRatio,
            "risk_parity" => Objective::RiskParity,
            "risk_budget" => Objective::RiskBudget {
                budgets: budgets.unwrap_or_default(),
            },
            "max_diversification" => Objective::MaxDiversification,
            "hrp" => Objective::Hrp {
                linkage: Linkage::Single,
            },
            "inverse_volatility" => Objective::InverseVolatility,
            "equal_weight" => Objective::EqualWeight,
            _ => return None,
        })
    }

    /// Name shown to the user.
    pub fn label(&self) -> &'static str {
        match self {
            Objective::MinVariance => "Minimum variance",
            Objective::MaxSharpe => "Maximum Sharpe ratio",
            Objective::EfficientReturn { .. } => {
                "Efficient return (minimum variance for a target return)"
            }
            Objective::EfficientRisk { .. } => {
                "Efficient risk (maximum return for a target volatility)"
            }
            Objective::MaxUtility { .. } => "Maximum quadratic utility",
            Objective::MinCvar => "Minimum CVaR",
            Objective::MinCdar => "Minimum CDaR (conditional drawdown at risk)",
            Objective::MinMad => "Minimum mean absolute deviation",
            Objective::MaxCvarRatio => "Maximum return / CVaR",
            Objective::RiskParity => "Equal risk contribution (risk parity)",
            Objective::RiskBudget { .. } => "Risk budgeting",
            Objective::MaxDiversification => "Maximum diversification ratio",
            Objective::Hrp { .. } => "Hierarchical risk parity",
            Objective::InverseVolatility => "Inverse volatility",
            Objective::EqualWeight => "Equal weight",
        }
    }

    /// Whether the objective uses the covariance matrix's mean-variance machinery (and so
    /// needs it positive definite).
    pub fn uses_covariance(&self) -> bool {
        !matches!(
            self,
            Objective::MinCvar
                | Objective::MinCdar
                | Objective::MinMad
                | Objective::MaxCvarRatio
                | Objective::EqualWeight
        )
    }

    /// Whether the objective is one of the mean-variance programs (where L2 regularisation
    /// applies and column generation over the assets is used).
    pub fn is_mean_variance(&self) -> bool {
        matches!(
            self,
            Objective::MinVariance
                | Objective::EfficientReturn { .. }
                | Objective::MaxUtility { .. }
                | Objective::MaxSharpe
                | Objective::MaxDiversification
                | Objective::EfficientRisk { .. }
        )
    }

    /// Whether user constraints (bounds, groups, leverage, turnover) apply.
    pub fn takes_constraints(&self) -> bool {
        !matches!(
            self,
            Objective::RiskParity
                | Objective::RiskBudget { .. }
                | Objective::Hrp { .. }
                | Objective::InverseVolatility
                | Objective::EqualWeight
        )
    }
}
