//! Recovery codes in the app. Counts are safe anywhere; the codes themselves leave Rust only through
//! [`reveal_recovery_codes`], after the app password when one is set (the core checks it), and then
//! only for a few minutes per account. Parsing, counting and marking used are `tessera_core`'s.

use super::{blocking, msg, CmdResult};
use crate::convert::parse_id;
use crate::state::{AppState, LOCKED};
use serde::Serialize;
use std::time::Duration;
use tauri::State;
use tessera_core::recovery::{parse_block, RecoveryCodes};
use tessera_core::vault::{Password, StoreMode};
use zeroize::Zeroizing;

/// Counts only: what the Manage screen and the details view show before anything is revealed.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryInfo {
    pub total: usize,
    pub remaining: usize,
    pub few_left: bool,
    /// "3 of 10 left", "none of 10 left", "no recovery codes".
    pub summary: String,
    /// When few or none are left: what to do.
    pub warning: Option<String>,
    #[ts(type = "number | null")]
    pub added_at_ms: Option<u64>,
}

pub fn info(codes: &RecoveryCodes) -> RecoveryInfo {
    let s = codes.status();
    RecoveryInfo {
        total: s.total,
        remaining: s.remaining,
        few_left: s.few_left,
        summary: codes.summary(),
        warning: codes.warning(),
        added_at_ms: codes.added_at.map(|t| t.saturating_mul(1000)),
    }
}

#[tauri::command]
pub fn recovery_info(id: String, state: State<'_, AppState>) -> CmdResult<RecoveryInfo> {
    let id = parse_id(&id)?;
    state.with_vault(|v| Ok(info(v.recovery_codes(id).map_err(msg)?)))
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ParsedBlock {
    /// How many codes were recognised (shown before saving: "10 codes recognised").
    pub count: usize,
    /// Lines that are not codes (headings, prose), so the person sees what was skipped.
    pub ignored: Vec<String>,
    pub duplicates: usize,
}

/// Recognises the codes in a pasted block without storing anything.
#[tauri::command]
pub fn parse_recovery_codes(text: String) -> CmdResult<ParsedBlock> {
    let text = Zeroizing::new(text);
    let parsed = parse_block(&text).map_err(msg)?;
    Ok(ParsedBlock {
        count: parsed.codes.len(),
        ignored: parsed.ignored.clone(),
        duplicates: parsed.duplicates,
    })
}

fn store_mode(mode: &str) -> CmdResult<StoreMode> {
    match mode {
        "refuse" | "" => Ok(StoreMode::Refuse),
        "replace" => Ok(StoreMode::Replace),
        "append" => Ok(StoreMode::Append),
        other => Err(format!("unknown choice {other:?}: use replace or append").into()),
    }
}

/// Stores a pasted block on an account. With unused codes already stored, `mode` says whether this is
/// a new set from the service ("replace") or more of the same ("append"); "refuse" asks first.
#[tauri::command]
pub fn store_recovery_codes(
    id: String,
    text: String,
    mode: String,
    state: State<'_, AppState>,
) -> CmdResult<RecoveryInfo> {
    let id = parse_id(&id)?;
    let mode = store_mode(&mode)?;
    let text = Zeroizing::new(text);
    let parsed = parse_block(&text).map_err(msg)?;
    state.with_vault(|v| {
        // A failed save leaves the codes as they are on disk (review #15).
        v.transaction(|v| {
            v.store_recovery_codes(id, parsed.codes.clone(), mode)
                .map_err(msg)?;
            v.save().map_err(msg)
        })?;
        Ok(info(v.recovery_codes(id).map_err(msg)?))
    })
}

#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "RevealedCode")]
pub struct ShownCode {
    pub index: usize,
    pub code: String,
    #[ts(type = "number | null")]
    pub used_at_ms: Option<u64>,
}

#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RevealedCodes {
    pub codes: Vec<ShownCode>,
    pub info: RecoveryInfo,
}

fn revealed(codes: &RecoveryCodes) -> RevealedCodes {
    RevealedCodes {
        codes: codes
            .codes
            .iter()
            .enumerate()
            .map(|(index, c)| ShownCode {
                index,
                code: c.code.clone(),
                used_at_ms: c.used_at.map(|t| t.saturating_mul(1000)),
            })
            .collect(),
        info: info(codes),
    }
}

/// Shows an account's codes. When the vault has an app password it must be given and right, even if
/// the keychain opened the vault; the check is Argon2 work, so it runs on the blocking pool.
#[tauri::command]
pub async fn reveal_recovery_codes(
    id: String,
    password: Option<String>,
    state: State<'_, AppState>,
) -> CmdResult<RevealedCodes> {
    let id = parse_id(&id)?;
    let slot = state.session_handle();
    let password = password.filter(|p| !p.is_empty()).map(Password::new);
    blocking(move || {
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let session = guard.as_mut().ok_or(LOCKED)?;
        let codes = session
            .vault
            .reveal_recovery_codes(id, password.as_ref())
            .map_err(msg)?;
        let shown = revealed(codes);
        session.reveals.open(id);
        Ok(shown)
    })
    .await
}

/// Hides the codes again (the UI calls it when the person hides them or leaves the view).
#[tauri::command]
pub fn hide_recovery_codes(id: String, state: State<'_, AppState>) -> CmdResult<()> {
    let id = parse_id(&id)?;
    // Locked: nothing is revealed any more.
    let _ = state.with_session(|s| {
        s.reveals.close(id);
        Ok(())
    });
    Ok(())
}

fn code_at(codes: &RecoveryCodes, index: usize) -> CmdResult<Zeroizing<String>> {
    codes
        .codes
        .get(index)
        .map(|c| Zeroizing::new(c.code.clone()))
        .ok_or_else(|| "that recovery code is no longer stored; show the codes again".into())
}

/// Copies one revealed code, through the same clipboard auto-clear as codes. Returns the seconds
/// after which the clipboard is cleared (0 = never).
#[tauri::command]
pub fn copy_recovery_code(id: String, index: usize, state: State<'_, AppState>) -> CmdResult<u32> {
    let id = parse_id(&id)?;
    let code = state.with_session(|s| {
        s.reveals.check(id)?;
        code_at(s.vault.recovery_codes(id).map_err(msg)?, index)
    })?;
    let seconds = state.settings().clipboard_seconds;
    state
        .copier
        .copy(&code, Duration::from_secs(u64::from(seconds)))?;
    Ok(seconds)
}

/// Undoes "Mark used" on one revealed code and returns the list as it is now.
#[tauri::command]
pub fn unmark_recovery_code_used(
    id: String,
    index: usize,
    state: State<'_, AppState>,
) -> CmdResult<RevealedCodes> {
    let id = parse_id(&id)?;
    state.with_session(|s| {
        s.reveals.check(id)?;
        let v = &mut s.vault;
        v.transaction(|v| {
            v.unuse_recovery_code(id, index).map_err(msg)?;
            v.save().map_err(msg)
        })?;
        Ok(revealed(v.recovery_codes(id).map_err(msg)?))
    })
}

/// Marks one revealed code used (today's date) and returns the list as it is now.
#[tauri::command]
pub fn mark_recovery_code_used(
    id: String,
    index: usize,
    state: State<'_, AppState>,
) -> CmdResult<RevealedCodes> {
    let id = parse_id(&id)?;
    state.with_session(|s| {
        s.reveals.check(id)?;
        let v = &mut s.vault;
        let code = code_at(v.recovery_codes(id).map_err(msg)?, index)?;
        v.transaction(|v| {
            v.use_recovery_code(id, Some(&code)).map_err(msg)?;
            v.save().map_err(msg)
        })?;
        Ok(revealed(v.recovery_codes(id).map_err(msg)?))
    })
}
