//! The rules for accounts in an open vault: adding (duplicates, same-key warnings, batches), editing,
//! renaming, the trash, order, search and codes. (Included from `store.rs` as a child module.)

use super::*;

impl Vault {
    /// All accounts in display order (`position` 0, 1, 2, …).
    pub fn accounts(&self) -> &[Account] {
        &self.body.accounts
    }

    pub fn account(&self, id: Uuid) -> Option<&Account> {
        self.body.accounts.iter().find(|a| a.id == id)
    }

    /// Accounts a new one would be confused with (same issuer, account name and environment).
    pub fn duplicates_of(
        &self,
        issuer: &str,
        account: &str,
        environment: &Environment,
    ) -> Vec<&Account> {
        self.body
            .accounts
            .iter()
            .filter(|a| a.same_identity(issuer, account, environment))
            .collect()
    }

    /// Adds an account, following `policy` when one with the same issuer, account and environment exists.
    pub fn add(
        &mut self,
        new: NewAccount,
        policy: DuplicatePolicy,
    ) -> Result<AddOutcome, VaultError> {
        self.add_restored(new, None, policy)
    }

    /// [`Vault::add`] for an account restored from a backup: its id (unless an account or trashed
    /// account here already has it), creation time, key history and recovery codes come back too.
    pub fn add_restored(
        &mut self,
        new: NewAccount,
        restored: Option<RestoredFields>,
        policy: DuplicatePolicy,
    ) -> Result<AddOutcome, VaultError> {
        let mut index = self.account_index();
        self.add_indexed(new, restored, policy, &mut index)
    }

    /// Hash indexes over the accounts, for [`Vault::add_indexed`] (review #6).
    pub(crate) fn account_index(&self) -> AccountIndex {
        AccountIndex::build(&self.body.accounts, &self.body.trash)
    }

    /// [`Vault::add_restored`] with duplicates, same keys and ids looked up in `index` (built by
    /// [`Vault::account_index`] and kept up to date here), so a batch of adds is not quadratic.
    pub(crate) fn add_indexed(
        &mut self,
        new: NewAccount,
        restored: Option<RestoredFields>,
        policy: DuplicatePolicy,
        index: &mut AccountIndex,
    ) -> Result<AddOutcome, VaultError> {
        new.params
            .validate()
            .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        let now = now_unix();
        let mut account = Account::new(new, now, self.body.accounts.len() as u32);
        if let Some(restored) = restored {
            // A backup's previous key settings are checked like current ones (review #13: digits 0
            // there once broke every code on the screen).
            if let Some(previous) = &restored.previous_params {
                previous.validate().map_err(|e| {
                    VaultError::InvalidAccount(format!("the previous key's settings: {e}"))
                })?;
            }
            let id_free = !index.id_in_use(restored.id);
            restored.apply_to(&mut account, id_free);
        }
        let mut warnings = Vec::new();
        let dups: Vec<Uuid> = index
            .duplicates(&account.issuer, &account.account, &account.environment)
            .to_vec();
        let label_of = |v: &Vault, index: &AccountIndex, id: Uuid| {
            index
                .position(id)
                .map(|i| v.body.accounts[i].label())
                .unwrap_or_default()
        };
        let mut insert_at = self.body.accounts.len();
        let mut removed = 0;
        let mut replaced_in_place = false;
        if !dups.is_empty() {
            match policy {
                DuplicatePolicy::Refuse => {
                    let label = label_of(self, index, dups[0]);
                    return Err(VaultError::Duplicate {
                        existing: dups,
                        label,
                    });
                }
                DuplicatePolicy::Replace => {
                    let mut at: Vec<usize> =
                        dups.iter().filter_map(|id| index.position(*id)).collect();
                    insert_at = at.first().copied().unwrap_or(insert_at);
                    let labels: Vec<String> =
                        at.iter().map(|&i| self.body.accounts[i].label()).collect();
                    index.forget(&self.body.accounts, &dups);
                    at.sort_unstable();
                    removed = at.len();
                    let trashed: Vec<Account> = if let [only] = at[..] {
                        // The new account takes the old one's place: nothing else moves.
                        let placeholder = account.clone();
                        replaced_in_place = true;
                        vec![std::mem::replace(
                            &mut self.body.accounts[only],
                            placeholder,
                        )]
                    } else {
                        let mut trashed: Vec<Account> = at
                            .iter()
                            .rev()
                            .map(|&i| self.body.accounts.remove(i))
                            .collect();
                        trashed.reverse();
                        trashed
                    };
                    for old in trashed {
                        self.push_to_trash(old, TrashReason::Replaced { by: account.id }, now);
                    }
                    warnings.push(AddWarning::Replaced {
                        trashed: dups,
                        labels,
                    });
                }
                DuplicatePolicy::KeepBoth => {
                    account.account = self.distinct_account_name_indexed(&account, index);
                    warnings.push(AddWarning::Renamed {
                        account: account.account.clone(),
                    });
                }
            }
        }
        let id = account.id;
        let insert_at = insert_at.min(self.body.accounts.len());
        if replaced_in_place {
            self.body.accounts[insert_at] = account;
        } else {
            self.body.accounts.insert(insert_at, account);
        }
        // Accounts after `insert_at` moved only when more (or fewer) than one was replaced.
        let end = if removed == 1 || insert_at + 1 == self.body.accounts.len() {
            insert_at + 1
        } else {
            self.body.accounts.len()
        };
        if index.numbered {
            for (i, a) in self.body.accounts[insert_at..end].iter_mut().enumerate() {
                a.position = (insert_at + i) as u32;
            }
        } else {
            self.renumber();
            index.numbered = true;
        }
        index.inserted(&self.body.accounts, insert_at, insert_at + 1..end);
        if let Some(w) = self.same_secret_warning_indexed(id, index) {
            warnings.insert(0, w);
        }
        Ok(AddOutcome { id, warnings })
    }

    /// Adds several accounts (an import, a migration export) all or nothing: if any is refused, the
    /// vault is left exactly as it was. With [`DuplicatePolicy::Refuse`], clashes with the vault are
    /// reported together, and two accounts in `accounts` that would clash with each other are refused
    /// as [`VaultError::DuplicateInBatch`] (Google exports carry no environment, so a Live and a
    /// Sandpit login arrive with the same name): choose keep both, then set the environments.
    pub fn add_all(
        &mut self,
        accounts: Vec<NewAccount>,
        policy: DuplicatePolicy,
    ) -> Result<Vec<AddOutcome>, VaultError> {
        let mut index = self.account_index();
        if policy == DuplicatePolicy::Refuse {
            let mut existing = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let mut labels = Vec::new();
            for n in &accounts {
                for id in index.duplicates(&n.issuer, &n.account, &n.environment) {
                    if seen.insert(*id) {
                        existing.push(*id);
                        if let Some(i) = index.position(*id) {
                            labels.push(self.body.accounts[i].label());
                        }
                    }
                }
            }
            if !existing.is_empty() {
                return Err(VaultError::Duplicate {
                    existing,
                    label: labels.join(", "),
                });
            }
            let mut in_batch = std::collections::HashSet::new();
            for n in &accounts {
                if !in_batch.insert(identity_key(&n.issuer, &n.account, &n.environment)) {
                    return Err(VaultError::DuplicateInBatch {
                        label: Account::new(n.clone(), 0, 0).label(),
                    });
                }
            }
        }
        let snapshot = self.body.clone();
        let mut outcomes = Vec::with_capacity(accounts.len());
        for n in accounts {
            match self.add_indexed(n, None, policy, &mut index) {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    self.body = snapshot;
                    return Err(e);
                }
            }
        }
        Ok(outcomes)
    }

    /// Runs `f` on the vault all or nothing: when it fails, the accounts, the trash and the unlock
    /// methods (vault key, slots: a password set or changed in `f`) are put back exactly as they were.
    /// Nothing is saved by this; `f` saves as its last step, so a failed save (review #15) leaves
    /// memory as it is on disk and a later save cannot write the abandoned change after all.
    pub fn transaction<T, E>(
        &mut self,
        f: impl FnOnce(&mut Vault) -> Result<T, E>,
    ) -> Result<T, E> {
        let snapshot = self.body.clone();
        let unlock = self.unlock_state();
        let forget_previous = self.forget_previous;
        let result = f(self);
        if result.is_err() {
            self.body = snapshot;
            self.restore_unlock_state(unlock);
            self.forget_previous = forget_previous;
        }
        result
    }

    /// "name (2)", "name (3)", … : the first that no account in the same issuer and environment uses.
    pub(super) fn distinct_account_name(&self, account: &Account) -> String {
        let base = account.account.clone();
        (2u32..)
            .map(|n| {
                if base.is_empty() {
                    format!("({n})")
                } else {
                    format!("{base} ({n})")
                }
            })
            .find(|name| {
                self.duplicates_of(&account.issuer, name, &account.environment)
                    .is_empty()
            })
            .expect("some suffix is free")
    }

    pub(super) fn same_secret_warning(
        &self,
        secret: &Secret,
        except: Option<Uuid>,
    ) -> Option<AddWarning> {
        // At most a few names per warning (review #6: naming every earlier account made an import of
        // 20,000 same-key accounts quadratic in memory, 14 GB); "and N more" says the rest.
        const NAMED: usize = 5;
        let mut same = self
            .body
            .accounts
            .iter()
            .filter(|a| Some(a.id) != except && a.secret == *secret);
        let first: Vec<&Account> = same.by_ref().take(NAMED).collect();
        if first.is_empty() {
            return None;
        }
        let more = same.count();
        let mut labels: Vec<String> = first.iter().map(|a| a.label()).collect();
        if more > 0 {
            labels.push(format!("{more} more"));
        }
        Some(AddWarning::SameSecret {
            existing: first.iter().map(|a| a.id).collect(),
            labels,
        })
    }

    /// [`Vault::distinct_account_name`] through the index.
    fn distinct_account_name_indexed(&self, account: &Account, index: &mut AccountIndex) -> String {
        let base = account.account.clone();
        let name = |n: u32| {
            if base.is_empty() {
                format!("({n})")
            } else {
                format!("{base} ({n})")
            }
        };
        let n = index.free_suffix(&account.issuer, &account.environment, &base, |index, n| {
            !index
                .duplicates(&account.issuer, &name(n), &account.environment)
                .is_empty()
        });
        name(n)
    }

    /// [`Vault::same_secret_warning`] for the account `id` just added, through the index.
    fn same_secret_warning_indexed(&self, id: Uuid, index: &AccountIndex) -> Option<AddWarning> {
        const NAMED: usize = 5;
        let secret = &self.body.accounts[index.position(id)?].secret;
        let same = index.same_secret(secret);
        let first: Vec<Uuid> = same
            .iter()
            .filter(|other| **other != id)
            .take(NAMED)
            .copied()
            .collect();
        if first.is_empty() {
            return None;
        }
        // `same` holds `id` itself once.
        let more = same.len() - 1 - first.len();
        let mut labels: Vec<String> = first
            .iter()
            .filter_map(|other| index.position(*other))
            .map(|i| self.body.accounts[i].label())
            .collect();
        if more > 0 {
            labels.push(format!("{more} more"));
        }
        Some(AddWarning::SameSecret {
            existing: first,
            labels,
        })
    }

    pub(super) fn index_of(&self, id: Uuid) -> Result<usize, VaultError> {
        self.body
            .accounts
            .iter()
            .position(|a| a.id == id)
            .ok_or(VaultError::UnknownAccount(id))
    }

    /// Where the account `id` is in the trash.
    fn trash_index_of(&self, id: Uuid) -> Result<usize, VaultError> {
        self.body
            .trash
            .iter()
            .position(|t| t.account.id == id)
            .ok_or(VaultError::NotInTrash(id))
    }

    /// Changes an account. Refused if it would then clash with another account (same issuer, account
    /// name and environment). A new secret keeps the old one as `previous_secret`.
    pub fn edit(&mut self, id: Uuid, edit: AccountEdit) -> Result<Vec<AddWarning>, VaultError> {
        self.edit_with(id, edit, false)
    }

    /// [`Vault::edit`] that keeps both when the new names and environment are already taken (the
    /// person chose "keep both"; the twins stay apart by their environments or notes).
    pub fn edit_keeping_both(
        &mut self,
        id: Uuid,
        edit: AccountEdit,
    ) -> Result<Vec<AddWarning>, VaultError> {
        self.edit_with(id, edit, true)
    }

    /// [`Vault::edit`] with the person's answer when the new issuer, account and environment are
    /// already taken: refuse, move the other account(s) to the trash (restorable), or keep both.
    /// All or nothing: if any step fails, nothing changes.
    pub fn edit_resolving(
        &mut self,
        id: Uuid,
        edit: AccountEdit,
        clash: EditClash,
    ) -> Result<Vec<AddWarning>, VaultError> {
        match clash {
            EditClash::Refuse => self.edit(id, edit),
            EditClash::KeepBoth => self.edit_keeping_both(id, edit),
            EditClash::Replace => self.transaction(|v| match v.edit(id, edit.clone()) {
                Err(VaultError::Duplicate { existing, .. }) => {
                    for other in existing {
                        v.remove(other)?;
                    }
                    v.edit(id, edit)
                }
                done => done,
            }),
        }
    }

    pub(super) fn edit_with(
        &mut self,
        id: Uuid,
        edit: AccountEdit,
        keep_both: bool,
    ) -> Result<Vec<AddWarning>, VaultError> {
        let index = self.index_of(id)?;
        let current = &self.body.accounts[index];
        // A field the edit leaves out keeps its value; a given one is trimmed like a new account's.
        let edited = |given: &Option<String>, kept: &str| {
            given.as_deref().map(str::trim).unwrap_or(kept).to_string()
        };
        let issuer = edited(&edit.issuer, &current.issuer);
        let name = edited(&edit.account, &current.account);
        let environment = edit
            .environment
            .clone()
            .unwrap_or_else(|| current.environment.clone());
        if let Some(params) = &edit.params {
            params
                .validate()
                .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        }
        let clash: Vec<Uuid> = self
            .duplicates_of(&issuer, &name, &environment)
            .iter()
            .filter(|a| a.id != id)
            .map(|a| a.id)
            .collect();
        if !clash.is_empty() && !keep_both {
            let label = self
                .account(clash[0])
                .map(|a| a.label())
                .unwrap_or_default();
            return Err(VaultError::Duplicate {
                existing: clash,
                label,
            });
        }
        let mut warnings = Vec::new();
        if let Some(secret) = &edit.secret {
            if let Some(w) = self.same_secret_warning(secret, Some(id)) {
                warnings.push(w);
            }
        }
        let now = now_unix();
        let a = &mut self.body.accounts[index];
        a.issuer = issuer;
        a.account = name;
        a.environment = environment;
        if let Some(params) = edit.params {
            a.params = params;
        }
        if let Some(note) = edit.note {
            a.note = note;
        }
        if let Some(secret) = edit.secret {
            if secret != a.secret {
                a.previous_secret = Some(std::mem::replace(&mut a.secret, secret));
                a.key_changed_at = Some(now);
            }
        }
        a.updated_at = now;
        Ok(warnings)
    }

    /// Sets issuer and account name (see [`Vault::edit`] for the rules).
    pub fn rename(&mut self, id: Uuid, issuer: &str, account: &str) -> Result<(), VaultError> {
        self.edit(
            id,
            AccountEdit {
                issuer: Some(issuer.into()),
                account: Some(account.into()),
                ..Default::default()
            },
        )
        .map(|_| ())
    }

    /// Moves an account to the trash (recoverable with [`Vault::restore`]).
    pub fn remove(&mut self, id: Uuid) -> Result<(), VaultError> {
        self.index_of(id)?;
        self.move_to_trash(id, TrashReason::Removed, now_unix());
        self.renumber();
        Ok(())
    }

    /// Mutable access for the sibling modules that add account features (re-enrolment, recovery
    /// codes); they keep the vault's rules themselves.
    pub(in crate::vault) fn account_mut(&mut self, id: Uuid) -> Result<&mut Account, VaultError> {
        let index = self.index_of(id)?;
        Ok(&mut self.body.accounts[index])
    }

    /// Puts an account that is not in the list (e.g. a replaced key kept as its own account) in the trash.
    pub(in crate::vault) fn push_to_trash(
        &mut self,
        account: Account,
        reason: TrashReason,
        now: u64,
    ) {
        self.body.trash.push(TrashedAccount {
            account,
            trashed_at: now,
            reason,
            extra: Extra::default(),
        });
    }

    pub(super) fn move_to_trash(&mut self, id: Uuid, reason: TrashReason, now: u64) {
        if let Some(i) = self.body.accounts.iter().position(|a| a.id == id) {
            let account = self.body.accounts.remove(i);
            self.body.trash.push(TrashedAccount {
                account,
                trashed_at: now,
                reason,
                extra: Extra::default(),
            });
        }
    }

    /// Accounts removed or replaced, oldest first.
    pub fn trash(&self) -> &[TrashedAccount] {
        &self.body.trash
    }

    /// Brings an account back from the trash, at the end of the list. If an account with the same
    /// issuer, account name and environment exists by now, both are kept (the restored one is renamed).
    pub fn restore(&mut self, id: Uuid) -> Result<AddOutcome, VaultError> {
        let i = self.trash_index_of(id)?;
        let mut account = self.body.trash.remove(i).account;
        let mut warnings = Vec::new();
        if !self
            .duplicates_of(&account.issuer, &account.account, &account.environment)
            .is_empty()
        {
            account.account = self.distinct_account_name(&account);
            warnings.push(AddWarning::Renamed {
                account: account.account.clone(),
            });
        }
        if let Some(w) = self.same_secret_warning(&account.secret, None) {
            warnings.insert(0, w);
        }
        account.updated_at = now_unix();
        self.body.accounts.push(account);
        self.renumber();
        Ok(AddOutcome { id, warnings })
    }

    /// Deletes an account from the trash for good.
    pub fn purge(&mut self, id: Uuid) -> Result<(), VaultError> {
        let i = self.trash_index_of(id)?;
        self.body.trash.remove(i);
        self.forget_previous = true;
        Ok(())
    }

    /// Sets the display order: `ids` must name every account exactly once.
    pub fn reorder(&mut self, ids: &[Uuid]) -> Result<(), VaultError> {
        if ids.len() != self.body.accounts.len() {
            return Err(VaultError::BadOrder(format!(
                "{} ids given for {} accounts",
                ids.len(),
                self.body.accounts.len()
            )));
        }
        let mut reordered = Vec::with_capacity(ids.len());
        let mut remaining: Vec<Option<Account>> = self.body.accounts.drain(..).map(Some).collect();
        for id in ids {
            match remaining
                .iter_mut()
                .find(|a| a.as_ref().is_some_and(|a| a.id == *id))
            {
                Some(slot) => reordered.push(slot.take().unwrap()),
                None => {
                    // Put everything back as it was before reporting.
                    self.body.accounts = reordered
                        .into_iter()
                        .chain(remaining.into_iter().flatten())
                        .collect();
                    self.body.accounts.sort_by_key(|a| a.position);
                    return Err(VaultError::BadOrder(format!("{id} is unknown or repeated")));
                }
            }
        }
        self.body.accounts = reordered;
        self.renumber();
        Ok(())
    }

    /// Moves one account to `position` (clamped to the end), shifting the others.
    pub fn move_account(&mut self, id: Uuid, position: usize) -> Result<(), VaultError> {
        let i = self.index_of(id)?;
        let account = self.body.accounts.remove(i);
        let position = position.min(self.body.accounts.len());
        self.body.accounts.insert(position, account);
        self.renumber();
        Ok(())
    }

    /// Makes `position` match the list order (the list order is the truth in memory).
    pub(super) fn renumber(&mut self) {
        for (i, a) in self.body.accounts.iter_mut().enumerate() {
            a.position = i as u32;
        }
    }

    /// Accounts matching `query`, optionally only in `environment` (`Some(&Environment::None)` means
    /// accounts without an environment). Matching ignores case: a full id or an id prefix of at least 4
    /// characters; else exact issuer, account name or "issuer:account"; else (only if nothing matched
    /// exactly) a substring of those. An empty query matches every account.
    pub fn find(&self, query: &str, environment: Option<&Environment>) -> Vec<&Account> {
        let q = fold(query);
        let pool: Vec<&Account> = self
            .body
            .accounts
            .iter()
            .filter(|a| environment.is_none_or(|e| a.environment == *e))
            .collect();
        if q.is_empty() {
            return pool;
        }
        if q.len() >= 4 && q.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let by_id: Vec<&Account> = pool
                .iter()
                .copied()
                .filter(|a| a.id.to_string().starts_with(&q))
                .collect();
            if !by_id.is_empty() {
                return by_id;
            }
        }
        let combined = |a: &Account| fold(&format!("{}:{}", a.issuer, a.account));
        let exact: Vec<&Account> = pool
            .iter()
            .copied()
            .filter(|a| fold(&a.issuer) == q || fold(&a.account) == q || combined(a) == q)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        pool.into_iter()
            .filter(|a| combined(a).contains(&q))
            .collect()
    }

    /// The current code of an account (for HOTP: the code for the stored counter; see [`Vault::next_hotp`]).
    pub fn code(&self, id: Uuid, unix_seconds: u64) -> Result<Code, VaultError> {
        let a = self.account(id).ok_or(VaultError::UnknownAccount(id))?;
        let generator = a
            .to_entry()
            .generator()
            .map_err(|e| VaultError::InvalidAccount(e.to_string()))?;
        Ok(generator.code_at(unix_seconds))
    }

    /// HOTP: the code for the current counter, then advances the counter (save afterwards so a code is
    /// never shown twice).
    pub fn next_hotp(&mut self, id: Uuid) -> Result<Code, VaultError> {
        let code = self.code(id, 0)?;
        let i = self.index_of(id)?;
        let a = &mut self.body.accounts[i];
        a.params.counter = a.params.counter.wrapping_add(1);
        a.updated_at = now_unix();
        Ok(code)
    }
}
