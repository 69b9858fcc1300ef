//! `tessera add`: put accounts into the vault, from a secret key, a URI or a QR code image (an
//! otpauth-migration export adds every account in it). An account like one already stored is refused unless --replace or
//! --keep-both says what to do.

use crate::cli_error::{CliError, CliResult};
use crate::cmd_code::{params_from_flags, CodeArgs};
use crate::vault_access::{open_vault, save, vault_error};
use clap::Args;
use std::path::Path;
use tessera_core::vault::{DuplicatePolicy, Environment, NewAccount, VaultError};
use tessera_core::{OtpEntry, Secret};

#[derive(Args)]
pub struct AddArgs {
    /// The secret key (Base32; spaces, dashes, lower case and `=` padding are fine). `-` reads it from
    /// standard input, or asks without echo at a terminal (keeps it out of `ps` and shell history).
    #[arg(long, conflicts_with_all = ["uri", "image"], required_unless_present_any = ["uri", "image"])]
    pub secret: Option<String>,
    /// An otpauth:// URI, or an otpauth-migration:// export (adds every account in it).
    #[arg(long, conflicts_with = "image")]
    pub uri: Option<String>,
    /// An image (screenshot, photo) of a QR code: an account or a Google Authenticator export.
    #[arg(long, value_name = "FILE")]
    pub image: Option<std::path::PathBuf>,
    /// The service, e.g. "NHS Mail" (overrides the URI's).
    #[arg(long)]
    pub issuer: Option<String>,
    /// The user name at the service (overrides the URI's).
    #[arg(long)]
    pub account: Option<String>,
    /// live, sandpit or another name, to keep logins for the same service apart.
    #[arg(long, value_name = "live|sandpit|NAME")]
    pub env: Option<String>,
    /// totp, hotp or steam (with --secret).
    #[arg(long = "type", value_name = "TYPE", conflicts_with_all = ["uri", "image"])]
    pub kind: Option<String>,
    /// SHA1, SHA256 or SHA512 (with --secret).
    #[arg(long, conflicts_with_all = ["uri", "image"])]
    pub algorithm: Option<String>,
    /// Number of digits, 6 to 10 (with --secret).
    #[arg(long, conflicts_with_all = ["uri", "image"])]
    pub digits: Option<String>,
    /// Seconds per code (with --secret).
    #[arg(long, conflicts_with_all = ["uri", "image"])]
    pub period: Option<String>,
    /// HOTP counter (with --secret).
    #[arg(long, conflicts_with_all = ["uri", "image"])]
    pub counter: Option<String>,
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
    let environment = args
        .env
        .as_deref()
        .map(Environment::parse)
        .unwrap_or_default();
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
        let text = crate::secret_input::secret_text(args.secret.as_deref().unwrap_or_default())?;
        let (secret, warnings) = Secret::parse_base32(&text).map_err(CliError::bad_input)?;
        for w in warnings {
            eprintln!("warning: {w}");
        }
        let flags = CodeArgs {
            kind: args.kind.clone(),
            algorithm: args.algorithm.clone(),
            digits: args.digits.clone(),
            period: args.period.clone(),
            counter: args.counter.clone(),
            ..CodeArgs::default()
        };
        vec![OtpEntry::new("", "", secret, params_from_flags(&flags)?)]
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
