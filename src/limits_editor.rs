//! The risk limits editor (on the Sizing page; the Overview's alerts panel links to it). Every
//! level is checked by `Limits::validate` before it is applied; a refused entry is explained
//! next to its field and the previous value stays. Applying re-evaluates the alerts and the
//! heat map only.

use crate::app::AppState;
use crate::format::{pct_entry, trim};
use crate::inputs::NumField;
use ballast_core::trading::limits::Limits;
use leptos::prelude::*;

type Get = fn(&Limits) -> f64;
type Set = fn(&mut Limits, f64);

/// One field: key, label, unit (`%` for fractions shown as percentages, `×` or `ρ` as typed),
/// title, getter, setter.
struct Field {
    key: &'static str,
    label: &'static str,
    percent: bool,
    title: &'static str,
    get: Get,
    set: Set,
}

const FIELDS: [Field; 11] = [
    Field { key: "position_warning", label: "Position warning %", percent: true, title: "Single position |weight| of net value: warning level", get: |l| l.position_warning, set: |l, v| l.position_warning = v },
    Field { key: "position_critical", label: "Position critical %", percent: true, title: "Single position |weight|: critical level (trades adding to it are rejected)", get: |l| l.position_critical, set: |l, v| l.position_critical = v },
    Field { key: "sector_warning", label: "Sector warning %", percent: true, title: "Sector |Σ weight|: warning level", get: |l| l.sector_warning, set: |l, v| l.sector_warning = v },
    Field { key: "sector_critical", label: "Sector critical %", percent: true, title: "Sector |Σ weight|: critical level", get: |l| l.sector_critical, set: |l, v| l.sector_critical = v },
    Field { key: "cluster_warning", label: "Cluster warning %", percent: true, title: "Correlated cluster |Σ weight|: warning level", get: |l| l.cluster_warning, set: |l, v| l.cluster_warning = v },
    Field { key: "cluster_critical", label: "Cluster critical %", percent: true, title: "Correlated cluster |Σ weight|: critical level", get: |l| l.cluster_critical, set: |l, v| l.cluster_critical = v },
    Field { key: "cluster_threshold", label: "Cluster correlation |ρ| ≥", percent: false, title: "Assets linked by pairs with |ρ| at least this (sample correlation) form a cluster", get: |l| l.cluster_threshold, set: |l, v| l.cluster_threshold = v },
    Field { key: "var_limit", label: "1-day 95% VaR limit %", percent: true, title: "Historical 1-day 95% VaR of the portfolio, % of net value: reaching it is critical", get: |l| l.var_limit, set: |l, v| l.var_limit = v },
    Field { key: "max_gross_leverage", label: "Max gross leverage ×", percent: false, title: "Σ|value| / net value: reaching it is critical", get: |l| l.max_gross_leverage, set: |l, v| l.max_gross_leverage = v },
    Field { key: "drawdown_warning", label: "Drawdown warning %", percent: true, title: "Current drawdown from the peak: warning level", get: |l| l.drawdown_warning, set: |l, v| l.drawdown_warning = v },
    Field { key: "drawdown_halt", label: "Drawdown halt %", percent: true, title: "Current drawdown from the peak: trading halted (only trades that reduce a position pass)", get: |l| l.drawdown_halt, set: |l, v| l.drawdown_halt = v },
];

#[component]
pub fn LimitsEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Reset rebuilds the fields, so that earlier refusals next to them go too.
    let epoch = RwSignal::new(0u32);
    let fields = move || {
        epoch.track();
        FIELDS
        .iter()
        .map(|f| {
            let (get, set, percent) = (f.get, f.set, f.percent);
            let shown = move || {
                state.workspace.with(|w| {
                    let x = get(&w.limits);
                    if percent { pct_entry(x) } else { trim(x) }
                })
            };
            let apply = move |v: Option<f64>| {
                let v = v.unwrap_or_default();
                let mut l = state.workspace.with_untracked(|w| w.limits);
                set(&mut l, if percent { v / 100.0 } else { v });
                l.validate().map_err(|e| e.to_string())?;
                state.set_limits(l);
                Ok(())
            };
            view! {
                <label title=f.title>{f.label}" "
                    <NumField testid=format!("limit-{}", f.key) label=f.label.to_string() value=shown apply=apply />
                </label>
            }
        })
        .collect_view()
    };
    let is_default = move || state.workspace.with(|w| w.limits == Limits::default());
    view! {
        <div class="panel" id="limits" data-testid="limits-editor">
            <h2>"Risk limits"</h2>
            <p class="hint">"Fractions of net portfolio value (positions plus cash). Warning ≤ critical (≤ halt); the alerts on the Overview and the pre-trade check use these levels."</p>
            <div class="opt-row limits-fields">{fields}</div>
            <div class="row">
                <button class="small" data-testid="limits-reset" disabled=is_default
                    on:click=move |_| {
                        state.set_limits(Limits::default());
                        epoch.update(|n| *n += 1);
                    }>"Reset to defaults"</button>
            </div>
        </div>
    }
}
