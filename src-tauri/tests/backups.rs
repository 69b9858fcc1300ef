//! Settings → Backups on the mock runtime: turning automatic backups on (the core's password rule,
//! the first verified backup), a backup after every change, "Back up now", failures recorded and
//! shown, turning off, and "Test a restore" that compares a backup with the vault and changes nothing.

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tauri::Manager;
use tessera_app::commands::transfer::TransferState;
use tessera_core::backup::BackupKdf;

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const KEY2: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PW: &str = "plinth mango ferry cobalt";

fn start(dir: &Path) -> TestApp {
    let app = TestApp::with_password(dir);
    *app.app.state::<TransferState>().backup_kdf.lock().unwrap() = BackupKdf::insecure_for_tests();
    app
}

fn turn_on(app: &TestApp, folder: &Path, keep: u32) -> Result<Value, String> {
    app.call(
        "backup_turn_on",
        json!({ "folder": folder.display().to_string(), "keep": keep,
                "password": PW, "confirmPassword": PW }),
    )
}

fn backups_in(folder: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with("tessera-backup-") && name.ends_with(".tessera")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn turning_on_writes_a_verified_backup_and_every_change_another() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.add_by_key("EPR", "dr.who", KEY, json!({ "kind": "live" }), "refuse");

    let before = app.ok("backup_status", json!({}));
    assert_eq!(before["enabled"], false);
    assert!(
        before["warning"]
            .as_str()
            .unwrap()
            .contains("no verified backup"),
        "{before}"
    );

    // A folder that does not exist yet is made.
    let folder = dir.path().join("Sync").join("Tessera");
    let status = turn_on(&app, &folder, 10).unwrap();
    assert_eq!(status["enabled"], true, "{status}");
    assert_eq!(status["keep"], 10);
    assert_eq!(status["accounts"], 1);
    assert_eq!(status["lastError"], Value::Null);
    assert_eq!(status["warning"], Value::Null);
    assert_eq!(
        status["restoreTestDue"], true,
        "never tested: the reminder shows"
    );
    assert!(status["lastVerified"].as_str().unwrap().ends_with('Z'));
    assert!(status["lastVerifiedMs"].as_u64().unwrap() > 1_700_000_000_000);
    assert_eq!(
        Path::new(status["folder"].as_str().unwrap()),
        folder.as_path()
    );
    let first = backups_in(&folder);
    assert_eq!(first.len(), 1);
    assert_eq!(
        status["lastFile"].as_str().unwrap(),
        first[0].display().to_string()
    );

    // Every change writes a new one that opens with the password alone.
    app.add_by_key(
        "EPR",
        "dr.who",
        KEY2,
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    let status = app.ok("backup_status", json!({}));
    assert_eq!(status["accounts"], 2, "{status}");
    let files = backups_in(&folder);
    assert_eq!(files.len(), 2, "{files:?}");
    let newest = Path::new(status["lastFile"].as_str().unwrap());
    let content = tessera_core::backup::open(&std::fs::read(newest).unwrap(), PW).expect("opens");
    let envs: Vec<_> = content
        .accounts
        .iter()
        .map(|a| a.environment.label().to_string())
        .collect();
    assert_eq!(envs, ["Live", "Sandpit"]);

    // "Back up now" writes one more (same second: the -2 name), still verified.
    let now = app.ok("backup_now", json!({}));
    assert_eq!(now["accounts"], 2);
    assert_eq!(backups_in(&folder).len(), 3);

    // The configuration (not the password) survives a lock: the next change after unlocking backs up.
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    let id = app.accounts()[0]["id"].as_str().unwrap().to_string();
    app.ok("delete_account", json!({ "id": id }));
    assert_eq!(app.ok("backup_status", json!({}))["accounts"], 1);
    assert_eq!(backups_in(&folder).len(), 4);
}

#[test]
fn turning_on_refuses_weak_or_mistyped_passwords_and_bad_choices() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    let folder = dir.path().join("b");
    let call = |pw: &str, confirm: &str, keep: u32, folder: &str| {
        app.call(
            "backup_turn_on",
            json!({ "folder": folder, "keep": keep, "password": pw, "confirmPassword": confirm }),
        )
        .unwrap_err()
    };
    let f = folder.display().to_string();
    // The core's rule, word for word as the CLI and Export say it.
    let weak = tessera_core::backup::password::check("password2024!")
        .unwrap_err()
        .to_string();
    assert_eq!(call("password2024!", "password2024!", 10, &f), weak);
    assert!(call(PW, "plinth mango ferry", 10, &f).contains("not the same"));
    assert!(call(PW, PW, 0, &f).contains("between 1 and"));
    assert!(call(PW, PW, 10, "  ").contains("choose the folder"));
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    assert!(call(PW, PW, 10, &file.display().to_string()).contains("is a file"));
    assert_eq!(app.ok("backup_status", json!({}))["enabled"], false);
    assert!(!folder.exists(), "nothing made for a refused request");
}

#[test]
fn a_failed_backup_keeps_the_change_and_is_shown_then_off_keeps_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    let folder = dir.path().join("stick");
    turn_on(&app, &folder, 2).unwrap();
    for (i, key) in [KEY, KEY2, KEY].iter().enumerate() {
        app.add_by_key(
            &format!("Ward {i}"),
            "n",
            key,
            json!({ "kind": "live" }),
            "refuse",
        );
    }
    assert_eq!(backups_in(&folder).len(), 2, "only the newest 2 kept");

    // The stick is unplugged: the change still succeeds, the failure is recorded and warned about.
    let moved = dir.path().join("unplugged");
    std::fs::rename(&folder, &moved).unwrap();
    app.add_by_key("Lab", "n", KEY2, json!({ "kind": "sandpit" }), "refuse");
    assert_eq!(app.accounts().len(), 4);
    let status = app.ok("backup_status", json!({}));
    let err = status["lastError"].as_str().unwrap();
    assert!(err.contains("does not exist"), "{err}");
    assert!(status["warning"]
        .as_str()
        .unwrap()
        .starts_with("The last automatic backup failed"));
    assert_eq!(status["accounts"], 3, "the last good backup is still named");
    let now = app.call("backup_now", json!({})).unwrap_err();
    assert!(now.contains("does not exist"), "{now}");
    assert!(
        !folder.exists(),
        "a vanished folder is not recreated silently"
    );

    // Back again: the next backup works and clears the warning.
    std::fs::rename(&moved, &folder).unwrap();
    let status = app.ok("backup_now", json!({}));
    assert_eq!(status["lastError"], Value::Null);
    assert_eq!(status["accounts"], 4);

    // Off: no more backups, the files stay, the status says off.
    let off = app.ok("backup_turn_off", json!({}));
    assert_eq!(off["enabled"], false);
    let kept = backups_in(&folder);
    app.add_by_key("Mail", "me", KEY, json!({ "kind": "none" }), "refuse");
    assert_eq!(backups_in(&folder), kept);
    assert!(app
        .call("backup_now", json!({}))
        .unwrap_err()
        .contains("off"));
    // Recently verified: no warning yet although off (the 14-day rule).
    assert_eq!(app.ok("backup_status", json!({}))["warning"], Value::Null);
}

#[test]
fn test_a_restore_compares_with_the_vault_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.add_by_key("EPR", "dr.who", KEY, json!({ "kind": "live" }), "refuse");
    let folder = dir.path().join("b");
    turn_on(&app, &folder, 10).unwrap();
    let older = backups_in(&folder)[0].clone();
    app.add_by_key(
        "EPR",
        "dr.who",
        KEY2,
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    let vault_before = std::fs::read(dir.path().join("vault.tessera")).unwrap();

    // The newest backup (no file given) matches.
    let found = app.ok(
        "backup_test_restore",
        json!({ "path": null, "password": PW }),
    );
    assert_eq!(found["matches"], true, "{found}");
    assert_eq!(found["backupAccounts"], 2);
    assert!(found["summary"]
        .as_str()
        .unwrap()
        .contains("matches the vault: 2 accounts"));
    assert_eq!(found["status"]["restoreTestDue"], false);
    assert!(found["status"]["lastRestoreTestMs"].as_u64().is_some());

    // An older one says what differs.
    let found = app.ok(
        "backup_test_restore",
        json!({ "path": older.display().to_string(), "password": PW }),
    );
    assert_eq!(found["matches"], false);
    assert_eq!(found["same"], 1);
    assert_eq!(found["onlyInVault"].as_array().unwrap().len(), 1);
    assert!(
        found["summary"]
            .as_str()
            .unwrap()
            .contains("1 not in the backup (EPR"),
        "{found}"
    );

    // A wrong password is a sentence; nothing in the vault changed through any of it.
    let err = app
        .call(
            "backup_test_restore",
            json!({ "path": older.display().to_string(), "password": "not the password at all" }),
        )
        .unwrap_err();
    assert!(err.contains("password"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("vault.tessera")).unwrap(),
        vault_before
    );
    assert_eq!(app.accounts().len(), 2);
}

#[test]
fn the_default_export_name_never_clashes() {
    // The rule itself is the core's (ExportFormat::unused_path); here: the Save dialog Rust opens
    // offers it, and the next export starts in the folder of the last one.
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.add_by_key(
        "EPR",
        "alice",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        json!({ "kind": "live" }),
        "refuse",
    );
    let dialogs = app.script_dialogs();
    let export = || {
        app.ok(
            "export_vault",
            json!({ "request": { "format": "tessera", "password": "plinth mango ferry cobalt",
                                 "confirmPassword": "plinth mango ferry cobalt" } }),
        )
    };
    // Cancelled: nothing written, and the offered name is free.
    assert_eq!(export(), Value::Null);
    let offered = dialogs.saves()[0].clone();
    assert!(!offered.directory.join(&offered.file_name).exists());
    // Saved under the offered name in another folder: the next offer is there, with -2.
    let folder = dir.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    dialogs.answer(Some(folder.join(&offered.file_name)), false);
    export();
    assert!(folder.join(&offered.file_name).exists());
    dialogs.answer(None, false);
    assert_eq!(export(), Value::Null);
    let next = dialogs.saves()[2].clone();
    assert_eq!(next.directory, folder);
    assert!(next.file_name.ends_with("-2.tessera"), "{}", next.file_name);
}

#[test]
fn emergency_sheet_plain_and_for_a_locked_drawer() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    let added = app.add_by_key(
        "EPR <b>",
        "dr.who",
        KEY,
        json!({ "kind": "live" }),
        "refuse",
    );
    let id = added["id"].as_str().unwrap().to_string();
    app.ok(
        "store_recovery_codes",
        json!({ "id": id, "text": "1111 2222\n3333 4444", "mode": "refuse" }),
    );
    app.ok(
        "reveal_recovery_codes",
        json!({ "id": id, "password": "correct horse" }),
    );
    app.ok("mark_recovery_code_used", json!({ "id": id, "index": 0 }));
    let folder = dir.path().join("Sync");
    turn_on(&app, &folder, 10).unwrap();

    // The plain sheet: backups folder, restore steps, the account; no key, no recovery code.
    let plain = dir.path().join("sheet.html");
    let done = app.ok(
        "emergency_sheet",
        json!({ "path": plain.display().to_string(), "withSecrets": false, "password": null }),
    );
    assert_eq!(done["accounts"], 1, "{done}");
    assert_eq!(done["withSecrets"], false);
    assert_eq!(Path::new(done["file"].as_str().unwrap()), plain.as_path());
    let html = std::fs::read_to_string(&plain).unwrap();
    assert!(html.contains(&folder.display().to_string()));
    assert!(html.contains("EPR &lt;b&gt;") && html.contains("dr.who"));
    assert!(html.contains("tessera import FILE"));
    assert!(!html.contains(KEY) && !html.contains("otpauth") && !html.contains("3333 4444"));

    // An existing file is never replaced.
    let again = app
        .call(
            "emergency_sheet",
            json!({ "path": plain.display().to_string(), "withSecrets": false, "password": null }),
        )
        .unwrap_err();
    assert!(again.contains("already exists"), "{again}");

    // With secrets: the app password is needed and must be right; nothing is written otherwise.
    let drawer = dir.path().join("drawer.html");
    let args = |password: Value| json!({ "path": drawer.display().to_string(), "withSecrets": true, "password": password });
    let missing = app.call("emergency_sheet", args(Value::Null)).unwrap_err();
    assert!(missing.contains("app password"), "{missing}");
    let wrong = app
        .call("emergency_sheet", args(json!("wrong horse")))
        .unwrap_err();
    assert!(wrong.contains("wrong password"), "{wrong}");
    assert!(!drawer.exists());

    let done = app.ok("emergency_sheet", args(json!("correct horse")));
    assert_eq!(done["withSecrets"], true);
    let html = std::fs::read_to_string(&drawer).unwrap();
    assert!(html.contains("data:image/png;base64,"));
    assert!(html.contains("3333 4444"), "the unused recovery code");
    assert!(!html.contains("1111 2222"), "the used one is not printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&drawer).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}
