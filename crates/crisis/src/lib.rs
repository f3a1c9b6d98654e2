//! Hearth's crisis detector.
//!
//! `Detector::assess` reads a text and says how much risk it carries —
//! `imminent`, `ideation`, `distress` or `none` — with a score and the
//! evidence: which rules fired on which words, and which were set aside
//! and why (negated, quoted, about someone else, in the past …), so a
//! moderator sees the reasoning.
//!
//! The detector is rules over normalised tokens; every rule and word list
//! lives in the TOML files under `data/`, written to be read and reviewed
//! by clinicians. Every language's rules run on every text, because people
//! mix languages in one message. There is no I/O, and the work is linear
//! in the input: patterns are short, gaps are bounded and first words are
//! indexed.
//!
//! How a level is reached (see `decide`):
//! - an act under way (pills taken, a gun in hand) is `imminent`;
//! - ideation together with a near time, means, a farewell, affairs put
//!   in order or resolve is `imminent`, unless the writer says there is no
//!   plan;
//! - two or more of those signs, one of them more than a time or a vague
//!   "doing it", are `imminent` even without ideation words;
//! - ideation, self-harm or a farewell alone is `ideation`;
//! - distress words alone are `distress`.

pub mod eval;
mod lexicon;
pub mod model;
pub mod normalize;
mod pattern;
pub mod train;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use lexicon::{Category, LexiconError};
use lexicon::{Lexicon, pair_key};
pub use model::{Model, ModelError};
use normalize::{Key, Token, UNKNOWN, tokenize};

/// The shipped rule files, in the order they are loaded.
pub const SHIPPED: &[(&str, &str)] = &[
    ("common.toml", include_str!("../data/common.toml")),
    ("en.toml", include_str!("../data/en.toml")),
    ("es.toml", include_str!("../data/es.toml")),
];

/// How much risk a text carries, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    None,
    Distress,
    Ideation,
    Imminent,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Imminent,
        Level::Ideation,
        Level::Distress,
        Level::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Distress => "distress",
            Level::Ideation => "ideation",
            Level::Imminent => "imminent",
        }
    }

    /// `imminent` and `ideation`: the levels that show crisis lines to the
    /// writer and raise an alert.
    pub fn is_risk(self) -> bool {
        self >= Level::Ideation
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// What became of a rule that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// It counted towards the level.
    Counted,
    /// Context for other rules (no plan, someone else, the past …).
    Context,
    /// A negation came just before it ("not suicidal").
    Negated,
    /// Inside quotation marks.
    Quoted,
    /// The sentence is about someone else.
    SomeoneElse,
    /// The sentence is study, news, awareness or fiction.
    Informational,
    /// The sentence is about the past or recovery.
    Past,
    /// Imagined or thought about, not planned.
    Imagined,
    /// A word that counts only when the writer speaks of themself.
    NotAboutWriter,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Counted => "counted",
            Effect::Context => "context",
            Effect::Negated => "negated",
            Effect::Quoted => "quoted",
            Effect::SomeoneElse => "someone_else",
            Effect::Informational => "informational",
            Effect::Past => "past",
            Effect::Imagined => "imagined",
            Effect::NotAboutWriter => "not_about_writer",
        }
    }
}

/// Between the phrases of the model's evidence, each quoted from the text.
pub const PHRASE_SEPARATOR: &str = " · ";

/// One rule that fired, for the person reviewing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The rule's id, prefixed with its language ("en.want_to_die").
    pub rule: Arc<str>,
    pub category: Category,
    /// The words in the text that matched (for the model, its strongest
    /// phrases joined by [`PHRASE_SEPARATOR`]).
    pub words: String,
    /// The rule's note from the data file.
    pub note: Arc<str>,
    pub effect: Effect,
}

/// The default is no risk and no evidence: what a text no rule speaks of
/// gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub level: Level,
    /// 0 to 1: how strongly the text supports its level.
    pub score: f32,
    pub evidence: Vec<Evidence>,
}

/// The shipped model, trained by `hearth crisis train` (see `train`).
pub const SHIPPED_MODEL: &[u8] = include_bytes!("../data/model.bin");

/// Most earlier lines `assess_in_context` reads.
pub const MAX_CONTEXT: usize = 5;

impl Default for Assessment {
    fn default() -> Self {
        Assessment {
            level: Level::None,
            score: 0.0,
            evidence: Vec::new(),
        }
    }
}

impl Assessment {
    /// Whether the writer may be asking for help: risk, or distress that a
    /// rule names ("panic attack", "I want the pain to stop"). Hearth never
    /// slows, holds or refuses such writing, and offers someone to talk to.
    /// The model's own reading of distress is left out: it is loose enough
    /// to catch ordinary lines, and would open every gate to them.
    pub fn asks_for_help(&self) -> bool {
        self.level.is_risk()
            || self
                .evidence
                .iter()
                .any(|e| e.category == Category::Distress && e.effect == Effect::Counted)
    }
}

/// At most this many pieces of evidence are returned; counted ones first.
pub const MAX_EVIDENCE: usize = 24;
/// Longest stretch of text quoted as evidence, in bytes.
const MAX_WORDS_BYTES: usize = 160;
/// Tokens before a match searched for a negation.
const NEGATION_WINDOW: usize = 3;

pub struct Detector {
    lex: Lexicon,
    model: Option<Model>,
}

/// Why the shipped detector could not be built.
#[derive(Debug)]
pub enum LoadError {
    Rules(LexiconError),
    Model(ModelError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Rules(e) => write!(f, "{e}"),
            LoadError::Model(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("rules", &self.lex.rules.len())
            .field("patterns", &self.lex.patterns.len())
            .field("model", &self.model.as_ref().map(|m| m.keys.len()))
            .finish()
    }
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: usize,
    start: usize,
    end: usize,
}

#[derive(Debug, Default, Clone, Copy)]
struct SentenceFacts {
    first_person: bool,
    /// Where the first mention of someone else starts, if any.
    third_person: Option<usize>,
    past: bool,
    info: bool,
    contemplation: bool,
}

/// What `judge` needs to know about the whole text.
struct Context<'a> {
    tokens: &'a [Token],
    /// Token is a first-person word.
    fp: &'a [bool],
    facts: &'a [SentenceFacts],
    in_idiom: &'a [bool],
}

impl Detector {
    /// The rules and the model shipped with Hearth.
    pub fn shipped() -> Result<Self, LoadError> {
        let mut d = Self::shipped_rules().map_err(LoadError::Rules)?;
        d.model = Some(Model::from_bytes(SHIPPED_MODEL).map_err(LoadError::Model)?);
        Ok(d)
    }

    /// The shipped rules alone, without the model (for training it).
    pub fn shipped_rules() -> Result<Self, LexiconError> {
        Self::from_sources(SHIPPED)
    }

    /// Rules from (file name, TOML text) pairs, e.g. a clinician's edits,
    /// without a model.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Self, LexiconError> {
        Ok(Detector {
            lex: Lexicon::load(sources)?,
            model: None,
        })
    }

    /// The words of `text` as the detector reads them (case, look-alike
    /// letters, leetspeak and stretched letters undone; known emoji as
    /// words), for matching other word lists the same way, such as an
    /// admin's word filters. Linear in the input.
    pub fn words(&self, text: &str) -> Vec<String> {
        tokenize(text, &self.lex.tables)
            .into_iter()
            .map(|t| t.key.to_string())
            .collect()
    }

    /// Assess one text. Never fails and never panics, whatever the input;
    /// time is linear in its length.
    pub fn assess(&self, text: &str) -> Assessment {
        self.assess_with(text, self.model.as_ref())
    }

    /// Assess `text` as the writer's latest words after `recent`, their own
    /// earlier lines in the same room or thread (oldest first). Read alone,
    /// "bye everyone, sorry" is a goodbye; after an hour of despair it is
    /// more. The lines together count only where the latest words raise
    /// them: the earlier lines alone were already assessed when written.
    /// At most `MAX_CONTEXT` earlier lines are read.
    pub fn assess_in_context(&self, text: &str, recent: &[&str]) -> Assessment {
        self.in_context(text, self.assess(text), recent)
    }

    /// `assess_in_context` for a caller that has already assessed `text`
    /// alone (`alone`), so it is not read twice.
    pub fn in_context(&self, text: &str, alone: Assessment, recent: &[&str]) -> Assessment {
        let recent = &recent[recent.len().saturating_sub(MAX_CONTEXT)..];
        if recent.is_empty() || alone.level == Level::Imminent {
            return alone;
        }
        let before = recent.join("\n");
        let earlier = self.assess(&before);
        // Context raises a line only after lines that were already painful.
        if earlier.level < Level::Distress {
            return alone;
        }
        let together = self.assess(&format!("{before}\n{text}"));
        if together.level <= alone.level || together.level <= earlier.level {
            return alone;
        }
        let mut evidence = vec![Evidence {
            rule: "context.recent_lines".into(),
            category: together
                .evidence
                .first()
                .map_or(Category::Model, |e| e.category),
            words: clip(text.trim()),
            note: format!(
                "Read with the writer's {} earlier line(s) here, these words raise them to {}.",
                recent.len(),
                together.level.as_str()
            )
            .into(),
            effect: Effect::Counted,
        }];
        evidence.extend(together.evidence);
        evidence.truncate(MAX_EVIDENCE);
        Assessment {
            level: together.level,
            score: together.score,
            evidence,
        }
    }

    /// Assess one text with `model` beside the rules (for evaluating a
    /// model trained on part of the data).
    pub fn assess_with(&self, text: &str, model: Option<&Model>) -> Assessment {
        let (rules, tokens) = self.assess_rules(text);
        match model {
            Some(m) => combine(text, &tokens, rules, m),
            None => rules,
        }
    }

    /// The features the model reads in `text` (for training): the whole
    /// text's, and each sentence's by its words alone where there are
    /// several (none for a text of one sentence).
    pub fn features(&self, text: &str) -> (Vec<model::Feature>, Vec<Vec<model::Feature>>) {
        let (rules, tokens) = self.assess_rules(text);
        let whole = model::features(&tokens, &rules);
        if tokens.last().is_none_or(|t| t.sentence == 0) {
            return (whole, Vec::new());
        }
        let unread = Assessment::default();
        let sentences = tokens
            .chunk_by(|a, b| a.sentence == b.sentence)
            .map(|run| model::features(run, &unread))
            .collect();
        (whole, sentences)
    }

    /// The rules' assessment alone, and the tokens they read.
    fn assess_rules(&self, text: &str) -> (Assessment, Vec<Token>) {
        let lex = &self.lex;
        let mut tokens = tokenize(text, &lex.tables);
        self.fix_spelling(&mut tokens);
        for t in &mut tokens {
            t.id = lex.vocab.get(t.key.bytes()).unwrap_or(UNKNOWN);
        }
        let is = |flags: &[bool], t: &Token| flags.get(t.id as usize).copied().unwrap_or(false);
        let fp: Vec<bool> = tokens.iter().map(|t| is(&lex.first_person, t)).collect();

        let hits = self.find(&tokens);
        let sentences = tokens.last().map_or(0, |t| t.sentence as usize + 1);
        let mut facts = vec![SentenceFacts::default(); sentences];
        for (t, &is_fp) in tokens.iter().zip(&fp) {
            if is_fp && !t.quoted {
                facts[t.sentence as usize].first_person = true;
            }
        }
        let mut no_plan = false;
        for h in &hits {
            let s = tokens[h.start].sentence as usize;
            if tokens[h.start..h.end].iter().any(|t| t.quoted) {
                continue;
            }
            match lex.rules[h.rule].category {
                Category::ThirdPerson => {
                    let first = facts[s].third_person.map_or(h.start, |f| f.min(h.start));
                    facts[s].third_person = Some(first);
                }
                Category::Past => facts[s].past = true,
                Category::Info => facts[s].info = true,
                Category::Contemplation => facts[s].contemplation = true,
                Category::NoPlan => no_plan = true,
                _ => {}
            }
        }

        // Words inside an idiom ("not gonna lie") negate nothing.
        let mut in_idiom = vec![false; tokens.len()];
        for h in &hits {
            if lex.rules[h.rule].category == Category::Idiom {
                in_idiom[h.start..h.end].iter_mut().for_each(|b| *b = true);
            }
        }
        let ctx = Context {
            tokens: &tokens,
            fp: &fp,
            facts: &facts,
            in_idiom: &in_idiom,
        };
        let mut judged: Vec<(Hit, Effect)> =
            hits.iter().map(|&h| (h, self.judge(h, &ctx))).collect();

        // Combinations: all parts counted within one sentence.
        let mut parts: Vec<(u32, &Hit)> = judged
            .iter()
            .filter(|(h, e)| *e == Effect::Counted && lex.rules[h.rule].category == Category::Part)
            .map(|(h, _)| (tokens[h.start].sentence, h))
            .collect();
        parts.sort_by_key(|(s, _)| *s);
        let mut combo_evidence = Vec::new();
        for combo in &lex.combos {
            let found = parts.chunk_by(|a, b| a.0 == b.0).find_map(|in_sentence| {
                combo
                    .all
                    .iter()
                    .map(|&r| {
                        in_sentence
                            .iter()
                            .find(|(_, h)| h.rule == r)
                            .map(|(_, h)| *h)
                    })
                    .collect::<Option<Vec<_>>>()
            });
            if let Some(parts) = found {
                let words: Vec<String> = parts.iter().map(|h| words_of(text, &tokens, h)).collect();
                combo_evidence.push(Evidence {
                    rule: combo.id.clone(),
                    category: combo.category,
                    words: words.join(" … "),
                    note: combo.note.clone(),
                    effect: Effect::Counted,
                });
            }
        }

        let mut counts = [0usize; Category::COUNT];
        for (h, e) in &judged {
            if *e == Effect::Counted {
                counts[lex.rules[h.rule].category as usize] += 1;
            }
        }
        for e in &combo_evidence {
            counts[e.category as usize] += 1;
        }
        let counted = |c: Category| counts[c as usize];
        let (level, score) = decide(&counted, no_plan);

        // Evidence: counted first, then context, then what was set aside;
        // parts only through their combination.
        judged.retain(|(h, _)| lex.rules[h.rule].category != Category::Part);
        judged.sort_by_key(|(h, e)| {
            let rank = match e {
                Effect::Counted => 0,
                Effect::Context => 1,
                _ => 2,
            };
            (rank, h.start)
        });
        judged.truncate(MAX_EVIDENCE);
        let mut evidence = combo_evidence;
        evidence.extend(judged.iter().map(|(h, e)| {
            let rule = &lex.rules[h.rule];
            Evidence {
                rule: rule.id.clone(),
                category: rule.category,
                words: words_of(text, &tokens, h),
                note: rule.note.clone(),
                effect: *e,
            }
        }));
        evidence.truncate(MAX_EVIDENCE);
        let assessment = Assessment {
            level,
            score,
            evidence,
        };
        (assessment, tokens)
    }

    /// Read near-misses of the fuzzy words as the words ("suicde").
    fn fix_spelling(&self, tokens: &mut [Token]) {
        if self.lex.fuzzy.is_empty() {
            return;
        }
        for t in tokens.iter_mut() {
            let key = t.key.bytes();
            let len = key.len();
            if !(5..=14).contains(&len) || !key.is_ascii() {
                continue;
            }
            let found = self.lex.fuzzy.iter().find(|w| {
                let w = w.as_bytes();
                w.len().abs_diff(len) <= 1
                    && (w[0] == key[0] || w[1] == key[1])
                    && w != key
                    && within_one_edit(w, key)
            });
            if let Some(w) = found {
                t.key = Key::new(w);
            }
        }
    }

    /// Every pattern match, with idioms taking their words from the rest,
    /// and a match inside a longer one of the same rule category dropped.
    fn find(&self, tokens: &[Token]) -> Vec<Hit> {
        let lex = &self.lex;
        let mut hits = Vec::new();
        let try_at = |pi: usize, i: usize, hits: &mut Vec<Hit>| {
            let (rule, pattern) = &lex.patterns[pi];
            if let Some(end) = pattern.match_at(tokens, i) {
                hits.push(Hit {
                    rule: *rule,
                    start: i,
                    end,
                });
            }
        };
        for (i, t) in tokens.iter().enumerate() {
            if let Some(pis) = lex.index.get(t.id as usize) {
                for &pi in pis {
                    try_at(pi, i, &mut hits);
                }
            }
            if t.id != UNKNOWN
                && let Some(next) = tokens.get(i + 1)
                && next.id != UNKNOWN
                && let Some(pis) = lex.pairs.get(&pair_key(t.id, next.id))
            {
                for &pi in pis {
                    try_at(pi, i, &mut hits);
                }
            }
            if let Some(&b) = t.key.bytes().first()
                && let Some(pis) = lex.by_first_byte.get(b as usize)
            {
                for &pi in pis {
                    try_at(pi, i, &mut hits);
                }
            }
            for &pi in &lex.scan_always {
                try_at(pi, i, &mut hits);
            }
        }
        if hits.len() < 2 {
            return hits;
        }
        let cat = |h: &Hit| lex.rules[h.rule].category;
        // Words covered by an idiom count for nothing else.
        let mut idiom_words = vec![false; tokens.len()];
        for h in hits.iter().filter(|h| cat(h) == Category::Idiom) {
            idiom_words[h.start..h.end]
                .iter_mut()
                .for_each(|b| *b = true);
        }
        hits.retain(|h| {
            let c = cat(h);
            c == Category::Idiom || c.is_modifier() || !idiom_words[h.start..h.end].contains(&true)
        });
        // Drop a match inside a longer one of the same category: in order
        // of start (longest first at a start), a match is inside an earlier
        // one exactly when an earlier one of its category reaches as far.
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut reach = [0usize; Category::COUNT];
        hits.retain(|h| {
            let r = &mut reach[cat(h) as usize];
            if h.end <= *r {
                return false;
            }
            *r = h.end;
            true
        });
        hits
    }

    fn judge(&self, h: Hit, ctx: &Context<'_>) -> Effect {
        let (tokens, fp) = (ctx.tokens, ctx.fp);
        let rule = &self.lex.rules[h.rule];
        let c = rule.category;
        if c.is_modifier() || c == Category::Idiom {
            return Effect::Context;
        }
        let f = ctx.facts[tokens[h.start].sentence as usize];
        let risk_words = matches!(
            c,
            Category::Ideation | Category::SelfHarm | Category::Act | Category::Part
        );
        // The writer is in the phrase or just before it ("I'd already be gone").
        let span_fp = fp[h.start.saturating_sub(1)..h.end].iter().any(|&b| b);
        if c != Category::Distress && tokens[h.start..h.end].iter().any(|t| t.quoted) {
            return Effect::Quoted;
        }
        if (risk_words || matches!(c, Category::Method | Category::Distress))
            && self.negated(h, ctx)
        {
            return Effect::Negated;
        }
        if f.past {
            return Effect::Past;
        }
        // Someone else is the subject when named before the words.
        if f.third_person.is_some_and(|t| t < h.start) && !span_fp && risk_words {
            return Effect::SomeoneElse;
        }
        if f.info && !span_fp && (risk_words || c == Category::Goodbye) {
            return Effect::Informational;
        }
        if rule.needs_self && !span_fp && !f.first_person {
            return Effect::NotAboutWriter;
        }
        if f.contemplation
            && matches!(
                c,
                Category::Method
                    | Category::Goodbye
                    | Category::Hint
                    | Category::Time
                    | Category::Prep
                    | Category::Resolve
            )
        {
            return Effect::Imagined;
        }
        Effect::Counted
    }

    /// A negator among the few tokens before the match, in its sentence,
    /// unless the pattern itself starts with one ("not going to be around").
    fn negated(&self, h: Hit, ctx: &Context<'_>) -> bool {
        let tokens = ctx.tokens;
        let neg = |t: &Token| {
            self.lex
                .negators
                .get(t.id as usize)
                .copied()
                .unwrap_or(false)
        };
        if neg(&tokens[h.start]) {
            return false;
        }
        let sentence = tokens[h.start].sentence;
        let from = h.start.saturating_sub(NEGATION_WINDOW);
        (from..h.start)
            .any(|i| tokens[i].sentence == sentence && !ctx.in_idiom[i] && neg(&tokens[i]))
    }
}

/// Most words or phrases the model names as its reasons.
const MODEL_WORDS: usize = 3;

/// The rules' assessment and the model's together: the higher level wins,
/// so the rules remain a backstop for what they know and the model finds
/// what no rule names. The model's level is the one it gives with its most
/// persuasive word left out, so that one word ("Sunday") never raises a
/// text on its own. The model's reasons are the words that pushed its
/// deciding head up the most.
fn combine(text: &str, tokens: &[Token], rules: Assessment, m: &Model) -> Assessment {
    if tokens.is_empty() {
        return rules;
    }
    // The model reads the whole text, and each sentence of a longer one on
    // its own (a risky line amid ordinary news is not diluted by it); the
    // nearest reading counts.
    let mut reading = model_reading(m, tokens, &rules, 0..tokens.len());
    if tokens.last().is_some_and(|t| t.sentence > 0) {
        // A sentence counts at the level it reaches both with the rules'
        // reading of the whole text (negations, someone else, the past)
        // and by its own words alone (so the rules' risk elsewhere is not
        // lent to every sentence).
        let unread = Assessment::default();
        let mut start = 0;
        for run in tokens.chunk_by(|a, b| a.sentence == b.sentence) {
            let range = start..start + run.len();
            start += run.len();
            let alone = model_reading(m, tokens, &unread, range.clone());
            if alone.level <= reading.level {
                continue;
            }
            let mut r = model_reading(m, tokens, &rules, range);
            r.level = r.level.min(alone.level);
            if r.level > reading.level {
                reading = r;
            }
        }
    }
    let ModelReading { features, p, level } = reading;
    if level <= rules.level {
        return rules;
    }
    // The head that decided: distress may come from the imminent head
    // alone (flagged without the risk head's agreement).
    let head = match level {
        Level::Imminent => 2,
        Level::Ideation => 1,
        _ if p[0] >= m.thresholds[0] => 0,
        _ => 2,
    };
    let words: Vec<String> = m
        .strongest(&features, head, MODEL_WORDS, |i| {
            tokens
                .get(i as usize)
                .is_some_and(|t| !model::is_function_word(t.key.bytes()))
        })
        .into_iter()
        .map(|(a, b)| {
            words_of(
                text,
                tokens,
                &Hit {
                    rule: 0,
                    start: a as usize,
                    end: b as usize + 1,
                },
            )
        })
        .collect();
    let mut evidence = vec![Evidence {
        rule: format!("model.{}", level.as_str()).into(),
        category: Category::Model,
        words: words.join(PHRASE_SEPARATOR),
        note: format!(
            "The learned model reads this as {} (its {} head: {:.2}, threshold {:.2}); these words and phrases weighed most.",
            level.as_str(),
            model::HEAD_LEVELS[head].as_str(),
            p[head],
            m.thresholds[head]
        )
        .into(),
        effect: Effect::Counted,
    }];
    evidence.extend(rules.evidence);
    evidence.truncate(MAX_EVIDENCE);
    // How far past its threshold the deciding head is, from 0.5 (just
    // over) to 1.
    let t = m.thresholds[head].clamp(0.0, 0.999);
    let past = ((p[head] - t) / (1.0 - t)).clamp(0.0, 1.0);
    Assessment {
        level,
        score: 0.5 + 0.5 * past,
        evidence,
    }
}

/// The model's reading of some of a text's tokens.
struct ModelReading {
    features: Vec<model::Feature>,
    /// Each head's probability, all words read.
    p: [f32; model::HEADS],
    level: Level,
}

/// Reads tokens `range` (features point at tokens of the whole text).
/// The model raises the rules' level only as far as it still would with
/// its most persuasive word left out: one word is not enough evidence.
/// Where only that word makes it risk, it offers someone to talk to
/// (distress) and raises no alert.
fn model_reading(
    m: &Model,
    tokens: &[Token],
    rules: &Assessment,
    range: std::ops::Range<usize>,
) -> ModelReading {
    let offset = range.start as u32;
    let mut features = model::features(&tokens[range], rules);
    for f in &mut features {
        if let model::Origin::Words(a, b) = &mut f.origin {
            *a += offset;
            *b += offset;
        }
    }
    let read = m.read(&features);
    let floor = if m.level(&read.all).is_risk() {
        Level::Distress
    } else {
        Level::None
    };
    ModelReading {
        level: m.level(&read.robust).max(floor),
        features,
        p: read.all,
    }
}

/// Weights of the signs that make ideation imminent.
fn imminence(counted: &dyn Fn(Category) -> usize) -> (u32, bool) {
    let mut total = 0;
    let mut strong = false;
    for (c, w) in [
        (Category::Method, 2),
        (Category::Goodbye, 2),
        (Category::Prep, 2),
        (Category::Resolve, 2),
        (Category::Time, 1),
        (Category::Hint, 1),
    ] {
        if counted(c) > 0 {
            total += w;
            strong |= w > 1;
        }
    }
    (total, strong)
}

fn decide(counted: &dyn Fn(Category) -> usize, no_plan: bool) -> (Level, f32) {
    let act = counted(Category::Act);
    let ideation = counted(Category::Ideation);
    let self_harm = counted(Category::SelfHarm);
    let goodbye = counted(Category::Goodbye);
    let distress = counted(Category::Distress);
    let (signs, strong) = imminence(counted);
    let more = |n: usize, step: f32, cap: usize| step * n.min(cap) as f32;
    if act > 0 {
        return (Level::Imminent, 0.95 + more(act - 1, 0.01, 5));
    }
    if !no_plan && ((ideation > 0 && signs >= 1) || (strong && signs >= 3)) {
        return (Level::Imminent, 0.85 + more(signs as usize, 0.02, 5));
    }
    if ideation + self_harm + goodbye > 0 {
        let n = ideation + self_harm + goodbye;
        return (Level::Ideation, 0.6 + more(n - 1, 0.05, 4));
    }
    if distress > 0 {
        return (Level::Distress, 0.3 + more(distress - 1, 0.05, 3));
    }
    (Level::None, 0.0)
}

/// The original words of a match (trimmed to a readable length).
fn words_of(text: &str, tokens: &[Token], h: &Hit) -> String {
    let start = tokens[h.start].start;
    let end = tokens[h.end - 1].end.max(start);
    clip(text.get(start..end).unwrap_or(""))
}

/// `s`, trimmed to a readable length.
fn clip(s: &str) -> String {
    if s.len() <= MAX_WORDS_BYTES {
        return s.to_owned();
    }
    let mut cut = MAX_WORDS_BYTES;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &s[..cut])
}

/// Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution
/// or swap of neighbours).
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix == la && prefix == lb {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    if la == lb {
        // substitution, or a swap of two neighbours
        ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if la > lb {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit(b"suicide", b"suicde"));
        assert!(within_one_edit(b"suicide", b"siucide"));
        assert!(within_one_edit(b"suicide", b"suicyde"));
        assert!(within_one_edit(b"suicide", b"suiciide"));
        assert!(!within_one_edit(b"suicide", b"sucde"));
        assert!(!within_one_edit(b"myself", b"himself"));
    }

    #[test]
    fn shipped_rules_load() {
        let d = Detector::shipped();
        assert!(d.is_ok(), "{d:?}");
    }
}
