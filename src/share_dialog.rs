//! The Share dialog: the whole workspace (data, settings, the open page) in a link's fragment
//! — after `#`, which browsers never send to a server — with its size shown before copying;
//! optionally protected by a passphrase (Argon2id + XChaCha20-Poly1305, salt and nonce from
//! `crypto.getRandomValues`). Above 2 MB it offers a settings-and-holdings-only link or a
//! workspace file instead. Encoding runs on the main thread after a "Preparing…" paint
//! (about a third of a second for the sample; the key derivation adds about as much).

use crate::app::AppState;
use crate::io;
use crate::settings::doc_of;
use ballast_core::share::size::{link_size, settings_only, LARGE_LINK_BYTES};
use ballast_core::share::{encode, Secret, WorkspaceDoc};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A link made by the dialog.
#[derive(Debug, Clone, PartialEq)]
struct Made {
    url: String,
    bytes: usize,
    with_data: bool,
    protected: bool,
}

/// The document of the workspace, protected or not, as a fragment.
pub fn fragment_of(doc: &WorkspaceDoc, passphrase: &str) -> Result<String, String> {
    let secret = if passphrase.is_empty() {
        None
    } else {
        Some(Secret {
            passphrase: passphrase.to_string(),
            salt: io::random_bytes()?,
            nonce: io::random_bytes()?,
        })
    };
    encode(doc, secret.as_ref()).map_err(|e| e.to_string())
}

/// "674 KB" / "3.4 MB".
pub fn size_text(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{:.0} KB", (bytes as f64 / 1000.0).ceil())
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

#[component]
pub fn ShareDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let with_data = RwSignal::new(true);
    let passphrase = RwSignal::new(String::new());
    let made = RwSignal::new(None::<Made>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let make = move || {
        busy.set(true);
        made.set(None);
        error.set(None);
        copied.set(false);
        spawn_local(async move {
            io::yield_to_browser().await;
            let t0 = io::now_ms();
            let full = doc_of(&state, true);
            let doc = if with_data.get_untracked() {
                full
            } else {
                settings_only(&full)
            };
            let pass = passphrase.get_untracked();
            match fragment_of(&doc, &pass) {
                Ok(f) => {
                    let base = io::base_url();
                    made.set(Some(Made {
                        bytes: link_size(f.len(), base.len()),
                        url: format!("{base}#{f}"),
                        with_data: with_data.get_untracked(),
                        protected: !pass.is_empty(),
                    }));
                }
                Err(e) => error.set(Some(format!("The link could not be made: {e}."))),
            }
            io::record_ms("shareMs", io::now_ms() - t0);
            busy.set(false);
        });
    };
    let copy = move || {
        let Some(m) = made.get_untracked() else {
            return;
        };
        let Some(w) = web_sys::window() else { return };
        let p = w.navigator().clipboard().write_text(&m.url);
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(p).await {
                Ok(_) => copied.set(true),
                Err(_) => error.set(Some(
                    "The browser did not allow copying: select the link above and copy it.".into(),
                )),
            }
        });
    };
    let close = move || {
        state.share_open.set(false);
        made.set(None);
        passphrase.set(String::new());
    };
    move || {
        state.share_open.get().then(|| {
            view! {
                <div class="modal-backdrop">
                    <div class="modal share" role="dialog" aria-modal="true" aria-labelledby="share-title" data-testid="share-dialog">
                        <h2 id="share-title">"Share this workspace"</h2>
                        <p class="note">"The link carries your data, settings and the open page after its “#”, which browsers never send to a server: whoever opens it sees exactly what you see, computed in their browser. Anyone with the link can read it — add a passphrase to protect it."</p>
                        <label class="check">
                            <input type="checkbox" data-testid="share-with-data" prop:checked=move || with_data.get()
                                on:change=move |ev| { with_data.set(event_target_checked(&ev)); made.set(None); } />
                            " Include the price data (otherwise: settings and holdings only; the recipient uses their own prices)"
                        </label>
                        <label class="field">
                            "Passphrase (optional) "
                            <input type="password" autocomplete="new-password" data-testid="share-passphrase" prop:value=move || passphrase.get()
                                on:input=move |ev| { passphrase.set(event_target_value(&ev)); made.set(None); } />
                        </label>
                        <div class="modal-actions">
                            <button data-testid="share-make" disabled=move || busy.get() on:click=move |_| make()>
                                {move || if busy.get() { "Preparing the link…" } else { "Create link" }}
                            </button>
                            <button data-testid="share-export" on:click=move |_| crate::workspace_menu::export_file(state, passphrase.get_untracked())>"Export a workspace file instead"</button>
                            <button data-testid="share-close" on:click=move |_| close()>"Close"</button>
                        </div>
                        {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                        {move || made.get().map(|m| {
                            let large = m.bytes > LARGE_LINK_BYTES;
                            let what = match (m.with_data, m.protected) {
                                (true, false) => "data, settings and page",
                                (true, true) => "data, settings and page, protected by the passphrase",
                                (false, false) => "settings, holdings and page (no prices)",
                                (false, true) => "settings, holdings and page (no prices), protected by the passphrase",
                            };
                            view! {
                                <div class="share-result">
                                    <p data-testid="share-size" data-bytes=m.bytes.to_string()>
                                        "Link size: " <strong>{size_text(m.bytes)}</strong> " — " {what} "."
                                    </p>
                                    {large.then(|| view! {
                                        <div class="warn" data-testid="share-large">
                                            <p>"This link is over " {size_text(LARGE_LINK_BYTES)} ": chat and mail apps may cut it. Share settings and holdings only (the recipient uses their own prices), or export a workspace file instead."</p>
                                            <div class="modal-actions">
                                                <button data-testid="share-settings-only" on:click=move |_| { with_data.set(false); make(); }>"Make a settings-and-holdings link"</button>
                                                <button data-testid="share-large-export" on:click=move |_| crate::workspace_menu::export_file(state, passphrase.get_untracked())>"Export a workspace file"</button>
                                            </div>
                                        </div>
                                    })}
                                    <textarea readonly rows="3" data-testid="share-link" aria-label="The share link" prop:value=m.url.clone()></textarea>
                                    <div class="modal-actions">
                                        <button data-testid="share-copy" on:click=move |_| copy()>"Copy link"</button>
                                        {move || copied.get().then(|| view! { <span class="ok" data-testid="share-copied">"Copied."</span> })}
                                    </div>
                                </div>
                            }
                        })}
                    </div>
                </div>
            }
        })
    }
}
