//! Passphrase protection: Argon2id key derivation and XChaCha20-Poly1305.
//!
//! - key = Argon2id (version 0x13), memory [`KDF_MEMORY_KIB`] KiB (19 MiB), [`KDF_ITERATIONS`]
//!   passes, [`KDF_LANES`] lane, 32-byte output, over the passphrase's UTF-8 bytes and a random
//!   16-byte salt — the OWASP minimum for Argon2id, chosen so it stays bearable in a browser's
//!   single-threaded wasm (a few hundred ms) while costing an attacker 19 MiB per guess.
//! - cipher = XChaCha20-Poly1305 with a random 24-byte nonce (large enough that random nonces
//!   never collide); the prefix text is authenticated as associated data.
//!
//! The parameters are fixed by the format version: a v2 may raise them.
//!
//! Randomness comes from the caller: [`Secret`] carries a fresh salt and nonce (the app fills
//! them from `window.crypto.getRandomValues`, the CLI from the OS generator). Reusing a
//! salt and nonce with the same passphrase for two different documents would be unsafe.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::error::ShareError;

/// Argon2id memory cost in KiB (19 MiB).
pub const KDF_MEMORY_KIB: u32 = 19 * 1024;
/// Argon2id passes.
pub const KDF_ITERATIONS: u32 = 2;
/// Argon2id lanes.
pub const KDF_LANES: u32 = 1;
/// Salt length in bytes.
pub const SALT_LEN: usize = 16;
/// Nonce length in bytes.
pub const NONCE_LEN: usize = 24;
/// Poly1305 tag length in bytes.
pub const TAG_LEN: usize = 16;

/// A passphrase with the fresh random salt and nonce to encrypt one link with.
#[derive(Clone)]
pub struct Secret {
    /// The passphrase (any Unicode; used as its UTF-8 bytes).
    pub passphrase: String,
    /// 16 random bytes for the key derivation.
    pub salt: [u8; SALT_LEN],
    /// 24 random bytes for the cipher.
    pub nonce: [u8; NONCE_LEN],
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("passphrase", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Derives the 32-byte key from a passphrase and salt (Argon2id, parameters above).
pub fn derive_key(passphrase: &str, salt: &[u8]) -> Result<[u8; 32], ShareError> {
    let params = Params::new(KDF_MEMORY_KIB, KDF_ITERATIONS, KDF_LANES, Some(32))
        .map_err(|_| ShareError::invalid("key derivation parameters"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut key = [0u8; 32];
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|_| ShareError::invalid("key derivation"))?;
    Ok(key)
}

fn cipher(key: &[u8; 32]) -> Result<XChaCha20Poly1305, ShareError> {
    XChaCha20Poly1305::new_from_slice(key).map_err(|_| ShareError::invalid("key"))
}

/// Encrypts `plain`: returns `salt ‖ nonce ‖ ciphertext ‖ tag`.
pub fn seal(secret: &Secret, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, ShareError> {
    if secret.passphrase.is_empty() {
        return Err(ShareError::EmptyPassphrase);
    }
    let key = derive_key(&secret.passphrase, &secret.salt)?;
    let nonce = XNonce::from(secret.nonce);
    let sealed = cipher(&key)?
        .encrypt(&nonce, Payload { msg: plain, aad })
        .map_err(|_| ShareError::invalid("encryption"))?;
    let mut out = Vec::with_capacity(SALT_LEN + NONCE_LEN + sealed.len());
    out.extend_from_slice(&secret.salt);
    out.extend_from_slice(&secret.nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts `salt ‖ nonce ‖ ciphertext ‖ tag`; a failed tag is [`ShareError::WrongPassphrase`]
/// (the frame's CRC-32 has already ruled out damage).
pub fn open(passphrase: &str, aad: &[u8], content: &[u8]) -> Result<Vec<u8>, ShareError> {
    if content.len() < SALT_LEN + NONCE_LEN + TAG_LEN {
        return Err(ShareError::invalid(
            "encrypted payload shorter than its header",
        ));
    }
    let (salt, rest) = content.split_at(SALT_LEN);
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let mut n = [0u8; NONCE_LEN];
    n.copy_from_slice(nonce);
    let key = derive_key(passphrase, salt)?;
    cipher(&key)?
        .decrypt(&XNonce::from(n), Payload { msg: sealed, aad })
        .map_err(|_| ShareError::WrongPassphrase)
}
