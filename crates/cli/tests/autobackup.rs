//! `tessera backup auto` / `backup status` and automatic backups after every change (issue 15).

mod common;
use common::*;
use std::path::Path;

const STRONG: &str = "plinth mango ferry cobalt";
/// Cheap Argon2id for the backup key (hidden flags, like `init`'s).
const CHEAP: &[&str] = &["--kdf-memory-kib", "64", "--kdf-passes", "1"];

fn backups(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("tessera-backup-") && n.ends_with(".tessera"))
        .collect();
    v.sort();
    v
}

fn add(cli: &Cli, issuer: &str, env: &str) -> std::process::Output {
    cli.run(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        issuer,
        "--account",
        "dr.who",
        "--env",
        env,
    ])
}

fn turn_on(cli: &Cli, folder: &Path, extra: &[&str]) -> std::process::Output {
    let f = folder.to_str().unwrap();
    let mut args = vec!["backup", "auto", "--folder", f];
    args.extend_from_slice(extra);
    args.extend_from_slice(CHEAP);
    cli.command(&args)
        .env("TESSERA_FILE_PASSWORD", STRONG)
        .output()
        .unwrap()
}

fn status(cli: &Cli) -> serde_json::Value {
    let lines = cli.json_lines(&["backup", "status", "--json"]);
    assert_eq!(lines.len(), 1);
    lines[0].clone()
}

#[test]
fn on_status_each_change_keep_off_and_restore() {
    let cli = Cli::with_vault();
    let folder = cli.dir.path().join("sync");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), b"mine").unwrap();
    std::fs::write(folder.join("tessera-backup-notes.txt"), b"mine").unwrap();

    // Off before anything.
    let s = status(&cli);
    assert_eq!(s["enabled"], false);
    assert!(s["folder"].is_null() && s["last_verified"].is_null() && s["last_file"].is_null());
    assert!(s["accounts"].is_null() && s["last_error"].is_null());
    assert_eq!(s["keep"], 10);

    assert!(add(&cli, "EPR", "live").status.success());
    let o = turn_on(&cli, &folder, &["--keep", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(backups(&folder).len(), 1, "a first backup at once");

    let s = status(&cli);
    let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7, "{s}");
    assert_eq!(s["enabled"], true);
    assert_eq!(s["keep"], 3);
    assert_eq!(s["accounts"], 1);
    assert!(s["last_error"].is_null());
    assert!(s["folder"].as_str().unwrap().ends_with("sync"));
    let when = s["last_verified"].as_str().unwrap();
    assert!(
        when.len() == 20 && when.ends_with('Z') && when.as_bytes()[10] == b'T',
        "{when}"
    );
    let last = s["last_file"].as_str().unwrap().to_string();
    assert!(Path::new(&last).exists());

    // Each change adds a verified file (names clash within a second: -2, -3 …).
    assert!(add(&cli, "EPR", "sandpit").status.success());
    assert_eq!(backups(&folder).len(), 2);
    assert!(add(&cli, "Mail", "none").status.success());
    assert_eq!(backups(&folder).len(), 3);
    let o = cli.run(&["rename", "Mail", "--issuer", "NHS Mail"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(backups(&folder).len(), 3, "keep 3");
    assert_eq!(status(&cli)["accounts"], 3);

    // Nothing else in the folder is touched.
    assert!(folder.join("notes.txt").exists());
    assert!(folder.join("tessera-backup-notes.txt").exists());

    // The newest opens with the password alone and lists every account, environments included.
    let newest = status(&cli)["last_file"].as_str().unwrap().to_string();
    let o = cli
        .command(&["import", &newest, "--dry-run", "--json"])
        .env("TESSERA_FILE_PASSWORD", STRONG)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 3, "{}", stdout(&o));
    let mut envs: Vec<String> = lines
        .iter()
        .map(|l| l["environment"].as_str().unwrap_or("").to_string())
        .collect();
    envs.sort();
    assert!(
        envs.contains(&"live".to_string()) && envs.contains(&"sandpit".to_string()),
        "{envs:?}"
    );
    assert!(lines.iter().any(|l| l["issuer"] == "NHS Mail"));

    // Readable status lines.
    let text = cli.ok(&["backup", "status"]);
    assert!(text.contains("automatic backups: on"), "{text}");

    // Off: no more files, the existing ones stay.
    let o = cli.run(&["backup", "auto", "--off"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(status(&cli)["enabled"], false);
    assert!(add(&cli, "Other", "live").status.success());
    assert_eq!(backups(&folder).len(), 3);
}

#[test]
fn weak_password_is_refused_with_exit_2() {
    let cli = Cli::with_vault();
    let folder = cli.dir.path().join("sync");
    std::fs::create_dir(&folder).unwrap();
    let f = folder.to_str().unwrap();
    let mut args = vec!["backup", "auto", "--folder", f];
    args.extend_from_slice(CHEAP);
    let o = cli
        .command(&args)
        .env("TESSERA_FILE_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    assert!(backups(&folder).is_empty());
    assert_eq!(status(&cli)["enabled"], false);
}

#[test]
fn failing_folder_warns_and_the_change_still_succeeds() {
    let cli = Cli::with_vault();
    let folder = cli.dir.path().join("sync");
    std::fs::create_dir(&folder).unwrap();
    assert!(turn_on(&cli, &folder, &[]).status.success());
    std::fs::remove_dir_all(&folder).unwrap();

    let o = add(&cli, "EPR", "live");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).lines().any(|l| l.starts_with("warning:")),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        cli.json_lines(&["list", "--json"]).len(),
        1,
        "the change was saved"
    );
    let s = status(&cli);
    assert!(s["last_error"].is_string(), "{s}");

    // A folder under a regular file (unwritable even for root).
    let file = cli.dir.path().join("plain");
    std::fs::write(&file, b"x").unwrap();
    assert!(turn_on(&cli, &file.join("sub"), &[]).status.success());
    let o = add(&cli, "Mail", "none");
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("warning:"), "{}", stderr(&o));

    // The next change tries again and succeeds once the folder is back.
    std::fs::create_dir(&folder).unwrap();
    assert!(turn_on(&cli, &folder, &[]).status.success());
    let o = cli.run(&["remove", "Mail"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning:"), "{}", stderr(&o));
    assert!(status(&cli)["last_error"].is_null());
    assert_eq!(status(&cli)["accounts"], 1);
}

#[test]
fn every_kind_of_change_writes_a_backup() {
    let cli = Cli::with_vault();
    let folder = cli.dir.path().join("sync");
    std::fs::create_dir(&folder).unwrap();
    assert!(add(&cli, "EPR", "live").status.success());
    assert!(turn_on(&cli, &folder, &["--keep", "50"]).status.success());
    let mut expected = 1;
    let id = cli.json_lines(&["list", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let changes: Vec<Vec<&str>> = vec![
        vec!["edit", "EPR", "--note", "ward PC"],
        vec!["rename", "EPR", "--issuer", "EPR Live"],
        vec![
            "recovery",
            "add",
            "EPR Live",
            "--codes",
            "1. 1234 5678\n2. 2345 6789\n",
        ],
        vec!["rekey", "EPR Live", "--secret", "GEZDGNBVGY3TQOJQ"],
        vec!["remove", &id[..8]],
        vec!["restore", &id[..8]],
    ];
    for args in &changes {
        let o = cli.run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        expected += 1;
        assert_eq!(backups(&folder).len(), expected, "{args:?} wrote no backup");
    }
    // Reading commands write nothing.
    cli.ok(&["list"]);
    assert_eq!(backups(&folder).len(), expected);
    // An import is a change too; the newest backup has the imported account.
    let uris = cli.dir.path().join("uris.txt");
    std::fs::write(
        &uris,
        "otpauth://totp/Mail:bob?secret=JBSWY3DPEHPK3PXP&issuer=Mail\n",
    )
    .unwrap();
    let o = cli.run(&["import", uris.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(backups(&folder).len(), expected + 1);
    assert_eq!(status(&cli)["accounts"], 2);
}

/// Turning backups on with a folder that does not exist yet creates it and writes the first backup.
#[test]
fn turning_on_creates_a_missing_folder() {
    let cli = Cli::new()
        .password("test password long")
        .env("TESSERA_FILE_PASSWORD", STRONG);
    let folder = cli.path("new").join("backups");
    let run = |args: &[&str]| cli.run(args);
    let o = run(&[
        "init",
        "--password",
        "--no-keychain",
        "--kdf-memory-kib",
        "1024",
        "--kdf-passes",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "backup",
        "auto",
        "--folder",
        folder.to_str().unwrap(),
        "--kdf-memory-kib",
        "1024",
        "--kdf-passes",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert_eq!(files.len(), 1, "the first backup is written at once");
}
