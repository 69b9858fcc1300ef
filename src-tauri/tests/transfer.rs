//! Import / Export commands called the way the UI calls them: through Tauri's IPC on the mock runtime,
//! with real export files from other apps (crates/core/tests/fixtures), a real vault in a temporary
//! directory, and files written and read back for every export format.

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::path::Path;
use tauri::Manager;
use tessera_app::commands::transfer::TransferState;
use tessera_core::backup::{self, BackupKdf, BackupOptions};
use tessera_core::formats::{self, FormatId};
use tessera_core::vault::{
    CreateOptions, DuplicatePolicy, Environment, KdfParams, NewAccount, Password, Vault,
};
use tessera_core::{OtpParams, Secret};

const BACKUP_PASSWORD: &str = "plinth mango ferry cobalt";

fn fixture(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/core/tests/fixtures")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An unlocked app over a new vault in `dir`, with cheap key derivation for vault and backups.
fn start(dir: &Path) -> TestApp {
    let app = TestApp::start(dir);
    *app.app.state::<TransferState>().backup_kdf.lock().unwrap() = BackupKdf::insecure_for_tests();
    app.ok("create_vault", json!({ "password": "correct horse" }));
    app
}

impl TestApp {
    fn load(&self, name: &str, bytes: Vec<u8>) -> Result<Value, String> {
        self.raw(
            "import_load",
            bytes,
            &[("x-file-name", name.replace(' ', "%20"))],
        )
    }

    fn preview(&self, format: Option<&str>, password: Option<&str>) -> Result<Value, String> {
        self.call(
            "import_preview",
            json!({ "format": format, "password": password }),
        )
    }

    /// Every row imported with its suggested environment; duplicates handled as `on_duplicate`.
    fn commit_all(&self, preview: &Value, on_duplicate: &str) -> Value {
        let choices: Vec<Value> = preview["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                json!({ "index": r["index"], "import": true, "onDuplicate": on_duplicate,
                             "environment": r["suggestedEnvironment"] })
            })
            .collect();
        self.ok("import_commit", json!({ "choices": choices }))
    }

    /// Exports with the Save dialog answered `file` (in the test folder) and the "NOT encrypted"
    /// warning answered `accept`. `Ok(null)`: the person cancelled.
    fn export(
        &self,
        format: &str,
        file: &str,
        password: Option<&str>,
        accept: bool,
    ) -> Result<Value, String> {
        self.script_dialogs()
            .answer(Some(self.dir.join(file)), accept);
        self.call(
            "export_vault",
            json!({ "request": { "format": format, "password": password, "confirmPassword": password,
                                  "includeTrash": false } }),
        )
    }
}

#[test]
fn previews_a_real_aegis_export_without_secrets_then_imports_on_commit() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    let bytes = fixture("aegis/aegis_plain.json");
    let info = app.load("aegis plain.json", bytes.clone()).unwrap();
    assert_eq!(
        info["fileName"], "aegis plain.json",
        "percent-encoded name decoded"
    );
    assert_eq!(info["detectedFormat"], "aegis");
    assert_eq!(info["needsPassword"], false);

    let preview = app.preview(None, None).unwrap();
    let expected = formats::import(FormatId::Aegis, &bytes, None).unwrap();
    assert_eq!(preview["format"], "aegis");
    assert_eq!(preview["formatName"], "Aegis");
    assert_eq!(
        preview["entries"].as_array().unwrap().len(),
        expected.entries.len()
    );
    assert_eq!(
        preview["entries"][0]["issuer"],
        expected.entries[0].entry.issuer.as_str()
    );
    assert!(preview["entries"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("digits"));
    // No key in any form crosses to the UI.
    let text = preview.to_string();
    for e in &expected.entries {
        let b32 = e.entry.secret.to_base32();
        assert!(
            !text.contains(&b32) && !text.contains(&b32.to_lowercase()),
            "secret leaked"
        );
    }
    // Nothing written by the preview.
    assert!(app.accounts().is_empty());

    let counts = app.commit_all(&preview, "skip");
    assert_eq!(counts["added"], expected.entries.len());
    assert_eq!(app.accounts().len(), expected.entries.len());
    // The file is forgotten after a commit.
    assert!(app
        .call("import_commit", json!({ "choices": [] }))
        .unwrap_err()
        .contains("preview the file"));
}

#[test]
fn encrypted_file_asks_for_the_password_and_a_wrong_one_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    let info = app
        .load(
            "aegis_encrypted.json",
            fixture("aegis/aegis_encrypted.json"),
        )
        .unwrap();
    assert_eq!(info["needsPassword"], true);
    let ask = app.preview(None, None).unwrap();
    assert_eq!(ask["needsPassword"], true);
    assert!(ask["entries"].as_array().unwrap().is_empty());

    let err = app.preview(None, Some("not it")).unwrap_err();
    assert!(err.contains("wrong password"), "{err}");
    assert!(
        app.call("import_commit", json!({ "choices": [] })).is_err(),
        "nothing to commit after a failure"
    );

    let ok = app.preview(Some("aegis"), Some("test")).unwrap();
    assert_eq!(ok["needsPassword"], false);
    assert_eq!(ok["entries"].as_array().unwrap().len(), 7);
}

#[test]
fn unknown_format_and_images_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.load("notes.txt", b"shopping: milk, eggs".to_vec())
        .unwrap();
    let err = app.preview(None, None).unwrap_err();
    assert!(
        err.contains("not recognised") && err.contains("Format list"),
        "{err}"
    );
    let err = app
        .load("qr.png", fixture("google/GoogleAuthenticatorExport_3.png"))
        .unwrap_err();
    assert!(err.contains("Scan an image"), "{err}");
    let err = app.load("empty.txt", Vec::new()).unwrap_err();
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn duplicates_are_shown_and_each_row_follows_its_choice() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.add_by_key(
        "NHS Spine",
        "alice",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        json!({ "kind": "live" }),
        "refuse",
    );
    app.add_by_key(
        "EPR",
        "bob",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        json!({ "kind": "none" }),
        "refuse",
    );
    let list =
        "otpauth://totp/NHS%20Spine:alice?secret=MFRGGZDFMZTWQ2LK&issuer=NHS%20Spine%20Live\n\
                otpauth://totp/EPR:bob?secret=KRSXG5CTMVRXEZLU&issuer=EPR\n\
                otpauth://totp/Mail:carol?secret=ONSWG4TFOQYTEMZU&issuer=Mail\n\
                otpauth://totp/Broken?secret=not*base32\n";
    app.load("links.txt", list.as_bytes().to_vec()).unwrap();
    let preview = app.preview(None, None).unwrap();
    assert_eq!(preview["format"], "uris");
    let rows = preview["entries"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(preview["errors"].as_array().unwrap().len(), 1, "{preview}");
    assert!(
        preview["errors"][0].as_str().unwrap().contains("line 4")
            || preview["errors"][0].as_str().unwrap().contains("entry 4")
    );
    // "NHS Spine Live" suggests Live; but the issuer differs, so it is new. EPR/bob is a duplicate.
    assert_eq!(rows[0]["suggestedEnvironment"]["kind"], "live");
    assert!(rows[0]["duplicates"].as_array().unwrap().is_empty());
    assert_eq!(rows[1]["duplicates"][0]["issuer"], "EPR");

    // EPR: replace; Mail: unticked; the Live one: moved to Sandpit by the person.
    let counts = app.ok(
        "import_commit",
        json!({ "choices": [
            { "index": 0, "import": true, "onDuplicate": "keepBoth", "environment": { "kind": "sandpit" } },
            { "index": 1, "import": true, "onDuplicate": "replace", "environment": { "kind": "none" } },
            { "index": 2, "import": false, "onDuplicate": "keepBoth", "environment": { "kind": "none" } },
        ]}),
    );
    assert_eq!(
        (
            counts["added"].as_u64(),
            counts["replaced"].as_u64(),
            counts["skipped"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let accounts = app.accounts();
    assert_eq!(accounts.len(), 3);
    assert!(accounts
        .iter()
        .any(|a| a["issuer"] == "NHS Spine Live" && a["environment"]["kind"] == "sandpit"));
    assert!(!accounts.iter().any(|a| a["issuer"] == "Mail"));
    assert_eq!(
        app.ok("list_trash", json!({})).as_array().unwrap().len(),
        1,
        "replaced EPR in the trash"
    );

    // The same file again with skip for duplicates: EPR is skipped; the Live one is new in Live (the
    // first went to Sandpit; same key, so a warning says so), and Mail is new.
    app.load("links.txt", list.as_bytes().to_vec()).unwrap();
    let again = app.preview(None, None).unwrap();
    assert_eq!(
        again["entries"][1]["duplicates"].as_array().unwrap().len(),
        1
    );
    assert!(again["entries"][0]["duplicates"]
        .as_array()
        .unwrap()
        .is_empty());
    let counts = app.commit_all(&again, "skip");
    assert_eq!(
        (counts["added"].as_u64(), counts["skipped"].as_u64()),
        (Some(2), Some(1)),
        "{counts}"
    );
    assert!(
        counts["warnings"][0]
            .as_str()
            .unwrap()
            .contains("same secret key"),
        "{counts}"
    );
}

fn vault_with_recovery_codes(path: &Path) -> Vault {
    let mut v = Vault::create(
        path,
        CreateOptions {
            password: Some(Password::new("other vault")),
            use_keychain: false,
            kdf: KdfParams::insecure_for_tests(),
        },
    )
    .unwrap();
    let id = v
        .add(
            NewAccount {
                issuer: "EPR".into(),
                account: "dr.who".into(),
                environment: Environment::Live,
                secret: Secret::from_bytes(vec![9; 20]).unwrap(),
                params: OtpParams::totp(),
                note: "ward PC".into(),
            },
            DuplicatePolicy::Refuse,
        )
        .unwrap()
        .id;
    v.store_recovery_codes(
        id,
        vec!["aaaa-1111".into(), "bbbb-2222".into(), "cccc-3333".into()],
        Default::default(),
    )
    .unwrap();
    v.use_recovery_code(id, None).unwrap();
    v
}

#[test]
fn restoring_a_tessera_backup_keeps_recovery_codes_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let other = vault_with_recovery_codes(&dir.path().join("other.tessera"));
    let bytes = backup::seal_vault(
        &other,
        BACKUP_PASSWORD,
        BackupOptions {
            include_trash: false,
            kdf: BackupKdf::insecure_for_tests(),
        },
    )
    .unwrap();
    let app = start(&dir.path().join("app"));
    let info = app.load("b.tessera", bytes).unwrap();
    assert_eq!(
        (
            info["detectedFormat"].as_str(),
            info["needsPassword"].as_bool()
        ),
        (Some("tessera"), Some(true))
    );
    let preview = app.preview(None, Some(BACKUP_PASSWORD)).unwrap();
    let row = &preview["entries"][0];
    assert_eq!(
        (
            row["recoveryCodes"].as_u64(),
            row["recoveryCodesLeft"].as_u64()
        ),
        (Some(3), Some(2))
    );
    assert_eq!(row["suggestedEnvironment"]["kind"], "live");
    assert_eq!(row["hasNote"], true);
    let counts = app.commit_all(&preview, "skip");
    assert_eq!(
        (counts["added"].as_u64(), counts["recoveryCodes"].as_u64()),
        (Some(1), Some(3))
    );
    let restored = &app.accounts()[0];
    assert_eq!(
        restored["id"],
        other.accounts()[0].id.to_string(),
        "id kept"
    );
    assert_eq!(restored["note"], "ward PC");
}

#[test]
fn export_round_trips_every_format_and_records_the_verified_backup() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.add_by_key(
        "NHS Spine",
        "alice",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        json!({ "kind": "live" }),
        "refuse",
    );
    app.add_by_key(
        "NHS Spine",
        "alice",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        json!({ "kind": "sandpit" }),
        "refuse",
    );
    assert!(app.ok("get_settings", json!({}))["lastVerifiedBackup"].is_null());

    // Tessera: weak and mismatched passwords refused, then a verified backup recorded in the settings.
    let err = app
        .export("tessera", "weak.tessera", Some("letmein"), false)
        .unwrap_err();
    assert!(err.contains("too short"), "{err}");
    app.script_dialogs()
        .answer(Some(dir.path().join("x.tessera")), false);
    let err = app
        .call("export_vault", json!({ "request": { "format": "tessera",
              "password": BACKUP_PASSWORD, "confirmPassword": "something else", "includeTrash": false } }))
        .unwrap_err();
    assert!(err.contains("not the same"), "{err}");
    assert!(!dir.path().join("weak.tessera").exists() && !dir.path().join("x.tessera").exists());

    let done = app
        .export("tessera", "b.tessera", Some(BACKUP_PASSWORD), false)
        .unwrap();
    assert!(
        done["summary"]
            .as_str()
            .unwrap()
            .starts_with("backup verified: 2 accounts"),
        "{done}"
    );
    let last = app.ok("get_settings", json!({}))["lastVerifiedBackup"].clone();
    assert_eq!(last["accounts"], 2);
    assert_eq!(
        last["path"],
        dir.path().join("b.tessera").display().to_string()
    );
    assert!(last["atMs"].as_u64().unwrap() > 1_700_000_000_000);
    // Saved beside the vault, and not lost when the settings form saves.
    let mut form = app.ok("get_settings", json!({}));
    form.as_object_mut().unwrap().remove("lastVerifiedBackup");
    form["hideCodes"] = json!(true);
    app.ok("save_settings", json!({ "settings": form }));
    let on_disk: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("app-settings.json")).unwrap())
            .unwrap();
    assert_eq!(on_disk["lastVerifiedBackup"]["accounts"], 2);
    // Never overwrites.
    assert!(app
        .export("tessera", "b.tessera", Some(BACKUP_PASSWORD), false)
        .unwrap_err()
        .contains("already exists"));

    // The backup restores into a fresh vault with environments.
    let fresh = start(&dir.path().join("fresh"));
    fresh
        .load(
            "b.tessera",
            std::fs::read(dir.path().join("b.tessera")).unwrap(),
        )
        .unwrap();
    let p = fresh
        .preview(Some("tessera"), Some(BACKUP_PASSWORD))
        .unwrap();
    fresh.commit_all(&p, "skip");
    let envs: Vec<Value> = fresh
        .accounts()
        .iter()
        .map(|a| a["environment"]["kind"].clone())
        .collect();
    assert_eq!(envs, vec![json!("live"), json!("sandpit")]);

    // URI list: cancelled at the native "NOT encrypted" warning, nothing is written; then written
    // and re-importable.
    assert_eq!(
        app.export("uris", "links.txt", None, false),
        Ok(Value::Null)
    );
    assert!(!dir.path().join("links.txt").exists());
    let done = app.export("uris", "links.txt", None, true).unwrap();
    assert_eq!(
        (done["accounts"].as_u64(), done["encrypted"].as_bool()),
        (Some(2), Some(false))
    );
    let back = formats::import(
        FormatId::Uris,
        &std::fs::read(dir.path().join("links.txt")).unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(back.entries.len(), 2);

    // Aegis: encrypted, readable with the password.
    let done = app
        .export("aegis", "aegis.json", Some(BACKUP_PASSWORD), false)
        .unwrap();
    assert!(
        done["summary"]
            .as_str()
            .unwrap()
            .contains("Aegis, encrypted"),
        "{done}"
    );
    let back = formats::import(
        FormatId::Aegis,
        &std::fs::read(dir.path().join("aegis.json")).unwrap(),
        Some(BACKUP_PASSWORD),
    )
    .unwrap();
    assert_eq!(back.entries.len(), 2);
    assert_eq!(
        back.entries[1].environment_hint,
        Some(tessera_core::vault::Environment::Sandpit)
    );

    // Google QR: needs the confirmation too; writes a PNG.
    assert_eq!(
        app.export("google-qr", "g.png", None, false),
        Ok(Value::Null)
    );
    assert!(!dir.path().join("g.png").exists());
    let done = app.export("google-qr", "g.png", None, true).unwrap();
    assert_eq!(done["files"].as_array().unwrap().len(), 1);
    assert!(std::fs::read(dir.path().join("g.png"))
        .unwrap()
        .starts_with(b"\x89PNG"));

    // Only Tessera backups count as the last verified backup.
    assert_eq!(
        app.ok("get_settings", json!({}))["lastVerifiedBackup"]["path"],
        last["path"]
    );
}

#[test]
fn export_helpers_default_path_and_password_reason() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    // The Save dialog offers a dated name, and says so when the format is not encrypted.
    let dialogs = app.script_dialogs();
    app.ok(
        "export_vault",
        json!({ "request": { "format": "tessera", "password": BACKUP_PASSWORD,
                             "confirmPassword": BACKUP_PASSWORD } }),
    );
    let name = dialogs.saves()[0].file_name.clone();
    assert!(
        name.starts_with("tessera-backup-20") && name.ends_with(".tessera"),
        "{name}"
    );
    app.ok("export_vault", json!({ "request": { "format": "uris" } }));
    assert!(dialogs.saves()[1].file_name.contains("UNENCRYPTED"));
    assert!(app
        .call("export_vault", json!({ "request": { "format": "pdf" } }))
        .is_err());

    assert!(app
        .ok(
            "backup_password_problem",
            json!({ "password": "password2024!" })
        )
        .as_str()
        .unwrap()
        .contains("common"));
    assert!(app
        .ok(
            "backup_password_problem",
            json!({ "password": BACKUP_PASSWORD })
        )
        .is_null());
    // An empty vault has nothing to export.
    let err = app
        .export("tessera", "e.tessera", Some(BACKUP_PASSWORD), false)
        .unwrap_err();
    assert!(err.contains("no accounts"), "{err}");
}

/// Security review #19 / issue 14: a previewed import holds the file and its decrypted keys; locking
/// drops them, so after lock + unlock there is nothing left to commit.
#[test]
fn lock_forgets_a_previewed_import() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    app.load("aegis plain.json", fixture("aegis/aegis_plain.json"))
        .unwrap();
    let preview = app.preview(None, None).unwrap();
    assert!(!preview["entries"].as_array().unwrap().is_empty());
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": "correct horse" }));
    let choices: Vec<Value> = preview["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!({ "index": r["index"], "import": true, "onDuplicate": "skip",
                          "environment": r["suggestedEnvironment"] })
        })
        .collect();
    let err = app
        .call("import_commit", json!({ "choices": choices }))
        .unwrap_err();
    assert!(!err.is_empty());
    assert!(
        app.accounts().is_empty(),
        "nothing was imported after the lock"
    );
    // And the preview itself is gone too: it needs the file again.
    assert!(app.preview(None, None).is_err());
}

/// Security review #20: the WebView says only which format. Rust asks where in its own Save dialog
/// and shows the "NOT encrypted" warning itself; a request naming a path or a consent is refused.
#[test]
fn the_webview_cannot_choose_the_plain_export_path_or_consent() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path());
    for key in [
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ] {
        app.add_by_key("EPR", key, key, json!({ "kind": "live" }), "refuse");
    }
    let planted = dir.path().join("planted.txt");
    let uris = |extra: Value| {
        let mut request = json!({ "format": "uris" });
        request
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        app.call("export_vault", json!({ "request": request }))
    };

    // No dialog answered yet (the mock runtime has no plugin): nothing is written.
    assert_eq!(uris(json!({})), Ok(Value::Null));
    // The old IPC fields are refused, not ignored, even with the dialogs saying yes.
    let dialogs = app.script_dialogs();
    dialogs.answer(Some(dir.path().join("chosen.txt")), true);
    for extra in [
        json!({ "path": planted.display().to_string() }),
        json!({ "acceptUnencrypted": true }),
    ] {
        let err = uris(extra).unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
    }
    assert!(!planted.exists() && !dir.path().join("chosen.txt").exists());
    assert!(dialogs.saves().is_empty(), "refused before any dialog");

    // Cancel at the warning: nothing written. The warning says what anyone with the file can do.
    dialogs.answer(Some(dir.path().join("chosen.txt")), false);
    assert_eq!(uris(json!({})), Ok(Value::Null));
    assert!(!dir.path().join("chosen.txt").exists());
    let warning = &dialogs.confirmations()[0];
    assert!(
        warning.message.contains("chosen.txt")
            && warning.message.contains("NOT encrypted")
            && warning
                .message
                .contains("can read every code of all 2 of your accounts"),
        "{}",
        warning.message
    );
    assert_eq!(warning.proceed, "Save unencrypted");
    // Cancel at the Save dialog: no warning is shown, nothing written.
    dialogs.answer(None, true);
    assert_eq!(uris(json!({})), Ok(Value::Null));
    assert_eq!(dialogs.confirmations().len(), 1);

    // Both answered: written owner-only, and an existing file is never replaced.
    dialogs.answer(Some(dir.path().join("chosen.txt")), true);
    let done = uris(json!({})).unwrap();
    assert_eq!(done["accounts"], 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("chosen.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    std::fs::write(&planted, b"keep me").unwrap();
    dialogs.answer(Some(planted.clone()), true);
    assert!(uris(json!({})).unwrap_err().contains("already exists"));
    assert_eq!(std::fs::read(&planted).unwrap(), b"keep me");
    // Encrypted formats need no warning.
    let before = dialogs.confirmations().len();
    dialogs.answer(Some(dir.path().join("b.tessera")), false);
    app.ok(
        "export_vault",
        json!({ "request": { "format": "tessera", "password": BACKUP_PASSWORD,
                             "confirmPassword": BACKUP_PASSWORD } }),
    );
    assert!(dir.path().join("b.tessera").exists());
    assert_eq!(dialogs.confirmations().len(), before);
}

/// A backup sealed with `kdf`, holding one account (a new vault in a new folder under `dir`).
fn backup_with_kdf(dir: &Path, kdf: BackupKdf) -> Vec<u8> {
    let folder = tempfile::tempdir_in(dir).unwrap().keep();
    let other = vault_with_recovery_codes(&folder.join("other.tessera"));
    backup::seal_vault(
        &other,
        BACKUP_PASSWORD,
        BackupOptions {
            include_trash: false,
            kdf,
        },
    )
    .unwrap()
}

/// Security review #4 in the app: a backup whose header asks for more than the KDF budget is not
/// derived until the person agrees in Rust's native dialog, which names the memory and passes.
#[test]
fn an_expensive_backup_is_derived_only_after_the_native_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    // A hostile header: 1 GiB × 4 passes (inside the hard caps, far above the budget). The header is
    // the AAD, so the file can never open; what matters is that nothing is derived.
    let mut hostile = backup_with_kdf(dir.path(), BackupKdf::insecure_for_tests());
    hostile[10..14].copy_from_slice(&(1024u32 * 1024).to_be_bytes());
    hostile[14..18].copy_from_slice(&4u32.to_be_bytes());
    let app = start(&dir.path().join("app"));
    app.load("hostile.tessera", hostile).unwrap();
    // No dialog answers (as on a desktop without one): refused at once.
    let started = std::time::Instant::now();
    let err = app
        .preview(Some("tessera"), Some(BACKUP_PASSWORD))
        .unwrap_err();
    assert!(err.contains("was not opened"), "{err}");
    // Cancelled in the dialog: refused at once too, and the dialog named the cost.
    let dialogs = app.script_dialogs();
    dialogs.answer(None, false);
    let err = app
        .preview(Some("tessera"), Some(BACKUP_PASSWORD))
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(
        err,
        "hostile.tessera was not opened: its password check asks for Argon2id with 1024 MiB of \
         memory × 4 passes, and you chose not to spend that"
    );
    let asked = dialogs.confirmations();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0]
            .message
            .starts_with("hostile.tessera: the file's password check asks for Argon2id with 1024 MiB of memory × 4 passes, more than Tessera uses without asking"),
        "{}",
        asked[0].message
    );
    assert!(
        elapsed < std::time::Duration::from_millis(500),
        "refused before deriving, in {elapsed:?}"
    );

    // A real backup slightly above the budget (300 MiB × 1 pass): opened once the person agrees, and a
    // second read of the same file does not ask again.
    let pricey = backup_with_kdf(
        dir.path(),
        BackupKdf {
            memory_kib: 300 * 1024,
            passes: 1,
            lanes: 1,
        },
    );
    app.load("pricey.tessera", pricey).unwrap();
    let dialogs = app.script_dialogs();
    dialogs.answer(None, true);
    let preview = app.preview(Some("tessera"), Some(BACKUP_PASSWORD)).unwrap();
    assert_eq!(preview["entries"].as_array().unwrap().len(), 1);
    assert!(dialogs.confirmations()[0]
        .message
        .contains("300 MiB of memory × 1 pass"));
    app.preview(Some("tessera"), Some(BACKUP_PASSWORD)).unwrap();
    assert_eq!(dialogs.confirmations().len(), 1, "asked once per file");

    // Within the budget: nothing is asked.
    let cheap = backup_with_kdf(dir.path(), BackupKdf::insecure_for_tests());
    app.load("cheap.tessera", cheap).unwrap();
    app.preview(Some("tessera"), Some(BACKUP_PASSWORD)).unwrap();
    assert_eq!(dialogs.confirmations().len(), 1);
}

/// Review #4: Argon2 cannot be interrupted, so the derivation runs off the IPC thread and Cancel
/// answers at once while it is still running; its result is then dropped, not shown or imported.
#[test]
fn cancelling_during_a_key_derivation_answers_at_once_and_drops_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let slow = backup_with_kdf(
        dir.path(),
        BackupKdf {
            memory_kib: 300 * 1024,
            passes: 3,
            lanes: 1,
        },
    );
    let app = start(&dir.path().join("app"));
    app.script_dialogs().answer(None, true);
    app.load("slow.tessera", slow).unwrap();
    std::thread::scope(|scope| {
        let webview = app.webview.clone();
        let reading = scope.spawn(move || {
            common::call_on(
                &webview,
                "import_preview",
                json!({ "format": "tessera", "password": BACKUP_PASSWORD }),
            )
        });
        // The confirmation is answered at once; then the key is being derived (about a second).
        std::thread::sleep(std::time::Duration::from_millis(150));
        assert!(!reading.is_finished(), "still deriving");
        let started = std::time::Instant::now();
        app.ok("import_cancel", json!({}));
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_millis(100),
            "cancel waited {took:?}"
        );
        assert!(!reading.is_finished(), "the derivation is still running");
        let late = reading.join().unwrap();
        assert_eq!(late.unwrap_err(), "choose a file to import first");
    });
    let err = app
        .call("import_commit", json!({ "choices": [] }))
        .unwrap_err();
    assert!(err.contains("preview the file"), "{err}");
}
