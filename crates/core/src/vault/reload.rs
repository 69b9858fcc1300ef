//! Picking up changes another process (the CLI, a second window) saved while this vault was open, so
//! the next save here does not fail with `ChangedOnDisk`: the file is read again with the key already
//! in memory, no password or keychain prompt. A child of `store` (it needs the vault's private parts).

use super::{digest, map_format_error, Vault, VaultError, BODY_VERSION};
use super::{format, Body, Header};

impl Vault {
    /// Whether the file on disk differs from what this vault last read or wrote.
    pub fn changed_on_disk(&self) -> bool {
        match (self.disk_digest, std::fs::read(&self.path)) {
            (Some(expected), Ok(bytes)) => digest(&bytes) != expected,
            _ => false,
        }
    }

    /// Reloads the vault from disk if another process changed it. `Ok(true)` when it did; unsaved
    /// changes made here since the last save are replaced by the file's contents (every command here
    /// saves at once, so there are none). Refuses with `ChangedOnDisk` when the file is no longer
    /// readable with this key (another vault, or its key was rotated): then it must be opened again.
    pub fn reload_if_changed(&mut self) -> Result<bool, VaultError> {
        let Some(expected) = self.disk_digest else {
            return Ok(false);
        };
        let Ok(bytes) = std::fs::read(&self.path) else {
            return Ok(false); // gone or unreadable: a save reports the real problem
        };
        if digest(&bytes) == expected {
            return Ok(false);
        }
        let changed = || VaultError::ChangedOnDisk {
            path: self.path.clone(),
        };
        let (header, header_len) =
            Header::parse(&bytes).map_err(|e| map_format_error(&self.path, e))?;
        if header.vault_id != self.id {
            return Err(changed());
        }
        let plain = format::open_body(&bytes, header_len, &self.key).map_err(|_| changed())?;
        let body: Body = serde_json::from_slice(&plain).map_err(|e| VaultError::Damaged {
            path: self.path.clone(),
            detail: format!("the decrypted contents are unreadable: {e}"),
        })?;
        drop(plain);
        if body.version > BODY_VERSION {
            return Err(VaultError::NewerVersion {
                path: self.path.clone(),
                version: body.version,
            });
        }
        self.slots = header.slots;
        self.body = body;
        self.body.accounts.sort_by_key(|a| a.position);
        self.renumber();
        self.disk_digest = Some(digest(&bytes));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use crate::vault::{
        CreateOptions, DuplicatePolicy, Environment, NewAccount, Password, Unlock, Vault,
    };
    use crate::{OtpParams, Secret};

    fn new(issuer: &str) -> NewAccount {
        NewAccount {
            issuer: issuer.into(),
            account: "alice".into(),
            environment: Environment::Live,
            secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
            params: OtpParams::default(),
            note: String::new(),
        }
    }

    #[test]
    fn another_process_adds_an_account_and_this_one_reloads_then_saves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        let mut app = Vault::create(&path, CreateOptions::insecure_for_tests("pw")).unwrap();
        assert!(!app.reload_if_changed().unwrap());
        // The CLI opens the same file and adds an account.
        let mut cli = Vault::open(&path, Unlock::Password(Password::new("pw"))).unwrap();
        cli.add(new("EPR"), DuplicatePolicy::Refuse).unwrap();
        cli.save().unwrap();
        assert!(app.changed_on_disk());
        assert!(app.reload_if_changed().unwrap());
        assert_eq!(app.accounts().len(), 1);
        assert!(!app.changed_on_disk());
        app.add(new("NHS Spine"), DuplicatePolicy::Refuse).unwrap();
        app.save().unwrap();
        let again = Vault::open(&path, Unlock::Password(Password::new("pw"))).unwrap();
        assert_eq!(again.accounts().len(), 2);
    }

    #[test]
    fn a_different_vault_in_its_place_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        let opts = || CreateOptions::insecure_for_tests("pw");
        let mut app = Vault::create(&path, opts()).unwrap();
        let other = dir.path().join("other.tessera");
        Vault::create(&other, opts()).unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert!(matches!(
            app.reload_if_changed(),
            Err(crate::vault::VaultError::ChangedOnDisk { .. })
        ));
    }
}
