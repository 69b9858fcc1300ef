//! Accounts from a link the user gave on the command line: an otpauth:// URI (one account) or a
//! Google Authenticator export (every usable account in it). Warnings go to stderr.

use crate::cli_error::CliError;
use tessera_core::{migration, uri, OtpEntry};

pub fn entries_from_uri_text(text: &str) -> Result<Vec<OtpEntry>, CliError> {
    if text
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("otpauth-migration:")
    {
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
