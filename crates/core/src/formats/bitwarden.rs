//! Bitwarden exports, JSON and CSV (password manager and Bitwarden Authenticator; both unencrypted).
//! The key sits in `login.totp` (JSON) or the `login_totp` column (CSV) as an otpauth URI, a
//! `steam://SECRET`, or a bare Base32 key. Items without a key are password entries and are skipped.

use super::common::{
    build_entry, display_name, finish, looks_like_json, parse_json, str_field, utf8_text, Fields,
    RawSecret,
};
use super::uris::import_uri;
use super::{FormatError, FormatId, ImportResult, ImportedEntry, Importer};
use crate::otp::OtpKind;
use serde_json::Value;
use std::collections::HashMap;

const NAME: &str = "Bitwarden";

pub struct Bitwarden;

impl Importer for Bitwarden {
    const ID: FormatId = FormatId::Bitwarden;
    const ENCRYPTABLE: bool = false;

    fn sniff(bytes: &[u8]) -> bool {
        if looks_like_json(bytes) {
            return parse_json(NAME, bytes)
                .map(|v| v.get("items").is_some_and(Value::is_array))
                .unwrap_or(false);
        }
        std::str::from_utf8(super::common::strip_bom(bytes))
            .ok()
            .and_then(|t| t.lines().next())
            .is_some_and(|header| header.split(',').any(|c| c.trim() == "login_totp"))
    }

    fn import(bytes: &[u8], _password: Option<&str>) -> Result<ImportResult, FormatError> {
        if looks_like_json(bytes) {
            import_json(&parse_json(NAME, bytes)?)
        } else {
            import_csv(utf8_text(NAME, bytes)?)
        }
    }
}

/// What one Bitwarden item says about its key, wherever it came from.
struct Item<'a> {
    name: &'a str,
    username: &'a str,
    notes: &'a str,
    folder: Option<&'a str>,
    totp: &'a str,
}

fn import_item(item: &Item) -> Result<ImportedEntry, String> {
    let totp = item.totp.trim();
    let groups: Vec<String> = item
        .folder
        .filter(|f| !f.is_empty())
        .map(|f| vec![f.to_string()])
        .unwrap_or_default();
    let fallback = display_name(item.name, item.username);
    let mut imported = if totp.to_ascii_lowercase().starts_with("otpauth:") {
        import_uri(totp, fallback)?
    } else {
        // steam://SECRET or a bare key: the item's name and user name are all we know.
        let (kind, secret) = match totp.get(..8) {
            Some(prefix) if prefix.eq_ignore_ascii_case("steam://") => (OtpKind::Steam, &totp[8..]),
            _ => (OtpKind::Totp, totp),
        };
        let fields = Fields {
            issuer: item.name,
            account: item.username,
            kind: Some(kind),
            ..Default::default()
        };
        finish(
            build_entry(&fields, RawSecret::Base32(secret))?,
            "",
            Vec::new(),
            fallback,
        )
    };
    // The URI's issuer wins; the item name fills in when the URI had none.
    if imported.entry.issuer.is_empty() {
        imported.entry.issuer = item.name.trim().to_string();
    }
    let note = item.notes.trim();
    let mut texts = vec![
        imported.entry.issuer.as_str(),
        imported.entry.account.as_str(),
        item.name,
        note,
    ];
    texts.extend(groups.iter().map(String::as_str));
    imported.environment_hint = super::suggest_environment(&texts);
    imported.note = note.to_string();
    imported.groups = groups;
    Ok(imported)
}

fn import_json(file: &Value) -> Result<ImportResult, FormatError> {
    if file.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(FormatError::unsupported(
            NAME,
            "this is an encrypted Bitwarden export; export again choosing the unencrypted .json format",
        ));
    }
    let items = file
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| FormatError::malformed(NAME, "no \"items\" list"))?;
    let folders: HashMap<&str, &str> = file
        .get("folders")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .map(|f| (str_field(f, "id"), str_field(f, "name")))
                .collect()
        })
        .unwrap_or_default();
    let mut result = ImportResult::default();
    for (index, item) in items.iter().enumerate() {
        let login = item.get("login").cloned().unwrap_or(Value::Null);
        let totp = str_field(&login, "totp");
        if totp.trim().is_empty() {
            continue;
        }
        let folder = item
            .get("folderId")
            .and_then(Value::as_str)
            .and_then(|id| folders.get(id).copied());
        let item = Item {
            name: str_field(item, "name"),
            username: str_field(&login, "username"),
            notes: str_field(item, "notes"),
            folder,
            totp,
        };
        match import_item(&item) {
            Ok(entry) => result.entries.push(entry),
            Err(reason) => result.push_error(index + 1, item.name, reason),
        }
    }
    Ok(result)
}

fn import_csv(text: &str) -> Result<ImportResult, FormatError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FormatError::malformed(NAME, format!("the CSV header cannot be read ({e})")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let totp_col = column("login_totp")
        .ok_or_else(|| FormatError::malformed(NAME, "no \"login_totp\" column"))?;
    let (name_col, user_col, notes_col, folder_col) = (
        column("name"),
        column("login_username"),
        column("notes"),
        column("folder"),
    );
    let mut result = ImportResult::default();
    for (index, record) in reader.records().enumerate() {
        // Line numbers as a spreadsheet shows them: the header is line 1.
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                result.push_error(line, "", format!("the CSV row cannot be read ({e})"));
                continue;
            }
        };
        let get = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("");
        let totp = get(Some(totp_col));
        if totp.trim().is_empty() {
            continue;
        }
        let item = Item {
            name: get(name_col),
            username: get(user_col),
            notes: get(notes_col),
            folder: Some(get(folder_col)),
            totp,
        };
        match import_item(&item) {
            Ok(entry) => result.entries.push(entry),
            Err(reason) => result.push_error(line, item.name, reason),
        }
    }
    Ok(result)
}
