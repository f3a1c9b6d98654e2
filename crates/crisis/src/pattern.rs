//! The small pattern language of the lexicon files.
//!
//! A pattern is words separated by spaces. Each element is one of:
//! - `word`: the token, after normalisation (see `normalize`);
//! - `word*`: a token starting with `word`;
//! - `a|b|c`: any of the alternatives (each may end in `*`);
//! - `_`: any one token;
//! - `#`: a token of digits only; `##`: a number of 10 or more;
//! - `$`: the end of a sentence (matches no token);
//! - `..`: up to three tokens of the same sentence, skipped;
//! - `{a b|c d}`: alternative phrases (the pattern is expanded into one
//!   pattern per phrase before anything else).
//!
//! Patterns are normalised like text, so "i'm" in a file means "im".

use std::collections::HashMap;

use crate::normalize::{NormalizeTables, Token, tokenize};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Elem {
    /// Alternatives: vocabulary ids of whole words, and prefixes.
    Word {
        ids: Vec<u32>,
        prefixes: Vec<String>,
    },
    Any,
    Number,
    /// A number of at least 10.
    Many,
    /// The end of a sentence.
    End,
    Gap,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub elems: Vec<Elem>,
}

const MAX_GAP: usize = 3;

/// Expand `{a b|c d}` groups into separate pattern strings.
pub(crate) fn expand(src: &str) -> Result<Vec<String>, String> {
    let Some(open) = src.find('{') else {
        if src.contains('}') {
            return Err(format!("{src:?}: '}}' without '{{'"));
        }
        return Ok(vec![src.to_owned()]);
    };
    let close = src[open..]
        .find('}')
        .map(|k| open + k)
        .ok_or_else(|| format!("{src:?}: '{{' without '}}'"))?;
    let inner = &src[open + 1..close];
    if inner.contains('{') {
        return Err(format!("{src:?}: groups cannot nest"));
    }
    let mut out = Vec::new();
    for alt in inner.split('|') {
        let joined = format!("{}{}{}", &src[..open], alt.trim(), &src[close + 1..]);
        out.extend(expand(&joined)?);
    }
    if out.len() > 256 {
        return Err(format!("{src:?} expands to too many patterns"));
    }
    Ok(out)
}

impl Pattern {
    pub fn parse(src: &str, tables: &NormalizeTables, vocab: &mut Vocab) -> Result<Self, String> {
        let mut elems = Vec::new();
        for part in src.split_whitespace() {
            let elem = match part {
                "_" => Elem::Any,
                "#" => Elem::Number,
                "##" => Elem::Many,
                "$" => Elem::End,
                ".." => Elem::Gap,
                _ => {
                    let (mut ids, mut prefixes) = (Vec::new(), Vec::new());
                    for alt in part.split('|') {
                        let (body, prefix) = match alt.strip_suffix('*') {
                            Some(b) => (b, true),
                            None => (alt, false),
                        };
                        // Normalise the word as text would be; one word in, one out.
                        let toks = tokenize(body, tables);
                        match toks.as_slice() {
                            [t] if prefix => prefixes.push(t.key.to_string()),
                            [t] => ids.push(vocab.intern(&t.key)),
                            _ => {
                                return Err(format!(
                                    "{src:?}: {alt:?} is not one word after normalisation"
                                ));
                            }
                        }
                    }
                    Elem::Word { ids, prefixes }
                }
            };
            elems.push(elem);
        }
        match elems.first() {
            None => return Err("empty pattern".into()),
            Some(Elem::Gap | Elem::End) => {
                return Err(format!("{src:?} starts with a gap or an end"));
            }
            _ => {}
        }
        if matches!(elems.last(), Some(Elem::Gap)) {
            return Err(format!("{src:?} ends with a gap"));
        }
        Ok(Pattern { elems })
    }

    /// The words that can start a match, when the first element is words
    /// without prefixes (those are indexed; the others are tried everywhere).
    pub fn first_words(&self) -> Option<&[u32]> {
        self.plain_words(0)
    }

    /// The second element's words, when it is whole words only (then
    /// matches are found through the index of word pairs).
    pub fn second_words(&self) -> Option<&[u32]> {
        self.plain_words(1)
    }

    /// How a token must begin for this pattern to start on it, when the
    /// pattern is not found through the word indexes: its first element's
    /// first bytes (`None`: any token may start it).
    pub fn start_bytes(&self) -> Option<Vec<u8>> {
        match self.elems.first() {
            Some(Elem::Word { ids, prefixes }) if ids.is_empty() => prefixes
                .iter()
                .map(|p| p.as_bytes().first().copied())
                .collect(),
            Some(Elem::Number | Elem::Many) => Some((b'0'..=b'9').collect()),
            _ => None,
        }
    }

    fn plain_words(&self, at: usize) -> Option<&[u32]> {
        match self.elems.get(at) {
            Some(Elem::Word { ids, prefixes }) if prefixes.is_empty() => Some(ids),
            _ => None,
        }
    }

    /// The end (exclusive) of the shortest match starting at `start`.
    pub fn match_at(&self, tokens: &[Token], start: usize) -> Option<usize> {
        let sentence = tokens.get(start)?.sentence;
        match_from(&self.elems, tokens, start, sentence)
    }
}

fn elem_matches(elem: &Elem, tok: &Token) -> bool {
    match elem {
        Elem::Any => true,
        Elem::Number => tok.key.bytes().iter().all(u8::is_ascii_digit),
        Elem::Many => {
            let b = tok.key.bytes();
            b.iter().all(u8::is_ascii_digit) && b.iter().skip_while(|&&d| d == b'0').count() >= 2
        }
        Elem::Word { ids, prefixes } => {
            ids.contains(&tok.id)
                || prefixes
                    .iter()
                    .any(|p| tok.key.bytes().starts_with(p.as_bytes()))
        }
        Elem::Gap | Elem::End => true,
    }
}

fn match_from(elems: &[Elem], tokens: &[Token], pos: usize, sentence: u32) -> Option<usize> {
    let Some((first, rest)) = elems.split_first() else {
        return Some(pos);
    };
    if let Elem::Gap = first {
        for skip in 0..=MAX_GAP {
            let p = pos + skip;
            if skip > 0 && tokens.get(p - 1).is_none_or(|t| t.sentence != sentence) {
                break;
            }
            if p < tokens.len()
                && tokens[p].sentence == sentence
                && let Some(end) = match_from(rest, tokens, p, sentence)
            {
                return Some(end);
            }
        }
        return None;
    }
    if let Elem::End = first {
        let at_end =
            pos == tokens.len() || (pos > 0 && tokens[pos].sentence != tokens[pos - 1].sentence);
        return if at_end {
            match_from(rest, tokens, pos, sentence)
        } else {
            None
        };
    }
    let tok = tokens.get(pos)?;
    if elem_matches(first, tok) {
        match_from(rest, tokens, pos + 1, sentence)
    } else {
        None
    }
}

/// Every whole word the rules mention, numbered.
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    ids: HashMap<Vec<u8>, u32, FxBuild>,
}

impl Vocab {
    pub fn intern(&mut self, word: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(word.as_bytes().to_vec()).or_insert(next)
    }

    pub fn get(&self, word: &[u8]) -> Option<u32> {
        self.ids.get(word).copied()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

/// A small, fast hash for short keys (FxHash's multiply-rotate). The keys
/// are the rules' own words, so hash flooding is not a concern, and a
/// lookup happens once per token.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxBuild;

#[derive(Debug, Default)]
pub(crate) struct FxHasher(u64);

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(26) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Squeeze a word as the tokenizer does (for word lists in the lexicon).
pub(crate) fn key_of(word: &str, tables: &NormalizeTables) -> Option<String> {
    let toks = tokenize(word, tables);
    match toks.as_slice() {
        [t] => Some(t.key.to_string()),
        _ => None,
    }
}
