//! `tessera export --format tessera|uris|aegis|google-qr --out FILE`: every account in the vault, as a
//! verified Tessera backup (default), an encrypted Aegis vault, a plain URI list or Google Authenticator
//! QR images. Each file is read back and checked before success is reported.

use crate::cli_error::{CliError, CliResult};
use crate::file_password;
use crate::vault_access::open_vault;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use tessera_core::backup::{self, password as backup_password, BackupOptions};
use tessera_core::formats::{self, aegis, google, uris, ExportItem, FormatId};
use tessera_core::vault::Account;
use tessera_core::OtpEntry;

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// Encrypted Tessera backup (Argon2id + AES-256-GCM), verified after writing.
    Tessera,
    /// Plain otpauth:// URIs, one per line. UNENCRYPTED.
    Uris,
    /// Encrypted Aegis vault JSON, readable by Aegis, 2FAS, Ente, Proton, Stratum, GNOME Authenticator.
    Aegis,
    /// Google Authenticator transfer QR codes as PNG images. UNENCRYPTED.
    GoogleQr,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "tessera")]
    pub format: ExportFormat,
    /// Where to write. For google-qr with several codes, FILE-1-of-N.png … are written.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Tessera backups only: also keep the vault's trash.
    #[arg(long)]
    pub include_trash: bool,
}

fn bad(path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::bad_input(format!("{}: {e}", path.display()))
}

fn refuse_overwrite(path: &Path) -> Result<(), CliError> {
    if path.exists() {
        return Err(bad(
            path,
            "already exists; choose another file name or remove it first",
        ));
    }
    Ok(())
}

fn warn_unencrypted(what: &str) {
    eprintln!(
        "warning: {what} holds your secret keys UNENCRYPTED: anyone who sees it can make your codes. \
         Delete it as soon as the transfer is done."
    );
}

pub fn run(args: ExportArgs, vault_path: Option<&Path>) -> CliResult {
    let vault = open_vault(vault_path)?;
    let accounts = vault.accounts();
    if accounts.is_empty() && !args.include_trash {
        return Err(CliError::nothing_found(
            "the vault has no accounts to export",
        ));
    }
    match args.format {
        ExportFormat::Tessera => {
            refuse_overwrite(&args.out)?;
            let password = file_password::for_writing("the backup")?;
            let options = BackupOptions {
                include_trash: args.include_trash,
                ..Default::default()
            };
            let verified = backup::write_verified(&vault, &args.out, &password, options)
                .map_err(|e| bad(&args.out, e))?;
            println!(
                "backup verified: {} accounts{} in {}",
                verified.accounts,
                if verified.trashed > 0 {
                    format!(" and {} in the trash", verified.trashed)
                } else {
                    String::new()
                },
                verified.path.display()
            );
        }
        ExportFormat::Aegis => {
            refuse_overwrite(&args.out)?;
            let password = file_password::for_writing("the Aegis export")?;
            backup_password::check(&password).map_err(|e| bad(&args.out, e))?;
            let entries: Vec<OtpEntry> = accounts.iter().map(Account::to_entry).collect();
            let items = items(accounts, &entries);
            let bytes = aegis::export_encrypted(&items, &password);
            write_new(&args.out, &bytes)?;
            let n = verify_reimport(&args.out, FormatId::Aegis, Some(&password), &entries)?;
            println!(
                "export verified: {n} accounts in {} (Aegis, encrypted)",
                args.out.display()
            );
        }
        ExportFormat::Uris => {
            refuse_overwrite(&args.out)?;
            let entries: Vec<OtpEntry> = accounts.iter().map(Account::to_entry).collect();
            let text = uris::export(&items(accounts, &entries));
            write_new(&args.out, text.as_bytes())?;
            let n = verify_reimport(&args.out, FormatId::Uris, None, &entries)?;
            warn_unencrypted(&args.out.display().to_string());
            println!(
                "export verified: {n} accounts in {} (otpauth URI list)",
                args.out.display()
            );
        }
        ExportFormat::GoogleQr => {
            let entries: Vec<OtpEntry> = accounts.iter().map(Account::to_entry).collect();
            let refs: Vec<&OtpEntry> = entries.iter().collect();
            let export = google::export_qr(&refs).map_err(|e| bad(&args.out, e))?;
            for (name, reason) in &export.refused {
                eprintln!("warning: not exported: {name}: {reason}");
            }
            if export.codes.is_empty() {
                return Err(CliError::bad_input(
                    "no account can be carried by a Google Authenticator export",
                ));
            }
            let n = export.codes.len();
            let paths: Vec<PathBuf> = (0..n).map(|i| qr_path(&args.out, i, n)).collect();
            for p in &paths {
                refuse_overwrite(p)?;
            }
            for (code, path) in export.codes.iter().zip(&paths) {
                write_new(path, &code.png)?;
            }
            // Check the payloads decode back to the accounts (the images are the payloads rendered).
            let text: String = export
                .codes
                .iter()
                .map(|c| format!("{}\n", c.uri.as_str()))
                .collect();
            let back = formats::import(FormatId::Google, text.as_bytes(), None)
                .map_err(|e| bad(&args.out, e))?;
            let carried = entries.len() - export.refused.len();
            if back.entries.len() != carried || !back.errors.is_empty() {
                return Err(bad(&args.out, "the QR payloads do not read back as the exported accounts; do not rely on them"));
            }
            for p in &paths {
                warn_unencrypted(&p.display().to_string());
            }
            println!(
                "export verified: {carried} accounts in {n} QR code image(s): {}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
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

fn qr_path(out: &Path, index: usize, count: usize) -> PathBuf {
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

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| bad(path, e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| bad(path, e))
}

/// Reads the written file back through our importer and compares it with what was exported.
fn verify_reimport(
    path: &Path,
    format: FormatId,
    password: Option<&str>,
    expected: &[OtpEntry],
) -> Result<usize, CliError> {
    let bytes = std::fs::read(path).map_err(|e| bad(path, e))?;
    let back = formats::import(format, &bytes, password)
        .map_err(|e| bad(path, format!("cannot be read back: {e}")))?;
    let got: Vec<&OtpEntry> = back.entries.iter().map(|e| &e.entry).collect();
    if !back.errors.is_empty() || got != expected.iter().collect::<Vec<_>>() {
        return Err(bad(
            path,
            "the written file does not read back as the vault's accounts; do not rely on it",
        ));
    }
    Ok(got.len())
}
