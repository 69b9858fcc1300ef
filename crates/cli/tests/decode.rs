//! The CLI contract of `tessera decode`: texts on stdout one per line, `# decode_ms=` on stderr,
//! exit 0 / 1 (no code) / 2 (unreadable file).

mod common;

use common::{stderr, stdout, tessera};

use qrcode::{Color, QrCode};
use std::path::{Path, PathBuf};

/// Writes a PNG with the given payloads side by side (6 px modules), or a blank page.
fn png(dir: &Path, name: &str, payloads: &[&str]) -> PathBuf {
    let m = 6u32;
    let mut img =
        image::GrayImage::from_pixel(400 * payloads.len().max(1) as u32, 400, image::Luma([255]));
    for (i, p) in payloads.iter().enumerate() {
        let code = QrCode::new(p.as_bytes()).unwrap();
        let n = code.width() as u32;
        let colors = code.to_colors();
        for y in 0..n * m {
            for x in 0..n * m {
                if colors[((y / m) * n + x / m) as usize] == Color::Dark {
                    img.put_pixel(400 * i as u32 + 24 + x, 24 + y, image::Luma([0]));
                }
            }
        }
    }
    let path = dir.join(name);
    img.save(&path).unwrap();
    path
}

#[test]
fn prints_every_text_and_the_decode_time() {
    let dir = tempfile::tempdir().unwrap();
    let a = "otpauth://totp/Zürich:anna?secret=JBSWY3DPEHPK3PXP&issuer=Zürich";
    let b = "https://example.org/ward-4";
    let path = png(dir.path(), "two.png", &[a, b]);
    let out = tessera(&["decode", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort();
    assert_eq!(lines, vec![b, a]);
    let err = stderr(&out);
    let ms: f64 = err
        .lines()
        .find_map(|l| l.strip_prefix("# decode_ms="))
        .expect("decode_ms line")
        .parse()
        .unwrap();
    assert!(ms >= 0.0);
}

#[test]
fn multi_line_texts_are_printed_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    let vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Dr Ann Example\nEND:VCARD";
    let path = png(dir.path(), "vcard.png", &[vcard]);
    let out = tessera(&["decode", "--verbose", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).lines().collect::<Vec<_>>(),
        vcard.lines().collect::<Vec<_>>()
    );
    assert!(
        stderr(&out).contains("a contact card, not an authenticator code"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_code_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = png(dir.path(), "blank.png", &[]);
    let out = tessera(&["decode", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("error: no QR code found"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unreadable_files_exit_2_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.png");
    std::fs::write(&text, "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").unwrap();
    let out = tessera(&["decode", text.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error:") && stderr(&out).contains("not an image"),
        "{}",
        stderr(&out)
    );

    let good = png(dir.path(), "good.png", &["hello"]);
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.png");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = tessera(&["decode", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("damaged or incomplete"),
        "{}",
        stderr(&out)
    );

    let out = tessera(&["decode", "/nonexistent/x.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("could not read /nonexistent/x.png"),
        "{}",
        stderr(&out)
    );

    // A good image next to a bad one: the text is printed, the exit code reports the bad one.
    let out = tessera(&["decode", good.to_str().unwrap(), cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out).trim(), "hello");
}
