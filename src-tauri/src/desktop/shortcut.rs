//! The global quick-copy shortcut (default Ctrl+Alt+O), registered with the global-shortcut plugin.
//! When another program holds the keys, registering fails and Settings shows why.

use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

/// What is registered now, or why the wanted shortcut is not.
#[derive(Default)]
pub struct ShortcutStatus(pub Mutex<(Option<String>, Option<String>)>);

pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state() == ShortcutState::Pressed {
                super::quick::open(app);
            }
        })
        .build()
}

/// Replaces the registered shortcut with `wanted` ("" = none). Err is a sentence for Settings.
pub fn apply<R: Runtime>(app: &AppHandle<R>, wanted: &str) -> Result<(), String> {
    let Some(status) = app.try_state::<ShortcutStatus>() else {
        return Ok(()); // no desktop shell (tests)
    };
    let gs = app.global_shortcut();
    let mut st = status.0.lock().unwrap_or_else(|p| p.into_inner());
    if st.0.as_deref() == Some(wanted) && st.1.is_none() {
        return Ok(());
    }
    if let Some(old) = st.0.take() {
        if let Ok(s) = old.parse::<Shortcut>() {
            let _ = gs.unregister(s);
        }
    }
    st.1 = None;
    if wanted.is_empty() {
        return Ok(());
    }
    let result = wanted
        .parse::<Shortcut>()
        .map_err(|e| format!("{wanted} is not a shortcut Tessera understands ({e}); write it like Ctrl+Alt+O"))
        .and_then(|s| {
            gs.register(s).map_err(|_| {
                format!("{wanted} is already used by another program, so quick copy cannot use it. Choose another shortcut.")
            })
        });
    match result {
        Ok(()) => {
            st.0 = Some(wanted.to_string());
            Ok(())
        }
        Err(e) => {
            st.1 = Some(e.clone());
            Err(e)
        }
    }
}

/// The last registration problem, if any (shown in Settings).
pub fn problem<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    app.try_state::<ShortcutStatus>()
        .and_then(|s| s.0.lock().unwrap_or_else(|p| p.into_inner()).1.clone())
}
