//! Mean-variance programs (annualised μ and Σ), as in `../shared/reference/formulations.py`.
//!
//! * Minimum variance / efficient return (Markowitz 1952): `min w'Σw + γ‖w‖²` over the
//!   constraints, plus `μ'w ≥ r*` for a target return. QP with `P = 2(Σ + γI)`, `q = 0`.
//! * Maximum quadratic utility: `max μ'w − (δ/2) w'Σw − γ‖w‖²`: `P = δΣ + 2γI`, `q = −μ`.
//! * Maximum Sharpe (Cornuéjols & Tütüncü 2007, §8.2; PyPortfolioOpt's and Riskfolio's form):
//!   with `y = κw`, `min y'Σy` s.t. `(μ − r_f)'y = 1`, the constraints homogenised, `κ ≥ 0`;
//!   then `w = y/κ` and `SR = 1/√(y'Σy)`. Needs a feasible portfolio with `μ'w > r_f`.
//!   L2 regularisation is applied to `y`, as PyPortfolioOpt does (it is not "Sharpe + L2").
//! * Maximum diversification (Choueifaty & Coignard 2008): `max σ'w / √(w'Σw)`, the maximum
//!   Sharpe problem with `μ` replaced by the vector of volatilities `σ_i = √Σ_ii` and `r_f = 0`.
//! * Efficient risk: `max μ'w − γ‖w‖²` s.t. `‖L'w‖ ≤ σ*` with `Σ = LL'` (Cholesky), an SOCP.

use super::constraints::Resolved;
use super::program::{Family, Program};
use super::OptError;
use crate::covariance::Matrix;

/// Variables of a built program: where the weights (or `y`) start and the scale column.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub program: Program,
    /// Each asset's weight variable is `w0 + i`.
    pub w0: usize,
    /// `κ` of a homogenised program.
    pub kappa: Option<usize>,
    /// Each asset's own lower-bound row.
    pub own_rows: Vec<usize>,
}

fn add_sigma(prog: &mut Program, sigma: &Matrix, factor: f64, w0: usize) {
    let n = sigma.n;
    for i in 0..n {
        for j in i..n {
            let v = sigma.data[i * n + j];
            if v != 0.0 {
                prog.add_p(w0 + i, w0 + j, factor * v);
            }
        }
    }
}

fn add_l2(prog: &mut Program, n: usize, gamma: f64, w0: usize) {
    if gamma > 0.0 {
        for i in 0..n {
            prog.add_p(w0 + i, w0 + i, 2.0 * gamma);
        }
    }
}

/// `min w'Σw + γ‖w‖²` (+ `μ'w ≥ r*` when `target` is given).
pub fn min_variance(sigma: &Matrix, cons: &Resolved, mu: &[f64], target: Option<f64>) -> Built {
    let n = sigma.n;
    let mut prog = Program::new(n);
    add_sigma(&mut prog, sigma, 2.0, 0);
    add_l2(&mut prog, n, cons.l2, 0);
    let own_rows = cons.add_rows(&mut prog, 0, None);
    if let Some(r) = target {
        prog.add_le(
            mu.iter().enumerate().map(|(i, &m)| (i, -m)).collect(),
            -r,
            Family::TargetReturn,
        );
    }
    Built {
        program: prog,
        w0: 0,
        kappa: None,
        own_rows,
    }
}

/// `max μ'w − (δ/2)w'Σw − γ‖w‖²`.
pub fn max_utility(sigma: &Matrix, cons: &Resolved, mu: &[f64], delta: f64) -> Built {
    let n = sigma.n;
    let mut prog = Program::new(n);
    add_sigma(&mut prog, sigma, delta, 0);
    add_l2(&mut prog, n, cons.l2, 0);
    maximise_return(prog, cons, mu)
}

/// `q = −μ` on the weights, then the constraints: the program maximises `μ'w` (minus whatever
/// `P` already holds).
fn maximise_return(mut prog: Program, cons: &Resolved, mu: &[f64]) -> Built {
    for (i, &m) in mu.iter().enumerate() {
        prog.q[i] = -m;
    }
    let own_rows = cons.add_rows(&mut prog, 0, None);
    Built {
        program: prog,
        w0: 0,
        kappa: None,
        own_rows,
    }
}

/// Homogenised `min y'Σy + γ‖y‖²` s.t. `excess'y = 1` (maximum Sharpe with
/// `excess = μ − r_f`; maximum diversification with `excess = σ`).
pub fn max_ratio(sigma: &Matrix, cons: &Resolved, excess: &[f64]) -> Built {
    let n = sigma.n;
    let mut prog = Program::new(n);
    add_sigma(&mut prog, sigma, 2.0, 0);
    add_l2(&mut prog, n, cons.l2, 0);
    // κ is added after the constraint rows' auxiliaries; reserve it first so rows can use it.
    let (kappa, own_rows) = cons.add_homogenised(&mut prog, excess);
    Built {
        program: prog,
        w0: 0,
        kappa: Some(kappa),
        own_rows,
    }
}

/// Lower-triangular Cholesky factor of Σ (row-major), or the singular-covariance error.
pub fn cholesky(sigma: &Matrix) -> Result<Vec<f64>, OptError> {
    let n = sigma.n;
    let m = nalgebra::DMatrix::from_row_slice(n, n, &sigma.data);
    match nalgebra::linalg::Cholesky::new(m) {
        Some(c) => {
            let l = c.l();
            let mut out = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..=i {
                    out[i * n + j] = l[(i, j)];
                }
            }
            Ok(out)
        }
        None => Err(OptError::SingularCovariance {
            min_eigenvalue: crate::estimators::min_eigenvalue(sigma),
            detail: " so a volatility target cannot be written as a cone".into(),
        }),
    }
}

/// `max μ'w − γ‖w‖²` s.t. `‖L'w‖ ≤ σ*`.
pub fn efficient_risk(
    sigma: &Matrix,
    chol: &[f64],
    cons: &Resolved,
    mu: &[f64],
    target_vol: f64,
) -> Built {
    let n = sigma.n;
    let mut prog = Program::new(n);
    add_l2(&mut prog, n, cons.l2, 0);
    let mut built = maximise_return(prog, cons, mu);
    // s = (σ*, L'w): rows [0; −L'], b = [σ*; 0]. (L'w)_k = Σ_i L_ik w_i.
    let mut rows = Vec::with_capacity(n + 1);
    rows.push((Vec::new(), target_vol));
    for k in 0..n {
        let coeffs: Vec<(usize, f64)> = (k..n)
            .filter_map(|i| {
                let v = chol[i * n + k];
                (v != 0.0).then_some((i, -v))
            })
            .collect();
        rows.push((coeffs, 0.0));
    }
    built.program.soc(rows, Family::TargetRisk);
    built
}

/// `max μ'w` over the constraints (an LP): the highest return reachable.
pub fn max_return(n: usize, cons: &Resolved, mu: &[f64]) -> Built {
    maximise_return(Program::new(n), cons, mu)
}
