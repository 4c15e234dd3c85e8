//! The efficient frontier on the Optimise page: computed point by point in the web worker with
//! a progress bar and Cancel; the chart shows the frontier, each asset, today's portfolio, the
//! minimum-risk and maximum-Sharpe portfolios and the capital market line. Hovering a point
//! shows its figures and largest weights; clicking it makes it the target portfolio.

use crate::app::{AppState, Page};
use crate::canvas::{draw_on, ChartCanvas};
use crate::format::pct;
use crate::inputs::NumField;
use crate::opt::{self, Phase};
use crate::optimize_page::kind_label;
use ballast_charts::{frontier_chart, FrontierChart, FrontierLayout};
use ballast_core::optimize::frontier::{Frontier, FrontierKind, MAX_POINTS, MIN_POINTS};
use leptos::prelude::*;

/// How near (pixels) the mouse must be to a frontier point to hover or select it.
const HIT_PX: f64 = 14.0;

/// The frontier's points as `(risk, return)` in the chart's axes.
fn curve(f: &Frontier) -> Vec<(f64, f64)> {
    f.points
        .iter()
        .map(|p| (risk_of(f.kind, &p.stats), p.stats.expected_return))
        .collect()
}

fn risk_of(kind: FrontierKind, s: &ballast_core::optimize::stats::PortfolioStats) -> f64 {
    match kind {
        FrontierKind::MeanVariance => s.volatility,
        FrontierKind::MeanCvar => s.cvar,
    }
}

/// The tooltip of point `k`: its name, its figures and its five largest weights.
fn describe(f: &Frontier, symbols: &[String], k: usize, beta: f64) -> Option<[String; 3]> {
    let p = f.points.get(k)?;
    let mut order: Vec<usize> = (0..p.weights.len()).collect();
    order.sort_by(|&a, &b| p.weights[b].abs().total_cmp(&p.weights[a].abs()));
    let top: Vec<String> = order
        .iter()
        .take(5)
        .filter(|&&i| p.weights[i].abs() > 1e-4)
        .filter_map(|&i| Some(format!("{} {}", symbols.get(i)?, pct(p.weights[i]))))
        .collect();
    Some([
        format!("Point {} of {} (click to select)", k + 1, f.points.len()),
        format!(
            "Return {} · volatility {} · Sharpe {:.3} · CVaR {}% {} per period",
            pct(p.stats.expected_return),
            pct(p.stats.volatility),
            p.stats.sharpe,
            crate::format::trim(beta * 100.0),
            pct(p.stats.cvar),
        ),
        format!("Largest weights: {}", top.join(", ")),
    ])
}

#[component]
pub fn FrontierPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let o = state.opt;
    let layout = StoredValue::new(None::<FrontierLayout>);
    let hovered = RwSignal::new(None::<usize>);
    let mouse = RwSignal::new((0, 0));
    let hit = move |x: i32, y: i32| -> Option<usize> {
        let l = layout.get_value()?;
        o.frontier.with_untracked(|f| {
            let fr = f.frontier.as_ref()?;
            l.nearest(&curve(fr), x, y, HIT_PX)
        })
    };
    let status = move || {
        o.frontier.with(|f| match f.phase {
            Phase::Idle => "Not computed yet.".to_string(),
            Phase::Running => format!(
                "Computing in the background: {} / {} points…",
                f.done, f.total
            ),
            Phase::Done => format!(
                "{} points in {:.2} s ({:.2} s in the worker).",
                f.done,
                f.round_ms.unwrap_or(0.0) / 1000.0,
                f.worker_ms.unwrap_or(0.0) / 1000.0
            ),
            Phase::Cancelled => format!(
                "Cancelled at {} / {} points: press Compute to run again.",
                f.done, f.total
            ),
            Phase::Failed => format!(
                "The frontier could not be computed: {}.",
                f.error.clone().unwrap_or_default()
            ),
        })
    };
    let tooltip = move || {
        let k = hovered.get()?;
        let beta = opt::current_spec(state).map_or(0.95, |i| i.spec.beta);
        let [title, figures, weights] = o
            .frontier
            .with(|f| describe(f.frontier.as_ref()?, &f.symbols, k, beta))?;
        let (x, y) = mouse.get();
        // Keep the box inside the chart: flip to the left of the cursor on the right half.
        let width = layout.get_value().map_or(600, |l| l.right + 20);
        let style = if x > width / 2 {
            format!("right: {}px; top: {}px;", (width - x + 12).max(0), y + 14)
        } else {
            format!("left: {}px; top: {}px;", x + 12, y + 14)
        };
        Some(
            view! { <div class="frontier-tooltip" data-testid="frontier-tooltip" data-point=k.to_string() style=style>
                <strong>{title}</strong><br />{figures}<br />{weights}
            </div> },
        )
    };
    let notes = move || {
        o.frontier.with(|f| {
            f.frontier.as_ref().map(|fr| {
                fr.notes
                    .iter()
                    .map(|n| view! { <li class="note">{n.clone()}</li> })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="panel" data-testid="frontier-panel"
            data-phase=move || o.frontier.with(|f| f.phase.key())
            data-done=move || o.frontier.with(|f| f.done.to_string())
            data-total=move || o.frontier.with(|f| f.total.to_string())
            data-points=move || o.frontier.with(|f| f.frontier.as_ref().map_or(0, |fr| fr.points.len()).to_string())
            data-count=move || o.frontier.with(|f| f.completed.to_string())
            data-ms=move || o.frontier.with(|f| f.round_ms.map(|t| format!("{t:.1}")).unwrap_or_default())
            data-worker-ms=move || o.frontier.with(|f| f.worker_ms.map(|t| format!("{t:.1}")).unwrap_or_default())>
            <h2>"Efficient frontier"</h2>
            <div class="row opt-status">
                <label>"Frontier "
                    <select data-testid="frontier-kind" on:change=move |ev| {
                        let k = FrontierKind::from_key(&event_target_value(&ev)).unwrap_or(FrontierKind::MeanVariance);
                        o.settings.update(|s| s.frontier_kind = k);
                    }>
                        <option value="mean_variance" selected=move || o.settings.with(|s| s.frontier_kind == FrontierKind::MeanVariance)>"mean-variance (volatility)"</option>
                        <option value="mean_cvar" selected=move || o.settings.with(|s| s.frontier_kind == FrontierKind::MeanCvar)>"mean-CVaR"</option>
                    </select>
                </label>
                <label>"Points "
                    <NumField testid="frontier-points".into() value=move || o.settings.with(|s| s.frontier_points.to_string())
                        apply=move |v| {
                            let v = v.unwrap_or_default();
                            if v.fract() == 0.0 && (MIN_POINTS as f64..=MAX_POINTS as f64).contains(&v) {
                                o.settings.update(|s| s.frontier_points = v as usize);
                                Ok(())
                            } else {
                                Err(format!("the number of points must be a whole number from {MIN_POINTS} to {MAX_POINTS}, not {v}"))
                            }
                        } />
                </label>
                <button class="primary" data-testid="frontier-run" on:click=move |_| opt::start_frontier(state)>"Compute"</button>
                <button data-testid="frontier-cancel" disabled=move || o.frontier.with(|f| f.phase != Phase::Running)
                    on:click=move |_| opt::cancel_frontier(state)>"Cancel"</button>
            </div>
            <div class="row opt-status">
                <progress data-testid="frontier-progress" max="1"
                    prop:value=move || o.frontier.with(|f| if f.total > 0 { f.done as f64 / f.total as f64 } else { 0.0 })></progress>
                <span data-testid="frontier-status">{status}</span>
            </div>
            <p class="hint">{move || o.frontier.with(|f| match f.frontier.as_ref().map(|fr| fr.kind) {
                Some(FrontierKind::MeanCvar) => "Each point has the least historical CVaR (per period) for its expected return; the return targets are evenly spaced from the minimum-CVaR portfolio's return to the highest reachable under the constraints.",
                _ => "Each point has the least variance for its expected return (annualised); the return targets are evenly spaced from the minimum-variance portfolio's return to the highest reachable under the constraints. The dashed line is the capital market line r_f + Sharpe·σ through the maximum-Sharpe portfolio.",
            })}" Hover a point for its figures; click it to make it the target below."</p>
            {move || o.frontier.with(|f| (f.frontier.is_some() && f.frontier_key != f.started_key).then(|| view! {
                <p class="stale-tag" data-testid="frontier-stale">"The frontier shown is from the previous settings."</p>
            }))}
            <div class="frontier-wrap"
                on:mousemove=move |ev: leptos::ev::MouseEvent| {
                    let (x, y) = (ev.offset_x(), ev.offset_y());
                    let h = hit(x, y);
                    if h.is_some() { mouse.set((x, y)); }
                    if hovered.get_untracked() != h { hovered.set(h); }
                }
                on:mouseleave=move |_| hovered.set(None)
                on:click=move |ev: leptos::ev::MouseEvent| {
                    if let Some(k) = hit(ev.offset_x(), ev.offset_y()) {
                        o.selected.set(Some(k));
                    }
                }>
                <ChartCanvas page=Page::Optimize testid="chart-frontier" label="Efficient frontier"
                    draw=move |canvas| {
                        let selected = o.selected.get();
                        let hover = hovered.get();
                        o.frontier.with(|f| {
                            let Some(fr) = f.frontier.as_ref() else { return Ok(()) };
                            let syms = &f.symbols;
                            let pts = curve(fr);
                            let assets: Vec<(String, f64, f64)> = syms.iter().zip(&fr.assets)
                                .map(|(s, a)| (s.clone(), if fr.kind == FrontierKind::MeanVariance { a.1 } else { a.2 }, a.0))
                                .collect();
                            let point = |s: &ballast_core::optimize::stats::PortfolioStats| (risk_of(fr.kind, s), s.expected_return);
                            let beta = opt::current_spec(state).map_or(0.95, |i| i.spec.beta);
                            let x_label = match fr.kind {
                                FrontierKind::MeanVariance => "Volatility (annualised)".to_string(),
                                FrontierKind::MeanCvar => format!("CVaR {}% (per period)", crate::format::trim(beta * 100.0)),
                            };
                            let max_sharpe = fr.max_sharpe.as_ref().map(|p| point(&p.stats));
                            let cml = match (fr.kind, fr.max_sharpe.as_ref()) {
                                (FrontierKind::MeanVariance, Some(p)) if p.stats.sharpe.is_finite() => Some((fr.risk_free, p.stats.sharpe)),
                                _ => None,
                            };
                            let width = canvas.parent_element().map_or(600, |p| p.client_width().max(0));
                            let height = if width < 600 { 320 } else { 420 };
                            draw_on(canvas, height, |area| {
                                let l = frontier_chart(area, &FrontierChart {
                                    x_label: &x_label,
                                    y_label: "Expected return (annualised)",
                                    curve: &pts,
                                    assets: &assets,
                                    current: Some(point(&fr.current)),
                                    min_risk: fr.points.first().map(|p| point(&p.stats)),
                                    max_sharpe,
                                    cml,
                                    selected,
                                    hovered: hover,
                                    percent: true,
                                })?;
                                // Test hook: each point's pixel position, "x,y;x,y;…".
                                if let Some(l) = l {
                                    let px: Vec<String> = pts.iter().map(|&(x, y)| {
                                        let (a, b) = l.to_pixel(x, y);
                                        format!("{a},{b}")
                                    }).collect();
                                    let _ = canvas.set_attribute("data-point-px", &px.join(";"));
                                }
                                layout.set_value(l);
                                Ok(())
                            })
                        })
                    } />
                {tooltip}
            </div>
            {move || o.selected.get().map(|k| view! {
                <p class="selected-line" data-testid="frontier-selected" data-point=k.to_string()>
                    {format!("Selected from the frontier: point {} — it is the target in the weights, figures and rebalance.", k + 1)}
                    " "<button class="small" data-testid="frontier-deselect" on:click=move |_| o.selected.set(None)>"Back to the optimised portfolio"</button>
                </p>
            })}
            <ul class="stats">{notes}</ul>
            <p class="hint">{move || o.frontier.with(|f| f.frontier.as_ref().map(|fr| format!("{} frontier of {} points; the large ring marks the selected point, grey dots are the assets alone.", kind_label(fr.kind), fr.points.len())))}</p>
        </div>
    }
}
