//! Google Authenticator "Transfer accounts" exports: `otpauth-migration://offline?data=…` URIs (one per
//! QR code; a large export is split into several batches), as a text file with one URI per line.
//! Decoding each URI is the job of [`crate::migration`]; this module checks that the batches belong
//! together and reports the missing ones.

use super::common::{display_name, finish, utf8_text};
use super::uris::{content_lines, first_line_has_scheme};
use super::{BatchInfo, FormatError, FormatId, ImportResult, Importer};
use crate::migration;
use std::collections::BTreeSet;

const NAME: &str = "Google Authenticator export";

pub struct Google;

impl Importer for Google {
    const ID: FormatId = FormatId::Google;
    const ENCRYPTABLE: bool = false;

    fn sniff(bytes: &[u8]) -> bool {
        first_line_has_scheme(bytes, "otpauth-migration:")
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
    for (_, size, indices) in &seen {
        let missing: Vec<String> = (0..*size)
            .filter(|i| !indices.contains(i))
            .map(|i| (i + 1).to_string())
            .collect();
        // Only an export that is actually incomplete is worth a word, and it is about the file, not
        // about one entry. Several complete exports in one file (one per account, say) are fine.
        if !missing.is_empty() {
            let (codes, verb) = if missing.len() == 1 {
                ("QR code", "is")
            } else {
                ("QR codes", "are")
            };
            result.warnings.push(format!(
                "{codes} {} of {size} of a Google Authenticator export {verb} missing from this file, so their accounts are not included; scan or export them too",
                missing.join(", ")
            ));
        }
    }
    Ok(result)
}

/// Accounts per export QR code. Google Authenticator puts about 10 in one; fewer keeps the codes at a
/// QR version phone cameras read easily from a laptop screen.
pub const ACCOUNTS_PER_QR: usize = 6;

/// One QR code of a Google Authenticator export: its `otpauth-migration://` payload and a PNG of it.
pub struct ExportQr {
    pub uri: zeroize::Zeroizing<String>,
    pub png: Vec<u8>,
}

/// An export for Google Authenticator: the QR codes, and the accounts the format cannot carry (Steam,
/// periods other than 30 s, digits other than 6 or 8), each with the reason.
pub struct GoogleExport {
    pub codes: Vec<ExportQr>,
    pub refused: Vec<(String, String)>,
}

/// Splits the accounts Google Authenticator can hold into migration QR codes sharing one random batch id.
/// Unencrypted: callers must warn before writing the images.
pub fn export_qr(entries: &[&crate::entry::OtpEntry]) -> Result<GoogleExport, FormatError> {
    use rand::Rng;
    let mut refused = Vec::new();
    let mut carried = Vec::new();
    for entry in entries {
        match migration::unsupported_reason(entry) {
            Some(reason) => refused.push((display_name(&entry.issuer, &entry.account), reason)),
            None => carried.push((*entry).clone()),
        }
    }
    let batch_id: i32 = rand::thread_rng().gen();
    let uris = if carried.is_empty() {
        Vec::new()
    } else {
        migration::encode_batches(&carried, ACCOUNTS_PER_QR, batch_id)
            .map_err(|e| FormatError::unsupported(NAME, e))?
    };
    let codes = uris
        .into_iter()
        .map(|uri| {
            let png = render_png(&uri)?;
            Ok(ExportQr {
                uri: zeroize::Zeroizing::new(uri),
                png,
            })
        })
        .collect::<Result<Vec<_>, FormatError>>()?;
    Ok(GoogleExport { codes, refused })
}

/// Renders text as a QR code PNG with a quiet zone, at a size phones read from a screen or paper
/// ([`crate::qr::render_png`]).
pub fn render_png(text: &str) -> Result<Vec<u8>, FormatError> {
    crate::qr::render_png(text).map_err(|e| FormatError::unsupported(NAME, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;

    fn entry(issuer: &str) -> crate::entry::OtpEntry {
        crate::entry::OtpEntry::new(
            issuer,
            "alice",
            Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
            OtpParams::default(),
        )
    }

    #[test]
    fn several_complete_one_account_exports_are_not_an_error() {
        let lines: Vec<(usize, String)> = ["NHS Mail", "Spine", "EPR"]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                (
                    i + 1,
                    migration::encode_batches(&[entry(name)], 6, 100 + i as i32)
                        .unwrap()
                        .remove(0),
                )
            })
            .collect();
        let r = import_payloads(lines).unwrap();
        assert_eq!(r.entries.len(), 3);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn an_incomplete_export_is_a_file_warning_never_an_entry_error() {
        let entries: Vec<_> = (0..13).map(|i| entry(&format!("Svc {i}"))).collect();
        let uris = migration::encode_batches(&entries, 6, 7).unwrap();
        assert_eq!(uris.len(), 3);
        // QR code 2 of 3 left out.
        let lines = vec![(1, uris[0].clone()), (2, uris[2].clone())];
        let r = import_payloads(lines).unwrap();
        assert_eq!(r.entries.len(), 7);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.warnings.len(), 1);
        assert!(
            r.warnings[0].starts_with("QR code 2 of 3 of a Google Authenticator export is missing"),
            "{}",
            r.warnings[0]
        );
    }
}
