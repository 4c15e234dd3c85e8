//! [`encode`], [`decode`] and [`inspect`]: documents to fragments and back.

use super::body::{read_body, write_body};
use super::crypto::{self, Secret};
use super::doc::WorkspaceDoc;
use super::error::ShareError;
use super::format::{
    deflate, frame, from_base64, inflate, split_prefix, to_base64, unframe, Prefix,
    MAX_DECOMPRESSED_BYTES, MAX_FRAGMENT_CHARS, NEWEST_VERSION,
};

/// What [`inspect`] learns from a fragment without a passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// Format version (from the prefix).
    pub version: u32,
    /// Whether a passphrase is needed.
    pub encrypted: bool,
    /// Bytes of the compressed body (for an encrypted link: of the ciphertext without its
    /// salt, nonce and tag).
    pub compressed_len: usize,
    /// Bytes of the checked frame (what the base64url text decodes to).
    pub payload_len: usize,
    /// Characters of the fragment (without `#`).
    pub fragment_len: usize,
}

/// Encodes `doc` as fragment text (without the `#`): `b1.` + base64url(frame), or `b1e.` when a
/// [`Secret`] is given. See [`super::format`] for the layout.
///
/// Errors: [`ShareError::TooLarge`] when the body exceeds [`MAX_DECOMPRESSED_BYTES`] or the
/// text [`MAX_FRAGMENT_CHARS`] (such a link could not be opened), [`ShareError::Invalid`] for
/// too many files, [`ShareError::EmptyPassphrase`].
pub fn encode(doc: &WorkspaceDoc, secret: Option<&Secret>) -> Result<String, ShareError> {
    let body = write_body(doc)?;
    if body.len() > MAX_DECOMPRESSED_BYTES {
        return Err(ShareError::TooLarge {
            limit: MAX_DECOMPRESSED_BYTES,
        });
    }
    let prefix = Prefix {
        version: NEWEST_VERSION,
        encrypted: secret.is_some(),
    };
    let prefix_text = prefix.text();
    let compressed = deflate(&body);
    let content = match secret {
        Some(s) => crypto::seal(s, prefix_text.as_bytes(), &compressed)?,
        None => compressed,
    };
    let text = prefix_text + &to_base64(&frame(&content)?);
    if text.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLarge {
            limit: MAX_FRAGMENT_CHARS,
        });
    }
    Ok(text)
}

/// Checks the fragment's size, prefix, base64url and frame (length and CRC-32) and returns
/// its [`Envelope`], without a passphrase and without inflating.
pub fn inspect(fragment: &str) -> Result<Envelope, ShareError> {
    let (prefix, _, content) = unpack(fragment)?;
    let compressed_len = if prefix.encrypted {
        content
            .len()
            .saturating_sub(crypto::SALT_LEN + crypto::NONCE_LEN + crypto::TAG_LEN)
    } else {
        content.len()
    };
    let payload_len = content.len() + super::format::FRAME_HEADER + super::format::FRAME_TRAILER;
    Ok(Envelope {
        version: prefix.version,
        encrypted: prefix.encrypted,
        compressed_len,
        payload_len,
        fragment_len: fragment.trim().trim_start_matches('#').len(),
    })
}

/// Size check, prefix, version check, base64url, frame: returns the checked frame content.
fn unpack(fragment: &str) -> Result<(Prefix, String, Vec<u8>), ShareError> {
    if fragment.len() > MAX_FRAGMENT_CHARS + 16 {
        return Err(ShareError::TooLarge {
            limit: MAX_FRAGMENT_CHARS,
        });
    }
    let (prefix, text) = split_prefix(fragment)?;
    if text.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLarge {
            limit: MAX_FRAGMENT_CHARS,
        });
    }
    if prefix.version > NEWEST_VERSION {
        return Err(ShareError::UnsupportedVersion {
            found: prefix.version,
            newest: NEWEST_VERSION,
        });
    }
    let framed = from_base64(text)?;
    let content = unframe(&framed)?.to_vec();
    Ok((prefix, prefix.text(), content))
}

/// Decodes fragment text (a leading `#` and surrounding whitespace are ignored). The
/// passphrase is needed only for an encrypted link ([`ShareError::NeedsPassphrase`] without
/// it) and ignored otherwise.
pub fn decode(fragment: &str, passphrase: Option<&str>) -> Result<WorkspaceDoc, ShareError> {
    let (prefix, prefix_text, content) = unpack(fragment)?;
    match prefix.version {
        1 => decode_v1(prefix.encrypted, &prefix_text, &content, passphrase),
        // A v2 adds its arm here (`2 => decode_v2(..)`); v1 links keep this path.
        found => Err(ShareError::UnsupportedVersion {
            found,
            newest: NEWEST_VERSION,
        }),
    }
}

/// Format version 1: `content` (checked frame content) → [decrypt] → inflate → body.
pub fn decode_v1(
    encrypted: bool,
    prefix_text: &str,
    content: &[u8],
    passphrase: Option<&str>,
) -> Result<WorkspaceDoc, ShareError> {
    let compressed;
    let deflated: &[u8] = if encrypted {
        let pass = passphrase.ok_or(ShareError::NeedsPassphrase)?;
        compressed = crypto::open(pass, prefix_text.as_bytes(), content)?;
        &compressed
    } else {
        content
    };
    read_body(&inflate(deflated)?)
}
