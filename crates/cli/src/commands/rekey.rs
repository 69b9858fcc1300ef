//! `tessera rekey QUERY`: re-enrolment after an MFA reset. The account keeps its names, environment,
//! note and recovery codes and takes the new key; the old key is kept, marked *previous key*, until
//! `--confirm` (the service accepted the new code) moves it to the trash, or `--revert` brings it back.

use crate::cli_error::{CliError, CliResult};
use crate::flags::{parse_secret, OtpFlags};
use crate::vault_access::{one_account, open_vault, save, vault_error};
use clap::Args;
use std::path::Path;
use tessera_core::otp::OtpParams;
use tessera_core::time::format_utc;
use tessera_core::time::now_unix;
use tessera_core::vault::{Environment, RekeyError};
use tessera_core::{OtpEntry, Secret};

#[derive(Args)]
pub struct RekeyArgs {
    /// The account: its id, or a name that matches only it.
    pub query: String,
    /// Only accounts in this environment (live, sandpit or another name).
    #[arg(long, value_name = "live|sandpit|NAME")]
    pub env: Option<String>,
    /// The new secret key as typed (Base32).
    #[arg(long, conflicts_with_all = ["uri", "confirm", "revert"])]
    pub secret: Option<String>,
    /// The new key as an otpauth:// URI (its issuer and name are ignored: the account keeps its own).
    #[arg(long, conflicts_with_all = ["confirm", "revert"])]
    pub uri: Option<String>,
    /// The new QR code as an image file (PNG, JPEG, screenshot).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["secret", "uri", "confirm", "revert"])]
    pub image: Option<std::path::PathBuf>,
    /// With --secret: the new key's code settings (default: keep the account's settings).
    #[command(flatten)]
    pub otp: OtpFlags,
    /// The service accepted a code from the new key: move the previous key to the trash.
    #[arg(long, conflicts_with = "revert")]
    pub confirm: bool,
    /// The new key does not work: bring the previous key back (the new one goes to the trash).
    #[arg(long)]
    pub revert: bool,
}

fn rekey_error(e: RekeyError) -> CliError {
    match e {
        RekeyError::Vault(e) => vault_error(e),
        e @ RekeyError::NoPreviousKey { .. } => CliError::nothing_found(e),
        e => CliError::bad_input(e),
    }
}

pub fn run(args: RekeyArgs, vault_path: Option<&Path>) -> CliResult {
    let new_key = new_key(&args)?;
    let mut vault = open_vault(vault_path)?;
    let env = args.env.as_deref().map(Environment::parse);
    let account = one_account(&vault, &args.query, env.as_ref())?;
    let (id, label, current_params) = (account.id, account.label(), account.params);
    let now = now_unix();

    if args.confirm {
        let trashed = vault.confirm_key(id).map_err(rekey_error)?;
        save(&mut vault)?;
        println!("Confirmed the new key of {label}. The previous key is in the trash (id {trashed}); `tessera restore {trashed}` brings it back.");
        return Ok(());
    }
    if args.revert {
        let trashed = vault.revert_key(id).map_err(rekey_error)?;
        save(&mut vault)?;
        println!(
            "{label} uses its previous key again. The rejected key is in the trash (id {trashed})."
        );
        return Ok(());
    }
    let Some((secret, params)) = new_key else {
        // No key given: show where the account stands.
        let account = vault.account(id).expect("just found");
        match account.key_changed_at {
            Some(t) => println!("{label}: key last changed {}", format_utc(t)),
            None => println!("{label}: key never changed since it was added"),
        }
        match vault.previous_code(id, now).map_err(rekey_error)? {
            Some(prev) => {
                let code = vault.code(id, now).map_err(vault_error)?;
                println!("New key code:       {}", code.value);
                println!(
                    "Previous key code:  {}  (previous key, kept until you confirm)",
                    prev.value
                );
                println!(
                    "When the service accepts the new code: tessera rekey {} --confirm",
                    &id.to_string()[..8]
                );
            }
            None => println!("No previous key is waiting for confirmation."),
        }
        return Ok(());
    };
    let params = params.unwrap_or(current_params);
    let outcome = vault
        .replace_key(id, secret, Some(params))
        .map_err(rekey_error)?;
    save(&mut vault)?;
    for other in &outcome.same_secret_as {
        eprintln!(
            "warning: the same key is already stored for {other}; check this is the right account"
        );
    }
    if let Some(t) = outcome.unconfirmed_key_trashed {
        eprintln!("note: the key set before, never confirmed, went to the trash (id {t}); the original previous key is still kept");
    }
    let code = vault.code(id, now).map_err(vault_error)?;
    println!("New key stored for {label}. The previous key is kept until you confirm.");
    println!("Code from the new key: {}", code.value);
    println!(
        "Sign in with it; when the service accepts it run `tessera rekey {} --confirm` (or --revert if it is rejected).",
        &id.to_string()[..8]
    );
    Ok(())
}

/// The new key and settings from --secret, --uri or --image; `None` for --confirm/--revert/status.
fn new_key(args: &RekeyArgs) -> Result<Option<(Secret, Option<OtpParams>)>, CliError> {
    if args.otp.any() && args.secret.is_none() {
        return Err(CliError::bad_input(
            "--type, --algorithm, --digits, --period and --counter go with --secret (a link or picture brings its own)",
        ));
    }
    if let Some(text) = &args.secret {
        let secret = parse_secret(text)?;
        if !args.otp.any() {
            return Ok(Some((secret, None)));
        }
        let params = args.otp.params()?;
        return Ok(Some((secret, Some(params))));
    }
    if let Some(text) = &args.uri {
        let entries = crate::account_input::entries_from_uri_text(text)?;
        return Ok(Some(entry_key(crate::account_input::single_entry(
            entries, "the link",
        )?)));
    }
    if let Some(path) = &args.image {
        let entries = crate::account_input::entries_from_image(path)?;
        let source = path.display().to_string();
        return Ok(Some(entry_key(crate::account_input::single_entry(
            entries, &source,
        )?)));
    }
    Ok(None)
}

fn entry_key(entry: OtpEntry) -> (Secret, Option<OtpParams>) {
    (entry.secret, Some(entry.params))
}
