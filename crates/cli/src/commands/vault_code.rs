//! `tessera code QUERY`: the current code of an account in the vault. An ambiguous query lists the
//! candidates (exit 2); HOTP advances and saves the counter so no code is shown twice.

use crate::cli_error::CliResult;
use crate::vault_access::{one_account, open_vault, save, vault_error};
use std::path::Path;
use tessera_core::vault::Environment;
use tessera_core::OtpKind;

pub fn run(query: &str, env: Option<&str>, at: u64, vault_path: Option<&Path>) -> CliResult {
    let mut vault = open_vault(vault_path)?;
    let env = env.map(Environment::parse);
    let account = one_account(&vault, query, env.as_ref())?;
    let id = account.id;
    let code = if account.params.kind == OtpKind::Hotp {
        let code = vault.next_hotp(id).map_err(vault_error)?;
        save(&mut vault)?;
        code
    } else {
        vault.code(id, at).map_err(vault_error)?
    };
    println!("{}", code.value);
    Ok(())
}
