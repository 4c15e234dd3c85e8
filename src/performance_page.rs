//! Performance page: every ratio with its convention, the equity curve against the benchmark,
//! rolling volatility / Sharpe / beta / correlation, the monthly returns table, the return
//! distribution, and the contributions to return and risk by position and sector.

use crate::app::{AppState, Page};
use crate::canvas::{draw_equity, draw_on, ChartCanvas};
use crate::downloads::{raw, TableDownloads};
use crate::format::pct;
use crate::risk_page::DistributionChart;
use crate::tables::figure_table;
use ballast_charts::{bar_chart, bar_chart_height, lines_chart, BarChart, LinesChart};
use ballast_core::attribution::ContributionLine;
use ballast_core::figures::suite_figures;
use leptos::prelude::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Cell background for a return: green for gains, red for losses, stronger for larger moves
/// (saturating at ±10%).
fn heat(v: f64) -> String {
    let a = (v.abs() / 0.10).min(1.0) * 0.55 + 0.05;
    if v >= 0.0 {
        format!("background: rgba(46,139,87,{a:.2})")
    } else {
        format!("background: rgba(192,57,43,{a:.2})")
    }
}

fn contribution_rows(lines: &[ContributionLine], testid: &'static str) -> impl IntoView {
    lines
        .iter()
        .map(|l| {
            view! {
                <tr data-testid=testid data-name=l.name.clone()>
                    <th scope="row">{l.name.clone()}</th>
                    <td class="num" data-value=raw(l.weight)>{pct(l.weight)}</td>
                    <td class="num" data-value=raw(l.return_contribution)>{pct(l.return_contribution)}</td>
                    <td class="num" data-value=raw(l.risk_contribution)>{pct(l.risk_contribution)}</td>
                    <td class="num" data-value=raw(l.risk_share)>{pct(l.risk_share)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let log_scale = state.perf_log_scale;
    let groups = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let bench = c.aligned.benchmark.as_ref().map(|b| b.symbol.as_str());
                suite_figures(&c.analysis, &c.aligned)
                    .iter()
                    .filter(|g| g.id != "drawdowns")
                    .map(|g| figure_table(g, bench))
                    .collect_view()
            })
        })
    };
    let monthly = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                c.analysis
                    .monthly
                    .iter()
                    .rev()
                    .map(|row| {
                        let cells = row
                            .months
                            .iter()
                            .map(|m| match m {
                                Some(v) => view! { <td class="num" style=heat(*v) data-value=raw(*v)>{format!("{:.1}", v * 100.0)}</td> }.into_any(),
                                None => view! { <td class="num empty"></td> }.into_any(),
                            })
                            .collect_view();
                        view! {
                            <tr data-testid="monthly-row" data-year=row.year.to_string()>
                                <th scope="row">{row.year}</th>
                                {cells}
                                <td class="num total" style=heat(row.year_return) data-value=format!("{}", row.year_return)>{format!("{:.1}", row.year_return * 100.0)}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let contributions = move || {
        state.computed.with(|c| {
            c.as_ref().map(|c| {
                let a = &c.analysis.attribution;
                view! {
                    <p class="hint">{format!("Annualised mean {} and volatility {} split by holding: weight × annualised mean return (sums to the mean), and weight × covariance with the portfolio / portfolio sd (Euler; sums to the volatility; sample covariance, ddof 1).", pct(a.annualized_mean), pct(a.annualized_volatility))}</p>
                    <div class="table-scroll">
                        <table data-testid="contribution-table">
                            <thead><tr><th>"Position"</th><th>"Weight"</th><th>"Return contribution"</th><th>"Volatility contribution"</th><th>"Share of risk"</th></tr></thead>
                            <tbody>{contribution_rows(&a.positions, "contribution-row")}</tbody>
                        </table>
                    </div>
                    <TableDownloads table="contribution-table" what="the contributions by position" />
                    <h3>"By sector"</h3>
                    <div class="table-scroll">
                        <table data-testid="contribution-sector-table">
                            <thead><tr><th>"Sector"</th><th>"Weight"</th><th>"Return contribution"</th><th>"Volatility contribution"</th><th>"Share of risk"</th></tr></thead>
                            <tbody>{contribution_rows(&a.sectors, "contribution-sector-row")}</tbody>
                        </table>
                    </div>
                    <TableDownloads table="contribution-sector-table" what="the contributions by sector" />
                }
            })
        })
    };
    let rolling_chart = move |which: &'static str| {
        move |canvas: &web_sys::HtmlCanvasElement| {
            state.computed.with(|c| {
                let Some(c) = c else { return Ok(()) };
                let r = &c.analysis.rolling;
                let w = r.window;
                let bench = c
                    .aligned
                    .benchmark
                    .as_ref()
                    .map(|b| b.symbol.clone())
                    .unwrap_or_default();
                let vol_label = format!("Volatility ({w}-day, annualised)");
                let sharpe_label = format!("Sharpe ({w}-day)");
                let beta_label = format!("Beta to {bench} ({w}-day)");
                let corr_label = format!("Correlation with {bench} ({w}-day)");
                let mut lines: Vec<(&str, &[chrono::NaiveDate], &[f64])> = Vec::new();
                let (percent, zero) = match which {
                    "vol" => {
                        lines.push((&vol_label, &r.volatility.dates, &r.volatility.values));
                        (true, false)
                    }
                    "sharpe" => {
                        lines.push((&sharpe_label, &r.sharpe.dates, &r.sharpe.values));
                        (false, true)
                    }
                    _ => {
                        if let Some(b) = &r.beta {
                            lines.push((&beta_label, &b.dates, &b.values));
                        }
                        if let Some(k) = &r.correlation {
                            lines.push((&corr_label, &k.dates, &k.values));
                        }
                        (false, true)
                    }
                };
                draw_on(canvas, 0, |area| {
                    lines_chart(
                        area,
                        &LinesChart {
                            lines: &lines,
                            percent,
                            zero_line: zero,
                            markers: &[],
                        },
                    )
                })
            })
        }
    };
    let has_benchmark = move || {
        state
            .computed
            .with(|c| c.as_ref().is_some_and(|c| c.aligned.benchmark.is_some()))
    };
    view! {
        <section data-testid="page-performance" class="page" hidden=move || state.page.get() != Page::Performance>
            <div class="chart-box">
                <div class="chart-head">
                    <h2>"Growth of 1 against the benchmark"</h2>
                    <label class="inline">
                        <input type="checkbox" data-testid="perf-log-scale" prop:checked=move || log_scale.get()
                            on:change=move |ev| log_scale.set(event_target_checked(&ev)) />
                        " log scale"
                    </label>
                </div>
                <ChartCanvas page=Page::Performance testid="chart-perf-equity" label="Equity curve"
                    draw=move |canvas| {
                        let log = log_scale.get();
                        state.computed.with(|c| match c {
                            Some(c) => draw_equity(canvas, &c.analysis.series, c.aligned.benchmark.as_ref().map(|b| b.symbol.as_str()), log),
                            None => Ok(()),
                        })
                    } />
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Rolling volatility"</h2></div>
                <ChartCanvas page=Page::Performance testid="chart-rolling-vol" label="Rolling volatility" draw=rolling_chart("vol") />
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Rolling Sharpe ratio"</h2></div>
                <ChartCanvas page=Page::Performance testid="chart-rolling-sharpe" label="Rolling Sharpe" draw=rolling_chart("sharpe") />
            </div>
            <Show when=has_benchmark>
                <div class="chart-box">
                    <div class="chart-head"><h2>"Rolling beta and correlation"</h2></div>
                    <ChartCanvas page=Page::Performance testid="chart-rolling-beta" label="Rolling beta and correlation" draw=rolling_chart("beta") />
                </div>
            </Show>
            <p class="hint">"Rolling figures use the window chosen above (63, 126 or 252 days), dated by the window's last day; volatility and Sharpe are annualised."</p>
            <div class="figs-grid">{groups}</div>
            <div class="panel">
                <h2>"Monthly returns (%)"</h2>
                <div class="table-scroll">
                    <table class="monthly" data-testid="monthly-table">
                        <thead><tr><th>"Year"</th>{MONTHS.iter().map(|m| view! { <th>{*m}</th> }).collect_view()}<th data-value="Year return">"Year"</th></tr></thead>
                        <tbody>{monthly}</tbody>
                    </table>
                </div>
                <TableDownloads table="monthly-table" what="the monthly returns" />
                <p class="hint">"Returns compounded within each calendar month and year; empty cells have no data. The first and last years may be partial."</p>
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Distribution of returns over the VaR horizon"</h2></div>
                <DistributionChart page=Page::Performance testid="chart-perf-histogram" />
            </div>
            <div class="panel">
                <h2>"Contribution to return and to risk"</h2>
                {contributions}
            </div>
            <div class="chart-box">
                <div class="chart-head"><h2>"Contributions by position"</h2></div>
                <ChartCanvas page=Page::Performance testid="chart-contributions" label="Contributions by position"
                    draw=move |canvas| {
                        state.computed.with(|c| {
                            let Some(c) = c else { return Ok(()) };
                            let a = &c.analysis.attribution;
                            let labels: Vec<String> = a.positions.iter().map(|l| l.name.clone()).collect();
                            let ret: Vec<f64> = a.positions.iter().map(|l| l.return_contribution).collect();
                            let risk: Vec<f64> = a.positions.iter().map(|l| l.risk_contribution).collect();
                            let series = [("Return contribution (annualised)", ret.as_slice()), ("Volatility contribution", risk.as_slice())];
                            draw_on(canvas, bar_chart_height(labels.len(), 2), |area| {
                                bar_chart(area, &BarChart { labels: &labels, series: &series, percent: true })
                            })
                        })
                    } />
            </div>
        </section>
    }
}
