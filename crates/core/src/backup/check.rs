//! "Test a restore" and what the app should say about backups: a backup decrypted with its password
//! is compared with the open vault account by account (nothing is changed), and the rule for the
//! warning on the codes screen and the 90-day restore-test reminder lives here, not in the clients.

use super::auto::Status;
use super::content::BackupContent;
use crate::time::parse_rfc3339;
use crate::vault::{Account, Vault};
use std::collections::HashMap;
use uuid::Uuid;

/// Warn when automatic backups are off and no verified backup is newer than this.
pub const STALE_AFTER_DAYS: u64 = 14;
/// Remind to test a restore when the last successful test is older than this.
pub const RESTORE_TEST_EVERY_DAYS: u64 = 90;

/// How a backup compares with the vault. Names are the accounts' labels ("EPR (dr.who, Live)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreCheck {
    /// Unix seconds when the backup was written.
    pub created_at: u64,
    pub backup_accounts: usize,
    pub vault_accounts: usize,
    /// In both, every field equal (key, environment, note, recovery codes …).
    pub same: usize,
    /// In both, but changed since the backup was written.
    pub changed: Vec<String>,
    /// Would come back from the backup but are no longer in the vault.
    pub only_in_backup: Vec<String>,
    /// Added to the vault after the backup was written.
    pub only_in_vault: Vec<String>,
}

impl RestoreCheck {
    /// The backup would bring back exactly the vault as it is now.
    pub fn matches(&self) -> bool {
        self.changed.is_empty() && self.only_in_backup.is_empty() && self.only_in_vault.is_empty()
    }

    /// One sentence for people: that it opened, and what matches or differs.
    pub fn summary(&self) -> String {
        let n = |count: usize| plural(count, "account", "accounts");
        if self.matches() {
            return format!(
                "The backup opens with this password and matches the vault: {} would come back.",
                n(self.backup_accounts)
            );
        }
        let mut parts = vec![format!("{} the same as in the vault", self.same)];
        let list = |names: &[String]| {
            let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
            let more = names.len().saturating_sub(5);
            if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            }
        };
        if !self.changed.is_empty() {
            parts.push(format!(
                "{} changed since ({})",
                self.changed.len(),
                list(&self.changed)
            ));
        }
        if !self.only_in_vault.is_empty() {
            parts.push(format!(
                "{} not in the backup ({})",
                self.only_in_vault.len(),
                list(&self.only_in_vault)
            ));
        }
        if !self.only_in_backup.is_empty() {
            parts.push(format!(
                "{} only in the backup ({})",
                self.only_in_backup.len(),
                list(&self.only_in_backup)
            ));
        }
        format!(
            "The backup opens with this password and holds {}: {}.",
            n(self.backup_accounts),
            parts.join("; ")
        )
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Compares a decrypted backup with the vault by account identity; changes nothing.
pub fn compare_with_vault(content: &BackupContent, vault: &Vault) -> RestoreCheck {
    let in_vault: HashMap<Uuid, &Account> = vault.accounts().iter().map(|a| (a.id, a)).collect();
    let mut check = RestoreCheck {
        created_at: content.created_at,
        backup_accounts: content.accounts.len(),
        vault_accounts: vault.accounts().len(),
        same: 0,
        changed: Vec::new(),
        only_in_backup: Vec::new(),
        only_in_vault: Vec::new(),
    };
    for a in &content.accounts {
        match in_vault.get(&a.id) {
            Some(v) if *v == a => check.same += 1,
            Some(v) => check.changed.push(v.label()),
            None => check.only_in_backup.push(a.label()),
        }
    }
    let in_backup: std::collections::HashSet<Uuid> =
        content.accounts.iter().map(|a| a.id).collect();
    check.only_in_vault = vault
        .accounts()
        .iter()
        .filter(|a| !in_backup.contains(&a.id))
        .map(Account::label)
        .collect();
    check
}

/// What the app shows about backups, decided from the recorded status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    /// A warning sentence for the codes screen, or `None`.
    pub warning: Option<String>,
    /// Automatic backups are on and no restore test succeeded in the last 90 days.
    pub restore_test_due: bool,
}

/// What the codes screen says when the organisation requires automatic backups and they are off.
pub const REQUIRED_WARNING: &str =
    "Your organisation requires automatic backups: turn them on in Settings, Backups.";

/// The warning: the last automatic backup failed, or backups are off and no verified backup
/// (automatic, or a Tessera export recorded by the client: `other_verified`, unix seconds) is newer
/// than [`STALE_AFTER_DAYS`]. The reminder: on, with a verified backup, and no successful restore
/// test in [`RESTORE_TEST_EVERY_DAYS`]. `required` (policy `require_backup`) with backups off always
/// warns with [`REQUIRED_WARNING`].
pub fn attention(
    status: &Status,
    other_verified: Option<u64>,
    now: u64,
    required: bool,
) -> Attention {
    let day = 86_400;
    let verified = status.last_verified.as_deref().and_then(parse_rfc3339);
    let newest = verified.max(other_verified);
    let warning = if required && !status.enabled {
        // Policy `require_backup`: the clients keep asking until backups are on, however recent
        // the last export.
        Some(REQUIRED_WARNING.to_string())
    } else if status.enabled {
        status.last_error.as_ref().map(|e| {
            format!(
                "The last automatic backup failed: {e}. Tessera tries again at the next change."
            )
        })
    } else if newest.is_none_or(|t| now.saturating_sub(t) > STALE_AFTER_DAYS * day) {
        Some(match newest {
            None => "Automatic backups are off and there is no verified backup: if this computer is lost, so are your accounts.".to_string(),
            Some(_) => format!("Automatic backups are off and the last verified backup is more than {STALE_AFTER_DAYS} days old."),
        })
    } else {
        None
    };
    let tested = status.last_restore_test.as_deref().and_then(parse_rfc3339);
    let restore_test_due = status.enabled
        && verified.is_some()
        && tested.is_none_or(|t| now.saturating_sub(t) > RESTORE_TEST_EVERY_DAYS * day);
    Attention {
        warning,
        restore_test_due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::time::rfc3339;
    use crate::vault::{CreateOptions, DuplicatePolicy, Environment, NewAccount};

    fn vault(dir: &std::path::Path) -> Vault {
        let options = CreateOptions::insecure_for_tests("vault password");
        let mut vault = Vault::create(&dir.join("v.tessera"), options).unwrap();
        for (issuer, env) in [("EPR", Environment::Live), ("EPR", Environment::Sandpit)] {
            let new = NewAccount {
                issuer: issuer.into(),
                account: "dr.who".into(),
                environment: env,
                secret: Secret::from_bytes(vec![7; 20]).unwrap(),
                params: OtpParams::totp(),
                note: String::new(),
            };
            vault.add(new, DuplicatePolicy::Refuse).unwrap();
        }
        vault
    }

    #[test]
    fn a_backup_is_compared_account_by_account() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(dir.path());
        let content = crate::backup::content::content_of(&v, false);
        let check = compare_with_vault(&content, &v);
        assert!(check.matches());
        assert_eq!((check.backup_accounts, check.same), (2, 2));
        assert!(check.summary().contains("matches the vault: 2 accounts"));

        // A note changed since, one account gone, one added: all three said.
        let mut content = content;
        content.accounts[0].note = "old note".into();
        let second = v.accounts()[1].id;
        v.remove(second).unwrap();
        let new = NewAccount {
            issuer: "Mail".into(),
            account: "me".into(),
            environment: Environment::None,
            secret: Secret::from_bytes(vec![9; 20]).unwrap(),
            params: OtpParams::totp(),
            note: String::new(),
        };
        v.add(new, DuplicatePolicy::Refuse).unwrap();
        let check = compare_with_vault(&content, &v);
        assert!(!check.matches());
        assert_eq!(check.same, 0);
        assert_eq!(check.changed.len(), 1);
        assert_eq!(check.only_in_backup.len(), 1);
        assert_eq!(check.only_in_vault.len(), 1);
        let s = check.summary();
        assert!(
            s.contains("1 changed since")
                && s.contains("1 not in the backup")
                && s.contains("1 only in the backup"),
            "{s}"
        );
    }

    #[test]
    fn warning_and_reminder_rules() {
        let now = 2_000_000_000;
        let day = 86_400;
        let off = Status::default();
        assert_eq!(
            attention(&off, Some(now), now, true).warning.as_deref(),
            Some(REQUIRED_WARNING),
            "required backups warn even after a fresh export"
        );
        assert!(attention(&off, None, now, false)
            .warning
            .unwrap()
            .contains("no verified backup"));
        // A recent export is enough while automatic backups are off; an old one is not.
        assert_eq!(
            attention(&off, Some(now - 3 * day), now, false).warning,
            None
        );
        assert!(attention(&off, Some(now - 20 * day), now, false)
            .warning
            .unwrap()
            .contains("14 days"));

        let mut on = Status {
            enabled: true,
            keep: 10,
            last_verified: Some(rfc3339(now - 60)),
            ..Status::default()
        };
        let a = attention(&on, None, now, false);
        assert_eq!(a.warning, None);
        assert!(a.restore_test_due, "never tested");
        on.last_restore_test = Some(rfc3339(now - 10 * day));
        assert!(!attention(&on, None, now, false).restore_test_due);
        on.last_restore_test = Some(rfc3339(now - 91 * day));
        assert!(attention(&on, None, now, false).restore_test_due);
        on.last_error = Some("the backup folder /x does not exist or is not a folder".into());
        assert!(attention(&on, None, now, false)
            .warning
            .unwrap()
            .starts_with("The last automatic backup failed: the backup folder"));
    }
}
