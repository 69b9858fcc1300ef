//! `tessera backup sheet --out FILE [--with-secrets]`: the printable emergency sheet (issue 15).

mod common;
use common::*;

const KEY: &str = "JBSWY3DPEHPK3PXP";
const STRONG: &str = "plinth mango ferry cobalt";

fn setup() -> Cli {
    let cli = Cli::with_vault();
    cli.ok(&[
        "add",
        "--secret",
        KEY,
        "--issuer",
        "NHS <Mail>",
        "--account",
        "dr.who",
        "--env",
        "live",
    ]);
    let o = run_with_stdin(
        &mut cli.command(&["recovery", "add", "NHS <Mail>"]),
        "1111 2222\n3333 4444\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    cli.ok(&["recovery", "use", "NHS <Mail>"]);
    cli
}

#[test]
fn plain_sheet_lists_accounts_and_backups_without_keys() {
    let cli = setup();
    let folder = cli.dir.path().join("sync");
    std::fs::create_dir(&folder).unwrap();
    let o = cli
        .command(&[
            "backup",
            "auto",
            "--folder",
            folder.to_str().unwrap(),
            "--kdf-memory-kib",
            "64",
            "--kdf-passes",
            "1",
        ])
        .env("TESSERA_FILE_PASSWORD", STRONG)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    let out = cli.dir.path().join("sheet.html");
    let printed = cli.ok(&["backup", "sheet", "--out", out.to_str().unwrap()]);
    assert!(printed.contains("emergency sheet written"), "{printed}");
    assert!(printed.contains("1 accounts"), "{printed}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("NHS &lt;Mail&gt;"));
    assert!(!html.contains("NHS <Mail>"));
    assert!(html.contains("dr.who"));
    assert!(html.contains("LIVE"));
    assert!(html.contains(&folder.display().to_string()));
    assert!(html.contains("tessera import FILE"));
    assert!(!html.contains(KEY));
    assert!(!html.contains("otpauth"));
    assert!(!html.contains("1111 2222") && !html.contains("3333 4444"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

    // An existing file is never replaced: exit 2 and an `error:` sentence.
    std::fs::write(&out, b"mine").unwrap();
    let err = cli.refused(&["backup", "sheet", "--out", out.to_str().unwrap()]);
    assert!(
        err.starts_with("error: ") && err.contains("already exists"),
        "{err}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"mine");
}

#[test]
fn secret_sheet_needs_the_password_and_holds_qr_and_unused_codes() {
    let cli = setup();
    let out = cli.dir.path().join("drawer.html");
    let o = cli.run(&[
        "backup",
        "sheet",
        "--out",
        out.to_str().unwrap(),
        "--with-secrets",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("UNENCRYPTED"), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("locked drawer"));
    assert!(html.contains("data:image/png;base64,"));
    assert!(html.contains("3333 4444"), "the unused code");
    assert!(!html.contains("1111 2222"), "the used code is not printed");
    // The QR code holds the account's otpauth URI.
    let start = html.find("data:image/png;base64,").unwrap() + "data:image/png;base64,".len();
    let b64 = &html[start..start + html[start..].find('"').unwrap()];
    let png = std::path::Path::new(cli.dir.path()).join("qr.png");
    std::fs::write(&png, decode_base64(b64)).unwrap();
    let decoded = cli.ok(&["decode", png.to_str().unwrap()]);
    assert!(
        decoded.contains(&format!("secret={KEY}")) && decoded.contains("otpauth://totp/"),
        "{decoded}"
    );

    // Without the password (not in a terminal) nothing is written.
    let none = cli.dir.path().join("none.html");
    let o = cli
        .command(&[
            "backup",
            "sheet",
            "--out",
            none.to_str().unwrap(),
            "--with-secrets",
        ])
        .env_remove("TESSERA_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    assert!(!none.exists());

    // The organisation's ban on unencrypted exports covers the secret sheet, not the plain one.
    let policy = cli.dir.path().join("policy.toml");
    std::fs::write(&policy, "allow_plain_export = false\n").unwrap();
    let o = cli
        .command(&[
            "backup",
            "sheet",
            "--out",
            none.to_str().unwrap(),
            "--with-secrets",
        ])
        .env("TESSERA_POLICY", &policy)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!none.exists());
    let o = cli
        .command(&["backup", "sheet", "--out", none.to_str().unwrap()])
        .env("TESSERA_POLICY", &policy)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Standard base64 (the test crate does not depend on a base64 library).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        let take = chunk.len() * 6 / 8;
        for i in 0..take {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}
