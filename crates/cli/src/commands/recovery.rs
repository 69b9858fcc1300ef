//! `tessera recovery add|list|use|status|clear`: an account's one-time recovery codes.
//!
//! Codes are revealed only by `list` (and the one code `use` hands out), and `list` asks for the vault
//! password again when the vault has one, even if the keychain opened it. `status` shows counts only.

use crate::cli_error::{CliError, CliResult};
use crate::vault_access::{
    one_account, open_vault, password_from, save, vault_error, PASSWORD_ENV,
};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::Read;
use std::path::Path;
use tessera_core::recovery::{parse_block, RecoveryError};
use tessera_core::time::format_utc;
use tessera_core::vault::{Environment, Password, RecoveryStoreError, StoreMode, Vault};

#[derive(Subcommand)]
pub enum RecoveryCommand {
    /// Store recovery codes for an account: paste them as the service shows them (stdin or --codes).
    Add(AddArgs),
    /// Show an account's recovery codes (asks for the vault password when it has one).
    List(ListArgs),
    /// Mark one code used and print it: the given CODE, or the next unused one.
    Use(UseArgs),
    /// How many codes are left, per account (never the codes).
    Status(StatusArgs),
    /// Delete an account's recovery codes.
    Clear(Target),
}

#[derive(Args)]
pub struct Target {
    /// The account: its id, or a name that matches only it.
    pub query: String,
    /// Only accounts in this environment (live, sandpit or another name).
    #[arg(long, value_name = "live|sandpit|NAME")]
    pub env: Option<String>,
}

#[derive(Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub target: Target,
    /// The codes as text (any separators); without it they are read from stdin.
    #[arg(long)]
    pub codes: Option<String>,
    /// The service issued a new set: drop the codes stored before.
    #[arg(long, conflicts_with = "append")]
    pub replace: bool,
    /// More codes of the same set: keep the stored ones.
    #[arg(long)]
    pub append: bool,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub target: Target,
    /// One JSON object: account id, codes with used/unused and dates, counts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct UseArgs {
    #[command(flatten)]
    pub target: Target,
    /// The code you used (spaces, dashes and case do not matter); default: the next unused one.
    pub code: Option<String>,
}

#[derive(Args)]
pub struct StatusArgs {
    /// One account; default: every account that has recovery codes.
    pub query: Option<String>,
    #[arg(long, value_name = "live|sandpit|NAME")]
    pub env: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: RecoveryCommand, vault_path: Option<&Path>) -> CliResult {
    match cmd {
        RecoveryCommand::Add(args) => add(args, vault_path),
        RecoveryCommand::List(args) => list(args, vault_path),
        RecoveryCommand::Use(args) => use_code(args, vault_path),
        RecoveryCommand::Status(args) => status(args, vault_path),
        RecoveryCommand::Clear(target) => clear(target, vault_path),
    }
}

fn store_error(e: RecoveryStoreError) -> CliError {
    match e {
        RecoveryStoreError::Vault(e) => vault_error(e),
        RecoveryStoreError::Recovery(
            e @ (RecoveryError::AllUsed { .. } | RecoveryError::NoneStored),
        ) => CliError::nothing_found(e),
        RecoveryStoreError::WouldReplace { .. } => {
            CliError::bad_input(format!("{e}: run again with --replace or --append"))
        }
        other => CliError::bad_input(other),
    }
}

fn account_id(vault: &Vault, target: &Target) -> Result<uuid::Uuid, CliError> {
    let env = target.env.as_deref().map(Environment::parse);
    Ok(one_account(vault, &target.query, env.as_ref())?.id)
}

fn add(args: AddArgs, vault_path: Option<&Path>) -> CliResult {
    let text = match &args.codes {
        Some(t) => zeroize::Zeroizing::new(t.clone()),
        None => {
            let mut buf = zeroize::Zeroizing::new(String::new());
            std::io::stdin().read_to_string(&mut buf).map_err(|e| {
                CliError::bad_input(format!("could not read the codes from stdin: {e}"))
            })?;
            buf
        }
    };
    let parsed = parse_block(&text).map_err(CliError::bad_input)?;
    let mut vault = open_vault(vault_path)?;
    let id = account_id(&vault, &args.target)?;
    let mode = if args.replace {
        StoreMode::Replace
    } else if args.append {
        StoreMode::Append
    } else {
        StoreMode::Refuse
    };
    let found = parsed.codes.len();
    let status = vault
        .store_recovery_codes(id, parsed.codes.clone(), mode)
        .map_err(store_error)?;
    save(&mut vault)?;
    let label = vault.account(id).map(|a| a.label()).unwrap_or_default();
    for line in &parsed.ignored {
        eprintln!("note: skipped text that is not a code: {line:?}");
    }
    if parsed.duplicates > 0 {
        eprintln!("note: {} repeated code(s) stored once", parsed.duplicates);
    }
    println!(
        "Stored {found} recovery code{} for {label}: {} of {} left. Check the count matches what the service showed.",
        if found == 1 { "" } else { "s" },
        status.remaining,
        status.total
    );
    Ok(())
}

/// The vault password again, when the vault has one: revealing codes needs the person, not just an
/// unlocked keychain. The core checks it.
fn password_for_reveal(vault: &Vault) -> Result<Option<Password>, CliError> {
    if !vault.has_password() {
        return Ok(None);
    }
    password_from(PASSWORD_ENV, "Vault password (to show recovery codes): ").map(Some)
}

#[derive(Serialize)]
struct CodeJson<'a> {
    code: &'a str,
    used: bool,
    used_at: Option<u64>,
}

#[derive(Serialize)]
struct ListJson<'a> {
    id: String,
    label: String,
    total: usize,
    remaining: usize,
    few_left: bool,
    codes: Vec<CodeJson<'a>>,
}

fn list(args: ListArgs, vault_path: Option<&Path>) -> CliResult {
    let vault = open_vault(vault_path)?;
    let id = account_id(&vault, &args.target)?;
    let label = vault.account(id).map(|a| a.label()).unwrap_or_default();
    if vault.recovery_status(id).map_err(store_error)?.total == 0 {
        return Err(CliError::nothing_found(format!(
            "{label} has no recovery codes; add them with `tessera recovery add`"
        )));
    }
    let password = password_for_reveal(&vault)?;
    let codes = vault
        .reveal_recovery_codes(id, password.as_ref())
        .map_err(store_error)?;
    if args.json {
        let status = codes.status();
        let json = ListJson {
            id: id.to_string(),
            label,
            total: status.total,
            remaining: status.remaining,
            few_left: status.few_left,
            codes: codes
                .codes
                .iter()
                .map(|c| CodeJson {
                    code: &c.code,
                    used: c.is_used(),
                    used_at: c.used_at,
                })
                .collect(),
        };
        println!("{}", serde_json::to_string(&json).expect("plain data"));
        return Ok(());
    }
    println!("Recovery codes for {label} ({}):", codes.summary());
    for (i, c) in codes.codes.iter().enumerate() {
        match c.used_at {
            Some(t) => println!("{:>3}. {}  used {}", i + 1, c.code, format_utc(t)),
            None => println!("{:>3}. {}", i + 1, c.code),
        }
    }
    if let Some(w) = codes.warning() {
        eprintln!("warning: {w}");
    }
    Ok(())
}

fn use_code(args: UseArgs, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let id = account_id(&vault, &args.target)?;
    if args.code.is_none() {
        // Handing out an unused code reveals it: same rule as `list`.
        let password = password_for_reveal(&vault)?;
        vault
            .reveal_recovery_codes(id, password.as_ref())
            .map_err(store_error)?;
    }
    let (code, status) = vault
        .use_recovery_code(id, args.code.as_deref())
        .map_err(store_error)?;
    save(&mut vault)?;
    println!("{}", code.as_str());
    eprintln!(
        "Marked used: {} of {} left.",
        status.remaining, status.total
    );
    if let Some(w) = vault.recovery_codes(id).ok().and_then(|c| c.warning()) {
        eprintln!("warning: {w}");
    }
    Ok(())
}

#[derive(Serialize)]
struct StatusJson {
    id: String,
    label: String,
    total: usize,
    remaining: usize,
    few_left: bool,
}

fn status(args: StatusArgs, vault_path: Option<&Path>) -> CliResult {
    let vault = open_vault(vault_path)?;
    let accounts: Vec<&tessera_core::vault::Account> = match &args.query {
        Some(q) => {
            let env = args.env.as_deref().map(Environment::parse);
            vec![one_account(&vault, q, env.as_ref())?]
        }
        None => vault
            .accounts()
            .iter()
            .filter(|a| !a.recovery.is_empty())
            .collect(),
    };
    for a in accounts {
        let s = a.recovery.status();
        if args.json {
            let j = StatusJson {
                id: a.id.to_string(),
                label: a.label(),
                total: s.total,
                remaining: s.remaining,
                few_left: s.few_left,
            };
            println!("{}", serde_json::to_string(&j).expect("plain data"));
        } else {
            let warn = if s.few_left {
                "  (few left: ask the service for new codes)"
            } else {
                ""
            };
            println!(
                "{}  {}  {}{warn}",
                &a.id.to_string()[..8],
                a.label(),
                a.recovery.summary()
            );
        }
    }
    Ok(())
}

fn clear(target: Target, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let id = account_id(&vault, &target)?;
    let n = vault.clear_recovery_codes(id).map_err(store_error)?;
    save(&mut vault)?;
    println!(
        "Deleted {n} recovery code{}.",
        if n == 1 { "" } else { "s" }
    );
    Ok(())
}
