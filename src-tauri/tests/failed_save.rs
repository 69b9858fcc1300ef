//! Security review #15: when a save fails (here: another Tessera changed the file), the change is not
//! left behind in memory, shown as if it were kept and then lost on lock.

mod common;

use common::TestApp;
use serde_json::json;

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
