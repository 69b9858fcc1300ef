//! Accounts from what the user gave on the command line: a link (an otpauth:// URI, or a Google
//! Authenticator export with every usable account in it) or a QR code image. `add`, `code` and
//! `rekey` all read accounts this way. Warnings go to stderr.

use crate::cli_error::CliError;
use std::path::Path;
use tessera_core::{intake, migration, qr, uri, OtpEntry};

pub fn entries_from_uri_text(text: &str) -> Result<Vec<OtpEntry>, CliError> {
    if intake::link_kind(text) == intake::LinkKind::Export {
        let batch = migration::decode(text).map_err(CliError::bad_input)?;
        for s in &batch.skipped {
            eprintln!("warning: skipped {s}");
        }
        if batch.entries.is_empty() {
            return Err(CliError::bad_input(
                "the export holds no account Tessera can use",
            ));
        }
        return Ok(batch.entries);
    }
    let parsed = uri::parse_with_warnings(text).map_err(CliError::bad_input)?;
    for w in &parsed.warnings {
        eprintln!("warning: {w}");
    }
    Ok(vec![parsed.entry])
}

/// Every account in the QR codes of an image; other QR codes are reported, not added.
pub fn entries_from_image(path: &Path) -> Result<Vec<OtpEntry>, CliError> {
    let found =
        qr::scan_file(path).map_err(|e| CliError::bad_input(format!("{}: {e}", path.display())))?;
    if found.is_empty() {
        return Err(CliError::nothing_found(format!(
            "no QR code found in {}; try a sharper or larger picture, or type the key with --secret",
            path.display()
        )));
    }
    let mut entries = Vec::new();
    let mut other = Vec::new();
    for (_, payload) in &found {
        if let qr::Payload::Migration { batch } = payload {
            for s in &batch.skipped {
                eprintln!("warning: skipped {s}");
            }
            if batch.batch_size > 1 {
                eprintln!(
                    "note: this is code {} of {} of a Google Authenticator export; add the others too",
                    batch.batch_index + 1,
                    batch.batch_size
                );
            }
        }
        if payload.is_authenticator() {
            entries.extend(payload.entries());
        } else {
            other.push(payload.description());
        }
    }
    if entries.is_empty() {
        return Err(CliError::bad_input(format!(
            "{}: {}",
            path.display(),
            other.join("; ")
        )));
    }
    for d in other {
        eprintln!("note: another {d}; it was not added");
    }
    Ok(entries)
}

/// The one account a re-enrolment needs; several (a multi-account export, or a picture with more
/// than one code) is an error, since guessing which one is new could lock the user out.
pub fn single_entry(mut entries: Vec<OtpEntry>, source: &str) -> Result<OtpEntry, CliError> {
    match entries.len() {
        1 => Ok(entries.remove(0)),
        0 => Err(CliError::bad_input(format!("{source} holds no account"))),
        n => Err(CliError::bad_input(format!(
            "{source} holds {n} accounts; re-enrolment takes one: use the new code only (crop the picture to it)"
        ))),
    }
}
