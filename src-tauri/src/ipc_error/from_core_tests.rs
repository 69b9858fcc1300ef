//! Each core error variant reaches the UI with the kind it should act on and the core's own sentence.

use super::super::{ErrorKind as K, IpcError, Locked};
use std::path::PathBuf;
use tessera_core::backup::{BackupError, ContainerError};
use tessera_core::formats::FormatError;
use tessera_core::policy::{Policy, Refusal};
use tessera_core::vault::{KeychainError, PhoneError, RecoveryStoreError, RekeyError, VaultError};
use uuid::Uuid;

fn path() -> PathBuf {
    PathBuf::from("/home/nurse/vault.tessera")
}

/// Every variant of the vault's error, with the kind the UI gets.
fn vault_errors() -> Vec<(VaultError, K)> {
    let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
    vec![
        (VaultError::NotFound { path: path() }, K::Other),
        (VaultError::NoDefaultLocation, K::Other),
        (VaultError::AlreadyExists { path: path() }, K::Other),
        (VaultError::IsDirectory { path: path() }, K::BadInput),
        (
            VaultError::Io {
                action: "read",
                path: path(),
                source: io(),
            },
            K::Other,
        ),
        (VaultError::NotAVault { path: path() }, K::Other),
        (
            VaultError::NewerVersion {
                path: path(),
                version: 9,
            },
            K::Other,
        ),
        (
            VaultError::Damaged {
                path: path(),
                detail: "bad tag".into(),
            },
            K::Other,
        ),
        (VaultError::ChangedOnDisk { path: path() }, K::ChangedOnDisk),
        (VaultError::WrongPassword, K::WrongPassword),
        (VaultError::NoPasswordSlot, K::Other),
        (VaultError::NoKeychainSlot, K::KeychainUnavailable),
        (
            VaultError::Keychain {
                source: KeychainError::Locked("SS error".into()),
                has_password: true,
            },
            K::KeychainUnavailable,
        ),
        (
            VaultError::KeychainMismatch {
                has_password: false,
            },
            K::KeychainUnavailable,
        ),
        (VaultError::NoUnlockMethod, K::BadInput),
        (
            VaultError::WouldLockOut {
                what: "removing the password",
            },
            K::BadInput,
        ),
        (
            VaultError::PasswordNeeded {
                what: "turn the keychain off",
            },
            K::BadInput,
        ),
        (VaultError::EmptyPassword, K::BadInput),
        (
            VaultError::Duplicate {
                existing: vec![Uuid::nil()],
                label: "NHS Spine (alice)".into(),
            },
            K::Conflict,
        ),
        (
            VaultError::DuplicateInBatch {
                label: "NHS Spine (alice)".into(),
            },
            K::Conflict,
        ),
        (VaultError::UnknownAccount(Uuid::nil()), K::Other),
        (VaultError::NotInTrash(Uuid::nil()), K::Other),
        (VaultError::InvalidAccount("no issuer".into()), K::BadInput),
        (
            VaultError::InvalidSetting("keep 1-365 days".into()),
            K::BadInput,
        ),
        (VaultError::BadOrder("twice".into()), K::BadInput),
        (VaultError::Kdf("memory".into()), K::Other),
    ]
}

#[test]
fn each_vault_error_has_its_kind_and_keeps_its_sentence() {
    for (e, kind) in vault_errors() {
        let sentence = e.to_string();
        let got = IpcError::from(e);
        assert_eq!(got.kind, kind, "{sentence}");
        assert_eq!(got.message, sentence);
    }
}

#[test]
fn every_error_that_asks_for_the_password_lets_the_ui_offer_it() {
    // The core's own "ask for the password" predicate and the kinds agree.
    for (e, kind) in vault_errors() {
        if e.wants_password() {
            assert!(
                matches!(kind, K::WrongPassword | K::KeychainUnavailable),
                "{e}: {kind:?}"
            );
        }
    }
}

#[test]
fn a_policy_refusal_and_a_broken_policy_file_are_policy() {
    let refusal = Refusal {
        key: "allow_plain_export",
        what: "unencrypted exports".into(),
        file: PathBuf::from("/etc/tessera/policy.toml"),
    };
    let sentence = refusal.to_string();
    assert_eq!(IpcError::from(refusal), IpcError::new(K::Policy, sentence));
    // A real refusal from a real policy, as the commands get it.
    let policy = Policy::parse(
        "allow_plain_export = false\n",
        std::path::Path::new("/etc/tessera/policy.toml"),
    )
    .unwrap();
    let refused = policy.check_plain_export().unwrap_err();
    assert_eq!(IpcError::from(refused).kind, K::Policy);
    let broken = Policy::parse(
        "max_clipboard_seconds = \"x\"\n",
        std::path::Path::new("/p"),
    );
    assert_eq!(IpcError::from(broken.unwrap_err()).kind, K::Policy);
}

#[test]
fn locked_is_its_own_kind_with_the_locked_sentence() {
    assert_eq!(
        IpcError::from(Locked),
        IpcError::new(K::Locked, "Tessera is locked; unlock it first")
    );
    // A plain sentence from the shell is shown and nothing more.
    assert_eq!(IpcError::from("type your app password").kind, K::Other);
}

#[test]
fn keychain_errors_offer_the_password() {
    for e in [
        KeychainError::Unavailable("no service".into()),
        KeychainError::Locked("refused".into()),
        KeychainError::NoEntry,
        KeychainError::BadKey,
        KeychainError::Other("x".into()),
    ] {
        assert_eq!(IpcError::from(e).kind, K::KeychainUnavailable);
    }
}

#[test]
fn wrapped_vault_errors_keep_the_vault_kind() {
    let changed = || VaultError::ChangedOnDisk { path: path() };
    assert_eq!(
        IpcError::from(RecoveryStoreError::Vault(changed())).kind,
        K::ChangedOnDisk
    );
    assert_eq!(
        IpcError::from(RekeyError::Vault(changed())).kind,
        K::ChangedOnDisk
    );
    assert_eq!(
        IpcError::from(PhoneError::Vault(VaultError::WrongPassword)).kind,
        K::WrongPassword
    );
    let would_replace = RecoveryStoreError::WouldReplace {
        label: "NHS Spine".into(),
        remaining: 3,
    };
    assert_eq!(IpcError::from(would_replace).kind, K::Conflict);
}

#[test]
fn wrong_passwords_for_files_are_wrong_password_and_damaged_files_are_not() {
    assert_eq!(
        IpcError::from(RecoveryStoreError::WrongPassword).kind,
        K::WrongPassword
    );
    assert_eq!(
        IpcError::from(PhoneError::WrongPassword).kind,
        K::WrongPassword
    );
    assert_eq!(
        IpcError::from(ContainerError::WrongPassword).kind,
        K::WrongPassword
    );
    assert_eq!(
        IpcError::from(BackupError::Container(ContainerError::WrongPassword)).kind,
        K::WrongPassword
    );
    assert_eq!(IpcError::from(ContainerError::Tampered).kind, K::Other);
    assert_eq!(IpcError::from(ContainerError::NotABackup).kind, K::BadInput);
    assert_eq!(
        IpcError::from(FormatError::WrongPassword { format: "Aegis" }).kind,
        K::WrongPassword
    );
    assert_eq!(IpcError::from(FormatError::UnknownFormat).kind, K::BadInput);
}

#[test]
fn it_crosses_ipc_as_kind_and_message_in_camel_case() {
    let e = IpcError::from(VaultError::ChangedOnDisk { path: path() });
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["kind"], "changedOnDisk");
    assert_eq!(json["message"], e.message);
    assert_eq!(json.as_object().unwrap().len(), 2);
}
