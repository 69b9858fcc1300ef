//! What a Tessera backup holds (the plaintext inside the [`container`](super::container)), how it is
//! written and verified, and how it is read back for a restore.

use super::container::{self, BackupKdf, ContainerError};
use super::password::{self, WeakPassword};
use crate::vault::{Account, TrashedAccount, Vault};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The `format` field of the plaintext, checked on reading.
pub const CONTENT_FORMAT: &str = "tessera-backup";
pub const CONTENT_VERSION: u32 = 1;

/// The decrypted backup: every account with every field the vault keeps (environment, note, times,
/// the previous key), and the trash when it was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupContent {
    pub format: String,
    pub version: u32,
    /// Unix seconds when the backup was written.
    pub created_at: u64,
    pub accounts: Vec<Account>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trash: Vec<TrashedAccount>,
}

#[derive(Debug, Error)]
pub enum BackupError {
    #[error(transparent)]
    WeakPassword(#[from] WeakPassword),
    #[error(transparent)]
    Container(#[from] ContainerError),
    #[error("the backup decrypted but its content cannot be read ({0}); it may come from a newer Tessera")]
    Content(String),
    #[error("could not write the backup to {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("the backup at {path} could not be read back after writing: {reason}")]
    ReadBack { path: PathBuf, reason: String },
    #[error(
        "the backup at {path} does not match the vault after writing ({reason}); do not rely on it"
    )]
    Mismatch { path: PathBuf, reason: String },
}

/// Choices for writing a backup.
#[derive(Debug, Clone, Copy, Default)]
pub struct BackupOptions {
    /// Also keep the vault's trash (off by default: deleted accounts stay deleted).
    pub include_trash: bool,
    pub kdf: BackupKdf,
}

/// A backup that was written, read back from disk, decrypted and found equal to the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBackup {
    pub path: PathBuf,
    pub accounts: usize,
    pub trashed: usize,
}

pub(crate) fn content_of(vault: &Vault, include_trash: bool) -> BackupContent {
    BackupContent {
        format: CONTENT_FORMAT.to_string(),
        version: CONTENT_VERSION,
        created_at: crate::time::now_unix(),
        accounts: vault.accounts().to_vec(),
        trash: if include_trash {
            vault.trash().to_vec()
        } else {
            Vec::new()
        },
    }
}

/// Encrypts the vault's accounts into backup bytes. Weak passwords are refused with the reason.
pub fn seal_vault(
    vault: &Vault,
    password: &str,
    options: BackupOptions,
) -> Result<Vec<u8>, BackupError> {
    password::check(password)?;
    seal_content(
        &content_of(vault, options.include_trash),
        password,
        options.kdf,
    )
}

/// Encrypts given content (no password-strength check: callers that take new passwords check first).
pub fn seal_content(
    content: &BackupContent,
    password: &str,
    kdf: BackupKdf,
) -> Result<Vec<u8>, BackupError> {
    let plaintext = crate::crypto::json_error::to_vec_presized(content)
        .map_err(|e| BackupError::Content(crate::crypto::json_error::describe(&e)))?;
    Ok(container::seal(&plaintext, password, kdf)?)
}

/// Decrypts and reads a backup. Needs only the file and its password: no vault, no keychain.
pub fn open(file: &[u8], password: &str) -> Result<BackupContent, BackupError> {
    let plaintext = container::open(file, password)?;
    let content: BackupContent = serde_json::from_slice(&plaintext)
        .map_err(|e| BackupError::Content(crate::crypto::json_error::describe(&e)))?;
    if content.format != CONTENT_FORMAT {
        return Err(BackupError::Content(format!(
            "unexpected content format {:?}",
            content.format
        )));
    }
    if content.version > CONTENT_VERSION {
        return Err(BackupError::Content(format!(
            "content version {} is newer than this Tessera",
            content.version
        )));
    }
    Ok(content)
}

/// Writes a backup of `vault` to `path` (via a temporary file, so an old backup there is never half
/// overwritten), then reads the file back from disk, decrypts it and compares it with the vault.
/// Only a backup that passed that check is reported as written.
pub fn write_verified(
    vault: &Vault,
    path: &Path,
    password: &str,
    options: BackupOptions,
) -> Result<VerifiedBackup, BackupError> {
    password::check(password)?;
    let content = content_of(vault, options.include_trash);
    let bytes = seal_content(&content, password, options.kdf)?;
    write_atomically(path, &bytes).map_err(|reason| BackupError::Write {
        path: path.to_path_buf(),
        reason,
    })?;

    let back = std::fs::read(path).map_err(|e| BackupError::ReadBack {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let reopened = open(&back, password).map_err(|e| BackupError::ReadBack {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    compare(&content, &reopened).map_err(|reason| BackupError::Mismatch {
        path: path.to_path_buf(),
        reason,
    })?;
    Ok(VerifiedBackup {
        path: path.to_path_buf(),
        accounts: reopened.accounts.len(),
        trashed: reopened.trash.len(),
    })
}

/// Compares what was meant to be written with what was read back, account by account.
pub fn compare(expected: &BackupContent, actual: &BackupContent) -> Result<(), String> {
    if expected.accounts.len() != actual.accounts.len() {
        return Err(format!(
            "{} accounts expected, {} found",
            expected.accounts.len(),
            actual.accounts.len()
        ));
    }
    for (a, b) in expected.accounts.iter().zip(&actual.accounts) {
        if a != b {
            return Err(format!("account {} differs", a.label()));
        }
    }
    if expected.trash != actual.trash {
        return Err("the trash differs".into());
    }
    Ok(())
}

/// Owner-only (0600) through a private random-named temp file, never replacing or writing through
/// anything already at `path` (review #5, #10: a planted symlink once made a backup overwrite its target).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::vault::atomic::write_new_private(path, bytes).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            "a file already exists there; it was left as it is".to_string()
        } else {
            e.to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::{CreateOptions, DuplicatePolicy, Environment, NewAccount};

    fn vault_with_accounts(dir: &Path) -> Vault {
        let options = CreateOptions::insecure_for_tests("vault password");
        let mut vault = Vault::create(&dir.join("v.tessera"), options).unwrap();
        for (issuer, env, note) in [
            ("EPR", Environment::Live, "ward PC"),
            ("EPR", Environment::Sandpit, ""),
            ("Mail", Environment::None, ""),
        ] {
            let new = NewAccount {
                issuer: issuer.into(),
                account: "dr.who".into(),
                environment: env,
                secret: Secret::from_bytes(vec![7; 20]).unwrap(),
                params: OtpParams::totp(),
                note: note.into(),
            };
            vault.add(new, DuplicatePolicy::Refuse).unwrap();
        }
        let gone = vault.accounts()[2].id;
        vault.remove(gone).unwrap();
        vault
    }

    #[test]
    fn written_backup_is_verified_and_restores_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_accounts(dir.path());
        let path = dir.path().join("b.tessera-backup");
        let options = BackupOptions {
            include_trash: false,
            kdf: BackupKdf::insecure_for_tests(),
        };
        let verified = write_verified(&vault, &path, "plinth mango ferry cobalt", options).unwrap();
        assert_eq!((verified.accounts, verified.trashed), (2, 0));

        let content = open(&std::fs::read(&path).unwrap(), "plinth mango ferry cobalt").unwrap();
        assert_eq!(content.accounts, vault.accounts());
        assert!(content.trash.is_empty());
        assert_eq!(content.accounts[0].environment.as_key(), Some("live"));
        assert_eq!(content.accounts[0].note, "ward PC");
        assert_eq!(content.accounts[1].environment.as_key(), Some("sandpit"));

        // The trash only when asked for.
        let with_trash = dir.path().join("t.tessera-backup");
        let options = BackupOptions {
            include_trash: true,
            kdf: BackupKdf::insecure_for_tests(),
        };
        let verified =
            write_verified(&vault, &with_trash, "plinth mango ferry cobalt", options).unwrap();
        assert_eq!(verified.trashed, 1);
    }

    #[test]
    fn weak_password_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_accounts(dir.path());
        let path = dir.path().join("b.tessera-backup");
        let err = write_verified(&vault, &path, "letmein", BackupOptions::default()).unwrap_err();
        assert!(
            matches!(err, BackupError::WeakPassword(WeakPassword::TooShort)),
            "{err}"
        );
        assert!(!path.exists());
    }

    #[test]
    fn opening_needs_no_vault_and_reports_errors_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_accounts(dir.path());
        let bytes = seal_vault(
            &vault,
            "plinth mango ferry cobalt",
            BackupOptions {
                include_trash: false,
                kdf: BackupKdf::insecure_for_tests(),
            },
        )
        .unwrap();
        drop(vault);
        assert_eq!(
            open(&bytes, "plinth mango ferry cobalt")
                .unwrap()
                .accounts
                .len(),
            2
        );
        assert!(matches!(
            open(&bytes, "nope"),
            Err(BackupError::Container(ContainerError::WrongPassword))
        ));
        assert!(matches!(
            open(&bytes[..bytes.len() - 1], "plinth mango ferry cobalt"),
            Err(BackupError::Container(ContainerError::Tampered))
        ));
        assert!(matches!(
            open(&bytes[..50], "x"),
            Err(BackupError::Container(ContainerError::Truncated))
        ));
    }
}
