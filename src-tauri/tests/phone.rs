//! "Show on screen for a phone" (issue 15): one account's enrolment QR code and key, only after the
//! app password, never while locked, and nothing of it kept in Rust.

mod common;

use common::TestApp;
use serde_json::json;
use tessera_app::state::LOCKED;

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PASSWORD: &str = "correct horse";

fn decode(data_url: &str) -> Vec<String> {
    let png = tessera_core::qr::png_from_data_url(data_url).expect("a PNG data URL");
    tessera_core::qr::decode_image_bytes(&png)
        .unwrap()
        .into_iter()
        .map(|d| d.text)
        .collect()
}

#[test]
fn the_right_password_shows_the_accounts_qr_code_key_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let added = app.add_by_key(
        "NHS Spine",
        "nurse@example.org",
        KEY,
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    let id = added["id"].as_str().unwrap();

    let shown = app.ok("show_for_phone", json!({ "id": id, "password": PASSWORD }));
    assert_eq!(
        decode(shown["qrDataUrl"].as_str().unwrap()),
        vec![
            "otpauth://totp/NHS%20Spine:nurse%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\
             &issuer=NHS%20Spine&algorithm=SHA1&digits=6&period=30"
                .to_string()
        ]
    );
    assert_eq!(shown["id"], id);
    assert_eq!(shown["issuer"], "NHS Spine");
    assert_eq!(shown["account"], "nurse@example.org");
    assert_eq!(shown["environment"], json!({ "kind": "sandpit" }));
    assert_eq!(
        shown["keyGrouped"],
        "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    );
    assert_eq!(
        shown["settings"],
        "Time-based (TOTP), SHA1, 6 digits, every 30 seconds"
    );
    assert_eq!(shown["hideAfterSeconds"], 60);

    // A custom environment travels with its name.
    let other = app.add_by_key(
        "NHS Spine",
        "nurse@example.org",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        json!({ "kind": "custom", "name": "Training ward" }),
        "refuse",
    );
    let shown = app.ok(
        "show_for_phone",
        json!({ "id": other["id"], "password": PASSWORD }),
    );
    assert_eq!(
        shown["environment"],
        json!({ "kind": "custom", "name": "Training ward" })
    );
    assert!(decode(shown["qrDataUrl"].as_str().unwrap())[0]
        .contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
}

#[test]
fn a_missing_or_wrong_password_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let added = app.add_by_key("Lab", "n", KEY, json!({ "kind": "live" }), "refuse");
    let id = added["id"].as_str().unwrap();

    let wrong = app
        .call("show_for_phone", json!({ "id": id, "password": "wrong" }))
        .unwrap_err();
    assert_eq!(wrong, "wrong password; the key stays hidden");
    for missing in [json!(null), json!("")] {
        let err = app
            .call("show_for_phone", json!({ "id": id, "password": missing }))
            .unwrap_err();
        assert_eq!(
            err,
            "the vault password is needed to show the account's key"
        );
    }
    let unknown = app
        .call(
            "show_for_phone",
            json!({ "id": uuid_like(), "password": PASSWORD }),
        )
        .unwrap_err();
    assert!(unknown.starts_with("no account with id"), "{unknown}");
}

#[test]
fn a_locked_vault_refuses_and_nothing_is_kept_for_after_the_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let added = app.add_by_key("Lab", "n", KEY, json!({ "kind": "live" }), "refuse");
    let id = added["id"].as_str().unwrap();
    app.ok("show_for_phone", json!({ "id": id, "password": PASSWORD }));

    app.ok("lock_vault", json!({}));
    let err = app
        .call("show_for_phone", json!({ "id": id, "password": PASSWORD }))
        .unwrap_err();
    assert_eq!(err, LOCKED);

    // After the unlock the password is asked for again: no reveal carries over.
    app.ok("unlock_vault", json!({ "password": PASSWORD }));
    let err = app
        .call("show_for_phone", json!({ "id": id, "password": null }))
        .unwrap_err();
    assert!(err.contains("password is needed"), "{err}");
}

fn uuid_like() -> &'static str {
    "6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
}
