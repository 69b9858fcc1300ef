//! The one harness every CLI test file uses: a temporary folder with a vault path in it, the
//! `tessera` binary started with exactly the environment a test chooses (never the caller's vault or
//! passwords), and ways to read a run's output, exit code and JSON lines.
#![allow(dead_code)] // each test file uses its own subset

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tessera_core::clock::ntp::{NtpTimestamp, Packet, MODE_SERVER, PACKET_LEN};
use tessera_core::time::local_unix_nanos_now;

/// `tessera init` for tests: no keychain (tests must not depend on the machine's Secret Service) and
/// a deliberately cheap KDF (64 KiB, one pass) so each test creates its vault in milliseconds.
pub const QUICK_INIT: &[&str] = &[
    "init",
    "--no-keychain",
    "--kdf-memory-kib",
    "64",
    "--kdf-passes",
    "1",
];

/// The password every harness vault uses unless the test picks another.
pub const PW: &str = "test password";

/// Variables that choose a vault or answer a password prompt: a test run never inherits them from
/// the environment `cargo test` was started in.
const PRIVATE_VARIABLES: &[&str] = &[
    "TESSERA_VAULT",
    "TESSERA_PASSWORD",
    "TESSERA_NEW_PASSWORD",
    "TESSERA_FILE_PASSWORD",
];

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// One JSON value per line (`--json` output).
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// What a test time server on 127.0.0.1, whose clock is `shift_ms` ahead of ours, answers to the
/// query `request`; `None` when `request` is not an NTP packet.
pub fn ntp_reply(request: &[u8], shift_ms: i64) -> Option<[u8; PACKET_LEN]> {
    let request = Packet::decode(request)?;
    let now =
        || NtpTimestamp::from_unix_nanos(local_unix_nanos_now() + i128::from(shift_ms) * 1_000_000);
    let reply = Packet {
        version: 4,
        mode: MODE_SERVER,
        stratum: 1,
        reference_id: *b"TEST",
        origin: request.transmit,
        receive: now(),
        transmit: now(),
        ..Packet::default()
    };
    Some(reply.encode())
}

/// Runs `cmd` with `input` on its standard input (answers to prompts, a pasted block).
pub fn run_with_stdin(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `tessera ARGS` with no vault and no password set (commands that need none) and nothing on
/// standard input.
pub fn tessera_command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
    c.args(args).stdin(Stdio::null());
    for name in PRIVATE_VARIABLES {
        c.env_remove(name);
    }
    c
}

/// Runs [`tessera_command`].
pub fn tessera(args: &[&str]) -> Output {
    tessera_command(args).output().expect("run tessera")
}

/// A temporary folder holding the vault (`vault.tessera` unless renamed), the password to give, and
/// any other environment the test sets for every run.
pub struct Cli {
    pub dir: tempfile::TempDir,
    pub vault: PathBuf,
    password: Option<String>,
    /// `(name, Some(value))` sets a variable, `(name, None)` removes it; applied in order.
    env: Vec<(String, Option<String>)>,
}

impl Cli {
    /// A fresh folder whose vault does not exist yet; runs give the password `PW`.
    pub fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.tessera");
        Cli {
            dir,
            vault,
            password: Some(PW.to_owned()),
            env: Vec::new(),
        }
    }

    /// A fresh folder with a vault created by `QUICK_INIT` (password `PW`).
    pub fn with_vault() -> Cli {
        Cli::new().init()
    }

    /// Runs `QUICK_INIT` with this harness's password and environment, and asserts it worked.
    pub fn init(self) -> Cli {
        self.ok(QUICK_INIT);
        self
    }

    /// The vault is `name` inside the folder (a relative path; its folder is not created).
    pub fn vault_named(mut self, name: &str) -> Cli {
        self.vault = self.dir.path().join(name);
        self
    }

    /// Runs give `password` as `TESSERA_PASSWORD`.
    pub fn password(mut self, password: &str) -> Cli {
        self.password = Some(password.to_owned());
        self
    }

    /// Runs give no password (nobody at a terminal either: standard input is empty).
    pub fn no_password(mut self) -> Cli {
        self.password = None;
        self
    }

    /// Every run sets `name` to `value`.
    pub fn env(mut self, name: &str, value: impl AsRef<Path>) -> Cli {
        let value = value.as_ref().to_str().unwrap().to_owned();
        self.env.push((name.to_owned(), Some(value)));
        self
    }

    /// Every run has `name` unset.
    pub fn env_remove(mut self, name: &str) -> Cli {
        self.env.push((name.to_owned(), None));
        self
    }

    /// A path inside the harness folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tessera ARGS` against this vault; the test may add to the command before running it.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = tessera_command(args);
        c.env("TESSERA_VAULT", &self.vault);
        if let Some(password) = &self.password {
            c.env("TESSERA_PASSWORD", password);
        }
        for (name, value) in &self.env {
            match value {
                Some(value) => c.env(name, value),
                None => c.env_remove(name),
            };
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run tessera")
    }

    /// Runs with some variables set for this run only (a wrong password, a new password…).
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args)
            .envs(env.iter().copied())
            .output()
            .expect("run tessera")
    }

    /// Runs with `input` on standard input.
    pub fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        run_with_stdin(&mut self.command(args), input)
    }

    /// Runs and asserts success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        stdout(&self.run_ok(args))
    }

    /// Runs and asserts success; returns the whole output (for tests that read warnings too).
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "tessera {args:?} failed: {}",
            stderr(&o)
        );
        o
    }

    /// Runs and asserts exit code 2 (bad input); returns standard error.
    pub fn refused(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "tessera {args:?}: {} / {}",
            stdout(&o),
            stderr(&o)
        );
        stderr(&o)
    }

    /// `tessera list --json` (or any JSON-lines command) parsed.
    pub fn json_lines(&self, args: &[&str]) -> Vec<serde_json::Value> {
        json_lines(&self.ok(args))
    }
}
