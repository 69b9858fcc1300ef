//! Tessera's desktop shell: Tauri commands that parse arguments, call `tessera-core` and map errors to
//! sentences. State lives in [`state::AppState`]; the UI reaches it only through `ui/src/lib/api.ts`.

pub mod autolock;
pub mod clipboard;
pub mod clock_settings;
pub mod commands;
pub mod convert;
pub mod desktop;
pub mod desktop_settings;
pub mod drafts;
pub mod dto;
pub mod ipc_error;
pub mod kdf_consent;
pub mod native_dialogs;
pub mod org_policy;
pub mod os_lock;
pub mod plain;
pub mod rollback;
pub mod session;
pub mod settings;
pub mod state;

use state::{AppState, Options};

/// Registers state and commands on any runtime (the real one, or `tauri::test::mock_builder()`).
pub fn configure_with<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    options: Options,
) -> tauri::Builder<R> {
    use commands::*;
    builder
        .manage(AppState::new(options))
        .manage(commands::transfer::TransferState::default())
        .manage(native_dialogs::Dialogs::default())
        .manage(crate::desktop::QuickTrace::default())
        .invoke_handler(tauri::generate_handler![
            vault::vault_status,
            vault::create_vault,
            vault::unlock_vault,
            vault::lock_vault,
            vault::set_password,
            vault::vault_password_problem,
            lock::report_activity,
            protection::set_protection,
            protection::set_pin,
            protection::clear_pin,
            protection::unlock_with_pin,
            protection::purge_account,
            protection::empty_trash,
            protection::trash_keep_days,
            protection::set_trash_keep_days,
            codes::list_accounts,
            codes::current_codes,
            codes::copy_code,
            add::check_manual,
            add::stage_manual,
            add::parse_text,
            add::scan_image,
            add::scan_clipboard_image,
            add::scan_frame,
            add::draft_preview,
            add::discard_drafts,
            add::check_conflicts,
            add::add_account,
            accounts::edit_account,
            accounts::delete_account,
            accounts::list_trash,
            accounts::restore_account,
            accounts::reorder_accounts,
            preferences::get_settings,
            preferences::save_settings,
            clock::clock_status,
            clock::check_clock,
            clock::save_clock_settings,
            clock::set_clock_correction,
            clock::apply_clock_offset,
            clock::clock_offset_from_code,
            clock::clock_offset_from_time,
            recovery::recovery_info,
            recovery::parse_recovery_codes,
            recovery::store_recovery_codes,
            recovery::reveal_recovery_codes,
            recovery::hide_recovery_codes,
            recovery::copy_recovery_code,
            recovery::mark_recovery_code_used,
            recovery::unmark_recovery_code_used,
            rekey::account_details,
            rekey::replace_key,
            rekey::confirm_key,
            rekey::revert_key,
            phone::show_for_phone,
            transfer::import_formats,
            transfer::import_load,
            transfer::import_preview,
            transfer::import_commit,
            transfer::import_cancel,
            transfer::backup_password_problem,
            transfer::export_vault,
            startup::start_session,
            favourites::set_favourite,
            favourites::quick_find,
            favourites::quick_copy,
            favourites::hide_quick,
            favourites::show_main,
            favourites::quick_ready,
            favourites::refresh_tray,
            commands::desktop::get_desktop_settings,
            commands::desktop::save_desktop_settings,
            org_policy::policy_status,
            org_policy::unlock_and_set_password,
            backups::backup_status,
            backups::backup_turn_on,
            backups::backup_turn_off,
            backups::backup_now,
            backups::backup_test_restore,
            backups::emergency_sheet,
        ])
}

/// [`configure_with`] the vault the CLI uses (`$TESSERA_VAULT` or the OS data directory).
pub fn configure<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let options = Options::from_env().unwrap_or_else(|e| {
        eprintln!("tessera: {e}");
        std::process::exit(2)
    });
    configure_with(builder, options)
}

/// What runs beside the commands once the app exists: every lock is announced to the windows
/// ([`state::LOCKED_EVENT`]), the Rust auto-lock deadline, and locking on the OS's sleep and screen
/// lock signals (`buses`). Tests call it on the mock runtime with a short `max_sleep` and private buses.
pub fn start_background<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    buses: &os_lock::Buses,
    max_sleep: std::time::Duration,
) {
    use tauri::{Emitter, Manager};
    let state = app.state::<AppState>();
    let emitter = app.clone();
    state.set_on_lock(move |reason| {
        let _ = emitter.emit(state::LOCKED_EVENT, reason.as_str());
    });
    autolock::spawn(app.clone(), max_sleep);
    let locker = app.clone();
    for problem in os_lock::watch(buses, move |reason| {
        locker.state::<AppState>().lock(reason);
    }) {
        eprintln!("tessera: not locking on the OS lock signal from {problem}");
    }
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    // No core file, and (Linux) no ptrace or /proc/<pid>/mem reads by other processes of the same
    // user (review #27). The WebKit processes are started with exec, which resets the flag for them.
    tessera_core::hardening::deny_core_dumps();
    // The system folder picker and Save dialog (Settings → Backups, from the UI), and Export's Save
    // dialog and warnings (from Rust, native_dialogs.rs).
    let builder = desktop_plugins(tauri::Builder::default()).plugin(tauri_plugin_dialog::init());
    configure(builder)
        .setup(|app| {
            enable_mock_camera_for_tests(app);
            // Export's Save dialog and warnings are opened by Rust (review #20).
            tauri::Manager::state::<native_dialogs::Dialogs>(app)
                .set(native_dialogs::for_app(app.handle()));
            if let Some(w) = tauri::Manager::get_webview_window(app, "main") {
                desktop::render::software_compositing(&w);
            }
            #[cfg(desktop)]
            desktop_setup(app)?;
            protect_window_content(app);
            start_background(
                app.handle(),
                &os_lock::Buses::desktop(),
                autolock::MAX_SLEEP,
            );
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while building Tessera")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager;
                // Quit forgets everything, and takes our code off the clipboard.
                app.state::<AppState>().lock(state::LockReason::Quit);
            }
        });
}

/// One running copy (a second launch shows the first one's window), the global shortcut and start at
/// login. The single-instance plugin must come first.
fn desktop_plugins(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    #[cfg(desktop)]
    let builder = builder
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            desktop::show_main(app);
        }))
        .plugin(desktop::shortcut::plugin())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .on_window_event(|window, event| {
            use tauri::Manager;
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let app = window.app_handle();
                let to_tray = window.label() == desktop::QUICK
                    || (app.tray_by_id(desktop::tray::TRAY_ID).is_some()
                        && app.state::<AppState>().settings().desktop.close_to_tray);
                if to_tray {
                    api.prevent_close();
                    let _ = window.hide();
                    desktop::tray::refresh(app);
                }
            }
        });
    builder
}

/// Tray icon, shortcut, start hidden.
#[cfg(desktop)]
fn desktop_setup(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    use tauri::Manager;
    let handle = app.handle().clone();
    let prefs = app.state::<AppState>().settings().desktop;
    // No tray on a desktop without a status area is not a reason to fail; closing then quits.
    if let Err(e) = desktop::tray::create(&handle) {
        eprintln!("tessera: no tray icon ({e})");
    }
    app.manage(desktop::shortcut::ShortcutStatus::default());
    if let Err(e) = desktop::shortcut::apply(&handle, &prefs.shortcut) {
        eprintln!("tessera: {e}");
    }
    if prefs.start_hidden && app.tray_by_id(desktop::tray::TRAY_ID).is_some() {
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.hide();
        }
    }
    Ok(())
}

/// Keeps codes out of screen shares and screenshots where the platform can (Windows, macOS; release
/// builds, so tests can still take screenshots). X11 and Wayland have no such switch; Settings says so.
#[allow(unused_variables)]
fn protect_window_content(app: &mut tauri::App) {
    #[cfg(all(not(debug_assertions), any(target_os = "windows", target_os = "macos")))]
    {
        use tauri::Manager;
        for window in app.webview_windows().values() {
            let _ = window.set_content_protected(true);
        }
    }
}

/// End-to-end tests have no webcam: `TESSERA_MOCK_CAMERA=1` switches on WebKit's fake capture device.
/// Debug builds only, so a release can never show a fake camera.
#[allow(unused_variables)]
fn enable_mock_camera_for_tests(app: &mut tauri::App) {
    #[cfg(all(debug_assertions, target_os = "linux"))]
    if std::env::var_os("TESSERA_MOCK_CAMERA").is_some_and(|v| v == "1") {
        use tauri::Manager;
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.with_webview(|wv| {
                use webkit2gtk::{SettingsExt, WebViewExt};
                if let Some(settings) = WebViewExt::settings(&wv.inner()) {
                    settings.set_enable_mock_capture_devices(true);
                }
            });
        }
    }
}
