//! `tessera stress-saves` (hidden): adds and saves one account at a time, printing the number of each
//! completed save. The crash test kills it at random moments and checks the vault stays consistent.

use crate::cli_error::{CliError, CliResult};
use crate::vault_access::{open_vault, save, vault_error};
use clap::Args;
use std::io::Write;
use std::path::Path;
use tessera_core::otp::OtpParams;
use tessera_core::vault::{DuplicatePolicy, Environment, NewAccount};
use tessera_core::Secret;

#[derive(Args)]
pub struct StressArgs {
    /// How many accounts to add, one save each.
    #[arg(long, default_value_t = 100)]
    pub count: u32,
    /// Name prefix of the added accounts.
    #[arg(long, default_value = "stress")]
    pub prefix: String,
}

pub fn run(args: StressArgs, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let mut out = std::io::stdout();
    for i in 0..args.count {
        let secret = Secret::from_bytes(format!("stress secret number {i:08}").into_bytes())
            .map_err(CliError::bad_input)?;
        let new = NewAccount {
            issuer: format!("{}-{i}", args.prefix),
            account: "crash-test".into(),
            environment: Environment::Sandpit,
            secret,
            params: OtpParams::totp(),
            note: String::new(),
        };
        vault
            .add(new, DuplicatePolicy::Refuse)
            .map_err(vault_error)?;
        save(&mut vault)?;
        writeln!(out, "{i}")
            .and_then(|_| out.flush())
            .map_err(CliError::bad_input)?;
    }
    Ok(())
}
