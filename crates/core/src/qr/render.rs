//! Making QR codes (the other direction from the rest of this module): an account's enrolment code
//! shown on screen for a phone, and the Google Authenticator export images.

use base64::Engine;
use zeroize::Zeroizing;

/// Why a QR code could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("the QR code cannot be made ({0})")]
    Encode(String),
    #[error("the QR code image cannot be written ({0})")]
    Image(String),
}

/// Renders text as a QR code PNG with a quiet zone, at a size phones read from a screen or paper
/// (at least 600 × 600 pixels, error correction M).
pub fn render_png(text: &str) -> Result<Vec<u8>, RenderError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    let image = code
        .render::<image::Luma<u8>>()
        .min_dimensions(600, 600)
        .build();
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| RenderError::Image(e.to_string()))?;
    Ok(png)
}

/// The same PNG as a `data:image/png;base64,…` URL, which a web view shows in an `<img>` without any
/// file or extra permission. Wiped from memory when dropped (it holds a secret when the text does).
pub fn render_png_data_url(text: &str) -> Result<Zeroizing<String>, RenderError> {
    let png = Zeroizing::new(render_png(text)?);
    let mut url = Zeroizing::new(String::with_capacity(22 + png.len() * 4 / 3 + 4));
    url.push_str("data:image/png;base64,");
    base64::engine::general_purpose::STANDARD.encode_string(png.as_slice(), &mut url);
    Ok(url)
}

/// The PNG bytes back from a URL made by [`render_png_data_url`]; `None` for anything else.
pub fn png_from_data_url(url: &str) -> Option<Vec<u8>> {
    let b64 = url.strip_prefix("data:image/png;base64,")?;
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_code_decodes_back_to_its_text() {
        let text = "otpauth://totp/Ward:n?secret=JBSWY3DPEHPK3PXP&issuer=Ward";
        let png = render_png(text).unwrap();
        let found = super::super::decode_image_bytes(&png).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, text);
        let url = render_png_data_url(text).unwrap();
        assert_eq!(png_from_data_url(&url).unwrap(), png);
    }
}
