//! andOTP backups (discontinued Android app): a plain JSON array, or that JSON encrypted.
//!
//! Encrypted, current layout: iterations (4 bytes, big-endian) ‖ salt (12) ‖ nonce (12) ‖ AES-256-GCM
//! ciphertext ‖ tag (16), key = PBKDF2-HMAC-SHA1(password, salt, iterations, 32 bytes).
//! Encrypted, old layout: nonce (12) ‖ ciphertext ‖ tag, key = SHA-256(password). Neither has a magic
//! header, so the current layout is tried first and the old one after.

use super::common::{
    aes_gcm_open, build_entry, display_name, finish, looks_like_json, parse_json, str_field,
    strings_field, uint_field, Fields, RawSecret,
};
use super::{FormatError, FormatId, ImportResult, Importer};
use crate::otp::OtpKind;
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

const NAME: &str = "andOTP";
const HEADER_LEN: usize = 4 + 12 + 12;
const TAG_LEN: usize = 16;
/// Same sanity cap as Aegis: a crafted header must not keep us busy for hours.
const MAX_ITERATIONS: u32 = 10_000_000;

pub struct AndOtp;

impl Importer for AndOtp {
    const ID: FormatId = FormatId::AndOtp;
    const ENCRYPTABLE: bool = true;

    /// Plain exports are a JSON array of objects with "secret" and "type". Encrypted ones have no magic;
    /// they are recognised by a plausible PBKDF2 iteration count in a file that is not text.
    fn sniff(bytes: &[u8]) -> bool {
        if looks_like_json(bytes) {
            return parse_json(NAME, bytes)
                .ok()
                .and_then(|v| v.as_array().cloned())
                .is_some_and(|items| {
                    !items.is_empty()
                        && items
                            .iter()
                            .all(|i| i.get("secret").is_some() && i.get("type").is_some())
                });
        }
        is_encrypted(bytes)
    }

    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        if looks_like_json(bytes) {
            return read_json(&parse_json(NAME, bytes)?);
        }
        let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
        let plain = decrypt(bytes, password)?;
        read_json(&parse_json(NAME, &plain)?)
    }
}

/// An andOTP file that is not plain JSON is taken as encrypted.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    if looks_like_json(bytes) || bytes.len() < 12 + TAG_LEN {
        return false;
    }
    let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let text_like = std::str::from_utf8(bytes).is_ok();
    !text_like && (1_000..=MAX_ITERATIONS).contains(&iterations)
}

fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    if bytes.len() < 12 + TAG_LEN {
        return Err(FormatError::truncated(
            NAME,
            "shorter than the smallest encrypted backup",
        ));
    }
    if bytes.len() >= HEADER_LEN + TAG_LEN {
        let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if (1..=MAX_ITERATIONS).contains(&iterations) {
            let salt = &bytes[4..16];
            let nonce = &bytes[16..28];
            let mut key = Zeroizing::new([0u8; 32]);
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, iterations, &mut key[..]);
            if let Some(plain) = aes_gcm_open(&key[..], nonce, &bytes[HEADER_LEN..], b"") {
                return Ok(Zeroizing::new(plain));
            }
        }
    }
    // Old andOTP: no KDF header, the key is a plain hash of the password.
    let key: Zeroizing<[u8; 32]> = Zeroizing::new(sha2::Sha256::digest(password.as_bytes()).into());
    aes_gcm_open(&key[..], &bytes[..12], &bytes[12..], b"")
        .map(Zeroizing::new)
        .ok_or(FormatError::wrong_password_or_damaged(NAME))
}

fn read_json(value: &Value) -> Result<ImportResult, FormatError> {
    let items = value
        .as_array()
        .ok_or_else(|| FormatError::malformed(NAME, "expected a JSON list of entries"))?;
    let mut result = ImportResult::default();
    for (index, item) in items.iter().enumerate() {
        let label = str_field(item, "label");
        let mut issuer = str_field(item, "issuer").to_string();
        let mut account = label.to_string();
        // Very old exports have no issuer and a label "Issuer - Account".
        if issuer.is_empty() {
            if let Some((i, a)) = label.split_once(" - ") {
                issuer = i.to_string();
                account = a.to_string();
            }
        }
        let name = display_name(&issuer, &account);
        let kind = match str_field(item, "type").to_ascii_uppercase().as_str() {
            "TOTP" | "" => Ok(OtpKind::Totp),
            "HOTP" => Ok(OtpKind::Hotp),
            "STEAM" => Ok(OtpKind::Steam),
            other => Err(format!("token type {other} is not supported")),
        };
        let built = kind.and_then(|kind| {
            let fields = Fields {
                issuer: &issuer,
                account: &account,
                kind: Some(kind),
                algorithm: item.get("algorithm").and_then(Value::as_str),
                digits: uint_field(item, "digits"),
                period: uint_field(item, "period"),
                counter: uint_field(item, "counter"),
            };
            build_entry(&fields, RawSecret::Base32(str_field(item, "secret")))
        });
        match built {
            Ok(entry) => {
                let tags = strings_field(item, "tags");
                result.entries.push(finish(entry, "", tags, name));
            }
            Err(reason) => result.push_error(index + 1, name, reason),
        }
    }
    Ok(result)
}
