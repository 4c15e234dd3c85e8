//! Leverage and margin (`trading::exposure`) and the hedge calculator (`trading::hedge`: the
//! beta hedge against the benchmark and the minimum-variance hedge with an instrument from the
//! data) on the Sizing page.

use crate::app::AppState;
use crate::downloads::TableDownloads;
use crate::format::{money, pct, pct_entry, trim};
use crate::inputs::NumField;
use crate::sizing::{benchmark_price, hedge_instrument, run_exposure, run_hedges, Entry};
use crate::sizing_page::positive;
use ballast_core::trading::hedge::Hedge;
use leptos::prelude::*;

#[component]
pub fn LeveragePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let m = state.sizing.maintenance;
    let result = Memo::new(move |_| run_exposure(state));
    let body = move || {
        result.with(|r| {
            Some(match r.as_ref()? {
                Err(e) => view! { <p class="chart-error" data-testid="exp-error">{e.clone()}</p> }.into_any(),
                Ok(x) => {
                    let opt_pct = |v: Option<f64>| v.map(pct).unwrap_or_else(|| "none".into());
                    let rows: Vec<(&str, &str, String, f64, &str)> = vec![
                        ("long", "Long", money(x.long), x.long, "Σ of long values"),
                        ("short", "Short", money(x.short), x.short, "Σ |short values|"),
                        ("gross", "Gross exposure", money(x.gross), x.gross, "long + short"),
                        ("net", "Net exposure", money(x.net), x.net, "long − short"),
                        ("cash", "Cash", money(x.cash), x.cash, "negative: borrowed"),
                        ("equity", "Net value (equity)", money(x.equity), x.equity, "net exposure + cash"),
                        ("gross_leverage", "Gross leverage", format!("{:.2}×", x.gross_leverage), x.gross_leverage, "gross / equity"),
                        ("net_leverage", "Net leverage", format!("{:.2}×", x.net_leverage), x.net_leverage, "net / equity"),
                        ("requirement", "Margin requirement", money(x.margin_requirement), x.margin_requirement, "maintenance rate × gross"),
                        ("margin_use", "Margin use", pct(x.margin_use), x.margin_use, "requirement / equity"),
                        ("excess", "Excess margin", money(x.excess_margin), x.excess_margin, "equity − requirement"),
                        ("call_fall", "Fall that triggers a margin call", opt_pct(x.margin_call_fall), x.margin_call_fall.unwrap_or(f64::NAN),
                            "every price falling by x: (E − m·G)/(N − m·G); none without borrowed money"),
                        ("call_rise", "Rise that triggers a margin call", opt_pct(x.margin_call_rise), x.margin_call_rise.unwrap_or(f64::NAN),
                            "every price rising by y (a short book's risk)"),
                    ];
                    view! {
                        <div class="table-scroll">
                            <table class="fig-table wrap-table" data-testid="exposure-table">
                                <thead class="sr-only"><tr><th>"Figure"</th><th>"Value"</th><th>"Convention"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|(k, label, shown, raw, conv)| view! {
                                        <tr data-testid=format!("exp-{k}") data-value=format!("{raw}")>
                                            <th scope="row">{label}</th><td class="num val" data-value=crate::downloads::raw(raw)>{shown}</td><td class="conv">{conv}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <TableDownloads table="exposure-table" what="the leverage and margin figures" />
                        <ul class="stats">{x.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                    }.into_any()
                }
            })
        })
    };
    view! {
        <div class="panel" id="leverage" data-testid="leverage">
            <h2>"Leverage and margin"</h2>
            <div class="opt-row">
                <label title="One maintenance rate on every position's absolute value (Reg T: 25% for longs)">"Maintenance margin % "
                    <NumField testid="margin-maintenance".into() label="Maintenance margin".into() value=move || pct_entry(m.get())
                        apply=move |v| {
                            let v = v.unwrap_or_default();
                            if !(0.0..=100.0).contains(&v) { return Err(format!("the maintenance margin is between 0% and 100%, not {}%", trim(v))) }
                            m.set(v / 100.0);
                            Ok(())
                        } />
                </label>
            </div>
            {body}
        </div>
    }
}

fn hedge_rows(
    beta: Option<&Result<Hedge, String>>,
    mv: Option<&Result<Hedge, String>>,
) -> impl IntoView {
    let cols: Vec<(&str, Option<&Result<Hedge, String>>)> = vec![("beta", beta), ("mv", mv)];
    type Get = fn(&Hedge) -> (String, f64);
    let rows: Vec<(&str, &str, Get)> = vec![
        ("ratio", "Hedge ratio h", |h| {
            (format!("{:.4}", h.ratio), h.ratio)
        }),
        ("notional", "Notional (negative: short)", |h| {
            (money(h.notional), h.notional)
        }),
        ("units", "Units (negative: sell short)", |h| {
            (format!("{:.2}", h.units).replace('-', "−"), h.units)
        }),
        ("price", "Price per unit", |h| {
            (money(h.hedge_price), h.hedge_price)
        }),
        ("vol_before", "Volatility before", |h| {
            (pct(h.vol_before), h.vol_before)
        }),
        ("vol_after", "Volatility after", |h| {
            (pct(h.vol_after), h.vol_after)
        }),
        ("var_before", "1-day 95% VaR before", |h| {
            (
                format!("{} ({})", pct(h.var_before), money(h.var_before_amount)),
                h.var_before,
            )
        }),
        ("var_after", "1-day 95% VaR after", |h| {
            (
                format!("{} ({})", pct(h.var_after), money(h.var_after_amount)),
                h.var_after,
            )
        }),
        ("variance_reduction", "Variance reduction", |h| {
            (pct(h.variance_reduction), h.variance_reduction)
        }),
        ("correlation", "Correlation with the portfolio", |h| {
            (format!("{:.3}", h.correlation), h.correlation)
        }),
    ];
    let head = cols
        .iter()
        .map(|(_, r)| {
            let t = match r {
                Some(Ok(h)) => h.method_label.clone(),
                Some(Err(_)) => "—".into(),
                None => "no benchmark loaded".into(),
            };
            view! { <th class="num">{t}</th> }
        })
        .collect_view();
    let errors = cols
        .iter()
        .filter_map(|(k, r)| match r {
            Some(Err(e)) => Some(view! { <p class="chart-error" data-testid=format!("hedge-{k}-error")>{e.clone()}</p> }),
            _ => None,
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|(key, label, get)| {
            let cells = cols
                .iter()
                .map(|(k, r)| match r {
                    Some(Ok(h)) => {
                        let (shown, raw) = get(h);
                        view! { <td class="num" data-which=*k data-value=format!("{raw}")>{shown}</td> }.into_any()
                    }
                    _ => view! { <td class="num" data-which=*k>"—"</td> }.into_any(),
                })
                .collect_view();
            view! { <tr data-testid=format!("hedge-{key}")><th scope="row">{label}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        {errors}
        <div class="table-scroll">
            <table class="fig-table wrap-table" data-testid="hedge-table">
                <thead><tr><th><span class="sr-only">"Figure"</span></th>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <TableDownloads table="hedge-table" what="the hedges" />
    }
}

#[component]
pub fn HedgePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let h = state.sizing.hedge;
    let result = Memo::new(move |_| run_hedges(state));
    let instrument_select = move || {
        let (bench, syms, current) = state.computed.with(|c| match c.as_ref() {
            Some(c) => (
                c.aligned.benchmark.as_ref().map(|b| b.symbol.clone()),
                c.aligned.symbols.clone(),
                h.with(|h| hedge_instrument(c, h)).unwrap_or_default(),
            ),
            None => (None, Vec::new(), String::new()),
        });
        let opts = bench
            .into_iter()
            .map(|b| (b.clone(), format!("{b} (benchmark)")))
            .chain(syms.into_iter().map(|s| (s.clone(), s)))
            .map(|(v, label)| {
                let sel = v == current;
                view! { <option value=v selected=sel>{label}</option> }
            })
            .collect_view();
        view! {
            <select data-testid="hedge-instrument" on:change=move |ev| {
                let v = event_target_value(&ev);
                h.update(|s| { s.instrument = v; s.mv_price = None; });
            }>{opts}</select>
        }
    };
    let bench_price = move || {
        state
            .computed
            .with(|c| c.as_ref().and_then(benchmark_price))
    };
    let body = move || result.with(|(b, m)| hedge_rows(b.as_ref(), m.as_ref()));
    view! {
        <div class="panel" id="hedge" data-testid="hedge">
            <h2>"Hedge calculator"</h2>
            <div class="opt-row">
                <label title="Price of one unit of the benchmark (default: its last price in the file); blank: units are $ of notional">"Benchmark price "
                    <NumField testid="hedge-beta-price".into() label="Benchmark price".into() blank_ok=true placeholder="$ units"
                        value=move || h.with(|s| s.beta_price).resolve(bench_price()).map(trim).unwrap_or_default()
                        apply=move |v| {
                            let e = match v { None => Entry::Blank, v => Entry::Value(positive("the price", v)?) };
                            h.update(|s| s.beta_price = e);
                            Ok(())
                        } />
                </label>
                <label>"Minimum-variance hedge with " {instrument_select}</label>
                <label title="Price of one unit of the instrument; blank: its last price (the benchmark's: units in $)">"price "
                    <NumField testid="hedge-mv-price".into() label="Instrument price".into() blank_ok=true placeholder="last"
                        value=move || h.with(|s| s.mv_price.map(trim).unwrap_or_default())
                        apply=move |v| {
                            let p = match v { None => None, v => Some(positive("the price", v)?) };
                            h.update(|s| s.mv_price = p);
                            Ok(())
                        } />
                </label>
            </div>
            {body}
            <p class="hint">"h = Cov(r_p, r_h) / Var(r_h) over the window (against the benchmark: the portfolio's beta); the hedge sells h × net value of the instrument as a zero-cost overlay held at today's notional; variance reduction = 1 − Var(hedged)/Var(unhedged) (ρ² at the minimum-variance ratio); VaR 1-day 95% historical."</p>
        </div>
    }
}
