//! Optimisation errors, in words a user can act on.
//!
//! Every variant's message says what went wrong with the user's numbers and, where there is
//! one, what to change. Solver statuses are translated here; a raw solver status never reaches
//! the user on its own.

use thiserror::Error;

/// Why an optimisation (or one of its inputs) could not be produced.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptError {
    /// An input that is out of range or the wrong size; `field` names it as the UI/CLI does.
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    /// Fewer observations than the method needs.
    #[error("{what} needs at least {need} observations; the window has {got}")]
    TooFewObservations {
        what: String,
        need: usize,
        got: usize,
    },

    /// An asset whose returns never move: its variance is zero, so risk-based weights are
    /// undefined.
    #[error(
        "{symbol} has no variance (its price never moves in the window); remove it or choose a longer window"
    )]
    ZeroVariance { symbol: String },

    /// The covariance matrix is not positive definite.
    #[error(
        "the covariance matrix is singular (smallest eigenvalue {min_eigenvalue:.3e}){detail}; choose Ledoit-Wolf shrinkage as the covariance estimator, or remove duplicated assets"
    )]
    SingularCovariance { min_eigenvalue: f64, detail: String },

    /// A target return above what the constraints allow.
    #[error(
        "target {:.1}% is above the highest return reachable with these constraints, {:.1}%",
        target * 100.0,
        max * 100.0
    )]
    TargetReturnTooHigh { target: f64, max: f64 },

    /// A target return below the minimum-variance portfolio's: every portfolio that meets it
    /// is beaten by the minimum-variance one, which is the answer.
    #[error(
        "target volatility {:.1}% is below the lowest volatility reachable with these constraints, {:.1}%",
        target * 100.0,
        min * 100.0
    )]
    TargetVolatilityTooLow { target: f64, min: f64 },

    /// Maximum Sharpe (or return/CVaR) needs a portfolio that beats the risk-free rate.
    #[error(
        "no portfolio beats the risk-free rate of {:.2}%: the highest expected return reachable with these constraints is {:.2}%; lower the risk-free rate or use minimum variance",
        rf * 100.0,
        best * 100.0
    )]
    NothingBeatsRiskFree { rf: f64, best: f64 },

    /// The constraints cannot all hold at once; `conflicts` names the ones that contradict.
    #[error("the constraints contradict each other: {}", conflicts.join("; "))]
    Infeasible { conflicts: Vec<String> },

    /// The solver stopped without a usable answer.
    #[error("the solver could not finish ({status}): {advice}")]
    SolverFailed { status: String, advice: String },

    /// The user cancelled a long computation.
    #[error("cancelled")]
    Cancelled,
}

impl OptError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        OptError::InvalidInput {
            field: field.to_string(),
            message: message.into(),
        }
    }
}
