//! Google Authenticator export payloads: `otpauth-migration://offline?data=…`.
//!
//! `data` is percent-encoded standard Base64 of a protobuf `MigrationPayload` (schema reverse-engineered
//! by Aegis and 2FAS; see docs). Large exports are split over several QR codes that share a `batch_id`.
//! There is no period field: every TOTP account in this format has a 30-second period.

use crate::entry::OtpEntry;
use crate::otp::{Algorithm, OtpKind, OtpParams, DEFAULT_PERIOD};
use crate::secret::Secret;
use base64::Engine;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use thiserror::Error;
use zeroize::Zeroize;

pub const SCHEME_PREFIX: &str = "otpauth-migration://";

/// The protobuf schema, written out with prost's derive so no code generator is needed.
mod proto {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MigrationPayload {
        #[prost(message, repeated, tag = "1")]
        pub otp_parameters: Vec<OtpParameters>,
        #[prost(int32, tag = "2")]
        pub version: i32,
        #[prost(int32, tag = "3")]
        pub batch_size: i32,
        #[prost(int32, tag = "4")]
        pub batch_index: i32,
        #[prost(int32, tag = "5")]
        pub batch_id: i32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct OtpParameters {
        #[prost(bytes = "vec", tag = "1")]
        pub secret: Vec<u8>,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(string, tag = "3")]
        pub issuer: String,
        /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
        #[prost(int32, tag = "4")]
        pub algorithm: i32,
        /// 0 unspecified, 1 six, 2 eight.
        #[prost(int32, tag = "5")]
        pub digits: i32,
        /// 0 unspecified, 1 HOTP, 2 TOTP.
        #[prost(int32, tag = "6")]
        pub r#type: i32,
        #[prost(int64, tag = "7")]
        pub counter: i64,
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MigrationError {
    #[error("this is not a Google Authenticator export link (it should start with otpauth-migration://offline?data=)")]
    NotMigration,
    #[error("the export link has no data= parameter")]
    MissingData,
    #[error("the export link's data is not valid Base64; the QR code may have been read or copied incompletely")]
    InvalidBase64,
    #[error("the export link's data could not be read as a Google Authenticator export ({0})")]
    InvalidPayload(String),
    #[error("{account:?} cannot be exported to Google Authenticator: {reason}")]
    Unsupported { account: String, reason: String },
}

/// One export QR code: the accounts it holds and where it sits in a multi-code export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    pub entries: Vec<OtpEntry>,
    /// Accounts in the payload that cannot be used, with the reason (e.g. MD5, empty secret).
    pub skipped: Vec<String>,
    /// 0-based index of this QR code in the export.
    pub batch_index: i32,
    /// Number of QR codes in the export (at least 1).
    pub batch_size: i32,
    /// Random id shared by every QR code of one export (may be negative).
    pub batch_id: i32,
    pub version: i32,
}

/// Decodes an `otpauth-migration://offline?data=…` URI.
pub fn decode(uri: &str) -> Result<MigrationBatch, MigrationError> {
    let text = uri.trim();
    let lower = text.to_ascii_lowercase();
    if !lower.starts_with("otpauth-migration:") {
        return Err(MigrationError::NotMigration);
    }
    let query = text.split_once('?').map(|(_, q)| q).unwrap_or("");
    let data = query
        .split('&')
        .find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.eq_ignore_ascii_case("data").then_some(v)
        })
        .ok_or(MigrationError::MissingData)?;
    // Percent-decode without turning `+` into a space: `+` is a Base64 character. Spaces, where a
    // copy-paste did turn `+` into one, are turned back.
    let decoded: Vec<u8> = percent_decode_str(data).collect();
    let b64: String = String::from_utf8_lossy(&decoded)
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\t'))
        .map(|c| if c == ' ' { '+' } else { c })
        .collect();
    let mut bytes = decode_base64_lenient(&b64).ok_or(MigrationError::InvalidBase64)?;
    let payload = <proto::MigrationPayload as prost::Message>::decode(bytes.as_slice())
        .map_err(|e| MigrationError::InvalidPayload(e.to_string()));
    bytes.zeroize();
    let mut payload = payload?;
    let batch = batch_from_payload(&payload);
    for p in &mut payload.otp_parameters {
        p.secret.zeroize();
    }
    Ok(batch)
}

fn decode_base64_lenient(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let trimmed = text.trim_end_matches('=');
    STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed))
        .ok()
}

fn batch_from_payload(payload: &proto::MigrationPayload) -> MigrationBatch {
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for p in &payload.otp_parameters {
        match entry_from_parameters(p) {
            Ok(e) => entries.push(e),
            Err(reason) => skipped.push(format!("{}: {reason}", display_name(&p.issuer, &p.name))),
        }
    }
    MigrationBatch {
        entries,
        skipped,
        batch_index: payload.batch_index,
        batch_size: payload.batch_size.max(1),
        batch_id: payload.batch_id,
        version: payload.version,
    }
}

fn display_name(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (true, false) => name.to_string(),
        (false, true) => issuer.to_string(),
        (true, true) => "an unnamed account".to_string(),
    }
}

fn entry_from_parameters(p: &proto::OtpParameters) -> Result<OtpEntry, String> {
    let secret = Secret::from_bytes(p.secret.clone()).map_err(|e| e.to_string())?;
    let algorithm = match p.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err("uses MD5, which Tessera does not support".into()),
        n => return Err(format!("has an unknown algorithm ({n})")),
    };
    let digits = match p.digits {
        0 | 1 => 6,
        2 => 8,
        n => return Err(format!("has an unknown digit count ({n})")),
    };
    let params = match p.r#type {
        0 | 2 => OtpParams {
            algorithm,
            digits,
            ..OtpParams::totp()
        },
        1 => OtpParams {
            algorithm,
            digits,
            counter: u64::try_from(p.counter)
                .map_err(|_| format!("has a negative counter ({})", p.counter))?,
            ..OtpParams::hotp(0)
        },
        n => return Err(format!("has an unknown type ({n})")),
    };
    // The name may carry "issuer:account" when the issuer field is empty.
    let (issuer, account) = match (p.issuer.trim(), p.name.split_once(':')) {
        ("", Some((issuer, account))) => (issuer.trim().to_string(), account.trim().to_string()),
        (issuer, _) => {
            let name = p.name.trim();
            // Some exporters repeat the issuer in the name as well: "Issuer:account".
            let account = name
                .strip_prefix(issuer)
                .and_then(|r| r.trim_start().strip_prefix(':'))
                .filter(|_| !issuer.is_empty())
                .unwrap_or(name);
            (issuer.to_string(), account.trim().to_string())
        }
    };
    Ok(OtpEntry::new(issuer, account, secret, params))
}

/// Why an account cannot travel in a Google Authenticator export, if it cannot.
pub fn unsupported_reason(entry: &OtpEntry) -> Option<String> {
    let p = &entry.params;
    match p.kind {
        OtpKind::Steam => Some("Steam accounts are not supported by Google Authenticator".into()),
        _ if p.digits != 6 && p.digits != 8 => Some(format!(
            "it uses {} digits; only 6 or 8 are supported",
            p.digits
        )),
        OtpKind::Totp if p.period != DEFAULT_PERIOD => Some(format!(
            "it uses a {}-second period; only 30 seconds is supported",
            p.period
        )),
        _ => None,
    }
}

/// Encodes accounts as one `otpauth-migration://` URI, refusing any account the format cannot carry.
pub fn encode(
    entries: &[OtpEntry],
    batch_index: i32,
    batch_size: i32,
    batch_id: i32,
) -> Result<String, MigrationError> {
    let mut payload = proto::MigrationPayload {
        otp_parameters: Vec::with_capacity(entries.len()),
        version: 1,
        batch_size,
        batch_index,
        batch_id,
    };
    for e in entries {
        if let Some(reason) = unsupported_reason(e) {
            return Err(MigrationError::Unsupported {
                account: display_name(&e.issuer, &e.account),
                reason,
            });
        }
        let p = &e.params;
        payload.otp_parameters.push(proto::OtpParameters {
            secret: e.secret.as_bytes().to_vec(),
            name: e.account.clone(),
            issuer: e.issuer.clone(),
            algorithm: match p.algorithm {
                Algorithm::Sha1 => 1,
                Algorithm::Sha256 => 2,
                Algorithm::Sha512 => 3,
            },
            digits: if p.digits == 8 { 2 } else { 1 },
            r#type: if p.kind == OtpKind::Hotp { 1 } else { 2 },
            counter: if p.kind == OtpKind::Hotp {
                p.counter as i64
            } else {
                0
            },
        });
    }
    let mut bytes = prost::Message::encode_to_vec(&payload);
    for p in &mut payload.otp_parameters {
        p.secret.zeroize();
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    bytes.zeroize();
    Ok(format!(
        "{SCHEME_PREFIX}offline?data={}",
        utf8_percent_encode(&b64, NON_ALPHANUMERIC)
    ))
}

/// Splits accounts into as many export URIs as needed (`per_code` accounts each), sharing one batch id.
pub fn encode_batches(
    entries: &[OtpEntry],
    per_code: usize,
    batch_id: i32,
) -> Result<Vec<String>, MigrationError> {
    let chunks: Vec<&[OtpEntry]> = entries.chunks(per_code.max(1)).collect();
    let size = chunks.len().max(1) as i32;
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| encode(chunk, i as i32, size, batch_id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A payload written by Google Authenticator (shape from the Aegis author's write-up): one TOTP
    /// account, issuer empty, name "Example:alice@google.com".
    fn sample_payload() -> Vec<u8> {
        let p = proto::MigrationPayload {
            otp_parameters: vec![proto::OtpParameters {
                secret: b"Hello!\xDE\xAD\xBE\xEF".to_vec(),
                name: "Example:alice@google.com".into(),
                issuer: String::new(),
                algorithm: 0,
                digits: 0,
                r#type: 0,
                counter: 0,
            }],
            version: 1,
            batch_size: 1,
            batch_index: 0,
            batch_id: -1_320_898_453,
        };
        prost::Message::encode_to_vec(&p)
    }

    #[test]
    fn decodes_payload_with_defaults_and_name_split() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(sample_payload());
        let uri = format!(
            "otpauth-migration://offline?data={}",
            utf8_percent_encode(&b64, NON_ALPHANUMERIC)
        );
        let batch = decode(&uri).unwrap();
        assert_eq!(batch.entries.len(), 1);
        let e = &batch.entries[0];
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Example", "alice@google.com")
        );
        assert_eq!(e.secret.to_base32(), "JBSWY3DPEHPK3PXP");
        assert_eq!(e.params, OtpParams::totp());
        assert_eq!(
            (batch.batch_index, batch.batch_size, batch.batch_id),
            (0, 1, -1_320_898_453)
        );
        // Unescaped Base64 (with `+`/`/`), missing padding, URL-safe alphabet: all accepted.
        let raw = format!(
            "otpauth-migration://offline?data={}",
            b64.trim_end_matches('=')
        );
        assert_eq!(decode(&raw).unwrap(), batch);
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sample_payload());
        assert_eq!(
            decode(&format!("otpauth-migration://offline?data={url_safe}")).unwrap(),
            batch
        );
    }

    #[test]
    fn public_export_vectors() {
        // Test vector published with GNOME Authenticator's Google importer (Discord account), with its
        // mix of escaped (%2B, %3D) and unescaped (/) Base64 characters.
        let gnome = "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D";
        let batch = decode(gnome).unwrap();
        assert_eq!(batch.entries.len(), 1);
        let e = &batch.entries[0];
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Discord", "johndoe@example.com")
        );
        assert_eq!(e.params, OtpParams::totp());
        assert_eq!(e.secret.len(), 16);
        assert_eq!(
            (
                batch.batch_index,
                batch.batch_size,
                batch.batch_id,
                batch.version
            ),
            (0, 1, 0, 1)
        );
        // A second public vector (Amazon), unescaped.
        let amazon = "otpauth-migration://offline?data=CjQKFKuOm4V945mpzWoDXUoJMyfferkVEg5qZG9lQGdtYWlsLmNvbRoGQW1hem9uIAEoATACEAIYASAA";
        let e = &decode(amazon).unwrap().entries[0];
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Amazon", "jdoe@gmail.com")
        );
        assert_eq!(e.secret.len(), 20);
    }

    #[test]
    fn hand_written_wire_format() {
        // One HOTP account written byte by byte from the schema (fields 1–6, then 2–5 of the payload).
        let wire: Vec<u8> = [
            &[0x0a, 0x21][..], // field 1, message, 33 bytes
            &[0x0a, 0x0a],
            b"Hello!\xDE\xAD\xBE\xEF", // secret
            &[0x12, 0x03],
            b"bob", // name
            &[0x1a, 0x08],
            b"NHS Mail",                                       // issuer
            &[0x20, 0x02, 0x28, 0x02, 0x30, 0x01],             // SHA256, eight digits, HOTP
            &[0x10, 0x01, 0x18, 0x03, 0x20, 0x02, 0x28, 0x07], // version 1, size 3, index 2, id 7
        ]
        .concat();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&wire);
        let batch = decode(&format!("otpauth-migration://offline?data={b64}")).unwrap();
        let e = &batch.entries[0];
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("NHS Mail", "bob"));
        assert_eq!(
            (e.params.kind, e.params.algorithm, e.params.digits),
            (OtpKind::Hotp, Algorithm::Sha256, 8)
        );
        assert_eq!(
            (batch.batch_index, batch.batch_size, batch.batch_id),
            (2, 3, 7)
        );
    }

    #[test]
    fn skips_unusable_accounts_but_keeps_the_rest() {
        let mut p =
            <proto::MigrationPayload as prost::Message>::decode(sample_payload().as_slice())
                .unwrap();
        let mut md5 = p.otp_parameters[0].clone();
        md5.algorithm = 4;
        md5.name = "Old".into();
        p.otp_parameters.push(md5);
        let b64 =
            base64::engine::general_purpose::STANDARD.encode(prost::Message::encode_to_vec(&p));
        let batch = decode(&format!("otpauth-migration://offline?data={b64}")).unwrap();
        assert_eq!(batch.entries.len(), 1);
        assert_eq!(batch.skipped.len(), 1);
        assert!(batch.skipped[0].contains("MD5"), "{:?}", batch.skipped);
    }

    #[test]
    fn errors() {
        assert_eq!(
            decode("otpauth://totp/x?secret=AA").unwrap_err(),
            MigrationError::NotMigration
        );
        assert_eq!(
            decode("otpauth-migration://offline").unwrap_err(),
            MigrationError::MissingData
        );
        assert_eq!(
            decode("otpauth-migration://offline?data=%%%%").unwrap_err(),
            MigrationError::InvalidBase64
        );
        assert!(matches!(
            decode("otpauth-migration://offline?data=CgNhYmM").unwrap_err(),
            MigrationError::InvalidPayload(_)
        ));
    }

    #[test]
    fn encode_refuses_what_the_format_cannot_carry() {
        let s = Secret::from_bytes(vec![1; 10]).unwrap();
        for params in [
            OtpParams::steam(),
            OtpParams {
                period: 60,
                ..OtpParams::totp()
            },
            OtpParams {
                digits: 7,
                ..OtpParams::totp()
            },
        ] {
            let e = OtpEntry::new("X", "y", s.clone(), params);
            assert!(matches!(
                encode(&[e], 0, 1, 1),
                Err(MigrationError::Unsupported { .. })
            ));
        }
    }

    #[test]
    fn batches_share_an_id() {
        let s = Secret::from_bytes(vec![7; 20]).unwrap();
        let entries: Vec<_> = (0..5)
            .map(|i| OtpEntry::new("I", format!("a{i}"), s.clone(), OtpParams::totp()))
            .collect();
        let uris = encode_batches(&entries, 2, 42).unwrap();
        assert_eq!(uris.len(), 3);
        let decoded: Vec<_> = uris.iter().map(|u| decode(u).unwrap()).collect();
        assert!(decoded
            .iter()
            .all(|b| b.batch_id == 42 && b.batch_size == 3));
        assert_eq!(
            decoded.iter().map(|b| b.batch_index).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        let all: Vec<_> = decoded.into_iter().flat_map(|b| b.entries).collect();
        assert_eq!(all, entries);
    }

    fn entry() -> impl Strategy<Value = OtpEntry> {
        (
            "[a-zA-Z0-9 .@Ü東-]{0,12}",
            "[a-zA-Z0-9 .@Ü東-]{0,12}",
            proptest::collection::vec(any::<u8>(), 1..40),
            0..3u8,
            any::<bool>(),
            proptest::option::of(0..u32::MAX as u64),
        )
            .prop_map(|(issuer, account, secret, a, eight, counter)| {
                let algorithm = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][a as usize];
                let digits = if eight { 8 } else { 6 };
                let params = match counter {
                    Some(c) => OtpParams {
                        algorithm,
                        digits,
                        ..OtpParams::hotp(c)
                    },
                    None => OtpParams {
                        algorithm,
                        digits,
                        ..OtpParams::totp()
                    },
                };
                // Names are trimmed and an issuer is always given, as decode normalises them so.
                OtpEntry::new(
                    format!("I{}", issuer.trim()),
                    account.trim().replace(':', ""),
                    Secret::from_bytes(secret).unwrap(),
                    params,
                )
            })
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(entries in proptest::collection::vec(entry(), 1..6), id in any::<i32>()) {
            let uri = encode(&entries, 0, 1, id).unwrap();
            let batch = decode(&uri).unwrap();
            prop_assert_eq!(batch.entries, entries);
            prop_assert_eq!(batch.batch_id, id);
        }

        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
            let _ = decode(&format!("otpauth-migration://offline?data={b64}"));
        }
    }
}
