//! Authenticator Pro / Stratum backups (`.authpro`, `.stratum`, `.json`): plain JSON, "strong" encryption
//! (header `AUTHENTICATORPRO` ‖ salt (16) ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag; Argon2id t=3,
//! m=64 MiB, p=4) and legacy encryption (header `AuthenticatorPro` ‖ salt (20) ‖ IV (16) ‖ AES-256-CBC
//! with PKCS#7; PBKDF2-HMAC-SHA1, 64,000 iterations). Source: stratumauth/app `doc/BACKUP_FORMAT.md`.

use super::common::{
    aes_gcm_open, build_entry, display_name, finish, looks_like_json, parse_json, str_field,
    uint_field, Fields, RawSecret,
};
use super::{FormatError, FormatId, ImportResult, Importer};
use crate::otp::OtpKind;
use serde_json::Value;
use std::collections::HashMap;
use zeroize::Zeroizing;

const NAME: &str = "Authenticator Pro / Stratum";
const HEADER_STRONG: &[u8; 16] = b"AUTHENTICATORPRO";
const HEADER_LEGACY: &[u8; 16] = b"AuthenticatorPro";
const LEGACY_ITERATIONS: u32 = 64_000;

pub struct Stratum;

impl Importer for Stratum {
    const ID: FormatId = FormatId::Stratum;
    const ENCRYPTABLE: bool = true;

    fn sniff(bytes: &[u8]) -> bool {
        is_encrypted(bytes)
            || (looks_like_json(bytes)
                && parse_json(NAME, bytes)
                    .map(|v| v.get("Authenticators").is_some_and(Value::is_array))
                    .unwrap_or(false))
    }

    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        if is_encrypted(bytes) {
            let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
            let plain = if bytes.starts_with(HEADER_STRONG) {
                decrypt_strong(&bytes[16..], password)?
            } else {
                decrypt_legacy(&bytes[16..], password)?
            };
            return read_json(&parse_json(NAME, &plain)?);
        }
        read_json(&parse_json(NAME, bytes)?)
    }
}

/// Both encrypted layouts start with a 16-byte ASCII header.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(HEADER_STRONG) || bytes.starts_with(HEADER_LEGACY)
}

fn decrypt_strong(rest: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    if rest.len() < 16 + 12 + 16 {
        return Err(FormatError::truncated(
            NAME,
            "shorter than its salt, IV and tag",
        ));
    }
    let (salt, rest) = rest.split_at(16);
    let (iv, sealed) = rest.split_at(12);
    let params = argon2::Params::new(64 * 1024, 3, 4, Some(32)).expect("valid Argon2 parameters");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, &mut key[..])
        .map_err(|e| FormatError::malformed(NAME, format!("key derivation failed: {e}")))?;
    aes_gcm_open(&key[..], iv, sealed, b"")
        .map(Zeroizing::new)
        .ok_or(FormatError::wrong_password_or_damaged(NAME))
}

fn decrypt_legacy(rest: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
    if rest.len() < 20 + 16 + 16 {
        return Err(FormatError::truncated(
            NAME,
            "shorter than its salt, IV and one block",
        ));
    }
    let (salt, rest) = rest.split_at(20);
    let (iv, data) = rest.split_at(16);
    if data.len() % 16 != 0 {
        return Err(FormatError::truncated(
            NAME,
            "the encrypted data is not a whole number of blocks",
        ));
    }
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, LEGACY_ITERATIONS, &mut key[..]);
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(&key[..], iv)
        .expect("32-byte key, 16-byte IV");
    // CBC has no authentication: a wrong password shows as bad padding or as text that is not JSON.
    let plain = decryptor
        .decrypt_padded_vec_mut::<Pkcs7>(data)
        .map_err(|_| FormatError::wrong_password_or_damaged(NAME))?;
    if serde_json::from_slice::<Value>(&plain).is_err() {
        return Err(FormatError::wrong_password_or_damaged(NAME));
    }
    Ok(Zeroizing::new(plain))
}

fn read_json(file: &Value) -> Result<ImportResult, FormatError> {
    let items = file
        .get("Authenticators")
        .and_then(Value::as_array)
        .ok_or_else(|| FormatError::malformed(NAME, "no \"Authenticators\" list"))?;
    let categories: HashMap<&str, &str> = file
        .get("Categories")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| (str_field(c, "Id"), str_field(c, "Name")))
                .collect()
        })
        .unwrap_or_default();
    // Category membership is keyed by the account's secret.
    let mut membership: HashMap<String, Vec<String>> = HashMap::new();
    for link in file
        .get("AuthenticatorCategories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = categories.get(str_field(link, "CategoryId")) {
            membership
                .entry(str_field(link, "AuthenticatorSecret").to_string())
                .or_default()
                .push(name.to_string());
        }
    }
    let mut result = ImportResult::default();
    for (index, item) in items.iter().enumerate() {
        let issuer = str_field(item, "Issuer");
        let account = str_field(item, "Username");
        let name = display_name(issuer, account);
        let kind = match uint_field(item, "Type") {
            Some(1) => Ok(OtpKind::Hotp),
            Some(2) => Ok(OtpKind::Totp),
            Some(4) => Ok(OtpKind::Steam),
            Some(3) => Err("mOTP entries are not supported by Tessera".to_string()),
            Some(5) => Err("Yandex entries are not supported by Tessera".to_string()),
            other => Err(format!("unknown authenticator type {other:?}")),
        };
        let algorithm = match uint_field(item, "Algorithm") {
            None | Some(0) => Ok("SHA1"),
            Some(1) => Ok("SHA256"),
            Some(2) => Ok("SHA512"),
            Some(n) => Err(format!("unknown algorithm number {n}")),
        };
        let secret = str_field(item, "Secret");
        let built = kind.and_then(|kind| {
            let fields = Fields {
                issuer,
                account,
                kind: Some(kind),
                algorithm: Some(algorithm?),
                digits: uint_field(item, "Digits"),
                period: uint_field(item, "Period"),
                counter: uint_field(item, "Counter"),
            };
            build_entry(&fields, RawSecret::Base32(secret))
        });
        match built {
            Ok(entry) => {
                let groups = membership.get(secret).cloned().unwrap_or_default();
                result.entries.push(finish(entry, "", groups, name));
            }
            Err(reason) => result.push_error(index + 1, name, reason),
        }
    }
    Ok(result)
}
