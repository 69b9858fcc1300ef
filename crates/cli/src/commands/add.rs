//! `tessera add`: put accounts into the vault, from a secret key, a URI or a QR code image (an
//! otpauth-migration export adds every account in it). An account like one already stored is refused unless --replace or
//! --keep-both says what to do.

use crate::cli_error::{CliError, CliResult};
use crate::flags::{parse_secret, OtpFlags, OTP_FLAG_IDS};
use crate::vault_access::{open_vault, save, vault_error};
use clap::Args;
use std::path::Path;
use tessera_core::vault::{DuplicatePolicy, Environment, NewAccount, VaultError};
use tessera_core::OtpEntry;

#[derive(Args)]
pub struct AddArgs {
    /// The secret key (Base32; spaces, dashes, lower case and `=` padding are fine). `-` reads it from
    /// standard input, or asks without echo at a terminal (keeps it out of `ps` and shell history).
    #[arg(long, conflicts_with_all = ["uri", "image"], required_unless_present_any = ["uri", "image"])]
    pub secret: Option<String>,
    /// An otpauth:// URI, or an otpauth-migration:// export (adds every account in it).
    #[arg(long, conflicts_with = "image", conflicts_with_all = OTP_FLAG_IDS)]
    pub uri: Option<String>,
    /// An image (screenshot, photo) of a QR code: an account or a Google Authenticator export.
    #[arg(long, value_name = "FILE", conflicts_with_all = OTP_FLAG_IDS)]
    pub image: Option<std::path::PathBuf>,
    /// The service, e.g. "NHS Mail" (overrides the URI's).
    #[arg(long)]
    pub issuer: Option<String>,
    /// The user name at the service (overrides the URI's).
    #[arg(long)]
    pub account: Option<String>,
    /// live, sandpit or another name, to keep logins for the same service apart; `none` adds a second
    /// login without an environment on purpose.
    #[arg(long, value_name = "live|sandpit|NAME|none")]
    pub env: Option<String>,
    #[command(flatten)]
    pub otp: OtpFlags,
    /// A note kept with the account.
    #[arg(long)]
    pub note: Option<String>,
    /// If the same issuer, account and environment exist, replace them (the old one goes to the trash).
    #[arg(long, conflicts_with = "keep_both")]
    pub replace: bool,
    /// If the same issuer, account and environment exist, keep both (the new one is renamed "… (2)").
    #[arg(long)]
    pub keep_both: bool,
}

pub fn run(args: AddArgs, vault_path: Option<&Path>) -> CliResult {
    let entries = entries_from_args(&args)?;
    // `--env none` says "no environment" on purpose; leaving --env out does not, when the same login
    // already exists in named environments (the core's conflict rule decides).
    let env_given = args.env.is_some();
    let environment = match args.env.as_deref().map(str::trim) {
        Some(e) if e.eq_ignore_ascii_case("none") => Environment::None,
        Some(e) => Environment::parse(e),
        None => Environment::None,
    };
    let policy = if args.replace {
        DuplicatePolicy::Replace
    } else if args.keep_both {
        DuplicatePolicy::KeepBoth
    } else {
        DuplicatePolicy::Refuse
    };
    let mut vault = open_vault(vault_path)?;
    let new: Vec<NewAccount> = entries
        .into_iter()
        .map(|e| NewAccount {
            note: args.note.clone().unwrap_or_default(),
            ..NewAccount::from_entry(e, environment.clone())
        })
        .collect();
    if !env_given {
        for n in &new {
            let c = vault.conflicts(&n.issuer, &n.account, &n.environment);
            if c.needs_environment {
                let names: Vec<&str> = c.environments.iter().map(|e| e.label()).collect();
                return Err(CliError::bad_input(format!(
                    "{} already exists in {}. Say which environment this login is with \
                     --env live|sandpit|NAME, or --env none to add it without one. Nothing was added",
                    n.label(),
                    join_words(&names)
                )));
            }
        }
    }
    // All or nothing: a refused account leaves the vault unchanged and nothing is saved.
    let added = match vault.add_all(new, policy) {
        Ok(added) => added,
        Err(VaultError::Duplicate { existing, .. }) => {
            let clashes: Vec<String> = existing
                .iter()
                .filter_map(|id| vault.account(*id))
                .map(|a| format!("{} (id {})", a.label(), a.id))
                .collect();
            return Err(CliError::bad_input(format!(
                "{} already in the vault: {}. Nothing was added. Add --replace to replace \
                 (the old account goes to the trash) or --keep-both to keep both",
                if clashes.len() == 1 {
                    "this account is"
                } else {
                    "these accounts are"
                },
                clashes.join(", ")
            )));
        }
        Err(VaultError::DuplicateInBatch { label }) => {
            return Err(CliError::bad_input(format!(
                "{label} appears more than once in this export. Nothing was added. Add --keep-both \
                 to add every copy (renamed \" (2)\", …), then set their environments with \
                 `tessera edit ID --env live|sandpit`"
            )))
        }
        Err(e) => return Err(vault_error(e)),
    };
    save(&mut vault)?;
    for outcome in added {
        for w in &outcome.warnings {
            eprintln!("warning: {w}");
        }
        let label = vault
            .account(outcome.id)
            .map(|a| a.label())
            .unwrap_or_default();
        println!("Added {label}  (id {})", outcome.id);
    }
    Ok(())
}

fn entries_from_args(args: &AddArgs) -> Result<Vec<OtpEntry>, CliError> {
    let mut entries = if let Some(path) = &args.image {
        crate::account_input::entries_from_image(path)?
    } else if let Some(text) = &args.uri {
        crate::account_input::entries_from_uri_text(text)?
    } else {
        let secret = parse_secret(args.secret.as_deref().unwrap_or_default())?;
        vec![OtpEntry::new("", "", secret, args.otp.params()?)]
    };
    if entries.len() > 1 && (args.issuer.is_some() || args.account.is_some()) {
        return Err(CliError::bad_input(
            "--issuer and --account name one account; this holds several",
        ));
    }
    for e in &mut entries {
        if let Some(i) = &args.issuer {
            e.issuer = i.trim().to_string();
        }
        if let Some(a) = &args.account {
            e.account = a.trim().to_string();
        }
    }
    if args.secret.is_some() && entries[0].issuer.is_empty() && entries[0].account.is_empty() {
        return Err(CliError::bad_input(
            "give the account a name with --issuer and/or --account",
        ));
    }
    Ok(entries)
}

/// "Live", "Live and Sandpit", "Live, Sandpit and Training".
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
