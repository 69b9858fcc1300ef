//! `tessera code`: the current code for a secret key or an otpauth:// URI, or (with a positional
//! QUERY) for an account in the vault.

use crate::cli_error::{CliError, CliResult};
use crate::flags::{entry_from_key, OtpFlags, OTP_FLAG_IDS};
use clap::Args;
use tessera_core::time::now_unix;

#[derive(Args, Default)]
pub struct CodeArgs {
    /// An account in the vault: its name (issuer, account or "issuer:account"), or its id.
    #[arg(conflicts_with_all = ["secret", "uri"])]
    pub query: Option<String>,
    /// With QUERY: only accounts in this environment (live, sandpit or another name).
    #[arg(long, value_name = "live|sandpit|NAME", requires = "query")]
    pub env: Option<String>,
    /// The secret key (Base32; spaces, dashes, lower case and `=` padding are fine).
    #[arg(long, conflicts_with = "uri")]
    pub secret: Option<String>,
    /// An otpauth:// URI (or a Google Authenticator export holding one account).
    #[arg(long, conflicts_with_all = OTP_FLAG_IDS)]
    pub uri: Option<String>,
    #[command(flatten)]
    pub otp: OtpFlags,
    /// Make the code for this Unix time instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<String>,
    /// Correct for this computer's clock being off by this many seconds (positive when it is behind),
    /// as measured by `tessera clock check`.
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub clock_offset: Option<String>,
}

pub fn run(args: CodeArgs, vault: Option<&std::path::Path>) -> CliResult {
    let at = match &args.at {
        Some(t) => t.trim().parse::<u64>().map_err(|_| {
            CliError::bad_input(format!(
                "--at must be a Unix time in whole seconds, not {t:?}"
            ))
        })?,
        None => now_unix(),
    };
    let at = match &args.clock_offset {
        Some(text) => {
            let offset = crate::flags::parse_clock_offset(text)?;
            let clock = tessera_core::clock::CorrectedClock::with_offset(offset);
            if let Some(label) = clock.label() {
                eprintln!("note: {label}");
            }
            // Without --at, correct the precise current time rather than the whole second.
            let local = match &args.at {
                Some(_) => i128::from(at) * 1_000_000_000,
                None => tessera_core::time::local_unix_nanos_now(),
            };
            clock.unix_at(local)
        }
        None => at,
    };
    if let Some(query) = &args.query {
        return crate::commands::vault_code::run(query, args.env.as_deref(), at, vault);
    }
    let entry = entry_from_key(args.secret.as_deref(), args.uri.as_deref(), &args.otp)?;
    let generator = entry.generator().map_err(CliError::bad_input)?;
    println!("{}", generator.code_at(at).value);
    Ok(())
}
