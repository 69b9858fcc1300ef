//! AES-256-GCM with a 96-bit nonce, the one authenticated cipher Tessera's own files (vault, backups)
//! and several foreign formats (Aegis, 2FAS, andOTP, Proton, Stratum) use. It lives here, below both
//! `vault`/`backup` and `formats`, so neither borrows crypto from the other.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

/// AES-256-GCM decryption of `ciphertext ‖ tag` with a 96-bit nonce; `None` when authentication fails.
pub fn open(key: &[u8], nonce: &[u8], ciphertext_and_tag: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if key.len() != 32 || nonce.len() != 12 || ciphertext_and_tag.len() < 16 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext_and_tag,
                aad,
            },
        )
        .ok()
}

/// AES-256-GCM encryption with a 96-bit nonce; returns `ciphertext ‖ tag`.
pub fn seal(key: &[u8], nonce: &[u8], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new_from_slice(key).expect("a 32-byte key");
    cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("AES-GCM encryption of an in-memory buffer cannot fail")
}
