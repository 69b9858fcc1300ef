//! Hash indexes over the accounts for adding many at once (review #6). Every add used to scan every
//! account for the same name and for the same key, and "keep both" tried " (2)", " (3)", … with a scan
//! each: an import of 10,000 same-key entries took about a minute, 1,000 same-name entries with keep
//! both more than three minutes. [`AccountIndex`] answers those questions by hash, in vault order,
//! and is kept up to date by [`Vault::add_indexed`](super::store::Vault) as each account goes in.
//!
//! An index lives only for one add or one batch (an import, [`Vault::add_all`](super::store::Vault));
//! only adds happen meanwhile, so the set of names taken only grows.

use super::account::{fold, Account, Environment, TrashedAccount};
use crate::secret::Secret;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Environment (folded key), issuer and account name as compared by [`Account::same_identity`].
pub(crate) type IdentityKey = (Option<String>, String, String);

/// The key [`Account::same_identity`] compares: case-folded and trimmed issuer and account name, and
/// the environment's key ignoring case.
pub(crate) fn identity_key(issuer: &str, account: &str, environment: &Environment) -> IdentityKey {
    (
        environment.as_key().map(str::to_lowercase),
        fold(issuer),
        fold(account),
    )
}

/// SHA-256 of the secret bytes: the secrets themselves are not copied into the index.
fn secret_key(secret: &Secret) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct AccountIndex {
    /// Where each account is in the vault's list.
    position: HashMap<Uuid, usize>,
    /// Accounts by identity, in vault order.
    identity: HashMap<IdentityKey, Vec<Uuid>>,
    /// Accounts by secret, in vault order.
    secret: HashMap<[u8; 32], Vec<Uuid>>,
    /// Ids of accounts and trashed accounts.
    ids: HashSet<Uuid>,
    /// (issuer, environment, exact base name) → every "base (n)" below this is taken.
    next_suffix: HashMap<(String, Option<String>, String), u32>,
    /// Whether every account's `position` field equals its place in the list.
    pub(crate) numbered: bool,
}

impl AccountIndex {
    pub(crate) fn build(accounts: &[Account], trash: &[TrashedAccount]) -> AccountIndex {
        let mut index = AccountIndex {
            numbered: accounts
                .iter()
                .enumerate()
                .all(|(i, a)| a.position as usize == i),
            ..AccountIndex::default()
        };
        index.ids.extend(trash.iter().map(|t| t.account.id));
        for (i, a) in accounts.iter().enumerate() {
            index.position.insert(a.id, i);
            index.ids.insert(a.id);
            index
                .identity
                .entry(identity_key(&a.issuer, &a.account, &a.environment))
                .or_default()
                .push(a.id);
            index
                .secret
                .entry(secret_key(&a.secret))
                .or_default()
                .push(a.id);
        }
        index
    }

    /// The accounts with this issuer, account name and environment, in vault order.
    pub(crate) fn duplicates(
        &self,
        issuer: &str,
        account: &str,
        environment: &Environment,
    ) -> &[Uuid] {
        self.identity
            .get(&identity_key(issuer, account, environment))
            .map_or(&[], Vec::as_slice)
    }

    /// The accounts holding this secret, in vault order.
    pub(crate) fn same_secret(&self, secret: &Secret) -> &[Uuid] {
        self.secret
            .get(&secret_key(secret))
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn id_in_use(&self, id: Uuid) -> bool {
        self.ids.contains(&id)
    }

    /// Where the account is in the vault's list.
    pub(crate) fn position(&self, id: Uuid) -> Option<usize> {
        self.position.get(&id).copied()
    }

    /// The first "base (n)" (n ≥ 2) that `taken` says is free; remembered, since names only get taken.
    pub(crate) fn free_suffix(
        &mut self,
        issuer: &str,
        environment: &Environment,
        base: &str,
        taken: impl Fn(&AccountIndex, u32) -> bool,
    ) -> u32 {
        let key = (
            fold(issuer),
            environment.as_key().map(str::to_lowercase),
            base.to_string(),
        );
        let start = self.next_suffix.get(&key).copied().unwrap_or(2);
        let n = (start..)
            .find(|&n| !taken(self, n))
            .expect("some suffix is free");
        self.next_suffix.insert(key, n + 1);
        n
    }

    /// The accounts `ids` (still in `accounts`, about to go to the trash) are no longer accounts.
    pub(crate) fn forget(&mut self, accounts: &[Account], ids: &[Uuid]) {
        for id in ids {
            let Some(&at) = self.position.get(id) else {
                continue;
            };
            let a = &accounts[at];
            let position = &self.position;
            // The lists are in vault order, so the account is found by position, not by a scan.
            let remove = |map_list: &mut Vec<Uuid>| {
                let i = map_list.partition_point(|other| position.get(other) < Some(&at));
                if map_list.get(i) == Some(id) {
                    map_list.remove(i);
                } else {
                    map_list.retain(|other| other != id);
                }
                map_list.is_empty()
            };
            let key = identity_key(&a.issuer, &a.account, &a.environment);
            if self.identity.get_mut(&key).is_some_and(remove) {
                self.identity.remove(&key);
            }
            let key = secret_key(&a.secret);
            if self.secret.get_mut(&key).is_some_and(remove) {
                self.secret.remove(&key);
            }
            self.position.remove(id);
        }
    }

    /// `accounts[at]` was just inserted; the accounts in `moved` (a range of the list) changed place.
    pub(crate) fn inserted(
        &mut self,
        accounts: &[Account],
        at: usize,
        moved: std::ops::Range<usize>,
    ) {
        for (i, a) in accounts[moved.clone()].iter().enumerate() {
            self.position.insert(a.id, moved.start + i);
        }
        let new = &accounts[at];
        self.position.insert(new.id, at);
        self.ids.insert(new.id);
        let position = &self.position;
        let place = |list: &Vec<Uuid>| list.partition_point(|id| position.get(id) < Some(&at));
        let key = identity_key(&new.issuer, &new.account, &new.environment);
        let list = self.identity.entry(key).or_default();
        list.insert(place(list), new.id);
        let list = self.secret.entry(secret_key(&new.secret)).or_default();
        list.insert(place(list), new.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{self, FormatId};
    use crate::import::{OnDuplicate, PlannedImport};
    use crate::otp::OtpParams;
    use crate::vault::{
        AddWarning, CreateOptions, DuplicatePolicy, NewAccount, RestoredFields, Vault,
    };

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::create(
            &dir.path().join("v.tessera"),
            CreateOptions::insecure_for_tests("index test password"),
        )
        .unwrap();
        (dir, v)
    }

    fn new(issuer: &str, account: &str, env: &str, secret: &str) -> NewAccount {
        NewAccount {
            issuer: issuer.into(),
            account: account.into(),
            environment: Environment::parse(env),
            secret: Secret::parse_base32(secret).unwrap().0,
            params: OtpParams::totp(),
            note: String::new(),
        }
    }

    fn plan(text: &str, on_duplicate: OnDuplicate) -> Vec<PlannedImport> {
        formats::import(FormatId::Uris, text.as_bytes(), None)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| PlannedImport::suggested(e, on_duplicate))
            .collect()
    }

    fn same_contents(kept: &AccountIndex, fresh: &AccountIndex) {
        assert_eq!(kept.position, fresh.position);
        assert_eq!(kept.identity, fresh.identity);
        assert_eq!(kept.secret, fresh.secret);
        assert_eq!(kept.ids, fresh.ids);
    }

    /// Review #6: 10,000 entries sharing one key and one name (keep both) go in, each named apart,
    /// with a small warning each. Before the index this took minutes (a scan per add, and a scan per
    /// tried " (n)" suffix); it is not timed here, only checked.
    #[test]
    fn ten_thousand_same_key_same_name_entries_import_correctly() {
        let (_d, mut v) = vault();
        v.add(
            new("Iss", "alice", "", "JBSWY3DPEHPK3PXP"),
            DuplicatePolicy::Refuse,
        )
        .unwrap();
        let text: String = (0..10_000)
            .map(|_| "otpauth://totp/Iss:alice?secret=JBSWY3DPEHPK3PXP\n")
            .collect();
        let counts = v.apply_import(plan(&text, OnDuplicate::KeepBoth)).unwrap();
        assert_eq!((counts.added, counts.skipped), (10_000, 0));
        assert_eq!(v.accounts().len(), 10_001);
        let names: HashSet<&str> = v.accounts().iter().map(|a| a.account.as_str()).collect();
        assert_eq!(names.len(), 10_001, "every name is distinct");
        assert_eq!(v.accounts()[10_000].account, "alice (10001)");
        assert!(v
            .accounts()
            .iter()
            .enumerate()
            .all(|(i, a)| a.position as usize == i));
        let last = counts.warnings.iter().rev().find_map(|w| match w {
            AddWarning::SameSecret { labels, .. } => Some(labels.clone()),
            _ => None,
        });
        let last = last.unwrap();
        assert_eq!(last.len(), 6);
        assert_eq!(last[0], "Iss (alice)");
        assert_eq!(last[5], "9995 more");
        // Skip: nothing more goes in, everything is a duplicate.
        let counts = v.apply_import(plan(&text, OnDuplicate::Skip)).unwrap();
        assert_eq!(counts.skipped_duplicates, 10_000);
    }

    /// The index kept up to date add by add is exactly the index built afresh, whatever happened:
    /// replaces of one and of several twins, keep both, refused duplicates, restored ids (taken and
    /// free), names that differ only in case, spaces or non-ASCII case, and stored positions that did
    /// not match the list order.
    #[test]
    fn the_kept_index_matches_a_fresh_one_after_every_kind_of_add() {
        let (_d, mut v) = vault();
        for (i, n) in [
            new("Ärzte", "Bob", "live", "JBSWY3DPEHPK3PXP"),
            new("ärzte ", " bob", "LIVE", "GEZDGNBVGY3TQOJQ"),
            new("Other", "x", "", "JBSWY3DPEHPK3PXP"),
            new("Iss", "alice", "Training", "GEZDGNBVGY3TQOJQ"),
        ]
        .into_iter()
        .enumerate()
        {
            // The second is a twin of the first, kept apart by keep both.
            let policy = if i == 1 {
                DuplicatePolicy::KeepBoth
            } else {
                DuplicatePolicy::Refuse
            };
            v.add(n, policy).unwrap();
        }
        // Two accounts with one identity (as an edit keeping both can leave them), then positions
        // out of step with the list.
        let bob2 = v.accounts()[1].id;
        v.edit_keeping_both(
            bob2,
            crate::vault::AccountEdit {
                account: Some("Bob".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let first = v.accounts()[0].id;
        v.account_mut(first).unwrap().position = 7;
        let taken_id = v.accounts()[2].id;

        let mut index = v.account_index();
        assert!(!index.numbered);
        let steps: Vec<(NewAccount, Option<Uuid>, DuplicatePolicy)> = vec![
            (
                new("Iss", "new", "", "JBSWY3DPEHPK3PXP"),
                None,
                DuplicatePolicy::Refuse,
            ),
            // Replaces both Bobs at once (they are first in the list).
            (
                new("ÄRZTE", "BOB", "live", "MFRGGZDFMZTWQ2LK"),
                None,
                DuplicatePolicy::Replace,
            ),
            (
                new("Other", "X", "", "GEZDGNBVGY3TQOJQ"),
                Some(taken_id),
                DuplicatePolicy::KeepBoth,
            ),
            (
                new("Other", "x", "", "GEZDGNBVGY3TQOJQ"),
                None,
                DuplicatePolicy::KeepBoth,
            ),
            (
                new("Iss", "alice", "training", "JBSWY3DPEHPK3PXP"),
                Some(Uuid::new_v4()),
                DuplicatePolicy::Replace,
            ),
            (
                new("Iss", "new", "", "JBSWY3DPEHPK3PXP"),
                None,
                DuplicatePolicy::Refuse,
            ),
            (
                new("Other", "x (2)", "", "MFRGGZDFMZTWQ2LK"),
                None,
                DuplicatePolicy::Replace,
            ),
        ];
        for (n, restored_id, policy) in steps {
            let restored = restored_id.map(|id| RestoredFields {
                id,
                created_at: 1,
                previous_secret: None,
                key_changed_at: None,
                previous_params: None,
                recovery: Default::default(),
            });
            let linear_dups: Vec<Uuid> = v
                .duplicates_of(&n.issuer, &n.account, &n.environment)
                .iter()
                .map(|a| a.id)
                .collect();
            assert_eq!(
                index.duplicates(&n.issuer, &n.account, &n.environment),
                linear_dups
            );
            let result = v.add_indexed(n, restored, policy, &mut index);
            if policy == DuplicatePolicy::Refuse && !linear_dups.is_empty() {
                assert!(result.is_err());
            } else {
                result.unwrap();
            }
            same_contents(&index, &v.account_index());
            assert!(index.numbered);
        }
        assert_eq!(
            v.accounts()[0].issuer,
            "ÄRZTE",
            "the replacement took the first Bob's place"
        );
        assert!(v.account(taken_id).is_some());
        let bobs_trashed = v
            .trash()
            .iter()
            .filter(|t| t.account.account.eq_ignore_ascii_case("bob"))
            .count();
        assert_eq!(bobs_trashed, 2, "both twins were replaced");
        let names: Vec<&str> = v
            .accounts()
            .iter()
            .filter(|a| a.issuer == "Other")
            .map(|a| a.account.as_str())
            .collect();
        assert_eq!(names, ["x", "x (2)", "x (3)"]);
    }
}
