//! Describes a JSON error in decrypted content without quoting it (security review #25: serde's messages
//! quote values, e.g. `invalid type: string "JBSWY3DP…"`, which put secrets into error messages).

/// "a data error at line 1, column 57": the kind and the position only.
pub fn describe(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "a read error",
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Data => "a data error",
        serde_json::error::Category::Eof => "an unexpected end",
    };
    format!("{kind} at line {}, column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    #[test]
    fn never_quotes_the_value() {
        let e = serde_json::from_str::<u32>("\"JBSWY3DPEHPK3PXPLEAK\"").unwrap_err();
        assert!(e.to_string().contains("JBSWY3DPEHPK3PXPLEAK"));
        let d = super::describe(&e);
        assert!(!d.contains("JBSWY3DP"), "{d}");
        assert!(d.starts_with("a data error at line 1"), "{d}");
    }
}
