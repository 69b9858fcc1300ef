//! Managing accounts: edit, delete to the trash, restore, reorder. Every change is saved at once.

use super::{msg, CmdResult};
use crate::convert::{environment_from_dto, parse_id, trashed_view};
use crate::dto::{AccountEditDto, TrashedView};
use crate::state::AppState;
use tauri::State;
use tessera_core::vault::AccountEdit;

#[tauri::command]
pub fn edit_account(id: String, edit: AccountEditDto, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    let environment = environment_from_dto(&edit.environment)?;
    if edit.issuer.trim().is_empty() {
        return Err("the issuer must not be empty".into());
    }
    // All or nothing: a failed save undoes the change in memory too (review #15).
    state.with_vault(|v| {
        v.transaction(|v| {
            v.edit(
                id,
                AccountEdit {
                    issuer: Some(edit.issuer),
                    account: Some(edit.account),
                    environment: Some(environment),
                    note: Some(edit.note.trim().to_string()),
                    ..Default::default()
                },
            )
            .map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}

#[tauri::command]
pub fn delete_account(id: String, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    // All or nothing: a failed save undoes the change in memory too (review #15).
    state.with_vault(|v| {
        v.transaction(|v| {
            v.remove(id).map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}

/// The trash, most recently deleted first.
#[tauri::command]
pub fn list_trash(state: State<'_, AppState>) -> CmdResult<Vec<TrashedView>> {
    state.with_vault(|v| Ok(v.trash().iter().rev().map(trashed_view).collect()))
}

#[tauri::command]
pub fn restore_account(id: String, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    // All or nothing: a failed save undoes the change in memory too (review #15).
    state.with_vault(|v| {
        v.transaction(|v| {
            v.restore(id).map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}

#[tauri::command]
pub fn reorder_accounts(ids: Vec<String>, state: State<'_, AppState>) -> CmdResult<()> {
    let ids = ids
        .iter()
        .map(|i| parse_id(i))
        .collect::<Result<Vec<_>, _>>()?;
    // All or nothing: a failed save undoes the change in memory too (review #15).
    state.with_vault(|v| {
        v.transaction(|v| {
            v.reorder(&ids).map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}
