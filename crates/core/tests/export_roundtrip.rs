//! Round trips through every foreign export format: what we write, our importers (and the QR reader)
//! read back unchanged.

use tessera_core::formats::{self, aegis, google, uris, ExportItem, FormatError, FormatId};
use tessera_core::{Algorithm, OtpEntry, OtpParams, Secret};

fn sample_entries() -> Vec<OtpEntry> {
    let s = |b32: &str| Secret::parse_base32(b32).unwrap().0;
    vec![
        OtpEntry::new(
            "NHS Mail",
            "dr.who@nhs.net",
            s("JBSWY3DPEHPK3PXP"),
            OtpParams::totp(),
        ),
        OtpEntry::new(
            "EPR Training",
            "dr.who",
            s("4SJHB4GSD43FZBAI7C2HLRJGPQ"),
            OtpParams {
                algorithm: Algorithm::Sha256,
                digits: 8,
                ..OtpParams::totp()
            },
        ),
        OtpEntry::new(
            "Issuu",
            "James",
            s("YOOMIXWS5GN6RTBPUFFWKTW5M4"),
            OtpParams::hotp(42),
        ),
        OtpEntry::new(
            "Odd: Issuer & Co",
            "name with spaces+plus",
            s("7ELGJSGXNCCTV3O6LKJWYFV2RA"),
            OtpParams {
                algorithm: Algorithm::Sha512,
                digits: 7,
                period: 60,
                ..OtpParams::totp()
            },
        ),
        OtpEntry::new(
            "Steam",
            "gamer",
            s("JRZCL47CMXVOQMNPZR2F7J4RGI"),
            OtpParams::steam(),
        ),
    ]
}

#[test]
fn aegis_encrypted_round_trip_keeps_notes_and_groups() {
    let entries = sample_entries();
    let items: Vec<ExportItem> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| ExportItem {
            entry: e,
            note: if i == 0 { "desk phone backup" } else { "" },
            group: if i == 1 { Some("sandpit") } else { None },
        })
        .collect();
    let file = aegis::export_encrypted(&items, "correct horse battery staple");
    assert_eq!(formats::detect(&file), Some(FormatId::Aegis));
    assert!(formats::needs_password(FormatId::Aegis, &file));
    // No secret in clear text anywhere in the file.
    let text = String::from_utf8(file.clone()).unwrap();
    for e in &entries {
        assert!(!text.contains(&e.secret.to_base32()), "secret in clear");
    }
    let back =
        formats::import(FormatId::Aegis, &file, Some("correct horse battery staple")).unwrap();
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let got: Vec<&OtpEntry> = back.entries.iter().map(|e| &e.entry).collect();
    assert_eq!(got, entries.iter().collect::<Vec<_>>());
    assert_eq!(back.entries[0].note, "desk phone backup");
    assert_eq!(back.entries[1].groups, vec!["sandpit".to_string()]);
    assert_eq!(
        back.entries[1].environment_hint,
        Some(tessera_core::vault::Environment::Sandpit)
    );

    assert_eq!(
        formats::import(FormatId::Aegis, &file, Some("wrong")).unwrap_err(),
        FormatError::WrongPassword { format: "Aegis" }
    );
}

#[test]
fn uri_list_round_trip() {
    let entries = sample_entries();
    let items: Vec<ExportItem> = entries
        .iter()
        .map(|e| ExportItem {
            entry: e,
            note: "",
            group: None,
        })
        .collect();
    let text = uris::export(&items);
    assert_eq!(formats::detect(text.as_bytes()), Some(FormatId::Uris));
    let back = formats::import(FormatId::Uris, text.as_bytes(), None).unwrap();
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let got: Vec<&OtpEntry> = back.entries.iter().map(|e| &e.entry).collect();
    assert_eq!(got, entries.iter().collect::<Vec<_>>());
}

#[test]
fn google_qr_round_trip_through_images() {
    // Enough accounts for several QR codes, plus two Google cannot carry.
    let mut entries = Vec::new();
    for i in 0..(google::ACCOUNTS_PER_QR * 2 + 1) {
        let secret = Secret::from_bytes(vec![i as u8 + 1; 20]).unwrap();
        entries.push(OtpEntry::new(
            format!("Service {i}"),
            format!("user{i}@example.org"),
            secret,
            OtpParams::totp(),
        ));
    }
    entries.push(OtpEntry::new(
        "Steam",
        "gamer",
        Secret::from_bytes(vec![9; 10]).unwrap(),
        OtpParams::steam(),
    ));
    let odd = OtpParams {
        period: 60,
        ..OtpParams::totp()
    };
    entries.push(OtpEntry::new(
        "Odd",
        "sixty",
        Secret::from_bytes(vec![8; 10]).unwrap(),
        odd,
    ));

    let refs: Vec<&OtpEntry> = entries.iter().collect();
    let export = google::export_qr(&refs).unwrap();
    assert_eq!(export.codes.len(), 3);
    let refused: Vec<&str> = export
        .refused
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(refused, vec!["Steam / gamer", "Odd / sixty"]);

    // Read every PNG back with a QR decoder, then import the payloads as one Google export.
    let mut payloads = Vec::new();
    for (i, code) in export.codes.iter().enumerate() {
        let decoded = tessera_core::qr::decode_image_bytes(&code.png).unwrap();
        assert_eq!(decoded.len(), 1, "QR {i}");
        let content = decoded[0].text.clone();
        assert_eq!(content, code.uri.as_str());
        payloads.push(content);
    }
    let text = payloads.join("\n");
    assert_eq!(formats::detect(text.as_bytes()), Some(FormatId::Google));
    let back = formats::import(FormatId::Google, text.as_bytes(), None).unwrap();
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let got: Vec<&OtpEntry> = back.entries.iter().map(|e| &e.entry).collect();
    assert_eq!(got, entries[..entries.len() - 2].iter().collect::<Vec<_>>());
    let batches: Vec<u32> = back
        .entries
        .iter()
        .map(|e| e.batch.unwrap().index)
        .collect();
    assert_eq!(batches.first(), Some(&0));
    assert_eq!(batches.last(), Some(&2));

    // Dropping the middle QR code is reported, not silently ignored.
    let partial = format!("{}\n{}", payloads[0], payloads[2]);
    let back = formats::import(FormatId::Google, partial.as_bytes(), None).unwrap();
    // It is about the file, not about one entry: a warning naming the missing code.
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(back.warnings.len(), 1);
    assert!(back.warnings[0].contains("2 of 3"), "{}", back.warnings[0]);
}
