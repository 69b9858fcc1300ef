//! The decoding passes and the cascade that chains them for files and screenshots.
//!
//! Each pass is one way of looking at the image (a binarisation, a transform, a decoder). The file
//! cascade runs them in order and stops at the first pass that reads anything, so easy images cost
//! one pass and only hard or empty images pay for the whole chain. The order comes from the
//! measured gains per category in docs/qr.md.

use super::engines::{rqrr_adaptive, rqrr_plain, rxing_decode, RxingEffort};
use super::luma::Luma;
use std::time::{Duration, Instant};

/// One way of looking at an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pass {
    /// rqrr with its own row-wise binariser.
    Plain,
    /// rqrr on a local-mean (integral image) threshold: low contrast, gradients, moiré, JPEG.
    Adaptive,
    /// rqrr on the inverted local-mean threshold: dark-mode (light-on-dark) codes.
    AdaptiveInverted,
    /// Gaussian blur (σ 1.2 px) then rqrr plain and adaptive: noise and JPEG ringing.
    Blur,
    /// Bicubic 2× upscale (images up to ~2 MP only), then rxing and rqrr adaptive: codes with
    /// 1–2 px modules.
    Zoom,
    /// 3×3 median then rqrr plain and adaptive: salt-and-pepper noise.
    Median,
    /// Re-rotate by ±22.5° and 45°, then rqrr adaptive: rqrr's grid estimate fails for many
    /// codes at intermediate angles.
    Rotate,
    /// rxing, the default scan (normal and inverted): cheap second opinion for camera frames.
    RxingFast,
    /// rxing with TryHarder (normal and inverted): small modules, rotations, perspective.
    RxingHard,
    /// For images that were downscaled before the other passes: rxing (hard) and rqrr adaptive at
    /// full resolution, for codes with small modules in a large photo.
    FullResolution,
}

impl Pass {
    pub fn name(self) -> &'static str {
        match self {
            Pass::Plain => "plain",
            Pass::Adaptive => "adaptive",
            Pass::AdaptiveInverted => "inverted",
            Pass::Blur => "blur",
            Pass::Median => "median",
            Pass::Zoom => "zoom",
            Pass::Rotate => "rotate",
            Pass::RxingFast => "rxing-fast",
            Pass::RxingHard => "rxing",
            Pass::FullResolution => "fullres",
        }
    }

    pub fn from_name(name: &str) -> Option<Pass> {
        Pass::ALL.iter().copied().find(|p| p.name() == name)
    }

    pub const ALL: [Pass; 10] = [
        Pass::Zoom,
        Pass::Median,
        Pass::Plain,
        Pass::Adaptive,
        Pass::AdaptiveInverted,
        Pass::Blur,
        Pass::Rotate,
        Pass::RxingFast,
        Pass::RxingHard,
        Pass::FullResolution,
    ];
}

/// A decoded QR code. Debug output shows only the text's length: it usually holds a secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text the code holds (byte segments read as UTF-8, else ISO-8859-1).
    pub text: String,
    /// The pass that read it (for diagnostics and benchmarks).
    pub pass: Pass,
}

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoded")
            .field(
                "text",
                &format_args!("<{} chars, redacted>", self.text.chars().count()),
            )
            .field("pass", &self.pass)
            .finish()
    }
}

/// Above this many pixels (phone photos, not screenshots: a 2560×1440 screen is 3.7 MP and may hold
/// 2 px modules), images are downscaled 2× (repeatedly) before the passes: large photos
/// have large modules, and a quarter of the pixels is a quarter of the time.
pub const DOWNSCALE_ABOVE_PIXELS: usize = 6_000_000;

/// The zoom pass only runs on images up to this size (4× the pixels after upscaling).
pub const ZOOM_MAX_PIXELS: usize = 2_100_000;

/// Halves the image until it has at most `limit` pixels.
pub fn working_copy(img: &Luma, limit: usize) -> Option<Luma> {
    if img.pixels() <= limit {
        return None;
    }
    let mut work = img.downscale2();
    while work.pixels() > limit && work.width >= 4 && work.height >= 4 {
        work = work.downscale2();
    }
    Some(work)
}

/// Runs one pass over `work` (and `full`, the undownscaled image, when there is one).
pub fn run_pass(pass: Pass, work: &Luma, full: Option<&Luma>) -> Vec<String> {
    match pass {
        Pass::Plain => rqrr_plain(work),
        Pass::Adaptive => rqrr_adaptive(work, false),
        Pass::AdaptiveInverted => rqrr_adaptive(work, true),
        Pass::Blur => {
            let blurred = work.gaussian_blur(1.2);
            let mut texts = rqrr_plain(&blurred);
            if texts.is_empty() {
                texts = rqrr_adaptive(&blurred, false);
            }
            texts
        }
        Pass::Zoom => {
            if work.pixels() > ZOOM_MAX_PIXELS {
                return Vec::new();
            }
            let zoomed = work.upscale_cubic(2);
            let texts = rxing_decode(&zoomed, RxingEffort::Hard);
            if texts.is_empty() {
                rqrr_adaptive(&zoomed, false)
            } else {
                texts
            }
        }
        Pass::Median => {
            let filtered = work.median3();
            let mut texts = rqrr_plain(&filtered);
            if texts.is_empty() {
                texts = rqrr_adaptive(&filtered, false);
            }
            texts
        }
        Pass::Rotate => {
            for angle in [22.5f32, -22.5, 45.0] {
                let texts = rqrr_adaptive(&work.rotated(angle), false);
                if !texts.is_empty() {
                    return texts;
                }
            }
            Vec::new()
        }
        Pass::RxingFast => rxing_decode(work, RxingEffort::Fast),
        Pass::RxingHard => rxing_decode(work, RxingEffort::Hard),
        Pass::FullResolution => match full {
            Some(full) => {
                let texts = rxing_decode(full, RxingEffort::Hard);
                if texts.is_empty() {
                    rqrr_adaptive(full, false)
                } else {
                    texts
                }
            }
            None => Vec::new(),
        },
    }
}

/// How a file or screenshot is decoded.
#[derive(Clone, Debug)]
pub struct FileOptions {
    /// The passes, in order; the cascade stops after the first pass that reads a code.
    pub passes: Vec<Pass>,
    /// No new pass starts after this much time (a bound for pathological images, not a target).
    pub budget: Duration,
}

impl Default for FileOptions {
    fn default() -> Self {
        FileOptions {
            // Measured on the public corpus (docs/qr.md): rxing reads ~90 % of positive images
            // first; full resolution rescues small modules in downscaled photos; rqrr plain and
            // adaptive rescue low contrast and gradients; median (cheap) rescues salt-and-pepper noise;
            // zoom reads 1–2 px modules (locating first was not needed: rxing on a 2× bicubic
            // upscale read every small code); blur rescues the rest of the noise; the inverted
            // threshold is for dark-mode codes rxing misses. Re-rotation rescued nothing
            // once rxing was first (it reads rotated codes), so it is left out.
            passes: vec![
                Pass::RxingHard,
                Pass::FullResolution,
                Pass::Plain,
                Pass::Adaptive,
                Pass::Median,
                Pass::Zoom,
                Pass::Blur,
                Pass::AdaptiveInverted,
            ],
            // A safety bound for pathological inputs only: on a loaded machine a tighter bound
            // cut the cascade short and made results depend on the load (noise 94 % -> 67 %).
            budget: Duration::from_millis(2000),
        }
    }
}

/// Pushes texts not seen yet, keeping first-seen order.
pub fn push_unique(out: &mut Vec<Decoded>, texts: Vec<String>, pass: Pass) {
    for text in texts {
        if !out.iter().any(|d| d.text == text) {
            out.push(Decoded { text, pass });
        }
    }
}

/// The file/screenshot cascade.
pub fn decode_with(img: &Luma, options: &FileOptions) -> Vec<Decoded> {
    let start = Instant::now();
    let downscaled = working_copy(img, DOWNSCALE_ABOVE_PIXELS);
    let (work, full) = match &downscaled {
        Some(work) => (work, Some(img)),
        None => (img, None),
    };
    let mut found = Vec::new();
    for &pass in &options.passes {
        if start.elapsed() > options.budget {
            break;
        }
        push_unique(&mut found, run_pass(pass, work, full), pass);
        if !found.is_empty() {
            break;
        }
    }
    found
}
