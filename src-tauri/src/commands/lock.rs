//! Locking, activity and protection levels. Locking itself is `vault::lock_vault`; the deadline and
//! the OS signals are in `autolock.rs` and `os_lock.rs`.

use crate::state::AppState;
use tauri::State;

/// The person used the app (key press, click, scroll; the UI throttles this): the auto-lock deadline
/// moves on. While locked it does nothing. Cheap: no secret is touched.
#[tauri::command]
pub fn report_activity(state: State<'_, AppState>) {
    // Past the deadline, activity comes too late: that locks instead of extending.
    if !state.lock_if_idle(std::time::Instant::now()) && state.is_unlocked() {
        state.touch();
    }
}
