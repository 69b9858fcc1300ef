//! What a decoded QR code is: an authenticator account, a Google Authenticator export batch, or
//! something else, described so that the UI can say why it cannot be added.

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

/// The classification of one decoded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// An `otpauth://` account URI (parse it with `uri::parse`).
    Otpauth { uri: String },
    /// A Google Authenticator export (`otpauth-migration://`); decode it with `migration::decode`.
    Migration { uri: String },
    /// Anything else.
    Other { kind: OtherKind },
}

impl Payload {
    /// One sentence for the person scanning.
    pub fn description(&self) -> String {
        match self {
            Payload::Otpauth { .. } => "this QR code is an authenticator account".to_owned(),
            Payload::Migration { .. } => "this QR code is a Google Authenticator export".to_owned(),
            Payload::Other { kind } => format!(
                "this QR code is {}, not an authenticator code",
                kind.phrase()
            ),
        }
    }

    pub fn is_authenticator(&self) -> bool {
        !matches!(self, Payload::Other { .. })
    }
}

fn has_scheme(text: &str, scheme: &str) -> bool {
    text.len() > scheme.len()
        && text.is_char_boundary(scheme.len())
        && text[..scheme.len()].eq_ignore_ascii_case(scheme)
}

/// Classifies a decoded text by its scheme (case-insensitive, surrounding whitespace ignored).
pub fn classify(text: &str) -> Payload {
    let t = text.trim();
    if has_scheme(t, "otpauth-migration:") {
        return Payload::Migration { uri: t.to_owned() };
    }
    if has_scheme(t, "otpauth:") {
        return Payload::Otpauth { uri: t.to_owned() };
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
    fn authenticator_schemes() {
        assert!(matches!(
            classify("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP"),
            Payload::Otpauth { .. }
        ));
        assert!(matches!(
            classify("OTPAUTH://totp/x?secret=AA"),
            Payload::Otpauth { .. }
        ));
        assert!(matches!(
            classify("otpauth-migration://offline?data=CjEK"),
            Payload::Migration { .. }
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
