//! The system keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
//! through `keyring` 4, holding one 32-byte key per vault.
//!
//! What the keychain holds is a *slot key* that unwraps the vault's key slot, never the vault itself and
//! nothing multi-line (see shared notes: JSON items broke other apps). Keyring errors are translated into
//! sentences a person understands; notably "no default store" means "no keychain on this computer".

use super::format::{Key256, KEY_LEN};
use thiserror::Error;
use zeroize::Zeroizing;

/// The keychain service name all Tessera items use; the user name is `vault-<vault id>`.
pub const SERVICE: &str = "tessera";

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum KeychainError {
    /// No Secret Service / keychain at all (no session bus, unsupported platform).
    #[error("the system keychain is not available on this computer ({0})")]
    Unavailable(String),
    /// A keychain exists but is locked or refused access (no unlock prompt possible, user said no).
    #[error("the system keychain is locked or refused access ({0})")]
    Locked(String),
    /// The keychain works but holds no key for this vault (reset keychain, vault copied from elsewhere).
    #[error("the system keychain has no key for this vault (the keychain may have been reset, or the vault was copied from another computer)")]
    NoEntry,
    /// Something is stored but it is not a 32-byte key, or it did not read back as written.
    #[error("the system keychain returned an unusable key for this vault")]
    BadKey,
    #[error("the system keychain failed: {0}")]
    Other(String),
}

impl KeychainError {
    /// Maps a `keyring` error to what it means for the user (measured behaviour in keychain notes §4).
    pub fn from_keyring(err: keyring::Error) -> KeychainError {
        use keyring::Error as E;
        match err {
            E::NoDefaultStore => {
                KeychainError::Unavailable("no keychain service is running".into())
            }
            E::PlatformFailure(e) => KeychainError::Unavailable(e.to_string()),
            E::NoStorageAccess(e) => KeychainError::Locked(e.to_string()),
            E::NoEntry => KeychainError::NoEntry,
            E::BadEncoding(_) | E::BadDataFormat(..) => KeychainError::BadKey,
            E::Invalid(param, reason) if param == "platform" => KeychainError::Unavailable(reason),
            other => KeychainError::Other(other.to_string()),
        }
    }
}

/// Access to one keychain service.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Keychain::system()
    }
}

impl Keychain {
    /// The platform keychain with Tessera's service name.
    pub fn system() -> Keychain {
        Keychain {
            service: SERVICE.to_string(),
        }
    }

    /// A different service name (tests, or separate profiles).
    pub fn with_service(service: impl Into<String>) -> Keychain {
        Keychain {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether a keychain exists at all. `Ok` does not prove it is unlocked: only a write does.
    pub fn status() -> Result<(), KeychainError> {
        match keyring::Entry::store_status() {
            Ok(()) => Ok(()),
            Err(keyring::Error::Invalid(_, reason)) => {
                Err(KeychainError::Unavailable(reason.clone()))
            }
            Err(e) => Err(KeychainError::Unavailable(e.to_string())),
        }
    }

    fn entry(&self, user: &str) -> Result<keyring::Entry, KeychainError> {
        Keychain::status()?;
        keyring::Entry::new(&self.service, user).map_err(KeychainError::from_keyring)
    }

    /// Stores `key` under `user`, then reads it back and compares: with a locked collection reads can
    /// look fine while writes fail, so only a verified round trip proves the keychain is usable.
    pub fn store_key(&self, user: &str, key: &Key256) -> Result<(), KeychainError> {
        let entry = self.entry(user)?;
        entry
            .set_secret(key.as_bytes())
            .map_err(KeychainError::from_keyring)?;
        let back = Zeroizing::new(entry.get_secret().map_err(KeychainError::from_keyring)?);
        if back.as_slice() != key.as_bytes() {
            return Err(KeychainError::BadKey);
        }
        Ok(())
    }

    pub fn load_key(&self, user: &str) -> Result<Key256, KeychainError> {
        let entry = self.entry(user)?;
        let bytes = Zeroizing::new(entry.get_secret().map_err(KeychainError::from_keyring)?);
        if bytes.len() != KEY_LEN {
            return Err(KeychainError::BadKey);
        }
        Key256::from_slice(&bytes).ok_or(KeychainError::BadKey)
    }

    /// Deletes the item; an item that is already gone is not an error.
    pub fn delete_key(&self, user: &str) -> Result<(), KeychainError> {
        let entry = self.entry(user)?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(KeychainError::from_keyring(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyring_errors_become_sentences() {
        let e = KeychainError::from_keyring(keyring::Error::NoDefaultStore);
        assert!(matches!(e, KeychainError::Unavailable(_)));
        assert!(e.to_string().contains("keychain is not available"), "{e}");
        assert_eq!(
            KeychainError::from_keyring(keyring::Error::NoEntry),
            KeychainError::NoEntry
        );
        assert!(KeychainError::NoEntry
            .to_string()
            .contains("no key for this vault"));
        let e = KeychainError::from_keyring(keyring::Error::Invalid(
            "platform".into(),
            "must be macOS".into(),
        ));
        assert!(matches!(e, KeychainError::Unavailable(_)));
        let e = KeychainError::from_keyring(keyring::Error::TooLong("secret".into(), 2560));
        assert!(matches!(e, KeychainError::Other(_)));
        assert!(KeychainError::Locked("prompt dismissed".into())
            .to_string()
            .contains("locked"));
    }
}
