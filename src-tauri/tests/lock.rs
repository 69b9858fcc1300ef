//! Lock means locked: after a lock (by the person, the Rust deadline or the OS), every command that
//! needs a secret is refused, and nothing from before the lock (drafts, a pending import, revealed
//! recovery codes, the clipboard) survives into the next unlock.

mod common;

use common::{manual, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tauri::{Listener, Manager};
use tessera_app::clipboard::Clipboard;
use tessera_app::state::{AppState, LOCKED};

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const URI: &str =
    "otpauth://totp/Ward:nurse%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Ward";

fn unlocked(dir: &std::path::Path) -> TestApp {
    TestApp::with_password(dir)
}

fn unlock(app: &TestApp) {
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
}

fn load_uri_list(app: &TestApp) -> Result<Value, String> {
    app.raw(
        "import_load",
        format!("{URI}\n").into_bytes(),
        &[("x-file-name", "codes.txt".into())],
    )
}

#[test]
fn a_previewed_import_cannot_be_committed_after_lock_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    load_uri_list(&app).unwrap();
    let preview = app.ok(
        "import_preview",
        json!({ "format": null, "password": null }),
    );
    assert_eq!(preview["entries"].as_array().unwrap().len(), 1, "{preview}");

    app.ok("lock_vault", json!({}));
    unlock(&app);
    let choices = json!([{ "index": 0, "import": true, "onDuplicate": "skip",
                           "environment": { "kind": "live" } }]);
    let err = app
        .call("import_commit", json!({ "choices": choices }))
        .unwrap_err();
    assert_eq!(err, "preview the file before importing it");
    assert!(app.accounts().is_empty());
    // Not even the file is left to preview again.
    let err = app
        .call(
            "import_preview",
            json!({ "format": null, "password": null }),
        )
        .unwrap_err();
    assert_eq!(err, "choose a file to import first");
}

#[test]
fn drafts_and_reveals_do_not_survive_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": manual("Ward", "n", KEY) }),
    );
    let added = app.add_by_key("Lab", "n", KEY, json!({ "kind": "live" }), "refuse");
    let id = added["id"].as_str().unwrap().to_string();
    app.ok(
        "store_recovery_codes",
        json!({ "id": id, "text": "aaaa-bbbb\ncccc-dddd", "mode": "refuse" }),
    );
    app.ok(
        "reveal_recovery_codes",
        json!({ "id": id, "password": "correct horse" }),
    );
    app.ok("copy_recovery_code", json!({ "id": id, "index": 0 }));

    app.ok("lock_vault", json!({}));
    unlock(&app);
    let err = app
        .call("draft_preview", json!({ "draftId": draft["draftId"] }))
        .unwrap_err();
    assert!(!err.contains("locked"), "{err}");
    let err = app
        .call("copy_recovery_code", json!({ "id": id, "index": 0 }))
        .unwrap_err();
    assert!(err.contains("show the recovery codes again"), "{err}");
}

#[test]
fn locking_clears_the_clipboard_only_if_it_holds_our_code() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    let added = app.add_by_key("Lab", "n", KEY, json!({ "kind": "live" }), "refuse");
    app.ok("copy_code", json!({ "id": added["id"] }));
    assert!(app.clipboard.get_text().is_some());
    app.ok("lock_vault", json!({}));
    assert_eq!(app.clipboard.get_text(), None);

    unlock(&app);
    app.ok("copy_code", json!({ "id": added["id"] }));
    app.clipboard.set_text("a ward phone number").unwrap();
    app.ok("lock_vault", json!({}));
    assert_eq!(
        app.clipboard.get_text().as_deref(),
        Some("a ward phone number")
    );
}

#[test]
fn settings_cannot_be_changed_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    let mut settings = app.ok("get_settings", json!({}));
    settings["autoLockMinutes"] = json!(0);
    app.ok("lock_vault", json!({}));
    assert_eq!(
        app.call("save_settings", json!({ "settings": settings.clone() }))
            .unwrap_err(),
        LOCKED
    );
    assert_eq!(app.ok("get_settings", json!({}))["autoLockMinutes"], 5);
    unlock(&app);
    app.ok("save_settings", json!({ "settings": settings }));
    assert_eq!(app.ok("get_settings", json!({}))["autoLockMinutes"], 0);
}

#[test]
fn a_hand_edited_settings_file_falls_back_to_safe_values() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app-settings.json"),
        r#"{"autoLockMinutes": 999999, "clipboardSeconds": 5, "theme": "neon"}"#,
    )
    .unwrap();
    let app = TestApp::start(dir.path());
    let s = app.ok("get_settings", json!({}));
    assert_eq!(s["autoLockMinutes"], 5);
    assert_eq!(s["clipboardSeconds"], 5);
    assert_eq!(s["theme"], "system");
}

/// The Rust deadline: past it, the next command finds the vault locked, and activity reported too
/// late does not reopen it.
#[test]
fn the_deadline_locks_without_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    let state = app.app.state::<AppState>();
    // Within the 5 minutes, activity moves the deadline on.
    state.backdate_activity(Duration::from_secs(4 * 60));
    app.ok("report_activity", json!({}));
    assert!(!state.lock_if_idle(Instant::now() + Duration::from_secs(4 * 60)));
    assert!(state.lock_if_idle(Instant::now() + Duration::from_secs(5 * 60 + 1)));
    assert_eq!(app.call("list_accounts", json!({})).unwrap_err(), LOCKED);

    unlock(&app);
    state.backdate_activity(Duration::from_secs(5 * 60 + 1));
    app.ok("report_activity", json!({}));
    assert_eq!(app.call("list_accounts", json!({})).unwrap_err(), LOCKED);
    assert_eq!(app.ok("vault_status", json!({}))["state"], "locked");
}

/// The background thread locks on its own and tells the windows.
#[test]
fn the_deadline_thread_locks_and_emits_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    let (tx, rx) = std::sync::mpsc::channel();
    app.app.listen_any("tessera://locked", move |event| {
        let _ = tx.send(event.payload().to_string());
    });
    tessera_app::start_background(
        app.app.handle(),
        &Default::default(),
        Duration::from_millis(20),
    );
    let state = app.app.state::<AppState>();
    std::thread::sleep(Duration::from_millis(60));
    assert!(state.is_unlocked(), "locked before the deadline");
    state.backdate_activity(Duration::from_secs(5 * 60 + 1));
    let reason = rx.recv_timeout(Duration::from_secs(5)).expect("no event");
    assert_eq!(reason, "\"idle\"");
    assert!(!state.is_unlocked());
}

/// How each command behaves while locked. `Secret` commands must answer exactly [`LOCKED`] (kind
/// `locked`, so the UI goes to the lock screen; the locked sentence) with the
/// arguments given here (valid enough to get past parsing); `Open` ones need no secret.
enum Expect {
    Secret(Value),
    SecretRaw(Vec<u8>, Vec<(&'static str, String)>),
    Open,
}

fn table(id: &str, png: Vec<u8>) -> Vec<(&'static str, Expect)> {
    use Expect::*;
    let env = json!({ "kind": "live" });
    vec![
        ("vault_status", Open),
        ("create_vault", Open),
        ("unlock_vault", Open),
        ("lock_vault", Open),
        (
            "set_password",
            Secret(json!({ "current": "correct horse", "password": "a new one, long enough" })),
        ),
        ("report_activity", Open),
        ("vault_password_problem", Open),
        (
            "set_protection",
            Secret(json!({ "level": "password", "password": null, "current": "correct horse" })),
        ),
        ("set_pin", Secret(json!({ "pin": "246810" }))),
        ("clear_pin", Open),
        ("unlock_with_pin", Open),
        ("purge_account", Secret(json!({ "id": id }))),
        ("empty_trash", Secret(json!({}))),
        ("trash_keep_days", Secret(json!({}))),
        ("set_trash_keep_days", Secret(json!({ "days": 7 }))),
        ("list_accounts", Secret(json!({}))),
        ("current_codes", Secret(json!({}))),
        ("copy_code", Secret(json!({ "id": id }))),
        ("check_manual", Open),
        (
            "stage_manual",
            Secret(json!({ "fields": manual("Ward", "n", KEY) })),
        ),
        ("parse_text", Secret(json!({ "text": URI }))),
        ("scan_image", SecretRaw(png, vec![])),
        ("scan_clipboard_image", Secret(json!({}))),
        (
            "scan_frame",
            SecretRaw(
                vec![0u8; 64],
                vec![
                    ("x-frame-width", "8".into()),
                    ("x-frame-height", "8".into()),
                ],
            ),
        ),
        ("draft_preview", Secret(json!({ "draftId": "1" }))),
        (
            "check_conflicts",
            Secret(json!({ "issuer": "Lab", "account": "n", "environment": env })),
        ),
        ("discard_drafts", Open),
        (
            "add_account",
            Secret(
                json!({ "request": { "draftId": "1", "issuer": "Ward", "account": "n",
                                        "environment": env, "note": "", "policy": "refuse" } }),
            ),
        ),
        (
            "edit_account",
            Secret(
                json!({ "id": id, "edit": { "issuer": "Ward", "account": "n",
                                               "environment": env, "note": "" } }),
            ),
        ),
        ("delete_account", Secret(json!({ "id": id }))),
        ("list_trash", Secret(json!({}))),
        ("restore_account", Secret(json!({ "id": id }))),
        ("reorder_accounts", Secret(json!({ "ids": [id] }))),
        ("get_settings", Open),
        (
            "save_settings",
            Secret(json!({ "settings": { "autoLockMinutes": 0 } })),
        ),
        ("clock_status", Open),
        ("check_clock", Open),
        ("save_clock_settings", Open),
        ("set_clock_correction", Open),
        ("apply_clock_offset", Open),
        (
            "clock_offset_from_code",
            Secret(json!({ "id": id, "code": "123456" })),
        ),
        ("clock_offset_from_time", Open),
        ("recovery_info", Secret(json!({ "id": id }))),
        ("parse_recovery_codes", Open),
        (
            "store_recovery_codes",
            Secret(json!({ "id": id, "text": "aaaa-bbbb", "mode": "append" })),
        ),
        (
            "reveal_recovery_codes",
            Secret(json!({ "id": id, "password": "correct horse" })),
        ),
        ("hide_recovery_codes", Open),
        (
            "copy_recovery_code",
            Secret(json!({ "id": id, "index": 0 })),
        ),
        (
            "mark_recovery_code_used",
            Secret(json!({ "id": id, "index": 0 })),
        ),
        (
            "unmark_recovery_code_used",
            Secret(json!({ "id": id, "index": 0 })),
        ),
        ("account_details", Secret(json!({ "id": id }))),
        ("replace_key", Secret(json!({ "id": id, "draftId": "1" }))),
        ("confirm_key", Secret(json!({ "id": id }))),
        ("revert_key", Secret(json!({ "id": id }))),
        (
            "show_for_phone",
            Secret(json!({ "id": id, "password": "correct horse" })),
        ),
        ("import_formats", Open),
        (
            "import_load",
            SecretRaw(
                format!("{URI}\n").into_bytes(),
                vec![("x-file-name", "codes.txt".into())],
            ),
        ),
        (
            "import_preview",
            Secret(json!({ "format": null, "password": null })),
        ),
        ("import_commit", Secret(json!({ "choices": [] }))),
        ("import_cancel", Open),
        ("backup_password_problem", Open),
        (
            "export_vault",
            Secret(
                json!({ "request": { "format": "uris", "password": null, "confirmPassword": null,
                                        "includeTrash": false } }),
            ),
        ),
        // Start-up opens only a keychain-only vault (this one has a password): it never unlocks here.
        ("start_session", Open),
        (
            "set_favourite",
            Secret(json!({ "id": id, "favourite": true })),
        ),
        ("quick_find", Secret(json!({ "query": "" }))),
        ("quick_copy", Secret(json!({ "id": id }))),
        ("hide_quick", Open),
        ("show_main", Open),
        ("quick_ready", Open),
        ("refresh_tray", Open),
        ("get_desktop_settings", Open),
        ("save_desktop_settings", Open),
        ("policy_status", Open),
        // An unlock (the keychain, then a new password at once), like unlock_vault.
        ("unlock_and_set_password", Open),
        ("backup_status", Secret(json!({}))),
        (
            "backup_turn_on",
            Secret(json!({ "folder": "/tmp/tessera-never-made", "keep": 10,
                           "password": "plinth mango ferry cobalt",
                           "confirmPassword": "plinth mango ferry cobalt" })),
        ),
        ("backup_turn_off", Secret(json!({}))),
        ("backup_now", Secret(json!({}))),
        (
            "backup_test_restore",
            Secret(json!({ "path": "/tmp/tessera-never-written.tessera", "password": "x" })),
        ),
        (
            "emergency_sheet",
            Secret(
                json!({ "path": "/tmp/tessera-never-written.html", "withSecrets": false,
                           "password": null }),
            ),
        ),
    ]
}

/// The commands registered in `lib.rs` (the `generate_handler!` list), so a new command that is
/// missing from [`table`] fails this test instead of being forgotten.
fn registered_commands() -> Vec<String> {
    let src = include_str!("../src/lib.rs");
    let start = src.find("generate_handler![").expect("handler list") + "generate_handler![".len();
    let end = start + src[start..].find(']').unwrap();
    src[start..end]
        .split(',')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && !s.starts_with("//"))
        .map(|s| s.rsplit("::").next().unwrap().to_string())
        .collect()
}

#[test]
fn after_a_lock_every_command_that_needs_a_secret_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = unlocked(dir.path());
    let added = app.add_by_key("Lab", "n", KEY, json!({ "kind": "live" }), "refuse");
    let id = added["id"].as_str().unwrap().to_string();
    let png = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/otpauth-qr.png"),
    )
    .unwrap();
    let table = table(&id, png);

    let registered = registered_commands();
    let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|c| !known.contains(&c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "commands not in the lock table (say whether they need a secret): {missing:?}"
    );
    let stale: Vec<&&str> = known
        .iter()
        .filter(|n| !registered.iter().any(|c| c == *n))
        .collect();
    assert!(stale.is_empty(), "table names unknown commands: {stale:?}");

    app.ok("lock_vault", json!({}));
    let mut checked = 0;
    for (name, expect) in &table {
        let result = match expect {
            Expect::Secret(args) => app.call_typed(name, args.clone()),
            Expect::SecretRaw(bytes, headers) => app.raw_typed(name, bytes.clone(), headers),
            Expect::Open => continue,
        };
        assert_eq!(
            result.as_ref().err(),
            Some(&json!({ "kind": "locked", "message": LOCKED.to_string() })),
            "{name} while locked gave {result:?}"
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} secret commands checked");
    // Still locked, and nothing was written.
    assert_eq!(app.ok("vault_status", json!({}))["state"], "locked");
    assert!(!std::path::Path::new("/tmp/tessera-never-written.txt").exists());
}
