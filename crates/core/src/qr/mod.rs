//! QR codes in images: screenshots, saved images and camera frames.
//!
//! - Files and screenshots: [`load_image_bytes`] then [`decode_luma`] (or [`decode_image_bytes`] /
//!   [`decode_file`] in one go) run a cascade of passes, a few hundred ms at most.
//! - Camera frames: [`FrameScanner::scan_frame`] spends one cheap pass per frame (≤ ~30 ms at 720p),
//!   cycling through the passes over successive frames.
//! - [`classify`] (from [`crate::intake`]) says what a decoded text is (authenticator account,
//!   Google export, or what else).
//!
//! Every code found is returned once, in the order found. Texts come from the raw bytes of the
//! code: UTF-8 first, then ISO-8859-1, never a Shift-JIS guess. The pipeline and its measured
//! figures are described in docs/qr.md.

mod engines;
mod frame;
mod luma;
mod pipeline;
mod render;
mod text;

pub use crate::intake::{classify, OtherKind, Payload};
pub use frame::{FrameFormat, FrameScanner, FRAME_DOWNSCALE_ABOVE_PIXELS};
pub use luma::Luma;
pub use pipeline::{decode_with, Decoded, FileOptions, Pass};
pub use render::{png_from_data_url, render_png, render_png_data_url, RenderError};
pub use text::bytes_to_text;

use std::io::Cursor;
use std::path::Path;

/// Largest accepted image side, in pixels (a 200 MP panorama is not a QR screenshot).
pub const MAX_SIDE: u32 = 16_384;
/// Largest accepted decoded image, in bytes of memory.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Most pixels an image may have at all, checked from its header before decoding (review #21: a 261 KB
/// 16,384² grey PNG took 1.6 GB and 8.6 s in the QR pipeline).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Images above this many pixels are scaled down before the QR pipeline (which makes several copies).
pub const DOWNSCALE_ABOVE_PIXELS: u64 = 12_000_000;

/// Why an image could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("could not read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("this file is not an image Tessera can read (use PNG, JPEG, WebP, GIF or BMP)")]
    NotAnImage,
    #[error("the image file is damaged or incomplete ({0})")]
    Corrupt(String),
    #[error("the image is too large to scan ({0}); crop it to the QR code and try again")]
    TooLarge(String),
    #[error("the image is empty (no pixels)")]
    Empty,
}

/// Decodes an image file's bytes (PNG, JPEG, WebP, GIF, BMP; the format is sniffed from the
/// content, not the name) into a grey image. Transparent pixels count as white.
pub fn load_image_bytes(bytes: &[u8]) -> Result<Luma, QrError> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| QrError::Corrupt(e.to_string()))?;
    if reader.format().is_none() {
        return Err(QrError::NotAnImage);
    }
    if let Ok((w, h)) = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| QrError::Corrupt(e.to_string()))?
        .into_dimensions()
    {
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(QrError::TooLarge(format!(
                "{w} × {h} pixels; at most {} megapixels",
                MAX_PIXELS / 1_000_000
            )));
        }
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Unsupported(_) => QrError::NotAnImage,
        image::ImageError::Limits(l) => QrError::TooLarge(l.to_string()),
        other => QrError::Corrupt(other.to_string()),
    })?;
    luma_of(img)
}

/// Every QR code in raw RGBA pixels (`width × height × 4` bytes), such as a screenshot read from the
/// clipboard, with the same size limits as an image file.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<Vec<Decoded>, QrError> {
    if width == 0 || height == 0 {
        return Err(QrError::Empty);
    }
    if (width as u64).saturating_mul(height as u64) > MAX_PIXELS {
        return Err(QrError::TooLarge(format!(
            "{width} × {height} pixels; at most {} megapixels",
            MAX_PIXELS / 1_000_000
        )));
    }
    let (w, h) = (
        u32::try_from(width).map_err(|_| QrError::Empty)?,
        u32::try_from(height).map_err(|_| QrError::Empty)?,
    );
    let img = image::RgbaImage::from_raw(w, h, rgba.to_vec()).ok_or_else(|| {
        QrError::Corrupt(format!(
            "{} bytes are not {width} × {height} RGBA pixels",
            rgba.len()
        ))
    })?;
    Ok(decode_luma(&luma_of(image::DynamicImage::ImageRgba8(img))?))
}

/// A decoded image as the grey picture the QR pipeline reads, scaled down when it is very large.
fn luma_of(img: image::DynamicImage) -> Result<Luma, QrError> {
    if img.width() == 0 || img.height() == 0 {
        return Err(QrError::Empty);
    }
    let pixels = u64::from(img.width()) * u64::from(img.height());
    let img = if pixels > DOWNSCALE_ABOVE_PIXELS {
        let scale = (DOWNSCALE_ABOVE_PIXELS as f64 / pixels as f64).sqrt();
        let nw = ((f64::from(img.width()) * scale) as u32).max(1);
        let nh = ((f64::from(img.height()) * scale) as u32).max(1);
        img.resize_exact(nw, nh, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let (w, h) = (img.width() as usize, img.height() as usize);
    let luma = if img.color().has_alpha() {
        Luma::from_rgba(w, h, img.to_rgba8().as_raw())
    } else {
        Luma::new(w, h, img.to_luma8().into_raw())
    };
    luma.ok_or(QrError::Empty)
}

/// Every QR code in a grey image, with the full file/screenshot effort.
pub fn decode_luma(img: &Luma) -> Vec<Decoded> {
    decode_with(img, &FileOptions::default())
}

/// Every QR code in a grey buffer (`width × height` bytes, 0 = black); nothing when the sizes
/// do not match.
pub fn decode_luma_buffer(width: usize, height: usize, pixels: &[u8]) -> Vec<Decoded> {
    match Luma::new(width, height, pixels.to_vec()) {
        Some(img) => decode_luma(&img),
        None => Vec::new(),
    }
}

/// Every QR code in an image file's bytes.
pub fn decode_image_bytes(bytes: &[u8]) -> Result<Vec<Decoded>, QrError> {
    Ok(decode_luma(&load_image_bytes(bytes)?))
}

/// Reads an image file from disk.
pub fn read_image_file(path: &Path) -> Result<Vec<u8>, QrError> {
    std::fs::read(path).map_err(|e| QrError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Every QR code in an image file.
pub fn decode_file(path: &Path) -> Result<Vec<Decoded>, QrError> {
    decode_image_bytes(&read_image_file(path)?)
}

/// Every QR code in an image file, with what each one is (what `tessera add --image` needs).
pub fn scan_file(path: &Path) -> Result<Vec<(Decoded, Payload)>, QrError> {
    Ok(decode_file(path)?
        .into_iter()
        .map(|d| {
            let p = classify(&d.text);
            (d, p)
        })
        .collect())
}
