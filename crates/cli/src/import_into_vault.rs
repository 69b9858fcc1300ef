//! The non-dry-run half of `tessera import`: preview against the vault (new, duplicate and what will
//! happen to it), confirmation at a terminal, then the adds under the vault's duplicate rules.

use crate::cli_error::{CliError, CliResult};
use crate::commands::import::{describe, ImportArgs, Source};
use crate::vault_access::{open_vault, save, vault_error};
use std::io::{IsTerminal, Write};
use std::path::Path;
use tessera_core::formats::ImportedEntry;
use tessera_core::import::{DuplicateLookup, OnDuplicate, PlannedImport};

fn on_duplicate(args: &ImportArgs) -> OnDuplicate {
    if args.replace {
        OnDuplicate::Replace
    } else if args.keep_both {
        OnDuplicate::KeepBoth
    } else {
        OnDuplicate::Skip
    }
}

fn verb(on_duplicate: OnDuplicate) -> &'static str {
    match on_duplicate {
        OnDuplicate::Skip => "skip",
        OnDuplicate::Replace => "replace the existing one (it goes to the trash)",
        OnDuplicate::KeepBoth => "keep both",
    }
}

/// What the vault already holds under the same issuer, account and environment.
fn duplicates(lookup: &DuplicateLookup, e: &ImportedEntry) -> Vec<String> {
    lookup
        .import_duplicates(e, &e.suggested_environment())
        .iter()
        .map(|a| a.label())
        .collect()
}

pub fn run(args: &ImportArgs, sources: Vec<Source>, vault_path: Option<&Path>) -> CliResult {
    let on_duplicate = on_duplicate(args);
    let mut vault = open_vault(vault_path)?;

    // Preview: nothing is written before this has been shown (and, at a terminal, confirmed).
    let mut to_add = 0usize;
    let mut cannot = 0usize;
    let lookup = vault.duplicate_lookup();
    for source in &sources {
        println!(
            "{} ({}):",
            source.path.display(),
            source.format.display_name()
        );
        for e in &source.result.entries {
            let dups = duplicates(&lookup, e);
            let env = e.suggested_environment();
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
                    verb(on_duplicate)
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
        for w in &source.result.warnings {
            println!("  ! note: {w}");
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

    // Duplicates are checked again as each entry is added: two files (or one file twice) can hold
    // the same account.
    let plan: Vec<PlannedImport> = sources
        .into_iter()
        .flat_map(|s| s.result.entries)
        .map(|e| PlannedImport::suggested(e, on_duplicate))
        .collect();
    let counts = vault.apply_import(plan).map_err(vault_error)?;
    for w in &counts.warnings {
        eprintln!("warning: {w}");
    }
    save(&mut vault)?;
    println!(
        "imported {} account(s); skipped {} duplicate(s); {cannot} could not be imported",
        counts.added + counts.replaced,
        counts.skipped_duplicates
    );
    if counts.recovery_codes > 0 {
        println!(
            "restored {} recovery code(s) with their used state",
            counts.recovery_codes
        );
    }
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
