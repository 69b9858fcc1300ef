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
use crate::otp::{now_unix, Code, OtpParams};
use crate::secret::Secret;
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

fn map_format_error(path: &Path, e: FormatError) -> VaultError {
    match e {
        FormatError::NotAVault => VaultError::NotAVault {
            path: path.to_path_buf(),
        },
        FormatError::NewerVersion(v) => VaultError::NewerVersion {
            path: path.to_path_buf(),
            version: v.into(),
        },
        FormatError::Authentication => VaultError::Damaged {
            path: path.to_path_buf(),
            detail: "the contents failed authentication: the file was truncated or changed".into(),
        },
        other => VaultError::Damaged {
            path: path.to_path_buf(),
            detail: other.to_string(),
        },
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

fn read_vault_file(path: &Path) -> Result<Vec<u8>, VaultError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Ok(m) if m.is_dir() => {
            return Err(VaultError::IsDirectory {
                path: path.to_path_buf(),
            })
        }
        _ => {}
    }
    std::fs::read(path).map_err(|source| VaultError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })
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
    /// Reads the clear header: which unlock methods the vault has. No password or keychain needed.
    pub fn inspect(path: &Path) -> Result<VaultInfo, VaultError> {
        let bytes = read_vault_file(path)?;
        let (header, _) = Header::parse(&bytes).map_err(|e| map_format_error(path, e))?;
        Ok(info_from(path, &header))
    }

    /// Creates a new, empty vault at `path` (and its directory). Refuses to overwrite an existing file.
    /// The keychain is tried first, so when it fails no time was spent deriving the password key.
    pub fn create(path: &Path, options: CreateOptions) -> Result<Vault, VaultError> {
        if path.is_dir() {
            return Err(VaultError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        if path.exists() {
            return Err(VaultError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        if options.password.is_none() && !options.use_keychain {
            return Err(VaultError::NoUnlockMethod);
        }
        if options.password.as_ref().is_some_and(|p| p.is_empty()) {
            return Err(VaultError::EmptyPassword);
        }
        options
            .kdf
            .validate()
            .map_err(|e| VaultError::Kdf(e.to_string()))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(|source| VaultError::Io {
                action: "create the directory",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mut vault = Vault {
            path: path.to_path_buf(),
            id: Uuid::new_v4(),
            key: Key256::random(),
            slots: Vec::new(),
            body: Body {
                version: BODY_VERSION,
                ..Body::default()
            },
            keychain: Keychain::system(),
            delete_keychain_item_after_save: false,
            unsaved_keychain_item: None,
            disk_digest: None,
            password_slot_key: None,
            keychain_slot_key: None,
            sealed_with: None,
            forget_previous: false,
        };
        if options.use_keychain {
            vault.store_keychain_slot(options.password.is_some())?;
        }
        if let Some(password) = &options.password {
            vault.set_password(password.clone(), options.kdf)?;
        }
        if let Err(e) = vault.save() {
            if options.use_keychain {
                if let Some(user) = vault.unsaved_keychain_item.take() {
                    let _ = vault.keychain.delete_key(&user);
                }
            }
            return Err(e);
        }
        Ok(vault)
    }

    /// Opens and decrypts the vault at `path`. The file is only read, never changed.
    pub fn open(path: &Path, unlock: Unlock) -> Result<Vault, VaultError> {
        // A symlinked vault (e.g. into a synced folder) is saved beside its target (review #14).
        let path = &atomic::resolve_symlink(path);
        let bytes = read_vault_file(path)?;
        let (header, header_len) = Header::parse(&bytes).map_err(|e| map_format_error(path, e))?;
        if !header
            .slots
            .iter()
            .any(|s| matches!(s, Slot::Password(_) | Slot::Keychain(_)))
        {
            // Precise (review #29): not "this vault has no password" when it has no usable slot at all.
            return Err(VaultError::Damaged {
                path: path.to_path_buf(),
                detail: "it has no password or keychain slot this version of Tessera can use"
                    .into(),
            });
        }
        let keychain = Keychain::system();
        let (key, slot_key) = unlock_key(&header, &unlock, &keychain)?;
        let plain =
            format::open_body(&bytes, header_len, &key).map_err(|e| map_format_error(path, e))?;
        let body: Body = serde_json::from_slice(&plain).map_err(|e| VaultError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "the decrypted contents are unreadable: {}",
                crate::crypto::json_error::describe(&e)
            ),
        })?;
        drop(plain);
        if body.version > BODY_VERSION {
            return Err(VaultError::NewerVersion {
                path: path.to_path_buf(),
                version: body.version,
            });
        }
        let mut vault = Vault {
            path: path.to_path_buf(),
            id: header.vault_id,
            key,
            slots: header.slots,
            body,
            keychain,
            delete_keychain_item_after_save: false,
            unsaved_keychain_item: None,
            disk_digest: Some(digest(&bytes)),
            password_slot_key: None,
            keychain_slot_key: None,
            sealed_with: None,
            forget_previous: false,
        };
        match unlock {
            Unlock::Password(_) => vault.password_slot_key = Some(slot_key),
            Unlock::Keychain => vault.keychain_slot_key = Some(slot_key),
        }
        // Stable: equal positions (e.g. from a file edited elsewhere) keep their stored order.
        vault.body.accounts.sort_by_key(|a| a.position);
        vault.renumber();
        Ok(vault)
    }

    /// Writes the vault crash-safely (temp file, fsync, rename, fsync directory), keeping the previous
    /// file as `<path>.bak`. On failure the file on disk is unchanged.
    /// Writes the vault. Accounts deleted more than [`TRASH_KEEP_DAYS`] days ago leave the trash (and
    /// their keys the file and its `.bak`) on the way, whichever client saves.
    pub fn save(&mut self) -> Result<(), VaultError> {
        self.purge_trash_older_than(TRASH_KEEP_DAYS, now_unix());
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

    // ----- accounts -----

    /// All accounts in display order (`position` 0, 1, 2, …).
    pub fn accounts(&self) -> &[Account] {
        &self.body.accounts
    }

    pub fn account(&self, id: Uuid) -> Option<&Account> {
        self.body.accounts.iter().find(|a| a.id == id)
    }

    /// Accounts a new one would be confused with (same issuer, account name and environment).
    pub fn duplicates_of(
        &self,
        issuer: &str,
        account: &str,
        environment: &Environment,
    ) -> Vec<&Account> {
        self.body
            .accounts
            .iter()
            .filter(|a| a.same_identity(issuer, account, environment))
            .collect()
    }

    /// Adds an account, following `policy` when one with the same issuer, account and environment exists.
    pub fn add(
        &mut self,
        new: NewAccount,
        policy: DuplicatePolicy,
    ) -> Result<AddOutcome, VaultError> {
        self.add_restored(new, None, policy)
    }

    /// [`Vault::add`] for an account restored from a backup: its id (unless an account or trashed
    /// account here already has it), creation time, key history and recovery codes come back too.
    pub fn add_restored(
        &mut self,
        new: NewAccount,
        restored: Option<RestoredFields>,
        policy: DuplicatePolicy,
    ) -> Result<AddOutcome, VaultError> {
        let mut index = self.account_index();
        self.add_indexed(new, restored, policy, &mut index)
    }

    /// Hash indexes over the accounts, for [`Vault::add_indexed`] (review #6).
    pub(crate) fn account_index(&self) -> AccountIndex {
        AccountIndex::build(&self.body.accounts, &self.body.trash)
    }

    /// [`Vault::add_restored`] with duplicates, same keys and ids looked up in `index` (built by
    /// [`Vault::account_index`] and kept up to date here), so a batch of adds is not quadratic.
    pub(crate) fn add_indexed(
        &mut self,
        new: NewAccount,
        restored: Option<RestoredFields>,
        policy: DuplicatePolicy,
        index: &mut AccountIndex,
    ) -> Result<AddOutcome, VaultError> {
        new.params
            .validate()
            .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        let now = now_unix();
        let mut account = Account::new(new, now, self.body.accounts.len() as u32);
        if let Some(restored) = restored {
            // A backup's previous key settings are checked like current ones (review #13: digits 0
            // there once broke every code on the screen).
            if let Some(previous) = &restored.previous_params {
                previous.validate().map_err(|e| {
                    VaultError::InvalidAccount(format!("the previous key's settings: {e}"))
                })?;
            }
            let id_free = !index.id_in_use(restored.id);
            restored.apply_to(&mut account, id_free);
        }
        let mut warnings = Vec::new();
        let dups: Vec<Uuid> = index
            .duplicates(&account.issuer, &account.account, &account.environment)
            .to_vec();
        let label_of = |v: &Vault, index: &AccountIndex, id: Uuid| {
            index
                .position(id)
                .map(|i| v.body.accounts[i].label())
                .unwrap_or_default()
        };
        let mut insert_at = self.body.accounts.len();
        let mut removed = 0;
        let mut replaced_in_place = false;
        if !dups.is_empty() {
            match policy {
                DuplicatePolicy::Refuse => {
                    let label = label_of(self, index, dups[0]);
                    return Err(VaultError::Duplicate {
                        existing: dups,
                        label,
                    });
                }
                DuplicatePolicy::Replace => {
                    let mut at: Vec<usize> =
                        dups.iter().filter_map(|id| index.position(*id)).collect();
                    insert_at = at.first().copied().unwrap_or(insert_at);
                    let labels: Vec<String> =
                        at.iter().map(|&i| self.body.accounts[i].label()).collect();
                    index.forget(&self.body.accounts, &dups);
                    at.sort_unstable();
                    removed = at.len();
                    let trashed: Vec<Account> = if let [only] = at[..] {
                        // The new account takes the old one's place: nothing else moves.
                        let placeholder = account.clone();
                        replaced_in_place = true;
                        vec![std::mem::replace(
                            &mut self.body.accounts[only],
                            placeholder,
                        )]
                    } else {
                        let mut trashed: Vec<Account> = at
                            .iter()
                            .rev()
                            .map(|&i| self.body.accounts.remove(i))
                            .collect();
                        trashed.reverse();
                        trashed
                    };
                    for old in trashed {
                        self.push_to_trash(old, TrashReason::Replaced { by: account.id }, now);
                    }
                    warnings.push(AddWarning::Replaced {
                        trashed: dups,
                        labels,
                    });
                }
                DuplicatePolicy::KeepBoth => {
                    account.account = self.distinct_account_name_indexed(&account, index);
                    warnings.push(AddWarning::Renamed {
                        account: account.account.clone(),
                    });
                }
            }
        }
        let id = account.id;
        let insert_at = insert_at.min(self.body.accounts.len());
        if replaced_in_place {
            self.body.accounts[insert_at] = account;
        } else {
            self.body.accounts.insert(insert_at, account);
        }
        // Accounts after `insert_at` moved only when more (or fewer) than one was replaced.
        let end = if removed == 1 || insert_at + 1 == self.body.accounts.len() {
            insert_at + 1
        } else {
            self.body.accounts.len()
        };
        if index.numbered {
            for (i, a) in self.body.accounts[insert_at..end].iter_mut().enumerate() {
                a.position = (insert_at + i) as u32;
            }
        } else {
            self.renumber();
            index.numbered = true;
        }
        index.inserted(&self.body.accounts, insert_at, insert_at + 1..end);
        if let Some(w) = self.same_secret_warning_indexed(id, index) {
            warnings.insert(0, w);
        }
        Ok(AddOutcome { id, warnings })
    }

    /// Adds several accounts (an import, a migration export) all or nothing: if any is refused, the
    /// vault is left exactly as it was. With [`DuplicatePolicy::Refuse`], clashes with the vault are
    /// reported together, and two accounts in `accounts` that would clash with each other are refused
    /// as [`VaultError::DuplicateInBatch`] (Google exports carry no environment, so a Live and a
    /// Sandpit login arrive with the same name): choose keep both, then set the environments.
    pub fn add_all(
        &mut self,
        accounts: Vec<NewAccount>,
        policy: DuplicatePolicy,
    ) -> Result<Vec<AddOutcome>, VaultError> {
        let mut index = self.account_index();
        if policy == DuplicatePolicy::Refuse {
            let mut existing = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let mut labels = Vec::new();
            for n in &accounts {
                for id in index.duplicates(&n.issuer, &n.account, &n.environment) {
                    if seen.insert(*id) {
                        existing.push(*id);
                        if let Some(i) = index.position(*id) {
                            labels.push(self.body.accounts[i].label());
                        }
                    }
                }
            }
            if !existing.is_empty() {
                return Err(VaultError::Duplicate {
                    existing,
                    label: labels.join(", "),
                });
            }
            let mut in_batch = std::collections::HashSet::new();
            for n in &accounts {
                if !in_batch.insert(identity_key(&n.issuer, &n.account, &n.environment)) {
                    return Err(VaultError::DuplicateInBatch {
                        label: Account::new(n.clone(), 0, 0).label(),
                    });
                }
            }
        }
        let snapshot = self.body.clone();
        let mut outcomes = Vec::with_capacity(accounts.len());
        for n in accounts {
            match self.add_indexed(n, None, policy, &mut index) {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    self.body = snapshot;
                    return Err(e);
                }
            }
        }
        Ok(outcomes)
    }

    /// Runs `f` on the vault all or nothing: when it fails, the accounts and trash are put back
    /// exactly as they were (nothing is saved either way; the caller saves).
    pub fn transaction<T, E>(
        &mut self,
        f: impl FnOnce(&mut Vault) -> Result<T, E>,
    ) -> Result<T, E> {
        let snapshot = self.body.clone();
        let result = f(self);
        if result.is_err() {
            self.body = snapshot;
        }
        result
    }

    /// "name (2)", "name (3)", … : the first that no account in the same issuer and environment uses.
    fn distinct_account_name(&self, account: &Account) -> String {
        let base = account.account.clone();
        (2u32..)
            .map(|n| {
                if base.is_empty() {
                    format!("({n})")
                } else {
                    format!("{base} ({n})")
                }
            })
            .find(|name| {
                self.duplicates_of(&account.issuer, name, &account.environment)
                    .is_empty()
            })
            .expect("some suffix is free")
    }

    fn same_secret_warning(&self, secret: &Secret, except: Option<Uuid>) -> Option<AddWarning> {
        // At most a few names per warning (review #6: naming every earlier account made an import of
        // 20,000 same-key accounts quadratic in memory, 14 GB); "and N more" says the rest.
        const NAMED: usize = 5;
        let mut same = self
            .body
            .accounts
            .iter()
            .filter(|a| Some(a.id) != except && a.secret == *secret);
        let first: Vec<&Account> = same.by_ref().take(NAMED).collect();
        if first.is_empty() {
            return None;
        }
        let more = same.count();
        let mut labels: Vec<String> = first.iter().map(|a| a.label()).collect();
        if more > 0 {
            labels.push(format!("{more} more"));
        }
        Some(AddWarning::SameSecret {
            existing: first.iter().map(|a| a.id).collect(),
            labels,
        })
    }

    /// [`Vault::distinct_account_name`] through the index.
    fn distinct_account_name_indexed(&self, account: &Account, index: &mut AccountIndex) -> String {
        let base = account.account.clone();
        let name = |n: u32| {
            if base.is_empty() {
                format!("({n})")
            } else {
                format!("{base} ({n})")
            }
        };
        let n = index.free_suffix(&account.issuer, &account.environment, &base, |index, n| {
            !index
                .duplicates(&account.issuer, &name(n), &account.environment)
                .is_empty()
        });
        name(n)
    }

    /// [`Vault::same_secret_warning`] for the account `id` just added, through the index.
    fn same_secret_warning_indexed(&self, id: Uuid, index: &AccountIndex) -> Option<AddWarning> {
        const NAMED: usize = 5;
        let secret = &self.body.accounts[index.position(id)?].secret;
        let same = index.same_secret(secret);
        let first: Vec<Uuid> = same
            .iter()
            .filter(|other| **other != id)
            .take(NAMED)
            .copied()
            .collect();
        if first.is_empty() {
            return None;
        }
        // `same` holds `id` itself once.
        let more = same.len() - 1 - first.len();
        let mut labels: Vec<String> = first
            .iter()
            .filter_map(|other| index.position(*other))
            .map(|i| self.body.accounts[i].label())
            .collect();
        if more > 0 {
            labels.push(format!("{more} more"));
        }
        Some(AddWarning::SameSecret {
            existing: first,
            labels,
        })
    }

    fn index_of(&self, id: Uuid) -> Result<usize, VaultError> {
        self.body
            .accounts
            .iter()
            .position(|a| a.id == id)
            .ok_or(VaultError::UnknownAccount(id))
    }

    /// Changes an account. Refused if it would then clash with another account (same issuer, account
    /// name and environment). A new secret keeps the old one as `previous_secret`.
    pub fn edit(&mut self, id: Uuid, edit: AccountEdit) -> Result<Vec<AddWarning>, VaultError> {
        self.edit_with(id, edit, false)
    }

    /// [`Vault::edit`] that keeps both when the new names and environment are already taken (the
    /// person chose "keep both"; the twins stay apart by their environments or notes).
    pub fn edit_keeping_both(
        &mut self,
        id: Uuid,
        edit: AccountEdit,
    ) -> Result<Vec<AddWarning>, VaultError> {
        self.edit_with(id, edit, true)
    }

    /// [`Vault::edit`] with the person's answer when the new issuer, account and environment are
    /// already taken: refuse, move the other account(s) to the trash (restorable), or keep both.
    /// All or nothing: if any step fails, nothing changes.
    pub fn edit_resolving(
        &mut self,
        id: Uuid,
        edit: AccountEdit,
        clash: EditClash,
    ) -> Result<Vec<AddWarning>, VaultError> {
        match clash {
            EditClash::Refuse => self.edit(id, edit),
            EditClash::KeepBoth => self.edit_keeping_both(id, edit),
            EditClash::Replace => self.transaction(|v| match v.edit(id, edit.clone()) {
                Err(VaultError::Duplicate { existing, .. }) => {
                    for other in existing {
                        v.remove(other)?;
                    }
                    v.edit(id, edit)
                }
                done => done,
            }),
        }
    }

    fn edit_with(
        &mut self,
        id: Uuid,
        edit: AccountEdit,
        keep_both: bool,
    ) -> Result<Vec<AddWarning>, VaultError> {
        let index = self.index_of(id)?;
        let current = &self.body.accounts[index];
        let issuer = edit
            .issuer
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.issuer)
            .to_string();
        let name = edit
            .account
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.account)
            .to_string();
        let environment = edit
            .environment
            .clone()
            .unwrap_or_else(|| current.environment.clone());
        if let Some(params) = &edit.params {
            params
                .validate()
                .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        }
        let clash: Vec<Uuid> = self
            .duplicates_of(&issuer, &name, &environment)
            .iter()
            .filter(|a| a.id != id)
            .map(|a| a.id)
            .collect();
        if !clash.is_empty() && !keep_both {
            let label = self
                .account(clash[0])
                .map(|a| a.label())
                .unwrap_or_default();
            return Err(VaultError::Duplicate {
                existing: clash,
                label,
            });
        }
        let mut warnings = Vec::new();
        if let Some(secret) = &edit.secret {
            if let Some(w) = self.same_secret_warning(secret, Some(id)) {
                warnings.push(w);
            }
        }
        let now = now_unix();
        let a = &mut self.body.accounts[index];
        a.issuer = issuer;
        a.account = name;
        a.environment = environment;
        if let Some(params) = edit.params {
            a.params = params;
        }
        if let Some(note) = edit.note {
            a.note = note;
        }
        if let Some(secret) = edit.secret {
            if secret != a.secret {
                a.previous_secret = Some(std::mem::replace(&mut a.secret, secret));
                a.key_changed_at = Some(now);
            }
        }
        a.updated_at = now;
        Ok(warnings)
    }

    /// Sets issuer and account name (see [`Vault::edit`] for the rules).
    pub fn rename(&mut self, id: Uuid, issuer: &str, account: &str) -> Result<(), VaultError> {
        self.edit(
            id,
            AccountEdit {
                issuer: Some(issuer.into()),
                account: Some(account.into()),
                ..Default::default()
            },
        )
        .map(|_| ())
    }

    /// Moves an account to the trash (recoverable with [`Vault::restore`]).
    pub fn remove(&mut self, id: Uuid) -> Result<(), VaultError> {
        self.index_of(id)?;
        self.move_to_trash(id, TrashReason::Removed, now_unix());
        self.renumber();
        Ok(())
    }

    /// Mutable access for the sibling modules that add account features (re-enrolment, recovery
    /// codes); they keep the vault's rules themselves.
    pub(super) fn account_mut(&mut self, id: Uuid) -> Result<&mut Account, VaultError> {
        let index = self.index_of(id)?;
        Ok(&mut self.body.accounts[index])
    }

    /// Puts an account that is not in the list (e.g. a replaced key kept as its own account) in the trash.
    pub(super) fn push_to_trash(&mut self, account: Account, reason: TrashReason, now: u64) {
        self.body.trash.push(TrashedAccount {
            account,
            trashed_at: now,
            reason,
            extra: Extra::default(),
        });
    }

    fn move_to_trash(&mut self, id: Uuid, reason: TrashReason, now: u64) {
        if let Some(i) = self.body.accounts.iter().position(|a| a.id == id) {
            let account = self.body.accounts.remove(i);
            self.body.trash.push(TrashedAccount {
                account,
                trashed_at: now,
                reason,
                extra: Extra::default(),
            });
        }
    }

    /// Accounts removed or replaced, oldest first.
    pub fn trash(&self) -> &[TrashedAccount] {
        &self.body.trash
    }

    /// Brings an account back from the trash, at the end of the list. If an account with the same
    /// issuer, account name and environment exists by now, both are kept (the restored one is renamed).
    pub fn restore(&mut self, id: Uuid) -> Result<AddOutcome, VaultError> {
        let i = self
            .body
            .trash
            .iter()
            .position(|t| t.account.id == id)
            .ok_or(VaultError::NotInTrash(id))?;
        let mut account = self.body.trash.remove(i).account;
        let mut warnings = Vec::new();
        if !self
            .duplicates_of(&account.issuer, &account.account, &account.environment)
            .is_empty()
        {
            account.account = self.distinct_account_name(&account);
            warnings.push(AddWarning::Renamed {
                account: account.account.clone(),
            });
        }
        if let Some(w) = self.same_secret_warning(&account.secret, None) {
            warnings.insert(0, w);
        }
        account.updated_at = now_unix();
        self.body.accounts.push(account);
        self.renumber();
        Ok(AddOutcome { id, warnings })
    }

    /// Deletes an account from the trash for good.
    pub fn purge(&mut self, id: Uuid) -> Result<(), VaultError> {
        let i = self
            .body
            .trash
            .iter()
            .position(|t| t.account.id == id)
            .ok_or(VaultError::NotInTrash(id))?;
        self.body.trash.remove(i);
        self.forget_previous = true;
        Ok(())
    }

    /// Sets the display order: `ids` must name every account exactly once.
    pub fn reorder(&mut self, ids: &[Uuid]) -> Result<(), VaultError> {
        if ids.len() != self.body.accounts.len() {
            return Err(VaultError::BadOrder(format!(
                "{} ids given for {} accounts",
                ids.len(),
                self.body.accounts.len()
            )));
        }
        let mut reordered = Vec::with_capacity(ids.len());
        let mut remaining: Vec<Option<Account>> = self.body.accounts.drain(..).map(Some).collect();
        for id in ids {
            match remaining
                .iter_mut()
                .find(|a| a.as_ref().is_some_and(|a| a.id == *id))
            {
                Some(slot) => reordered.push(slot.take().unwrap()),
                None => {
                    // Put everything back as it was before reporting.
                    self.body.accounts = reordered
                        .into_iter()
                        .chain(remaining.into_iter().flatten())
                        .collect();
                    self.body.accounts.sort_by_key(|a| a.position);
                    return Err(VaultError::BadOrder(format!("{id} is unknown or repeated")));
                }
            }
        }
        self.body.accounts = reordered;
        self.renumber();
        Ok(())
    }

    /// Moves one account to `position` (clamped to the end), shifting the others.
    pub fn move_account(&mut self, id: Uuid, position: usize) -> Result<(), VaultError> {
        let i = self.index_of(id)?;
        let account = self.body.accounts.remove(i);
        let position = position.min(self.body.accounts.len());
        self.body.accounts.insert(position, account);
        self.renumber();
        Ok(())
    }

    /// Makes `position` match the list order (the list order is the truth in memory).
    fn renumber(&mut self) {
        for (i, a) in self.body.accounts.iter_mut().enumerate() {
            a.position = i as u32;
        }
    }

    /// Accounts matching `query`, optionally only in `environment` (`Some(&Environment::None)` means
    /// accounts without an environment). Matching ignores case: a full id or an id prefix of at least 4
    /// characters; else exact issuer, account name or "issuer:account"; else (only if nothing matched
    /// exactly) a substring of those. An empty query matches every account.
    pub fn find(&self, query: &str, environment: Option<&Environment>) -> Vec<&Account> {
        let q = fold(query);
        let pool: Vec<&Account> = self
            .body
            .accounts
            .iter()
            .filter(|a| environment.is_none_or(|e| a.environment == *e))
            .collect();
        if q.is_empty() {
            return pool;
        }
        if q.len() >= 4 && q.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let by_id: Vec<&Account> = pool
                .iter()
                .copied()
                .filter(|a| a.id.to_string().starts_with(&q))
                .collect();
            if !by_id.is_empty() {
                return by_id;
            }
        }
        let combined = |a: &Account| fold(&format!("{}:{}", a.issuer, a.account));
        let exact: Vec<&Account> = pool
            .iter()
            .copied()
            .filter(|a| fold(&a.issuer) == q || fold(&a.account) == q || combined(a) == q)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        pool.into_iter()
            .filter(|a| combined(a).contains(&q))
            .collect()
    }

    /// The current code of an account (for HOTP: the code for the stored counter; see [`Vault::next_hotp`]).
    pub fn code(&self, id: Uuid, unix_seconds: u64) -> Result<Code, VaultError> {
        let a = self.account(id).ok_or(VaultError::UnknownAccount(id))?;
        let generator = a
            .to_entry()
            .generator()
            .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        Ok(generator.code_at(unix_seconds))
    }

    /// HOTP: the code for the current counter, then advances the counter (save afterwards so a code is
    /// never shown twice).
    pub fn next_hotp(&mut self, id: Uuid) -> Result<Code, VaultError> {
        let code = self.code(id, 0)?;
        let i = self.index_of(id)?;
        let a = &mut self.body.accounts[i];
        a.params.counter = a.params.counter.wrapping_add(1);
        a.updated_at = now_unix();
        Ok(code)
    }

    /// App settings kept inside the encryption (free-form JSON object).
    pub fn settings(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.body.settings.0
    }

    pub fn settings_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
        &mut self.body.settings.0
    }

    // ----- unlock methods -----

    /// Adds a password slot, or replaces the existing one (no old password asked: the vault is open).
    pub fn set_password(&mut self, password: Password, kdf: KdfParams) -> Result<(), VaultError> {
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let (slot, slot_key) = PasswordSlot::create_with_slot_key(
            password.as_str().as_bytes(),
            kdf,
            &self.key,
            &self.id,
        )
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
        self.slots.retain(|s| !matches!(s, Slot::Password(_)));
        self.slots.push(Slot::Password(slot));
        self.password_slot_key = Some(slot_key);
        // A new vault key: an old copy of the file plus the old password opens nothing newer.
        self.rotate_key()
    }

    /// Checks `old` against the password slot, then sets `new` with the same KDF cost. The vault key
    /// is rotated; the next save re-seals the `.bak` under the new key, so the old password opens no
    /// file Tessera keeps.
    pub fn change_password(&mut self, old: &Password, new: Password) -> Result<(), VaultError> {
        let slot = self
            .slots
            .iter()
            .find_map(|s| match s {
                Slot::Password(p) => Some(p.clone()),
                _ => None,
            })
            .ok_or(VaultError::NoPasswordSlot)?;
        slot.open(old.as_str().as_bytes(), &self.id)
            .map_err(|_| VaultError::WrongPassword)?;
        self.set_password(new, slot.kdf)
    }

    /// Removes the password slot; refused when the keychain slot is not there to take over.
    pub fn remove_password(&mut self) -> Result<(), VaultError> {
        if !self.has_keychain() {
            return Err(VaultError::WouldLockOut {
                what: "removing the password",
            });
        }
        self.slots.retain(|s| !matches!(s, Slot::Password(_)));
        self.password_slot_key = None;
        self.rotate_key()
    }

    /// Puts (a new) key for this vault in the system keychain and adds or replaces the keychain slot.
    /// Use it to turn the keychain on, or to repair it after the keychain lost the item.
    pub fn enable_keychain(&mut self) -> Result<(), VaultError> {
        self.require_password_slot_key("turn on the system keychain")?;
        self.store_keychain_slot(self.has_password())?;
        self.delete_keychain_item_after_save = false;
        self.rotate_key()
    }

    /// Removes the keychain slot. Its keychain item is left alone (another copy of the file may use it),
    /// unless this handle created it and never saved it: then it is deleted after the next save.
    pub fn disable_keychain(&mut self) -> Result<(), VaultError> {
        if !self.has_password() {
            return Err(VaultError::WouldLockOut {
                what: "removing the keychain key",
            });
        }
        self.require_password_slot_key("turn off the system keychain")?;
        self.slots.retain(|s| !matches!(s, Slot::Keychain(_)));
        self.keychain_slot_key = None;
        self.delete_keychain_item_after_save = true;
        self.rotate_key()
    }

    /// A new keychain item of its own (a random item id in the slot, review #8), so that turning the
    /// keychain on or off in one copy of a vault never touches another copy's item.
    fn store_keychain_slot(&mut self, has_password: bool) -> Result<(), VaultError> {
        let kc_key = Key256::random();
        let mut item = [0u8; format::ITEM_ID_LEN];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut item);
        let slot = KeychainSlot::create_with_item(&kc_key, &self.key, &self.id, Some(item));
        let user = slot.user(&self.id);
        self.keychain
            .store_key(&user, &kc_key)
            .map_err(|source| VaultError::Keychain {
                source,
                has_password,
            })?;
        if let Some(previous) = self.unsaved_keychain_item.replace(user) {
            let _ = self.keychain.delete_key(&previous);
        }
        self.slots.retain(|s| !matches!(s, Slot::Keychain(_)));
        self.slots.insert(0, Slot::Keychain(slot));
        self.keychain_slot_key = Some(kc_key);
        Ok(())
    }
}

fn info_from(path: &Path, header: &Header) -> VaultInfo {
    VaultInfo {
        path: path.to_path_buf(),
        id: header.vault_id,
        format_version: header.version,
        has_keychain: header.slots.iter().any(|s| matches!(s, Slot::Keychain(_))),
        has_password: header.slots.iter().any(|s| matches!(s, Slot::Password(_))),
        kdf: header.slots.iter().find_map(|s| match s {
            Slot::Password(p) => Some(p.kdf),
            _ => None,
        }),
        keychain_item_user: header.slots.iter().find_map(|s| match s {
            Slot::Keychain(k) => Some(k.user(&header.vault_id)),
            _ => None,
        }),
    }
}

/// The vault key and the slot key that unwrapped it (kept so the vault key can be rotated later).
fn unlock_key(
    header: &Header,
    unlock: &Unlock,
    keychain: &Keychain,
) -> Result<(Key256, Key256), VaultError> {
    let has_password = header.slots.iter().any(|s| matches!(s, Slot::Password(_)));
    match unlock {
        Unlock::Keychain => {
            let slot = header
                .slots
                .iter()
                .find_map(|s| match s {
                    Slot::Keychain(k) => Some(k),
                    _ => None,
                })
                .ok_or(VaultError::NoKeychainSlot)?;
            let kc_key = keychain
                .load_key(&slot.user(&header.vault_id))
                .map_err(|source| VaultError::Keychain {
                    source,
                    has_password,
                })?;
            let key = slot
                .open(&kc_key, &header.vault_id)
                .map_err(|_| VaultError::KeychainMismatch { has_password })?;
            Ok((key, kc_key))
        }
        Unlock::Password(password) => {
            let mut any = false;
            for slot in &header.slots {
                if let Slot::Password(p) = slot {
                    any = true;
                    match p.open_with_slot_key(password.as_str().as_bytes(), &header.vault_id) {
                        Ok(keys) => return Ok(keys),
                        Err(FormatError::Authentication) => continue,
                        Err(e) => return Err(VaultError::Kdf(e.to_string())),
                    }
                }
            }
            if any {
                Err(VaultError::WrongPassword)
            } else {
                Err(VaultError::NoPasswordSlot)
            }
        }
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[path = "rotation.rs"]
mod rotation;

#[path = "trash.rs"]
mod trash;
pub use trash::TRASH_KEEP_DAYS;

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;

#[path = "reload.rs"]
mod reload;
