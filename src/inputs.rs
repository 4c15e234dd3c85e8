//! Checked numeric entries: parse what the user typed (decimal comma accepted), validate it,
//! and either apply it or refuse it with a message, putting the previous value back in the
//! input. Shared by the parameters bar and the Correlation page.

use crate::app::AppState;
use leptos::prelude::*;

/// Read a number from an input, accepting a decimal comma.
pub fn number(ev: &leptos::ev::Event) -> Option<f64> {
    event_target_value(ev)
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
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
