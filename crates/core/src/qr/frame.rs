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
    /// The default rotation: adaptive threshold every other frame (it reads most codes), and in
    /// between, in turn, dark mode, rqrr's own binariser, rxing and the noise pass.
    pub fn new() -> FrameScanner {
        FrameScanner::with_passes(vec![
            Pass::Adaptive,
            Pass::AdaptiveInverted,
            Pass::Adaptive,
            Pass::RxingFast,
            Pass::Adaptive,
            Pass::Plain,
            Pass::Adaptive,
            Pass::Blur,
        ])
    }

    /// A scanner with a custom rotation (an empty list means the default).
    pub fn with_passes(passes: Vec<Pass>) -> FrameScanner {
        if passes.is_empty() {
            return FrameScanner::new();
        }
        FrameScanner { passes, next: 0 }
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
        let small = working_copy(img, FRAME_DOWNSCALE_ABOVE_PIXELS);
        let work = small.as_ref().unwrap_or(img);
        let mut found = Vec::new();
        // Never the full-resolution pass here: it is the expensive one.
        if pass != Pass::FullResolution {
            push_unique(&mut found, run_pass(pass, work, None), pass);
        }
        found
    }
}
