//! The Overview's risk-limit panels: the alerts (every breach and near-breach of the limits,
//! `trading::limits`), the position heat map and the sector exposures with their callouts
//! (`trading::heat`). Both are computed with the analysis (`workspace::risk_view`); these
//! components only draw them.

use crate::app::{AppState, Page};
use crate::downloads::{raw, TableDownloads};
use crate::format::pct;
use ballast_core::trading::heat::{HeatCell, SectorExposure};
use ballast_core::trading::limits::{Alert, AlertKind, Limits, Severity};
use leptos::prelude::*;

/// `info`, `warning`, `critical`, `halt`.
pub fn severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
        Severity::Halt => "halt",
    }
}

/// `position`, `sector`, `cluster`, `var`, `leverage`, `drawdown`.
pub fn kind_key(k: AlertKind) -> &'static str {
    match k {
        AlertKind::Position => "position",
        AlertKind::Sector => "sector",
        AlertKind::Cluster => "cluster",
        AlertKind::Var => "var",
        AlertKind::Leverage => "leverage",
        AlertKind::Drawdown => "drawdown",
    }
}

/// A figure or level as shown: a multiple for leverage, else a percentage.
pub fn level_text(kind: AlertKind, x: f64) -> String {
    if kind == AlertKind::Leverage {
        format!("{x:.2}×")
    } else {
        pct(x)
    }
}

/// One alert as a list item (`data-testid=<testid>`, with its severity and kind).
pub fn alert_item(a: &Alert, testid: &'static str) -> impl IntoView {
    let sev = severity_key(a.severity);
    view! {
        <li class=format!("alert sev-{sev}") data-testid=testid data-severity=sev data-kind=kind_key(a.kind)
            data-subject=a.subject.clone() data-figure=format!("{}", a.figure) data-limit=format!("{}", a.limit)>
            <span class=format!("badge sev-{sev}")>{sev}</span>
            <span class="alert-msg">{a.message.clone()}</span>
            <span class="alert-fig">
                {format!("{} · limit {} ({})", level_text(a.kind, a.figure), level_text(a.kind, a.limit), a.level_name)}
            </span>
        </li>
    }
}

/// The limits in force, in one line.
pub fn limits_line(l: &Limits) -> String {
    let p = |x: f64| crate::format::pct_entry(x) + "%";
    format!(
        "Limits: position {} / {} · sector {} / {} · cluster {} / {} (|ρ| ≥ {}) · 1-day 95% VaR {} · gross leverage {}× · drawdown {} / {} halt",
        p(l.position_warning),
        p(l.position_critical),
        p(l.sector_warning),
        p(l.sector_critical),
        p(l.cluster_warning),
        p(l.cluster_critical),
        crate::format::trim(l.cluster_threshold),
        p(l.var_limit),
        crate::format::trim(l.max_gross_leverage),
        p(l.drawdown_warning),
        p(l.drawdown_halt),
    )
}

/// Open the Sizing page at its limits editor.
pub fn goto_limits(state: AppState) {
    state.page.set(Page::Sizing);
    leptos::prelude::request_animation_frame(|| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("limits"))
        {
            el.scroll_into_view();
        }
    });
}

#[component]
pub fn AlertsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        state.computed.with(|c| {
            let c = c.as_ref()?;
            let r = &c.risk;
            Some(match &r.alerts {
                Err(e) => view! { <p class="chart-error" data-testid="alerts-error">{format!("The limits could not be checked: {e}")}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <p class="alerts-empty" data-testid="alerts-empty">"No limit is breached or near"</p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="alerts" data-testid="alerts-list">
                        {list.iter().map(|a| alert_item(a, "alert")).collect_view()}
                    </ul>
                }.into_any(),
            })
        })
    };
    let count = move || {
        state.computed.with(|c| {
            c.as_ref()
                .and_then(|c| c.risk.alerts.as_ref().ok().map(|l| l.len().to_string()))
                .unwrap_or_default()
        })
    };
    let line = move || state.workspace.with(|w| limits_line(&w.limits));
    view! {
        <div class="panel" data-testid="alerts-panel" data-count=count>
            <div class="chart-head">
                <h2>"Risk limit alerts"</h2>
                <button class="link small" data-testid="goto-limits" on:click=move |_| goto_limits(state)>"Edit the limits →"</button>
            </div>
            {body}
            <p class="hint">{line}" · an alert starts at 80% of the first level (info), 90% (warning), then the level itself."</p>
        </div>
    }
}

fn heat_tile(c: &HeatCell) -> impl IntoView {
    let style = format!(
        "background:{};color:{}",
        crate::format::heat_colour(c.score),
        if c.score > 0.7 { "#fff" } else { "#17202a" }
    );
    view! {
        <div class="heat-tile" style=style data-testid="heat-tile" data-symbol=c.symbol.clone()
            data-score=format!("{}", c.score) data-exposure=format!("{}", c.exposure_pct) data-risk=format!("{}", c.risk_pct)
            title=c.sector.clone().unwrap_or_default()>
            <div class="heat-sym">{c.symbol.clone()}</div>
            <div class="heat-figs">{format!("{:.1}% of value", c.exposure_pct)}</div>
            <div class="heat-figs">{format!("{:.1}% of risk", c.risk_pct)}</div>
            <div class="heat-score">{format!("heat {:.2}", c.score)}</div>
        </div>
    }
}

fn sector_row(s: &SectorExposure) -> impl IntoView {
    let bar = format!("width:{:.1}%", (s.gross * 100.0).clamp(0.0, 100.0));
    view! {
        <tr data-testid="sector-row" data-sector=s.sector.clone() data-weight=format!("{}", s.weight)
            data-concentrated=s.concentrated.to_string() class:concentrated=s.concentrated>
            <th scope="row" data-value=s.sector.clone()>{s.sector.clone()}{s.concentrated.then(|| view! { <span class="badge sev-warning">"concentrated"</span> })}</th>
            <td class="num bar-cell" data-value=raw(s.weight)><span class="bar" style=bar></span><span class="bar-val">{pct(s.weight)}</span></td>
            <td class="num" data-value=raw(s.gross)>{pct(s.gross)}</td>
            <td class="num">{s.positions}</td>
            <td class="num" data-value=raw(s.risk_pct / 100.0)>{format!("{:.1}%", s.risk_pct)}</td>
        </tr>
    }
}

#[component]
pub fn HeatPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        state.computed.with(|c| {
            let c = c.as_ref()?;
            Some(match &c.risk.heat {
                Err(e) => view! { <p class="chart-error" data-testid="heat-error">{format!("The heat map could not be computed: {e}")}</p> }.into_any(),
                Ok(h) => view! {
                    <div class="heat-grid">
                        <div class="panel heat-panel" data-testid="heat-map">
                            <h2>"Position heat map"</h2>
                            <p class="hint formula" data-testid="heat-formula">
                                "heat = 0.6 × exposure%/30 + 0.4 × risk%/30, capped at 1 · exposure = |weight| of net value · risk = share of the 1-day 95% historical VaR ("
                                {pct(h.var_1d)}") by component (Euler) VaR; a hedge's negative share counts as 0"
                            </p>
                            <div class="heat-tiles">{h.positions.iter().map(heat_tile).collect_view()}</div>
                            <div class="heat-scale" aria-hidden="true"><span>"0 cool"</span><span class="heat-ramp"></span><span>"1 hot"</span></div>
                        </div>
                        <div class="panel" data-testid="sector-exposure">
                            <h2>"Sector exposure"</h2>
                            <div class="table-scroll">
                                <table class="sector-table" data-testid="sector-exposure-table">
                                    <thead><tr><th>"Sector"</th><th class="num">"Weight"</th><th class="num">"Gross"</th><th class="num" title="Positions">"Pos."</th><th class="num">"Risk"</th></tr></thead>
                                    <tbody>{h.sectors.iter().map(sector_row).collect_view()}</tbody>
                                </table>
                            </div>
                            <TableDownloads table="sector-exposure-table" what="the sector exposure table" />
                            <p class="hint">"Weight = Σ w (longs and shorts offset), gross = Σ |w|, risk = share of the 1-day 95% VaR; concentrated: |weight| at or above the sector warning level."</p>
                            {(!h.callouts.is_empty()).then(|| view! {
                                <h3>"Concentrations"</h3>
                                <ul class="callouts" data-testid="heat-callouts">
                                    {h.callouts.iter().map(|t| view! { <li data-testid="heat-callout">{t.clone()}</li> }).collect_view()}
                                </ul>
                            })}
                        </div>
                    </div>
                }.into_any(),
            })
        })
    };
    let ms = move || {
        state
            .computed
            .with(|c| c.as_ref().map(|c| format!("{:.1}", c.risk.ms)))
            .unwrap_or_default()
    };
    view! { <div data-testid="risk-heat" data-ms=ms>{body}</div> }
}
