//! Favourites (codes screen, Manage, tray menu) and the quick-copy window's search and copy.

use super::codes::copy_account_code;
use super::{msg, CmdResult};
use crate::convert::{environment_to_dto, parse_id};
use crate::dto::EnvironmentDto;
use crate::state::AppState;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// One row of the quick-copy list: who and where, never the code.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct QuickRow {
    pub id: String,
    pub issuer: String,
    pub account: String,
    pub environment: EnvironmentDto,
    pub favourite: bool,
}

/// Marks or unmarks a favourite and saves; the tray menu follows.
#[tauri::command]
pub fn set_favourite<R: Runtime>(
    id: String,
    favourite: bool,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        v.transaction(|v| {
            v.set_favourite(id, favourite).map_err(msg)?;
            v.save().map_err(msg)
        })
    })?;
    crate::desktop::refresh_tray(&app);
    Ok(())
}

/// The quick-copy search (the core's rule: every typed word starts a word of the issuer, account or
/// environment), favourites first.
#[tauri::command]
pub fn quick_find(query: String, state: State<'_, AppState>) -> CmdResult<Vec<QuickRow>> {
    state.with_vault(|v| {
        Ok(v.quick_find(&query)
            .into_iter()
            .map(|a| QuickRow {
                id: a.id.to_string(),
                issuer: a.issuer.clone(),
                account: a.account.clone(),
                environment: environment_to_dto(&a.environment),
                favourite: a.favourite,
            })
            .collect())
    })
}

/// Copies from the quick-copy window (same auto-clearing clipboard as everywhere) and hides it.
#[tauri::command]
pub fn quick_copy<R: Runtime>(
    id: String,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<u32> {
    let seconds = copy_account_code(&state, parse_id(&id)?)?;
    crate::desktop::hide_quick(&app);
    Ok(seconds)
}

/// The main window opened or locked the vault: the tray menu follows (favourites or "Unlock…").
#[tauri::command]
pub fn refresh_tray<R: Runtime>(app: AppHandle<R>) {
    crate::desktop::refresh_tray(&app);
}

/// Esc in the quick-copy window.
#[tauri::command]
pub fn hide_quick<R: Runtime>(app: AppHandle<R>) {
    crate::desktop::hide_quick(&app);
}

/// "Open Tessera" from the quick-copy window (e.g. to unlock).
#[tauri::command]
pub fn show_main<R: Runtime>(app: AppHandle<R>) {
    crate::desktop::hide_quick(&app);
    crate::desktop::show_main(&app);
}

/// The quick-copy window has focused its search box: records how long the shortcut took (for the
/// benchmark and the end-to-end test).
#[tauri::command]
pub fn quick_ready<R: Runtime>(app: AppHandle<R>) {
    crate::desktop::quick_ready(&app);
}
