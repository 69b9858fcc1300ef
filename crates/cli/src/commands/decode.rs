//! `tessera decode IMAGE...`: print the text of every QR code in the images, one per line.
//!
//! For each image the in-process decode time (the decode of the loaded image, not reading the file
//! or decoding the PNG/JPEG) goes to stderr as `# decode_ms=<float>`, the line the QR benchmark
//! reads. A text with line breaks (a vCard) is printed as its lines.

use crate::cli_error::{CliError, CliResult};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use tessera_core::qr::{self, FileOptions, Pass};

#[derive(Args)]
pub struct DecodeArgs {
    /// Image files (PNG, JPEG, WebP, GIF, BMP).
    #[arg(required = true)]
    pub images: Vec<PathBuf>,
    /// Also print which pass read each code, and what it is, on stderr.
    #[arg(long)]
    pub verbose: bool,
    /// Passes to run, comma-separated, in order (for measurements; default: the file cascade).
    #[arg(long, hide = true, value_delimiter = ',')]
    pub passes: Vec<String>,
}

pub fn run(args: DecodeArgs) -> CliResult {
    let mut options = FileOptions::default();
    if !args.passes.is_empty() {
        options.passes = args
            .passes
            .iter()
            .map(|name| {
                Pass::from_name(name)
                    .ok_or_else(|| CliError::bad_input(format!("unknown pass {name:?}")))
            })
            .collect::<Result<_, _>>()?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut found_any = false;
    let mut first_error = None;
    for path in &args.images {
        let img = match qr::read_image_file(path).and_then(|bytes| qr::load_image_bytes(&bytes)) {
            Ok(img) => img,
            Err(err) => {
                let err = CliError::bad_input(format!("{}: {err}", path.display()));
                if args.images.len() > 1 {
                    eprintln!("error: {}", err.message);
                }
                first_error.get_or_insert(err);
                continue;
            }
        };
        let start = Instant::now();
        let decoded = qr::decode_with(&img, &options);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        eprintln!("# decode_ms={ms:.3}");
        for d in &decoded {
            for line in d.text.lines() {
                writeln!(out, "{line}")
                    .map_err(|e| CliError::bad_input(format!("cannot write output: {e}")))?;
            }
            if args.verbose {
                eprintln!(
                    "# {} [{}]: {}",
                    path.display(),
                    d.pass.name(),
                    qr::classify(&d.text).description()
                );
            }
        }
        found_any |= !decoded.is_empty();
    }
    out.flush().ok();
    match first_error {
        // With several images, each error was printed as it happened.
        Some(_) if args.images.len() > 1 => {
            Err(CliError::already_reported(crate::cli_error::EXIT_BAD_INPUT))
        }
        Some(err) => Err(err),
        None if !found_any => Err(CliError::nothing_found("no QR code found")),
        None => Ok(()),
    }
}
