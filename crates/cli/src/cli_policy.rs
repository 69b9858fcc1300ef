//! The organisation's policy for this run (`tessera_core::policy`): read once, its unknown keys
//! reported as `warning:` lines, and a file that cannot be used turned into exit 2 naming the file and
//! the line. Every command that opens the vault, exports or checks the clock asks here first.

use crate::cli_error::CliError;
use std::sync::OnceLock;
use tessera_core::policy::{Policy, PolicyError, Refusal};

static POLICY: OnceLock<Result<Policy, PolicyError>> = OnceLock::new();

/// The effective policy (no file = no policy), or the fail-closed error.
pub fn policy() -> Result<&'static Policy, CliError> {
    POLICY
        .get_or_init(|| {
            let loaded = Policy::load();
            if let Ok(p) = &loaded {
                for w in p.warnings() {
                    eprintln!("warning: {w}");
                }
            }
            loaded
        })
        .as_ref()
        .map_err(CliError::bad_input)
}

/// A refusal: exit 2 with the policy's sentence.
pub fn refused(r: Refusal) -> CliError {
    CliError::bad_input(r)
}
