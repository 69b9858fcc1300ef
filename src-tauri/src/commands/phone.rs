//! "Show on screen for a phone" (issue 15): one account's enrolment QR code and key, after the app
//! password when the vault has one (the core checks it, as for recovery codes). The answer is the only
//! copy: nothing is remembered in the session, so a lock has nothing to clear here and the UI drops
//! what it shows on `tessera://locked` or after the core's time limit.

use super::{blocking, msg, CmdResult};
use crate::convert::parse_id;
use crate::dto::phone::PhoneEnrolmentDto;
use crate::state::{AppState, LOCKED};
use tauri::State;
use tessera_core::vault::Password;

/// The account's enrolment QR code (its `otpauth://` URI, built by the core), its key in groups of
/// four, and its issuer, account and environment. The password check is Argon2 work, so it runs on the
/// blocking pool.
#[tauri::command]
pub async fn show_for_phone(
    id: String,
    password: Option<String>,
    state: State<'_, AppState>,
) -> CmdResult<PhoneEnrolmentDto> {
    let id = parse_id(&id)?;
    let slot = state.session_handle();
    let password = password.filter(|p| !p.is_empty()).map(Password::new);
    blocking(move || {
        let guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let session = guard.as_ref().ok_or(LOCKED)?;
        let shown = session
            .vault
            .show_for_phone(id, password.as_ref())
            .map_err(msg)?;
        Ok(PhoneEnrolmentDto::new(id, &shown))
    })
    .await
}
