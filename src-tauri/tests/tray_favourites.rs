//! Favourites, the tray menu, quick copy, the start-up answer and the desktop settings, through the
//! shell's IPC on the mock runtime (no tray or shortcut exists there: the menu is checked through
//! `menu_entries`, which is what the tray is built from).

mod common;

use common::{code_for, TestApp};
use serde_json::{json, Value};
use tauri::Manager;
use tessera_app::clipboard::Clipboard;
use tessera_app::state::AppState;
use tessera_core::time::now_unix;

const LIVE_KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SANDPIT_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn twins(app: &TestApp) -> (String, String, String) {
    let mut ids = vec![];
    for (issuer, account, key, env) in [
        ("NHS Spine", "alice", LIVE_KEY, "live"),
        ("NHS Spine", "alice", SANDPIT_KEY, "sandpit"),
        ("GitHub", "carol", LIVE_KEY, "none"),
    ] {
        let out = app.add_by_key(issuer, account, key, json!({ "kind": env }), "keepBoth");
        assert_eq!(out["status"], "added", "{out}");
        ids.push(out["id"].as_str().unwrap().to_string());
    }
    (ids[0].clone(), ids[1].clone(), ids[2].clone())
}

fn menu(app: &TestApp) -> Vec<(String, String, bool)> {
    tessera_app::desktop::tray::menu_entries(&app.app.state::<AppState>(), true)
}

#[test]
fn favourites_are_saved_listed_and_named_in_the_tray_menu_without_codes() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let (_live, sandpit, _gh) = twins(&app);

    let m = menu(&app);
    assert!(
        m.iter().any(|(id, _, enabled)| id == "nofav" && !enabled),
        "{m:?}"
    );

    app.ok("set_favourite", json!({ "id": sandpit, "favourite": true }));
    let list = app.accounts();
    let fav: Vec<&Value> = list.iter().filter(|a| a["favourite"] == true).collect();
    assert_eq!(fav.len(), 1);
    assert_eq!(fav[0]["id"], sandpit.as_str());

    let m = menu(&app);
    let labels: Vec<&str> = m.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(labels[0], "Hide Tessera");
    assert!(
        labels.contains(&"Copy code: NHS Spine · Sandpit — alice"),
        "{labels:?}"
    );
    assert!(labels.contains(&"Lock") && labels.contains(&"Quit Tessera"));
    // The menu never shows a code: no row holds six digits in a row.
    let code = code_for(SANDPIT_KEY, now_unix());
    for (_, t, _) in &m {
        assert!(!t.contains(&code), "{t}");
        assert!(t.chars().filter(char::is_ascii_digit).count() < 6, "{t}");
    }

    // The menu item copies the code through the same clipboard.
    let handle = app.app.handle().clone();
    let seconds = tessera_app::desktop::tray::copy_favourite(&handle, &sandpit).unwrap();
    assert_eq!(seconds, 30);
    let copied = app.clipboard.get_text().unwrap();
    let now = now_unix();
    assert!(
        copied == code_for(SANDPIT_KEY, now) || copied == code_for(SANDPIT_KEY, now - 1),
        "copied {copied}"
    );

    // The flag survives locking and a fresh unlock from the file.
    app.ok("lock_vault", json!({}));
    let m = menu(&app);
    assert!(
        m.iter().any(|(id, _, enabled)| id == "unlock" && *enabled),
        "{m:?}"
    );
    assert!(m.iter().any(|(id, _, enabled)| id == "lock" && !enabled));
    assert!(tessera_app::desktop::tray::copy_favourite(&handle, &sandpit).is_err());
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    assert!(app
        .accounts()
        .iter()
        .any(|a| a["id"] == sandpit.as_str() && a["favourite"] == true));

    app.ok(
        "set_favourite",
        json!({ "id": sandpit, "favourite": false }),
    );
    assert!(app.accounts().iter().all(|a| a["favourite"] == false));
    let err = app
        .call(
            "set_favourite",
            json!({ "id": uuid::Uuid::new_v4().to_string(), "favourite": true }),
        )
        .unwrap_err();
    assert!(!err.is_empty());
}

#[test]
fn quick_find_uses_the_core_rule_and_quick_copy_copies() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let (live, _sandpit, gh) = twins(&app);
    app.ok("set_favourite", json!({ "id": gh, "favourite": true }));

    let found = app.ok("quick_find", json!({ "query": "spi li" }));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["id"], live.as_str());
    assert_eq!(found[0]["environment"], json!({ "kind": "live" }));
    assert!(found[0].get("code").is_none() && found[0].get("current").is_none());

    // Everything, favourites first.
    let all = app.ok("quick_find", json!({ "query": "" }));
    assert_eq!(all[0]["id"], gh.as_str());
    assert_eq!(all.as_array().unwrap().len(), 3);

    let seconds = app.ok("quick_copy", json!({ "id": live }));
    assert_eq!(seconds, 30);
    let now = now_unix();
    let copied = app.clipboard.get_text().unwrap();
    assert!(copied == code_for(LIVE_KEY, now) || copied == code_for(LIVE_KEY, now - 1));

    app.ok("lock_vault", json!({}));
    let err = app
        .call("quick_find", json!({ "query": "spi" }))
        .unwrap_err();
    assert!(err.contains("locked"), "{err}");
}

#[test]
fn start_answer_carries_state_settings_and_first_codes() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    let a = app.ok("start_session", json!({}));
    assert_eq!(a["status"]["state"], "absent");
    assert!(a["accounts"].is_null() && a["codes"].is_null());
    assert_eq!(a["settings"]["clipboardSeconds"], 30);

    app.ok("create_vault", json!({ "password": "correct horse" }));
    twins(&app);
    let a = app.ok("start_session", json!({}));
    assert_eq!(a["status"]["state"], "unlocked");
    assert_eq!(a["accounts"].as_array().unwrap().len(), 3);
    let codes = a["codes"]["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 3);
    let now = now_unix();
    let first = codes[0]["current"].as_str().unwrap();
    assert!(first == code_for(LIVE_KEY, now) || first == code_for(LIVE_KEY, now - 1));

    // A password vault stays locked at start: the unlock screen asks.
    app.ok("lock_vault", json!({}));
    let a = app.ok("start_session", json!({}));
    assert_eq!(a["status"]["state"], "locked");
    assert_eq!(a["status"]["hasPassword"], true);
    assert!(a["codes"].is_null());
}

#[test]
fn desktop_settings_default_save_and_refuse_a_bad_shortcut() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let a = app.ok("get_desktop_settings", json!({}));
    assert_eq!(
        a["settings"],
        json!({ "closeToTray": true, "startAtLogin": false, "startHidden": false, "shortcut": "Ctrl+Alt+O" })
    );
    let saved = app.ok(
        "save_desktop_settings",
        json!({ "desktop": { "closeToTray": false, "startAtLogin": false, "startHidden": true, "shortcut": " Ctrl + Shift + K " } }),
    );
    assert_eq!(saved["settings"]["shortcut"], "Ctrl+Shift+K");
    // The general settings form does not wipe them.
    let general = app.ok("get_settings", json!({}));
    app.ok("save_settings", json!({ "settings": general }));
    let again = app.ok("get_desktop_settings", json!({}));
    assert_eq!(again["settings"]["startHidden"], true);
    assert_eq!(again["settings"]["closeToTray"], false);
    let err = app
        .call(
            "save_desktop_settings",
            json!({ "desktop": { "closeToTray": true, "startAtLogin": false, "startHidden": false, "shortcut": "K" } }),
        )
        .unwrap_err();
    assert!(err.contains("Ctrl, Alt, Shift or Super"), "{err}");
    // Read back from the file by a fresh shell.
    drop(app);
    let app = TestApp::start(dir.path());
    assert_eq!(
        app.ok("get_desktop_settings", json!({}))["settings"]["shortcut"],
        "Ctrl+Shift+K"
    );
}

#[test]
fn a_change_made_by_the_cli_is_picked_up_and_the_next_save_works() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    twins(&app);
    // "The CLI": another process opens the same file, adds an account and saves.
    let path = dir.path().join("vault.tessera");
    let mut cli = tessera_core::vault::Vault::open(
        &path,
        tessera_core::vault::Unlock::Password(tessera_core::vault::Password::new("correct horse")),
    )
    .unwrap();
    cli.add(
        tessera_core::vault::NewAccount {
            issuer: "EPR".into(),
            account: "bob".into(),
            environment: tessera_core::vault::Environment::Live,
            secret: tessera_core::Secret::parse_base32(LIVE_KEY).unwrap().0,
            params: tessera_core::OtpParams::totp(),
            note: String::new(),
        },
        tessera_core::vault::DuplicatePolicy::Refuse,
    )
    .unwrap();
    cli.save().unwrap();
    drop(cli);
    // The app sees it, and its own next change saves instead of failing.
    assert_eq!(app.accounts().len(), 4);
    let epr = app.accounts()[3]["id"].as_str().unwrap().to_string();
    app.ok("set_favourite", json!({ "id": epr, "favourite": true }));
    let reopened = tessera_core::vault::Vault::open(
        &path,
        tessera_core::vault::Unlock::Password(tessera_core::vault::Password::new("correct horse")),
    )
    .unwrap();
    assert_eq!(reopened.favourites().len(), 1);
}
