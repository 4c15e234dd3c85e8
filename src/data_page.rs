//! Data page: drop zone, file picker, paste box, import options, the holdings table, the
//! alignment report and the loaded files with their import notes.

use crate::app::{AppState, Page};
use crate::downloads::{raw, raw_opt, TableDownloads};
use crate::format::{money, pct, qty};
use crate::io::{files_of, read_files};
use crate::workspace::{date_order_from, BenchmarkChoice, Role};
use ballast_core::pipeline::InputFile;
use ballast_core::prices::{PriceField, PriceLayout};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn load_list(state: AppState, list: web_sys::FileList, role: Role) {
    let list = files_of(&list);
    spawn_local(async move {
        match read_files(list).await {
            Ok(files) if files.is_empty() => {}
            Ok(files) => state.load_batch(files.into_iter().map(|f| (f, role)).collect()),
            Err(e) => state.fail(e),
        }
    });
}

#[component]
pub fn DataPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let upload_role = RwSignal::new(Role::Auto);
    let paste_text = RwSignal::new(String::new());
    let paste_role = RwSignal::new(Role::Auto);
    let dragging = RwSignal::new(false);

    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            load_list(state, list, upload_role.get_untracked());
        }
        // Reset so that picking the same file again reloads it (the files were taken out above).
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|dt| dt.files()) {
            load_list(state, list, upload_role.get_untracked());
        }
    };
    let on_paste = move |_| {
        let text = paste_text.get_untracked();
        if text.trim().is_empty() {
            state.fail(
                "The paste box is empty: paste CSV text (a header row, then data rows).".into(),
            );
            return;
        }
        state.load_batch(vec![(
            InputFile::new("pasted data", text.into_bytes()),
            paste_role.get_untracked(),
        )]);
    };
    let set_option = move |f: &dyn Fn(&mut crate::workspace::Workspace)| {
        let mut ws = state.workspace.get_untracked();
        f(&mut ws);
        state.apply(ws, vec![]);
    };

    let holdings_rows = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let a = &c.aligned;
                let currency = !c.loaded.holdings.as_ref().is_some_and(|h| h.positions.iter().all(|p| p.quantity.is_none() && p.market_value.is_none()));
                let rows = a
                    .positions
                    .iter()
                    .map(|p| {
                        view! {
                            <tr>
                                <td>{p.symbol.clone()}</td>
                                <td class="num" data-value=raw_opt(p.quantity)>{qty(p.quantity)}</td>
                                <td class="num" data-value=raw(p.price)>{money(p.price)}</td>
                                <td class="num" data-value=if currency { raw(p.value) } else { String::new() }>{if currency { money(p.value) } else { "—".into() }}</td>
                                <td class="num" data-value=raw(p.weight)>{pct(p.weight)}</td>
                                <td>{p.sector.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let cash = (a.cash_weight != 0.0).then(|| view! {
                    <tr class="cash">
                        <td>"Cash"</td><td class="num" data-value="">"—"</td><td class="num" data-value="">"—"</td>
                        <td class="num" data-value=if currency { raw(a.cash) } else { String::new() }>{if currency { money(a.cash) } else { "—".into() }}</td>
                        <td class="num" data-value=raw(a.cash_weight)>{pct(a.cash_weight)}</td><td>"Cash"</td>
                    </tr>
                });
                let total = currency.then(|| view! {
                    <tr class="total"><td>"Net value"</td><td></td><td></td><td class="num" data-value=raw(a.total_value)>{money(a.total_value)}</td><td class="num" data-value="1">"100.00%"</td><td></td></tr>
                });
                view! { {rows}{cash}{total} }
            })
        })
    };
    let report = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let r = &c.aligned.report;
                view! {
                    <p><strong>{format!("Window {} – {}", r.start, r.end)}</strong>
                        {format!(" · {} {} returns · {} periods per year (detected)", r.observations, r.frequency.label(), r.periods_per_year)}</p>
                    <ul>{r.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                }
            })
        })
    };
    let files = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let mut items: Vec<(String, String, Vec<String>)> = c
                    .loaded
                    .imports
                    .iter()
                    .map(|i| (i.file.clone(), format!("prices · {}", i.layout.label()), i.notes.clone()))
                    .collect();
                if let Some(h) = &c.loaded.holdings {
                    items.push((h.file.clone(), format!("holdings · {}", h.format), h.notes.clone()));
                }
                if let Some(b) = &c.loaded.benchmark {
                    items.push((b.source.clone(), format!("benchmark · {}", b.symbol), vec![]));
                }
                let batch = state.batch_notes.get();
                view! {
                    <ul class="files">
                        {items.into_iter().map(|(f, what, notes)| view! {
                            <li><strong>{f}</strong>{format!(" — {what}")}
                                <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ul>
                    <ul>{batch.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                }
            })
        })
    };

    view! {
        <section data-testid="page-data" class="page" hidden=move || state.page.get() != Page::Data>
            <div class="panel">
                <h2>"Load your data"</h2>
                <div data-testid="drop-zone" class="drop" class:over=move || dragging.get()
                    on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop>
                    <p>"Drop CSV files here — price history (wide, long, Yahoo exports, returns) and a holdings file (Fidelity, Schwab, IBKR, Vanguard or symbol,shares)."</p>
                    <label class="picker">
                        "or choose files "
                        <input type="file" data-testid="file-input" multiple accept=".csv,.tsv,.txt,text/csv" on:change=on_pick />
                    </label>
                    <label class="inline">
                        " as "
                        <select data-testid="upload-role" on:change=move |ev| upload_role.set(Role::from_value(&event_target_value(&ev)))>
                            <option value="auto">"detect"</option>
                            <option value="prices">"prices"</option>
                            <option value="holdings">"holdings"</option>
                            <option value="benchmark">"benchmark"</option>
                        </select>
                    </label>
                </div>
                <div class="paste">
                    <textarea data-testid="paste-box" rows="6" placeholder="…or paste CSV text here (date,AAPL,MSFT… or symbol,shares…)"
                        prop:value=move || paste_text.get()
                        on:input=move |ev| paste_text.set(event_target_value(&ev))></textarea>
                    <div class="row">
                        <select data-testid="paste-role" on:change=move |ev| paste_role.set(Role::from_value(&event_target_value(&ev)))>
                            <option value="auto">"detect what it is"</option>
                            <option value="prices">"prices"</option>
                            <option value="holdings">"holdings"</option>
                            <option value="benchmark">"benchmark"</option>
                        </select>
                        <button data-testid="paste-load" on:click=on_paste>"Load pasted data"</button>
                    </div>
                </div>
            </div>
            <div class="panel options">
                <h2>"Options"</h2>
                <label>"Layout "
                    <select data-testid="layout" on:change=move |ev| {
                        let layout = match event_target_value(&ev).as_str() {
                            "wide" => PriceLayout::Wide,
                            "long" => PriceLayout::Long,
                            "yahoo" => PriceLayout::Yahoo,
                            "returns" => PriceLayout::WideReturns,
                            _ => PriceLayout::Auto,
                        };
                        set_option(&|ws| ws.options.layout = layout);
                    }>
                        <option value="auto">"detect"</option>
                        <option value="wide">"wide prices"</option>
                        <option value="long">"long (date, symbol, close)"</option>
                        <option value="yahoo">"Yahoo Finance export"</option>
                        <option value="returns">"wide returns"</option>
                    </select>
                </label>
                <label>"Price column "
                    <select data-testid="price-field" on:change=move |ev| {
                        let field = if event_target_value(&ev) == "close" { PriceField::Close } else { PriceField::AdjClose };
                        set_option(&|ws| ws.options.field = field);
                    }>
                        <option value="adj">"Adj Close"</option>
                        <option value="close">"Close"</option>
                    </select>
                </label>
                <label>"Dates "
                    <select data-testid="date-order" on:change=move |ev| {
                        let order = date_order_from(&event_target_value(&ev)).unwrap_or_default();
                        set_option(&|ws| ws.options.date_order = order);
                    }>
                        <option value="auto">"detect day/month order"</option>
                        <option value="dmy">"day/month/year"</option>
                        <option value="mdy">"month/day/year"</option>
                    </select>
                </label>
                <label>"Benchmark "
                    <select data-testid="benchmark-choice"
                        prop:value=move || state.workspace.with(|w| w.benchmark_choice.value())
                        on:change=move |ev| {
                            let choice = BenchmarkChoice::from_value(&event_target_value(&ev));
                            set_option(&|ws| ws.benchmark_choice = choice.clone());
                        }>
                        {move || {
                            let file = state.computed.with(|c| {
                                c.as_ref().and_then(|c| c.loaded.benchmark.as_ref().filter(|_| state.workspace.with(|w| w.benchmark_choice == BenchmarkChoice::File)).map(|b| b.symbol.clone()))
                            });
                            let file_label = state.workspace.with(|w| w.benchmark.as_ref().map(|f| f.name.clone()));
                            // Loaded price series, plus the one currently taken out as the benchmark.
                            let symbols: Vec<String> = state.computed.with(|c| {
                                c.as_ref().map_or_else(Vec::new, |c| {
                                    let mut v = c.loaded.prices.symbols();
                                    if let (Some(b), BenchmarkChoice::Symbol(_)) = (&c.loaded.benchmark, state.workspace.with(|w| w.benchmark_choice.clone())) {
                                        v.push(b.symbol.clone());
                                    }
                                    v
                                })
                            });
                            let selected = state.workspace.with_untracked(|w| w.benchmark_choice.value());
                            view! {
                                {file_label.map(|name| view! { <option value="file" selected=selected == "file">{format!("benchmark file: {}", file.unwrap_or(name))}</option> })}
                                <option value="none" selected=selected == "none">"none"</option>
                                {symbols.into_iter().map(|s| {
                                    let v = format!("sym:{s}");
                                    let sel = selected == v;
                                    view! { <option value=v selected=sel>{format!("{s} (a loaded price series)")}</option> }
                                }).collect_view()}
                            }
                        }}
                    </select>
                </label>
                <label>"Risk-free rate (annual %) "
                    <input type="number" step="0.1" data-testid="risk-free"
                        prop:value=move || format!("{}", state.workspace.with(|w| w.params.risk_free_annual) * 100.0)
                        on:change=move |ev| {
                            match event_target_value(&ev).trim().replace(',', ".").parse::<f64>() {
                                Ok(v) if v.is_finite() && v > -100.0 => set_option(&|ws| ws.params.risk_free_annual = v / 100.0),
                                _ => state.fail(format!("Risk-free rate: expected a number of percent, found \"{}\"", event_target_value(&ev))),
                            }
                        } />
                </label>
            </div>
            <div class="panel">
                <h2>"Holdings"</h2>
                <div class="table-scroll">
                    <table data-testid="holdings-table">
                        <thead><tr><th>"Symbol"</th><th>"Quantity"</th><th>"Price"</th><th>"Value"</th><th>"Weight"</th><th>"Sector"</th></tr></thead>
                        <tbody>{holdings_rows}</tbody>
                    </table>
                </div>
                <TableDownloads table="holdings-table" what="the holdings" />
                <p class="hint">"Valued at the last price of the window; weights are fractions of net value (cash included); shorts are negative."</p>
            </div>
            <div class="panel" data-testid="alignment-report">
                <h2>"Analysis window"</h2>
                {report}
            </div>
            <div class="panel">
                <h2>"Loaded files"</h2>
                {files}
            </div>
        </section>
    }
}
