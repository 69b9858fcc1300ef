//! IPC shapes of Settings → Backups (issue 15).

use serde::Serialize;

/// The CLI's `tessera backup status --json` fields, plus what the app shows from them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "BackupStatus")]
pub struct BackupStatusDto {
    pub enabled: bool,
    pub folder: Option<String>,
    pub keep: u32,
    /// RFC 3339, as the CLI prints it.
    pub last_verified: Option<String>,
    #[ts(type = "number | null")]
    pub last_verified_ms: Option<u64>,
    pub last_file: Option<String>,
    /// Accounts in the last verified backup.
    pub accounts: Option<usize>,
    /// Why the last automatic backup failed (a sentence), if it did.
    pub last_error: Option<String>,
    #[ts(type = "number | null")]
    pub last_restore_test_ms: Option<u64>,
    /// The warning for the codes screen, decided by the core (`backup::check::attention`).
    pub warning: Option<String>,
    /// On, and no successful restore test in the last 90 days.
    pub restore_test_due: bool,
    /// The organisation requires automatic backups (policy require_backup): the warning cannot be
    /// dismissed while they are off, and they cannot be turned off.
    pub required: bool,
}

/// What "Test a restore" found.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "RestoreTest")]
pub struct RestoreTestDto {
    pub file: String,
    pub matches: bool,
    pub summary: String,
    #[ts(type = "number")]
    pub created_at_ms: u64,
    pub backup_accounts: usize,
    pub vault_accounts: usize,
    pub same: usize,
    pub changed: Vec<String>,
    pub only_in_backup: Vec<String>,
    pub only_in_vault: Vec<String>,
    pub status: BackupStatusDto,
}

/// What "Emergency sheet…" wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "EmergencySheet")]
pub struct EmergencySheetDto {
    /// The HTML file, to open in the browser and print.
    pub file: String,
    /// Accounts listed on the sheet.
    pub accounts: usize,
    /// The "for a locked drawer" version, with QR codes and unused recovery codes.
    pub with_secrets: bool,
}
