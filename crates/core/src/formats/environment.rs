//! Suggests which environment (Live, Sandpit, …) an imported account belongs to, from the words people
//! put in issuers, account names, notes and groups ("NHS Mail (Training)", a "Sandbox" folder).

/// Words that mean a practice system. Each suggests "sandpit", except names that are a distinct
/// environment in their own right (staging, UAT), which are suggested by that name.
const SANDPIT_WORDS: &[&str] = &[
    "sandpit", "sandbox", "test", "testing", "training", "train", "demo", "practice",
];
const OWN_NAME_WORDS: &[&str] = &["staging", "uat", "preprod"];
const LIVE_WORDS: &[&str] = &["live", "production", "prod"];

use crate::vault::Environment;

/// The environment suggested by any of `texts`, or `None` when none of them names one.
/// Matching is by whole word, case-insensitive, so "Contest" or "Olive" suggest nothing.
/// When texts disagree, a practice environment wins: wrongly labelling a live login as practice is
/// noticed at once, while the reverse can lead to real actions in the wrong system.
pub fn suggest_environment<S: AsRef<str>>(texts: &[S]) -> Option<Environment> {
    let mut live = false;
    let mut own_name = None;
    for text in texts {
        for word in text
            .as_ref()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            if SANDPIT_WORDS.contains(&word.as_str()) {
                return Some(Environment::Sandpit);
            }
            if OWN_NAME_WORDS.contains(&word.as_str()) && own_name.is_none() {
                own_name = Some(word.clone());
            }
            if LIVE_WORDS.contains(&word.as_str()) {
                live = true;
            }
        }
    }
    own_name
        .map(|w: String| Environment::parse(&w))
        .or_else(|| live.then_some(Environment::Live))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(e: Option<Environment>) -> Option<String> {
        e.and_then(|e| e.as_key().map(str::to_string))
    }

    #[test]
    fn suggests_from_whole_words() {
        assert_eq!(
            key(suggest_environment(&["NHS Mail (Training)"])),
            Some("sandpit".to_string())
        );
        assert_eq!(
            key(suggest_environment(&["EPR", "SANDBOX"])),
            Some("sandpit".to_string())
        );
        assert_eq!(
            key(suggest_environment(&["epr-sandpit"])),
            Some("sandpit".to_string())
        );
        assert_eq!(
            key(suggest_environment(&["Cerner Production"])),
            Some("live".to_string())
        );
        assert_eq!(
            key(suggest_environment(&["EPR", "Live"])),
            Some("live".to_string())
        );
        assert_eq!(
            key(suggest_environment(&["Portal Staging"])),
            Some("staging".to_string())
        );
        assert_eq!(suggest_environment(&["Contest", "Olive", "Protest"]), None);
        assert_eq!(suggest_environment::<&str>(&[]), None);
    }

    #[test]
    fn practice_wins_over_live_when_texts_disagree() {
        assert_eq!(
            key(suggest_environment(&["Live", "test account"])),
            Some("sandpit".to_string())
        );
    }
}
