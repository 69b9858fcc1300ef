//! Desktop-only parts of the shell: tray icon, global quick-copy shortcut and its window, start at
//! login, one running copy, close to tray. The functions at this level exist on every platform (the
//! commands call them) and do nothing where there is no desktop.

use std::sync::Mutex;
use std::time::Instant;
use tauri::{AppHandle, Emitter, Manager, Runtime};

#[cfg(desktop)]
pub mod quick;
pub mod render;
#[cfg(desktop)]
pub mod shortcut;
#[cfg(desktop)]
pub mod tray;

/// Label of the quick-copy window.
pub const QUICK: &str = "quick";
/// Sent to every window when the vault was opened, locked or changed outside the UI (tray, CLI).
pub const VAULT_CHANGED: &str = "vault-changed";

/// When the shortcut was last pressed, to measure "shortcut → ready for typing".
#[derive(Default)]
pub struct QuickTrace(pub Mutex<Option<Instant>>);

/// After the vault was opened, locked or changed: the tray menu follows and the windows reload.
pub fn vault_changed<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(desktop)]
    tray::refresh(app);
    let _ = app.emit(VAULT_CHANGED, ());
}

/// After a change only the tray menu shows (a favourite marked in this window).
pub fn refresh_tray<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(desktop)]
    tray::refresh(app);
    #[cfg(not(desktop))]
    let _ = app;
}

pub fn hide_quick<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(QUICK) {
        let _ = w.hide();
    }
}

pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// The quick-copy window reports its search box focused: with `TESSERA_QUICK_TRACE=<file>` the time
/// since the shortcut is appended to that file (milliseconds), for the benchmark and end-to-end test.
pub fn quick_ready<R: Runtime>(app: &AppHandle<R>) {
    let Some(trace) = app.try_state::<QuickTrace>() else {
        return;
    };
    let Some(pressed) = trace.0.lock().unwrap_or_else(|p| p.into_inner()).take() else {
        return;
    };
    if let Some(file) = std::env::var_os("TESSERA_QUICK_TRACE") {
        use std::io::Write;
        let ms = pressed.elapsed().as_secs_f64() * 1000.0;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
        {
            let _ = writeln!(f, "{ms:.1}");
        }
    }
}
