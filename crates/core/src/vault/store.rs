//! The [`Vault`] API: open, change and save the encrypted account store.
//!
//! Everything happens in memory until [`Vault::save`], which writes the whole file crash-safely. Rules
//! enforced here, whoever the caller is:
//! - an account with the same issuer, account name and environment as an existing one is refused unless
//!   the caller chose [`DuplicatePolicy::Replace`] (the old one goes to the trash) or
//!   [`DuplicatePolicy::KeepBoth`] (the new one gets a " (2)" suffix on its account name);
//! - the same secret stored twice is allowed, with a warning;
//! - removing moves to the trash; nothing is destroyed except by [`Vault::purge`].

use super::account::{
    fold, Account, Environment, Extra, NewAccount, RestoredFields, TrashReason, TrashedAccount,
};
use super::atomic::{self, SaveError};
use super::error::VaultError;
use super::format::{
    self, FormatError, Header, KdfParams, Key256, KeychainSlot, PasswordSlot, Slot,
};
use super::index::{identity_key, AccountIndex};
use super::keychain::Keychain;
use super::lock::{lock_path, VaultLock};
use crate::otp::{Code, OtpParams};
use crate::secret::Secret;
use crate::time::now_unix;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use uuid::Uuid;
use zeroize::Zeroizing;

/// Environment variable naming the vault file (overridden by `--vault`).
pub const VAULT_ENV: &str = "TESSERA_VAULT";
pub const DEFAULT_FILE_NAME: &str = "vault.tessera";
/// Version of the JSON body inside the encryption; bumped only together with the file format.
const BODY_VERSION: u32 = 1;

/// `<OS data dir>/tessera/vault.tessera`: `~/.local/share` on Linux, `~/Library/Application Support` on
/// macOS, `%APPDATA%` on Windows.
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("tessera").join(DEFAULT_FILE_NAME))
}

/// The vault to use: `explicit` (from `--vault`), else `$TESSERA_VAULT`, else [`default_path`].
pub fn resolve_path(explicit: Option<&Path>) -> Result<PathBuf, VaultError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(VAULT_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    default_path().ok_or(VaultError::NoDefaultLocation)
}

/// A password, wiped from memory on drop and never printed.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(password: impl Into<String>) -> Password {
        Password(Zeroizing::new(password.into()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Password {
    fn from(s: String) -> Self {
        Password::new(s)
    }
}
impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Password::new(s)
    }
}
impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// How to open a vault.
#[derive(Debug, Clone)]
pub enum Unlock {
    /// With the key held in the system keychain.
    Keychain,
    /// With the vault password (Argon2id; takes a fraction of a second by design).
    Password(Password),
}

/// How to lock a new vault: at least one of a password and the keychain.
#[derive(Debug, Clone)]
pub struct CreateOptions {
    pub password: Option<Password>,
    pub use_keychain: bool,
    /// Cost of the password slot. Keep the default except in tests.
    pub kdf: KdfParams,
}

impl CreateOptions {
    /// A password-only vault with very cheap key derivation, for tests only: easy to brute-force.
    pub fn insecure_for_tests(password: &str) -> Self {
        CreateOptions {
            password: Some(Password::new(password)),
            use_keychain: false,
            kdf: KdfParams::insecure_for_tests(),
        }
    }
}

impl Default for CreateOptions {
    /// Keychain only, strong KDF for when a password is set later.
    fn default() -> Self {
        CreateOptions {
            password: None,
            use_keychain: true,
            kdf: KdfParams::default(),
        }
    }
}

/// What to do when a new account has the same issuer, account name and environment as one in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicatePolicy {
    /// Refuse with [`VaultError::Duplicate`] (the default: never overwrite silently).
    #[default]
    Refuse,
    /// Move the existing account(s) to the trash and put the new one in their place.
    Replace,
    /// Keep both; the new account's name gets a distinguishing " (2)" suffix.
    KeepBoth,
}

/// Something the user should know about an account that was nevertheless added or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddWarning {
    /// The same secret key is already stored under these accounts (perhaps the same account twice).
    SameSecret {
        existing: Vec<Uuid>,
        labels: Vec<String>,
    },
    /// Kept both: the new account was given this account name to tell it apart.
    Renamed { account: String },
    /// Replaced: these accounts were moved to the trash (restore them with `restore`).
    Replaced {
        trashed: Vec<Uuid>,
        labels: Vec<String>,
    },
}

impl fmt::Display for AddWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddWarning::SameSecret { labels, .. } => {
                write!(f, "the same secret key is already stored for {}; check this is not the same account twice", labels.join(", "))
            }
            AddWarning::Renamed { account } => {
                write!(f, "kept both: the new account is named {account:?}")
            }
            AddWarning::Replaced { labels, .. } => {
                write!(
                    f,
                    "replaced {}; the old account is in the trash and can be restored",
                    labels.join(", ")
                )
            }
        }
    }
}

/// Result of a successful add or restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddOutcome {
    pub id: Uuid,
    pub warnings: Vec<AddWarning>,
}

/// What an edit does when another account already has its new issuer, account and environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditClash {
    /// Refuse with [`VaultError::Duplicate`] (the default: never overwrite silently).
    #[default]
    Refuse,
    /// Move the other account(s) to the trash, then edit.
    Replace,
    /// Keep both; they stay apart by their notes or a later environment change.
    KeepBoth,
}

/// Changes to one account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountEdit {
    pub issuer: Option<String>,
    pub account: Option<String>,
    pub environment: Option<Environment>,
    /// A new key: the old one is kept as `previous_secret`.
    pub secret: Option<Secret>,
    pub params: Option<OtpParams>,
    pub note: Option<String>,
}

/// What can be learnt about a vault file without unlocking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultInfo {
    pub path: PathBuf,
    pub id: Uuid,
    pub format_version: u16,
    pub has_keychain: bool,
    pub has_password: bool,
    /// Cost of the password slot, if there is one.
    pub kdf: Option<KdfParams>,
    /// The keychain item of the keychain slot, if there is one.
    pub keychain_item_user: Option<String>,
}

impl VaultInfo {
    /// The keychain user name of this vault's item.
    pub fn keychain_user(&self) -> String {
        self.keychain_item_user
            .clone()
            .unwrap_or_else(|| keychain_user(&self.id))
    }
}

fn keychain_user(id: &Uuid) -> String {
    format!("vault-{id}")
}

/// The encrypted part of the file.
#[derive(Serialize, Deserialize, Default, Clone)]
struct Body {
    version: u32,
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default)]
    trash: Vec<TrashedAccount>,
    #[serde(default)]
    settings: Extra,
    /// Automatic backups (folder, keep, derived backup key: never the password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auto_backup: Option<crate::backup::auto::AutoBackupConfig>,
    /// Counts saves, so an older copy can be told from the current file (review #28; 0 in vaults
    /// written before).
    #[serde(default)]
    generation: u64,
    /// Days a deleted account stays in the trash (None: [`TRASH_KEEP_DAYS`]); kept in the vault so
    /// the CLI and the app purge alike.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trash_keep_days: Option<u32>,
    #[serde(flatten)]
    extra: Extra,
}

/// An open (unlocked) vault. Dropping it wipes the key and all secrets from memory.
pub struct Vault {
    path: PathBuf,
    id: Uuid,
    key: Key256,
    slots: Vec<Slot>,
    body: Body,
    keychain: Keychain,
    /// The keychain item to delete once a save without the keychain slot has succeeded.
    delete_keychain_item_after_save: bool,
    /// A keychain item this handle created that no saved file refers to yet: the only kind of item
    /// Tessera ever deletes (a copy of the file may use any other: review #8).
    unsaved_keychain_item: Option<String>,
    /// SHA-256 of the file as last read or written: a save refuses to overwrite a file that another
    /// process (the app, another command) changed in the meantime, instead of silently dropping its work.
    disk_digest: Option<[u8; 32]>,
    /// The key wrapping the vault key in the password slot (Argon2id output), when known: lets the vault
    /// key be rotated without asking for the password again (see rotation.rs).
    password_slot_key: Option<Key256>,
    /// The key kept in the system keychain for the keychain slot, when known.
    keychain_slot_key: Option<Key256>,
    /// The vault key the file on disk is sealed with, when the key was rotated since the last save: the
    /// next save re-seals the previous generation (`.bak`) under the new key with it.
    sealed_with: Option<Key256>,
    /// Set when keys were deleted for good (trash purged): the next save does not keep the previous
    /// generation as `.bak`, which still holds them, but the new file's bytes (see trash.rs).
    forget_previous: bool,
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("id", &self.id)
            .field("accounts", &self.body.accounts.len())
            .field("trash", &self.body.trash.len())
            .finish_non_exhaustive()
    }
}

fn map_save_error(e: SaveError) -> VaultError {
    if e.source.kind() == io::ErrorKind::IsADirectory {
        return VaultError::IsDirectory { path: e.path };
    }
    VaultError::Io {
        action: e.step,
        path: e.path,
        source: e.source,
    }
}

/// Counts bytes, so the plaintext buffer can be allocated once at its final size (growing a Vec would
/// leave unwiped copies of secrets behind).
struct CountingWriter(usize);
impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Vault {
    /// Writes the vault crash-safely (temp file, fsync, rename, fsync directory), keeping the previous
    /// file as `<path>.bak`. On failure the file on disk is unchanged.
    /// Writes the vault. Accounts deleted more than [`Vault::trash_keep_days`] days ago leave the
    /// trash (and their keys the file and its `.bak`) on the way, whichever client saves.
    pub fn save(&mut self) -> Result<(), VaultError> {
        self.purge_trash_older_than(u64::from(self.trash_keep_days()), now_unix());
        self.save_with(&mut |file, data| file.write_all(data))
    }

    pub(crate) fn save_with(
        &mut self,
        write: &mut dyn FnMut(&mut std::fs::File, &[u8]) -> io::Result<()>,
    ) -> Result<(), VaultError> {
        // Held from the "unchanged on disk?" check to the rename, so two writers (app, CLI, two
        // commands) cannot both pass the check and one silently drop the other's change.
        let mut lock = VaultLock::open(&self.path).map_err(|source| VaultError::Io {
            action: "lock",
            path: lock_path(&self.path),
            source,
        })?;
        lock.exclusive(|| self.save_locked(write))
            .map_err(|source| VaultError::Io {
                action: "lock",
                path: lock_path(&self.path),
                source,
            })??;
        drop(lock);
        // The one place automatic backups hook in: after every successful save, never failing it.
        crate::backup::auto::after_save(self);
        Ok(())
    }

    /// The automatic-backup configuration, when turned on.
    pub fn auto_backup(&self) -> Option<&crate::backup::auto::AutoBackupConfig> {
        self.body.auto_backup.as_ref()
    }

    /// Turns automatic backups on (with a configuration) or off; takes effect at the next save.
    pub fn set_auto_backup(&mut self, config: Option<crate::backup::auto::AutoBackupConfig>) {
        self.body.auto_backup = config;
    }

    fn save_locked(
        &mut self,
        write: &mut dyn FnMut(&mut std::fs::File, &[u8]) -> io::Result<()>,
    ) -> Result<(), VaultError> {
        self.body.generation += 1;
        let result = self.save_generation(write);
        if result.is_err() {
            self.body.generation -= 1;
        }
        result
    }

    /// How many times this vault has been saved (review #28): a copy with a lower number is older.
    pub fn generation(&self) -> u64 {
        self.body.generation
    }

    /// Makes the next save count on from `seen` when this file is an older copy, so the save is newer
    /// than anything seen before (see [`crate::vault::rollback`]).
    pub fn continue_after(&mut self, seen: u64) {
        self.body.generation = self.body.generation.max(seen);
    }

    fn save_generation(
        &mut self,
        write: &mut dyn FnMut(&mut std::fs::File, &[u8]) -> io::Result<()>,
    ) -> Result<(), VaultError> {
        let on_disk = self.check_unchanged_on_disk()?;
        let file = self.seal()?;
        let previous = match &self.sealed_with {
            // Keys were deleted for good: the `.bak` becomes this generation too, so they are in
            // neither file (issue 14, trash on shared PCs).
            None if self.forget_previous => atomic::Previous::Replace(file.clone()),
            None => atomic::Previous::Keep,
            // The key changed: the previous generation is kept re-sealed under the new key and slots,
            // so old credentials open no file Tessera keeps (or nothing is kept).
            Some(old_key) => match on_disk.and_then(|b| self.reseal(&b, old_key)) {
                Some(bak) => atomic::Previous::Replace(bak),
                None => atomic::Previous::Discard,
            },
        };
        atomic::write_atomic_full(&self.path, &file, &previous, write).map_err(map_save_error)?;
        self.disk_digest = Some(digest(&file));
        self.sealed_with = None;
        self.forget_previous = false;
        if self.delete_keychain_item_after_save {
            // Only an item no saved file ever referred to; failing to delete it only leaves an unused key.
            if let Some(user) = self.unsaved_keychain_item.take() {
                let _ = self.keychain.delete_key(&user);
            }
            self.delete_keychain_item_after_save = false;
        }
        // The item is in a saved file now: copies of it may use it, so it is never deleted.
        self.unsaved_keychain_item = None;
        Ok(())
    }

    /// The file as it is on disk when it is what this vault last read or wrote.
    fn check_unchanged_on_disk(&self) -> Result<Option<Vec<u8>>, VaultError> {
        let Some(expected) = self.disk_digest else {
            return Ok(None);
        };
        match std::fs::read(&self.path) {
            Ok(bytes) if digest(&bytes) != expected => Err(VaultError::ChangedOnDisk {
                path: self.path.clone(),
            }),
            Ok(bytes) => Ok(Some(bytes)),
            // Gone or unreadable, in which case writing it back loses nothing and the write itself
            // reports any real problem.
            _ => Ok(None),
        }
    }

    /// The complete encrypted file as bytes (what [`Vault::save`] writes).
    pub fn seal(&self) -> Result<Vec<u8>, VaultError> {
        let header = Header::new(self.id, self.slots.clone());
        header
            .check_sizes()
            .map_err(|e| map_format_error(&self.path, e))?;
        let mut counter = CountingWriter(0);
        serde_json::to_writer(&mut counter, &self.body)
            .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        let capacity = counter.0.div_ceil(format::BODY_PADDING).max(1) * format::BODY_PADDING;
        let mut plain = Zeroizing::new(Vec::with_capacity(capacity));
        serde_json::to_writer(&mut *plain, &self.body)
            .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        format::pad_body(&mut plain);
        Ok(format::seal(&header, &self.key, &plain))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn info(&self) -> VaultInfo {
        info_from(&self.path, &Header::new(self.id, self.slots.clone()))
    }

    pub fn has_password(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Password(_)))
    }

    pub fn has_keychain(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Keychain(_)))
    }

    /// App settings kept inside the encryption (free-form JSON object).
    pub fn settings(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.body.settings.0
    }

    pub fn settings_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
        &mut self.body.settings.0
    }
}

#[path = "unlock.rs"]
mod unlock;
use unlock::*;

#[path = "slots.rs"]
mod slots;

#[path = "accounts.rs"]
mod accounts;

#[path = "rotation.rs"]
mod rotation;

#[path = "trash.rs"]
mod trash;
pub use trash::{TRASH_KEEP_DAYS, TRASH_KEEP_DAYS_RANGE};

#[cfg(test)]
#[path = "tests/mod.rs"]
pub(crate) mod tests;

#[path = "reload.rs"]
mod reload;

#[path = "protection.rs"]
pub mod protection;
