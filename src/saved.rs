//! The saved workspace: autosaved to the browser's local storage, restored at start-up.
//!
//! Two entries, so that a settings change does not re-compress the data:
//! - `ballast.v1.settings`: JSON `{settings, page, app_version}` (rewritten on every change,
//!   a few kilobytes);
//! - `ballast.v1.files`: the data files as a share-link fragment (`ballast_core::share`,
//!   DEFLATE + checksum), rewritten only when the files change. The built-in sample is not
//!   stored (it ships with the app and is fetched again).
//!
//! Saved state that cannot be read or computed is set aside under `ballast.v1.set-aside.*`
//! (kept for the user to export, never deleted silently) and the app starts from the sample
//! with a notice. A full local storage (browsers allow about 5 MB per site) is reported once;
//! the app keeps working and a workspace file can still be exported.

use crate::app::AppState;
use crate::settings::Settings;
use crate::workspace::Workspace;
use ballast_core::pipeline::InputFile;
use ballast_core::share::{decode, encode, WorkspaceDoc};
use leptos::prelude::*;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::time::Duration;
use web_sys::Storage;

pub const SETTINGS_KEY: &str = "ballast.v1.settings";
pub const FILES_KEY: &str = "ballast.v1.files";
pub const ASIDE_SETTINGS_KEY: &str = "ballast.v1.set-aside.settings";
pub const ASIDE_FILES_KEY: &str = "ballast.v1.set-aside.files";
/// Quiet time after the last change before saving (milliseconds).
const SAVE_DELAY_MS: u64 = 300;

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved workspace, if any: `Ok(None)` when nothing is saved; an error says why the saved
/// state cannot be read. A saved sample workspace comes back without files (the caller adds
/// the sample's).
pub fn load() -> Result<Option<WorkspaceDoc>, String> {
    load_from(SETTINGS_KEY, FILES_KEY)
}

/// The workspace set aside (by a link that replaced it, or because it could not be restored).
pub fn load_aside() -> Result<Option<WorkspaceDoc>, String> {
    load_from(ASIDE_SETTINGS_KEY, ASIDE_FILES_KEY)
}

/// Whether a workspace has been set aside.
pub fn has_aside() -> bool {
    storage().is_some_and(|s| s.get_item(ASIDE_SETTINGS_KEY).ok().flatten().is_some())
}

/// Whether a workspace of the user's own (not the sample) is saved.
pub fn has_own() -> bool {
    storage()
        .and_then(|s| s.get_item(SETTINGS_KEY).ok().flatten())
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v.get("settings")?.get("is_sample")?.as_bool())
        .is_some_and(|sample| !sample)
}

fn load_from(settings_key: &str, files_key: &str) -> Result<Option<WorkspaceDoc>, String> {
    let Some(store) = storage() else {
        return Ok(None);
    };
    let Some(text) = store.get_item(settings_key).ok().flatten() else {
        return Ok(None);
    };
    let saved: Value = serde_json::from_str(&text)
        .map_err(|e| format!("the saved settings are not readable ({e})"))?;
    let mut doc = WorkspaceDoc {
        files: Vec::new(),
        settings: saved.get("settings").cloned().unwrap_or(Value::Null),
        page: saved
            .get("page")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        app_version: saved
            .get("app_version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    };
    if let Some(files) = store.get_item(files_key).ok().flatten() {
        doc.files = decode(&files, None)
            .map_err(|e| format!("the saved data files are damaged ({e})"))?
            .files;
    }
    Ok(Some(doc))
}

/// Whether a saved document is the built-in sample (its files come with the app).
pub fn is_sample(doc: &WorkspaceDoc) -> bool {
    doc.settings
        .get("is_sample")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Move the saved workspace aside (replacing anything set aside before) so that the app can
/// start afresh; it stays in the browser for the user to recover.
pub fn set_aside() {
    let Some(store) = storage() else { return };
    // Nothing is saved now: the next autosave writes the files again.
    LAST.with(|l| *l.borrow_mut() = None);
    for (from, to) in [
        (SETTINGS_KEY, ASIDE_SETTINGS_KEY),
        (FILES_KEY, ASIDE_FILES_KEY),
    ] {
        let _ = store.remove_item(to);
        if let Some(v) = store.get_item(from).ok().flatten() {
            let _ = store.set_item(to, &v);
        }
        let _ = store.remove_item(from);
    }
}

/// Forget the saved workspace (a new workspace).
pub fn clear() {
    if let Some(store) = storage() {
        let _ = store.remove_item(SETTINGS_KEY);
        let _ = store.remove_item(FILES_KEY);
    }
}

/// The files last written, to skip rewriting unchanged data.
type SavedFiles = (Vec<InputFile>, Option<InputFile>, Option<InputFile>, bool);

thread_local! {
    static LAST: RefCell<Option<SavedFiles>> = const { RefCell::new(None) };
}

fn files_of(ws: &Workspace) -> SavedFiles {
    (
        ws.prices.clone(),
        ws.holdings.clone(),
        ws.benchmark.clone(),
        ws.is_sample,
    )
}

/// Whether `last` holds `ws`'s files (compared in place: nothing is copied).
fn same_files(last: Option<&SavedFiles>, ws: &Workspace) -> bool {
    last.is_some_and(|(p, h, b, sample)| {
        *p == ws.prices && *h == ws.holdings && *b == ws.benchmark && *sample == ws.is_sample
    })
}

/// Record that `ws`'s files are what storage holds (just restored from it), or store
/// `fragment` — an unencrypted share fragment of `ws`'s files, e.g. the link just opened — as
/// the saved files without compressing them again.
pub fn mark_saved(ws: &Workspace, fragment: Option<&str>) {
    if let (Some(store), Some(f)) = (storage(), fragment) {
        if ws.is_sample || store.set_item(FILES_KEY, f).is_err() {
            return;
        }
    }
    LAST.with(|l| *l.borrow_mut() = Some(files_of(ws)));
}

/// Save the workspace now. Returns an error (e.g. storage full) in plain words.
fn save_now(state: &AppState) -> Result<(), String> {
    let Some(store) = storage() else {
        return Ok(());
    };
    let t0 = crate::io::now_ms();
    let (changed, is_sample) = state.workspace.with_untracked(|ws| {
        let same = LAST.with(|l| same_files(l.borrow().as_ref(), ws));
        (!same, ws.is_sample)
    });
    if changed {
        if is_sample {
            let _ = store.remove_item(FILES_KEY);
        } else {
            let doc = WorkspaceDoc {
                files: state.workspace.with_untracked(Workspace::doc_files),
                settings: Value::Null,
                page: String::new(),
                app_version: env!("CARGO_PKG_VERSION").to_string(),
            };
            let text = encode(&doc, None).map_err(|e| e.to_string())?;
            if store.set_item(FILES_KEY, &text).is_err() {
                // Never leave settings that point at old files.
                let _ = store.remove_item(FILES_KEY);
                let _ = store.remove_item(SETTINGS_KEY);
                LAST.with(|l| *l.borrow_mut() = None);
                return Err(format!(
                    "your data ({:.1} MB compressed) does not fit in this browser's storage, so it will not be restored after a reload — export a workspace file to keep it",
                    text.len() as f64 / 1e6
                ));
            }
        }
        let files = state.workspace.with_untracked(files_of);
        LAST.with(|l| *l.borrow_mut() = Some(files));
    }
    let saved = json!({
        "settings": Settings::gather(state),
        "page": state.page.get_untracked().key(),
        "app_version": env!("CARGO_PKG_VERSION"),
    });
    store
        .set_item(SETTINGS_KEY, &saved.to_string())
        .map_err(|_| "the settings could not be saved in this browser's storage".to_string())?;
    crate::io::record_ms("saveMs", crate::io::now_ms() - t0);
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let n: u32 = body
            .dataset()
            .get("saveCount")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let _ = body.dataset().set("saveCount", &(n + 1).to_string());
    }
    Ok(())
}

/// Autosave: after any change to the workspace, its settings or the page, save once things
/// have been quiet for [`SAVE_DELAY_MS`]. Nothing is saved before the start-up restore has
/// finished (`state.loading` false), so a slow start never overwrites the saved workspace.
pub fn autosave(state: AppState) {
    let pending = StoredValue::new(0u64);
    let warned = StoredValue::new(false);
    let mc = Memo::new(move |_| state.mc.with(|m| (m.paths, m.seed)));
    Effect::new(move |_| {
        state.workspace.track();
        state.computed.track();
        state.opt.settings.track();
        state.opt.rebalance.track();
        state.sizing.calc.track();
        state.sizing.trade.track();
        state.sizing.maintenance.track();
        state.sizing.hedge.track();
        state.perf_log_scale.track();
        state.page.track();
        mc.track();
        if state.loading.get() || state.computed.with_untracked(Option::is_none) {
            return;
        }
        pending.update_value(|n| *n += 1);
        let ticket = pending.get_value();
        set_timeout(
            move || {
                if pending.get_value() != ticket {
                    return;
                }
                if let Err(e) = save_now(&state) {
                    if !warned.get_value() {
                        warned.set_value(true);
                        state
                            .notice
                            .set(Some(format!("Not saved in this browser: {e}.")));
                    }
                }
            },
            Duration::from_millis(SAVE_DELAY_MS),
        );
    });
}
