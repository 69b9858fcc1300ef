//! `tessera policy show [--json]`: the organisation's policy in force and the file it comes from.
//! `--json`: one object with the keys that are set plus `"source"` (the path, or null).

use crate::cli_error::CliResult;
use crate::cli_policy;
use clap::{Args, Subcommand};
use tessera_core::policy::policy_path;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Print the effective policy and its file (exit 2 when the file cannot be used).
    Show(ShowArgs),
}

#[derive(Args)]
pub struct ShowArgs {
    /// One JSON object: the keys that are set, plus "source" (the file, or null).
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: PolicyCommand) -> CliResult {
    match cmd {
        PolicyCommand::Show(args) => show(args),
    }
}

fn show(args: ShowArgs) -> CliResult {
    let policy = cli_policy::policy()?;
    if args.json {
        println!("{}", policy.to_json());
        return Ok(());
    }
    let Some(source) = policy.source() else {
        println!(
            "No organisation policy: {} does not exist, so nothing is fixed.",
            policy_path().0.display()
        );
        return Ok(());
    };
    println!("Policy file: {}", source.display());
    let lines = policy.describe();
    if lines.is_empty() {
        println!("It sets nothing.");
    }
    for line in lines {
        println!("  {line}");
    }
    for u in policy.unknown_keys() {
        println!("  (ignored: unknown key {:?} on line {})", u.key, u.line);
    }
    Ok(())
}
