//! Risk budgeting and equal risk contribution (Spinu 2013; Roncalli, *Introduction to Risk
//! Parity and Budgeting*, 2013, §2.2).
//!
//! The long-only portfolio whose risk contributions `RC_i = w_i(Σw)_i / w'Σw` equal budgets
//! `b_i` (`Σb = 1`) is `w = y/1'y` for the unique minimiser of the strictly convex
//!
//! ```text
//! f(y) = ½ y'Σy − Σ_i b_i log y_i,   y > 0,
//! ```
//! whose optimality condition is `y_i (Σy)_i = b_i`. Clarabel form (Riskfolio's/skfolio's
//! log-barrier): `x = (y, t)`, `min ½y'Σy − b't` with `(t_i, 1, y_i) ∈ K_exp` (`t_i ≤ log y_i`).
//! Clarabel's interior point answer (tolerance 1e-10) is then polished by damped Newton steps on
//! `f` (Boyd & Vandenberghe §9.5), which converge quadratically from there to machine precision;
//! if Clarabel fails, Newton starts from the inverse-volatility point instead.
//! Equal risk contribution is `b_i = 1/n`. Bounds, groups and other constraints do not apply
//! (the budgets fix the weights).

use super::program::{Family, Program, SolveOptions};
use super::OptError;
use crate::covariance::Matrix;

/// Result: weights, the risk contributions (fractions of variance) and how it was solved.
#[derive(Debug, Clone, PartialEq)]
pub struct Budgeted {
    pub weights: Vec<f64>,
    pub contributions: Vec<f64>,
    pub clarabel_status: String,
    pub clarabel_iterations: u32,
    pub newton_steps: usize,
}

/// Check budgets: one per asset, nonnegative, finite, positive total; normalised to sum 1.
pub fn normalise_budgets(budgets: &[f64], symbols: &[String]) -> Result<Vec<f64>, OptError> {
    if budgets.len() != symbols.len() {
        return Err(OptError::invalid(
            "risk budgets",
            format!(
                "{} budgets for {} assets; give one per asset",
                budgets.len(),
                symbols.len()
            ),
        ));
    }
    for (b, s) in budgets.iter().zip(symbols) {
        if !b.is_finite() || *b <= 0.0 {
            return Err(OptError::invalid(
                &format!("risk budget of {s}"),
                "must be a positive number",
            ));
        }
    }
    let total: f64 = budgets.iter().sum();
    Ok(budgets.iter().map(|b| b / total).collect())
}

fn f_value(sigma: &Matrix, b: &[f64], y: &[f64]) -> f64 {
    0.5 * sigma.quad_form(y) - b.iter().zip(y).map(|(b, y)| b * y.ln()).sum::<f64>()
}

/// Damped Newton on `f` from `y` (all positive); returns the steps taken.
fn newton(sigma: &Matrix, b: &[f64], y: &mut [f64]) -> usize {
    let n = b.len();
    for step in 0..100 {
        let sy = sigma.mul_vec(y);
        let g: Vec<f64> = (0..n).map(|i| sy[i] - b[i] / y[i]).collect();
        let mut h = nalgebra::DMatrix::from_row_slice(n, n, &sigma.data);
        for i in 0..n {
            h[(i, i)] += b[i] / (y[i] * y[i]);
        }
        let Some(ch) = nalgebra::linalg::Cholesky::new(h) else {
            return step;
        };
        let dx = ch.solve(&nalgebra::DVector::from_column_slice(&g));
        let lam2: f64 = g.iter().zip(dx.iter()).map(|(a, b)| a * b).sum();
        if lam2 / 2.0 < 1e-28 {
            return step;
        }
        let mut t = 1.0;
        while (0..n).any(|i| y[i] - t * dx[i] <= 0.0) && t > 1e-12 {
            t *= 0.5;
        }
        let f0 = f_value(sigma, b, y);
        let mut next: Vec<f64>;
        loop {
            next = (0..n).map(|i| y[i] - t * dx[i]).collect();
            if f_value(sigma, b, &next) <= f0 - 0.25 * t * lam2 || t < 1e-12 {
                break;
            }
            t *= 0.5;
        }
        y.copy_from_slice(&next);
        if lam2 / 2.0 < 1e-20 {
            return step + 1;
        }
    }
    100
}

/// Risk contributions `w_i(Σw)_i / w'Σw`.
pub fn risk_contributions(sigma: &Matrix, w: &[f64]) -> Vec<f64> {
    let sw = sigma.mul_vec(w);
    let var: f64 = w.iter().zip(&sw).map(|(a, b)| a * b).sum();
    w.iter().zip(&sw).map(|(a, b)| a * b / var).collect()
}

/// Risk budgeting portfolio for normalised budgets `b`.
pub fn risk_budgeting(sigma: &Matrix, b: &[f64]) -> Result<Budgeted, OptError> {
    let n = sigma.n;
    let mut prog = Program::new(2 * n);
    for (i, &b_i) in b.iter().enumerate() {
        for j in i..n {
            prog.add_p(i, j, sigma.data[i * n + j]);
        }
        prog.q[n + i] = -b_i;
        prog.exp(
            [
                (vec![(n + i, -1.0)], 0.0),
                (Vec::new(), 1.0),
                (vec![(i, -1.0)], 0.0),
            ],
            Family::Model,
        );
    }
    let sol = prog.solve(SolveOptions::default())?;
    let mut y: Vec<f64> = if sol.status.usable() && sol.x[..n].iter().all(|&v| v > 0.0) {
        sol.x[..n].to_vec()
    } else {
        (0..n).map(|i| 1.0 / sigma.data[i * n + i].sqrt()).collect()
    };
    if y.iter().any(|v| !v.is_finite() || *v <= 0.0) {
        return Err(OptError::SolverFailed {
            status: super::program::status_words(sol.status).into(),
            advice: "risk budgeting needs every asset to have a positive variance".into(),
        });
    }
    let steps = newton(sigma, b, &mut y);
    let total: f64 = y.iter().sum();
    let weights: Vec<f64> = y.iter().map(|v| v / total).collect();
    let contributions = risk_contributions(sigma, &weights);
    Ok(Budgeted {
        weights,
        contributions,
        clarabel_status: super::program::status_words(sol.status).into(),
        clarabel_iterations: sol.iterations,
        newton_steps: steps,
    })
}
