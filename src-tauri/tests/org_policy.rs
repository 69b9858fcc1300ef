//! The organisation's policy in the app, on Tauri's mock runtime: what the UI is told
//! (`policy_status`), the settings it clamps, and the refusals (same sentences as the CLI).

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use tauri::test::{mock_builder, mock_context, noop_assets};
use tessera_app::clipboard::MemoryClipboard;
use tessera_app::state::Options;
use tessera_core::policy::Policy;
use tessera_core::vault::KdfParams;

const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const EXPORT_PASSWORD: &str = "plinth mango ferry cobalt";

/// The shell with `policy_text` as the organisation's policy (written to `dir/policy.toml`).
fn start_with_policy(dir: &Path, policy_text: &str) -> TestApp {
    let policy_path = dir.join("policy.toml");
    std::fs::write(&policy_path, policy_text).unwrap();
    let clipboard = Arc::new(MemoryClipboard::default());
    let mut options = Options::for_vault(dir.join("vault.tessera"), clipboard.clone());
    options.use_keychain = false;
    options.kdf = KdfParams::insecure_for_tests();
    options.policy = Policy::load_from(&policy_path, true);
    options.seen_generations = Some(tessera_core::vault::rollback::SeenGenerations::at(
        dir.join("seen"),
    ));
    let app = tessera_app::configure_with(mock_builder(), options)
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    TestApp {
        app,
        webview,
        clipboard,
        dir: dir.to_path_buf(),
    }
}

fn sentence(dir: &Path, what: &str, key: &str) -> String {
    format!(
        "Your organisation's policy does not allow {what} ({key} in {}).",
        dir.join("policy.toml").display()
    )
}

/// An export with the Save dialog answered `file` and the "NOT encrypted" warning answered `accept`.
fn export(app: &TestApp, format: &str, file: &str, accept: bool) -> Result<Value, String> {
    app.script_dialogs()
        .answer(Some(app.dir.join(file)), accept);
    app.call(
        "export_vault",
        json!({ "request": { "format": format, "password": EXPORT_PASSWORD,
                              "confirmPassword": EXPORT_PASSWORD, "includeTrash": false } }),
    )
}

#[test]
fn policy_status_lists_fixed_keys_and_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let app = start_with_policy(
        dir.path(),
        "allow_plain_export = false\nmax_auto_lock_minutes = 2\nnetwork_clock_check = false\ncolour = 1\n",
    );
    let v = app.ok("policy_status", json!({}));
    assert_eq!(
        v["source"],
        dir.path().join("policy.toml").display().to_string()
    );
    assert_eq!(v["error"], Value::Null);
    assert_eq!(
        v["fixed"],
        json!([
            "allow_plain_export",
            "max_auto_lock_minutes",
            "network_clock_check"
        ])
    );
    assert_eq!(v["values"]["max_auto_lock_minutes"], 2);
    assert_eq!(v["plainExportAllowed"], false);
    assert_eq!(v["networkClockCheck"], false);
    assert_eq!(v["maxAutoLockMinutes"], 2);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains("\"colour\""), "{v}");
}

#[test]
fn settings_are_clamped_and_the_clock_check_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let app = start_with_policy(
        dir.path(),
        "max_auto_lock_minutes = 2\nmax_clipboard_seconds = 15\nnetwork_clock_check = false\n",
    );
    // The defaults (5 min, 30 s) are longer than allowed.
    let s = app.ok("get_settings", json!({}));
    assert_eq!(s["autoLockMinutes"], 2);
    assert_eq!(s["clipboardSeconds"], 15);
    // "Never" and longer become the maximum; shorter stays. (Settings change only while unlocked.)
    app.ok("create_vault", json!({ "password": "correct horse" }));
    let mut next = s.clone();
    next["autoLockMinutes"] = json!(0);
    next["clipboardSeconds"] = json!(10);
    app.ok("save_settings", json!({ "settings": next }));
    let s = app.ok("get_settings", json!({}));
    assert_eq!(s["autoLockMinutes"], 2);
    assert_eq!(s["clipboardSeconds"], 10);
    // Turning the network check on is not possible; checking sends nothing.
    let st = app.ok(
        "save_clock_settings",
        json!({ "networkCheck": true, "servers": ["127.0.0.1:9"] }),
    );
    assert_eq!(st["settings"]["networkCheck"], false);
    assert_eq!(st["networkAllowed"], false);
    let check = app.ok("check_clock", json!({}));
    assert_eq!(check["queried"], false);
    assert!(
        check["message"].as_str().unwrap().starts_with(&sentence(
            dir.path(),
            "network clock checks",
            "network_clock_check"
        )),
        "{check}"
    );
}

#[test]
fn plain_exports_are_refused_encrypted_ones_work() {
    let dir = tempfile::tempdir().unwrap();
    let app = start_with_policy(dir.path(), "allow_plain_export = false\n");
    app.ok("create_vault", json!({ "password": "correct horse" }));
    app.add_by_key("Ward", "nurse", KEY, json!({ "kind": "none" }), "refuse");
    for format in ["uris", "google-qr"] {
        let err = export(&app, format, &format!("plain-{format}"), true).unwrap_err();
        assert_eq!(
            err,
            sentence(dir.path(), "unencrypted exports", "allow_plain_export")
        );
        assert!(!dir.path().join(format!("plain-{format}")).exists());
    }
    export(&app, "aegis", "a.json", false).unwrap();
    assert!(dir.path().join("a.json").exists());
}

#[test]
fn require_password_refuses_a_vault_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let app = start_with_policy(dir.path(), "require_password = true\n");
    let err = app
        .call_typed("create_vault", json!({ "password": null }))
        .unwrap_err();
    // Kind `policy`: the UI says no retry will help.
    assert_eq!(
        err,
        json!({ "kind": "policy",
                "message": sentence(dir.path(), "a vault without a password", "require_password") })
    );
    assert!(!dir.path().join("vault.tessera").exists());
    app.ok("create_vault", json!({ "password": "correct horse" }));
}

#[test]
fn require_password_refuses_opening_a_keychain_only_vault() {
    let dir = tempfile::tempdir().unwrap();
    // A header with only a keychain slot (all that the check before unlocking reads).
    let mut v = Vec::new();
    v.extend_from_slice(b"TESSERA\0");
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&92u16.to_le_bytes());
    v.extend_from_slice(&[7u8; 16]);
    v.extend_from_slice(&[1, 1]);
    v.extend_from_slice(&60u16.to_le_bytes());
    v.extend_from_slice(&[0u8; 60 + 12 + 1024 + 16]);
    std::fs::write(dir.path().join("vault.tessera"), v).unwrap();
    let app = start_with_policy(dir.path(), "require_password = true\n");
    let err = app
        .call("unlock_vault", json!({ "password": null }))
        .unwrap_err();
    assert_eq!(
        err,
        sentence(
            dir.path(),
            "using a vault without a password",
            "require_password"
        )
    );
    // The one step allowed (open and set a password at once) gets past the policy to the keychain.
    let err = app
        .call(
            "unlock_and_set_password",
            json!({ "password": "a new long password" }),
        )
        .unwrap_err();
    assert!(!err.contains("organisation"), "{err}");
}

#[test]
fn a_broken_policy_keeps_the_vault_shut_with_the_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let app = start_with_policy(
        dir.path(),
        "require_password = true\nmax_clipboard_seconds = 2\n",
    );
    let v = app.ok("policy_status", json!({}));
    let error = v["error"].as_str().unwrap().to_string();
    assert!(
        error.contains(&dir.path().join("policy.toml").display().to_string())
            && error.contains("line 2")
            && error.contains("max_clipboard_seconds"),
        "{error}"
    );
    assert_eq!(
        app.call_typed("create_vault", json!({ "password": "correct horse" }))
            .unwrap_err(),
        json!({ "kind": "policy", "message": error })
    );
    assert!(!dir.path().join("vault.tessera").exists());
    assert_eq!(
        app.call("unlock_vault", json!({ "password": "correct horse" }))
            .unwrap_err(),
        error
    );
}

/// Installing at scale: the bundle asks nothing and leaves `/etc/tessera` (the policy) alone: no
/// maintainer scripts, no debconf, no files installed under /etc.
#[test]
fn the_deb_bundle_leaves_etc_tessera_alone() {
    let conf: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tauri.conf.json"))
            .unwrap(),
    )
    .unwrap();
    let bundle = &conf["bundle"];
    assert_eq!(bundle["active"], true);
    let deb = &bundle["linux"]["deb"];
    for script in [
        "preInstallScript",
        "postInstallScript",
        "preRemoveScript",
        "postRemoveScript",
    ] {
        assert!(deb.get(script).is_none(), "{script} in the .deb: {deb}");
    }
    if let Some(files) = deb.get("files").and_then(Value::as_object) {
        assert!(
            files.keys().all(|dest| !dest.starts_with("/etc")),
            "the .deb installs files under /etc: {files:?}"
        );
    }
}

/// `backup_folder` fixes where automatic backups go and `require_backup` keeps them on: the app
/// refuses another folder and turning them off with the CLI's sentences, and warns until they are on.
#[test]
fn backup_folder_and_require_backup_are_obeyed() {
    use tauri::Manager;
    use tessera_app::commands::transfer::TransferState;
    use tessera_core::backup::BackupKdf;

    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("fixed backups");
    let other = dir.path().join("elsewhere");
    let app = start_with_policy(
        dir.path(),
        &format!(
            "backup_folder = {:?}\nrequire_backup = true\n",
            fixed.display().to_string()
        ),
    );
    *app.app.state::<TransferState>().backup_kdf.lock().unwrap() = BackupKdf::insecure_for_tests();
    app.ok("create_vault", json!({ "password": "correct horse" }));

    let status = app.ok("backup_status", json!({}));
    assert_eq!(status["required"], true);
    assert_eq!(status["enabled"], false);
    assert_eq!(
        status["warning"],
        tessera_core::backup::check::REQUIRED_WARNING
    );

    let turn_on = |folder: &Path| {
        app.call(
            "backup_turn_on",
            json!({ "folder": folder.display().to_string(), "keep": 5,
                    "password": EXPORT_PASSWORD, "confirmPassword": EXPORT_PASSWORD }),
        )
    };
    let err = turn_on(&other).unwrap_err();
    assert_eq!(
        err,
        sentence(
            dir.path(),
            &format!(
                "automatic backups to {}, only to {}",
                other.display(),
                fixed.display()
            ),
            "backup_folder"
        )
    );
    assert!(!other.exists(), "nothing is written to the refused folder");

    let on = turn_on(&fixed).unwrap();
    assert_eq!(on["enabled"], true);
    assert_eq!(on["warning"], Value::Null);
    assert_eq!(
        std::fs::read_dir(&fixed).unwrap().count(),
        1,
        "first backup"
    );

    let err = app.call("backup_turn_off", json!({})).unwrap_err();
    assert_eq!(
        err,
        sentence(
            dir.path(),
            "turning automatic backups off",
            "require_backup"
        )
    );
    assert_eq!(app.ok("backup_status", json!({}))["enabled"], true);
}
