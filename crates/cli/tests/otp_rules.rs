//! One rule for OTP parameters, whichever command takes them: Steam Guard is always SHA1, 5
//! characters and 30 seconds. A flag that contradicts it is refused (exit 2) instead of being ignored
//! or stored.

mod common;

use common::{stderr, tessera, Cli};

const KEY: &str = "JBSWY3DPEHPK3PXP";

fn assert_refused(o: std::process::Output, words: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.starts_with("error: "), "{e}");
    assert!(e.contains(words), "{e}");
}

#[test]
fn code_refuses_steam_with_other_digits_algorithm_or_period() {
    let steam = |extra: &[&str]| {
        let mut args = vec!["code", "--secret", KEY, "--type", "steam", "--at", "59"];
        args.extend_from_slice(extra);
        tessera(&args)
    };
    assert_refused(steam(&["--digits", "8"]), "Steam");
    assert_refused(steam(&["--algorithm", "SHA256"]), "Steam");
    assert_refused(steam(&["--period", "60"]), "Steam");
    // The values Steam uses anyway are fine.
    let o = steam(&["--digits", "5", "--algorithm", "sha1", "--period", "30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout).unwrap().trim().len(), 5);
}

#[test]
fn add_refuses_steam_with_other_digits() {
    let cli = Cli::with_vault();
    let e = cli.refused(&[
        "add", "--secret", KEY, "--issuer", "Steam", "--type", "steam", "--digits", "8",
    ]);
    assert!(e.contains("Steam"), "{e}");
    assert!(cli.json_lines(&["list", "--json"]).is_empty());
}

#[test]
fn edit_never_stores_steam_with_another_algorithm() {
    let cli = Cli::with_vault();
    cli.ok(&[
        "add", "--secret", KEY, "--issuer", "Valve", "--type", "steam",
    ]);
    let e = cli.refused(&["edit", "Valve", "--algorithm", "SHA256"]);
    assert!(e.starts_with("error: ") && e.contains("Steam"), "{e}");
    let e = cli.refused(&["edit", "Valve", "--digits", "8"]);
    assert!(e.contains("Steam"), "{e}");

    cli.ok(&[
        "add",
        "--secret",
        KEY,
        "--issuer",
        "Shop",
        "--algorithm",
        "SHA256",
    ]);
    let e = cli.refused(&["edit", "Shop", "--type", "steam", "--algorithm", "SHA256"]);
    assert!(e.contains("Steam"), "{e}");
    // Switching to Steam takes Steam's values; switching back gives the usual 6 digits.
    cli.ok(&["edit", "Shop", "--type", "steam"]);
    cli.ok(&["edit", "Valve", "--type", "totp"]);
    let list = cli.json_lines(&["list", "--json"]);
    let get = |issuer: &str| list.iter().find(|a| a["issuer"] == issuer).unwrap().clone();
    let shop = get("Shop");
    assert_eq!(
        (
            shop["type"].as_str(),
            shop["algorithm"].as_str(),
            shop["digits"].as_u64()
        ),
        (Some("steam"), Some("SHA1"), Some(5))
    );
    let valve = get("Valve");
    assert_eq!(
        (
            valve["type"].as_str(),
            valve["algorithm"].as_str(),
            valve["digits"].as_u64()
        ),
        (Some("totp"), Some("SHA1"), Some(6))
    );
}

#[test]
fn rekey_never_stores_steam_with_another_algorithm() {
    let cli = Cli::with_vault();
    cli.ok(&[
        "add", "--secret", KEY, "--issuer", "Valve", "--type", "steam",
    ]);
    let e = cli.refused(&[
        "rekey",
        "Valve",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--type",
        "steam",
        "--algorithm",
        "SHA256",
    ]);
    assert!(e.starts_with("error: ") && e.contains("Steam"), "{e}");
    let e = cli.refused(&[
        "rekey",
        "Valve",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--type",
        "steam",
        "--digits",
        "7",
    ]);
    assert!(e.contains("Steam"), "{e}");
}
