//! Telling an old copy of a vault from the current one (security review #28). Any older vault file or
//! `.bak` is a valid file: cloud sync restoring a previous version, a backup tool, or someone
//! replacing the file would bring back an old generation silently (with accounts added since
//! missing, or a key that was replaced since).
//!
//! Every save counts up the vault's [`generation`](crate::vault::Vault::generation), inside the
//! encrypted body. The highest generation opened or saved on this computer is kept outside the vault,
//! in the local (not roaming, not synced) data folder: one small file per vault id. Opening a vault
//! with a lower generation than that is reported ([`Freshness::Older`]); the caller warns, it does not
//! refuse (restoring an old copy on purpose is legitimate). Saving it then counts on from the seen
//! value ([`Vault::continue_after`](crate::vault::Vault::continue_after)), so the warning is shown
//! until the old copy has been saved once.
//!
//! Limits: the record is only as safe as the local data folder. A restore of that folder together
//! with the vault, or an attacker who can write both, is not detected; nor is a copy from another
//! computer that never saw the newer one.

use super::atomic;
use super::store::Vault;
use std::io;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Overrides where the seen generations are kept (tests, portable installs).
pub const STATE_DIR_ENV: &str = "TESSERA_STATE_DIR";

/// How the opened vault compares with what this computer saw before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// As new as (or newer than) anything seen here, or never seen here.
    Current,
    /// An older copy: generation `found`, while `seen` was opened or saved here before.
    Older { seen: u64, found: u64 },
}

/// The highest generation seen per vault id, one file each in a private folder.
#[derive(Debug, Clone)]
pub struct SeenGenerations {
    dir: PathBuf,
}

impl SeenGenerations {
    /// `$TESSERA_STATE_DIR`, else `<local data dir>/tessera/seen` (`~/.local/share` on Linux,
    /// `%LOCALAPPDATA%` on Windows, `~/Library/Application Support` on macOS).
    pub fn default_location() -> Option<SeenGenerations> {
        std::env::var_os(STATE_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::data_local_dir().map(|d| d.join("tessera").join("seen")))
            .map(SeenGenerations::at)
    }

    pub fn at(dir: impl Into<PathBuf>) -> SeenGenerations {
        SeenGenerations { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, id: Uuid) -> PathBuf {
        self.dir.join(format!("{id}.generation"))
    }

    /// The highest generation recorded for vault `id`, if any.
    pub fn seen(&self, id: Uuid) -> Option<u64> {
        std::fs::read_to_string(self.file(id))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Whether `vault` is older than what was seen here.
    pub fn check(&self, vault: &Vault) -> Freshness {
        match self.seen(vault.id()) {
            Some(seen) if seen > vault.generation() => Freshness::Older {
                seen,
                found: vault.generation(),
            },
            _ => Freshness::Current,
        }
    }

    /// What every client does after opening `vault`: for an older copy, the warning to show, and the
    /// next save counts on from the newest generation seen (so it is newer than anything seen here and
    /// the warning stops once the copy was saved); otherwise this generation is recorded. Failing to
    /// record only weakens a later warning, so it never stops the caller.
    pub fn after_open(&self, vault: &mut Vault) -> Option<String> {
        let freshness = self.check(vault);
        match freshness {
            Freshness::Older { seen, .. } => {
                vault.continue_after(seen);
                freshness.warning()
            }
            Freshness::Current => {
                let _ = self.record(vault);
                None
            }
        }
    }

    /// Records `vault`'s generation when it is higher than the one recorded (never lowers it).
    pub fn record(&self, vault: &Vault) -> io::Result<()> {
        let generation = vault.generation();
        if self.seen(vault.id()).is_some_and(|seen| seen >= generation) {
            return Ok(());
        }
        atomic::create_private_dir(&self.dir)?;
        atomic::write_atomic_full(
            &self.file(vault.id()),
            format!("{generation}\n").as_bytes(),
            &atomic::Previous::Discard,
            &mut |f, d| io::Write::write_all(f, d),
        )
        .map_err(|e| e.source)
    }
}

impl Freshness {
    /// The warning to show for an older copy, or `None`.
    pub fn warning(&self) -> Option<String> {
        match self {
            Freshness::Current => None,
            Freshness::Older { seen, found } => Some(format!(
                "this vault file is an older copy than one opened on this computer before (save \
                 {found}, this computer has seen save {seen}): cloud sync, a backup tool or someone \
                 may have put an old version back. Accounts added or keys changed since may be \
                 missing; check before relying on it"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::{CreateOptions, DuplicatePolicy, NewAccount, Unlock};

    fn account(name: &str) -> NewAccount {
        NewAccount {
            issuer: "Iss".into(),
            account: name.into(),
            environment: Default::default(),
            secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
            params: OtpParams::totp(),
            note: String::new(),
        }
    }

    #[test]
    fn an_old_copy_is_reported_until_it_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        let seen = SeenGenerations::at(dir.path().join("state"));
        let opts = CreateOptions::insecure_for_tests("rollback test pw");
        let mut v = Vault::create(&path, opts).unwrap();
        let created = v.generation();
        assert!(created >= 1, "creating saves");
        assert_eq!(seen.check(&v), Freshness::Current, "never seen here");
        seen.record(&v).unwrap();
        let old_copy = std::fs::read(&path).unwrap();
        v.add(account("later"), DuplicatePolicy::Refuse).unwrap();
        v.save().unwrap();
        assert_eq!(v.generation(), created + 1);
        seen.record(&v).unwrap();
        assert_eq!(seen.seen(v.id()), Some(created + 1));
        drop(v);

        // Sync puts the old version back.
        std::fs::write(&path, &old_copy).unwrap();
        let pw = || Unlock::Password("rollback test pw".into());
        let mut old = Vault::open(&path, pw()).unwrap();
        let freshness = seen.check(&old);
        assert_eq!(
            freshness,
            Freshness::Older {
                seen: created + 1,
                found: created
            }
        );
        assert!(freshness.warning().unwrap().contains("older copy"));
        // Recording the old one never lowers the record.
        seen.record(&old).unwrap();
        assert_eq!(seen.seen(old.id()), Some(created + 1));
        // Saving it (after continue_after) makes it the newest again.
        old.continue_after(seen.seen(old.id()).unwrap());
        old.add(account("after restore"), DuplicatePolicy::Refuse)
            .unwrap();
        old.save().unwrap();
        assert_eq!(old.generation(), created + 2);
        assert_eq!(seen.check(&old), Freshness::Current);
        let reopened = Vault::open(&path, pw()).unwrap();
        assert_eq!(reopened.generation(), created + 2);
    }

    #[cfg(unix)]
    #[test]
    fn the_record_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        let v =
            Vault::create(&path, CreateOptions::insecure_for_tests("rollback test pw")).unwrap();
        let seen = SeenGenerations::at(dir.path().join("state/seen"));
        seen.record(&v).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(seen.dir()), 0o700);
        assert_eq!(mode(&seen.file(v.id())), 0o600);
    }
}
