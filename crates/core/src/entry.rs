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
}
