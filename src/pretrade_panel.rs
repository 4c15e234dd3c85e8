//! The pre-trade check on the Sizing page: "Buy/Sell N of SYMBOL at PRICE (optional stop or
//! ATR)" against the risk limits and the buying power (`trading::pretrade::check`), with the
//! verdict, every reason, the largest size that passes, and the portfolio before and after.

use crate::app::AppState;
use crate::downloads::{raw, TableDownloads};
use crate::format::{money, pct, trim};
use crate::inputs::NumField;
use crate::risk_panels::{alert_item, goto_limits, severity_key};
use crate::sizing::{held_or_first, last_price, run_check, TradeSettings};
use crate::sizing_page::{non_negative, positive};
use ballast_core::trading::pretrade::{PortfolioView, PreTradeCheck, ReasonKind, Side};
use leptos::prelude::*;

fn set_trade(
    state: AppState,
    change: impl FnOnce(&mut TradeSettings) -> Result<(), String>,
) -> Result<(), String> {
    let mut s = state.sizing.trade.get_untracked();
    change(&mut s)?;
    state.sizing.trade.set(s);
    Ok(())
}

fn reason_key(k: ReasonKind) -> &'static str {
    match k {
        ReasonKind::Halted => "halted",
        ReasonKind::Position => "position",
        ReasonKind::Sector => "sector",
        ReasonKind::Cluster => "cluster",
        ReasonKind::Var => "var",
        ReasonKind::Leverage => "leverage",
        ReasonKind::BuyingPower => "buying_power",
    }
}

fn weight_of(v: &PortfolioView, symbol: &str) -> f64 {
    v.weights
        .iter()
        .find(|(s, _)| s == symbol)
        .map_or(0.0, |(_, w)| *w)
}

fn cluster_text(v: &PortfolioView) -> String {
    match &v.largest_cluster {
        Some((m, w)) => format!("{} ({})", pct(*w), m.join(", ")),
        None => "none".into(),
    }
}

fn alerts_text(v: &PortfolioView) -> String {
    if v.alerts.is_empty() {
        return "none".into();
    }
    let top = v.alerts.iter().map(|a| a.severity).max();
    format!(
        "{} (highest: {})",
        v.alerts.len(),
        top.map(severity_key).unwrap_or_default()
    )
}

/// The before/after table.
fn compare(ck: &PreTradeCheck, symbol: &str) -> impl IntoView {
    let (b, a) = (&ck.before, &ck.after);
    type Row = (&'static str, String, String, String, f64, f64);
    let rows: Vec<Row> = vec![
        (
            "weight",
            format!("Weight of {symbol}"),
            pct(weight_of(b, symbol)),
            pct(weight_of(a, symbol)),
            weight_of(b, symbol),
            weight_of(a, symbol),
        ),
        (
            "volatility",
            "Volatility (annualised)".into(),
            pct(b.volatility),
            pct(a.volatility),
            b.volatility,
            a.volatility,
        ),
        (
            "var",
            "1-day 95% VaR (historical)".into(),
            pct(b.var_1d),
            pct(a.var_1d),
            b.var_1d,
            a.var_1d,
        ),
        (
            "var_money",
            "1-day 95% VaR in money".into(),
            money(b.var_1d_money),
            money(a.var_1d_money),
            b.var_1d_money,
            a.var_1d_money,
        ),
        (
            "cluster",
            "Largest correlated cluster".into(),
            cluster_text(b),
            cluster_text(a),
            b.largest_cluster.as_ref().map_or(0.0, |c| c.1),
            a.largest_cluster.as_ref().map_or(0.0, |c| c.1),
        ),
        (
            "gross_leverage",
            "Gross leverage".into(),
            format!("{:.2}×", b.gross_leverage),
            format!("{:.2}×", a.gross_leverage),
            b.gross_leverage,
            a.gross_leverage,
        ),
        (
            "equity",
            "Net value".into(),
            money(b.equity),
            money(a.equity),
            b.equity,
            a.equity,
        ),
        (
            "cash",
            "Cash".into(),
            money(b.cash),
            money(a.cash),
            b.cash,
            a.cash,
        ),
        (
            "alerts",
            "Limit alerts".into(),
            alerts_text(b),
            alerts_text(a),
            b.alerts.len() as f64,
            a.alerts.len() as f64,
        ),
    ];
    view! {
        <div class="table-scroll">
            <table class="fig-table wrap-table" data-testid="pt-compare">
                <thead><tr><th><span class="sr-only">"Figure"</span></th><th class="num">"Before"</th><th class="num">"After"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(key, label, bs, as_, bv, av)| {
                        // The cluster and alert rows say more in words than their number.
                        let numeric = !matches!(key, "cluster" | "alerts");
                        view! {
                        <tr data-testid=format!("pt-{key}") data-before=format!("{bv}") data-after=format!("{av}")>
                            <th scope="row">{label}</th>
                            <td class="num" data-value=numeric.then(|| raw(bv))>{bs}</td>
                            <td class="num val" data-value=numeric.then(|| raw(av))>{as_}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
        <TableDownloads table="pt-compare" what="the portfolio before and after the trade" />
    }
}

#[component]
pub fn PretradePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let trade = state.sizing.trade;
    let result = Memo::new(move |_| run_check(state));
    let symbol = move || {
        let t = trade.with(|t| t.symbol.clone());
        state
            .computed
            .with(|c| c.as_ref().and_then(|c| held_or_first(c, &t)))
            .unwrap_or_default()
    };
    let last = move || {
        let s = symbol();
        state
            .computed
            .with(|c| c.as_ref().and_then(|c| last_price(c, &s)))
    };
    let symbol_select = move || {
        let current = symbol();
        let syms = state.computed.with(|c| {
            c.as_ref()
                .map(|c| c.aligned.symbols.clone())
                .unwrap_or_default()
        });
        let opts = syms
            .into_iter()
            .map(|s| {
                let sel = s == current;
                view! { <option value=s.clone() selected=sel>{s.clone()}</option> }
            })
            .collect_view();
        view! {
            <select data-testid="pt-symbol" on:change=move |ev| {
                let v = event_target_value(&ev);
                trade.update(|t| { t.symbol = v; t.price = None; });
            }>{opts}</select>
        }
    };
    let verdict = move || {
        result.with(|r| {
            let r = r.as_ref()?;
            Some(match r {
                Err(e) => view! { <p class="chart-error" data-testid="pt-error">{e.clone()}</p> }.into_any(),
                Ok(ck) => {
                    let sym = symbol();
                    let approved = ck.approved;
                    let suggested = ck.suggested_quantity;
                    view! {
                        <div class="verdict" class:approved=approved class:rejected=!approved data-testid="pt-verdict" data-approved=approved.to_string()>
                            {if approved { "APPROVED" } else { "REJECTED" }}
                        </div>
                        {(!ck.reasons.is_empty()).then(|| view! {
                            <ul class="reasons" data-testid="pt-reasons">
                                {ck.reasons.iter().map(|r| view! {
                                    <li data-testid="pt-reason" data-kind=reason_key(r.kind)>{r.message.clone()}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        {(!approved).then(|| match suggested {
                            Some(q) => view! {
                                <p class="suggested" data-testid="pt-suggested" data-value=format!("{q}")>
                                    {format!("Largest size that passes every check: {} ", trim(q))}
                                    <button class="primary" data-testid="pt-use-suggested"
                                        on:click=move |_| trade.update(|t| t.quantity = q)>{format!("Use {}", trim(q))}</button>
                                </p>
                            }.into_any(),
                            None => view! { <p class="suggested" data-testid="pt-suggested" data-value="">"No size of this trade passes (not even one share)."</p> }.into_any(),
                        })}
                        {ck.stop_risk.as_ref().map(|s| view! {
                            <p class="hint" data-testid="pt-stop-risk" data-value=format!("{}", s.money)>
                                {format!("If the stop at {} is hit ({} a share{}): {} lost, {} of the net value.",
                                    money(s.stop), money(s.per_share), if s.from_atr { ", 2 ATRs from the price" } else { "" }, money(s.money), pct(s.fraction_of_equity))}
                            </p>
                        })}
                        {compare(ck, &sym)}
                        {(!ck.after.alerts.is_empty()).then(|| view! {
                            <h3>"Alerts after the trade"</h3>
                            <ul class="alerts" data-testid="pt-alerts-after">
                                {ck.after.alerts.iter().map(|a| alert_item(a, "pt-alert-after")).collect_view()}
                            </ul>
                        })}
                        {(!ck.notes.is_empty()).then(|| view! {
                            <ul class="stats">{ck.notes.iter().map(|n| view! { <li class="note">{n.clone()}</li> }).collect_view()}</ul>
                        })}
                    }.into_any()
                }
            })
        })
    };
    view! {
        <div class="panel" id="pretrade" data-testid="pretrade">
            <div class="chart-head">
                <h2>"Pre-trade check"</h2>
                <button class="link small" on:click=move |_| goto_limits(state)>"Limits ↓"</button>
            </div>
            <div class="opt-row trade-form">
                <select data-testid="pt-side" aria-label="Side" on:change=move |ev| {
                    let side = if event_target_value(&ev) == "sell" { Side::Sell } else { Side::Buy };
                    trade.update(|t| t.side = side);
                }>
                    <option value="buy" selected=move || trade.with(|t| t.side == Side::Buy)>"Buy"</option>
                    <option value="sell" selected=move || trade.with(|t| t.side == Side::Sell)>"Sell"</option>
                </select>
                <NumField testid="pt-quantity".into() label="Quantity".into() value=move || trade.with(|t| trim(t.quantity))
                    apply=move |v| set_trade(state, |t| { t.quantity = positive("the quantity", v)?; Ok(()) }) />
                <span>"of"</span>
                {symbol_select}
                <span>"at"</span>
                <NumField testid="pt-price".into() label="Price".into() blank_ok=true
                    value=move || trade.with(|t| t.price).or_else(last).map(trim).unwrap_or_default()
                    apply=move |v| set_trade(state, |t| { t.price = match v { None => None, v => Some(positive("the price", v)?) }; Ok(()) }) />
                <label title="Stop price (below the price for a buy, above for a sell); blank: none">"stop "
                    <NumField testid="pt-stop".into() label="Stop".into() blank_ok=true placeholder="none"
                        value=move || trade.with(|t| t.stop.map(trim).unwrap_or_default())
                        apply=move |v| set_trade(state, |t| { t.stop = non_negative("the stop", v)?; Ok(()) }) />
                </label>
                <label title="Without a stop: the stop is placed 2 ATRs from the price">"or ATR "
                    <NumField testid="pt-atr".into() label="ATR".into() blank_ok=true placeholder="none"
                        value=move || trade.with(|t| t.atr.map(trim).unwrap_or_default())
                        apply=move |v| set_trade(state, |t| { t.atr = match v { None => None, v => Some(positive("the ATR", v)?) }; Ok(()) }) />
                </label>
                <label title="Money available for buys; blank: the portfolio's cash">"buying power "
                    <NumField testid="pt-buying-power".into() label="Buying power".into() blank_ok=true placeholder="the cash"
                        value=move || trade.with(|t| t.buying_power.map(trim).unwrap_or_default())
                        apply=move |v| set_trade(state, |t| { t.buying_power = non_negative("the buying power", v)?; Ok(()) }) />
                </label>
            </div>
            <p class="hint">"Price blank: the last price. Rejected when the trade takes its position, sector or a correlated cluster to the critical level, the VaR or gross leverage to its limit, costs more than the buying power, or trading is halted by the drawdown (then only reducing trades pass)."</p>
            {verdict}
        </div>
    }
}
