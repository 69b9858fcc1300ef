//! `tessera`: the command line over tessera-core. Each subcommand lives in its own module and only
//! parses arguments, calls the core and prints; exit codes: 0 ok, 1 nothing found, 2 bad input.

mod cli_error;

use clap::{Parser, Subcommand};
use cli_error::CliError;
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
    /// Print the version of the core library.
    Version,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Version => {
            println!("{}", env!("CARGO_PKG_VERSION"));
            Ok::<(), CliError>(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => err.report(),
    }
}
