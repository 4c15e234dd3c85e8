//! Rebalance on the Optimise page: the trades from today's holdings to the target weights
//! (`ballast_core::optimize::rebalance`) with proportional and fixed costs, a minimum trade, a
//! drift band and whole shares; cash left, tracking gap, total cost and turnover; the
//! cost-benefit line (`optimize::cost_benefit`); and the trades as a CSV download (a Blob in
//! the tab, nothing is sent anywhere).

use crate::app::AppState;
use crate::downloads::{raw, TableDownloads};
use crate::format::{money, pct, pct_entry, trim};
use crate::inputs::NumField;
use crate::opt;
use crate::optimize_page::target;
use ballast_core::optimize::cost_benefit::{cost_benefit, CostBenefit};
use ballast_core::optimize::estimates;
use ballast_core::optimize::rebalance::{rebalance, trades_csv, RebalanceParams, RebalancePlan};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

/// Portfolio value assumed when the holdings give weights only (editable).
const DEFAULT_VALUE: f64 = 1_000_000.0;

thread_local! {
    /// The last download's object URL (revoked when replaced).
    static DOWNLOAD: RefCell<Option<gloo_file::ObjectUrl>> = const { RefCell::new(None) };
}

/// Today's shares and cash: the holdings' quantities (or market value / price), or, for
/// weight-only holdings, the weights at `value`.
fn holdings_in_money(state: AppState, value: f64) -> Option<(Vec<f64>, Vec<f64>, f64, bool)> {
    state.computed.with(|c| {
        let c = c.as_ref()?;
        let a = &c.aligned;
        let prices: Vec<f64> = a.positions.iter().map(|p| p.price).collect();
        match c.currency_value() {
            Some(_) => Some((
                a.positions
                    .iter()
                    .map(|p| p.quantity.unwrap_or(p.value / p.price))
                    .collect(),
                prices,
                a.cash,
                false,
            )),
            None => Some((
                a.positions
                    .iter()
                    .map(|p| p.weight * value / p.price)
                    .collect(),
                prices,
                a.cash_weight * value,
                true,
            )),
        }
    })
}

/// The plan and its cost-benefit for the current target.
fn compute(
    state: AppState,
    params: &RebalanceParams,
    value: f64,
) -> Option<Result<(RebalancePlan, CostBenefit, f64, bool), String>> {
    let t = target()?;
    let input = opt::current_spec(state)?;
    let (shares, prices, cash, assumed) = holdings_in_money(state, value)?;
    let symbols = state
        .computed
        .with(|c| c.as_ref().map(|c| c.aligned.symbols.clone()))?;
    let t0 = crate::io::now_ms();
    let plan = match rebalance(&symbols, &shares, &prices, cash, &t.weights, params) {
        Ok(p) => p,
        Err(e) => return Some(Err(e.to_string())),
    };
    let market = opt::market(state)?;
    let est = match estimates(&market, &input.spec) {
        Ok(e) => e,
        Err(e) => return Some(Err(e.to_string())),
    };
    let total: f64 = state
        .computed
        .with(|c| c.as_ref().map(|c| c.aligned.total_value))?;
    let total = if assumed { value } else { total };
    let cb = cost_benefit(
        &market,
        &est,
        input.spec.risk_free,
        input.spec.beta,
        &market.current,
        &plan.final_weights,
        plan.total_cost,
        total,
    );
    crate::io::record_ms("rebalanceMs", crate::io::now_ms() - t0);
    Some(Ok((plan, cb, total, assumed)))
}

/// Offer `csv` as a file download.
fn download(csv: &str, name: &str) -> Result<(), String> {
    let blob = gloo_file::Blob::new_with_options(csv, Some("text/csv;charset=utf-8"));
    let url = gloo_file::ObjectUrl::from(blob);
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a = doc.create_element("a").map_err(|e| format!("{e:?}"))?;
    a.set_attribute("href", &url)
        .map_err(|e| format!("{e:?}"))?;
    a.set_attribute("download", name)
        .map_err(|e| format!("{e:?}"))?;
    a.dyn_into::<web_sys::HtmlElement>()
        .map_err(|_| "not an element".to_string())?
        .click();
    DOWNLOAD.with(|d| *d.borrow_mut() = Some(url));
    Ok(())
}

#[component]
pub fn RebalancePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = state.opt.rebalance;
    let value = RwSignal::new(DEFAULT_VALUE);
    let result = Memo::new(move |_| {
        let p = params.get();
        compute(state, &p, value.get())
    });
    let set = move |change: &dyn Fn(&mut RebalanceParams)| {
        let mut p = params.get_untracked();
        change(&mut p);
        match p.validate() {
            Ok(()) => {
                params.set(p);
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    };
    let body = move || {
        result.with(|r| match r {
            None => view! { <p class="hint">"Rebalancing needs a target: optimise first."</p> }.into_any(),
            Some(Err(e)) => view! { <p class="chart-error" data-testid="rebalance-error">{format!("No rebalance: {e}.")}</p> }.into_any(),
            Some(Ok((plan, cb, total, assumed))) => {
                let rows = plan.trades.iter().map(|t| view! {
                    <tr data-testid="trade-row" data-symbol=t.symbol.clone() data-side=t.side.as_str() data-shares=format!("{}", t.shares)>
                        <th scope="row">{t.symbol.clone()}</th>
                        <td class=format!("side {}", t.side.as_str())>{t.side.as_str()}</td>
                        <td class="num" data-value=raw(t.shares)>{trim(t.shares)}</td>
                        <td class="num" data-value=raw(t.price)>{money(t.price)}</td>
                        <td class="num" data-value=raw(t.value)>{money(t.value)}</td>
                        <td class="num" data-value=raw(t.cost)>{money(t.cost)}</td>
                    </tr>
                }).collect_view();
                let empty = plan.trades.is_empty();
                let plan_csv = plan.clone();
                view! {
                    {assumed.then(|| view! { <p class="hint note">{format!("The holdings give weights only: trades are for a portfolio of {} (change it above).", money(*total))}</p> })}
                    <div class="table-scroll">
                        <table data-testid="trades-table">
                            <thead><tr><th>"Asset"</th><th>"Side"</th><th>"Shares"</th><th>"Price"</th><th>"Value"</th><th>"Cost"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <TableDownloads table="trades-table" what="the trades" />
                    {empty.then(|| view! { <p class="hint">"No trade: every position is within the band or below the minimum trade."</p> })}
                    <ul class="stats" data-testid="rebalance-summary" data-trades=plan.trades.len().to_string()
                        data-total-cost=format!("{}", plan.total_cost) data-cash=format!("{}", plan.final_cash)>
                        <li>{format!("{} trades · total cost {} · turnover {} (one-way, Σ|trade value| / 2V)", plan.trades.len(), money(plan.total_cost), pct(plan.turnover))}</li>
                        <li>{format!("Cash left {} (of a portfolio of {})", money(plan.final_cash), money(*total))}</li>
                        <li>{format!("Tracking gap to the target: {} root mean square, {} at most (final weights against target weights)", pct(plan.tracking_gap.rmse), pct(plan.tracking_gap.max_abs))}</li>
                        <li data-testid="cost-benefit">{format!("Before → after: {}", cb.summary)}</li>
                        {plan.skipped.iter().map(|s| view! { <li class="note">{s.clone()}</li> }).collect_view()}
                    </ul>
                    <button data-testid="trades-download" disabled=empty on:click=move |_| {
                        if let Err(e) = download(&trades_csv(&plan_csv), "ballast-trades.csv") {
                            state.fail(format!("The trades could not be downloaded: {e}"));
                        }
                    }>"Download trades CSV"</button>
                }.into_any()
            }
        })
    };
    let weights_only = move || {
        state
            .computed
            .with(|c| c.as_ref().is_some_and(|c| c.currency_value().is_none()))
    };
    view! {
        <div class="panel" data-testid="rebalance-panel">
            <h2>"Rebalance to the target"</h2>
            <p class="hint">{move || target().map(|t| format!("Target: {}.", t.label))}</p>
            <div class="opt-row">
                <label title="Proportional cost of each trade, in basis points of its value (1 bp = 0.01%)">"Cost (bp) "
                    <NumField testid="rb-cost-bps".into() value=move || params.with(|p| trim(p.cost_bps))
                        apply=move |v| set(&|p| p.cost_bps = v.unwrap_or_default()) />
                </label>
                <label title="Fixed fee for every executed trade, in the currency of the prices">"Fee per trade "
                    <NumField testid="rb-fixed-fee".into() value=move || params.with(|p| trim(p.fixed_fee))
                        apply=move |v| set(&|p| p.fixed_fee = v.unwrap_or_default()) />
                </label>
                <label title="Trades worth less than this are skipped">"Minimum trade "
                    <NumField testid="rb-min-trade".into() value=move || params.with(|p| trim(p.min_trade_value))
                        apply=move |v| set(&|p| p.min_trade_value = v.unwrap_or_default()) />
                </label>
                <label title="A position is traded only when its weight is off the target by more than this many percentage points">"Drift band (points) % "
                    <NumField testid="rb-drift-band".into() value=move || params.with(|p| pct_entry(p.drift_band))
                        apply=move |v| set(&|p| p.drift_band = v.unwrap_or_default() / 100.0) />
                </label>
                <label class="inline" title="Trade whole shares only (otherwise fractional shares)">
                    <input type="checkbox" data-testid="rb-whole-shares" prop:checked=move || params.with(|p| p.whole_shares)
                        on:change=move |ev| { let on = event_target_checked(&ev); params.update(|p| p.whole_shares = on); } />
                    " Whole shares"
                </label>
                {move || weights_only().then(|| view! {
                    <label title="The holdings give weights only: the portfolio's value in money">"Portfolio value "
                        <NumField testid="rb-value".into() value=move || trim(value.get())
                            apply=move |v| {
                                let v = v.unwrap_or_default();
                                if v > 0.0 && v < 1e15 { value.set(v); Ok(()) } else { Err(format!("the portfolio value must be positive, not {v}")) }
                            } />
                    </label>
                })}
            </div>
            {body}
            <p class="hint">"Sells first, then buys from the cash they free; each trade costs value × bp/10,000 + the fee, paid from cash. Whole shares are rounded so that the buys fit the cash. Before = today's weights, after = the weights the trades leave; VaR per period, historical."</p>
        </div>
    }
}
