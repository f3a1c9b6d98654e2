//! Loading the rules and word lists from the TOML data files.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;

use crate::normalize::NormalizeTables;
use crate::pattern::{FxBuild, Pattern, Vocab, expand, key_of};

/// The key of a pair of word ids in `Lexicon::pairs`.
pub(crate) fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// What a rule's words mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Thoughts of suicide or of being dead, stated or implied.
    Ideation,
    /// Self-harm: urges or acts.
    SelfHarm,
    /// An attempt under way or just made (pills taken, a gun in hand).
    Act,
    /// Means at hand or a place chosen (a whole bottle, a rope, a bridge).
    Method,
    /// A near time (tonight, tomorrow, at 4am).
    Time,
    /// A farewell (last message, goodbye letter).
    Goodbye,
    /// Affairs put in order (a will, the dog rehomed).
    Prep,
    /// Resolve or secrecy (decided, please don't call anyone).
    Resolve,
    /// Weak signs, common in ordinary life ("I'm doing it", letters
    /// written, a bridge mentioned): they count only with other signs.
    Hint,
    /// Distress without risk words (panic, abuse, crisis, grief).
    Distress,
    /// Everyday idioms that look like risk ("this commute is killing me").
    Idiom,
    /// No plan, not acting on it: ideation, not imminent.
    NoPlan,
    /// Someone else is the subject ("my brother attempted").
    ThirdPerson,
    /// The past or recovery ("two years ago").
    Past,
    /// Study, news, awareness, fiction, questions about services.
    Info,
    /// Daydreams and thoughts: what follows is imagined, not planned.
    Contemplation,
    /// Half of a combination; counts only with its partners (`[[combo]]`).
    Part,
    /// The learned model's reading (never a rule file's category).
    Model,
}

impl Category {
    /// How many categories there are (for arrays indexed by `c as usize`).
    pub const COUNT: usize = 18;

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Ideation => "ideation",
            Category::SelfHarm => "self_harm",
            Category::Act => "act",
            Category::Method => "method",
            Category::Time => "time",
            Category::Goodbye => "goodbye",
            Category::Prep => "prep",
            Category::Resolve => "resolve",
            Category::Hint => "hint",
            Category::Distress => "distress",
            Category::Idiom => "idiom",
            Category::NoPlan => "no_plan",
            Category::ThirdPerson => "third_person",
            Category::Past => "past",
            Category::Info => "info",
            Category::Contemplation => "contemplation",
            Category::Part => "part",
            Category::Model => "model",
        }
    }

    /// Context that changes how other words count, rather than counting.
    pub fn is_modifier(self) -> bool {
        matches!(
            self,
            Category::NoPlan
                | Category::ThirdPerson
                | Category::Past
                | Category::Info
                | Category::Contemplation
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    lang: String,
    #[serde(default)]
    words: Words,
    #[serde(default)]
    normalize: NormalizeFile,
    #[serde(default)]
    emoji: HashMap<String, String>,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleFile>,
    #[serde(default, rename = "combo")]
    combos: Vec<ComboFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    #[serde(default)]
    first_person: Vec<String>,
    #[serde(default)]
    negators: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalizeFile {
    /// Pairs of characters: the look-alike, then its Latin letter ("аa").
    #[serde(default)]
    confusables: Vec<String>,
    /// Words whose misspellings (one edit away) are read as the word.
    #[serde(default)]
    fuzzy: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    category: Category,
    note: String,
    /// Count only when the writer speaks of themself (for nouns such as
    /// "suicide", which also appear in news and study).
    #[serde(default)]
    needs_self: bool,
    patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComboFile {
    id: String,
    category: Category,
    note: String,
    /// Rules of category `part`, all of which must count in one sentence.
    all: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub id: Arc<str>,
    pub category: Category,
    pub note: Arc<str>,
    pub needs_self: bool,
}

#[derive(Debug)]
pub(crate) struct Combo {
    pub id: Arc<str>,
    pub category: Category,
    pub note: Arc<str>,
    pub all: Vec<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub tables: NormalizeTables,
    pub vocab: Vocab,
    /// By vocabulary id: a first-person word; a negator.
    pub first_person: Vec<bool>,
    pub negators: Vec<bool>,
    pub fuzzy: Vec<String>,
    pub rules: Vec<Rule>,
    /// (rule index, pattern)
    pub patterns: Vec<(usize, Pattern)>,
    /// By vocabulary id of a first word: the patterns that can start there
    /// and whose second element is not whole words.
    pub index: Vec<Vec<usize>>,
    /// By the ids of a first and second word (`pair_key`): the patterns
    /// that can start with that pair.
    pub pairs: HashMap<u64, Vec<usize>, FxBuild>,
    /// Patterns not in the word indexes (they start with a prefix, `#`
    /// or `_`), by the first byte a token needs to start them.
    pub by_first_byte: Vec<Vec<usize>>,
    /// Patterns tried at every token.
    pub scan_always: Vec<usize>,
    pub combos: Vec<Combo>,
}

/// A data file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError(pub String);

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LexiconError {}

impl Lexicon {
    /// Build from (name, TOML text) pairs. Word lists and tables are read
    /// from every file before any pattern, so patterns see every table.
    pub fn load(sources: &[(&str, &str)]) -> Result<Self, LexiconError> {
        let mut files = Vec::new();
        for (name, text) in sources {
            let file: File =
                toml::from_str(text).map_err(|e| LexiconError(format!("{name}: {e}")))?;
            files.push((*name, file));
        }
        let mut lex = Lexicon::default();
        for (name, file) in &files {
            for pair in &file.normalize.confusables {
                let mut cs = pair.chars();
                match (cs.next(), cs.next(), cs.next()) {
                    (Some(a), Some(b), None) => {
                        lex.tables.confusables.insert(a, b);
                    }
                    _ => {
                        return Err(LexiconError(format!(
                            "{name}: confusable {pair:?} is not two characters"
                        )));
                    }
                }
            }
            for (emoji, word) in &file.emoji {
                let mut cs = emoji
                    .chars()
                    .filter(|c| !('\u{FE00}'..='\u{FE0F}').contains(c));
                match (cs.next(), cs.next()) {
                    (Some(c), None) => {
                        lex.tables.emoji.insert(c, word.clone());
                    }
                    _ => {
                        return Err(LexiconError(format!(
                            "{name}: emoji {emoji:?} is not one character"
                        )));
                    }
                }
            }
        }
        let (mut first_person, mut negators) = (HashSet::new(), HashSet::new());
        for (name, file) in &files {
            let word = |w: &String| {
                key_of(w, &lex.tables)
                    .ok_or_else(|| LexiconError(format!("{name}: {w:?} is not one word")))
            };
            for w in &file.words.first_person {
                first_person.insert(lex.vocab.intern(&word(w)?));
            }
            for w in &file.words.negators {
                negators.insert(lex.vocab.intern(&word(w)?));
            }
            for w in &file.normalize.fuzzy {
                let w = word(w)?;
                lex.vocab.intern(&w);
                lex.fuzzy.push(w);
            }
        }
        let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut ids = HashMap::new();
        for (name, file) in &files {
            for r in &file.rules {
                let idx = lex.rules.len();
                let id = format!("{}.{}", file.lang, r.id);
                if ids.insert(id.clone(), idx).is_some() {
                    return Err(LexiconError(format!("{name}: rule {id} is defined twice")));
                }
                if r.patterns.is_empty() {
                    return Err(LexiconError(format!("{name}: rule {id} has no patterns")));
                }
                let expanded = r
                    .patterns
                    .iter()
                    .map(|p| expand(p))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| LexiconError(format!("{name}: rule {id}: {e}")))?;
                for p in expanded.iter().flatten() {
                    let pattern = Pattern::parse(p, &lex.tables, &mut lex.vocab)
                        .map_err(|e| LexiconError(format!("{name}: rule {id}: {e}")))?;
                    let pi = lex.patterns.len();
                    match (pattern.first_words(), pattern.second_words()) {
                        (Some(first), Some(second)) => {
                            for &a in first {
                                for &b in second {
                                    lex.pairs.entry(pair_key(a, b)).or_default().push(pi);
                                }
                            }
                        }
                        (Some(words), None) => {
                            for &w in words {
                                index.entry(w).or_default().push(pi);
                            }
                        }
                        (None, _) => match pattern.start_bytes() {
                            Some(bytes) => {
                                if lex.by_first_byte.is_empty() {
                                    lex.by_first_byte = vec![Vec::new(); 256];
                                }
                                for b in bytes {
                                    lex.by_first_byte[b as usize].push(pi);
                                }
                            }
                            None => lex.scan_always.push(pi),
                        },
                    }
                    lex.patterns.push((idx, pattern));
                }
                if r.category == Category::Model {
                    return Err(LexiconError(format!(
                        "{name}: rule {id}: the category model is the learned model's, not a rule's"
                    )));
                }
                lex.rules.push(Rule {
                    id: id.into(),
                    category: r.category,
                    note: r.note.as_str().into(),
                    needs_self: r.needs_self,
                });
            }
        }
        let n = lex.vocab.len();
        lex.index = vec![Vec::new(); n];
        for (w, pis) in index {
            lex.index[w as usize] = pis;
        }
        lex.first_person = (0..n as u32).map(|i| first_person.contains(&i)).collect();
        lex.negators = (0..n as u32).map(|i| negators.contains(&i)).collect();
        for (name, file) in &files {
            for c in &file.combos {
                let mut all = Vec::new();
                for part in &c.all {
                    let full = if part.contains('.') && ids.contains_key(part) {
                        part.clone()
                    } else {
                        format!("{}.{}", file.lang, part)
                    };
                    let idx = *ids.get(&full).ok_or_else(|| {
                        LexiconError(format!("{name}: combo {} names unknown rule {part}", c.id))
                    })?;
                    if lex.rules[idx].category != Category::Part {
                        return Err(LexiconError(format!(
                            "{name}: combo {}: {part} is not a part",
                            c.id
                        )));
                    }
                    all.push(idx);
                }
                if all.len() < 2 {
                    return Err(LexiconError(format!(
                        "{name}: combo {} needs two parts or more",
                        c.id
                    )));
                }
                lex.combos.push(Combo {
                    id: format!("{}.{}", file.lang, c.id).into(),
                    category: c.category,
                    note: c.note.as_str().into(),
                    all,
                });
            }
        }
        Ok(lex)
    }
}
