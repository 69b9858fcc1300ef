//! Camera frames: a stateful scanner that spends at most one cheap pass per frame.
//!
//! A webcam delivers 15–30 frames a second and the code stays in view for many of them, so instead
//! of running the whole file cascade (up to ~300 ms on a frame without a code) each frame gets the
//! next pass of a short round-robin list. Every pass is bounded to roughly 30 ms on a 1280×720
//! frame on a small 2-core machine (see benches/qr_frames.rs).

use super::luma::Luma;
use super::pipeline::{push_unique, run_pass, working_copy, Decoded, Pass};

/// Frames above this many pixels (1080p and up) are downscaled 2× first.
pub const FRAME_DOWNSCALE_ABOVE_PIXELS: usize = 2_100_000;

/// The rqrr passes get frames halved until they have at most this many pixels (640×360 from 720p).
pub const RQRR_FRAME_MAX_PIXELS: usize = 400_000;

/// The pixel layout of a camera frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameFormat {
    /// One byte per pixel, 0 = black.
    Luma,
    /// Four bytes per pixel, R G B A.
    Rgba,
}

/// Decodes camera frames, one pass per frame in turn.
#[derive(Clone, Debug)]
pub struct FrameScanner {
    passes: Vec<Pass>,
    next: usize,
}

impl Default for FrameScanner {
    fn default() -> Self {
        FrameScanner::new()
    }
}

impl FrameScanner {
    /// The default rotation: rxing (the fastest reader, 8–15 ms at 720p) every other frame, and
    /// in between, in turn, rqrr on the adaptive threshold, its inverse (dark mode) and rqrr's own
    /// binariser, each on a half-size frame. The noise passes (median, blur) are left to files:
    /// on a busy 720p frame rqrr spends 50–80 ms after them, over the budget.
    pub fn new() -> FrameScanner {
        FrameScanner::with_passes(vec![
            Pass::RxingFast,
            Pass::Adaptive,
            Pass::RxingFast,
            Pass::AdaptiveInverted,
            Pass::RxingFast,
            Pass::Plain,
        ])
    }

    /// A scanner with a custom rotation (an empty list means the default).
    pub fn with_passes(passes: Vec<Pass>) -> FrameScanner {
        if passes.is_empty() {
            return FrameScanner::new();
        }
        FrameScanner { passes, next: 0 }
    }

    /// The rotation of passes, one per frame.
    pub fn passes(&self) -> &[Pass] {
        &self.passes
    }

    /// The pass the next frame will get.
    pub fn next_pass(&self) -> Pass {
        self.passes[self.next % self.passes.len()]
    }

    /// Scans one frame. Frames whose buffer does not match `width × height` in `format` yield
    /// nothing (a camera delivering a truncated buffer is not an error worth stopping for).
    pub fn scan_frame(
        &mut self,
        width: usize,
        height: usize,
        format: FrameFormat,
        pixels: &[u8],
    ) -> Vec<Decoded> {
        let img = match format {
            FrameFormat::Luma => Luma::new(width, height, pixels.to_vec()),
            FrameFormat::Rgba => Luma::from_rgba(width, height, pixels),
        };
        match img {
            Some(img) => self.scan(&img),
            None => Vec::new(),
        }
    }

    /// Scans one grey frame.
    pub fn scan(&mut self, img: &Luma) -> Vec<Decoded> {
        let pass = self.next_pass();
        self.next = (self.next + 1) % self.passes.len();
        let rxing = matches!(pass, Pass::RxingFast | Pass::RxingHard);
        // rqrr's grid fitting costs ~20 ms on a 720p frame with a code in it; on a half-size
        // frame the rqrr passes fit the budget. rxing reads small modules at full size.
        let limit = if rxing {
            FRAME_DOWNSCALE_ABOVE_PIXELS
        } else {
            RQRR_FRAME_MAX_PIXELS
        };
        let small = working_copy(img, limit);
        let work = small.as_ref().unwrap_or(img);
        let mut found = Vec::new();
        // Never the full-resolution or zoom passes here: they are the expensive ones.
        if !matches!(pass, Pass::FullResolution | Pass::Zoom | Pass::Rotate) {
            push_unique(&mut found, run_pass(pass, work, None), pass);
        }
        found
    }
}
