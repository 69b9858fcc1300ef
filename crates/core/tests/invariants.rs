//! The architecture's invariants (docs/architecture.md, "Invariants"), checked on the source tree so a
//! change that breaks one fails here instead of drifting quietly. Each check reads the non-test code of
//! the crates named and looks for what must not be there.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, with its text cut at the first `#[cfg(test)]` or `#[cfg(all(test, …))]` (unit tests may use
/// anything) and comment lines dropped.
fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo().join(dir), &mut files);
    assert!(!files.is_empty(), "no sources under {dir}");
    files
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("tests"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = ["#[cfg(test)]", "#[cfg(all(test"]
                .iter()
                .filter_map(|marker| text.find(marker))
                .min()
                .map_or(text.as_str(), |end| &text[..end])
                .to_string();
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            (p, code)
        })
        .collect()
}

fn offenders(dirs: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in dirs {
        for (path, code) in sources(dir) {
            for f in forbidden {
                if code.contains(f) {
                    found.push(format!("{}: {f}", path.display()));
                }
            }
        }
    }
    found
}

#[test]
fn vault_and_backup_never_use_formats() {
    let found = offenders(
        &["crates/core/src/vault", "crates/core/src/backup"],
        &["crate::formats", "super::formats", "formats::"],
    );
    assert!(found.is_empty(), "upward imports: {found:#?}");
}

#[test]
fn clients_never_build_otp_parameters_field_by_field() {
    let found = offenders(
        &["crates/cli/src", "src-tauri/src"],
        &["OtpParams {", ".digits = ", ".algorithm = ", ".period = "],
    );
    assert!(
        found.is_empty(),
        "use OtpParams::from_parts / with_parts: {found:#?}"
    );
}

#[test]
fn clients_never_test_uri_schemes() {
    let found = offenders(
        &["crates/cli/src", "src-tauri/src"],
        &["\"otpauth:", "\"otpauth-migration:", "\"otpauth://"],
    );
    assert!(
        found.is_empty(),
        "use tessera_core::intake::link_kind: {found:#?}"
    );
}

#[test]
fn the_core_never_prints() {
    let found = offenders(&["crates/core/src"], &["println!", "eprintln!", "print!("]);
    assert!(
        found.is_empty(),
        "the core returns values and errors: {found:#?}"
    );
}

#[test]
fn dates_are_made_only_in_core_time() {
    let found: Vec<String> = offenders(
        &["crates/core/src", "crates/cli/src"],
        &[
            "UNIX_EPOCH",
            "146_097",
            "719_468",
            ":04}-{",
            "{y:04}",
            ":02} UTC",
        ],
    )
    .into_iter()
    .filter(|f| !f.starts_with(&repo().join("crates/core/src/time.rs").display().to_string()))
    .collect();
    assert!(
        found.is_empty(),
        "use tessera_core::time (now_unix, format_utc, iso_date, rfc3339…): {found:#?}"
    );
}
