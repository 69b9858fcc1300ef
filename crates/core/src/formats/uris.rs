//! Plain lists of `otpauth://` URIs, one per line: the text export of Aegis, FreeOTP+, Stratum, 2FAS and
//! others. CRLF line endings, blank lines and `#` comment lines are accepted; each bad line is reported
//! on its own and the others are still imported.

use super::common::{display_name, finish, utf8_text};
use super::{FormatError, FormatId, ImportResult, ImportedEntry, Importer};
use crate::uri;

const NAME: &str = "otpauth URI list";

pub struct Uris;

impl Importer for Uris {
    const ID: FormatId = FormatId::Uris;
    const ENCRYPTABLE: bool = false;

    fn sniff(bytes: &[u8]) -> bool {
        first_line_has_scheme(bytes, "otpauth:")
    }

    fn import(bytes: &[u8], _password: Option<&str>) -> Result<ImportResult, FormatError> {
        let text = utf8_text(NAME, bytes)?;
        let mut result = ImportResult::default();
        let mut seen_any = false;
        for (line_no, line) in content_lines(text) {
            seen_any = true;
            match import_uri(line, format!("line {line_no}")) {
                Ok(entry) => result.entries.push(entry),
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

/// The lines that carry content, with 1-based line numbers: trimmed, without blanks and `#` comments.
/// Whether the first content line of a text file starts with `scheme` (lower case, with its colon):
/// how line-based exports (URI lists, Google exports) are told apart.
pub(crate) fn first_line_has_scheme(bytes: &[u8], scheme: &str) -> bool {
    let Ok(text) = std::str::from_utf8(super::common::strip_bom(bytes)) else {
        return false;
    };
    content_lines(text)
        .next()
        .is_some_and(|(_, line)| line.to_ascii_lowercase().starts_with(scheme))
}

pub(crate) fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

/// One otpauth URI through the shared tolerant parser, named for messages by issuer and account.
pub(crate) fn import_uri(line: &str, fallback_name: String) -> Result<ImportedEntry, String> {
    let entry = uri::parse(line).map_err(|e| super::messages::uri_error(&e))?;
    let name = match display_name(&entry.issuer, &entry.account) {
        n if n.is_empty() => fallback_name,
        n => n,
    };
    Ok(finish(entry, "", Vec::new(), name))
}

/// Writes a plain URI list (one canonical otpauth URI per line), readable by nearly every app.
/// Unencrypted: callers must warn before writing it.
pub fn export(items: &[super::ExportItem]) -> zeroize::Zeroizing<String> {
    let mut out = zeroize::Zeroizing::new(String::new());
    for item in items {
        out.push_str(&uri::to_uri(item.entry));
        out.push('\n');
    }
    out
}
