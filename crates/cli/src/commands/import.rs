//! `tessera import FILE...`: reads other apps' exports and Tessera backups, shows what was found, and
//! (without `--dry-run`) adds the accounts to the vault under its duplicate rules.
//!
//! Every file is read completely before anything is written: a wrong password, a damaged file or an
//! unknown format in any of them stops the whole import with exit 2 and nothing imported.

use crate::cli_error::{CliError, CliResult};
use crate::entry_json::{BatchJson, EntryJson};
use crate::file_password;
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tessera_core::formats::{self, FormatError, FormatId, ImportResult, ImportedEntry};

#[derive(Args)]
pub struct ImportArgs {
    /// Export files from other apps, Tessera backups, or Google Authenticator export text files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The format of the files; `auto` recognises it from the content.
    #[arg(long, default_value = "auto", value_parser = parse_format_arg)]
    pub format: FormatArg,
    /// Show what would be imported; write nothing (needs no vault).
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: one JSON object per line for each account, and one {"error": …} per entry
    /// that cannot be imported.
    #[arg(long)]
    pub json: bool,
    /// Include the secret keys in --json output.
    #[arg(long)]
    pub show_secrets: bool,
    /// When an account with the same issuer, name and environment exists: replace it (the old one
    /// goes to the trash).
    #[arg(long, group = "duplicates")]
    pub replace: bool,
    /// When an account with the same issuer, name and environment exists: keep both.
    #[arg(long, group = "duplicates")]
    pub keep_both: bool,
    /// When an account with the same issuer, name and environment exists: skip the imported one
    /// (the default).
    #[arg(long, group = "duplicates")]
    pub skip_duplicates: bool,
    /// Import without asking for confirmation at the terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Open files whose password check asks for more memory or passes than Tessera's budget
    /// (256 MiB, 256 MiB × 4 passes) without asking.
    #[arg(long)]
    pub allow_expensive_kdf: bool,
}

#[derive(Clone, Copy)]
pub enum FormatArg {
    Auto,
    Format(FormatId),
}

fn parse_format_arg(text: &str) -> Result<FormatArg, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(FormatArg::Auto);
    }
    text.parse::<FormatId>()
        .map(FormatArg::Format)
        .map_err(|_| {
            let names: Vec<&str> = FormatId::ALL.iter().map(|f| f.as_str()).collect();
            format!("unknown format {text:?}; use auto, {}", names.join(", "))
        })
}

/// Everything read from one file.
pub struct Source {
    pub path: PathBuf,
    pub format: FormatId,
    pub result: ImportResult,
}

fn file_label(path: &Path) -> String {
    path.display().to_string()
}

fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(b"\xFF\xD8\xFF")
}

/// Reads and decrypts one file into entries; any whole-file problem is an exit-2 error naming the file.
pub fn read_source(
    path: &Path,
    format: FormatArg,
    allow_expensive_kdf: bool,
) -> Result<Source, CliError> {
    let label = file_label(path);
    let bytes = std::fs::read(path).map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
    let fail = |e: FormatError| CliError::bad_input(format!("{label}: {e}"));
    if is_image(&bytes) {
        return read_images(&[path.to_path_buf()]);
    }
    let format = match format {
        FormatArg::Format(f) => f,
        FormatArg::Auto => {
            formats::detect(&bytes).ok_or_else(|| fail(FormatError::UnknownFormat))?
        }
    };
    crate::kdf_guard::check(&label, format, &bytes, allow_expensive_kdf)?;
    let password = if formats::needs_password(format, &bytes) {
        Some(file_password::for_reading(&label)?)
    } else {
        None
    };
    let result =
        formats::import(format, &bytes, password.as_deref().map(String::as_str)).map_err(fail)?;
    Ok(Source {
        path: path.to_path_buf(),
        format,
        result,
    })
}

/// One account as `--dry-run --json` prints it: the `uri parse` fields plus environment and note.
#[derive(Serialize)]
struct ImportJson<'a> {
    #[serde(flatten)]
    entry: EntryJson,
    environment: Option<&'a str>,
    note: &'a str,
}

fn entry_json(imported: &ImportedEntry, show_secrets: bool) -> String {
    let mut entry = EntryJson::new(&imported.entry, show_secrets);
    if let Some(b) = imported.batch {
        entry = entry.with_batch(BatchJson {
            batch_index: b.index as i32,
            batch_size: b.size as i32,
            batch_id: b.batch_id,
        });
    }
    let json = ImportJson {
        entry,
        environment: imported.environment_hint.as_ref().and_then(|e| e.as_key()),
        note: &imported.note,
    };
    serde_json::to_string(&json).expect("plain data serializes")
}

fn error_json(source: &Source, error: &formats::EntryError) -> String {
    serde_json::json!({ "error": format!("{}: {error}", file_label(&source.path)) }).to_string()
}

/// QR code images (Google Authenticator transfer codes, or single-account codes), read together so
/// that the QR codes of one multi-code export may come in several images.
fn read_images(paths: &[PathBuf]) -> Result<Source, CliError> {
    let mut payloads = Vec::new();
    let mut uris = String::new();
    for path in paths {
        let label = file_label(path);
        let decoded = tessera_core::qr::decode_file(path)
            .map_err(|e| CliError::bad_input(format!("{label}: {e}")))?;
        if decoded.is_empty() {
            return Err(CliError::bad_input(format!(
                "{label}: no QR code was found in the image"
            )));
        }
        for d in decoded {
            let text = d.text.trim().to_string();
            use tessera_core::intake::{link_kind, LinkKind};
            match link_kind(&text) {
                LinkKind::Export => payloads.push((payloads.len() + 1, text)),
                LinkKind::Account => {
                    uris.push_str(&text);
                    uris.push('\n');
                }
                LinkKind::Other => {
                    return Err(CliError::bad_input(format!(
                        "{label}: the QR code is not an authenticator code"
                    )));
                }
            }
        }
    }
    let mut result = formats::google::import_payloads(payloads)
        .map_err(|e| CliError::bad_input(e.to_string()))?;
    if !uris.is_empty() {
        let more = formats::import(FormatId::Uris, uris.as_bytes(), None)
            .map_err(|e| CliError::bad_input(e.to_string()))?;
        result.entries.extend(more.entries);
        result.errors.extend(more.errors);
        result.warnings.extend(more.warnings);
    }
    let path = if paths.len() == 1 {
        paths[0].clone()
    } else {
        PathBuf::from(format!("{} QR images", paths.len()))
    };
    Ok(Source {
        path,
        format: FormatId::Google,
        result,
    })
}

fn starts_like_image(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map(|n| is_image(&head[..n]))
        .unwrap_or(false)
}

pub fn run(args: ImportArgs, vault: Option<&Path>) -> CliResult {
    if args.json && !args.dry_run {
        return Err(CliError::bad_input(
            "--json is only available with --dry-run",
        ));
    }
    // Images are read together (one export's QR codes may be in several screenshots); other files
    // one by one.
    let (images, others): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.files.iter().partition(|p| starts_like_image(p));
    let mut sources = Vec::new();
    if !images.is_empty() {
        if let FormatArg::Format(f) = args.format {
            if f != FormatId::Google {
                return Err(CliError::bad_input(format!(
                    "{}: images can only be read as Google Authenticator (or single-account) QR codes",
                    file_label(images[0])
                )));
            }
        }
        let owned: Vec<PathBuf> = images.into_iter().cloned().collect();
        sources.push(read_images(&owned)?);
    }
    for path in others {
        sources.push(read_source(path, args.format, args.allow_expensive_kdf)?);
    }
    let found: usize = sources.iter().map(|s| s.result.entries.len()).sum();

    if args.dry_run {
        for source in &sources {
            if args.json {
                for e in &source.result.entries {
                    println!("{}", entry_json(e, args.show_secrets));
                }
                for err in &source.result.errors {
                    println!("{}", error_json(source, err));
                }
                for w in &source.result.warnings {
                    println!("{}", serde_json::json!({ "warning": w }));
                }
            } else {
                print_preview(source);
            }
        }
        if found == 0 {
            return Err(CliError::nothing_found(
                "no account in the files can be imported",
            ));
        }
        return Ok(());
    }
    crate::import_into_vault::run(&args, sources, vault)
}

/// The human-readable list of what a file holds.
pub fn print_preview(source: &Source) {
    let r = &source.result;
    println!(
        "{} ({}): {} account(s) found{}",
        file_label(&source.path),
        source.format.display_name(),
        r.entries.len(),
        if r.errors.is_empty() {
            String::new()
        } else {
            format!(", {} cannot be imported", r.errors.len())
        }
    );
    for e in &r.entries {
        let mut line = format!("  + {}", describe(e));
        if let Some(env) = e.environment_hint.as_ref().and_then(|e| e.as_key()) {
            line.push_str(&format!("  [environment: {env}]"));
        }
        if !e.note.is_empty() {
            line.push_str(&format!("  note: {}", e.note));
        }
        println!("{line}");
    }
    for err in &r.errors {
        println!("  ! cannot import {err}");
    }
    for w in &r.warnings {
        println!("  ! note: {w}");
    }
}

/// "Issuer (account) TOTP SHA1 6 digits 30 s", without the secret.
pub fn describe(e: &ImportedEntry) -> String {
    let entry = &e.entry;
    let p = &entry.params;
    let name = match (entry.issuer.is_empty(), entry.account.is_empty()) {
        (false, false) => format!("{} ({})", entry.issuer, entry.account),
        (false, true) => entry.issuer.clone(),
        (true, false) => entry.account.clone(),
        (true, true) => "(unnamed account)".to_string(),
    };
    let kind = match p.kind {
        tessera_core::OtpKind::Hotp => format!(
            "HOTP {} {} digits counter {}",
            p.algorithm, p.digits, p.counter
        ),
        tessera_core::OtpKind::Steam => "Steam".to_string(),
        tessera_core::OtpKind::Totp => {
            format!("TOTP {} {} digits {} s", p.algorithm, p.digits, p.period)
        }
    };
    format!("{name}  {kind}")
}
