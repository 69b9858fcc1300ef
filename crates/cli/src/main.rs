//! `tessera`: the command line over tessera-core. Each subcommand lives in its own module and only
//! parses arguments, calls the core and prints; exit codes: 0 ok, 1 nothing found, 2 bad input.

mod account_input;
mod cli_error;
mod cli_policy;
mod commands;
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
    Code(commands::code::CodeArgs),
    /// Create the encrypted vault (key in the system keychain and/or a password).
    Init(commands::init::InitArgs),
    /// Add an account to the vault from a secret key or a URI.
    Add(commands::add::AddArgs),
    /// List the accounts in the vault (no secrets).
    List(commands::list::ListArgs),
    /// Change an account's issuer and/or account name.
    Rename(commands::edit::RenameArgs),
    /// Change an account: names, environment, note, key or code settings.
    Edit(commands::edit::EditArgs),
    /// Move an account to the trash.
    Remove(commands::remove::RemoveArgs),
    /// Bring an account back from the trash.
    Restore(commands::remove::RestoreArgs),
    /// The trash: `tessera trash empty` deletes everything in it for good.
    #[command(subcommand)]
    Trash(commands::remove::TrashCommand),
    /// Set, change or remove the vault password; turn the keychain on or off.
    Passwd(commands::passwd::PasswdArgs),
    /// Work with otpauth:// and otpauth-migration:// URIs.
    #[command(subcommand)]
    Uri(commands::uri::UriCommand),
    /// Print the text of every QR code in image files, one per line.
    Decode(commands::decode::DecodeArgs),
    /// Import accounts from other authenticator apps' exports or a Tessera backup (preview first).
    Import(commands::import::ImportArgs),
    /// Export every account: a verified Tessera backup, an encrypted Aegis vault, a URI list or
    /// Google Authenticator QR images.
    Export(commands::export::ExportArgs),
    /// Check Tessera backup files; turn automatic backups on or off and show their status.
    #[command(subcommand)]
    Backup(commands::backup::BackupCommand),
    /// An account's one-time recovery codes: add, list (reveals), use, status, clear.
    #[command(subcommand)]
    Recovery(commands::recovery::RecoveryCommand),
    /// Replace an account's key after an MFA reset; the previous key is kept until --confirm.
    Rekey(commands::rekey::RekeyArgs),
    /// Check this computer's clock: codes are rejected when it is off by more than a few seconds.
    #[command(subcommand)]
    Clock(commands::clock::ClockCommand),
    /// The organisation's policy (IT's managed settings) in force on this computer.
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
}

fn main() -> ExitCode {
    tessera_core::hardening::deny_core_dumps();
    let cli = Cli::parse();
    let vault = cli.vault.as_deref();
    let result = match cli.command {
        Command::Code(args) => commands::code::run(args, vault),
        Command::Init(args) => commands::init::run(args, vault),
        Command::Add(args) => commands::add::run(args, vault),
        Command::List(args) => commands::list::run(args, vault),
        Command::Rename(args) => commands::edit::run_rename(args, vault),
        Command::Edit(args) => commands::edit::run_edit(args, vault),
        Command::Remove(args) => commands::remove::run_remove(args, vault),
        Command::Restore(args) => commands::remove::run_restore(args, vault),
        Command::Trash(command) => commands::remove::run_trash(command, vault),
        Command::Passwd(args) => commands::passwd::run(args, vault),
        Command::Uri(cmd) => commands::uri::run(cmd),
        Command::Decode(args) => commands::decode::run(args),
        Command::Import(args) => commands::import::run(args, vault),
        Command::Export(args) => commands::export::run(args, vault),
        Command::Backup(cmd) => commands::backup::run(cmd, vault),
        Command::Clock(cmd) => commands::clock::run(cmd),
        Command::Recovery(cmd) => commands::recovery::run(cmd, vault),
        Command::Rekey(args) => commands::rekey::run(args, vault),
        Command::Policy(cmd) => commands::policy::run(cmd),
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
