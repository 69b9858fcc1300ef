//! Which kind each core error is, decided by its type and variant. The sentence is always the error's
//! own `Display` (the core's wording, shared with the CLI).

use super::{ErrorKind, IpcError};
use tessera_core::policy::{PolicyError, Refusal};
use tessera_core::vault::{KeychainError, VaultError};

/// The error's own sentence with the kind `kind`.
fn typed(kind: ErrorKind, e: &impl std::fmt::Display) -> IpcError {
    IpcError::new(kind, e.to_string())
}

/// The kind of a vault error: the variants the UI acts on, the rest shown as they are.
pub fn vault_kind(e: &VaultError) -> ErrorKind {
    use ErrorKind as K;
    match e {
        VaultError::WrongPassword => K::WrongPassword,
        VaultError::ChangedOnDisk { .. } => K::ChangedOnDisk,
        // Each says to use the password instead of the keychain.
        VaultError::Keychain { .. }
        | VaultError::KeychainMismatch { .. }
        | VaultError::NoKeychainSlot => K::KeychainUnavailable,
        VaultError::Duplicate { .. } | VaultError::DuplicateInBatch { .. } => K::Conflict,
        VaultError::IsDirectory { .. }
        | VaultError::NoUnlockMethod
        | VaultError::WouldLockOut { .. }
        | VaultError::PasswordNeeded { .. }
        | VaultError::EmptyPassword
        | VaultError::InvalidAccount(_)
        | VaultError::InvalidSetting(_)
        | VaultError::BadOrder(_) => K::BadInput,
        VaultError::NotFound { .. }
        | VaultError::NoDefaultLocation
        | VaultError::AlreadyExists { .. }
        | VaultError::Io { .. }
        | VaultError::NotAVault { .. }
        | VaultError::NewerVersion { .. }
        | VaultError::Damaged { .. }
        | VaultError::NoPasswordSlot
        | VaultError::UnknownAccount(_)
        | VaultError::NotInTrash(_)
        | VaultError::Kdf(_) => K::Other,
    }
}

impl From<VaultError> for IpcError {
    fn from(e: VaultError) -> IpcError {
        typed(vault_kind(&e), &e)
    }
}

/// The organisation's policy refuses this (the same refusal the CLI gives).
impl From<Refusal> for IpcError {
    fn from(e: Refusal) -> IpcError {
        typed(ErrorKind::Policy, &e)
    }
}

/// The policy file is broken: everything stops until the administrator fixes it.
impl From<PolicyError> for IpcError {
    fn from(e: PolicyError) -> IpcError {
        typed(ErrorKind::Policy, &e)
    }
}

impl From<KeychainError> for IpcError {
    fn from(e: KeychainError) -> IpcError {
        typed(ErrorKind::KeychainUnavailable, &e)
    }
}

/// A new app password below the core's floor: the person types a better one.
impl From<tessera_core::vault::WeakVaultPassword> for IpcError {
    fn from(e: tessera_core::vault::WeakVaultPassword) -> IpcError {
        typed(ErrorKind::BadInput, &e)
    }
}

/// An error type whose every variant is the same kind.
macro_rules! all_of_kind {
    ($kind:ident: $($ty:ty),+ $(,)?) => {$(
        impl From<$ty> for IpcError {
            fn from(e: $ty) -> IpcError {
                typed(ErrorKind::$kind, &e)
            }
        }
    )+};
}

all_of_kind!(BadInput:
    // A link, a key, a code's settings, a typed time or a backup password that cannot be used as given.
    tessera_core::uri::UriError,
    tessera_core::secret::SecretError,
    tessera_core::migration::MigrationError,
    tessera_core::otp::OtpError,
    tessera_core::clock::offline::OfflineError,
    tessera_core::backup::WeakPassword,
);
all_of_kind!(Other:
    // A QR code that cannot be drawn: nothing the person typed is wrong.
    tessera_core::qr::RenderError,
    tessera_core::emergency_sheet::SheetError,
);

/// Recovery codes: what was pasted or picked (bad input) or what the account has (just say it).
pub fn recovery_kind(e: &tessera_core::recovery::RecoveryError) -> ErrorKind {
    use tessera_core::recovery::RecoveryError as E;
    match e {
        E::NoneFound | E::NotFound => ErrorKind::BadInput,
        E::NoneStored | E::AllUsed { .. } | E::AlreadyUsed { .. } => ErrorKind::Other,
    }
}

impl From<tessera_core::recovery::RecoveryError> for IpcError {
    fn from(e: tessera_core::recovery::RecoveryError) -> IpcError {
        typed(recovery_kind(&e), &e)
    }
}

impl From<tessera_core::vault::RecoveryStoreError> for IpcError {
    fn from(e: tessera_core::vault::RecoveryStoreError) -> IpcError {
        use tessera_core::vault::RecoveryStoreError as E;
        let kind = match &e {
            E::Vault(v) => vault_kind(v),
            E::Recovery(r) => recovery_kind(r),
            E::PasswordNeeded => ErrorKind::BadInput,
            E::WrongPassword => ErrorKind::WrongPassword,
            // The account already has unused codes: the person chooses replace or add, like a duplicate.
            E::WouldReplace { .. } => ErrorKind::Conflict,
        };
        typed(kind, &e)
    }
}

impl From<tessera_core::vault::RekeyError> for IpcError {
    fn from(e: tessera_core::vault::RekeyError) -> IpcError {
        use tessera_core::vault::RekeyError as E;
        let kind = match &e {
            E::Vault(v) => vault_kind(v),
            E::SameKey { .. } | E::InvalidParams(_) => ErrorKind::BadInput,
            E::NoPreviousKey { .. } => ErrorKind::Other,
        };
        typed(kind, &e)
    }
}

impl From<tessera_core::vault::PhoneError> for IpcError {
    fn from(e: tessera_core::vault::PhoneError) -> IpcError {
        use tessera_core::vault::PhoneError as E;
        let kind = match &e {
            E::Vault(v) => vault_kind(v),
            E::PasswordNeeded => ErrorKind::BadInput,
            E::WrongPassword => ErrorKind::WrongPassword,
            E::Render(_) => ErrorKind::Other,
        };
        typed(kind, &e)
    }
}

impl From<tessera_core::qr::QrError> for IpcError {
    fn from(e: tessera_core::qr::QrError) -> IpcError {
        use tessera_core::qr::QrError as E;
        let kind = match &e {
            E::NotAnImage | E::Corrupt(_) | E::TooLarge(_) | E::Empty => ErrorKind::BadInput,
            E::Read { .. } => ErrorKind::Other,
        };
        typed(kind, &e)
    }
}

impl From<tessera_core::clock::sntp::SntpError> for IpcError {
    fn from(e: tessera_core::clock::sntp::SntpError) -> IpcError {
        use tessera_core::clock::sntp::SntpError as E;
        let kind = match &e {
            E::BadServer(_) => ErrorKind::BadInput,
            E::Resolve { .. }
            | E::TimedOut { .. }
            | E::Refused { .. }
            | E::Io { .. }
            | E::KissOfDeath { .. }
            | E::Unsynchronised { .. }
            | E::BadReply { .. } => ErrorKind::Other,
        };
        typed(kind, &e)
    }
}

/// An import file: the wrong password for it, or a file that is not what it should be.
impl From<tessera_core::formats::FormatError> for IpcError {
    fn from(e: tessera_core::formats::FormatError) -> IpcError {
        use tessera_core::formats::FormatError as E;
        let kind = match &e {
            E::WrongPassword { .. } => ErrorKind::WrongPassword,
            E::NeedsPassword { .. }
            | E::Truncated { .. }
            | E::Malformed { .. }
            | E::Unsupported { .. }
            | E::UnknownFormat => ErrorKind::BadInput,
            E::AuthenticationFailed { .. } => ErrorKind::Other,
        };
        typed(kind, &e)
    }
}

impl From<tessera_core::export::ExportError> for IpcError {
    fn from(e: tessera_core::export::ExportError) -> IpcError {
        use tessera_core::export::ExportError as E;
        let kind = match &e {
            E::Exists(_) | E::PasswordNeeded => ErrorKind::BadInput,
            E::NothingToExport
            | E::Refused { .. }
            | E::Write { .. }
            | E::NothingCarried
            | E::NotVerified { .. } => ErrorKind::Other,
        };
        typed(kind, &e)
    }
}

/// A backup file: the wrong password, or a file that is not a (whole) Tessera backup.
pub fn container_kind(e: &tessera_core::backup::ContainerError) -> ErrorKind {
    use tessera_core::backup::ContainerError as E;
    match e {
        E::WrongPassword => ErrorKind::WrongPassword,
        E::NotABackup | E::Truncated => ErrorKind::BadInput,
        E::NewerVersion(_) | E::Tampered | E::UnsupportedKdf(_) | E::UnknownKdf(_) => {
            ErrorKind::Other
        }
    }
}

impl From<tessera_core::backup::ContainerError> for IpcError {
    fn from(e: tessera_core::backup::ContainerError) -> IpcError {
        typed(container_kind(&e), &e)
    }
}

impl From<tessera_core::backup::BackupError> for IpcError {
    fn from(e: tessera_core::backup::BackupError) -> IpcError {
        use tessera_core::backup::BackupError as E;
        let kind = match &e {
            E::WeakPassword(_) => ErrorKind::BadInput,
            E::Container(c) => container_kind(c),
            E::Content(_) | E::Write { .. } | E::ReadBack { .. } | E::Mismatch { .. } => {
                ErrorKind::Other
            }
        };
        typed(kind, &e)
    }
}

#[cfg(test)]
#[path = "from_core_tests.rs"]
mod tests;
