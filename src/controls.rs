//! The analysis parameters bar shown above the Risk, Drawdowns and Performance pages:
//! confidence, horizon, model, EWMA λ, risk-free rate, rolling and backtest windows, CAGR
//! convention. A change re-analyses the loaded data at once; an invalid entry is refused with
//! a message and the previous value stays.

use crate::app::AppState;
use crate::inputs::checked_entry;
use ballast_core::analysis::AnalysisParams;
use ballast_core::suite::CagrConvention;
use ballast_core::var_models::VarModel;
use leptos::prelude::*;

/// A validated change of the parameters.
type Change = Box<dyn FnOnce(&mut AnalysisParams)>;

fn trim(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = move || state.workspace.with(|w| w.params);
    // A numeric field: `get` shows the value, `check` validates and applies or explains.
    let numeric = move |ev: leptos::ev::Event,
                        shown: fn(&AnalysisParams) -> String,
                        what: &'static str,
                        apply: fn(f64) -> Result<Change, String>| {
        let current = shown(&state.workspace.get_untracked().params);
        checked_entry(state, &ev, current, what, apply, |change| {
            state.set_params(change)
        });
    };
    let models = VarModel::ALL
        .iter()
        .map(|m| view! { <option value=m.key()>{m.label()}</option> })
        .collect_view();
    view! {
        <div class="panel controls" data-testid="controls">
            <label title="Confidence level of VaR and CVaR (90–99.9%)">"Confidence % "
                <input type="number" min="90" max="99.9" step="0.1" data-testid="confidence"
                    prop:value=move || trim(params().confidence * 100.0)
                    on:change=move |ev| numeric(ev, |p| trim(p.confidence * 100.0), "Confidence", |v| {
                        if (90.0..=99.9).contains(&v) {
                            Ok(Box::new(move |p: &mut AnalysisParams| p.confidence = v / 100.0))
                        } else {
                            Err(format!("Confidence must be between 90% and 99.9%, not {v}%"))
                        }
                    }) />
            </label>
            <label title="VaR horizon in trading days (1–20)">"Horizon (days) "
                <input type="number" min="1" max="20" step="1" data-testid="horizon"
                    prop:value=move || params().horizon.to_string()
                    on:change=move |ev| numeric(ev, |p| p.horizon.to_string(), "Horizon", |v| {
                        if v.fract() == 0.0 && (1.0..=20.0).contains(&v) {
                            Ok(Box::new(move |p: &mut AnalysisParams| p.horizon = v as usize))
                        } else {
                            Err(format!("Horizon must be a whole number of days from 1 to 20, not {v}"))
                        }
                    }) />
            </label>
            <label title="The model whose VaR is decomposed, backtested and drawn on the histogram">"Model "
                <select data-testid="var-model"
                    prop:value=move || params().var_model.key()
                    on:change=move |ev| {
                        if let Some(m) = VarModel::from_key(&event_target_value(&ev)) {
                            state.set_params(move |p| p.var_model = m);
                        }
                    }>
                    {models}
                </select>
            </label>
            <label title="RiskMetrics decay factor of the EWMA model (0.94 for daily data)">"EWMA λ "
                <input type="number" min="0.5" max="0.999" step="0.01" data-testid="ewma-lambda"
                    prop:value=move || trim(params().ewma_lambda)
                    on:change=move |ev| numeric(ev, |p| trim(p.ewma_lambda), "EWMA λ", |v| {
                        if v > 0.0 && v < 1.0 {
                            Ok(Box::new(move |p: &mut AnalysisParams| p.ewma_lambda = v))
                        } else {
                            Err(format!("EWMA λ must be between 0 and 1 (exclusive), not {v}"))
                        }
                    }) />
            </label>
            <label title="Annual risk-free rate, converted per period as (1+rf)^(1/P) − 1">"Risk-free % "
                <input type="number" step="0.1" data-testid="controls-risk-free"
                    prop:value=move || trim(params().risk_free_annual * 100.0)
                    on:change=move |ev| numeric(ev, |p| trim(p.risk_free_annual * 100.0), "Risk-free rate", |v| {
                        if v > -100.0 && v < 100.0 {
                            Ok(Box::new(move |p: &mut AnalysisParams| p.risk_free_annual = v / 100.0))
                        } else {
                            Err(format!("Risk-free rate must be between -100% and 100% a year, not {v}%"))
                        }
                    }) />
            </label>
            <label title="Window of the rolling volatility, Sharpe, beta and correlation">"Rolling window "
                <select data-testid="rolling-window"
                    prop:value=move || params().rolling_window.to_string()
                    on:change=move |ev| {
                        if let Ok(w) = event_target_value(&ev).parse::<usize>() {
                            state.set_params(move |p| p.rolling_window = w);
                        }
                    }>
                    <option value="63">"63 days (quarter)"</option>
                    <option value="126">"126 days (half year)"</option>
                    <option value="252">"252 days (year)"</option>
                </select>
            </label>
            <label title="Past returns each backtest forecast uses">"Backtest window "
                <input type="number" min="20" max="2520" step="10" data-testid="backtest-window"
                    prop:value=move || params().backtest_window.to_string()
                    on:change=move |ev| numeric(ev, |p| p.backtest_window.to_string(), "Backtest window", |v| {
                        if v.fract() == 0.0 && (20.0..=2520.0).contains(&v) {
                            Ok(Box::new(move |p: &mut AnalysisParams| p.backtest_window = v as usize))
                        } else {
                            Err(format!("Backtest window must be a whole number of days from 20 to 2520, not {v}"))
                        }
                    }) />
            </label>
            <label title="How CAGR counts years">"CAGR "
                <select data-testid="cagr-convention"
                    prop:value=move || match params().cagr_convention { CagrConvention::Observations => "obs", CagrConvention::Calendar => "cal" }
                    on:change=move |ev| {
                        let c = if event_target_value(&ev) == "cal" { CagrConvention::Calendar } else { CagrConvention::Observations };
                        state.set_params(move |p| p.cagr_convention = c);
                    }>
                    <option value="obs">"observation count (N/252)"</option>
                    <option value="cal">"calendar years (365.25 days)"</option>
                </select>
            </label>
        </div>
    }
}
