//! Which constraints contradict each other.
//!
//! When Clarabel reports a program primal infeasible, the constraint families (bounds, each
//! group, leverage, turnover, a target) are dropped one at a time, then two at a time, and the
//! feasibility problem (no objective) re-solved: the families whose removal restores
//! feasibility are named. Checks that need no solver come first
//! ([`Resolved::obvious_conflicts`]).

use super::constraints::Resolved;
use super::program::{Family, Program, SolveOptions, Status};

/// Feasibility of `prog` without the rows of `dropped` families (objective ignored).
fn feasible_without(prog: &Program, dropped: &[Family]) -> bool {
    let mut p = Program::new(prog.nvars);
    p.rows = prog.rows.clone();
    let cols: Vec<usize> = (0..p.nvars).collect();
    let rows: Vec<usize> = (0..p.rows.len())
        .filter(|&r| !dropped.contains(&p.rows[r].family))
        .collect();
    let opts = SolveOptions {
        tol: 1e-8,
        max_iter: 200,
    };
    matches!(
        p.solve_subset(&cols, &rows, opts).map(|s| s.status),
        Ok(Status::Solved | Status::AlmostSolved)
    )
}

/// Names of the constraint families that conflict in `prog` (empty if none can be singled out).
pub fn conflicts(prog: &Program, cons: &Resolved, symbols: &[String]) -> Vec<String> {
    let obvious = cons.obvious_conflicts(symbols);
    if !obvious.is_empty() {
        return obvious;
    }
    let mut families: Vec<Family> = Vec::new();
    for r in &prog.rows {
        if !matches!(r.family, Family::Budget | Family::Model) && !families.contains(&r.family) {
            families.push(r.family);
        }
    }
    let name = |f: Family| cons.family_name(f);
    let singles: Vec<Family> = families
        .iter()
        .copied()
        .filter(|&f| feasible_without(prog, &[f]))
        .collect();
    if !singles.is_empty() {
        let mut out: Vec<String> = singles.iter().map(|&f| name(f)).collect();
        if out.len() == 1 {
            out[0] = format!(
                "{} cannot hold together with the other constraints and a fully invested portfolio",
                out[0]
            );
        }
        return out;
    }
    for (k, &a) in families.iter().enumerate() {
        for &b in &families[k + 1..] {
            if feasible_without(prog, &[a, b]) {
                return vec![format!("{} together with {}", name(a), name(b))];
            }
        }
    }
    families.iter().map(|&f| name(f)).collect()
}
