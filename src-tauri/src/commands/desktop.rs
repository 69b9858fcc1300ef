//! Settings → "Tray and quick copy": close to tray, start at login, start hidden, the shortcut.

use super::CmdResult;
use crate::desktop_settings::DesktopSettings;
use crate::state::AppState;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DesktopAnswer {
    pub settings: DesktopSettings,
    /// Why the shortcut is not active (another program holds it), if so.
    pub shortcut_problem: Option<String>,
}

#[tauri::command]
pub fn get_desktop_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> DesktopAnswer {
    DesktopAnswer {
        settings: state.settings().desktop,
        shortcut_problem: shortcut_problem(&app),
    }
}

/// Saves and applies. A shortcut another program holds is refused with a sentence, and the previous
/// one stays active.
#[tauri::command]
pub fn save_desktop_settings<R: Runtime>(
    mut desktop: DesktopSettings,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<DesktopAnswer> {
    desktop.shortcut = desktop.normalised_shortcut()?;
    let mut settings = state.settings();
    let previous = settings.desktop.clone();
    if desktop.shortcut != previous.shortcut {
        if let Err(e) = apply_shortcut(&app, &desktop.shortcut) {
            let _ = apply_shortcut(&app, &previous.shortcut);
            return Err(e.into());
        }
    }
    if desktop.start_at_login != previous.start_at_login {
        set_autostart(&app, desktop.start_at_login)?;
    }
    settings.desktop = desktop;
    settings.save(&state.settings_path)?;
    *state.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings.clone();
    Ok(DesktopAnswer {
        settings: settings.desktop,
        shortcut_problem: shortcut_problem(&app),
    })
}

#[cfg(desktop)]
fn apply_shortcut<R: Runtime>(app: &AppHandle<R>, s: &str) -> Result<(), String> {
    crate::desktop::shortcut::apply(app, s)
}
#[cfg(not(desktop))]
fn apply_shortcut<R: Runtime>(_: &AppHandle<R>, _: &str) -> Result<(), String> {
    Ok(())
}

#[cfg(desktop)]
fn shortcut_problem<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    crate::desktop::shortcut::problem(app)
}
#[cfg(not(desktop))]
fn shortcut_problem<R: Runtime>(_: &AppHandle<R>) -> Option<String> {
    None
}

#[cfg(desktop)]
fn set_autostart<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<(), String> {
    use tauri::Manager;
    let Some(launcher) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return Ok(()); // not started as the desktop app (tests)
    };
    let r = if on {
        launcher.enable()
    } else {
        launcher.disable()
    };
    r.map_err(|e| format!("could not change start at login ({e})"))
}
#[cfg(not(desktop))]
fn set_autostart<R: Runtime>(_: &AppHandle<R>, _: bool) -> Result<(), String> {
    Ok(())
}
