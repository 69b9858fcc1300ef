//! The trash on shared PCs: a deleted account keeps its key until the trash is emptied, so "Delete
//! forever", "Empty trash" and an automatic purge of old entries make sure keys really go. After the
//! next save a purged key is in neither the vault file nor its `.bak` (store.rs `forget_previous`).
//!
//! A child module of `store`, so it can reach the vault's body without widening it.

use super::*;

/// How long a deleted account stays in the trash before it is purged automatically, unless the
/// vault says otherwise ([`Vault::set_trash_keep_days`]).
pub const TRASH_KEEP_DAYS: u64 = 30;

/// The choices for how long the trash keeps deleted accounts: a day to a year.
pub const TRASH_KEEP_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=365;

impl Vault {
    /// Days a deleted account stays in the trash before a save purges it.
    pub fn trash_keep_days(&self) -> u32 {
        self.body.trash_keep_days.unwrap_or(TRASH_KEEP_DAYS as u32)
    }

    /// Sets how many days the trash keeps deleted accounts ([`TRASH_KEEP_DAYS_RANGE`]); the next save
    /// purges what is older. The caller saves.
    pub fn set_trash_keep_days(&mut self, days: u32) -> Result<(), VaultError> {
        if !TRASH_KEEP_DAYS_RANGE.contains(&days) {
            return Err(VaultError::InvalidSetting(format!(
                "the trash keeps deleted accounts for {} to {} days, not {days}",
                TRASH_KEEP_DAYS_RANGE.start(),
                TRASH_KEEP_DAYS_RANGE.end()
            )));
        }
        self.body.trash_keep_days = Some(days);
        Ok(())
    }

    /// Deletes every account in the trash for good; returns how many.
    pub fn empty_trash(&mut self) -> usize {
        let n = self.body.trash.len();
        if n > 0 {
            self.body.trash.clear();
            self.forget_previous = true;
        }
        n
    }

    /// Deletes for good the accounts that have been in the trash for more than `days` days at
    /// `now_unix`; returns how many.
    pub fn purge_trash_older_than(&mut self, days: u64, now_unix: u64) -> usize {
        let cutoff = now_unix.saturating_sub(days.saturating_mul(86_400));
        let before = self.body.trash.len();
        self.body.trash.retain(|t| t.trashed_at >= cutoff);
        let purged = before - self.body.trash.len();
        if purged > 0 {
            self.forget_previous = true;
        }
        purged
    }
}
