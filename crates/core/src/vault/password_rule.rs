//! The one floor for new vault passwords (review #17: a one-character password was accepted, and the
//! vault file is what gets synced or stolen). The CLI's `init` and `passwd` ask it; the app calls
//! [`check_new_vault_password`] before creating a vault or changing its password. Opening a vault
//! never checks it: an existing password keeps working.

use crate::backup::password::{distinct_chars, is_common};
use thiserror::Error;

/// Fewest characters (not bytes) a new vault password may have.
pub const MIN_VAULT_PASSWORD_CHARS: usize = 10;

/// Why a new vault password was refused; each says what to do instead.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum WeakVaultPassword {
    #[error("the vault password must not be empty")]
    Empty,
    #[error(
        "the vault password must have at least {MIN_VAULT_PASSWORD_CHARS} characters; \
         a few words make a strong one"
    )]
    TooShort,
    #[error(
        "the vault password is one of the most common passwords; choose something nobody would guess"
    )]
    Common,
    #[error("the vault password repeats too few different characters; use a few unrelated words")]
    TooRepetitive,
}

/// Checks a password chosen for a new vault, or as the new password of an existing one.
pub fn check_new_vault_password(password: &str) -> Result<(), WeakVaultPassword> {
    if password.is_empty() {
        return Err(WeakVaultPassword::Empty);
    }
    if password.chars().count() < MIN_VAULT_PASSWORD_CHARS {
        return Err(WeakVaultPassword::TooShort);
    }
    if is_common(password) {
        return Err(WeakVaultPassword::Common);
    }
    if distinct_chars(password) < 5 {
        return Err(WeakVaultPassword::TooRepetitive);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_repetitive_vault_passwords_are_refused() {
        assert_eq!(check_new_vault_password(""), Err(WeakVaultPassword::Empty));
        assert_eq!(
            check_new_vault_password("a"),
            Err(WeakVaultPassword::TooShort)
        );
        // Characters, not bytes: nine accented letters are still too short.
        assert_eq!(
            check_new_vault_password("ééééééééé"),
            Err(WeakVaultPassword::TooShort)
        );
        assert_eq!(
            check_new_vault_password("Password2024!"),
            Err(WeakVaultPassword::Common)
        );
        assert_eq!(
            check_new_vault_password("aaaaaaaaaaaa"),
            Err(WeakVaultPassword::TooRepetitive)
        );
        assert!(check_new_vault_password("ten chars!").is_ok());
        assert!(check_new_vault_password("test password").is_ok());
        let message = WeakVaultPassword::TooShort.to_string();
        assert!(message.contains("at least 10 characters"), "{message}");
    }
}
