//! Security review #15: when a save fails (here: another Tessera changed the file), the change is not
//! left behind in memory, shown as if it were kept and then lost on lock.

mod common;

use common::{manual, TestApp};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tessera_app::clipboard::Clipboard;

#[test]
fn a_failed_save_leaves_the_shown_accounts_as_they_are_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key(
        "EPR",
        "alice",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        json!({ "kind": "live" }),
        "refuse",
    );
    let id = app.accounts()[0]["id"].as_str().unwrap().to_string();

    // The save cannot take the vault's lock (its lock file is a folder now), so it fails. A change
    // made by another process is not a failure any more: the app reloads it first (issue 12).
    let lock = dir.path().join("vault.tessera.lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::create_dir(&lock).unwrap();

    let err = app.call("delete_account", json!({ "id": id })).unwrap_err();
    assert!(!err.is_empty());
    let shown = app.accounts();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0]["id"], id.as_str());
}

/// The save cannot take the vault's lock while its lock file is a folder: every save fails, as with
/// a full disk. Dropping the guard puts the lock file back.
struct SavesFail(PathBuf);

impl SavesFail {
    fn start(dir: &Path) -> SavesFail {
        let lock = dir.join("vault.tessera.lock");
        let _ = std::fs::remove_file(&lock);
        std::fs::create_dir(&lock).unwrap();
        SavesFail(lock)
    }
}

impl Drop for SavesFail {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir(&self.0);
    }
}

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NEW_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// Everything the screens show about the vault (accounts, codes, details, recovery, trash).
fn shown(app: &TestApp, ids: &[&str]) -> Value {
    let per_account: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!([
                app.ok("account_details", json!({ "id": id })),
                app.ok("recovery_info", json!({ "id": id })),
            ])
        })
        .collect();
    json!({
        "accounts": app.ok("list_accounts", json!({})),
        "trash": app.ok("list_trash", json!({})),
        "details": per_account,
    })
}

#[test]
fn failed_saves_of_rekey_recovery_hotp_and_favourites_change_nothing_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key("EPR", "alice", KEY, json!({ "kind": "live" }), "refuse");
    let totp = app.accounts()[0]["id"].as_str().unwrap().to_string();
    // A second account whose key was replaced (so it has a previous key to confirm or go back to).
    app.add_by_key("Rota", "bob", KEY, json!({ "kind": "live" }), "refuse");
    let rekeyed = app.accounts()[1]["id"].as_str().unwrap().to_string();
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": manual("x", "bob", NEW_KEY) }),
    );
    app.ok(
        "replace_key",
        json!({ "id": rekeyed, "draftId": draft["draftId"] }),
    );
    let mut fields = manual("Pager", "carol", KEY);
    fields["kind"] = json!("hotp");
    let draft = app.ok("stage_manual", json!({ "fields": fields }));
    app.ok(
        "add_account",
        json!({ "request": { "draftId": draft["draftId"], "issuer": "Pager", "account": "carol",
                             "environment": { "kind": "none" }, "note": "", "policy": "refuse" } }),
    );
    let hotp = app.accounts()[2]["id"].as_str().unwrap().to_string();
    app.ok(
        "store_recovery_codes",
        json!({ "id": totp, "text": "1111 2222\n3333 4444", "mode": "refuse" }),
    );
    app.ok(
        "reveal_recovery_codes",
        json!({ "id": totp, "password": "correct horse" }),
    );
    app.ok("mark_recovery_code_used", json!({ "id": totp, "index": 1 }));
    let ids = [totp.as_str(), rekeyed.as_str(), hotp.as_str()];
    let before = shown(&app, &ids);

    let failing = SavesFail::start(dir.path());
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": manual("x", "alice", NEW_KEY) }),
    );
    let attempts = [
        (
            "replace_key",
            json!({ "id": totp, "draftId": draft["draftId"] }),
        ),
        ("confirm_key", json!({ "id": rekeyed })),
        ("revert_key", json!({ "id": rekeyed })),
        (
            "store_recovery_codes",
            json!({ "id": totp, "text": "5555 6666", "mode": "append" }),
        ),
        ("mark_recovery_code_used", json!({ "id": totp, "index": 0 })),
        (
            "unmark_recovery_code_used",
            json!({ "id": totp, "index": 1 }),
        ),
        ("copy_code", json!({ "id": hotp })),
        ("set_favourite", json!({ "id": totp, "favourite": true })),
    ];
    for (command, args) in &attempts {
        let err = app.call(command, args.clone()).unwrap_err();
        assert!(!err.is_empty());
        assert_eq!(shown(&app, &ids), before, "after the failed {command}");
    }
    assert_eq!(
        app.clipboard.get_text(),
        None,
        "no HOTP code was handed out"
    );

    // Once saves work again, the next save writes none of the abandoned changes.
    drop(failing);
    app.ok("set_favourite", json!({ "id": hotp, "favourite": true }));
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    let mut expected = before.clone();
    expected["accounts"][2]["favourite"] = json!(true);
    let mut after = shown(&app, &ids);
    // The favourites-first order may move the favourite; compare by id.
    let by_id = |v: &mut Value| {
        v["accounts"]
            .as_array_mut()
            .unwrap()
            .sort_by_key(|a| a["id"].as_str().unwrap().to_string())
    };
    by_id(&mut expected);
    by_id(&mut after);
    assert_eq!(after, expected);
}

#[test]
fn a_failed_password_change_keeps_the_old_password_in_memory_and_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key("EPR", "alice", KEY, json!({ "kind": "live" }), "refuse");
    let id = app.accounts()[0]["id"].as_str().unwrap().to_string();

    let failing = SavesFail::start(dir.path());
    let err = app
        .call(
            "set_password",
            json!({ "current": "correct horse", "password": "plinth mango ferry cobalt" }),
        )
        .unwrap_err();
    assert!(!err.is_empty());
    drop(failing);
    // A later change saves; it must not carry the password the person was told was not set.
    app.ok("set_favourite", json!({ "id": id, "favourite": true }));
    app.ok("lock_vault", json!({}));
    let refused = app
        .call(
            "unlock_vault",
            json!({ "password": "plinth mango ferry cobalt" }),
        )
        .unwrap_err();
    assert!(refused.contains("password"), "{refused}");
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    assert_eq!(app.accounts()[0]["favourite"], true);
}
