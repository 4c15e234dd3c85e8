//! Exact column-and-row generation: solve a program on a working set of its variables and
//! rows, then certify (or grow the set) with the full problem's optimality conditions.
//!
//! For `min ½x'Px + q'x  s.t. Ax + s = b, s ∈ K` Clarabel returns `(x, z)` with
//! `Px + q + A'z = 0`, `z ∈ K*`. Solve with some variables fixed at 0 ("inactive columns", each
//! nonnegative with its own bound row `−x_j ≤ 0`) and some inequality rows dropped ("inactive
//! rows"). The reduced solution, padded with zeros (`x_j = 0`, `z_r = 0` on dropped rows), is
//! optimal for the full problem iff
//!
//! * every dropped row holds: `a_r'x ≤ b_r` (primal feasibility), and
//! * every inactive column has a nonnegative reduced cost
//!   `d_j = (Px)_j + q_j + Σ_{kept r} A_rj z_r ≥ 0` — the multiplier of its bound row
//!   (dual feasibility),
//!
//! since the KKT conditions of a convex program are then met (complementarity holds because
//! `x_j = 0` makes the bound row active and dropped rows carry `z = 0`). Otherwise violated
//! columns and rows join the working set and the reduced problem is solved again. This is the
//! classical constraint/column generation of linear programming (Dantzig-Wolfe; for CVaR, the
//! cutting-plane scheme of Künzi-Bay & Mayer, *Computational Management Science* 3, 2006) applied
//! to Clarabel's duals; it returns the full problem's optimum, only faster when few assets hold
//! weight (long-only mean-variance) or few scenarios are in the tail (CVaR).
//!
//! Tolerances: a column joins when `d_j < −tol_dual·scale`, a row when its violation exceeds
//! `tol_primal·(1 + |b_r|)`; after [`MAX_ROUNDS`] rounds the full problem is solved instead.

use super::program::{Cone, Program, Solution, SolveOptions};
use super::OptError;

/// Rounds of generation before giving up and solving the full program.
pub const MAX_ROUNDS: usize = 30;

/// What may be left out of the working set.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    /// Screenable columns with the index of their own bound row `−x_j ≤ 0`.
    pub cols: Vec<(usize, usize)>,
    /// Screenable inequality rows, with a variable that exists only for that row (e.g. the
    /// CVaR excess `u_t`) and that variable's own bound row.
    pub rows: Vec<(usize, Option<(usize, usize)>)>,
}

/// Outcome with the working-set statistics.
#[derive(Debug, Clone)]
pub struct Screened {
    pub solution: Solution,
    pub rounds: usize,
    pub active_cols: usize,
    pub active_rows: usize,
    /// Whether the generation gave up and the full program was solved.
    pub full: bool,
}

/// Column index of a program's `A`: for each variable, the rows it appears in.
fn column_index(prog: &Program) -> Vec<Vec<(usize, f64)>> {
    let mut cols = vec![Vec::new(); prog.nvars];
    for (r, row) in prog.rows.iter().enumerate() {
        for &(c, v) in &row.coeffs {
            cols[c].push((r, v));
        }
    }
    cols
}

/// Solve `prog` by generation from the initial working sets (`col_on[k]` for `screen.cols[k]`,
/// `row_on[k]` for `screen.rows[k]`).
pub fn solve_screened(
    prog: &Program,
    screen: &Screen,
    mut col_on: Vec<bool>,
    mut row_on: Vec<bool>,
    opts: SolveOptions,
    tol_primal: f64,
    tol_dual: f64,
) -> Result<Screened, OptError> {
    let index = column_index(prog);
    let mut screened_col = vec![usize::MAX; prog.nvars];
    for (k, &(c, _)) in screen.cols.iter().enumerate() {
        screened_col[c] = k;
    }
    let mut own_row_of = vec![usize::MAX; prog.rows.len()];
    for &(c, r) in &screen.cols {
        own_row_of[r] = c;
    }
    let mut lazy_row = vec![usize::MAX; prog.rows.len()];
    let mut paired = vec![usize::MAX; prog.nvars];
    for (k, &(r, pair)) in screen.rows.iter().enumerate() {
        lazy_row[r] = k;
        if let Some((c, own)) = pair {
            paired[c] = k;
            own_row_of[own] = c;
        }
    }
    let scale = prog
        .q
        .iter()
        .map(|v| v.abs())
        .chain(prog.p.iter().map(|t| t.2.abs()))
        .fold(0.0, f64::max)
        .max(1e-300);
    for round in 1..=MAX_ROUNDS {
        // Working columns: unscreened ones, screened ones that are on, paired ones whose row is on.
        let cols: Vec<usize> = (0..prog.nvars)
            .filter(|&c| {
                let k = screened_col[c];
                let p = paired[c];
                (k == usize::MAX || col_on[k]) && (p == usize::MAX || row_on[p])
            })
            .collect();
        let mut on = vec![false; prog.nvars];
        for &c in &cols {
            on[c] = true;
        }
        let rows: Vec<usize> = (0..prog.rows.len())
            .filter(|&r| {
                let k = lazy_row[r];
                if k != usize::MAX && !row_on[k] {
                    return false;
                }
                let own = own_row_of[r];
                if own != usize::MAX && !on[own] {
                    return false;
                }
                // Rows with no working variable are checked, not solved (unless part of a cone
                // block, which must stay whole).
                matches!(prog.rows[r].cone, Cone::Soc(_) | Cone::Exp(_))
                    || prog.rows[r].coeffs.iter().any(|&(c, v)| v != 0.0 && on[c])
            })
            .collect();
        let sol = prog.solve_subset(&cols, &rows, opts)?;
        if !sol.status.usable() {
            break;
        }
        let kept: Vec<bool> = {
            let mut k = vec![false; prog.rows.len()];
            for &r in &rows {
                k[r] = true;
            }
            k
        };
        // Primal check of dropped rows.
        let mut added = false;
        for (r, row) in prog.rows.iter().enumerate() {
            if kept[r] || own_row_of[r] != usize::MAX && !on[own_row_of[r]] {
                continue;
            }
            let ax: f64 = row.coeffs.iter().map(|&(c, v)| v * sol.x[c]).sum();
            let viol = ax - row.rhs;
            let bad = match row.cone {
                Cone::Zero => viol.abs() > tol_primal * (1.0 + row.rhs.abs()),
                Cone::Nonneg => viol > tol_primal * (1.0 + row.rhs.abs()),
                _ => false,
            };
            if bad {
                let k = lazy_row[r];
                if k != usize::MAX {
                    row_on[k] = true;
                    added = true;
                } else {
                    // A fixed row over inactive columns only: switch its columns on.
                    for &(c, v) in &row.coeffs {
                        let kc = screened_col[c];
                        if v != 0.0 && kc != usize::MAX && !col_on[kc] {
                            col_on[kc] = true;
                            added = true;
                        }
                    }
                }
            }
        }
        // Dual check of inactive screened columns.
        let px = prog.p_times(&sol.x);
        let mut worst: Vec<(f64, usize)> = Vec::new();
        for (k, &(c, own)) in screen.cols.iter().enumerate() {
            if col_on[k] {
                continue;
            }
            let mut d = px[c] + prog.q[c];
            for &(r, v) in &index[c] {
                if r != own && kept[r] {
                    d += v * sol.z[r];
                }
            }
            if d < -tol_dual * scale {
                worst.push((d, k));
            }
        }
        if !worst.is_empty() {
            worst.sort_by(|a, b| a.0.total_cmp(&b.0));
            let active = col_on.iter().filter(|&&b| b).count();
            let take = worst.len().min((active / 2).max(10));
            for &(_, k) in &worst[..take] {
                col_on[k] = true;
            }
            added = true;
        }
        if !added {
            return Ok(Screened {
                active_cols: cols.len(),
                active_rows: rows.len(),
                solution: sol,
                rounds: round,
                full: false,
            });
        }
    }
    let solution = prog.solve(opts)?;
    Ok(Screened {
        active_cols: prog.nvars,
        active_rows: prog.rows.len(),
        solution,
        rounds: MAX_ROUNDS,
        full: true,
    })
}
