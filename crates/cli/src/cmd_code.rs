//! `tessera code`: the current code for a secret key or an otpauth:// URI, or (with a positional
//! QUERY) for an account in the vault.

use crate::cli_error::{CliError, CliResult};
use clap::Args;
use tessera_core::otp::{now_unix, OtpParams};
use tessera_core::{Algorithm, OtpEntry, OtpKind, Secret};

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
    #[arg(long)]
    pub uri: Option<String>,
    /// totp, hotp or steam (with --secret).
    #[arg(long = "type", value_name = "TYPE", conflicts_with = "uri")]
    pub kind: Option<String>,
    /// SHA1, SHA256 or SHA512 (with --secret).
    #[arg(long, conflicts_with = "uri")]
    pub algorithm: Option<String>,
    /// Number of digits, 6 to 10 (with --secret).
    #[arg(long, conflicts_with = "uri")]
    pub digits: Option<String>,
    /// Seconds per code (with --secret).
    #[arg(long, conflicts_with = "uri")]
    pub period: Option<String>,
    /// HOTP counter (with --secret).
    #[arg(long, conflicts_with = "uri")]
    pub counter: Option<String>,
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
            let offset = crate::cmd_clock::parse_clock_offset(text)?;
            let clock = tessera_core::clock::CorrectedClock::with_offset(offset);
            if let Some(label) = clock.label() {
                eprintln!("note: {label}");
            }
            // Without --at, correct the precise current time rather than the whole second.
            let local = match &args.at {
                Some(_) => i128::from(at) * 1_000_000_000,
                None => tessera_core::clock::offset::local_unix_nanos_now(),
            };
            clock.unix_at(local)
        }
        None => at,
    };
    if let Some(query) = &args.query {
        return crate::cmd_vault_code::run(query, args.env.as_deref(), at, vault);
    }
    let entry = entry_from_args(&args)?;
    let generator = entry.generator().map_err(CliError::bad_input)?;
    println!("{}", generator.code_at(at).value);
    Ok(())
}

pub(crate) fn entry_from_args(args: &CodeArgs) -> Result<OtpEntry, CliError> {
    if let Some(text) = &args.uri {
        return entry_from_uri(text);
    }
    let Some(secret_text) = &args.secret else {
        return Err(CliError::bad_input(
            "name an account in the vault, or give a secret key with --secret or a link with --uri",
        ));
    };
    let secret_text = crate::secret_input::secret_text(secret_text)?;
    let (secret, warnings) = Secret::parse_base32(&secret_text).map_err(CliError::bad_input)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(OtpEntry::new("", "", secret, params_from_flags(args)?))
}

/// The OTP parameters given as flags; shared defaults: TOTP, SHA1, 6 digits, 30 s, counter 0.
pub(crate) fn params_from_flags(args: &CodeArgs) -> Result<OtpParams, CliError> {
    let kind: OtpKind = match &args.kind {
        Some(k) => k.parse().map_err(CliError::bad_input)?,
        None => OtpKind::Totp,
    };
    let mut params = match kind {
        OtpKind::Steam => OtpParams::steam(),
        OtpKind::Hotp => OtpParams::hotp(0),
        OtpKind::Totp => OtpParams::totp(),
    };
    if let Some(a) = &args.algorithm {
        let algorithm: Algorithm = a.parse().map_err(CliError::bad_input)?;
        if kind == OtpKind::Steam && algorithm != Algorithm::Sha1 {
            return Err(CliError::bad_input("Steam codes always use SHA1"));
        }
        params.algorithm = algorithm;
    }
    if let Some(d) = &args.digits {
        let digits: u8 = d.trim().parse().map_err(|_| {
            CliError::bad_input(format!("digits must be a number from 6 to 10, not {d:?}"))
        })?;
        if kind != OtpKind::Steam {
            params.digits = digits;
        }
    }
    if let Some(p) = &args.period {
        params.period = match p.trim().parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(CliError::bad_input(format!(
                    "period must be a whole number of seconds greater than 0, not {p:?}"
                )))
            }
        };
    }
    if let Some(c) = &args.counter {
        params.counter = c.trim().parse().map_err(|_| {
            CliError::bad_input(format!(
                "counter must be a whole number of 0 or more, not {c:?}"
            ))
        })?;
    }
    params.validate().map_err(CliError::bad_input)?;
    Ok(params)
}

fn entry_from_uri(text: &str) -> Result<OtpEntry, CliError> {
    let mut entries = crate::account_input::entries_from_uri_text(text)?;
    match entries.len() {
        1 => Ok(entries.remove(0)),
        n => Err(CliError::bad_input(format!(
            "the export holds {n} accounts; use `tessera uri parse` to list them or `tessera import` to add them"
        ))),
    }
}
