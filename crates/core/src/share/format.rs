//! The link format: prefix, base64url text and the checked frame.
//!
//! # Format, version 1
//!
//! ```text
//! fragment  = prefix payload64
//! prefix    = "b1."            plain (compressed, not encrypted)
//!           | "b1e."           encrypted with a passphrase
//! payload64 = base64url(frame), URL-safe alphabet (A–Z a–z 0–9 - _), no padding
//! frame     = len:u32le  hcheck:u16le  content[len]  crc:u32le
//!   hcheck  = low 16 bits of CRC-32(len's 4 bytes)       — a damaged length is "damaged",
//!                                                           not "incomplete"
//!   crc     = CRC-32 (IEEE) of content                   — any flipped bit is detected
//! content   = deflate(body)                              when plain
//!           = salt[16] nonce[24] seal                    when encrypted
//!   seal    = XChaCha20-Poly1305(key, nonce, deflate(body), aad = prefix) ‖ tag[16]
//!   key     = Argon2id(passphrase, salt), see [`super::crypto`]
//! deflate   = raw DEFLATE (RFC 1951, no zlib header), miniz_oxide level 10
//! body      = see [`super::body`]
//! ```
//!
//! `prefix` is `b` (for Ballast), the format version in decimal, an optional `e` (encrypted)
//! and a `.`. The frame's length and checksums let [`super::inspect`] tell an incomplete link
//! (cut when copied) from a damaged one, and refuse both, without a passphrase and before the
//! (slow) key derivation. Compression happens before encryption (ciphertext does not compress).
//!
//! Limits checked while decoding: the fragment text ([`MAX_FRAGMENT_CHARS`]), the inflated body
//! ([`MAX_DECOMPRESSED_BYTES`], checked *while* inflating, so a decompression bomb stops at the
//! limit) and the number of files ([`MAX_FILES`]).
//!
//! # Adding a version
//!
//! A v2 adds a `decode_v2` beside [`super::codec::decode_v1`], raises [`NEWEST_VERSION`] and
//! makes `encode` write `b2.`/`b2e.`; `decode` dispatches on the prefix's version, so v1 links
//! keep opening through `decode_v1` unchanged. A link whose version is above
//! [`NEWEST_VERSION`] gives [`ShareError::UnsupportedVersion`].

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use super::error::ShareError;

/// The letter that starts every Ballast fragment.
pub const PREFIX_MARK: char = 'b';
/// The newest format version this build writes and reads.
pub const NEWEST_VERSION: u32 = 1;
/// Longest fragment text accepted, in characters (32 MiB).
pub const MAX_FRAGMENT_CHARS: usize = 32 * 1024 * 1024;
/// Largest inflated body accepted, in bytes (64 MiB), checked while inflating.
pub const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024 * 1024;
/// Most files a workspace may carry.
pub const MAX_FILES: usize = 1024;
/// The DEFLATE level used when encoding: 6, the zlib default. On the sample (1.36 MB of CSV)
/// it gives a link within 0.3% of level 10 (miniz_oxide's highest) in about a quarter of
/// the time, which matters in the browser where encoding runs on the main thread.
pub const DEFLATE_LEVEL: u8 = 6;

/// Bytes of the frame's header (`len` and `hcheck`).
pub const FRAME_HEADER: usize = 6;
/// Bytes of the frame's trailing CRC-32.
pub const FRAME_TRAILER: usize = 4;

/// URL-safe base64 without padding; decoding accepts stray trailing bits so that a link cut
/// mid-character reads as incomplete (the frame's length then tells), not as damaged.
const B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A parsed prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// Format version.
    pub version: u32,
    /// Whether the payload is encrypted.
    pub encrypted: bool,
}

impl Prefix {
    /// The prefix text, e.g. `b1.` or `b1e.`.
    pub fn text(&self) -> String {
        format!(
            "{PREFIX_MARK}{}{}.",
            self.version,
            if self.encrypted { "e" } else { "" }
        )
    }
}

/// Splits a fragment into its prefix and its base64url text. A leading `#` and surrounding
/// whitespace are ignored.
pub fn split_prefix(fragment: &str) -> Result<(Prefix, &str), ShareError> {
    let s = fragment.trim();
    let s = s.strip_prefix('#').unwrap_or(s);
    let rest = s.strip_prefix(PREFIX_MARK).ok_or(ShareError::NotBallast)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 || rest.starts_with('0') {
        return Err(ShareError::NotBallast);
    }
    let version: u32 = rest[..digits].parse().map_err(|_| ShareError::NotBallast)?;
    let rest = &rest[digits..];
    let (encrypted, rest) = match rest.strip_prefix('e') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let payload = rest.strip_prefix('.').ok_or(ShareError::NotBallast)?;
    Ok((Prefix { version, encrypted }, payload))
}

/// base64url (no padding) of `bytes`.
pub fn to_base64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Decodes base64url text. A character outside the alphabet is [`ShareError::Corrupted`]; a
/// dangling last character (a link cut mid-byte) is dropped and left to the frame's length.
pub fn from_base64(text: &str) -> Result<Vec<u8>, ShareError> {
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ShareError::Corrupted);
    }
    // All ASCII from here, so any byte index is a character boundary.
    let text = if text.len() % 4 == 1 {
        &text[..text.len() - 1]
    } else {
        text
    };
    B64.decode(text).map_err(|_| ShareError::Corrupted)
}

fn header_check(len: [u8; 4]) -> [u8; 2] {
    let c = crc32fast::hash(&len).to_le_bytes();
    [c[0], c[1]]
}

/// Wraps `content` in a frame (length, header check, content, CRC-32).
pub fn frame(content: &[u8]) -> Result<Vec<u8>, ShareError> {
    let len = u32::try_from(content.len()).map_err(|_| ShareError::TooLarge {
        limit: MAX_FRAGMENT_CHARS,
    })?;
    let len = len.to_le_bytes();
    let mut out = Vec::with_capacity(FRAME_HEADER + content.len() + FRAME_TRAILER);
    out.extend_from_slice(&len);
    out.extend_from_slice(&header_check(len));
    out.extend_from_slice(content);
    out.extend_from_slice(&crc32fast::hash(content).to_le_bytes());
    Ok(out)
}

/// Checks a frame and returns its content: [`ShareError::Truncated`] when it ends early,
/// [`ShareError::Corrupted`] when a check fails or bytes trail it.
pub fn unframe(frame: &[u8]) -> Result<&[u8], ShareError> {
    if frame.len() < FRAME_HEADER {
        return Err(ShareError::Truncated);
    }
    let len = [frame[0], frame[1], frame[2], frame[3]];
    if header_check(len) != [frame[4], frame[5]] {
        return Err(ShareError::Corrupted);
    }
    let len = u32::from_le_bytes(len) as usize;
    let rest = &frame[FRAME_HEADER..];
    let needed = len
        .checked_add(FRAME_TRAILER)
        .ok_or(ShareError::Corrupted)?;
    if rest.len() < needed {
        return Err(ShareError::Truncated);
    }
    if rest.len() > needed {
        return Err(ShareError::Corrupted);
    }
    let (content, crc) = rest.split_at(len);
    let crc = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crc32fast::hash(content) != crc {
        return Err(ShareError::Corrupted);
    }
    Ok(content)
}

/// Raw DEFLATE of `body` at [`DEFLATE_LEVEL`].
pub fn deflate(body: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(body, DEFLATE_LEVEL)
}

/// Inflates raw DEFLATE data, stopping at [`MAX_DECOMPRESSED_BYTES`].
pub fn inflate(data: &[u8]) -> Result<Vec<u8>, ShareError> {
    use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
    decompress_to_vec_with_limit(data, MAX_DECOMPRESSED_BYTES).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => ShareError::TooLarge {
            limit: MAX_DECOMPRESSED_BYTES,
        },
        _ => ShareError::invalid("compressed data"),
    })
}
