//! Putting imported entries (another app's export, or a Tessera backup being restored) into the vault
//! with a choice per entry. The CLI (one choice for the whole run) and the app (a choice per row of
//! the preview) both go through [`Vault::apply_import`], so duplicates are decided in one place.

use crate::formats::ImportedEntry;
use crate::vault::index::AccountIndex;
use crate::vault::{
    Account, AddWarning, DuplicatePolicy, Environment, NewAccount, Vault, VaultError,
};

/// What to do with an imported entry that has the same issuer, account name and environment as an
/// account in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnDuplicate {
    /// Leave the vault's account alone and drop the imported one (the default: never overwrite).
    #[default]
    Skip,
    /// Move the vault's account to the trash and put the imported one in its place.
    Replace,
    /// Keep both; the imported one gets a " (2)" suffix.
    KeepBoth,
}

/// One entry of a confirmed preview.
#[derive(Debug, Clone)]
pub struct PlannedImport {
    pub entry: ImportedEntry,
    /// Where the account goes (the suggestion, or what the person chose instead).
    pub environment: Environment,
    /// False when the person unticked the entry.
    pub import: bool,
    /// Used when the vault has (by the time it is added) an account with the same name: also for two
    /// entries of the same file that clash with each other.
    pub on_duplicate: OnDuplicate,
}

impl PlannedImport {
    /// Import with the suggested environment and one duplicate rule (what the CLI does).
    pub fn suggested(entry: ImportedEntry, on_duplicate: OnDuplicate) -> PlannedImport {
        PlannedImport {
            environment: entry.suggested_environment(),
            entry,
            import: true,
            on_duplicate,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Accounts added that replaced nothing (kept-both duplicates included).
    pub added: usize,
    /// Accounts added in place of one that went to the trash.
    pub replaced: usize,
    /// Entries not imported: unticked, or duplicates to skip.
    pub skipped: usize,
    /// Of `skipped`, the ones skipped because they were duplicates.
    pub skipped_duplicates: usize,
    /// Recovery codes that came with restored accounts.
    pub recovery_codes: usize,
    /// Things to tell the person (same key stored twice, renamed to keep both, replaced).
    pub warnings: Vec<AddWarning>,
}

/// Answers [`Vault::import_duplicates`] by hash; see [`Vault::duplicate_lookup`].
pub struct DuplicateLookup<'a> {
    vault: &'a Vault,
    index: AccountIndex,
}

impl<'a> DuplicateLookup<'a> {
    /// The same answer as [`Vault::import_duplicates`], in vault order.
    pub fn import_duplicates(
        &self,
        entry: &ImportedEntry,
        environment: &Environment,
    ) -> Vec<&'a Account> {
        self.index
            .duplicates(&entry.entry.issuer, &entry.entry.account, environment)
            .iter()
            .filter_map(|id| self.index.position(*id))
            .map(|i| &self.vault.accounts()[i])
            .collect()
    }
}

impl Vault {
    /// The accounts an imported entry would clash with if it went to `environment`.
    pub fn import_duplicates(
        &self,
        entry: &ImportedEntry,
        environment: &Environment,
    ) -> Vec<&Account> {
        self.duplicates_of(&entry.entry.issuer, &entry.entry.account, environment)
    }

    /// [`Vault::import_duplicates`] for many entries: an index built once, so a preview of a big
    /// file is not a scan of the vault per entry (review #6).
    pub fn duplicate_lookup(&self) -> DuplicateLookup<'_> {
        DuplicateLookup {
            vault: self,
            index: self.account_index(),
        }
    }

    /// Adds the planned entries in order, all or nothing: if any add fails, the vault is left as it
    /// was. Duplicates are checked as each entry is added, so one file holding the same account twice
    /// follows the same rule as a clash with the vault. Nothing is saved here; the caller saves.
    pub fn apply_import(&mut self, plan: Vec<PlannedImport>) -> Result<ImportCounts, VaultError> {
        self.transaction(|vault| {
            // One index for the whole plan (review #6: a scan per entry made big files quadratic).
            let mut index = vault.account_index();
            let mut counts = ImportCounts::default();
            for item in plan {
                if !item.import {
                    counts.skipped += 1;
                    continue;
                }
                let has_duplicate = !index
                    .duplicates(
                        &item.entry.entry.issuer,
                        &item.entry.entry.account,
                        &item.environment,
                    )
                    .is_empty();
                let policy = match (has_duplicate, item.on_duplicate) {
                    (true, OnDuplicate::Skip) => {
                        counts.skipped += 1;
                        counts.skipped_duplicates += 1;
                        continue;
                    }
                    (true, OnDuplicate::Replace) => DuplicatePolicy::Replace,
                    (true, OnDuplicate::KeepBoth) => DuplicatePolicy::KeepBoth,
                    (false, _) => DuplicatePolicy::Refuse,
                };
                let ImportedEntry {
                    entry,
                    note,
                    restored,
                    ..
                } = item.entry;
                let mut new = NewAccount::from_entry(entry, item.environment);
                new.note = note;
                counts.recovery_codes += restored.as_ref().map_or(0, |r| r.recovery.codes.len());
                let outcome = vault.add_indexed(new, restored, policy, &mut index)?;
                if policy == DuplicatePolicy::Replace {
                    counts.replaced += 1;
                } else {
                    counts.added += 1;
                }
                counts.warnings.extend(outcome.warnings);
            }
            Ok(counts)
        })
    }
}
