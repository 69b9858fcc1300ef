//! Flag groups shared by several commands (`#[command(flatten)]`), and their reading into core
//! values. The rules (Steam is SHA1, 5 characters, 30 s; HOTP has no period…) stay in
//! `OtpParams::from_parts`; here the text of a flag only becomes a typed value.

use crate::cli_error::CliError;
use clap::Args;
use tessera_core::clock::ClockOffset;
use tessera_core::{Algorithm, OtpEntry, OtpKind, OtpParams, Secret};

/// How codes are made, for a key given as --secret: `code`, `add`, `edit`, `rekey`, `clock check`.
#[derive(Args, Default, Clone, Debug)]
pub struct OtpFlags {
    /// totp, hotp or steam (with --secret).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// SHA1, SHA256 or SHA512 (with --secret).
    #[arg(long)]
    pub algorithm: Option<String>,
    /// Number of digits, 6 to 10 (with --secret; Steam is always 5 characters).
    #[arg(long)]
    pub digits: Option<String>,
    /// Seconds per code (with --secret; Steam is always 30).
    #[arg(long)]
    pub period: Option<String>,
    /// HOTP counter (with --secret).
    #[arg(long)]
    pub counter: Option<String>,
}

/// The flags' names, for `conflicts_with_all` on flags that bring their own settings (--uri, --image).
pub const OTP_FLAG_IDS: [&str; 5] = ["kind", "algorithm", "digits", "period", "counter"];

/// The typed parts the flags gave; `None` where a flag was not given.
struct Parts {
    kind: Option<OtpKind>,
    algorithm: Option<Algorithm>,
    digits: Option<u8>,
    period: Option<u32>,
    counter: Option<u64>,
}

impl OtpFlags {
    /// True when any setting was given.
    pub fn any(&self) -> bool {
        self.kind.is_some()
            || self.algorithm.is_some()
            || self.digits.is_some()
            || self.period.is_some()
            || self.counter.is_some()
    }

    fn parts(&self) -> Result<Parts, CliError> {
        let kind = match &self.kind {
            Some(k) => Some(k.parse::<OtpKind>().map_err(CliError::bad_input)?),
            None => None,
        };
        let algorithm = match &self.algorithm {
            Some(a) => Some(a.parse::<Algorithm>().map_err(CliError::bad_input)?),
            None => None,
        };
        let digits = match &self.digits {
            Some(d) => Some(d.trim().parse::<u8>().map_err(|_| {
                CliError::bad_input(format!("digits must be a number from 6 to 10, not {d:?}"))
            })?),
            None => None,
        };
        let period = match &self.period {
            Some(p) => match p.trim().parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    return Err(CliError::bad_input(format!(
                        "period must be a whole number of seconds greater than 0, not {p:?}"
                    )))
                }
            },
            None => None,
        };
        let counter = match &self.counter {
            Some(c) => Some(c.trim().parse::<u64>().map_err(|_| {
                CliError::bad_input(format!(
                    "counter must be a whole number of 0 or more, not {c:?}"
                ))
            })?),
            None => None,
        };
        Ok(Parts {
            kind,
            algorithm,
            digits,
            period,
            counter,
        })
    }

    /// New parameters: the flags given, the kind's defaults for the rest (TOTP when no --type).
    pub fn params(&self) -> Result<OtpParams, CliError> {
        let p = self.parts()?;
        OtpParams::from_parts(
            p.kind.unwrap_or_default(),
            p.algorithm,
            p.digits,
            p.period,
            p.counter,
        )
        .map_err(CliError::bad_input)
    }

    /// `current` with the flags given changed (an edit).
    pub fn edit(&self, current: &OtpParams) -> Result<OtpParams, CliError> {
        let p = self.parts()?;
        current
            .with_parts(p.kind, p.algorithm, p.digits, p.period, p.counter)
            .map_err(CliError::bad_input)
    }
}

/// The account a code is made for, from --secret (with the settings flags) or --uri.
pub fn entry_from_key(
    secret: Option<&str>,
    uri: Option<&str>,
    otp: &OtpFlags,
) -> Result<OtpEntry, CliError> {
    if let Some(text) = uri {
        let mut entries = crate::account_input::entries_from_uri_text(text)?;
        return match entries.len() {
            1 => Ok(entries.remove(0)),
            n => Err(CliError::bad_input(format!(
                "the export holds {n} accounts; use `tessera uri parse` to list them or `tessera import` to add them"
            ))),
        };
    }
    let Some(secret_text) = secret else {
        return Err(CliError::bad_input(
            "name an account in the vault, or give a secret key with --secret or a link with --uri",
        ));
    };
    Ok(OtpEntry::new(
        "",
        "",
        parse_secret(secret_text)?,
        otp.params()?,
    ))
}

/// A Base32 key as typed; tolerated oddities are reported as warnings on stderr.
/// `-` reads it from standard input or a no-echo prompt (see `secret_input`).
pub fn parse_secret(text: &str) -> Result<Secret, CliError> {
    let text = crate::secret_input::secret_text(text)?;
    let (secret, warnings) = Secret::parse_base32(&text).map_err(CliError::bad_input)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(secret)
}

/// Parses `--clock-offset SECONDS` for commands that make codes.
pub fn parse_clock_offset(text: &str) -> Result<ClockOffset, CliError> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s.abs() < 1e9 => Ok(ClockOffset::from_secs_f64(s)),
        _ => Err(CliError::bad_input(format!(
            "--clock-offset must be a number of seconds (positive when this computer is behind), not {text:?}"
        ))),
    }
}
