//! Re-enrolment ("Replace key…") and the account details view. The new key arrives as a draft from the
//! add flow's own commands (camera frame, image, link or the typed form), so scanning and validation
//! are the same code; `tessera_core`'s `replace_key` / `confirm_key` / `revert_key` do the rest.

use super::recovery::{info, RecoveryInfo};
use super::{msg, CmdResult};
use crate::convert::parse_id;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetails {
    pub id: String,
    /// When the key was last replaced (Unix ms); `None` if never since it was added.
    #[ts(type = "number | null")]
    pub key_changed_at_ms: Option<u64>,
    /// A replaced key is kept, marked "previous key", until the person confirms the new one.
    pub has_previous_key: bool,
    pub recovery: RecoveryInfo,
    /// Revealing recovery codes asks for the app password when there is one.
    pub needs_password: bool,
    /// "SHA1", "SHA256" or "SHA512": "Replace key…" fills the typed form with the account's settings.
    #[ts(type = "Algorithm")]
    pub algorithm: String,
}

#[tauri::command]
pub fn account_details(id: String, state: State<'_, AppState>) -> CmdResult<AccountDetails> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        let a = v
            .account(id)
            .ok_or_else(|| format!("no account with id {id}"))?;
        Ok(AccountDetails {
            id: id.to_string(),
            key_changed_at_ms: a.key_changed_at.map(|t| t.saturating_mul(1000)),
            has_previous_key: a.has_previous_key(),
            recovery: info(&a.recovery),
            needs_password: v.has_password(),
            algorithm: a.params.algorithm.as_str().to_string(),
        })
    })
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceOutcome {
    /// Things to check: the same key on another account, an unconfirmed key moved to the trash.
    pub warnings: Vec<String>,
}

/// Gives account `id` the key of a staged draft (its issuer and name are ignored: the account keeps
/// its own, with environment, note and recovery codes). The old key stays as the previous key.
#[tauri::command]
pub fn replace_key(
    id: String,
    draft_id: String,
    state: State<'_, AppState>,
) -> CmdResult<ReplaceOutcome> {
    let id = parse_id(&id)?;
    state.with_session(|s| {
        let entry = s.drafts.take(&draft_id)?;
        let result = replace_with(&mut s.vault, id, &entry);
        if result.is_err() {
            s.drafts.put_back(draft_id, entry);
        }
        result
    })
}

fn replace_with(
    v: &mut tessera_core::vault::Vault,
    id: uuid::Uuid,
    entry: &tessera_core::OtpEntry,
) -> CmdResult<ReplaceOutcome> {
    {
        // A failed save puts the old key back in memory too (review #15).
        let outcome = v.transaction(|v| {
            let outcome = v
                .replace_key(id, entry.secret.clone(), Some(entry.params))
                .map_err(msg)?;
            v.save().map_err(msg)?;
            Ok::<_, crate::ipc_error::IpcError>(outcome)
        })?;
        let mut warnings: Vec<String> = outcome
            .same_secret_as
            .iter()
            .map(|other| format!("{other} already has this key; check this is the right account"))
            .collect();
        if outcome.unconfirmed_key_trashed.is_some() {
            warnings.push(
                "the key set before, never confirmed, went to the trash; the original previous key is still kept"
                    .into(),
            );
        }
        Ok(ReplaceOutcome { warnings })
    }
}

/// "The new code worked": the previous key goes to the trash (restorable from there).
#[tauri::command]
pub fn confirm_key(id: String, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        v.transaction(|v| {
            v.confirm_key(id).map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}

/// "Go back to the old key": the previous key is the key again; the new one goes to the trash.
#[tauri::command]
pub fn revert_key(id: String, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        v.transaction(|v| {
            v.revert_key(id).map_err(msg)?;
            v.save().map_err(msg)
        })
    })
}
