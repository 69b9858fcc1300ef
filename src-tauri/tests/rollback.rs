//! Security review #28 in the app: a vault file older than one this computer opened or saved before is
//! reported (with the core's sentence, the CLI's too) but still opens; saving it once makes it current.

mod common;

use common::TestApp;
use serde_json::{json, Value};

const OLD_COPY_SENTENCE: &str =
    "this vault file is an older copy than one opened on this computer before";

fn warning(app: &TestApp) -> Value {
    app.ok("vault_status", json!({}))["rollbackWarning"].clone()
}

fn add(app: &TestApp, issuer: &str) {
    app.add_by_key(
        issuer,
        "alice",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        json!({ "kind": "live" }),
        "keepBoth",
    );
}

#[test]
fn an_older_copy_is_reported_at_unlock_until_it_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    let app = TestApp::with_password(dir.path());
    add(&app, "EPR");
    let old_copy = std::fs::read(&vault).unwrap();
    add(&app, "Rota");
    assert!(warning(&app).is_null());
    app.ok("lock_vault", json!({}));

    // Someone (sync, a backup tool) puts the old copy back: it opens, with the warning.
    std::fs::write(&vault, &old_copy).unwrap();
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    let w = warning(&app);
    assert!(w.as_str().unwrap().starts_with(OLD_COPY_SENTENCE), "{w}");
    assert!(w.as_str().unwrap().contains("may be missing"), "{w}");
    assert_eq!(app.accounts().len(), 1, "the old copy is what is shown");
    // The warning stays until the lock; a save makes the copy newer than anything seen.
    add(&app, "Pharmacy");
    assert!(!warning(&app).is_null());
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    assert!(warning(&app).is_null());
}

#[test]
fn an_older_copy_put_back_while_unlocked_is_reported_when_it_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    let app = TestApp::with_password(dir.path());
    add(&app, "EPR");
    let old_copy = std::fs::read(&vault).unwrap();
    add(&app, "Rota");
    std::fs::write(&vault, &old_copy).unwrap();
    // The next command reads the changed file again (issue 12): the old copy, reported.
    assert_eq!(app.accounts().len(), 1);
    let w = warning(&app);
    assert!(
        w.as_str().is_some_and(|w| w.starts_with(OLD_COPY_SENTENCE)),
        "{w}"
    );
}

#[test]
fn a_password_change_saved_off_the_ipc_thread_is_recorded_too() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    let app = TestApp::with_password(dir.path());
    add(&app, "EPR");
    let before_change = std::fs::read(&vault).unwrap();
    app.ok(
        "set_password",
        json!({ "current": "correct horse", "password": "plinth mango ferry cobalt" }),
    );
    app.ok("lock_vault", json!({}));
    // The copy from before the change (it opens with the old password) is older than what was seen.
    std::fs::write(&vault, &before_change).unwrap();
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    assert!(!warning(&app).is_null());
}
