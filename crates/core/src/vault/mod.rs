//! The encrypted vault: every account Tessera keeps, in one AES-256-GCM encrypted file whose key sits
//! in key slots (system keychain and/or an Argon2id password). See `docs/vault-format.md`.
//!
//! - [`account`]: the account model ([`Account`], [`Environment`], [`NewAccount`]).
//! - [`format`]: the file bytes: header, key slots, encryption.
//! - [`keychain`]: the system keychain, with errors a person understands.
//! - [`atomic`]: crash-safe saves with a backup of the previous generation.
//! - [`store`]: the [`Vault`] API used by the CLI and the app.
//! - [`reenrol`]: replacing an account's key after an MFA reset, keeping the previous key until confirmed.
//! - [`recovery_codes`]: an account's one-time recovery codes (hidden unless asked for).
//! - [`phone`]: one account's enrolment QR code and key, shown for moving it to a phone.

pub mod account;
pub mod atomic;
pub mod conflicts;
pub mod error;
pub mod favourites;
pub mod format;
pub(crate) mod index;
pub mod keychain;
pub mod lock;
pub mod order;
pub mod password_rule;
pub mod phone;
pub mod recovery_codes;
pub mod reenrol;
pub mod rollback;
pub mod store;

pub use account::{
    Account, Environment, Extra, NewAccount, RestoredFields, TrashReason, TrashedAccount,
};
pub use conflicts::Conflicts;
pub use error::VaultError;
pub use format::KdfParams;
pub use keychain::{Keychain, KeychainError};
pub use password_rule::{check_new_vault_password, WeakVaultPassword, MIN_VAULT_PASSWORD_CHARS};
pub use phone::{PhoneEnrolment, PhoneError, PHONE_SHOW_SECONDS};
pub use recovery_codes::{RecoveryStoreError, StoreMode};
pub use reenrol::{PreviousKey, RekeyError, RekeyOutcome};
pub use store::protection::{Protection, QuickUnlock};
pub use store::{
    default_path, resolve_path, AccountEdit, AddOutcome, AddWarning, CreateOptions,
    DuplicatePolicy, EditClash, Password, Unlock, Vault, VaultInfo, DEFAULT_FILE_NAME,
    TRASH_KEEP_DAYS, TRASH_KEEP_DAYS_RANGE, VAULT_ENV,
};
