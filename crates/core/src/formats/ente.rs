//! Ente Auth plain-text export (`ente-auth-codes-plaintext-*.txt`): one otpauth URI per line, each with
//! Ente's `codeDisplay` parameter, URL-encoded JSON holding the note, tags, pin and trash state.
//! Entries in Ente's trash are reported, not imported: the user deleted them there.

use super::common::utf8_text;
use super::uris::{content_lines, import_uri};
use super::{suggest_environment, FormatError, FormatId, ImportResult, Importer};
use serde_json::Value;

const NAME: &str = "Ente Auth";

pub struct Ente;

impl Importer for Ente {
    const ID: FormatId = FormatId::Ente;
    const ENCRYPTABLE: bool = false;

    /// Ente's lines are otpauth URIs with a `codeDisplay` parameter; its encrypted export is JSON with
    /// `kdfParams` (recognised so that the user gets a clear message).
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

    fn import(bytes: &[u8], _password: Option<&str>) -> Result<ImportResult, FormatError> {
        let text = utf8_text(NAME, bytes)?;
        if is_encrypted_export(text) {
            return Err(FormatError::unsupported(
                NAME,
                "encrypted Ente exports cannot be read yet; in Ente Auth choose Export codes → Plain text",
            ));
        }
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
                        imported.groups = display
                            .get("tags")
                            .and_then(Value::as_array)
                            .map(|t| {
                                t.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default();
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
