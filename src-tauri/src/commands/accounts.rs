//! Managing accounts: edit, delete to the trash, restore, reorder. Every change is saved at once.

use super::{msg, CmdResult};
use crate::convert::{environment_from_dto, parse_id, trashed_view};
use crate::dto::{AccountEditDto, TrashedView};
use crate::state::AppState;
use tauri::State;
use tessera_core::vault::{AccountEdit, EditClash, VaultError};
use tessera_core::OtpKind;

#[tauri::command]
pub fn edit_account(id: String, edit: AccountEditDto, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    let environment = environment_from_dto(&edit.environment)?;
    if edit.issuer.trim().is_empty() {
        return Err("the issuer must not be empty".into());
    }
    // All or nothing: a failed save undoes the change in memory too (review #15).
    state.with_vault(|v| {
        let params = match edit.counter {
            None => None,
            Some(counter) => {
                let current = v.account(id).ok_or_else(|| format!("no account with id {id}"))?;
                if current.params.kind != OtpKind::Hotp {
                    return Err("only counter-based (HOTP) accounts have a counter".into());
                }
                Some(
                    current
                        .params
                        .with_parts(None, None, None, None, Some(counter))
                        .map_err(msg)?,
                )
            }
        };
        let change = AccountEdit {
            issuer: Some(edit.issuer),
            account: Some(edit.account),
            environment: Some(environment),
            note: Some(edit.note.trim().to_string()),
            params,
            ..Default::default()
        };
        let clash = match edit.on_duplicate.as_deref() {
            None | Some("refuse") => EditClash::Refuse,
            Some("keepBoth") => EditClash::KeepBoth,
            Some("replace") => EditClash::Replace,
            Some(other) => return Err(format!("unknown choice {other:?} for a duplicate").into()),
        };
        v.transaction(|v| {
            v.edit_resolving(id, change, clash).map_err(|e| match e {
                VaultError::Duplicate { label, .. } => super::IpcError::new(super::ErrorKind::Conflict, format!(
                    "{label} is already in the vault. Choose \"Replace it\" (that one goes to the trash) or \"Keep both\", or pick another environment"
                )),
                e => msg(e),
            })?;
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
