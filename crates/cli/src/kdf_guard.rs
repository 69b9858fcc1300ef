//! Review #4: a file (a backup, an Ente export) whose password check asks for more work than
//! Tessera's budget (`tessera_core::kdf_budget`) is not derived without consent: at a terminal the
//! cost is shown and the person answers; otherwise it is refused (exit 2) unless
//! `--allow-expensive-kdf` was given.

use crate::cli_error::CliError;
use std::io::{IsTerminal, Write};
use tessera_core::formats::FormatId;
use tessera_core::kdf_budget::{file_kdf_cost, over_budget_sentence};

/// Checks the cost `bytes` (a file of `format`, named `label`) asks for before any password is read.
pub fn check(label: &str, format: FormatId, bytes: &[u8], allow: bool) -> Result<(), CliError> {
    let Some(cost) = file_kdf_cost(format, bytes) else {
        return Ok(());
    };
    if allow || cost.within_budget() {
        return Ok(());
    }
    let what = over_budget_sentence(label, &cost);
    if std::io::stdin().is_terminal() {
        eprint!("{what}.\nDerive the key anyway? [y/N] ");
        std::io::stderr().flush().ok();
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| CliError::bad_input(format!("could not read the answer: {e}")))?;
        if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            return Ok(());
        }
        return Err(CliError::bad_input(format!(
            "{label}: not opened; nothing was written"
        )));
    }
    Err(CliError::bad_input(format!(
        "{what}. If you trust the file, run again with --allow-expensive-kdf"
    )))
}
