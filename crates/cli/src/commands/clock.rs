//! `tessera clock check`: how far this computer's clock is off, by SNTP or offline.
//!
//! Exit codes: 0 measured (even when the clock is off: the output says so), 1 nothing measured (no
//! server answered, or the code matched no time), 2 bad input.

use crate::cli_error::{CliError, CliResult, EXIT_NOTHING_FOUND};
use crate::flags::{entry_from_key, OtpFlags, OTP_FLAG_IDS};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::BufRead;
use std::time::Duration;
use tessera_core::clock::offline::{OffsetEstimate, StepMatch};
use tessera_core::clock::{
    assess, offset_from_accepted_code, offset_from_trusted_time, parse_trusted_time, query_servers,
    OfflineError, SkewAssessment, SntpConfig, SntpReport, DEFAULT_SERVERS,
};
use tessera_core::time::local_unix_nanos_now;

#[derive(Subcommand)]
pub enum ClockCommand {
    /// Measure how far this computer's clock is off: by asking time servers (SNTP), or offline from
    /// a trusted clock (--trusted-time) or a code a service accepted (--code with --secret or --uri).
    Check(CheckArgs),
}

#[derive(Args)]
pub struct CheckArgs {
    /// A time server to ask, HOST or HOST:PORT; repeat for several (default: a few public servers).
    #[arg(long = "server", value_name = "HOST[:PORT]")]
    pub servers: Vec<String>,
    /// Seconds to wait for the servers.
    #[arg(long, value_name = "SECONDS", default_value = "1.5")]
    pub timeout: String,
    /// Offline: the time a trusted clock shows: Unix seconds, 2026-11-22T22:30:15Z, or 22:30:15
    /// (a time without a zone measures offsets up to 7½ minutes).
    #[arg(long, value_name = "TIME", conflicts_with_all = ["servers", "code"])]
    pub trusted_time: Option<String>,
    /// Offline: a code a service just accepted (or that a correctly-set phone shows) for the
    /// account given by --secret or --uri.
    #[arg(long, value_name = "CODE", conflicts_with = "servers")]
    pub code: Option<String>,
    /// With --code: how far either side of this computer's time to search, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "600")]
    pub window: String,
    /// The local time (Unix seconds) at which the trusted time was read or the code was accepted;
    /// default: when the command runs.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<String>,
    /// With --trusted-time: wait for Enter and take the local time then. Type a time a few seconds
    /// ahead and press Enter when the trusted clock shows it, so typing time does not count.
    #[arg(long, conflicts_with = "at", requires = "trusted_time")]
    pub wait_enter: bool,
    /// Warn when the clock is off by more than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value = "5")]
    pub threshold: String,
    /// The account's key, for --code (Base32).
    #[arg(long, conflicts_with = "uri", requires = "code")]
    pub secret: Option<String>,
    /// The account as an otpauth:// URI, for --code.
    #[arg(long, requires = "code", conflicts_with_all = OTP_FLAG_IDS)]
    pub uri: Option<String>,
    /// The account's code settings with --secret; --period is also used to explain the offset
    /// (default 30).
    #[command(flatten)]
    pub otp: OtpFlags,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: ClockCommand) -> CliResult {
    match cmd {
        ClockCommand::Check(args) => check(args),
    }
}

fn parse_seconds(flag: &str, text: &str) -> Result<Duration, CliError> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..1e9).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err(CliError::bad_input(format!(
            "--{flag} must be a number of seconds, not {text:?}"
        ))),
    }
}

fn parse_local_time(text: &str) -> Result<i128, CliError> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..1e12).contains(&s) => Ok((s * 1e9).round() as i128),
        _ => Err(CliError::bad_input(format!(
            "--at must be a Unix time in seconds, not {text:?}"
        ))),
    }
}

#[derive(Serialize)]
struct ServerJson {
    server: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stratum: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct AssessmentJson {
    level: tessera_core::clock::SkewLevel,
    period: u32,
    threshold_seconds: f64,
    message: String,
}

#[derive(Serialize)]
struct MatchJson {
    step: u64,
    steps_from_local: i64,
    offset_seconds: f64,
    min_seconds: f64,
    max_seconds: f64,
}

#[derive(Serialize)]
struct CheckJson {
    method: &'static str,
    measured: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assumed_zone_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    servers: Vec<ServerJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    matches: Vec<MatchJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assessment: Option<AssessmentJson>,
}

impl CheckJson {
    fn new(method: &'static str) -> Self {
        CheckJson {
            method,
            measured: false,
            offset_seconds: None,
            min_seconds: None,
            max_seconds: None,
            assumed_zone_seconds: None,
            servers: Vec::new(),
            matches: Vec::new(),
            assessment: None,
        }
    }

    fn with_assessment(mut self, a: &SkewAssessment) -> Self {
        self.measured = true;
        self.offset_seconds = Some(a.offset.as_secs_f64());
        self.assessment = Some(AssessmentJson {
            level: a.level,
            period: a.period,
            threshold_seconds: a.threshold.as_secs_f64(),
            message: a.message.clone(),
        });
        self
    }

    fn with_estimate(mut self, e: &OffsetEstimate) -> Self {
        self.min_seconds = Some(e.min.as_secs_f64());
        self.max_seconds = Some(e.max.as_secs_f64());
        self.assumed_zone_seconds = e.assumed_zone_seconds;
        self
    }

    fn print(&self) {
        println!(
            "{}",
            serde_json::to_string_pretty(self).expect("plain data serialises")
        );
    }
}

const OFFLINE_HINT: &str = "measure offline instead: `tessera clock check --trusted-time 22:30:15` \
     (the time a trusted clock shows) or `tessera clock check --code CODE --secret KEY` (a code a service just accepted)";

fn check(args: CheckArgs) -> CliResult {
    // Offline checks need no network, but a policy that cannot be read stops them too (fail closed).
    let policy = crate::cli_policy::policy()?;
    let threshold = parse_seconds("threshold", &args.threshold)?;
    let o = &args.otp;
    if args.secret.is_none()
        && (o.kind.is_some() || o.algorithm.is_some() || o.digits.is_some() || o.counter.is_some())
    {
        return Err(CliError::bad_input(
            "--type, --algorithm, --digits and --counter describe the key given with --secret",
        ));
    }
    if args.trusted_time.is_some() {
        check_trusted_time(&args, threshold)
    } else if args.code.is_some() {
        check_code(&args, threshold)
    } else {
        if args.secret.is_some() || args.uri.is_some() {
            return Err(CliError::bad_input(
                "--secret and --uri go with --code (the code a service accepted)",
            ));
        }
        let servers = policy
            .servers_to_ask(&args.servers, DEFAULT_SERVERS)
            .map_err(crate::cli_policy::refused)?;
        check_sntp(&args, servers, threshold)
    }
}

fn period_flag(args: &CheckArgs) -> Result<u32, CliError> {
    match &args.otp.period {
        None => Ok(30),
        Some(p) => match p.trim().parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(CliError::bad_input(format!(
                "--period must be a whole number of seconds greater than 0, not {p:?}"
            ))),
        },
    }
}

fn print_assessment(a: &SkewAssessment) {
    println!("Clock offset: {} ({})", a.offset, a.offset.describe());
    println!("{}", a.message);
    if a.needs_attention() {
        println!(
            "To correct codes by this offset: tessera code … --clock-offset {:+.1} (or set the system clock).",
            a.offset.as_secs_f64()
        );
    }
}

/// Asks `servers` (the organisation's list, `--server`, or the defaults; see `Policy::servers_to_ask`).
fn check_sntp(args: &CheckArgs, servers: Vec<String>, threshold: Duration) -> CliResult {
    let timeout = parse_seconds("timeout", &args.timeout)?;
    if timeout.is_zero() {
        return Err(CliError::bad_input("--timeout must be more than 0 seconds"));
    }
    let period = period_flag(args)?;
    // A malformed server name is the user's mistake, not a network failure: say so before asking.
    for s in &servers {
        tessera_core::clock::sntp::parse_server(s).map_err(CliError::bad_input)?;
    }
    let report = query_servers(&SntpConfig { servers, timeout });
    let measured = report.offset();
    let assessment = measured.map(|o| assess(o, period, threshold));
    if args.json {
        let mut json = CheckJson::new("sntp");
        json.servers = servers_json(&report);
        if let Some(a) = &assessment {
            json = json.with_assessment(a);
        }
        json.print();
    } else {
        print_servers(&report);
        if let Some(a) = &assessment {
            let answered = report.answered().count();
            let total = report.outcomes.len();
            let agree = report
                .spread()
                .map(|s| format!("; they agree within {:.3} s", s.as_secs_f64()))
                .filter(|_| answered > 1)
                .unwrap_or_default();
            println!("Median of {answered} of {total} server(s){agree}.");
            print_assessment(a);
        }
    }
    if measured.is_none() {
        return Err(CliError {
            exit: EXIT_NOTHING_FOUND,
            message: format!("no time server answered; {OFFLINE_HINT}"),
        });
    }
    Ok(())
}

fn servers_json(report: &SntpReport) -> Vec<ServerJson> {
    report
        .outcomes
        .iter()
        .map(|o| match &o.result {
            Ok(s) => ServerJson {
                server: o.server.clone(),
                ok: true,
                address: Some(s.address.to_string()),
                offset_seconds: Some(s.offset.as_secs_f64()),
                delay_seconds: Some(s.delay.as_secs_f64()),
                stratum: Some(s.stratum),
                error: None,
            },
            Err(e) => ServerJson {
                server: o.server.clone(),
                ok: false,
                address: None,
                offset_seconds: None,
                delay_seconds: None,
                stratum: None,
                error: Some(e.to_string()),
            },
        })
        .collect()
}

fn print_servers(report: &SntpReport) {
    for o in &report.outcomes {
        match &o.result {
            Ok(s) => println!(
                "{}  {}  offset {}  round trip {:.1} ms  stratum {}",
                o.server,
                s.address,
                s.offset,
                s.delay.as_secs_f64() * 1000.0,
                s.stratum
            ),
            Err(e) => println!("{}  failed: {e}", o.server),
        }
    }
}

/// The local time the reading refers to: --at, Enter pressed (--wait-enter), or now.
fn local_time(args: &CheckArgs) -> Result<i128, CliError> {
    if let Some(at) = &args.at {
        return parse_local_time(at);
    }
    if args.wait_enter {
        eprintln!("Press Enter when the trusted clock shows the time you typed…");
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(CliError::bad_input)?;
    }
    Ok(local_unix_nanos_now())
}

fn check_trusted_time(args: &CheckArgs, threshold: Duration) -> CliResult {
    let text = args.trusted_time.as_deref().unwrap_or_default();
    let trusted = parse_trusted_time(text).map_err(CliError::bad_input)?;
    let period = period_flag(args)?;
    let local = local_time(args)?;
    let estimate = offset_from_trusted_time(&trusted, local);
    let assessment = assess(estimate.offset, period, threshold);
    if args.json {
        CheckJson::new("trusted-time")
            .with_assessment(&assessment)
            .with_estimate(&estimate)
            .print();
        return Ok(());
    }
    println!(
        "Between {} and {} (± {:.1} s from the clock's display resolution).",
        estimate.min,
        estimate.max,
        estimate.uncertainty().as_secs_f64()
    );
    if let Some(zone) = estimate.assumed_zone_seconds {
        println!(
            "The time had no zone; assumed UTC{}{:02}:{:02} (offsets beyond 7½ minutes cannot be told apart from a zone).",
            if zone < 0 { '-' } else { '+' },
            zone.unsigned_abs() / 3600,
            zone.unsigned_abs() % 3600 / 60
        );
    }
    print_assessment(&assessment);
    Ok(())
}

fn check_code(args: &CheckArgs, threshold: Duration) -> CliResult {
    let code = args.code.as_deref().unwrap_or_default();
    if args.secret.is_none() && args.uri.is_none() {
        return Err(CliError::bad_input(
            "--code needs the account: give its key with --secret or its otpauth:// URI with --uri",
        ));
    }
    let window = parse_seconds("window", &args.window)?;
    let entry = entry_from_key(args.secret.as_deref(), args.uri.as_deref(), &args.otp)?;
    let generator = entry.generator().map_err(CliError::bad_input)?;
    let local = local_time(args)?;
    let found = match offset_from_accepted_code(&generator, code, local, window) {
        Ok(found) => found,
        Err(e @ OfflineError::NoMatch { .. }) => return Err(CliError::nothing_found(e)),
        Err(e) => return Err(CliError::bad_input(e)),
    };
    let nearest: &StepMatch = found.nearest();
    let assessment = assess(nearest.estimate.offset, entry.params.period, threshold);
    if args.json {
        let mut json = CheckJson::new("code")
            .with_assessment(&assessment)
            .with_estimate(&nearest.estimate);
        json.matches = found
            .matches
            .iter()
            .map(|m| MatchJson {
                step: m.step,
                steps_from_local: m.steps_from_local,
                offset_seconds: m.estimate.offset.as_secs_f64(),
                min_seconds: m.estimate.min.as_secs_f64(),
                max_seconds: m.estimate.max.as_secs_f64(),
            })
            .collect();
        json.print();
        return Ok(());
    }
    let steps = nearest.steps_from_local;
    let relation = match steps {
        0 => "the current code by this computer's clock".to_string(),
        1 => "the code after this computer's current one".to_string(),
        -1 => "the code before this computer's current one".to_string(),
        n if n > 0 => format!("{n} codes after this computer's current one"),
        n => format!("{} codes before this computer's current one", -n),
    };
    println!("The code is {relation}.");
    println!(
        "So the offset is between {} and {}.",
        nearest.estimate.min, nearest.estimate.max
    );
    if found.is_ambiguous() {
        let others: Vec<String> = found.matches[1..]
            .iter()
            .map(|m| format!("{:+} codes ({})", m.steps_from_local, m.estimate.offset))
            .collect();
        println!(
            "warning: this code also appears at {}; using the nearest. Enter a second accepted code to be sure.",
            others.join(", ")
        );
    }
    print_assessment(&assessment);
    Ok(())
}
