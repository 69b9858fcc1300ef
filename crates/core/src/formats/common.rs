//! Helpers shared by the importers: building validated entries from loose fields, JSON access that
//! reports truncation, and the AES-GCM opening every encrypted format needs.

use super::{environment::suggest_environment, FormatError, ImportedEntry};
pub(crate) use crate::crypto::aead::{open as aes_gcm_open, seal as aes_gcm_seal};
use crate::entry::OtpEntry;
use crate::otp::{Algorithm, OtpKind, OtpParams};
use crate::secret::Secret;
use serde_json::Value;

/// A secret as a format stores it.
pub(crate) enum RawSecret<'a> {
    Base32(&'a str),
    Bytes(Vec<u8>),
}

/// The loose fields of one account as a format gives them; `None` means "not in the file".
#[derive(Default)]
pub(crate) struct Fields<'a> {
    pub issuer: &'a str,
    pub account: &'a str,
    pub kind: Option<OtpKind>,
    pub algorithm: Option<&'a str>,
    pub digits: Option<u64>,
    pub period: Option<u64>,
    pub counter: Option<u64>,
}

/// Builds a validated entry, or a reason a person can act on. The parameter rules are
/// [`OtpParams::from_parts_lenient`]'s: Steam takes its own algorithm, digits and period whatever the
/// file says; HOTP ignores any period a file carries, TOTP any counter.
pub(crate) fn build_entry(fields: &Fields, secret: RawSecret) -> Result<OtpEntry, String> {
    let secret = match secret {
        RawSecret::Base32(text) => {
            Secret::parse_base32(text)
                .map_err(|e| super::messages::secret_error(&e))?
                .0
        }
        RawSecret::Bytes(bytes) => {
            Secret::from_bytes(bytes).map_err(|e| super::messages::secret_error(&e))?
        }
    };
    let algorithm = match fields.algorithm.filter(|a| !a.trim().is_empty()) {
        Some(algo) => Some(algo.parse::<Algorithm>().map_err(|_| {
            format!("the algorithm {algo} is not supported (only SHA1, SHA256 and SHA512 are)")
        })?),
        None => None,
    };
    let digits = match fields.digits {
        Some(d) => Some(u8::try_from(d).map_err(|_| format!("{d} digits is not possible"))?),
        None => None,
    };
    let period = match fields.period {
        Some(p) => {
            Some(u32::try_from(p).map_err(|_| format!("a period of {p} seconds is not possible"))?)
        }
        None => None,
    };
    let params = OtpParams::from_parts_lenient(
        fields.kind.unwrap_or_default(),
        algorithm,
        digits,
        period,
        fields.counter,
    )
    .map_err(|e| e.to_string())?;
    Ok(OtpEntry::new(
        fields.issuer.trim(),
        fields.account.trim(),
        secret,
        params,
    ))
}

/// Wraps a built entry with its note and groups, suggesting an environment from all of its names.
pub(crate) fn finish(
    entry: OtpEntry,
    note: &str,
    groups: Vec<String>,
    source_name: String,
) -> ImportedEntry {
    let mut texts: Vec<&str> = vec![&entry.issuer, &entry.account, note];
    texts.extend(groups.iter().map(String::as_str));
    let environment_hint = suggest_environment(&texts);
    ImportedEntry {
        note: note.trim().to_string(),
        environment_hint,
        groups,
        source_name,
        batch: None,
        restored: None,
        entry,
    }
}

/// "Issuer / account", or whichever is present, to name an entry in messages.
pub(crate) fn display_name(issuer: &str, account: &str) -> String {
    match (issuer.trim().is_empty(), account.trim().is_empty()) {
        (false, false) => format!("{} / {}", issuer.trim(), account.trim()),
        (false, true) => issuer.trim().to_string(),
        (true, false) => account.trim().to_string(),
        (true, true) => String::new(),
    }
}

/// Parses a JSON file, telling a cut-off file from one that is not JSON at all.
pub(crate) fn parse_json(format: &'static str, bytes: &[u8]) -> Result<Value, FormatError> {
    let bytes = strip_bom(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            FormatError::truncated(format, "the JSON ends early")
        } else {
            FormatError::malformed(
                format,
                format!("not valid JSON ({})", super::messages::json_error(&e)),
            )
        }
    })
}

/// Files saved by Windows editors may start with a UTF-8 byte order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Cheap check that `bytes` are a JSON object/array (after whitespace), before a full parse.
pub(crate) fn looks_like_json(bytes: &[u8]) -> bool {
    matches!(
        strip_bom(bytes).iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

/// A string field, or "" when missing or not a string.
pub(crate) fn str_field<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The strings of an array field (its other items skipped), or none when missing or not an array.
pub(crate) fn strings_field(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A non-negative integer field; numbers written as strings ("30") are accepted.
pub(crate) fn uint_field(value: &Value, key: &str) -> Option<u64> {
    match value.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Decodes standard Base64, tolerating missing padding and the URL-safe alphabet some tools write.
pub(crate) fn base64_lenient(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    use base64::engine::DecodePaddingMode;
    use base64::Engine;
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    GeneralPurpose::new(&base64::alphabet::STANDARD, config)
        .decode(cleaned)
        .ok()
}

pub(crate) fn hex_decode(text: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .ok()
}

/// Text of a file, with a clear error when it is not UTF-8.
pub(crate) fn utf8_text<'a>(format: &'static str, bytes: &'a [u8]) -> Result<&'a str, FormatError> {
    std::str::from_utf8(strip_bom(bytes))
        .map_err(|_| FormatError::malformed(format, "the file is not text (UTF-8)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_entries_with_defaults_and_reasons() {
        let fields = Fields {
            issuer: " Deno ",
            account: "Mason",
            ..Default::default()
        };
        let e = build_entry(&fields, RawSecret::Base32("4SJHB4GSD43FZBAI7C2HLRJGPQ")).unwrap();
        assert_eq!((e.issuer.as_str(), e.params), ("Deno", OtpParams::totp()));

        let md5 = Fields {
            algorithm: Some("MD5"),
            ..Default::default()
        };
        let err = build_entry(&md5, RawSecret::Base32("JBSWY3DPEHPK3PXP")).unwrap_err();
        assert!(err.contains("MD5"), "{err}");

        let four = Fields {
            digits: Some(4),
            ..Default::default()
        };
        assert!(build_entry(&four, RawSecret::Base32("JBSWY3DPEHPK3PXP")).is_err());

        // Steam ignores what a file says about digits; HOTP ignores a period.
        let steam = Fields {
            kind: Some(OtpKind::Steam),
            digits: Some(6),
            ..Default::default()
        };
        assert_eq!(
            build_entry(&steam, RawSecret::Base32("JBSWY3DPEHPK3PXP"))
                .unwrap()
                .params,
            OtpParams::steam()
        );
        let hotp = Fields {
            kind: Some(OtpKind::Hotp),
            period: Some(0),
            counter: Some(7),
            ..Default::default()
        };
        assert_eq!(
            build_entry(&hotp, RawSecret::Base32("JBSWY3DPEHPK3PXP"))
                .unwrap()
                .params,
            OtpParams::hotp(7)
        );
    }

    #[test]
    fn gcm_round_trip_and_tamper() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let mut sealed = aes_gcm_seal(&key, &nonce, b"hello", b"aad");
        assert_eq!(
            aes_gcm_open(&key, &nonce, &sealed, b"aad").unwrap(),
            b"hello"
        );
        assert!(aes_gcm_open(&key, &nonce, &sealed, b"other").is_none());
        sealed[0] ^= 1;
        assert!(aes_gcm_open(&key, &nonce, &sealed, b"aad").is_none());
    }

    #[test]
    fn base64_tolerates_padding_and_url_alphabet() {
        assert_eq!(base64_lenient("aGk/").unwrap(), b"hi?");
        assert_eq!(base64_lenient("aGk_").unwrap(), b"hi?");
        assert_eq!(base64_lenient("aGk").unwrap(), b"hi");
        assert_eq!(base64_lenient("aGk=").unwrap(), b"hi");
    }
}
