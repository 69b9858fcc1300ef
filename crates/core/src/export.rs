//! Writing the vault out to a file: a verified Tessera backup (the default), an encrypted Aegis vault,
//! a plain URI list or Google Authenticator QR images. Every file is read back and compared with the
//! vault before success is reported. The CLI (`tessera export`) and the app both call [`export_vault`].

use crate::backup::{self, password as backup_password, BackupError, BackupKdf, BackupOptions};
use crate::formats::{self, aegis, google, uris, ExportItem, FormatError, FormatId};
use crate::vault::{Account, Vault};
use crate::OtpEntry;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;

/// The formats Tessera writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// Encrypted Tessera backup (Argon2id + AES-256-GCM), verified after writing.
    #[default]
    Tessera,
    /// Plain otpauth:// URIs, one per line. UNENCRYPTED.
    Uris,
    /// Encrypted Aegis vault JSON, readable by Aegis, 2FAS, Ente, Proton, Stratum.
    Aegis,
    /// Google Authenticator transfer QR codes as PNG images. UNENCRYPTED.
    GoogleQr,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Tessera,
        ExportFormat::Uris,
        ExportFormat::Aegis,
        ExportFormat::GoogleQr,
    ];

    /// The `--format` name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Tessera => "tessera",
            ExportFormat::Uris => "uris",
            ExportFormat::Aegis => "aegis",
            ExportFormat::GoogleQr => "google-qr",
        }
    }

    /// Whether the file is protected by a password (the others hold the keys in the clear).
    pub fn encrypted(self) -> bool {
        matches!(self, ExportFormat::Tessera | ExportFormat::Aegis)
    }

    /// The usual file name ending, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Tessera => "tessera",
            ExportFormat::Uris => "txt",
            ExportFormat::Aegis => "json",
            ExportFormat::GoogleQr => "png",
        }
    }

    /// A file name for an export made on `date` ("2026-11-23"): `tessera-backup-2026-11-23.tessera`.
    pub fn default_file_name(self, date: &str) -> String {
        let stem = match self {
            ExportFormat::Tessera => "tessera-backup",
            ExportFormat::Uris => "tessera-uris-UNENCRYPTED",
            ExportFormat::Aegis => "tessera-aegis-export",
            ExportFormat::GoogleQr => "tessera-google-qr-UNENCRYPTED",
        };
        format!("{stem}-{date}.{}", self.extension())
    }

    /// Where a new export made on `date` goes in `dir` without meeting an existing file:
    /// `tessera-backup-2026-11-23.tessera`, else `…-2026-11-23-2.tessera`, `-3` … (QR images also
    /// keep clear of the numbered `…-1-of-3.png` files an earlier export left).
    pub fn unused_path(self, dir: &Path, date: &str) -> PathBuf {
        let first = self.default_file_name(date);
        let ext = format!(".{}", self.extension());
        let stem = first.strip_suffix(&ext).unwrap_or(&first).to_string();
        let taken = |stem: &str| {
            if dir.join(format!("{stem}{ext}")).exists() {
                return true;
            }
            self == ExportFormat::GoogleQr
                && std::fs::read_dir(dir).is_ok_and(|entries| {
                    entries.flatten().any(|e| {
                        let name = e.file_name().to_string_lossy().to_string();
                        name.strip_prefix(&format!("{stem}-"))
                            .and_then(|rest| rest.strip_suffix(&ext))
                            .and_then(|rest| rest.split_once("-of-"))
                            .is_some_and(|(i, n)| {
                                [i, n]
                                    .iter()
                                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                            })
                    })
                })
        };
        let name = (1..1000)
            .map(|n| {
                if n == 1 {
                    stem.clone()
                } else {
                    format!("{stem}-{n}")
                }
            })
            .find(|s| !taken(s))
            .unwrap_or_else(|| format!("{stem}-{}", crate::time::now_unix()));
        dir.join(format!("{name}{ext}"))
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| {
                format!("unknown export format {s:?}; use tessera, uris, aegis or google-qr")
            })
    }
}

/// What to export and where.
#[derive(Debug, Clone, Copy)]
pub struct ExportRequest<'a> {
    pub format: ExportFormat,
    pub out: &'a Path,
    /// Required for the encrypted formats; weak passwords are refused with the reason.
    pub password: Option<&'a str>,
    /// Tessera backups only: also keep the vault's trash.
    pub include_trash: bool,
    /// Tessera backups only: the Argon2id cost (the default outside tests).
    pub backup_kdf: BackupKdf,
}

/// An export that was written and read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub format: ExportFormat,
    /// The files written (several for Google QR exports of many accounts).
    pub files: Vec<PathBuf>,
    /// Accounts in the files, as read back.
    pub accounts: usize,
    /// Trashed accounts in a Tessera backup.
    pub trashed: usize,
    /// Accounts left out (Google cannot carry every kind), with the reason.
    pub refused: Vec<(String, String)>,
}

impl ExportReport {
    /// "backup verified: 12 accounts in /path" / "export verified: 7 accounts in /path (Aegis, encrypted)".
    pub fn summary(&self) -> String {
        let first = self
            .files
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match self.format {
            ExportFormat::Tessera => format!(
                "backup verified: {} accounts{} in {first}",
                self.accounts,
                if self.trashed > 0 {
                    format!(" and {} in the trash", self.trashed)
                } else {
                    String::new()
                }
            ),
            ExportFormat::Aegis => format!(
                "export verified: {} accounts in {first} (Aegis, encrypted)",
                self.accounts
            ),
            ExportFormat::Uris => format!(
                "export verified: {} accounts in {first} (otpauth URI list)",
                self.accounts
            ),
            ExportFormat::GoogleQr => format!(
                "export verified: {} accounts in {} QR code image(s): {}",
                self.accounts,
                self.files.len(),
                self.files
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Why nothing (or nothing trustworthy) was exported.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("the vault has no accounts to export")]
    NothingToExport,
    #[error("{}: already exists; choose another file name or remove it first", .0.display())]
    Exists(PathBuf),
    #[error("a password is needed to encrypt this export")]
    PasswordNeeded,
    #[error("{}: {reason}", path.display())]
    Refused { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("no account can be carried by a Google Authenticator export")]
    NothingCarried,
    #[error("{}: {reason}; do not rely on it", path.display())]
    NotVerified { path: PathBuf, reason: String },
}

impl ExportError {
    fn at(path: &Path, reason: impl fmt::Display) -> ExportError {
        ExportError::Refused {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }
}

/// Writes the export and reads it back. Never overwrites an existing file.
pub fn export_vault(vault: &Vault, request: ExportRequest) -> Result<ExportReport, ExportError> {
    let accounts = vault.accounts();
    if accounts.is_empty() && !(request.include_trash && request.format == ExportFormat::Tessera) {
        return Err(ExportError::NothingToExport);
    }
    let out = request.out;
    let password = || -> Result<&str, ExportError> {
        let p = request
            .password
            .filter(|p| !p.is_empty())
            .ok_or(ExportError::PasswordNeeded)?;
        backup_password::check(p).map_err(|e| ExportError::at(out, e))?;
        Ok(p)
    };
    let entries: Vec<OtpEntry> = accounts.iter().map(Account::to_entry).collect();
    match request.format {
        ExportFormat::Tessera => {
            refuse_overwrite(out)?;
            let password = password()?;
            let options = BackupOptions {
                include_trash: request.include_trash,
                kdf: request.backup_kdf,
            };
            let verified =
                backup::write_verified(vault, out, password, options).map_err(|e| match e {
                    BackupError::ReadBack { path, reason } => ExportError::NotVerified {
                        path,
                        reason: format!("could not be read back after writing ({reason})"),
                    },
                    BackupError::Mismatch { path, reason } => ExportError::NotVerified {
                        path,
                        reason: format!("does not match the vault after writing ({reason})"),
                    },
                    other => ExportError::at(out, other),
                })?;
            Ok(ExportReport {
                format: request.format,
                files: vec![verified.path],
                accounts: verified.accounts,
                trashed: verified.trashed,
                refused: Vec::new(),
            })
        }
        ExportFormat::Aegis => {
            refuse_overwrite(out)?;
            let password = password()?;
            let bytes = aegis::export_encrypted(&items(accounts, &entries), password);
            write_new(out, &bytes)?;
            let n = verify_reimport(out, FormatId::Aegis, Some(password), &entries)?;
            Ok(report(request.format, vec![out.to_path_buf()], n))
        }
        ExportFormat::Uris => {
            refuse_overwrite(out)?;
            let text = uris::export(&items(accounts, &entries));
            write_new(out, text.as_bytes())?;
            let n = verify_reimport(out, FormatId::Uris, None, &entries)?;
            Ok(report(request.format, vec![out.to_path_buf()], n))
        }
        ExportFormat::GoogleQr => {
            let refs: Vec<&OtpEntry> = entries.iter().collect();
            let export = google::export_qr(&refs).map_err(|e| ExportError::at(out, e))?;
            if export.codes.is_empty() {
                return Err(ExportError::NothingCarried);
            }
            let n = export.codes.len();
            let paths: Vec<PathBuf> = (0..n).map(|i| qr_path(out, i, n)).collect();
            for p in &paths {
                refuse_overwrite(p)?;
            }
            for (code, path) in export.codes.iter().zip(&paths) {
                write_new(path, &code.png)?;
            }
            // The images are the payloads rendered: check the payloads decode back to the accounts.
            let text: String = export
                .codes
                .iter()
                .map(|c| format!("{}\n", c.uri.as_str()))
                .collect();
            let back = formats::import(FormatId::Google, text.as_bytes(), None)
                .map_err(|e| not_verified(out, e))?;
            let carried = entries.len() - export.refused.len();
            if back.entries.len() != carried || !back.errors.is_empty() {
                return Err(not_verified(
                    out,
                    "the QR payloads do not read back as the exported accounts",
                ));
            }
            let mut report = report(request.format, paths, carried);
            report.refused = export.refused;
            Ok(report)
        }
    }
}

fn report(format: ExportFormat, files: Vec<PathBuf>, accounts: usize) -> ExportReport {
    ExportReport {
        format,
        files,
        accounts,
        trashed: 0,
        refused: Vec::new(),
    }
}

fn not_verified(path: &Path, reason: impl fmt::Display) -> ExportError {
    ExportError::NotVerified {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn refuse_overwrite(path: &Path) -> Result<(), ExportError> {
    if path.exists() {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    Ok(())
}

/// The environment travels as an Aegis group (and comes back as the suggested environment).
fn items<'a>(accounts: &'a [Account], entries: &'a [OtpEntry]) -> Vec<ExportItem<'a>> {
    accounts
        .iter()
        .zip(entries)
        .map(|(a, e)| ExportItem {
            entry: e,
            note: &a.note,
            group: a.environment.as_key(),
        })
        .collect()
}

/// `out` itself for one image; `name-1-of-3.png` … for several.
pub fn qr_path(out: &Path, index: usize, count: usize) -> PathBuf {
    if count == 1 {
        return out.to_path_buf();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "google-export".into());
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_else(|| "png".into());
    out.with_file_name(format!("{stem}-{}-of-{count}.{ext}", index + 1))
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let fail = |e: std::io::Error| ExportError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    // Owner-only (0600), never replacing or writing through anything at `path` (review #5, #10).
    crate::vault::atomic::write_new_private(path, bytes).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            ExportError::Exists(path.to_path_buf())
        } else {
            fail(e)
        }
    })
}

/// Reads the written file back through our importer and compares it with what was exported.
fn verify_reimport(
    path: &Path,
    format: FormatId,
    password: Option<&str>,
    expected: &[OtpEntry],
) -> Result<usize, ExportError> {
    let bytes = std::fs::read(path).map_err(|e| not_verified(path, e))?;
    let back = formats::import(format, &bytes, password)
        .map_err(|e: FormatError| not_verified(path, format!("cannot be read back: {e}")))?;
    let got: Vec<&OtpEntry> = back.entries.iter().map(|e| &e.entry).collect();
    if !back.errors.is_empty() || got != expected.iter().collect::<Vec<_>>() {
        return Err(not_verified(
            path,
            "the written file does not read back as the vault's accounts",
        ));
    }
    Ok(got.len())
}

#[cfg(test)]
mod unused_path_tests {
    use super::*;

    #[test]
    fn a_second_export_the_same_day_gets_a_free_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let first = ExportFormat::Tessera.unused_path(d, "2026-12-05");
        assert_eq!(first, d.join("tessera-backup-2026-12-05.tessera"));
        std::fs::write(&first, b"x").unwrap();
        let second = ExportFormat::Tessera.unused_path(d, "2026-12-05");
        assert_eq!(second, d.join("tessera-backup-2026-12-05-2.tessera"));
        std::fs::write(&second, b"x").unwrap();
        assert_eq!(
            ExportFormat::Tessera.unused_path(d, "2026-12-05"),
            d.join("tessera-backup-2026-12-05-3.tessera")
        );
        // QR images written as several numbered files count as taken too.
        std::fs::write(
            d.join("tessera-google-qr-UNENCRYPTED-2026-12-05-1-of-2.png"),
            b"x",
        )
        .unwrap();
        assert_eq!(
            ExportFormat::GoogleQr.unused_path(d, "2026-12-05"),
            d.join("tessera-google-qr-UNENCRYPTED-2026-12-05-2.png")
        );
        assert_eq!(
            ExportFormat::Uris.unused_path(d, "2026-12-05"),
            d.join("tessera-uris-UNENCRYPTED-2026-12-05.txt")
        );
    }
}
