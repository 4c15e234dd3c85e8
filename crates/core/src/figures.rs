//! The headline figures as a list of labelled values with their conventions, shared by the
//! app's figure cards, the CLI's table and its `--json` keys, so all three say the same thing.

use crate::align::Aligned;
use crate::analysis::Analysis;
use crate::suite::SuiteMetrics;
use serde::{Deserialize, Serialize};

/// How a figure is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// A fraction shown as a percentage (0.1234 → 12.34%).
    Percent,
    /// A plain ratio (Sharpe, beta).
    Ratio,
    /// A whole number (days, episodes).
    Count,
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Stable key (also the CLI JSON key): e.g. `var_historical_95`.
    pub key: String,
    pub label: String,
    /// The convention, written next to the number ("rf 0% · 252/yr").
    pub convention: String,
    pub value: Option<f64>,
    pub unit: Unit,
    /// True for losses reported as positive fractions (VaR, CVaR, drawdowns).
    pub loss: bool,
    /// The same figure of the benchmark, same convention (suite figures only).
    #[serde(default)]
    pub benchmark_value: Option<f64>,
    /// The benchmark figure's own note where it differs (e.g. its best month is another month).
    #[serde(default)]
    pub benchmark_note: Option<String>,
}

/// Confidence as a key suffix, the percentage to two decimals with `_` for the point:
/// 0.95 → "95", 0.975 → "97_5", 0.999 → "99_9", 0.9999 → "99_99" (never rounded up to "100").
pub fn confidence_suffix(confidence: f64) -> String {
    let pct = (confidence * 10000.0).round() / 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{}", pct.round() as i64)
    } else {
        format!("{pct}").replace('.', "_")
    }
}

/// Percent with up to 4 significant decimals, trimmed ("2%", "0.5%").
fn pct_label(x: f64) -> String {
    let s = format!("{:.4}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// The headline figures of an analysis, in display order.
pub fn headline_figures(analysis: &Analysis, aligned: &Aligned) -> Vec<Figure> {
    let report = &aligned.report;
    let m = &analysis.metrics;
    let p = report.periods_per_year;
    let per_year = format!("{}/yr", p);
    let rf = pct_label(analysis.params.risk_free_annual);
    let conf = confidence_suffix(analysis.params.confidence);
    let conf_label = format!("{}%", conf.replace('_', "."));
    let freq = report.frequency.label();
    let peak_trough = format!(
        "peak {} → trough {}{}",
        m.max_drawdown_peak,
        m.max_drawdown_trough,
        match m.max_drawdown_recovery {
            Some(d) => format!(", recovered {d}"),
            None => ", not recovered".to_string(),
        }
    );
    let fig = |key: &str, label: &str, convention: String, value: Option<f64>, unit, loss| Figure {
        key: key.to_string(),
        label: label.to_string(),
        convention,
        value,
        unit,
        loss,
        benchmark_value: None,
        benchmark_note: None,
    };
    vec![
        fig(
            "cumulative_return",
            "Cumulative return",
            format!("{} – {}", report.start, report.end),
            Some(m.cumulative_return),
            Unit::Percent,
            false,
        ),
        match analysis.params.cagr_convention {
            crate::suite::CagrConvention::Observations => fig(
                "cagr",
                "CAGR",
                format!("observation count · {per_year}"),
                Some(m.cagr),
                Unit::Percent,
                false,
            ),
            crate::suite::CagrConvention::Calendar => fig(
                "cagr_calendar",
                "CAGR",
                "calendar years of 365.25 days from the base date".to_string(),
                Some(m.cagr),
                Unit::Percent,
                false,
            ),
        },
        fig(
            "annualized_volatility",
            "Volatility",
            format!("annualised · ddof 1 · ×√{p}"),
            Some(m.annualized_volatility),
            Unit::Percent,
            false,
        ),
        fig(
            "sharpe",
            "Sharpe",
            format!("rf {rf} · {per_year}"),
            Some(m.sharpe),
            Unit::Ratio,
            false,
        ),
        fig(
            "sortino",
            "Sortino",
            format!("target rf {rf} · downside over all N · {per_year}"),
            Some(m.sortino),
            Unit::Ratio,
            false,
        ),
        fig(
            "max_drawdown",
            "Max drawdown",
            peak_trough,
            Some(m.max_drawdown),
            Unit::Percent,
            true,
        ),
        fig(
            "current_drawdown",
            "Current drawdown",
            format!("from the running peak, on {}", report.end),
            Some(m.current_drawdown),
            Unit::Percent,
            true,
        ),
        fig(
            &format!("var_historical_{conf}"),
            &format!("VaR {conf_label}"),
            format!("1-period ({freq}) · historical · linear quantile"),
            Some(m.var_historical),
            Unit::Percent,
            true,
        ),
        fig(
            &format!("cvar_historical_{conf}"),
            &format!("CVaR {conf_label}"),
            format!("1-period ({freq}) · historical · Rockafellar-Uryasev"),
            Some(m.cvar_historical),
            Unit::Percent,
            true,
        ),
        fig(
            "beta",
            "Beta",
            match &aligned.benchmark {
                Some(b) => format!("vs {} · cov/var", b.symbol),
                None => "no benchmark loaded".to_string(),
            },
            m.beta,
            Unit::Ratio,
            false,
        ),
    ]
}

/// A figure's value formatted for display (losses already positive).
pub fn format_value(f: &Figure) -> String {
    match (f.value, f.unit) {
        (None, _) => "—".to_string(),
        (Some(v), _) if !v.is_finite() => "n/a".to_string(),
        (Some(v), Unit::Percent) => format!("{:.2}%", v * 100.0),
        (Some(v), Unit::Ratio) => format!("{v:.2}"),
        (Some(v), Unit::Count) => format!("{v:.0}"),
    }
}

/// A titled group of figures (a table on the Risk, Drawdowns or Performance page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureGroup {
    /// Stable id: `returns`, `risk_adjusted`, `distribution`, `drawdowns`, `benchmark`.
    pub id: String,
    pub title: String,
    pub figures: Vec<Figure>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Every scalar figure of the suite, grouped, with keys (also the CLI's `metrics.<key>`),
/// labels and conventions.
pub fn suite_figures(analysis: &Analysis, aligned: &Aligned) -> Vec<FigureGroup> {
    let mut groups = figure_groups(&analysis.suite, analysis, aligned);
    if let Some(b) = &analysis.benchmark_suite {
        let bench = figure_groups(b, analysis, aligned);
        for g in &mut groups {
            for f in &mut g.figures {
                if let Some(bf) = bench
                    .iter()
                    .flat_map(|g| &g.figures)
                    .find(|x| x.key == f.key)
                {
                    f.benchmark_value = bf.value;
                    f.benchmark_note =
                        (bf.convention != f.convention).then(|| bf.convention.clone());
                }
            }
        }
    }
    groups
}

/// The figure groups of one suite (the portfolio's or the benchmark's).
fn figure_groups(s: &SuiteMetrics, analysis: &Analysis, aligned: &Aligned) -> Vec<FigureGroup> {
    let report = &aligned.report;
    let p = report.periods_per_year;
    let per_year = format!("{p}/yr");
    let rf = pct_label(analysis.params.risk_free_annual);
    let per = report.frequency.label();
    let f = |key: &str, label: &str, convention: String, value: f64, unit: Unit| Figure {
        key: key.to_string(),
        label: label.to_string(),
        convention,
        value: Some(value),
        unit,
        loss: false,
        benchmark_value: None,
        benchmark_note: None,
    };
    let loss = |key: &str, label: &str, convention: String, value: f64| Figure {
        loss: true,
        ..f(key, label, convention, value, Unit::Percent)
    };
    let period = |key: &str, label: &str, p: &Option<crate::suite::PeriodReturn>, what: &str| {
        let (v, conv) = match p {
            Some(p) => (
                Some(p.value),
                format!("{} · compounded within the {what}", p.period),
            ),
            None => (None, format!("no complete {what} of data")),
        };
        Figure {
            value: v,
            ..f(key, label, conv, f64::NAN, Unit::Percent)
        }
    };
    let mut groups = vec![
        FigureGroup {
            id: "returns".into(),
            title: "Returns".into(),
            figures: vec![
                f(
                    "cumulative_return",
                    "Cumulative return",
                    format!("Π(1+r) − 1 · {} – {}", report.start, report.end),
                    s.cumulative_return,
                    Unit::Percent,
                ),
                f(
                    "cagr",
                    "CAGR",
                    format!("(1+R)^(P/N) − 1 · observation count · {per_year}"),
                    s.cagr,
                    Unit::Percent,
                ),
                f(
                    "cagr_calendar",
                    "CAGR (calendar)",
                    "years = calendar days from the base date / 365.25 (ffn)".into(),
                    s.cagr_calendar,
                    Unit::Percent,
                ),
                f(
                    "annualized_mean",
                    "Annualised mean",
                    format!("arithmetic mean × {p}"),
                    s.annualized_mean,
                    Unit::Percent,
                ),
                f(
                    "win_rate",
                    "Win rate",
                    format!("share of {per} returns above zero · zero returns left out"),
                    s.win_rate,
                    Unit::Percent,
                ),
                f(
                    "best_day",
                    "Best period",
                    format!("best {per} return"),
                    s.best_day,
                    Unit::Percent,
                ),
                f(
                    "worst_day",
                    "Worst period",
                    format!("worst {per} return"),
                    s.worst_day,
                    Unit::Percent,
                ),
                period("best_month", "Best month", &s.best_month, "calendar month"),
                period(
                    "worst_month",
                    "Worst month",
                    &s.worst_month,
                    "calendar month",
                ),
                period(
                    "best_year",
                    "Best year",
                    &s.best_year,
                    "calendar year (first and last may be partial)",
                ),
                period(
                    "worst_year",
                    "Worst year",
                    &s.worst_year,
                    "calendar year (first and last may be partial)",
                ),
            ],
        },
        FigureGroup {
            id: "risk_adjusted".into(),
            title: "Risk and risk-adjusted return".into(),
            figures: vec![
                f(
                    "annualized_volatility",
                    "Volatility",
                    format!("std(r), ddof 1, × √{p}"),
                    s.annualized_volatility,
                    Unit::Percent,
                ),
                f(
                    "downside_deviation",
                    "Downside deviation",
                    format!("√(Σ min(r − rf, 0)² / N) × √{p} · target rf {rf} · all N"),
                    s.downside_deviation,
                    Unit::Percent,
                ),
                f(
                    "sharpe",
                    "Sharpe",
                    format!("mean(r − rf)/std(r − rf) × √{p} · rf {rf}"),
                    s.sharpe,
                    Unit::Ratio,
                ),
                f(
                    "sortino",
                    "Sortino",
                    format!("mean(r − rf)/downside deviation × √{p} · rf {rf}"),
                    s.sortino,
                    Unit::Ratio,
                ),
                f(
                    "calmar",
                    "Calmar",
                    "CAGR (observation count) / max drawdown · whole window".into(),
                    s.calmar,
                    Unit::Ratio,
                ),
                f(
                    "calmar_calendar",
                    "Calmar (calendar CAGR)",
                    "calendar CAGR / max drawdown (ffn)".into(),
                    s.calmar_calendar,
                    Unit::Ratio,
                ),
                f(
                    "omega",
                    "Omega",
                    format!("Σ gains / Σ losses around rf {rf} per period"),
                    s.omega,
                    Unit::Ratio,
                ),
                f(
                    "gain_to_pain",
                    "Gain to pain",
                    format!("Σ r / |Σ negative r| on {per} returns"),
                    s.gain_to_pain,
                    Unit::Ratio,
                ),
                f(
                    "gain_to_pain_monthly",
                    "Gain to pain (monthly)",
                    "on calendar-month sums of returns (Schwager)".into(),
                    s.gain_to_pain_monthly,
                    Unit::Ratio,
                ),
                f(
                    "kelly",
                    "Kelly fraction",
                    "(W·p − (1 − p))/W · W = avg win / avg loss · p = win rate".into(),
                    s.kelly,
                    Unit::Percent,
                ),
                f(
                    "stability",
                    "Stability",
                    "R² of cumulative log return on time (empyrical)".into(),
                    s.stability,
                    Unit::Ratio,
                ),
                f(
                    "tail_ratio",
                    "Tail ratio",
                    "|95th percentile / 5th percentile| · linear quantiles".into(),
                    s.tail_ratio,
                    Unit::Ratio,
                ),
            ],
        },
        FigureGroup {
            id: "distribution".into(),
            title: "Distribution".into(),
            figures: vec![
                f(
                    "skew",
                    "Skew",
                    "bias-corrected G1 (pandas, Excel SKEW)".into(),
                    s.skew,
                    Unit::Ratio,
                ),
                f(
                    "excess_kurtosis",
                    "Excess kurtosis",
                    "bias-corrected G2 (pandas, Excel KURT); normal = 0".into(),
                    s.excess_kurtosis,
                    Unit::Ratio,
                ),
            ],
        },
        FigureGroup {
            id: "drawdowns".into(),
            title: "Drawdowns".into(),
            figures: vec![
                loss(
                    "max_drawdown",
                    "Max drawdown",
                    "largest fall of compounded wealth from a running peak (base W₀ = 1)".into(),
                    s.max_drawdown,
                ),
                loss(
                    "average_drawdown",
                    "Average drawdown",
                    format!(
                        "mean depth of all {} episodes (QuantStats, ffn)",
                        s.drawdown_episodes
                    ),
                    s.average_drawdown,
                ),
                loss(
                    "mean_drawdown_time_weighted",
                    "Mean drawdown (time-weighted)",
                    "time average of the drawdown series (skfolio)".into(),
                    s.mean_drawdown_time_weighted,
                ),
                f(
                    "drawdown_episodes",
                    "Drawdown episodes",
                    "runs under the running peak · within 1e-12 of the peak counts as at the peak"
                        .into(),
                    s.drawdown_episodes as f64,
                    Unit::Count,
                ),
                f(
                    "longest_drawdown_trading_days",
                    "Longest drawdown (periods)",
                    format!("{per} returns from peak to recovery (or the last date)"),
                    s.longest_drawdown_trading_days as f64,
                    Unit::Count,
                ),
                f(
                    "longest_drawdown_calendar_days",
                    "Longest drawdown (calendar days)",
                    "calendar days from peak to recovery (or the last date)".into(),
                    s.longest_drawdown_calendar_days as f64,
                    Unit::Count,
                ),
                loss(
                    "current_drawdown",
                    "Current drawdown",
                    format!("from the running peak, on {}", report.end),
                    s.current_drawdown,
                ),
                f(
                    "time_under_water_trading_days",
                    "Time under water (periods)",
                    format!("{per} returns since the last peak; 0 at a peak"),
                    s.time_under_water_trading_days as f64,
                    Unit::Count,
                ),
                f(
                    "time_under_water_calendar_days",
                    "Time under water (calendar days)",
                    "calendar days since the last peak".into(),
                    s.time_under_water_calendar_days as f64,
                    Unit::Count,
                ),
                f(
                    "ulcer_index",
                    "Ulcer index",
                    "√(mean dd²) over the return dates (Martin)".into(),
                    s.ulcer_index,
                    Unit::Percent,
                ),
            ],
        },
    ];
    if let (Some(r), Some(b)) = (&s.relative, &aligned.benchmark) {
        let vs = format!("vs {}", b.symbol);
        groups.push(FigureGroup {
            id: "benchmark".into(),
            title: format!("Against the benchmark ({})", b.symbol),
            figures: vec![
                f(
                    "beta",
                    "Beta",
                    format!("cov(r, b)/var(b) · {vs}"),
                    r.beta,
                    Unit::Ratio,
                ),
                f(
                    "alpha",
                    "Alpha (annualised)",
                    format!("(mean(r) − β·mean(b)) × {p} · simple (Jensen, QuantStats)"),
                    r.alpha,
                    Unit::Percent,
                ),
                f(
                    "alpha_compounded",
                    "Alpha (compounded)",
                    format!("(1 + mean(r − β·b))^{p} − 1 (empyrical)"),
                    r.alpha_compounded,
                    Unit::Percent,
                ),
                f(
                    "r_squared",
                    "R²",
                    "squared correlation".into(),
                    r.r_squared,
                    Unit::Ratio,
                ),
                f(
                    "correlation",
                    "Correlation",
                    format!("Pearson · {vs}"),
                    r.correlation,
                    Unit::Ratio,
                ),
                f(
                    "tracking_error",
                    "Tracking error",
                    format!("std(r − b), ddof 1, × √{p}"),
                    r.tracking_error,
                    Unit::Percent,
                ),
                f(
                    "information_ratio",
                    "Information ratio",
                    format!(
                        "mean(r − b)/std(r − b) × √{p} · annualised (peers show the {per} figure)"
                    ),
                    r.information_ratio,
                    Unit::Ratio,
                ),
                f(
                    "information_ratio_daily",
                    "Information ratio (per period)",
                    "mean(r − b)/std(r − b), not annualised (QuantStats, empyrical)".into(),
                    r.information_ratio_daily,
                    Unit::Ratio,
                ),
                f(
                    "up_capture",
                    "Up capture",
                    "mean(r)/mean(b) on periods the benchmark rose".into(),
                    r.up_capture,
                    Unit::Ratio,
                ),
                f(
                    "down_capture",
                    "Down capture",
                    "mean(r)/mean(b) on periods the benchmark fell · below 1 = smaller losses"
                        .into(),
                    r.down_capture,
                    Unit::Ratio,
                ),
            ],
        });
    }
    for g in &mut groups {
        for fig in &mut g.figures {
            fig.value = fig.value.and_then(finite);
        }
    }
    groups
}

/// The 1-period VaR and CVaR of each closed-form model at 95% and 99%:
/// `var_<model>_<confidence>` and `cvar_<model>_<confidence>`.
pub fn standard_var_figures(analysis: &Analysis, aligned: &Aligned) -> Vec<Figure> {
    let per = aligned.report.frequency.label();
    let mut out = Vec::new();
    for e in &analysis.var_standard {
        out.extend(var_figures(e, per));
    }
    out
}

/// The VaR and CVaR figures of one estimate, keyed `var_<model>_<confidence>` (with
/// `_<h>d` appended for a horizon above one period).
pub fn var_figures(e: &crate::var_models::VarEstimate, per: &str) -> [Figure; 2] {
    let conf = confidence_suffix(e.confidence);
    let h = if e.horizon > 1 {
        format!("_{}d", e.horizon)
    } else {
        String::new()
    };
    let horizon = if e.horizon > 1 {
        format!("{}-period ({per})", e.horizon)
    } else {
        format!("1-period ({per})")
    };
    let conv = format!("{horizon} · {}", e.method);
    let mk = |kind: &str, value: f64| Figure {
        key: format!("{kind}_{}_{conf}{h}", e.model.key()),
        label: format!(
            "{} {} {}%",
            e.model.label(),
            if kind == "var" { "VaR" } else { "CVaR" },
            conf.replace('_', ".")
        ),
        convention: conv.clone(),
        value: finite(value),
        unit: Unit::Percent,
        loss: true,
        benchmark_value: None,
        benchmark_note: None,
    };
    [mk("var", e.var), mk("cvar", e.cvar)]
}
