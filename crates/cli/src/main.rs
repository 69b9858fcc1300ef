//! `tessera`: the command line over tessera-core. Each subcommand lives in its own module and only
//! parses arguments, calls the core and prints; exit codes: 0 ok, 1 nothing found, 2 bad input.

mod cli_error;
mod cmd_code;
mod cmd_uri;
mod entry_json;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tessera",
    version,
    about = "Tessera authenticator: codes, URIs, vault, QR, import and export"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the current code for a secret key or an otpauth:// URI.
    Code(cmd_code::CodeArgs),
    /// Work with otpauth:// and otpauth-migration:// URIs.
    #[command(subcommand)]
    Uri(cmd_uri::UriCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => cmd_code::run(args),
        Command::Uri(cmd) => cmd_uri::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => err.report(),
    }
}
