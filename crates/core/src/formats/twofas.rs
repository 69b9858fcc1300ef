//! 2FAS backups (`.2fas`), plain and encrypted, schema versions 1–4 (twofas/2fas-android).
//!
//! Encrypted files keep `services` empty and carry `servicesEncrypted` and `reference`, each
//! `base64(ciphertext ‖ tag) ":" base64(salt) ":" base64(iv)`: PBKDF2-HMAC-SHA256 (10,000 iterations,
//! 256-bit key) and AES-256-GCM. `reference` decrypts to a fixed text and only checks the password.

use super::common::{
    aes_gcm_open, base64_lenient, build_entry, display_name, finish, looks_like_json, parse_json,
    str_field, uint_field, Fields, RawSecret,
};
use super::{FormatError, FormatId, ImportResult, Importer};
use crate::otp::OtpKind;
use serde_json::Value;
use std::collections::HashMap;
use zeroize::Zeroizing;

const NAME: &str = "2FAS";
pub(crate) const PBKDF2_ITERATIONS: u32 = 10_000;
/// Newest schema we know; newer files are refused rather than half-read.
const MAX_SCHEMA: u64 = 4;

pub struct TwoFas;

impl Importer for TwoFas {
    const ID: FormatId = FormatId::TwoFas;
    const ENCRYPTABLE: bool = true;

    fn sniff(bytes: &[u8]) -> bool {
        looks_like_json(bytes)
            && parse_json(NAME, bytes)
                .map(|v| {
                    v.get("services").is_some_and(Value::is_array)
                        && v.get("schemaVersion").is_some()
                })
                .unwrap_or(false)
    }

    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        let file = parse_json(NAME, bytes)?;
        if !file.is_object() || file.get("services").is_none() {
            return Err(FormatError::malformed(NAME, "no \"services\" list"));
        }
        let schema = uint_field(&file, "schemaVersion").unwrap_or(1);
        if schema > MAX_SCHEMA {
            return Err(FormatError::unsupported(
                NAME,
                format!("schema version {schema} is newer than Tessera knows (up to {MAX_SCHEMA})"),
            ));
        }
        let groups: HashMap<&str, &str> = file
            .get("groups")
            .and_then(Value::as_array)
            .map(|gs| {
                gs.iter()
                    .map(|g| (str_field(g, "id"), str_field(g, "name")))
                    .collect()
            })
            .unwrap_or_default();

        let services: Value = if is_encrypted_value(&file) {
            let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
            decrypt_services(&file, password)?
        } else {
            file["services"].clone()
        };
        let services = services
            .as_array()
            .ok_or_else(|| FormatError::malformed(NAME, "\"services\" is not a list"))?;

        let mut result = ImportResult::default();
        for (index, service) in services.iter().enumerate() {
            let otp = service.get("otp").cloned().unwrap_or(Value::Null);
            let issuer = match str_field(service, "name") {
                "" => str_field(&otp, "issuer"),
                name => name,
            };
            let mut account = str_field(&otp, "account").to_string();
            if account.is_empty() {
                // Older files may only have "Issuer:account" in the label.
                let label = str_field(&otp, "label");
                account = label
                    .split_once(':')
                    .map(|(_, a)| a)
                    .unwrap_or(label)
                    .to_string();
            }
            let name = display_name(issuer, &account);
            let kind = match str_field(&otp, "tokenType").to_ascii_uppercase().as_str() {
                "" | "TOTP" => Ok(OtpKind::Totp),
                "HOTP" => Ok(OtpKind::Hotp),
                "STEAM" => Ok(OtpKind::Steam),
                other => Err(format!("token type {other} is not supported")),
            };
            let built = kind.and_then(|kind| {
                let fields = Fields {
                    issuer,
                    account: &account,
                    kind: Some(kind),
                    algorithm: otp.get("algorithm").and_then(Value::as_str),
                    digits: uint_field(&otp, "digits"),
                    period: uint_field(&otp, "period"),
                    counter: uint_field(&otp, "counter"),
                };
                build_entry(&fields, RawSecret::Base32(str_field(service, "secret")))
            });
            match built {
                Ok(entry) => {
                    let group = service
                        .get("groupId")
                        .and_then(Value::as_str)
                        .and_then(|id| groups.get(id))
                        .map(|n| vec![n.to_string()])
                        .unwrap_or_default();
                    result.entries.push(finish(entry, "", group, name));
                }
                Err(reason) => result.push_error(index + 1, name, reason),
            }
        }
        Ok(result)
    }
}

fn is_encrypted_value(file: &Value) -> bool {
    !str_field(file, "reference").trim().is_empty()
        || !str_field(file, "servicesEncrypted").trim().is_empty()
}

/// Whether the backup is password-protected.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    parse_json(NAME, bytes)
        .map(|v| is_encrypted_value(&v))
        .unwrap_or(false)
}

struct Sealed {
    ciphertext_and_tag: Vec<u8>,
    salt: Vec<u8>,
    iv: Vec<u8>,
}

fn split_sealed(field: &str, text: &str) -> Result<Sealed, FormatError> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() != 3 {
        return Err(FormatError::malformed(
            NAME,
            format!("\"{field}\" is not ciphertext:salt:iv"),
        ));
    }
    let decode = |part: &str, what: &str| {
        base64_lenient(part).ok_or_else(|| {
            FormatError::malformed(NAME, format!("the {what} in \"{field}\" is not Base64"))
        })
    };
    let sealed = Sealed {
        ciphertext_and_tag: decode(parts[0], "ciphertext")?,
        salt: decode(parts[1], "salt")?,
        iv: decode(parts[2], "IV")?,
    };
    if sealed.iv.len() != 12 {
        return Err(FormatError::malformed(
            NAME,
            format!("the IV in \"{field}\" is {} bytes, not 12", sealed.iv.len()),
        ));
    }
    if sealed.ciphertext_and_tag.len() < 16 {
        return Err(FormatError::truncated(
            NAME,
            format!("\"{field}\" is shorter than its authentication tag"),
        ));
    }
    Ok(sealed)
}

fn derive_key(password: &str, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, PBKDF2_ITERATIONS, &mut key[..]);
    key
}

fn decrypt_services(file: &Value, password: &str) -> Result<Value, FormatError> {
    let services = split_sealed("servicesEncrypted", str_field(file, "servicesEncrypted"))?;
    let key = derive_key(password, &services.salt);
    // The reference blob exists to tell a wrong password from a damaged file.
    let reference = str_field(file, "reference");
    if !reference.trim().is_empty() {
        let reference = split_sealed("reference", reference)?;
        let ref_key = if reference.salt == services.salt {
            key.clone()
        } else {
            derive_key(password, &reference.salt)
        };
        if aes_gcm_open(
            &ref_key[..],
            &reference.iv,
            &reference.ciphertext_and_tag,
            b"",
        )
        .is_none()
        {
            return Err(FormatError::WrongPassword { format: NAME });
        }
    }
    let plain = Zeroizing::new(
        aes_gcm_open(&key[..], &services.iv, &services.ciphertext_and_tag, b"").ok_or_else(
            || {
                if reference.trim().is_empty() {
                    FormatError::wrong_password_or_damaged(NAME)
                } else {
                    FormatError::tampered(NAME)
                }
            },
        )?,
    );
    parse_json(NAME, &plain)
}
