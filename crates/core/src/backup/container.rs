//! The encrypted envelope of a Tessera backup file (layout in docs/backup-format.md).
//!
//! ```text
//! offset  size  field
//! 0       8     magic "TSRBAK\r\n" (the CR LF catches text-mode copies that would corrupt the file)
//! 8       1     format version = 1
//! 9       1     KDF id = 1 (Argon2id, version 0x13)
//! 10      4     Argon2 memory in KiB (u32, big-endian)
//! 14      4     Argon2 passes (u32, big-endian)
//! 18      4     Argon2 lanes (u32, big-endian)
//! 22      16    salt
//! 38      32    password check = SHA-256("tessera-backup-check" ‖ K[32..64])
//! 70      12    AES-GCM nonce
//! 82      …     AES-256-GCM(key = K[0..32], nonce, plaintext, AAD = bytes 0..82) ‖ 16-byte tag
//! ```
//! K = Argon2id(password, salt, memory, passes, lanes, 64 bytes). The password check lets a wrong
//! password be told apart from a damaged file; it costs an attacker the same Argon2 run as a decryption
//! attempt, so it gives nothing away. The whole header is authenticated as AAD.

use rand::RngCore;
use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::Zeroizing;

pub const MAGIC: &[u8; 8] = b"TSRBAK\r\n";
pub const VERSION: u8 = 1;
const KDF_ARGON2ID_13: u8 = 1;
const SALT_LEN: usize = 16;
const CHECK_LEN: usize = 32;
const NONCE_LEN: usize = 12;
pub const HEADER_LEN: usize = 8 + 1 + 1 + 4 + 4 + 4 + SALT_LEN + CHECK_LEN + NONCE_LEN;
const TAG_LEN: usize = 16;
const CHECK_CONTEXT: &[u8] = b"tessera-backup-check";

/// Limits for parameters read from a file: a crafted file must not ask for more than a phone has.
/// The same limits as vault password slots (review #4): see `crypto::argon`.
pub const MAX_MEMORY_KIB: u32 = crate::crypto::argon::MAX_MEMORY_KIB;
pub const MAX_PASSES: u32 = crate::crypto::argon::MAX_PASSES;
pub const MAX_LANES: u32 = crate::crypto::argon::MAX_LANES;

/// Argon2id cost of a backup, stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupKdf {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Default for BackupKdf {
    /// 256 MiB, 3 passes, 1 lane: four times the vault's memory. A backup is opened rarely and may sit
    /// in a cloud drive for years, so it gets the strongest cost that a laptop opens in about a second
    /// (measured in docs/backup-format.md and by `cargo bench --bench backup`).
    fn default() -> Self {
        BackupKdf {
            memory_kib: 256 * 1024,
            passes: 3,
            lanes: 1,
        }
    }
}

impl BackupKdf {
    /// Cheap parameters for tests only: such a backup is easy to brute-force.
    pub fn insecure_for_tests() -> Self {
        BackupKdf {
            memory_kib: 64,
            passes: 1,
            lanes: 1,
        }
    }

    fn argon2(&self) -> Result<argon2::Argon2<'static>, ContainerError> {
        if self.memory_kib > MAX_MEMORY_KIB || self.passes > MAX_PASSES || self.lanes > MAX_LANES {
            return Err(ContainerError::UnsupportedKdf(*self));
        }
        let params = argon2::Params::new(self.memory_kib, self.passes, self.lanes, Some(64))
            .map_err(|_| ContainerError::UnsupportedKdf(*self))?;
        Ok(argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            params,
        ))
    }

    fn derive(&self, password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 64]>, ContainerError> {
        let mut out = Zeroizing::new([0u8; 64]);
        self.argon2()?;
        // Within the limits, and out of memory as an error rather than an abort (review #4).
        crate::crypto::argon::derive(
            self.memory_kib,
            self.passes,
            self.lanes,
            password.as_bytes(),
            salt,
            &mut out[..],
        )
        .map_err(|_| ContainerError::UnsupportedKdf(*self))?;
        Ok(out)
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ContainerError {
    #[error("this is not a Tessera backup file")]
    NotABackup,
    #[error("this backup was written by a newer Tessera (format version {0}); update Tessera to restore it")]
    NewerVersion(u8),
    #[error("the backup file is cut short; it may not have been copied completely")]
    Truncated,
    #[error("wrong password for this backup")]
    WrongPassword,
    #[error("the backup file was damaged or changed after it was written (authentication failed)")]
    Tampered,
    #[error("the backup asks for key-derivation settings Tessera does not accept (memory {} KiB, {} passes, {} lanes)", .0.memory_kib, .0.passes, .0.lanes)]
    UnsupportedKdf(BackupKdf),
    #[error("the backup uses a key derivation Tessera does not know (id {0}); it may come from a newer Tessera")]
    UnknownKdf(u8),
}

fn check_value(key_material: &[u8; 64]) -> [u8; 32] {
    Sha256::new()
        .chain_update(CHECK_CONTEXT)
        .chain_update(&key_material[32..])
        .finalize()
        .into()
}

/// Encrypts `plaintext` into a complete backup file.
pub fn seal(plaintext: &[u8], password: &str, kdf: BackupKdf) -> Result<Vec<u8>, ContainerError> {
    Ok(seal_with_key(plaintext, &derive_key(password, kdf)?))
}

/// A backup key derived once from a password (for automatic backups: no key derivation per backup).
/// Holds the Argon2id output K and the salt and cost it came from, which go into every file's header.
#[derive(Clone, PartialEq, Eq)]
pub struct DerivedKey {
    pub kdf: BackupKdf,
    pub salt: [u8; SALT_LEN],
    pub key: Zeroizing<[u8; 64]>,
}

impl std::fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DerivedKey")
            .field("kdf", &self.kdf)
            .finish_non_exhaustive()
    }
}

/// Runs the key derivation once with a fresh salt.
pub fn derive_key(password: &str, kdf: BackupKdf) -> Result<DerivedKey, ContainerError> {
    let mut salt = [0u8; SALT_LEN];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let key = kdf.derive(password, &salt)?;
    Ok(DerivedKey { kdf, salt, key })
}

/// Encrypts `plaintext` with an already-derived key: the same file as [`seal`] with that password
/// and salt would give (a fresh nonce each time), opened with the password as usual.
pub fn seal_with_key(plaintext: &[u8], key: &DerivedKey) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kdf = key.kdf;
    let k = &key.key;
    let mut file = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    file.extend_from_slice(MAGIC);
    file.push(VERSION);
    file.push(KDF_ARGON2ID_13);
    file.extend_from_slice(&kdf.memory_kib.to_be_bytes());
    file.extend_from_slice(&kdf.passes.to_be_bytes());
    file.extend_from_slice(&kdf.lanes.to_be_bytes());
    file.extend_from_slice(&key.salt);
    file.extend_from_slice(&check_value(k));
    file.extend_from_slice(&nonce);
    debug_assert_eq!(file.len(), HEADER_LEN);
    let sealed = crate::crypto::aead::seal(&k[..32], &nonce, plaintext, &file);
    file.extend_from_slice(&sealed);
    file
}

/// Decrypts a file written with `key` (verification after an automatic backup, no key derivation).
pub fn open_with_key(file: &[u8], key: &DerivedKey) -> Result<Zeroizing<Vec<u8>>, ContainerError> {
    read_header(file)?;
    if file[22..22 + SALT_LEN] != key.salt[..] {
        return Err(ContainerError::WrongPassword);
    }
    if check_value(&key.key)[..] != file[38..38 + CHECK_LEN] {
        return Err(ContainerError::WrongPassword);
    }
    let nonce = &file[70..70 + NONCE_LEN];
    crate::crypto::aead::open(
        &key.key[..32],
        nonce,
        &file[HEADER_LEN..],
        &file[..HEADER_LEN],
    )
    .map(Zeroizing::new)
    .ok_or(ContainerError::Tampered)
}

/// The parsed header of a backup file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u8,
    pub kdf: BackupKdf,
}

/// Reads the header without the password (to show the cost before deriving the key).
pub fn read_header(file: &[u8]) -> Result<Header, ContainerError> {
    if file.len() < MAGIC.len() || &file[..MAGIC.len()] != MAGIC {
        return Err(ContainerError::NotABackup);
    }
    if file.len() < 10 {
        return Err(ContainerError::Truncated);
    }
    if file[8] != VERSION {
        return Err(ContainerError::NewerVersion(file[8]));
    }
    if file[9] != KDF_ARGON2ID_13 {
        // Not "newer version 1" (review #29): say what is unknown.
        return Err(ContainerError::UnknownKdf(file[9]));
    }
    if file.len() < HEADER_LEN + TAG_LEN {
        return Err(ContainerError::Truncated);
    }
    let u32_at =
        |at: usize| u32::from_be_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]);
    Ok(Header {
        version: file[8],
        kdf: BackupKdf {
            memory_kib: u32_at(10),
            passes: u32_at(14),
            lanes: u32_at(18),
        },
    })
}

/// Decrypts a backup file back to its plaintext.
pub fn open(file: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, ContainerError> {
    let header = read_header(file)?;
    let salt = &file[22..22 + SALT_LEN];
    let check = &file[38..38 + CHECK_LEN];
    let nonce = &file[70..70 + NONCE_LEN];
    let k = header.kdf.derive(password, salt)?;
    if check_value(&k)[..] != check[..] {
        return Err(ContainerError::WrongPassword);
    }
    crate::crypto::aead::open(&k[..32], nonce, &file[HEADER_LEN..], &file[..HEADER_LEN])
        .map(Zeroizing::new)
        .ok_or(ContainerError::Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_failure() {
        let kdf = BackupKdf::insecure_for_tests();
        let file = seal(b"hello backup", "pw", kdf).unwrap();
        assert_eq!(read_header(&file).unwrap(), Header { version: 1, kdf });
        assert_eq!(&open(&file, "pw").unwrap()[..], b"hello backup");
        assert_eq!(
            open(&file, "PW").unwrap_err(),
            ContainerError::WrongPassword
        );
        assert_eq!(
            open(b"nonsense", "pw").unwrap_err(),
            ContainerError::NotABackup
        );
        for cut in [9, HEADER_LEN, file.len() - 1] {
            let err = open(&file[..cut], "pw").unwrap_err();
            assert!(
                matches!(err, ContainerError::Truncated | ContainerError::Tampered),
                "cut {cut}: {err}"
            );
        }
        // Every single byte matters: header bytes (AAD, salt, check) and ciphertext alike.
        for at in 8..file.len() {
            let mut bad = file.clone();
            bad[at] ^= 0x20;
            assert!(
                open(&bad, "pw").is_err(),
                "flipping byte {at} went unnoticed"
            );
        }
        let mut newer = file.clone();
        newer[8] = 2;
        assert_eq!(
            open(&newer, "pw").unwrap_err(),
            ContainerError::NewerVersion(2)
        );
    }

    #[test]
    fn sealing_with_a_derived_key_opens_with_the_password() {
        let key = derive_key("pw", BackupKdf::insecure_for_tests()).unwrap();
        let file = seal_with_key(b"auto", &key);
        assert_eq!(&open(&file, "pw").unwrap()[..], b"auto");
        assert_eq!(&open_with_key(&file, &key).unwrap()[..], b"auto");
        assert_eq!(
            open(&file, "PW").unwrap_err(),
            ContainerError::WrongPassword
        );
    }

    #[test]
    fn refuses_absurd_costs_from_a_file() {
        let mut file = seal(b"x", "pw", BackupKdf::insecure_for_tests()).unwrap();
        file[10..14].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            open(&file, "pw").unwrap_err(),
            ContainerError::UnsupportedKdf(_)
        ));
    }
}
