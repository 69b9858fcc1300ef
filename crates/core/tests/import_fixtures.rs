//! Imports of real export files written by other authenticator apps (see tests/fixtures/SOURCES.md).
//!
//! Most samples come from the Aegis test suite, where the same seven accounts were scanned into each app
//! and exported; every importer must give back exactly those accounts (minus what a format cannot carry).

use std::path::PathBuf;
use tessera_core::formats::{self, FormatError, FormatId, ImportResult};
use tessera_core::{Algorithm, OtpKind, OtpParams};

fn fixture(path: &str) -> Vec<u8> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The accounts in the Aegis sample files (`plain.txt` there): issuer, account, secret, parameters.
fn vectors() -> Vec<(&'static str, &'static str, &'static str, OtpParams)> {
    let totp = |algorithm, digits, period| OtpParams {
        algorithm,
        digits,
        period,
        ..OtpParams::totp()
    };
    let hotp = |algorithm, digits, counter| OtpParams {
        algorithm,
        digits,
        ..OtpParams::hotp(counter)
    };
    vec![
        (
            "Deno",
            "Mason",
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
            totp(Algorithm::Sha1, 6, 30),
        ),
        (
            "SPDX",
            "James",
            "5OM4WOOGPLQEF6UGN3CPEOOLWU",
            totp(Algorithm::Sha256, 7, 20),
        ),
        (
            "Airbnb",
            "Elijah",
            "7ELGJSGXNCCTV3O6LKJWYFV2RA",
            totp(Algorithm::Sha512, 8, 50),
        ),
        (
            "Issuu",
            "James",
            "YOOMIXWS5GN6RTBPUFFWKTW5M4",
            hotp(Algorithm::Sha1, 6, 1),
        ),
        (
            "Air Canada",
            "Benjamin",
            "KUVJJOM753IHTNDSZVCNKL7GII",
            hotp(Algorithm::Sha256, 7, 50),
        ),
        (
            "WWE",
            "Mason",
            "5VAML3X35THCEBVRLV24CGBKOY",
            hotp(Algorithm::Sha512, 8, 10300),
        ),
        (
            "Boeing",
            "Sophia",
            "JRZCL47CMXVOQMNPZR2F7J4RGI",
            OtpParams::steam(),
        ),
    ]
}

/// Checks every imported entry against the vector with the same secret, after `adjust` applies what
/// the format cannot carry, and that `expected_count` entries came out with no errors.
fn check_against_vectors(
    result: &ImportResult,
    expected_count: usize,
    adjust: impl Fn(&mut OtpParams),
) {
    assert!(
        result.errors.is_empty(),
        "unexpected entry errors: {:?}",
        result.errors
    );
    assert_eq!(
        result.entries.len(),
        expected_count,
        "{:#?}",
        result.entries
    );
    let vectors = vectors();
    for imported in &result.entries {
        let e = &imported.entry;
        let secret = e.secret.to_base32();
        let (issuer, account, _, params) = vectors
            .iter()
            .find(|v| v.2 == secret)
            .unwrap_or_else(|| panic!("no vector with secret {secret}"));
        let mut expected = *params;
        adjust(&mut expected);
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            (*issuer, *account),
            "{secret}"
        );
        assert_eq!(e.params, expected, "{issuer} / {account}");
    }
}

fn import(format: FormatId, path: &str, password: Option<&str>) -> ImportResult {
    let bytes = fixture(path);
    assert_eq!(formats::detect(&bytes), Some(format), "detect {path}");
    formats::import(format, &bytes, password).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn uri_list_from_aegis() {
    check_against_vectors(
        &import(FormatId::Uris, "uris/aegis_plain.txt", None),
        7,
        |_| {},
    );
}

#[test]
fn uri_list_with_crlf_comments_and_a_bad_line() {
    let text = "# exported\r\n\r\notpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\r\nnot a uri\r\notpauth://totp/X?secret=1111\r\n";
    let result = formats::import(FormatId::Uris, text.as_bytes(), None).unwrap();
    assert_eq!(result.entries.len(), 1);
    assert_eq!(result.entries[0].entry.issuer, "Deno");
    let lines: Vec<usize> = result.errors.iter().map(|e| e.position).collect();
    assert_eq!(lines, vec![4, 5], "{:?}", result.errors);
}

#[test]
fn aegis_plain_and_encrypted() {
    check_against_vectors(
        &import(FormatId::Aegis, "aegis/aegis_plain.json", None),
        7,
        |_| {},
    );
    check_against_vectors(
        &import(FormatId::Aegis, "aegis/aegis_encrypted.json", Some("test")),
        7,
        |_| {},
    );
}

#[test]
fn aegis_files_from_proton_tests() {
    let enc = import(
        FormatId::Aegis,
        "aegis/proton_aegis_encrypted.json",
        Some("test"),
    );
    let plain = import(FormatId::Aegis, "aegis/proton_aegis_unencrypted.json", None);
    assert!(!enc.entries.is_empty());
    assert_eq!(
        enc.entries.len() + enc.errors.len(),
        plain.entries.len() + plain.errors.len()
    );
    // A file with impossible periods/digits: those entries are reported one by one, not fatal.
    let bad = import(
        FormatId::Aegis,
        "aegis/proton_aegis_bad_period_digits.json",
        None,
    );
    assert!(!bad.errors.is_empty(), "{bad:?}");
}

#[test]
fn twofas_all_schema_versions() {
    // Schema 1 carries no type/algorithm/digits/period: everything reads as default TOTP.
    check_against_vectors(
        &import(FormatId::TwoFas, "2fas/2fas_schema1.json", None),
        6,
        |p| *p = OtpParams::totp(),
    );
    // Schema 2 has no token type: HOTP accounts read as TOTP with period 30 (as in 2FAS itself).
    let schema2 = |p: &mut OtpParams| {
        if p.kind == OtpKind::Hotp {
            *p = OtpParams {
                kind: OtpKind::Totp,
                counter: 0,
                period: 30,
                ..*p
            };
        }
    };
    check_against_vectors(
        &import(FormatId::TwoFas, "2fas/2fas_schema2_plain.2fas", None),
        4,
        schema2,
    );
    check_against_vectors(
        &import(
            FormatId::TwoFas,
            "2fas/2fas_schema2_encrypted.2fas",
            Some("test"),
        ),
        4,
        schema2,
    );
    // Schemas 3 and 4 carry everything (4 adds Steam); the samples hold 6 and 5 of the accounts.
    for (plain, enc, count) in [
        (
            "2fas/2fas_schema3_plain.2fas",
            "2fas/2fas_schema3_encrypted.2fas",
            6,
        ),
        (
            "2fas/2fas_schema4_plain.2fas",
            "2fas/2fas_schema4_encrypted.2fas",
            5,
        ),
    ] {
        check_against_vectors(&import(FormatId::TwoFas, plain, None), count, |_| {});
        check_against_vectors(&import(FormatId::TwoFas, enc, Some("test")), count, |_| {});
    }
}

#[test]
fn twofas_reports_unsupported_algorithms_per_entry() {
    let r = import(
        FormatId::TwoFas,
        "2fas/proton_unsupported_algorithms.2fas",
        None,
    );
    assert_eq!(r.entries.len(), 1, "{r:?}");
    assert_eq!(r.entries[0].entry.params.kind, OtpKind::Hotp);
    assert_eq!(r.entries[0].entry.params.counter, 4);
    assert_eq!(r.errors.len(), 1);
    assert!(r.errors[0].reason.contains("SHA384"), "{:?}", r.errors);
    let enc = import(FormatId::TwoFas, "2fas/proton_encrypted.2fas", Some("test"));
    assert!(!enc.entries.is_empty());
}

#[test]
fn andotp_plain_and_encrypted() {
    check_against_vectors(
        &import(FormatId::AndOtp, "andotp/andotp_plain.json", None),
        7,
        |_| {},
    );
    check_against_vectors(
        &import(
            FormatId::AndOtp,
            "andotp/andotp_encrypted.bin",
            Some("test"),
        ),
        7,
        |_| {},
    );
    // The old layout has no header to detect it by: the user names the format.
    let old = formats::import(
        FormatId::AndOtp,
        &fixture("andotp/andotp_encrypted_old.bin"),
        Some("test"),
    )
    .unwrap();
    assert_eq!(old.entries.len(), 6, "{:?}", old.errors);
    for e in &old.entries {
        let v = vectors()
            .into_iter()
            .find(|v| v.2 == e.entry.secret.to_base32())
            .unwrap();
        assert_eq!(e.entry.params, v.3);
    }
}

#[test]
fn bitwarden_json_and_csv() {
    for path in ["bitwarden/bitwarden.json", "bitwarden/bitwarden.csv"] {
        let r = import(FormatId::Bitwarden, path, None);
        assert!(r.errors.is_empty(), "{path}: {:?}", r.errors);
        assert_eq!(r.entries.len(), 4, "{path}");
        let (steam, others): (Vec<_>, Vec<_>) = r
            .entries
            .into_iter()
            .partition(|e| e.entry.params.kind == OtpKind::Steam);
        check_against_vectors(
            &ImportResult {
                entries: others,
                ..ImportResult::default()
            },
            3,
            |_| {},
        );
        // steam://SECRET carries no names: the item name becomes the issuer.
        assert_eq!(steam.len(), 1);
        assert_eq!(
            steam[0].entry.secret.to_base32(),
            "JRZCL47CMXVOQMNPZR2F7J4RGI"
        );
        assert!(
            steam[0].entry.issuer.starts_with("Test"),
            "{:?}",
            steam[0].entry.issuer
        );
    }
}

#[test]
fn bitwarden_bare_key_uses_item_name_and_skips_items_without_totp() {
    let r = import(
        FormatId::Bitwarden,
        "bitwarden/proton_bitwarden_app.json",
        None,
    );
    assert_eq!(r.entries.len(), 1);
    let e = &r.entries[0].entry;
    assert_eq!(
        (e.issuer.as_str(), e.account.as_str()),
        ("ItemWithTOTP", "myusername")
    );
    assert_eq!(e.secret.to_base32(), "KNKVARKSKNCUGUSFKRFUKWJR");
}

#[test]
fn ente_plain_text() {
    check_against_vectors(
        &import(FormatId::Ente, "ente/ente_auth.txt", None),
        7,
        |_| {},
    );
    let r = import(FormatId::Ente, "ente/proton_plain.txt", None);
    assert_eq!(r.entries.len(), 2, "{:?}", r.errors);
    assert_eq!(r.entries[1].note, "a note");
}

/// Encrypted Ente exports written by libsodium itself (make_encrypted.py, through PyNaCl): Argon2id
/// and one secretstream message, ending with TAG_FINAL or, as some Ente versions wrote, TAG_MESSAGE.
#[test]
fn ente_encrypted_by_libsodium() {
    for path in [
        "ente/ente_encrypted.json",
        "ente/ente_encrypted_tag_message.json",
    ] {
        assert_eq!(formats::detect(&fixture(path)), Some(FormatId::Ente));
        let encrypted = import(FormatId::Ente, path, Some("test"));
        let plain = import(FormatId::Ente, "ente/ente_auth.txt", None);
        check_against_vectors(&encrypted, 7, |_| {});
        assert_eq!(encrypted.entries.len(), plain.entries.len());
        for (a, b) in encrypted.entries.iter().zip(&plain.entries) {
            assert_eq!(a.entry.secret.to_base32(), b.entry.secret.to_base32());
            assert_eq!((&a.note, &a.groups), (&b.note, &b.groups));
        }
    }
}

/// Security review #1: libsodium pads the Poly1305 input by `mlen mod 16`, so a secretstream that pads like
/// an AEAD reads only lengths ≡ 0 or 8 (mod 16). One libsodium-made Ente file per residue
/// (fixtures/ente/lengths/make_lengths.py, PyNaCl) must import.
#[test]
fn ente_encrypted_every_length_mod_16() {
    let mut failed = Vec::new();
    for residue in 0..16 {
        let path = format!("ente/lengths/ente_mod{residue:02}.json");
        let bytes = fixture(&path);
        assert_eq!(formats::detect(&bytes), Some(FormatId::Ente), "{path}");
        match formats::import(FormatId::Ente, &bytes, Some("test")) {
            Ok(r) => {
                assert_eq!(r.entries.len(), 1, "{path}: {:?}", r.errors);
                assert_eq!(r.entries[0].entry.issuer, format!("Len{residue:02}"));
                assert_eq!(r.entries[0].entry.secret.to_base32(), "JBSWY3DPEHPK3PXP");
            }
            Err(e) => failed.push(format!("{path}: {e}")),
        }
    }
    assert!(
        failed.is_empty(),
        "{} of 16 failed: {failed:#?}",
        failed.len()
    );
}

#[test]
fn freeotp_plus_counters_are_one_ahead() {
    // FreeOTP+ stores the last counter used; the vectors hold the next one (see freeotp_plus.rs).
    check_against_vectors(
        &import(
            FormatId::FreeOtpPlus,
            "freeotp-plus/freeotp_plus.json",
            None,
        ),
        6,
        |_| {},
    );
}

#[test]
fn proton_authenticator_plain() {
    check_against_vectors(
        &import(FormatId::Proton, "proton/proton_authenticator.json", None),
        3,
        |_| {},
    );
}

#[test]
fn stratum_plain_strong_and_legacy() {
    check_against_vectors(
        &import(FormatId::Stratum, "stratum/stratum_plain.json", None),
        7,
        |_| {},
    );
    check_against_vectors(
        &import(
            FormatId::Stratum,
            "stratum/stratum_encrypted.bin",
            Some("test"),
        ),
        7,
        |_| {},
    );
    check_against_vectors(
        &import(
            FormatId::Stratum,
            "stratum/stratum_encrypted_legacy.bin",
            Some("test"),
        ),
        7,
        |_| {},
    );
}

#[test]
fn google_export_with_one_account() {
    let r = import(FormatId::Google, "google/export_one_account.txt", None);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.entries.len(), 1);
    let e = &r.entries[0];
    assert_eq!(e.entry.account, "ShouldDiffer");
    assert_eq!(e.entry.secret.as_bytes(), b"ThisShouldBreak12345");
    assert_eq!(e.batch.map(|b| (b.index, b.size)), Some((0, 1)));
}

#[test]
fn google_export_hotp_and_algorithms() {
    let r = import(FormatId::Google, "google/export_hotp_big_qr.txt", None);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.entries.len(), 7);
    let hotp: Vec<_> = r
        .entries
        .iter()
        .filter(|e| e.entry.params.kind == OtpKind::Hotp)
        .collect();
    assert_eq!(hotp.len(), 2);
    assert!(hotp.iter().all(|e| e.entry.params.counter == 2));
    let test_app = r
        .entries
        .iter()
        .find(|e| e.entry.account == "user@example.com")
        .unwrap();
    assert_eq!(test_app.entry.issuer, "TestApp");
    assert_eq!(test_app.entry.secret.as_bytes(), b"Hello!\xDE\xAD\xBE\xEF");
    assert_eq!(test_app.entry.params.algorithm, Algorithm::Sha256);
}

#[test]
fn google_export_reports_missing_qr_codes() {
    let r = import(FormatId::Google, "google/export_9_accounts.txt", None);
    assert_eq!(r.entries.len(), 10);
    // Missing QR codes: a warning about the file, never an entry error.
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("2, 3, 4 of 4"), "{}", r.warnings[0]);
    let r = import(FormatId::Google, "google/export_10_accounts.txt", None);
    assert_eq!(r.entries.len(), 10);
    assert!(r.warnings[0].contains("1, 3 of 3"), "{}", r.warnings[0]);
}

/// Every encrypted fixture: wrong password, no password, cut short and changed bytes all fail cleanly.
#[test]
fn encrypted_files_fail_cleanly() {
    let cases = [
        (FormatId::Aegis, "aegis/aegis_encrypted.json"),
        (FormatId::TwoFas, "2fas/2fas_schema4_encrypted.2fas"),
        (FormatId::AndOtp, "andotp/andotp_encrypted.bin"),
        (FormatId::Stratum, "stratum/stratum_encrypted.bin"),
        (FormatId::Stratum, "stratum/stratum_encrypted_legacy.bin"),
        (FormatId::Ente, "ente/ente_encrypted.json"),
    ];
    for (format, path) in cases {
        let bytes = fixture(path);
        assert!(formats::needs_password(format, &bytes), "{path}");
        assert!(
            matches!(
                formats::import(format, &bytes, None),
                Err(FormatError::NeedsPassword { .. })
            ),
            "{path}"
        );
        let wrong = formats::import(format, &bytes, Some("not the password")).unwrap_err();
        assert!(
            matches!(
                wrong,
                FormatError::WrongPassword { .. } | FormatError::AuthenticationFailed { .. }
            ),
            "{path}: {wrong}"
        );
        assert!(wrong.to_string().contains("password"), "{path}: {wrong}");

        let truncated = &bytes[..bytes.len() * 2 / 3];
        assert!(
            formats::import(format, truncated, Some("test")).is_err(),
            "{path} truncated"
        );
        let cut_tiny = &bytes[..20.min(bytes.len())];
        assert!(
            formats::import(format, cut_tiny, Some("test")).is_err(),
            "{path} cut to 20 bytes"
        );

        let tampered = tamper(&bytes);
        let err = formats::import(format, &tampered, Some("test")).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::AuthenticationFailed { .. } | FormatError::WrongPassword { .. }
            ),
            "{path} tampered: {err}"
        );
    }
}

/// Flips a bit in the encrypted payload: the last base64 character before a closing quote in JSON
/// files' data field, or a byte in the middle of a binary file.
fn tamper(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Ok(text) = std::str::from_utf8(bytes) {
        // JSON: change one character of the longest Base64 string (the encrypted data).
        let key = if text.contains("\"servicesEncrypted\"") {
            "\"servicesEncrypted\":\""
        } else if text.contains("\"encryptedData\"") {
            "\"encryptedData\": \""
        } else {
            "\"db\": \""
        };
        let start = text.find(key).expect("data field") + key.len() + 10;
        out[start] = if out[start] == b'A' { b'B' } else { b'A' };
    } else {
        let mid = out.len() / 2;
        out[mid] ^= 0x01;
    }
    out
}

#[test]
fn detect_refuses_unknown_files() {
    assert_eq!(formats::detect(b"hello world"), None);
    assert_eq!(formats::detect(b"{\"some\": \"json\"}"), None);
    assert_eq!(formats::detect(&[0u8; 3]), None);
}

#[test]
fn environment_is_suggested_from_names() {
    let text = "otpauth://totp/EPR%20Training:dr.who?secret=JBSWY3DPEHPK3PXP\notpauth://totp/EPR%20Live:dr.who?secret=JBSWY3DPEHPK3PXP\notpauth://totp/EPR:dr.who?secret=JBSWY3DPEHPK3PXP\n";
    let r = formats::import(FormatId::Uris, text.as_bytes(), None).unwrap();
    let hints: Vec<Option<&str>> = r
        .entries
        .iter()
        .map(|e| e.environment_hint.as_ref().and_then(|e| e.as_key()))
        .collect();
    assert_eq!(hints, vec![Some("sandpit"), Some("live"), None]);
}
