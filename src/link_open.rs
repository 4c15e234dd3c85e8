//! Opening a workspace: a share link's fragment (at start-up, or pasted into the address bar
//! of an open tab), a workspace file, the saved workspace, or a new one. A document is
//! computed in full before it replaces anything ([`crate::settings::prepare`]): a link that
//! is truncated, damaged, foreign, from a newer version or wrongly protected says why and
//! leaves what is on screen as it was. A protected link asks for its passphrase; a wrong one
//! says so and asks again.

use crate::app::AppState;
use crate::io;
use crate::saved;
use crate::settings::{prepare, Settings};
use crate::workspace::Workspace;
use ballast_core::share::{decode, DocFile, ShareError, WorkspaceDoc, ROLE_PRICES};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A protected workspace waiting for its passphrase.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPrompt {
    pub fragment: String,
    /// "link" or "workspace file" (for messages).
    pub source: &'static str,
    pub error: Option<String>,
    pub busy: bool,
}

/// Show `doc`: computed first; on failure nothing changes and the reason is returned.
/// `fragment`: the unencrypted fragment it came from (stored as the saved files as is).
/// `replaces_saved`: a workspace of the user's own saved in this browser is set aside first
/// (Workspace ▾ → Restore the set-aside workspace brings it back).
fn apply_doc(
    state: AppState,
    doc: &WorkspaceDoc,
    fragment: Option<&str>,
    replaces_saved: bool,
) -> Result<(), String> {
    let t0 = io::now_ms();
    let current = state.workspace.get_untracked();
    let restored = prepare(doc, &current, state.next_generation())?;
    let ws = restored.workspace.clone();
    let from_doc = restored.files_from_doc;
    let mut notes = restored.notes.clone();
    if replaces_saved && saved::has_own() {
        saved::set_aside();
        notes.push("your previous workspace was set aside: Workspace ▾ → Restore the set-aside workspace brings it back".into());
    }
    state.show_restored(restored);
    // Storage holds other files until the next autosave, unless this fragment (all of the
    // workspace's files) is stored as is now.
    if let Some(f) = fragment.filter(|_| from_doc) {
        saved::mark_saved(&ws, Some(f));
    }
    io::record_ms("openMs", io::now_ms() - t0);
    if !notes.is_empty() {
        state.notice.set(Some(format!(
            "Workspace opened. Note: {}.",
            notes.join("; ")
        )));
    }
    Ok(())
}

/// The banner for a workspace that could not be opened.
fn opening_failed(state: AppState, source: &str, why: &str) {
    state.fail(format!(
        "This {source} could not be opened: {why}. Nothing was changed."
    ));
}

/// Open a fragment (a link's text after `#`, or a workspace file's): asks for the passphrase
/// when it is protected.
pub fn open_fragment(state: AppState, fragment: String, source: &'static str) {
    let decoded = decode(&fragment, None);
    open_decoded(state, fragment, decoded, source);
}

/// Show a decoded fragment, ask for its passphrase, or say why it cannot be opened.
fn open_decoded(
    state: AppState,
    fragment: String,
    decoded: Result<WorkspaceDoc, ShareError>,
    source: &'static str,
) {
    match decoded {
        Ok(doc) => {
            if let Err(e) = apply_doc(state, &doc, Some(&fragment), true) {
                opening_failed(state, source, &e);
            }
        }
        Err(ShareError::NeedsPassphrase) => state.link_prompt.set(Some(LinkPrompt {
            fragment,
            source,
            error: None,
            busy: false,
        })),
        Err(e) => opening_failed(state, source, &e.to_string()),
    }
}

/// Try the passphrase of the waiting protected workspace.
fn submit_passphrase(state: AppState, passphrase: String) {
    let Some(prompt) = state.link_prompt.get_untracked() else {
        return;
    };
    state.link_prompt.update(|p| {
        if let Some(p) = p {
            p.busy = true;
            p.error = None;
        }
    });
    spawn_local(async move {
        // Let "Opening…" show: the key derivation takes a moment.
        io::yield_to_browser().await;
        let t0 = io::now_ms();
        let result = decode(&prompt.fragment, Some(&passphrase));
        io::record_ms("decryptMs", io::now_ms() - t0);
        match result {
            Err(e @ (ShareError::WrongPassphrase | ShareError::EmptyPassphrase)) => {
                state.link_prompt.update(|p| {
                    if let Some(p) = p {
                        p.busy = false;
                        p.error = Some(format!("{} — try again.", capitalise(&e.to_string())));
                    }
                });
            }
            Err(e) => {
                state.link_prompt.set(None);
                opening_failed(state, prompt.source, &e.to_string());
            }
            Ok(doc) => {
                state.link_prompt.set(None);
                if let Err(e) = apply_doc(state, &doc, None, true) {
                    opening_failed(state, prompt.source, &e);
                }
            }
        }
    });
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The built-in sample's files as document files.
async fn sample_files() -> Result<Vec<DocFile>, String> {
    let (prices, holdings, benchmark) = io::sample().await?;
    let ws = Workspace {
        prices,
        holdings: Some(holdings),
        benchmark: Some(benchmark),
        ..Default::default()
    };
    Ok(ws.doc_files())
}

/// The sample with default settings.
async fn show_sample(state: AppState) -> Result<(), String> {
    let doc = WorkspaceDoc {
        files: sample_files().await?,
        settings: serde_json::to_value(Settings {
            is_sample: true,
            ..Default::default()
        })
        .unwrap_or_default(),
        page: "overview".into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
    };
    apply_doc(state, &doc, None, false)
}

/// A saved document made whole: a saved sample gets the sample's files.
async fn with_sample_files(mut doc: WorkspaceDoc) -> Result<WorkspaceDoc, String> {
    if saved::is_sample(&doc) && doc.files.is_empty() {
        doc.files = sample_files().await?;
    }
    Ok(doc)
}

/// Bring back the set-aside workspace; the current one takes its place aside (so the two can
/// be swapped back).
pub fn restore_aside(state: AppState) {
    spawn_local(async move {
        let doc = match saved::load_aside() {
            Ok(Some(doc)) => with_sample_files(doc).await,
            Ok(None) => Err("there is none".to_string()),
            Err(e) => Err(e),
        };
        let current = state.workspace.get_untracked();
        match doc.and_then(|d| prepare(&d, &current, state.next_generation())) {
            Ok(r) => {
                saved::set_aside();
                state.show_restored(r);
                state.notice.set(Some(
                    "The set-aside workspace is back; the one you had is now set aside in its place.".into(),
                ));
            }
            Err(e) => state.fail(format!(
                "The set-aside workspace could not be restored: {e}. Nothing was changed."
            )),
        }
    });
}

/// The saved workspace, or (nothing saved, or it cannot be restored: then it is set aside
/// with a notice) the sample.
async fn restore_saved_or_sample(state: AppState) {
    let saved = match saved::load() {
        Ok(Some(doc)) => {
            let doc = match with_sample_files(doc).await {
                Ok(d) => d,
                Err(e) => {
                    state.fail(format!("The built-in sample could not be loaded: {e}. Load your own files on the Data page."));
                    return;
                }
            };
            let current = Workspace::default();
            match prepare(&doc, &current, state.next_generation()) {
                Ok(r) => {
                    let ws = r.workspace.clone();
                    state.show_restored(r);
                    saved::mark_saved(&ws, None);
                    return;
                }
                Err(e) => Err(e),
            }
        }
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = saved {
        saved::set_aside();
        state.notice.set(Some(format!(
            "Your saved workspace could not be restored ({e}). It was set aside in this browser's storage ({} and {}), not deleted; the sample is shown.",
            saved::ASIDE_SETTINGS_KEY,
            saved::ASIDE_FILES_KEY
        )));
    }
    if let Err(e) = show_sample(state).await {
        state.fail(format!(
            "The built-in sample could not be loaded: {e}. Load your own files on the Data page."
        ));
    }
}

/// Start-up: a link in the address bar, else the saved workspace, else the sample. A full,
/// unprotected link opens directly (nothing else is loaded first); otherwise the saved
/// workspace or the sample comes first and the link is opened over it (a protected link asks
/// for its passphrase, a settings-only link uses that data, a bad link leaves it).
pub async fn start(state: AppState) {
    let fragment = io::fragment();
    let mut pending = (!fragment.is_empty()).then(|| decode(&fragment, None));
    let mut failed = None;
    let direct = match &pending {
        Some(Ok(doc)) if doc.files.iter().any(|f| f.role == ROLE_PRICES) => {
            Some(apply_doc(state, doc, Some(&fragment), true))
        }
        _ => None,
    };
    if let Some(result) = direct {
        pending = None;
        failed = result.err();
    }
    if state.computed.with_untracked(Option::is_none) {
        restore_saved_or_sample(state).await;
    }
    if let Some(why) = failed {
        opening_failed(state, "link", &why);
    } else if let Some(decoded) = pending {
        open_decoded(state, fragment, decoded, "link");
    }
    io::clear_fragment();
    state.loading.set(false);
}

/// A link pasted into the address bar of the open app (`hashchange`).
pub fn on_hash_change(state: AppState) {
    let fragment = io::fragment();
    if fragment.is_empty() {
        return;
    }
    io::clear_fragment();
    open_fragment(state, fragment, "link");
}

/// A new workspace: the saved one is forgotten, every setting returns to its default and the
/// sample is shown.
pub fn new_workspace(state: AppState) {
    saved::clear();
    spawn_local(async move {
        if let Err(e) = show_sample(state).await {
            state.fail(format!("The built-in sample could not be loaded: {e}."));
        }
    });
}

/// The passphrase dialog of a protected link or workspace file.
#[component]
pub fn PassphrasePrompt() -> impl IntoView {
    let state = expect_context::<AppState>();
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move || {
        if let Some(el) = input.get() {
            submit_passphrase(state, el.value());
        }
    };
    move || {
        state.link_prompt.get().map(|p| {
            view! {
                <div class="modal-backdrop">
                    <form class="modal" role="dialog" aria-modal="true" aria-labelledby="pass-title" data-testid="passphrase-prompt"
                        on:submit=move |ev| { ev.prevent_default(); submit(); }>
                        <h2 id="pass-title">"This " {p.source} " is protected"</h2>
                        <p>"Enter the passphrase it was shared with. It is checked here, in your browser."</p>
                        <input type="password" node_ref=input data-testid="passphrase-input" autocomplete="off" aria-label="Passphrase" autofocus=true />
                        {p.error.clone().map(|e| view! { <p class="field-error" role="alert" data-testid="passphrase-error">{e}</p> })}
                        <div class="modal-actions">
                            <button type="submit" data-testid="passphrase-open" disabled=p.busy>{if p.busy { "Opening…" } else { "Open" }}</button>
                            <button type="button" data-testid="passphrase-cancel" on:click=move |_| state.link_prompt.set(None)>"Cancel"</button>
                        </div>
                    </form>
                </div>
            }
        })
    }
}
