//! Google Authenticator "Transfer accounts" exports: `otpauth-migration://offline?data=…` URIs (one per
//! QR code; a large export is split into several batches), as a text file with one URI per line.
//! Decoding each URI is the job of [`crate::migration`]; this module checks that the batches belong
//! together and reports the missing ones.

use super::common::{display_name, finish, utf8_text};
use super::uris::content_lines;
use super::{BatchInfo, FormatError, FormatId, ImportResult, Importer};
use crate::migration;
use std::collections::BTreeSet;

const NAME: &str = "Google Authenticator export";

pub struct Google;

impl Importer for Google {
    const ID: FormatId = FormatId::Google;
    const ENCRYPTABLE: bool = false;

    fn sniff(bytes: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(super::common::strip_bom(bytes)) else {
            return false;
        };
        content_lines(text)
            .next()
            .is_some_and(|(_, l)| l.to_ascii_lowercase().starts_with("otpauth-migration:"))
    }

    fn import(bytes: &[u8], _password: Option<&str>) -> Result<ImportResult, FormatError> {
        let text = utf8_text(NAME, bytes)?;
        let payloads: Vec<(usize, &str)> = content_lines(text).collect();
        if payloads.is_empty() {
            return Err(FormatError::malformed(
                NAME,
                "the file has no otpauth-migration:// lines",
            ));
        }
        import_payloads(payloads.into_iter().map(|(n, l)| (n, l.to_string())))
    }
}

/// Imports migration URIs from any source (text lines or decoded QR codes), numbered for messages.
pub fn import_payloads(
    payloads: impl IntoIterator<Item = (usize, String)>,
) -> Result<ImportResult, FormatError> {
    let mut result = ImportResult::default();
    // Which QR codes of which export we have seen, to report the missing ones.
    let mut seen: Vec<(i32, u32, BTreeSet<u32>)> = Vec::new();
    for (position, payload) in payloads {
        let batch = match migration::decode(&payload) {
            Ok(batch) => batch,
            Err(e) => {
                result.push_error(position, format!("line {position}"), e);
                continue;
            }
        };
        let info = BatchInfo {
            batch_id: batch.batch_id,
            index: batch.batch_index.max(0) as u32,
            size: batch.batch_size.max(1) as u32,
        };
        match seen.iter_mut().find(|(id, _, _)| *id == info.batch_id) {
            Some((_, _, indices)) => {
                indices.insert(info.index);
            }
            None => seen.push((info.batch_id, info.size, BTreeSet::from([info.index]))),
        }
        for reason in &batch.skipped {
            result.push_error(position, format!("line {position}"), reason);
        }
        for entry in batch.entries {
            let name = display_name(&entry.issuer, &entry.account);
            let mut imported = finish(entry, "", Vec::new(), name);
            imported.batch = Some(info);
            result.entries.push(imported);
        }
    }
    for (batch_id, size, indices) in &seen {
        let missing: Vec<String> = (0..*size)
            .filter(|i| !indices.contains(i))
            .map(|i| (i + 1).to_string())
            .collect();
        if !missing.is_empty() {
            result.push_error(
                0,
                format!("export {batch_id}"),
                format!(
                    "QR code(s) {} of {size} of this Google Authenticator export are missing; their accounts are not included",
                    missing.join(", ")
                ),
            );
        }
    }
    if seen.len() > 1 {
        result.push_error(
            0,
            "",
            format!("the file mixes {} different Google Authenticator exports; check nothing is missing", seen.len()),
        );
    }
    Ok(result)
}
