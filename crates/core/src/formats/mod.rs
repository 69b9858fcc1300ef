//! Importers for other authenticator apps' export files, one module per format behind [`Importer`].
//!
//! Every importer is pure: bytes (and a password when the file is encrypted) in, entries and per-entry
//! errors out. Nothing here touches the vault; duplicates and storage are decided in one place there.
//! A bad entry never sinks the whole file (it becomes an [`EntryError`]), but a wrong password, a
//! damaged file or an unknown format fails the whole import with a [`FormatError`], so that nothing is
//! imported from a file we could not read completely.

pub mod aegis;
pub mod andotp;
pub mod bitwarden;
pub(crate) mod common;
pub mod ente;
pub mod environment;
pub mod freeotp_plus;
pub mod google;
mod messages;
pub mod proton;
pub mod registry;
pub mod stratum;
pub mod tessera;
pub mod twofas;
pub mod uris;

use crate::entry::OtpEntry;
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

pub use environment::suggest_environment;
pub use registry::{format_names, Format, FORMATS};

/// Why a whole file could not be imported. Nothing is imported when any of these happens.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FormatError {
    #[error("this {format} file is encrypted: a password is needed to read it")]
    NeedsPassword { format: &'static str },
    #[error("wrong password for this {format} file")]
    WrongPassword { format: &'static str },
    /// Authenticated encryption failed after the password was accepted, or the format cannot tell a wrong
    /// password from damage (one key, one tag).
    #[error("could not decrypt this {format} file: {reason}")]
    AuthenticationFailed {
        format: &'static str,
        reason: &'static str,
    },
    #[error("this {format} file is cut short ({detail}); it may not have been copied completely")]
    Truncated {
        format: &'static str,
        detail: String,
    },
    #[error("this is not a valid {format} file: {detail}")]
    Malformed {
        format: &'static str,
        detail: String,
    },
    #[error("this {format} file is not supported: {detail}")]
    Unsupported {
        format: &'static str,
        detail: String,
    },
    #[error(
        "the file format was not recognised; choose it with --format ({})",
        format_names()
    )]
    UnknownFormat,
}

impl FormatError {
    pub(crate) fn malformed(format: &'static str, detail: impl fmt::Display) -> Self {
        FormatError::Malformed {
            format,
            detail: detail.to_string(),
        }
    }
    pub(crate) fn unsupported(format: &'static str, detail: impl fmt::Display) -> Self {
        FormatError::Unsupported {
            format,
            detail: detail.to_string(),
        }
    }
    pub(crate) fn truncated(format: &'static str, detail: impl fmt::Display) -> Self {
        FormatError::Truncated {
            format,
            detail: detail.to_string(),
        }
    }
    /// For formats where one AES-GCM tag covers everything: a wrong password and a changed file look alike.
    pub(crate) fn wrong_password_or_damaged(format: &'static str) -> Self {
        FormatError::AuthenticationFailed {
            format,
            reason: "wrong password, or the file was damaged or changed (authentication failed)",
        }
    }
    /// For formats that check the password separately: the password was right, the data failed.
    pub(crate) fn tampered(format: &'static str) -> Self {
        FormatError::AuthenticationFailed {
            format,
            reason: "the file was damaged or changed after it was written (authentication failed)",
        }
    }
}

/// Where one entry of a Google Authenticator export sits in its multi-QR batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchInfo {
    pub batch_id: i32,
    /// 0-based index of the QR code / URI this entry came from.
    pub index: u32,
    /// Number of QR codes / URIs in the whole export.
    pub size: u32,
}

/// One account found in a file, with what the file said about it beyond the OTP parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEntry {
    pub entry: OtpEntry,
    /// The source app's note for this account (empty when none).
    pub note: String,
    /// "live", "sandpit" or another environment name suggested by the names, note or group.
    pub environment_hint: Option<crate::vault::Environment>,
    /// Groups, tags, folders or categories the source app put the account in.
    pub groups: Vec<String>,
    /// How the entry is named in the source file, for messages ("Deno / Mason", "line 3").
    pub source_name: String,
    pub batch: Option<BatchInfo>,
    /// Only for Tessera backups: what the vault kept beyond the portable entry (id, recovery codes,
    /// key history), so that a restore brings the account back as it was.
    pub restored: Option<crate::vault::RestoredFields>,
}

impl ImportedEntry {
    /// The environment the file suggests (names, note, group), `None` when nothing suggests one.
    pub fn suggested_environment(&self) -> crate::vault::Environment {
        self.environment_hint
            .clone()
            .unwrap_or(crate::vault::Environment::None)
    }
}

/// An entry that was found but cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// 1-based position in the file (line for text formats, item for JSON formats).
    pub position: usize,
    /// How the entry is named in the file, if it could be read at all.
    pub source_name: String,
    pub reason: String,
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source_name.is_empty() {
            write!(f, "entry {}: {}", self.position, self.reason)
        } else {
            write!(
                f,
                "entry {} ({}): {}",
                self.position, self.source_name, self.reason
            )
        }
    }
}

/// What one file yielded: the importable entries and the ones that could not be imported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportResult {
    pub entries: Vec<ImportedEntry>,
    pub errors: Vec<EntryError>,
    /// About the file as a whole, not one entry (a Google export with QR codes missing).
    pub warnings: Vec<String>,
}

impl ImportResult {
    pub(crate) fn push_error(
        &mut self,
        position: usize,
        source_name: impl Into<String>,
        reason: impl fmt::Display,
    ) {
        self.errors.push(EntryError {
            position,
            source_name: source_name.into(),
            reason: reason.to_string(),
        });
    }
}

/// One account as handed to an exporter: the portable entry plus what other apps can keep of Tessera's
/// own fields (a note, and a group that carries the environment name).
#[derive(Debug, Clone, Copy)]
pub struct ExportItem<'a> {
    pub entry: &'a OtpEntry,
    pub note: &'a str,
    pub group: Option<&'a str>,
}

/// One foreign export format.
pub trait Importer {
    /// The `--format` name.
    const ID: FormatId;
    /// Whether files of this format may be password-protected.
    const ENCRYPTABLE: bool;
    /// A cheap check whether `bytes` look like this format (used by `--format auto`).
    fn sniff(bytes: &[u8]) -> bool;
    /// Reads the whole file. `password` is used only when the file is encrypted.
    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError>;
}

/// The formats Tessera can import, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatId {
    Tessera,
    Aegis,
    TwoFas,
    Google,
    Uris,
    Bitwarden,
    Ente,
    AndOtp,
    Proton,
    FreeOtpPlus,
    Stratum,
}

impl FormatId {
    pub const ALL: [FormatId; 11] = [
        FormatId::Tessera,
        FormatId::Aegis,
        FormatId::TwoFas,
        FormatId::Google,
        FormatId::Uris,
        FormatId::Bitwarden,
        FormatId::Ente,
        FormatId::AndOtp,
        FormatId::Proton,
        FormatId::FreeOtpPlus,
        FormatId::Stratum,
    ];

    /// The `--format` name (see `registry.rs`).
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// The name people know the app by.
    pub fn display_name(self) -> &'static str {
        self.info().display_name
    }

    pub fn encryptable(self) -> bool {
        self.info().encryptable
    }
}

impl fmt::Display for FormatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FormatId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        let alias = match wanted.as_str() {
            "twofas" => "2fas",
            "freeotp+" | "freeotpplus" => "freeotp-plus",
            "authenticator-pro" | "authpro" => "stratum",
            "uri" | "otpauth" | "txt" => "uris",
            other => other,
        };
        FormatId::ALL
            .into_iter()
            .find(|f| f.as_str() == alias)
            .ok_or_else(|| format!("unknown format {s:?}"))
    }
}

/// Guesses the format of a file from its content (for `--format auto`). Formats with a magic header or a
/// distinctive JSON shape are checked first; plain URI lists last, as anything with a URI could be one.
pub fn detect(bytes: &[u8]) -> Option<FormatId> {
    registry::DETECTION_ORDER
        .into_iter()
        .find(|id| id.info().sniff(bytes))
        .or_else(|| detect_damaged_json(bytes))
}

fn detect_damaged_json(bytes: &[u8]) -> Option<FormatId> {
    if !common::looks_like_json(bytes)
        || serde_json::from_slice::<serde_json::Value>(common::strip_bom(bytes)).is_ok()
    {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let has = |key: &str| text.contains(&format!("\"{key}\""));
    if has("header") && has("db") {
        Some(FormatId::Aegis)
    } else if has("schemaVersion") || has("servicesEncrypted") {
        Some(FormatId::TwoFas)
    } else if has("Authenticators") {
        Some(FormatId::Stratum)
    } else if has("tokenOrder") {
        Some(FormatId::FreeOtpPlus)
    } else if has("entries") && has("content") || has("salt") && has("content") {
        Some(FormatId::Proton)
    } else if has("items") {
        Some(FormatId::Bitwarden)
    } else {
        None
    }
}

/// Whether a file of `format` with these bytes needs a password (so a caller can prompt before importing).
pub fn needs_password(format: FormatId, bytes: &[u8]) -> bool {
    format.info().needs_password(bytes)
}

/// At most this many entries per imported file (review #6): more is refused, not half imported.
pub const MAX_IMPORT_ENTRIES: usize = 10_000;

/// Imports `bytes` as `format` (Tessera backups included, with their stored environments and notes).
pub fn import(
    format: FormatId,
    bytes: &[u8],
    password: Option<&str>,
) -> Result<ImportResult, FormatError> {
    let result = import_unchecked(format, bytes, password)?;
    if result.entries.len() + result.errors.len() > MAX_IMPORT_ENTRIES {
        return Err(FormatError::unsupported(
            format.as_str(),
            format!(
                "the file holds {} entries; at most {MAX_IMPORT_ENTRIES} are imported from one file",
                result.entries.len() + result.errors.len()
            ),
        ));
    }
    Ok(result)
}

fn import_unchecked(
    format: FormatId,
    bytes: &[u8],
    password: Option<&str>,
) -> Result<ImportResult, FormatError> {
    format.info().read(bytes, password)
}
