//! How the CLI fails: a message on stderr starting `error:` and an exit code scripts can rely on.

use std::fmt::Display;
use std::process::ExitCode;

/// Exit code when the command ran but found nothing (no QR code, no matching account).
pub const EXIT_NOTHING_FOUND: u8 = 1;
/// Exit code for bad input: arguments, URIs, files, passwords.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug)]
pub struct CliError {
    pub exit: u8,
    pub message: String,
}

impl CliError {
    pub fn bad_input(message: impl Display) -> Self {
        CliError {
            exit: EXIT_BAD_INPUT,
            message: message.to_string(),
        }
    }

    pub fn nothing_found(message: impl Display) -> Self {
        CliError {
            exit: EXIT_NOTHING_FOUND,
            message: message.to_string(),
        }
    }

    /// The command already printed its `error:` lines (one per failed item); only the exit code is left.
    pub fn already_reported(exit: u8) -> Self {
        CliError {
            exit,
            message: String::new(),
        }
    }

    pub fn report(&self) -> ExitCode {
        if !self.message.is_empty() {
            eprintln!("error: {}", self.message);
        }
        ExitCode::from(self.exit)
    }
}

pub type CliResult = Result<(), CliError>;
