//! Protection levels, the quick-unlock PIN and the trash's "Delete forever" through the app's commands
//! (mock runtime, no keychain: the keychain level is covered by the end-to-end test in a keyring).

mod common;

use common::TestApp;
use serde_json::json;

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[test]
fn a_password_vault_reports_the_password_level() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok(
        "create_vault",
        json!({ "password": "correct horse", "level": "password" }),
    );
    let status = app.ok("vault_status", json!({}));
    assert_eq!(status["protection"], "password");
    assert_eq!(status["usesKeychain"], false);
    app.ok("lock_vault", json!({}));
    let status = app.ok("vault_status", json!({}));
    assert_eq!(status["protection"], "password");
    // The keychain cannot open it.
    assert!(app
        .call("unlock_vault", json!({ "password": null }))
        .is_err());
}

#[test]
fn the_password_level_needs_a_password_and_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    let err = app
        .call(
            "create_vault",
            json!({ "password": null, "level": "password" }),
        )
        .unwrap_err();
    assert!(err.contains("app password"), "{err}");
    app.ok(
        "create_vault",
        json!({ "password": "correct horse", "level": "password" }),
    );
    let err = app
        .call(
            "set_protection",
            json!({ "level": "password", "password": "battery staple", "current": null }),
        )
        .unwrap_err();
    assert!(err.contains("current app password"), "{err}");
    let err = app
        .call(
            "set_protection",
            json!({ "level": "password", "password": "battery staple", "current": "nope" }),
        )
        .unwrap_err();
    assert_eq!(err, "wrong password");
    app.ok(
        "set_protection",
        json!({ "level": "password", "password": "battery staple", "current": "correct horse" }),
    );
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "battery staple" }));
}

#[test]
fn a_pin_unlocks_until_three_wrong_tries_then_only_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let err = app.call("set_pin", json!({ "pin": "12345" })).unwrap_err();
    assert!(err.contains("at least 6 digits"), "{err}");
    app.ok("set_pin", json!({ "pin": "246810" }));
    assert_eq!(app.ok("vault_status", json!({}))["pinSet"], true);

    app.ok("lock_vault", json!({}));
    assert_eq!(app.ok("vault_status", json!({}))["pinSet"], true);
    app.ok("unlock_with_pin", json!({ "pin": "246810" }));
    assert_eq!(app.ok("vault_status", json!({}))["state"], "unlocked");

    app.ok("lock_vault", json!({}));
    let e1 = app
        .call("unlock_with_pin", json!({ "pin": "111111" }))
        .unwrap_err();
    assert!(e1.contains("2 tries left"), "{e1}");
    let e2 = app
        .call("unlock_with_pin", json!({ "pin": "222222" }))
        .unwrap_err();
    assert!(e2.contains("1 try left"), "{e2}");
    let e3 = app
        .call("unlock_with_pin", json!({ "pin": "333333" }))
        .unwrap_err();
    assert!(e3.contains("app password"), "{e3}");
    assert_eq!(app.ok("vault_status", json!({}))["pinSet"], false);
    // Even the right PIN no longer opens it.
    assert!(app
        .call("unlock_with_pin", json!({ "pin": "246810" }))
        .is_err());
    assert_eq!(app.ok("vault_status", json!({}))["state"], "locked");
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
}

#[test]
fn delete_forever_and_empty_trash() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let a = app.add_by_key("One", "n", KEY, json!({ "kind": "live" }), "refuse");
    let b = app.add_by_key("Two", "n", KEY, json!({ "kind": "sandpit" }), "refuse");
    app.ok("delete_account", json!({ "id": a["id"] }));
    app.ok("delete_account", json!({ "id": b["id"] }));
    assert_eq!(app.ok("list_trash", json!({})).as_array().unwrap().len(), 2);
    app.ok("purge_account", json!({ "id": a["id"] }));
    assert_eq!(app.ok("list_trash", json!({})).as_array().unwrap().len(), 1);
    assert!(app
        .call("restore_account", json!({ "id": a["id"] }))
        .is_err());
    assert_eq!(app.ok("empty_trash", json!({})), 1);
    assert!(app
        .ok("list_trash", json!({}))
        .as_array()
        .unwrap()
        .is_empty());
}

/// How long the trash keeps deleted accounts: the vault's setting, read and set as the CLI does.
#[test]
fn the_trash_keeps_deleted_accounts_for_the_days_set() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    assert_eq!(app.ok("trash_keep_days", json!({})), 30);
    assert_eq!(app.ok("set_trash_keep_days", json!({ "days": 7 })), 7);
    let err = app
        .call("set_trash_keep_days", json!({ "days": 400 }))
        .unwrap_err();
    assert!(err.contains("1 to 365 days"), "{err}");
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    assert_eq!(
        app.ok("trash_keep_days", json!({})),
        7,
        "saved in the vault"
    );
}
