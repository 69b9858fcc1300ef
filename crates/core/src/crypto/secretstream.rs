//! libsodium's `crypto_secretstream_xchacha20poly1305`: what Ente Auth encrypts its exports with.
//!
//! A thin wrapper over RustCrypto's maintained `crypto_secretstream` crate (nacl-compat), which feeds
//! Poly1305 exactly as libsodium does (including libsodium's `mlen mod 16` padding quirk that the earlier
//! hand-built version got wrong: security review finding #1). Checked against streams written by libsodium
//! itself for every plaintext length 0..=48 and a three-message stream (tests/fixtures/ente/lengths,
//! made with PyNaCl).

use crypto_secretstream::{Header, Key, PullStream, PushStream, Tag};
use zeroize::Zeroizing;

pub const HEADER_LEN: usize = 24;
/// One tag byte and a 16-byte Poly1305 MAC around each message.
pub const OVERHEAD: usize = 17;
pub const TAG_MESSAGE: u8 = 0;
pub const TAG_PUSH: u8 = 1;
pub const TAG_REKEY: u8 = 2;
pub const TAG_FINAL: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullError {
    /// Shorter than a tag and a MAC.
    TooShort,
    /// The MAC does not match (wrong key, or the message was changed), or the tag is not one of
    /// libsodium's four.
    Authentication,
}

fn tag_byte(tag: Tag) -> u8 {
    match tag {
        Tag::Message => TAG_MESSAGE,
        Tag::Push => TAG_PUSH,
        Tag::Rekey => TAG_REKEY,
        Tag::Final => TAG_FINAL,
    }
}

/// Decrypts one message after another from a stream (the state advances after each message, as in
/// libsodium's `crypto_secretstream_xchacha20poly1305_pull`).
pub struct Puller(PullStream);

impl Puller {
    pub fn new(key: &[u8; 32], header: &[u8; HEADER_LEN]) -> Puller {
        let key = Zeroizing::new(*key);
        Puller(PullStream::init(Header::from(*header), &Key::from(*key)))
    }

    /// The next message's plaintext and tag. After an error the stream is unusable (libsodium's too).
    pub fn pull(&mut self, message: &[u8]) -> Result<(Zeroizing<Vec<u8>>, u8), PullError> {
        if message.len() < OVERHEAD {
            return Err(PullError::TooShort);
        }
        let mut buffer = Zeroizing::new(message.to_vec());
        let tag = self
            .0
            .pull(&mut *buffer, &[])
            .map_err(|_| PullError::Authentication)?;
        Ok((buffer, tag_byte(tag)))
    }
}

/// Decrypts the first message of a stream; returns the plaintext and its tag.
pub fn pull_first(
    key: &[u8; 32],
    header: &[u8; HEADER_LEN],
    message: &[u8],
) -> Result<(Zeroizing<Vec<u8>>, u8), PullError> {
    Puller::new(key, header).pull(message)
}

/// Encrypts `plain` as the only message of a new stream with `tag`; returns the header and the message
/// (for tests and round trips; Tessera never writes Ente files).
pub fn push_single(key: &[u8; 32], plain: &[u8], tag: u8) -> ([u8; HEADER_LEN], Vec<u8>) {
    let tag = match tag {
        TAG_MESSAGE => Tag::Message,
        TAG_PUSH => Tag::Push,
        TAG_REKEY => Tag::Rekey,
        _ => Tag::Final,
    };
    let key = Zeroizing::new(*key);
    let (header, mut stream) = PushStream::init(rand::rngs::OsRng, &Key::from(*key));
    let mut buffer = Vec::with_capacity(plain.len() + OVERHEAD);
    buffer.extend_from_slice(plain);
    stream
        .push(&mut buffer, &[], tag)
        .expect("a Vec grows for the tag and MAC");
    (*header.as_ref(), buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::STANDARD, Engine};
    use serde_json::Value;

    fn vectors() -> Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ente/lengths/vectors.json"
        );
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    fn b64(v: &Value) -> Vec<u8> {
        STANDARD.decode(v.as_str().unwrap()).unwrap()
    }

    /// Finding #1: libsodium-made single-message streams of every length 0..=48 (each residue mod 16
    /// three times) decrypt to what libsodium encrypted.
    #[test]
    fn reads_libsodium_streams_of_every_length_mod_16() {
        let v = vectors();
        let single = v["single"].as_array().unwrap();
        assert_eq!(single.len(), 49);
        for (n, case) in single.iter().enumerate() {
            let key: [u8; 32] = b64(&case["key"]).try_into().unwrap();
            let header: [u8; HEADER_LEN] = b64(&case["header"]).try_into().unwrap();
            let (plain, tag) = pull_first(&key, &header, &b64(&case["cipher"]))
                .unwrap_or_else(|e| panic!("length {n}: {e:?}"));
            assert_eq!(&plain[..], &b64(&case["plain"])[..], "length {n}");
            assert_eq!(tag, TAG_FINAL);
        }
    }

    #[test]
    fn reads_a_libsodium_multi_message_stream() {
        let v = vectors();
        let multi = &v["multi"];
        let key: [u8; 32] = b64(&multi["key"]).try_into().unwrap();
        let header: [u8; HEADER_LEN] = b64(&multi["header"]).try_into().unwrap();
        let mut puller = Puller::new(&key, &header);
        for m in multi["messages"].as_array().unwrap() {
            let (plain, tag) = puller.pull(&b64(&m["cipher"])).unwrap();
            assert_eq!(&plain[..], &b64(&m["plain"])[..]);
            assert_eq!(u64::from(tag), m["tag"].as_u64().unwrap());
        }
    }

    #[test]
    fn round_trip_and_every_flipped_byte_is_refused() {
        let key = [7u8; 32];
        for len in 0..40 {
            let text = vec![b'a'; len];
            let (header, sealed) = push_single(&key, &text, TAG_FINAL);
            let (plain, tag) = pull_first(&key, &header, &sealed).unwrap();
            assert_eq!(&plain[..], &text[..]);
            assert_eq!(tag, TAG_FINAL);
            for i in 0..sealed.len() {
                let mut bad = sealed.clone();
                bad[i] ^= 0x01;
                assert_eq!(
                    pull_first(&key, &header, &bad).unwrap_err(),
                    PullError::Authentication,
                    "length {len} byte {i}"
                );
            }
            let mut other_key = key;
            other_key[0] ^= 1;
            assert!(pull_first(&other_key, &header, &sealed).is_err());
        }
        let (header, sealed) = push_single(&key, b"abc", TAG_FINAL);
        assert_eq!(
            pull_first(&key, &header, &sealed[..16]).unwrap_err(),
            PullError::TooShort
        );
    }
}
