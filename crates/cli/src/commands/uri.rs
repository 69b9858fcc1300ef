//! `tessera uri parse URI...`: one JSON object per account per line.

use crate::cli_error::{CliError, CliResult};
use crate::entry_json::{BatchJson, EntryJson};
use clap::Subcommand;
use tessera_core::{migration, uri};

#[derive(Subcommand)]
pub enum UriCommand {
    /// Parse otpauth:// or otpauth-migration:// URIs and print one JSON object per account.
    Parse {
        /// The URIs (quote them in the shell: they contain `&` and `?`).
        #[arg(required = true)]
        uris: Vec<String>,
    },
}

pub fn run(cmd: UriCommand) -> CliResult {
    let UriCommand::Parse { uris } = cmd;
    let mut failures = Vec::new();
    for text in &uris {
        match entries_of(text) {
            Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
            Err(message) => {
                eprintln!("error: {message}");
                failures.push(message);
            }
        }
    }
    match failures.len() {
        0 => Ok(()),
        1 if uris.len() == 1 => Err(CliError::already_reported(crate::cli_error::EXIT_BAD_INPUT)),
        n => Err(CliError::bad_input(format!(
            "{n} of {} URIs could not be read",
            uris.len()
        ))),
    }
}

/// The JSON lines for one URI, or a message saying why it cannot be read.
fn entries_of(text: &str) -> Result<Vec<String>, String> {
    if tessera_core::intake::link_kind(text) == tessera_core::intake::LinkKind::Export {
        let batch = migration::decode(text).map_err(|e| e.to_string())?;
        for skipped in &batch.skipped {
            eprintln!("warning: skipped {skipped}");
        }
        if batch.entries.is_empty() {
            return Err("the export holds no account Tessera can use".into());
        }
        let b = BatchJson::of(&batch);
        return Ok(batch
            .entries
            .iter()
            .map(|e| EntryJson::new(e, true).with_batch(b).to_line())
            .collect());
    }
    let parsed = uri::parse_with_warnings(text).map_err(|e| e.to_string())?;
    for w in &parsed.warnings {
        eprintln!("warning: {w}");
    }
    Ok(vec![EntryJson::new(&parsed.entry, true).to_line()])
}
