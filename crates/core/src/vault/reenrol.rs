//! Re-enrolment ("replace key"): after an administrator resets someone's MFA, the service shows a new
//! QR code. The account keeps its issuer, name, environment, note and recovery codes and takes the new
//! key; the old key stays available, marked *previous key*, until the user confirms that the service
//! accepted a code from the new one. Then the previous key goes to the trash (restorable), not oblivion.
//! If the new key turns out wrong, [`Vault::revert_key`] brings the previous one back.

use super::account::{Account, Extra, TrashReason};
use super::store::Vault;
use super::VaultError;
use crate::otp::{Code, Generator, OtpParams};
use crate::secret::Secret;
use crate::time::now_unix;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Error)]
pub enum RekeyError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("{label} has no previous key waiting for confirmation")]
    NoPreviousKey { label: String },
    #[error("that is the key {label} already has; nothing was changed")]
    SameKey { label: String },
    #[error("invalid code settings: {0}")]
    InvalidParams(String),
}

/// What a key replacement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RekeyOutcome {
    /// Other accounts that already hold the new key (perhaps the same account twice).
    pub same_secret_as: Vec<String>,
    /// A key that was itself waiting for confirmation and was replaced again: moved to the trash
    /// under this id (the original previous key stays the previous key).
    pub unconfirmed_key_trashed: Option<Uuid>,
}

/// The previous key of an account, while it waits for confirmation.
pub struct PreviousKey<'a> {
    pub secret: &'a Secret,
    pub params: OtpParams,
    /// When the key was replaced (Unix seconds).
    pub replaced_at: Option<u64>,
}

impl Account {
    /// True while a replaced key is kept, waiting for the user to confirm the new one.
    pub fn has_previous_key(&self) -> bool {
        self.previous_secret.is_some()
    }

    pub fn previous_key(&self) -> Option<PreviousKey<'_>> {
        self.previous_secret.as_ref().map(|secret| PreviousKey {
            secret,
            params: self.previous_params.unwrap_or(self.params),
            replaced_at: self.key_changed_at,
        })
    }

    /// A copy of this account holding only its previous key, for the trash: new id, no recovery codes
    /// (those stay with the live account), a note saying what it is.
    fn previous_key_copy(&self, now: u64) -> Option<Account> {
        let previous = self.previous_secret.clone()?;
        let mut copy = self.clone();
        copy.id = Uuid::new_v4();
        copy.secret = previous;
        copy.params = self.previous_params.unwrap_or(self.params);
        copy.previous_secret = None;
        copy.previous_params = None;
        copy.key_changed_at = None;
        copy.recovery = Default::default();
        copy.extra = Extra::default();
        copy.updated_at = now;
        copy.note = if self.note.is_empty() {
            format!("Previous key of {}", self.label())
        } else {
            format!("Previous key of {}. {}", self.label(), self.note)
        };
        Some(copy)
    }
}

impl Vault {
    /// Replaces an account's key (and, when the new QR code says so, its code settings). The old key is
    /// kept as the previous key until [`Vault::confirm_key`]. Replacing again before confirming keeps
    /// the original previous key and moves the unconfirmed one to the trash.
    pub fn replace_key(
        &mut self,
        id: Uuid,
        secret: Secret,
        params: Option<OtpParams>,
    ) -> Result<RekeyOutcome, RekeyError> {
        if let Some(p) = &params {
            p.validate()
                .map_err(|e| RekeyError::InvalidParams(e.to_string()))?;
        }
        let now = now_unix();
        let same_secret_as: Vec<String> = self
            .accounts()
            .iter()
            .filter(|a| a.id != id && a.secret == secret)
            .map(|a| a.label())
            .collect();
        let account = self.account_mut(id)?;
        let new_params = params.unwrap_or(account.params);
        if account.secret == secret && account.params == new_params {
            return Err(RekeyError::SameKey {
                label: account.label(),
            });
        }
        let mut unconfirmed = None;
        let old_secret = std::mem::replace(&mut account.secret, secret);
        let old_params = std::mem::replace(&mut account.params, new_params);
        if account.previous_secret.is_some() {
            // The key being replaced was never confirmed: keep the original previous key, trash this one.
            let mut copy = account.clone();
            copy.id = Uuid::new_v4();
            copy.secret = old_secret;
            copy.params = old_params;
            copy.previous_secret = None;
            copy.previous_params = None;
            copy.key_changed_at = None;
            copy.recovery = Default::default();
            copy.extra = Extra::default();
            copy.note = format!("Unconfirmed key of {}", account.label());
            unconfirmed = Some(copy);
        } else {
            account.previous_secret = Some(old_secret);
            account.previous_params = (old_params != new_params).then_some(old_params);
        }
        account.key_changed_at = Some(now);
        account.updated_at = now;
        let unconfirmed_key_trashed = unconfirmed.map(|copy| {
            let copy_id = copy.id;
            self.push_to_trash(copy, TrashReason::Replaced { by: id }, now);
            copy_id
        });
        Ok(RekeyOutcome {
            same_secret_as,
            unconfirmed_key_trashed,
        })
    }

    /// The service accepted a code from the new key: the previous key goes to the trash (as an account
    /// of its own, restorable). Returns the id it has there.
    pub fn confirm_key(&mut self, id: Uuid) -> Result<Uuid, RekeyError> {
        let now = now_unix();
        let account = self.account_mut(id)?;
        let copy = account
            .previous_key_copy(now)
            .ok_or_else(|| RekeyError::NoPreviousKey {
                label: account.label(),
            })?;
        account.previous_secret = None;
        account.previous_params = None;
        account.updated_at = now;
        let trashed = copy.id;
        self.push_to_trash(copy, TrashReason::Replaced { by: id }, now);
        Ok(trashed)
    }

    /// The new key does not work: bring the previous key back. The rejected key goes to the trash.
    pub fn revert_key(&mut self, id: Uuid) -> Result<Uuid, RekeyError> {
        let now = now_unix();
        let account = self.account_mut(id)?;
        let previous = account
            .previous_secret
            .take()
            .ok_or_else(|| RekeyError::NoPreviousKey {
                label: account.label(),
            })?;
        let previous_params = account.previous_params.take().unwrap_or(account.params);
        let mut rejected = account.clone();
        rejected.id = Uuid::new_v4();
        rejected.recovery = Default::default();
        rejected.extra = Extra::default();
        rejected.key_changed_at = None;
        rejected.note = format!("Rejected new key of {}", account.label());
        account.secret = previous;
        account.params = previous_params;
        account.updated_at = now;
        let rejected_id = rejected.id;
        self.push_to_trash(rejected, TrashReason::Replaced { by: id }, now);
        Ok(rejected_id)
    }

    /// The code of the previous key at `unix_seconds`, while one is kept.
    pub fn previous_code(&self, id: Uuid, unix_seconds: u64) -> Result<Option<Code>, RekeyError> {
        let account = self.account(id).ok_or(VaultError::UnknownAccount(id))?;
        let Some(previous) = account.previous_key() else {
            return Ok(None);
        };
        let generator = Generator::new(previous.secret, previous.params)
            .map_err(|e| RekeyError::InvalidParams(e.to_string()))?;
        Ok(Some(generator.code_at(unix_seconds)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::store::tests::{new, secret, temp_vault_with};
    use crate::vault::{DuplicatePolicy, Environment, NewAccount, Unlock};
    use std::path::PathBuf;

    const OLD: &str = "JBSWY3DPEHPK3PXP";
    const NEW: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const T: u64 = 1_795_386_615;

    fn vault_with_account() -> (tempfile::TempDir, PathBuf, Vault, Uuid) {
        let account = NewAccount {
            note: "ward 7".into(),
            ..new("NHS Mail", "a.clinician@nhs.net", Environment::Live, OLD)
        };
        temp_vault_with("pw", account)
    }

    fn code(secret_b32: &str, params: OtpParams) -> String {
        Generator::new(&secret(secret_b32), params)
            .unwrap()
            .code_at(T)
            .value
    }

    #[test]
    fn keeps_the_old_key_until_confirmed_and_survives_save_and_open() {
        let (_d, path, mut v, id) = vault_with_account();
        v.store_recovery_codes(id, vec!["1234 5678".into()], Default::default())
            .unwrap();
        let eight = OtpParams {
            digits: 8,
            ..OtpParams::totp()
        };
        let outcome = v.replace_key(id, secret(NEW), Some(eight)).unwrap();
        assert!(outcome.same_secret_as.is_empty() && outcome.unconfirmed_key_trashed.is_none());
        v.save().unwrap();

        // Reopen: new key in use, previous key kept with its own settings, nothing in the trash yet.
        let mut v = Vault::open(&path, Unlock::Password("pw".into())).unwrap();
        let a = v.account(id).unwrap();
        assert_eq!(
            (a.issuer.as_str(), a.account.as_str(), a.note.as_str()),
            ("NHS Mail", "a.clinician@nhs.net", "ward 7")
        );
        assert_eq!(a.environment, Environment::Live);
        assert_eq!(
            a.recovery.total(),
            1,
            "recovery codes stay with the account"
        );
        assert!(a.has_previous_key());
        assert!(a.key_changed_at.is_some_and(|t| t > 1_700_000_000));
        assert_eq!(v.code(id, T).unwrap().value, code(NEW, eight));
        assert_eq!(
            v.previous_code(id, T).unwrap().unwrap().value,
            code(OLD, OtpParams::totp())
        );
        assert!(v.trash().is_empty());

        // Confirm: the previous key becomes a trashed account of its own, restorable.
        let trashed = v.confirm_key(id).unwrap();
        assert!(!v.account(id).unwrap().has_previous_key());
        assert_eq!(v.previous_code(id, T).unwrap(), None);
        let t = &v.trash()[0];
        assert_eq!(t.account.id, trashed);
        assert_eq!(t.reason, TrashReason::Replaced { by: id });
        assert_eq!(t.account.secret, secret(OLD));
        assert_eq!(t.account.params, OtpParams::totp());
        assert!(
            t.account.recovery.is_empty(),
            "recovery codes are not copied to the trash"
        );
        assert!(
            t.account.note.starts_with("Previous key of NHS Mail"),
            "{}",
            t.account.note
        );
        assert!(matches!(
            v.confirm_key(id),
            Err(RekeyError::NoPreviousKey { .. })
        ));
        v.save().unwrap();
        let mut v = Vault::open(&path, Unlock::Password("pw".into())).unwrap();
        assert_eq!(v.trash().len(), 1);
        // Restoring it keeps both (the restored copy is renamed by the vault's duplicate rule).
        let restored = v.restore(trashed).unwrap();
        assert_eq!(v.accounts().len(), 2);
        assert_eq!(
            v.code(restored.id, T).unwrap().value,
            code(OLD, OtpParams::totp())
        );
    }

    #[test]
    fn revert_and_replace_twice() {
        let (_d, _p, mut v, id) = vault_with_account();
        let third = "MFRGGZDFMZTWQ2LK";
        v.replace_key(id, secret(NEW), None).unwrap();
        // A second new key before confirming: the original previous key stays, the unconfirmed one is trashed.
        let outcome = v.replace_key(id, secret(third), None).unwrap();
        let trashed = outcome.unconfirmed_key_trashed.unwrap();
        assert_eq!(v.trash()[0].account.id, trashed);
        assert_eq!(v.trash()[0].account.secret, secret(NEW));
        assert_eq!(
            v.previous_code(id, T).unwrap().unwrap().value,
            code(OLD, OtpParams::totp())
        );
        // Revert: back to the original key; the rejected one goes to the trash.
        v.revert_key(id).unwrap();
        assert_eq!(v.code(id, T).unwrap().value, code(OLD, OtpParams::totp()));
        assert!(!v.account(id).unwrap().has_previous_key());
        assert_eq!(v.trash().len(), 2);
        assert_eq!(v.trash()[1].account.secret, secret(third));
        assert!(matches!(
            v.revert_key(id),
            Err(RekeyError::NoPreviousKey { .. })
        ));
        // The same key again is refused; a bad setting is refused; unknown accounts are reported.
        assert!(matches!(
            v.replace_key(id, secret(OLD), None),
            Err(RekeyError::SameKey { .. })
        ));
        let bad = OtpParams {
            digits: 3,
            ..OtpParams::totp()
        };
        assert!(matches!(
            v.replace_key(id, secret(NEW), Some(bad)),
            Err(RekeyError::InvalidParams(_))
        ));
        assert!(matches!(
            v.replace_key(Uuid::new_v4(), secret(NEW), None),
            Err(RekeyError::Vault(VaultError::UnknownAccount(_)))
        ));
    }

    #[test]
    fn warns_when_another_account_has_the_new_key() {
        let (_d, _p, mut v, id) = vault_with_account();
        v.add(
            new("Other", "x", Environment::None, NEW),
            DuplicatePolicy::Refuse,
        )
        .unwrap();
        let outcome = v.replace_key(id, secret(NEW), None).unwrap();
        assert_eq!(outcome.same_secret_as, vec!["Other (x)".to_string()]);
    }
}
