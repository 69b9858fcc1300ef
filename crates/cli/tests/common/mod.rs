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
