//! `--secret -`: the secret key from standard input, or typed at a no-echo prompt when standard input
//! is a terminal, so it never lands in `ps`, `/proc/<pid>/cmdline` or the shell history (review #24).

use crate::cli_error::CliError;
use std::io::{BufRead, IsTerminal};
use zeroize::Zeroizing;

/// The secret text given to `--secret`: the value itself, or for `-` the first line of standard input
/// (a no-echo prompt at a terminal).
pub fn secret_text(value: &str) -> Result<Zeroizing<String>, CliError> {
    if value != "-" {
        return Ok(Zeroizing::new(value.to_string()));
    }
    let text = if std::io::stdin().is_terminal() {
        Zeroizing::new(
            rpassword::prompt_password("Secret key: ")
                .map_err(|e| CliError::bad_input(format!("could not read the secret key: {e}")))?,
        )
    } else {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::bad_input(format!("could not read the secret key: {e}")))?;
        line
    };
    let trimmed = Zeroizing::new(text.trim().to_string());
    if trimmed.is_empty() {
        return Err(CliError::bad_input(
            "no secret key on standard input (with --secret -, give it on stdin or type it at the prompt)",
        ));
    }
    Ok(trimmed)
}
