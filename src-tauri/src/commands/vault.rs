//! Creating, unlocking and locking the vault. Key derivation and keychain calls block for a moment,
//! so they run on the blocking pool, never on the UI's IPC thread.

use super::{blocking, msg, CmdResult, ErrorKind, IpcError};
use crate::dto::VaultStatus;
use crate::plain::{keychain_error, vault_error};
use crate::state::{AppState, LockReason, LOCKED};
use tauri::State;
use tessera_core::vault::{
    check_new_vault_password, CreateOptions, Keychain, Password, Unlock, Vault, VaultError,
};

#[tauri::command]
pub async fn vault_status(state: State<'_, AppState>) -> CmdResult<VaultStatus> {
    let keychain_available = blocking(|| Ok(Keychain::status().is_ok())).await?;
    let pin_set = state.has_quick_unlock();
    if let Ok(status) = state.with_session(|s| {
        let v = &s.vault;
        Ok(VaultStatus {
            state: "unlocked".into(),
            keychain_available,
            has_password: v.has_password(),
            uses_keychain: v.has_keychain(),
            protection: v.protection().as_str().into(),
            pin_set,
            rollback_warning: s.rollback_warning.clone(),
        })
    }) {
        return Ok(status);
    }
    match Vault::inspect(&state.vault_path) {
        Ok(info) => Ok(VaultStatus {
            state: "locked".into(),
            keychain_available,
            has_password: info.has_password,
            uses_keychain: info.has_keychain,
            protection: info.protection().as_str().into(),
            pin_set,
            rollback_warning: None,
        }),
        Err(VaultError::NotFound { .. }) => Ok(VaultStatus {
            state: "absent".into(),
            keychain_available,
            has_password: false,
            uses_keychain: false,
            protection: String::new(),
            pin_set: false,
            rollback_warning: None,
        }),
        Err(e) => Err(msg(e)),
    }
}

/// Creates the vault. `level`: "password" (the app password only; no keychain item is made) or
/// "keychain" (this computer's keychain, plus the password if one is given). Without `level`, as
/// before: the keychain when it works, plus a password when one is given. A keychain that is missing,
/// locked or refuses gives one plain sentence pointing to the password.
#[tauri::command]
pub async fn create_vault(
    password: Option<String>,
    level: Option<String>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    state
        .policy()?
        .check_create_without_password(password.as_deref().is_some_and(|p| !p.is_empty()))
        .map_err(msg)?;
    if let Some(p) = password.as_deref().filter(|p| !p.is_empty()) {
        check_new_vault_password(p).map_err(msg)?;
    }
    let path = state.vault_path.clone();
    let kdf = state.kdf;
    let want_keychain = state.use_keychain;
    let password = password.filter(|p| !p.is_empty()).map(Password::new);
    let with_password = password.is_some();
    let vault = blocking(move || {
        let use_keychain = match level.as_deref() {
            Some("password") => {
                if password.is_none() {
                    return Err("choose an app password to protect the vault".into());
                }
                false
            }
            Some("keychain") => {
                if let Err(e) = Keychain::status() {
                    return Err(keychain_error(&e, false));
                }
                true
            }
            None => want_keychain && Keychain::status().is_ok(),
            Some(other) => {
                return Err(format!(
                    "unknown protection level {other:?}: use password or keychain"
                ).into())
            }
        };
        if password.is_none() && !use_keychain {
            return Err(IpcError::new(
                ErrorKind::KeychainUnavailable,
                "This computer's keychain is not available. Protect the vault with an app password instead.",
            ));
        }
        Vault::create(
            &path,
            CreateOptions {
                password,
                use_keychain,
                kdf,
            },
        )
        .map_err(|e| match e {
            // The person chose a password too, but it was never used: say to use it alone.
            VaultError::Keychain { source, .. } => keychain_error(&source, false),
            other => vault_error(other),
        })
    })
    .await?;
    state.open_session_with(vault, with_password);
    Ok(())
}

/// Opens the vault with the password, or with the keychain when `password` is null.
#[tauri::command]
pub async fn unlock_vault(password: Option<String>, state: State<'_, AppState>) -> CmdResult<()> {
    let policy = state.policy()?;
    if password.is_none() {
        // A keychain-only vault: refused until a password is set (`unlock_and_set_password`).
        if let Ok(info) = Vault::inspect(&state.vault_path) {
            policy
                .check_open_without_password(info.has_password)
                .map_err(msg)?;
        }
    }
    let path = state.vault_path.clone();
    let with_password = password.is_some();
    let unlock = match password {
        Some(p) if !p.is_empty() => Unlock::Password(Password::new(p)),
        Some(_) => return Err("type your app password".into()),
        None => Unlock::Keychain,
    };
    let vault = blocking(move || {
        let vault = Vault::open(&path, unlock).map_err(vault_error)?;
        Ok(vault)
    })
    .await?;
    state.open_session_with(vault, with_password);
    Ok(())
}

/// Forgets the key and every secret: the whole session is dropped (see `session.rs`).
#[tauri::command]
pub fn lock_vault(state: State<'_, AppState>) -> CmdResult<()> {
    state.lock(LockReason::Manual);
    Ok(())
}

/// Sets the app password, or changes it (then `current` must be right).
#[tauri::command]
pub async fn set_password(
    current: Option<String>,
    password: String,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    check_new_vault_password(&password).map_err(msg)?;
    let slot = state.session_handle();
    let kdf = state.kdf;
    blocking(move || {
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let vault = &mut guard.as_mut().ok_or(LOCKED)?.vault;
        // A failed save puts the old key and password slot back in memory (review #15), so a later
        // save cannot write the password the person was told was not set.
        vault.transaction(|vault| {
            if vault.has_password() {
                let current = current
                    .filter(|c| !c.is_empty())
                    .ok_or("type your current password")?;
                vault
                    .change_password(&Password::new(current), Password::new(password))
                    .map_err(msg)?;
            } else {
                vault
                    .set_password(Password::new(password), kdf)
                    .map_err(msg)?;
            }
            vault.save().map_err(msg)
        })
    })
    .await
}

/// The core's floor for a new app password (review #17), asked while the person types: `None` when
/// it is strong enough, else the sentence saying what to do. The commands that set a password check
/// it again.
#[tauri::command]
pub fn vault_password_problem(password: String) -> Option<String> {
    let password = zeroize::Zeroizing::new(password);
    check_new_vault_password(&password)
        .err()
        .map(|e| e.to_string())
}
