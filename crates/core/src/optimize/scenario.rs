//! Scenario (historical) risk programs: linear programs over the `T` observed return vectors
//! `r_t` (per period, not annualised), as in `../shared/reference/formulations.py`.
//!
//! * Minimum CVaR_β (Rockafellar & Uryasev, *J. Risk* 2, 2000):
//!   `min a + 1/((1−β)T) Σ_t u_t` s.t. `u_t ≥ −r_t'w − a`, `u_t ≥ 0`. At the optimum `a` is a
//!   VaR_β and the objective is CVaR_β of the loss `−r'w` (the fractional-atom definition).
//! * Maximum mean/CVaR ratio: the same LP homogenised (`y = κw`, `(μ − r_f)'y = 1`, CVaR is
//!   positively homogeneous), `w = y/κ`, ratio = 1/objective. Per-period μ and r_f.
//! * Minimum CDaR_β (Chekhlov, Uryasev & Zabarankin, *IJTAF* 8, 2005) on **uncompounded**
//!   cumulative returns (PyPortfolioOpt/Riskfolio/skfolio): drawdowns `u_t ≥ u_{t−1} − r_t'w`,
//!   `u_t ≥ 0` (`u_0 = 0`), `z_t ≥ u_t − a`, `z_t ≥ 0`; `min a + 1/((1−β)T) Σ z_t`.
//! * Minimum mean absolute deviation (Konno & Yamazaki, *Mgmt Sci* 37, 1991):
//!   `min 1/T Σ_t d_t` s.t. `d_t ≥ ±(r_t − r̄)'w` — the full MAD (Riskfolio minimises half of
//!   it, the semi-deviation; same minimiser).

use super::constraints::Resolved;
use super::mean_variance::Built;
use super::program::{Family, Program};
use super::screening::Screen;

/// Scenario matrix, date-major: `rows[t][i]` = return of asset `i` in period `t`.
pub fn date_major(returns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let t = returns.first().map_or(0, Vec::len);
    (0..t)
        .map(|k| returns.iter().map(|r| r[k]).collect())
        .collect()
}

/// CVaR rows on weights `w0..w0+n`: returns `(a, first u)` and a [`Screen`] whose lazy rows are
/// the scenario rows (with their `u_t`).
fn cvar_rows(prog: &mut Program, scen: &[Vec<f64>], w0: usize, beta: f64) -> (usize, Screen) {
    let t = scen.len();
    let n = scen.first().map_or(0, Vec::len);
    let a = prog.add_vars(1);
    let u0 = prog.add_vars(t);
    let c = 1.0 / ((1.0 - beta) * t as f64);
    prog.q[a] = 1.0;
    let mut screen = Screen::default();
    for (k, r) in scen.iter().enumerate() {
        let mut coeffs: Vec<(usize, f64)> = Vec::with_capacity(n + 2);
        for (i, &x) in r.iter().enumerate() {
            if x != 0.0 {
                coeffs.push((w0 + i, -x));
            }
        }
        coeffs.push((a, -1.0));
        coeffs.push((u0 + k, -1.0));
        let row = prog.rows.len();
        prog.add_le(coeffs, 0.0, Family::Model);
        let own = prog.rows.len();
        prog.add_le(vec![(u0 + k, -1.0)], 0.0, Family::Model);
        prog.q[u0 + k] = c;
        screen.rows.push((row, Some((u0 + k, own))));
    }
    (a, screen)
}

/// Minimum CVaR_β over the constraints.
pub fn min_cvar(scen: &[Vec<f64>], cons: &Resolved, beta: f64) -> (Built, Screen) {
    let n = cons.n;
    let mut prog = Program::new(n);
    let own_rows = cons.add_rows(&mut prog, 0, None);
    let (_, screen) = cvar_rows(&mut prog, scen, 0, beta);
    (
        Built {
            program: prog,
            w0: 0,
            kappa: None,
            own_rows,
        },
        screen,
    )
}

/// Maximum `(μ − r_f)'w / CVaR_β(w)`, homogenised; `excess = μ − r_f` per period.
pub fn max_cvar_ratio(
    scen: &[Vec<f64>],
    cons: &Resolved,
    excess: &[f64],
    beta: f64,
) -> (Built, Screen) {
    let n = cons.n;
    let mut prog = Program::new(n);
    let (kappa, own_rows) = cons.add_homogenised(&mut prog, excess);
    let (_, screen) = cvar_rows(&mut prog, scen, 0, beta);
    (
        Built {
            program: prog,
            w0: 0,
            kappa: Some(kappa),
            own_rows,
        },
        screen,
    )
}

/// Minimum CDaR_β of uncompounded cumulative returns.
pub fn min_cdar(scen: &[Vec<f64>], cons: &Resolved, beta: f64) -> Built {
    let n = cons.n;
    let t = scen.len();
    let mut prog = Program::new(n);
    let own_rows = cons.add_rows(&mut prog, 0, None);
    let a = prog.add_vars(1);
    let z0 = prog.add_vars(t);
    let u0 = prog.add_vars(t);
    let c = 1.0 / ((1.0 - beta) * t as f64);
    prog.q[a] = 1.0;
    for k in 0..t {
        prog.q[z0 + k] = c;
    }
    for (k, r) in scen.iter().enumerate() {
        // −r_t'w − u_t + u_{t−1} ≤ 0
        let mut coeffs: Vec<(usize, f64)> = r
            .iter()
            .enumerate()
            .filter(|(_, &x)| x != 0.0)
            .map(|(i, &x)| (i, -x))
            .collect();
        coeffs.push((u0 + k, -1.0));
        if k > 0 {
            coeffs.push((u0 + k - 1, 1.0));
        }
        prog.add_le(coeffs, 0.0, Family::Model);
    }
    for k in 0..t {
        prog.add_le(vec![(u0 + k, -1.0)], 0.0, Family::Model);
    }
    for k in 0..t {
        prog.add_le(
            vec![(a, -1.0), (z0 + k, -1.0), (u0 + k, 1.0)],
            0.0,
            Family::Model,
        );
    }
    for k in 0..t {
        prog.add_le(vec![(z0 + k, -1.0)], 0.0, Family::Model);
    }
    Built {
        program: prog,
        w0: 0,
        kappa: None,
        own_rows,
    }
}

/// Minimum mean absolute deviation.
pub fn min_mad(scen: &[Vec<f64>], cons: &Resolved) -> Built {
    let n = cons.n;
    let t = scen.len();
    let mut mean = vec![0.0; n];
    for r in scen {
        for (m, &x) in mean.iter_mut().zip(r) {
            *m += x;
        }
    }
    for m in &mut mean {
        *m /= t.max(1) as f64;
    }
    let mut prog = Program::new(n);
    let own_rows = cons.add_rows(&mut prog, 0, None);
    let d0 = prog.add_vars(t);
    for k in 0..t {
        prog.q[d0 + k] = 1.0 / t as f64;
    }
    for (k, r) in scen.iter().enumerate() {
        let centred: Vec<(usize, f64)> = r
            .iter()
            .zip(&mean)
            .enumerate()
            .map(|(i, (&x, &m))| (i, x - m))
            .collect();
        let mut up = centred.clone();
        up.push((d0 + k, -1.0));
        prog.add_le(up, 0.0, Family::Model);
        let mut down: Vec<(usize, f64)> = centred.iter().map(|&(i, v)| (i, -v)).collect();
        down.push((d0 + k, -1.0));
        prog.add_le(down, 0.0, Family::Model);
    }
    Built {
        program: prog,
        w0: 0,
        kappa: None,
        own_rows,
    }
}
