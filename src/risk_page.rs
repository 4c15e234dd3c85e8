//! Risk page: VaR and CVaR models side by side (percent and currency), the Monte Carlo run,
//! the return distribution with the VaR lines, the decomposition per position and sector, and
//! the VaR backtest.

use crate::app::{AppState, Page};
use crate::canvas::{draw_on, ChartCanvas};
use crate::downloads::{raw, raw_opt, TableDownloads};
use crate::format::{money, pct};
use crate::mc;
use ballast_charts::{
    bar_chart, bar_chart_height, histogram, var_backtest, BacktestChart, BarChart, HistogramChart,
};
use ballast_core::decomposition::RiskLine;
use ballast_core::figures::confidence_suffix;
use ballast_core::var_models::{VarEstimate, VarModel};
use leptos::prelude::*;

/// "95%", "99.9%".
pub fn conf_label(c: f64) -> String {
    format!("{}%", confidence_suffix(c).replace('_', "."))
}

/// "1 day", "10 days".
pub fn horizon_label(h: usize) -> String {
    if h == 1 {
        "1 day".into()
    } else {
        format!("{h} days")
    }
}

/// The estimate of the selected model (closed form from the analysis, Monte Carlo from the
/// worker's last result).
pub fn selected_estimate(state: AppState) -> Option<VarEstimate> {
    let model = state.workspace.with(|w| w.params.var_model);
    if model.is_monte_carlo() {
        state
            .mc
            .with(|m| m.estimates.iter().find(|e| e.model == model).cloned())
    } else {
        state.computed.with(|c| {
            c.as_ref()
                .and_then(|c| c.analysis.var.iter().find(|e| e.model == model).cloned())
        })
    }
}

fn money_or_dash(x: f64, value: Option<f64>) -> String {
    value.map_or("—".into(), |v| money(x * v))
}

/// The raw currency amount behind [`money_or_dash`] (empty without a portfolio value).
fn raw_money(x: f64, value: Option<f64>) -> String {
    raw_opt(value.map(|v| x * v))
}

fn var_row(e: &VarEstimate, value: Option<f64>, selected: VarModel) -> impl IntoView {
    let flag = e.flag.clone();
    let flagged = flag.is_some();
    let key = e.model.key();
    view! {
        <tr data-testid=format!("var-{}", e.model.key()) data-var=format!("{}", e.var) data-cvar=format!("{}", e.cvar)
            class:selected=e.model == selected class:flagged=flagged>
            <th scope="row" data-value=e.model.label()>{e.model.label()}{flag.as_ref().map(|_| view! { <span class="flag" title="see the note below">" ⚠"</span> })}</th>
            <td class="num loss" data-value=raw(e.var)>{pct(e.var)}</td>
            <td class="num" data-value=raw_money(e.var, value)>{money_or_dash(e.var, value)}</td>
            <td class="num loss" data-value=raw(e.cvar)>{pct(e.cvar)}</td>
            <td class="num" data-value=raw_money(e.cvar, value)>{money_or_dash(e.cvar, value)}</td>
            <td class="conv">{e.method.clone()}{flag.map(|f| view! { <div class="flag-note" data-testid=format!("flag-{key}")>{f}</div> })}</td>
        </tr>
    }
}

fn risk_rows(lines: &[RiskLine], value: Option<f64>, testid: &'static str) -> impl IntoView {
    lines
        .iter()
        .map(|l| {
            view! {
                <tr data-testid=testid data-name=l.name.clone() data-component-var=format!("{}", l.component_var)>
                    <th scope="row">{l.name.clone()}</th>
                    <td class="num" data-value=raw(l.weight)>{pct(l.weight)}</td>
                    <td class="num" data-value=raw(l.marginal_var)>{pct(l.marginal_var)}</td>
                    <td class="num" data-value=raw(l.component_var)>{pct(l.component_var)}</td>
                    <td class="num" data-value=raw_money(l.component_var, value)>{money_or_dash(l.component_var, value)}</td>
                    <td class="num" data-value=raw(l.pct_var)>{pct(l.pct_var)}</td>
                    <td class="num" data-value=raw(l.incremental_var)>{pct(l.incremental_var)}</td>
                    <td class="num" data-value=raw(l.component_cvar)>{pct(l.component_cvar)}</td>
                    <td class="num" data-value=raw(l.pct_cvar)>{pct(l.pct_cvar)}</td>
                    <td class="num" data-value=raw(l.incremental_cvar)>{pct(l.incremental_cvar)}</td>
                </tr>
            }
        })
        .collect_view()
}

fn risk_head(first: &'static str) -> impl IntoView {
    view! {
        <thead><tr>
            <th>{first}</th><th>"Weight"</th>
            <th title="∂VaR/∂w: VaR added per unit of weight">"Marginal VaR"</th>
            <th title="weight × marginal; components sum to the total">"Component VaR"</th>
            <th>"Component VaR $"</th>
            <th title="component / total">"% of VaR"</th>
            <th title="VaR now minus VaR without this position (moved to cash)">"Incremental VaR"</th>
            <th>"Component CVaR"</th>
            <th>"% of CVaR"</th>
            <th>"Incremental CVaR"</th>
        </tr></thead>
    }
}

/// Bars of each line's share of VaR next to its weight.
fn share_bars(canvas: &web_sys::HtmlCanvasElement, lines: &[RiskLine]) -> Result<(), String> {
    let labels: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
    let share: Vec<f64> = lines.iter().map(|l| l.pct_var).collect();
    let weight: Vec<f64> = lines.iter().map(|l| l.weight).collect();
    let series = [
        ("Share of VaR", share.as_slice()),
        ("Weight", weight.as_slice()),
    ];
    draw_on(canvas, bar_chart_height(labels.len(), 2), |area| {
        bar_chart(
            area,
            &BarChart {
                labels: &labels,
                series: &series,
                percent: true,
            },
        )
    })
}

#[component]
pub fn RiskPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let value = move || {
        state
            .computed
            .with(|c| c.as_ref().and_then(|c| c.currency_value()))
    };
    let header = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let p = &c.analysis.params;
                view! {
                    <p class="window" data-testid="risk-header">
                        {format!("Confidence {} · horizon {} · ", conf_label(p.confidence), horizon_label(p.horizon))}
                        {match c.currency_value() {
                            Some(v) => format!("portfolio value {} · ", money(v)),
                            None => "weights only: no currency figures · ".into(),
                        }}
                        {format!("{} returns {} – {}", c.aligned.report.observations, c.aligned.report.start, c.aligned.report.end)}
                    </p>
                }
            })
        })
    };
    let var_table = move || {
        let selected = state.workspace.with(|w| w.params.var_model);
        let v = value();
        let closed = state.computed.with(|c| {
            c.as_ref().map(|c| {
                c.analysis
                    .var
                    .iter()
                    .map(|e| var_row(e, v, selected).into_any())
                    .collect::<Vec<_>>()
            })
        });
        let mc_rows = state.mc.with(|m| {
            m.estimates
                .iter()
                .map(|e| var_row(e, v, selected).into_any())
                .collect::<Vec<_>>()
        });
        view! {
            <table class="var-table" data-testid="var-table">
                <thead><tr><th>"Model"</th><th>"VaR"</th><th>"VaR $"</th><th>"CVaR"</th><th>"CVaR $"</th><th>"How it is computed"</th></tr></thead>
                <tbody>{closed}{mc_rows}</tbody>
            </table>
        }
    };
    let decomposition = move || {
        let v = value();
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let d = &c.analysis.decomposition;
                view! {
                    <p class="hint" data-testid="decomposition-model">
                        {format!("{} VaR {} · CVaR {} at {} over {}. ", d.model.label(), pct(d.var), pct(d.cvar), conf_label(d.confidence), horizon_label(d.horizon))}
                        {d.note.clone().map(|n| format!("{n}. "))}
                        {match d.model {
                            VarModel::Gaussian => "Covariance: sample (ddof 1) of the daily returns. ".to_string(),
                            VarModel::Ewma => format!("Covariance: RiskMetrics EWMA, zero mean, λ = {}. ", c.analysis.params.ewma_lambda),
                            _ => "Scenarios: the historical daily returns of each position. ".to_string(),
                        }}
                        "Component figures add up to the total (Euler allocation); incremental figures are the change if the position were sold into cash and do not add up. Historical components come from the one or two scenarios at the VaR quantile and are noisy; the CVaR components average the whole tail and are steadier."
                    </p>
                    <div class="table-scroll">
                        <table data-testid="decomposition-table">
                            {risk_head("Position")}
                            <tbody>{risk_rows(&d.positions, v, "decomposition-row")}</tbody>
                        </table>
                    </div>
                    <TableDownloads table="decomposition-table" what="the VaR decomposition by position" />
                    <h3>"By sector"</h3>
                    <div class="table-scroll">
                        <table data-testid="sector-table">
                            {risk_head("Sector")}
                            <tbody>{risk_rows(&d.sectors, v, "sector-row")}</tbody>
                        </table>
                    </div>
                    <TableDownloads table="sector-table" what="the VaR decomposition by sector" />
                }
            })
        })
    };
    let backtest_stats = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let b = &c.analysis.backtest;
                if b.var.is_empty() {
                    return view! {
                        <ul class="stats" data-testid="backtest-stats" data-exceedances="0">
                            <li>{format!("Not enough history for a backtest: the {}-day window needs more than {} returns (there are {}). Shorten the backtest window above.",
                                b.window, b.window, c.aligned.report.observations)}</li>
                        </ul>
                    }.into_any();
                }
                let expected = b.var.len() as f64 * (1.0 - b.confidence);
                let basel = b.basel.map(|z| {
                    let zone = format!("{:?}", z.zone);
                    view! {
                        <li data-testid="basel-zone" data-zone=zone.to_lowercase() class=format!("zone {}", zone.to_lowercase())>
                            {format!("Basel traffic light: {zone} — {} exceedances of the {} 99% VaR in the last {} days (green 0–4, yellow 5–9, red 10+)", z.exceedances, b.model.label(), z.days)}
                        </li>
                    }
                });
                view! {
                    <ul class="stats" data-testid="backtest-stats" data-exceedances=b.exceedances.to_string()>
                        <li>{format!("{} one-day {} VaR {} forecasts from a rolling {}-day window; {} exceedances (expected {:.1}, {:.2}% vs {:.2}%)",
                            b.var.len(), b.model.label(), conf_label(b.confidence), b.window, b.exceedances, expected,
                            100.0 * b.exceedances as f64 / b.var.len().max(1) as f64, 100.0 * (1.0 - b.confidence))}</li>
                        <li data-testid="kupiec" data-p=format!("{}", b.kupiec.p_value)>{format!("Kupiec proportion of failures: LR = {:.3}, p = {:.4}{}", b.kupiec.statistic, b.kupiec.p_value,
                            if b.kupiec.p_value < 0.05 { " — the exceedance rate differs from the expected one at 5%" } else { " — consistent with the expected rate at 5%" })}</li>
                        <li data-testid="christoffersen" data-p=format!("{}", b.christoffersen.p_value)>{format!("Christoffersen independence: LR = {:.3}, p = {:.4}{}", b.christoffersen.statistic, b.christoffersen.p_value,
                            if b.christoffersen.p_value < 0.05 { " — exceedances cluster" } else { " — no evidence of clustering at 5%" })}</li>
                        {basel}
                    </ul>
                }.into_any()
            })
        })
    };
    view! {
        <section data-testid="page-risk" class="page" hidden=move || state.page.get() != Page::Risk>
            {header}
            <div class="panel">
                <h2>"Value at Risk and expected shortfall, model by model"</h2>
                <div class="table-scroll">{var_table}</div>
                <TableDownloads table="var-table" what="the VaR table" />
                <p class="hint">"Losses are positive. Historical figures over more than one day use overlapping compounded returns; parametric ones scale the daily mean by h and the daily sd by √h. CVaR is the mean loss beyond the VaR. The highlighted row is the model used below."</p>
                <mc::McPanel />
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Distribution of returns over the horizon"</h2></div>
                <DistributionChart page=Page::Risk testid="chart-risk-histogram" />
            </div>
            <div class="panel">
                <h2>"Where the risk comes from"</h2>
                {decomposition}
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Component VaR by position"</h2></div>
                <ChartCanvas page=Page::Risk testid="chart-decomposition" label="Component VaR by position"
                    draw=move |canvas| {
                        state.computed.with(|c| match c {
                            Some(c) => share_bars(canvas, &c.analysis.decomposition.positions),
                            None => Ok(()),
                        })
                    } />
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Component VaR by sector"</h2></div>
                <ChartCanvas page=Page::Risk testid="chart-decomposition-sectors" label="Component VaR by sector"
                    draw=move |canvas| {
                        state.computed.with(|c| match c {
                            Some(c) => share_bars(canvas, &c.analysis.decomposition.sectors),
                            None => Ok(()),
                        })
                    } />
            </div>
            <div class="panel">
                <h2>"Backtest: one-day VaR against what happened"</h2>
                {backtest_stats}
            </div>
            <div class="chart-box">
                <ChartCanvas page=Page::Risk testid="chart-backtest" label="VaR backtest"
                    draw=move |canvas| {
                        state.computed.with(|c| {
                            let Some(c) = c else { return Ok(()) };
                            let b = &c.analysis.backtest;
                            let start = 1 + b.window;
                            let dates = c.aligned.dates.get(start..).unwrap_or(&[]);
                            let returns = c.analysis.portfolio_returns.get(b.window..).unwrap_or(&[]);
                            let label = format!("{} VaR {} ({}-day window)", b.model.label(), conf_label(b.confidence), b.window);
                            draw_on(canvas, 0, |area| {
                                var_backtest(area, &BacktestChart { dates, returns, var: &b.var, hits: &b.hits, var_label: &label })
                            })
                        })
                    } />
            </div>
        </section>
    }
}

/// The histogram of horizon returns with the selected model's VaR and CVaR and the fitted
/// normal (used on the Risk and Performance pages).
#[component]
pub fn DistributionChart(page: Page, testid: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <ChartCanvas page=page testid=testid label="Return distribution"
            draw=move |canvas| {
                let est = selected_estimate(state);
                state.computed.with(|c| {
                    let Some(c) = c else { return Ok(()) };
                    let a = &c.analysis;
                    let conf = conf_label(a.params.confidence);
                    let name = est.as_ref().map_or("", |e| e.model.label());
                    let var_label = format!("{name} VaR {conf}");
                    let cvar_label = format!("{name} CVaR {conf}");
                    draw_on(canvas, 0, |area| {
                        histogram(area, &HistogramChart {
                            returns: &a.horizon_returns,
                            bins: 80,
                            var: est.as_ref().map(|e| e.var).filter(|v| v.is_finite()),
                            cvar: est.as_ref().map(|e| e.cvar).filter(|v| v.is_finite()),
                            var_label: &var_label,
                            cvar_label: &cvar_label,
                            normal: Some(a.normal_fit),
                        })
                    })
                })
            } />
    }
}
