//! The two QR decoders behind the passes: rqrr (primary, on our own binarisations) and rxing (a
//! pure-Rust ZXing port, the fallback for files and screenshots). Both are wrapped so that a panic
//! inside them becomes "nothing found" instead of taking the app down.

use super::luma::Luma;
use super::text::{bytes_to_text, latin1_to_text};
use rxing::multi::MultipleBarcodeReader;
use rxing::{BarcodeFormat, RXingResult, RXingResultMetadataType, RXingResultMetadataValue};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, turning a panic into an empty result.
fn guarded(f: impl FnOnce() -> Vec<String>) -> Vec<String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_default()
}

/// Decodes every grid rqrr finds in a prepared image; texts from the raw bytes (UTF-8, then
/// ISO-8859-1). Grids that fail error correction are dropped, never returned half-decoded.
macro_rules! decode_grids {
    ($prepared:expr) => {{
        let mut prepared = $prepared;
        let mut texts = Vec::new();
        for grid in prepared.detect_grids() {
            let mut bytes = Vec::new();
            if grid.decode_to(&mut bytes).is_ok() && !bytes.is_empty() {
                texts.push(bytes_to_text(&bytes));
            }
        }
        texts
    }};
}

/// rqrr with its own binariser (row-wise running mean).
pub fn rqrr_plain(img: &Luma) -> Vec<String> {
    guarded(|| {
        decode_grids!(rqrr::PreparedImage::prepare_from_greyscale(
            img.width,
            img.height,
            |x, y| img.data[y * img.width + x]
        ))
    })
}

/// rqrr on a ready-made bitmap (1 = dark), e.g. our adaptive threshold.
pub fn rqrr_bitmap(width: usize, height: usize, bits: &[u8]) -> Vec<String> {
    guarded(|| {
        decode_grids!(rqrr::PreparedImage::prepare_from_bitmap(
            width,
            height,
            |x, y| bits[y * width + x] != 0
        ))
    })
}

/// rqrr on the adaptive threshold of `img`; with `inverted`, light modules on a dark page count as
/// dark (rqrr's finder search only looks for dark rings).
pub fn rqrr_adaptive(img: &Luma, inverted: bool) -> Vec<String> {
    let bits = img.adaptive_bitmap(img.default_radius(), 7, inverted);
    rqrr_bitmap(img.width, img.height, &bits)
}

/// How hard rxing should look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxingEffort {
    /// Default scan, normal and inverted: for camera frames.
    Fast,
    /// TryHarder (denser row scan, rotations of the finder search) and inverted: for files.
    Hard,
}

/// rxing's multi-code QR reader on a grey image.
pub fn rxing_decode(img: &Luma, effort: RxingEffort) -> Vec<String> {
    guarded(|| {
        let mut hints = rxing::DecodeHints {
            PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
            TryHarder: Some(effort == RxingEffort::Hard),
            AlsoInverted: Some(true),
            // Makes rxing's own (ZXing) byte-segment decoding lossless, so that we can apply our
            // UTF-8-then-ISO-8859-1 rule ourselves instead of its Shift-JIS guess.
            CharacterSet: Some("ISO-8859-1".to_owned()),
            ..Default::default()
        };
        // First rxing's port of zxing-cpp's QR reader, which pairs up every finder-pattern triple
        // in one scan (several codes in a screenshot); then, if it read nothing, the generic
        // reader (ZXing port as a second detector, inverted images, recursive sub-regions).
        let mut results = cpp_multi(img, &hints);
        if results.is_empty() {
            results = rxing::helpers::detect_multiple_in_luma_with_hints(
                img.data.clone(),
                img.width as u32,
                img.height as u32,
                &mut hints,
            )
            .unwrap_or_default();
        }
        results
            .iter()
            .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE)
            .map(rxing_text)
            .filter(|t| !t.is_empty())
            .collect()
    })
}

fn cpp_multi(img: &Luma, hints: &rxing::DecodeHints) -> Vec<RXingResult> {
    let Ok(source) =
        rxing::Luma8LuminanceSource::new(img.data.clone(), img.width as u32, img.height as u32)
    else {
        return Vec::new();
    };
    let mut bitmap = rxing::BinaryBitmap::new(rxing::common::HybridBinarizer::new(source));
    rxing::qrcode::cpp_port::QrReader
        .decode_multiple_with_hints(&mut bitmap, hints)
        .unwrap_or_default()
}

/// The text of an rxing result under our byte-decoding rule.
///
/// rxing has two QR decoders. Its ZXing port honours the ISO-8859-1 hint (text = one character
/// per byte, byte segments in the metadata); its zxing-cpp port ignores the hint and guesses,
/// but exposes the decoded content bytes as "raw bytes". An ECI designator in the code is
/// trusted as is.
fn rxing_text(result: &RXingResult) -> String {
    let text = result.getText();
    let meta = result.getRXingResultMetadata();
    let has_eci = matches!(
        meta.get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER),
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) if matches!(id.as_str(), "]Q2" | "]Q4" | "]Q6")
    );
    if has_eci || text.is_ascii() {
        return text.to_owned();
    }
    if meta.contains_key(&RXingResultMetadataType::BYTE_SEGMENTS) {
        return latin1_to_text(text);
    }
    let raw = result.getRawBytes();
    if raw.is_empty() {
        text.to_owned()
    } else {
        bytes_to_text(raw)
    }
}
