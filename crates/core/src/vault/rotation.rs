//! Vault-key rotation (security review finding #3). Every change to the unlock methods (password set,
//! changed or removed; keychain turned on or off) gives the vault a new random key and re-wraps every
//! slot with it; the next save re-seals the previous generation (`.bak`) under the new key in the same
//! crash-safe step. So an old copy of the file (sync history, a stolen disk image) plus an old password
//! or keychain key decrypts only that old copy, never a later vault, and the `.bak` Tessera keeps opens
//! only with the current credentials.
//!
//! A child module of `store`, so it can reach the vault's private fields without widening them.

use super::*;

impl Vault {
    /// A new vault key with every slot re-wrapped. Needs each remaining slot's key: the password slot's
    /// (known after unlocking with the password or [`Vault::confirm_password`]) and the keychain's (known
    /// after unlocking with it, else read from the keychain). Slots of unknown kinds (a newer Tessera's)
    /// wrap the old key and are dropped: they could no longer open the vault.
    pub(super) fn rotate_key(&mut self) -> Result<(), VaultError> {
        let new_key = Key256::random();
        let mut slots = Vec::with_capacity(self.slots.len());
        for slot in &self.slots {
            match slot {
                Slot::Password(p) => {
                    let slot_key =
                        self.password_slot_key
                            .as_ref()
                            .ok_or(VaultError::PasswordNeeded {
                                what: "change how the vault unlocks",
                            })?;
                    slots.push(Slot::Password(p.rewrap(slot_key, &new_key, &self.id)));
                }
                Slot::Keychain(k) => {
                    if self.keychain_slot_key.is_none() {
                        let has_password = self.has_password();
                        let kc_key =
                            self.keychain
                                .load_key(&k.user(&self.id))
                                .map_err(|source| VaultError::Keychain {
                                    source,
                                    has_password,
                                })?;
                        self.keychain_slot_key = Some(kc_key);
                    }
                    let kc_key = self.keychain_slot_key.as_ref().expect("just set");
                    // The same item: the slot's item id is kept.
                    slots.push(Slot::Keychain(KeychainSlot::create_with_item(
                        kc_key, &new_key, &self.id, k.item,
                    )));
                }
                Slot::Unknown { .. } => {}
            }
        }
        self.slots = slots;
        let old = std::mem::replace(&mut self.key, new_key);
        // Rotating twice before a save: the file on disk is still sealed with the first old key.
        if self.sealed_with.is_none() && self.disk_digest.is_some() {
            self.sealed_with = Some(old);
        }
        Ok(())
    }

    /// Checks `password` against this open vault's own password slot (not the file on disk) and
    /// remembers the slot key, so that a later change of unlock methods can re-wrap it.
    pub fn confirm_password(&mut self, password: &Password) -> Result<(), VaultError> {
        self.password_slot_key = Some(self.check_password(password)?);
        Ok(())
    }

    /// Checks `password` against this open vault's password slot and key (not whatever file is at the
    /// path now: review #16); returns the slot key.
    pub fn check_password(&self, password: &Password) -> Result<Key256, VaultError> {
        let slot = self.password_slot()?;
        let (key, slot_key) = match slot.open_with_slot_key(password.as_str().as_bytes(), &self.id)
        {
            Ok(keys) => keys,
            Err(FormatError::Authentication) => return Err(VaultError::WrongPassword),
            Err(e) => return Err(VaultError::Kdf(e.to_string())),
        };
        if key.as_bytes() != self.key.as_bytes() {
            return Err(VaultError::WrongPassword);
        }
        Ok(slot_key)
    }

    /// Whether a change of unlock methods would need the password first ([`Vault::confirm_password`]).
    pub fn needs_password_to_change_unlock(&self) -> bool {
        self.has_password() && self.password_slot_key.is_none()
    }

    pub(super) fn require_password_slot_key(&self, what: &'static str) -> Result<(), VaultError> {
        if self.needs_password_to_change_unlock() {
            Err(VaultError::PasswordNeeded { what })
        } else {
            Ok(())
        }
    }

    /// `on_disk` (sealed with `old_key`) re-sealed with the current header and key; `None` when it does
    /// not decrypt (then no previous generation is kept).
    pub(super) fn reseal(&self, on_disk: &[u8], old_key: &Key256) -> Option<Vec<u8>> {
        let (_, header_len) = Header::parse(on_disk).ok()?;
        let plain = format::open_body(on_disk, header_len, old_key).ok()?;
        let header = Header::new(self.id, self.slots.clone());
        Some(format::seal(&header, &self.key, &plain))
    }
}
