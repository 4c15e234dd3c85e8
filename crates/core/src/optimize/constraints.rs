//! Portfolio constraints and their linear rows.
//!
//! Every constraint is linear in the weights `w` (plus auxiliary variables), so it fits any of
//! the objectives' programs:
//!
//! * budget `1'w = 1`;
//! * bounds `l_i ≤ w_i ≤ u_i` (long-only: `l = 0`; with shorts `l` may be negative);
//! * group (sector) floors and caps `f_g ≤ Σ_{i∈g} w_i ≤ c_g`;
//! * gross leverage `Σ|w_i| ≤ L` through `a_i ≥ w_i, a_i ≥ −w_i, 1'a ≤ L`;
//! * turnover from the current weights `w⁰`: `½ Σ|w_i − w⁰_i| ≤ τ` (one-way turnover, the
//!   fraction of the portfolio traded), through `t_i ≥ ±(w_i − w⁰_i), ½·1't ≤ τ`;
//! * L2 regularisation `γ‖w‖²` is an objective term, added by the objectives that use it.
//!
//! **Homogenised programs** (maximum Sharpe, return/CVaR, maximum diversification) use
//! `y = κw` with `κ > 0` (Cornuéjols & Tütüncü, *Optimization Methods in Finance*, 2007, §8.2):
//! each row `a'w ≤ b` becomes `a'y − bκ ≤ 0`, so the same rows serve both kinds of program.

use super::program::{Family, Program};
use super::OptError;
use serde::{Deserialize, Serialize};

/// A floor and/or cap on one asset's weight (fractions, e.g. 0.2 = 20%).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetBound {
    pub symbol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A floor and/or cap on the total weight of a group of assets (a sector).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupLimit {
    pub name: String,
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Everything a user can constrain. Defaults: long-only, fully invested, no other limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Constraints {
    /// Allow negative weights (then `min_weight` defaults to −1 and a gross leverage cap applies).
    pub allow_short: bool,
    /// Lower bound for every asset (0 long-only).
    pub min_weight: f64,
    /// Upper bound for every asset.
    pub max_weight: f64,
    /// Per-asset overrides of the two bounds above.
    pub bounds: Vec<AssetBound>,
    pub groups: Vec<GroupLimit>,
    /// `Σ|w_i| ≤ L` (only meaningful with shorts; `None` = no cap).
    pub gross_leverage: Option<f64>,
    /// One-way turnover cap from the current weights, `½Σ|w − w⁰| ≤ τ`.
    pub max_turnover: Option<f64>,
    /// L2 regularisation γ: adds `γ‖w‖²` to variance objectives (pushes towards more assets).
    pub l2_gamma: f64,
}

impl Default for Constraints {
    fn default() -> Self {
        Constraints {
            allow_short: false,
            min_weight: 0.0,
            max_weight: 1.0,
            bounds: Vec::new(),
            groups: Vec::new(),
            gross_leverage: None,
            max_turnover: None,
            l2_gamma: 0.0,
        }
    }
}

/// A resolved group: name, member asset indices, floor, cap.
pub type GroupRow = (String, Vec<usize>, Option<f64>, Option<f64>);

/// Constraints resolved against the asset list: numbers per asset index, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub n: usize,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// (name, member indices, floor, cap)
    pub groups: Vec<GroupRow>,
    pub gross: Option<f64>,
    /// (cap τ, current weights)
    pub turnover: Option<(f64, Vec<f64>)>,
    pub l2: f64,
}

fn finite(field: &str, v: f64) -> Result<f64, OptError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(OptError::invalid(field, "must be a finite number"))
    }
}

impl Constraints {
    /// Check and resolve against `symbols`; `current` are today's weights (for turnover).
    pub fn resolve(&self, symbols: &[String], current: &[f64]) -> Result<Resolved, OptError> {
        let n = symbols.len();
        let min = finite("minimum weight", self.min_weight)?;
        let max = finite("maximum weight", self.max_weight)?;
        if !self.allow_short && min < 0.0 {
            return Err(OptError::invalid(
                "minimum weight",
                format!(
                    "{:.1}% is negative, which needs short selling; allow shorts or set it to 0",
                    min * 100.0
                ),
            ));
        }
        let mut lower = vec![min; n];
        let mut upper = vec![max; n];
        for b in &self.bounds {
            let i = symbols.iter().position(|s| *s == b.symbol).ok_or_else(|| {
                OptError::invalid(
                    "asset bounds",
                    format!("{} is not one of the assets", b.symbol),
                )
            })?;
            if let Some(v) = b.min {
                lower[i] = finite(&format!("minimum weight of {}", b.symbol), v)?;
                if !self.allow_short && v < 0.0 {
                    return Err(OptError::invalid(
                        &format!("minimum weight of {}", b.symbol),
                        "is negative, which needs short selling",
                    ));
                }
            }
            if let Some(v) = b.max {
                upper[i] = finite(&format!("maximum weight of {}", b.symbol), v)?;
            }
        }
        let mut groups = Vec::new();
        for g in &self.groups {
            let mut idx = Vec::new();
            for m in &g.members {
                match symbols.iter().position(|s| s == m) {
                    Some(i) => idx.push(i),
                    None => {
                        return Err(OptError::invalid(
                            &format!("group {}", g.name),
                            format!("{m} is not one of the assets"),
                        ))
                    }
                }
            }
            if let Some(v) = g.min {
                finite(&format!("floor of group {}", g.name), v)?;
            }
            if let Some(v) = g.max {
                finite(&format!("cap of group {}", g.name), v)?;
            }
            if g.min.is_some() || g.max.is_some() {
                groups.push((g.name.clone(), idx, g.min, g.max));
            }
        }
        let gross = match self.gross_leverage {
            Some(l) => {
                let l = finite("gross leverage", l)?;
                if l <= 0.0 {
                    return Err(OptError::invalid("gross leverage", "must be positive"));
                }
                Some(l)
            }
            None => None,
        };
        let turnover = match self.max_turnover {
            Some(t) => {
                let t = finite("maximum turnover", t)?;
                if t < 0.0 {
                    return Err(OptError::invalid(
                        "maximum turnover",
                        "must not be negative",
                    ));
                }
                if current.len() != n || current.iter().any(|w| !w.is_finite()) {
                    return Err(OptError::invalid(
                        "maximum turnover",
                        "needs the current weights of every asset",
                    ));
                }
                Some((t, current.to_vec()))
            }
            None => None,
        };
        let l2 = finite("L2 regularisation", self.l2_gamma)?;
        if l2 < 0.0 {
            return Err(OptError::invalid(
                "L2 regularisation",
                "must not be negative",
            ));
        }
        Ok(Resolved {
            n,
            lower,
            upper,
            groups,
            gross,
            turnover,
            l2,
        })
    }
}

impl Resolved {
    /// Whether every weight is bounded below by 0 (no shorts anywhere).
    pub fn long_only(&self) -> bool {
        self.lower.iter().all(|&l| l >= 0.0)
    }

    /// Add the rows to `prog` for the weight variables `w = x[w0..w0+n]`.
    ///
    /// With `kappa = Some(k)` the program is homogenised: every constant right-hand side `b`
    /// becomes `−b·x[k]` (rows `a'y − bκ ≤ 0`). Returns the index of each asset's own
    /// lower-bound row (`−w_i ≤ −l_i`), used by screening.
    pub fn add_rows(&self, prog: &mut Program, w0: usize, kappa: Option<usize>) -> Vec<usize> {
        let n = self.n;
        let rhs = |coeffs: &mut Vec<(usize, f64)>, b: f64| -> f64 {
            match kappa {
                Some(k) => {
                    if b != 0.0 {
                        coeffs.push((k, -b));
                    }
                    0.0
                }
                None => b,
            }
        };
        // Budget.
        let mut c: Vec<(usize, f64)> = (0..n).map(|i| (w0 + i, 1.0)).collect();
        let b = rhs(&mut c, 1.0);
        prog.add_eq(c, b, Family::Budget);
        // Bounds.
        let mut own = Vec::with_capacity(n);
        for i in 0..n {
            own.push(prog.rows.len());
            let mut c = vec![(w0 + i, -1.0)];
            let b = rhs(&mut c, -self.lower[i]);
            prog.add_le(c, b, Family::Bounds);
        }
        for i in 0..n {
            if self.upper[i] < 1.0 || !self.long_only() {
                let mut c = vec![(w0 + i, 1.0)];
                let b = rhs(&mut c, self.upper[i]);
                prog.add_le(c, b, Family::Bounds);
            }
        }
        // Groups.
        for (g, (_, members, floor, cap)) in self.groups.iter().enumerate() {
            if let Some(f) = floor {
                let mut c: Vec<(usize, f64)> = members.iter().map(|&i| (w0 + i, -1.0)).collect();
                let b = rhs(&mut c, -f);
                prog.add_le(c, b, Family::Group(g));
            }
            if let Some(cap) = cap {
                let mut c: Vec<(usize, f64)> = members.iter().map(|&i| (w0 + i, 1.0)).collect();
                let b = rhs(&mut c, *cap);
                prog.add_le(c, b, Family::Group(g));
            }
        }
        // Gross leverage: a_i ≥ |w_i|, 1'a ≤ L.
        if let Some(l) = self.gross {
            let a0 = prog.add_vars(n);
            for i in 0..n {
                prog.add_le(vec![(w0 + i, 1.0), (a0 + i, -1.0)], 0.0, Family::Leverage);
                prog.add_le(vec![(w0 + i, -1.0), (a0 + i, -1.0)], 0.0, Family::Leverage);
            }
            let mut c: Vec<(usize, f64)> = (0..n).map(|i| (a0 + i, 1.0)).collect();
            let b = rhs(&mut c, l);
            prog.add_le(c, b, Family::Leverage);
        }
        // Turnover: t_i ≥ |w_i − w⁰_i|, ½·1't ≤ τ.
        if let Some((tau, cur)) = &self.turnover {
            let t0 = prog.add_vars(n);
            for (i, &cur_i) in cur.iter().enumerate() {
                let mut c = vec![(w0 + i, 1.0), (t0 + i, -1.0)];
                let b = rhs(&mut c, cur_i);
                prog.add_le(c, b, Family::Turnover);
                let mut c = vec![(w0 + i, -1.0), (t0 + i, -1.0)];
                let b = rhs(&mut c, -cur_i);
                prog.add_le(c, b, Family::Turnover);
            }
            let mut c: Vec<(usize, f64)> = (0..n).map(|i| (t0 + i, 0.5)).collect();
            let b = rhs(&mut c, *tau);
            prog.add_le(c, b, Family::Turnover);
        }
        own
    }

    /// The homogenised frame of a ratio program on `y = x[0..n]`: a new scale variable `κ ≥ 0`,
    /// the normalisation `excess'y = 1` and the constraints with right-hand sides × κ. Returns
    /// `(κ, own lower-bound rows)`.
    pub fn add_homogenised(&self, prog: &mut Program, excess: &[f64]) -> (usize, Vec<usize>) {
        let kappa = prog.add_vars(1);
        prog.add_eq(
            excess.iter().enumerate().map(|(i, &e)| (i, e)).collect(),
            1.0,
            Family::Model,
        );
        let own = self.add_rows(prog, 0, Some(kappa));
        prog.add_le(vec![(kappa, -1.0)], 0.0, Family::Model);
        (kappa, own)
    }

    /// Plain-language name of a constraint family, for conflict messages.
    pub fn family_name(&self, f: Family) -> String {
        match f {
            Family::Budget => "weights sum to 100%".into(),
            Family::Bounds => {
                let lo = self.lower.iter().cloned().fold(f64::INFINITY, f64::min);
                let hi = self.upper.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                format!(
                    "per-asset bounds ({:.1}% to {:.1}%)",
                    lo * 100.0,
                    hi * 100.0
                )
            }
            Family::Group(g) => match self.groups.get(g) {
                Some((name, _, floor, cap)) => {
                    let mut s = format!("group {name}");
                    if let Some(f) = floor {
                        s += &format!(" floor {:.1}%", f * 100.0);
                    }
                    if let Some(c) = cap {
                        s += &format!(" cap {:.1}%", c * 100.0);
                    }
                    s
                }
                None => "a group limit".into(),
            },
            Family::Leverage => format!(
                "gross leverage cap {:.2}×",
                self.gross.unwrap_or(f64::INFINITY)
            ),
            Family::Turnover => format!(
                "maximum turnover {:.1}%",
                self.turnover.as_ref().map(|t| t.0).unwrap_or(0.0) * 100.0
            ),
            Family::TargetReturn => "the target return".into(),
            Family::TargetRisk => "the target volatility".into(),
            Family::Model => "the objective's own constraints".into(),
        }
    }

    /// Contradictions visible without solving anything, named.
    pub fn obvious_conflicts(&self, symbols: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for i in 0..self.n {
            if self.lower[i] > self.upper[i] + 1e-12 {
                out.push(format!(
                    "{}: minimum weight {:.1}% is above its maximum {:.1}%",
                    symbols.get(i).map(String::as_str).unwrap_or("?"),
                    self.lower[i] * 100.0,
                    self.upper[i] * 100.0
                ));
            }
        }
        let sum_lo: f64 = self.lower.iter().sum();
        let sum_hi: f64 = self.upper.iter().sum();
        if sum_hi < 1.0 - 1e-12 {
            out.push(format!(
                "the maximum weights add up to {:.1}%, less than the 100% to invest (raise the maximum weight to at least {:.1}%)",
                sum_hi * 100.0,
                100.0 / self.n.max(1) as f64
            ));
        }
        if sum_lo > 1.0 + 1e-12 {
            out.push(format!(
                "the minimum weights add up to {:.1}%, more than the 100% to invest",
                sum_lo * 100.0
            ));
        }
        for (name, members, floor, cap) in &self.groups {
            let lo: f64 = members.iter().map(|&i| self.lower[i]).sum();
            let hi: f64 = members.iter().map(|&i| self.upper[i]).sum();
            if let (Some(f), Some(c)) = (floor, cap) {
                if f > &(c + 1e-12) {
                    out.push(format!(
                        "group {name}: floor {:.1}% is above its cap {:.1}%",
                        f * 100.0,
                        c * 100.0
                    ));
                }
            }
            if let Some(f) = floor {
                if *f > hi + 1e-12 {
                    out.push(format!(
                        "group {name}: floor {:.1}% is above what its assets' maximum weights allow ({:.1}%)",
                        f * 100.0,
                        hi * 100.0
                    ));
                }
            }
            if let Some(c) = cap {
                if *c < lo - 1e-12 {
                    out.push(format!(
                        "group {name}: cap {:.1}% is below its assets' minimum weights ({:.1}%)",
                        c * 100.0,
                        lo * 100.0
                    ));
                }
            }
        }
        if let Some(l) = self.gross {
            if l < 1.0 - 1e-12 {
                out.push(format!(
                    "gross leverage cap {l:.2}× is below 1×: a fully invested portfolio has gross exposure of at least 100%"
                ));
            }
        }
        out
    }
}
