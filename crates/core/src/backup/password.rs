//! Refuses backup passwords that would not protect a file that may sit in a cloud drive for years.
//! The rules are simple enough to explain in one line each, and each refusal says which one applied.

use thiserror::Error;

/// Minimum length in characters (not bytes). Long passphrases beat clever short passwords.
pub const MIN_LENGTH: usize = 12;

/// Passwords that appear at the top of every leaked-password list, plus the obvious ones for this app.
/// Compared case-insensitively, also after removing trailing digits and symbols ("Password2024!").
const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssword",
    "p@ssw0rd",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "12345678910",
    "qwerty",
    "qwertyuiop",
    "qwerty123",
    "azerty",
    "abc123",
    "abcdef",
    "abcdefgh",
    "111111",
    "000000",
    "123123",
    "654321",
    "666666",
    "888888",
    "987654321",
    "iloveyou",
    "letmein",
    "welcome",
    "welcome1",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "master",
    "shadow",
    "superman",
    "batman",
    "trustno1",
    "starwars",
    "whatever",
    "freedom",
    "secret",
    "changeme",
    "default",
    "admin",
    "administrator",
    "login",
    "passphrase",
    "qazwsx",
    "1qaz2wsx",
    "zaq12wsx",
    "asdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "michael",
    "jennifer",
    "charlie",
    "hello",
    "hello123",
    "summer",
    "winter",
    "spring",
    "autumn",
    "january",
    "september",
    "london",
    "manchester",
    "liverpool",
    "chelsea",
    "arsenal",
    "nhs",
    "nhsmail",
    "hospital",
    "doctor",
    "nurse",
    "clinic",
    "medicine",
    "tessera",
    "tesseraauthenticator",
    "authenticator",
    "backup",
    "mybackup",
    "backuppassword",
    "correcthorsebatterystaple",
    "correct horse battery staple",
    "passwordpassword",
    "qwertyqwerty",
];

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum WeakPassword {
    #[error("the backup password is too short: use at least {MIN_LENGTH} characters (a few unrelated words work well)")]
    TooShort,
    #[error("the backup password is one of the most common passwords; choose something nobody would guess")]
    Common,
    #[error("the backup password repeats too few different characters; use a few unrelated words")]
    TooRepetitive,
}

/// Checks a password chosen for a new backup or export.
pub fn check(password: &str) -> Result<(), WeakPassword> {
    if password.chars().count() < MIN_LENGTH {
        return Err(WeakPassword::TooShort);
    }
    if is_common(password) {
        return Err(WeakPassword::Common);
    }
    if distinct_chars(password) < 5 {
        return Err(WeakPassword::TooRepetitive);
    }
    Ok(())
}

/// On the common-password list, ignoring case, also after removing trailing digits and symbols or
/// spaces (shared with the vault password rule).
pub(crate) fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let base = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    let squashed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    [lower.as_str(), base, squashed.as_str()]
        .iter()
        .any(|p| COMMON.contains(p))
}

/// How many different characters, ignoring case.
pub(crate) fn distinct_chars(password: &str) -> usize {
    let mut distinct: Vec<char> = password.to_lowercase().chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_weak_passwords_with_the_reason() {
        assert_eq!(check("short1!"), Err(WeakPassword::TooShort));
        assert_eq!(check("Password2024!"), Err(WeakPassword::Common));
        assert_eq!(
            check("Correct Horse Battery Staple"),
            Err(WeakPassword::Common)
        );
        assert_eq!(check("aaaaaaaaaaaaaaaa"), Err(WeakPassword::TooRepetitive));
        assert_eq!(check("abababababab"), Err(WeakPassword::TooRepetitive));
    }

    #[test]
    fn accepts_good_passphrases() {
        assert_eq!(check("plinth mango ferry cobalt"), Ok(()));
        assert_eq!(check("Ward7-night-shift-kettle"), Ok(()));
        assert_eq!(check("ünïcødé pässwörd ok"), Ok(()));
    }
}
