//! The vault file, byte by byte (the full description is `docs/vault-format.md`; keep both in step).
//!
//! ```text
//! offset  size  field
//! 0       8     magic "TESSERA\0"
//! 8       2     format version, u16 little-endian (1)
//! 10      2     header length H, u16 LE: bytes from offset 0 to the end of the slots
//! 12      16    vault id (UUID, RFC 9562 byte order); also the keychain user name "vault-<id>"
//! 28      1     slot count N
//! 29      ..    N slots, each: kind u8, payload length u16 LE, payload
//! H       12    body nonce (fresh and random on every save)
//! H+12    ..    body ciphertext and 16-byte GCM tag, to the end of the file
//! ```
//!
//! The body is AES-256-GCM under the random 256-bit vault key with bytes `0..H` as associated data, so
//! any change to the header (slots, KDF parameters, version) makes the body fail to authenticate.
//! Each slot holds the vault key wrapped (AES-256-GCM) under a slot key: from the system keychain (kind 1)
//! or from a password through Argon2id (kind 2). Slots of unknown kinds are kept and skipped.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use rand::RngCore;
use std::fmt;
use thiserror::Error;
use uuid::Uuid;
use zeroize::Zeroizing;

pub const MAGIC: [u8; 8] = *b"TESSERA\0";
/// The format this version writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
pub const SLOT_KEYCHAIN: u8 = 1;
pub const SLOT_PASSWORD: u8 = 2;
/// A keychain slot with its own keychain item (review #8): kind 1's payload plus a 16-byte item id.
pub const SLOT_KEYCHAIN_ITEM: u8 = 3;
pub const ITEM_ID_LEN: usize = 16;
pub const KDF_ARGON2ID: u8 = 1;
pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;
pub const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;
pub const SALT_LEN: usize = 32;
const FIXED_HEADER_LEN: usize = 29;
/// Body plaintext is padded with spaces to a multiple of this, so the file size says little about how
/// many accounts it holds.
pub const BODY_PADDING: usize = 1024;

/// Refuse absurd KDF costs from a file (a damaged or hostile header must not make us allocate 100 GiB).
pub const MAX_KDF_MEMORY_KIB: u32 = crate::crypto::argon::MAX_MEMORY_KIB;
pub const MAX_KDF_ITERATIONS: u32 = crate::crypto::argon::MAX_PASSES;
pub const MAX_KDF_PARALLELISM: u32 = crate::crypto::argon::MAX_LANES;
/// A file may carry at most this many password slots (each costs a full derivation to try).
pub const MAX_PASSWORD_SLOTS: usize = 2;

/// A 256-bit key (vault key or slot key), wiped on drop and never printed.
#[derive(Clone)]
pub struct Key256(Box<Zeroizing<[u8; KEY_LEN]>>);

impl Key256 {
    pub fn random() -> Key256 {
        let mut k = Key256::zero();
        rand::rngs::OsRng.fill_bytes(&mut k.0[..]);
        k
    }
    pub(crate) fn zero() -> Key256 {
        Key256(Box::new(Zeroizing::new([0u8; KEY_LEN])))
    }
    pub fn from_slice(bytes: &[u8]) -> Option<Key256> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        let mut k = Key256::zero();
        k.0.copy_from_slice(bytes);
        Some(k)
    }
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
    pub(crate) fn as_mut(&mut self) -> &mut [u8; KEY_LEN] {
        &mut self.0
    }
}

impl fmt::Debug for Key256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key256(<redacted>)")
    }
}

/// Argon2id cost parameters, stored in each password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory (Argon2 t_cost).
    pub iterations: u32,
    /// Lanes (Argon2 p_cost).
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// The measured strong default: 64 MiB, 4 passes, 1 lane (about 0.4 s on the 2-core reference
    /// machine; 3 passes was too close to the 0.3 s floor, see docs/vault-format.md). Used for every
    /// password slot unless the caller chooses.
    fn default() -> Self {
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 4,
            parallelism: 1,
        }
    }
}

impl KdfParams {
    /// Very cheap parameters for tests only: a vault made with them is easy to brute-force.
    pub fn insecure_for_tests() -> Self {
        KdfParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        }
    }

    pub fn validate(&self) -> Result<(), FormatError> {
        let ok =
            crate::crypto::argon::within_limits(self.memory_kib, self.iterations, self.parallelism);
        if ok {
            Ok(())
        } else {
            Err(FormatError::BadKdfParams(*self))
        }
    }

    /// Argon2id(password, salt) → 32-byte slot key.
    pub fn derive(&self, password: &[u8], salt: &[u8]) -> Result<Key256, FormatError> {
        self.validate()?;
        let mut key = Key256::zero();
        crate::crypto::argon::derive(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            password,
            salt,
            key.as_mut(),
        )
        .map_err(|e| match e {
            crate::crypto::argon::ArgonError::OutOfMemory => FormatError::KdfOutOfMemory(*self),
            crate::crypto::argon::ArgonError::Limits => FormatError::BadKdfParams(*self),
        })?;
        Ok(key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainSlot {
    pub nonce: [u8; NONCE_LEN],
    pub wrapped: [u8; WRAPPED_LEN],
    /// The slot's own keychain item (kind 3); `None` for kind 1, whose item is named by the vault id
    /// alone and so is shared by every copy of the vault.
    pub item: Option<[u8; ITEM_ID_LEN]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordSlot {
    pub kdf: KdfParams,
    pub salt: Vec<u8>,
    pub nonce: [u8; NONCE_LEN],
    pub wrapped: [u8; WRAPPED_LEN],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    Keychain(KeychainSlot),
    Password(PasswordSlot),
    /// A slot kind this version does not know (written by a newer Tessera): kept as is, never used.
    Unknown {
        kind: u8,
        payload: Vec<u8>,
    },
}

impl Slot {
    pub fn kind(&self) -> u8 {
        match self {
            Slot::Keychain(k) if k.item.is_some() => SLOT_KEYCHAIN_ITEM,
            Slot::Keychain(_) => SLOT_KEYCHAIN,
            Slot::Password(_) => SLOT_PASSWORD,
            Slot::Unknown { kind, .. } => *kind,
        }
    }

    fn payload(&self) -> Vec<u8> {
        match self {
            Slot::Keychain(s) => [
                &s.nonce[..],
                &s.wrapped[..],
                s.item.as_ref().map_or(&[][..], |i| &i[..]),
            ]
            .concat(),
            Slot::Password(s) => {
                let mut p = Vec::with_capacity(14 + s.salt.len() + NONCE_LEN + WRAPPED_LEN);
                p.push(KDF_ARGON2ID);
                p.extend_from_slice(&s.kdf.memory_kib.to_le_bytes());
                p.extend_from_slice(&s.kdf.iterations.to_le_bytes());
                p.extend_from_slice(&s.kdf.parallelism.to_le_bytes());
                p.push(s.salt.len() as u8);
                p.extend_from_slice(&s.salt);
                p.extend_from_slice(&s.nonce);
                p.extend_from_slice(&s.wrapped);
                p
            }
            Slot::Unknown { payload, .. } => payload.clone(),
        }
    }

    fn parse(kind: u8, payload: &[u8]) -> Result<Slot, FormatError> {
        match kind {
            SLOT_KEYCHAIN => {
                if payload.len() != NONCE_LEN + WRAPPED_LEN {
                    return Err(FormatError::Malformed("keychain slot has the wrong length"));
                }
                Ok(Slot::Keychain(KeychainSlot {
                    nonce: payload[..NONCE_LEN].try_into().unwrap(),
                    wrapped: payload[NONCE_LEN..].try_into().unwrap(),
                    item: None,
                }))
            }
            SLOT_KEYCHAIN_ITEM => {
                if payload.len() != NONCE_LEN + WRAPPED_LEN + ITEM_ID_LEN {
                    return Err(FormatError::Malformed("keychain slot has the wrong length"));
                }
                let (nonce, rest) = payload.split_at(NONCE_LEN);
                let (wrapped, item) = rest.split_at(WRAPPED_LEN);
                Ok(Slot::Keychain(KeychainSlot {
                    nonce: nonce.try_into().unwrap(),
                    wrapped: wrapped.try_into().unwrap(),
                    item: Some(item.try_into().unwrap()),
                }))
            }
            SLOT_PASSWORD => {
                let mut r = Reader::new(payload);
                let kdf_id = r.u8()?;
                if kdf_id != KDF_ARGON2ID {
                    return Err(FormatError::Malformed(
                        "password slot uses an unknown key derivation",
                    ));
                }
                let kdf = KdfParams {
                    memory_kib: r.u32()?,
                    iterations: r.u32()?,
                    parallelism: r.u32()?,
                };
                let salt_len = r.u8()? as usize;
                let salt = r.take(salt_len)?.to_vec();
                let nonce = r.take(NONCE_LEN)?.try_into().unwrap();
                let wrapped = r.take(WRAPPED_LEN)?.try_into().unwrap();
                if !r.rest().is_empty() {
                    return Err(FormatError::Malformed("password slot has trailing bytes"));
                }
                if salt.len() < 16 {
                    return Err(FormatError::Malformed("password slot salt is too short"));
                }
                kdf.validate()?;
                Ok(Slot::Password(PasswordSlot {
                    kdf,
                    salt,
                    nonce,
                    wrapped,
                }))
            }
            _ => Ok(Slot::Unknown {
                kind,
                payload: payload.to_vec(),
            }),
        }
    }
}

/// The clear part of the file. Holds nothing about accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub vault_id: Uuid,
    pub slots: Vec<Slot>,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FormatError {
    #[error("not a Tessera vault file")]
    NotAVault,
    #[error("written by a newer version of Tessera (vault format {0}; this version reads format {FORMAT_VERSION} and older)")]
    NewerVersion(u16),
    #[error("the file is truncated")]
    Truncated,
    #[error("the file is malformed: {0}")]
    Malformed(&'static str),
    #[error("unsupported key derivation parameters (memory {} KiB, {} passes, {} lanes)", .0.memory_kib, .0.iterations, .0.parallelism)]
    BadKdfParams(KdfParams),
    #[error("not enough memory for the key derivation ({} MiB); close other programs and try again", .0.memory_kib / 1024)]
    KdfOutOfMemory(KdfParams),
    /// The GCM tag did not verify: wrong key, or the bytes were changed.
    #[error("authentication failed")]
    Authentication,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        let end = self.pos.checked_add(n).ok_or(FormatError::Truncated)?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(FormatError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, FormatError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }
}

impl Header {
    pub fn new(vault_id: Uuid, slots: Vec<Slot>) -> Header {
        Header {
            version: FORMAT_VERSION,
            vault_id,
            slots,
        }
    }

    /// Whether [`Header::to_bytes`] can write this header without a field wrapping (review #12: 256
    /// slots wrote slot count 0 and an unreadable vault): at most 255 slots, payloads and the whole
    /// header at most 65,535 bytes.
    pub fn check_sizes(&self) -> Result<(), FormatError> {
        if self.slots.len() > usize::from(u8::MAX) {
            return Err(FormatError::Malformed("more than 255 key slots"));
        }
        let mut total = FIXED_HEADER_LEN;
        for slot in &self.slots {
            let len = slot.payload().len();
            if len > usize::from(u16::MAX) {
                return Err(FormatError::Malformed("a key slot over 65,535 bytes"));
            }
            total += 3 + len;
        }
        if total > usize::from(u16::MAX) {
            return Err(FormatError::Malformed("a header over 65,535 bytes"));
        }
        Ok(())
    }

    /// The header bytes, which are also the associated data of the body. Callers that may hold
    /// foreign slots check [`Header::check_sizes`] first.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&[0, 0]); // header length, filled in below
        out.extend_from_slice(self.vault_id.as_bytes());
        out.push(self.slots.len() as u8);
        for slot in &self.slots {
            let payload = slot.payload();
            out.push(slot.kind());
            out.extend_from_slice(&(payload.len() as u16).to_le_bytes());
            out.extend_from_slice(&payload);
        }
        let len = out.len() as u16;
        out[10..12].copy_from_slice(&len.to_le_bytes());
        out
    }

    /// Parses the header at the start of `file`; returns it and its length H.
    pub fn parse(file: &[u8]) -> Result<(Header, usize), FormatError> {
        if file.len() < MAGIC.len() || file[..MAGIC.len()] != MAGIC {
            // A cut-off file that still starts like ours is "truncated", anything else is not ours.
            if !file.is_empty() && file.len() < MAGIC.len() && MAGIC.starts_with(file) {
                return Err(FormatError::Truncated);
            }
            return Err(FormatError::NotAVault);
        }
        let mut r = Reader::new(file);
        r.take(MAGIC.len())?;
        let version = r.u16()?;
        if version > FORMAT_VERSION {
            return Err(FormatError::NewerVersion(version));
        }
        if version == 0 {
            return Err(FormatError::Malformed("format version 0"));
        }
        let header_len = r.u16()? as usize;
        if header_len < FIXED_HEADER_LEN {
            return Err(FormatError::Malformed("header length too small"));
        }
        if file.len() < header_len {
            return Err(FormatError::Truncated);
        }
        let mut r = Reader {
            bytes: &file[..header_len],
            pos: 12,
        };
        let vault_id = Uuid::from_slice(r.take(16)?).unwrap();
        let count = r.u8()?;
        let mut slots = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let kind = r.u8()?;
            let len = r.u16()? as usize;
            let payload = r
                .take(len)
                .map_err(|_| FormatError::Malformed("slot runs past the header"))?;
            slots.push(Slot::parse(kind, payload)?);
        }
        if !r.rest().is_empty() {
            return Err(FormatError::Malformed("bytes after the last slot"));
        }
        if slots
            .iter()
            .filter(|s| matches!(s, Slot::Password(_)))
            .count()
            > MAX_PASSWORD_SLOTS
        {
            return Err(FormatError::Malformed("more than two password slots"));
        }
        Ok((
            Header {
                version,
                vault_id,
                slots,
            },
            header_len,
        ))
    }
}

/// Associated data for wrapping the vault key in a slot: ties the slot to this vault and slot kind.
fn slot_aad(vault_id: &Uuid, kind: u8) -> Vec<u8> {
    [&MAGIC[..], vault_id.as_bytes(), &[kind]].concat()
}

fn random_nonce() -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut n);
    n
}

/// Wraps `vault_key` under `slot_key`: returns (nonce, ciphertext ‖ tag).
pub fn wrap_key(
    slot_key: &Key256,
    vault_key: &Key256,
    vault_id: &Uuid,
    kind: u8,
) -> ([u8; NONCE_LEN], [u8; WRAPPED_LEN]) {
    let nonce = random_nonce();
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(slot_key.as_bytes()));
    let aad = slot_aad(vault_id, kind);
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: vault_key.as_bytes(),
                aad: &aad,
            },
        )
        .expect("AES-GCM encryption of 32 bytes cannot fail");
    (nonce, ct.try_into().expect("32 bytes + 16-byte tag"))
}

pub fn unwrap_key(
    slot_key: &Key256,
    nonce: &[u8; NONCE_LEN],
    wrapped: &[u8; WRAPPED_LEN],
    vault_id: &Uuid,
    kind: u8,
) -> Result<Key256, FormatError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(slot_key.as_bytes()));
    let aad = slot_aad(vault_id, kind);
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: wrapped,
                    aad: &aad,
                },
            )
            .map_err(|_| FormatError::Authentication)?,
    );
    Key256::from_slice(&plain).ok_or(FormatError::Malformed("wrapped key has the wrong length"))
}

impl PasswordSlot {
    /// Derives a fresh slot key from `password` (new random salt) and wraps `vault_key` with it.
    pub fn create(
        password: &[u8],
        kdf: KdfParams,
        vault_key: &Key256,
        vault_id: &Uuid,
    ) -> Result<PasswordSlot, FormatError> {
        Self::create_with_slot_key(password, kdf, vault_key, vault_id).map(|(slot, _)| slot)
    }

    /// As [`PasswordSlot::create`], also returning the derived slot key.
    pub fn create_with_slot_key(
        password: &[u8],
        kdf: KdfParams,
        vault_key: &Key256,
        vault_id: &Uuid,
    ) -> Result<(PasswordSlot, Key256), FormatError> {
        let mut salt = vec![0u8; SALT_LEN];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let slot_key = kdf.derive(password, &salt)?;
        let (nonce, wrapped) = wrap_key(&slot_key, vault_key, vault_id, SLOT_PASSWORD);
        let slot = PasswordSlot {
            kdf,
            salt,
            nonce,
            wrapped,
        };
        Ok((slot, slot_key))
    }

    /// The same password and salt wrapping another vault key (after a key rotation).
    pub fn rewrap(&self, slot_key: &Key256, vault_key: &Key256, vault_id: &Uuid) -> PasswordSlot {
        let (nonce, wrapped) = wrap_key(slot_key, vault_key, vault_id, SLOT_PASSWORD);
        PasswordSlot {
            kdf: self.kdf,
            salt: self.salt.clone(),
            nonce,
            wrapped,
        }
    }

    pub fn open(&self, password: &[u8], vault_id: &Uuid) -> Result<Key256, FormatError> {
        self.open_with_slot_key(password, vault_id)
            .map(|(key, _)| key)
    }

    /// As [`PasswordSlot::open`], also returning the derived slot key (the vault keeps it to re-wrap
    /// a new vault key without deriving again).
    pub fn open_with_slot_key(
        &self,
        password: &[u8],
        vault_id: &Uuid,
    ) -> Result<(Key256, Key256), FormatError> {
        let slot_key = self.kdf.derive(password, &self.salt)?;
        let key = unwrap_key(
            &slot_key,
            &self.nonce,
            &self.wrapped,
            vault_id,
            SLOT_PASSWORD,
        )?;
        Ok((key, slot_key))
    }
}

impl KeychainSlot {
    pub fn create(keychain_key: &Key256, vault_key: &Key256, vault_id: &Uuid) -> KeychainSlot {
        Self::create_with_item(keychain_key, vault_key, vault_id, None)
    }

    /// A slot whose keychain key is kept in its own item `item` (kind 3), or in the vault-id item (kind 1).
    pub fn create_with_item(
        keychain_key: &Key256,
        vault_key: &Key256,
        vault_id: &Uuid,
        item: Option<[u8; ITEM_ID_LEN]>,
    ) -> KeychainSlot {
        let (nonce, wrapped) = wrap_key(keychain_key, vault_key, vault_id, SLOT_KEYCHAIN);
        KeychainSlot {
            nonce,
            wrapped,
            item,
        }
    }

    /// The keychain user name of this slot's item: `vault-<id>-<item hex>`, or `vault-<id>` (kind 1).
    pub fn user(&self, vault_id: &Uuid) -> String {
        match &self.item {
            Some(item) => format!(
                "vault-{vault_id}-{}",
                item.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
            None => format!("vault-{vault_id}"),
        }
    }

    pub fn open(&self, keychain_key: &Key256, vault_id: &Uuid) -> Result<Key256, FormatError> {
        unwrap_key(
            keychain_key,
            &self.nonce,
            &self.wrapped,
            vault_id,
            SLOT_KEYCHAIN,
        )
    }
}

/// Pads `plain` with spaces to a multiple of [`BODY_PADDING`] (JSON ignores trailing whitespace).
pub fn pad_body(plain: &mut Zeroizing<Vec<u8>>) {
    let target = plain.len().div_ceil(BODY_PADDING).max(1) * BODY_PADDING;
    // The caller reserved the capacity, so this does not reallocate and leave an unwiped copy behind.
    plain.resize(target, b' ');
}

/// The whole file: header, fresh nonce, encrypted body.
pub fn seal(header: &Header, vault_key: &Key256, body_plain: &[u8]) -> Vec<u8> {
    let mut out = header.to_bytes();
    let nonce = random_nonce();
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(vault_key.as_bytes()));
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: body_plain,
                aad: &out,
            },
        )
        .expect("AES-GCM encryption cannot fail for a body under 64 GiB");
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

/// Decrypts the body of `file` (whose header is `header_len` bytes long) with `vault_key`.
pub fn open_body(
    file: &[u8],
    header_len: usize,
    vault_key: &Key256,
) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let aad = &file[..header_len];
    let rest = &file[header_len..];
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(FormatError::Truncated);
    }
    let (nonce, ct) = rest.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(vault_key.as_bytes()));
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .map(Zeroizing::new)
        .map_err(|_| FormatError::Authentication)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_header(vault_key: &Key256) -> (Header, Key256) {
        let id = Uuid::new_v4();
        let kc_key = Key256::random();
        let slots = vec![
            Slot::Keychain(KeychainSlot::create(&kc_key, vault_key, &id)),
            Slot::Password(
                PasswordSlot::create(b"pw", KdfParams::insecure_for_tests(), vault_key, &id)
                    .unwrap(),
            ),
            Slot::Unknown {
                kind: 9,
                payload: vec![1, 2, 3],
            },
        ];
        (Header::new(id, slots), kc_key)
    }

    #[test]
    fn header_round_trips_with_unknown_slots() {
        let key = Key256::random();
        let (h, _) = sample_header(&key);
        let bytes = h.to_bytes();
        assert_eq!(&bytes[..8], b"TESSERA\0");
        let (back, len) = Header::parse(&bytes).unwrap();
        assert_eq!(back, h);
        assert_eq!(len, bytes.len());
    }

    #[test]
    fn slots_unwrap_only_with_the_right_key_and_vault() {
        let key = Key256::random();
        let (h, kc_key) = sample_header(&key);
        let Slot::Keychain(kc) = &h.slots[0] else {
            panic!()
        };
        let Slot::Password(pw) = &h.slots[1] else {
            panic!()
        };
        assert_eq!(
            kc.open(&kc_key, &h.vault_id).unwrap().as_bytes(),
            key.as_bytes()
        );
        assert_eq!(
            pw.open(b"pw", &h.vault_id).unwrap().as_bytes(),
            key.as_bytes()
        );
        assert_eq!(
            pw.open(b"pW", &h.vault_id).unwrap_err(),
            FormatError::Authentication
        );
        assert_eq!(
            kc.open(&Key256::random(), &h.vault_id).unwrap_err(),
            FormatError::Authentication
        );
        // A slot copied into another vault does not open.
        assert_eq!(
            kc.open(&kc_key, &Uuid::new_v4()).unwrap_err(),
            FormatError::Authentication
        );
    }

    #[test]
    fn body_is_bound_to_header() {
        let key = Key256::random();
        let (h, _) = sample_header(&key);
        let file = seal(&h, &key, b"{\"hello\":1}");
        let hl = h.to_bytes().len();
        assert_eq!(&open_body(&file, hl, &key).unwrap()[..], b"{\"hello\":1}");
        // Fresh nonce every time.
        assert_ne!(
            seal(&h, &key, b"x")[hl..hl + 12],
            seal(&h, &key, b"x")[hl..hl + 12]
        );
        for i in [0usize, 9, 20, hl - 1, hl + 3, file.len() - 1] {
            let mut bad = file.clone();
            bad[i] ^= 0x40;
            let res = Header::parse(&bad)
                .map_err(|_| ())
                .and_then(|(_, l)| open_body(&bad, l, &key).map_err(|_| ()));
            assert!(res.is_err(), "flipping byte {i} went unnoticed");
        }
        assert_eq!(
            open_body(&file[..file.len() - 1], hl, &key).unwrap_err(),
            FormatError::Authentication
        );
        assert_eq!(
            open_body(&file[..hl + 20], hl, &key).unwrap_err(),
            FormatError::Truncated
        );
    }

    #[test]
    fn newer_and_foreign_files_are_recognised() {
        let key = Key256::random();
        let (h, _) = sample_header(&key);
        let mut bytes = h.to_bytes();
        bytes[8] = 2;
        assert_eq!(
            Header::parse(&bytes).unwrap_err(),
            FormatError::NewerVersion(2)
        );
        assert_eq!(
            Header::parse(b"{\"version\":1}").unwrap_err(),
            FormatError::NotAVault
        );
        assert_eq!(Header::parse(b"TESS").unwrap_err(), FormatError::Truncated);
        assert_eq!(
            Header::parse(&h.to_bytes()[..40]).unwrap_err(),
            FormatError::Truncated
        );
    }

    #[test]
    fn hostile_kdf_params_are_refused() {
        let key = Key256::random();
        let id = Uuid::new_v4();
        let mut slot =
            PasswordSlot::create(b"pw", KdfParams::insecure_for_tests(), &key, &id).unwrap();
        slot.kdf.memory_kib = u32::MAX;
        let h = Header::new(id, vec![Slot::Password(slot)]);
        assert!(matches!(
            Header::parse(&h.to_bytes()).unwrap_err(),
            FormatError::BadKdfParams(_)
        ));
    }

    #[test]
    fn padding_hides_exact_size() {
        let mut p = Zeroizing::new(Vec::with_capacity(4096));
        p.extend_from_slice(b"{}");
        pad_body(&mut p);
        assert_eq!(p.len(), BODY_PADDING);
        assert!(serde_json::from_slice::<serde_json::Value>(&p).is_ok());
    }
}
