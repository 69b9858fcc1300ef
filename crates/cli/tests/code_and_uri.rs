//! The CLI contract of `tessera code` and `tessera uri parse`: output, stderr and exit codes.

mod common;

use common::{stderr, stdout, tessera};

#[test]
fn code_matches_rfc6238_vectors() {
    // RFC 6238 Appendix B secrets, Base32-encoded.
    let sha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    let sha512 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    for (secret, alg, at, want) in [
        (sha1, "SHA1", "59", "94287082"),
        (sha256, "SHA256", "1111111109", "68084774"),
        (sha512, "SHA512", "20000000000", "47863826"),
    ] {
        let o = tessera(&[
            "code",
            "--secret",
            secret,
            "--algorithm",
            alg,
            "--digits",
            "8",
            "--at",
            at,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), format!("{want}\n"));
    }
}

#[test]
fn code_hotp_steam_and_uri() {
    let rfc4226 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let o = tessera(&[
        "code",
        "--secret",
        rfc4226,
        "--type",
        "hotp",
        "--counter",
        "9",
    ]);
    assert_eq!(stdout(&o), "520489\n");
    let o = tessera(&[
        "code",
        "--uri",
        &format!("otpauth://hotp/x?secret={rfc4226}&counter=1"),
        "--at",
        "0",
    ]);
    assert_eq!(stdout(&o), "287082\n");
    let o = tessera(&[
        "code",
        "--uri",
        &format!("otpauth://totp/x?secret={rfc4226}&digits=8"),
        "--at",
        "59",
    ]);
    assert_eq!(stdout(&o), "94287082\n");
    let o = tessera(&[
        "code",
        "--secret",
        rfc4226,
        "--type",
        "steam",
        "--at",
        "1700000000",
    ]);
    let code = stdout(&o);
    assert_eq!(code.trim().len(), 5);
    assert!(
        code.trim()
            .chars()
            .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c)),
        "{code}"
    );
}

#[test]
fn code_rejects_bad_input_with_exit_2() {
    for args in [
        vec!["code", "--secret", "JBSW1Y3D"],
        vec!["code", "--secret", ""],
        vec!["code", "--secret", "JBSWY3DPEHPK3PXP", "--digits", "5"],
        vec!["code", "--secret", "JBSWY3DPEHPK3PXP", "--period", "0"],
        vec!["code", "--secret", "JBSWY3DPEHPK3PXP", "--algorithm", "MD5"],
        vec!["code", "--secret", "JBSWY3DPEHPK3PXP", "--type", "motp"],
        vec!["code", "--secret", "JBSWY3DPEHPK3PXP", "--at", "yesterday"],
        vec!["code", "--uri", "https://example.com"],
        vec!["code"],
    ] {
        let o = tessera(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).starts_with("error:"), "{args:?}: {}", stderr(&o));
    }
    let o = tessera(&["code", "--secret", "JBSW1Y3D"]);
    assert!(stderr(&o).contains("'1' at position 5"), "{}", stderr(&o));
}

#[test]
fn uri_parse_prints_one_json_object_per_account() {
    let o = tessera(&[
        "uri",
        "parse",
        "otpauth://totp/ACME%20Co:john?secret=jbswy3dpehpk3pxp&issuer=ACME+Co&period=60",
        "otpauth://hotp/Bank:me?secret=JBSWY3DPEHPK3PXP&counter=4",
        "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        serde_json::json!({"type":"totp","issuer":"ACME Co","account":"john","secret":"JBSWY3DPEHPK3PXP",
            "algorithm":"SHA1","digits":6,"period":60,"counter":null})
    );
    assert_eq!(lines[1]["period"], serde_json::Value::Null);
    assert_eq!(lines[1]["counter"], 4);
    assert_eq!(lines[2]["issuer"], "Discord");
    assert_eq!(
        (
            lines[2]["batch_index"].clone(),
            lines[2]["batch_size"].clone()
        ),
        (0.into(), 1.into())
    );
    assert!(lines[2].get("batch_id").is_some());
}

#[test]
fn uri_parse_reports_each_bad_uri_and_exits_2() {
    let o = tessera(&[
        "uri",
        "parse",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/y?digits=8",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "the good URI is still printed"
    );
    assert!(
        stderr(&o).contains("error: the link has no secret key"),
        "{}",
        stderr(&o)
    );
    let o = tessera(&["uri", "parse", "mailto:someone@example.com"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: this is not an otpauth:// link"),
        "{}",
        stderr(&o)
    );
}
