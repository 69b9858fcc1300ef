//! Entry errors of imported files without the file's secret values (security review #25). The
//! messages for typed input quote the offending character ("invalid character '8' at position 23")
//! or the start of the text, which helps someone fixing what they typed; in an import the text is a
//! stored secret, and the message ends up on screen, in terminal scroll-back and in logs. Here only
//! the position and the rule are said.

use crate::secret::SecretError;
use crate::uri::UriError;

/// A secret-key error without the key's characters.
pub(crate) fn secret_error(e: &SecretError) -> String {
    match e {
        SecretError::InvalidCharacter { position, .. } => format!(
            "the secret key has an invalid character at position {position}; a key uses only the \
             letters A-Z and the digits 2-7"
        ),
        other => other.to_string(),
    }
}

/// A link error without the link's secret or the start of the line (which may be a bare key).
pub(crate) fn uri_error(e: &UriError) -> String {
    match e {
        // "https:" (a scheme, ending in ':') is kept; anything else is the start of the line.
        UriError::NotOtpauth(start) if start.ends_with(':') && start.len() <= 24 => e.to_string(),
        UriError::NotOtpauth(_) => "this is not an otpauth:// link".to_string(),
        UriError::InvalidSecret(s) => {
            format!("the link's secret key is invalid: {}", secret_error(s))
        }
        other => other.to_string(),
    }
}

/// A JSON syntax error as kind and position only.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    crate::crypto::json_error::describe(e)
}

#[cfg(test)]
mod tests {
    use crate::formats::{self, FormatId};

    /// Review #25: an import's entry errors name the line and the rule, never the key's characters.
    #[test]
    fn entry_errors_do_not_quote_secrets() {
        let file = "otpauth://totp/A:a?secret=JBSWY3DP8EHPK3PX\n\
                    JBSWY3DPEHPK3PXPLEAKLEAK\n\
                    https://example.com/x\n\
                    otpauth://totp/B:b?secret=JBSWY3DPEHPK3PXP\n";
        let result = formats::import(FormatId::Uris, file.as_bytes(), None).unwrap();
        assert_eq!(result.entries.len(), 1);
        let errors: Vec<String> = result.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        for e in &errors {
            assert!(!e.contains("JBSWY3DP") && !e.contains("'8'"), "{e}");
        }
        assert!(
            errors[0].contains("invalid character at position 9"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("not an otpauth:// link"),
            "{}",
            errors[1]
        );
        assert!(errors[2].contains("\"https:\""), "{}", errors[2]);

        let aegis = r#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[
            {"type":"totp","name":"n","issuer":"i","info":{"secret":"JBSWY3DP8EHPK3PX","algo":"SHA1","digits":6,"period":30}}]}}"#;
        let result = formats::import(FormatId::Aegis, aegis.as_bytes(), None).unwrap();
        let error = result.errors[0].to_string();
        assert!(
            !error.contains("'8'") && error.contains("position 9"),
            "{error}"
        );
    }

    #[test]
    fn json_syntax_errors_give_the_position_only() {
        let err =
            formats::import(FormatId::Aegis, b"{\"db\": JBSWY3DPEHPK3PXP}", None).unwrap_err();
        let message = err.to_string();
        assert!(
            !message.contains("JBSWY3DP") && message.contains("line 1"),
            "{message}"
        );
    }
}
