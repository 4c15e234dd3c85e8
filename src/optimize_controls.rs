//! The Optimise page's controls: objective and its parameter, expected returns, covariance,
//! risk-free rate, CVaR level, and the constraints (bounds, per-asset bounds, sector floors and
//! caps, shorts and gross leverage, turnover, L2). Every numeric entry is checked; a refused
//! one is explained next to its field and the previous value stays. Values are stored as the
//! core takes them (fractions); the fields show percentages where the label says so.

use crate::app::AppState;
use crate::format::{opt_pct_entry, pct_entry, trim};
use crate::inputs::NumField;
use crate::opt::{bound_of, lookup, sector_rows, store, OptSettings};
use ballast_core::clustering::Linkage;
use ballast_core::estimators::CovEstimator;
use ballast_core::optimize::expected_returns::{expected_returns, ReturnModel};
use ballast_core::optimize::objective::KEYS;
use ballast_core::optimize::{AssetBound, GroupLimit, Objective};
use leptos::prelude::*;

/// Apply `change` to the settings when `check` accepts the entry.
fn set_with(
    state: AppState,
    change: impl FnOnce(&mut OptSettings) -> Result<(), String>,
) -> Result<(), String> {
    let mut s = state.opt.settings.get_untracked();
    change(&mut s)?;
    state.opt.settings.set(s);
    Ok(())
}

fn symbols(state: AppState) -> Vec<String> {
    state.computed.with(|c| {
        c.as_ref()
            .map(|c| c.aligned.symbols.clone())
            .unwrap_or_default()
    })
}

/// The objective's own parameter (target, risk aversion, budgets, linkage).
fn objective_parameter(state: AppState) -> impl IntoView {
    let settings = state.opt.settings;
    move || {
        let key = settings.with(|s| s.objective.clone());
        match key.as_str() {
            "efficient_return" => view! {
                <label title="The portfolio with the least variance whose expected return (annualised, from the expected-returns model) reaches this">"Target return % a year "
                    <NumField testid="opt-target-return".into() value=move || settings.with(|s| pct_entry(s.target_return))
                        apply=move |v| set_with(state, |s| {
                            let v = v.unwrap_or_default();
                            if v > -100.0 && v < 1000.0 { s.target_return = v / 100.0; Ok(()) } else { Err(format!("the target return must be between -100% and 1000%, not {v}%")) }
                        }) />
                </label>
            }.into_any(),
            "efficient_risk" => view! {
                <label title="The portfolio with the highest expected return whose annualised volatility is at most this">"Target volatility % a year "
                    <NumField testid="opt-target-volatility".into() value=move || settings.with(|s| pct_entry(s.target_volatility))
                        apply=move |v| set_with(state, |s| {
                            let v = v.unwrap_or_default();
                            if v > 0.0 && v < 1000.0 { s.target_volatility = v / 100.0; Ok(()) } else { Err(format!("the target volatility must be above 0% and below 1000%, not {v}%")) }
                        }) />
                </label>
            }.into_any(),
            "max_utility" => view! {
                <label title="δ in μ'w − (δ/2)·w'Σw: higher means more averse to variance">"Risk aversion δ "
                    <NumField testid="opt-risk-aversion".into() value=move || settings.with(|s| trim(s.risk_aversion))
                        apply=move |v| set_with(state, |s| {
                            let v = v.unwrap_or_default();
                            if v > 0.0 && v <= 1000.0 { s.risk_aversion = v; Ok(()) } else { Err(format!("risk aversion must be above 0 and at most 1000, not {v}")) }
                        }) />
                </label>
            }.into_any(),
            "hrp" => view! {
                <label title="How the correlation clusters are merged">"Linkage "
                    <select data-testid="opt-linkage" on:change=move |ev| {
                        if let Some(l) = Linkage::from_key(&event_target_value(&ev)) {
                            settings.update(|s| s.linkage = l);
                        }
                    }>
                        {Linkage::ALL.iter().map(|l| {
                            let l = *l;
                            view! { <option value=l.key() selected=move || settings.with(|s| s.linkage == l)>{l.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            }.into_any(),
            "risk_budget" => view! {
                <details class="opt-table" open>
                    <summary>"Risk budgets (relative shares of risk; normalised to 100%)"</summary>
                    <div class="asset-grid" data-testid="opt-budgets">
                        {move || symbols(state).into_iter().map(|sym| {
                            let shown = sym.clone();
                            let key = sym.clone();
                            view! {
                                <label class="asset-cell"><span class="sym">{sym.clone()}</span>
                                    <NumField testid=format!("opt-budget-{sym}") label=format!("Risk budget of {sym}")
                                        value=move || settings.with(|s| trim(lookup(&s.budgets, &shown).unwrap_or(1.0)))
                                        apply=move |v| set_with(state, |s| {
                                            let v = v.unwrap_or_default();
                                            if v >= 0.0 { store(&mut s.budgets, &key, v); Ok(()) } else { Err(format!("a risk budget cannot be negative ({v})")) }
                                        }) />
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </details>
            }.into_any(),
            _ => ().into_any(),
        }
    }
}

/// The user's own expected returns, one per asset (filled with the historical means the
/// first time).
fn user_returns(state: AppState) -> impl IntoView {
    let settings = state.opt.settings;
    move || {
        (settings.with(|s| s.returns == "user")).then(|| view! {
            <details class="opt-table" open>
                <summary>"Your expected returns (% a year; filled in with the historical means)"</summary>
                <div class="asset-grid" data-testid="opt-user-mu">
                    {move || symbols(state).into_iter().map(|sym| {
                        let shown = sym.clone();
                        let key = sym.clone();
                        view! {
                            <label class="asset-cell"><span class="sym">{sym.clone()}</span>
                                <NumField testid=format!("opt-mu-{sym}") label=format!("Expected return of {sym}")
                                    value=move || settings.with(|s| opt_pct_entry(lookup(&s.user_mu, &shown)))
                                    apply=move |v| set_with(state, |s| {
                                        let v = v.unwrap_or_default();
                                        if v > -100.0 && v < 1000.0 { store(&mut s.user_mu, &key, v / 100.0); Ok(()) } else { Err(format!("an expected return must be between -100% and 1000% a year, not {v}%")) }
                                    }) />
                            </label>
                        }
                    }).collect_view()}
                </div>
            </details>
        })
    }
}

/// The historical arithmetic means (annual), to start the user's table from.
fn historical_means(state: AppState) -> Vec<(String, f64)> {
    state.computed.with_untracked(|c| {
        c.as_ref()
            .and_then(|c| {
                let a = &c.aligned;
                expected_returns(
                    &a.returns,
                    a.report.periods_per_year,
                    &ReturnModel::Arithmetic,
                    None,
                    0.0,
                )
                .ok()
                .map(|mu| a.symbols.iter().cloned().zip(mu).collect())
            })
            .unwrap_or_default()
    })
}

/// The estimates: expected returns, covariance, risk-free rate, CVaR level.
fn estimate_controls(state: AppState) -> impl IntoView {
    let settings = state.opt.settings;
    let corr_estimator = move || state.workspace.with(|w| w.correlation.estimator);
    let models = ReturnModel::KEYS
        .iter()
        .filter_map(|k| ReturnModel::from_key(k).map(|m| (*k, m.label())))
        .map(|(k, label)| {
            view! { <option value=k selected=move || settings.with(|s| s.returns == k)>{label}</option> }
        })
        .collect_view();
    view! {
        <label title="How the expected (annual) returns μ are estimated from the window">"Expected returns "
            <select data-testid="opt-returns" on:change=move |ev| {
                let k = event_target_value(&ev);
                let fill = k == "user" && settings.with_untracked(|s| s.user_mu.is_empty());
                let means = if fill { historical_means(state) } else { Vec::new() };
                settings.update(|s| {
                    s.returns = k;
                    if fill { s.user_mu = means; }
                });
            }>{models}</select>
        </label>
        {move || settings.with(|s| s.returns == "ewma").then(|| view! {
            <label title="Span of the exponentially weighted mean in periods; λ = 1 − 2/(span + 1)">"Span "
                <NumField testid="opt-returns-span".into() value=move || settings.with(|s| trim(s.ewma_span))
                    apply=move |v| set_with(state, |s| {
                        let v = v.unwrap_or_default();
                        if (1.0..=100_000.0).contains(&v) { s.ewma_span = v; Ok(()) } else { Err(format!("the span must be between 1 and 100,000 periods, not {v}")) }
                    }) />
            </label>
        })}
        {move || settings.with(|s| s.returns == "ewma" || s.returns == "capm").then(|| view! {
            <label class="inline" title="Annualise by compounding instead of multiplying by the periods per year">
                <input type="checkbox" data-testid="opt-compounding" prop:checked=move || settings.with(|s| s.compounding)
                    on:change=move |ev| { let on = event_target_checked(&ev); settings.update(|s| s.compounding = on); } />
                " compounded"
            </label>
        })}
        <label title="How the covariance matrix Σ is estimated (annualised)">"Covariance "
            <select data-testid="opt-covariance" on:change=move |ev| {
                let c = match event_target_value(&ev).as_str() {
                    "sample" => Some(CovEstimator::Sample),
                    "ledoit_wolf" => Some(CovEstimator::LedoitWolf),
                    "ewma" => Some(CovEstimator::Ewma { span: CovEstimator::DEFAULT_EWMA_SPAN }),
                    _ => None,
                };
                settings.update(|s| s.covariance = c);
            }>
                <option value="corr" selected=move || settings.with(|s| s.covariance.is_none())>
                    {move || format!("as on the Correlation page ({})", corr_estimator().label())}
                </option>
                <option value="sample" selected=move || settings.with(|s| s.covariance == Some(CovEstimator::Sample))>"Sample (ddof 1)"</option>
                <option value="ledoit_wolf" selected=move || settings.with(|s| s.covariance == Some(CovEstimator::LedoitWolf))>"Ledoit-Wolf shrinkage"</option>
                <option value="ewma" selected=move || settings.with(|s| matches!(s.covariance, Some(CovEstimator::Ewma { .. })))>"Exponentially weighted"</option>
            </select>
        </label>
        {move || settings.with(|s| matches!(s.covariance, Some(CovEstimator::Ewma { .. }))).then(|| view! {
            <label title="Span of the exponentially weighted covariance in periods">"Span "
                <NumField testid="opt-cov-span".into()
                    value=move || settings.with(|s| match s.covariance { Some(CovEstimator::Ewma { span }) => trim(span), _ => String::new() })
                    apply=move |v| set_with(state, |s| {
                        let v = v.unwrap_or_default();
                        if (1.0..=100_000.0).contains(&v) { s.covariance = Some(CovEstimator::Ewma { span: v }); Ok(()) } else { Err(format!("the span must be between 1 and 100,000 periods, not {v}")) }
                    }) />
            </label>
        })}
        <label title="Annual risk-free rate used by the Sharpe ratio and CAPM (starts at the analysis' rate)">"Risk-free % a year "
            <NumField testid="opt-risk-free".into()
                value=move || { let p = state.workspace.with(|w| w.params.risk_free_annual); settings.with(|s| pct_entry(s.risk_free.unwrap_or(p))) }
                apply=move |v| set_with(state, |s| {
                    let v = v.unwrap_or_default();
                    if v > -100.0 && v < 100.0 { s.risk_free = Some(v / 100.0); Ok(()) } else { Err(format!("the risk-free rate must be between -100% and 100% a year, not {v}%")) }
                }) />
        </label>
        <label title="Confidence level β of CVaR, VaR and CDaR: 95 means the worst 5% of periods">"CVaR level % "
            <NumField testid="opt-cvar-level".into() value=move || settings.with(|s| pct_entry(s.beta))
                apply=move |v| set_with(state, |s| {
                    let v = v.unwrap_or_default();
                    if v > 50.0 && v < 100.0 { s.beta = v / 100.0; Ok(()) } else { Err(format!("the CVaR level must be above 50% and below 100%, not {v}%")) }
                }) />
        </label>
    }
}

/// Per-asset bounds: blank uses the general minimum and maximum.
fn bounds_table(state: AppState) -> impl IntoView {
    let settings = state.opt.settings;
    let field = move |sym: String, is_min: bool| {
        let shown = sym.clone();
        let key = sym.clone();
        let which = if is_min { "min" } else { "max" };
        view! {
            <NumField testid=format!("opt-bound-{which}-{sym}") blank_ok=true label=format!("{which} weight of {sym}")
                placeholder=if is_min { "min" } else { "max" }
                value=move || settings.with(|s| opt_pct_entry(bound_of(s, &shown).and_then(|b| if is_min { b.min } else { b.max })))
                apply=move |v| set_with(state, |s| {
                    if let Some(x) = v {
                        if !(-1000.0..=1000.0).contains(&x) {
                            return Err(format!("a weight bound must be between -1000% and 1000%, not {x}%"));
                        }
                        if is_min && x < 0.0 && !s.constraints.allow_short {
                            return Err("a negative minimum needs short selling: tick \"Allow shorts\" first".into());
                        }
                    }
                    let frac = v.map(|x| x / 100.0);
                    let bounds = &mut s.constraints.bounds;
                    let b = match bounds.iter_mut().position(|b| b.symbol == key) {
                        Some(i) => &mut bounds[i],
                        None => { bounds.push(AssetBound { symbol: key.clone(), min: None, max: None }); bounds.last_mut().expect("just pushed") }
                    };
                    if is_min { b.min = frac } else { b.max = frac }
                    let (lo, hi) = (b.min, b.max);
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        if lo > hi {
                            return Err(format!("the minimum {:.1}% is above the maximum {:.1}%", lo * 100.0, hi * 100.0));
                        }
                    }
                    bounds.retain(|b| b.min.is_some() || b.max.is_some());
                    Ok(())
                }) />
        }
    };
    view! {
        <details class="opt-table">
            <summary>"Per-asset bounds (minimum – maximum, % of the portfolio; blank = the general bounds)"</summary>
            <div class="asset-grid wide" data-testid="opt-bounds">
                {move || symbols(state).into_iter().map(|sym| view! {
                    <div class="asset-cell"><span class="sym">{sym.clone()}</span>{field(sym.clone(), true)}" – "{field(sym, false)}</div>
                }).collect_view()}
            </div>
        </details>
    }
}

/// Sector floors and caps (rows from the holdings' sectors).
fn sector_table(state: AppState) -> impl IntoView {
    let settings = state.opt.settings;
    let field = move |g: GroupLimit, is_min: bool| {
        let name = g.name.clone();
        let key = g.name.clone();
        let which = if is_min { "floor" } else { "cap" };
        view! {
            <NumField testid=format!("opt-sector-{which}-{}", g.name.replace(' ', "_")) blank_ok=true label=format!("{which} of {}", g.name)
                placeholder=which
                value=move || settings.with(|s| opt_pct_entry(s.constraints.groups.iter().find(|l| l.name == name).and_then(|l| if is_min { l.min } else { l.max })))
                apply=move |v| set_with(state, |s| {
                    if let Some(x) = v {
                        if !(0.0..=100.0).contains(&x) {
                            return Err(format!("a sector limit must be between 0% and 100%, not {x}%"));
                        }
                    }
                    let frac = v.map(|x| x / 100.0);
                    let groups = &mut s.constraints.groups;
                    let g = match groups.iter_mut().position(|l| l.name == key) {
                        Some(i) => &mut groups[i],
                        None => { groups.push(GroupLimit { name: key.clone(), members: Vec::new(), min: None, max: None }); groups.last_mut().expect("just pushed") }
                    };
                    if is_min { g.min = frac } else { g.max = frac }
                    if let (Some(lo), Some(hi)) = (g.min, g.max) {
                        if lo > hi {
                            return Err(format!("the floor {:.1}% is above the cap {:.1}%", lo * 100.0, hi * 100.0));
                        }
                    }
                    groups.retain(|l| l.min.is_some() || l.max.is_some());
                    Ok(())
                }) />
        }
    };
    view! {
        <details class="opt-table">
            <summary>"Sector floors and caps (% of the portfolio; blank = no limit)"</summary>
            {move || {
                let rows = sector_rows(state);
                if rows.is_empty() {
                    return view! { <p class="hint">"The holdings name no sectors."</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                        <table data-testid="opt-sectors">
                            <thead><tr><th>"Sector"</th><th>"Members"</th><th>"Floor %"</th><th>"Cap %"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|g| view! {
                                    <tr><th scope="row">{g.name.clone()}</th><td class="members">{g.members.join(", ")}</td>
                                        <td>{field(g.clone(), true)}</td><td>{field(g, false)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </details>
    }
}

/// Bounds, shorts and leverage, turnover, L2 and the tables.
fn constraint_controls(state: AppState) -> impl IntoView {
    let settings = state.opt.settings;
    let shorts = move || settings.with(|s| s.constraints.allow_short);
    view! {
        <label title="Lowest weight of any asset (0 = long only)">"Min weight % "
            <NumField testid="opt-min-weight".into() value=move || settings.with(|s| pct_entry(s.constraints.min_weight))
                apply=move |v| set_with(state, |s| {
                    let v = v.unwrap_or_default();
                    if v < 0.0 && !s.constraints.allow_short { return Err("a negative minimum needs short selling: tick \"Allow shorts\" first".into()); }
                    if !(-1000.0..=100.0).contains(&v) { return Err(format!("the minimum weight must be between -1000% and 100%, not {v}%")); }
                    if v / 100.0 > s.constraints.max_weight { return Err(format!("the minimum {v}% is above the maximum {}%", pct_entry(s.constraints.max_weight))); }
                    s.constraints.min_weight = v / 100.0; Ok(())
                }) />
        </label>
        <label title="Highest weight of any asset">"Max weight % "
            <NumField testid="opt-max-weight".into() value=move || settings.with(|s| pct_entry(s.constraints.max_weight))
                apply=move |v| set_with(state, |s| {
                    let v = v.unwrap_or_default();
                    let top = if s.constraints.allow_short { 1000.0 } else { 100.0 };
                    if !(v > 0.0 && v <= top) { return Err(format!("the maximum weight must be above 0% and at most {top}%, not {v}%")); }
                    if v / 100.0 < s.constraints.min_weight { return Err(format!("the maximum {v}% is below the minimum {}%", pct_entry(s.constraints.min_weight))); }
                    s.constraints.max_weight = v / 100.0; Ok(())
                }) />
        </label>
        <label class="inline" title="Allow negative weights (short positions); the minimum weight becomes −100% and gross exposure is capped">
            <input type="checkbox" data-testid="opt-allow-short" prop:checked=shorts
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    settings.update(|s| {
                        let c = &mut s.constraints;
                        c.allow_short = on;
                        if on {
                            if c.min_weight >= 0.0 { c.min_weight = -1.0; }
                            if c.gross_leverage.is_none() { c.gross_leverage = Some(2.0); }
                        } else {
                            c.min_weight = c.min_weight.max(0.0);
                            c.gross_leverage = None;
                            for b in &mut c.bounds { b.min = b.min.map(|m| m.max(0.0)); }
                        }
                    });
                } />
            " Allow shorts"
        </label>
        {move || shorts().then(|| view! {
            <label title="Cap on Σ|w|, the gross exposure (1 = no leverage); blank = no cap">"Gross leverage × "
                <NumField testid="opt-gross".into() blank_ok=true placeholder="none"
                    value=move || settings.with(|s| s.constraints.gross_leverage.map(trim).unwrap_or_default())
                    apply=move |v| set_with(state, |s| {
                        if let Some(x) = v { if !(x > 0.0 && x <= 100.0) { return Err(format!("the gross leverage cap must be above 0 and at most 100×, not {x}")); } }
                        s.constraints.gross_leverage = v; Ok(())
                    }) />
            </label>
        })}
        <label title="One-way turnover from today's weights, ½Σ|w − w₀| (the share of the portfolio traded); blank = no cap">"Max turnover % "
            <NumField testid="opt-turnover".into() blank_ok=true placeholder="none"
                value=move || settings.with(|s| opt_pct_entry(s.constraints.max_turnover))
                apply=move |v| set_with(state, |s| {
                    if let Some(x) = v { if !(x > 0.0 && x <= 1000.0) { return Err(format!("the turnover cap must be above 0% and at most 1000%, not {x}%")); } }
                    s.constraints.max_turnover = v.map(|x| x / 100.0); Ok(())
                }) />
        </label>
        <label title="L2 regularisation: adds γ‖w‖² to variance objectives, pushing towards more assets (0 = off)">"L2 γ "
            <NumField testid="opt-l2".into() value=move || settings.with(|s| trim(s.constraints.l2_gamma))
                apply=move |v| set_with(state, |s| {
                    let v = v.unwrap_or_default();
                    if (0.0..=100.0).contains(&v) { s.constraints.l2_gamma = v; Ok(()) } else { Err(format!("γ must be between 0 and 100, not {v}")) }
                }) />
        </label>
        <button class="small" data-testid="opt-reset-constraints" on:click=move |_| settings.update(|s| s.constraints = Default::default())>
            "Reset constraints"
        </button>
        <div class="opt-tables">
            {bounds_table(state)}
            {sector_table(state)}
        </div>
    }
}

/// The whole controls panel.
#[component]
pub fn OptimizeControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let settings = state.opt.settings;
    let objectives = KEYS
        .iter()
        .filter_map(|k| Objective::from_key(k, None, None).map(|o| (*k, o.label())))
        .map(|(k, label)| {
            view! { <option value=k selected=move || settings.with(|s| s.objective == k)>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="panel opt-controls" data-testid="opt-controls">
            <div class="opt-row">
                <label class="objective" title="What the optimiser maximises or minimises">"Objective "
                    <select data-testid="opt-objective" on:change=move |ev| {
                        let k = event_target_value(&ev);
                        settings.update(|s| s.objective = k);
                    }>{objectives}</select>
                </label>
                {objective_parameter(state)}
            </div>
            <div class="opt-row">{estimate_controls(state)}</div>
            {user_returns(state)}
            <p class="hint">"μ and Σ are annualised (× periods per year); CVaR, VaR and MAD are per period (one day for daily data), CDaR and drawdowns on uncompounded cumulative returns; weights are fractions of the portfolio's net value and sum to 100%."</p>
            <h3>"Constraints"</h3>
            <div class="opt-row">{constraint_controls(state)}</div>
        </div>
    }
}
