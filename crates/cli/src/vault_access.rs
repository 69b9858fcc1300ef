//! Opening the vault for a command: which file (`--vault`, `TESSERA_VAULT`, the OS data directory),
//! and how to unlock it (system keychain first, then the password from `TESSERA_PASSWORD` or a
//! no-echo prompt when a person is at the terminal).

use crate::cli_error::CliError;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use tessera_core::vault::{check_new_vault_password, Account, Password, Unlock, Vault, VaultError};

/// The password when not typed at a prompt (scripts, CI).
pub const PASSWORD_ENV: &str = "TESSERA_PASSWORD";
/// The new password for `tessera passwd` when not typed at a prompt.
pub const NEW_PASSWORD_ENV: &str = "TESSERA_NEW_PASSWORD";

pub fn vault_error(e: VaultError) -> CliError {
    CliError::bad_input(e)
}

pub fn vault_path(explicit: Option<&Path>) -> Result<PathBuf, CliError> {
    tessera_core::vault::resolve_path(explicit).map_err(vault_error)
}

fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// The password from `env`, else a prompt (no echo) when interactive.
pub fn password_from(env: &str, prompt: &str) -> Result<Password, CliError> {
    if let Some(p) = std::env::var_os(env) {
        let p = p
            .into_string()
            .map_err(|_| CliError::bad_input(format!("{env} is not valid UTF-8")))?;
        return Ok(Password::new(p));
    }
    if !interactive() {
        return Err(CliError::bad_input(format!(
            "the vault password is needed: set {env} or run the command in a terminal"
        )));
    }
    rpassword::prompt_password(prompt)
        .map(Password::new)
        .map_err(|e| CliError::bad_input(format!("could not read the password: {e}")))
}

/// The core's floor for new vault passwords (review #17), as a sentence.
fn too_weak(p: &Password) -> Option<String> {
    check_new_vault_password(p.as_str())
        .err()
        .map(|e| e.to_string())
}

/// A new password: from `env`, or typed twice at the prompt.
pub fn new_password(env: &str) -> Result<Password, CliError> {
    if std::env::var_os(env).is_some() || !interactive() {
        let p = password_from(env, "")?;
        if let Some(m) = too_weak(&p) {
            return Err(CliError::bad_input(m));
        }
        return Ok(p);
    }
    loop {
        let first = password_from(env, "New vault password: ")?;
        if let Some(m) = too_weak(&first) {
            eprintln!("{m}.");
            continue;
        }
        let second = password_from(env, "Type it again: ")?;
        if first.as_str() == second.as_str() {
            return Ok(first);
        }
        eprintln!("The two passwords differ; try again.");
    }
}

/// Opens the vault: with the system keychain when the vault has a keychain slot, else (or when the
/// keychain fails) with the password. Keychain trouble is reported as a note, not a failure, when
/// the password can take over.
pub fn open_vault(explicit: Option<&Path>) -> Result<Vault, CliError> {
    let mut vault = open_vault_checked(explicit, false)?;
    crate::rollback_guard::after_open(&mut vault);
    Ok(vault)
}

/// [`open_vault`] for `tessera passwd` setting a password: the one step the organisation's
/// `require_password` allows on a vault that has none yet.
pub fn open_vault_to_set_password(explicit: Option<&Path>) -> Result<Vault, CliError> {
    let mut vault = open_vault_checked(explicit, true)?;
    crate::rollback_guard::after_open(&mut vault);
    Ok(vault)
}

fn open_vault_checked(explicit: Option<&Path>, setting_password: bool) -> Result<Vault, CliError> {
    let policy = crate::cli_policy::policy()?;
    let path = vault_path(explicit)?;
    let info = Vault::inspect(&path).map_err(vault_error)?;
    for w in tessera_core::vault::atomic::permission_warnings(&path) {
        eprintln!("warning: {w}");
    }
    if !setting_password {
        policy
            .check_open_without_password(info.has_password)
            .map_err(|r| {
                CliError::bad_input(format!("{r}\nSet a password first: tessera passwd"))
            })?;
    }
    if info.has_keychain {
        match Vault::open(&path, Unlock::Keychain) {
            Ok(v) => return Ok(v),
            Err(e) if info.has_password && e.wants_password() => {
                eprintln!("note: {e}");
            }
            Err(e) => return Err(vault_error(e)),
        }
    }
    let attempts = if std::env::var_os(PASSWORD_ENV).is_none() && interactive() {
        3
    } else {
        1
    };
    let mut last = None;
    for _ in 0..attempts {
        let password = password_from(PASSWORD_ENV, "Vault password: ")?;
        match Vault::open(&path, Unlock::Password(password)) {
            Ok(v) => return Ok(v),
            Err(VaultError::WrongPassword) if attempts > 1 => {
                eprintln!("Wrong password.");
                last = Some(VaultError::WrongPassword);
            }
            Err(e) => return Err(vault_error(e)),
        }
    }
    Err(vault_error(last.unwrap_or(VaultError::WrongPassword)))
}

pub fn save(vault: &mut Vault) -> Result<(), CliError> {
    vault.save().map_err(vault_error)?;
    crate::rollback_guard::after_save(vault);
    Ok(())
}

/// Exactly one account for `query` (id, id prefix, name), or an error listing the candidates
/// (exit 2 when ambiguous, exit 1 when nothing matches).
pub fn one_account<'a>(
    vault: &'a Vault,
    query: &str,
    env: Option<&tessera_core::vault::Environment>,
) -> Result<&'a Account, CliError> {
    let found = vault.find(query, env);
    match found.len() {
        1 => Ok(found[0]),
        0 => Err(CliError::nothing_found(match env {
            Some(e) if !e.is_none() => {
                format!("no account matches {query:?} in environment {}", e.label())
            }
            _ => format!("no account matches {query:?}; `tessera list` shows them all"),
        })),
        n => {
            let mut msg =
                format!("{query:?} matches {n} accounts; give more of the name, --env, or the id:");
            for a in found {
                msg.push_str(&format!("\n  {}  {}", a.id, a.label()));
            }
            Err(CliError::bad_input(msg))
        }
    }
}
