//! The organisation policy (`TESSERA_POLICY`) from the command line: `tessera policy show`, every
//! refusal (exit 2, `error:` with the policy's sentence, nothing written), the fail-closed cases, and
//! time servers on 127.0.0.1 that count the packets they receive.

mod common;

use common::{ntp_reply, stderr, stdout, tessera_command, Cli, QUICK_INIT};
use serde_json::Value;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const PW: &str = "correct horse battery";
const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// A harness whose runs read the policy file `policy.toml` (holding `policy`) from its folder, with
/// no Secret Service: keychain calls fail fast instead of reaching the machine's keyring.
fn with_policy(policy: &str) -> Cli {
    let cli = Cli::new().password(PW).env("TESSERA_NEW_PASSWORD", PW).env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/tessera-test-bus",
    );
    let path = policy_path(&cli);
    let cli = cli.env("TESSERA_POLICY", path);
    set_policy(&cli, policy);
    cli
}

fn policy_path(cli: &Cli) -> PathBuf {
    cli.path("policy.toml")
}

fn policy_str(cli: &Cli) -> String {
    policy_path(cli).display().to_string()
}

fn set_policy(cli: &Cli, text: &str) {
    std::fs::write(policy_path(cli), text).unwrap();
}

/// A vault with one account, created with no policy in force.
fn with_account(cli: Cli) -> Cli {
    set_policy(&cli, "");
    cli.ok(QUICK_INIT);
    cli.ok(&[
        "add",
        "--secret",
        KEY,
        "--issuer",
        "Ward",
        "--account",
        "nurse",
    ]);
    cli
}

/// The names of the files in the harness folder, sorted.
fn files(cli: &Cli) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cli.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Exit 2, one `error:` with the documented sentence for `key`, naming the policy file.
fn assert_refused(o: &Output, what: &str, key: &str, policy: &Path) {
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    let want = format!(
        "error: Your organisation's policy does not allow {what} ({key} in {}).",
        policy.display()
    );
    assert!(
        stderr(o).starts_with(&want),
        "want {want:?}\ngot {:?}",
        stderr(o)
    );
}

#[test]
fn policy_show_text_and_json() {
    let e = with_policy(
        "require_password = true\nmax_auto_lock_minutes = 2\nntp_servers = [\"10.1.2.3:123\"]\nfavourite_colour = \"blue\"\n",
    );
    let o = e.run_ok(&["policy", "show", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "require_password": true,
            "max_auto_lock_minutes": 2,
            "ntp_servers": ["10.1.2.3:123"],
            "source": policy_str(&e),
        })
    );
    let warn = stderr(&o);
    assert!(
        warn.starts_with("warning: ")
            && warn.contains("\"favourite_colour\"")
            && warn.contains("line 4"),
        "{warn}"
    );

    let o = e.run_ok(&["policy", "show"]);
    let text = stdout(&o);
    assert!(
        text.contains(&format!("Policy file: {}", policy_str(&e))),
        "{text}"
    );
    assert!(text.contains("require_password = true"), "{text}");
    assert!(text.contains("max_auto_lock_minutes = 2"), "{text}");
    assert!(text.contains("favourite_colour"), "{text}");
}

#[test]
fn policy_show_without_a_policy() {
    let system = tessera_core::policy::system_path();
    if system.exists() {
        eprintln!("skipped: this machine has {}", system.display());
        return;
    }
    let o = tessera_command(&["policy", "show", "--json"])
        .env("TESSERA_POLICY", "")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), r#"{"source":null}"#);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let o = tessera_command(&["policy", "show"])
        .env_remove("TESSERA_POLICY")
        .output()
        .unwrap();
    assert!(
        stdout(&o).starts_with("No organisation policy"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_broken_policy_fails_closed_everywhere_naming_file_and_line() {
    let e = with_account(with_policy(""));
    let before = std::fs::read(&e.vault).unwrap();
    let before_files = files(&e);
    set_policy(
        &e,
        "require_password = true\nmax_clipboard_seconds = \"soon\"\n",
    );
    let runs: &[&[&str]] = &[
        &["policy", "show"],
        &["policy", "show", "--json"],
        &["list"],
        &["code", "Ward"],
        &["add", "--secret", KEY, "--issuer", "Other"],
        &["export", "--format", "tessera", "--out", "b.tessera"],
        &["export", "--format", "uris", "--out", "u.txt"],
        &["passwd", "--remove"],
        &["clock", "check", "--server", "127.0.0.1:9"],
        &["clock", "check", "--trusted-time", "1700000000"],
    ];
    for args in runs {
        let o = e.run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(
            err.contains(&policy_str(&e)) && err.contains("line 2"),
            "{args:?}: {err}"
        );
        assert!(err.contains("max_clipboard_seconds"), "{err}");
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
    assert_eq!(std::fs::read(&e.vault).unwrap(), before, "vault untouched");
    assert_eq!(files(&e), before_files, "nothing written");

    // init too, and no vault appears.
    std::fs::remove_file(&e.vault).unwrap();
    let o = e.run(QUICK_INIT);
    assert_eq!(o.status.code(), Some(2));
    assert!(!e.vault.exists());

    // Syntax errors and a file that cannot be read fail the same way.
    set_policy(&e, "allow_plain_export = false\n\nthis line is not toml\n");
    let o = e.run(&["policy", "show"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));
    std::fs::remove_file(policy_path(&e)).unwrap();
    let o = e.run(&["policy", "show"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "TESSERA_POLICY names a missing file"
    );
    assert!(stderr(&o).starts_with("error: ") && stderr(&o).contains(&policy_str(&e)));
}

#[test]
fn commands_that_need_no_vault_ignore_the_policy() {
    let e = with_policy("this is = = broken");
    let o = e.run(&["code", "--secret", KEY]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn unknown_keys_warn_and_the_command_runs() {
    let e = with_account(with_policy(""));
    set_policy(&e, "alow_plain_export = false\n");
    let o = e.run_ok(&["list"]);
    assert!(stdout(&o).contains("Ward"));
    let err = stderr(&o);
    assert!(
        err.starts_with("warning: ") && err.contains("\"alow_plain_export\""),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one warning, once: {err}");
}

#[test]
fn plain_exports_refused_encrypted_still_work() {
    let e = with_account(with_policy(""));
    set_policy(&e, "allow_plain_export = false\n");
    let before_files = files(&e);
    for format in ["uris", "google-qr"] {
        let out = e.path(&format!("plain-{format}"));
        let o = e.run(&["export", "--format", format, "--out", out.to_str().unwrap()]);
        assert_refused(
            &o,
            "unencrypted exports",
            "allow_plain_export",
            &policy_path(&e),
        );
        assert!(stdout(&o).is_empty());
    }
    assert_eq!(files(&e), before_files, "nothing written");
    // Encrypted exports are fine (the export password comes from the environment).
    let out = e.path("b.tessera");
    let o = e
        .command(&[
            "export",
            "--format",
            "tessera",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("TESSERA_FILE_PASSWORD", "a long export passphrase")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());
    // With the key true (or absent), plain exports work as before.
    set_policy(&e, "allow_plain_export = true\n");
    let out = e.path("u.txt");
    e.ok(&["export", "--format", "uris", "--out", out.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("otpauth://"));
}

#[test]
fn require_password_refuses_init_without_one_and_removing_it() {
    let e = with_policy("require_password = true\n");
    let o = e.run(&["init", "--kdf-memory-kib", "64", "--kdf-passes", "1"]);
    assert_refused(
        &o,
        "a vault without a password",
        "require_password",
        &policy_path(&e),
    );
    assert!(
        stderr(&o).contains("tessera init --password"),
        "{}",
        stderr(&o)
    );
    assert!(!e.vault.exists(), "no vault written");
    // With a password it is fine.
    e.ok(QUICK_INIT);
    let before = std::fs::read(&e.vault).unwrap();
    let o = e.run(&["passwd", "--remove"]);
    assert_refused(
        &o,
        "removing the vault password",
        "require_password",
        &policy_path(&e),
    );
    assert_eq!(std::fs::read(&e.vault).unwrap(), before, "vault untouched");
    // Changing it is fine.
    let o = e
        .command(&["passwd"])
        .env("TESSERA_NEW_PASSWORD", "another long password")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A vault file whose only slot is a keychain slot (the header is all `Vault::inspect` reads; the
/// refusal must come before any keychain or password is tried).
fn keychain_only_vault(path: &Path) {
    let mut v = Vec::new();
    v.extend_from_slice(b"TESSERA\0");
    v.extend_from_slice(&1u16.to_le_bytes());
    let header_len: u16 = 29 + 1 + 2 + 60;
    v.extend_from_slice(&header_len.to_le_bytes());
    v.extend_from_slice(&[7u8; 16]);
    v.push(1);
    v.push(1); // SLOT_KEYCHAIN
    v.extend_from_slice(&60u16.to_le_bytes());
    v.extend_from_slice(&[0u8; 60]);
    assert_eq!(v.len(), header_len as usize);
    v.extend_from_slice(&[0u8; 12 + 1024 + 16]);
    std::fs::write(path, v).unwrap();
    // Owner-only, as Tessera writes vaults (a readable one draws a permission warning).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn require_password_refuses_a_keychain_only_vault_until_one_is_set() {
    let e = with_policy("");
    keychain_only_vault(&e.vault);
    // Without the policy the CLI tries the keychain (which is not there in this test).
    let o = e.run(&["list"]);
    assert!(!stderr(&o).contains("organisation"), "{}", stderr(&o));

    set_policy(&e, "require_password = true\n");
    let before = std::fs::read(&e.vault).unwrap();
    for args in [
        &["list"][..],
        &["code", "Ward"],
        &["export", "--out", "x.tessera"],
    ] {
        let o = e.run(args);
        assert_refused(
            &o,
            "using a vault without a password",
            "require_password",
            &policy_path(&e),
        );
        assert!(stderr(&o).contains("tessera passwd"), "{}", stderr(&o));
    }
    // `tessera passwd` (setting one) is the allowed step: it gets past the policy to the keychain.
    let o = e.run(&["passwd"]);
    assert!(!stderr(&o).contains("organisation"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&e.vault).unwrap(), before);
}

// ---- time servers that count what they receive ------------------------------------------------

/// An NTP responder on 127.0.0.1 that answers every query and counts them.
struct CountingNtp {
    addr: SocketAddr,
    count: Arc<AtomicUsize>,
}

impl CountingNtp {
    fn start() -> CountingNtp {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let addr = socket.local_addr().unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 128];
            // Bounded: the test process ends long before this.
            for _ in 0..300 {
                let Ok((len, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                seen.fetch_add(1, Ordering::SeqCst);
                if let Some(reply) = ntp_reply(&buf[..len], 0) {
                    let _ = socket.send_to(&reply, from);
                }
            }
        });
        CountingNtp { addr, count }
    }

    fn name(&self) -> String {
        self.addr.to_string()
    }

    fn packets(&self) -> usize {
        // Give a packet in flight time to be counted.
        std::thread::sleep(Duration::from_millis(50));
        self.count.load(Ordering::SeqCst)
    }
}

#[test]
fn network_clock_check_false_sends_nothing() {
    let ntp = CountingNtp::start();
    let e = with_policy(&format!(
        "network_clock_check = false\nntp_servers = [\"{}\"]\n",
        ntp.name()
    ));
    for args in [
        &["clock", "check", "--timeout", "0.3"][..],
        &["clock", "check", "--json", "--timeout", "0.3"],
        &[
            "clock",
            "check",
            "--server",
            &ntp.name(),
            "--timeout",
            "0.3",
        ],
    ] {
        let o = e.run(args);
        assert_refused(
            &o,
            "network clock checks",
            "network_clock_check",
            &policy_path(&e),
        );
        assert!(stdout(&o).is_empty());
    }
    // Offline measurement needs no network and still works.
    let o = e.run_ok(&[
        "clock",
        "check",
        "--trusted-time",
        "1700000000",
        "--at",
        "1700000003",
    ]);
    assert!(
        stdout(&o).contains("behind") || stdout(&o).contains("ahead"),
        "{}",
        stdout(&o)
    );
    assert_eq!(ntp.packets(), 0, "no time query may be sent");

    // The same responder is asked once the policy allows it: the counter works.
    set_policy(&e, &format!("ntp_servers = [\"{}\"]\n", ntp.name()));
    e.ok(&["clock", "check", "--timeout", "0.5"]);
    assert_eq!(ntp.packets(), 1);
}

#[test]
fn ntp_servers_is_the_list_asked() {
    let a = CountingNtp::start();
    let b = CountingNtp::start();
    let other = CountingNtp::start();
    let e = with_policy(&format!(
        "ntp_servers = [\"{}\", \"{}\"]\n",
        a.name(),
        b.name()
    ));
    let o = e.run_ok(&["clock", "check", "--json", "--timeout", "0.5"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let asked: Vec<&str> = v["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["server"].as_str().unwrap())
        .collect();
    assert_eq!(asked, vec![a.name(), b.name()]);
    assert_eq!(v["measured"], true);
    // A server of the list may be named; any other is refused before anything is sent.
    e.ok(&["clock", "check", "--server", &b.name(), "--timeout", "0.5"]);
    let o = e.run(&[
        "clock",
        "check",
        "--server",
        &other.name(),
        "--timeout",
        "0.5",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "error: Your organisation's policy does not allow asking \"{}\"",
            other.name()
        )) && stderr(&o).contains(&format!("(ntp_servers in {}).", policy_str(&e))),
        "{}",
        stderr(&o)
    );
    assert_eq!(a.packets(), 2, "asked by both allowed checks");
    assert_eq!(b.packets(), 2);
    assert_eq!(other.packets(), 0);
}

#[test]
fn backup_folder_is_fixed_and_require_backup_keeps_backups_on() {
    let e = with_account(with_policy(""));
    let fixed = e.path("ward backups");
    let elsewhere = e.path("elsewhere");
    set_policy(
        &e,
        &format!(
            "backup_folder = \"{}\"\nrequire_backup = true\n",
            fixed.display()
        ),
    );
    let backup = |args: &[&str]| {
        let mut c = e.command(args);
        c.env("TESSERA_FILE_PASSWORD", "plinth mango ferry cobalt")
            .args(["--kdf-memory-kib", "64", "--kdf-passes", "1"]);
        c.output().unwrap()
    };
    // Another folder is refused before anything is written.
    let o = backup(&["backup", "auto", "--folder", elsewhere.to_str().unwrap()]);
    assert_refused(
        &o,
        &format!(
            "automatic backups to {}, only to {}",
            elsewhere.display(),
            fixed.display()
        ),
        "backup_folder",
        &policy_path(&e),
    );
    assert!(!elsewhere.exists());
    // No --folder: the policy's folder is used.
    let o = backup(&["backup", "auto"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let made: Vec<_> = std::fs::read_dir(&fixed).unwrap().collect();
    assert_eq!(made.len(), 1, "one first backup in the policy's folder");
    // Off is refused while require_backup = true; status still says on.
    let o = e.run(&["backup", "auto", "--off"]);
    assert_refused(
        &o,
        "turning automatic backups off",
        "require_backup",
        &policy_path(&e),
    );
    let o = e.run_ok(&["backup", "status", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["enabled"], true);
    assert_eq!(v["folder"], fixed.display().to_string());
}
