//! Crash safety: a process adding accounts one save at a time is killed (SIGKILL on Unix) at random
//! moments, again and again. After every kill the vault must open and hold exactly the accounts of the
//! saves that completed, plus at most the one that was under way: never a damaged file, never a lost
//! save. The saving process is this test binary itself (`stress_saves_child`), so no test-only command
//! ships in the `tessera` binary.

mod common;

use common::Cli;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};
use tessera_core::vault::{DuplicatePolicy, Environment, NewAccount, Unlock, Vault};

const PW: &str = "crash test";

/// xorshift64*, seeded from the clock: a different schedule of kills on every run (the seed is printed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn issuers(path: &Path) -> Vec<String> {
    let vault = Vault::open(path, Unlock::Password(PW.into()))
        .unwrap_or_else(|e| panic!("vault does not open after a kill: {e}"));
    vault.accounts().iter().map(|a| a.issuer.clone()).collect()
}

/// Set in the child's environment: the vault to fill, and the issuer prefix of this round.
const CHILD_VAULT: &str = "TESSERA_STRESS_CHILD_VAULT";
const CHILD_PREFIX: &str = "TESSERA_STRESS_CHILD_PREFIX";

/// The killed process: adds one account per save through the core, printing `saved N` after each
/// completed save. Does nothing when run as an ordinary test.
#[test]
fn stress_saves_child() {
    let (Some(path), Some(prefix)) = (
        std::env::var_os(CHILD_VAULT),
        std::env::var(CHILD_PREFIX).ok(),
    ) else {
        return;
    };
    use std::io::Write;
    let mut vault = Vault::open(Path::new(&path), Unlock::Password(PW.into())).unwrap();
    let mut out = std::io::stdout();
    for i in 0..400u32 {
        let secret =
            tessera_core::Secret::from_bytes(format!("stress secret number {i:08}").into_bytes())
                .unwrap();
        let new = NewAccount {
            issuer: format!("{prefix}-{i}"),
            account: "crash-test".into(),
            environment: Environment::Sandpit,
            secret,
            params: tessera_core::otp::OtpParams::totp(),
            note: String::new(),
        };
        vault.add(new, DuplicatePolicy::Refuse).unwrap();
        vault.save().unwrap();
        writeln!(out, "saved {i}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killing_during_saves_never_damages_the_vault() {
    let cli = Cli::new().password(PW).init();
    let path = &cli.vault;

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed:#x}");
    let mut rng = Rng(seed);
    let mut expected: Vec<String> = Vec::new();
    let mut kills_mid_run = 0;
    for round in 0..25 {
        let prefix = format!("r{round}");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "stress_saves_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_VAULT, path)
            .env(CHILD_PREFIX, &prefix)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Read completed-save numbers on a thread, so the kill time is independent of the reading.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // Only the child's own words; the test harness prints its own around them (even on
                // the same line: "test stress_saves_child ... saved 0").
                let Some(at) = line.find("saved ") else {
                    continue;
                };
                let n = &line[at + "saved ".len()..];
                if tx.send(n.parse::<u32>().unwrap()).is_err() {
                    break;
                }
            }
        });
        let delay = Duration::from_micros(2_000 + rng.next() % 120_000);
        let start = Instant::now();
        while start.elapsed() < delay {
            std::thread::sleep(Duration::from_micros(200));
        }
        if child.try_wait().unwrap().is_none() {
            kills_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL on Unix: no destructors, no flushing
        child.wait().unwrap();
        reader.join().unwrap();
        let completed: Vec<u32> = rx.try_iter().collect();

        let now = issuers(path);
        let done = completed.last().map(|n| n + 1).unwrap_or(0) as usize;
        let mut want: Vec<String> = expected.clone();
        want.extend((0..done).map(|i| format!("{prefix}-{i}")));
        let mut want_plus_one = want.clone();
        want_plus_one.push(format!("{prefix}-{done}"));
        assert!(
            now == want || now == want_plus_one,
            "round {round} (seed {seed:#x}): {done} saves reported, vault has {} accounts, expected {} or {}",
            now.len(),
            want.len(),
            want_plus_one.len()
        );
        // The backup copy, when there is one, is a complete earlier generation.
        let bak = path.with_file_name("vault.tessera.bak");
        if bak.exists() {
            let b = issuers(&bak);
            assert!(
                now.starts_with(&b),
                "the backup is not an earlier generation of the vault"
            );
        }
        expected = now;
    }
    eprintln!(
        "{kills_mid_run} of 25 runs were killed while saving; vault holds {} accounts",
        expected.len()
    );
    assert!(
        kills_mid_run >= 10,
        "the test should kill most runs mid-way (got {kills_mid_run})"
    );
    // No temp-file debris beyond what the killed saves may have left (removed by later saves once stale).
    let names: Vec<String> = std::fs::read_dir(cli.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"vault.tessera".to_string()), "{names:?}");
}
