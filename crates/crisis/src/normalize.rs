//! Text to tokens: the same words however they are typed.
//!
//! Steps, each cheap: NFKC (fullwidth and styled letters), diacritics
//! removed (so "último" and "ultimo" meet), zero-width characters dropped,
//! look-alike Cyrillic and Greek letters mapped to Latin, lower case,
//! leetspeak inside words ("k1ll", "$uicide"), apostrophes dropped ("i'm" is
//! "im"), hyphens and slashes join or split as people use them, and runs of
//! one letter squeezed to one ("diiiie", "killl"). Emoji the lexicon knows
//! become words of their own ("🔫" is "emojigun"). Sentences are numbered so
//! that rules can keep to one sentence.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A token's text, kept inline when short (almost always), so that
/// tokenizing does not allocate once per word.
#[derive(Clone)]
pub enum Key {
    Inline { len: u8, bytes: [u8; 30] },
    Heap(Box<str>),
}

impl Key {
    pub fn new(s: &str) -> Key {
        if s.len() <= 30 {
            let mut bytes = [0u8; 30];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Key::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(s.into())
        }
    }
}

impl Key {
    /// The bytes, without re-checking UTF-8 (for the hot paths).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..*len as usize],
            Key::Heap(s) => s.as_bytes(),
        }
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            // Built from a whole `&str` in `new`, so always UTF-8.
            Key::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or("")
            }
            Key::Heap(s) => s,
        }
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

/// `Token::id` of a word no rule mentions.
pub const UNKNOWN: u32 = u32::MAX;

/// One word of the input, normalised, with where it came from.
#[derive(Debug, Clone)]
pub struct Token {
    /// The normalised, squeezed form used for matching.
    pub key: Key,
    /// The key's number in the lexicon's vocabulary (`UNKNOWN` if none).
    pub id: u32,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Sentence number, from 0.
    pub sentence: u32,
    /// Inside quotation marks.
    pub quoted: bool,
}

/// What normalisation needs from the lexicon.
#[derive(Debug, Default)]
pub struct NormalizeTables {
    /// Look-alike letters to their Latin form.
    pub confusables: HashMap<char, char>,
    /// Emoji (one scalar, variation selectors ignored) to a word.
    pub emoji: HashMap<char, String>,
}

fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '@' => 'a',
        '$' => 's',
        _ => return None,
    })
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
    ) || ('\u{FE00}'..='\u{FE0F}').contains(&c)
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | '\n' | '¿' | '¡' | '…' | '。')
}

fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

/// Split `text` into tokens. Work is linear in the input.
pub fn tokenize(text: &str, tables: &NormalizeTables) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut word = String::new();
    let mut scratch = String::new();
    let mut word_start = 0usize;
    let mut sentence = 0u32;
    let mut in_quote = false;
    let mut quote_open_at = 0usize;
    let mut prev_char: Option<char> = None;
    // After a failed search for a closing single quote, don't search again
    // for a while: keeps adversarial input ("'a 'a 'a …") linear.
    let mut no_single_quote_until = 0usize;
    // Quotes are only trusted when they close within this many bytes.
    const QUOTE_SPAN: usize = 400;

    for (i, raw) in text.char_indices() {
        // Fast path for ASCII; otherwise NFKC, drop marks, map look-alikes.
        let mut chars: [char; 4] = ['\0'; 4];
        let mut n = 0usize;
        if raw.is_ascii() {
            chars[0] = raw;
            n = 1;
        } else if is_zero_width(raw) {
            continue;
        } else if let Some(word_for) = tables.emoji.get(&raw) {
            flush(
                &mut tokens,
                &mut scratch,
                &mut word,
                word_start,
                i,
                sentence,
                in_quote,
            );
            tokens.push(Token {
                key: Key::new(word_for),
                id: UNKNOWN,
                start: i,
                end: i + raw.len_utf8(),
                sentence,
                quoted: in_quote,
            });
            prev_char = Some(raw);
            continue;
        } else {
            for c in std::iter::once(raw).nfkd() {
                if is_combining_mark(c) {
                    continue;
                }
                for c in std::iter::once(c).nfkc() {
                    if n < chars.len() {
                        chars[n] = *tables.confusables.get(&c).unwrap_or(&c);
                        n += 1;
                    }
                }
            }
        }
        for &c in &chars[..n] {
            let is_word = c.is_alphanumeric() || c == '@' || c == '$';
            if is_word {
                if word.is_empty() {
                    word_start = i;
                }
                if c.is_ascii() {
                    word.push(c.to_ascii_lowercase());
                } else {
                    word.extend(c.to_lowercase());
                }
            } else if c == '\'' || c == '’' || c == '‘' || c == '`' {
                // Inside a word an apostrophe joins ("i'm" → "im"); at a
                // word's edge it may open or close a quotation.
                let next_is_word = text[i + raw.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_alphanumeric());
                if word.is_empty() && next_is_word && !in_quote && i >= no_single_quote_until {
                    let after = &text[i + raw.len_utf8()..];
                    if find_closing_single(after, QUOTE_SPAN) {
                        in_quote = true;
                        quote_open_at = i;
                    } else {
                        no_single_quote_until = i + QUOTE_SPAN;
                    }
                } else if !next_is_word && in_quote {
                    flush(
                        &mut tokens,
                        &mut scratch,
                        &mut word,
                        word_start,
                        i,
                        sentence,
                        in_quote,
                    );
                    in_quote = false;
                }
            } else if c == '/' && !word.is_empty() {
                // "s/h" is "sh"; "24/7" is "247".
            } else {
                flush(
                    &mut tokens,
                    &mut scratch,
                    &mut word,
                    word_start,
                    i,
                    sentence,
                    in_quote,
                );
                if is_double_quote(c) {
                    if in_quote {
                        in_quote = false;
                    } else if text[i + raw.len_utf8()..]
                        .char_indices()
                        .take_while(|(k, _)| *k < QUOTE_SPAN)
                        .any(|(_, q)| is_double_quote(q))
                    {
                        in_quote = true;
                        quote_open_at = i;
                    }
                } else if is_sentence_end(c) {
                    // "..." and "?!" end one sentence, not several.
                    if !prev_char.is_some_and(is_sentence_end) {
                        sentence += 1;
                    }
                }
            }
            prev_char = Some(c);
        }
        if in_quote && i.saturating_sub(quote_open_at) > QUOTE_SPAN {
            in_quote = false;
        }
    }
    flush(
        &mut tokens,
        &mut scratch,
        &mut word,
        word_start,
        text.len(),
        sentence,
        in_quote,
    );
    tokens
}

fn flush(
    tokens: &mut Vec<Token>,
    scratch: &mut String,
    word: &mut String,
    start: usize,
    end: usize,
    sentence: u32,
    quoted: bool,
) {
    if word.is_empty() {
        return;
    }
    scratch.clear();
    finish_word(word, scratch);
    if !scratch.is_empty() {
        tokens.push(Token {
            key: Key::new(scratch),
            id: UNKNOWN,
            start,
            end,
            sentence,
            quoted,
        });
    }
    word.clear();
}

/// A single quote that opens at a word's start counts as a quotation only
/// when a matching one closes at a word's end soon after.
fn find_closing_single(after: &str, span: usize) -> bool {
    let mut prev_word = false;
    for (k, c) in after.char_indices() {
        if k > span {
            return false;
        }
        if (c == '\'' || c == '’' || c == '‘') && prev_word {
            let next = after[k + c.len_utf8()..].chars().next();
            if next.is_none_or(|n| !n.is_alphanumeric()) {
                return true;
            }
        }
        prev_word = c.is_alphanumeric() || matches!(c, '!' | '?' | '.' | ',');
    }
    false
}

/// Leetspeak and squeezing for one lower-cased word.
fn finish_word(word: &str, out: &mut String) {
    // Most words are plain lower-case ASCII letters: only squeeze them.
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        let mut last = 0u8;
        for b in word.bytes() {
            if b != last {
                out.push(b as char);
            }
            last = b;
        }
        return;
    }
    let has_alpha = word.chars().any(|c| c.is_alphabetic());
    // Leetspeak only when a letter comes before the first digit or sign:
    // "k1ll" and "$uicide" are words, "4am" and "3rd" are times.
    let leet_ok = has_alpha && {
        let first_alpha = word.find(|c: char| c.is_alphabetic()).unwrap_or(usize::MAX);
        let first_other = word
            .find(|c: char| c.is_ascii_digit() || c == '@' || c == '$')
            .unwrap_or(usize::MAX);
        first_alpha < first_other || word.starts_with('$') || word.starts_with('@')
    };
    let mut last = None;
    for c in word.chars() {
        let c = match leet(c) {
            Some(l) if leet_ok => l,
            _ if c == '@' || c == '$' => continue,
            _ => c,
        };
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
}

/// A second reading of normalised words, for finding a word however it is
/// typed where the detector's own reading must keep meanings apart: every
/// word with letters reads its digits and signs as letters ("1d10ts" is
/// "idiots", where the detector keeps "4am" a time), and three or more
/// single letters or digits in a row are one word spelled out ("i.d.i.o.t",
/// "i d i o t", "1-d-1-0-t"). `None` when it reads the same as `words`.
pub fn spelled_out(words: &[String]) -> Option<Vec<String>> {
    let single = |w: &String| w.chars().count() == 1;
    let mut out = Vec::with_capacity(words.len());
    let mut changed = false;
    let mut i = 0;
    while i < words.len() {
        let run = words[i..].iter().take_while(|w| single(w)).count();
        let word = if run >= 3 {
            changed = true;
            let joined: String = words[i..i + run].concat();
            i += run;
            joined
        } else {
            i += 1;
            words[i - 1].clone()
        };
        match all_leet(&word) {
            Some(read) => {
                changed = true;
                out.push(read);
            }
            None => out.push(word),
        }
    }
    changed.then_some(out)
}

/// A word with letters and digits read as letters throughout, squeezed;
/// `None` if it has no digits, or would still have some.
fn all_leet(word: &str) -> Option<String> {
    if !word.chars().any(|c| c.is_ascii_digit()) || !word.chars().any(char::is_alphabetic) {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        let c = leet(c).unwrap_or(c);
        if c.is_ascii_digit() {
            return None;
        }
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(text: &str) -> Vec<String> {
        let words = keys(text);
        spelled_out(&words).unwrap_or(words)
    }

    #[test]
    fn words_spelled_out_or_in_digits_read_as_words() {
        assert_eq!(spelled("you 1d10ts"), ["you", "idiots"]);
        assert_eq!(spelled("i.d.i.o.t"), ["idiot"]);
        assert_eq!(spelled("what an i d i o t!"), ["what", "an", "idiot"]);
        assert_eq!(spelled("1-d-1-0-t"), ["idiot"]);
        assert_eq!(spelled("at 4am, 3rd"), ["at", "am", "erd"]);
        assert_eq!(spelled("in 2024 at 10"), ["in", "2024", "at", "10"]);
        assert!(spelled_out(&keys("a plain sentence")).is_none());
    }

    fn keys(text: &str) -> Vec<String> {
        tokenize(text, &NormalizeTables::default())
            .into_iter()
            .map(|t| t.key.to_string())
            .collect()
    }

    #[test]
    fn words_are_normalised() {
        assert_eq!(keys("I'm   DONE"), ["im", "done"]);
        assert_eq!(keys("k1ll mys3lf"), ["kil", "myself"]);
        assert_eq!(keys("$uicide"), ["suicide"]);
        assert_eq!(keys("at 4am, 3rd"), ["at", "4am", "3rd"]);
        assert_eq!(keys("diiiie"), ["die"]);
        assert_eq!(keys("último mensaje"), ["ultimo", "mensaje"]);
        assert_eq!(keys("ｋｉｌｌ"), ["kil"]);
        assert_eq!(keys("su\u{200B}icide"), ["suicide"]);
        assert_eq!(keys("s/h urges"), ["sh", "urges"]);
        assert_eq!(keys("wanting-to-die"), ["wanting", "to", "die"]);
    }

    fn quoted(text: &str) -> Vec<String> {
        tokenize(text, &NormalizeTables::default())
            .into_iter()
            .filter(|t| t.quoted)
            .map(|t| t.key.to_string())
            .collect()
    }

    #[test]
    fn sentences_and_quotes() {
        let text = "He said \"I want to die\" about it. Then... ok";
        assert_eq!(quoted(text), ["i", "want", "to", "die"]);
        let t = tokenize(text, &NormalizeTables::default());
        assert_eq!(t.last().map(|t| t.sentence), Some(2));
        let text = "heard me say 'I want to die' about laundry";
        assert_eq!(quoted(text), ["i", "want", "to", "die"]);
        assert!(quoted("don't, I'm not").is_empty());
    }
}
