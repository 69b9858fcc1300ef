//! Issue 16, through IPC on the mock runtime: editing into a taken environment (replace / keep both),
//! the HOTP counter shown and set back, and a whole link typed into the key field.

mod common;

use common::{manual, TestApp};
use serde_json::json;

const LIVE_KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SANDPIT_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn edit(
    app: &TestApp,
    id: &serde_json::Value,
    env: &str,
    extra: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let mut e = json!({ "issuer": "NHS Spine", "account": "alice", "environment": { "kind": env }, "note": "" });
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    app.call("edit_account", json!({ "id": id, "edit": e }))
}

#[test]
fn editing_into_a_taken_environment_offers_replace_or_keep_both() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": "correct horse" }));
    app.add_by_key(
        "NHS Spine",
        "alice",
        LIVE_KEY,
        json!({ "kind": "live" }),
        "refuse",
    );
    app.add_by_key(
        "NHS Spine",
        "alice",
        SANDPIT_KEY,
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    let sandpit = app
        .accounts()
        .into_iter()
        .find(|a| a["environment"]["kind"] == "sandpit")
        .unwrap()["id"]
        .clone();

    let err = edit(&app, &sandpit, "live", json!({})).unwrap_err();
    assert!(
        err.contains("Replace it") && err.contains("Keep both"),
        "{err}"
    );

    edit(&app, &sandpit, "live", json!({ "onDuplicate": "keepBoth" })).unwrap();
    assert_eq!(
        app.accounts()
            .iter()
            .filter(|a| a["environment"]["kind"] == "live")
            .count(),
        2
    );

    edit(&app, &sandpit, "sandpit", json!({})).unwrap();
    edit(&app, &sandpit, "live", json!({ "onDuplicate": "replace" })).unwrap();
    let left = app.accounts();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], sandpit);
    let trash = app.ok("list_trash", json!({}));
    assert_eq!(
        trash.as_array().unwrap().len(),
        1,
        "the replaced one waits in the trash"
    );
}

#[test]
fn the_hotp_counter_is_shown_and_can_be_set_back() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": "correct horse" }));
    let mut fields = manual("EPR", "alice", LIVE_KEY);
    fields["kind"] = json!("hotp");
    let draft = app.ok("stage_manual", json!({ "fields": fields }));
    app.ok(
        "add_account",
        json!({ "request": { "draftId": draft["draftId"], "issuer": "EPR", "account": "alice",
        "environment": { "kind": "none" }, "note": "", "policy": "refuse" } }),
    );
    let id = app.accounts()[0]["id"].clone();
    assert_eq!(app.accounts()[0]["counter"], 0);
    app.ok("copy_code", json!({ "id": id }));
    app.ok("copy_code", json!({ "id": id }));
    assert_eq!(app.accounts()[0]["counter"], 2);
    let e = json!({ "issuer": "EPR", "account": "alice", "environment": { "kind": "none" }, "note": "", "counter": 1 });
    app.ok("edit_account", json!({ "id": id, "edit": e }));
    assert_eq!(app.accounts()[0]["counter"], 1);

    // A time-based account has no counter to set.
    app.add_by_key(
        "NHS Spine",
        "alice",
        SANDPIT_KEY,
        json!({ "kind": "live" }),
        "refuse",
    );
    let totp = app
        .accounts()
        .into_iter()
        .find(|a| a["kind"] == "totp")
        .unwrap()["id"]
        .clone();
    let e = json!({ "issuer": "NHS Spine", "account": "alice", "environment": { "kind": "live" }, "note": "", "counter": 3 });
    assert!(app
        .call("edit_account", json!({ "id": totp, "edit": e }))
        .unwrap_err()
        .contains("counter"));
}

#[test]
fn typed_keys_get_look_alike_hints_and_a_link_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    let c = app.ok(
        "check_manual",
        json!({ "fields": manual("X", "", "JBSW0Y3DPEHPK3PX") }),
    );
    assert!(
        c["error"]
            .as_str()
            .unwrap()
            .contains("probably the letter O"),
        "{c}"
    );
    let c = app.ok(
        "check_manual",
        json!({ "fields": manual("X", "", "otpauth://totp/X:a?secret=JBSWY3DPEHPK3PXP") }),
    );
    assert!(c["error"].as_str().unwrap().contains("link"), "{c}");
}

/// Issue 16 item 2: a screenshot pasted on the Add screen is read from the system clipboard by Rust
/// (WebKitGTK hands the page no image), decoded like a file, and staged as a draft.
#[test]
fn a_pasted_screenshot_is_read_from_the_clipboard() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": "correct horse" }));
    let err = app.call("scan_clipboard_image", json!({})).unwrap_err();
    assert!(err.contains("no picture on the clipboard"), "{err}");

    let png =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/otpauth-qr.png");
    let rgba = image::open(png).unwrap().to_rgba8();
    let (w, h) = (rgba.width() as usize, rgba.height() as usize);
    // A picture without a code first: a sentence, nothing staged.
    app.clipboard.set_image(w, h, vec![255; w * h * 4]);
    let err = app.call("scan_clipboard_image", json!({})).unwrap_err();
    assert!(
        err.contains("no QR code was found in the pasted picture"),
        "{err}"
    );

    app.clipboard.set_image(w, h, rgba.into_raw());
    let outcome = app.ok("scan_clipboard_image", json!({}));
    let drafts = outcome["drafts"].as_array().unwrap();
    assert_eq!(drafts.len(), 1, "{outcome}");
    assert!(drafts[0]["draftId"].is_string(), "{outcome}");
}

/// Issue 16 item 13: Add suggests the environment from the names with the same rule Import uses
/// ("NHS Spine Sandpit" → Sandpit, "Cerner Production" → Live, plain names → none).
#[test]
fn a_typed_account_gets_the_same_environment_suggestion_as_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": "correct horse" }));
    let suggested = |issuer: &str| {
        let draft = app.ok(
            "stage_manual",
            json!({ "fields": manual(issuer, "alice@nhs.net", LIVE_KEY) }),
        );
        draft["suggestedEnvironment"]["kind"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(suggested("NHS Spine Sandpit"), "sandpit");
    assert_eq!(suggested("Cerner Production"), "live");
    assert_eq!(suggested("NHS Spine"), "none");
}

/// The review form asks the core's conflict rule (issue 11): twins, a clash in the same environment, and
/// "must name its environment" when every stored twin names one.
#[test]
fn the_review_form_asks_the_cores_conflict_rule() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": "correct horse" }));
    app.add_by_key(
        "NHS Spine",
        "alice",
        LIVE_KEY,
        json!({ "kind": "live" }),
        "refuse",
    );
    app.add_by_key(
        "NHS Spine",
        "alice",
        SANDPIT_KEY,
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    let ask = |issuer: &str, env: &str| {
        app.ok(
            "check_conflicts",
            json!({ "issuer": issuer, "account": " Alice ", "environment": { "kind": env } }),
        )
    };
    let none = ask("nhs spine", "none");
    assert_eq!(none["twins"].as_array().unwrap().len(), 2, "{none}");
    assert_eq!(none["needsEnvironment"], true);
    assert_eq!(none["sameEnvironment"], false);
    let live = ask("NHS Spine", "live");
    assert_eq!(live["sameEnvironment"], true);
    assert_eq!(live["needsEnvironment"], false);
    assert_eq!(live["clashes"].as_array().unwrap().len(), 1, "{live}");
    assert_eq!(live["clashes"][0]["environment"]["kind"], "live");
    assert!(none["clashes"].as_array().unwrap().is_empty(), "{none}");
    let other = ask("Other service", "none");
    assert!(other["twins"].as_array().unwrap().is_empty());
    assert_eq!(other["needsEnvironment"], false);

    // The edit form asks with `except`: the account being edited is not its own twin, and moving it
    // onto the other one's environment clashes with that one only.
    let accounts = app.accounts();
    let id_of = |kind: &str| {
        accounts
            .iter()
            .find(|a| a["environment"]["kind"] == kind)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (live_id, sandpit_id) = (id_of("live"), id_of("sandpit"));
    let edit = |env: &str| {
        app.ok(
            "check_conflicts",
            json!({ "issuer": "NHS Spine", "account": "alice", "environment": { "kind": env },
                    "except": live_id }),
        )
    };
    let itself = edit("live");
    assert_eq!(itself["sameEnvironment"], false, "{itself}");
    assert!(itself["clashes"].as_array().unwrap().is_empty());
    assert_eq!(itself["twins"].as_array().unwrap().len(), 1);
    let onto = edit("sandpit");
    assert_eq!(onto["sameEnvironment"], true, "{onto}");
    assert_eq!(onto["clashes"][0]["id"], sandpit_id.as_str());
    let err = app
        .call(
            "check_conflicts",
            json!({ "issuer": "NHS Spine", "account": "alice", "environment": { "kind": "live" },
                    "except": "not an id" }),
        )
        .unwrap_err();
    assert!(err.contains("not an account id"), "{err}");
}
