//! Optimise page: the controls, the optimisation run (in the web worker, started whenever a
//! setting or the data changes while the page is shown), the chosen portfolio's weights
//! against today's with its risk figures, the efficient frontier, and the rebalance. On a
//! failure the core's plain-language message is shown, the previous results stay (marked
//! stale) and fallback weights (inverse volatility) are offered.

use crate::app::{AppState, Page};
use crate::canvas::{draw_on, ChartCanvas};
use crate::downloads::{raw, TableDownloads};
use crate::format::pct;
use crate::frontier_panel::FrontierPanel;
use crate::opt::{self, Phase};
use crate::optimize_controls::OptimizeControls;
use crate::rebalance_panel::RebalancePanel;
use ballast_charts::{bar_chart, bar_chart_height, BarChart};
use ballast_core::optimize::stats::PortfolioStats;
use leptos::prelude::*;

/// Where the target weights come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Optimised,
    Fallback,
    /// A frontier point (index).
    Frontier(usize),
}

impl Source {
    pub fn key(self) -> &'static str {
        match self {
            Source::Optimised => "optimised",
            Source::Fallback => "fallback",
            Source::Frontier(_) => "frontier",
        }
    }
}

/// The portfolio the weights table, the figures and the rebalance show.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub source: Source,
    pub label: String,
    pub weights: Vec<f64>,
    pub stats: PortfolioStats,
    /// Today's portfolio under the same estimates.
    pub today: Option<PortfolioStats>,
    /// The results belong to earlier settings.
    pub stale: bool,
}

/// The target as a memo (provided in the page's context), so that a job starting or a
/// progress report does not redraw what did not change.
#[derive(Clone, Copy)]
pub struct TargetMemo(pub Memo<Option<Target>>);

/// The current target (from the page's memo).
pub fn target() -> Option<Target> {
    expect_context::<TargetMemo>().0.get()
}

/// The current target: a selected frontier point, else the fallback weights when the user
/// chose them, else the last optimised portfolio. Results of earlier settings are stale once
/// the newer job has failed or been cancelled (not while it runs).
fn compute_target(state: AppState) -> Option<Target> {
    let o = state.opt;
    // Results of other data (other assets) are never shown against these.
    let symbols = state
        .computed
        .with(|c| c.as_ref().map(|c| c.aligned.symbols.clone()))?;
    if let Some(k) = o.selected.get() {
        let t = o.frontier.with(|f| {
            let fr = f.frontier.as_ref().filter(|_| f.symbols == symbols)?;
            let p = fr.points.get(k)?;
            Some(Target {
                source: Source::Frontier(k),
                label: format!(
                    "Selected from the frontier: point {} of {} ({} frontier, target return {})",
                    k + 1,
                    fr.points.len(),
                    kind_label(fr.kind),
                    pct(p.target_return)
                ),
                weights: p.weights.clone(),
                stats: p.stats.clone(),
                today: Some(fr.current.clone()),
                stale: f.frontier_key != f.started_key && f.phase != Phase::Running,
            })
        });
        if t.is_some() {
            return t;
        }
    }
    o.run.with(|r| {
        if r.show_fallback && r.fallback_symbols == symbols {
            if let Some(f) = &r.fallback {
                return Some(Target {
                    source: Source::Fallback,
                    label: format!("Fallback: {} weights", f.label),
                    weights: f.weights.clone(),
                    stats: f.stats.clone(),
                    today: r.fallback_today.clone(),
                    stale: false,
                });
            }
        }
        r.result
            .as_ref()
            .filter(|_| r.result_symbols == symbols)
            .map(|res| Target {
                source: Source::Optimised,
                label: format!("Optimised: {}", res.label),
                weights: res.weights.clone(),
                stats: res.stats.clone(),
                today: r.today.clone(),
                stale: r.result_key != r.started_key,
            })
    })
}

pub fn kind_label(k: ballast_core::optimize::frontier::FrontierKind) -> &'static str {
    match k {
        ballast_core::optimize::frontier::FrontierKind::MeanVariance => "mean-variance",
        ballast_core::optimize::frontier::FrontierKind::MeanCvar => "mean-CVaR",
    }
}

fn ratio(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "—".into()
    }
}

/// The figures rows: key, label, value, convention.
fn figure_rows(
    s: &PortfolioStats,
    today: Option<&PortfolioStats>,
    beta: f64,
    rf: f64,
) -> impl IntoView {
    let level = format!("{}%", crate::format::trim(beta * 100.0));
    type Get = fn(&PortfolioStats) -> f64;
    let rows: Vec<(&str, String, Get, bool, String)> = vec![
        (
            "expected_return",
            "Expected return".into(),
            |s| s.expected_return,
            true,
            "annualised, μ'w from the expected-returns model".into(),
        ),
        (
            "volatility",
            "Volatility".into(),
            |s| s.volatility,
            true,
            "annualised, √(w'Σw) from the covariance estimate".into(),
        ),
        (
            "sharpe",
            "Sharpe ratio".into(),
            |s| s.sharpe,
            false,
            format!("(μ'w − r_f)/σ with r_f = {} a year", pct(rf)),
        ),
        (
            "var",
            format!("VaR {level}"),
            |s| s.var,
            true,
            "per period (one day for daily data), historical, Rockafellar-Uryasev; a loss".into(),
        ),
        (
            "cvar",
            format!("CVaR {level}"),
            |s| s.cvar,
            true,
            "per period, mean loss beyond the VaR (historical)".into(),
        ),
        (
            "cdar",
            format!("CDaR {level}"),
            |s| s.cdar,
            true,
            "conditional drawdown at risk of uncompounded cumulative returns".into(),
        ),
        (
            "mad",
            "Mean absolute deviation".into(),
            |s| s.mad,
            true,
            "per period, 1/T Σ|(r_t − r̄)'w|".into(),
        ),
        (
            "max_drawdown",
            "Maximum drawdown".into(),
            |s| s.max_drawdown,
            true,
            "of uncompounded cumulative returns over the window".into(),
        ),
        (
            "diversification_ratio",
            "Diversification ratio".into(),
            |s| s.diversification_ratio,
            false,
            "σ'w / √(w'Σw); 1 = no diversification".into(),
        ),
        (
            "gross_exposure",
            "Gross exposure".into(),
            |s| s.gross_exposure,
            true,
            "Σ|w|".into(),
        ),
        (
            "assets_held",
            "Assets held".into(),
            |s| s.assets_held as f64,
            false,
            "weights above 0.0001% in absolute value".into(),
        ),
    ];
    rows.into_iter()
        .map(|(key, label, get, percent, conv)| {
            let v = get(s);
            let fmt = move |x: f64| {
                if key == "assets_held" {
                    format!("{x:.0}")
                } else if percent {
                    pct(x)
                } else {
                    ratio(x)
                }
            };
            let t = today.map(get);
            view! {
                <tr data-testid=format!("opt-fig-{key}") data-value=format!("{v}")>
                    <th scope="row">{label}</th>
                    <td class="num val" data-value=raw(v)>{fmt(v)}</td>
                    <td class="num bench" data-value=t.map(|x| format!("{x}")).unwrap_or_default()>{t.map(fmt).unwrap_or_else(|| "—".into())}</td>
                    <td class="conv">{conv}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
pub fn OptimizePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let o = state.opt;
    provide_context(TargetMemo(Memo::new(move |_| compute_target(state))));
    opt::auto_run(state, move || state.page.get() == Page::Optimize);
    let symbols = move || {
        state.computed.with(|c| {
            c.as_ref()
                .map(|c| c.aligned.symbols.clone())
                .unwrap_or_default()
        })
    };
    let current = move || {
        state.computed.with(|c| {
            c.as_ref()
                .map(|c| c.aligned.weights.clone())
                .unwrap_or_default()
        })
    };
    let header = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let r = &c.aligned.report;
                format!(
                    "{} assets · {} returns {} – {} · {} periods a year · today's weights from the holdings (cash {})",
                    c.aligned.symbols.len(),
                    r.observations,
                    r.start,
                    r.end,
                    r.periods_per_year,
                    pct(c.aligned.cash_weight)
                )
            })
        })
    };
    let status = move || {
        o.run.with(|r| match r.phase {
            Phase::Idle => "Not run yet.".to_string(),
            Phase::Running => "Optimising in the background…".to_string(),
            Phase::Done => format!(
                "Optimised in {:.0} ms ({:.1} ms solving in the worker).",
                r.round_ms.unwrap_or(0.0),
                r.worker_ms.unwrap_or(0.0)
            ),
            Phase::Failed => "The optimisation failed.".to_string(),
            Phase::Cancelled => "Cancelled: press Optimise to run again.".to_string(),
        })
    };
    let failure = move || {
        o.run.with(|r| {
            let msg = r.error.clone()?;
            let has_fallback = r.fallback.is_some();
            let showing = r.show_fallback;
            Some(view! {
                <div class="opt-failure" role="alert" data-testid="opt-error">
                    <p class="msg">{format!("The optimisation could not be done: {msg}.")}</p>
                    <p class="hint">"The results below are from the previous settings (stale) until an optimisation succeeds."</p>
                    {has_fallback.then(|| view! {
                        <button data-testid="opt-use-fallback" class:active=showing disabled=showing
                            on:click=move |_| {
                                o.selected.set(None);
                                o.run.update(|r| r.show_fallback = true);
                            }>
                            "Use fallback weights (inverse volatility)"
                        </button>
                    })}
                </div>
            })
        })
    };
    let target_head = move || {
        target().map(|t| {
            let source = t.source;
            let stale = t.stale;
            view! {
                <div class="target-head" data-testid="opt-target" data-source=source.key() data-stale=stale.to_string() class:stale=stale>
                    <span class="target-label" class:fallback=source == Source::Fallback data-testid="opt-target-label">{t.label.clone()}</span>
                    {stale.then(|| view! { <span class="stale-tag" data-testid="opt-stale">"stale — from the previous settings"</span> })}
                    {matches!(source, Source::Frontier(_) | Source::Fallback).then(|| view! {
                        <button class="small" data-testid="opt-back" on:click=move |_| {
                            o.selected.set(None);
                            o.run.update(|r| r.show_fallback = false);
                        }>{if source == Source::Fallback { "Hide the fallback weights" } else { "Back to the optimised portfolio" }}</button>
                    })}
                </div>
            }
        })
    };
    let weights_table = move || {
        let t = target()?;
        let syms = symbols();
        let cur = current();
        let rows = syms
            .iter()
            .enumerate()
            .map(|(i, sym)| {
                let w = t.weights.get(i).copied().unwrap_or(f64::NAN);
                let c = cur.get(i).copied().unwrap_or(0.0);
                let (up, down) = (w > c + 5e-5, w < c - 5e-5);
                view! {
                    <tr data-testid="opt-weight-row" data-symbol=sym.clone() data-weight=format!("{w}") data-current=format!("{c}")>
                        <th scope="row">{sym.clone()}</th>
                        <td class="num" data-symbol=sym.clone() data-value=raw(c)>{pct(c)}</td>
                        <td class="num val" data-symbol=sym.clone() data-testid="opt-weight" data-value=raw(w)>{pct(w)}</td>
                        <td class="num" class:up=up class:down=down data-value=raw(w - c)>{format!("{}{}", if w >= c { "+" } else { "" }, pct(w - c))}</td>
                    </tr>
                }
            })
            .collect_view();
        let total: f64 = t.weights.iter().sum();
        let total_current: f64 = cur.iter().sum();
        Some(view! {
            <div class="table-scroll">
                <table data-testid="opt-weights" class:stale=t.stale>
                    <thead><tr><th>"Asset"</th><th>"Today"</th><th>"Target"</th><th>"Change"</th></tr></thead>
                    <tbody>{rows}</tbody>
                    <tfoot><tr class="total"><th scope="row">"Total"</th><td class="num" data-value=raw(total_current)>{pct(total_current)}</td>
                        <td class="num" data-testid="opt-weight-total" data-value=format!("{total}")>{pct(total)}</td><td></td></tr></tfoot>
                </table>
            </div>
            <TableDownloads table="opt-weights" what="the target and today's weights" />
            <p class="hint">"Weights are fractions of net portfolio value; today's are from the holdings on the last date (cash not among the assets). Change = target − today."</p>
        })
    };
    let figures = move || {
        let t = target()?;
        let (beta, rf) = opt::current_spec(state)
            .map(|i| (i.spec.beta, i.spec.risk_free))
            .unwrap_or((0.95, 0.0));
        Some(view! {
            <div class="table-scroll">
                <table class="fig-table" data-testid="opt-figures" class:stale=t.stale>
                    <thead><tr><th><span class="sr-only">"Figure"</span></th><th class="num">"Target"</th><th class="num">"Today"</th><th><span class="sr-only">"Convention"</span></th></tr></thead>
                    <tbody>{figure_rows(&t.stats, t.today.as_ref(), beta, rf)}</tbody>
                </table>
            </div>
            <TableDownloads table="opt-figures" what="the target's risk figures" />
        })
    };
    let solver = move || {
        let t = target()?;
        let view = match t.source {
            Source::Optimised => o.run.with(|r| {
                r.result.as_ref().map(|res| {
                    view! {
                        <ul class="stats" data-testid="opt-solver">
                            <li data-testid="opt-objective-value" data-value=format!("{}", res.objective_value)>
                                {format!("{}: {} = {}", res.label, res.objective_name, crate::format::trim(res.objective_value))}</li>
                            <li data-testid="opt-solver-status" data-status=res.status.clone()>{format!("Solver status: {}{}", res.status,
                                if res.iterations > 0 { format!(" ({} iterations, Clarabel)", res.iterations) } else { String::new() })}</li>
                            {res.notes.iter().map(|n| view! { <li class="note" data-testid="opt-note">{n.clone()}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                })
            }),
            Source::Fallback => o.run.with(|r| {
                r.fallback.as_ref().map(|f| {
                    view! {
                        <ul class="stats" data-testid="opt-solver">
                            <li class="fallback-note" data-testid="opt-fallback-note">{f.fallback.clone().unwrap_or_default()}</li>
                        </ul>
                    }.into_any()
                })
            }),
            Source::Frontier(k) => Some(view! {
                <ul class="stats" data-testid="opt-solver">
                    <li>{format!("Frontier point {}: the least risk for its target return under the constraints; click another point or go back to the optimised portfolio.", k + 1)}</li>
                </ul>
            }.into_any()),
        };
        view
    };
    let estimates_line = move || {
        opt::current_spec(state).map(|i| {
            format!(
                "Expected returns: {} · covariance: {} · risk-free {} a year · CVaR level {}",
                i.spec.expected_returns.label(),
                i.spec.covariance.label(),
                pct(i.spec.risk_free),
                pct(i.spec.beta)
            )
        })
    };
    view! {
        <section data-testid="page-optimize" class="page" hidden=move || state.page.get() != Page::Optimize
            data-opt-status=move || o.run.with(|r| r.phase.key())
            data-opt-count=move || o.run.with(|r| r.completed.to_string())
            data-opt-ms=move || o.run.with(|r| r.round_ms.map(|t| format!("{t:.1}")).unwrap_or_default())
            data-opt-worker-ms=move || o.run.with(|r| r.worker_ms.map(|t| format!("{t:.2}")).unwrap_or_default())>
            <p class="window" data-testid="opt-header">{header}</p>
            <OptimizeControls />
            <div class="panel" data-testid="opt-run">
                <div class="row opt-status">
                    <button class="primary" data-testid="opt-run-button" on:click=move |_| opt::start_optimize(state)>"Optimise"</button>
                    <button data-testid="opt-cancel" disabled=move || o.run.with(|r| r.phase != Phase::Running)
                        on:click=move |_| opt::cancel_optimize(state)>"Cancel"</button>
                    <span data-testid="opt-status">{status}</span>
                </div>
                <p class="hint">{estimates_line}</p>
                {failure}
            </div>
            <div class="panel">
                <h2>"Weights: target against today"</h2>
                {target_head}
                <div class="opt-grid">
                    <div>{weights_table}</div>
                    <div class="chart-box">
                        <ChartCanvas page=Page::Optimize testid="chart-opt-weights" label="Target and today's weights"
                            draw=move |canvas| {
                                let Some(t) = target() else { return Ok(()) };
                                let labels = symbols();
                                let cur = current();
                                let series = [("Target", t.weights.as_slice()), ("Today", cur.as_slice())];
                                draw_on(canvas, bar_chart_height(labels.len(), 2), |area| {
                                    bar_chart(area, &BarChart { labels: &labels, series: &series, percent: true })
                                })
                            } />
                    </div>
                </div>
            </div>
            <div class="panel">
                <h2>"Risk figures"</h2>
                {figures}
                {solver}
            </div>
            <FrontierPanel />
            <RebalancePanel />
        </section>
    }
}
