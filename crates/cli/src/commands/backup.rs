//! `tessera backup verify FILE`: decrypts a Tessera backup with its password alone (no vault, no
//! keychain) and reports what it holds. `tessera backup auto` / `status`: automatic backups after
//! every change to the vault (core: `backup::auto`). `tessera backup sheet`: the printable emergency
//! sheet (core: `emergency_sheet`).

use crate::cli_error::{CliError, CliResult};
use crate::file_password;
use crate::vault_access;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use tessera_core::backup::auto::{self, AutoBackupConfig};
use tessera_core::backup::{self, container, BackupKdf};

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Decrypt a backup file and check it can be restored (password from TESSERA_FILE_PASSWORD or a prompt).
    Verify {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Open a backup whose password check asks for more than Tessera's budget without asking.
        #[arg(long)]
        allow_expensive_kdf: bool,
    },
    /// Turn automatic backups on (a verified backup into DIR after every change) or off (--off).
    Auto(AutoArgs),
    /// Show the state of automatic backups: folder, last verified backup, last error.
    Status {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Write the emergency sheet: a printable HTML page with where the backups are, how to restore
    /// them, the date and the account list (no keys).
    Sheet(SheetArgs),
}

#[derive(clap::Args)]
pub struct SheetArgs {
    /// The HTML file to write (a new file; an existing one is never replaced).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The "for a locked drawer" version: also each account's enrolment QR code and unused recovery
    /// codes. Anyone who sees it can make your codes. Asks for the vault password when it has one.
    #[arg(long)]
    pub with_secrets: bool,
}

#[derive(clap::Args)]
pub struct AutoArgs {
    /// The folder for the backups (e.g. one your sync service carries to another machine). Needed
    /// unless the organisation's policy fixes the folder (backup_folder).
    #[arg(long, value_name = "DIR", conflicts_with = "off")]
    pub folder: Option<PathBuf>,
    /// How many backups to keep (the newest; older Tessera backups there are deleted).
    #[arg(long, value_name = "N", default_value_t = auto::DEFAULT_KEEP)]
    pub keep: u32,
    /// Turn automatic backups off (the files stay).
    #[arg(long)]
    pub off: bool,
    /// Argon2id memory in KiB for the backup key (advanced; default 262144 = 256 MiB).
    #[arg(long, value_name = "KIB", hide = true)]
    pub kdf_memory_kib: Option<u32>,
    /// Argon2id passes for the backup key (advanced; default 3).
    #[arg(long, value_name = "N", hide = true)]
    pub kdf_passes: Option<u32>,
}

pub fn run(cmd: BackupCommand, vault: Option<&Path>) -> CliResult {
    let (file, allow_expensive_kdf) = match cmd {
        BackupCommand::Verify {
            file,
            allow_expensive_kdf,
        } => (file, allow_expensive_kdf),
        BackupCommand::Auto(args) => return run_auto(args, vault),
        BackupCommand::Status { json } => return run_status(json, vault),
        BackupCommand::Sheet(args) => return run_sheet(args, vault),
    };
    let label = file.display().to_string();
    let bytes = std::fs::read(&file).map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
    let header =
        container::read_header(&bytes).map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
    crate::kdf_guard::check(
        &label,
        tessera_core::formats::FormatId::Tessera,
        &bytes,
        allow_expensive_kdf,
    )?;
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

fn run_auto(args: AutoArgs, explicit: Option<&Path>) -> CliResult {
    let policy = crate::cli_policy::policy()?;
    if args.off {
        policy
            .check_backups_off()
            .map_err(crate::cli_policy::refused)?;
    }
    let folder = policy
        .backup_folder_for(args.folder.as_deref())
        .map_err(crate::cli_policy::refused)?;
    if folder.is_none() && !args.off {
        return Err(CliError::bad_input(
            "give the folder for the backups: tessera backup auto --folder DIR",
        ));
    }
    let mut vault = vault_access::open_vault(explicit)?;
    let Some(folder) = folder.filter(|_| !args.off) else {
        vault.set_auto_backup(None);
        vault_access::save(&mut vault)?;
        println!("automatic backups off (existing backups were left in place)");
        return Ok(());
    };
    if args.keep == 0 {
        return Err(CliError::bad_input("--keep must be at least 1"));
    }
    let mut kdf = BackupKdf::default();
    if let Some(m) = args.kdf_memory_kib {
        kdf.memory_kib = m;
    }
    if let Some(p) = args.kdf_passes {
        kdf.passes = p;
    }
    let password = file_password::for_writing("automatic backups")?;
    let config = AutoBackupConfig::new(&folder, args.keep, &password, kdf)
        .map_err(|e| CliError::bad_input(e.to_string()))?;
    drop(password);
    // Naming a folder that does not exist yet creates it (owner-only). When it cannot be made, the
    // first backup fails like any later one: recorded, and said in a `warning:` line. A folder that
    // disappears later (an unplugged stick) is never recreated silently.
    if !config.folder.exists() {
        let _ = tessera_core::vault::atomic::create_private_dir(&config.folder);
    }
    let shown = config.folder.display().to_string();
    vault.set_auto_backup(Some(config));
    vault_access::save(&mut vault)?;
    println!(
        "automatic backups on: {shown} (keeping the newest {})",
        args.keep
    );
    let status = auto::read_status(vault.path());
    if status.last_error.is_none() {
        if let (Some(file), Some(n)) = (&status.last_file, status.accounts) {
            println!("first backup verified: {} ({n} accounts)", file.display());
        }
    }
    Ok(())
}

fn run_status(json: bool, explicit: Option<&Path>) -> CliResult {
    let path = vault_access::vault_path(explicit)?;
    let path = tessera_core::vault::atomic::resolve_symlink(&path);
    let s = auto::read_status(&path);
    if json {
        let v = serde_json::json!({
            "enabled": s.enabled,
            "folder": s.folder.as_ref().map(|p| p.display().to_string()),
            "keep": s.keep,
            "last_verified": s.last_verified,
            "last_file": s.last_file.as_ref().map(|p| p.display().to_string()),
            "accounts": s.accounts,
            "last_error": s.last_error,
        });
        println!("{v}");
        return Ok(());
    }
    if s.enabled {
        println!(
            "automatic backups: on, into {} (keeping the newest {})",
            s.folder
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            s.keep
        );
    } else {
        println!("automatic backups: off");
    }
    match (&s.last_verified, &s.last_file) {
        (Some(when), Some(file)) => println!(
            "last verified backup: {when}, {} accounts, {}",
            s.accounts.unwrap_or(0),
            file.display()
        ),
        _ => println!("last verified backup: none"),
    }
    if let Some(e) = &s.last_error {
        println!("last automatic backup FAILED: {e}");
    }
    Ok(())
}

fn run_sheet(args: SheetArgs, explicit: Option<&Path>) -> CliResult {
    use tessera_core::emergency_sheet::{self, SheetKind};
    use tessera_core::vault::VaultError;
    let label = args.out.display().to_string();
    let exists = || {
        CliError::bad_input(format!(
            "{label} already exists; choose another file (Tessera never replaces one)"
        ))
    };
    if std::fs::symlink_metadata(&args.out).is_ok() {
        return Err(exists());
    }
    if args.out.file_name().is_none() {
        return Err(CliError::bad_input(format!("{label} is not a file name")));
    }
    if args.with_secrets {
        crate::cli_policy::policy()?
            .check_plain_export()
            .map_err(crate::cli_policy::refused)?;
    }
    let vault = vault_access::open_vault(explicit)?;
    let kind = if args.with_secrets {
        // The keys are printed: the vault password is asked again even when the keychain opened it.
        if vault.has_password() {
            let password = vault_access::password_from(
                vault_access::PASSWORD_ENV,
                "Vault password (to print the keys): ",
            )?;
            match vault.check_password(&password) {
                Ok(_) => {}
                Err(VaultError::WrongPassword) => {
                    return Err(CliError::bad_input(
                        "wrong password; the sheet with the keys was not written",
                    ))
                }
                Err(e) => return Err(vault_access::vault_error(e)),
            }
        }
        SheetKind::WithSecrets
    } else {
        SheetKind::Plain
    };
    let html = emergency_sheet::for_vault(&vault, tessera_core::time::now_unix(), kind)
        .map_err(|e| CliError::bad_input(e.to_string()))?;
    tessera_core::vault::atomic::write_new_private(&args.out, html.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists()
        } else {
            CliError::bad_input(format!("{label}: {e}"))
        }
    })?;
    drop(html);
    println!(
        "emergency sheet written: {label} ({} accounts{}); open it in a browser and print it",
        vault.accounts().len(),
        if args.with_secrets {
            ", with QR codes and unused recovery codes"
        } else {
            ", no keys"
        }
    );
    if args.with_secrets {
        eprintln!(
            "warning: {label} holds your secret keys UNENCRYPTED: anyone who sees it can make your \
             codes. Print it, keep the paper in a locked drawer, and delete the file."
        );
    }
    Ok(())
}
