//! Intake: what a person hands Tessera to add accounts from (a QR code's text, a typed or pasted
//! link, a dropped file) and what it is. The one place that tells `otpauth://` from
//! `otpauth-migration://` from anything else; the CLI and the app only ask.
//!
//! - [`classify`]: what a decoded QR code's text is (account, export batch, or what else), described
//!   so that the UI can say why it cannot be added.
//! - [`read_link`]: the accounts a typed or pasted link carries, or why it carries none.
//! - [`is_image`]: whether a file's bytes are a picture (to be scanned for QR codes, not imported).

use crate::migration::{self, MigrationBatch, MigrationError};
use crate::uri::{self, UriError};
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
                let name = crate::entry::display_name(&entry.issuer, &entry.account)
                    .unwrap_or_else(|| "an unnamed account".to_owned());
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

/// Where one QR code sits in a multi-code Google Authenticator export (`index` is 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchPosition {
    pub index: u32,
    pub size: u32,
    pub id: i64,
}

/// The accounts one link or QR code carries, ready to add, and what is worth telling about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub entries: Vec<OtpEntry>,
    /// What was tolerated while reading an `otpauth://` link (odd spellings, a padded key…).
    pub warnings: Vec<String>,
    /// Accounts of an export that cannot be used, with the reason.
    pub skipped: Vec<String>,
    /// For one QR code of a multi-code export: which one it is.
    pub batch: Option<BatchPosition>,
}

/// Why a link carries no account to add.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    #[error(transparent)]
    Uri(#[from] UriError),
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// An export whose accounts all had to be skipped.
    #[error("the export holds no account Tessera can use{}", reasons(.skipped))]
    NoUsableAccount { skipped: Vec<String> },
}

fn reasons(skipped: &[String]) -> String {
    if skipped.is_empty() {
        String::new()
    } else {
        format!(" ({})", skipped.join("; "))
    }
}

impl Link {
    /// The accounts of one export QR code; an export with none usable is an error.
    pub fn from_batch(batch: MigrationBatch) -> Result<Link, IntakeError> {
        if batch.entries.is_empty() {
            return Err(IntakeError::NoUsableAccount {
                skipped: batch.skipped,
            });
        }
        let position = (batch.batch_size > 1).then(|| BatchPosition {
            index: batch.batch_index.max(0) as u32 + 1,
            size: batch.batch_size as u32,
            id: i64::from(batch.batch_id),
        });
        Ok(Link {
            entries: batch.entries,
            warnings: Vec::new(),
            skipped: batch.skipped,
            batch: position,
        })
    }
}

/// The accounts a typed or pasted link carries: an `otpauth://` account (also Steam's `steam://`),
/// or every usable account of a Google Authenticator export (`otpauth-migration://`).
pub fn read_link(text: &str) -> Result<Link, IntakeError> {
    let t = text.trim();
    if has_scheme(t, "otpauth-migration:") {
        return Link::from_batch(migration::decode(t)?);
    }
    let parsed = uri::parse_with_warnings(t)?;
    Ok(Link {
        entries: vec![parsed.entry],
        warnings: parsed.warnings,
        skipped: Vec::new(),
        batch: None,
    })
}

/// True when a file's bytes are a picture Tessera scans for QR codes (PNG or JPEG), not an export.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(b"\xFF\xD8\xFF")
}

/// What kind of link a text is, by its scheme alone (case-insensitive, surrounding spaces ignored): the
/// one answer to "is this otpauth or otpauth-migration?" for the CLI and the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `otpauth://…`: one account.
    Account,
    /// `otpauth-migration://…`: a Google Authenticator export.
    Export,
    /// Anything else.
    Other,
}

/// See [`LinkKind`].
pub fn link_kind(text: &str) -> LinkKind {
    let t = text.trim();
    if has_scheme(t, "otpauth-migration:") {
        LinkKind::Export
    } else if has_scheme(t, "otpauth:") {
        LinkKind::Account
    } else {
        LinkKind::Other
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
    fn links_give_their_accounts_or_a_reason() {
        let l = read_link("  otpauth://totp/Lab:bob?secret=JBSWY3DPEHPK3PXP  ").unwrap();
        assert_eq!((l.entries.len(), l.batch), (1, None));
        assert_eq!(l.entries[0].display_name(), "Lab (bob)");
        // Bitwarden's steam:// is an account too.
        assert_eq!(
            read_link("steam://JBSWY3DPEHPK3PXP").unwrap().entries.len(),
            1
        );
        let e = read_link("https://example.com").unwrap_err();
        assert!(
            e.to_string().starts_with("this is not an otpauth:// link"),
            "{e}"
        );
        let entries: Vec<OtpEntry> = ["Lab:bob", "Ward:ann", "Pharmacy:cy"]
            .iter()
            .map(|label| {
                uri::parse(&format!("otpauth://totp/{label}?secret=JBSWY3DPEHPK3PXP")).unwrap()
            })
            .collect();
        let uris = migration::encode_batches(&entries, 2, 7).unwrap();
        let l = read_link(&uris[1]).unwrap();
        assert_eq!(l.entries, entries[2..].to_vec());
        let b = l.batch.unwrap();
        assert_eq!((b.index, b.size), (2, 2));
        let none = Link::from_batch(MigrationBatch {
            entries: vec![],
            skipped: vec!["X (MD5 is not supported)".into()],
            batch_index: 0,
            batch_size: 1,
            batch_id: 0,
            version: 1,
        })
        .unwrap_err();
        assert_eq!(
            none.to_string(),
            "the export holds no account Tessera can use (X (MD5 is not supported))"
        );
    }

    #[test]
    fn images_are_told_by_their_first_bytes() {
        assert!(is_image(b"\x89PNG\r\n\x1a\n...."));
        assert!(is_image(b"\xFF\xD8\xFF\xE0"));
        assert!(!is_image(b"{\"db\": 1}"));
        assert!(!is_image(b""));
    }

    #[test]
    fn does_not_panic_on_multibyte_prefixes() {
        assert!(!classify("ü").is_authenticator());
        assert!(!classify("東京銀行:口座").is_authenticator());
    }
}
