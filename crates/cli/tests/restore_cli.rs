//! `tessera export` then `tessera import` of the Tessera backup into a fresh vault: recovery codes come
//! back with their used state, and the account keeps its id.

mod common;

use common::{run_with_stdin, stderr, stdout, QUICK_INIT};
use std::path::Path;
use std::process::{Command, Output};

const VAULT_PW: &str = "vault password for tests";
const BACKUP_PW: &str = "plinth mango ferry cobalt";
const CODES: &str = "1. 1234 5678    2. 2345 6789\n3. 3456 7890\n";

fn tessera(vault: &Path, args: &[&str], stdin: &str) -> Output {
    run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(args)
            .env("TESSERA_VAULT", vault)
            .env("TESSERA_PASSWORD", VAULT_PW)
            .env("TESSERA_FILE_PASSWORD", BACKUP_PW)
            .env_remove("TESSERA_NEW_PASSWORD"),
        stdin,
    )
}

fn ok(vault: &Path, args: &[&str], stdin: &str) -> String {
    let o = tessera(vault, args, stdin);
    assert!(o.status.success(), "tessera {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn init(vault: &Path) {
    ok(vault, QUICK_INIT, "");
}

#[test]
fn backup_restore_keeps_recovery_codes_and_their_used_state() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.tessera");
    init(&old);
    ok(
        &old,
        &[
            "add",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--issuer",
            "NHS Mail",
            "--account",
            "a.b",
            "--env",
            "live",
        ],
        "",
    );
    ok(&old, &["recovery", "add", "NHS Mail"], CODES);
    assert_eq!(
        ok(&old, &["recovery", "use", "NHS Mail"], "").trim(),
        "1234 5678"
    );
    let backup = dir.path().join("b.tessera");
    let b = backup.display().to_string();
    assert!(ok(&old, &["export", "--out", &b], "").contains("backup verified: 1 accounts"));

    let new = dir.path().join("new.tessera");
    init(&new);
    let imported = ok(&new, &["import", &b, "--yes"], "");
    assert!(imported.contains("imported 1 account(s)"), "{imported}");
    assert!(
        imported.contains("restored 3 recovery code(s)"),
        "{imported}"
    );
    let list = ok(&new, &["recovery", "list", "NHS Mail"], "");
    assert!(list.contains("2 of 3 left"), "{list}");
    assert!(list.contains("3456 7890"), "{list}");
    // Same id in both vaults.
    let id = |v: &Path| {
        let json = ok(v, &["list", "--json"], "");
        let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
        first["id"].as_str().map(str::to_owned)
    };
    assert_eq!(id(&old), id(&new));
}
