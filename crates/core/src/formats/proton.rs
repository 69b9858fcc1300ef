//! Proton Authenticator exports (protonpass/proton-pass-common `proton-authenticator/`).
//!
//! Plain: `{ "version": 1, "entries": [ { "id", "content": { "uri", "entry_type": "Totp"|"Steam", "name" },
//! "note" } ] }`. Password-protected: `{ "version": 1, "salt": base64(16 bytes), "content": base64(nonce (12)
//! ‖ AES-256-GCM ciphertext ‖ tag) }` with key Argon2id v0x13 (m = 19 MiB, t = 2, p = 1) and the AAD
//! `proton.authenticator.export.v1`; the plaintext is the plain export.

use super::common::{
    aes_gcm_open, base64_lenient, build_entry, display_name, finish, looks_like_json, parse_json,
    str_field, Fields, RawSecret,
};
use super::uris::import_uri;
use super::{FormatError, FormatId, ImportResult, Importer};
use crate::otp::OtpKind;
use serde_json::Value;
use zeroize::Zeroizing;

const NAME: &str = "Proton Authenticator";
pub(crate) const AAD: &[u8] = b"proton.authenticator.export.v1";

pub struct Proton;

impl Importer for Proton {
    const ID: FormatId = FormatId::Proton;
    const ENCRYPTABLE: bool = true;

    fn sniff(bytes: &[u8]) -> bool {
        looks_like_json(bytes)
            && parse_json(NAME, bytes)
                .map(|v| {
                    let plain = v
                        .get("entries")
                        .and_then(Value::as_array)
                        .is_some_and(|entries| {
                            entries
                                .iter()
                                .all(|e| e.get("content").is_some_and(|c| c.get("uri").is_some()))
                        });
                    let encrypted = v.get("salt").is_some_and(Value::is_string)
                        && v.get("content").is_some_and(Value::is_string)
                        && v.get("version").is_some();
                    plain || encrypted
                })
                .unwrap_or(false)
    }

    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        let file = parse_json(NAME, bytes)?;
        if file.get("content").is_some_and(Value::is_string) {
            let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
            let plain = decrypt(&file, password)?;
            return read_plain(&parse_json(NAME, &plain)?);
        }
        read_plain(&file)
    }
}

/// Whether this is a password-protected export.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    parse_json(NAME, bytes)
        .map(|v| v.get("content").is_some_and(Value::is_string))
        .unwrap_or(false)
}

pub(crate) fn derive_key(password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, FormatError> {
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).expect("valid Argon2 parameters");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, &mut key[..])
        .map_err(|e| FormatError::malformed(NAME, format!("key derivation failed: {e}")))?;
    Ok(key)
}

fn decrypt(file: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let version = file.get("version").and_then(Value::as_u64);
    if version != Some(1) {
        return Err(FormatError::unsupported(
            NAME,
            format!("encrypted export version {version:?} (only 1 is known)"),
        ));
    }
    let salt = base64_lenient(str_field(file, "salt"))
        .ok_or_else(|| FormatError::malformed(NAME, "the salt is not Base64"))?;
    let content = base64_lenient(str_field(file, "content"))
        .ok_or_else(|| FormatError::malformed(NAME, "the content is not Base64"))?;
    if content.len() < 12 + 16 {
        return Err(FormatError::truncated(
            NAME,
            "the content is shorter than its nonce and tag",
        ));
    }
    let key = derive_key(password, &salt)?;
    aes_gcm_open(&key[..], &content[..12], &content[12..], AAD)
        .map(Zeroizing::new)
        .ok_or(FormatError::wrong_password_or_damaged(NAME))
}

fn read_plain(file: &Value) -> Result<ImportResult, FormatError> {
    let entries = file
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| FormatError::malformed(NAME, "no \"entries\" list"))?;
    let mut result = ImportResult::default();
    for (index, item) in entries.iter().enumerate() {
        let content = item.get("content").cloned().unwrap_or(Value::Null);
        let uri = str_field(&content, "uri").trim();
        let name = str_field(&content, "name");
        let note = item.get("note").and_then(Value::as_str).unwrap_or("");
        let imported = if uri
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("steam://"))
        {
            let fields = Fields {
                issuer: "Steam",
                account: name,
                kind: Some(OtpKind::Steam),
                ..Default::default()
            };
            build_entry(&fields, RawSecret::Base32(&uri[8..]))
                .map(|entry| finish(entry, note, Vec::new(), display_name("Steam", name)))
        } else {
            import_uri(uri, name.to_string()).map(|mut imported| {
                if imported.entry.account.is_empty() {
                    imported.entry.account = name.trim().to_string();
                }
                let fixed = finish(imported.entry, note, Vec::new(), imported.source_name);
                fixed
            })
        };
        match imported {
            Ok(entry) => result.entries.push(entry),
            Err(reason) => result.push_error(index + 1, name, reason),
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::common::aes_gcm_seal;
    use base64::Engine;

    /// No public password-protected Proton export exists, so this builds one exactly as Proton's
    /// published layout says (salt, nonce ‖ ciphertext ‖ tag, AAD) around Aegis's real plain sample.
    fn encrypted_sample(password: &str) -> Vec<u8> {
        let plain = include_bytes!("../../tests/fixtures/proton/proton_authenticator.json");
        let salt = [3u8; 16];
        let nonce = [5u8; 12];
        let key = derive_key(password, &salt).unwrap();
        let mut content = nonce.to_vec();
        content.extend(aes_gcm_seal(&key[..], &nonce, plain, AAD));
        let b64 = base64::engine::general_purpose::STANDARD;
        serde_json::to_vec(&serde_json::json!({"version": 1, "salt": b64.encode(salt), "content": b64.encode(content)}))
            .unwrap()
    }

    #[test]
    fn password_export_decrypts_and_fails_cleanly() {
        let file = encrypted_sample("pw");
        assert!(Proton::sniff(&file) && is_encrypted(&file));
        let r = Proton::import(&file, Some("pw")).unwrap();
        assert_eq!(r.entries.len(), 3);
        assert_eq!(r.entries[0].entry.issuer, "Deno");
        assert!(matches!(
            Proton::import(&file, None),
            Err(FormatError::NeedsPassword { .. })
        ));
        assert!(matches!(
            Proton::import(&file, Some("nope")),
            Err(FormatError::AuthenticationFailed { .. })
        ));
        // Change one Base64 character of the content: authentication fails.
        let mut text = String::from_utf8(file).unwrap();
        let at = text.find("\"content\":\"").unwrap() + 20;
        let replacement = if &text[at..at + 1] == "A" { "B" } else { "A" };
        text.replace_range(at..at + 1, replacement);
        assert!(matches!(
            Proton::import(text.as_bytes(), Some("pw")),
            Err(FormatError::AuthenticationFailed { .. })
        ));
    }
}
