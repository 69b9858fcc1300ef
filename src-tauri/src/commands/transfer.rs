//! Import / Export: thin over `tessera_core::formats` (reading other apps' files and Tessera backups),
//! `Vault::apply_import` (the vault's duplicate rules, shared with the CLI) and `tessera_core::export`
//! (writing and verifying). Key derivation (Argon2, scrypt, PBKDF2) runs on the blocking pool.

use super::{blocking, msg, raw_body, CmdResult};
use crate::convert::{account_view, environment_from_dto, environment_to_dto};
use crate::dto::transfer::*;
use crate::kdf_consent;
use crate::native_dialogs::{Confirmation, Dialogs, SaveRequest};
use crate::session::{PendingImport, Session};
use crate::settings::LastBackup;
use crate::state::{AppState, LOCKED};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::ipc::Request;
use tauri::State;
use tessera_core::backup::password as backup_password;
use tessera_core::backup::BackupKdf;
use tessera_core::export::{self as core_export, ExportFormat, ExportRequest};
use tessera_core::formats::{self, FormatError, FormatId, ImportedEntry};
use tessera_core::import::{OnDuplicate, PlannedImport};
use tessera_core::time;
use tessera_core::vault::VaultError;
use tessera_core::OtpKind;
use zeroize::Zeroizing;

/// Export settings kept outside the session. The file being imported and its decrypted entries are
/// secret and live in the [`crate::session::Session`] (`import`), so locking forgets them.
#[derive(Default)]
pub struct TransferState {
    /// The Argon2 cost of new Tessera backups (cheap in tests).
    pub backup_kdf: Mutex<BackupKdf>,
    /// The folder of the last export: the next Save dialog starts there.
    pub last_folder: Mutex<Option<PathBuf>>,
}

fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(b"\xFF\xD8\xFF")
}

/// Takes the bytes of a picked or dropped file (raw body; its name in the `x-file-name` header,
/// percent-encoded) and says what it looks like. Nothing is read from it yet.
/// The formats the import screen offers, in the core registry's order and words.
#[tauri::command]
pub fn import_formats() -> Vec<ImportFormatOption> {
    formats::FORMATS
        .iter()
        .map(|f| ImportFormatOption {
            id: f.name.to_string(),
            label: f.picker_label.to_string(),
        })
        .collect()
}

#[tauri::command]
pub fn import_load(request: Request<'_>, state: State<'_, AppState>) -> CmdResult<ImportFileInfo> {
    let bytes = raw_body(&request)?.to_vec();
    let file_name = request
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode)
        .unwrap_or_else(|| "file".into());
    if bytes.is_empty() {
        return Err(format!("{file_name} is empty").into());
    }
    if is_image(&bytes) {
        return Err(format!(
            "{file_name} is an image: to read QR codes from pictures use Add account → Scan an image"
        ).into());
    }
    let detected = formats::detect(&bytes);
    let info = ImportFileInfo {
        file_name: file_name.clone(),
        size: bytes.len(),
        detected_format: detected.map(|f| f.as_str().to_string()),
        needs_password: detected.is_some_and(|f| formats::needs_password(f, &bytes)),
    };
    let bytes = Zeroizing::new(bytes);
    state.with_session(|s| {
        s.import = Some(PendingImport {
            file_name,
            bytes,
            read: None,
            expensive_kdf_allowed: false,
        });
        Ok(info)
    })
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Reads the loaded file (format `None` or "auto": recognised from the content). An encrypted file
/// without a password gives `needsPassword: true` and no entries; a wrong one an error in words.
/// Duplicates are looked up in the open vault. Nothing is written.
#[tauri::command]
pub async fn import_preview(
    format: Option<String>,
    password: Option<String>,
    state: State<'_, AppState>,
    dialogs: State<'_, Dialogs>,
) -> CmdResult<ImportPreviewDto> {
    let (file_name, bytes) = state.with_session(|s| {
        let p = s.import.as_ref().ok_or("choose a file to import first")?;
        Ok((p.file_name.clone(), p.bytes.clone()))
    })?;
    let format = match format.as_deref().map(str::trim) {
        None | Some("") | Some("auto") => formats::detect(&bytes).ok_or_else(|| {
            msg(FormatError::UnknownFormat)
                .replace("choose it with --format", "choose it in the Format list")
        })?,
        Some(name) => name.parse::<FormatId>()?,
    };
    let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    let mut preview = ImportPreviewDto {
        file_name: file_name.clone(),
        format: format.as_str().into(),
        format_name: format.display_name().into(),
        needs_password: false,
        entries: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if password.is_none() && formats::needs_password(format, &bytes) {
        preview.needs_password = true;
        return Ok(preview);
    }
    // A backup or Ente file asking for more than the budget: a native "derive anyway?" first.
    let agreed = state.with_session(|s| {
        Ok(s.import
            .as_ref()
            .is_some_and(|p| p.bytes == bytes && p.expensive_kdf_allowed))
    })?;
    if !agreed {
        let dialogs = dialogs.get();
        let (label, header) = (file_name.clone(), bytes.clone());
        let asked = blocking(move || {
            kdf_consent::ask_before_deriving(dialogs.as_ref(), &label, format, &header)
        })
        .await?;
        if asked {
            state.with_session(|s| {
                if let Some(p) = s.import.as_mut().filter(|p| p.bytes == bytes) {
                    p.expensive_kdf_allowed = true;
                }
                Ok(())
            })?;
        }
    }
    let loaded = bytes.clone();
    let read = blocking(move || {
        Ok(formats::import(
            format,
            &bytes,
            password.as_deref().map(String::as_str),
        ))
    })
    .await?;
    let result = match read {
        Ok(r) => r,
        Err(FormatError::NeedsPassword { .. }) => {
            preview.needs_password = true;
            return Ok(preview);
        }
        Err(e @ FormatError::UnknownFormat) => {
            return Err(msg(e).replace("choose it with --format", "choose it in the Format list"))
        }
        Err(e) => return Err(msg(e).map_message(|m| format!("{file_name}: {m}"))),
    };
    preview.errors = result.errors.iter().map(|e| e.to_string()).collect();
    preview.warnings = result.warnings.clone();
    // The file must still be the one that was read (not cancelled, nor replaced, nor dropped by a
    // lock meanwhile): only then do its entries become what a commit imports.
    preview.entries = state.with_session(|s| {
        let v = &s.vault;
        let rows = result
            .entries
            .iter()
            .enumerate()
            .map(|(index, e)| {
                let env = e.suggested_environment();
                let same_as_row = result.entries[..index].iter().position(|earlier| {
                    earlier.suggested_environment() == env
                        && fold(&earlier.entry.issuer) == fold(&e.entry.issuer)
                        && fold(&earlier.entry.account) == fold(&e.entry.account)
                });
                let recovery = e.restored.as_ref().map(|r| &r.recovery);
                ImportRowDto {
                    index,
                    issuer: e.entry.issuer.clone(),
                    account: e.entry.account.clone(),
                    kind: e.entry.params.kind.as_str().into(),
                    summary: summary(e),
                    suggested_environment: environment_to_dto(&env),
                    has_note: !e.note.trim().is_empty(),
                    recovery_codes: recovery.map_or(0, |r| r.codes.len()),
                    recovery_codes_left: recovery.map_or(0, |r| r.remaining()),
                    duplicates: v
                        .import_duplicates(e, &env)
                        .into_iter()
                        .map(account_view)
                        .collect(),
                    same_as_row,
                }
            })
            .collect();
        match s.import.as_mut() {
            Some(p) if p.bytes == loaded => p.read = Some((format, result.entries)),
            _ => return Err("choose a file to import first".into()),
        }
        Ok(rows)
    })?;
    Ok(preview)
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// "TOTP · SHA1 · 6 digits · 30 s", without the key.
fn summary(e: &ImportedEntry) -> String {
    let p = &e.entry.params;
    match p.kind {
        OtpKind::Totp => format!(
            "TOTP · {} · {} digits · {} s",
            p.algorithm, p.digits, p.period
        ),
        OtpKind::Hotp => format!(
            "HOTP · {} · {} digits · counter {}",
            p.algorithm, p.digits, p.counter
        ),
        OtpKind::Steam => "Steam Guard · 5 characters".into(),
    }
}

fn on_duplicate(text: &str) -> CmdResult<OnDuplicate> {
    match text {
        "skip" => Ok(OnDuplicate::Skip),
        "replace" => Ok(OnDuplicate::Replace),
        "keepBoth" => Ok(OnDuplicate::KeepBoth),
        other => {
            Err(format!("unknown duplicate choice {other:?}: use skip, replace or keepBoth").into())
        }
    }
}

/// Imports the previewed entries with the person's choices (rows without a choice are skipped), saves
/// the vault and forgets the file. All or nothing: on an error the vault is unchanged.
#[tauri::command]
pub fn import_commit(
    choices: Vec<ImportChoiceDto>,
    state: State<'_, AppState>,
) -> CmdResult<ImportCountsDto> {
    state.with_session(|s| commit(s, &choices))
}

fn commit(s: &mut Session, choices: &[ImportChoiceDto]) -> CmdResult<ImportCountsDto> {
    let entries = match s.import.as_ref().and_then(|p| p.read.as_ref()) {
        Some((_, entries)) => entries.clone(),
        None => return Err("preview the file before importing it".into()),
    };
    let mut plan = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let choice = choices.iter().find(|c| c.index == index);
        plan.push(match choice {
            Some(c) => PlannedImport {
                entry,
                environment: environment_from_dto(&c.environment)?,
                import: c.import,
                on_duplicate: on_duplicate(&c.on_duplicate)?,
            },
            None => PlannedImport {
                import: false,
                ..PlannedImport::suggested(entry, OnDuplicate::Skip)
            },
        });
    }
    // A failed save undoes the adds in memory too, so the screen and the file never disagree.
    let counts = s
        .vault
        .transaction(|v| -> Result<_, VaultError> {
            let counts = v.apply_import(plan)?;
            if counts.added + counts.replaced > 0 {
                v.save()?;
            }
            Ok(counts)
        })
        .map_err(msg)?;
    s.import = None;
    Ok(ImportCountsDto {
        added: counts.added,
        replaced: counts.replaced,
        skipped: counts.skipped,
        recovery_codes: counts.recovery_codes,
        warnings: counts.warnings.iter().map(|w| w.to_string()).collect(),
    })
}

/// Forgets the loaded file and what was read from it.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) {
    // Locked: the file was forgotten already.
    let _ = state.with_session(|s| {
        s.import = None;
        Ok(())
    });
}

/// Why a backup password would be refused, or `null` when it is acceptable.
#[tauri::command]
pub fn backup_password_problem(password: String) -> Option<String> {
    let password = Zeroizing::new(password);
    backup_password::check(&password)
        .err()
        .map(|e| e.to_string())
}

/// Where the Save dialog starts and the name it offers: the folder of the last export (else Documents,
/// else home), today's date, and a name no file has yet (a second export the same day gets `-2`), so
/// the export never fails with "already exists" unless the person picks that name.
pub fn offered_export_path(format: ExportFormat, folder: Option<&Path>) -> PathBuf {
    let dir = folder
        .filter(|f| f.is_dir())
        .map(Path::to_path_buf)
        .or_else(dirs::document_dir)
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."));
    format.unused_path(&dir, &time::iso_date(time::now_unix()))
}

/// The native warning before an unencrypted export is written, in plain words, with the number of
/// accounts the file will hold.
fn plain_export_confirmation(format: ExportFormat, file: &Path, accounts: usize) -> Confirmation {
    let what = match format {
        ExportFormat::Uris => "list of otpauth:// links",
        _ => "set of Google Authenticator QR images",
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let accounts = match accounts {
        1 => "your 1 account".to_string(),
        n => format!("all {n} of your accounts"),
    };
    Confirmation {
        title: "Save an unencrypted export?".into(),
        message: format!(
            "{name} will be a {what} that is NOT encrypted. Anyone who gets this file (a copy on a \
             USB stick, in a synced folder or an email) can read every code of {accounts}, now and \
             in the future.\n\nUse it only to move to another app, then delete it."
        ),
        proceed: "Save unencrypted".into(),
        cancel: "Cancel".into(),
    }
}

/// Writes an export, reads it back and checks it. Rust asks where (the system Save dialog, review
/// #20) and, for the unencrypted formats, shows the native warning; the WebView only says which
/// format and the password. `null` when the person cancelled either dialog: nothing was written.
/// A verified Tessera backup is recorded in the settings ("last verified backup").
#[tauri::command]
pub async fn export_vault(
    request: ExportRequestDto,
    state: State<'_, AppState>,
    transfer: State<'_, TransferState>,
    dialogs: State<'_, Dialogs>,
) -> CmdResult<Option<ExportResultDto>> {
    let format: ExportFormat = request.format.parse()?;
    state.policy()?.check_export(format).map_err(msg)?;
    let password = request
        .password
        .filter(|p| !p.is_empty())
        .map(Zeroizing::new);
    if format.encrypted() {
        let password = password.as_ref().ok_or("type a password for the export")?;
        if request.confirm_password.as_deref() != Some(password.as_str()) {
            return Err("the two passwords are not the same; type them again".into());
        }
        backup_password::check(password).map_err(msg)?;
    }
    let accounts = state.with_vault(|v| Ok(v.accounts().len()))?;
    let last_folder = transfer
        .last_folder
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let offered = offered_export_path(format, last_folder.as_deref());
    let ask = SaveRequest {
        title: "Save the export as".into(),
        directory: offered.parent().map(Path::to_path_buf).unwrap_or_default(),
        file_name: offered
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        filter_name: match format {
            ExportFormat::Tessera => "Tessera backup",
            ExportFormat::Aegis => "Aegis vault",
            ExportFormat::Uris => "Text file (NOT encrypted)",
            ExportFormat::GoogleQr => "PNG image (NOT encrypted)",
        }
        .into(),
        extension: format.extension().into(),
    };
    let dialogs = dialogs.get();
    let chosen = blocking(move || {
        let Some(path) = dialogs.save_path(&ask) else {
            return Ok(None);
        };
        if path.is_dir() {
            return Err(format!(
                "{} is a folder; choose a file name such as {}",
                path.display(),
                ask.file_name
            )
            .into());
        }
        if !format.encrypted()
            && !dialogs.confirm(&plain_export_confirmation(format, &path, accounts))
        {
            return Ok(None);
        }
        Ok(Some(path))
    })
    .await?;
    let Some(path) = chosen else {
        return Ok(None);
    };
    let kdf = *transfer
        .backup_kdf
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let slot = state.session_handle();
    let include_trash = request.include_trash;
    let out = path.clone();
    let report = blocking(move || {
        let guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let vault = &guard.as_ref().ok_or(LOCKED)?.vault;
        core_export::export_vault(
            vault,
            ExportRequest {
                format,
                out: &out,
                password: password.as_deref().map(String::as_str),
                include_trash,
                backup_kdf: kdf,
            },
        )
        .map_err(msg)
    })
    .await?;
    // The next export is offered beside this one, under a name that is still free.
    *transfer
        .last_folder
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = path.parent().map(Path::to_path_buf);
    if format == ExportFormat::Tessera {
        let mut settings = state.settings();
        settings.last_verified_backup = Some(LastBackup {
            at_ms: time::now_ms(),
            accounts: report.accounts,
            path: report
                .files
                .first()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        });
        // The backup is good even if this note cannot be saved; say so rather than fail.
        let saved = settings.save(&state.settings_path);
        *state.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
        if let Err(e) = saved {
            return Err(format!(
                "{}, but it could not be recorded as the last backup: {e}",
                report.summary()
            )
            .into());
        }
    }
    Ok(Some(ExportResultDto {
        format: format.as_str().into(),
        summary: report.summary(),
        files: report
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        accounts: report.accounts,
        trashed: report.trashed,
        left_out: report
            .refused
            .iter()
            .map(|(name, reason)| format!("{name}: {reason}"))
            .collect(),
        encrypted: format.encrypted(),
    }))
}

/// "~/Documents/x" as people type it.
pub(crate) fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}
