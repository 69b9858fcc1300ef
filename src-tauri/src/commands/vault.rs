//! Creating, unlocking and locking the vault. Key derivation and keychain calls block for a moment,
//! so they run on the blocking pool, never on the UI's IPC thread.

use super::{blocking, msg, CmdResult};
use crate::dto::VaultStatus;
use crate::state::AppState;
use tauri::State;
use tessera_core::vault::{CreateOptions, Keychain, Password, Unlock, Vault, VaultError};

#[tauri::command]
pub async fn vault_status(state: State<'_, AppState>) -> CmdResult<VaultStatus> {
    let keychain_available = blocking(|| Ok(Keychain::status().is_ok())).await?;
    let open = state.vault.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(v) = open.as_ref() {
        return Ok(VaultStatus {
            state: "unlocked".into(),
            keychain_available,
            has_password: v.has_password(),
            uses_keychain: v.has_keychain(),
        });
    }
    drop(open);
    match Vault::inspect(&state.vault_path) {
        Ok(info) => Ok(VaultStatus {
            state: "locked".into(),
            keychain_available,
            has_password: info.has_password,
            uses_keychain: info.has_keychain,
        }),
        Err(VaultError::NotFound { .. }) => Ok(VaultStatus {
            state: "absent".into(),
            keychain_available,
            has_password: false,
            uses_keychain: false,
        }),
        Err(e) => Err(msg(e)),
    }
}

/// Creates the vault: in the keychain when it works, plus a password when one is given.
#[tauri::command]
pub async fn create_vault(password: Option<String>, state: State<'_, AppState>) -> CmdResult<()> {
    state
        .policy()?
        .check_create_without_password(password.as_deref().is_some_and(|p| !p.is_empty()))
        .map_err(msg)?;
    let path = state.vault_path.clone();
    let kdf = state.kdf;
    let want_keychain = state.use_keychain;
    let slot = state.vault.clone();
    let password = password.filter(|p| !p.is_empty()).map(Password::new);
    blocking(move || {
        let use_keychain = want_keychain && Keychain::status().is_ok();
        if password.is_none() && !use_keychain {
            return Err(
                "the system keychain is not available; choose an app password to protect the vault"
                    .into(),
            );
        }
        let vault = Vault::create(
            &path,
            CreateOptions {
                password,
                use_keychain,
                kdf,
            },
        )
        .map_err(msg)?;
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(vault);
        Ok(())
    })
    .await
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
    let slot = state.vault.clone();
    let unlock = match password {
        Some(p) if !p.is_empty() => Unlock::Password(Password::new(p)),
        Some(_) => return Err("type your app password".into()),
        None => Unlock::Keychain,
    };
    blocking(move || {
        let vault = Vault::open(&path, unlock).map_err(msg)?;
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(vault);
        Ok(())
    })
    .await
}

/// Forgets the key and every secret (dropping the vault wipes them), and any pending drafts.
#[tauri::command]
pub fn lock_vault(
    state: State<'_, AppState>,
    recovery: State<'_, super::recovery::RecoveryGate>,
    transfer: State<'_, super::transfer::TransferState>,
) -> CmdResult<()> {
    forget_secrets(&state, &recovery, &transfer);
    Ok(())
}

/// What locking means, in one place for the Lock button, auto-lock and the tray: the vault with its key,
/// the drafts from links, images and typed keys, revealed recovery codes, a pending import (its file and
/// decrypted entries: security review #19) and the camera scanner's frames are all dropped.
pub fn forget_secrets(
    state: &AppState,
    recovery: &super::recovery::RecoveryGate,
    transfer: &super::transfer::TransferState,
) {
    state.vault.lock().unwrap_or_else(|p| p.into_inner()).take();
    state.drafts().clear();
    recovery.clear();
    transfer.clear();
    *state.scanner.lock().unwrap_or_else(|p| p.into_inner()) =
        tessera_core::qr::FrameScanner::new();
    state.copier.clear_if_ours();
}

/// Sets the app password, or changes it (then `current` must be right).
#[tauri::command]
pub async fn set_password(
    current: Option<String>,
    password: String,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    if password.is_empty() {
        return Err("the password must not be empty".into());
    }
    let slot = state.vault.clone();
    let kdf = state.kdf;
    blocking(move || {
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let vault = guard.as_mut().ok_or("Tessera is locked; unlock it first")?;
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
    .await
}
