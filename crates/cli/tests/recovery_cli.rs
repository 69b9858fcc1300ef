//! `tessera recovery …` and `tessera rekey …` end to end, and that recovery codes never leak through
//! the commands that list, search or export accounts. Vaults use a password with cheap KDF settings
//! and no keychain, so they run anywhere.

mod common;

use common::{stderr as err, stdout as out, Cli};

const KEY: &str = "JBSWY3DPEHPK3PXP";
const NEW_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const CODES: &str = "Backup codes for NHS Mail\n1. 1234 5678    2. 2345 6789\n3. 3456 7890    4. 4567 8901\n5. 5678 9012\n";

/// A vault with two accounts: "NHS Mail" (live, with a note) and "Other".
fn setup() -> Cli {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        KEY,
        "--issuer",
        "NHS Mail",
        "--account",
        "a.clinician@nhs.net",
        "--env",
        "live",
        "--note",
        "ward 7",
    ]);
    e.ok(&[
        "add",
        "--secret",
        NEW_KEY,
        "--issuer",
        "Other",
        "--account",
        "x",
    ]);
    e
}

fn assert_no_codes(what: &str, text: &str) {
    for code in [
        "1234 5678",
        "12345678",
        "2345 6789",
        "5678 9012",
        "56789012",
    ] {
        assert!(
            !text.contains(code),
            "{what} leaked recovery code {code}: {text}"
        );
    }
}

#[test]
fn add_list_use_status() {
    let e = setup();
    let o = e.run_stdin(&["recovery", "add", "NHS Mail"], CODES);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("Stored 5 recovery codes"), "{}", out(&o));
    assert!(
        err(&o).contains("Backup codes for NHS Mail"),
        "the skipped heading is reported: {}",
        err(&o)
    );

    let list = e.ok(&["recovery", "list", "NHS Mail"]);
    assert!(
        list.contains("1234 5678") && list.contains("5678 9012"),
        "{list}"
    );
    assert!(list.contains("5 of 5 left"), "{list}");

    // Use the next one, then a specific one (spacing and dashes do not matter).
    assert_eq!(e.ok(&["recovery", "use", "NHS Mail"]).trim(), "1234 5678");
    assert_eq!(
        e.ok(&["recovery", "use", "NHS Mail", "3456-7890"]).trim(),
        "3456 7890"
    );
    let o = e.run(&["recovery", "use", "NHS Mail", "34567890"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already used"), "{}", err(&o));

    let v: serde_json::Value =
        serde_json::from_str(&e.ok(&["recovery", "list", "NHS Mail", "--json"])).unwrap();
    assert_eq!(
        (v["total"].as_u64(), v["remaining"].as_u64()),
        (Some(5), Some(3))
    );
    assert_eq!(v["codes"][0]["used"], true);
    assert!(v["codes"][0]["used_at"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(v["codes"][1]["used"], false);

    let status = e.ok(&["recovery", "status"]);
    assert!(status.contains("3 of 5 left"), "{status}");
    assert!(
        !status.contains("Other"),
        "accounts without codes are not listed: {status}"
    );
    assert_no_codes("recovery status", &status);

    // Few left: warned.
    e.ok(&["recovery", "use", "NHS Mail"]);
    let o = e.run(&["recovery", "use", "NHS Mail"]);
    assert!(
        err(&o).contains("1 recovery code left") || err(&o).contains("only 1"),
        "{}",
        err(&o)
    );
    e.ok(&["recovery", "use", "NHS Mail"]);
    let o = e.run(&["recovery", "use", "NHS Mail"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("all 5 recovery codes have been used"),
        "{}",
        err(&o)
    );
}

#[test]
fn adding_again_needs_replace_or_append() {
    let e = setup();
    e.ok(&[
        "recovery",
        "add",
        "NHS Mail",
        "--codes",
        "1111 2222, 3333 4444",
    ]);
    let o = e.run(&["recovery", "add", "NHS Mail", "--codes", "5555 6666"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--replace or --append"), "{}", err(&o));
    e.ok(&[
        "recovery",
        "add",
        "NHS Mail",
        "--codes",
        "5555 6666, 1111-2222",
        "--append",
    ]);
    assert!(e
        .ok(&["recovery", "status", "NHS Mail"])
        .contains("3 of 3 left"));
    e.ok(&[
        "recovery",
        "add",
        "NHS Mail",
        "--codes",
        "7777 8888",
        "--replace",
    ]);
    assert!(e
        .ok(&["recovery", "status", "NHS Mail"])
        .contains("1 of 1 left"));
    let o = e.run(&["recovery", "add", "NHS Mail", "--codes", "no codes here"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn revealing_needs_the_password() {
    let e = setup();
    e.ok(&["recovery", "add", "NHS Mail", "--codes", CODES]);
    // The vault opens with the password, so a wrong one fails anyway; the point is that listing asks
    // again and refuses without it, and that counts need nothing more than an open vault.
    let o = e.run_with(
        &["recovery", "list", "NHS Mail"],
        &[("TESSERA_PASSWORD", "wrong")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_no_codes("a refused list", &out(&o));
    assert_no_codes("a refused list (stderr)", &err(&o));
}

#[test]
fn recovery_codes_never_leak_through_list_search_or_export() {
    let e = setup();
    e.ok(&["recovery", "add", "NHS Mail", "--codes", CODES]);
    assert_no_codes("list", &e.ok(&["list"]));
    assert_no_codes("list --json", &e.ok(&["list", "--json"]));
    assert_no_codes("list --trash --json", &e.ok(&["list", "--trash", "--json"]));
    assert_no_codes("code QUERY", &e.ok(&["code", "NHS Mail"]));
    // Searching for a code finds no account: codes are not searchable. (The error repeats the query
    // itself, so only the other codes are checked there.)
    for query in ["12345678", "1234 5678"] {
        let o = e.run(&["code", query]);
        assert_eq!(o.status.code(), Some(1), "{}", err(&o));
        assert_eq!(out(&o), "");
        for other in ["2345 6789", "5678 9012", "56789012"] {
            assert!(
                !err(&o).contains(other),
                "search leaked {other}: {}",
                err(&o)
            );
        }
    }
    // The vault file on disk is encrypted: no code in clear.
    let bytes = std::fs::read(&e.vault).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert_no_codes("the vault file", &text);
    // Plain exports: the URI list (and the encrypted formats, which hold the same entries).
    let uris = e.path("export.txt");
    e.ok(&[
        "export",
        "--format",
        "uris",
        "--out",
        uris.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&uris).unwrap();
    assert!(text.contains("otpauth://"), "{text}");
    assert_no_codes("export --format uris", &text);
    // Status shows counts only.
    assert_no_codes("status --json", &e.ok(&["recovery", "status", "--json"]));
}

#[test]
fn rekey_keeps_the_old_key_until_confirmed() {
    let e = setup();
    e.ok(&["recovery", "add", "NHS Mail", "--codes", CODES]);
    let old_code = e.ok(&["code", "NHS Mail", "--at", "1795386615"]);
    let out1 = e.ok(&["rekey", "NHS Mail", "--secret", "MFRGGZDFMZTWQ2LK"]);
    assert!(out1.contains("previous key is kept"), "{out1}");
    assert!(out1.contains("--confirm"), "{out1}");
    // Names, environment, note and recovery codes stay; the code now comes from the new key.
    let v: serde_json::Value = e
        .ok(&["list", "--json"])
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["issuer"] == "NHS Mail")
        .unwrap();
    assert_eq!(
        (v["account"].as_str(), v["environment"].as_str()),
        (Some("a.clinician@nhs.net"), Some("live"))
    );
    let new_code = e.ok(&["code", "NHS Mail", "--at", "1795386615"]);
    assert_ne!(new_code, old_code);
    let expected = e.ok(&["code", "--secret", "MFRGGZDFMZTWQ2LK", "--at", "1795386615"]);
    assert_eq!(new_code, expected);
    assert!(e
        .ok(&["recovery", "status", "NHS Mail"])
        .contains("5 of 5 left"));
    // Status shows both codes, the old one marked previous key; the trash is still empty.
    let status = e.ok(&["rekey", "NHS Mail"]);
    assert!(
        status.contains("Previous key code") && status.contains("previous key"),
        "{status}"
    );
    assert!(status.contains("key last changed"), "{status}");
    assert_eq!(e.ok(&["list", "--trash", "--json"]).trim(), "");
    // The list marks the kept previous key and shows counts, never codes.
    let listed = e.ok(&["list"]);
    assert!(
        listed.contains("[previous key kept until confirmed]"),
        "{listed}"
    );
    assert!(listed.contains("recovery: 5 of 5 left"), "{listed}");
    let v: serde_json::Value = e
        .ok(&["list", "--json"])
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["issuer"] == "NHS Mail")
        .unwrap();
    assert_eq!(v["previous_key"], true);
    assert!(v["key_changed_at"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(v["recovery_codes"]["remaining"], 5);
    // Confirm: the previous key goes to the trash, restorable.
    let confirmed = e.ok(&["rekey", "NHS Mail", "--confirm"]);
    assert!(
        e.ok(&["list"]).contains("key changed 20"),
        "the date of the change is shown once confirmed"
    );
    assert!(confirmed.contains("in the trash"), "{confirmed}");
    let trash = e.ok(&["list", "--trash", "--json"]);
    assert_eq!(trash.lines().count(), 1, "{trash}");
    assert!(trash.contains("NHS Mail"));
    let o = e.run(&["rekey", "NHS Mail", "--confirm"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("no previous key"), "{}", err(&o));
}

#[test]
fn rekey_from_uri_and_revert() {
    let e = setup();
    let before = e.ok(&["code", "NHS Mail", "--at", "1795386615"]);
    let uri = format!("otpauth://totp/Ignored:someone?secret={NEW_KEY}&digits=8&issuer=Ignored");
    e.ok(&["rekey", "NHS Mail", "--uri", &uri]);
    let code = e.ok(&["code", "NHS Mail", "--at", "1795386615"]);
    assert_eq!(code.trim().len(), 8, "the URI's settings apply: {code}");
    // The account keeps its own names, not the URI's.
    assert!(e.ok(&["list"]).contains("NHS Mail"));
    e.ok(&["rekey", "NHS Mail", "--revert"]);
    assert_eq!(e.ok(&["code", "NHS Mail", "--at", "1795386615"]), before);
    assert_eq!(e.ok(&["list", "--trash", "--json"]).lines().count(), 1);
    // Bad input: no such account, bad key.
    assert_eq!(
        e.run(&["rekey", "Nobody", "--secret", NEW_KEY])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        e.run(&["rekey", "NHS Mail", "--secret", "not a key!"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rekey_from_a_qr_image() {
    let e = setup();
    // A QR image holding one account with the new key: written by a second vault's Google export.
    let other = Cli::with_vault();
    other.ok(&[
        "add",
        "--secret",
        "MFRGGZDFMZTWQ2LK",
        "--issuer",
        "NHS Mail",
        "--account",
        "new",
    ]);
    let png = e.path("new-code.png");
    other.ok(&[
        "export",
        "--format",
        "google-qr",
        "--out",
        png.to_str().unwrap(),
    ]);
    let o = e.run(&["rekey", "NHS Mail", "--image", png.to_str().unwrap()]);
    assert!(o.status.success(), "{}", err(&o));
    let expected = e.ok(&["code", "--secret", "MFRGGZDFMZTWQ2LK", "--at", "1795386615"]);
    assert_eq!(e.ok(&["code", "NHS Mail", "--at", "1795386615"]), expected);
    // A picture without a QR code: nothing found.
    let blank = e.path("blank.png");
    image::GrayImage::from_pixel(64, 64, image::Luma([255u8]))
        .save(&blank)
        .unwrap();
    let o = e.run(&["rekey", "NHS Mail", "--image", blank.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
}
