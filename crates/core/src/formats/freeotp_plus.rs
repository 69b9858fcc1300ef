//! FreeOTP+ JSON export: `{ "tokenOrder": [...], "tokens": [ { "algo", "counter", "digits", "issuerExt",
//! "label", "period", "secret": [signed bytes], "type" } ] }`.
//!
//! HOTP counters: FreeOTP+ stores the counter of the last code it showed, one less than the counter in
//! the URI the token was added from (the Aegis sample shows 0 for a token added with `counter=1`).
//! Tessera stores the counter of the next code, so we import `counter + 1`: the first code Tessera shows
//! is the one FreeOTP+ would have shown next, and a server that already accepted the last code still
//! accepts it (HOTP servers look ahead, never back).

use super::common::{
    build_entry, display_name, finish, looks_like_json, parse_json, str_field, uint_field, Fields,
    RawSecret,
};
use super::{FormatError, FormatId, ImportResult, Importer};
use crate::otp::OtpKind;
use serde_json::Value;

const NAME: &str = "FreeOTP+";

pub struct FreeOtpPlus;

impl Importer for FreeOtpPlus {
    const ID: FormatId = FormatId::FreeOtpPlus;
    const ENCRYPTABLE: bool = false;

    fn sniff(bytes: &[u8]) -> bool {
        looks_like_json(bytes)
            && parse_json(NAME, bytes)
                .map(|v| {
                    v.get("tokens").is_some_and(Value::is_array)
                        && v.get("Authenticators").is_none()
                })
                .unwrap_or(false)
    }

    fn import(bytes: &[u8], _password: Option<&str>) -> Result<ImportResult, FormatError> {
        let file = parse_json(NAME, bytes)?;
        let tokens = file
            .get("tokens")
            .and_then(Value::as_array)
            .ok_or_else(|| FormatError::malformed(NAME, "no \"tokens\" list"))?;
        let mut result = ImportResult::default();
        for (index, token) in tokens.iter().enumerate() {
            let issuer = match str_field(token, "issuerExt") {
                "" => str_field(token, "issuerInt"),
                ext => ext,
            };
            let account = str_field(token, "label");
            let name = display_name(issuer, account);
            match read_token(token, issuer, account) {
                Ok(entry) => result.entries.push(finish(entry, "", Vec::new(), name)),
                Err(reason) => result.push_error(index + 1, name, reason),
            }
        }
        Ok(result)
    }
}

fn read_token(
    token: &Value,
    issuer: &str,
    account: &str,
) -> Result<crate::entry::OtpEntry, String> {
    let secret = token
        .get("secret")
        .and_then(Value::as_array)
        .ok_or("the secret is missing")?
        .iter()
        .map(|b| {
            b.as_i64()
                .filter(|b| (-128..=255).contains(b))
                .map(|b| b as u8)
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or("the secret is not a list of bytes")?;
    let kind = match str_field(token, "type").to_ascii_uppercase().as_str() {
        "TOTP" | "" => OtpKind::Totp,
        "HOTP" => OtpKind::Hotp,
        "STEAM" => OtpKind::Steam,
        other => return Err(format!("token type {other} is not supported")),
    };
    let fields = Fields {
        issuer,
        account,
        kind: Some(kind),
        algorithm: token.get("algo").and_then(Value::as_str),
        digits: uint_field(token, "digits"),
        period: uint_field(token, "period"),
        counter: uint_field(token, "counter").map(|c| c.saturating_add(1)),
    };
    build_entry(&fields, RawSecret::Bytes(secret))
}
