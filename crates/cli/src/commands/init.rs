//! `tessera init`: create an empty vault, locked by the system keychain and/or a password.

use crate::cli_error::{CliError, CliResult};
use crate::vault_access::{new_password, vault_error, vault_path, PASSWORD_ENV};
use clap::Args;
use std::path::Path;
use tessera_core::vault::{CreateOptions, KdfParams, Vault, VaultError};

#[derive(Args)]
pub struct InitArgs {
    /// Protect the vault with a password as well (asked for, or taken from TESSERA_PASSWORD). With a
    /// password the vault also opens where the keychain does not work.
    #[arg(long)]
    pub password: bool,
    /// Do not keep the key in the system keychain (implies --password).
    #[arg(long)]
    pub no_keychain: bool,
    /// Argon2id memory in KiB for the password (advanced; default 65536 = 64 MiB).
    #[arg(long, value_name = "KIB", hide = true)]
    pub kdf_memory_kib: Option<u32>,
    /// Argon2id passes for the password (advanced; default 4).
    #[arg(long, value_name = "N", hide = true)]
    pub kdf_passes: Option<u32>,
}

pub fn run(args: InitArgs, vault: Option<&Path>) -> CliResult {
    crate::cli_policy::policy()?
        .check_create_without_password(args.password || args.no_keychain)
        .map_err(|r| {
            CliError::bad_input(format!("{r}\nCreate it with one: tessera init --password"))
        })?;
    let path = vault_path(vault)?;
    if path.exists() {
        return Err(vault_error(VaultError::AlreadyExists { path }));
    }
    let mut kdf = KdfParams::default();
    if let Some(m) = args.kdf_memory_kib {
        kdf.memory_kib = m;
    }
    if let Some(t) = args.kdf_passes {
        kdf.iterations = t;
    }
    let password = if args.password || args.no_keychain {
        Some(new_password(PASSWORD_ENV)?)
    } else {
        None
    };
    let options = CreateOptions {
        password: password.clone(),
        use_keychain: !args.no_keychain,
        kdf,
    };
    let vault = match Vault::create(&path, options) {
        Ok(v) => v,
        // The keychain is a convenience when a password exists: carry on without it.
        Err(VaultError::Keychain { source, .. }) if password.is_some() => {
            eprintln!("warning: {source}; the vault will open with your password only");
            Vault::create(
                &path,
                CreateOptions {
                    password,
                    use_keychain: false,
                    kdf,
                },
            )
            .map_err(vault_error)?
        }
        Err(VaultError::Keychain { source, .. }) => {
            return Err(CliError::bad_input(format!(
                "could not keep the vault key in the system keychain: {source}. \
                 Use `tessera init --password` to protect the vault with a password instead"
            )))
        }
        Err(e) => return Err(vault_error(e)),
    };
    let mut how = Vec::new();
    if vault.has_keychain() {
        how.push("the system keychain");
    }
    if vault.has_password() {
        how.push("your password");
    }
    println!("Created vault {}", vault.path().display());
    println!("It opens with {}.", how.join(" or "));
    if !vault.has_password() {
        eprintln!(
            "warning: the vault opens only with this computer's keychain; if the keychain is reset, \
             the accounts are lost. Set a password with `tessera passwd` to be safe"
        );
    }
    Ok(())
}
