//! IPC shapes of the Import / Export screen (camelCase JSON, declared again in `ui/src/lib/api.ts`).
//! No secret crosses: the preview names accounts and summarises their settings; the keys stay in Rust.

use crate::dto::{AccountView, EnvironmentDto};
use serde::{Deserialize, Serialize};

/// A file the UI read (picked or dropped), held in Rust until it is imported or cancelled.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportFileInfo {
    pub file_name: String,
    pub size: usize,
    /// The `--format` name recognised from the content, if any.
    pub detected_format: Option<String>,
    /// Whether the file (in the detected format) needs a password.
    pub needs_password: bool,
}

/// What a file holds, before anything is written.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ImportPreview")]
pub struct ImportPreviewDto {
    pub file_name: String,
    /// The format used to read the file ("aegis", "tessera", …).
    pub format: String,
    /// The app's name as people know it ("Aegis", "Tessera backup").
    pub format_name: String,
    /// True when the file is encrypted and no password was given: ask for one, then preview again.
    pub needs_password: bool,
    pub entries: Vec<ImportRowDto>,
    /// Entries that cannot be imported, each with its reason in words.
    pub errors: Vec<String>,
    /// About the file as a whole (a Google export with QR codes missing); nothing is wrong with an entry.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// One account found in the file.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ImportRow")]
pub struct ImportRowDto {
    /// Position in `entries`; choices refer to rows by it.
    pub index: usize,
    pub issuer: String,
    pub account: String,
    /// "totp", "hotp" or "steam".
    #[ts(type = "OtpKind")]
    pub kind: String,
    /// "TOTP · SHA1 · 6 digits · 30 s" (never the key).
    pub summary: String,
    pub suggested_environment: EnvironmentDto,
    pub has_note: bool,
    /// Recovery codes that come with it (Tessera backups), and how many of them are unused.
    pub recovery_codes: usize,
    pub recovery_codes_left: usize,
    /// Accounts in the vault with the same issuer, name and suggested environment.
    pub duplicates: Vec<AccountView>,
    /// An earlier row of this file with the same issuer, name and environment.
    pub same_as_row: Option<usize>,
}

/// The person's choice for one row.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ImportChoice")]
pub struct ImportChoiceDto {
    pub index: usize,
    pub import: bool,
    /// "skip", "replace" or "keepBoth"; used when the account clashes with one in the vault.
    #[ts(type = "OnDuplicate")]
    pub on_duplicate: String,
    pub environment: EnvironmentDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ImportCounts")]
pub struct ImportCountsDto {
    pub added: usize,
    pub replaced: usize,
    pub skipped: usize,
    pub recovery_codes: usize,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename = "ExportRequest")]
/// What the WebView may say about an export: the format and, for encrypted ones, the password. Where
/// the file goes and the "NOT encrypted" consent are asked by Rust in native dialogs (review #20); a
/// request that still names a path (or a consent) is refused, not ignored.
pub struct ExportRequestDto {
    /// "tessera", "uris", "aegis" or "google-qr".
    #[ts(type = "ExportFormat")]
    pub format: String,
    pub password: Option<String>,
    pub confirm_password: Option<String>,
    #[serde(default)]
    pub include_trash: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ExportResult")]
pub struct ExportResultDto {
    #[ts(type = "ExportFormat")]
    pub format: String,
    /// "backup verified: 12 accounts in /home/…/tessera-backup-2026-11-23.tessera".
    pub summary: String,
    pub files: Vec<String>,
    pub accounts: usize,
    pub trashed: usize,
    /// Accounts left out (Google cannot carry every kind), in words.
    pub left_out: Vec<String>,
    pub encrypted: bool,
}

/// One choice of the import screen's format picker (from the core's format registry).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportFormatOption {
    /// The `--format` name, sent back with the preview.
    pub id: String,
    pub label: String,
}
