//! The shell's commands called the way the UI calls them: through Tauri's IPC, on the mock runtime,
//! with a real vault file in a temporary directory and an in-memory clipboard.

mod common;

use common::{code_for, manual, TestApp};
use serde_json::{json, Value};
use std::path::Path;
use tessera_app::clipboard::Clipboard;
use tessera_core::time::now_unix;
use tessera_core::{OtpEntry, OtpParams, Secret};

const LIVE_KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SANDPIT_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn create_lock_and_unlock_with_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    assert_eq!(app.ok("vault_status", json!({}))["state"], "absent");

    // No keychain and no password: refused with a sentence that says what to do.
    let err = app
        .call("create_vault", json!({ "password": null }))
        .unwrap_err();
    assert!(err.contains("app password"), "{err}");

    app.ok("create_vault", json!({ "password": "correct horse" }));
    let status = app.ok("vault_status", json!({}));
    assert_eq!(status["state"], "unlocked");
    assert_eq!(status["hasPassword"], true);
    assert_eq!(status["usesKeychain"], false);

    app.ok("lock_vault", json!({}));
    assert_eq!(app.ok("vault_status", json!({}))["state"], "locked");
    assert!(app
        .call("list_accounts", json!({}))
        .unwrap_err()
        .contains("locked"));
    assert_eq!(
        app.call("unlock_vault", json!({ "password": "wrong" }))
            .unwrap_err(),
        "wrong password"
    );
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    assert_eq!(app.ok("vault_status", json!({}))["state"], "unlocked");
}

#[test]
fn manual_key_is_checked_live() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    let bad = app.ok(
        "check_manual",
        json!({ "fields": manual("X", "", "JBSW1") }),
    );
    assert_eq!(bad["ok"], false);
    assert!(
        bad["error"].as_str().unwrap().contains("invalid character"),
        "{bad}"
    );

    let good = app.ok(
        "check_manual",
        json!({ "fields": manual("X", "", "jbsw y3dp ehpk 3pxp") }),
    );
    assert_eq!(good["ok"], true, "{good}");
    let preview = good["preview"].as_str().unwrap();
    let now = now_unix();
    assert!([
        code_for("JBSWY3DPEHPK3PXP", now),
        code_for("JBSWY3DPEHPK3PXP", now - 1)
    ]
    .contains(&preview.to_string()));

    let bad_digits = app.ok(
        "check_manual",
        json!({ "fields": { "issuer": "X", "account": "", "secret": LIVE_KEY,
        "kind": "totp", "algorithm": "SHA1", "digits": 4, "period": 30, "counter": 0 } }),
    );
    assert!(
        bad_digits["error"].as_str().unwrap().contains("digits"),
        "{bad_digits}"
    );
}

#[test]
fn live_and_sandpit_twins_and_their_codes() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let live = app.add_by_key(
        "NHS Spine",
        "alice",
        LIVE_KEY,
        json!({ "kind": "live" }),
        "refuse",
    );
    assert_eq!(live["status"], "added", "{live}");
    let sandpit = app.add_by_key(
        "NHS Spine",
        "alice",
        SANDPIT_KEY,
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    assert_eq!(sandpit["status"], "added", "{sandpit}");

    let list = app.accounts();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["environment"], json!({ "kind": "live" }));
    assert_eq!(list[1]["environment"], json!({ "kind": "sandpit" }));

    let before = now_unix();
    let snap = app.ok("current_codes", json!({}));
    let codes = snap["codes"].as_array().unwrap();
    for (code, key) in codes.iter().zip([LIVE_KEY, SANDPIT_KEY]) {
        let until_ms = code["validUntilMs"].as_u64().unwrap();
        assert_eq!(
            until_ms % 30_000,
            0,
            "codes expire exactly at a period boundary"
        );
        let until = until_ms / 1000;
        assert!(until > before && until <= before + 31);
        assert_eq!(code["current"], code_for(key, until - 1));
        // The next code only in the period's last seconds (review #31).
        let left = until - now_unix().min(until);
        if left > 5 {
            assert!(code["next"].is_null(), "{code}");
        } else if !code["next"].is_null() {
            assert_eq!(code["next"], code_for(key, until));
        }
        assert_eq!(code["period"], 30);
    }
    assert_ne!(codes[0]["current"], codes[1]["current"]);
}

#[test]
fn duplicates_ask_and_follow_the_choice() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key("EPR", "bob", LIVE_KEY, json!({ "kind": "live" }), "refuse");

    // Same issuer, account and environment: nothing is written, the existing account is named.
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": manual("EPR", "bob", SANDPIT_KEY) }),
    );
    let req = |policy: &str| {
        json!({ "request": { "draftId": draft["draftId"], "issuer": "EPR", "account": "bob",
            "environment": { "kind": "live" }, "note": "", "policy": policy } })
    };
    let dup = app.ok("add_account", req("refuse"));
    assert_eq!(dup["status"], "duplicate");
    assert_eq!(dup["sameEnvironment"], true);
    assert_eq!(dup["existing"][0]["issuer"], "EPR");
    assert_eq!(app.accounts().len(), 1);

    // The draft is still pending: choose "replace"; the old one goes to the trash.
    let replaced = app.ok("add_account", req("replace"));
    assert_eq!(replaced["status"], "added", "{replaced}");
    assert_eq!(app.accounts().len(), 1);
    let trash = app.ok("list_trash", json!({}));
    assert_eq!(trash.as_array().unwrap().len(), 1);
    let new_code = &app.ok("current_codes", json!({}))["codes"][0]["current"];
    let now = now_unix();
    assert!([code_for(SANDPIT_KEY, now), code_for(SANDPIT_KEY, now - 1)]
        .contains(&new_code.as_str().unwrap().to_string()));

    // Restore: both are kept, the restored one renamed so they can be told apart.
    app.ok("restore_account", json!({ "id": trash[0]["id"] }));
    let list = app.accounts();
    assert_eq!(list.len(), 2);
    assert!(list.iter().any(|a| a["account"] == "bob (2)"), "{list:?}");

    // Keep both on purpose.
    let kept = app.add_by_key(
        "EPR",
        "bob",
        LIVE_KEY,
        json!({ "kind": "live" }),
        "keepBoth",
    );
    assert_eq!(kept["status"], "added");
    assert_eq!(app.accounts().len(), 3);
}

#[test]
fn edit_reorder_delete_restore() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key("A", "a", LIVE_KEY, json!({ "kind": "none" }), "refuse");
    app.add_by_key("B", "b", SANDPIT_KEY, json!({ "kind": "none" }), "refuse");
    let ids: Vec<String> = app
        .accounts()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();

    app.ok(
        "edit_account",
        json!({ "id": ids[0], "edit": { "issuer": "A2", "account": "a",
        "environment": { "kind": "custom", "name": "Training" }, "note": "ward PC" } }),
    );
    let a = &app.accounts()[0];
    assert_eq!(a["issuer"], "A2");
    assert_eq!(
        a["environment"],
        json!({ "kind": "custom", "name": "Training" })
    );
    assert_eq!(a["note"], "ward PC");
    let err = app
        .call(
            "edit_account",
            json!({ "id": ids[0], "edit": { "issuer": "A2", "account": "a",
            "environment": { "kind": "custom", "name": " " }, "note": "" } }),
        )
        .unwrap_err();
    assert!(err.contains("name"), "{err}");

    app.ok("reorder_accounts", json!({ "ids": [ids[1], ids[0]] }));
    assert_eq!(app.accounts()[0]["issuer"], "B");

    app.ok("delete_account", json!({ "id": ids[1] }));
    assert_eq!(app.accounts().len(), 1);
    assert_eq!(app.ok("list_trash", json!({}))[0]["issuer"], "B");
    app.ok("restore_account", json!({ "id": ids[1] }));
    assert_eq!(app.accounts().len(), 2);

    // Every change was saved: a fresh app on the same file sees it.
    app.ok("lock_vault", json!({}));
    drop(app);
    let again = TestApp::start(dir.path());
    again.ok("unlock_vault", json!({ "password": "correct horse" }));
    let names: Vec<Value> = again
        .accounts()
        .iter()
        .map(|a| a["issuer"].clone())
        .collect();
    assert_eq!(names, vec![json!("A2"), json!("B")]);
}

#[test]
fn copy_puts_the_code_without_spaces_on_the_clipboard() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key("A", "a", LIVE_KEY, json!({ "kind": "none" }), "refuse");
    let id = app.accounts()[0]["id"].clone();
    let seconds = app.ok("copy_code", json!({ "id": id }));
    assert_eq!(seconds, 30);
    let copied = app.clipboard.get_text().unwrap();
    assert_eq!(copied.len(), 6);
    assert!(copied.chars().all(|c| c.is_ascii_digit()));
    let now = now_unix();
    assert!([code_for(LIVE_KEY, now), code_for(LIVE_KEY, now - 1)].contains(&copied));
}

#[test]
fn links_and_google_exports_become_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let one = app.ok(
        "parse_text",
        json!({ "text": "otpauth://totp/ACME:jo?secret=JBSWY3DPEHPK3PXP&issuer=ACME&digits=8" }),
    );
    assert_eq!(one["drafts"][0]["issuer"], "ACME");
    assert_eq!(one["drafts"][0]["digits"], 8);
    assert_eq!(one["batch"], Value::Null);
    let preview = app.ok(
        "draft_preview",
        json!({ "draftId": one["drafts"][0]["draftId"] }),
    );
    assert_eq!(preview["code"].as_str().unwrap().len(), 8);

    let entries: Vec<OtpEntry> = (0..3)
        .map(|i| {
            OtpEntry::new(
                format!("Svc{i}"),
                "me",
                Secret::parse_base32(LIVE_KEY).unwrap().0,
                OtpParams::totp(),
            )
        })
        .collect();
    let uris = tessera_core::migration::encode_batches(&entries, 2, 77).unwrap();
    assert_eq!(uris.len(), 2);
    let second = app.ok("parse_text", json!({ "text": uris[1] }));
    assert_eq!(second["batch"], json!({ "index": 2, "size": 2, "id": 77 }));
    assert_eq!(second["drafts"].as_array().unwrap().len(), 1);

    let err = app
        .call("parse_text", json!({ "text": "https://example.org" }))
        .unwrap_err();
    assert!(err.contains("otpauth://"), "{err}");

    app.ok("discard_drafts", json!({}));
    assert!(app
        .call(
            "draft_preview",
            json!({ "draftId": one["drafts"][0]["draftId"] })
        )
        .is_err());
}

#[test]
fn qr_images_and_camera_frames() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let png =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/otpauth-qr.png"))
            .unwrap();

    let found = app.raw("scan_image", png.clone(), &[]).unwrap();
    assert_eq!(found["drafts"][0]["issuer"], "Rota Portal");
    assert_eq!(found["drafts"][0]["account"], "dr.jones");

    let err = app
        .raw("scan_image", b"not an image".to_vec(), &[])
        .unwrap_err();
    assert!(err.contains("not an image"), "{err}");

    // The same code as a grey camera frame, the way the UI sends it.
    let grey = image::load_from_memory(&png).unwrap().to_luma8();
    let (w, h) = grey.dimensions();
    let headers = [
        ("x-frame-width", w.to_string()),
        ("x-frame-height", h.to_string()),
    ];
    let mut seen = None;
    for _ in 0..8 {
        let r = app
            .raw("scan_frame", grey.as_raw().clone(), &headers)
            .unwrap();
        if !r.is_null() {
            seen = Some(r);
            break;
        }
    }
    let seen = seen.expect("a clean QR code is read within one rotation of passes");
    assert_eq!(seen["drafts"][0]["issuer"], "Rota Portal");

    // A blank frame: nothing yet, no error.
    let blank = vec![255u8; (w * h) as usize];
    assert_eq!(app.raw("scan_frame", blank, &headers).unwrap(), Value::Null);
    assert!(app
        .raw("scan_frame", vec![0; 10], &[])
        .unwrap_err()
        .contains("frame size"));
}

#[test]
fn settings_are_saved_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    let defaults = app.ok("get_settings", json!({}));
    assert_eq!(
        defaults,
        json!({ "autoLockMinutes": 5, "clipboardSeconds": 30, "hideCodes": false, "theme": "system", "sort": "own" })
    );
    let mine = json!({ "autoLockMinutes": 2, "clipboardSeconds": 10, "hideCodes": true,
                       "theme": "dark", "sort": "environment" });
    // Settings hold protections (auto-lock, clipboard clearing): saving them needs an open vault.
    app.ok("create_vault", json!({ "password": "correct horse" }));
    app.ok("save_settings", json!({ "settings": mine }));
    assert_eq!(app.ok("get_settings", json!({})), mine);
    let err = app
        .call("save_settings", json!({ "settings": { "autoLockMinutes": 2, "clipboardSeconds": 10, "hideCodes": true, "theme": "pink" } }))
        .unwrap_err();
    assert!(err.contains("theme"), "{err}");
    let err = app
        .call("save_settings", json!({ "settings": { "autoLockMinutes": 2, "clipboardSeconds": 10, "hideCodes": true, "theme": "dark", "sort": "size" } }))
        .unwrap_err();
    assert!(err.contains("own, name or environment"), "{err}");
    drop(app);
    assert_eq!(
        TestApp::start(dir.path()).ok("get_settings", json!({})),
        mine
    );
}

#[test]
fn set_and_change_the_app_password() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let err = app
        .call(
            "set_password",
            json!({ "current": "nope", "password": "new password" }),
        )
        .unwrap_err();
    assert_eq!(err, "wrong password");
    app.ok(
        "set_password",
        json!({ "current": "correct horse", "password": "new password" }),
    );
    app.ok("lock_vault", json!({}));
    assert!(app
        .call("unlock_vault", json!({ "password": "correct horse" }))
        .is_err());
    app.ok("unlock_vault", json!({ "password": "new password" }));
}

/// Review #17: one floor for new app passwords, the core's, on every way one is set; the app can ask
/// it while the person types. An existing password keeps opening the vault.
#[test]
fn weak_new_app_passwords_are_refused_with_the_cores_sentence() {
    use tessera_core::vault::check_new_vault_password;
    let sentence = |p: &str| check_new_vault_password(p).unwrap_err().to_string();
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    assert_eq!(
        app.ok("vault_password_problem", json!({ "password": "short" })),
        Value::String(sentence("short"))
    );
    assert_eq!(
        app.ok(
            "vault_password_problem",
            json!({ "password": "plinth mango ferry" })
        ),
        Value::Null
    );
    let err = app
        .call("create_vault", json!({ "password": "password123" }))
        .unwrap_err();
    assert_eq!(err, sentence("password123"));
    assert!(!dir.path().join("vault.tessera").exists());
    app.ok("create_vault", json!({ "password": "correct horse" }));
    let err = app
        .call(
            "set_password",
            json!({ "current": "correct horse", "password": "aaaaaaaaaaaa" }),
        )
        .unwrap_err();
    assert_eq!(err, sentence("aaaaaaaaaaaa"));
    let err = app
        .call(
            "set_protection",
            json!({ "level": "password", "password": "tiny", "current": "correct horse" }),
        )
        .unwrap_err();
    assert_eq!(err, sentence("tiny"));
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
}

/// Issue 11: the app asks the core's conflict rule too. With Live and Sandpit logins stored, a third
/// unlabelled one is refused in words (the draft stays for the person to choose), and naming one works.
#[test]
fn a_third_unlabelled_login_is_refused_by_the_core_rule() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key(
        "Inhealthcare",
        "alice@nhs.net",
        "JBSWY3DPEHPK3PXP",
        json!({"kind": "live"}),
        "refuse",
    );
    app.add_by_key(
        "Inhealthcare",
        "alice@nhs.net",
        "GEZDGNBVGY3TQOJQ",
        json!({"kind": "sandpit"}),
        "refuse",
    );
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": common::manual("Inhealthcare", "alice@nhs.net", "MZXW6YTBOI") }),
    );
    let request = |env: Value| {
        json!({ "request": { "draftId": draft["draftId"], "issuer": "Inhealthcare",
                "account": "alice@nhs.net", "environment": env, "note": "", "policy": "refuse" } })
    };
    let err = app
        .call("add_account", request(json!({"kind": "none"})))
        .unwrap_err();
    assert!(err.contains("Live") && err.contains("Sandpit"), "{err}");
    assert_eq!(app.accounts().len(), 2);
    let added = app.ok(
        "add_account",
        request(json!({"kind": "custom", "name": "Training"})),
    );
    assert_eq!(added["status"], "added", "{added}");
}

/// Issue 16 item 18: the codes screen asks the core's order; Manage's own order is kept, and a
/// saved order is used by the start-up answer too.
#[test]
fn accounts_are_listed_in_the_order_asked() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key(
        "Zeta",
        "z",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    app.add_by_key(
        "alpha",
        "a",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        json!({ "kind": "none" }),
        "refuse",
    );
    app.add_by_key(
        "Mid",
        "m",
        "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
        json!({ "kind": "live" }),
        "refuse",
    );
    let issuers = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["issuer"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        issuers(app.ok("list_accounts", json!({}))),
        ["Zeta", "alpha", "Mid"]
    );
    assert_eq!(
        issuers(app.ok("list_accounts", json!({ "sort": "name" }))),
        ["alpha", "Mid", "Zeta"]
    );
    assert_eq!(
        issuers(app.ok("list_accounts", json!({ "sort": "environment" }))),
        ["Mid", "Zeta", "alpha"]
    );
    let err = app
        .call("list_accounts", json!({ "sort": "size" }))
        .unwrap_err();
    assert!(err.contains("own, name or environment"), "{err}");
    let mut settings = app.ok("get_settings", json!({}));
    settings["sort"] = json!("environment");
    app.ok("save_settings", json!({ "settings": settings }));
    let start = app.ok("start_session", json!({}));
    assert_eq!(issuers(start["accounts"].clone()), ["Mid", "Zeta", "alpha"]);
}

/// Security review #31: the next period's code reaches the WebView only in the current period's last
/// five seconds. The moment in the period is chosen with the clock correction (codes are made for the
/// corrected time), so the test does not wait for it.
#[test]
fn the_next_code_is_sent_only_in_the_last_seconds_of_a_period() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    app.add_by_key(
        "EPR",
        "alice",
        LIVE_KEY,
        json!({ "kind": "live" }),
        "refuse",
    );
    // (seconds into the 30 s period, whether the next code comes with it)
    for (into_period_ms, sends_next) in [(2_000, false), (20_000, false), (27_000, true)] {
        let now_ms = (now_unix() * 1000) as i64;
        let offset_ms = into_period_ms - now_ms.rem_euclid(30_000);
        app.ok(
            "apply_clock_offset",
            json!({ "offsetMs": offset_ms, "source": "test" }),
        );
        let snap = app.ok("current_codes", json!({}));
        let code = &snap["codes"][0];
        let until = ((code["validUntilMs"].as_i64().unwrap() + offset_ms) / 1000) as u64;
        assert_eq!(
            code["next"].as_str().is_some(),
            sends_next,
            "{into_period_ms} ms into the period: {code}"
        );
        if sends_next {
            assert_eq!(code["next"], code_for(LIVE_KEY, until));
        }
    }
}
