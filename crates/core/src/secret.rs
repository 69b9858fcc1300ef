//! Shared secret keys: parsed from what people type or scan, held as bytes that are wiped on drop.

use data_encoding::{Encoding, Specification};
use std::fmt;
use std::sync::OnceLock;
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Keys shorter than this are accepted (some services issue them) but flagged.
pub const RECOMMENDED_MIN_BITS: usize = 80;

/// A shared secret key. Never printed: `Debug` shows only its length, and the bytes are zeroized on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

#[derive(Debug, Error, PartialEq, Eq, Clone)]
pub enum SecretError {
    #[error("the secret key is empty")]
    Empty,
    #[error("the secret key has an invalid character {ch:?} at position {position}; a key uses only the letters A-Z and the digits 2-7 (spaces and dashes are ignored){}", look_alike_hint(*.ch))]
    InvalidCharacter { ch: char, position: usize },
    /// A whole `otpauth://` (or `otpauth-migration://`) link was given where only the key belongs.
    #[error("this is a whole authenticator link, not just the key; it is read as a link instead (or paste it under \"Or paste a link\" on the Add screen)")]
    IsALink,
    #[error("the secret key has {len} characters, which cannot be a complete Base32 key; check for a missing or extra character")]
    InvalidLength { len: usize },
}

/// Something about a key that is allowed but worth telling the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretWarning {
    /// Shorter than [`RECOMMENDED_MIN_BITS`].
    Short { bits: usize },
}

impl fmt::Display for SecretWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretWarning::Short { bits } => write!(
                f,
                "the secret key is only {bits} bits long (at least {RECOMMENDED_MIN_BITS} are recommended); codes will work, but check it was typed in full"
            ),
        }
    }
}

/// Keys never hold 0, 1 or 8: people who type them almost always read O, I/L or B off the screen.
pub fn look_alike(ch: char) -> Option<&'static str> {
    match ch {
        '0' => Some("the letter O"),
        '1' => Some("the letter I or L"),
        '8' => Some("the letter B"),
        _ => None,
    }
}

fn look_alike_hint(ch: char) -> String {
    look_alike(ch)
        .map(|l| format!(". Keys never contain 0, 1 or 8: this {ch} is probably {l}"))
        .unwrap_or_default()
}

/// Whether typed "key" text is in fact a whole authenticator link, to be read as a link.
pub fn is_link(input: &str) -> bool {
    let t = input.trim_start().as_bytes();
    let starts = |p: &str| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("otpauth://") || starts("otpauth-migration://")
}

/// Upper-case Base32 without padding, ignoring non-zero trailing bits (some generators leave them set).
fn base32_lenient() -> &'static Encoding {
    static ENC: OnceLock<Encoding> = OnceLock::new();
    ENC.get_or_init(|| {
        let mut spec = Specification::new();
        spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        spec.check_trailing_bits = false;
        spec.encoding().expect("valid Base32 specification")
    })
}

impl Secret {
    /// Wraps raw key bytes (from a migration payload or a backup). Empty keys are refused.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Secret, SecretError> {
        if bytes.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Secret(bytes))
    }

    /// Parses a Base32 key as people type it: any case, spaces, dashes and trailing `=` padding allowed.
    /// Returns the key with any warnings; an invalid character is reported with its 1-based position.
    pub fn parse_base32(input: &str) -> Result<(Secret, Vec<SecretWarning>), SecretError> {
        if is_link(input) {
            return Err(SecretError::IsALink);
        }
        let mut cleaned = zeroize::Zeroizing::new(String::with_capacity(input.len()));
        let mut padding_started = false;
        let leading_spaces = input.chars().take_while(|c| c.is_whitespace()).count();
        for (index, ch) in input.trim().chars().enumerate() {
            let position = leading_spaces + index + 1;
            match ch {
                ' ' | '-' | '\t' => continue,
                '=' => padding_started = true,
                'a'..='z' | 'A'..='Z' | '2'..='7' if !padding_started => {
                    cleaned.push(ch.to_ascii_uppercase())
                }
                _ => return Err(SecretError::InvalidCharacter { ch, position }),
            }
        }
        if cleaned.is_empty() {
            return Err(SecretError::Empty);
        }
        let bytes = base32_lenient()
            .decode(cleaned.as_bytes())
            .map_err(|_| SecretError::InvalidLength { len: cleaned.len() })?;
        let secret = Secret::from_bytes(bytes)?;
        let mut warnings = Vec::new();
        let bits = secret.0.len() * 8;
        if bits < RECOMMENDED_MIN_BITS {
            warnings.push(SecretWarning::Short { bits });
        }
        Ok((secret, warnings))
    }

    /// The key in canonical form: upper-case Base32, no padding.
    pub fn to_base32(&self) -> String {
        base32_lenient().encode(&self.0)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes, redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn google_example_decodes_to_known_bytes() {
        let (s, w) = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(s.as_bytes(), b"Hello!\xDE\xAD\xBE\xEF");
        assert!(w.is_empty());
    }

    #[test]
    fn accepts_human_typing() {
        let (a, _) = Secret::parse_base32("jbsw y3dp-ehpk 3pxp").unwrap();
        let (b, _) = Secret::parse_base32("  JBSWY3DPEHPK3PXP==== \n").unwrap();
        assert_eq!(a.to_base32(), "JBSWY3DPEHPK3PXP");
        assert_eq!(b.to_base32(), "JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn reports_wrong_character_and_position() {
        assert_eq!(
            Secret::parse_base32("JBSW1Y3D").unwrap_err(),
            SecretError::InvalidCharacter {
                ch: '1',
                position: 5
            }
        );
        // Position counts from the start of what was typed, leading spaces included.
        assert_eq!(
            Secret::parse_base32("  AB8C").unwrap_err(),
            SecretError::InvalidCharacter {
                ch: '8',
                position: 5
            }
        );
        // `=` only as trailing padding.
        assert!(matches!(
            Secret::parse_base32("AB=CD").unwrap_err(),
            SecretError::InvalidCharacter {
                ch: 'C',
                position: 4
            }
        ));
        let msg = Secret::parse_base32("ABCÜ").unwrap_err().to_string();
        assert!(msg.contains("'Ü'") && msg.contains("position 4"), "{msg}");
    }

    #[test]
    fn zero_one_and_eight_are_named_as_the_letters_they_probably_are() {
        let msg = |k: &str| Secret::parse_base32(k).unwrap_err().to_string();
        assert!(
            msg("JBSW0Y3D").contains("this 0 is probably the letter O"),
            "{}",
            msg("JBSW0Y3D")
        );
        assert!(msg("JBSW1Y3D").contains("this 1 is probably the letter I or L"));
        assert!(msg("JBSW8Y3D").contains("this 8 is probably the letter B"));
        // Other wrong characters get no guess.
        assert!(!msg("JBSW9Y3D").contains("probably"));
        assert_eq!(look_alike('0'), Some("the letter O"));
        assert_eq!(look_alike('A'), None);
    }

    #[test]
    fn a_whole_link_in_the_key_field_is_recognised_as_a_link() {
        let link = "otpauth://totp/NHS:alice?secret=JBSWY3DPEHPK3PXP&issuer=NHS";
        assert_eq!(
            Secret::parse_base32(link).unwrap_err(),
            SecretError::IsALink
        );
        assert_eq!(
            Secret::parse_base32(&format!("  {}", link.to_uppercase())).unwrap_err(),
            SecretError::IsALink
        );
        assert_eq!(
            Secret::parse_base32("otpauth-migration://offline?data=abc").unwrap_err(),
            SecretError::IsALink
        );
        assert!(is_link(link) && !is_link("JBSWY3DPEHPK3PXP") && !is_link("otpauth"));
        assert!(SecretError::IsALink.to_string().contains("link"));
    }

    #[test]
    fn rejects_empty_and_impossible_lengths() {
        assert_eq!(Secret::parse_base32("").unwrap_err(), SecretError::Empty);
        assert_eq!(
            Secret::parse_base32(" - = ").unwrap_err(),
            SecretError::Empty
        );
        assert_eq!(
            Secret::parse_base32("ABC").unwrap_err(),
            SecretError::InvalidLength { len: 3 }
        );
        assert_eq!(Secret::from_bytes(vec![]).unwrap_err(), SecretError::Empty);
    }

    #[test]
    fn warns_on_short_keys() {
        let (_, w) = Secret::parse_base32("JBSWY3DP").unwrap();
        assert_eq!(w, vec![SecretWarning::Short { bits: 40 }]);
    }

    #[test]
    fn debug_never_shows_the_key() {
        let (s, _) = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("JBSW") && !shown.contains("Hello"),
            "{shown}"
        );
    }

    proptest! {
        #[test]
        fn base32_round_trips(bytes in proptest::collection::vec(any::<u8>(), 1..64)) {
            let s = Secret::from_bytes(bytes.clone()).unwrap();
            let (back, _) = Secret::parse_base32(&s.to_base32().to_lowercase()).unwrap();
            prop_assert_eq!(back.as_bytes(), &bytes[..]);
        }
    }
}
