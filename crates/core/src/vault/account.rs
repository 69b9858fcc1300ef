//! The account model stored in the vault: a portable [`OtpEntry`] plus what Tessera adds (stable id,
//! environment, note, timestamps, position).
//!
//! Serialization is tolerant in both directions so the format can grow without a version break:
//! optional fields carry `#[serde(default)]`, and fields this version does not know are kept in
//! `extra` and written back unchanged (an older Tessera that opens and saves a newer vault keeps them).

use crate::entry::OtpEntry;
use crate::otp::OtpParams;
use crate::recovery::RecoveryCodes;
use crate::secret::Secret;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use uuid::Uuid;

/// Which login of a service an account belongs to. Clinicians often hold a Live and a Sandpit (training)
/// login for the same service with the same user name; the environment keeps them apart.
#[derive(Debug, Clone, Default)]
pub enum Environment {
    #[default]
    None,
    Live,
    Sandpit,
    /// Another name the user typed, kept as typed (compared case-insensitively).
    Custom(String),
}

impl Environment {
    /// Parses `live`, `sandpit` (any case) or any other name; empty or blank means none.
    pub fn parse(text: &str) -> Environment {
        let t = text.trim();
        if t.is_empty() {
            Environment::None
        } else if t.eq_ignore_ascii_case("live") {
            Environment::Live
        } else if t.eq_ignore_ascii_case("sandpit") {
            Environment::Sandpit
        } else {
            Environment::Custom(t.to_string())
        }
    }

    /// The stored/JSON form: `"live"`, `"sandpit"`, the custom name as typed, or `None` for no environment.
    pub fn as_key(&self) -> Option<&str> {
        match self {
            Environment::None => None,
            Environment::Live => Some("live"),
            Environment::Sandpit => Some("sandpit"),
            Environment::Custom(name) => Some(name),
        }
    }

    /// What a person reads: "Live", "Sandpit", the custom name, or "" for none.
    pub fn label(&self) -> &str {
        match self {
            Environment::None => "",
            Environment::Live => "Live",
            Environment::Sandpit => "Sandpit",
            Environment::Custom(name) => name,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Environment::None)
    }
}

impl PartialEq for Environment {
    fn eq(&self, other: &Self) -> bool {
        match (self.as_key(), other.as_key()) {
            (None, None) => true,
            (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
            _ => false,
        }
    }
}
impl Eq for Environment {}

impl fmt::Display for Environment {
    /// The same text as the JSON form; nothing for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_key().unwrap_or(""))
    }
}

impl std::str::FromStr for Environment {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Environment::parse(s))
    }
}

impl Serialize for Environment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_key() {
            None => s.serialize_none(),
            Some(k) => s.serialize_str(k),
        }
    }
}

impl<'de> Deserialize<'de> for Environment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        Ok(v.map(|s| Environment::parse(&s)).unwrap_or_default())
    }
}

/// Fields written by a newer Tessera that this version does not know: kept and written back unchanged.
/// `Debug` shows only their names, as a newer field may hold secret material.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(pub serde_json::Map<String, serde_json::Value>);

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// One account in the vault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Stable identity; never reused, survives renames, moves to the trash and back.
    pub id: Uuid,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub environment: Environment,
    #[serde(with = "secret_base32")]
    pub secret: Secret,
    pub params: OtpParams,
    #[serde(default)]
    pub note: String,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: u64,
    /// Unix seconds; changed by every edit.
    #[serde(default)]
    pub updated_at: u64,
    /// Display order, 0 first. The vault keeps positions 0..n without gaps.
    #[serde(default)]
    pub position: u32,
    /// The secret this account had before its key was last changed with an edit, so a key rotated by
    /// mistake (or before the service confirmed it) can be brought back.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_secret_base32"
    )]
    pub previous_secret: Option<Secret>,
    /// Unix seconds of the last key change, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_changed_at: Option<u64>,
    /// The code settings of `previous_secret` when the key change also changed them (a new QR code with
    /// other digits or algorithm); `None` means the same settings as now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_params: Option<OtpParams>,
    /// One-time recovery codes from the service, encrypted with the rest of the body. Never part of
    /// [`Account::to_entry`], lists or searches; see [`crate::vault::recovery_codes`].
    #[serde(default, skip_serializing_if = "RecoveryCodes::is_empty")]
    pub recovery: RecoveryCodes,
    /// Shown first on the codes screen and in the tray menu (see `vault::favourites`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Account {
    /// A new account with a fresh id, created and updated `now`, at `position`; optional fields empty.
    /// (The one place that lists every field: new optional fields get their default here.)
    pub fn new(new: NewAccount, now: u64, position: u32) -> Account {
        Account {
            id: Uuid::new_v4(),
            issuer: new.issuer.trim().to_string(),
            account: new.account.trim().to_string(),
            environment: new.environment,
            secret: new.secret,
            params: new.params,
            note: new.note,
            created_at: now,
            updated_at: now,
            position,
            previous_secret: None,
            key_changed_at: None,
            previous_params: None,
            recovery: Default::default(),
            favourite: false,
            extra: Extra::default(),
        }
    }

    /// The portable part of this account (issuer, account, secret, parameters), e.g. for a URI or export.
    pub fn to_entry(&self) -> OtpEntry {
        OtpEntry::new(
            self.issuer.clone(),
            self.account.clone(),
            self.secret.clone(),
            self.params,
        )
    }

    /// "Issuer (account)", with the environment when set: what a person recognises the account by.
    pub fn label(&self) -> String {
        display_name(&self.issuer, &self.account, &self.environment)
    }

    /// True when issuer, account and environment are the same as given (ignoring case and surrounding
    /// spaces): the accounts a new one would be confused with.
    pub fn same_identity(&self, issuer: &str, account: &str, environment: &Environment) -> bool {
        self.environment == *environment
            && folded_eq(&self.issuer, issuer)
            && folded_eq(&self.account, account)
    }
}

/// `fold(a) == fold(b)` without allocating for ASCII text (review #6: every add compared against every
/// account, allocating four strings each time).
fn folded_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        fold(a) == fold(b)
    }
}

/// "Issuer (account) [Environment]": the one way an account is named to a person (CLI lines, errors,
/// the app's confirmations).
pub fn display_name(issuer: &str, account: &str, environment: &Environment) -> String {
    let mut label = match (issuer.is_empty(), account.is_empty()) {
        (false, false) => format!("{issuer} ({account})"),
        (false, true) => issuer.to_string(),
        (true, false) => account.to_string(),
        (true, true) => "(unnamed account)".to_string(),
    };
    if !environment.is_none() {
        label.push_str(" [");
        label.push_str(environment.label());
        label.push(']');
    }
    label
}

pub(crate) fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// What a Tessera backup keeps of an account beyond its [`NewAccount`] fields, so that a restore brings
/// the account back as it was: its id (when no account in the vault uses it), creation time, key
/// history and recovery codes with their used state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoredFields {
    pub id: Uuid,
    pub created_at: u64,
    pub previous_secret: Option<Secret>,
    pub key_changed_at: Option<u64>,
    pub previous_params: Option<OtpParams>,
    pub recovery: RecoveryCodes,
}

impl RestoredFields {
    pub fn of(a: &Account) -> RestoredFields {
        RestoredFields {
            id: a.id,
            created_at: a.created_at,
            previous_secret: a.previous_secret.clone(),
            key_changed_at: a.key_changed_at,
            previous_params: a.previous_params,
            recovery: a.recovery.clone(),
        }
    }

    /// Puts the kept fields back on a freshly made account (the id only if `keep_id`).
    pub(crate) fn apply_to(self, account: &mut Account, keep_id: bool) {
        if keep_id {
            account.id = self.id;
        }
        account.created_at = self.created_at;
        account.previous_secret = self.previous_secret;
        account.key_changed_at = self.key_changed_at;
        account.previous_params = self.previous_params;
        account.recovery = self.recovery;
    }
}

/// What the caller supplies to add an account; the vault assigns id, times and position.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub issuer: String,
    pub account: String,
    pub environment: Environment,
    pub secret: Secret,
    pub params: OtpParams,
    pub note: String,
}

impl NewAccount {
    /// See [`display_name`].
    pub fn label(&self) -> String {
        display_name(&self.issuer, &self.account, &self.environment)
    }

    pub fn from_entry(entry: OtpEntry, environment: Environment) -> Self {
        NewAccount {
            issuer: entry.issuer,
            account: entry.account,
            environment,
            secret: entry.secret,
            params: entry.params,
            note: String::new(),
        }
    }
}

impl From<OtpEntry> for NewAccount {
    fn from(entry: OtpEntry) -> Self {
        NewAccount::from_entry(entry, Environment::None)
    }
}

impl From<&Account> for OtpEntry {
    fn from(a: &Account) -> Self {
        a.to_entry()
    }
}

/// Why an account is in the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrashReason {
    /// The user removed it.
    Removed,
    /// Another account with the same issuer, account and environment was added with "replace".
    Replaced { by: Uuid },
    /// Written by a newer Tessera; kept as is.
    #[serde(other)]
    Other,
}

/// An account in the recoverable trash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrashedAccount {
    pub account: Account,
    /// Unix seconds.
    pub trashed_at: u64,
    pub reason: TrashReason,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Base32 text in the vault body; the intermediate string is wiped after use.
mod secret_base32 {
    use super::*;
    use zeroize::Zeroizing;

    pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(secret.to_base32());
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        d.deserialize_str(SecretVisitor)
    }

    pub(super) struct SecretVisitor;
    impl serde::de::Visitor<'_> for SecretVisitor {
        type Value = Secret;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a Base32 secret key")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Secret, E> {
            Secret::parse_base32(v)
                .map(|(s, _)| s)
                .map_err(|e| E::custom(e.to_string()))
        }
    }
}

mod opt_secret_base32 {
    use super::*;

    pub fn serialize<S: Serializer>(secret: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match secret {
            Some(secret) => super::secret_base32::serialize(secret, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        struct OptVisitor;
        impl<'de> serde::de::Visitor<'de> for OptVisitor {
            type Value = Option<Secret>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Base32 secret key or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_str(super::secret_base32::SecretVisitor)
                    .map(Some)
            }
        }
        d.deserialize_option(OptVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Account {
        let mut a = Account::new(
            NewAccount {
                issuer: " NHS Mail".into(),
                account: "a.clinician@nhs.net ".into(),
                environment: Environment::Sandpit,
                secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
                params: OtpParams::totp(),
                note: "training".into(),
            },
            1_700_000_000,
            3,
        );
        a.updated_at = 1_700_000_001;
        a
    }

    #[test]
    fn environment_parses_and_prints() {
        assert_eq!(Environment::parse("LIVE"), Environment::Live);
        assert_eq!(Environment::parse(" Sandpit "), Environment::Sandpit);
        assert_eq!(Environment::parse(""), Environment::None);
        assert!(
            matches!(Environment::parse("Training 2"), Environment::Custom(ref n) if n == "Training 2")
        );
        assert_eq!(
            Environment::parse("training 2"),
            Environment::parse("TRAINING 2")
        );
        assert_ne!(Environment::Live, Environment::Sandpit);
        assert_ne!(Environment::None, Environment::Custom("x".into()));
        assert_eq!(Environment::Live.label(), "Live");
        assert_eq!(Environment::Sandpit.to_string(), "sandpit");
        let json = serde_json::to_string(&[
            Environment::None,
            Environment::Live,
            Environment::Sandpit,
            Environment::Custom("Test Ward".into()),
        ])
        .unwrap();
        assert_eq!(json, r#"[null,"live","sandpit","Test Ward"]"#);
        let back: Vec<Environment> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[3].label(), "Test Ward");
    }

    #[test]
    fn account_round_trips_and_keeps_unknown_fields() {
        let a = sample();
        let mut json: serde_json::Value = serde_json::to_value(&a).unwrap();
        assert_eq!(json["secret"], "JBSWY3DPEHPK3PXP");
        json["icon"] = serde_json::json!({"mime": "image/png", "data": "AAAA"});
        let back: Account = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back.secret, a.secret);
        assert_eq!(back.environment, Environment::Sandpit);
        assert!(back.extra.0.contains_key("icon"));
        // Written back unchanged.
        assert_eq!(serde_json::to_value(&back).unwrap()["icon"], json["icon"]);
    }

    #[test]
    fn minimal_account_reads_with_defaults() {
        let json = r#"{"id":"7a0ee6c4-6a47-4d3b-9f5a-0b3f6f0b2c11","secret":"JBSWY3DPEHPK3PXP",
            "params":{"kind":"hotp","algorithm":"SHA256","digits":8,"period":30,"counter":5}}"#;
        let a: Account = serde_json::from_str(json).unwrap();
        assert_eq!(a.params.counter, 5);
        assert!(a.environment.is_none() && a.note.is_empty() && a.previous_secret.is_none());
    }

    #[test]
    fn debug_hides_secrets() {
        let mut a = sample();
        a.previous_secret = Some(Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap().0);
        a.extra
            .0
            .insert("recovery_codes".into(), serde_json::json!(["1234-5678"]));
        let shown = format!("{a:?}");
        assert!(
            !shown.contains("JBSWY3DP") && !shown.contains("GEZDG") && !shown.contains("1234-5678"),
            "{shown}"
        );
        assert!(shown.contains("recovery_codes"));
    }

    #[test]
    fn identity_ignores_case_and_spaces() {
        let a = sample();
        assert!(a.same_identity(" nhs mail", "A.Clinician@NHS.net ", &Environment::Sandpit));
        assert!(!a.same_identity("NHS Mail", "a.clinician@nhs.net", &Environment::Live));
        assert_eq!(a.label(), "NHS Mail (a.clinician@nhs.net) [Sandpit]");
        let e = a.to_entry();
        assert_eq!(
            (e.issuer.as_str(), e.secret.to_base32()),
            ("NHS Mail", "JBSWY3DPEHPK3PXP".to_string())
        );
    }
}
