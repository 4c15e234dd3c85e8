//! The header's workspace actions: Share (the dialog), Report (a download), and the
//! Workspace menu — export a workspace file, open one, start a new workspace (after a
//! confirmation). A workspace file is JSON holding the same fragment a share link carries
//! (so it opens the same way, protected or not):
//! `{"format": "ballast-workspace", "version": 1, "app_version", "saved", "protected",
//! "workspace": "b1.…"}`.

use crate::app::AppState;
use crate::io;
use crate::link_open::{new_workspace, open_fragment, restore_aside};
use crate::settings::doc_of;
use crate::share_dialog::fragment_of;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

/// The `format` of a workspace file.
pub const FILE_FORMAT: &str = "ballast-workspace";

/// Save the workspace as a file (protected when `passphrase` is not empty).
pub fn export_file(state: AppState, passphrase: String) {
    spawn_local(async move {
        io::yield_to_browser().await;
        let result = fragment_of(&doc_of(&state, true), &passphrase).and_then(|f| {
            let saved = io::utc_now();
            let text = json!({
                "format": FILE_FORMAT,
                "version": 1,
                "app_version": env!("CARGO_PKG_VERSION"),
                "saved": saved,
                "protected": !passphrase.is_empty(),
                "workspace": f,
            })
            .to_string();
            let date = saved.get(..10).unwrap_or("today").to_string();
            crate::downloads::save_text(
                &text,
                "application/json",
                &format!("ballast-workspace-{date}.ballast.json"),
            )
        });
        if let Err(e) = result {
            state.fail(format!("The workspace file could not be made: {e}."));
        }
    });
}

/// The fragment inside a workspace file's text: the file's `workspace` field, or a pasted
/// link (the text after its `#`), or a bare fragment.
pub fn fragment_in(text: &str) -> Result<String, String> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.starts_with('{') {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| format!("it is not a Ballast workspace file (not readable JSON: {e})"))?;
        if v.get("format").and_then(Value::as_str) != Some(FILE_FORMAT) {
            return Err(
                "it is not a Ballast workspace file (its format is not “ballast-workspace”)".into(),
            );
        }
        return v
            .get("workspace")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| "the workspace file has no “workspace” field".into());
    }
    // A pasted link, or a bare fragment.
    let fragment = text.rsplit('#').next().unwrap_or_default();
    let is_fragment = fragment.starts_with('b')
        && fragment[1..].starts_with(|c: char| c.is_ascii_digit())
        && !fragment.contains(char::is_whitespace);
    if is_fragment {
        Ok(fragment.to_string())
    } else {
        Err("it is not a Ballast workspace file (nor a share link)".into())
    }
}

#[component]
pub fn WorkspaceActions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let menu = RwSignal::new(false);
    let aside = RwSignal::new(false);
    let menu_box = NodeRef::<leptos::html::Div>::new();
    // A click elsewhere, or Escape, closes the menu.
    let click = window_event_listener(leptos::ev::click, move |ev| {
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(menu_box.get_untracked())
            .is_some_and(|(t, b)| b.contains(Some(&t)));
        if !inside && menu.get_untracked() {
            menu.set(false);
        }
    });
    let key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            menu.set(false);
        }
    });
    on_cleanup(move || {
        click.remove();
        key.remove();
    });
    let file_input = NodeRef::<leptos::html::Input>::new();
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files = input.files().map(|l| io::files_of(&l)).unwrap_or_default();
        input.set_value("");
        spawn_local(async move {
            match io::read_files(files).await {
                Ok(mut read) if !read.is_empty() => {
                    let f = read.swap_remove(0);
                    let text = String::from_utf8_lossy(&f.bytes).to_string();
                    match fragment_in(&text) {
                        Ok(frag) => open_fragment(state, frag, "workspace file"),
                        Err(e) => state.fail(format!(
                            "{} could not be opened: {e}. Nothing was changed.",
                            f.name
                        )),
                    }
                }
                Ok(_) => {}
                Err(e) => state.fail(format!("{e}. Nothing was changed.")),
            }
        });
    };
    view! {
        <div class="actions">
            <button class="action" data-testid="open-share" on:click=move |_| state.share_open.set(true)
                disabled=move || state.computed.with(Option::is_none)>"Share"</button>
            <button class="action" data-testid="download-report" on:click=move |_| crate::report::download(state)
                disabled=move || state.computed.with(Option::is_none)>"Report"</button>
            <div class="menu" node_ref=menu_box>
                <button class="action" data-testid="workspace-menu" aria-haspopup="true" aria-expanded=move || menu.get().to_string()
                    on:click=move |_| { aside.set(crate::saved::has_aside()); menu.update(|m| *m = !*m); }>"Workspace ▾"</button>
                <Show when=move || menu.get()>
                    <div class="menu-items" role="menu">
                        <button role="menuitem" data-testid="export-workspace" on:click=move |_| { menu.set(false); export_file(state, String::new()); }>"Export workspace file"</button>
                        <button role="menuitem" data-testid="import-workspace" on:click=move |_| { menu.set(false); if let Some(i) = file_input.get() { i.click(); } }>"Open workspace file…"</button>
                        <Show when=move || aside.get()>
                            <button role="menuitem" data-testid="restore-aside" on:click=move |_| { menu.set(false); restore_aside(state); }>"Restore the set-aside workspace"</button>
                        </Show>
                        <button role="menuitem" data-testid="new-workspace" on:click=move |_| { menu.set(false); state.confirm_new.set(true); }>"New workspace…"</button>
                    </div>
                </Show>
                <input type="file" class="hidden-file" accept=".json,.ballast,application/json,text/plain" node_ref=file_input
                    data-testid="import-workspace-input" aria-label="Open a workspace file" on:change=on_file />
            </div>
        </div>
    }
}

/// The confirmation of "New workspace".
#[component]
pub fn ConfirmNew() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.confirm_new.get().then(|| view! {
            <div class="modal-backdrop">
                <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="new-title" data-testid="confirm-new">
                    <h2 id="new-title">"Start a new workspace?"</h2>
                    <p>"This forgets the workspace saved in this browser — your data and every setting — and shows the sample with default settings. Export a workspace file first to keep it."</p>
                    <div class="modal-actions">
                        <button data-testid="confirm-new-export" on:click=move |_| export_file(state, String::new())>"Export workspace file"</button>
                        <button class="danger" data-testid="confirm-new-yes" on:click=move |_| { state.confirm_new.set(false); new_workspace(state); }>"Forget it and start afresh"</button>
                        <button data-testid="confirm-new-cancel" on:click=move |_| state.confirm_new.set(false)>"Cancel"</button>
                    </div>
                </div>
            </div>
        })
    }
}
