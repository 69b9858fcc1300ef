//! Destroying deleted accounts for good: "Delete forever" (one), "Empty trash" (all), and the
//! automatic purge of entries older than the retention time (30 days unless changed).
//!
//! Deleted accounts keep their keys in the trash so a mistake can be undone. On a shared computer that
//! is a risk once the account is really gone, so a purge must leave the key in NO file: the save after a
//! purge is done twice, so the `.bak` (the previous generation, see `atomic.rs`) no longer holds it
//! either. (Included from `store.rs` as a child module.)

use super::*;

/// How long deleted accounts stay in the trash unless the person chose otherwise.
pub const DEFAULT_TRASH_DAYS: u32 = 30;
/// The vault setting that holds the retention in days (0 = keep until emptied by hand).
pub const TRASH_DAYS_SETTING: &str = "trashRetentionDays";

impl Vault {
    /// The trash retention in days (0 = never purged automatically).
    pub fn trash_retention_days(&self) -> u32 {
        self.settings()
            .get(TRASH_DAYS_SETTING)
            .and_then(|v| v.as_u64())
            .map_or(DEFAULT_TRASH_DAYS, |d| d.min(u64::from(u32::MAX)) as u32)
    }

    /// Sets the retention (saved with the next save). At most ten years.
    pub fn set_trash_retention_days(&mut self, days: u32) -> Result<(), VaultError> {
        if days > 3650 {
            return Err(VaultError::InvalidAccount(
                "keep deleted accounts for at most 3650 days (ten years), or 0 for until you empty the trash".into(),
            ));
        }
        self.settings_mut()
            .insert(TRASH_DAYS_SETTING.into(), serde_json::Value::from(days));
        Ok(())
    }

    /// Removes every trash entry (its key with it); returns how many. Call [`Vault::save_purged`].
    pub fn empty_trash(&mut self) -> usize {
        let n = self.body.trash.len();
        self.body.trash.clear();
        n
    }

    /// Removes trash entries deleted more than the retention time before `now` (Unix seconds);
    /// returns how many. Nothing when the retention is 0.
    pub fn purge_expired(&mut self, now: u64) -> usize {
        let days = self.trash_retention_days();
        if days == 0 {
            return 0;
        }
        let cutoff = now.saturating_sub(u64::from(days) * 86_400);
        let before = self.body.trash.len();
        self.body.trash.retain(|t| t.trashed_at > cutoff);
        before - self.body.trash.len()
    }

    /// Saves after a purge so that neither the vault file nor its `.bak` holds the purged keys: the
    /// first save replaces the file (the old generation becomes the `.bak`), the second replaces
    /// that `.bak` with the purged generation.
    pub fn save_purged(&mut self) -> Result<(), VaultError> {
        self.save()?;
        self.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;

    const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const OTHER: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn open(path: &Path) -> Vault {
        Vault::open(path, Unlock::Password("pw".into())).unwrap()
    }

    /// The decrypted body of a vault file (or its `.bak`), as the vault's own key reads it.
    fn plaintext(path: &Path) -> Vec<u8> {
        let vault = open(path);
        let bytes = std::fs::read(path).unwrap();
        let (_, header_len) = Header::parse(&bytes).unwrap();
        format::open_body(&bytes, header_len, &vault.key)
            .unwrap()
            .to_vec()
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn vault_with(keys: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tessera");
        let mut v = Vault::create(
            &path,
            CreateOptions {
                password: Some("pw".into()),
                use_keychain: false,
                kdf: KdfParams::insecure_for_tests(),
            },
        )
        .unwrap();
        for (issuer, key) in keys {
            v.add(
                NewAccount {
                    issuer: (*issuer).into(),
                    account: "n".into(),
                    environment: Environment::None,
                    secret: Secret::parse_base32(key).unwrap().0,
                    params: OtpParams::totp(),
                    note: String::new(),
                },
                DuplicatePolicy::Refuse,
            )
            .unwrap();
        }
        v.save().unwrap();
        (dir, path, v)
    }

    #[test]
    fn emptied_keys_are_in_neither_the_file_nor_the_bak() {
        let (_d, path, mut v) = vault_with(&[("Gone", KEY), ("Kept", OTHER)]);
        let gone = v.accounts()[0].id;
        v.remove(gone).unwrap();
        v.save().unwrap();
        v.save().unwrap();
        let bak = atomic::backup_path(&path);
        // The test can see the key at all: it is in the trash of both generations now.
        assert!(contains(&plaintext(&path), KEY.as_bytes()));
        assert!(contains(&plaintext(&bak), KEY.as_bytes()));

        assert_eq!(v.empty_trash(), 1);
        v.save_purged().unwrap();
        for file in [&path, &bak] {
            let body = plaintext(file);
            assert!(!contains(&body, KEY.as_bytes()), "{} still holds the key", file.display());
            assert!(contains(&body, OTHER.as_bytes()), "{} lost the kept account", file.display());
        }
    }

    #[test]
    fn only_entries_past_the_retention_are_purged() {
        let (_d, path, mut v) = vault_with(&[("Old", KEY), ("New", OTHER)]);
        let (old, new) = (v.accounts()[0].id, v.accounts()[1].id);
        v.remove(old).unwrap();
        v.remove(new).unwrap();
        let now = crate::otp::now_unix();
        v.body.trash[0].trashed_at = now - 31 * 86_400;
        v.body.trash[1].trashed_at = now - 29 * 86_400;
        assert_eq!(v.purge_expired(now), 1);
        assert_eq!(v.trash().len(), 1);
        assert_eq!(v.trash()[0].account.id, new);

        v.set_trash_retention_days(0).unwrap();
        v.body.trash[0].trashed_at = 0;
        assert_eq!(v.purge_expired(now), 0);
        v.set_trash_retention_days(7).unwrap();
        assert_eq!(v.purge_expired(now), 1);
        v.save_purged().unwrap();
        assert_eq!(open(&path).trash_retention_days(), 7);
        assert!(v.set_trash_retention_days(5000).is_err());
    }
}
