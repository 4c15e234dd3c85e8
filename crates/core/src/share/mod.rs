//! Share links and saved workspaces — private by construction.
//!
//! The whole workspace ([`WorkspaceDoc`]: data files, holdings, settings, the open page) is
//! packed into a URL **fragment** (the text after `#`, which browsers never send to a server)
//! as a compact, compressed, optionally encrypted, versioned payload.
//!
//! - [`encode`] turns a document into fragment text (without the `#`);
//! - [`inspect`] reads only the envelope (version, encrypted or not, sizes) and checks the
//!   checksum, so the app can ask for a passphrase before decoding;
//! - [`decode`] turns fragment text back into the document.
//!
//! This module has no web dependency and draws no randomness: for an encrypted link the caller
//! supplies the salt and nonce in a [`Secret`] (the app from `window.crypto`, the CLI from the
//! OS random number generator). The wire format is specified in [`format`]; the key derivation
//! in [`crypto`]; the body (what is compressed) in [`body`].

pub mod body;
pub mod codec;
pub mod crypto;
pub mod doc;
pub mod error;
pub mod format;
pub mod size;

pub use codec::{decode, encode, inspect, Envelope};
pub use crypto::Secret;
pub use doc::{DocFile, WorkspaceDoc, ROLE_BENCHMARK, ROLE_HOLDINGS, ROLE_PRICES};
pub use error::ShareError;
pub use format::{
    MAX_DECOMPRESSED_BYTES, MAX_FILES, MAX_FRAGMENT_CHARS, NEWEST_VERSION, PREFIX_MARK,
};
pub use size::{is_large_link, link_size, settings_only, LARGE_LINK_BYTES};
