//! `tessera remove` moves an account to the trash (or, with `--forever`, deletes it and its key for
//! good); `tessera restore` brings it back; `tessera trash empty` deletes everything in the trash.

use crate::cli_error::{CliError, CliResult};
use crate::vault_access::{one_account, open_vault, save, vault_error};
use clap::Args;
use std::path::Path;
use uuid::Uuid;

#[derive(Args)]
pub struct RemoveArgs {
    /// The account: its id, or a name that matches only it.
    pub query: String,
    /// Delete it and its key for good (not to the trash): gone from the vault file and its `.bak`.
    #[arg(long)]
    pub forever: bool,
}

#[derive(clap::Subcommand)]
pub enum TrashCommand {
    /// Delete every account in the trash, with its key, for good.
    Empty,
    /// Show, or set with DAYS (1-365), how long deleted accounts stay in the trash before every save
    /// deletes them for good (default 30; the app's Manage screen sets the same).
    Keep {
        /// Days to keep deleted accounts.
        days: Option<u32>,
    },
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The id of the account in the trash (`tessera list --trash`), or its first characters.
    pub id: String,
}

pub fn run_remove(args: RemoveArgs, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let account = one_account(&vault, &args.query, None)?;
    let (id, label) = (account.id, account.label());
    vault.remove(id).map_err(vault_error)?;
    if args.forever {
        vault.purge(id).map_err(vault_error)?;
        save(&mut vault)?;
        println!("Deleted {label} and its key for good");
        return Ok(());
    }
    save(&mut vault)?;
    println!("Moved {label} to the trash; `tessera restore {id}` brings it back");
    Ok(())
}

pub fn run_trash(command: TrashCommand, vault_path: Option<&Path>) -> CliResult {
    match command {
        TrashCommand::Empty => {
            let mut vault = open_vault(vault_path)?;
            let n = vault.empty_trash();
            save(&mut vault)?;
            println!(
                "Deleted {n} account{} from the trash for good",
                if n == 1 { "" } else { "s" }
            );
            Ok(())
        }
        TrashCommand::Keep { days } => {
            let mut vault = open_vault(vault_path)?;
            if let Some(days) = days {
                vault
                    .set_trash_keep_days(days)
                    .map_err(|e| CliError::bad_input(e.to_string()))?;
                save(&mut vault)?;
            }
            let days = vault.trash_keep_days();
            println!(
                "Deleted accounts stay in the trash for {days} day{}",
                if days == 1 { "" } else { "s" }
            );
            Ok(())
        }
    }
}

pub fn run_restore(args: RestoreArgs, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let wanted = args.id.trim().to_ascii_lowercase();
    let matches: Vec<Uuid> = vault
        .trash()
        .iter()
        .map(|t| t.account.id)
        .filter(|id| wanted.len() >= 4 && id.to_string().starts_with(&wanted))
        .collect();
    let id = match matches[..] {
        [id] => id,
        [] => {
            return Err(CliError::nothing_found(format!(
                "no account {wanted:?} in the trash; `tessera list --trash` shows it"
            )))
        }
        _ => {
            return Err(CliError::bad_input(format!(
                "{wanted:?} matches several accounts in the trash; give more of the id"
            )))
        }
    };
    let outcome = vault.restore(id).map_err(vault_error)?;
    save(&mut vault)?;
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "Restored {}",
        vault.account(id).map(|a| a.label()).unwrap_or_default()
    );
    Ok(())
}
