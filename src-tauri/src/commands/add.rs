//! Adding accounts: every way in (typed key, link, image, camera frame) stages drafts; the review form
//! then saves each draft with the vault's duplicate rules.

use super::{blocking, msg, raw_body, CmdResult, IpcError};
use crate::convert::{account_view, environment_from_dto, parse_id};
use crate::drafts::{self, check_manual as check, entry_from_fields};
use crate::dto::{
    AddOutcomeDto, AddRequest, ConflictsView, DraftView, EnvironmentDto, ManualCheck, ManualFields,
    Preview, ScanOutcome,
};
use crate::session::Session;
use crate::state::AppState;
use tauri::ipc::Request;
use tauri::State;
use tessera_core::qr::{self, FrameFormat, Payload};
use tessera_core::time::now_unix;
use tessera_core::vault::{DuplicatePolicy, NewAccount, VaultError};

#[tauri::command]
pub fn check_manual(fields: ManualFields) -> ManualCheck {
    check(&fields)
}

#[tauri::command]
pub fn stage_manual(fields: ManualFields, state: State<'_, AppState>) -> CmdResult<DraftView> {
    if fields.issuer.trim().is_empty() {
        return Err("give the issuer (the service's name)".into());
    }
    let (entry, _) = entry_from_fields(&fields)?;
    state.with_session(|s| Ok(s.drafts.stage(entry)))
}

/// An `otpauth://` or `otpauth-migration://` link, typed or pasted.
#[tauri::command]
pub fn parse_text(text: String, state: State<'_, AppState>) -> CmdResult<ScanOutcome> {
    state.with_session(|s| s.drafts.stage_text(&text))
}

/// Stages the accounts of every authenticator QR code among `texts`, or explains why there are none.
fn stage_decoded(session: &mut Session, texts: Vec<String>) -> CmdResult<ScanOutcome> {
    let mut found = ScanOutcome {
        drafts: vec![],
        batch: None,
    };
    let mut not_ours = None;
    let mut failure = None;
    for text in texts {
        let staged = match qr::classify(&text) {
            Payload::Otpauth { entry } => Ok(ScanOutcome {
                drafts: vec![session.drafts.stage(*entry)],
                batch: None,
            }),
            Payload::Migration { batch } => session.drafts.stage_migration(batch),
            Payload::InvalidOtpauth { reason } | Payload::InvalidMigration { reason } => {
                Err(IpcError::bad_input(reason))
            }
            other @ Payload::Other { .. } => {
                not_ours = Some(other.description());
                continue;
            }
        };
        match staged {
            Ok(outcome) => {
                found.drafts.extend(outcome.drafts);
                found.batch = found.batch.or(outcome.batch);
            }
            Err(e) => failure = Some(e),
        }
    }
    if found.drafts.is_empty() {
        if let Some(e) = failure {
            return Err(e);
        }
        if let Some(d) = not_ours {
            return Err(IpcError::bad_input(d));
        }
    }
    Ok(found)
}

/// An image file's bytes (opened, dropped or pasted): every QR code in it.
#[tauri::command]
pub async fn scan_image(
    request: Request<'_>,
    state: State<'_, AppState>,
) -> CmdResult<ScanOutcome> {
    let bytes = raw_body(&request)?.to_vec();
    let decoded = blocking(move || qr::decode_image_bytes(&bytes).map_err(msg)).await?;
    if decoded.is_empty() {
        return Err(
            "no QR code was found in this image; crop it to the code or try a sharper picture"
                .into(),
        );
    }
    state.with_session(|s| stage_decoded(s, decoded.into_iter().map(|d| d.text).collect()))
}

/// A pasted screenshot that the webview could not hand over (WebKitGTK gives the page an empty
/// `clipboardData` for images): read from the system clipboard here, decoded like an image file.
#[tauri::command]
pub async fn scan_clipboard_image(state: State<'_, AppState>) -> CmdResult<ScanOutcome> {
    state.with_session(|_| Ok(()))?;
    let clipboard = std::sync::Arc::clone(state.copier.clipboard());
    let decoded = blocking(move || {
        let image = clipboard.get_image().ok_or(
            "there is no picture on the clipboard; copy a screenshot of the QR code first",
        )?;
        qr::decode_rgba(image.width, image.height, &image.rgba).map_err(msg)
    })
    .await?;
    if decoded.is_empty() {
        return Err(
            "no QR code was found in the pasted picture; copy just the code or a sharper screenshot"
                .into(),
        );
    }
    state.with_session(|s| stage_decoded(s, decoded.into_iter().map(|d| d.text).collect()))
}

/// One downscaled grey camera frame (`x-frame-width` × `x-frame-height` bytes). `None` until a code is
/// read; each frame gets one cheap pass, so a frame never holds the UI up.
#[tauri::command]
pub fn scan_frame(
    request: Request<'_>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ScanOutcome>> {
    let header = |name: &str| -> CmdResult<usize> {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("missing frame size header {name}").into())
    };
    let (width, height) = (header("x-frame-width")?, header("x-frame-height")?);
    let pixels = raw_body(&request)?;
    state.with_session(|s| {
        let decoded = s
            .scanner
            .scan_frame(width, height, FrameFormat::Luma, pixels);
        if decoded.is_empty() {
            return Ok(None);
        }
        match stage_decoded(s, decoded.into_iter().map(|d| d.text).collect()) {
            Ok(outcome) if !outcome.drafts.is_empty() => Ok(Some(outcome)),
            Ok(_) => Ok(None),
            Err(e) => Err(e),
        }
    })
}

#[tauri::command]
pub fn draft_preview(draft_id: String, state: State<'_, AppState>) -> CmdResult<Preview> {
    state.with_session(|s| drafts::preview(s.drafts.get(&draft_id)?, now_unix()))
}

#[tauri::command]
pub fn discard_drafts(state: State<'_, AppState>) {
    // Locked: there are no drafts left to discard.
    let _ = state.with_session(|s| {
        s.drafts.clear();
        Ok(())
    });
}

/// The review form and the edit form ask the core's conflict rule (the one `tessera add` and saving use)
/// as the person types, instead of keeping their own copy of it. `except` is the account being edited:
/// it is not its own twin.
#[tauri::command]
pub fn check_conflicts(
    issuer: String,
    account: String,
    environment: EnvironmentDto,
    except: Option<String>,
    state: State<'_, AppState>,
) -> CmdResult<ConflictsView> {
    let environment = environment_from_dto(&environment)?;
    let except = except.as_deref().map(parse_id).transpose()?;
    state.with_vault(|v| {
        let c = v.conflicts_except(&issuer, &account, &environment, except);
        let views = |ids: &[uuid::Uuid]| -> Vec<_> {
            ids.iter()
                .filter_map(|id| v.account(*id))
                .map(account_view)
                .collect()
        };
        Ok(ConflictsView {
            twins: views(&c.twins),
            same_environment: !c.same_environment.is_empty(),
            clashes: views(&c.same_environment),
            needs_environment: c.needs_environment,
        })
    })
}

fn policy(name: &str) -> CmdResult<DuplicatePolicy> {
    match name {
        "refuse" => Ok(DuplicatePolicy::Refuse),
        "replace" => Ok(DuplicatePolicy::Replace),
        "keepBoth" => Ok(DuplicatePolicy::KeepBoth),
        other => Err(format!("unknown duplicate choice {other:?}").into()),
    }
}

/// Saves a reviewed draft. A clash with an account of the same issuer, account name and environment
/// comes back as `duplicate` (the draft stays pending) so the person chooses; nothing is overwritten.
#[tauri::command]
pub fn add_account(request: AddRequest, state: State<'_, AppState>) -> CmdResult<AddOutcomeDto> {
    let environment = environment_from_dto(&request.environment)?;
    let policy = policy(&request.policy)?;
    if request.issuer.trim().is_empty() {
        return Err("give the issuer (the service's name)".into());
    }
    state.with_session(|s| add_draft(s, request, environment, policy))
}

fn add_draft(
    s: &mut Session,
    request: AddRequest,
    environment: tessera_core::vault::Environment,
    policy: DuplicatePolicy,
) -> CmdResult<AddOutcomeDto> {
    let entry = s.drafts.take(&request.draft_id)?;
    let mut new = NewAccount::from_entry(entry.clone(), environment);
    new.issuer = request.issuer.trim().to_string();
    new.account = request.account.trim().to_string();
    new.note = request.note.trim().to_string();
    let v = &mut s.vault;
    // The core's conflict rule (the same one `tessera add` asks): a second login for a service whose
    // logins all name their environment must name its own.
    let c = v.conflicts(&new.issuer, &new.account, &new.environment);
    if c.needs_environment {
        let names: Vec<&str> = c.environments.iter().map(|e| e.label()).collect();
        let label = new.label();
        s.drafts.put_back(request.draft_id, entry);
        return Err(IpcError::bad_input(format!(
            "{label} is already here as {}. Choose which environment this login is.",
            names.join(" and ")
        )));
    }
    // All or nothing: a failed save undoes the add in memory too (review #15).
    let result = v.transaction(|v| add_checked(v, new, policy));
    if !matches!(result, Ok(AddOutcomeDto::Added { .. })) {
        s.drafts.put_back(request.draft_id, entry);
    }
    result
}

fn add_checked(
    v: &mut tessera_core::vault::Vault,
    new: NewAccount,
    policy: DuplicatePolicy,
) -> CmdResult<AddOutcomeDto> {
    match v.add(new, policy) {
        Ok(outcome) => {
            v.save().map_err(msg)?;
            Ok(AddOutcomeDto::Added {
                id: outcome.id.to_string(),
                warnings: outcome.warnings.iter().map(|w| w.to_string()).collect(),
            })
        }
        Err(VaultError::Duplicate { existing, .. }) => Ok(AddOutcomeDto::Duplicate {
            existing: existing
                .iter()
                .filter_map(|id| v.account(*id))
                .map(account_view)
                .collect(),
            same_environment: true,
        }),
        Err(e) => Err(msg(e)),
    }
}
