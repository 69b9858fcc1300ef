//! `tessera rename` and `tessera edit`: change an account's name, environment, note, key or settings.
//! A change that would make two accounts indistinguishable is refused.

use crate::cli_error::{CliError, CliResult};
use crate::flags::{parse_secret, OtpFlags};
use crate::vault_access::{one_account, open_vault, save, vault_error};
use clap::Args;
use std::path::Path;
use tessera_core::vault::{AccountEdit, Environment};

#[derive(Args)]
pub struct RenameArgs {
    /// The account: its id, or a name that matches only it.
    pub query: String,
    /// New issuer (service name).
    #[arg(long)]
    pub issuer: Option<String>,
    /// New account (user) name.
    #[arg(long)]
    pub account: Option<String>,
}

#[derive(Args)]
pub struct EditArgs {
    /// The account: its id, or a name that matches only it.
    pub query: String,
    #[arg(long)]
    pub issuer: Option<String>,
    #[arg(long)]
    pub account: Option<String>,
    /// New environment: live, sandpit, another name, or "" for none.
    #[arg(long, value_name = "live|sandpit|NAME")]
    pub env: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// A new secret key (the old one is kept as the account's previous key).
    #[arg(long)]
    pub secret: Option<String>,
    #[command(flatten)]
    pub otp: OtpFlags,
}

pub fn run_rename(args: RenameArgs, vault_path: Option<&Path>) -> CliResult {
    if args.issuer.is_none() && args.account.is_none() {
        return Err(CliError::bad_input(
            "give the new name with --issuer and/or --account",
        ));
    }
    apply(
        &args.query,
        AccountEdit {
            issuer: args.issuer,
            account: args.account,
            ..Default::default()
        },
        vault_path,
    )
}

pub fn run_edit(args: EditArgs, vault_path: Option<&Path>) -> CliResult {
    let secret = args.secret.as_deref().map(parse_secret).transpose()?;
    let changes_params = args.otp.any();
    let edit = AccountEdit {
        issuer: args.issuer.clone(),
        account: args.account.clone(),
        environment: args.env.as_deref().map(Environment::parse),
        secret,
        params: None,
        note: args.note.clone(),
    };
    if edit.issuer.is_none()
        && edit.account.is_none()
        && edit.environment.is_none()
        && edit.secret.is_none()
        && edit.note.is_none()
        && !changes_params
    {
        return Err(CliError::bad_input(
            "nothing to change; see `tessera edit --help`",
        ));
    }
    let mut vault = open_vault(vault_path)?;
    let account = one_account(&vault, &args.query, None)?;
    let (id, mut params) = (account.id, account.params);
    if changes_params {
        params = args.otp.edit(&params)?;
    }
    let warnings = vault
        .edit(
            id,
            AccountEdit {
                params: changes_params.then_some(params),
                ..edit
            },
        )
        .map_err(vault_error)?;
    save(&mut vault)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "Changed {}",
        vault.account(id).map(|a| a.label()).unwrap_or_default()
    );
    Ok(())
}

fn apply(query: &str, edit: AccountEdit, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let id = one_account(&vault, query, None)?.id;
    vault.edit(id, edit).map_err(vault_error)?;
    save(&mut vault)?;
    println!(
        "Renamed to {}",
        vault.account(id).map(|a| a.label()).unwrap_or_default()
    );
    Ok(())
}
