//! `tessera backup verify FILE`: decrypts a Tessera backup with its password alone (no vault, no
//! keychain) and reports what it holds.

use crate::cli_error::{CliError, CliResult};
use crate::file_password;
use clap::Subcommand;
use std::path::PathBuf;
use tessera_core::backup::{self, container, BackupError};
use tessera_core::formats::ImportResult;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Decrypt a backup file and check it can be restored (password from TESSERA_FILE_PASSWORD or a prompt).
    Verify {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Whether the bytes are a Tessera backup (by its magic).
pub fn detect_backup(bytes: &[u8]) -> bool {
    bytes.starts_with(container::MAGIC)
}

/// A backup's accounts as import entries (environment and note as stored).
pub fn read_backup_entries(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<ImportResult, BackupError> {
    let password = password.unwrap_or("");
    let content = backup::open(bytes, password)?;
    Ok(backup::to_import_result(&content))
}

pub fn run(cmd: BackupCommand) -> CliResult {
    let BackupCommand::Verify { file } = cmd;
    let label = file.display().to_string();
    let bytes = std::fs::read(&file).map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
    let header =
        container::read_header(&bytes).map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
    let password = file_password::for_reading(&label)?;
    let content = backup::open(&bytes, &password)
        .map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
    println!(
        "backup verified: {} accounts{} (format {}, Argon2id {} MiB, {} passes, {} lane(s))",
        content.accounts.len(),
        if content.trash.is_empty() {
            String::new()
        } else {
            format!(" and {} in the trash", content.trash.len())
        },
        header.version,
        header.kdf.memory_kib / 1024,
        header.kdf.passes,
        header.kdf.lanes,
    );
    Ok(())
}
