//! The Sizing page: the position size calculator (seven methods under the account's caps, with
//! the ATR's source said), the pre-trade check, leverage and margin, the hedge calculator and
//! the risk limits editor. Every figure comes from `ballast_core::trading` (see `sizing.rs`).

use crate::app::{AppState, Page};
use crate::downloads::TableDownloads;
use crate::format::{money, pct, pct_entry, trim};
use crate::hedge_panel::{HedgePanel, LeveragePanel};
use crate::inputs::NumField;
use crate::limits_editor::LimitsEditor;
use crate::pretrade_panel::PretradePanel;
use crate::sizing::{
    budgets_of, data_atr, held_or_first, run_calc, CalcOutcome, CalcSettings, Entry, METHODS,
    NEW_SYMBOL,
};
use ballast_core::trading::atr::AtrSource;
use ballast_core::trading::sizing::{SizingDetail, SizingResult};
use leptos::prelude::*;

/// Apply `change` to the calculator's form when it accepts the entry.
fn set_calc(
    state: AppState,
    change: impl FnOnce(&mut CalcSettings) -> Result<(), String>,
) -> Result<(), String> {
    let mut s = state.sizing.calc.get_untracked();
    change(&mut s)?;
    state.sizing.calc.set(s);
    Ok(())
}

/// `v` when positive, else the reason.
pub fn positive(what: &str, v: Option<f64>) -> Result<f64, String> {
    match v {
        Some(x) if x > 0.0 => Ok(x),
        Some(x) => Err(format!("{what} must be a positive number, not {}", trim(x))),
        None => Err(format!("{what} is needed")),
    }
}

/// `v` when zero or positive (blank: `None`).
pub fn non_negative(what: &str, v: Option<f64>) -> Result<Option<f64>, String> {
    match v {
        Some(x) if x < 0.0 => Err(format!("{what} cannot be negative ({})", trim(x))),
        v => Ok(v),
    }
}

fn source_text(s: AtrSource) -> (&'static str, &'static str) {
    match s {
        AtrSource::HighLowClose => (
            "high_low_close",
            "from high/low/close: max(H − L, |H − C_prev|, |L − C_prev|)",
        ),
        AtrSource::CloseToClose => (
            "close_to_close",
            "from closes only: |C − C_prev| (no High/Low columns in the file; smaller than a high/low/close ATR)",
        ),
    }
}

/// The symbol line: price and ATR with its source.
fn symbol_line(o: &CalcOutcome, is_new: bool) -> impl IntoView {
    let price = o
        .price
        .map(|p| format!("price {}", money(p)))
        .unwrap_or_else(|| "no price".into());
    let atr = match (&o.data_atr, o.atr_used) {
        (_, Some((v, true))) if is_new => view! {
            <span data-testid="atr-source" data-source="typed" data-value=format!("{v}")>{format!("ATR {} typed in", money(v))}</span>
        }.into_any(),
        (Some(Ok(a)), used) => {
            let (key, text) = source_text(a.source);
            let typed = used.filter(|u| u.1).map(|(v, _)| format!(" · using your ATR {} instead", money(v)));
            view! {
                <span data-testid="atr-source" data-source=key data-value=format!("{}", a.value)>
                    {format!("ATR({}) {} {text}, Wilder-smoothed, as of {} ({} ranges)", a.period, money(a.value), a.as_of, a.observations)}
                    {typed}
                </span>
            }.into_any()
        }
        (Some(Err(e)), _) => view! { <span data-testid="atr-source" data-source="none">{format!("no ATR: {e}")}</span> }.into_any(),
        _ => view! { <span data-testid="atr-source" data-source="none">"no ATR entered"</span> }.into_any(),
    };
    view! {
        <p class="hint symbol-line" data-testid="size-symbol-line">
            {format!("{}: {price} · ", if o.symbol.is_empty() { "new symbol" } else { o.symbol.as_str() })}{atr}
        </p>
    }
}

fn detail_line(r: &SizingResult) -> Option<String> {
    Some(match r.detail.as_ref()? {
        SizingDetail::Kelly { estimate, fraction, cap, weight } => format!(
            "Kelly: μ {:.4}% and σ² {:.6}% per period over {} returns → f* = {:.3}; × {} capped at {} → weight {}{}",
            estimate.mean * 100.0,
            estimate.variance * 100.0,
            estimate.observations,
            estimate.continuous,
            trim(*fraction),
            pct(*cap),
            pct(*weight),
            estimate
                .discrete
                .map(|d| format!(" (discrete win/loss Kelly {d:.3}, for information)"))
                .unwrap_or_default()
        ),
        SizingDetail::VarBudget { confidence, budget, var_before, var_after, observations } => format!(
            "Portfolio {}% VaR per period: {} before, {} after (budget {}), {} periods",
            trim(confidence * 100.0),
            money(*var_before),
            money(*var_after),
            money(*budget),
            observations
        ),
        SizingDetail::VolatilityTarget { current_vol, target_vol, scale, achieved_vol, gross_before, gross_after, .. } => format!(
            "Volatility {} → target {} (scale ×{:.3}); achieved {}; gross {} → {}",
            pct(*current_vol),
            pct(*target_vol),
            scale,
            pct(*achieved_vol),
            pct(*gross_before),
            pct(*gross_after)
        ),
    })
}

fn result_rows(results: &[SizingResult]) -> impl IntoView {
    results
        .iter()
        .map(|r| {
            let cell = |testid: &'static str, raw: f64, shown: String| {
                view! { <td class="num" data-testid=testid data-value=format!("{raw}")>{shown}</td> }
            };
            view! {
                <tr data-testid="size-row" data-symbol=r.symbol.clone()>
                    <th scope="row">{r.symbol.clone()}</th>
                    {cell("size-shares", r.shares, format!("{:.4}", r.shares).trim_end_matches('0').trim_end_matches('.').to_string())}
                    {cell("size-whole", r.whole_shares, format!("{:.0}", r.whole_shares))}
                    {cell("size-value", r.value, money(r.value))}
                    {cell("size-pct", r.pct_of_equity, pct(r.pct_of_equity))}
                    {cell("size-risk", r.risk_amount, money(r.risk_amount))}
                    {cell("size-risk-pct", r.risk_pct_of_equity, pct(r.risk_pct_of_equity))}
                    <td class="capped" data-testid="size-capped" data-value=r.capped_by.clone().unwrap_or_default()>
                        {r.capped_by.clone().map(|c| format!("{c} (rule: {})", trim(r.uncapped_shares))).unwrap_or_else(|| "—".into())}
                    </td>
                    <td class="notes">{r.notes.join("; ")}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The method's own fields.
fn method_fields(state: AppState) -> impl IntoView {
    let calc = state.sizing.calc;
    let num = move |testid: &'static str,
                    label: &'static str,
                    title: &'static str,
                    get: fn(&CalcSettings) -> String,
                    set: fn(&mut CalcSettings, Option<f64>) -> Result<(), String>,
                    blank_ok: bool| {
        view! {
            <label title=title>{label}" "
                <NumField testid=testid.into() label=label.to_string() blank_ok=blank_ok value=move || calc.with(get)
                    apply=move |v| set_calc(state, |s| set(s, v)) />
            </label>
        }
    };
    let period = move || {
        num(
            "size-atr-period",
            "ATR period",
            "Wilder's smoothing period (bars)",
            |s| s.atr_period.to_string(),
            |s, v| {
                let p = positive("the ATR period", v)?;
                if p.fract() != 0.0 || p > 1000.0 {
                    return Err(format!(
                        "the ATR period must be a whole number of bars up to 1000, not {}",
                        trim(p)
                    ));
                }
                s.atr_period = p as usize;
                Ok(())
            },
            false,
        )
    };
    let multiple = move || {
        num(
            "size-atr-multiple",
            "ATR multiple",
            "The stop is this many ATRs from the entry",
            |s| trim(s.atr_multiple),
            |s, v| {
                s.atr_multiple = positive("the ATR multiple", v)?;
                Ok(())
            },
            false,
        )
    };
    // The ATR field shows the data's ATR until one is typed; blank goes back to the data's.
    let atr_field = move || {
        view! {
            <label title="Average true range in $ per share: the data's (see below) unless you type one; blank: back to the data's">"ATR $/share "
                <NumField testid="size-atr".into() label="ATR".into() blank_ok=true
                    value=move || {
                        let s = calc.get();
                        s.atr
                            .or_else(|| {
                                state.computed.with(|c| {
                                    let c = c.as_ref()?;
                                    let sym = held_or_first(c, &s.symbol)?;
                                    data_atr(c, &sym, s.atr_period).ok().map(|a| a.value)
                                })
                            })
                            .map(|v| format!("{v:.4}"))
                            .unwrap_or_default()
                    }
                    apply=move |v| set_calc(state, |s| { s.atr = match v { None => None, v => Some(positive("the ATR", v)?) }; Ok(()) }) />
            </label>
        }
    };
    move || {
        let method = calc.with(|s| s.method.clone());
        let is_new = calc.with(|s| s.symbol == NEW_SYMBOL);
        match method.as_str() {
            "atr" => view! {
                {num("size-risk-amount", "Risk $", "Money lost if the stop (multiple × ATR away) is hit", |s| trim(s.risk_amount),
                    |s, v| { s.risk_amount = positive("the risk", v)?; Ok(()) }, false)}
                {multiple()}
                {(!is_new).then(|| view! {
                    {atr_field()}
                    {period()}
                })}
            }.into_any(),
            "fixed_fractional" => view! {
                {num("size-risk-pct", "Risk % of equity", "Share of equity lost if the stop is hit", |s| pct_entry(s.risk_pct),
                    |s, v| { let v = positive("the risk", v)?; if v > 100.0 { return Err("the risk cannot exceed 100% of equity".into()) } s.risk_pct = v / 100.0; Ok(()) }, false)}
                {num("size-stop-distance", "Stop distance $/share", "Entry − stop; blank: one ATR", |s| s.stop_distance.map(trim).unwrap_or_default(),
                    |s, v| { s.stop_distance = match v { None => None, v => Some(positive("the stop distance", v)?) }; Ok(()) }, true)}
                {(!is_new).then(period)}
            }.into_any(),
            "fixed_amount" => num("size-amount", "Amount $", "Money to invest", |s| trim(s.amount),
                |s, v| { s.amount = positive("the amount", v)?; Ok(()) }, false).into_any(),
            "kelly" => view! {
                {num("size-kelly-fraction", "Fraction of Kelly", "1 = full Kelly, 0.5 = half Kelly", |s| trim(s.kelly_fraction),
                    |s, v| { let v = positive("the fraction", v)?; if v > 1.0 { return Err("the fraction of Kelly is at most 1".into()) } s.kelly_fraction = v; Ok(()) }, false)}
                {num("size-kelly-cap", "Cap % of equity", "Largest weight the Kelly bet may take", |s| pct_entry(s.kelly_cap),
                    |s, v| { s.kelly_cap = positive("the cap", v)? / 100.0; Ok(()) }, false)}
            }.into_any(),
            "var_budget" => view! {
                {num("size-var-budget", "VaR budget $", "The portfolio's one-period historical VaR after the addition stays within this", |s| trim(s.var_budget),
                    |s, v| { s.var_budget = positive("the VaR budget", v)?; Ok(()) }, false)}
                {num("size-var-confidence", "Confidence %", "Of the historical VaR", |s| pct_entry(s.var_confidence),
                    |s, v| { let v = positive("the confidence", v)?; if !(50.0..100.0).contains(&v) { return Err("the confidence must be at least 50% and below 100%".into()) } s.var_confidence = v / 100.0; Ok(()) }, false)}
            }.into_any(),
            "vol_target" => num("size-target-vol", "Target volatility % a year", "Every position is scaled by target / current volatility", |s| pct_entry(s.target_vol),
                |s, v| { s.target_vol = positive("the target volatility", v)? / 100.0; Ok(()) }, false).into_any(),
            _ => view! {
                {num("size-total-risk", "Total risk $", "Money at risk across the budgeted positions", |s| trim(s.total_risk),
                    |s, v| { s.total_risk = positive("the total risk", v)?; Ok(()) }, false)}
                {multiple()}
                {period()}
                <details class="opt-table">
                    <summary>"Risk budgets (% of the total risk; blank: an equal share)"</summary>
                    <div class="asset-grid" data-testid="size-budgets">
                        {move || {
                            let syms = state.computed.with(|c| c.as_ref().map(|c| c.aligned.symbols.clone()).unwrap_or_default());
                            let shown_all = calc.with(|s| budgets_of(s, &syms));
                            syms.into_iter().map(|sym| {
                                let shown = crate::opt::lookup(&shown_all, &sym).map(pct_entry).unwrap_or_else(|| "0".into());
                                let key = sym.clone();
                                view! {
                                    <label class="asset-cell"><span class="sym">{sym.clone()}</span>
                                        <NumField testid=format!("size-budget-{sym}") label=format!("Risk budget of {sym}")
                                            value=move || shown.clone()
                                            apply=move |v| set_calc(state, |s| {
                                                let v = v.unwrap_or_default();
                                                if !(0.0..=100.0).contains(&v) { return Err(format!("a budget is between 0% and 100%, not {}%", trim(v))) }
                                                crate::opt::store(&mut s.budgets, &key, v / 100.0);
                                                Ok(())
                                            }) />
                                    </label>
                                }
                            }).collect_view()
                        }}
                    </div>
                </details>
            }.into_any(),
        }
    }
}

#[component]
fn Calculator() -> impl IntoView {
    let state = expect_context::<AppState>();
    let calc = state.sizing.calc;
    let outcome = Memo::new(move |_| {
        let s = calc.get();
        let rf = state.workspace.with(|w| w.params.risk_free_annual);
        state
            .computed
            .with(|c| c.as_ref().map(|c| run_calc(c, &s, rf)))
    });
    let symbols = move || {
        state.computed.with(|c| {
            c.as_ref()
                .map(|c| c.aligned.symbols.clone())
                .unwrap_or_default()
        })
    };
    let symbol_select = move || {
        let current = calc.with(|s| s.symbol.clone());
        let syms = symbols();
        let first = syms.first().cloned().unwrap_or_default();
        let opts = syms
            .into_iter()
            .map(|s| {
                let sel = s == current || (current.is_empty() && s == first);
                view! { <option value=s.clone() selected=sel>{s.clone()}</option> }
            })
            .collect_view();
        view! {
            <select data-testid="size-symbol" on:change=move |ev| {
                let v = event_target_value(&ev);
                calc.update(|s| { s.symbol = v; s.atr = None; });
            }>
                {opts}
                <option value=NEW_SYMBOL selected=current == NEW_SYMBOL>"New symbol…"</option>
            </select>
        }
    };
    let new_fields = move || {
        calc.with(|s| s.symbol == NEW_SYMBOL).then(|| view! {
            <label>"Symbol "
                <input type="text" class="sym-input" data-testid="size-new-symbol" autocomplete="off" spellcheck="false"
                    prop:value=move || calc.with(|s| s.new_symbol.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); calc.update(|s| s.new_symbol = v); } />
            </label>
            <label>"Price $ "
                <NumField testid="size-new-price".into() label="Price".into() blank_ok=true value=move || calc.with(|s| s.new_price.map(trim).unwrap_or_default())
                    apply=move |v| set_calc(state, |s| { s.new_price = match v { None => None, v => Some(positive("the price", v)?) }; Ok(()) }) />
            </label>
            <label title="Average true range in $ per share (from your charting tool)">"ATR $/share "
                <NumField testid="size-new-atr".into() label="ATR".into() blank_ok=true value=move || calc.with(|s| s.new_atr.map(trim).unwrap_or_default())
                    apply=move |v| set_calc(state, |s| { s.new_atr = match v { None => None, v => Some(positive("the ATR", v)?) }; Ok(()) }) />
            </label>
        })
    };
    let methods = METHODS
        .iter()
        .map(|(k, label)| {
            let k = *k;
            view! { <option value=k selected=move || calc.with(|s| s.method == k)>{*label}</option> }
        })
        .collect_view();
    let account = move || {
        view! {
            <label title="Net liquidation value; blank: the portfolio's net value">"Equity $ "
                <NumField testid="size-equity".into() label="Equity".into() blank_ok=true
                    value=move || { let net = outcome.with(|o| o.as_ref().map(|o| o.equity)); calc.with(|s| s.equity.or(net).map(|v| trim((v * 100.0).round() / 100.0)).unwrap_or_default()) }
                    apply=move |v| set_calc(state, |s| { s.equity = match v { None => None, v => Some(positive("the equity", v)?) }; Ok(()) }) />
            </label>
            <label title="Largest trade value as a % of equity; blank: no cap">"Max position % "
                <NumField testid="size-max-position".into() label="Maximum position".into() blank_ok=true
                    value=move || calc.with(|s| s.max_position_pct.map(pct_entry).unwrap_or_default())
                    apply=move |v| set_calc(state, |s| { s.max_position_pct = match v { None => None, v => Some(positive("the maximum position", v)? / 100.0) }; Ok(()) }) />
            </label>
            <label title="The most a purchase may cost; blank: no cap">"Buying power $ "
                <NumField testid="size-buying-power".into() label="Buying power".into() blank_ok=true
                    value=move || calc.with(|s| s.buying_power.map(trim).unwrap_or_default())
                    apply=move |v| set_calc(state, |s| { s.buying_power = non_negative("the buying power", v)?; Ok(()) }) />
            </label>
            <label title="A cash account: a purchase costs at most the cash (default: the portfolio's cash); blank: no cash cap">"Cash $ "
                <NumField testid="size-cash".into() label="Cash".into() blank_ok=true
                    value=move || outcome.with(|o| o.as_ref().and_then(|o| o.cash).map(trim).unwrap_or_default())
                    apply=move |v| set_calc(state, |s| { s.cash = Entry::from_typed(v); Ok(()) }) />
            </label>
        }
    };
    let line = move || {
        outcome.with(|o| {
            let o = o.as_ref()?;
            let is_new = calc.with_untracked(|s| s.symbol == NEW_SYMBOL);
            let portfolio_wide =
                calc.with_untracked(|s| matches!(s.method.as_str(), "vol_target" | "risk_budget"));
            (!portfolio_wide).then(|| symbol_line(o, is_new))
        })
    };
    let results = move || {
        outcome.with(|o| {
            let o = o.as_ref()?;
            Some(view! {
                {match &o.results {
                    Err(e) => view! { <p class="chart-error" data-testid="size-error">{e.clone()}</p> }.into_any(),
                    Ok(rs) => {
                        let details: Vec<String> = rs.iter().filter_map(detail_line).collect();
                        view! {
                            <div class="table-scroll">
                                <table class="size-table" data-testid="size-results">
                                    <thead><tr><th>"Symbol"</th><th class="num">"Shares"</th><th class="num">"Whole"</th><th class="num">"Value"</th>
                                        <th class="num">"% equity"</th><th class="num">"Risk"</th><th class="num">"Risk %"</th><th>"Binding cap"</th><th>"Notes"</th></tr></thead>
                                    <tbody>{result_rows(rs)}</tbody>
                                </table>
                            </div>
                            <TableDownloads table="size-results" what="the position sizes" />
                            {(!details.is_empty()).then(|| view! {
                                <ul class="stats" data-testid="size-detail">{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                            })}
                        }.into_any()
                    }
                }}
                <p class="hint">{format!("Equity {} · cash cap {} · shares are to buy (negative: sell); whole shares round toward zero; risk = money lost at the stop (the whole value without one).",
                    money(o.equity), o.cash.map(money).unwrap_or_else(|| "none".into()))}</p>
            })
        })
    };
    view! {
        <div class="panel" data-testid="sizing-calc">
            <h2>"Position size calculator"</h2>
            <div class="opt-row">
                <label>"Symbol " {symbol_select}</label>
                {new_fields}
                <label class="objective">"Method "
                    <select data-testid="size-method" on:change=move |ev| { let v = event_target_value(&ev); calc.update(|s| s.method = v); }>{methods}</select>
                </label>
            </div>
            {line}
            <div class="opt-row">{method_fields(state)}</div>
            <h3>"Account"</h3>
            <div class="opt-row">{account}</div>
            {results}
        </div>
    }
}

#[component]
pub fn SizingPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let header = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let a = &c.aligned;
                format!(
                    "{} positions · net value {} (cash {}) · prices as of {}",
                    a.symbols.len(),
                    money(a.total_value),
                    money(a.cash),
                    a.report.end
                )
            })
        })
    };
    view! {
        <section data-testid="page-sizing" class="page" hidden=move || state.page.get() != Page::Sizing>
            <p class="window" data-testid="sizing-header">{header}</p>
            <nav class="more" aria-label="Sections">
                <a class="link" href="#pretrade">"Pre-trade check"</a>
                <a class="link" href="#leverage">"Leverage & margin"</a>
                <a class="link" href="#hedge">"Hedge"</a>
                <a class="link" href="#limits">"Risk limits"</a>
            </nav>
            <Calculator />
            <PretradePanel />
            <LeveragePanel />
            <HedgePanel />
            <LimitsEditor />
        </section>
    }
}
