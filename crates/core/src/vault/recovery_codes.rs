//! Recovery codes stored on vault accounts (see [`crate::recovery`] for parsing and counting). They sit
//! in the encrypted body like the secrets; nothing here prints or lists them: revealing is a separate,
//! explicit call ([`Vault::recovery_codes`]) that the CLI and the app guard with the app password.

use super::store::{Password, Vault};
use super::VaultError;
use crate::recovery::{RecoveryCodes, RecoveryError, RecoveryStatus};
use crate::time::now_unix;
use thiserror::Error;
use uuid::Uuid;
use zeroize::Zeroizing;

#[derive(Debug, Error)]
pub enum RecoveryStoreError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Recovery(#[from] RecoveryError),
    #[error("the vault password is needed to show recovery codes")]
    PasswordNeeded,
    #[error("wrong password; the recovery codes stay hidden")]
    WrongPassword,
    #[error("{label} already has {remaining} unused recovery codes; replace them (when the service issued a new set, the old codes no longer work) or add to them")]
    WouldReplace { label: String, remaining: usize },
}

/// What to do with codes already stored when new ones are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StoreMode {
    /// Refuse when unused codes are stored (the default: never drop codes silently).
    #[default]
    Refuse,
    /// A new set from the service: the old codes are dropped.
    Replace,
    /// More codes of the same set: kept alongside, duplicates skipped.
    Append,
}

impl Vault {
    /// Stores recovery codes on an account. Returns how many codes are now stored and left.
    pub fn store_recovery_codes(
        &mut self,
        id: Uuid,
        codes: Vec<String>,
        mode: StoreMode,
    ) -> Result<RecoveryStatus, RecoveryStoreError> {
        if codes.is_empty() {
            return Err(RecoveryError::NoneFound.into());
        }
        let now = now_unix();
        let account = self.account_mut(id)?;
        let remaining = account.recovery.remaining();
        match mode {
            StoreMode::Refuse if remaining > 0 => {
                return Err(RecoveryStoreError::WouldReplace {
                    label: account.label(),
                    remaining,
                })
            }
            StoreMode::Refuse | StoreMode::Replace => {
                account.recovery = RecoveryCodes::from_codes(codes, now)
            }
            StoreMode::Append => {
                account.recovery.append(codes, now);
            }
        }
        account.updated_at = now;
        Ok(account.recovery.status())
    }

    /// How many codes an account has and has left; safe to show anywhere.
    pub fn recovery_status(&self, id: Uuid) -> Result<RecoveryStatus, RecoveryStoreError> {
        let account = self.account(id).ok_or(VaultError::UnknownAccount(id))?;
        Ok(account.recovery.status())
    }

    /// The codes themselves. Callers reveal them only on an explicit request, after re-authentication
    /// when the vault has a password.
    pub fn recovery_codes(&self, id: Uuid) -> Result<&RecoveryCodes, RecoveryStoreError> {
        let account = self.account(id).ok_or(VaultError::UnknownAccount(id))?;
        Ok(&account.recovery)
    }

    /// The codes, for showing them: when the vault has a password, it must be given and right, even if
    /// the vault was unlocked with the keychain (a person at an unlocked computer is not enough).
    pub fn reveal_recovery_codes(
        &self,
        id: Uuid,
        password: Option<&Password>,
    ) -> Result<&RecoveryCodes, RecoveryStoreError> {
        let codes = self.recovery_codes(id)?;
        if self.has_password() {
            let password = password.ok_or(RecoveryStoreError::PasswordNeeded)?;
            // Checked against this open vault's own password slot and key (the same Argon2id work as
            // unlocking), not against whatever file is at the path now (review #16).
            match self.check_password(password) {
                Ok(_) => {}
                Err(VaultError::WrongPassword) => return Err(RecoveryStoreError::WrongPassword),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(codes)
    }

    /// Marks a code used (the given one, or the first unused) and returns it to be copied.
    pub fn use_recovery_code(
        &mut self,
        id: Uuid,
        code: Option<&str>,
    ) -> Result<(Zeroizing<String>, RecoveryStatus), RecoveryStoreError> {
        let now = now_unix();
        let account = self.account_mut(id)?;
        let used = Zeroizing::new(account.recovery.use_code(code, now)?.code.clone());
        account.updated_at = now;
        Ok((used, account.recovery.status()))
    }

    /// Undoes "mark used" for the code at `index` (0-based, in stored order).
    pub fn unuse_recovery_code(
        &mut self,
        id: Uuid,
        index: usize,
    ) -> Result<RecoveryStatus, RecoveryStoreError> {
        let now = now_unix();
        let account = self.account_mut(id)?;
        if account.recovery.unuse(index) {
            account.updated_at = now;
        }
        Ok(account.recovery.status())
    }

    /// Drops all recovery codes of an account.
    pub fn clear_recovery_codes(&mut self, id: Uuid) -> Result<usize, RecoveryStoreError> {
        let account = self.account_mut(id)?;
        let n = account.recovery.total();
        account.recovery = RecoveryCodes::default();
        account.updated_at = now_unix();
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::store::tests::{new, secret, temp_vault_with};
    use crate::vault::{Environment, Unlock};

    fn vault() -> (tempfile::TempDir, std::path::PathBuf, Vault, Uuid) {
        let account = new("NHS Mail", "me", Environment::Sandpit, "JBSWY3DPEHPK3PXP");
        temp_vault_with("pw", account)
    }

    fn codes(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{:04} {:04}", 1000 + i, 9000 + i))
            .collect()
    }

    #[test]
    fn store_use_and_round_trip_through_the_encrypted_file() {
        let (_d, path, mut v, id) = vault();
        assert_eq!(v.recovery_status(id).unwrap().total, 0);
        let status = v
            .store_recovery_codes(id, codes(10), StoreMode::Refuse)
            .unwrap();
        assert_eq!((status.total, status.remaining), (10, 10));
        let (used, status) = v.use_recovery_code(id, None).unwrap();
        assert_eq!((used.as_str(), status.remaining), ("1000 9000", 9));
        v.use_recovery_code(id, Some("10059005")).unwrap();
        v.save().unwrap();

        // Not in clear on disk.
        let bytes = std::fs::read(&path).unwrap();
        for c in ["1000 9000", "10009000", "1009 9009"] {
            assert!(!String::from_utf8_lossy(&bytes).contains(c));
        }
        let mut v = Vault::open(&path, Unlock::Password("pw".into())).unwrap();
        let stored = v.recovery_codes(id).unwrap();
        assert_eq!(stored.summary(), "8 of 10 left");
        assert!(stored.codes[0].used_at.is_some() && stored.codes[5].used_at.is_some());
        assert!(stored.codes[1].used_at.is_none());
        // The portable entry (URIs, exports) never carries them; Debug shows counts only.
        let account = v.account(id).unwrap();
        assert!(!format!("{:?} {:?}", account, account.to_entry()).contains("1001"));
        assert!(format!("{account:?}").contains("8 of 10 left"));
        // Replacing needs a choice.
        assert!(matches!(
            v.store_recovery_codes(id, codes(2), StoreMode::Refuse),
            Err(RecoveryStoreError::WouldReplace { remaining: 8, .. })
        ));
        v.store_recovery_codes(
            id,
            vec!["5555 6666".into(), "1001-9001".into()],
            StoreMode::Append,
        )
        .unwrap();
        assert_eq!(v.recovery_status(id).unwrap().total, 11);
        v.store_recovery_codes(id, codes(3), StoreMode::Replace)
            .unwrap();
        assert_eq!(v.recovery_status(id).unwrap().total, 3);
        assert_eq!(v.clear_recovery_codes(id).unwrap(), 3);
        assert!(matches!(
            v.use_recovery_code(id, None),
            Err(RecoveryStoreError::Recovery(RecoveryError::NoneStored))
        ));
        // Searching by a code finds nothing.
        v.store_recovery_codes(id, codes(3), StoreMode::Replace)
            .unwrap();
        assert!(v.find("1000 9000", None).is_empty());
        assert!(v.find("10009000", None).is_empty());
    }

    #[test]
    fn revealing_needs_the_password_when_there_is_one() {
        let (_d, _path, mut v, id) = vault();
        v.store_recovery_codes(id, codes(2), StoreMode::Refuse)
            .unwrap();
        v.save().unwrap();
        assert!(matches!(
            v.reveal_recovery_codes(id, None),
            Err(RecoveryStoreError::PasswordNeeded)
        ));
        assert!(matches!(
            v.reveal_recovery_codes(id, Some(&"wrong".into())),
            Err(RecoveryStoreError::WrongPassword)
        ));
        assert_eq!(
            v.reveal_recovery_codes(id, Some(&"pw".into()))
                .unwrap()
                .total(),
            2
        );
    }

    #[test]
    fn tessera_backups_carry_recovery_codes_and_the_previous_key() {
        use crate::backup::{content, BackupKdf, BackupOptions};
        let (_d, _path, mut v, id) = vault();
        v.store_recovery_codes(id, codes(4), StoreMode::Refuse)
            .unwrap();
        v.use_recovery_code(id, None).unwrap();
        let new_key = secret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        v.replace_key(id, new_key, None).unwrap();
        let options = BackupOptions {
            include_trash: false,
            kdf: BackupKdf::insecure_for_tests(),
        };
        let password = "a long backup passphrase 42";
        let bytes = content::seal_vault(&v, password, options).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("1001 9001"));
        let back = content::open(&bytes, password).unwrap();
        let a = back.accounts.iter().find(|a| a.id == id).unwrap();
        assert_eq!(a.recovery, *v.recovery_codes(id).unwrap());
        assert_eq!(a.recovery.summary(), "3 of 4 left");
        assert!(a.has_previous_key());
    }

    #[test]
    fn older_vault_bodies_without_the_field_still_load() {
        // An account as written before recovery codes existed: no `recovery`, no `previous_params`.
        let json = r#"{"id":"7a0ee6c4-6a47-4d3b-9f5a-0b3f6f0b2c11","secret":"JBSWY3DPEHPK3PXP",
            "params":{"kind":"totp","algorithm":"SHA1","digits":6,"period":30,"counter":0}}"#;
        let a: crate::vault::Account = serde_json::from_str(json).unwrap();
        assert!(a.recovery.is_empty() && a.previous_params.is_none());
        // And an account without codes writes no `recovery` field, so older versions see no change.
        let back = serde_json::to_value(&a).unwrap();
        assert!(back.get("recovery").is_none() && back.get("previous_params").is_none());
    }
}
