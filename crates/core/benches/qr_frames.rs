//! Camera-frame budget: one `FrameScanner::scan_frame` call on a 1280×720 RGBA frame, per pass of
//! the default rotation, on a frame with a code and on one without (the common case while the
//! user is still aiming). Target: about 30 ms per frame on the 2-core CI machine.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use qrcode::{Color, EcLevel, QrCode};
use std::time::Duration;
use tessera_core::qr::{FrameFormat, FrameScanner, Pass};

const W: usize = 1280;
const H: usize = 720;
const PAYLOAD: &str = "otpauth://totp/Zürich%20Klinik:anna.meier%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Z%C3%BCrich%20Klinik&period=30";

/// A webcam-like frame: uneven lighting, mild noise, some UI-ish blocks; with `code`, a QR code
/// (4 px modules) in the middle.
fn frame(code: bool) -> Vec<u8> {
    let mut grey = vec![0u8; W * H];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for y in 0..H {
        for x in 0..W {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let light = 150.0 + 70.0 * (x as f64 / W as f64) - 30.0 * (y as f64 / H as f64);
            let block = if (x / 160 + y / 90) % 5 == 0 && x % 160 < 120 && y % 90 < 12 {
                -90.0
            } else {
                0.0
            };
            grey[y * W + x] = (light + block + (seed % 17) as f64 - 8.0).clamp(0.0, 255.0) as u8;
        }
    }
    if code {
        let qr = QrCode::with_error_correction_level(PAYLOAD.as_bytes(), EcLevel::M).unwrap();
        let n = qr.width();
        let colors = qr.to_colors();
        let m = 4;
        let (x0, y0) = (W / 2 - (n + 8) * m / 2, H / 2 - (n + 8) * m / 2);
        for my in 0..n + 8 {
            for mx in 0..n + 8 {
                let dark = (4..n + 4).contains(&mx)
                    && (4..n + 4).contains(&my)
                    && colors[(my - 4) * n + mx - 4] == Color::Dark;
                for py in 0..m {
                    for px in 0..m {
                        grey[(y0 + my * m + py) * W + x0 + mx * m + px] =
                            if dark { 30 } else { 220 };
                    }
                }
            }
        }
    }
    grey.iter().flat_map(|&v| [v, v, v, 255]).collect()
}

fn bench_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_720p");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (label, has_code) in [("code", true), ("no_code", false)] {
        let frame = frame(has_code);
        // Sanity: the default rotation reads the code within one round.
        if has_code {
            let mut scanner = FrameScanner::new();
            assert!((0..8).any(|_| !scanner
                .scan_frame(W, H, FrameFormat::Rgba, &frame)
                .is_empty()));
        }
        let mut passes = FrameScanner::new().passes().to_vec();
        passes.sort_by_key(|p| p.name());
        passes.dedup();
        for pass in passes {
            let mut scanner = FrameScanner::with_passes(vec![pass]);
            group.bench_with_input(BenchmarkId::new(pass.name(), label), &frame, |b, frame| {
                b.iter(|| scanner.scan_frame(W, H, FrameFormat::Rgba, frame))
            });
        }
        // The default rotation, one frame per iteration (the average over a round of passes).
        let mut scanner = FrameScanner::new();
        group.bench_with_input(BenchmarkId::new("rotation", label), &frame, |b, frame| {
            b.iter(|| scanner.scan_frame(W, H, FrameFormat::Rgba, frame))
        });
    }
    group.finish();
    let _ = Pass::ALL;
}

criterion_group!(benches, bench_frames);
criterion_main!(benches);
