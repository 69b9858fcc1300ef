//! Unit tests of the vault with real files, and the helpers they share: a vault in a temporary
//! folder with cheap key-derivation parameters, and accounts from a few words.

use super::*;
pub(super) use crate::otp::OtpParams;

mod store;

pub(super) fn cheap(password: &str) -> CreateOptions {
    CreateOptions::insecure_for_tests(password)
}

pub(super) fn pw(p: &str) -> Unlock {
    Unlock::Password(p.into())
}

pub(crate) fn secret(b32: &str) -> Secret {
    Secret::parse_base32(b32).unwrap().0
}

pub(crate) fn new(issuer: &str, account: &str, env: Environment, key: &str) -> NewAccount {
    NewAccount {
        issuer: issuer.into(),
        account: account.into(),
        environment: env,
        secret: secret(key),
        params: OtpParams::totp(),
        note: String::new(),
    }
}

pub(super) fn temp_vault() -> (tempfile::TempDir, PathBuf, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let vault = Vault::create(&path, cheap("correct horse")).unwrap();
    (dir, path, vault)
}

/// A vault opened by `password` in a temporary folder, holding `account`; with that account's id.
pub(crate) fn temp_vault_with(
    password: &str,
    account: NewAccount,
) -> (tempfile::TempDir, PathBuf, Vault, Uuid) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut vault = Vault::create(&path, cheap(password)).unwrap();
    let id = vault.add(account, DuplicatePolicy::Refuse).unwrap().id;
    (dir, path, vault, id)
}
