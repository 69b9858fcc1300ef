//! `tessera passwd`: set, change or remove the vault password, and turn the system keychain on or off.

use crate::cli_error::CliResult;
use crate::cli_policy;
use crate::vault_access::{
    new_password, open_vault, open_vault_to_set_password, password_from, save, vault_error,
    NEW_PASSWORD_ENV, PASSWORD_ENV,
};
use clap::Args;
use std::path::Path;

#[derive(Args)]
pub struct PasswdArgs {
    /// Remove the password (the vault then opens only with the system keychain).
    #[arg(long, conflicts_with_all = ["enable_keychain", "disable_keychain"])]
    pub remove: bool,
    /// Keep (a new copy of) the vault key in the system keychain, e.g. after the keychain lost it.
    #[arg(long, conflicts_with = "disable_keychain")]
    pub enable_keychain: bool,
    /// Stop using the system keychain (the vault then opens only with the password).
    #[arg(long)]
    pub disable_keychain: bool,
}

pub fn run(args: PasswdArgs, vault_path: Option<&Path>) -> CliResult {
    if args.remove {
        cli_policy::policy()?
            .check_remove_password()
            .map_err(cli_policy::refused)?;
    }
    let setting = !(args.remove || args.enable_keychain || args.disable_keychain);
    let mut vault = if setting {
        open_vault_to_set_password(vault_path)?
    } else {
        open_vault(vault_path)?
    };
    // Every change of unlock methods gives the vault a new key (security review #3), which the password
    // slot must wrap too: a vault opened with the keychain first confirms its current password.
    if !setting && vault.needs_password_to_change_unlock() {
        let current = password_from(PASSWORD_ENV, "Current vault password: ")?;
        vault.confirm_password(&current).map_err(vault_error)?;
    }
    if args.remove {
        vault.remove_password().map_err(vault_error)?;
        save(&mut vault)?;
        println!("Removed the password; the vault opens only with the system keychain");
        eprintln!(
            "warning: if the keychain is reset, the accounts are lost unless you have a backup"
        );
        return Ok(());
    }
    if args.enable_keychain || args.disable_keychain {
        // The vault gets a new key, so a password slot must be re-applied: opened with the keychain,
        // the password is asked for (and checked against this open vault).
        if vault.needs_password_to_change_unlock() {
            let current = password_from(PASSWORD_ENV, "Vault password: ")?;
            vault.confirm_password(&current).map_err(vault_error)?;
        }
        if args.enable_keychain {
            vault.enable_keychain().map_err(vault_error)?;
        } else {
            vault.disable_keychain().map_err(vault_error)?;
        }
        save(&mut vault)?;
        println!(
            "The vault opens with {}",
            match (vault.has_keychain(), vault.has_password()) {
                (true, true) => "the system keychain or your password",
                (true, false) => "the system keychain",
                _ => "your password",
            }
        );
        return Ok(());
    }
    let kdf = vault.info().kdf.unwrap_or_default();
    let had = vault.has_password();
    let password = new_password(NEW_PASSWORD_ENV)?;
    vault.set_password(password, kdf).map_err(vault_error)?;
    save(&mut vault)?;
    println!(
        "{}",
        if had {
            "Changed the password"
        } else {
            "Set the password"
        }
    );
    Ok(())
}
