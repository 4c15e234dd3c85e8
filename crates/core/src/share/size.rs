//! Link sizes and the "settings and holdings only" fallback for large workspaces.

use super::doc::{WorkspaceDoc, ROLE_BENCHMARK, ROLE_PRICES};

/// Above this many bytes a link is "large": browsers, chat apps and mail clients may cut or
/// refuse it, so the app offers to share settings and holdings only (2 MiB).
pub const LARGE_LINK_BYTES: usize = 2 * 1024 * 1024;

/// Length of the full link: base URL, `#`, fragment.
pub fn link_size(fragment_len: usize, base_url_len: usize) -> usize {
    base_url_len + 1 + fragment_len
}

/// Whether a link of this size is over [`LARGE_LINK_BYTES`].
pub fn is_large_link(fragment_len: usize, base_url_len: usize) -> bool {
    link_size(fragment_len, base_url_len) > LARGE_LINK_BYTES
}

/// The document without its price and benchmark files (the recipient loads their own data):
/// holdings, other files, settings and page are kept.
pub fn settings_only(doc: &WorkspaceDoc) -> WorkspaceDoc {
    WorkspaceDoc {
        files: doc
            .files
            .iter()
            .filter(|f| f.role != ROLE_PRICES && f.role != ROLE_BENCHMARK)
            .cloned()
            .collect(),
        settings: doc.settings.clone(),
        page: doc.page.clone(),
        app_version: doc.app_version.clone(),
    }
}
