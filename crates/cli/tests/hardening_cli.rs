//! Security review findings checked through the CLI (see docs/security.md).

mod common;

use common::{run_with_stdin, stderr, stdout, Cli, QUICK_INIT};
use std::path::Path;
use std::process::Command;

/// A harness that gives no password and reaches no Secret Service: each run sets what it needs.
fn harness(vault: &str) -> Cli {
    Cli::new()
        .vault_named(vault)
        .no_password()
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
}

/// #17: a one-character vault password was accepted; new vault passwords need 10 characters, at
/// `init` and at `passwd`.
#[test]
fn short_vault_passwords_are_refused() {
    let cli = harness("v.tessera");
    let vault = &cli.vault;
    let init = |pw: &str| cli.run_with(QUICK_INIT, &[("TESSERA_PASSWORD", pw)]);
    let o = init("a");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("at least 10 characters"),
        "{}",
        stderr(&o)
    );
    assert!(!vault.exists());
    let o = init("ten chars!");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli.run_with(
        &["passwd"],
        &[
            ("TESSERA_PASSWORD", "ten chars!"),
            ("TESSERA_NEW_PASSWORD", "short"),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least 10 characters"));
}

/// #17, one rule in the core (`vault::check_new_vault_password`): ten characters are not enough
/// when they are a common password with digits after it, or one character repeated.
#[test]
fn common_and_repetitive_vault_passwords_are_refused() {
    let cli = harness("v.tessera");
    let vault = &cli.vault;
    for (pw, why) in [
        ("password12", "most common passwords"),
        ("aaaaaaaaaaaa", "too few different characters"),
    ] {
        let o = cli.run_with(QUICK_INIT, &[("TESSERA_PASSWORD", pw)]);
        let stderr = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(why), "{stderr}");
        assert!(!vault.exists());
    }
}

/// #27: the CLI marks itself not dumpable at start (`tessera_core::hardening::deny_core_dumps`), so
/// `/proc/<pid>` files such as `environ` (where `TESSERA_PASSWORD` lives) belong to root and other
/// processes of the same user cannot read them or attach a debugger. Root bypasses this, so when the
/// test runs as root the CLI is started as `nobody` through `setpriv`.
#[cfg(target_os = "linux")]
#[test]
fn the_cli_is_not_dumpable() {
    use std::os::unix::fs::MetadataExt;
    let exe = env!("CARGO_BIN_EXE_tessera");
    let as_root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    let mut c = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", exe]);
        c
    } else {
        Command::new(exe)
    };
    // `code --secret -` waits for the key on standard input: the process stays alive meanwhile.
    c.args(["code", "--secret", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = match c.spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("skipping: cannot start the CLI as another user here: {e}");
            return;
        }
    };
    let environ = format!("/proc/{}/environ", child.id());
    // setpriv execs the CLI: wait until the CLI (not setpriv) runs, then for its start-up call.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let owner = loop {
        // (Only root can still read `exe` once the CLI is not dumpable.)
        let exe_now = std::fs::read_link(format!("/proc/{}/exe", child.id())).ok();
        let is_cli = exe_now.is_some_and(|p| p.ends_with("tessera"));
        let owner = std::fs::metadata(&environ)
            .map(|m| m.uid())
            .unwrap_or(u32::MAX);
        if (owner == 0 && (is_cli || !as_root)) || std::time::Instant::now() > deadline {
            break owner;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let readable = !as_root && std::fs::read(&environ).is_ok();
    drop(child.stdin.take());
    let _ = child.wait();
    assert_eq!(owner, 0, "{environ} should belong to root (not dumpable)");
    assert!(!readable, "another process of the same user read {environ}");
}

/// #4: a backup asking for 1 GiB × 4 passes (above the budget of 256 MiB × 4) is refused before any
/// password is read or key derived, with a sentence naming the cost and the flag, and exit 2.
#[test]
fn expensive_kdf_files_are_refused_without_the_flag() {
    let cli = harness("v.tessera");
    let file = cli.path("hostile.tessera-backup");
    let mut bytes = b"TSRBAK\r\n".to_vec();
    bytes.extend_from_slice(&[1, 1]);
    for v in [1024u32 * 1024, 4, 4] {
        bytes.extend_from_slice(&v.to_be_bytes());
    }
    bytes.resize(200, 0);
    std::fs::write(&file, &bytes).unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec!["import", file, "--dry-run"],
        vec!["backup", "verify", file],
    ] {
        let o = cli.run_with(&args, &[]);
        let stderr = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains("Argon2id with 1024 MiB of memory × 4 passes")
                && stderr.contains("--allow-expensive-kdf"),
            "{stderr}"
        );
    }
    // With the flag the cost is accepted and the next step (the password) is what is missing.
    let o = cli.run_with(&["import", file, "--dry-run", "--allow-expensive-kdf"], &[]);
    let stderr = stderr(&o);
    assert!(
        !stderr.contains("--allow-expensive-kdf") && stderr.contains("TESSERA_FILE_PASSWORD"),
        "{stderr}"
    );
}

/// #28: putting an older copy of the vault back (sync, a backup tool) is warned about at the next
/// command, which still works; once that copy is saved, it is the newest again and the warning stops.
#[test]
fn an_older_copy_of_the_vault_is_warned_about() {
    let cli = harness("v.tessera");
    let vault = &cli.vault;
    let state = cli.path("state");
    let state = state.to_str().unwrap();
    let run = |args: &[&str]| {
        cli.run_with(
            args,
            &[
                ("TESSERA_PASSWORD", "rollback test pw"),
                ("TESSERA_STATE_DIR", state),
            ],
        )
    };
    let add = |name: &str| {
        let o = run(&[
            "add",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--issuer",
            "Iss",
            "--account",
            name,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let o = run(QUICK_INIT);
    assert!(o.status.success(), "{}", stderr(&o));
    add("first");
    let old_copy = std::fs::read(vault).unwrap();
    add("second");
    let o = run(&["list"]);
    assert!(!stderr(&o).contains("older copy"));

    std::fs::write(vault, &old_copy).unwrap();
    let o = run(&["list"]);
    let warning = stderr(&o);
    assert!(o.status.success(), "{warning}");
    assert!(
        warning.contains("warning: this vault file is an older copy"),
        "{warning}"
    );
    assert!(!stdout(&o).contains("second"));

    add("third");
    let o = run(&["list"]);
    let stderr = stderr(&o);
    assert!(!stderr.contains("older copy"), "{stderr}");
}

/// #24: `--secret -` takes the key from standard input, so it is not on the command line.
#[test]
fn secret_from_stdin_for_code_and_add() {
    let cli = harness("v.tessera");
    let o = cli.run_stdin(
        &["code", "--secret", "-", "--at", "59"],
        "JBSWY3DPEHPK3PXP\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, b"996554\n");
    let pw = [("TESSERA_PASSWORD", "ten chars!")];
    let o = cli.run_with(QUICK_INIT, &pw);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_with_stdin(
        cli.command(&[
            "add",
            "--secret",
            "-",
            "--issuer",
            "Stdin",
            "--account",
            "me",
        ])
        .envs(pw),
        "jbsw y3dp ehpk 3pxp\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli.run_with(&["code", "Stdin", "--at", "59"], &pw);
    assert_eq!(o.stdout, b"996554\n", "{}", stderr(&o));
    let o = cli.run_stdin(&["code", "--secret", "-"], "\n");
    assert_eq!(o.status.code(), Some(2));
}

/// #23: a vault directory other users can write to (or a vault they can read) is warned about.
#[cfg(unix)]
#[test]
fn loose_vault_permissions_are_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let cli = harness("shared/v.tessera");
    let sub = cli.path("shared");
    let vault = &cli.vault;
    let pw = [("TESSERA_PASSWORD", "ten chars!")];
    let o = cli.run_with(QUICK_INIT, &pw);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli.run_with(&["list"], &pw);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(vault, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = cli.run_with(&["list"], &pw);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("can be changed by other users"), "{err}");
    assert!(err.contains("can be read by other users"), "{err}");
}

/// #3 under kills: `tessera passwd` (which rotates the vault key and re-seals the `.bak`) killed at
/// random moments never leaves a vault, or a `.bak`, that opens with neither password.
#[cfg(unix)]
#[test]
fn killing_passwd_never_loses_the_vault() {
    let cli = harness("v.tessera");
    let vault = &cli.vault;
    let passwords = ["first password", "second password"];
    let o = cli.run_with(QUICK_INIT, &[("TESSERA_PASSWORD", passwords[0])]);
    assert!(o.status.success(), "{}", stderr(&o));
    let opens_with = |path: &Path| {
        passwords.iter().position(|p| {
            tessera_core::vault::Vault::open(
                path,
                tessera_core::vault::Unlock::Password((*p).into()),
            )
            .is_ok()
        })
    };
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    for round in 0..20 {
        let current = opens_with(vault).unwrap_or_else(|| panic!("round {round}: vault lost"));
        let mut c = cli.command(&["passwd"]);
        c.env("TESSERA_PASSWORD", passwords[current])
            .env("TESSERA_NEW_PASSWORD", passwords[1 - current])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = c.spawn().unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(std::time::Duration::from_micros(seed % 8000));
        child.kill().ok();
        child.wait().unwrap();
        assert!(
            opens_with(vault).is_some(),
            "round {round}: vault opens with neither password"
        );
        let bak = tessera_core::vault::atomic::backup_path(vault);
        if bak.exists() {
            assert!(
                opens_with(&bak).is_some(),
                "round {round}: .bak opens with neither password"
            );
        }
    }
}
