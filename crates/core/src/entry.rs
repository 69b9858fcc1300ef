//! A portable description of one OTP account: what a URI, a QR code or an import file carries.

use crate::otp::{Generator, OtpError, OtpParams};
use crate::secret::Secret;

/// One account as it travels between apps: no vault id, no environment, no timestamps.
/// The vault's `Account` wraps this with what Tessera adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpEntry {
    /// The service, e.g. "NHS Mail". May be empty when the source gave none.
    pub issuer: String,
    /// The user name or e-mail at that service. May be empty.
    pub account: String,
    pub secret: Secret,
    pub params: OtpParams,
}

impl OtpEntry {
    pub fn new(
        issuer: impl Into<String>,
        account: impl Into<String>,
        secret: Secret,
        params: OtpParams,
    ) -> Self {
        OtpEntry {
            issuer: issuer.into(),
            account: account.into(),
            secret,
            params,
        }
    }

    pub fn generator(&self) -> Result<Generator, OtpError> {
        Generator::new(&self.secret, self.params)
    }

    /// What a person recognises the account by: "Issuer (account)", whichever is present, or
    /// "(unnamed account)".
    pub fn display_name(&self) -> String {
        display_name(&self.issuer, &self.account).unwrap_or_else(|| UNNAMED.to_string())
    }
}

/// How an account with neither issuer nor account name is shown.
pub const UNNAMED: &str = "(unnamed account)";

/// The one display name: "Issuer (account)", or whichever of the two is present (trimmed); `None`
/// when both are empty, so that each place can say "unnamed" in its own sentence.
pub fn display_name(issuer: &str, account: &str) -> Option<String> {
    let (issuer, account) = (issuer.trim(), account.trim());
    match (issuer.is_empty(), account.is_empty()) {
        (false, false) => Some(format!("{issuer} ({account})")),
        (false, true) => Some(issuer.to_string()),
        (true, false) => Some(account.to_string()),
        (true, true) => None,
    }
}

#[cfg(test)]
mod display_name_tests {
    use super::*;

    #[test]
    fn issuer_and_account_or_either() {
        assert_eq!(
            display_name(" NHS Mail ", "ann").as_deref(),
            Some("NHS Mail (ann)")
        );
        assert_eq!(display_name("NHS Mail", " ").as_deref(), Some("NHS Mail"));
        assert_eq!(display_name("", "ann").as_deref(), Some("ann"));
        assert_eq!(display_name("", ""), None);
        let e = OtpEntry::new(
            "",
            "",
            Secret::from_bytes(vec![1; 10]).unwrap(),
            OtpParams::totp(),
        );
        assert_eq!(e.display_name(), "(unnamed account)");
    }
}
