//! Vault errors as one plain sentence: keychain failures never show library text such as
//! "SS error: result not returned from SS API", and always say what to do instead.

use crate::ipc_error::{from_core::vault_kind, ErrorKind, IpcError};
use tessera_core::vault::{KeychainError, VaultError};

/// What to tell the person about a keychain problem (no library jargon).
pub fn keychain_sentence(e: &KeychainError, has_password: bool) -> String {
    let what = match e {
        KeychainError::Unavailable(_) => "This computer's keychain is not available",
        KeychainError::Locked(_) => "This computer's keychain is locked or did not answer",
        KeychainError::NoEntry => "This computer's keychain has no key for this vault",
        KeychainError::BadKey => "This computer's keychain returned a key that does not fit",
        _ => "This computer's keychain did not work",
    };
    if has_password {
        format!("{what}. Unlock with your app password instead.")
    } else {
        format!("{what}. Protect the vault with an app password instead.")
    }
}

/// A keychain problem as the UI gets it: kind `keychainUnavailable`, the plain sentence.
pub fn keychain_error(e: &KeychainError, has_password: bool) -> IpcError {
    IpcError::new(
        ErrorKind::KeychainUnavailable,
        keychain_sentence(e, has_password),
    )
}

/// A vault error with its kind, keychain failures worded plainly.
pub fn vault_error(e: VaultError) -> IpcError {
    match &e {
        VaultError::Keychain {
            source,
            has_password,
        } => keychain_error(source, *has_password),
        _ => IpcError::new(vault_kind(&e), e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_library_jargon() {
        let e = VaultError::Keychain {
            source: KeychainError::Locked("SS error: result not returned from SS API".into()),
            has_password: false,
        };
        let e = vault_error(e);
        assert_eq!(e.kind, ErrorKind::KeychainUnavailable);
        let s = e.message;
        assert!(!s.contains("SS"), "{s}");
        assert!(s.contains("app password"), "{s}");
    }
}
