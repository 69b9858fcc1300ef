//! libsodium's `crypto_secretstream_xchacha20poly1305`, one message at a time: what Ente Auth encrypts
//! its exports with. Built from RustCrypto's ChaCha20 and Poly1305 following libsodium's
//! `secretstream_xchacha20poly1305.c`; checked against files written by libsodium itself
//! (tests/fixtures/ente, made with PyNaCl) and by a round trip through [`push`].

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use chacha20::ChaCha20;
use poly1305::universal_hash::{KeyInit, UniversalHash};
use poly1305::Poly1305;
use zeroize::Zeroizing;

pub const HEADER_LEN: usize = 24;
/// One tag byte and a 16-byte Poly1305 MAC around each message.
pub const OVERHEAD: usize = 17;
pub const TAG_MESSAGE: u8 = 0;
pub const TAG_FINAL: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullError {
    /// Shorter than a tag and a MAC.
    TooShort,
    /// The MAC does not match: wrong key, or the message was changed.
    Authentication,
}

/// The per-stream key and the 12-byte ChaCha20 nonce (4-byte counter, then 8 bytes of the header).
struct Stream {
    key: Zeroizing<[u8; 32]>,
    nonce: [u8; 12],
}

impl Stream {
    fn new(key: &[u8; 32], header: &[u8; HEADER_LEN]) -> Stream {
        let subkey =
            chacha20::hchacha::<chacha20::cipher::consts::U10>(key.into(), header[..16].into());
        let mut nonce = [0u8; 12];
        nonce[0] = 1; // the counter starts at 1 (little-endian)
        nonce[4..].copy_from_slice(&header[16..]);
        Stream {
            key: Zeroizing::new(subkey.into()),
            nonce,
        }
    }

    fn cipher_at_block(&self, block: u32) -> ChaCha20 {
        let mut c = ChaCha20::new(self.key.as_ref().into(), (&self.nonce).into());
        c.seek(u64::from(block) * 64);
        c
    }

    /// The MAC over the encrypted tag block and the ciphertext (no additional data).
    fn mac(&self, tag_block: &[u8; 64], ciphertext: &[u8]) -> [u8; 16] {
        let mut poly_key = Zeroizing::new([0u8; 32]);
        self.cipher_at_block(0).apply_keystream(poly_key.as_mut());
        let mut mac = Poly1305::new(poly_key.as_ref().into());
        mac.update_padded(tag_block);
        mac.update_padded(ciphertext);
        let mut lengths = [0u8; 16];
        // additional data length (none), then the length of the tag block and the message
        lengths[8..].copy_from_slice(&((64 + ciphertext.len()) as u64).to_le_bytes());
        mac.update_padded(&lengths);
        mac.finalize().into()
    }

    /// Block 1 of the keystream with `first` XORed into its first byte: how the tag byte is encrypted
    /// (and decrypted), and the block the MAC covers once its first byte is the encrypted tag.
    fn tag_block(&self, first: u8) -> [u8; 64] {
        let mut block = [0u8; 64];
        block[0] = first;
        self.cipher_at_block(1).apply_keystream(&mut block);
        block
    }
}

/// Decrypts the first message of a stream; returns the plaintext and its tag.
pub fn pull_first(
    key: &[u8; 32],
    header: &[u8; HEADER_LEN],
    message: &[u8],
) -> Result<(Zeroizing<Vec<u8>>, u8), PullError> {
    if message.len() < OVERHEAD {
        return Err(PullError::TooShort);
    }
    let stream = Stream::new(key, header);
    let (ciphertext, stored_mac) = message[1..].split_at(message.len() - OVERHEAD);
    let mut block = stream.tag_block(message[0]);
    let tag = block[0];
    block[0] = message[0];
    let mac = stream.mac(&block, ciphertext);
    if !constant_time_eq(&mac, stored_mac) {
        return Err(PullError::Authentication);
    }
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    stream.cipher_at_block(2).apply_keystream(&mut plain);
    Ok((plain, tag))
}

/// Encrypts `plain` as the first message of a stream with `tag` (for tests and round trips).
pub fn push_first(key: &[u8; 32], header: &[u8; HEADER_LEN], plain: &[u8], tag: u8) -> Vec<u8> {
    let stream = Stream::new(key, header);
    let block = stream.tag_block(tag);
    let mut ciphertext = plain.to_vec();
    stream.cipher_at_block(2).apply_keystream(&mut ciphertext);
    let mac = stream.mac(&block, &ciphertext);
    let mut out = Vec::with_capacity(plain.len() + OVERHEAD);
    out.push(block[0]);
    out.extend_from_slice(&ciphertext);
    out.extend_from_slice(&mac);
    out
}

/// Compares MACs without an early exit, so timing says nothing about where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_flipped_byte_is_refused() {
        let key = [7u8; 32];
        let header = [9u8; HEADER_LEN];
        let sealed = push_first(
            &key,
            &header,
            b"otpauth://totp/A?secret=JBSWY3DP",
            TAG_FINAL,
        );
        let (plain, tag) = pull_first(&key, &header, &sealed).unwrap();
        assert_eq!(&plain[..], b"otpauth://totp/A?secret=JBSWY3DP");
        assert_eq!(tag, TAG_FINAL);
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                pull_first(&key, &header, &bad).unwrap_err(),
                PullError::Authentication,
                "byte {i}"
            );
        }
        let mut other_key = key;
        other_key[0] ^= 1;
        assert!(pull_first(&other_key, &header, &sealed).is_err());
        assert_eq!(
            pull_first(&key, &header, &sealed[..16]).unwrap_err(),
            PullError::TooShort
        );
    }
}
