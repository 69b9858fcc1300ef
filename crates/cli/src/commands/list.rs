//! `tessera list`: the accounts in the vault (never their secrets), as text or JSON lines.

use crate::cli_error::CliResult;
use crate::vault_access::open_vault;
use clap::Args;
use serde::Serialize;
use std::path::Path;
use tessera_core::time::format_utc;
use tessera_core::vault::order::{sort_accounts, SortOrder};
use tessera_core::vault::Account;
use tessera_core::OtpKind;

#[derive(Args)]
pub struct ListArgs {
    /// One JSON object per line: id, issuer, account, environment, note (when set), type, algorithm,
    /// digits, period, and recovery-code counts.
    #[arg(long)]
    pub json: bool,
    /// List the trash (removed and replaced accounts) instead.
    #[arg(long)]
    pub trash: bool,
    /// The order: own (as set by moving accounts, the default), name, or environment (Live, Sandpit,
    /// others, none).
    #[arg(long, default_value = "own", value_parser = parse_order)]
    pub sort: SortOrder,
}

fn parse_order(s: &str) -> Result<SortOrder, String> {
    s.parse()
}

/// The JSON line for one account. `period` is null for HOTP.
#[derive(Serialize)]
pub struct AccountJson<'a> {
    pub id: String,
    pub issuer: &'a str,
    pub account: &'a str,
    pub environment: Option<&'a str>,
    /// The account's note, when it has one.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: Option<u32>,
    /// Unix seconds of the last key change (re-enrolment), when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_changed_at: Option<u64>,
    /// True while a replaced key is kept, waiting for `tessera rekey ID --confirm`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub previous_key: bool,
    /// Recovery codes left and stored (counts only, never the codes), when the account has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_codes: Option<RecoveryCount>,
}

#[derive(Serialize)]
pub struct RecoveryCount {
    pub remaining: usize,
    pub total: usize,
}

impl<'a> AccountJson<'a> {
    pub fn new(a: &'a Account) -> Self {
        AccountJson {
            id: a.id.to_string(),
            issuer: &a.issuer,
            account: &a.account,
            environment: a.environment.as_key(),
            note: &a.note,
            kind: a.params.kind.as_str(),
            algorithm: a.params.algorithm.as_str(),
            digits: a.params.digits,
            period: (a.params.kind != OtpKind::Hotp).then_some(a.params.period),
            key_changed_at: a.key_changed_at,
            previous_key: a.has_previous_key(),
            recovery_codes: (!a.recovery.is_empty()).then(|| RecoveryCount {
                remaining: a.recovery.remaining(),
                total: a.recovery.total(),
            }),
        }
    }
}

pub fn run(args: ListArgs, vault_path: Option<&Path>) -> CliResult {
    let vault = open_vault(vault_path)?;
    let mut accounts: Vec<&Account> = if args.trash {
        vault.trash().iter().map(|t| &t.account).collect()
    } else {
        vault.accounts().iter().collect()
    };
    if !args.trash {
        sort_accounts(&mut accounts, args.sort);
    }
    for a in accounts {
        if args.json {
            println!(
                "{}",
                serde_json::to_string(&AccountJson::new(a)).expect("plain data")
            );
        } else {
            let env = a.environment.label();
            let mut flags = String::new();
            if a.has_previous_key() {
                flags.push_str("  [previous key kept until confirmed]");
            } else if let Some(t) = a.key_changed_at {
                flags.push_str(&format!("  key changed {}", format_utc(t)));
            }
            if !a.recovery.is_empty() {
                flags.push_str(&format!("  recovery: {}", a.recovery.summary()));
            }
            println!(
                "{}  {:<24} {:<28} {:<10} {}{flags}",
                &a.id.to_string()[..8],
                a.issuer,
                a.account,
                if env.is_empty() { "-" } else { env },
                a.params.kind
            );
        }
    }
    Ok(())
}
