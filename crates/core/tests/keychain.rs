//! The vault with the real system keychain (Secret Service on Linux).
//!
//! - Where a keychain works, the keychain slot is exercised for real: unlock, item missing, item
//!   replaced, repair, turning it off.
//! - `REQUIRE_KEYRING=1` (set by scripts/test-all.sh, which runs an unlocked gnome-keyring on a private
//!   session bus) turns "no keychain here" into a failure instead of a skip.
//! - Child processes reproduce the failure modes from shared/notes/keychain.md whatever the parent has:
//!   no session bus at all, and a session bus whose keyring is not unlocked (locked / no collection).
//!
//! Run the keychain part: see docs/vault-format.md or scripts/test-all.sh.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tessera_core::otp::OtpParams;
use tessera_core::vault::{
    CreateOptions, DuplicatePolicy, Environment, KdfParams, Keychain, KeychainError, NewAccount,
    Unlock, Vault, VaultError,
};
use tessera_core::Secret;

const CHILD_ENV: &str = "TESSERA_KEYCHAIN_CHILD";
const CHILD_VAULT_ENV: &str = "TESSERA_KEYCHAIN_CHILD_VAULT";

fn keyring_required() -> bool {
    std::env::var("REQUIRE_KEYRING").is_ok_and(|v| v == "1")
}

/// Whether the real keychain can be used here; fails the test when it must be.
fn keychain_usable(test: &str) -> bool {
    let probe = (|| {
        Keychain::status()?;
        // Reads can succeed on a locked collection: only a write proves it (keychain notes §4).
        let kc = Keychain::system();
        let user = format!("probe-{}", uuid::Uuid::new_v4());
        kc.store_key(&user, &tessera_core::vault::format::Key256::random())?;
        kc.delete_key(&user)
    })();
    match probe {
        Ok(()) => true,
        Err(e) if keyring_required() => {
            panic!("REQUIRE_KEYRING=1 but the keychain is not usable: {e}")
        }
        Err(e) => {
            eprintln!("skipping {test}: no usable keychain here ({e}); set REQUIRE_KEYRING=1 to make this fail");
            false
        }
    }
}

fn cheap(password: Option<&str>, keychain: bool) -> CreateOptions {
    CreateOptions {
        password: password.map(Into::into),
        use_keychain: keychain,
        kdf: KdfParams::insecure_for_tests(),
    }
}

fn one_account(vault: &mut Vault) {
    vault
        .add(
            NewAccount {
                issuer: "NHS Mail".into(),
                account: "dr.who".into(),
                environment: Environment::Live,
                secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
                params: OtpParams::totp(),
                note: String::new(),
            },
            DuplicatePolicy::Refuse,
        )
        .unwrap();
}

/// Removes the vault's keychain item when the test ends, pass or fail.
struct ItemGuard(String);
impl Drop for ItemGuard {
    fn drop(&mut self) {
        let _ = Keychain::system().delete_key(&self.0);
    }
}

#[test]
fn keychain_slot_unlocks_and_every_failure_points_to_the_password() {
    if !keychain_usable("keychain_slot_unlocks…") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut vault = Vault::create(&path, cheap(Some("pw"), true)).unwrap();
    let user = vault.info().keychain_user();
    let _guard = ItemGuard(user.clone());
    assert!(vault.has_keychain() && vault.has_password());
    one_account(&mut vault);
    vault.save().unwrap();

    // The keychain holds exactly a 32-byte key (not the vault, nothing multi-line).
    assert_eq!(
        Keychain::system().load_key(&user).unwrap().as_bytes().len(),
        32
    );
    let opened = Vault::open(&path, Unlock::Keychain).unwrap();
    assert_eq!(opened.accounts()[0].issuer, "NHS Mail");

    // Item gone (keychain reset, vault copied to another computer).
    Keychain::system().delete_key(&user).unwrap();
    let err = Vault::open(&path, Unlock::Keychain).unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::Keychain {
                source: KeychainError::NoEntry,
                has_password: true
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("no key for this vault") && msg.contains("unlock with your password"),
        "{msg}"
    );
    assert!(err.wants_password());

    // The password still opens it, and the keychain can be repaired.
    let mut vault = Vault::open(&path, Unlock::Password("pw".into())).unwrap();
    vault.enable_keychain().unwrap();
    vault.save().unwrap();
    Vault::open(&path, Unlock::Keychain).unwrap();
    // The repaired slot has an item of its own (review #8).
    let user = Vault::inspect(&path).unwrap().keychain_user();
    let _guard2 = ItemGuard(user.clone());

    // A key that belongs to something else.
    Keychain::system()
        .store_key(&user, &tessera_core::vault::format::Key256::random())
        .unwrap();
    let err = Vault::open(&path, Unlock::Keychain).unwrap_err();
    assert!(
        matches!(err, VaultError::KeychainMismatch { has_password: true }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("unlock with your password"),
        "{err}"
    );

    // Turning the keychain off leaves the item alone: a copy of the file may still use it (#8).
    let mut vault = Vault::open(&path, Unlock::Password("pw".into())).unwrap();
    vault.disable_keychain().unwrap();
    vault.save().unwrap();
    assert!(Keychain::system().load_key(&user).is_ok());
    assert!(matches!(
        Vault::open(&path, Unlock::Keychain).unwrap_err(),
        VaultError::NoKeychainSlot
    ));
}

#[test]
fn keychain_only_vault_and_removing_the_password() {
    if !keychain_usable("keychain_only_vault…") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut vault = Vault::create(&path, cheap(None, true)).unwrap();
    let _guard = ItemGuard(vault.info().keychain_user());
    assert!(!vault.has_password());
    one_account(&mut vault);
    vault.save().unwrap();
    let err = Vault::open(&path, Unlock::Password("anything".into())).unwrap_err();
    assert!(matches!(err, VaultError::NoPasswordSlot), "{err:?}");
    assert!(matches!(
        vault.disable_keychain().unwrap_err(),
        VaultError::WouldLockOut { .. }
    ));

    vault
        .set_password("later".into(), KdfParams::insecure_for_tests())
        .unwrap();
    vault.save().unwrap();
    Vault::open(&path, Unlock::Password("later".into())).unwrap();
    vault.remove_password().unwrap();
    vault.save().unwrap();
    let info = Vault::inspect(&path).unwrap();
    assert!(info.has_keychain && !info.has_password);
    assert_eq!(
        Vault::open(&path, Unlock::Keychain)
            .unwrap()
            .accounts()
            .len(),
        1
    );

    // Keychain-only and the item is gone: the message says there is no password to fall back on.
    Keychain::system()
        .delete_key(&info.keychain_user())
        .unwrap();
    let err = Vault::open(&path, Unlock::Keychain).unwrap_err();
    assert!(matches!(
        err,
        VaultError::Keychain {
            has_password: false,
            ..
        }
    ));
    assert!(err.to_string().contains("has no password"), "{err}");
}

/// Runs this test binary again as a child doing `test`, in the environment `setup` prepares.
fn run_child(test: &str, setup: impl FnOnce(&mut Command)) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut cmd);
    let mut child = cmd.spawn().expect("spawn the test binary");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("child {test} hung (a keychain call must never hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && text.contains("1 passed"), text)
}

fn private_dir(parent: &Path, name: &str) -> PathBuf {
    let d = parent.join(name);
    std::fs::create_dir_all(&d).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    d
}

#[test]
fn without_a_session_bus_the_error_is_clear_and_the_password_works() {
    let dir = tempfile::tempdir().unwrap();
    // A vault with both slots, made here if this machine has a keychain, for the child to open.
    let mut guard = None;
    let both = dir.path().join("both.tessera");
    if Keychain::status().is_ok() {
        if let Ok(mut v) = Vault::create(&both, cheap(Some("pw"), true)) {
            guard = Some(ItemGuard(v.info().keychain_user()));
            one_account(&mut v);
            v.save().unwrap();
        }
    }
    let runtime = private_dir(dir.path(), "runtime");
    let data = dir.path().to_path_buf();
    let (ok, out) = run_child("child_without_bus", |c| {
        c.env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("XDG_RUNTIME_DIR", &runtime)
            .env(CHILD_VAULT_ENV, &data);
    });
    let made_keychain_vault = guard.is_some();
    drop(guard);
    assert!(ok, "child without a session bus failed:\n{out}");
    if made_keychain_vault {
        assert!(
            out.contains("checked the keychain vault from the parent"),
            "{out}"
        );
    }
}

#[test]
fn child_without_bus() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return; // only meaningful as the child of the test above
    }
    let data = PathBuf::from(std::env::var_os(CHILD_VAULT_ENV).unwrap());
    let status = Keychain::status().unwrap_err();
    assert!(
        matches!(status, KeychainError::Unavailable(_)),
        "{status:?}"
    );

    // Creating a keychain-only vault fails with a sentence, and nothing is left behind.
    let path = data.join("child.tessera");
    let err = Vault::create(&path, cheap(None, true)).unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::Keychain {
                source: KeychainError::Unavailable(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("the system keychain is not available"),
        "{err}"
    );
    assert!(!path.exists());

    // The password fallback: a password vault works without any keychain.
    let mut v = Vault::create(&path, cheap(Some("pw"), false)).unwrap();
    one_account(&mut v);
    v.save().unwrap();
    assert_eq!(
        Vault::open(&path, Unlock::Password("pw".into()))
            .unwrap()
            .accounts()
            .len(),
        1
    );

    // A vault with a keychain slot, made where the keychain worked, opened where it does not.
    let both = data.join("both.tessera");
    if both.exists() {
        let err = Vault::open(&both, Unlock::Keychain).unwrap_err();
        assert!(
            matches!(
                err,
                VaultError::Keychain {
                    has_password: true,
                    ..
                }
            ),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("not available") && msg.contains("unlock with your password instead"),
            "{msg}"
        );
        assert_eq!(
            Vault::open(&both, Unlock::Password("pw".into()))
                .unwrap()
                .accounts()
                .len(),
            1
        );
        println!("checked the keychain vault from the parent");
    }
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_locked_keyring_is_reported_as_locked() {
    if !(have("dbus-run-session") && have("gnome-keyring-daemon")) {
        if keyring_required() {
            panic!("REQUIRE_KEYRING=1 but dbus-run-session or gnome-keyring-daemon is missing");
        }
        eprintln!("skipping: dbus-run-session and gnome-keyring-daemon are needed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let runtime = private_dir(dir.path(), "runtime");
    let data = private_dir(dir.path(), "data");
    let exe = std::env::current_exe().unwrap();
    // A fresh session bus where gnome-keyring is started by D-Bus activation but never unlocked:
    // no login collection, no prompter (keychain notes §4, mode 2).
    let mut cmd = Command::new("dbus-run-session");
    cmd.arg("--")
        .arg(&exe)
        .args([
            "child_locked_keyring",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", &data)
        .env(CHILD_VAULT_ENV, &data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a locked keyring made the keychain call hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("1 passed"),
        "locked keyring child failed:\n{text}"
    );
    let reported = text
        .lines()
        .find_map(|l| {
            l.split_once("locked keyring reported as: ")
                .map(|(_, m)| m.to_string())
        })
        .unwrap_or_default();
    eprintln!("locked keyring reported as: {reported}");
    if keyring_required() {
        // Measured with gnome-keyring 42 (keychain notes §4, mode 2): the write is refused.
        assert!(reported.contains("locked or refused access"), "{text}");
    }
}

#[test]
fn child_locked_keyring() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let data = PathBuf::from(std::env::var_os(CHILD_VAULT_ENV).unwrap());
    let path = data.join("locked.tessera");
    let err = Vault::create(&path, cheap(None, true)).unwrap_err();
    let VaultError::Keychain {
        source,
        has_password: false,
    } = &err
    else {
        panic!("expected a keychain error, got {err:?}");
    };
    // gnome-keyring without an unlocked collection refuses the write; without a Secret Service
    // at all (daemon missing) it is "not available". Both must be a sentence, never a hang or crash.
    assert!(
        matches!(
            source,
            KeychainError::Locked(_) | KeychainError::Unavailable(_)
        ),
        "{source:?}"
    );
    println!("locked keyring reported as: {err}");
    assert!(!path.exists());
    // With a password the vault is made anyway (the CLI does this retry) and opens.
    Vault::create(&path, cheap(Some("pw"), false)).unwrap();
    Vault::open(&path, Unlock::Password("pw".into())).unwrap();
}

/// Review #8: copies of a vault shared one keychain item, so turning the keychain off (or on) in one copy
/// locked the other out. Each slot now has its own item, and no saved item is ever deleted.
#[test]
fn copies_of_a_vault_never_lock_each_other_out() {
    if !keychain_usable("copies_of_a_vault…") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tessera");
    let b = dir.path().join("b.tessera");
    let mut vault = Vault::create(&a, cheap(None, true)).unwrap();
    let _guard = ItemGuard(vault.info().keychain_user());
    one_account(&mut vault);
    vault.save().unwrap();
    std::fs::copy(&a, &b).unwrap();

    // On the copy: add a password, turn the keychain off, then on again (a new item).
    let mut copy = Vault::open(&b, Unlock::Keychain).unwrap();
    copy.set_password("copy password".into(), KdfParams::insecure_for_tests())
        .unwrap();
    copy.save().unwrap();
    copy.disable_keychain().unwrap();
    copy.save().unwrap();
    Vault::open(&a, Unlock::Keychain).expect("the original still opens after disable on the copy");
    copy.enable_keychain().unwrap();
    copy.save().unwrap();
    let _guard_b = ItemGuard(Vault::inspect(&b).unwrap().keychain_user());
    assert_ne!(
        Vault::inspect(&a).unwrap().keychain_user(),
        Vault::inspect(&b).unwrap().keychain_user()
    );
    Vault::open(&a, Unlock::Keychain).expect("the original still opens after enable on the copy");
    Vault::open(&b, Unlock::Keychain).unwrap();
}
