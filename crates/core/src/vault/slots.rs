//! The unlock methods of an open vault: the password slot and the keychain slot. Every change gives
//! the vault a new key (see `rotation.rs`). (Included from `store.rs` as a child module.)

use super::*;

impl Vault {
    /// A copy of the password slot (the caller may change the slots while using it).
    pub(super) fn password_slot(&self) -> Result<PasswordSlot, VaultError> {
        self.slots
            .iter()
            .find_map(|s| match s {
                Slot::Password(p) => Some(p.clone()),
                _ => None,
            })
            .ok_or(VaultError::NoPasswordSlot)
    }

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
        let slot = self.password_slot()?;
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
    pub(super) fn store_keychain_slot(&mut self, has_password: bool) -> Result<(), VaultError> {
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
