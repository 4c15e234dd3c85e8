//! Checked numeric entries: parse what the user typed (decimal comma accepted), validate it,
//! and either apply it or refuse it with a message, putting the previous value back in the
//! input. Shared by the parameters bar and the Correlation page.

use crate::app::AppState;
use leptos::prelude::*;

/// Read a number from an input, accepting a decimal comma.
pub fn number(ev: &leptos::ev::Event) -> Option<f64> {
    parse_entry(&event_target_value(ev)).ok().flatten()
}

/// Validate the number typed into `ev`'s input with `check`; on success hand the result to
/// `apply`, otherwise restore `current` in the input and show the reason (prefixed by
/// `what: ` when `what` is not empty) in the banner.
pub fn checked_entry<C>(
    state: AppState,
    ev: &leptos::ev::Event,
    current: String,
    what: &str,
    check: impl FnOnce(f64) -> Result<C, String>,
    apply: impl FnOnce(C),
) {
    let prefix = if what.is_empty() {
        String::new()
    } else {
        format!("{what}: ")
    };
    match number(ev)
        .ok_or_else(|| {
            format!(
                "{prefix}expected a number, found \"{}\"",
                event_target_value(ev)
            )
        })
        .and_then(check)
    {
        Ok(change) => apply(change),
        Err(msg) => {
            let input: web_sys::HtmlInputElement = event_target(ev);
            input.set_value(&current);
            state.fail(format!("{msg}. The previous value is kept."));
        }
    }
}

/// Parse an entry: blank is `None`, a number (decimal comma accepted) is `Some`.
pub fn parse_entry(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("expected a number, found \"{t}\""))
}

/// A numeric input whose refusals are explained next to it (`data-testid="<testid>-error"`):
/// `apply` gets the entry (`None` when blank, refused unless `blank_ok`) and either applies it
/// or returns the reason; a refused entry is replaced by the previous value (`value`).
#[component]
pub fn NumField<V, A>(
    testid: String,
    value: V,
    apply: A,
    #[prop(optional)] blank_ok: bool,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] label: String,
) -> impl IntoView
where
    V: Fn() -> String + Send + Sync + 'static,
    A: Fn(Option<f64>) -> Result<(), String> + Send + Sync + 'static,
{
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{testid}-error");
    let value = std::sync::Arc::new(value);
    let shown = value.clone();
    let aria_label = (!label.is_empty()).then_some(label);
    view! {
        <span class="field">
            <input type="text" autocomplete="off" spellcheck="false" data-testid=testid.clone() placeholder=placeholder
                aria-label=aria_label
                class:refused=move || error.with(Option::is_some)
                prop:value=move || shown()
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    let outcome = parse_entry(&text).and_then(|v| match v {
                        None if !blank_ok => Err("a number is needed".to_string()),
                        v => apply(v),
                    });
                    match outcome {
                        Ok(()) => error.set(None),
                        Err(msg) => {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            input.set_value(&value());
                            error.set(Some(format!("{msg}; the previous value is kept")));
                        }
                    }
                } />
            {move || error.get().map(|e| view! { <span class="field-error" role="alert" data-testid=error_id.clone()>{e}</span> })}
        </span>
    }
}
