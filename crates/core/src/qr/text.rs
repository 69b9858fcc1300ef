//! Turning the bytes of a QR code into text.
//!
//! Most generators write UTF-8 in byte mode without an ECI designator, so the bytes are read as UTF-8
//! first and as ISO-8859-1 (the QR default) only when they are not valid UTF-8. Shift-JIS is never
//! guessed: a widely used decoder guesses it and turns "Zürich" into "Z羹rich".

/// Decodes raw QR payload bytes: UTF-8 when valid, else ISO-8859-1 (every byte is one character).
pub fn bytes_to_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Re-reads a text whose byte segments were decoded one byte per character (ISO-8859-1).
///
/// When every character fits in a byte the original bytes are recovered and run through
/// [`bytes_to_text`]; otherwise (e.g. Kanji mode) the text is kept as it is.
pub fn latin1_to_text(latin1: &str) -> String {
    let bytes: Option<Vec<u8>> = latin1
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    match bytes {
        Some(bytes) => bytes_to_text(&bytes),
        None => latin1.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bytes_are_read_as_utf8() {
        assert_eq!(
            bytes_to_text("Zürich 東京銀行".as_bytes()),
            "Zürich 東京銀行"
        );
    }

    #[test]
    fn invalid_utf8_falls_back_to_latin1() {
        assert_eq!(bytes_to_text(b"Z\xfcrich"), "Zürich");
        assert_eq!(bytes_to_text(b"caf\xe9 \x80"), "café \u{80}");
    }

    #[test]
    fn latin1_text_is_reinterpreted_as_utf8() {
        // "Zürich" in UTF-8, read one byte per character: "ZÃ¼rich".
        let latin1: String = "Zürich".bytes().map(char::from).collect();
        assert_eq!(latin1_to_text(&latin1), "Zürich");
        assert_eq!(latin1_to_text("Z\u{fc}rich"), "Zürich");
        assert_eq!(latin1_to_text("漢字"), "漢字");
    }
}
