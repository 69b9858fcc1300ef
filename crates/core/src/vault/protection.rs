//! Protection levels: what it takes to open the vault, in the words the app and CLI use.
//!
//! - [`Protection::Password`]: the vault key is held by the password slot only. There is no keychain
//!   slot and no keychain item, so nobody using this computer's login can open it without the password,
//!   not even by restarting the app. Every start and every unlock needs the password.
//! - [`Protection::Keychain`]: a keychain slot opens the vault without a password (a password slot may
//!   stay as a fallback). Anyone using this computer's login can open it; "lock" only hides codes.
//!
//! Switching re-keys the slots in memory and writes them in ONE crash-safe save: a crash leaves either
//! the old slots or the new ones, never a file no slot opens. The keychain item is deleted only after
//! the save without its slot succeeded. (Included from `store.rs` as a child module, so it sees the
//! vault's slots.)

use super::*;

/// What it takes to open the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// Only the app password opens it.
    Password,
    /// This computer's login (the system keychain) opens it without a password.
    Keychain,
}

impl Protection {
    pub fn as_str(self) -> &'static str {
        match self {
            Protection::Password => "password",
            Protection::Keychain => "keychain",
        }
    }
}

impl VaultInfo {
    /// The level the file's slots give (read from the clear header; no key needed).
    pub fn protection(&self) -> Protection {
        if self.has_keychain {
            Protection::Keychain
        } else {
            Protection::Password
        }
    }
}

/// What a level switch (or a password change) may change in memory, so a failed one leaves the open
/// vault as it was ([`Vault::transaction`] puts it back too).
pub(super) struct UnlockState {
    key: Key256,
    slots: Vec<Slot>,
    password_slot_key: Option<Key256>,
    keychain_slot_key: Option<Key256>,
    sealed_with: Option<Key256>,
    delete_keychain_item_after_save: bool,
}

impl Vault {
    pub fn protection(&self) -> Protection {
        if self.has_keychain() {
            Protection::Keychain
        } else {
            Protection::Password
        }
    }

    pub(super) fn unlock_state(&self) -> UnlockState {
        UnlockState {
            key: self.key.clone(),
            slots: self.slots.clone(),
            password_slot_key: self.password_slot_key.clone(),
            keychain_slot_key: self.keychain_slot_key.clone(),
            sealed_with: self.sealed_with.clone(),
            delete_keychain_item_after_save: self.delete_keychain_item_after_save,
        }
    }

    pub(super) fn restore_unlock_state(&mut self, before: UnlockState) {
        self.key = before.key;
        self.slots = before.slots;
        self.password_slot_key = before.password_slot_key;
        self.keychain_slot_key = before.keychain_slot_key;
        self.sealed_with = before.sealed_with;
        self.delete_keychain_item_after_save = before.delete_keychain_item_after_save;
    }

    /// Switches to the password level and saves. `password` sets (or replaces) the app password; with
    /// `None` the existing password slot must be there (and confirmed with [`Vault::confirm_password`]
    /// unless the vault was opened with it). The keychain slot goes and the vault key is rotated, so the
    /// keychain's key opens nothing any more (not the file, not its `.bak`). On any error nothing
    /// changed, in memory or on disk.
    pub fn protect_with_password(
        &mut self,
        password: Option<Password>,
        kdf: KdfParams,
    ) -> Result<(), VaultError> {
        self.protect_with_password_using(password, kdf, &mut |file, data| file.write_all(data))
    }

    /// [`Vault::protect_with_password`] with the writer the save uses (tests: a write killed half-way).
    pub(crate) fn protect_with_password_using(
        &mut self,
        password: Option<Password>,
        kdf: KdfParams,
        write: &mut dyn FnMut(&mut std::fs::File, &[u8]) -> io::Result<()>,
    ) -> Result<(), VaultError> {
        let before = self.unlock_state();
        let result = (|| {
            match password {
                Some(p) => self.set_password(p, kdf)?,
                None if self.has_password() => {}
                None => return Err(VaultError::NoPasswordSlot),
            }
            if self.has_keychain() {
                self.disable_keychain()?;
            }
            // One save: the new slots and the re-sealed `.bak` land together, or not at all.
            self.save_with(write)
        })();
        if result.is_err() {
            self.restore_unlock_state(before);
        }
        result
    }

    /// Switches to the keychain level and saves: a new keychain item and slot (the password slot, if
    /// any, stays as the way in when the keychain is unavailable). On any error nothing changed on disk
    /// or in memory.
    pub fn protect_with_keychain(&mut self) -> Result<(), VaultError> {
        let before = self.unlock_state();
        let result = self.enable_keychain().and_then(|()| self.save());
        if result.is_err() {
            self.restore_unlock_state(before);
        }
        result
    }

    /// A quick-unlock PIN for this running app: the vault key wrapped by `pin` (Argon2id with `kdf`),
    /// kept in memory only, never written. See [`QuickUnlock`].
    pub fn quick_unlock(&self, pin: &str, kdf: KdfParams) -> Result<QuickUnlock, VaultError> {
        if pin.len() < QuickUnlock::MIN_DIGITS || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VaultError::InvalidAccount(format!(
                "the PIN must be at least {} digits (numbers only)",
                QuickUnlock::MIN_DIGITS
            )));
        }
        let slot = PasswordSlot::create(pin.as_bytes(), kdf, &self.key, &self.id)
            .map_err(|e| VaultError::Kdf(e.to_string()))?;
        Ok(QuickUnlock {
            vault_id: self.id,
            slot,
            tries_left: QuickUnlock::TRIES,
        })
    }
}

/// The quick-unlock PIN of a running app: the vault key wrapped by the PIN, in memory only (gone at
/// quit). Three wrong PINs and it is gone too, so the full password is needed again.
pub struct QuickUnlock {
    vault_id: Uuid,
    slot: PasswordSlot,
    tries_left: u8,
}

impl QuickUnlock {
    pub const MIN_DIGITS: usize = 6;
    pub const TRIES: u8 = 3;

    pub fn tries_left(&self) -> u8 {
        self.tries_left
    }

    /// Opens the vault file at `path` with `pin`. A wrong PIN uses up a try; once none are left the
    /// caller must drop this (`tries_left() == 0`) and ask for the password.
    pub fn open(&mut self, path: &Path, pin: &str) -> Result<Vault, VaultError> {
        if self.tries_left == 0 {
            return Err(VaultError::WrongPassword);
        }
        let bytes = read_vault_file(path)?;
        let (header, header_len) = Header::parse(&bytes).map_err(|e| map_format_error(path, e))?;
        if header.vault_id != self.vault_id {
            return Err(VaultError::KeychainMismatch { has_password: true });
        }
        let key = match self.slot.open(pin.as_bytes(), &self.vault_id) {
            Ok(key) => key,
            Err(_) => {
                self.tries_left -= 1;
                return Err(VaultError::WrongPassword);
            }
        };
        self.tries_left = Self::TRIES;
        Vault::decrypt(path, &bytes, header, header_len, key, Keychain::system())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap_vault() -> (tempfile::TempDir, PathBuf, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tessera");
        let vault =
            Vault::create(&path, CreateOptions::insecure_for_tests("first password")).unwrap();
        (dir, path, vault)
    }

    #[test]
    fn a_pin_opens_the_vault_until_three_wrong_tries() {
        let (_d, path, vault) = cheap_vault();
        assert!(vault
            .quick_unlock("12345", KdfParams::insecure_for_tests())
            .is_err());
        assert!(vault
            .quick_unlock("12345a", KdfParams::insecure_for_tests())
            .is_err());
        let mut quick = vault
            .quick_unlock("246810", KdfParams::insecure_for_tests())
            .unwrap();
        drop(vault);
        assert_eq!(quick.open(&path, "246810").unwrap().accounts().len(), 0);
        assert!(matches!(
            quick.open(&path, "111111"),
            Err(VaultError::WrongPassword)
        ));
        assert!(matches!(
            quick.open(&path, "222222"),
            Err(VaultError::WrongPassword)
        ));
        assert_eq!(quick.tries_left(), 1);
        assert!(
            quick.open(&path, "246810").is_ok(),
            "a right PIN resets the count"
        );
        for _ in 0..3 {
            assert!(quick.open(&path, "000000").is_err());
        }
        assert_eq!(quick.tries_left(), 0);
        assert!(
            quick.open(&path, "246810").is_err(),
            "no tries left: the password is needed"
        );
    }

    #[test]
    fn password_level_changes_the_password_in_one_save() {
        let (_d, path, mut vault) = cheap_vault();
        assert_eq!(vault.protection(), Protection::Password);
        vault
            .protect_with_password(
                Some("second password".into()),
                KdfParams::insecure_for_tests(),
            )
            .unwrap();
        let info = Vault::inspect(&path).unwrap();
        assert_eq!(info.protection(), Protection::Password);
        assert!(Vault::open(&path, Unlock::Password("second password".into())).is_ok());
        assert!(matches!(
            Vault::open(&path, Unlock::Password("first password".into())),
            Err(VaultError::WrongPassword)
        ));
        assert!(Vault::open(&path, Unlock::Keychain).is_err());
    }

    #[test]
    fn password_level_without_a_password_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tessera");
        let mut vault = cheap_vault().2;
        vault.slots.retain(|s| !matches!(s, Slot::Password(_)));
        vault.path = path;
        let before = vault.slots.len();
        assert!(matches!(
            vault.protect_with_password(None, KdfParams::insecure_for_tests()),
            Err(VaultError::NoPasswordSlot)
        ));
        assert_eq!(vault.slots.len(), before);
    }

    /// A save that dies half-way (the process killed mid-write) leaves the old file, which still
    /// opens with the old password; memory is rolled back too.
    #[test]
    fn an_interrupted_switch_leaves_a_vault_the_old_slots_open() {
        let (_d, path, mut vault) = cheap_vault();
        let err = vault.protect_with_password_using(
            Some("second password".into()),
            KdfParams::insecure_for_tests(),
            &mut |file, data| {
                file.write_all(&data[..data.len() / 2])?;
                Err(io::Error::other("killed"))
            },
        );
        assert!(err.is_err());
        assert!(Vault::open(&path, Unlock::Password("first password".into())).is_ok());
        assert!(Vault::open(&path, Unlock::Password("second password".into())).is_err());
        // Memory was rolled back: a later save writes the old slots.
        vault.save().unwrap();
        assert!(Vault::open(&path, Unlock::Password("first password".into())).is_ok());
    }
}
