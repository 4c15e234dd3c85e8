//! Drawdowns page: the drawdown figures, the underwater chart and the table of the deepest
//! episodes.

use crate::app::{AppState, Page};
use crate::canvas::{draw_underwater, ChartCanvas};
use crate::downloads::{raw, TableDownloads};
use crate::format::pct;
use crate::tables::figure_table;
use ballast_core::figures::suite_figures;
use leptos::prelude::*;

#[component]
pub fn DrawdownsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let figures = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let bench = c.aligned.benchmark.as_ref().map(|b| b.symbol.as_str());
                suite_figures(&c.analysis, &c.aligned)
                    .iter()
                    .filter(|g| g.id == "drawdowns")
                    .map(|g| figure_table(g, bench))
                    .collect_view()
            })
        })
    };
    let episodes = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                c.analysis
                    .top_episodes
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let open = e.recovery.is_none();
                        view! {
                            <tr data-testid="episode-row" data-depth=format!("{}", e.depth) class:open=open>
                                <td class="num">{i + 1}</td>
                                <td class="num loss" data-value=raw(e.depth)>{pct(e.depth)}</td>
                                <td>{e.peak.to_string()}</td>
                                <td>{e.trough.to_string()}</td>
                                <td data-value=e.recovery.map(|d| d.to_string()).unwrap_or_default()>{e.recovery.map_or("not yet".to_string(), |d| d.to_string())}</td>
                                <td class="num">{e.trading_days}</td>
                                <td class="num">{e.calendar_days}</td>
                                <td class="num">{e.days_underwater}</td>
                                <td>{if open { "still open" } else { "" }}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <section data-testid="page-drawdowns" class="page" hidden=move || state.page.get() != Page::Drawdowns>
            <div class="chart-box">
                <div class="chart-head"><h2>"Underwater: drawdown from the running peak"</h2></div>
                <ChartCanvas page=Page::Drawdowns testid="chart-drawdowns-underwater" label="Underwater chart"
                    draw=move |canvas| state.computed.with(|c| match c {
                        Some(c) => draw_underwater(canvas, &c.analysis.series),
                        None => Ok(()),
                    }) />
            </div>
            <div class="panel">
                <div class="chart-head">
                    <h2>"Deepest drawdown episodes"</h2>
                    <label class="inline">"Show "
                        <select data-testid="top-episodes"
                            prop:value=move || state.workspace.with(|w| w.params.top_episodes.to_string())
                            on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                    state.set_params(move |p| p.top_episodes = n);
                                }
                            }>
                            <option value="5">"5"</option>
                            <option value="10">"10"</option>
                            <option value="20">"20"</option>
                            <option value="50">"50"</option>
                        </select>
                    </label>
                </div>
                <div class="table-scroll">
                    <table data-testid="episodes-table">
                        <thead><tr>
                            <th>"#"</th><th>"Depth"</th><th title="last date at the high before the fall">"Peak"</th><th>"Trough"</th>
                            <th title="first date back at the high">"Recovery"</th>
                            <th title="return observations from the peak to the recovery (or the last date)">"Length (trading days)"</th>
                            <th title="calendar days from the peak to the recovery (or the last date)">"Length (calendar days)"</th>
                            <th>"Days under water"</th><th><span class="sr-only">"Status"</span></th>
                        </tr></thead>
                        <tbody>{episodes}</tbody>
                    </table>
                </div>
                <TableDownloads table="episodes-table" what="the drawdown episodes" />
                <p class="hint">"An episode runs from the last high to the first date back at that high; a value within 1e-12 of the high counts as at the high, so rounding cannot split an episode. Depths are falls of compounded wealth from the peak."</p>
            </div>
            {figures}
        </section>
    }
}
