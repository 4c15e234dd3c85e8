//! Correlation page: the clustered correlation heat map (hover shows the pair and ρ) with its
//! dendrogram, the threshold clusters with their share of value, the diversification figures,
//! the average pairwise correlation and a chosen pair's correlation over time, and the list of
//! breakdown dates (also marked on the charts). Controls: estimator, linkage, threshold, pair,
//! breakdown windows and levels.

use crate::app::{AppState, Page};
use crate::canvas::{draw_on, ChartCanvas};
use crate::downloads::{raw, TableDownloads};
use crate::format::pct;
use crate::inputs::checked_entry;
use ballast_charts::{
    dendrogram, heatmap, lines_chart, DendrogramChart, HeatmapChart, HeatmapLayout, LinesChart,
};
use ballast_core::clustering::Linkage;
use ballast_core::correlation_analysis::{CorrelationAnalysis, CorrelationParams};
use ballast_core::correlation_dynamics::BreakdownKind;
use ballast_core::estimators::CovEstimator;
use leptos::prelude::*;

/// A checked numeric entry: apply it, or refuse it with a message and put the old value back.
fn numeric(
    state: AppState,
    ev: leptos::ev::Event,
    current: String,
    check: impl FnOnce(f64) -> Result<Box<dyn FnOnce(&mut CorrelationParams)>, String>,
) {
    checked_entry(state, &ev, current, "", check, |change| {
        state.set_correlation(change)
    });
}

fn with_analysis<T>(state: AppState, f: impl FnOnce(&CorrelationAnalysis) -> T) -> Option<T> {
    state
        .computed
        .with(|c| c.as_ref().and_then(|c| c.correlation.as_ref().ok()).map(f))
}

#[component]
pub fn CorrelationPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = move || state.workspace.with(|w| w.correlation);
    let layout = StoredValue::new(None::<HeatmapLayout>);
    let hover = RwSignal::new(None::<String>);
    let error = move || {
        state.computed.with(|c| {
            c.as_ref().and_then(|c| c.correlation.as_ref().err().cloned()).map(|e| {
                view! { <p class="chart-error" data-testid="correlation-error">{format!("The correlation analysis could not run: {e}")}</p> }
            })
        })
    };
    let symbols = move || with_analysis(state, |a| a.symbols.clone()).unwrap_or_default();
    let pair_select = move |which: usize| {
        view! {
            <select data-testid=if which == 0 { "pair-a" } else { "pair-b" }
                on:change=move |ev| {
                    if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                        let current = with_analysis(state, |a| a.pair).flatten().unwrap_or((0, 1));
                        let pair = if which == 0 { (k, current.1) } else { (current.0, k) };
                        if pair.0 == pair.1 {
                            state.fail("Choose two different assets for the pair.".into());
                        } else {
                            state.set_correlation(move |p| p.pair = Some(pair));
                        }
                    }
                }>
                {move || {
                    let chosen = with_analysis(state, |a| a.pair).flatten().map(|p| if which == 0 { p.0 } else { p.1 });
                    symbols().into_iter().enumerate().map(|(k, s)| {
                        view! { <option value=k.to_string() selected=chosen == Some(k)>{s}</option> }
                    }).collect_view()
                }}
            </select>
        }
    };
    let header = move || {
        with_analysis(state, |a| {
            let e = &a.estimate;
            view! {
                <p class="window" data-testid="estimator-line">
                    {format!("{} · {} assets · {}", e.estimator.label(), a.symbols.len(), e.estimator.convention())}
                    {e.shrinkage.map(|d| format!(" · shrinkage δ = {d:.4}"))}
                </p>
                {e.notes.iter().map(|n| view! { <p class="hint note" data-testid="estimator-note">{n.clone()}</p> }).collect_view()}
            }
        })
    };
    let figures = move || {
        with_analysis(state, |a| {
            let d = &a.diversification;
            let largest = a.largest_cluster.as_ref().map(|c| {
                let names: Vec<String> = c
                    .members
                    .iter()
                    .filter_map(|i| a.symbols.get(*i).cloned())
                    .collect();
                format!("{} ({})", pct(c.weight), names.join(", "))
            });
            view! {
                <div class="table-scroll">
                <table class="fig-table" data-testid="diversification">
                    <thead class="sr-only"><tr><th>"Figure"</th><th>"Value"</th><th>"Convention"</th></tr></thead>
                    <tbody>
                        <tr data-testid="fig-largest_cluster"><th scope="row">"Largest correlated cluster"</th><td class="num val">{largest.unwrap_or_else(|| "none".into())}</td>
                            <td class="conv">{format!("share of portfolio value in the largest group linked by |ρ| ≥ {}", a.params.threshold)}</td></tr>
                        <tr data-testid="fig-average_correlation" data-value=format!("{}", a.average_correlation)><th scope="row">"Average correlation"</th><td class="num val" data-value=raw(a.average_correlation)>{format!("{:.2}", a.average_correlation)}</td>
                            <td class="conv">"mean of the off-diagonal correlations of the estimate"</td></tr>
                        <tr data-testid="fig-diversification_ratio" data-value=format!("{}", d.diversification_ratio)><th scope="row">"Diversification ratio"</th><td class="num val" data-value=raw(d.diversification_ratio)>{format!("{:.2}", d.diversification_ratio)}</td>
                            <td class="conv">"Σ wᵢσᵢ / σₚ (Choueifaty-Coignard); 1 = no diversification"</td></tr>
                        <tr data-testid="fig-effective_number_of_bets" data-value=format!("{}", d.effective_number_of_bets)><th scope="row">"Effective number of bets"</th><td class="num val" data-value=raw(d.effective_number_of_bets)>{format!("{:.1}", d.effective_number_of_bets)}</td>
                            <td class="conv">"exp(entropy of the risk-contribution shares)"</td></tr>
                        <tr data-testid="fig-herfindahl" data-value=format!("{}", d.herfindahl)><th scope="row">"Herfindahl index"</th><td class="num val" data-value=raw(d.herfindahl)>{format!("{:.3}", d.herfindahl)}</td>
                            <td class="conv">"Σ wᵢ² of the position weights (of gross exposure)"</td></tr>
                        <tr data-testid="fig-effective_number_of_positions" data-value=format!("{}", d.effective_number_of_positions)><th scope="row">"Effective number of positions"</th><td class="num val" data-value=raw(d.effective_number_of_positions)>{format!("{:.1}", d.effective_number_of_positions)}</td>
                            <td class="conv">"1 / Herfindahl"</td></tr>
                    </tbody>
                </table>
                </div>
                <TableDownloads table="diversification" what="the diversification figures" />
            }
        })
    };
    let clusters = move || {
        with_analysis(state, |a| {
            a.clusters.iter().enumerate().map(|(k, c)| {
                let names: Vec<String> = c.members.iter().filter_map(|i| a.symbols.get(*i).cloned()).collect();
                view! {
                    <tr data-testid="cluster-row" data-size=c.members.len().to_string() data-weight=format!("{}", c.weight)>
                        <td class="num">{k + 1}</td>
                        <td class="members">{names.join(", ")}</td>
                        <td class="num">{c.members.len()}</td>
                        <td class="num" data-value=raw(c.weight)>{pct(c.weight)}</td>
                        <td class="num" data-value=raw(c.gross_weight)>{pct(c.gross_weight)}</td>
                    </tr>
                }
            }).collect_view()
        })
    };
    let breakdowns = move || {
        with_analysis(state, |a| {
            a.breakdowns.iter().map(|b| {
                let (kind, value) = match b.kind {
                    BreakdownKind::Correlation => ("correlation jump", format!("+{:.2} above the long-window average", b.peak_value)),
                    BreakdownKind::Volatility => ("volatility spike", format!("{:.2}× the long-window volatility", b.peak_value)),
                };
                view! {
                    <tr data-testid="breakdown-row" data-kind=kind>
                        <td>{kind}</td><td>{b.start.to_string()}</td><td>{b.end.to_string()}</td>
                        <td class="num">{b.days}</td><td>{b.peak.to_string()}</td><td>{value}</td>
                    </tr>
                }
            }).collect_view()
        })
    };
    let markers = move |kind: BreakdownKind| -> Vec<chrono::NaiveDate> {
        with_analysis(state, |a| {
            a.breakdowns
                .iter()
                .filter(|b| b.kind == kind)
                .map(|b| b.peak)
                .collect()
        })
        .unwrap_or_default()
    };
    let estimator_value = move || match params().estimator {
        CovEstimator::Sample => "sample",
        CovEstimator::LedoitWolf => "ledoit_wolf",
        CovEstimator::Ewma { .. } => "ewma",
    };
    let span = move || match params().estimator {
        CovEstimator::Ewma { span } => span,
        _ => 180.0,
    };
    view! {
        <section data-testid="page-correlation" class="page" data-correlation-count=move || state.correlation_count.get().to_string()>
            {error}
            {header}
            <div class="panel controls" data-testid="correlation-controls">
                <label>"Estimator "
                    <select data-testid="estimator" prop:value=estimator_value
                        on:change=move |ev| {
                            let e = match event_target_value(&ev).as_str() {
                                "ledoit_wolf" => CovEstimator::LedoitWolf,
                                "ewma" => CovEstimator::Ewma { span: span() },
                                _ => CovEstimator::Sample,
                            };
                            state.set_correlation(move |p| p.estimator = e);
                        }>
                        <option value="sample">"Sample (ddof 1)"</option>
                        <option value="ledoit_wolf">"Ledoit-Wolf shrinkage"</option>
                        <option value="ewma">"Exponentially weighted"</option>
                    </select>
                </label>
                <label title="EWMA span in days (λ = 1 − 2/(span+1))">"Span "
                    <input type="number" min="2" max="5000" step="1" data-testid="ewma-span" prop:value=move || span().to_string()
                        on:change=move |ev| numeric(state, ev, span().to_string(), |v| {
                            if (2.0..=5000.0).contains(&v) {
                                Ok(Box::new(move |p: &mut CorrelationParams| p.estimator = CovEstimator::Ewma { span: v }))
                            } else {
                                Err(format!("The EWMA span must be between 2 and 5000 days, not {v}"))
                            }
                        }) />
                </label>
                <label>"Linkage "
                    <select data-testid="linkage" prop:value=move || params().linkage.key()
                        on:change=move |ev| {
                            let l = match event_target_value(&ev).as_str() {
                                "single" => Linkage::Single,
                                "average" => Linkage::Average,
                                "complete" => Linkage::Complete,
                                _ => Linkage::Ward,
                            };
                            state.set_correlation(move |p| p.linkage = l);
                        }>
                        <option value="single">"single"</option>
                        <option value="average">"average"</option>
                        <option value="complete">"complete"</option>
                        <option value="ward">"Ward"</option>
                    </select>
                </label>
                <label title="Assets are linked when |ρ| is at least this">"Threshold |ρ| ≥ "
                    <input type="number" min="0.05" max="0.99" step="0.05" data-testid="threshold" prop:value=move || params().threshold.to_string()
                        on:change=move |ev| numeric(state, ev, params().threshold.to_string(), |v| {
                            if (0.05..=0.99).contains(&v) {
                                Ok(Box::new(move |p: &mut CorrelationParams| p.threshold = v))
                            } else {
                                Err(format!("The correlation threshold must be between 0.05 and 0.99, not {v}"))
                            }
                        }) />
                </label>
                <label title="Window of the short average correlation and volatility">"Short window "
                    <input type="number" min="5" max="250" step="1" data-testid="short-window" prop:value=move || params().breakdown.short_window.to_string()
                        on:change=move |ev| numeric(state, ev, params().breakdown.short_window.to_string(), |v| {
                            if v.fract() == 0.0 && (5.0..=250.0).contains(&v) {
                                Ok(Box::new(move |p: &mut CorrelationParams| p.breakdown.short_window = v as usize))
                            } else {
                                Err(format!("The short window must be a whole number of days from 5 to 250, not {v}"))
                            }
                        }) />
                </label>
                <label title="Window of the long average correlation and volatility">"Long window "
                    <input type="number" min="20" max="2520" step="1" data-testid="long-window" prop:value=move || params().breakdown.long_window.to_string()
                        on:change=move |ev| numeric(state, ev, params().breakdown.long_window.to_string(), |v| {
                            if v.fract() == 0.0 && (20.0..=2520.0).contains(&v) {
                                Ok(Box::new(move |p: &mut CorrelationParams| p.breakdown.long_window = v as usize))
                            } else {
                                Err(format!("The long window must be a whole number of days from 20 to 2520, not {v}"))
                            }
                        }) />
                </label>
                <label title="Flag dates where the short average correlation exceeds the long one by more than this">"Correlation jump "
                    <input type="number" min="0.01" max="1" step="0.05" data-testid="corr-jump" prop:value=move || params().breakdown.correlation_jump.to_string()
                        on:change=move |ev| numeric(state, ev, params().breakdown.correlation_jump.to_string(), |v| {
                            if v > 0.0 && v <= 1.0 {
                                Ok(Box::new(move |p: &mut CorrelationParams| p.breakdown.correlation_jump = v))
                            } else {
                                Err(format!("The correlation jump must be above 0 and at most 1, not {v}"))
                            }
                        }) />
                </label>
                <label title="Flag dates where short-window volatility exceeds this multiple of the long-window one">"Volatility ratio "
                    <input type="number" min="1.05" max="10" step="0.1" data-testid="vol-ratio" prop:value=move || params().breakdown.volatility_ratio.to_string()
                        on:change=move |ev| numeric(state, ev, params().breakdown.volatility_ratio.to_string(), |v| {
                            if v > 1.0 && v <= 10.0 {
                                Ok(Box::new(move |p: &mut CorrelationParams| p.breakdown.volatility_ratio = v))
                            } else {
                                Err(format!("The volatility ratio must be above 1 and at most 10, not {v}"))
                            }
                        }) />
                </label>
            </div>
            <div class="corr-grid">
                <div class="chart-box">
                    <div class="chart-head">
                        <h2>"Correlation matrix, clustered"</h2>
                        <span class="hover" data-testid="heatmap-hover">{move || hover.get().unwrap_or_else(|| "hover a cell for the pair and ρ".into())}</span>
                    </div>
                    <div on:mousemove=move |ev: leptos::ev::MouseEvent| {
                            let text = layout.get_value().and_then(|l| l.cell_at(ev.offset_x(), ev.offset_y())).and_then(|(r, c)| {
                                with_analysis(state, |a| {
                                    let order = &a.dendrogram.leaf_order;
                                    let (i, j) = (*order.get(r)?, *order.get(c)?);
                                    Some(format!("{} – {}: ρ = {:.3}", a.symbols.get(i)?, a.symbols.get(j)?, a.estimate.correlation.get(i, j)))
                                }).flatten()
                            });
                            hover.set(text);
                        }
                        on:mouseleave=move |_| hover.set(None)>
                        <ChartCanvas page=Page::Correlation testid="chart-heatmap" label="Clustered correlation heat map"
                            draw=move |canvas| {
                                state.computed.with(|c| {
                                    let Some(a) = c.as_ref().and_then(|c| c.correlation.as_ref().ok()) else { return Ok(()) };
                                    let width = canvas.parent_element().map_or(600, |p| p.client_width().max(0) as u32);
                                    let height = ((width as f64 * 0.85) as u32).clamp(240, 720);
                                    let scale = format!("ρ ({})", a.estimate.estimator.label());
                                    draw_on(canvas, height, |area| {
                                        let l = heatmap(area, &HeatmapChart {
                                            labels: &a.symbols,
                                            values: &a.estimate.correlation.data,
                                            order: &a.dendrogram.leaf_order,
                                            title_scale: &scale,
                                            show_values: true,
                                        })?;
                                        layout.set_value(Some(l));
                                        Ok(())
                                    })
                                })
                            } />
                    </div>
                </div>
                <div class="chart-box">
                    <div class="chart-head"><h2>{move || format!("Dendrogram ({} linkage)", params().linkage.key())}</h2></div>
                    <ChartCanvas page=Page::Correlation testid="chart-dendrogram" label="Dendrogram"
                        draw=move |canvas| {
                            state.computed.with(|c| {
                                let Some(a) = c.as_ref().and_then(|c| c.correlation.as_ref().ok()) else { return Ok(()) };
                                let merges: Vec<(usize, usize, f64)> = a.dendrogram.merges.iter().map(|m| (m.a, m.b, m.height)).collect();
                                let height = (a.symbols.len() as u32 * 18 + 80).clamp(240, 720);
                                draw_on(canvas, height, |area| {
                                    dendrogram(area, &DendrogramChart {
                                        labels: &a.symbols,
                                        merges: &merges,
                                        leaf_order: &a.dendrogram.leaf_order,
                                        horizontal: true,
                                        height_label: "distance √(½(1−ρ))",
                                        cut: Some((0.5 * (1.0 - a.params.threshold)).sqrt()),
                                    })
                                })
                            })
                        } />
                    <p class="hint">"The dashed line is the threshold's distance √(½(1−t)); with single linkage and no negative correlations, the groups below it are the threshold clusters."</p>
                </div>
            </div>
            <div class="panel">
                <h2>"Concentration and diversification"</h2>
                {figures}
            </div>
            <div class="panel">
                <h2>{move || format!("Clusters at |ρ| ≥ {}", params().threshold)}</h2>
                <div class="table-scroll">
                    <table data-testid="cluster-table">
                        <thead><tr><th>"#"</th><th>"Members"</th><th>"Assets"</th><th>"Share of value"</th><th>"Gross share"</th></tr></thead>
                        <tbody>{clusters}</tbody>
                    </table>
                </div>
                <TableDownloads table="cluster-table" what="the clusters" />
                <p class="hint">"Assets are linked when the absolute correlation of the chosen estimate reaches the threshold; a cluster is a connected group (linked directly or through others). Shares are of net portfolio value; gross counts shorts as positive."</p>
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Average pairwise correlation over time"</h2></div>
                <ChartCanvas page=Page::Correlation testid="chart-avg-corr" label="Average pairwise correlation"
                    draw=move |canvas| {
                        let marks = markers(BreakdownKind::Correlation);
                        state.computed.with(|c| {
                            let Some(a) = c.as_ref().and_then(|c| c.correlation.as_ref().ok()) else { return Ok(()) };
                            let s = format!("{}-day", a.average_correlation_short.window);
                            let l = format!("{}-day", a.average_correlation_long.window);
                            let lines = [
                                (s.as_str(), a.average_correlation_short.dates.as_slice(), a.average_correlation_short.values.as_slice()),
                                (l.as_str(), a.average_correlation_long.dates.as_slice(), a.average_correlation_long.values.as_slice()),
                            ];
                            draw_on(canvas, 0, |area| lines_chart(area, &LinesChart { lines: &lines, percent: false, zero_line: true, markers: &marks }))
                        })
                    } />
            </div>
            <div class="chart-box">
                <div class="chart-head">
                    <h2>"Rolling correlation of a pair"</h2>
                    <span class="pair">{pair_select(0)}" and "{pair_select(1)}</span>
                </div>
                <ChartCanvas page=Page::Correlation testid="chart-pair-corr" label="Pair correlation"
                    draw=move |canvas| {
                        state.computed.with(|c| {
                            let Some(a) = c.as_ref().and_then(|c| c.correlation.as_ref().ok()) else { return Ok(()) };
                            let (Some((i, j)), Some(r)) = (a.pair, a.pair_correlation.as_ref()) else { return Ok(()) };
                            let label = format!("{} – {} ({}-day)", a.symbols.get(i).cloned().unwrap_or_default(), a.symbols.get(j).cloned().unwrap_or_default(), r.window);
                            let lines = [(label.as_str(), r.dates.as_slice(), r.values.as_slice())];
                            draw_on(canvas, 0, |area| lines_chart(area, &LinesChart { lines: &lines, percent: false, zero_line: true, markers: &[] }))
                        })
                    } />
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Volatility: short window against long window"</h2></div>
                <ChartCanvas page=Page::Correlation testid="chart-vol-ratio" label="Volatility ratio"
                    draw=move |canvas| {
                        let marks = markers(BreakdownKind::Volatility);
                        state.computed.with(|c| {
                            let Some(a) = c.as_ref().and_then(|c| c.correlation.as_ref().ok()) else { return Ok(()) };
                            let label = format!("portfolio volatility, {}-day / {}-day", a.params.breakdown.short_window, a.params.breakdown.long_window);
                            let lines = [(label.as_str(), a.volatility_ratio.dates.as_slice(), a.volatility_ratio.values.as_slice())];
                            draw_on(canvas, 0, |area| lines_chart(area, &LinesChart { lines: &lines, percent: false, zero_line: false, markers: &marks }))
                        })
                    } />
            </div>
            <div class="panel">
                <h2>"Breakdowns"</h2>
                <div class="table-scroll">
                    <table data-testid="breakdown-table">
                        <thead><tr><th>"Kind"</th><th>"From"</th><th>"To"</th><th>"Days"</th><th>"Peak"</th><th>"At the peak"</th></tr></thead>
                        <tbody>{breakdowns}</tbody>
                    </table>
                </div>
                <TableDownloads table="breakdown-table" what="the breakdowns" />
                <p class="hint">{move || {
                    let b = params().breakdown;
                    format!("Correlation jump: the {}-day average pairwise correlation above the {}-day one by more than {}. Volatility spike: {}-day portfolio volatility above {}× the {}-day one. Consecutive days form one event; peaks are marked on the charts.",
                        b.short_window, b.long_window, b.correlation_jump, b.short_window, b.volatility_ratio, b.long_window)
                }}</p>
            </div>
        </section>
    }
}
