//! `tessera export` then `tessera import` of the Tessera backup into a fresh vault: recovery codes come
//! back with their used state, and the account keeps its id.

mod common;

use common::{stderr, Cli};

const VAULT_PW: &str = "vault password for tests";
const BACKUP_PW: &str = "plinth mango ferry cobalt";
const CODES: &str = "1. 1234 5678    2. 2345 6789\n3. 3456 7890\n";

/// A harness for a vault named `name`, with the vault and backup passwords.
fn harness(name: &str) -> Cli {
    Cli::new()
        .vault_named(name)
        .password(VAULT_PW)
        .env("TESSERA_FILE_PASSWORD", BACKUP_PW)
        .init()
}

#[test]
fn backup_restore_keeps_recovery_codes_and_their_used_state() {
    let old = harness("old.tessera");
    old.ok(&[
        "add",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--issuer",
        "NHS Mail",
        "--account",
        "a.b",
        "--env",
        "live",
    ]);
    let o = old.run_stdin(&["recovery", "add", "NHS Mail"], CODES);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(old.ok(&["recovery", "use", "NHS Mail"]).trim(), "1234 5678");
    let backup = old.path("b.tessera");
    let b = backup.display().to_string();
    assert!(old
        .ok(&["export", "--out", &b])
        .contains("backup verified: 1 accounts"));

    let new = harness("new.tessera");
    let imported = new.ok(&["import", &b, "--yes"]);
    assert!(imported.contains("imported 1 account(s)"), "{imported}");
    assert!(
        imported.contains("restored 3 recovery code(s)"),
        "{imported}"
    );
    let list = new.ok(&["recovery", "list", "NHS Mail"]);
    assert!(list.contains("2 of 3 left"), "{list}");
    assert!(list.contains("3456 7890"), "{list}");
    // Same id in both vaults.
    let id = |v: &Cli| {
        let json = v.ok(&["list", "--json"]);
        let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
        first["id"].as_str().map(str::to_owned)
    };
    assert_eq!(id(&old), id(&new));
}
