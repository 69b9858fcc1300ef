//! Settings → Backups: automatic backups (issue 15) over `tessera_core::backup::auto` and
//! `backup::check`. Turning on derives the backup key once (blocking pool) and saves it inside the
//! encrypted vault; every later save writes a verified backup by itself (`Vault::save`). "Test a
//! restore" decrypts a backup with its password and compares it with the open vault, changing nothing.
//! "Emergency sheet…" writes the core's printable page (`tessera_core::emergency_sheet`) to an HTML file.
//! Every command that touches the vault goes through the one [`crate::session::Session`].

use super::transfer::{expand_home, TransferState};
use super::{blocking, msg, CmdResult, ErrorKind, IpcError};
use crate::dto::backups::{BackupStatusDto, EmergencySheetDto, RestoreTestDto};
use crate::state::{AppState, LOCKED};
use std::path::{Path, PathBuf};
use tauri::State;
use tessera_core::backup::auto::{self, AutoBackupConfig};
use tessera_core::backup::check;
use tessera_core::emergency_sheet::{self, SheetKind};
use tessera_core::vault::{Password, VaultError};
use zeroize::Zeroizing;

/// The most backups the app lets people keep (the CLI has no limit; a typo of 1000 should not fill a disk).
pub const MAX_KEEP: u32 = 1000;

fn shown(p: &Path) -> String {
    p.display().to_string()
}

fn status_dto(vault_path: &Path, state: &AppState) -> BackupStatusDto {
    // Failures are shown from the status file here; the list kept for the CLI's warnings is not needed.
    let _ = auto::take_failures();
    let s = auto::read_status(vault_path);
    let export = state
        .settings()
        .last_verified_backup
        .map(|b| b.at_ms / 1000);
    let required = state.policy().is_ok_and(|p| p.require_backup());
    let attention = check::attention(&s, export, tessera_core::time::now_unix(), required);
    let ms = |t: &Option<String>| {
        t.as_deref()
            .and_then(tessera_core::time::parse_rfc3339)
            .map(|t| t * 1000)
    };
    BackupStatusDto {
        enabled: s.enabled,
        folder: s.folder.as_deref().map(shown),
        keep: s.keep,
        last_verified_ms: ms(&s.last_verified),
        last_verified: s.last_verified,
        last_file: s.last_file.as_deref().map(shown),
        accounts: s.accounts,
        last_error: s.last_error,
        last_restore_test_ms: ms(&s.last_restore_test),
        warning: attention.warning,
        restore_test_due: attention.restore_test_due,
        required,
    }
}

/// The state of automatic backups, the codes screen's warning and the restore-test reminder.
#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> CmdResult<BackupStatusDto> {
    let path = state.with_vault(|v| Ok(v.path().to_path_buf()))?;
    Ok(status_dto(&path, &state))
}

/// Turns automatic backups on: checks the password like an export's (the core's rule), derives the
/// backup key once, keeps it in the vault and saves, which writes and verifies the first backup.
/// A folder that does not exist yet is made (owner-only), as the CLI does.
#[tauri::command]
pub async fn backup_turn_on(
    folder: String,
    keep: u32,
    password: String,
    confirm_password: Option<String>,
    state: State<'_, AppState>,
    transfer: State<'_, TransferState>,
) -> CmdResult<BackupStatusDto> {
    let password = Zeroizing::new(password);
    let confirm = Zeroizing::new(confirm_password.unwrap_or_default());
    if !state.is_unlocked() {
        return Err(LOCKED.into());
    }
    let folder = folder.trim();
    if folder.is_empty() {
        return Err("choose the folder the backups go into".into());
    }
    if !(1..=MAX_KEEP).contains(&keep) {
        return Err(format!("keep between 1 and {MAX_KEEP} backups").into());
    }
    if password.is_empty() {
        return Err("type a password for the backups".into());
    }
    if *password != *confirm {
        return Err("the two passwords are not the same; type them again".into());
    }
    // The organisation may fix the folder (policy backup_folder): another one is refused.
    let folder = state
        .policy()?
        .backup_folder_for(Some(&expand_home(folder)))
        .map_err(msg)?
        .unwrap_or_else(|| expand_home(folder));
    if folder.exists() && !folder.is_dir() {
        return Err(format!("{} is a file, not a folder", folder.display()).into());
    }
    let kdf = *transfer
        .backup_kdf
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let config =
        blocking(move || AutoBackupConfig::new(&folder, keep, &password, kdf).map_err(msg)).await?;
    if !config.folder.exists() {
        // When it cannot be made, the first backup fails like any later one: recorded and shown.
        let _ = tessera_core::vault::atomic::create_private_dir(&config.folder);
    }
    let path = state.with_vault(|v| {
        v.transaction(|v| {
            v.set_auto_backup(Some(config));
            v.save()
        })
        .map_err(msg)?;
        Ok(v.path().to_path_buf())
    })?;
    Ok(status_dto(&path, &state))
}

/// Turns automatic backups off (the backup key leaves the vault; the files stay).
#[tauri::command]
pub fn backup_turn_off(state: State<'_, AppState>) -> CmdResult<BackupStatusDto> {
    state.policy()?.check_backups_off().map_err(msg)?;
    let path = state.with_vault(|v| {
        if v.auto_backup().is_some() {
            v.transaction(|v| {
                v.set_auto_backup(None);
                v.save()
            })
            .map_err(msg)?;
        }
        Ok(v.path().to_path_buf())
    })?;
    Ok(status_dto(&path, &state))
}

/// Writes and verifies one backup now (no change to the vault needed); the failure in words.
#[tauri::command]
pub fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupStatusDto> {
    let path = state.with_vault(|v| {
        auto::backup_now_recorded(v)?;
        Ok(v.path().to_path_buf())
    })?;
    Ok(status_dto(&path, &state))
}

/// Decrypts a backup (the one given, or the newest in the backup folder) with its password and
/// compares it with the vault, account by account. Nothing is imported or changed; a backup that
/// opens is recorded as a successful restore test (the 90-day reminder starts again).
#[tauri::command]
pub async fn backup_test_restore(
    path: Option<String>,
    password: String,
    state: State<'_, AppState>,
    dialogs: State<'_, crate::native_dialogs::Dialogs>,
) -> CmdResult<RestoreTestDto> {
    let password = Zeroizing::new(password);
    let chosen = path
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(expand_home);
    let folder = state.with_vault(|v| Ok(v.auto_backup().map(|c| c.folder.clone())))?;
    let file: PathBuf = match (chosen, folder) {
        (Some(p), _) => p,
        (None, Some(folder)) => auto::newest_backup(&folder).ok_or_else(|| {
            format!(
                "there is no Tessera backup in {} yet; choose a backup file",
                folder.display()
            )
        })?,
        (None, None) => return Err("choose the backup file to test".into()),
    };
    if password.is_empty() {
        return Err("type the backup's password".into());
    }
    let label = shown(&file);
    let read = file.clone();
    let dialogs = dialogs.get();
    let content = blocking(move || {
        let bytes = Zeroizing::new(std::fs::read(&read).map_err(|e| format!("{label}: {e}"))?);
        // A picked file may be anyone's: above the KDF budget, ask first (review #4).
        crate::kdf_consent::ask_before_deriving(
            dialogs.as_ref(),
            &label,
            tessera_core::formats::FormatId::Tessera,
            &bytes,
        )?;
        tessera_core::backup::open(&bytes, &password)
            .map_err(|e| msg(e).map_message(|m| format!("{label}: {m}")))
    })
    .await?;
    let (found, vault_path) = state.with_vault(|v| {
        let found = check::compare_with_vault(&content, v);
        auto::record_restore_test(v.path(), tessera_core::time::now_unix());
        Ok((found, v.path().to_path_buf()))
    })?;
    drop(content);
    Ok(RestoreTestDto {
        file: shown(&file),
        matches: found.matches(),
        summary: found.summary(),
        created_at_ms: found.created_at.saturating_mul(1000),
        backup_accounts: found.backup_accounts,
        vault_accounts: found.vault_accounts,
        same: found.same,
        changed: found.changed,
        only_in_backup: found.only_in_backup,
        only_in_vault: found.only_in_vault,
        status: status_dto(&vault_path, &state),
    })
}

/// Writes the emergency sheet (issue 15) as a new HTML file at `path`, to open in the browser and print:
/// where the automatic backups are, how to restore them, the date and the accounts (no keys). With
/// `with_secrets` ("for a locked drawer") it also holds each account's enrolment QR code and unused
/// recovery codes: refused when the organisation forbids unencrypted exports, and when the vault has an
/// app password, only with that password (checked against the open vault, even if the keychain opened
/// it). The file is new (an existing one is never replaced) and owner-only (0600).
#[tauri::command]
pub async fn emergency_sheet(
    path: String,
    with_secrets: bool,
    password: Option<String>,
    state: State<'_, AppState>,
) -> CmdResult<EmergencySheetDto> {
    let password = password.filter(|p| !p.is_empty()).map(Password::new);
    if !state.is_unlocked() {
        return Err(LOCKED.into());
    }
    let path = path.trim();
    if path.is_empty() {
        return Err("choose where the emergency sheet should be saved".into());
    }
    let path = expand_home(path);
    if path.is_dir() {
        return Err(format!(
            "{} is a folder; add a file name such as tessera-emergency-sheet.html",
            path.display()
        )
        .into());
    }
    let exists = |p: &Path| {
        format!(
            "{} already exists; choose another name (Tessera never replaces a file)",
            p.display()
        )
    };
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(IpcError::bad_input(exists(&path)));
    }
    if with_secrets {
        state.policy()?.check_plain_export().map_err(msg)?;
    }
    let slot = state.session_handle();
    let out = path.clone();
    let accounts = blocking(move || {
        let guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let vault = &guard.as_ref().ok_or(LOCKED)?.vault;
        let kind = if with_secrets {
            if vault.has_password() {
                let password = password
                    .as_ref()
                    .ok_or("type the app password to print the keys and recovery codes")?;
                match vault.check_password(password) {
                    Ok(_) => {}
                    Err(VaultError::WrongPassword) => {
                        return Err(IpcError::new(
                            ErrorKind::WrongPassword,
                            "wrong password; the sheet with the keys was not made",
                        ))
                    }
                    Err(e) => return Err(msg(e)),
                }
            }
            SheetKind::WithSecrets
        } else {
            SheetKind::Plain
        };
        let html =
            emergency_sheet::for_vault(vault, tessera_core::time::now_unix(), kind).map_err(msg)?;
        let accounts = vault.accounts().len();
        drop(guard);
        tessera_core::vault::atomic::write_new_private(&out, html.as_bytes()).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                exists(&out)
            } else {
                format!("{}: {e}", out.display())
            }
        })?;
        Ok(accounts)
    })
    .await?;
    Ok(EmergencySheetDto {
        file: shown(&path),
        accounts,
        with_secrets,
    })
}
