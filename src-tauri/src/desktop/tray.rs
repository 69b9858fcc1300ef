//! The tray icon: show/hide, the favourites (click copies the code; the menu names issuer and
//! environment and never shows a code), Lock, Quit.

use crate::state::AppState;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};
use tessera_core::vault::Account;

pub const TRAY_ID: &str = "tessera";
const FAV_PREFIX: &str = "fav:";

/// What a favourite's menu item says: "NHS Spine · Live — alice". Never the code.
pub fn favourite_label(a: &Account) -> String {
    let mut s = if a.issuer.is_empty() {
        "Unnamed account".to_string()
    } else {
        a.issuer.clone()
    };
    let env = a.environment.label();
    if !env.is_empty() {
        s.push_str(" · ");
        s.push_str(env);
    }
    if !a.account.is_empty() {
        s.push_str(" — ");
        s.push_str(&a.account);
    }
    s
}

/// The menu as (id, text, enabled) rows, separators as ("-", "", false): what `refresh` builds,
/// testable without a tray.
pub fn menu_entries(state: &AppState, window_visible: bool) -> Vec<(String, String, bool)> {
    let mut rows = vec![(
        "toggle".to_string(),
        if window_visible {
            "Hide Tessera"
        } else {
            "Show Tessera"
        }
        .to_string(),
        true,
    )];
    rows.push(("-".into(), String::new(), false));
    let favourites = state.with_vault(|v| {
        Ok(v.favourites()
            .into_iter()
            .map(|a| {
                (
                    format!("{FAV_PREFIX}{}", a.id),
                    format!("Copy code: {}", favourite_label(a)),
                    true,
                )
            })
            .collect::<Vec<_>>())
    });
    match favourites {
        Ok(f) if f.is_empty() => rows.push((
            "nofav".into(),
            "No favourites yet (mark them with ☆ on the codes screen)".into(),
            false,
        )),
        Ok(f) => rows.extend(f),
        Err(_) => rows.push((
            "unlock".into(),
            "Unlock Tessera to copy favourites…".into(),
            true,
        )),
    }
    rows.push(("-".into(), String::new(), false));
    let locked = !state.is_unlocked();
    rows.push(("lock".into(), "Lock".into(), !locked));
    rows.push(("quit".into(), "Quit Tessera".into(), true));
    rows
}

fn build_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let visible = app
        .get_webview_window("main")
        .and_then(|w| w.is_visible().ok())
        .unwrap_or(false);
    let menu = Menu::new(app)?;
    for (id, text, enabled) in menu_entries(&app.state::<AppState>(), visible) {
        if id == "-" {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
        } else {
            menu.append(&MenuItem::with_id(app, id, text, enabled, None::<&str>)?)?;
        }
    }
    Ok(menu)
}

/// Creates the tray icon (desktop start-up only; tests have no tray).
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Tessera")
        .menu(&build_menu(app)?)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| handle(app, event.id().as_ref()));
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Rebuilds the menu (favourites, lock state, show/hide); nothing when there is no tray.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        if let Ok(menu) = build_menu(app) {
            let _ = tray.set_menu(Some(menu));
        }
    }
}

/// What a menu click does.
pub fn handle<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id {
        "toggle" => {
            if let Some(w) = app.get_webview_window("main") {
                if w.is_visible().unwrap_or(false) {
                    let _ = w.hide();
                } else {
                    super::show_main(app);
                }
            }
            refresh(app);
        }
        "unlock" => super::show_main(app),
        "lock" => {
            app.state::<crate::state::AppState>()
                .lock(crate::state::LockReason::Manual);
            super::hide_quick(app);
            super::vault_changed(app);
        }
        "quit" => app.exit(0),
        other => {
            if let Some(id) = other.strip_prefix(FAV_PREFIX) {
                let _ = copy_favourite(app, id);
            }
        }
    }
}

/// Copies a favourite's code through the auto-clearing clipboard.
pub fn copy_favourite<R: Runtime>(app: &AppHandle<R>, id: &str) -> crate::commands::CmdResult<u32> {
    let id = crate::convert::parse_id(id)?;
    crate::commands::codes::copy_account_code(&app.state::<AppState>(), id)
}
