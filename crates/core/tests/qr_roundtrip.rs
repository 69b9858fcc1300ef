//! Round trips: render QR codes with the `qrcode` crate under the conditions people scan them in
//! (dark mode, rotation, noise, small modules, several codes, raw UTF-8), then decode them.

use qrcode::{Color, EcLevel, QrCode};
use std::io::Cursor;
use std::time::Duration;
use tessera_core::qr::{self, FileOptions, FrameFormat, FrameScanner, Luma, Payload, QrError};

const ZURICH: &str =
    "otpauth://totp/Zürich Versicherung:anna?secret=JBSWY3DPEHPK3PXP&issuer=Zürich Versicherung";
const MIGRATION: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

/// A white canvas.
fn canvas(w: usize, h: usize, value: u8) -> Luma {
    Luma::new(w, h, vec![value; w * h]).unwrap()
}

/// Draws `payload` as a QR code with `module` px per module (fractional sizes are area-sampled,
/// as a screenshot scaler would) at (x0, y0), including a 4-module quiet zone.
fn draw(img: &mut Luma, payload: &[u8], ec: EcLevel, module: f64, x0: usize, y0: usize) {
    let code = QrCode::with_error_correction_level(payload, ec).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let quiet = 4.0;
    let side = ((n as f64 + 2.0 * quiet) * module).ceil() as usize;
    let dark_at = |mx: f64, my: f64| -> bool {
        let (cx, cy) = (mx - quiet, my - quiet);
        if cx < 0.0 || cy < 0.0 || cx >= n as f64 || cy >= n as f64 {
            return false;
        }
        colors[cy as usize * n + cx as usize] == Color::Dark
    };
    for py in 0..side {
        for px in 0..side {
            // 4×4 supersampling of the pixel's area.
            let mut dark = 0;
            for sy in 0..4 {
                for sx in 0..4 {
                    let mx = (px as f64 + (sx as f64 + 0.5) / 4.0) / module;
                    let my = (py as f64 + (sy as f64 + 0.5) / 4.0) / module;
                    dark += usize::from(dark_at(mx, my));
                }
            }
            let (x, y) = (x0 + px, y0 + py);
            if x < img.width && y < img.height {
                img.data[y * img.width + x] = (255 - dark * 255 / 16) as u8;
            }
        }
    }
}

fn single(payload: &str, module: f64) -> Luma {
    let mut img = canvas(640, 480, 255);
    draw(&mut img, payload.as_bytes(), EcLevel::M, module, 60, 40);
    img
}

/// The file cascade without its time bound: tests run unoptimised, and the outcome must not depend
/// on the machine's speed.
fn texts(img: &Luma) -> Vec<String> {
    let options = FileOptions {
        budget: Duration::from_secs(3600),
        ..FileOptions::default()
    };
    qr::decode_with(img, &options)
        .into_iter()
        .map(|d| d.text)
        .collect()
}

/// A small deterministic PRNG (xorshift) so that noisy images are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn png_bytes(img: &Luma) -> Vec<u8> {
    let gray =
        image::GrayImage::from_raw(img.width as u32, img.height as u32, img.data.clone()).unwrap();
    let mut out = Cursor::new(Vec::new());
    gray.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn clean_code_with_raw_utf8_issuer() {
    assert_eq!(texts(&single(ZURICH, 4.0)), vec![ZURICH.to_owned()]);
}

#[test]
fn latin1_bytes_are_read_as_latin1_not_shift_jis() {
    let mut img = canvas(400, 400, 255);
    draw(&mut img, b"Z\xfcrich Caf\xe9", EcLevel::M, 5.0, 40, 40);
    assert_eq!(texts(&img), vec!["Zürich Café".to_owned()]);
}

#[test]
fn japanese_utf8_is_not_mangled() {
    let text = "otpauth://totp/東京銀行:山田?secret=JBSWY3DPEHPK3PXP&issuer=東京銀行";
    assert_eq!(texts(&single(text, 4.0)), vec![text.to_owned()]);
}

#[test]
fn inverted_dark_mode_code() {
    assert_eq!(
        texts(&single(ZURICH, 4.0).inverted()),
        vec![ZURICH.to_owned()]
    );
}

#[test]
fn rotated_codes() {
    let img = single(MIGRATION, 4.0);
    for angle in [17.0f32, 61.0, 135.0, 200.0, 290.0] {
        assert_eq!(
            texts(&img.rotated(angle)),
            vec![MIGRATION.to_owned()],
            "angle {angle}"
        );
    }
}

#[test]
fn gaussian_noise() {
    let mut img = single(ZURICH, 5.0);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for v in img.data.iter_mut() {
        // Sum of uniforms ≈ Gaussian, σ ≈ 30 grey levels.
        let g: f64 = (0..4).map(|_| rng.unit() - 0.5).sum::<f64>() * 30.0 * (12.0f64 / 4.0).sqrt();
        *v = (f64::from(*v) + g).round().clamp(0.0, 255.0) as u8;
    }
    assert_eq!(texts(&img), vec![ZURICH.to_owned()]);
}

#[test]
fn salt_and_pepper_noise() {
    let mut img = single(ZURICH, 5.0);
    let mut rng = Rng(42);
    for v in img.data.iter_mut() {
        let r = rng.unit();
        if r < 0.02 {
            *v = 0;
        } else if r < 0.04 {
            *v = 255;
        }
    }
    assert_eq!(texts(&img), vec![ZURICH.to_owned()]);
}

#[test]
fn low_contrast_with_gradient() {
    let mut img = single(ZURICH, 4.0);
    let w = img.width;
    for (i, v) in img.data.iter_mut().enumerate() {
        let shade = 0.45 + 0.55 * (i % w) as f64 / w as f64;
        // Dark modules at 110, light at 150, under a left-to-right shadow.
        let level = 110.0 + 40.0 * f64::from(*v) / 255.0;
        *v = (level * shade) as u8;
    }
    assert_eq!(texts(&img), vec![ZURICH.to_owned()]);
}

#[test]
fn small_modules() {
    for module in [1.5, 2.0] {
        let mut img = canvas(1280, 720, 240);
        draw(&mut img, ZURICH.as_bytes(), EcLevel::M, module, 500, 300);
        assert_eq!(texts(&img), vec![ZURICH.to_owned()], "module {module}");
    }
}

#[test]
fn several_codes_in_one_screenshot_are_all_returned_once() {
    let payloads = [
        ZURICH,
        MIGRATION,
        "https://example.org/ward-4",
        "otpauth://hotp/Lab:bob?secret=GEZDGNBVGY3TQOJQ&counter=7",
    ];
    let mut img = canvas(1600, 900, 250);
    for (i, p) in payloads.iter().enumerate() {
        draw(
            &mut img,
            p.as_bytes(),
            EcLevel::M,
            3.0,
            40 + 390 * i,
            150 + 120 * (i % 2),
        );
    }
    let mut got = texts(&img);
    got.sort();
    let mut want: Vec<String> = payloads.iter().map(|p| p.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn image_file_formats_round_trip() {
    let img = single(MIGRATION, 4.0);
    let gray =
        image::GrayImage::from_raw(img.width as u32, img.height as u32, img.data.clone()).unwrap();
    for format in [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::Bmp,
        image::ImageFormat::Gif,
    ] {
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageLuma8(gray.clone())
            .to_rgb8()
            .write_to(&mut out, format)
            .unwrap();
        let decoded = qr::decode_image_bytes(out.get_ref()).unwrap();
        assert_eq!(decoded.len(), 1, "{format:?}");
        assert_eq!(decoded[0].text, MIGRATION, "{format:?}");
    }
}

#[test]
fn transparent_png_background_reads_as_white() {
    let img = single(ZURICH, 4.0);
    // Black modules on a fully transparent (black, alpha 0) background.
    let rgba: Vec<u8> = img
        .data
        .iter()
        .flat_map(|&v| {
            if v < 128 {
                [0, 0, 0, 255]
            } else {
                [0, 0, 0, 0]
            }
        })
        .collect();
    let buf = image::RgbaImage::from_raw(img.width as u32, img.height as u32, rgba).unwrap();
    let mut out = Cursor::new(Vec::new());
    buf.write_to(&mut out, image::ImageFormat::Png).unwrap();
    let decoded = qr::decode_image_bytes(out.get_ref()).unwrap();
    assert_eq!(
        decoded.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(),
        vec![ZURICH]
    );
}

#[test]
fn images_without_a_code_give_nothing() {
    assert!(texts(&canvas(800, 600, 255)).is_empty());
    let mut rng = Rng(7);
    let noise = Luma::new(640, 480, (0..640 * 480).map(|_| rng.next() as u8).collect()).unwrap();
    assert!(texts(&noise).is_empty());
    // A lone finder-like square pattern is not a code.
    let mut decoy = canvas(300, 300, 255);
    for y in 0..300 {
        for x in 0..300 {
            let d = (x as i32 - 150).abs().max((y as i32 - 150).abs());
            if d < 35 && !(15..25).contains(&d) {
                decoy.data[y * 300 + x] = 0;
            }
        }
    }
    assert!(texts(&decoy).is_empty());
}

#[test]
fn non_images_and_corrupt_files_give_clear_errors() {
    assert!(matches!(
        qr::decode_image_bytes(b""),
        Err(QrError::NotAnImage)
    ));
    assert!(matches!(
        qr::decode_image_bytes(b"otpauth://totp/x?secret=AA"),
        Err(QrError::NotAnImage)
    ));
    assert!(matches!(
        qr::decode_image_bytes(b"%PDF-1.7\n..."),
        Err(QrError::NotAnImage)
    ));
    let png = png_bytes(&single(ZURICH, 4.0));
    for cut in [9, 40, png.len() / 2, png.len() - 13] {
        let err = qr::decode_image_bytes(&png[..cut]).unwrap_err();
        assert!(matches!(err, QrError::Corrupt(_)), "cut at {cut}: {err:?}");
        assert!(
            err.to_string()
                .starts_with("the image file is damaged or incomplete"),
            "{err}"
        );
    }
    let mut flipped = png.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0xff;
    assert!(qr::decode_image_bytes(&flipped).is_err());
    let missing = qr::decode_file(std::path::Path::new("/nonexistent/qr.png")).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("could not read /nonexistent/qr.png"),
        "{missing}"
    );
}

#[test]
fn oversized_images_are_refused_before_decoding() {
    // A PNG header claiming 100000×100000 pixels.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let err = qr::decode_image_bytes(&png).unwrap_err();
    assert!(matches!(err, QrError::TooLarge(_)), "{err:?}");
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn frame_with_code(payload: &str, dark_mode: bool) -> Vec<u8> {
    let mut img = canvas(1280, 720, 230);
    draw(&mut img, payload.as_bytes(), EcLevel::M, 4.0, 480, 200);
    if dark_mode {
        img = img.inverted();
    }
    img.data.iter().flat_map(|&v| [v, v, v, 255]).collect()
}

#[test]
fn frame_scanner_finds_a_code_within_one_round_of_passes() {
    for dark_mode in [false, true] {
        let frame = frame_with_code(ZURICH, dark_mode);
        let mut scanner = FrameScanner::new();
        let found = (0..8).find_map(|_| {
            let d = scanner.scan_frame(1280, 720, FrameFormat::Rgba, &frame);
            (!d.is_empty()).then_some(d)
        });
        let found = found.expect("code found within 8 frames");
        assert_eq!(found[0].text, ZURICH, "dark mode {dark_mode}");
    }
}

#[test]
fn frame_scanner_reports_nothing_on_empty_or_malformed_frames() {
    let mut scanner = FrameScanner::new();
    let empty = vec![128u8; 1280 * 720];
    for _ in 0..8 {
        assert!(scanner
            .scan_frame(1280, 720, FrameFormat::Luma, &empty)
            .is_empty());
    }
    assert!(
        scanner
            .scan_frame(1280, 720, FrameFormat::Rgba, &empty)
            .is_empty(),
        "short buffer"
    );
    assert!(scanner.scan_frame(0, 0, FrameFormat::Luma, &[]).is_empty());
}

#[test]
fn debug_output_does_not_show_the_secret() {
    let decoded = qr::decode_luma(&single(ZURICH, 4.0));
    let debug = format!("{decoded:?}");
    assert!(!debug.contains("JBSWY3DP"), "{debug}");
}

#[test]
fn a_scanned_export_batch_is_classified_with_its_accounts() {
    let entries: Vec<_> = ["Lab:bob", "Zürich:anna"]
        .iter()
        .map(|l| {
            tessera_core::uri::parse(&format!("otpauth://totp/{l}?secret=JBSWY3DPEHPK3PXP"))
                .unwrap()
        })
        .collect();
    let uris = tessera_core::migration::encode_batches(&entries, 1, 99).unwrap();
    let mut img = canvas(1000, 500, 255);
    draw(&mut img, uris[0].as_bytes(), EcLevel::M, 4.0, 20, 20);
    draw(&mut img, uris[1].as_bytes(), EcLevel::M, 4.0, 520, 20);
    let png = png_bytes(&img);
    let dir = std::env::temp_dir().join(format!("tessera-qr-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("export.png");
    std::fs::write(&path, png).unwrap();
    let scanned = qr::scan_file(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let mut got: Vec<_> = scanned.iter().flat_map(|(_, p)| p.entries()).collect();
    got.sort_by(|a, b| a.account.cmp(&b.account));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].issuer, "Zürich");
    assert_eq!(got[1].issuer, "Lab");
    for (_, p) in &scanned {
        assert!(
            matches!(p, Payload::Migration { batch } if batch.batch_size == 2),
            "{p:?}"
        );
    }
}

#[test]
fn classify_what_a_scan_holds() {
    assert!(matches!(qr::classify(ZURICH), Payload::Otpauth { .. }));
    let p = qr::classify("https://example.org/ward-4");
    assert_eq!(
        p.description(),
        "this QR code is a web link, not an authenticator code"
    );
}

/// A screenshot read from the clipboard arrives as raw RGBA pixels (no file format around it).
#[test]
fn raw_rgba_pixels_from_the_clipboard() {
    let img = single(ZURICH, 4.0);
    let (w, h) = (img.width, img.height);
    let mut rgba = Vec::with_capacity(w * h * 4);
    for &v in &img.data {
        rgba.extend_from_slice(&[v, v, v, 255]);
    }
    let found = qr::decode_rgba(w, h, &rgba).unwrap();
    assert_eq!(
        found.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(),
        vec![ZURICH]
    );
    // Sizes that do not match the bytes, no pixels, or too many: a sentence, not a panic.
    assert!(matches!(
        qr::decode_rgba(w, h + 1, &rgba),
        Err(QrError::Corrupt(_))
    ));
    assert!(matches!(qr::decode_rgba(0, h, &[]), Err(QrError::Empty)));
    assert!(matches!(
        qr::decode_rgba(100_000, 100_000, &rgba),
        Err(QrError::TooLarge(_))
    ));
}
