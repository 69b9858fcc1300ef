//! Protection levels (password or this computer's keychain), the quick-unlock PIN, and the trash's
//! "Delete forever" / "Empty trash" (deleted accounts older than 30 days go at every save: the core's rule). The rules are the core's (`vault/protection.rs`,
//! `vault/trash.rs`); these commands only parse, check who is asking and put sentences on errors.

use super::{blocking, msg, CmdResult};
use crate::convert::parse_id;
use crate::plain::vault_error;
use crate::state::{AppState, LOCKED};
use tauri::State;
use tessera_core::vault::{check_new_vault_password, Password, QuickUnlock};

/// Switches the protection level in one save. `password`: the level's password ("password" level:
/// a new app password, or none to keep the current one). `current`: the current app password, needed
/// whenever the vault has one (so nobody at an unlocked screen can lower or change the protection).
#[tauri::command]
pub async fn set_protection(
    level: String,
    password: Option<String>,
    current: Option<String>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    let password = password.filter(|p| !p.is_empty()).map(Password::new);
    let current = current.filter(|p| !p.is_empty()).map(Password::new);
    if let Some(p) = &password {
        check_new_vault_password(p.as_str()).map_err(msg)?;
    }
    let slot = state.session_handle();
    let kdf = state.kdf;
    blocking(move || {
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let vault = &mut guard.as_mut().ok_or(LOCKED)?.vault;
        if vault.has_password() {
            let current = current.as_ref().ok_or("type your current app password")?;
            vault.confirm_password(current).map_err(msg)?;
        }
        match level.as_str() {
            "password" => {
                if password.is_none() && !vault.has_password() {
                    return Err("choose an app password first".into());
                }
                vault
                    .protect_with_password(password, kdf)
                    .map_err(vault_error)
            }
            "keychain" => vault.protect_with_keychain().map_err(vault_error),
            other => {
                Err(format!("unknown protection level {other:?}: use password or keychain").into())
            }
        }
    })
    .await?;
    // A PIN belongs to the level it was set under.
    state.clear_quick_unlock();
    Ok(())
}

/// Sets the quick-unlock PIN (at least 6 digits) for this running app. Only after a password unlock
/// of a password-level vault; kept in memory only.
#[tauri::command]
pub async fn set_pin(pin: String, state: State<'_, AppState>) -> CmdResult<()> {
    let pin = zeroize::Zeroizing::new(pin);
    let slot = state.session_handle();
    // The PIN wraps the key with Argon2id at the vault's own cost, so guessing offline is slow too.
    let kdf = state.kdf;
    let quick = blocking(move || {
        let guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let session = guard.as_ref().ok_or(LOCKED)?;
        if !session.opened_with_password {
            return Err("unlock with your app password first, then set a PIN".into());
        }
        if session.vault.has_keychain() {
            return Err(
                "a PIN is for password-protected vaults; this one opens with the keychain".into(),
            );
        }
        session.vault.quick_unlock(&pin, kdf).map_err(msg)
    })
    .await?;
    state.set_quick_unlock(quick);
    Ok(())
}

#[tauri::command]
pub fn clear_pin(state: State<'_, AppState>) {
    state.clear_quick_unlock();
}

/// Unlocks with the quick-unlock PIN. Three wrong PINs forget it: then only the password opens.
#[tauri::command]
pub async fn unlock_with_pin(pin: String, state: State<'_, AppState>) -> CmdResult<()> {
    let pin = zeroize::Zeroizing::new(pin);
    let mut quick: QuickUnlock = state
        .take_quick_unlock()
        .ok_or("the PIN is not set (or was used up); unlock with your app password")?;
    let path = state.vault_path.clone();
    let (quick, opened) = blocking(move || {
        let opened = quick.open(&path, &pin);
        Ok((quick, opened))
    })
    .await?;
    match opened {
        Ok(vault) => {
            state.set_quick_unlock(quick);
            state.open_session_with(vault, true);
            Ok(())
        }
        Err(_) if quick.tries_left() == 0 => Err(
            "wrong PIN three times: the PIN is switched off; unlock with your app password".into(),
        ),
        Err(e) => {
            let left = quick.tries_left();
            state.set_quick_unlock(quick);
            Err(match e {
                tessera_core::vault::VaultError::WrongPassword => super::IpcError::new(
                    super::ErrorKind::WrongPassword,
                    format!(
                        "wrong PIN; {left} {} left before the app password is needed",
                        if left == 1 { "try" } else { "tries" }
                    ),
                ),
                other => msg(other),
            })
        }
    }
}

/// Deletes one account in the trash for good (its key with it, from the file and its `.bak`).
#[tauri::command]
pub fn purge_account(id: String, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        v.transaction(|v| {
            v.purge(id).map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}

/// Empties the trash for good; returns how many were deleted.
#[tauri::command]
pub fn empty_trash(state: State<'_, AppState>) -> CmdResult<usize> {
    state.with_vault(|v| {
        v.transaction(|v| {
            let n = v.empty_trash();
            if n > 0 {
                v.save().map_err(msg)?;
            }
            Ok(n)
        })
    })
}

/// How many days deleted accounts stay in the trash (the vault's setting, the CLI's `trash keep`).
#[tauri::command]
pub fn trash_keep_days(state: State<'_, AppState>) -> CmdResult<u32> {
    state.with_vault(|v| Ok(v.trash_keep_days()))
}

/// Sets how many days deleted accounts stay in the trash (1-365) and saves: what is older goes now.
#[tauri::command]
pub fn set_trash_keep_days(days: u32, state: State<'_, AppState>) -> CmdResult<u32> {
    state.with_vault(|v| {
        v.transaction(|v| {
            v.set_trash_keep_days(days).map_err(msg)?;
            v.save().map_err(msg)?;
            Ok(v.trash_keep_days())
        })
    })
}
