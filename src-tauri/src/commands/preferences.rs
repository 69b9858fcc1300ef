//! Settings the UI reads at start and changes on the settings screen.

use super::CmdResult;
use crate::settings::Settings;
use crate::state::AppState;
use tauri::State;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub fn save_settings(mut settings: Settings, state: State<'_, AppState>) -> CmdResult<()> {
    // Auto-lock and clipboard clearing are protections: only someone who unlocked may turn them off.
    state.with_session(|_| Ok(()))?;
    // The clock section has its own commands (and the last measurement may be newer than the form).
    settings.clock = state.settings().clock;
    // Only a verified export records a backup; the settings form cannot change or forget it.
    settings.last_verified_backup = state.settings().last_verified_backup;
    settings.desktop = state.settings().desktop;
    if let Ok(policy) = state.policy() {
        crate::org_policy::apply(&mut settings, policy);
    }
    settings.save(&state.settings_path)?;
    *state.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
    Ok(())
}
