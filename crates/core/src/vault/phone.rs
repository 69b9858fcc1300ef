//! "Show on screen for a phone": one account's enrolment QR code (its `otpauth://` URI) and its key as
//! text, so the person can move that account to a phone authenticator. The core decides what is shown
//! and for how long; the callers only ask. Like recovery codes, nothing is shown without the app
//! password when the vault has one (even if the keychain opened it), and nothing is kept: every value
//! is built for one answer and wiped from memory when dropped.

use super::store::{Password, Vault};
use super::{Environment, VaultError};
use crate::otp::{OtpKind, OtpParams};
use crate::qr::{render_png_data_url, RenderError};
use thiserror::Error;
use uuid::Uuid;
use zeroize::Zeroizing;

/// How long the code and key stay on screen before they hide themselves, in seconds.
pub const PHONE_SHOW_SECONDS: u32 = 60;

#[derive(Debug, Error)]
pub enum PhoneError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("the vault password is needed to show the account's key")]
    PasswordNeeded,
    #[error("wrong password; the key stays hidden")]
    WrongPassword,
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// One account ready to be scanned or typed into a phone app. Secret parts are wiped when dropped.
pub struct PhoneEnrolment {
    pub issuer: String,
    pub account: String,
    pub environment: Environment,
    /// The account's canonical enrolment URI ([`crate::uri::to_uri`]): what the QR code holds.
    pub uri: Zeroizing<String>,
    /// The QR code of [`Self::uri`] as a `data:image/png;base64,…` URL, at least 600 px square.
    pub qr_png_data_url: Zeroizing<String>,
    /// The key in base32, in groups of four ("JBSW Y3DP EHPK 3PXP"), for typing it in instead.
    pub key_grouped: Zeroizing<String>,
    /// The settings a phone app asks for when the key is typed, in words.
    pub settings: String,
    /// Seconds before the screen hides it again ([`PHONE_SHOW_SECONDS`]).
    pub hide_after_seconds: u32,
}

/// Base32 text in groups of four, separated by single spaces.
pub fn group_in_fours(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Time-based (TOTP), SHA1, 6 digits, every 30 seconds": what a phone app's manual form asks for.
pub fn settings_in_words(p: &OtpParams) -> String {
    match p.kind {
        OtpKind::Totp => format!(
            "Time-based (TOTP), {}, {} digits, every {} seconds",
            p.algorithm, p.digits, p.period
        ),
        OtpKind::Hotp => format!(
            "Counter-based (HOTP), {}, {} digits, next counter {}",
            p.algorithm, p.digits, p.counter
        ),
        OtpKind::Steam => "Steam Guard (5 characters, every 30 seconds)".to_string(),
    }
}

impl Vault {
    /// Account `id`'s enrolment QR code and key, for a phone. When the vault has a password it must be
    /// given and right (checked against this open vault's own slot, the same Argon2id work as
    /// unlocking). Nothing is remembered: the result is the only copy.
    pub fn show_for_phone(
        &self,
        id: Uuid,
        password: Option<&Password>,
    ) -> Result<PhoneEnrolment, PhoneError> {
        let account = self.account(id).ok_or(VaultError::UnknownAccount(id))?;
        if self.has_password() {
            let password = password.ok_or(PhoneError::PasswordNeeded)?;
            match self.check_password(password) {
                Ok(_) => {}
                Err(VaultError::WrongPassword) => return Err(PhoneError::WrongPassword),
                Err(e) => return Err(e.into()),
            }
        }
        let entry = account.to_entry();
        let uri = Zeroizing::new(crate::uri::to_uri(&entry));
        let qr_png_data_url = render_png_data_url(&uri)?;
        let key = Zeroizing::new(entry.secret.to_base32());
        Ok(PhoneEnrolment {
            issuer: account.issuer.clone(),
            account: account.account.clone(),
            environment: account.environment.clone(),
            qr_png_data_url,
            key_grouped: Zeroizing::new(group_in_fours(&key)),
            settings: settings_in_words(&entry.params),
            hide_after_seconds: PHONE_SHOW_SECONDS,
            uri,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use crate::vault::{CreateOptions, DuplicatePolicy, NewAccount};

    fn vault() -> (tempfile::TempDir, Vault, Uuid) {
        let dir = tempfile::tempdir().unwrap();
        let options = CreateOptions::insecure_for_tests("pw");
        let mut v = Vault::create(&dir.path().join("vault.tessera"), options).unwrap();
        let id = v
            .add(
                NewAccount {
                    issuer: "NHS Spine".into(),
                    account: "nurse@example.org".into(),
                    environment: Environment::Sandpit,
                    secret: Secret::parse_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
                        .unwrap()
                        .0,
                    params: OtpParams {
                        digits: 8,
                        ..OtpParams::totp()
                    },
                    note: "not in the QR".into(),
                },
                DuplicatePolicy::Refuse,
            )
            .unwrap()
            .id;
        (dir, v, id)
    }

    #[test]
    fn the_qr_code_decodes_back_to_the_accounts_exact_otpauth_uri() {
        let (_d, v, id) = vault();
        let shown = v.show_for_phone(id, Some(&"pw".into())).unwrap();
        let expected = crate::uri::to_uri(&v.account(id).unwrap().to_entry());
        assert_eq!(
            expected,
            "otpauth://totp/NHS%20Spine:nurse%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\
             &issuer=NHS%20Spine&algorithm=SHA1&digits=8&period=30"
        );
        assert_eq!(*shown.uri, expected);
        let png = crate::qr::png_from_data_url(&shown.qr_png_data_url).expect("a PNG data URL");
        let found = crate::qr::decode_image_bytes(&png).unwrap();
        assert_eq!(found.len(), 1, "one code in the image");
        assert_eq!(found[0].text, expected);
        // What a phone app reads from it is this very account.
        assert_eq!(
            crate::uri::parse(&found[0].text).unwrap(),
            v.account(id).unwrap().to_entry()
        );

        assert_eq!(
            *shown.key_grouped,
            "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(shown.issuer, "NHS Spine");
        assert_eq!(shown.account, "nurse@example.org");
        assert_eq!(shown.environment, Environment::Sandpit);
        assert_eq!(
            shown.settings,
            "Time-based (TOTP), SHA1, 8 digits, every 30 seconds"
        );
        assert_eq!(shown.hide_after_seconds, 60);
    }

    #[test]
    fn showing_needs_the_app_password_when_there_is_one() {
        let (_d, v, id) = vault();
        assert!(matches!(
            v.show_for_phone(id, None),
            Err(PhoneError::PasswordNeeded)
        ));
        assert!(matches!(
            v.show_for_phone(id, Some(&"wrong".into())),
            Err(PhoneError::WrongPassword)
        ));
        assert!(matches!(
            v.show_for_phone(Uuid::new_v4(), Some(&"pw".into())),
            Err(PhoneError::Vault(VaultError::UnknownAccount(_)))
        ));
    }

    #[test]
    fn keys_are_grouped_in_fours() {
        assert_eq!(group_in_fours("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(group_in_fours("ABCDEF"), "ABCD EF");
        assert_eq!(group_in_fours(""), "");
        assert_eq!(
            settings_in_words(&OtpParams::hotp(7)),
            "Counter-based (HOTP), SHA1, 6 digits, next counter 7"
        );
    }
}
