//! A conic program in Clarabel's standard form, built row by row, and its solution.
//!
//! ```text
//! minimise   ½ x'Px + q'x
//! subject to A x + s = b,   s ∈ K = K₁ × K₂ × …
//! ```
//! with the cones of Clarabel (Goulart & Chen, "Clarabel: an interior-point solver for conic
//! programs with quadratic objectives", 2024): the zero cone (`A x = b`), the nonnegative orthant
//! (`A x ≤ b`), second-order cones (`‖s₁..‖ ≤ s₀`) and exponential cones
//! (`s₁·exp(s₀/s₁) ≤ s₂`). `P` is kept as upper-triangle triplets (duplicates add up).
//!
//! Every row carries the [`Family`] of constraint it comes from, so an infeasible program can
//! be diagnosed by dropping families (see `diagnose.rs`), and a program can be solved on a
//! subset of its columns and rows (see `screening.rs`). Solving never panics: dimension or
//! setting errors from the solver come back as [`OptError::SolverFailed`].

use super::OptError;
use clarabel::algebra::CscMatrix;
use clarabel::solver::{DefaultSettings, DefaultSolver, IPSolver, SolverStatus, SupportedConeT};

/// Where a constraint row comes from (for diagnosis and messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `1'w = 1` (or `1'y = κ`).
    Budget,
    /// Per-asset lower/upper weight bounds.
    Bounds,
    /// Group (sector) floor or cap, by group index.
    Group(usize),
    /// Gross leverage `Σ|w| ≤ L`.
    Leverage,
    /// Turnover from the current weights.
    Turnover,
    /// Target return (`μ'w ≥ r*`).
    TargetReturn,
    /// Target volatility (`‖L'w‖ ≤ σ*`).
    TargetRisk,
    /// Rows that define the objective (CVaR, drawdown, deviation variables, normalisations).
    Model,
}

/// The cone a row belongs to. Second-order and exponential cones are numbered blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cone {
    Zero,
    Nonneg,
    Soc(usize),
    Exp(usize),
}

/// One row `a'x (+ s) = b` of the constraint system.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub coeffs: Vec<(usize, f64)>,
    pub rhs: f64,
    pub cone: Cone,
    pub family: Family,
}

/// A program under construction (or finished).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Program {
    pub nvars: usize,
    /// Upper-triangle entries `(i, j, v)` with `i ≤ j`; repeated entries add up.
    pub p: Vec<(usize, usize, f64)>,
    pub q: Vec<f64>,
    pub rows: Vec<Row>,
    blocks: usize,
}

/// Solver settings that matter to us.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    /// `tol_gap_abs = tol_gap_rel = tol_feas`.
    pub tol: f64,
    pub max_iter: u32,
}

impl Default for SolveOptions {
    /// 1e-10: weights to ~1e-7 on annualised mean-variance problems (OPTIMIZATION.md, tolerance
    /// sweep); Clarabel's own default 1e-8 gives only ~1e-5.
    fn default() -> Self {
        SolveOptions {
            tol: 1e-10,
            max_iter: 200,
        }
    }
}

/// What came back from the solver.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub x: Vec<f64>,
    /// Dual variable per row (same order as [`Program::rows`]).
    pub z: Vec<f64>,
    pub status: Status,
    pub objective: f64,
    pub iterations: u32,
}

/// Solver outcome, reduced to what callers act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Solved,
    /// Solved to reduced accuracy.
    AlmostSolved,
    Infeasible,
    Unbounded,
    /// Iteration limit, numerical error or no progress.
    Failed,
}

impl Status {
    pub fn usable(self) -> bool {
        matches!(self, Status::Solved | Status::AlmostSolved)
    }
}

impl Program {
    pub fn new(nvars: usize) -> Self {
        Program {
            nvars,
            p: Vec::new(),
            q: vec![0.0; nvars],
            rows: Vec::new(),
            blocks: 0,
        }
    }

    /// Append `k` new variables; returns the index of the first.
    pub fn add_vars(&mut self, k: usize) -> usize {
        let first = self.nvars;
        self.nvars += k;
        self.q.resize(self.nvars, 0.0);
        first
    }

    /// Add `v` to `P[i][j]` (and its mirror; stored once in the upper triangle).
    pub fn add_p(&mut self, i: usize, j: usize, v: f64) {
        if v != 0.0 {
            self.p.push((i.min(j), i.max(j), v));
        }
    }

    /// `a'x = b`.
    pub fn add_eq(&mut self, coeffs: Vec<(usize, f64)>, rhs: f64, family: Family) {
        self.rows.push(Row {
            coeffs,
            rhs,
            cone: Cone::Zero,
            family,
        });
    }

    /// `a'x ≤ b`.
    pub fn add_le(&mut self, coeffs: Vec<(usize, f64)>, rhs: f64, family: Family) {
        self.rows.push(Row {
            coeffs,
            rhs,
            cone: Cone::Nonneg,
            family,
        });
    }

    /// `‖(b_k − a_k'x)_{k≥1}‖ ≤ b_0 − a_0'x` for the given rows (the first is the cone's tip).
    pub fn soc(&mut self, rows: Vec<(Vec<(usize, f64)>, f64)>, family: Family) {
        self.block(rows, Cone::Soc, family);
    }

    /// `(b − A x) ∈ K_exp` for three rows.
    pub fn exp(&mut self, rows: [(Vec<(usize, f64)>, f64); 3], family: Family) {
        self.block(rows, Cone::Exp, family);
    }

    /// Rows of one numbered cone block.
    fn block(
        &mut self,
        rows: impl IntoIterator<Item = (Vec<(usize, f64)>, f64)>,
        cone: fn(usize) -> Cone,
        family: Family,
    ) {
        let id = self.blocks;
        self.blocks += 1;
        for (coeffs, rhs) in rows {
            self.rows.push(Row {
                coeffs,
                rhs,
                cone: cone(id),
                family,
            });
        }
    }

    /// `(P x)_j` for a full-length `x`.
    pub fn p_times(&self, x: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.nvars];
        for &(i, j, v) in &self.p {
            out[i] += v * x[j];
            if i != j {
                out[j] += v * x[i];
            }
        }
        out
    }

    /// `½x'Px + q'x`.
    pub fn objective(&self, x: &[f64]) -> f64 {
        let px = self.p_times(x);
        0.5 * px.iter().zip(x).map(|(a, b)| a * b).sum::<f64>()
            + self.q.iter().zip(x).map(|(a, b)| a * b).sum::<f64>()
    }

    /// Solve the whole program.
    pub fn solve(&self, opts: SolveOptions) -> Result<Solution, OptError> {
        let cols: Vec<usize> = (0..self.nvars).collect();
        let rows: Vec<usize> = (0..self.rows.len()).collect();
        self.solve_subset(&cols, &rows, opts)
    }

    /// Solve the program restricted to the variables `cols` (the others fixed at 0) and the rows
    /// `rows` (the others dropped). Returns full-length `x` (0 outside `cols`) and `z` (0 outside
    /// `rows`). A cone block must be kept or dropped as a whole; a kept row's coefficients on
    /// dropped columns are ignored (those variables are 0).
    pub fn solve_subset(
        &self,
        cols: &[usize],
        rows: &[usize],
        opts: SolveOptions,
    ) -> Result<Solution, OptError> {
        let mut col_map = vec![usize::MAX; self.nvars];
        for (k, &c) in cols.iter().enumerate() {
            col_map[c] = k;
        }
        let n = cols.len();
        let m = rows.len();
        // P (upper triangle) on the kept columns.
        let (mut pi, mut pj, mut pv) = (Vec::new(), Vec::new(), Vec::new());
        for &(i, j, v) in &self.p {
            let (a, b) = (col_map[i], col_map[j]);
            if a != usize::MAX && b != usize::MAX {
                pi.push(a.min(b));
                pj.push(a.max(b));
                pv.push(v);
            }
        }
        let q: Vec<f64> = cols.iter().map(|&c| self.q[c]).collect();
        let (mut ai, mut aj, mut av) = (Vec::new(), Vec::new(), Vec::new());
        let mut b = Vec::with_capacity(m);
        let mut cones: Vec<SupportedConeT<f64>> = Vec::new();
        let mut last: Option<Cone> = None;
        let mut soc_len = 0usize;
        for (r, &row_id) in rows.iter().enumerate() {
            let row = &self.rows[row_id];
            for &(c, v) in &row.coeffs {
                let k = col_map[c];
                if k != usize::MAX && v != 0.0 {
                    ai.push(r);
                    aj.push(k);
                    av.push(v);
                }
            }
            b.push(row.rhs);
            match (row.cone, last) {
                (Cone::Zero, Some(Cone::Zero)) => {
                    if let Some(SupportedConeT::ZeroConeT(k)) = cones.last_mut() {
                        *k += 1;
                    }
                }
                (Cone::Nonneg, Some(Cone::Nonneg)) => {
                    if let Some(SupportedConeT::NonnegativeConeT(k)) = cones.last_mut() {
                        *k += 1;
                    }
                }
                (Cone::Soc(a), Some(Cone::Soc(b))) if a == b => {
                    soc_len += 1;
                    if let Some(SupportedConeT::SecondOrderConeT(k)) = cones.last_mut() {
                        *k = soc_len;
                    }
                }
                (Cone::Exp(a), Some(Cone::Exp(b))) if a == b => {}
                (Cone::Zero, _) => cones.push(SupportedConeT::ZeroConeT(1)),
                (Cone::Nonneg, _) => cones.push(SupportedConeT::NonnegativeConeT(1)),
                (Cone::Soc(_), _) => {
                    soc_len = 1;
                    cones.push(SupportedConeT::SecondOrderConeT(1));
                }
                (Cone::Exp(_), _) => cones.push(SupportedConeT::ExponentialConeT()),
            }
            last = Some(row.cone);
        }
        let p = CscMatrix::new_from_triplets(n, n, pi, pj, pv);
        let a = CscMatrix::new_from_triplets(m, n, ai, aj, av);
        let mut settings = DefaultSettings::<f64> {
            verbose: false,
            max_iter: opts.max_iter,
            tol_gap_abs: opts.tol,
            tol_gap_rel: opts.tol,
            tol_feas: opts.tol,
            ..DefaultSettings::default()
        };
        settings.tol_ktratio = (opts.tol * 100.0).min(1e-6);
        let mut solver = DefaultSolver::new(&p, &q, &a, &b, &cones, settings).map_err(|e| {
            OptError::SolverFailed {
                status: "setup".into(),
                advice: format!("the problem could not be set up ({e})"),
            }
        })?;
        solver.solve();
        let sol = &solver.solution;
        let status = match sol.status {
            SolverStatus::Solved => Status::Solved,
            SolverStatus::AlmostSolved => Status::AlmostSolved,
            SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
                Status::Infeasible
            }
            SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => Status::Unbounded,
            _ => Status::Failed,
        };
        let mut x = vec![0.0; self.nvars];
        for (k, &c) in cols.iter().enumerate() {
            x[c] = sol.x[k];
        }
        let mut z = vec![0.0; self.rows.len()];
        for (r, &row_id) in rows.iter().enumerate() {
            z[row_id] = sol.z[r];
        }
        Ok(Solution {
            x,
            z,
            status,
            objective: sol.obj_val,
            iterations: sol.iterations,
        })
    }
}

/// The solver's status in words, for messages.
pub fn status_words(raw: Status) -> &'static str {
    match raw {
        Status::Solved => "solved",
        Status::AlmostSolved => "solved to reduced accuracy",
        Status::Infeasible => "infeasible",
        Status::Unbounded => "unbounded",
        Status::Failed => "no convergence",
    }
}
