//! The QR image path on hostile input: arbitrary bytes as an image file (PNG, JPEG, GIF, BMP,
//! WebP decoders and our size limits), and arbitrary bytes as raw pixels through every decoding
//! pass. Everything must return Ok/Err or an empty list, never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use tessera_core::qr::{self, FileOptions, FrameFormat, FrameScanner, Luma, Pass};

fuzz_target!(|data: &[u8]| {
    // 1. As an image file. Keep decoded images small so that an iteration stays fast.
    if let Ok(img) = qr::load_image_bytes(data) {
        if img.pixels() <= 64 * 64 {
            let options = FileOptions { budget: Duration::from_secs(5), ..FileOptions::default() };
            let _ = qr::decode_with(&img, &options);
        }
    }
    // 2. As raw grey pixels: the first byte picks the width, the rest are pixels.
    if data.len() > 2 {
        let w = 1 + usize::from(data[0] % 64);
        let pixels = &data[1..];
        let h = pixels.len() / w;
        if h > 0 {
            let img = Luma::new(w, h, pixels[..w * h].to_vec()).expect("sizes match");
            for pass in Pass::ALL {
                let options = FileOptions { passes: vec![pass], budget: Duration::from_secs(5) };
                for d in qr::decode_with(&img, &options) {
                    assert!(!d.text.is_empty());
                }
            }
            let mut scanner = FrameScanner::new();
            let _ = scanner.scan_frame(w, h, FrameFormat::Luma, &pixels[..w * h]);
            let _ = scanner.scan_frame(w, h, FrameFormat::Rgba, pixels);
        }
    }
});
