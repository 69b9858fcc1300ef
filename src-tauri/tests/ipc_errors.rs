//! Errors cross IPC typed: every failed command reaches the UI as `{ kind, message }`, the kind taken
//! from the core's error variant and the message the core's own sentence (the same words the CLI
//! prints). Run on Tauri's mock runtime, through IPC as the UI calls the commands.

mod common;

use common::TestApp;
use serde_json::{json, Value};
use tessera_app::state::LOCKED;

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn error(app: &TestApp, cmd: &str, args: Value) -> Value {
    app.call_typed(cmd, args)
        .expect_err(&format!("{cmd} should fail"))
}

#[test]
fn a_wrong_password_is_kind_wrong_password_with_the_cores_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.ok("lock_vault", json!({}));
    assert_eq!(
        error(&app, "unlock_vault", json!({ "password": "not it" })),
        json!({ "kind": "wrongPassword", "message": "wrong password" })
    );
}

#[test]
fn a_locked_vault_is_kind_locked() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.ok("lock_vault", json!({}));
    assert_eq!(
        error(&app, "list_accounts", json!({})),
        json!({ "kind": "locked", "message": LOCKED.to_string() })
    );
}

#[test]
fn an_edit_onto_another_account_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key("Ward", "alice", KEY, json!({ "kind": "live" }), "refuse");
    let other = app.add_by_key("Ward", "bob", KEY, json!({ "kind": "live" }), "refuse");
    let e = error(
        &app,
        "edit_account",
        json!({ "id": other["id"], "edit": { "issuer": "Ward", "account": "alice",
                "environment": { "kind": "live" }, "note": "" } }),
    );
    assert_eq!(e["kind"], "conflict", "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("already in the vault"),
        "{e}"
    );
}

#[test]
fn text_that_is_not_a_link_is_bad_input_and_the_shells_own_sentences_are_other() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let e = error(
        &app,
        "parse_text",
        json!({ "text": "otpauth://totp/x?secret=!!" }),
    );
    assert_eq!(e["kind"], "badInput", "{e}");
    let e = error(
        &app,
        "import_preview",
        json!({ "format": null, "password": null }),
    );
    assert_eq!(
        e,
        json!({ "kind": "other", "message": "choose a file to import first" })
    );
}

#[test]
fn no_keychain_for_a_keychain_vault_is_kind_keychain_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    // The tests' shell has no keychain: a vault protected by it alone cannot be made.
    let e = error(&app, "create_vault", json!({ "password": null }));
    assert_eq!(e["kind"], "keychainUnavailable", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("app password"),
        "{e}"
    );
}
