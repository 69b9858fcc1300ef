//! The first thing the UI asks: one answer with the vault's state, the settings and, when a
//! keychain-only vault opens by itself, the accounts and their first codes, so the codes screen can
//! paint without further round trips.

use super::codes::codes_snapshot;
use super::{blocking, msg, CmdResult};
use crate::dto::{AccountView, CodesSnapshot, VaultStatus};
use crate::settings::Settings;
use crate::state::AppState;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tessera_core::vault::{Unlock, Vault, VaultError};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StartAnswer {
    pub status: VaultStatus,
    pub settings: Settings,
    /// Set when the vault is open: the accounts in display order and their codes.
    pub accounts: Option<Vec<AccountView>>,
    pub codes: Option<CodesSnapshot>,
}

#[tauri::command]
pub async fn start_session<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<StartAnswer> {
    let settings = state.settings();
    let path = state.vault_path.clone();
    if !state.is_unlocked() {
        let info = blocking(move || match Vault::inspect(&path) {
            Ok(info) => Ok(Some(info)),
            Err(VaultError::NotFound { .. }) => Ok(None),
            Err(e) => Err(msg(e)),
        })
        .await?;
        // A keychain-only vault opens by itself (unless the organisation requires a password); if the
        // keychain says no, the unlock screen explains.
        let may_open = state
            .policy()
            .is_ok_and(|p| p.check_open_without_password(false).is_ok());
        if may_open && info.is_some_and(|i| i.has_keychain && !i.has_password) {
            let path = state.vault_path.clone();
            let opened = blocking(move || Ok(Vault::open(&path, Unlock::Keychain).ok())).await?;
            if let Some(v) = opened {
                state.open_session(v);
                crate::desktop::refresh_tray(&app);
            }
        }
    }
    let status = super::vault::vault_status(app.state::<AppState>()).await?;
    let (accounts, codes) = if status.state == "unlocked" {
        // In the order the codes screen shows (Settings → Order of codes).
        let order = state.settings().sort.parse().unwrap_or_default();
        let accounts = state.with_vault(|v| Ok(super::codes::accounts_in_order(v, order)))?;
        (Some(accounts), Some(codes_snapshot(&state)?))
    } else {
        (None, None)
    };
    Ok(StartAnswer {
        status,
        settings,
        accounts,
        codes,
    })
}
