//! Overview page: figure cards with their conventions, the window, the equity curve against
//! the benchmark and the underwater chart.

use crate::app::{AppState, Page};
use crate::canvas::{draw_equity, draw_underwater};
use crate::downloads::PngDownload;
use crate::io::mark_rendered;
use crate::risk_panels::{AlertsPanel, HeatPanel};
use ballast_core::figures::format_value;
use leptos::prelude::*;

#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let equity_ref = NodeRef::<leptos::html::Canvas>::new();
    let underwater_ref = NodeRef::<leptos::html::Canvas>::new();
    let log_scale = RwSignal::new(true);
    let reported = StoredValue::new(0u64);
    let chart_error = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        state.resized.track();
        state.page.track();
        let log = log_scale.get();
        let (Some(eq), Some(uw)) = (equity_ref.get(), underwater_ref.get()) else {
            return;
        };
        state.computed.with(|c| {
            let Some(c) = c else { return };
            let bench = c.aligned.benchmark.as_ref().map(|b| b.symbol.as_str());
            let result = draw_equity(&eq, &c.analysis.series, bench, log)
                .and_then(|_| draw_underwater(&uw, &c.analysis.series));
            chart_error.set(result.err());
            if c.generation > reported.get_value() {
                reported.set_value(c.generation);
                mark_rendered(c.generation);
            }
        });
    });

    let cluster_card = move || {
        state.computed.with(|c| {
            let a = c.as_ref()?.correlation.as_ref().ok()?;
            let (value, raw, members) = match &a.largest_cluster {
                Some(k) => {
                    let names: Vec<String> = k.members.iter().filter_map(|i| a.symbols.get(*i).cloned()).collect();
                    (crate::format::pct(k.weight), format!("{}", k.weight), names.join(", "))
                }
                None => ("none".to_string(), "0".to_string(), "no pair reaches the threshold".to_string()),
            };
            Some(view! {
                <div class="card" data-testid="metric-largest_cluster" data-value=raw>
                    <div class="card-label">"Largest correlated cluster"</div>
                    <div class="card-value">{value}</div>
                    <div class="card-conv">{format!("{members} · |ρ| ≥ {} · {}", a.params.threshold, a.estimate.estimator.label())}</div>
                </div>
            })
        })
    };
    let cards = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                c.figures
                    .iter()
                    .map(|f| {
                        let raw = f.value.map(|v| format!("{v}")).unwrap_or_default();
                        view! {
                            <div class="card" class:loss=f.loss data-testid=format!("metric-{}", f.key) data-value=raw>
                                <div class="card-label">{f.label.clone()}</div>
                                <div class="card-value">{format_value(f)}</div>
                                <div class="card-conv">{f.convention.clone()}</div>
                            </div>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let window_line = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let r = &c.aligned.report;
                view! {
                    <p class="window" data-testid="window" data-start=r.start.to_string() data-end=r.end.to_string()
                        data-observations=r.observations.to_string()>
                        {format!("{} – {} · {} {} returns · {}/yr", r.start, r.end, r.observations, r.frequency.label(), r.periods_per_year)}
                        {c.aligned.benchmark.as_ref().map(|b| format!(" · benchmark {}", b.symbol))}
                    </p>
                }
            })
        })
    };
    let sample_note = move || {
        state.workspace.with(|w| w.is_sample).then(|| view! {
            <p class="sample-note">
                "Sample portfolio: made-up holdings of about $1,000,000 in 20 S&P 500 stocks. "
                "Sample prices: skfolio's sp500 dataset (load_sp500_dataset / load_sp500_index), Copyright (c) 2023-2026 The skfolio developers, BSD 3-Clause License. "
                "This dataset is provided solely for testing and example purposes; it is stale and does not reflect current or accurate market prices. "
                "Load your own files on the Data page."
            </p>
        })
    };
    view! {
        <section data-testid="page-overview" class="page" hidden=move || state.page.get() != Page::Overview>
            {sample_note}
            {window_line}
            <div class="cards">{cards}{cluster_card}</div>
            <AlertsPanel />
            <HeatPanel />
            <nav class="more" aria-label="Detailed pages">
                <button class="link" data-testid="goto-risk" on:click=move |_| state.page.set(Page::Risk)>
                    "Risk → VaR models side by side, decomposition, backtest"
                </button>
                <button class="link" data-testid="goto-drawdowns" on:click=move |_| state.page.set(Page::Drawdowns)>
                    "Drawdowns → episodes, time under water"
                </button>
                <button class="link" data-testid="goto-performance" on:click=move |_| state.page.set(Page::Performance)>
                    "Performance → every ratio, rolling figures, monthly table, contributions"
                </button>
                <button class="link" data-testid="goto-correlation" on:click=move |_| state.page.set(Page::Correlation)>
                    "Correlation → clustered heat map, clusters, diversification, breakdowns"
                </button>
                <button class="link" data-testid="goto-sizing" on:click=move |_| state.page.set(Page::Sizing)>
                    "Sizing → position size, pre-trade check, leverage, hedge, limits"
                </button>
            </nav>
            <p class="hint">"Losses (VaR, CVaR, drawdowns) are shown as positive percentages. Portfolio returns use today's weights held constant over the window."</p>
            <div class="chart-box">
                <div class="chart-head">
                    <h2>"Growth of 1 against the benchmark"</h2>
                    <label class="inline">
                        <input type="checkbox" data-testid="log-scale" prop:checked=move || log_scale.get()
                            on:change=move |ev| log_scale.set(event_target_checked(&ev)) />
                        " log scale"
                    </label>
                </div>
                <div class="canvas-wrap"><canvas data-testid="chart-equity" node_ref=equity_ref aria-label="Equity curve"></canvas></div>
                <PngDownload canvas=equity_ref id="chart-equity" what="the equity curve" />
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Underwater: drawdown from the running peak"</h2></div>
                <div class="canvas-wrap"><canvas data-testid="chart-underwater" node_ref=underwater_ref aria-label="Underwater chart"></canvas></div>
                <PngDownload canvas=underwater_ref id="chart-underwater" what="the underwater chart" />
            </div>
            {move || chart_error.get().map(|e| view! { <p class="chart-error">{e}</p> })}
        </section>
    }
}
