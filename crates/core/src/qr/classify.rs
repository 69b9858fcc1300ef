//! What a decoded QR code is: an authenticator account, a Google Authenticator export batch, or
//! something else, described so that the UI can say why it cannot be added.

use crate::migration::{self, MigrationBatch};
use crate::uri;
use crate::OtpEntry;

/// What kind of non-authenticator content a QR code holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherKind {
    WebLink,
    WiFi,
    Contact,
    Email,
    Phone,
    Sms,
    Location,
    Calendar,
    Payment,
    OtherLink,
    PlainText,
}

impl OtherKind {
    /// A phrase for "this QR code is …".
    pub fn phrase(self) -> &'static str {
        match self {
            OtherKind::WebLink => "a web link",
            OtherKind::WiFi => "Wi-Fi network details",
            OtherKind::Contact => "a contact card",
            OtherKind::Email => "an e-mail address",
            OtherKind::Phone => "a phone number",
            OtherKind::Sms => "a text message",
            OtherKind::Location => "a map location",
            OtherKind::Calendar => "a calendar event",
            OtherKind::Payment => "a payment request",
            OtherKind::OtherLink => "a link for another app",
            OtherKind::PlainText => "plain text",
        }
    }
}

/// The classification of one decoded text. Secrets stay inside [`OtpEntry`] (redacted in Debug,
/// zeroized on drop); the variants never keep the URI text itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// An `otpauth://` account.
    Otpauth { entry: Box<OtpEntry> },
    /// One QR code of a Google Authenticator export (`otpauth-migration://`): its accounts, and
    /// which code of the export it is (`batch_index` is 0-based).
    Migration { batch: MigrationBatch },
    /// An `otpauth://` link that cannot be used (no secret, bad digits, …).
    InvalidOtpauth { reason: String },
    /// An `otpauth-migration://` link that cannot be read.
    InvalidMigration { reason: String },
    /// Anything else.
    Other { kind: OtherKind },
}

impl Payload {
    /// One sentence for the person scanning.
    pub fn description(&self) -> String {
        match self {
            Payload::Otpauth { entry } => {
                let name = match (entry.issuer.is_empty(), entry.account.is_empty()) {
                    (false, false) => format!("{} ({})", entry.issuer, entry.account),
                    (false, true) => entry.issuer.clone(),
                    (true, false) => entry.account.clone(),
                    (true, true) => "an unnamed account".to_owned(),
                };
                format!("this QR code is an authenticator account: {name}")
            }
            Payload::Migration { batch } => {
                let n = batch.entries.len();
                let accounts = if n == 1 {
                    "1 account".to_owned()
                } else {
                    format!("{n} accounts")
                };
                let mut text =
                    format!("this QR code is a Google Authenticator export with {accounts}");
                if batch.batch_size > 1 {
                    text += &format!(" (code {} of {})", batch.batch_index + 1, batch.batch_size);
                }
                if !batch.skipped.is_empty() {
                    text += &format!("; {} cannot be used", batch.skipped.len());
                }
                text
            }
            Payload::InvalidOtpauth { reason } => {
                format!("this QR code is an authenticator link that cannot be used: {reason}")
            }
            Payload::InvalidMigration { reason } => {
                format!(
                    "this QR code is a Google Authenticator export that cannot be read: {reason}"
                )
            }
            Payload::Other { kind } => format!(
                "this QR code is {}, not an authenticator code",
                kind.phrase()
            ),
        }
    }

    /// True for the payloads that can be added (an account or a readable export).
    pub fn is_authenticator(&self) -> bool {
        matches!(self, Payload::Otpauth { .. } | Payload::Migration { .. })
    }

    /// The accounts this payload would add.
    pub fn entries(&self) -> Vec<OtpEntry> {
        match self {
            Payload::Otpauth { entry } => vec![(**entry).clone()],
            Payload::Migration { batch } => batch.entries.clone(),
            _ => Vec::new(),
        }
    }
}

fn has_scheme(text: &str, scheme: &str) -> bool {
    text.len() > scheme.len()
        && text.is_char_boundary(scheme.len())
        && text[..scheme.len()].eq_ignore_ascii_case(scheme)
}

/// Classifies a decoded text: parses `otpauth://` with [`uri::parse`] and `otpauth-migration://`
/// with [`migration::decode`]; anything else is described by its scheme.
pub fn classify(text: &str) -> Payload {
    let t = text.trim();
    if has_scheme(t, "otpauth-migration:") {
        return match migration::decode(t) {
            Ok(batch) => Payload::Migration { batch },
            Err(e) => Payload::InvalidMigration {
                reason: e.to_string(),
            },
        };
    }
    if has_scheme(t, "otpauth:") {
        return match uri::parse(t) {
            Ok(entry) => Payload::Otpauth {
                entry: Box::new(entry),
            },
            Err(e) => Payload::InvalidOtpauth {
                reason: e.to_string(),
            },
        };
    }
    Payload::Other {
        kind: other_kind(t),
    }
}

fn other_kind(t: &str) -> OtherKind {
    const SCHEMES: &[(&str, OtherKind)] = &[
        ("http://", OtherKind::WebLink),
        ("https://", OtherKind::WebLink),
        ("www.", OtherKind::WebLink),
        ("wifi:", OtherKind::WiFi),
        ("begin:vcard", OtherKind::Contact),
        ("mecard:", OtherKind::Contact),
        ("mailto:", OtherKind::Email),
        ("matmsg:", OtherKind::Email),
        ("tel:", OtherKind::Phone),
        ("sms:", OtherKind::Sms),
        ("smsto:", OtherKind::Sms),
        ("geo:", OtherKind::Location),
        ("begin:vevent", OtherKind::Calendar),
        ("begin:vcalendar", OtherKind::Calendar),
        ("bitcoin:", OtherKind::Payment),
        ("ethereum:", OtherKind::Payment),
        ("litecoin:", OtherKind::Payment),
        ("upi:", OtherKind::Payment),
        ("bank:", OtherKind::Payment),
    ];
    for &(scheme, kind) in SCHEMES {
        if has_scheme(t, scheme) {
            return kind;
        }
    }
    // "scheme:rest" with a plausible scheme name: some other app's link.
    if let Some((scheme, rest)) = t.split_once(':') {
        let plausible = !scheme.is_empty()
            && scheme.len() <= 32
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.is_empty()
            && !t.contains(char::is_whitespace);
        if plausible {
            return OtherKind::OtherLink;
        }
    }
    OtherKind::PlainText
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otpauth_links_are_parsed() {
        let p =
            classify("otpauth://totp/Z%C3%BCrich:anna?secret=JBSWY3DPEHPK3PXP&issuer=Z%C3%BCrich");
        let Payload::Otpauth { entry } = &p else {
            panic!("{p:?}")
        };
        assert_eq!(entry.issuer, "Zürich");
        assert_eq!(entry.account, "anna");
        assert_eq!(
            p.description(),
            "this QR code is an authenticator account: Zürich (anna)"
        );
        assert_eq!(p.entries().len(), 1);
        assert!(matches!(
            classify("OTPAUTH://totp/x?secret=JBSWY3DPEHPK3PXP"),
            Payload::Otpauth { .. }
        ));
        let bad = classify("otpauth://totp/x?digits=6");
        assert!(matches!(bad, Payload::InvalidOtpauth { .. }), "{bad:?}");
        assert!(!bad.is_authenticator());
        assert!(
            bad.description().contains("secret"),
            "{}",
            bad.description()
        );
    }

    #[test]
    fn migration_batches_are_decoded() {
        let entries: Vec<OtpEntry> = ["Lab:bob", "Ward:ann", "Pharmacy:cy"]
            .iter()
            .map(|label| {
                uri::parse(&format!("otpauth://totp/{label}?secret=JBSWY3DPEHPK3PXP")).unwrap()
            })
            .collect();
        let uris = migration::encode_batches(&entries, 2, 7).unwrap();
        assert_eq!(uris.len(), 2);
        let p = classify(&uris[1]);
        let Payload::Migration { batch } = &p else {
            panic!("{p:?}")
        };
        assert_eq!(batch.entries, entries[2..].to_vec());
        assert_eq!(
            p.description(),
            "this QR code is a Google Authenticator export with 1 account (code 2 of 2)"
        );
        let first = classify(&uris[0]);
        assert_eq!(first.entries(), entries[..2].to_vec());
        assert!(
            first
                .description()
                .contains("with 2 accounts (code 1 of 2)"),
            "{}",
            first.description()
        );
        assert!(matches!(
            classify("otpauth-migration://offline?data=%%%"),
            Payload::InvalidMigration { .. }
        ));
    }

    #[test]
    fn other_content_is_described() {
        let cases = [
            ("https://example.com/x", "a web link"),
            ("WIFI:S:ward-4;T:WPA;P:secret;;", "Wi-Fi network details"),
            (
                "BEGIN:VCARD\nVERSION:3.0\nFN:Dr A\nEND:VCARD",
                "a contact card",
            ),
            ("mailto:a@example.org", "an e-mail address"),
            ("tel:+441234567", "a phone number"),
            (
                "bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=1",
                "a payment request",
            ),
            ("spotify:track:abc", "a link for another app"),
            ("Hello, ward 4: see you at 9", "plain text"),
            ("", "plain text"),
        ];
        for (text, phrase) in cases {
            let p = classify(text);
            assert!(!p.is_authenticator(), "{text}");
            assert_eq!(
                p.description(),
                format!("this QR code is {phrase}, not an authenticator code"),
                "{text}"
            );
        }
        assert_eq!(
            classify("https://x").description(),
            "this QR code is a web link, not an authenticator code"
        );
    }

    #[test]
    fn does_not_panic_on_multibyte_prefixes() {
        assert!(!classify("ü").is_authenticator());
        assert!(!classify("東京銀行:口座").is_authenticator());
    }
}
