//! Recovery codes: the one-time codes a service hands out at enrolment ("each code can be used once").
//!
//! People paste them as the service shows them, so [`parse_block`] accepts any layout: one per line,
//! comma- or semicolon-separated, numbered lists, two columns. The hard case is the space: Google and
//! Facebook show one code as `1234 5678`, while a line may also hold two codes `12345678 23456789`.
//! The rule (tested below):
//!
//! 1. Codes are separated by line breaks, commas, semicolons, tabs, runs of two or more spaces, and
//!    list numbering (`1.`, `2)`, `#3`, bullets).
//! 2. Within what remains, single spaces join *groups* of one code when every group is short
//!    (at most 5 characters): `1234 5678` is one code, `abcd efgh ijkl` is one code.
//!    When any space-separated word is 6 characters or longer, each word is a code of its own.
//! 3. A chunk of short groups that is a whole multiple of the block's usual group count (that of most
//!    codes in the block, at least 2), with groups of equal length, is split: in a block of `1234 5678` codes, `1234 5678 2345 6789` is two codes
//!    (a two-column printout copied with single spaces).
//! 4. Text that is not a code (a heading such as "Backup codes for NHS Mail:") is skipped and reported:
//!    the groups of one code have equal lengths, and when the block has digits anywhere, a code must
//!    contain a digit.
//!
//! 5. When every code carries its own number (`1.` … `10.`), the codes keep the sheet's numbering:
//!    a two-column sheet read row by row (`1. … 6. …`, `2. … 7. …`) is stored as 1, 2, … 10, so #6
//!    stays #6.
//!
//! Codes keep the grouping they were shown with (a service's form may expect it) and are compared
//! ignoring spaces, dashes and case. They are secrets: zeroized on drop and never in `Debug` output.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Groups of at most this many characters, separated by single spaces, form one code.
pub const MAX_GROUP_LEN: usize = 5;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RecoveryError {
    #[error("no recovery codes found in the text; paste the codes as the service shows them (one per line, or separated by commas)")]
    NoneFound,
    #[error("this account has no recovery codes stored")]
    NoneStored,
    #[error("all {total} recovery codes have been used; ask the service (or your administrator) for new ones")]
    AllUsed { total: usize },
    #[error("that code is not among this account's recovery codes")]
    NotFound,
    #[error("that recovery code was already used{}", .used_at.map(|t| format!(" (marked used at Unix time {t})")).unwrap_or_default())]
    AlreadyUsed { used_at: Option<u64> },
}

/// One recovery code and whether it has been used.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct RecoveryCode {
    /// As the service showed it, groups separated by single spaces or dashes.
    pub code: String,
    /// Unix seconds when it was marked used; `None` while unused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<u64>,
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveryCode")
            .field("code", &"<redacted>")
            .field("used_at", &self.used_at)
            .finish()
    }
}

impl RecoveryCode {
    pub fn new(code: impl Into<String>) -> Self {
        RecoveryCode {
            code: code.into(),
            used_at: None,
        }
    }

    pub fn is_used(&self) -> bool {
        self.used_at.is_some()
    }

    /// The code without spaces or dashes, upper-cased: what comparisons use.
    pub fn normalised(&self) -> Zeroizing<String> {
        normalise(&self.code)
    }
}

fn normalise(code: &str) -> Zeroizing<String> {
    Zeroizing::new(
        code.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    )
}

/// An account's recovery codes, in the order the service listed them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    #[serde(default)]
    pub codes: Vec<RecoveryCode>,
    /// Unix seconds when this set was stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<u64>,
}

impl fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecoveryCodes({})", self.summary())
    }
}

/// How many are left, for a list view that must not show the codes themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecoveryStatus {
    pub total: usize,
    pub remaining: usize,
    pub few_left: bool,
}

impl RecoveryCodes {
    pub fn from_codes(codes: Vec<String>, now: u64) -> Self {
        RecoveryCodes {
            codes: codes.into_iter().map(RecoveryCode::new).collect(),
            added_at: Some(now),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub fn total(&self) -> usize {
        self.codes.len()
    }

    pub fn remaining(&self) -> usize {
        self.codes.iter().filter(|c| !c.is_used()).count()
    }

    /// Few left: at most 2, or at most a fifth of the set (3 of 16). Time to ask for new codes.
    pub fn few_left(&self) -> bool {
        !self.is_empty() && self.remaining() <= 2.max(self.total() / 5)
    }

    pub fn status(&self) -> RecoveryStatus {
        RecoveryStatus {
            total: self.total(),
            remaining: self.remaining(),
            few_left: self.few_left(),
        }
    }

    /// "3 of 10 left", "none stored", "none left of 10".
    pub fn summary(&self) -> String {
        match (self.total(), self.remaining()) {
            (0, _) => "no recovery codes".to_string(),
            (total, 0) => format!("none of {total} left"),
            (total, left) => format!("{left} of {total} left"),
        }
    }

    /// A warning to show, if any: when few remain or none are left.
    pub fn warning(&self) -> Option<String> {
        if self.is_empty() {
            None
        } else if self.remaining() == 0 {
            Some(format!(
                "all {} recovery codes are used: ask the service for new ones before you need one",
                self.total()
            ))
        } else if self.few_left() {
            Some(format!(
                "only {} recovery code{} left: ask the service for new ones soon",
                self.remaining(),
                if self.remaining() == 1 { "" } else { "s" }
            ))
        } else {
            None
        }
    }

    /// Adds codes not already present (compared ignoring spaces, dashes and case); returns how many were new.
    pub fn append(&mut self, codes: Vec<String>, now: u64) -> usize {
        let mut added = 0;
        for code in codes {
            let n = normalise(&code);
            if !self.codes.iter().any(|c| *c.normalised() == *n) {
                self.codes.push(RecoveryCode::new(code));
                added += 1;
            }
        }
        if added > 0 && self.added_at.is_none() {
            self.added_at = Some(now);
        }
        added
    }

    /// Marks a code used and returns it. With `code`, that code (it must be unused); without, the first
    /// unused one, which is what "copy one code" does.
    pub fn use_code(
        &mut self,
        code: Option<&str>,
        now: u64,
    ) -> Result<&RecoveryCode, RecoveryError> {
        if self.is_empty() {
            return Err(RecoveryError::NoneStored);
        }
        let index = match code {
            Some(wanted) => {
                let wanted = normalise(wanted);
                let i = self
                    .codes
                    .iter()
                    .position(|c| *c.normalised() == *wanted)
                    .ok_or(RecoveryError::NotFound)?;
                if self.codes[i].is_used() {
                    return Err(RecoveryError::AlreadyUsed {
                        used_at: self.codes[i].used_at,
                    });
                }
                i
            }
            None => self
                .codes
                .iter()
                .position(|c| !c.is_used())
                .ok_or(RecoveryError::AllUsed {
                    total: self.total(),
                })?,
        };
        self.codes[index].used_at = Some(now);
        Ok(&self.codes[index])
    }

    /// Undoes "mark used" on the code at `index` (a slip of the finger). `false` when there is no
    /// such code or it was not used.
    pub fn unuse(&mut self, index: usize) -> bool {
        match self.codes.get_mut(index) {
            Some(c) if c.is_used() => {
                c.used_at = None;
                true
            }
            _ => false,
        }
    }
}

/// What [`parse_block`] found: the codes in order, and text it skipped.
#[derive(Clone, PartialEq, Eq)]
pub struct ParsedCodes {
    pub codes: Vec<String>,
    /// Chunks that did not look like codes (headings, notes), for the user to check.
    pub ignored: Vec<String>,
    /// Codes that appeared more than once (kept once).
    pub duplicates: usize,
}

impl fmt::Debug for ParsedCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParsedCodes")
            .field("codes", &self.codes.len())
            .field("ignored", &self.ignored)
            .field("duplicates", &self.duplicates)
            .finish()
    }
}

impl Drop for ParsedCodes {
    fn drop(&mut self) {
        self.codes.zeroize();
    }
}

/// Splits pasted text into recovery codes; see the module documentation for the rule.
pub fn parse_block(text: &str) -> Result<ParsedCodes, RecoveryError> {
    let block_has_digits = text.chars().any(|c| c.is_ascii_digit());
    let mut chunks: Vec<(Vec<String>, Option<u32>)> = Vec::new(); // words of each chunk, and its list number
    let mut ignored = Vec::new();
    for line in text.split(['\n', '\r', ',', ';', '\t']) {
        for piece in split_double_spaces(line) {
            let (words, number) =
                strip_numbering_with(piece.split(' ').filter(|w| !w.is_empty()).collect());
            if words.is_empty() {
                continue;
            }
            // Chunks with long words are split by rule 2 and each part is checked afterwards.
            let has_long = words.iter().any(|w| w.len() > MAX_GROUP_LEN);
            let plausible = if has_long {
                // At least one word must be a code by itself, or the whole chunk is prose.
                words.iter().all(|w| is_code_word(w))
                    && words
                        .iter()
                        .any(|w| looks_like_code(&[w], block_has_digits))
            } else {
                looks_like_code(&words, block_has_digits)
            };
            if plausible {
                chunks.push((words.into_iter().map(str::to_string).collect(), number));
            } else {
                ignored.push(words.join(" "));
            }
        }
    }
    // The usual number of groups in a code of this block (rule 3): the group count of a strict majority
    // of the distinct chunks made of short groups, and at least 2. A majority (not just the most
    // common count) keeps the rule stable: splitting only adds chunks of the usual count.
    let mut group_counts: HashMap<usize, usize> = HashMap::new();
    let mut distinct: Vec<Zeroizing<String>> = Vec::new();
    for (words, _) in &chunks {
        let n = normalise(&words.concat());
        if words.iter().all(|w| w.len() <= MAX_GROUP_LEN) && !distinct.contains(&n) {
            *group_counts.entry(words.len()).or_default() += 1;
            distinct.push(n);
        }
    }
    let usual = group_counts
        .iter()
        .find(|(len, count)| **len >= 2 && **count * 2 > distinct.len())
        .map(|(len, _)| *len);

    let mut codes: Vec<String> = Vec::new();
    // The list number of each code (rule 5); a chunk split into several codes has none.
    let mut numbers: Vec<Option<u32>> = Vec::new();
    for (mut words, number) in chunks {
        let short = words.iter().all(|w| w.len() <= MAX_GROUP_LEN);
        let before = codes.len();
        if !short {
            codes.append(&mut words); // rule 2: long words are codes of their own
        } else {
            let same_len = words.iter().all(|w| w.len() == words[0].len());
            match usual {
                Some(u) if u > 0 && words.len() > u && words.len() % u == 0 && same_len => {
                    codes.extend(words.chunks(u).map(|g| g.join(" ")));
                }
                _ => codes.push(words.join(" ")),
            }
            words.zeroize();
        }
        let made = codes.len() - before;
        numbers.extend(std::iter::repeat_n(
            if made == 1 { number } else { None },
            made,
        ));
    }
    // Rule 5: the sheet's own numbering decides the order when every code has a distinct number.
    let mut distinct_numbers: Vec<u32> = numbers.iter().flatten().copied().collect();
    distinct_numbers.sort_unstable();
    distinct_numbers.dedup();
    if !codes.is_empty()
        && numbers.iter().all(Option::is_some)
        && distinct_numbers.len() == codes.len()
    {
        let mut numbered: Vec<(u32, String)> =
            numbers.into_iter().flatten().zip(codes.drain(..)).collect();
        numbered.sort_by_key(|(n, _)| *n);
        codes = numbered.into_iter().map(|(_, c)| c).collect();
    }
    // Splitting (rules 2 and 3) can leave a part that is not a code by itself, e.g. the word `Code`
    // of `Code 12345678`: check each part again.
    codes.retain(|c| {
        let ok = looks_like_code(&c.split(' ').collect::<Vec<_>>(), block_has_digits);
        if !ok {
            ignored.push(c.clone());
        }
        ok
    });
    let before = codes.len();
    let mut seen: Vec<Zeroizing<String>> = Vec::new();
    codes.retain(|c| {
        let n = normalise(c);
        if seen.contains(&n) {
            false
        } else {
            seen.push(n);
            true
        }
    });
    let duplicates = before - codes.len();
    if codes.is_empty() {
        return Err(RecoveryError::NoneFound);
    }
    Ok(ParsedCodes {
        codes,
        ignored,
        duplicates,
    })
}

/// Words that introduce recovery codes in other apps' note fields.
const NOTE_HEADINGS: &[&str] = &[
    "recovery code",
    "backup code",
    "scratch code",
    "emergency code",
    "one-time code",
    "recovery key",
];

/// Recovery codes that other apps kept in an account's note ("Backup codes: 1234 5678, …" or a heading
/// line followed by one code per line): the codes, and the note without them. `None` when the note
/// has no such heading followed by codes, so a note that merely mentions codes is left alone.
pub fn extract_from_note(note: &str) -> Option<(ParsedCodes, String)> {
    let lines: Vec<&str> = note.lines().collect();
    let heading = lines.iter().position(|l| {
        let lower = l.to_lowercase();
        NOTE_HEADINGS.iter().any(|h| lower.contains(h))
    })?;
    let mut block = String::new();
    // Codes on the heading line itself, after a colon.
    if let Some((_, rest)) = lines[heading].split_once(':') {
        if parse_block(rest).is_ok_and(|p| p.ignored.is_empty()) {
            block.push_str(rest);
            block.push('\n');
        }
    }
    let mut end = heading + 1;
    while end < lines.len() {
        let line = lines[end];
        if line.trim().is_empty() {
            end += 1;
            continue;
        }
        match parse_block(line) {
            Ok(p) if p.ignored.is_empty() => {
                block.push_str(line);
                block.push('\n');
                end += 1;
            }
            _ => break,
        }
    }
    let parsed = parse_block(&block).ok()?;
    // Blank lines the loop skipped after the last code belong to the rest of the note.
    let mut rest: Vec<&str> = lines[..heading].to_vec();
    rest.extend(lines[end..].iter().copied());
    let rest = rest.join("\n").trim().to_string();
    block.zeroize();
    Some((parsed, rest))
}

/// Splits at runs of two or more spaces (columns), keeping single spaces.
fn split_double_spaces(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' && i + 1 < bytes.len() && bytes[i + 1] == b' ' {
            pieces.push(&line[start..i]);
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push(&line[start..]);
    pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Drops list markers: `1.`, `2)`, `#3`, `(4)`, `10:`, bullets `-`, `*`, `•`, `[ ]`. A marker may also be
/// glued to the code (`1.abcd-efgh`) as some exports do. Also returns the list number when the marker
/// was a number (`6.` → 6).
fn strip_numbering_with(mut words: Vec<&str>) -> (Vec<&str>, Option<u32>) {
    let mut number = None;
    let is_marker = |w: &str| {
        let core = w
            .trim_start_matches(['#', '('])
            .trim_end_matches(['.', ')', ':']);
        (matches!(w, "-" | "*" | "•" | "·" | "[]" | "[ ]" | "☐" | "□"))
            || (w != core
                && !core.is_empty()
                && core.len() <= 3
                && core.bytes().all(|b| b.is_ascii_digit()))
    };
    // "[ ]" arrives as two words "[" "]".
    if words.len() >= 2 && words[0] == "[" && words[1] == "]" {
        words.drain(..2);
    }
    while let Some(first) = words.first() {
        if is_marker(first) {
            let core = first
                .trim_start_matches(['#', '('])
                .trim_end_matches(['.', ')', ':']);
            if let Ok(n) = core.parse::<u32>() {
                number = Some(n);
            }
            words.remove(0);
            continue;
        }
        // `1.abcd` / `2)1234`: a numbering glued to the code.
        if let Some(pos) = first.find(['.', ')']) {
            let (num, rest) = first.split_at(pos);
            let rest = &rest[1..];
            if !num.is_empty()
                && num.len() <= 3
                && num.bytes().all(|b| b.is_ascii_digit())
                && !rest.is_empty()
            {
                number = num.parse().ok();
                words[0] = rest;
            }
        }
        break;
    }
    (words, number)
}

/// Whether space-separated `words` can be one code (rule 4).
fn looks_like_code(words: &[&str], block_has_digits: bool) -> bool {
    let has_digit = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    // The groups of one code have equal lengths (`1234 5678`); prose ("Desk phone 4321") does not.
    let even_groups = words.iter().all(|w| w.len() == words[0].len());
    !words.is_empty()
        && words.iter().all(|w| is_code_word(w))
        && even_groups
        && (has_digit || !block_has_digits)
}

/// A word of a code: letters, digits and dashes, with at least one letter or digit.
fn is_code_word(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && w.chars().any(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<String> {
        parse_block(text).unwrap().codes.clone()
    }

    #[test]
    fn google_style_spaced_codes_are_one_code_each() {
        let text = "1234 5678\n2345 6789\n3456 7890\n";
        assert_eq!(parse(text), vec!["1234 5678", "2345 6789", "3456 7890"]);
        // Comma- and semicolon-separated on one line.
        assert_eq!(
            parse("1234 5678, 2345 6789; 3456 7890"),
            vec!["1234 5678", "2345 6789", "3456 7890"]
        );
    }

    #[test]
    fn long_words_on_one_line_are_separate_codes() {
        assert_eq!(
            parse("12345678 23456789 34567890"),
            vec!["12345678", "23456789", "34567890"]
        );
        assert_eq!(
            parse("a1b2c3d4e5 f6a7b8c9d0"),
            vec!["a1b2c3d4e5", "f6a7b8c9d0"]
        );
    }

    #[test]
    fn github_and_microsoft_dashed_codes() {
        let github = "abcde-12345\nfghij-67890\n\n0a1b2-c3d4e\n";
        assert_eq!(
            parse(github),
            vec!["abcde-12345", "fghij-67890", "0a1b2-c3d4e"]
        );
        let microsoft = "ABCD1-EFGH2-IJKL3-MNOP4-QRST5";
        assert_eq!(parse(microsoft), vec!["ABCD1-EFGH2-IJKL3-MNOP4-QRST5"]);
    }

    #[test]
    fn numbered_lists_headings_and_columns() {
        let text = "Backup codes for NHS Mail:\n1. 1234 5678    2. 2345 6789\n3) 3456 7890\t4) 4567 8901\n#5 5678 9012\n• 6789 0123\n- 7890 1234\n(8) 8901 2345\n9.9012 3456\n10: 0123 4567\nKeep these somewhere safe.";
        let parsed = parse_block(text).unwrap();
        assert_eq!(
            parsed.codes,
            vec![
                "1234 5678",
                "2345 6789",
                "3456 7890",
                "4567 8901",
                "5678 9012",
                "6789 0123",
                "7890 1234",
                "8901 2345",
                "9012 3456",
                "0123 4567"
            ]
        );
        assert_eq!(
            parsed.ignored,
            vec!["Backup codes for NHS Mail:", "Keep these somewhere safe."]
        );
    }

    #[test]
    fn mark_used_can_be_undone() {
        let mut set = RecoveryCodes::from_codes(vec!["1111 2222".into(), "3333 4444".into()], 100);
        set.use_code(Some("3333 4444"), 200).unwrap();
        assert_eq!(set.remaining(), 1);
        assert!(set.unuse(1));
        assert_eq!(set.remaining(), 2);
        assert!(!set.unuse(1), "not used any more");
        assert!(!set.unuse(7), "no such code");
    }

    #[test]
    fn a_numbered_two_column_sheet_keeps_its_numbering() {
        // Google's printable sheet: 1–5 down the left column, 6–10 down the right. Copied from the
        // page, each line holds one code of each column.
        let text = "Backup codes\n\
                    1. 1111 1111      6. 6666 6666\n\
                    2. 2222 2222      7. 7777 7777\n\
                    3. 3333 3333      8. 8888 8888\n\
                    4. 4444 4444      9. 9999 9999\n\
                    5. 5555 5555     10. 1010 1010\n";
        assert_eq!(
            parse(text),
            vec![
                "1111 1111",
                "2222 2222",
                "3333 3333",
                "4444 4444",
                "5555 5555",
                "6666 6666",
                "7777 7777",
                "8888 8888",
                "9999 9999",
                "1010 1010"
            ]
        );
        // The same with tabs and `n)` markers glued to the code.
        let text = "1)aaaa-1111\t4)dddd-4444\n2)bbbb-2222\t5)eeee-5555\n3)cccc-3333\t6)ffff-6666";
        let codes = parse(text);
        assert_eq!(codes[1], "bbbb-2222");
        assert_eq!(codes[5], "ffff-6666");
        // Numbers missing on some codes: the order of the text is kept.
        let text = "1. 1111 1111   2222 2222\n3. 3333 3333";
        assert_eq!(parse(text), vec!["1111 1111", "2222 2222", "3333 3333"]);
    }

    #[test]
    fn two_columns_with_single_spaces_follow_the_block() {
        // Most lines hold one 2-group code; a line with 4 equal groups is two codes.
        let text = "1234 5678\n2345 6789 3456 7890\n4567 8901\n";
        assert_eq!(
            parse(text),
            vec!["1234 5678", "2345 6789", "3456 7890", "4567 8901"]
        );
        // When every line has 3 groups (Dropbox-like `abcd efgh ijkl`), each line is one code.
        let text = "abc1 def2 ghi3\njkl4 mno5 pqr6\n";
        assert_eq!(parse(text), vec!["abc1 def2 ghi3", "jkl4 mno5 pqr6"]);
        // Four groups everywhere: one code per line, never split against the block's own pattern.
        let text = "1111 2222 3333 4444\n5555 6666 7777 8888\n";
        assert_eq!(
            parse(text),
            vec!["1111 2222 3333 4444", "5555 6666 7777 8888"]
        );
    }

    #[test]
    fn letters_only_blocks_and_duplicates() {
        assert_eq!(
            parse("abcd efgh\nijkl mnop"),
            vec!["abcd efgh", "ijkl mnop"]
        );
        let parsed = parse_block("1234-5678\n1234 5678\n12345678\n8765-4321").unwrap();
        assert_eq!(parsed.codes, vec!["1234-5678", "8765-4321"]);
        assert_eq!(parsed.duplicates, 2);
        assert_eq!(
            parse_block("  \n, ;\nno codes here").unwrap_err(),
            RecoveryError::NoneFound
        );
        // A word split off a line of long codes is checked on its own.
        let parsed = parse_block("Code 12345678 87654321").unwrap();
        assert_eq!(parsed.codes, vec!["12345678", "87654321"]);
        assert_eq!(parsed.ignored, vec!["Code"]);
        let parsed = parse_block("Your codes\nabcd efgh\nijkl mnop").unwrap();
        assert_eq!(
            (parsed.codes.len(), parsed.ignored.clone()),
            (2, vec!["Your codes".to_string()])
        );
        assert_eq!(parse_block("").unwrap_err(), RecoveryError::NoneFound);
    }

    #[test]
    fn use_count_and_warnings() {
        let mut set =
            RecoveryCodes::from_codes((1..=10).map(|i| format!("{i:04} 0000")).collect(), 100);
        assert_eq!(set.summary(), "10 of 10 left");
        assert_eq!(set.warning(), None);
        // Marking by value ignores spaces, dashes and case.
        assert_eq!(
            set.use_code(Some("0003-0000"), 200).unwrap().code,
            "0003 0000"
        );
        assert_eq!(
            set.use_code(Some("00030000"), 201),
            Err(RecoveryError::AlreadyUsed { used_at: Some(200) })
        );
        assert_eq!(
            set.use_code(Some("9999 9999"), 201),
            Err(RecoveryError::NotFound)
        );
        // Without a value: the first unused.
        assert_eq!(set.use_code(None, 300).unwrap().code, "0001 0000");
        assert_eq!(set.use_code(None, 300).unwrap().code, "0002 0000");
        assert_eq!(set.use_code(None, 300).unwrap().code, "0004 0000");
        assert_eq!(set.summary(), "6 of 10 left");
        for _ in 0..3 {
            set.use_code(None, 400).unwrap();
        }
        assert_eq!(set.summary(), "3 of 10 left");
        assert!(!set.few_left());
        set.use_code(None, 500).unwrap();
        assert!(set.few_left());
        assert!(set
            .warning()
            .unwrap()
            .contains("only 2 recovery codes left"));
        set.use_code(None, 500).unwrap();
        set.use_code(None, 500).unwrap();
        assert_eq!(set.summary(), "none of 10 left");
        assert_eq!(
            set.use_code(None, 600),
            Err(RecoveryError::AllUsed { total: 10 })
        );
        assert!(set
            .warning()
            .unwrap()
            .contains("all 10 recovery codes are used"));
        assert_eq!(
            RecoveryCodes::default().use_code(None, 1),
            Err(RecoveryError::NoneStored)
        );
        // 16 GitHub codes: warn at 3 left.
        let mut gh =
            RecoveryCodes::from_codes((0..16).map(|i| format!("abcde-{i:05}")).collect(), 1);
        for _ in 0..12 {
            gh.use_code(None, 2).unwrap();
        }
        assert_eq!(
            gh.status(),
            RecoveryStatus {
                total: 16,
                remaining: 4,
                few_left: false
            }
        );
        gh.use_code(None, 2).unwrap();
        assert!(gh.few_left());
    }

    #[test]
    fn append_skips_codes_already_stored() {
        let mut set = RecoveryCodes::from_codes(vec!["1234 5678".into()], 1);
        assert_eq!(
            set.append(vec!["12345678".into(), "2345 6789".into()], 2),
            1
        );
        assert_eq!(set.total(), 2);
        assert_eq!(set.added_at, Some(1));
    }

    #[test]
    fn debug_never_shows_codes_and_serde_round_trips() {
        let mut set = RecoveryCodes::from_codes(vec!["9876 5432".into(), "1111-2222".into()], 7);
        set.use_code(None, 8).unwrap();
        let debug = format!(
            "{set:?} {:?} {:?}",
            set.codes[0],
            parse_block("9876 5432").unwrap()
        );
        assert!(
            !debug.contains("9876") && !debug.contains("1111"),
            "{debug}"
        );
        assert!(debug.contains("1 of 2 left"), "{debug}");
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(
            json,
            r#"{"codes":[{"code":"9876 5432","used_at":8},{"code":"1111-2222"}],"added_at":7}"#
        );
        let back: RecoveryCodes = serde_json::from_str(&json).unwrap();
        assert_eq!(back, set);
        // Older data without the fields loads as empty.
        let empty: RecoveryCodes = serde_json::from_str("{}").unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn codes_from_other_apps_notes() {
        let note = "Work login, ask IT for reset\nBackup codes:\n1234 5678\n2345 6789\n\n3456 7890\nDesk phone 4321";
        let (parsed, rest) = extract_from_note(note).unwrap();
        assert_eq!(parsed.codes, vec!["1234 5678", "2345 6789", "3456 7890"]);
        // "Desk phone 4321" is prose (words without digits), so it ends the block and stays in the note.
        assert_eq!(rest, "Work login, ask IT for reset\nDesk phone 4321");
        let (parsed, rest) = extract_from_note("Recovery codes: abcde-12345, fghij-67890").unwrap();
        assert_eq!(parsed.codes, vec!["abcde-12345", "fghij-67890"]);
        assert_eq!(rest, "");
        // Mentions without codes leave the note alone.
        assert!(extract_from_note("Recovery codes are in the safe").is_none());
        assert!(extract_from_note("PIN 1234").is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let _ = parse_block(&text);
        }

        /// Any list of distinct 8-digit codes shown as `dddd dddd`, one per line or comma-separated,
        /// comes back exactly.
        #[test]
        fn spaced_codes_round_trip(nums in proptest::collection::btree_set(0u32..100_000_000, 1..20), commas: bool) {
            let codes: Vec<String> = nums.iter().map(|n| format!("{:04} {:04}", n / 10_000, n % 10_000)).collect();
            let text = codes.join(if commas { ", " } else { "\n" });
            proptest::prop_assert_eq!(parse_block(&text).unwrap().codes.clone(), codes);
        }
    }
}
