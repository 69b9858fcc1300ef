//! Aegis vault / backup JSON, plain and encrypted (beemdevelopment/Aegis `docs/vault.md`).
//!
//! Encrypted files wrap a random master key in one or more "slots"; password slots derive the wrapping
//! key with scrypt (parameters in the slot). The master key decrypts `db` with AES-256-GCM, with the
//! tag stored apart from the ciphertext in `header.params`.

use super::common::{
    aes_gcm_open, base64_lenient, build_entry, display_name, finish, hex_decode, looks_like_json,
    parse_json, str_field, uint_field, Fields, RawSecret,
};
use super::{FormatError, FormatId, ImportResult, Importer};
use crate::otp::OtpKind;
use serde_json::Value;
use std::collections::HashMap;
use zeroize::Zeroizing;

const NAME: &str = "Aegis";
/// Slot type of a password-derived key (0 = raw key, 2 = biometric, neither portable).
const SLOT_PASSWORD: u64 = 1;
/// Upper bounds for scrypt parameters read from a file, so a crafted file cannot ask for gigabytes.
const MAX_SCRYPT_LOG_N: u8 = 20;
const MAX_SCRYPT_R: u32 = 32;
const MAX_SCRYPT_P: u32 = 16;
/// scrypt needs 128·r·N bytes; Aegis itself uses 32 MiB.
const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;

pub struct Aegis;

impl Importer for Aegis {
    const ID: FormatId = FormatId::Aegis;
    const ENCRYPTABLE: bool = true;

    fn sniff(bytes: &[u8]) -> bool {
        looks_like_json(bytes)
            && parse_json(NAME, bytes)
                .map(|v| v.get("header").is_some_and(Value::is_object) && v.get("db").is_some())
                .unwrap_or(false)
    }

    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        let file = parse_json(NAME, bytes)?;
        let header = file
            .get("header")
            .ok_or_else(|| FormatError::malformed(NAME, "no \"header\""))?;
        let content = match file.get("db") {
            Some(Value::Object(_)) => file["db"].clone(),
            Some(Value::String(db)) => {
                let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
                decrypt_db(header, db, password)?
            }
            _ => {
                return Err(FormatError::malformed(
                    NAME,
                    "no \"db\" object or encrypted string",
                ))
            }
        };
        Ok(read_content(&content))
    }
}

/// Whether the file's `db` is an encrypted string.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    parse_json(NAME, bytes)
        .map(|v| v.get("db").is_some_and(Value::is_string))
        .unwrap_or(false)
}

fn decrypt_db(header: &Value, db: &str, password: &str) -> Result<Value, FormatError> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| FormatError::malformed(NAME, "an encrypted vault without key slots"))?;
    let password_slots: Vec<&Value> = slots
        .iter()
        .filter(|s| s.get("type").and_then(Value::as_u64) == Some(SLOT_PASSWORD))
        .collect();
    if password_slots.is_empty() {
        return Err(FormatError::unsupported(
            NAME,
            "this vault has no password slot (only biometric or raw-key slots); export it from Aegis with a password",
        ));
    }
    let master_key = password_slots
        .iter()
        .map(|slot| unwrap_slot(slot, password))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .next()
        .ok_or(FormatError::WrongPassword { format: NAME })?;

    let params = header
        .get("params")
        .ok_or_else(|| FormatError::malformed(NAME, "no \"header.params\""))?;
    let nonce = hex_field(params, "nonce", 12)?;
    let tag = hex_field(params, "tag", 16)?;
    let mut sealed = base64_lenient(db)
        .ok_or_else(|| FormatError::malformed(NAME, "\"db\" is not valid Base64"))?;
    sealed.extend_from_slice(&tag);
    let plain = Zeroizing::new(
        aes_gcm_open(&master_key[..], &nonce, &sealed, b"").ok_or(FormatError::tampered(NAME))?,
    );
    parse_json(NAME, &plain)
}

/// Tries one password slot: `Ok(None)` when the password does not open it, errors for a broken slot.
fn unwrap_slot(slot: &Value, password: &str) -> Result<Option<Zeroizing<Vec<u8>>>, FormatError> {
    let n = uint_field(slot, "n")
        .ok_or_else(|| FormatError::malformed(NAME, "password slot without \"n\""))?;
    let r = uint_field(slot, "r").unwrap_or(8);
    let p = uint_field(slot, "p").unwrap_or(1);
    if !n.is_power_of_two() || n < 2 {
        return Err(FormatError::malformed(
            NAME,
            format!("scrypt N = {n} is not a power of two"),
        ));
    }
    let log_n = n.trailing_zeros() as u8;
    let memory = 128u64.saturating_mul(r).saturating_mul(n);
    if log_n > MAX_SCRYPT_LOG_N
        || r > u64::from(MAX_SCRYPT_R)
        || p > u64::from(MAX_SCRYPT_P)
        || r == 0
        || p == 0
        || memory > MAX_SCRYPT_MEMORY
    {
        return Err(FormatError::unsupported(
            NAME,
            format!("scrypt parameters N={n} r={r} p={p} are out of range"),
        ));
    }
    let salt = hex_decode(str_field(slot, "salt"))
        .ok_or_else(|| FormatError::malformed(NAME, "the password slot's salt is not hex"))?;
    let params = scrypt::Params::new(log_n, r as u32, p as u32, 32)
        .map_err(|e| FormatError::malformed(NAME, format!("scrypt parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key[..])
        .map_err(|e| FormatError::malformed(NAME, format!("scrypt: {e}")))?;

    let wrapped = hex_decode(str_field(slot, "key"))
        .ok_or_else(|| FormatError::malformed(NAME, "the slot's wrapped key is not hex"))?;
    let key_params = slot
        .get("key_params")
        .ok_or_else(|| FormatError::malformed(NAME, "slot without key_params"))?;
    let nonce = hex_field(key_params, "nonce", 12)?;
    let tag = hex_field(key_params, "tag", 16)?;
    let mut sealed = wrapped;
    sealed.extend_from_slice(&tag);
    Ok(aes_gcm_open(&key[..], &nonce, &sealed, b"").map(Zeroizing::new))
}

fn hex_field(value: &Value, key: &str, len: usize) -> Result<Vec<u8>, FormatError> {
    match hex_decode(str_field(value, key)) {
        Some(bytes) if bytes.len() == len => Ok(bytes),
        Some(bytes) if bytes.len() < len => Err(FormatError::truncated(
            NAME,
            format!("\"{key}\" is too short"),
        )),
        _ => Err(FormatError::malformed(
            NAME,
            format!("\"{key}\" is not {len} bytes of hex"),
        )),
    }
}

/// Reads the decrypted (or plain) content: `{ version, entries, groups }`.
fn read_content(content: &Value) -> ImportResult {
    let mut result = ImportResult::default();
    // Content version 3 names groups by UUID in a table; version 2 had one group name per entry.
    let group_names: HashMap<&str, &str> = content
        .get("groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .map(|g| (str_field(g, "uuid"), str_field(g, "name")))
                .collect()
        })
        .unwrap_or_default();
    let Some(entries) = content.get("entries").and_then(Value::as_array) else {
        result.push_error(0, "", "the vault has no \"entries\" list");
        return result;
    };
    for (index, item) in entries.iter().enumerate() {
        let issuer = str_field(item, "issuer");
        let account = str_field(item, "name");
        let name = display_name(issuer, account);
        match read_entry(item, issuer, account) {
            Ok(entry) => {
                let mut groups: Vec<String> = item
                    .get("groups")
                    .and_then(Value::as_array)
                    .map(|ids| {
                        ids.iter()
                            .filter_map(Value::as_str)
                            .filter_map(|id| group_names.get(id).map(|n| n.to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                let legacy_group = str_field(item, "group");
                if !legacy_group.is_empty() {
                    groups.push(legacy_group.to_string());
                }
                result
                    .entries
                    .push(finish(entry, str_field(item, "note"), groups, name));
            }
            Err(reason) => result.push_error(index + 1, name, reason),
        }
    }
    result
}

fn read_entry(item: &Value, issuer: &str, account: &str) -> Result<crate::entry::OtpEntry, String> {
    let kind = match str_field(item, "type").to_ascii_lowercase().as_str() {
        "totp" => OtpKind::Totp,
        "hotp" => OtpKind::Hotp,
        "steam" => OtpKind::Steam,
        "motp" => return Err("mOTP entries are not supported by Tessera".into()),
        "yandex" => return Err("Yandex entries are not supported by Tessera".into()),
        other => return Err(format!("unknown entry type {other:?}")),
    };
    let info = item.get("info").ok_or("the entry has no \"info\"")?;
    let fields = Fields {
        issuer,
        account,
        kind: Some(kind),
        algorithm: info.get("algo").and_then(Value::as_str),
        digits: uint_field(info, "digits"),
        period: uint_field(info, "period"),
        counter: uint_field(info, "counter"),
    };
    build_entry(&fields, RawSecret::Base32(str_field(info, "secret")))
}

/// scrypt cost Aegis itself uses for password slots (N = 2^15, r = 8, p = 1).
const EXPORT_SCRYPT_LOG_N: u8 = 15;

/// Writes an encrypted Aegis vault (content version 3) that Aegis, GNOME Authenticator, Proton, Ente,
/// 2FAS and Stratum can import. `group` of each item becomes an Aegis group, so a Tessera environment
/// survives a round trip. Secrets are only ever in the encrypted `db`.
pub fn export_encrypted(items: &[super::ExportItem], password: &str) -> Vec<u8> {
    use super::common::aes_gcm_seal;
    use rand::RngCore;
    use serde_json::json;

    let mut group_ids: Vec<(String, String)> = Vec::new();
    let entries: Vec<Value> = items
        .iter()
        .map(|item| {
            let e = item.entry;
            let p = &e.params;
            let (kind, info) = match p.kind {
                OtpKind::Totp => ("totp", json!({"secret": e.secret.to_base32(), "algo": p.algorithm.as_str(), "digits": p.digits, "period": p.period})),
                OtpKind::Hotp => ("hotp", json!({"secret": e.secret.to_base32(), "algo": p.algorithm.as_str(), "digits": p.digits, "counter": p.counter})),
                OtpKind::Steam => ("steam", json!({"secret": e.secret.to_base32(), "algo": "SHA1", "digits": 5, "period": p.period})),
            };
            let groups: Vec<String> = item
                .group
                .filter(|g| !g.trim().is_empty())
                .map(|g| {
                    let id = match group_ids.iter().find(|(_, name)| name == g) {
                        Some((id, _)) => id.clone(),
                        None => {
                            let id = uuid::Uuid::new_v4().to_string();
                            group_ids.push((id.clone(), g.to_string()));
                            id
                        }
                    };
                    vec![id]
                })
                .unwrap_or_default();
            json!({
                "type": kind,
                "uuid": uuid::Uuid::new_v4().to_string(),
                "name": e.account,
                "issuer": e.issuer,
                "note": item.note,
                "favorite": false,
                "icon": null,
                "icon_mime": null,
                "icon_hash": null,
                "info": info,
                "groups": groups,
            })
        })
        .collect();
    let groups: Vec<Value> = group_ids
        .iter()
        .map(|(id, name)| json!({"uuid": id, "name": name}))
        .collect();
    let content =
        json!({"version": 3, "entries": entries, "groups": groups, "icons_optimized": true});
    let plaintext =
        crate::crypto::json_error::to_vec_presized(&content).expect("JSON values serialize");
    drop(content);

    let mut rng = rand::rngs::OsRng;
    let mut master_key = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(&mut master_key[..]);
    let mut salt = [0u8; 32];
    rng.fill_bytes(&mut salt);
    let mut slot_nonce = [0u8; 12];
    rng.fill_bytes(&mut slot_nonce);
    let mut db_nonce = [0u8; 12];
    rng.fill_bytes(&mut db_nonce);

    let params =
        scrypt::Params::new(EXPORT_SCRYPT_LOG_N, 8, 1, 32).expect("valid scrypt parameters");
    let mut slot_key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut slot_key[..])
        .expect("32-byte output is valid");
    let wrapped = aes_gcm_seal(&slot_key[..], &slot_nonce, &master_key[..], b"");
    let (wrapped_key, slot_tag) = wrapped.split_at(32);
    let sealed = aes_gcm_seal(&master_key[..], &db_nonce, &plaintext, b"");
    let (db, db_tag) = sealed.split_at(sealed.len() - 16);

    let hex = |b: &[u8]| data_encoding::HEXLOWER.encode(b);
    let file = json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": SLOT_PASSWORD,
                "uuid": uuid::Uuid::new_v4().to_string(),
                "key": hex(wrapped_key),
                "key_params": {"nonce": hex(&slot_nonce), "tag": hex(slot_tag)},
                "n": 1u64 << EXPORT_SCRYPT_LOG_N,
                "r": 8,
                "p": 1,
                "salt": hex(&salt),
                "repaired": true,
            }],
            "params": {"nonce": hex(&db_nonce), "tag": hex(db_tag)},
        },
        "db": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, db),
    });
    serde_json::to_vec_pretty(&file).expect("JSON values serialize")
}
