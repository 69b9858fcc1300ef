//! `tessera`: the command line over tessera-core. Each subcommand lives in its own module and only
//! parses arguments, calls the core and prints; exit codes: 0 ok, 1 nothing found, 2 bad input.

mod account_input;
mod cli_error;
mod cli_policy;
mod cmd_add;
mod cmd_backup;
mod cmd_clock;
mod cmd_code;
mod cmd_decode;
mod cmd_edit;
mod cmd_export;
mod cmd_import;
mod cmd_init;
mod cmd_list;
mod cmd_passwd;
mod cmd_policy;
mod cmd_recovery;
mod cmd_rekey;
mod cmd_remove;
mod cmd_stress;
mod cmd_uri;
mod cmd_vault_code;
mod entry_json;
mod file_password;
mod flags;
mod import_into_vault;
mod kdf_guard;
mod rollback_guard;
mod secret_input;
mod vault_access;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tessera",
    version,
    about = "Tessera authenticator: codes, URIs, vault, QR, import and export"
)]
struct Cli {
    /// The vault file (default: $TESSERA_VAULT, else vault.tessera in the OS data directory).
    #[arg(long, global = true, value_name = "PATH")]
    vault: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the current code for an account in the vault (QUERY), a secret key or an otpauth:// URI.
    Code(cmd_code::CodeArgs),
    /// Create the encrypted vault (key in the system keychain and/or a password).
    Init(cmd_init::InitArgs),
    /// Add an account to the vault from a secret key or a URI.
    Add(cmd_add::AddArgs),
    /// List the accounts in the vault (no secrets).
    List(cmd_list::ListArgs),
    /// Change an account's issuer and/or account name.
    Rename(cmd_edit::RenameArgs),
    /// Change an account: names, environment, note, key or code settings.
    Edit(cmd_edit::EditArgs),
    /// Move an account to the trash.
    Remove(cmd_remove::RemoveArgs),
    /// Bring an account back from the trash.
    Restore(cmd_remove::RestoreArgs),
    /// The trash: `tessera trash empty` deletes everything in it for good.
    #[command(subcommand)]
    Trash(cmd_remove::TrashCommand),
    /// Set, change or remove the vault password; turn the keychain on or off.
    Passwd(cmd_passwd::PasswdArgs),
    /// Adds accounts one save at a time (used by the crash test).
    #[command(hide = true)]
    StressSaves(cmd_stress::StressArgs),
    /// Work with otpauth:// and otpauth-migration:// URIs.
    #[command(subcommand)]
    Uri(cmd_uri::UriCommand),
    /// Print the text of every QR code in image files, one per line.
    Decode(cmd_decode::DecodeArgs),
    /// Import accounts from other authenticator apps' exports or a Tessera backup (preview first).
    Import(cmd_import::ImportArgs),
    /// Export every account: a verified Tessera backup, an encrypted Aegis vault, a URI list or
    /// Google Authenticator QR images.
    Export(cmd_export::ExportArgs),
    /// Check Tessera backup files; turn automatic backups on or off and show their status.
    #[command(subcommand)]
    Backup(cmd_backup::BackupCommand),
    /// An account's one-time recovery codes: add, list (reveals), use, status, clear.
    #[command(subcommand)]
    Recovery(cmd_recovery::RecoveryCommand),
    /// Replace an account's key after an MFA reset; the previous key is kept until --confirm.
    Rekey(cmd_rekey::RekeyArgs),
    /// Check this computer's clock: codes are rejected when it is off by more than a few seconds.
    #[command(subcommand)]
    Clock(cmd_clock::ClockCommand),
    /// The organisation's policy (IT's managed settings) in force on this computer.
    #[command(subcommand)]
    Policy(cmd_policy::PolicyCommand),
}

fn main() -> ExitCode {
    tessera_core::hardening::deny_core_dumps();
    let cli = Cli::parse();
    let vault = cli.vault.as_deref();
    let result = match cli.command {
        Command::Code(args) => cmd_code::run(args, vault),
        Command::Init(args) => cmd_init::run(args, vault),
        Command::Add(args) => cmd_add::run(args, vault),
        Command::List(args) => cmd_list::run(args, vault),
        Command::Rename(args) => cmd_edit::run_rename(args, vault),
        Command::Edit(args) => cmd_edit::run_edit(args, vault),
        Command::Remove(args) => cmd_remove::run_remove(args, vault),
        Command::Restore(args) => cmd_remove::run_restore(args, vault),
        Command::Trash(command) => cmd_remove::run_trash(command, vault),
        Command::Passwd(args) => cmd_passwd::run(args, vault),
        Command::StressSaves(args) => cmd_stress::run(args, vault),
        Command::Uri(cmd) => cmd_uri::run(cmd),
        Command::Decode(args) => cmd_decode::run(args),
        Command::Import(args) => cmd_import::run(args, vault),
        Command::Export(args) => cmd_export::run(args, vault),
        Command::Backup(cmd) => cmd_backup::run(cmd, vault),
        Command::Clock(cmd) => cmd_clock::run(cmd),
        Command::Recovery(cmd) => cmd_recovery::run(cmd, vault),
        Command::Rekey(args) => cmd_rekey::run(args, vault),
        Command::Policy(cmd) => cmd_policy::run(cmd),
    };
    // Automatic backups never fail a change to the vault; their failures are shown here, once.
    for failure in tessera_core::backup::auto::take_failures() {
        eprintln!("warning: automatic backup failed: {failure}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => err.report(),
    }
}
