//! Security review #15: when a save fails (here: another Tessera changed the file), the change is not
//! left behind in memory, shown as if it were kept and then lost on lock.

mod common;

use common::TestApp;
use serde_json::json;
use tessera_core::vault::{DuplicatePolicy, Environment, NewAccount, Unlock, Vault};
use tessera_core::{OtpParams, Secret};

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

    // Another window or command changes the file.
    let path = dir.path().join("vault.tessera");
    let mut other = Vault::open(&path, Unlock::Password("correct horse".into())).unwrap();
    other
        .add(
            NewAccount {
                issuer: "Other".into(),
                account: "bob".into(),
                environment: Environment::None,
                secret: Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap().0,
                params: OtpParams::totp(),
                note: String::new(),
            },
            DuplicatePolicy::Refuse,
        )
        .unwrap();
    other.save().unwrap();

    let err = app.call("delete_account", json!({ "id": id })).unwrap_err();
    assert!(err.contains("changed by another"), "{err}");
    let shown = app.accounts();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0]["id"], id.as_str());
}
