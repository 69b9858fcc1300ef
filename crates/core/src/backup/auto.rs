//! Automatic backups: after every successful vault save, a new verified Tessera backup is written into
//! a folder the user chose, named `tessera-backup-YYYYMMDD-HHMMSS.tessera` (UTC; `-2`, `-3` … on a
//! clash), never overwriting anything; the newest `keep` are kept and older files with exactly that
//! name pattern are deleted (nothing else in the folder ever is).
//!
//! The configuration lives inside the encrypted vault body: the folder, `keep`, and the backup key
//! derived once from the backup password (with its salt and Argon2id cost), never the password. So a
//! backup needs no key derivation and no password, and every file still opens with the password alone.
//! Status (last verified file, account count, last error) is kept without secrets beside the vault in
//! `<vault>.backup-status.json` so `tessera backup status` reads it without unlocking.

use super::container::{self, BackupKdf, DerivedKey};
use super::content::{self, BackupError, VerifiedBackup};
use super::password;
use crate::time::{self, rfc3339};
use crate::vault::Vault;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const DEFAULT_KEEP: u32 = 10;
const PREFIX: &str = "tessera-backup-";
const SUFFIX: &str = ".tessera";

/// Stored in the encrypted vault body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoBackupConfig {
    pub folder: PathBuf,
    pub keep: u32,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    /// Base64 of the 16-byte salt.
    pub salt: String,
    /// Base64 of the 64-byte Argon2id output (the backup key; not the password).
    pub key: String,
}

impl std::fmt::Debug for AutoBackupConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutoBackupConfig")
            .field("folder", &self.folder)
            .field("keep", &self.keep)
            .finish_non_exhaustive()
    }
}

impl AutoBackupConfig {
    /// Checks the password like an export's, derives the backup key once.
    pub fn new(
        folder: &Path,
        keep: u32,
        password: &str,
        kdf: BackupKdf,
    ) -> Result<AutoBackupConfig, BackupError> {
        password::check(password)?;
        let key = container::derive_key(password, kdf)?;
        let b64 = data_encoding::BASE64;
        Ok(AutoBackupConfig {
            folder: std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf()),
            keep: keep.max(1),
            memory_kib: kdf.memory_kib,
            passes: kdf.passes,
            lanes: kdf.lanes,
            salt: b64.encode(&key.salt),
            key: b64.encode(&key.key[..]),
        })
    }

    fn derived_key(&self) -> Result<DerivedKey, String> {
        let b64 = data_encoding::BASE64;
        let bad =
            || "the stored backup key is damaged; turn automatic backups on again".to_string();
        let salt = b64.decode(self.salt.as_bytes()).map_err(|_| bad())?;
        let key = zeroize::Zeroizing::new(b64.decode(self.key.as_bytes()).map_err(|_| bad())?);
        let mut d = DerivedKey {
            kdf: BackupKdf {
                memory_kib: self.memory_kib,
                passes: self.passes,
                lanes: self.lanes,
            },
            salt: salt.try_into().map_err(|_| bad())?,
            key: zeroize::Zeroizing::new([0u8; 64]),
        };
        if key.len() != 64 {
            return Err(bad());
        }
        d.key.copy_from_slice(&key);
        Ok(d)
    }
}

/// What `tessera backup status` shows; no secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub enabled: bool,
    pub folder: Option<PathBuf>,
    pub keep: u32,
    pub last_verified: Option<String>,
    pub last_file: Option<PathBuf>,
    pub accounts: Option<usize>,
    pub last_error: Option<String>,
    /// RFC 3339 time of the last restore test that opened a backup and found it equal to the vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_restore_test: Option<String>,
}

/// `vault.tessera` → `vault.tessera.backup-status.json`.
pub fn status_path(vault_path: &Path) -> PathBuf {
    let mut name = vault_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".backup-status.json");
    vault_path.with_file_name(name)
}

/// The recorded status (disabled and empty when there is none).
pub fn read_status(vault_path: &Path) -> Status {
    std::fs::read(status_path(vault_path))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Status {
            keep: DEFAULT_KEEP,
            ..Status::default()
        })
}

fn write_status(vault_path: &Path, status: &Status) {
    if let Ok(bytes) = serde_json::to_vec_pretty(status) {
        let _ = crate::vault::atomic::write_atomic_full(
            &status_path(vault_path),
            &bytes,
            &crate::vault::atomic::Previous::Discard,
            &mut |f, d| std::io::Write::write_all(f, d),
        );
    }
}

static FAILURES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Automatic-backup failures in this process since the last call (the CLI prints them as warnings).
pub fn take_failures() -> Vec<String> {
    std::mem::take(&mut *FAILURES.lock().unwrap_or_else(|e| e.into_inner()))
}

/// `tessera-backup-YYYYMMDD-HHMMSS.tessera` (UTC), with `-n` for n ≥ 2.
pub fn file_name(unix: u64, n: u32) -> String {
    let stamp = time::file_stamp(unix);
    let clash = if n >= 2 {
        format!("-{n}")
    } else {
        String::new()
    };
    format!("{PREFIX}{stamp}{clash}{SUFFIX}")
}

/// The sort key of a name that matches the pattern exactly: (YYYYMMDDHHMMSS, n), else None.
pub fn parse_name(name: &str) -> Option<(u64, u32)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let b = rest.as_bytes();
    if b.len() < 15 || b[8] != b'-' {
        return None;
    }
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !digits(&b[..8]) || !digits(&b[9..15]) {
        return None;
    }
    let stamp: u64 = format!("{}{}", &rest[..8], &rest[9..15]).parse().ok()?;
    let n = if b.len() == 15 {
        1
    } else {
        if b[15] != b'-' || !digits(&b[16..]) || b[16] == b'0' || b.len() > 20 {
            return None;
        }
        let n: u32 = rest[16..].parse().ok()?;
        if n < 2 {
            return None;
        }
        n
    };
    Some((stamp, n))
}

/// Writes one verified backup of `vault` into the configured folder and applies retention.
pub fn backup_now(vault: &Vault) -> Result<VerifiedBackup, String> {
    let Some(config) = vault.auto_backup() else {
        return Err("automatic backups are off".into());
    };
    backup_into(vault, config, time::now_unix(), &mut |p, b| {
        crate::vault::atomic::write_new_private(p, b)
    })
}

/// As [`backup_now`] with the clock and the file writer given (tests inject failures).
pub fn backup_into(
    vault: &Vault,
    config: &AutoBackupConfig,
    now: u64,
    write: &mut dyn FnMut(&Path, &[u8]) -> std::io::Result<()>,
) -> Result<VerifiedBackup, String> {
    let key = config.derived_key()?;
    let folder = &config.folder;
    if !folder.is_dir() {
        return Err(format!(
            "the backup folder {} does not exist or is not a folder",
            folder.display()
        ));
    }
    let content = content::content_of(vault, false);
    let plaintext = crate::crypto::json_error::to_vec_presized(&content)
        .map_err(|e| crate::crypto::json_error::describe(&e))?;
    let bytes = container::seal_with_key(&plaintext, &key);
    drop(plaintext);
    let mut n = 1;
    let path = loop {
        let path = folder.join(file_name(now, n));
        match write(&path, &bytes) {
            Ok(()) => break path,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => {
                return Err(format!(
                    "could not write a backup into {}: {e}",
                    folder.display()
                ))
            }
        }
    };
    let fail = |reason: String| {
        format!(
            "the backup {} could not be verified: {reason}",
            path.display()
        )
    };
    let back = std::fs::read(&path).map_err(|e| fail(e.to_string()))?;
    let plain = container::open_with_key(&back, &key).map_err(|e| fail(e.to_string()))?;
    let reopened: content::BackupContent =
        serde_json::from_slice(&plain).map_err(|e| fail(e.to_string()))?;
    content::compare(&content, &reopened).map_err(fail)?;
    prune(folder, config.keep);
    Ok(VerifiedBackup {
        path,
        accounts: reopened.accounts.len(),
        trashed: 0,
    })
}

/// Deletes all but the newest `keep` files whose names match the backup pattern exactly.
pub fn prune(folder: &Path, keep: u32) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut found: Vec<((u64, u32), PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| {
            let key = parse_name(e.file_name().to_str()?)?;
            Some((key, e.path()))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, path) in found.into_iter().skip(keep.max(1) as usize) {
        let _ = std::fs::remove_file(path);
    }
}

/// Called by [`Vault::save`] after every successful write: a backup when enabled, the status recorded,
/// a failure remembered for the caller to show. Never fails the save.
pub(crate) fn after_save(vault: &Vault) {
    if let Err(e) = run_and_record(vault) {
        FAILURES.lock().unwrap_or_else(|e| e.into_inner()).push(e);
    }
}

/// "Back up now" (the app's button): one verified backup without a change to the vault, recorded in
/// the status like an automatic one. Returns the new status, or the failure in a sentence.
pub fn backup_now_recorded(vault: &Vault) -> Result<Status, String> {
    if vault.auto_backup().is_none() {
        return Err("automatic backups are off; turn them on first".into());
    }
    run_and_record(vault)?;
    Ok(read_status(vault.path()))
}

/// Writes a backup when enabled and records the outcome in the status file (disabled: just that).
fn run_and_record(vault: &Vault) -> Result<(), String> {
    let path = vault.path();
    let mut status = read_status(path);
    let Some(config) = vault.auto_backup() else {
        if status.enabled {
            status.enabled = false;
            write_status(path, &status);
        }
        return Ok(());
    };
    status.enabled = true;
    status.folder = Some(config.folder.clone());
    status.keep = config.keep;
    let result = backup_now(vault);
    match &result {
        Ok(done) => {
            status.last_verified = Some(rfc3339(time::now_unix()));
            status.last_file = Some(done.path.clone());
            status.accounts = Some(done.accounts);
            status.last_error = None;
        }
        Err(e) => status.last_error = Some(e.clone()),
    }
    write_status(path, &status);
    result.map(|_| ())
}

/// Notes a successful restore test (a backup opened with its password and equal to the vault).
pub fn record_restore_test(vault_path: &Path, now: u64) {
    let mut status = read_status(vault_path);
    status.last_restore_test = Some(rfc3339(now));
    write_status(vault_path, &status);
}

/// The newest file in `folder` whose name matches the backup pattern exactly.
pub fn newest_backup(folder: &Path) -> Option<PathBuf> {
    std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| Some((parse_name(e.file_name().to_str()?)?, e.path())))
        .max_by_key(|f| f.0)
        .map(|f| f.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::{CreateOptions, DuplicatePolicy, Environment, NewAccount, Password};

    const PW: &str = "plinth mango ferry cobalt";

    fn vault(dir: &Path, n: usize) -> Vault {
        let options = CreateOptions::insecure_for_tests("vault password");
        let mut vault = Vault::create(&dir.join("v.tessera"), options).unwrap();
        for i in 0..n {
            let new = NewAccount {
                issuer: format!("Issuer {i}"),
                account: "dr.who".into(),
                environment: if i % 2 == 0 {
                    Environment::Live
                } else {
                    Environment::Sandpit
                },
                secret: Secret::from_bytes(vec![i as u8 + 1; 20]).unwrap(),
                params: OtpParams::totp(),
                note: String::new(),
            };
            vault.add(new, DuplicatePolicy::Refuse).unwrap();
        }
        vault
    }

    fn config(folder: &Path, keep: u32) -> AutoBackupConfig {
        AutoBackupConfig::new(folder, keep, PW, BackupKdf::insecure_for_tests()).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn names_and_pattern() {
        assert_eq!(file_name(0, 1), "tessera-backup-19700101-000000.tessera");
        assert_eq!(
            file_name(1_764_951_000, 1),
            "tessera-backup-20251205-161000.tessera"
        );
        assert_eq!(
            file_name(1_764_951_000, 3),
            "tessera-backup-20251205-161000-3.tessera"
        );
        assert_eq!(
            parse_name("tessera-backup-20251205-161000.tessera"),
            Some((20251205161000, 1))
        );
        assert_eq!(
            parse_name("tessera-backup-20251205-161000-2.tessera"),
            Some((20251205161000, 2))
        );
        for bad in [
            "tessera-backup-notes.txt",
            "tessera-backup-20251205-161000.tessera.bak",
            "tessera-backup-20251205-161000-1.tessera",
            "tessera-backup-20251205-161000-x.tessera",
            "tessera-backup-2025120-161000.tessera",
            "my-tessera-backup-20251205-161000.tessera",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_verified_backups_with_clash_suffix_and_no_debris() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("backups");
        std::fs::create_dir(&folder).unwrap();
        let v = vault(dir.path(), 3);
        let c = config(&folder, 10);
        let write = &mut |p: &Path, b: &[u8]| crate::vault::atomic::write_new_private(p, b);
        let a = backup_into(&v, &c, 1_764_951_000, write).unwrap();
        let b = backup_into(&v, &c, 1_764_951_000, write).unwrap();
        assert_eq!(a.accounts, 3);
        assert!(b.path.ends_with("tessera-backup-20251205-161000-2.tessera"));
        assert_eq!(
            names(&folder),
            [
                "tessera-backup-20251205-161000-2.tessera",
                "tessera-backup-20251205-161000.tessera"
            ]
        );
        // Opens with the password alone, every account there.
        let content = content::open(&std::fs::read(&a.path).unwrap(), PW).unwrap();
        assert_eq!(content.accounts, v.accounts());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&a.path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0);
        }
    }

    #[test]
    fn retention_deletes_only_old_tessera_backups() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("backups");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("holiday.jpg"), b"x").unwrap();
        std::fs::write(folder.join("tessera-backup-notes.txt"), b"x").unwrap();
        std::fs::write(
            folder.join("tessera-backup-20200101-000000.tessera.old"),
            b"x",
        )
        .unwrap();
        let v = vault(dir.path(), 1);
        let c = config(&folder, 2);
        let write = &mut |p: &Path, b: &[u8]| crate::vault::atomic::write_new_private(p, b);
        for t in 0..4 {
            backup_into(&v, &c, 1_764_951_000 + t, write).unwrap();
        }
        assert_eq!(
            names(&folder),
            [
                "holiday.jpg",
                "tessera-backup-20200101-000000.tessera.old",
                "tessera-backup-20251205-161002.tessera",
                "tessera-backup-20251205-161003.tessera",
                "tessera-backup-notes.txt",
            ]
        );
    }

    #[test]
    fn failures_are_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(dir.path(), 1);
        let write = &mut |p: &Path, b: &[u8]| crate::vault::atomic::write_new_private(p, b);
        // Missing folder.
        let missing = config(&dir.path().join("nope"), 10);
        assert!(backup_into(&v, &missing, 0, write)
            .unwrap_err()
            .contains("does not exist"));
        // Unwritable: a "folder" under a regular file (tests may run as root).
        let file = dir.path().join("plain-file");
        std::fs::write(&file, b"x").unwrap();
        let under = config(&file.join("sub"), 10);
        assert!(backup_into(&v, &under, 0, write).is_err());
        // Disk full, injected: nothing left behind.
        let folder = dir.path().join("full");
        std::fs::create_dir(&folder).unwrap();
        let full = config(&folder, 10);
        let err = backup_into(&v, &full, 0, &mut |_, _| {
            Err(std::io::Error::other("No space left on device"))
        })
        .unwrap_err();
        assert!(err.contains("No space left"), "{err}");
        assert!(names(&folder).is_empty());
    }

    #[test]
    fn save_writes_a_backup_and_records_status_and_failures() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("backups");
        std::fs::create_dir(&folder).unwrap();
        let mut v = vault(dir.path(), 2);
        v.set_auto_backup(Some(config(&folder, 10)));
        v.save().unwrap();
        let status = read_status(v.path());
        assert!(status.enabled);
        assert_eq!(status.accounts, Some(2));
        assert_eq!(names(&folder).len(), 1);
        // The status file holds no secret and is owner-only; the password is nowhere in the config.
        let status_file = std::fs::read_to_string(status_path(v.path())).unwrap();
        let key = v.auto_backup().unwrap().key.clone();
        assert!(!status_file.contains(&key) && !status_file.contains(PW));
        assert!(!format!("{:?}", v.auto_backup()).contains(&key));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(status_path(v.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0);
        }
        // The configuration survives closing and reopening the vault.
        let reopened = Vault::open(
            v.path(),
            crate::vault::Unlock::Password(Password::new("vault password")),
        )
        .unwrap();
        assert_eq!(reopened.auto_backup(), v.auto_backup());
        drop(reopened);
        // Folder gone: the save still succeeds, the failure is recorded.
        std::fs::remove_dir_all(&folder).unwrap();
        let _ = take_failures();
        v.save().unwrap();
        let status = read_status(v.path());
        assert!(status.last_error.is_some());
        assert_eq!(status.accounts, Some(2));
        assert_eq!(take_failures().len(), 1);
        // No temp debris beside the vault.
        assert!(
            names(dir.path()).iter().all(|n| !n.contains(".tmp-")),
            "{:?}",
            names(dir.path())
        );
    }
}
