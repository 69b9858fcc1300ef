//! `tessera export --format tessera|uris|aegis|google-qr --out FILE`: every account in the vault, as a
//! verified Tessera backup (default), an encrypted Aegis vault, a plain URI list or Google Authenticator
//! QR images. The writing and read-back check are `tessera_core::export` (shared with the app).

use crate::cli_error::{CliError, CliResult};
use crate::file_password;
use crate::vault_access::open_vault;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use tessera_core::export::{self as core_export, ExportError, ExportRequest};

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

impl ExportFormat {
    fn core(self) -> core_export::ExportFormat {
        match self {
            ExportFormat::Tessera => core_export::ExportFormat::Tessera,
            ExportFormat::Uris => core_export::ExportFormat::Uris,
            ExportFormat::Aegis => core_export::ExportFormat::Aegis,
            ExportFormat::GoogleQr => core_export::ExportFormat::GoogleQr,
        }
    }
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

fn warn_unencrypted(path: &Path) {
    eprintln!(
        "warning: {} holds your secret keys UNENCRYPTED: anyone who sees it can make your codes. \
         Delete it as soon as the transfer is done.",
        path.display()
    );
}

fn cli_error(e: ExportError) -> CliError {
    match e {
        ExportError::NothingToExport => CliError::nothing_found(e.to_string()),
        other => CliError::bad_input(other.to_string()),
    }
}

pub fn run(args: ExportArgs, vault_path: Option<&Path>) -> CliResult {
    let format = args.format.core();
    crate::cli_policy::policy()?
        .check_export(format)
        .map_err(crate::cli_policy::refused)?;
    let vault = open_vault(vault_path)?;
    if vault.accounts().is_empty() && !args.include_trash {
        return Err(cli_error(ExportError::NothingToExport));
    }
    let password = if format.encrypted() {
        if args.out.exists() {
            return Err(cli_error(ExportError::Exists(args.out.clone())));
        }
        let what = match format {
            core_export::ExportFormat::Tessera => "the backup",
            _ => "the Aegis export",
        };
        Some(file_password::for_writing(what)?)
    } else {
        None
    };
    let request = ExportRequest {
        format,
        out: &args.out,
        password: password.as_deref().map(String::as_str),
        include_trash: args.include_trash,
        backup_kdf: Default::default(),
    };
    let report = core_export::export_vault(&vault, request).map_err(cli_error)?;
    for (name, reason) in &report.refused {
        eprintln!("warning: not exported: {name}: {reason}");
    }
    if !format.encrypted() {
        for p in &report.files {
            warn_unencrypted(p);
        }
    }
    println!("{}", report.summary());
    Ok(())
}
