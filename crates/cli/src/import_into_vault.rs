//! The non-dry-run half of `tessera import`: preview against the vault (new, duplicate and what will
//! happen to it), confirmation at a terminal, then the adds under the vault's duplicate rules.

use crate::cli_error::{CliError, CliResult};
use crate::cmd_import::{describe, ImportArgs, Source};
use crate::vault_access::{open_vault, save, vault_error};
use std::io::{IsTerminal, Write};
use std::path::Path;
use tessera_core::formats::ImportedEntry;
use tessera_core::vault::{DuplicatePolicy, Environment, NewAccount, Vault};

#[derive(Clone, Copy, PartialEq, Eq)]
enum OnDuplicate {
    Skip,
    Replace,
    KeepBoth,
}

impl OnDuplicate {
    fn of(args: &ImportArgs) -> Self {
        if args.replace {
            OnDuplicate::Replace
        } else if args.keep_both {
            OnDuplicate::KeepBoth
        } else {
            OnDuplicate::Skip
        }
    }
    fn verb(self) -> &'static str {
        match self {
            OnDuplicate::Skip => "skip",
            OnDuplicate::Replace => "replace the existing one (it goes to the trash)",
            OnDuplicate::KeepBoth => "keep both",
        }
    }
}

fn environment_of(e: &ImportedEntry) -> Environment {
    Environment::parse(e.environment_hint.as_deref().unwrap_or(""))
}

/// What the vault already holds under the same issuer, account and environment.
fn duplicates(vault: &Vault, e: &ImportedEntry) -> Vec<String> {
    vault
        .duplicates_of(&e.entry.issuer, &e.entry.account, &environment_of(e))
        .iter()
        .map(|a| a.label())
        .collect()
}

pub fn run(args: &ImportArgs, sources: Vec<Source>, vault_path: Option<&Path>) -> CliResult {
    let on_duplicate = OnDuplicate::of(args);
    let mut vault = open_vault(vault_path)?;

    // Preview: nothing is written before this has been shown (and, at a terminal, confirmed).
    let mut to_add = 0usize;
    let mut cannot = 0usize;
    for source in &sources {
        println!(
            "{} ({}):",
            source.path.display(),
            source.format.display_name()
        );
        for e in &source.result.entries {
            let dups = duplicates(&vault, e);
            let env = environment_of(e);
            let env_text = if env.is_none() {
                String::new()
            } else {
                format!(" [{}]", env.label())
            };
            if dups.is_empty() {
                println!("  + new: {}{env_text}", describe(e));
                to_add += 1;
            } else {
                println!(
                    "  = duplicate of {}: will {}",
                    dups.join(", "),
                    on_duplicate.verb()
                );
                if on_duplicate != OnDuplicate::Skip {
                    to_add += 1;
                }
            }
        }
        for err in &source.result.errors {
            println!("  ! cannot import {err}");
            cannot += 1;
        }
    }
    if to_add == 0 {
        return Err(CliError::nothing_found(
            "nothing to import: every account is already in the vault or cannot be imported",
        ));
    }
    if std::io::stdin().is_terminal()
        && !args.yes
        && !confirm(&format!(
            "Import {to_add} account(s) into the vault? [y/N] "
        ))?
    {
        return Err(CliError::bad_input("import cancelled; nothing was written"));
    }

    let mut added = 0usize;
    let mut skipped = 0usize;
    for source in sources {
        for e in source.result.entries {
            // Checked again here: two files (or one file twice) can hold the same account.
            if !duplicates(&vault, &e).is_empty() && on_duplicate == OnDuplicate::Skip {
                skipped += 1;
                continue;
            }
            let policy = match on_duplicate {
                OnDuplicate::Replace => DuplicatePolicy::Replace,
                OnDuplicate::KeepBoth => DuplicatePolicy::KeepBoth,
                OnDuplicate::Skip => DuplicatePolicy::Refuse,
            };
            let environment = environment_of(&e);
            let mut new = NewAccount::from_entry(e.entry, environment);
            new.note = e.note;
            let outcome = vault.add(new, policy).map_err(vault_error)?;
            for w in outcome.warnings {
                eprintln!("warning: {w}");
            }
            added += 1;
        }
    }
    save(&mut vault)?;
    println!(
        "imported {added} account(s); skipped {skipped} duplicate(s); {cannot} could not be imported"
    );
    Ok(())
}

fn confirm(question: &str) -> Result<bool, CliError> {
    print!("{question}");
    std::io::stdout().flush().ok();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::bad_input(format!("could not read the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
