//! Portfolio optimisation: expected returns, every objective as a documented convex program
//! solved by Clarabel, heuristic allocations, frontiers, failure diagnosis and rebalancing.
//!
//! Units: mean-variance problems are built in **annualised** units (μ and Σ × periods per year)
//! so the objective is O(1e-2..1) and Clarabel's tolerances are meaningful (see
//! `../shared/reference/OPTIMIZATION.md`, "Recommendations"); scenario problems (CVaR, CDaR,
//! MAD) use the per-period returns, and report per-period risk.

pub mod constraints;
pub mod cost_benefit;
pub mod diagnose;
pub mod discrete;
pub mod error;
pub mod expected_returns;
pub mod frontier;
pub mod heuristics;
pub mod hierarchical;
pub mod mean_variance;
pub mod objective;
pub mod program;
pub mod rebalance;
pub mod risk_budget;
pub mod run;
pub mod scenario;
pub mod screening;
pub mod stats;

pub use constraints::{AssetBound, Constraints, GroupLimit};
pub use error::OptError;
pub use objective::Objective;
pub use run::{
    estimates, fallback, optimize, optimize_with, sector_groups, Estimates, Market, OptResult,
    OptimizeSpec,
};
