//! Risk limits and alerts: concentration (position, sector, correlated cluster), 1-day VaR,
//! gross leverage and drawdown, checked against user-editable [`Limits`].
//!
//! Figures (all fractions of **net** portfolio value — positions plus cash — as
//! [`crate::align::Aligned::weights`]):
//! - **position**: `|w_i|` (a short counts by its size);
//! - **sector**: `|Σ_{i∈s} w_i|` over the positions carrying that sector name (positions without
//!   a sector are not a sector and are never checked); longs and shorts in a sector offset;
//! - **correlated cluster**: `|Σ_{i∈c} w_i|` over the members of a threshold cluster of two or
//!   more assets — connected components of `|ρ_ij| ≥ cluster_threshold` on the sample
//!   correlation ([`crate::clustering::threshold_clusters`], the Correlation page's clusters
//!   and share of value; single assets are left to the position limit);
//! - **VaR**: the Risk page's 1-day 95% historical VaR of the constant-weight portfolio returns
//!   `r_p,t = Σ_i w_i r_i,t` ([`crate::var::historical_var`]: type-7 quantile, positive loss);
//! - **gross leverage**: `Σ_i |value_i| / net value`;
//! - **drawdown**: the current drawdown `1 − W_T / max_{t≤T} W_t` of the compounded portfolio
//!   value `W_t = Π_{s≤t}(1 + r_p,s)` ([`crate::drawdown`]).
//!
//! ## Severity ladder (the 80% / 90% rule)
//!
//! Every limit has a **first level** (the warning level; for the one-level VaR and leverage
//! limits, the limit itself) and perhaps a second (critical, or halt for the drawdown). With `L₁`
//! the first level, a figure `x` is graded from the top down, the first rung reached wins:
//!
//! | figure | severity | `limit` reported | `level_name` |
//! |---|---|---|---|
//! | `x ≥ L₂` (critical) | Critical | `L₂` | `critical` |
//! | `x ≥ L₂` (drawdown halt) | Halt | `L₂` | `halt` |
//! | `x ≥ L₁` (two-level limit) | Warning | `L₁` | `warning` |
//! | `x ≥ L₁` (VaR, leverage) | Critical | `L₁` | `limit` |
//! | `x ≥ 0.9·L₁` | Warning ("near") | `L₁` | `90% of warning` / `90% of limit` |
//! | `x ≥ 0.8·L₁` | Info ("approaching") | `L₁` | `80% of warning` / `80% of limit` |
//! | below | no alert | | |
//!
//! "Reaching" a level is `x ≥ level·(1 − 1e−9)` ([`LEVEL_REL_TOL`]): a figure equal to a level
//! up to binary rounding (16% of a 20% level is `0.16` vs `0.8 × 0.2 = 0.16000000000000003`)
//! counts as at the level. Alerts are sorted by severity (highest first), then by `figure /
//! limit` (furthest past its level first).
//!
//! References: concentration and VaR limits as in Jorion, *Value at Risk* (3rd ed.), ch. 17
//! ("VaR and risk limits"); the drawdown halt is the usual "stop trading at −x% from peak" rule
//! of a risk manager's playbook.

use crate::align::Aligned;
use crate::analysis::weighted_returns;
use crate::clustering::threshold_clusters;
use crate::drawdown::{current_drawdown, drawdown_series, wealth};
use crate::estimators::{estimate, CovEstimator};
use crate::trading::TradingError;
use serde::{Deserialize, Serialize};

/// Confidence of the limit's VaR (1-day, historical).
pub const VAR_CONFIDENCE: f64 = 0.95;
/// Fraction of the first level at which an Info "approaching" alert starts.
pub const APPROACHING_FRACTION: f64 = 0.8;
/// Fraction of the first level at which a Warning "near" alert starts.
pub const NEAR_FRACTION: f64 = 0.9;
/// A figure within this relative distance below a level counts as at the level.
pub const LEVEL_REL_TOL: f64 = 1e-9;

/// How serious an alert is; ordered `Info < Warning < Critical < Halt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Approaching a limit (80% of its first level).
    Info,
    /// Near (90%) or past the warning level.
    Warning,
    /// Past a critical (hard) limit: trades that add to it are rejected.
    Critical,
    /// Drawdown past the halt level: trading halted except trades that reduce positions.
    Halt,
}

/// Risk limits, edited by the user and saved with the workspace. Levels are fractions of net
/// portfolio value (0.30 = 30%), except `max_gross_leverage` (a multiple, 1.5 = 1.5×) and
/// `cluster_threshold` (a correlation). Missing fields (older workspaces) take the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Single position `|w|` warning level (20%).
    pub position_warning: f64,
    /// Single position `|w|` critical level (30%).
    pub position_critical: f64,
    /// Sector `|Σw|` warning level (40%).
    pub sector_warning: f64,
    /// Sector `|Σw|` critical level (60%).
    pub sector_critical: f64,
    /// Correlated cluster `|Σw|` warning level (30%).
    pub cluster_warning: f64,
    /// Correlated cluster `|Σw|` critical level (50%).
    pub cluster_critical: f64,
    /// Assets are in one cluster when linked by pairs with `|ρ| ≥ cluster_threshold` (0.7, the
    /// Correlation page's default).
    pub cluster_threshold: f64,
    /// Limit on the 1-day 95% historical VaR, fraction of net value (2%: about a 1.2%-daily-σ
    /// portfolio, i.e. ≈ 20% annualised volatility — an all-equity portfolio's risk — at the
    /// limit). One level: reaching it is Critical.
    pub var_limit: f64,
    /// Maximum gross leverage `Σ|value|/net value` (1.5×). One level: reaching it is Critical.
    pub max_gross_leverage: f64,
    /// Drawdown from peak warning level (5%).
    pub drawdown_warning: f64,
    /// Drawdown from peak halt level (10%): trading halted.
    pub drawdown_halt: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            position_warning: 0.20,
            position_critical: 0.30,
            sector_warning: 0.40,
            sector_critical: 0.60,
            cluster_warning: 0.30,
            cluster_critical: 0.50,
            cluster_threshold: crate::correlation_analysis::CorrelationParams::default().threshold,
            var_limit: 0.02,
            max_gross_leverage: 1.5,
            drawdown_warning: 0.05,
            drawdown_halt: 0.10,
        }
    }
}

impl Limits {
    /// Check every level: finite and positive, warning ≤ critical (≤ halt), drawdown levels at
    /// most 100%, the cluster threshold in (0, 1]. The error names the field.
    pub fn validate(&self) -> Result<(), TradingError> {
        let positive = [
            ("position_warning", self.position_warning),
            ("position_critical", self.position_critical),
            ("sector_warning", self.sector_warning),
            ("sector_critical", self.sector_critical),
            ("cluster_warning", self.cluster_warning),
            ("cluster_critical", self.cluster_critical),
            ("var_limit", self.var_limit),
            ("max_gross_leverage", self.max_gross_leverage),
            ("drawdown_warning", self.drawdown_warning),
            ("drawdown_halt", self.drawdown_halt),
        ];
        for (field, x) in positive {
            if !(x.is_finite() && x > 0.0) {
                return Err(TradingError::invalid(
                    field,
                    format!("must be a positive number (got {x})"),
                ));
            }
        }
        let ordered = [
            (
                "position_warning",
                self.position_warning,
                "position_critical",
                self.position_critical,
            ),
            (
                "sector_warning",
                self.sector_warning,
                "sector_critical",
                self.sector_critical,
            ),
            (
                "cluster_warning",
                self.cluster_warning,
                "cluster_critical",
                self.cluster_critical,
            ),
            (
                "drawdown_warning",
                self.drawdown_warning,
                "drawdown_halt",
                self.drawdown_halt,
            ),
        ];
        for (field, low, other, high) in ordered {
            if low > high {
                return Err(TradingError::invalid(
                    field,
                    format!(
                        "the warning level {} is above the {other} level {}",
                        level_pct(low),
                        level_pct(high)
                    ),
                ));
            }
        }
        if self.drawdown_halt > 1.0 {
            return Err(TradingError::invalid(
                "drawdown_halt",
                format!(
                    "a drawdown cannot exceed 100% (got {})",
                    level_pct(self.drawdown_halt)
                ),
            ));
        }
        let t = self.cluster_threshold;
        if !(t.is_finite() && t > 0.0 && t <= 1.0) {
            return Err(TradingError::invalid(
                "cluster_threshold",
                format!("must be a correlation in (0, 1] (got {t})"),
            ));
        }
        Ok(())
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AlertKind {
    Position,
    Sector,
    Cluster,
    Var,
    Leverage,
    Drawdown,
}

/// One limit approached or crossed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    /// The symbol, the sector, the cluster's members (`"AAPL, MSFT"`) or `"portfolio"`.
    pub subject: String,
    /// The figure checked (fraction of net value; a multiple for leverage).
    pub figure: f64,
    /// The level crossed, or approached (the first level for the 80% and 90% rungs).
    pub limit: f64,
    /// `warning`, `critical`, `halt`, `limit`, `80% of warning`, `90% of limit`, …
    pub level_name: String,
    pub severity: Severity,
    /// Plain language: "AAPL is 31.2% of the portfolio, above the 30% critical limit".
    pub message: String,
}

/// The rung of the ladder a figure reaches (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    pub severity: Severity,
    /// The level crossed or approached.
    pub limit: f64,
    pub level_name: String,
}

/// Whether `figure` reaches `level` (`figure ≥ level·(1 − LEVEL_REL_TOL)`); false for `NaN`.
pub fn reaches(figure: f64, level: f64) -> bool {
    figure >= level * (1.0 - LEVEL_REL_TOL)
}

/// The `(first level, second level with its severity and name)` of a kind of limit, and the
/// first level's own severity and name.
fn levels(
    kind: AlertKind,
    limits: &Limits,
) -> (
    f64,
    Severity,
    &'static str,
    Option<(f64, Severity, &'static str)>,
) {
    use Severity::*;
    match kind {
        AlertKind::Position => (
            limits.position_warning,
            Warning,
            "warning",
            Some((limits.position_critical, Critical, "critical")),
        ),
        AlertKind::Sector => (
            limits.sector_warning,
            Warning,
            "warning",
            Some((limits.sector_critical, Critical, "critical")),
        ),
        AlertKind::Cluster => (
            limits.cluster_warning,
            Warning,
            "warning",
            Some((limits.cluster_critical, Critical, "critical")),
        ),
        AlertKind::Var => (limits.var_limit, Critical, "limit", None),
        AlertKind::Leverage => (limits.max_gross_leverage, Critical, "limit", None),
        AlertKind::Drawdown => (
            limits.drawdown_warning,
            Warning,
            "warning",
            Some((limits.drawdown_halt, Halt, "halt")),
        ),
    }
}

/// Grade a figure against the limits of `kind` (module docs: the 80% / 90% rule); `None` below
/// 80% of the first level (or for a `NaN` figure).
pub fn grade(kind: AlertKind, figure: f64, limits: &Limits) -> Option<Grade> {
    let (first, first_severity, first_name, second) = levels(kind, limits);
    let g = |severity, limit, level_name: String| {
        Some(Grade {
            severity,
            limit,
            level_name,
        })
    };
    if let Some((level, severity, name)) = second {
        if reaches(figure, level) {
            return g(severity, level, name.to_string());
        }
    }
    if reaches(figure, first) {
        g(first_severity, first, first_name.to_string())
    } else if reaches(figure, NEAR_FRACTION * first) {
        g(Severity::Warning, first, format!("90% of {first_name}"))
    } else if reaches(figure, APPROACHING_FRACTION * first) {
        g(Severity::Info, first, format!("80% of {first_name}"))
    } else {
        None
    }
}

/// One position as the limits see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionRisk {
    pub symbol: String,
    /// Fraction of net value (negative for a short).
    pub weight: f64,
    pub sector: Option<String>,
    /// Market value in currency.
    pub value: f64,
}

/// A correlated cluster (two or more assets linked by `|ρ| ≥ threshold`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRisk {
    /// Member symbols, in holdings order.
    pub members: Vec<String>,
    /// `Σ w` over the members (net; the limit checks its absolute value).
    pub weight: f64,
}

/// Everything [`evaluate`] needs, computed by [`snapshot`] (or built by hand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskSnapshot {
    /// Net portfolio value (positions plus cash), currency.
    pub equity: f64,
    pub positions: Vec<PositionRisk>,
    /// Clusters of two or more assets, largest `|weight|` first.
    pub clusters: Vec<ClusterRisk>,
    /// The correlation threshold of the clusters (for the messages).
    pub cluster_threshold: f64,
    /// 1-day 95% historical VaR, positive fraction of net value.
    pub var_1d: f64,
    /// `Σ|value| / net value`.
    pub gross_leverage: f64,
    /// Current drawdown from the peak, positive fraction.
    pub current_drawdown: f64,
    /// What could not be computed, in words.
    pub notes: Vec<String>,
}

/// A sector's figure: `|Σw|` of its positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorRisk {
    pub sector: String,
    /// `Σ w` (net).
    pub weight: f64,
    /// Positions with a non-zero weight.
    pub positions: usize,
}

/// A sector name, trimmed; `None` for a missing or blank one.
pub(crate) fn sector_name(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The sectors of the snapshot's positions (positions without a sector left out), in order of
/// first appearance.
pub fn sector_weights(snapshot: &RiskSnapshot) -> Vec<SectorRisk> {
    let mut out: Vec<SectorRisk> = Vec::new();
    for p in &snapshot.positions {
        let Some(name) = sector_name(&p.sector) else {
            continue;
        };
        let idx = match out.iter().position(|s| s.sector == name) {
            Some(i) => i,
            None => {
                out.push(SectorRisk {
                    sector: name.to_string(),
                    weight: 0.0,
                    positions: 0,
                });
                out.len() - 1
            }
        };
        out[idx].weight += p.weight;
        if p.weight != 0.0 {
            out[idx].positions += 1;
        }
    }
    out
}

/// A fraction as a percentage with one decimal: `0.3124` → `31.2%`.
pub(crate) fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A level as a short percentage: `0.3` → `30%`, `0.025` → `2.5%`.
pub(crate) fn level_pct(x: f64) -> String {
    format!("{}%", trim(x * 100.0))
}

/// At most two decimals, no trailing zeros.
fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// "above the 30% critical limit", "near the 40% sector warning limit", …: `what` goes before
/// the level's name, `noun` after it.
fn relation(figure: f64, g: &Grade, level: &str, what: &str, noun: &str) -> String {
    let kind = if g.level_name.starts_with("80%") {
        "approaching"
    } else if g.level_name.starts_with("90%") {
        "near"
    } else if figure > g.limit {
        "above"
    } else {
        "at"
    };
    let name = if g.level_name.ends_with("warning") {
        "warning "
    } else if g.level_name == "critical" {
        "critical "
    } else if g.level_name == "halt" {
        "halt "
    } else {
        ""
    };
    format!("{kind} the {level} {what}{name}{noun}")
}

fn alert(kind: AlertKind, subject: String, figure: f64, g: Grade, message: String) -> Alert {
    Alert {
        kind,
        subject,
        figure,
        limit: g.limit,
        level_name: g.level_name,
        severity: g.severity,
        message,
    }
}

/// Every limit approached or crossed by the snapshot, highest severity first, then furthest past
/// its level (`figure / limit`). `limits` are taken as given (see [`Limits::validate`]).
pub fn evaluate(snapshot: &RiskSnapshot, limits: &Limits) -> Vec<Alert> {
    let mut out = Vec::new();
    for p in &snapshot.positions {
        let x = p.weight.abs();
        if let Some(g) = grade(AlertKind::Position, x, limits) {
            let short = if p.weight < 0.0 { " (short)" } else { "" };
            let msg = format!(
                "{}{short} is {} of the portfolio, {}",
                p.symbol,
                pct(x),
                relation(x, &g, &level_pct(g.limit), "", "limit")
            );
            out.push(alert(AlertKind::Position, p.symbol.clone(), x, g, msg));
        }
    }
    for s in sector_weights(snapshot) {
        let x = s.weight.abs();
        if let Some(g) = grade(AlertKind::Sector, x, limits) {
            let plural = if s.positions == 1 { "" } else { "s" };
            let msg = format!(
                "{} is {} of the portfolio ({} position{plural}), {}",
                s.sector,
                pct(x),
                s.positions,
                relation(x, &g, &level_pct(g.limit), "sector ", "limit")
            );
            out.push(alert(AlertKind::Sector, s.sector, x, g, msg));
        }
    }
    for c in &snapshot.clusters {
        let x = c.weight.abs();
        if let Some(g) = grade(AlertKind::Cluster, x, limits) {
            let subject = c.members.join(", ");
            let msg = format!(
                "{subject} move together (|ρ| ≥ {}) and are {} of the portfolio, {}",
                trim(snapshot.cluster_threshold),
                pct(x),
                relation(x, &g, &level_pct(g.limit), "cluster ", "limit")
            );
            out.push(alert(AlertKind::Cluster, subject, x, g, msg));
        }
    }
    let x = snapshot.var_1d;
    if let Some(g) = grade(AlertKind::Var, x, limits) {
        let msg = format!(
            "The 1-day 95% VaR is {} of the portfolio ({:.2} in currency), {}",
            pct(x),
            x * snapshot.equity,
            relation(x, &g, &level_pct(g.limit), "VaR ", "limit")
        );
        out.push(alert(AlertKind::Var, "portfolio".into(), x, g, msg));
    }
    let x = snapshot.gross_leverage;
    if let Some(g) = grade(AlertKind::Leverage, x, limits) {
        let msg = format!(
            "Gross leverage is {:.2}×, {}",
            x,
            relation(x, &g, &format!("{}×", trim(g.limit)), "", "maximum")
        );
        out.push(alert(AlertKind::Leverage, "portfolio".into(), x, g, msg));
    }
    let x = snapshot.current_drawdown;
    if let Some(g) = grade(AlertKind::Drawdown, x, limits) {
        let tail = if g.severity == Severity::Halt {
            ": trading is halted (only trades that reduce a position are allowed)"
        } else {
            ""
        };
        let msg = format!(
            "The portfolio is {} below its peak, {}{tail}",
            pct(x),
            relation(x, &g, &level_pct(g.limit), "drawdown ", "level")
        );
        out.push(alert(AlertKind::Drawdown, "portfolio".into(), x, g, msg));
    }
    sort_alerts(&mut out);
    out
}

/// Severity descending, then `figure / limit` descending, then kind and subject.
fn sort_alerts(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then((b.figure / b.limit).total_cmp(&(a.figure / a.limit)))
            .then(a.kind.cmp(&b.kind))
            .then(a.subject.cmp(&b.subject))
    });
}

/// The portfolio as plain vectors, with its correlated clusters fixed (they depend on the
/// returns only, not on the sizes): [`snapshot`] measures the held portfolio, the pre-trade
/// check the same book at other sizes.
pub(crate) struct Book {
    pub symbols: Vec<String>,
    pub sectors: Vec<Option<String>>,
    /// Asset-major simple returns, equal lengths.
    pub returns: Vec<Vec<f64>>,
    /// Clusters of two or more assets (indices, ascending).
    pub groups: Vec<Vec<usize>>,
    pub cluster_threshold: f64,
    pub notes: Vec<String>,
}

/// A measured book: the snapshot and the portfolio returns behind it.
pub(crate) struct Measured {
    pub snapshot: RiskSnapshot,
    pub portfolio_returns: Vec<f64>,
}

impl Book {
    /// Group the assets by `|ρ| ≥ threshold` on the sample correlation. When the correlation
    /// cannot be estimated (fewer than 2 returns, non-finite returns) there are no clusters and
    /// a note says why.
    pub(crate) fn new(
        symbols: Vec<String>,
        sectors: Vec<Option<String>>,
        returns: Vec<Vec<f64>>,
        cluster_threshold: f64,
    ) -> Book {
        let mut notes = Vec::new();
        let groups = match estimate(&returns, CovEstimator::Sample) {
            Ok(est) => threshold_clusters(&est.correlation, cluster_threshold, &[])
                .into_iter()
                .filter(|c| c.members.len() > 1)
                .map(|c| c.members)
                .collect(),
            Err(e) => {
                notes.push(format!("no correlated clusters: {e}"));
                Vec::new()
            }
        };
        Book {
            symbols,
            sectors,
            returns,
            groups,
            cluster_threshold,
            notes,
        }
    }

    /// The held portfolio of `aligned`.
    pub(crate) fn from_aligned(aligned: &Aligned, cluster_threshold: f64) -> Book {
        Book::new(
            aligned.symbols.clone(),
            aligned.positions.iter().map(|p| p.sector.clone()).collect(),
            aligned.returns.clone(),
            cluster_threshold,
        )
    }

    /// Measure the book at market `values` (currency, one per asset) and net value `equity`.
    /// `drawdown`: the current drawdown to report instead of the one of these weights' history
    /// (the pre-trade check keeps the account's own).
    pub(crate) fn measure(
        &self,
        values: &[f64],
        equity: f64,
        drawdown: Option<f64>,
    ) -> Result<Measured, TradingError> {
        let n = self.symbols.len();
        if values.len() != n || self.returns.len() != n || self.sectors.len() != n {
            return Err(TradingError::Undefined(format!(
                "{} symbols, {} values, {} return series: the portfolio is inconsistent",
                n,
                values.len(),
                self.returns.len()
            )));
        }
        if !(equity.is_finite() && equity > 0.0) {
            return Err(TradingError::Undefined(format!(
                "the net portfolio value is {equity:.2}: weights are undefined"
            )));
        }
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(TradingError::Undefined(format!(
                "{} has no finite market value",
                self.symbols[i]
            )));
        }
        let weights: Vec<f64> = values.iter().map(|v| v / equity).collect();
        let t = self.returns.iter().map(Vec::len).min().unwrap_or(0);
        let r = weighted_returns(&self.returns, &weights, t);
        if r.is_empty() {
            return Err(TradingError::TooLittleHistory {
                what: "the 1-day VaR".into(),
                symbol: "the portfolio".into(),
                need: 1,
                got: 0,
            });
        }
        if r.iter().any(|x| !x.is_finite()) {
            return Err(TradingError::Undefined(
                "the portfolio has a non-finite return: the VaR and drawdown are undefined".into(),
            ));
        }
        let var_1d = crate::var::historical_var(&r, VAR_CONFIDENCE);
        let current = drawdown.unwrap_or_else(|| current_drawdown(&drawdown_series(&wealth(&r))));
        let gross = values.iter().map(|v| v.abs()).sum::<f64>() / equity;
        let positions = (0..n)
            .map(|i| PositionRisk {
                symbol: self.symbols[i].clone(),
                weight: weights[i],
                sector: self.sectors[i].clone(),
                value: values[i],
            })
            .collect();
        let mut clusters: Vec<ClusterRisk> = self
            .groups
            .iter()
            .map(|g| ClusterRisk {
                members: g.iter().map(|&i| self.symbols[i].clone()).collect(),
                weight: g.iter().map(|&i| weights[i]).sum(),
            })
            .collect();
        clusters.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        Ok(Measured {
            snapshot: RiskSnapshot {
                equity,
                positions,
                clusters,
                cluster_threshold: self.cluster_threshold,
                var_1d,
                gross_leverage: gross,
                current_drawdown: current,
                notes: self.notes.clone(),
            },
            portfolio_returns: r,
        })
    }
}

/// The limits' figures of the aligned portfolio (module docs): weights of net value, clusters
/// of the sample correlation at `limits.cluster_threshold`, the 1-day 95% historical VaR and
/// the current drawdown of the constant-weight portfolio returns, gross leverage. Fails on
/// invalid limits (naming the field) or an undefined figure.
pub fn snapshot(aligned: &Aligned, limits: &Limits) -> Result<RiskSnapshot, TradingError> {
    limits.validate()?;
    let book = Book::from_aligned(aligned, limits.cluster_threshold);
    let values: Vec<f64> = aligned.positions.iter().map(|p| p.value).collect();
    Ok(book.measure(&values, aligned.total_value, None)?.snapshot)
}
