//! Errors of share links, each with a message a person can act on.

use thiserror::Error;

/// Why a share link could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShareError {
    /// The fragment does not start with a Ballast prefix (`b<version>.` or `b<version>e.`).
    #[error("this link is not a Ballast workspace")]
    NotBallast,
    /// The payload ends before its declared length.
    #[error("the link is incomplete — it may have been cut when copied")]
    Truncated,
    /// The payload fails its CRC-32 (or its header check), or holds characters that base64url
    /// does not use.
    #[error("the link is damaged (it fails its checksum)")]
    Corrupted,
    /// The link was made in a newer format than this build reads.
    #[error(
        "this link was made by a newer Ballast (format {found}); this version reads up to {newest}"
    )]
    UnsupportedVersion {
        /// The link's format version.
        found: u32,
        /// The newest format this build reads.
        newest: u32,
    },
    /// The link is encrypted and no passphrase was given.
    #[error("this link is protected by a passphrase — enter it to open the workspace")]
    NeedsPassphrase,
    /// The passphrase does not open the link (the authenticated decryption failed).
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    /// Encoding was asked to protect a link with an empty passphrase.
    #[error("the passphrase must not be empty")]
    EmptyPassphrase,
    /// The link, or the workspace inside it, exceeds a size limit.
    #[error("the workspace is too large for a link (the limit is {limit} bytes)")]
    TooLarge {
        /// The limit that was exceeded, in bytes (or characters, for the fragment text).
        limit: usize,
    },
    /// The payload passes its checksum but its contents are malformed.
    #[error("the link's contents are malformed ({what})")]
    Invalid {
        /// What was malformed.
        what: String,
    },
}

impl ShareError {
    pub(crate) fn invalid(what: impl Into<String>) -> Self {
        ShareError::Invalid { what: what.into() }
    }
}
