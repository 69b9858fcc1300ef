//! One-time password generation: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.

use crate::secret::Secret;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

pub const MIN_DIGITS: u8 = 6;
pub const MAX_DIGITS: u8 = 10;
pub const DEFAULT_PERIOD: u32 = 30;
pub const DEFAULT_DIGITS: u8 = 6;
/// Steam Guard codes: 5 characters from this alphabet.
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
pub const STEAM_DIGITS: u8 = 5;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum OtpError {
    #[error("digits must be between {MIN_DIGITS} and {MAX_DIGITS}, not {0}")]
    DigitsOutOfRange(u32),
    #[error("the period must be a positive number of seconds, not {0}")]
    PeriodOutOfRange(u64),
    #[error("unknown algorithm {0:?}: use SHA1, SHA256 or SHA512")]
    UnknownAlgorithm(String),
    #[error("unknown OTP type {0:?}: use totp, hotp or steam")]
    UnknownKind(String),
    /// Steam Guard codes have fixed settings; this names the one that was given otherwise.
    #[error("Steam Guard codes always use {expected}, not {given}")]
    SteamFixed {
        expected: &'static str,
        given: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Algorithm {
    #[default]
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = OtpError;
    /// Accepts `SHA1`, `sha256`, `SHA-512`, `HmacSHA1` and Ente's historic `Algorithm.sha256`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .rsplit('.')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_uppercase();
        match norm.trim_start_matches("HMAC") {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(OtpError::UnknownAlgorithm(s.to_string())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OtpKind {
    #[default]
    Totp,
    Hotp,
    Steam,
}

impl OtpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OtpKind::Totp => "totp",
            OtpKind::Hotp => "hotp",
            OtpKind::Steam => "steam",
        }
    }
    /// Time-based kinds have a period; HOTP has a counter instead.
    pub fn is_time_based(self) -> bool {
        !matches!(self, OtpKind::Hotp)
    }
}

impl fmt::Display for OtpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OtpKind {
    type Err = OtpError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "totp" => Ok(OtpKind::Totp),
            "hotp" => Ok(OtpKind::Hotp),
            "steam" => Ok(OtpKind::Steam),
            _ => Err(OtpError::UnknownKind(s.to_string())),
        }
    }
}

/// How codes are made for one account. `period` matters for time-based kinds, `counter` for HOTP;
/// both are always present so that switching kind keeps sensible values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OtpParams {
    pub kind: OtpKind,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
}

impl Default for OtpParams {
    fn default() -> Self {
        OtpParams::totp()
    }
}

impl OtpParams {
    /// The common case: TOTP, SHA1, 6 digits, 30 seconds.
    pub fn totp() -> Self {
        OtpParams {
            kind: OtpKind::Totp,
            algorithm: Algorithm::Sha1,
            digits: DEFAULT_DIGITS,
            period: DEFAULT_PERIOD,
            counter: 0,
        }
    }

    /// Steam Guard: always SHA1, 5 characters, 30 seconds.
    pub fn steam() -> Self {
        OtpParams {
            kind: OtpKind::Steam,
            digits: STEAM_DIGITS,
            ..OtpParams::totp()
        }
    }

    pub fn hotp(counter: u64) -> Self {
        OtpParams {
            kind: OtpKind::Hotp,
            counter,
            ..OtpParams::totp()
        }
    }

    /// The one place parameters are built from loose parts (flags, a form, a file's fields). `None`
    /// means "not given": the kind's default is used. Rules:
    /// - Steam Guard is always SHA1, 5 characters and 30 seconds: any other value given is refused.
    /// - HOTP has no period and TOTP/Steam no counter: a value given for them is ignored.
    /// - The result is [`validate`](Self::validate)d (digits 6–10, period ≥ 1).
    pub fn from_parts(
        kind: OtpKind,
        algorithm: Option<Algorithm>,
        digits: Option<u8>,
        period: Option<u32>,
        counter: Option<u64>,
    ) -> Result<OtpParams, OtpError> {
        let params = match kind {
            OtpKind::Steam => {
                let steam = OtpParams::steam();
                if let Some(a) = algorithm.filter(|a| *a != steam.algorithm) {
                    return Err(OtpError::SteamFixed {
                        expected: "SHA1",
                        given: a.to_string(),
                    });
                }
                if let Some(d) = digits.filter(|d| *d != steam.digits) {
                    return Err(OtpError::SteamFixed {
                        expected: "5 characters",
                        given: format!("{d} digits"),
                    });
                }
                if let Some(p) = period.filter(|p| *p != steam.period) {
                    return Err(OtpError::SteamFixed {
                        expected: "30 seconds",
                        given: format!("{p} seconds"),
                    });
                }
                steam
            }
            OtpKind::Hotp => OtpParams {
                algorithm: algorithm.unwrap_or_default(),
                digits: digits.unwrap_or(DEFAULT_DIGITS),
                ..OtpParams::hotp(counter.unwrap_or(0))
            },
            OtpKind::Totp => OtpParams {
                algorithm: algorithm.unwrap_or_default(),
                digits: digits.unwrap_or(DEFAULT_DIGITS),
                period: period.unwrap_or(DEFAULT_PERIOD),
                ..OtpParams::totp()
            },
        };
        params.validate()?;
        Ok(params)
    }

    /// Like [`from_parts`](Self::from_parts) for sources that always carry every field whatever the
    /// kind (another app's export file, the app's form): for Steam, the algorithm, digits and period
    /// given are replaced by Steam's own instead of refused.
    pub fn from_parts_lenient(
        kind: OtpKind,
        algorithm: Option<Algorithm>,
        digits: Option<u8>,
        period: Option<u32>,
        counter: Option<u64>,
    ) -> Result<OtpParams, OtpError> {
        match kind {
            OtpKind::Steam => OtpParams::from_parts(kind, None, None, None, counter),
            _ => OtpParams::from_parts(kind, algorithm, digits, period, counter),
        }
    }

    /// These parameters with some parts changed (an edit): parts not given keep their value, except
    /// that a change of kind to or from Steam starts from the new kind's defaults (Steam's fixed
    /// values do not carry over, nor onto Steam). The counter is always kept unless given.
    pub fn with_parts(
        &self,
        kind: Option<OtpKind>,
        algorithm: Option<Algorithm>,
        digits: Option<u8>,
        period: Option<u32>,
        counter: Option<u64>,
    ) -> Result<OtpParams, OtpError> {
        let kind_now = kind.unwrap_or(self.kind);
        let inherit = kind_now != OtpKind::Steam && self.kind != OtpKind::Steam;
        OtpParams::from_parts(
            kind_now,
            algorithm.or(inherit.then_some(self.algorithm)),
            digits.or(inherit.then_some(self.digits)),
            period.or(inherit.then_some(self.period)),
            Some(counter.unwrap_or(self.counter)),
        )
    }

    /// Checks the ranges every code path relies on (digits 6–10, period ≥ 1) and Steam's fixed
    /// settings (SHA1, 5 characters, 30 seconds).
    pub fn validate(&self) -> Result<(), OtpError> {
        if self.kind == OtpKind::Steam {
            let steam = OtpParams::steam();
            if self.algorithm != steam.algorithm {
                return Err(OtpError::SteamFixed {
                    expected: "SHA1",
                    given: self.algorithm.to_string(),
                });
            }
            if self.digits != steam.digits {
                return Err(OtpError::SteamFixed {
                    expected: "5 characters",
                    given: format!("{} digits", self.digits),
                });
            }
            if self.period != steam.period {
                return Err(OtpError::SteamFixed {
                    expected: "30 seconds",
                    given: format!("{} seconds", self.period),
                });
            }
            return Ok(());
        }
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&self.digits) {
            return Err(OtpError::DigitsOutOfRange(self.digits.into()));
        }
        if self.kind.is_time_based() && self.period == 0 {
            return Err(OtpError::PeriodOutOfRange(0));
        }
        Ok(())
    }

    /// The moving factor at `unix_seconds`: the time step for TOTP/Steam, the counter for HOTP.
    pub fn counter_at(&self, unix_seconds: u64) -> u64 {
        match self.kind {
            OtpKind::Hotp => self.counter,
            _ => unix_seconds / u64::from(self.period.max(1)),
        }
    }

    /// Seconds until the current time-based code changes (1..=period); `None` for HOTP.
    pub fn seconds_remaining(&self, unix_seconds: u64) -> Option<u32> {
        if !self.kind.is_time_based() {
            return None;
        }
        let period = u64::from(self.period.max(1));
        Some((period - unix_seconds % period) as u32)
    }
}

/// A keyed HMAC state, built once per account so that each code costs only the message hashing.
#[derive(Clone)]
enum KeyedMac {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha512(Hmac<sha2::Sha512>),
}

impl KeyedMac {
    fn new(algorithm: Algorithm, key: &[u8]) -> Self {
        // HMAC accepts keys of any length, so these cannot fail.
        match algorithm {
            Algorithm::Sha1 => KeyedMac::Sha1(Hmac::new_from_slice(key).expect("any key length")),
            Algorithm::Sha256 => {
                KeyedMac::Sha256(Hmac::new_from_slice(key).expect("any key length"))
            }
            Algorithm::Sha512 => {
                KeyedMac::Sha512(Hmac::new_from_slice(key).expect("any key length"))
            }
        }
    }

    /// RFC 4226 §5.3 dynamic truncation of HMAC(counter) to a 31-bit number.
    fn truncated(&self, counter: u64) -> u32 {
        let msg = counter.to_be_bytes();
        match self {
            KeyedMac::Sha1(m) => {
                dynamic_truncate(&m.clone().chain_update(msg).finalize().into_bytes())
            }
            KeyedMac::Sha256(m) => {
                dynamic_truncate(&m.clone().chain_update(msg).finalize().into_bytes())
            }
            KeyedMac::Sha512(m) => {
                dynamic_truncate(&m.clone().chain_update(msg).finalize().into_bytes())
            }
        }
    }
}

fn dynamic_truncate(hash: &[u8]) -> u32 {
    let offset = (hash[hash.len() - 1] & 0x0f) as usize;
    u32::from_be_bytes([
        hash[offset],
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]) & 0x7fff_ffff
}

/// A generated code and how long it stays valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The code as shown to people, without grouping spaces (digits, or Steam characters).
    pub value: String,
    /// Seconds until the next code for time-based kinds; `None` for HOTP.
    pub seconds_remaining: Option<u32>,
}

/// Makes codes for one account. Build it once and call it for every refresh.
#[derive(Clone)]
pub struct Generator {
    mac: KeyedMac,
    params: OtpParams,
}

impl fmt::Debug for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Generator {
    pub fn new(secret: &Secret, params: OtpParams) -> Result<Self, OtpError> {
        params.validate()?;
        Ok(Generator {
            mac: KeyedMac::new(params.algorithm, secret.as_bytes()),
            params,
        })
    }

    pub fn params(&self) -> &OtpParams {
        &self.params
    }

    /// The code for an explicit moving factor (HOTP counter or TOTP time step).
    pub fn code_for_counter(&self, counter: u64) -> String {
        let value = self.mac.truncated(counter);
        match self.params.kind {
            OtpKind::Steam => steam_code(value),
            _ => decimal_code(value, self.params.digits),
        }
    }

    /// The code at a Unix time (the time is ignored for HOTP, which uses its stored counter).
    pub fn code_at(&self, unix_seconds: u64) -> Code {
        Code {
            value: self.code_for_counter(self.params.counter_at(unix_seconds)),
            seconds_remaining: self.params.seconds_remaining(unix_seconds),
        }
    }
}

fn decimal_code(value: u32, digits: u8) -> String {
    // A 31-bit value has at most 10 decimal digits, so 10 digits is a plain zero-padded print.
    let modulus = 10u64.pow(u32::from(digits));
    format!(
        "{:0width$}",
        u64::from(value) % modulus,
        width = digits as usize
    )
}

fn steam_code(mut value: u32) -> String {
    let mut code = String::with_capacity(STEAM_DIGITS as usize);
    for _ in 0..STEAM_DIGITS {
        code.push(STEAM_ALPHABET[(value % 26) as usize] as char);
        value /= 26;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(bytes: &[u8]) -> Secret {
        Secret::from_bytes(bytes.to_vec()).unwrap()
    }

    #[test]
    fn rfc4226_appendix_d() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        let g = Generator::new(&secret(b"12345678901234567890"), OtpParams::hotp(0)).unwrap();
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(g.code_for_counter(counter as u64), format!("{want:06}"));
        }
        // Intermediate values of Appendix D: the truncated decimal.
        let truncated = [
            1284755224u32,
            1094287082,
            137359152,
            1726969429,
            1640338314,
            868254676,
            1918287922,
            82162583,
            673399871,
            645520489,
        ];
        for (counter, want) in truncated.iter().enumerate() {
            assert_eq!(g.mac.truncated(counter as u64), *want);
        }
    }

    #[test]
    fn rfc6238_appendix_b() {
        let seed20 = b"12345678901234567890".to_vec();
        let seed32 = b"12345678901234567890123456789012".to_vec();
        let seed64 = b"1234567890123456789012345678901234567890123456789012345678901234".to_vec();
        let cases: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let make = |alg, seed: &Vec<u8>| {
            let params = OtpParams {
                algorithm: alg,
                digits: 8,
                ..OtpParams::totp()
            };
            Generator::new(&secret(seed), params).unwrap()
        };
        let (g1, g256, g512) = (
            make(Algorithm::Sha1, &seed20),
            make(Algorithm::Sha256, &seed32),
            make(Algorithm::Sha512, &seed64),
        );
        for (t, sha1, sha256, sha512) in cases {
            assert_eq!(g1.code_at(t).value, sha1, "SHA1 at {t}");
            assert_eq!(g256.code_at(t).value, sha256, "SHA256 at {t}");
            assert_eq!(g512.code_at(t).value, sha512, "SHA512 at {t}");
        }
    }

    #[test]
    fn steam_codes_use_steam_alphabet() {
        let g = Generator::new(&secret(b"12345678901234567890"), OtpParams::steam()).unwrap();
        let code = g.code_at(1_700_000_000).value;
        assert_eq!(code.len(), 5);
        assert!(code.bytes().all(|b| STEAM_ALPHABET.contains(&b)), "{code}");
        // Steam uses the same truncation as TOTP: derive the expected code from it independently.
        let mut v = g.mac.truncated(1_700_000_000 / 30);
        let mut want = String::new();
        for _ in 0..5 {
            want.push(STEAM_ALPHABET[(v % 26) as usize] as char);
            v /= 26;
        }
        assert_eq!(code, want);
    }

    #[test]
    fn ten_digits_and_odd_periods() {
        let params = OtpParams {
            digits: 10,
            period: 45,
            ..OtpParams::totp()
        };
        let g = Generator::new(&secret(b"12345678901234567890"), params).unwrap();
        // 10 digits is the 31-bit value zero-padded: RFC 4226 counter 0 → 1284755224.
        assert_eq!(g.code_for_counter(0), "1284755224");
        assert_eq!(g.code_at(44).value, "1284755224");
        assert_eq!(g.code_at(44).seconds_remaining, Some(1));
        assert_eq!(g.code_at(45).seconds_remaining, Some(45));
    }

    #[test]
    fn validation() {
        let s = secret(b"k");
        for digits in [0u8, 5, 11] {
            let p = OtpParams {
                digits,
                ..OtpParams::totp()
            };
            assert_eq!(
                Generator::new(&s, p).unwrap_err(),
                OtpError::DigitsOutOfRange(digits.into())
            );
        }
        let p = OtpParams {
            period: 0,
            ..OtpParams::totp()
        };
        assert!(Generator::new(&s, p).is_err());
        // HOTP has no period to check.
        assert!(Generator::new(
            &s,
            OtpParams {
                period: 0,
                ..OtpParams::hotp(3)
            }
        )
        .is_ok());
    }

    #[test]
    fn from_parts_carries_every_rule() {
        use OtpKind::*;
        assert_eq!(
            OtpParams::from_parts(Totp, None, None, None, None).unwrap(),
            OtpParams::totp()
        );
        // HOTP ignores a period, TOTP a counter.
        assert_eq!(
            OtpParams::from_parts(Hotp, None, None, Some(0), Some(7)).unwrap(),
            OtpParams::hotp(7)
        );
        assert_eq!(
            OtpParams::from_parts(Totp, None, None, None, Some(7)).unwrap(),
            OtpParams::totp()
        );
        let p =
            OtpParams::from_parts(Totp, Some(Algorithm::Sha256), Some(8), Some(60), None).unwrap();
        assert_eq!(
            (p.algorithm, p.digits, p.period),
            (Algorithm::Sha256, 8, 60)
        );
        assert_eq!(
            OtpParams::from_parts(Totp, None, Some(4), None, None).unwrap_err(),
            OtpError::DigitsOutOfRange(4)
        );
        assert!(OtpParams::from_parts(Totp, None, None, Some(0), None).is_err());
        // Steam: its own values are fine, others are refused with a sentence naming the rule.
        assert_eq!(
            OtpParams::from_parts(Steam, Some(Algorithm::Sha1), Some(5), Some(30), None).unwrap(),
            OtpParams::steam()
        );
        for (a, d, p) in [
            (Some(Algorithm::Sha256), None, None),
            (None, Some(8), None),
            (None, Some(6), None),
            (None, None, Some(60)),
        ] {
            let e = OtpParams::from_parts(Steam, a, d, p, None).unwrap_err();
            assert!(
                e.to_string().starts_with("Steam Guard codes always use"),
                "{e}"
            );
        }
        // Lenient: a file's or form's values for Steam are replaced.
        assert_eq!(
            OtpParams::from_parts_lenient(Steam, Some(Algorithm::Sha512), Some(6), Some(60), None)
                .unwrap(),
            OtpParams::steam()
        );
    }

    #[test]
    fn validate_checks_steam_rule() {
        assert!(OtpParams::steam().validate().is_ok());
        for p in [
            OtpParams {
                algorithm: Algorithm::Sha256,
                ..OtpParams::steam()
            },
            OtpParams {
                digits: 8,
                ..OtpParams::steam()
            },
            OtpParams {
                period: 60,
                ..OtpParams::steam()
            },
        ] {
            assert!(
                matches!(p.validate(), Err(OtpError::SteamFixed { .. })),
                "{p:?}"
            );
        }
    }

    #[test]
    fn with_parts_edits_keep_what_is_not_given() {
        use OtpKind::*;
        let sha256 =
            OtpParams::from_parts(Totp, Some(Algorithm::Sha256), Some(8), None, None).unwrap();
        // Kind unchanged or TOTP <-> HOTP: the rest is kept.
        let hotp = sha256
            .with_parts(Some(Hotp), None, None, None, Some(3))
            .unwrap();
        assert_eq!(
            (hotp.algorithm, hotp.digits, hotp.counter),
            (Algorithm::Sha256, 8, 3)
        );
        // To Steam: Steam's values; an explicit other algorithm is refused.
        assert_eq!(
            sha256
                .with_parts(Some(Steam), None, None, None, None)
                .unwrap(),
            OtpParams::steam()
        );
        assert!(sha256
            .with_parts(Some(Steam), Some(Algorithm::Sha256), None, None, None)
            .is_err());
        assert!(OtpParams::steam()
            .with_parts(None, Some(Algorithm::Sha256), None, None, None)
            .is_err());
        // From Steam: the usual defaults, not Steam's 5 characters.
        assert_eq!(
            OtpParams::steam()
                .with_parts(Some(Totp), None, None, None, None)
                .unwrap(),
            OtpParams::totp()
        );
    }

    #[test]
    fn parses_algorithm_spellings() {
        for (s, a) in [
            ("SHA1", Algorithm::Sha1),
            ("sha256", Algorithm::Sha256),
            ("SHA-512", Algorithm::Sha512),
            ("Algorithm.sha256", Algorithm::Sha256),
            ("HmacSHA1", Algorithm::Sha1),
        ] {
            assert_eq!(s.parse::<Algorithm>().unwrap(), a, "{s}");
        }
        assert!("MD5".parse::<Algorithm>().is_err());
    }
}
