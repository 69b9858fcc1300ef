//! The vault commands end to end: init, add, list, code QUERY, rename, edit, remove, restore, passwd.
//! Vaults here use a password with cheap KDF settings and no keychain, so they run anywhere.

mod common;

use common::{stderr as err, stdout as out, Cli, QUICK_INIT};

use std::path::Path;

#[test]
fn init_refuses_existing_vault_and_missing_vault_says_run_init() {
    let e = Cli::with_vault();
    let o = e.run(&["init", "--no-keychain"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already exists"), "{}", err(&o));

    let missing = e.vault.with_file_name("none.tessera");
    let o = e.run_with(&["list"], &[("TESSERA_VAULT", missing.to_str().unwrap())]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("error: there is no vault at"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("tessera init"));
}

#[test]
fn vault_flag_overrides_environment() {
    let e = Cli::with_vault();
    let other = e.vault.with_file_name("other.tessera");
    let args = [&["--vault", other.to_str().unwrap()], QUICK_INIT].concat();
    let o = e.run_with(&args, &[("TESSERA_VAULT", "/nonexistent/ignored.tessera")]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(other.is_file());
    // Global option: also accepted after the subcommand.
    let o = e.run_with(
        &["list", "--vault", other.to_str().unwrap()],
        &[("TESSERA_VAULT", "/nonexistent/x")],
    );
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn live_and_sandpit_side_by_side_and_duplicates_refused() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "NHS Mail",
        "--account",
        "dr.who",
        "--env",
        "live",
    ]);
    e.ok(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "--issuer",
        "NHS Mail",
        "--account",
        "dr.who",
        "--env",
        "Sandpit",
    ]);

    let o = e.run(&[
        "add",
        "--secret",
        "MZXW6YTBOI",
        "--issuer",
        "nhs mail",
        "--account",
        "DR.WHO",
        "--env",
        "LIVE",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let msg = err(&o);
    assert!(
        msg.contains("NHS Mail (dr.who) [Live]")
            && msg.contains("--replace")
            && msg.contains("--keep-both"),
        "{msg}"
    );
    assert!(msg.contains("Nothing was added"), "{msg}");

    let list = e.json_lines(&["list", "--json"]);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["environment"], "live");
    assert_eq!(list[1]["environment"], "sandpit");
    assert_eq!(list[0]["type"], "totp");
    assert_eq!(list[0]["algorithm"], "SHA1");
    assert_eq!(list[0]["digits"], 6);
    assert_eq!(list[0]["period"], 30);
    let keys: Vec<&String> = list[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 8, "{keys:?}");
    assert!(
        !e.ok(&["list", "--json"]).contains("JBSWY3DP"),
        "list never shows secrets"
    );

    // Ambiguous: both environments match; --env picks one.
    let o = e.run(&["code", "nhs mail", "--at", "59"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("matches 2 accounts") && err(&o).contains("[Sandpit]"),
        "{}",
        err(&o)
    );
    assert_eq!(
        e.ok(&["code", "nhs mail", "--env", "sandpit", "--at", "59"]),
        "287082\n"
    );
    assert_eq!(
        e.ok(&["code", "NHS Mail", "--env", "live", "--at", "59"]),
        "996554\n"
    );
    let o = e.run(&["code", "no such thing"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn replace_and_keep_both() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "EPR",
        "--account",
        "nurse",
        "--env",
        "live",
    ]);
    let o = e.run(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "EPR",
        "--account",
        "nurse",
        "--env",
        "live",
        "--keep-both",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("same secret key"), "{}", err(&o));
    assert!(out(&o).contains("nurse (2)"), "{}", out(&o));

    let o = e.run(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "--issuer",
        "EPR",
        "--account",
        "nurse",
        "--env",
        "live",
        "--replace",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("in the trash"), "{}", err(&o));
    let list = e.json_lines(&["list", "--json"]);
    assert_eq!(list.len(), 2);
    let trash = e.json_lines(&["list", "--trash", "--json"]);
    assert_eq!(trash.len(), 1);
    assert_eq!(e.ok(&["code", "EPR:nurse", "--at", "59"]), "287082\n");

    // Restore the replaced one: kept beside the new one.
    let id = trash[0]["id"].as_str().unwrap().to_string();
    let o = e.run(&["restore", &id[..8]]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(e.json_lines(&["list", "--json"]).len(), 3);
    assert_eq!(e.ok(&["list", "--trash", "--json"]), "");
    assert!(
        e.run(&[
            "--vault",
            "x",
            "add",
            "--replace",
            "--keep-both",
            "--secret",
            "AA"
        ])
        .status
        .code()
            == Some(2)
    );
}

#[test]
fn add_from_uris_including_a_migration_export() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--uri",
        "otpauth://hotp/ACME:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=ACME",
        "--env",
        "sandpit",
    ]);
    // Google Authenticator export with two accounts (made by `tessera uri` code on main's encoder).
    let export = tessera_core::migration::encode(
        &[
            tessera_core::OtpEntry::new(
                "Google",
                "a@example.com",
                tessera_core::Secret::parse_base32("JBSWY3DPEHPK3PXP")
                    .unwrap()
                    .0,
                tessera_core::OtpParams::totp(),
            ),
            tessera_core::OtpEntry::new(
                "GitHub",
                "octo",
                tessera_core::Secret::parse_base32("MZXW6YTBOI").unwrap().0,
                tessera_core::OtpParams::totp(),
            ),
        ],
        0,
        1,
        42,
    )
    .unwrap();
    let o = e.run(&["add", "--uri", &export]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o).lines().count(), 2, "{}", out(&o));
    let list = e.json_lines(&["list", "--json"]);
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["type"], "hotp");
    assert_eq!(list[0]["period"], serde_json::Value::Null);
    assert_eq!(list[2]["issuer"], "GitHub");
    // The same export again: refused as a whole.
    let o = e.run(&["add", "--uri", &export]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("these accounts are already in the vault"),
        "{}",
        err(&o)
    );
    // Live and Sandpit logins exported from Google Authenticator arrive with the same name.
    let twin = |key: &str| {
        tessera_core::OtpEntry::new(
            "EPR",
            "nurse",
            tessera_core::Secret::parse_base32(key).unwrap().0,
            tessera_core::OtpParams::totp(),
        )
    };
    let twins = tessera_core::migration::encode(
        &[twin("MFRGGZDFMZTWQ2LK"), twin("GEZDGNBVGY3TQOJQ")],
        0,
        1,
        7,
    )
    .unwrap();
    let o = e.run(&["add", "--uri", &twins]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("appears more than once"), "{}", err(&o));
    assert_eq!(e.json_lines(&["list", "--json"]).len(), 3);
    let o = e.run(&["add", "--uri", &twins, "--keep-both"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("nurse (2)"), "{}", out(&o));
    // HOTP from the vault advances the counter.
    assert_eq!(e.ok(&["code", "acme"]), "755224\n");
    assert_eq!(e.ok(&["code", "acme"]), "287082\n");
}

#[test]
fn rename_edit_remove() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "NHS",
        "--account",
        "dr",
        "--env",
        "live",
    ]);
    e.ok(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--issuer",
        "NHS",
        "--account",
        "dr",
        "--env",
        "sandpit",
    ]);
    let o = e.run(&["rename", "NHS", "--issuer", "NHS Mail"]);
    assert_eq!(o.status.code(), Some(2), "ambiguous rename refused");
    let list = e.json_lines(&["list", "--json"]);
    let live_id = list[0]["id"].as_str().unwrap();
    e.ok(&["rename", live_id, "--issuer", "NHS Mail"]);
    // Moving the sandpit one to live under the same names would make two identical accounts.
    e.ok(&[
        "rename",
        &list[1]["id"].as_str().unwrap()[..8],
        "--issuer",
        "NHS Mail",
    ]);
    let o = e.run(&[
        "edit",
        &list[1]["id"].as_str().unwrap()[..8],
        "--env",
        "live",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already in the vault"), "{}", err(&o));
    e.ok(&["edit", live_id, "--digits", "8", "--note", "main login"]);
    assert_eq!(e.ok(&["code", live_id, "--at", "59"]).trim().len(), 8);
    let o = e.run(&["edit", live_id, "--digits", "4"]);
    assert_eq!(o.status.code(), Some(2));

    let o = e.run(&["remove", live_id]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("tessera restore"), "{}", out(&o));
    assert_eq!(e.json_lines(&["list", "--json"]).len(), 1);
    assert_eq!(
        e.json_lines(&["list", "--trash", "--json"])[0]["id"],
        live_id
    );
}

#[test]
fn wrong_password_and_passwd() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "A",
        "--account",
        "x",
    ]);
    let o = e.run_with(&["list"], &[("TESSERA_PASSWORD", "nope")]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o), "error: wrong password\n");

    // No password available and nobody at a terminal: say how to give it.
    let o = e
        .command(&["list"])
        .env_remove("TESSERA_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("TESSERA_PASSWORD"), "{}", err(&o));

    let o = e.run_with(
        &["passwd"],
        &[("TESSERA_NEW_PASSWORD", "a new longer password")],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(e.run_with(&["list"], &[]).status.code() == Some(2));
    let o = e.run_with(&["list"], &[("TESSERA_PASSWORD", "a new longer password")]);
    assert!(o.status.success(), "{}", err(&o));
    // Removing the only way in is refused.
    let o = e.run_with(
        &["passwd", "--remove"],
        &[("TESSERA_PASSWORD", "a new longer password")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no way to unlock"), "{}", err(&o));
}

#[test]
fn damaged_and_newer_files_are_refused_untouched() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "A",
        "--account",
        "x",
    ]);
    let mut bytes = std::fs::read(&e.vault).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x10;
    std::fs::write(&e.vault, &bytes).unwrap();
    let o = e.run(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--issuer",
        "B",
        "--account",
        "y",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("damaged or has been altered"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("vault.tessera.bak"), "{}", err(&o));
    assert_eq!(std::fs::read(&e.vault).unwrap(), bytes);

    bytes[n - 5] ^= 0x10;
    bytes[8] = 2;
    std::fs::write(&e.vault, &bytes).unwrap();
    let o = e.run(&["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("written by a newer version of Tessera"),
        "{}",
        err(&o)
    );

    let o = e.run_with(
        &["list"],
        &[("TESSERA_VAULT", e.dir.path().to_str().unwrap())],
    );
    assert!(err(&o).contains("is a directory"), "{}", err(&o));
}

#[test]
fn init_without_a_keychain_explains_and_falls_back_to_the_password() {
    // A private, empty runtime dir and no session bus address: no Secret Service can be reached.
    let cli = Cli::new();
    let runtime = cli.path("run");
    std::fs::create_dir(&runtime).unwrap();
    let cli = cli
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &runtime);
    let vault = &cli.vault;
    let run = |args: &[&str]| cli.run(args);
    let o = run(&["init"]);
    assert_eq!(o.status.code(), Some(2));
    let msg = err(&o);
    assert!(msg.contains("system keychain is not available"), "{msg}");
    assert!(msg.contains("tessera init --password"), "{msg}");
    assert!(!vault.exists());

    let o = run(&[
        "init",
        "--password",
        "--kdf-memory-kib",
        "64",
        "--kdf-passes",
        "1",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("warning: the system keychain is not available"),
        "{}",
        err(&o)
    );
    assert!(
        out(&o).contains("It opens with your password."),
        "{}",
        out(&o)
    );
    let o = run(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "A",
        "--account",
        "x",
    ]);
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn keychain_vault_from_the_cli() {
    let cli = Cli::new().no_password();
    let run = |args: &[&str], password: Option<&str>, new_password: Option<&str>| {
        let mut c = cli.command(args);
        if let Some(p) = password {
            c.env("TESSERA_PASSWORD", p);
        }
        if let Some(p) = new_password {
            c.env("TESSERA_NEW_PASSWORD", p);
        }
        c.output().unwrap()
    };
    let o = run(&["init"], None, None);
    if !o.status.success() {
        if std::env::var("REQUIRE_KEYRING").is_ok_and(|v| v == "1") {
            panic!("REQUIRE_KEYRING=1 but `tessera init` failed: {}", err(&o));
        }
        eprintln!("skipping: no usable keychain here: {}", err(&o));
        return;
    }
    assert!(
        err(&o).contains("opens only with this computer's keychain"),
        "{}",
        err(&o)
    );
    // No password anywhere: the keychain opens it.
    let o = run(
        &[
            "add",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--issuer",
            "K",
            "--account",
            "c",
        ],
        None,
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        run(&["code", "K", "--at", "59"], None, None).stdout,
        b"996554\n"
    );
    // Keychain only: turning it off would lock the vault.
    let o = run(&["passwd", "--disable-keychain"], None, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no way to unlock"), "{}", err(&o));
    // Add a password, then drop the keychain (which also deletes the keychain item).
    let o = run(&["passwd"], None, Some("a long enough password"));
    assert!(o.status.success(), "{}", err(&o));
    // The vault key is rotated, so the password must be re-applied: asked for, and checked.
    let o = run(&["passwd", "--disable-keychain"], None, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("TESSERA_PASSWORD"), "{}", err(&o));
    let o = run(
        &["passwd", "--disable-keychain"],
        Some("wrong password!"),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("wrong password"), "{}", err(&o));
    let o = run(
        &["passwd", "--disable-keychain"],
        Some("a long enough password"),
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("opens with your password"), "{}", out(&o));
    let o = run(&["list"], Some("a long enough password"), None);
    assert!(o.status.success(), "{}", err(&o));
    let o = run(&["list"], None, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("TESSERA_PASSWORD"), "{}", err(&o));
}

/// A PNG of a QR code holding `text`, 6 px per module with a quiet zone, like a screenshot.
fn qr_png(path: &Path, text: &str) {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let (scale, quiet) = (6u32, 4u32);
    let side = (n as u32 + 2 * quiet) * scale;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= quiet
            && my >= quiet
            && mx - quiet < n as u32
            && my - quiet < n as u32
            && colors[((my - quiet) * n as u32 + (mx - quiet)) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    img.save(path).unwrap();
}

#[test]
fn add_from_a_qr_code_image() {
    let e = Cli::with_vault();
    let png = e.path("qr.png");
    qr_png(
        &png,
        "otpauth://totp/NHS%20Mail:dr.who?secret=JBSWY3DPEHPK3PXP&issuer=NHS%20Mail",
    );
    let o = e.run(&["add", "--image", png.to_str().unwrap(), "--env", "sandpit"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("NHS Mail (dr.who) [Sandpit]"),
        "{}",
        out(&o)
    );
    assert_eq!(e.ok(&["code", "nhs mail", "--at", "59"]), "996554\n");
    // The same picture again: refused like any duplicate.
    let o = e.run(&["add", "--image", png.to_str().unwrap(), "--env", "sandpit"]);
    assert_eq!(o.status.code(), Some(2));

    // A QR code that is not an authenticator code says what it is.
    let web = e.path("web.png");
    qr_png(&web, "https://example.org/");
    let o = e.run(&["add", "--image", web.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not an authenticator code"), "{}", err(&o));
    // An image without any QR code: nothing found (exit 1).
    let blank = e.path("blank.png");
    image::GrayImage::from_pixel(200, 200, image::Luma([255]))
        .save(&blank)
        .unwrap();
    let o = e.run(&["add", "--image", blank.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(e.json_lines(&["list", "--json"]).len(), 1);
}

/// Issue 11: the core's conflict rule, not only the app's form. A third login for an issuer + account
/// that exists as Live and Sandpit must name its environment (exit 2, the existing environments named,
/// nothing added); `--env none` says "no environment" on purpose.
#[test]
fn a_second_login_without_env_must_name_it() {
    let e = Cli::with_vault();
    for (key, env) in [
        ("JBSWY3DPEHPK3PXP", "live"),
        ("GEZDGNBVGY3TQOJQ", "sandpit"),
    ] {
        e.ok(&[
            "add",
            "--secret",
            key,
            "--issuer",
            "Inhealthcare",
            "--account",
            "alice@nhs.net",
            "--env",
            env,
        ]);
    }
    let uri =
        "otpauth://totp/Inhealthcare:alice@nhs.net?secret=KRSXG5CTMVRXEZLU&issuer=Inhealthcare";
    let o = e.run(&["add", "--uri", uri]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let msg = err(&o);
    assert!(msg.starts_with("error: "), "{msg}");
    assert!(msg.contains("Live") && msg.contains("Sandpit"), "{msg}");
    assert!(msg.contains("--env none"), "{msg}");
    assert_eq!(e.json_lines(&["list", "--json"]).len(), 2, "nothing added");

    e.ok(&["add", "--uri", uri, "--env", "none"]);
    let list = e.json_lines(&["list", "--json"]);
    assert_eq!(list.len(), 3);
    assert!(list.iter().any(|a| a["environment"].is_null()), "{list:?}");
    // A first login needs no environment at all.
    e.ok(&[
        "add",
        "--secret",
        "KRSXG5CTMVRXEZLU",
        "--issuer",
        "Other",
        "--account",
        "bob",
    ]);
}

/// Issue 14: `remove --forever` and `trash empty` delete keys for good (the trash keeps them otherwise).
#[test]
fn remove_forever_and_empty_trash() {
    let e = Cli::with_vault();
    e.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "Gone",
        "--account",
        "a",
    ]);
    e.ok(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--issuer",
        "Binned",
        "--account",
        "b",
    ]);
    e.ok(&[
        "add",
        "--secret",
        "KRSXG5CTMVRXEZLU",
        "--issuer",
        "Kept",
        "--account",
        "c",
    ]);
    let said = e.ok(&["remove", "Gone", "--forever"]);
    assert!(said.contains("for good"), "{said}");
    e.ok(&["remove", "Binned"]);
    let trash = e.json_lines(&["list", "--trash", "--json"]);
    assert_eq!(
        trash.len(),
        1,
        "only the account moved to the trash is there: {trash:?}"
    );
    let said = e.ok(&["trash", "empty"]);
    assert!(said.contains("Deleted 1 account"), "{said}");
    assert!(e.ok(&["list", "--trash", "--json"]).trim().is_empty());
    let left = e.json_lines(&["list", "--json"]);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["issuer"], "Kept");
}

/// Issue 14: how long the trash keeps deleted accounts is set once in the vault (the app sets the same).
#[test]
fn trash_keep_shows_and_sets_the_days() {
    let e = Cli::with_vault();
    assert!(e
        .ok(&["trash", "keep"])
        .contains("stay in the trash for 30 days"));
    assert!(e
        .ok(&["trash", "keep", "7"])
        .contains("stay in the trash for 7 days"));
    assert!(e.ok(&["trash", "keep"]).contains("for 7 days"), "kept");
    let err = e.refused(&["trash", "keep", "0"]);
    assert!(
        err.starts_with("error: ") && err.contains("1 to 365 days"),
        "{err}"
    );
}

/// Issue 16 item 18: `list --sort name|environment` shows another order and keeps the person's own.
#[test]
fn list_sorts_by_name_or_environment_and_keeps_the_own_order() {
    let e = Cli::with_vault();
    for (issuer, account, env, key) in [
        ("Zeta", "z", "sandpit", "JBSWY3DPEHPK3PXP"),
        ("alpha", "a", "none", "GEZDGNBVGY3TQOJQ"),
        ("Mid", "m", "live", "KRSXG5CTMVRXEZLU"),
    ] {
        e.ok(&[
            "add",
            "--secret",
            key,
            "--issuer",
            issuer,
            "--account",
            account,
            "--env",
            env,
        ]);
    }
    let issuers = |args: &[&str]| -> Vec<String> {
        e.json_lines(args)
            .iter()
            .map(|v| v["issuer"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(issuers(&["list", "--json"]), ["Zeta", "alpha", "Mid"]);
    assert_eq!(
        issuers(&["list", "--json", "--sort", "name"]),
        ["alpha", "Mid", "Zeta"]
    );
    assert_eq!(
        issuers(&["list", "--json", "--sort", "environment"]),
        ["Mid", "Zeta", "alpha"]
    );
    assert_eq!(
        issuers(&["list", "--json"]),
        ["Zeta", "alpha", "Mid"],
        "own order kept"
    );
    let out = e.run(&["list", "--sort", "size"]);
    assert_eq!(out.status.code(), Some(2));
}
