//! Passwords for import and export files (not the vault's): `TESSERA_FILE_PASSWORD`, else a no-echo
//! prompt when a person is at the terminal.

use crate::cli_error::CliError;
use std::io::IsTerminal;
use zeroize::Zeroizing;

pub const FILE_PASSWORD_ENV: &str = "TESSERA_FILE_PASSWORD";

fn from_env() -> Result<Option<Zeroizing<String>>, CliError> {
    match std::env::var_os(FILE_PASSWORD_ENV) {
        Some(p) => p
            .into_string()
            .map(|p| Some(Zeroizing::new(p)))
            .map_err(|_| CliError::bad_input(format!("{FILE_PASSWORD_ENV} is not valid UTF-8"))),
        None => Ok(None),
    }
}

/// The password to open an encrypted file named `what`.
pub fn for_reading(what: &str) -> Result<Zeroizing<String>, CliError> {
    if let Some(p) = from_env()? {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::bad_input(format!(
            "{what} is encrypted: set {FILE_PASSWORD_ENV} or run the command in a terminal"
        )));
    }
    rpassword::prompt_password(format!("Password for {what}: "))
        .map(Zeroizing::new)
        .map_err(|e| CliError::bad_input(format!("could not read the password: {e}")))
}

/// A new password for a file being written: from the environment, or typed twice.
pub fn for_writing(what: &str) -> Result<Zeroizing<String>, CliError> {
    if let Some(p) = from_env()? {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::bad_input(format!(
            "{what} needs a password: set {FILE_PASSWORD_ENV} or run the command in a terminal"
        )));
    }
    loop {
        let first = rpassword::prompt_password(format!("New password for {what}: "))
            .map(Zeroizing::new)
            .map_err(|e| CliError::bad_input(format!("could not read the password: {e}")))?;
        let second = rpassword::prompt_password("Type it again: ")
            .map(Zeroizing::new)
            .map_err(|e| CliError::bad_input(format!("could not read the password: {e}")))?;
        if *first == *second {
            return Ok(first);
        }
        eprintln!("The two passwords differ; try again.");
    }
}
