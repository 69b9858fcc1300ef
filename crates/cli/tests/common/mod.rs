//! Small helpers every CLI test file uses: reading a run's output, and creating a vault quickly.
#![allow(dead_code)] // each test file uses its own subset

use std::io::Write;
use std::process::{Command, Output, Stdio};

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

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Runs `cmd` with `input` on its standard input (answers to prompts, a pasted block).
pub fn run_with_stdin(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The password every harness vault uses.
pub const PW: &str = "test password";

/// `tessera` with no vault set (commands that do not need one).
pub fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .env_remove("TESSERA_VAULT")
        .env_remove("TESSERA_PASSWORD")
        .env_remove("TESSERA_NEW_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("run tessera")
}

/// One CLI test harness: a fresh quick vault in a temporary folder, and ways to run against it.
pub struct Cli {
    pub dir: tempfile::TempDir,
    pub vault: std::path::PathBuf,
}

impl Cli {
    /// A folder with a vault created by `QUICK_INIT` (password `PW`).
    pub fn with_vault() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.tessera");
        let cli = Cli { dir, vault };
        let o = cli.run(QUICK_INIT);
        assert!(o.status.success(), "{}", stderr(&o));
        cli
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
        c.args(args)
            .env("TESSERA_VAULT", &self.vault)
            .env("TESSERA_PASSWORD", PW)
            .env_remove("TESSERA_NEW_PASSWORD")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run tessera")
    }

    /// Runs and asserts success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "tessera {args:?} failed: {}",
            stderr(&o)
        );
        stdout(&o)
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

pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
