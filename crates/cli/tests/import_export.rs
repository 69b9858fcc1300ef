//! The CLI contract of `tessera import`, `tessera export` and `tessera backup verify`, black-box:
//! real fixture files in, JSON and exit codes out; a throwaway password-only vault (no keychain).

mod common;

use common::{json_lines, stderr as err, stdout as out, tessera_command, Cli, QUICK_INIT};

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures")
}

fn fixture(path: &str) -> String {
    fixtures().join(path).display().to_string()
}

/// Runs tessera with `file_password` for files, against the harness vault if one is given (else with
/// no vault at all).
fn tessera(args: &[&str], file_password: Option<&str>, cli: Option<&Cli>) -> Output {
    let mut cmd = match cli {
        Some(cli) => cli.command(args),
        None => tessera_command(args),
    };
    if let Some(p) = file_password {
        cmd.env("TESSERA_FILE_PASSWORD", p);
    }
    cmd.output().expect("run tessera")
}

#[test]
fn dry_run_json_without_a_vault() {
    let aegis = fixture("aegis/aegis_encrypted.json");
    let o = tessera(
        &["import", "--dry-run", "--json", &aegis],
        Some("test"),
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let lines = json_lines(&out(&o));
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[0]["issuer"], "Deno");
    assert_eq!(lines[0]["account"], "Mason");
    assert_eq!(lines[0]["type"], "totp");
    assert_eq!(lines[0]["period"], 30);
    assert!(lines[0].get("environment").is_some() && lines[0].get("note").is_some());
    assert!(
        lines.iter().all(|l| l.get("secret").is_none()),
        "secrets shown without --show-secrets"
    );
    assert_eq!(lines[3]["type"], "hotp");
    assert_eq!(lines[3]["counter"], 1);

    let o = tessera(
        &["import", "--dry-run", "--json", "--show-secrets", &aegis],
        Some("test"),
        None,
    );
    assert_eq!(
        json_lines(&out(&o))[0]["secret"],
        "4SJHB4GSD43FZBAI7C2HLRJGPQ"
    );
}

#[test]
fn dry_run_reports_entries_that_cannot_be_imported() {
    let f = fixture("2fas/proton_unsupported_algorithms.2fas");
    let o = tessera(
        &["import", "--dry-run", "--json", "--format", "2fas", &f],
        None,
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let lines = json_lines(&out(&o));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["type"], "hotp");
    assert!(
        lines[1]["error"].as_str().unwrap().contains("SHA384"),
        "{lines:?}"
    );
}

#[test]
fn every_format_imports_from_the_cli() {
    for (format, path, password, count) in [
        ("uris", "uris/aegis_plain.txt", None, 7),
        ("aegis", "aegis/aegis_plain.json", None, 7),
        ("2fas", "2fas/2fas_schema4_encrypted.2fas", Some("test"), 5),
        ("google", "google/export_hotp_big_qr.txt", None, 7),
        ("bitwarden", "bitwarden/bitwarden.csv", None, 4),
        ("ente", "ente/ente_auth.txt", None, 7),
        ("andotp", "andotp/andotp_encrypted_old.bin", Some("test"), 6),
        ("proton", "proton/proton_authenticator.json", None, 3),
        ("freeotp-plus", "freeotp-plus/freeotp_plus.json", None, 6),
        ("stratum", "stratum/stratum_encrypted.bin", Some("test"), 7),
    ] {
        let o = tessera(
            &[
                "import",
                "--dry-run",
                "--json",
                "--format",
                format,
                &fixture(path),
            ],
            password,
            None,
        );
        assert!(o.status.success(), "{format}: {}", err(&o));
        let objects = json_lines(&out(&o));
        assert_eq!(
            objects.iter().filter(|v| v.get("error").is_none()).count(),
            count,
            "{format}"
        );
    }
}

#[test]
fn bad_files_exit_2_and_import_nothing() {
    let cli = Cli::new();
    let aegis = std::fs::read(fixtures().join("aegis/aegis_encrypted.json")).unwrap();
    let truncated = cli.path("truncated.json");
    std::fs::write(&truncated, &aegis[..aegis.len() / 2]).unwrap();
    let stratum = std::fs::read(fixtures().join("stratum/stratum_encrypted.bin")).unwrap();
    let mut changed = stratum.clone();
    let mid = changed.len() / 2;
    changed[mid] ^= 1;
    let tampered = cli.path("tampered.stratum");
    std::fs::write(&tampered, &changed).unwrap();
    let unknown = cli.path("notes.txt");
    std::fs::write(&unknown, "just some notes\n").unwrap();

    let cases: Vec<(Vec<String>, Option<&str>, &str)> = vec![
        (
            vec![fixture("aegis/aegis_encrypted.json")],
            Some("wrong"),
            "wrong password",
        ),
        (
            vec![truncated.display().to_string()],
            Some("test"),
            "cut short",
        ),
        (
            vec![tampered.display().to_string()],
            Some("test"),
            "authentication failed",
        ),
        (vec![unknown.display().to_string()], None, "not recognised"),
        // One bad file among good ones: nothing at all is imported.
        (
            vec![
                fixture("uris/aegis_plain.txt"),
                unknown.display().to_string(),
            ],
            None,
            "not recognised",
        ),
    ];
    cli.ok(QUICK_INIT);
    for (files, password, message) in cases {
        let mut args = vec!["import".to_string(), "--yes".to_string()];
        args.extend(files.clone());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = tessera(&args, password, Some(&cli));
        assert_eq!(o.status.code(), Some(2), "{files:?}: {}", err(&o));
        assert!(
            err(&o).starts_with("error: ") && err(&o).contains(message),
            "{files:?}: {}",
            err(&o)
        );
        // Dry run fails the same way.
        let mut dry = vec!["import", "--dry-run"];
        dry.extend(files.iter().map(String::as_str));
        assert_eq!(tessera(&dry, password, None).status.code(), Some(2));
    }
    let list = tessera(&["list"], None, Some(&cli));
    assert!(
        !out(&list).contains("Deno"),
        "something was imported: {}",
        out(&list)
    );
}

#[test]
fn import_into_vault_with_duplicate_rules_then_backup_round_trip() {
    let cli = Cli::with_vault();
    let uris = cli.path("mixed.txt");
    std::fs::write(
        &uris,
        "otpauth://totp/EPR%20Training:dr.who?secret=JBSWY3DPEHPK3PXP\notpauth://totp/EPR:dr.who?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ\n",
    )
    .unwrap();
    let uris = uris.display().to_string();
    let o = tessera(
        &["import", &uris, &fixture("aegis/aegis_plain.json")],
        None,
        Some(&cli),
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("imported 9 account(s)"), "{}", out(&o));
    assert!(
        out(&o).contains("[Sandpit]"),
        "environment suggestion shown: {}",
        out(&o)
    );

    // Same files again: all duplicates, skipped by default → nothing to import.
    let o = tessera(&["import", &uris], None, Some(&cli));
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("duplicate of"), "{}", out(&o));
    let o = tessera(&["import", "--keep-both", &uris], None, Some(&cli));
    assert!(out(&o).contains("imported 2 account(s)"), "{}", out(&o));

    // Weak passwords are refused with a reason, and no file is written.
    let backup = cli.path("backup.tessera");
    let backup_s = backup.display().to_string();
    let o = tessera(
        &["export", "--out", &backup_s],
        Some("password123"),
        Some(&cli),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("password"), "{}", err(&o));
    assert!(!backup.exists());

    let strong = "plinth mango ferry cobalt";
    let o = tessera(
        &["export", "--format", "tessera", "--out", &backup_s],
        Some(strong),
        Some(&cli),
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("backup verified: 11 accounts"),
        "{}",
        out(&o)
    );

    let o = tessera(&["backup", "verify", &backup_s], Some(strong), None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("backup verified: 11 accounts"),
        "{}",
        out(&o)
    );
    let o = tessera(&["backup", "verify", &backup_s], Some("not it"), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("wrong password"), "{}", err(&o));

    // The backup restores into a new vault with environments and notes, without any keychain.
    let o = tessera(
        &["import", "--dry-run", "--json", &backup_s],
        Some(strong),
        None,
    );
    let lines = json_lines(&out(&o));
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[0]["issuer"], "EPR Training");
    assert_eq!(lines[0]["environment"], "sandpit");
    let other = Cli::with_vault();
    let o = tessera(&["import", &backup_s], Some(strong), Some(&other));
    assert!(
        out(&o).contains("imported 11 account(s)"),
        "{} {}",
        out(&o),
        err(&o)
    );

    // A tampered backup is refused.
    let mut bytes = std::fs::read(&backup).unwrap();
    let at = bytes.len() - 5;
    bytes[at] ^= 0x40;
    let bad = cli.path("bad.tessera");
    std::fs::write(&bad, &bytes).unwrap();
    let o = tessera(
        &["backup", "verify", &bad.display().to_string()],
        Some(strong),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("damaged or changed"), "{}", err(&o));
}

#[test]
fn export_aegis_uris_and_google_qr_read_back() {
    let cli = Cli::with_vault();
    let o = tessera(
        &["import", &fixture("aegis/aegis_plain.json")],
        None,
        Some(&cli),
    );
    assert!(o.status.success(), "{}", err(&o));

    let aegis = cli.path("aegis.json").display().to_string();
    let o = tessera(
        &["export", "--format", "aegis", "--out", &aegis],
        Some("plinth mango ferry cobalt"),
        Some(&cli),
    );
    assert!(
        out(&o).contains("export verified: 7 accounts"),
        "{} {}",
        out(&o),
        err(&o)
    );
    let o = tessera(
        &["import", "--dry-run", "--json", &aegis],
        Some("plinth mango ferry cobalt"),
        None,
    );
    assert_eq!(json_lines(&out(&o)).len(), 7);

    let uris = cli.path("codes.txt").display().to_string();
    let o = tessera(
        &["export", "--format", "uris", "--out", &uris],
        None,
        Some(&cli),
    );
    assert!(
        out(&o).contains("export verified: 7 accounts"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("UNENCRYPTED"));

    let png = cli.path("google.png");
    let o = tessera(
        &[
            "export",
            "--format",
            "google-qr",
            "--out",
            &png.display().to_string(),
        ],
        None,
        Some(&cli),
    );
    assert!(o.status.success(), "{}", err(&o));
    // Steam, 7 digits and non-30 s periods cannot go to Google Authenticator: said per account.
    assert!(
        err(&o).contains("not exported: Boeing / Sophia"),
        "{}",
        err(&o)
    );
    assert!(
        out(&o).contains("export verified: 3 accounts"),
        "{}",
        out(&o)
    );
    assert!(png.exists());
}

#[test]
fn google_qr_images_import_and_round_trip() {
    // A real Google Authenticator export screenshot (QR 1 of 4 of its export).
    let shot = fixture("google/GoogleAuthenticatorExport_3.png");
    let o = tessera(&["import", "--dry-run", "--json", &shot], None, None);
    assert!(o.status.success(), "{}", err(&o));
    let lines = json_lines(&out(&o));
    let accounts: Vec<&Value> = lines
        .iter()
        .filter(|l| l.get("error").is_none() && l.get("warning").is_none())
        .collect();
    assert_eq!(accounts.len(), 10);
    // Missing QR codes are a warning about the file, never an entry error.
    assert!(lines.iter().all(|l| l.get("error").is_none()), "{lines:?}");
    assert!(
        lines.iter().any(|l| l["warning"]
            .as_str()
            .is_some_and(|e| e.contains("2, 3, 4 of 4"))),
        "{lines:?}"
    );

    // Our own QR export, several images read back together as one export.
    let cli = Cli::with_vault();
    let mut uris = String::new();
    for i in 0..8 {
        uris.push_str(&format!(
            "otpauth://totp/Service{i}:user{i}?secret=JBSWY3DPEHPK3PX{}\n",
            (b'A' + i as u8) as char
        ));
    }
    let list = cli.path("list.txt");
    std::fs::write(&list, uris).unwrap();
    assert!(
        tessera(&["import", &list.display().to_string()], None, Some(&cli))
            .status
            .success()
    );
    let png = cli.path("g.png");
    let o = tessera(
        &[
            "export",
            "--format",
            "google-qr",
            "--out",
            &png.display().to_string(),
        ],
        None,
        Some(&cli),
    );
    assert!(
        out(&o).contains("export verified: 8 accounts in 2 QR code image(s)"),
        "{} {}",
        out(&o),
        err(&o)
    );
    let images: Vec<String> = (1..=2)
        .map(|i| cli.path(&format!("g-{i}-of-2.png")).display().to_string())
        .collect();
    let o = tessera(
        &["import", "--dry-run", "--json", &images[0], &images[1]],
        None,
        None,
    );
    let lines = json_lines(&out(&o));
    assert_eq!(lines.len(), 8, "{lines:?}");
    assert!(lines.iter().all(|l| l.get("error").is_none()));
    // One image alone: the missing QR code is reported (as a warning about the file).
    let o = tessera(&["import", "--dry-run", "--json", &images[1]], None, None);
    assert!(json_lines(&out(&o))
        .iter()
        .any(|l| l["warning"].as_str().is_some_and(|e| e.contains("1 of 2"))));
}
