//! Everything that can go wrong with a vault, worded for the person at the keyboard: each message says
//! what happened and what to do next.

use super::keychain::KeychainError;
use std::path::PathBuf;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Error)]
pub enum VaultError {
    #[error("there is no vault at {} yet; create one with `tessera init`", path.display())]
    NotFound { path: PathBuf },

    #[error("no vault location: the system has no data directory; give one with --vault PATH or TESSERA_VAULT")]
    NoDefaultLocation,

    #[error("a vault already exists at {}; it was left as it is", path.display())]
    AlreadyExists { path: PathBuf },

    #[error("the vault path {} is a directory; give the path of a vault file instead", path.display())]
    IsDirectory { path: PathBuf },

    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{} is not a Tessera vault file", path.display())]
    NotAVault { path: PathBuf },

    #[error("the vault {} was written by a newer version of Tessera (vault format {version}); update Tessera to open it. The file was not changed", path.display())]
    NewerVersion { path: PathBuf, version: u32 },

    #[error("the vault file {} is damaged or has been altered ({detail}); it was refused and left untouched. {}", path.display(), backup_hint(path))]
    Damaged { path: PathBuf, detail: String },

    #[error("the vault {} was changed by another Tessera window or command after it was opened here; nothing was saved. Open it again and repeat the change", path.display())]
    ChangedOnDisk { path: PathBuf },

    #[error("wrong password")]
    WrongPassword,

    #[error("this vault has no password; it opens only with the system keychain")]
    NoPasswordSlot,

    #[error("this vault is not kept in the system keychain; unlock it with your password")]
    NoKeychainSlot,

    #[error("{source}; {}", if *has_password { "unlock with your password instead" } else { "this vault has no password, so it can only be opened from this keychain or restored from a backup" })]
    Keychain {
        #[source]
        source: KeychainError,
        has_password: bool,
    },

    #[error("the key in the system keychain does not open this vault (it belongs to another copy of it); {}", if *has_password { "unlock with your password instead" } else { "restore the vault from a backup" })]
    KeychainMismatch { has_password: bool },

    #[error("the vault needs a password or the system keychain to lock it; choose at least one")]
    NoUnlockMethod,

    #[error("{} would leave the vault with no way to unlock it; keep at least one of password and keychain", what)]
    WouldLockOut { what: &'static str },

    #[error("type the vault password to {what}: the vault gets a new key, and the password has to be re-applied to it")]
    PasswordNeeded { what: &'static str },
    #[error("the password must not be empty")]
    EmptyPassword,

    #[error("{label} is already in the vault; choose to replace it (the old one goes to the trash) or to keep both")]
    Duplicate { existing: Vec<Uuid>, label: String },

    #[error("{label} appears more than once in what is being added; choose keep both (the copies get \" (2)\", \" (3)\" suffixes) and set their environments afterwards")]
    DuplicateInBatch { label: String },

    #[error("no account with id {0}")]
    UnknownAccount(Uuid),

    #[error("no account with id {0} in the trash")]
    NotInTrash(Uuid),

    #[error("invalid account: {0}")]
    InvalidAccount(String),

    /// A vault setting out of its range; the sentence says the range.
    #[error("{0}")]
    InvalidSetting(String),

    #[error("the reorder list must name each account once ({0})")]
    BadOrder(String),

    #[error("unsupported key derivation settings: {0}")]
    Kdf(String),
}

fn backup_hint(path: &std::path::Path) -> String {
    let bak = super::atomic::backup_path(path);
    if bak.is_file() {
        format!("The previous save is at {}", bak.display())
    } else {
        "Restore it from a backup".to_string()
    }
}

impl VaultError {
    /// True for the errors where asking for the password (again) is the way forward.
    pub fn wants_password(&self) -> bool {
        matches!(
            self,
            VaultError::WrongPassword
                | VaultError::NoKeychainSlot
                | VaultError::Keychain {
                    has_password: true,
                    ..
                }
                | VaultError::KeychainMismatch { has_password: true }
        )
    }
}
