//! Ente Auth exports. Plain text (`ente-auth-codes-plaintext-*.txt`): one otpauth URI per line, each
//! with Ente's `codeDisplay` parameter, URL-encoded JSON holding the note, tags, pin and trash state.
//! Entries in Ente's trash are reported, not imported: the user deleted them there.
//! Encrypted (`ente-auth-codes-encrypted-*.json`): `{ "version": 1, "kdfParams": { "memLimit" (bytes),
//! "opsLimit", "salt" }, "encryptedData", "encryptionNonce" }`: Argon2id v1.3 (libsodium
//! `crypto_pwhash`, one lane) and one libsodium secretstream message holding exactly the plain text.

use super::common::{base64_lenient, parse_json, str_field, strings_field, uint_field, utf8_text};
use super::uris::{content_lines, import_uri};
use super::{suggest_environment, FormatError, FormatId, ImportResult, Importer};
use crate::crypto::secretstream::{self, PullError, HEADER_LEN, TAG_FINAL, TAG_MESSAGE};
use serde_json::Value;
use zeroize::Zeroizing;

const NAME: &str = "Ente Auth";

pub struct Ente;

impl Importer for Ente {
    const ID: FormatId = FormatId::Ente;
    const ENCRYPTABLE: bool = true;

    /// Ente's lines are otpauth URIs with a `codeDisplay` parameter; its encrypted export is JSON with
    /// `kdfParams` and `encryptedData`.
    fn sniff(bytes: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(super::common::strip_bom(bytes)) else {
            return false;
        };
        if is_encrypted_export(text) {
            return true;
        }
        content_lines(text).next().is_some_and(|(_, l)| {
            l.to_ascii_lowercase().starts_with("otpauth:") && l.contains("codeDisplay=")
        })
    }

    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        let text = utf8_text(NAME, bytes)?;
        // Plain exports are lines of URIs; JSON is the encrypted export (or what is left of one).
        if text.trim_start().starts_with('{') {
            let file = parse_json(NAME, bytes)?;
            let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
            let plain = decrypt(&file, password)?;
            let plain = std::str::from_utf8(&plain)
                .map_err(|_| FormatError::malformed(NAME, "the decrypted export is not text"))?;
            return import_text(plain);
        }
        import_text(text)
    }
}

/// Ente's own limits are 1 GiB × 4 passes at most (libsodium's SENSITIVE); its fallbacks halve the
/// memory and double the passes. Anything far beyond would only make a hostile file take minutes.
const MAX_MEMORY_BYTES: u64 = 1 << 30;
const MAX_MEMORY_TIMES_PASSES: u64 = 8 << 30;

fn decrypt(file: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let version = file.get("version").and_then(Value::as_u64);
    if version != Some(1) {
        return Err(FormatError::unsupported(
            NAME,
            format!("encrypted export version {version:?} (only 1 is known)"),
        ));
    }
    let kdf = file.get("kdfParams").unwrap_or(&Value::Null);
    let memory = uint_field(kdf, "memLimit")
        .ok_or_else(|| FormatError::malformed(NAME, "kdfParams.memLimit is missing"))?;
    let passes = uint_field(kdf, "opsLimit")
        .ok_or_else(|| FormatError::malformed(NAME, "kdfParams.opsLimit is missing"))?;
    if !(8 * 1024..=MAX_MEMORY_BYTES).contains(&memory)
        || passes == 0
        || memory.saturating_mul(passes) > MAX_MEMORY_TIMES_PASSES
    {
        return Err(FormatError::unsupported(
            NAME,
            format!("key-derivation settings {memory} bytes × {passes} passes are outside what Ente Auth writes"),
        ));
    }
    let salt = base64_lenient(str_field(kdf, "salt"))
        .ok_or_else(|| FormatError::malformed(NAME, "kdfParams.salt is not Base64"))?;
    let header: [u8; HEADER_LEN] = base64_lenient(str_field(file, "encryptionNonce"))
        .and_then(|h| h.try_into().ok())
        .ok_or_else(|| {
            FormatError::malformed(NAME, "encryptionNonce is not a 24-byte Base64 header")
        })?;
    let data = base64_lenient(str_field(file, "encryptedData"))
        .ok_or_else(|| FormatError::malformed(NAME, "encryptedData is not Base64"))?;

    let params = argon2::Params::new((memory / 1024) as u32, passes as u32, 1, Some(32))
        .map_err(|e| FormatError::unsupported(NAME, format!("key-derivation settings: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), &salt, key.as_mut())
        .map_err(|e| FormatError::malformed(NAME, format!("key derivation failed: {e}")))?;

    match secretstream::pull_first(&key, &header, &data) {
        // Ente Auth has written its single message with TAG_MESSAGE as well as TAG_FINAL.
        Ok((plain, TAG_FINAL | TAG_MESSAGE)) => Ok(plain),
        Ok((_, tag)) => Err(FormatError::malformed(
            NAME,
            format!("unexpected stream tag {tag}"),
        )),
        Err(PullError::TooShort) => Err(FormatError::truncated(
            NAME,
            "the encrypted data is shorter than its tag and MAC",
        )),
        // One key, one MAC: a wrong password and a changed file look alike.
        Err(PullError::Authentication) => Err(FormatError::wrong_password_or_damaged(NAME)),
    }
}

fn import_text(text: &str) -> Result<ImportResult, FormatError> {
    let mut result = ImportResult::default();
    let mut seen_any = false;
    for (line_no, line) in content_lines(text) {
        seen_any = true;
        let display = code_display(line);
        if display
            .as_ref()
            .and_then(|d| d.get("trashed"))
            .and_then(Value::as_bool)
            == Some(true)
        {
            result.push_error(
                line_no,
                format!("line {line_no}"),
                "the entry is in Ente Auth's trash",
            );
            continue;
        }
        match import_uri(line, format!("line {line_no}")) {
            Ok(mut imported) => {
                if let Some(display) = display {
                    imported.note = display
                        .get("note")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    imported.groups = strings_field(&display, "tags");
                    let mut texts = vec![
                        imported.entry.issuer.as_str(),
                        imported.entry.account.as_str(),
                    ];
                    texts.push(&imported.note);
                    texts.extend(imported.groups.iter().map(String::as_str));
                    imported.environment_hint = suggest_environment(&texts);
                }
                result.entries.push(imported);
            }
            Err(reason) => result.push_error(line_no, format!("line {line_no}"), reason),
        }
    }
    if !seen_any {
        return Err(FormatError::malformed(
            NAME,
            "the file has no otpauth:// lines",
        ));
    }
    Ok(result)
}

/// Whether these bytes are Ente's encrypted export (so a caller can ask for the password first).
pub fn is_encrypted(bytes: &[u8]) -> bool {
    std::str::from_utf8(super::common::strip_bom(bytes)).is_ok_and(is_encrypted_export)
}

fn is_encrypted_export(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{') && t.contains("\"kdfParams\"") && t.contains("\"encryptedData\"")
}

/// The decoded `codeDisplay` JSON of one URI, if present and readable.
fn code_display(line: &str) -> Option<Value> {
    let query = line.split_once('?')?.1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("codeDisplay="))?;
    let spaced = raw.replace('+', " ");
    let decoded = percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()?;
    serde_json::from_str(&decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_display() {
        let line = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&codeDisplay=%7B%22trashed%22%3Atrue%2C%22note%22%3A%22hi%20there%22%7D";
        let d = code_display(line).unwrap();
        assert_eq!(d["trashed"], Value::Bool(true));
        assert_eq!(d["note"], "hi there");
        assert!(code_display("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP").is_none());
    }
}
