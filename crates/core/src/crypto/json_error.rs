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

/// Serialises `value` into a buffer allocated once at its final size (review #26: a growing Vec leaves
/// unwiped copies of the plaintext, every secret, behind on the heap). The result is wiped on drop.
pub fn to_vec_presized<T: serde::Serialize + ?Sized>(
    value: &T,
) -> serde_json::Result<zeroize::Zeroizing<Vec<u8>>> {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value)?;
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *out, value)?;
    Ok(out)
}

#[cfg(test)]
mod presized_tests {
    #[test]
    fn the_buffer_is_allocated_once() {
        let value: Vec<String> = (0..500)
            .map(|i| format!("otpauth://totp/A{i}?secret=JBSWY3DP"))
            .collect();
        let out = super::to_vec_presized(&value).unwrap();
        assert_eq!(out.capacity(), out.len());
        assert_eq!(&out[..], &serde_json::to_vec(&value).unwrap()[..]);
    }
}
