//! The learned half of the detector: an ordinal linear model over hashed
//! words, word pairs (next to each other, or one or two words apart) and
//! the rules' own reading of the text. Words are read the way the rules
//! read them (look-alike letters, leetspeak, stretched letters and known
//! misspellings undone; emoji as words).
//!
//! Three logistic "heads" each answer one question: is the text at least
//! `distress`, at least `ideation` (any risk), `imminent`? The highest head
//! whose probability passes its threshold gives the level. Thresholds are
//! chosen when training, from predictions on folds the model did not see
//! (see `train`), so that risk is found with high recall.
//!
//! Each feature is a 64-bit hash of what it reads; the model keeps the
//! hashes of the features it was trained on, sorted, with their weights,
//! and a feature it never saw weighs nothing (no shared buckets, so an
//! unknown name or typo cannot borrow another word's weight). A text's
//! word features count once however often they occur, and are scaled by
//! one over the square root of their number, so a long post is not louder
//! than a chat line. Everything is linear in the input: each word gives at
//! most a fixed number of features, each looked up by binary search.
//!
//! The model file is shipped inside the binary (`data/model.bin`); its
//! header records the hash of the data it was trained on.

use crate::normalize::Token;
use crate::{Assessment, Effect, Level};

/// The heads, from least to most risk.
pub const HEADS: usize = 3;
/// The level each head stands for.
pub const HEAD_LEVELS: [Level; HEADS] = [Level::Distress, Level::Ideation, Level::Imminent];

const MAGIC: &[u8; 8] = b"HEARTHM2";

/// Where a feature came from, to explain a decision in the writer's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Tokens `first..=last` of the text.
    Words(u32, u32),
    /// The rules' reading of the whole text.
    Rules,
}

#[derive(Debug, Clone, Copy)]
pub struct Feature {
    /// The hash of what the feature reads (its kind and its words).
    pub key: u64,
    pub value: f32,
    pub origin: Origin,
}

/// Words too common to explain anything, as the tokenizer writes them.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "for", "i", "im", "in", "is", "it", "its",
    "me", "my", "of", "on", "or", "so", "that", "the", "this", "to", "was", "with", "al", "con",
    "de", "del", "el", "en", "es", "la", "las", "lo", "los", "mi", "por", "que", "se", "su", "un",
    "una", "y", "yo",
];

/// Whether a token's key is a function word (never named as a reason).
pub fn is_function_word(key: &[u8]) -> bool {
    FUNCTION_WORDS.iter().any(|w| w.as_bytes() == key)
}

/// Word features are scaled as if a text had at least this many, so that
/// each word of a two-word line does not weigh like a whole post.
const MIN_SCALED: usize = 40;

/// FNV-1a, 64 bits: stable across platforms and releases, unlike std's
/// hasher, so that a model trained anywhere reads the same everywhere.
fn fnv(kind: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(kind);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            eat(0xff);
        }
        for &b in *p {
            eat(b);
        }
    }
    h
}

/// The features of one text: its tokens (as the rules read them) and the
/// rules' assessment.
pub fn features(tokens: &[Token], rules: &Assessment) -> Vec<Feature> {
    let mut out = Vec::with_capacity(tokens.len() * 12 + 16);
    for (i, t) in tokens.iter().enumerate() {
        let key = t.key.bytes();
        let at = Origin::Words(i as u32, i as u32);
        out.push(Feature {
            key: fnv(1, &[key]),
            value: 1.0,
            origin: at,
        });
        if let Some(next) = tokens.get(i + 1)
            && next.sentence == t.sentence
        {
            out.push(Feature {
                key: fnv(2, &[key, next.key.bytes()]),
                value: 1.0,
                origin: Origin::Words(i as u32, i as u32 + 1),
            });
        }
        // Pairs with one or two words between ("took all the pills").
        for d in 2..=3 {
            if let Some(next) = tokens.get(i + d)
                && next.sentence == t.sentence
            {
                out.push(Feature {
                    key: fnv(5, &[key, next.key.bytes()]),
                    value: 1.0,
                    origin: Origin::Words(i as u32, i as u32 + d as u32),
                });
            }
        }
    }
    // Presence, not counts: a word said eighty times in a long post is
    // not eighty times the evidence.
    out.sort_unstable_by_key(|f| f.key);
    out.dedup_by_key(|f| f.key);
    let scale = 1.0 / (out.len().max(MIN_SCALED) as f32).sqrt();
    for f in &mut out {
        f.value = scale;
    }
    let mut rule = |parts: &[&[u8]]| {
        out.push(Feature {
            key: fnv(4, parts),
            value: 1.0,
            origin: Origin::Rules,
        })
    };
    rule(&[b"level", rules.level.as_str().as_bytes()]);
    for e in &rules.evidence {
        // A near time on its own is everyday life ("see you Sunday"); in a
        // corpus rich in plans it would read as a plan. The words still
        // count, and the rules still combine a time with other signs.
        if e.category == crate::Category::Time {
            continue;
        }
        let effect = e.effect.as_str().as_bytes();
        rule(&[b"category", e.category.as_str().as_bytes(), effect]);
        if e.effect == Effect::Counted {
            rule(&[b"rule", e.rule.as_bytes()]);
        }
    }
    out
}

/// A model's reading of some features (see `Model::read`).
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// Each head's probability, every word read.
    pub all: [f32; HEADS],
    /// The same with the most persuasive word left out.
    pub robust: [f32; HEADS],
}

/// A trained model: the features it knows, their weights per head,
/// biases and thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The hashes of the features it was trained on, sorted.
    pub keys: Vec<u64>,
    /// `HEADS` weights per key, key by key.
    pub weights: Vec<f32>,
    pub bias: [f32; HEADS],
    /// A head's probability at or over its threshold says "yes".
    pub thresholds: [f32; HEADS],
    /// SHA-256 (hex) of the labelled data and rules it was trained on.
    pub data_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The weights of a feature, if the model knows it.
    fn weights_of(&self, key: u64) -> Option<&[f32]> {
        let i = self.keys.binary_search(&key).ok()?;
        self.weights.get(i * HEADS..(i + 1) * HEADS)
    }

    /// Each feature's push on each head (zero for features it never saw).
    fn pushes<'a>(
        &'a self,
        features: &'a [Feature],
    ) -> impl Iterator<Item = (&'a Feature, [f32; HEADS])> + 'a {
        features.iter().map(move |f| {
            let mut c = [0.0; HEADS];
            if let Some(w) = self.weights_of(f.key) {
                for (c, w) in c.iter_mut().zip(w) {
                    *c = w * f.value;
                }
            }
            (f, c)
        })
    }

    /// Each head's probability for these features.
    pub fn probabilities(&self, features: &[Feature]) -> [f32; HEADS] {
        self.read(features).all
    }

    /// Each head's probability, with every word and with the single most
    /// persuasive word left out (every feature that reads that word: the
    /// word, and the pairs it is in), in one pass over the features. A
    /// decision that stands only on one word ("Sunday", "pills") does not
    /// survive the second; one built from several places in the text does.
    pub fn read(&self, features: &[Feature]) -> Reading {
        let mut z = self.bias;
        // Pushes by token: (token, push), sorted by token.
        let mut by_token: Vec<(u32, [f32; HEADS])> = Vec::with_capacity(features.len() * 2);
        for (f, c) in self.pushes(features) {
            for (z, c) in z.iter_mut().zip(c) {
                *z += c;
            }
            if let Origin::Words(a, b) = f.origin {
                by_token.push((a, c));
                if b != a {
                    by_token.push((b, c));
                }
            }
        }
        by_token.sort_unstable_by_key(|&(t, _)| t);
        let mut strongest = [0.0f32; HEADS];
        for run in by_token.chunk_by(|x, y| x.0 == y.0) {
            for (h, s) in strongest.iter_mut().enumerate() {
                *s = s.max(run.iter().map(|(_, c)| c[h]).sum());
            }
        }
        let mut robust = [0.0; HEADS];
        for h in 0..HEADS {
            robust[h] = sigmoid(z[h] - strongest[h]);
        }
        Reading {
            all: z.map(sigmoid),
            robust,
        }
    }

    /// The level the thresholds give these probabilities. The risk head
    /// alone decides whether there is risk; within risk the imminent head
    /// decides how near. A text the imminent head flags without the risk
    /// head's agreement is still at least distress: never read as nothing.
    pub fn level(&self, p: &[f32; HEADS]) -> Level {
        let yes = |h: usize| p[h] >= self.thresholds[h];
        match (yes(1), yes(2)) {
            (true, true) => Level::Imminent,
            (true, false) => Level::Ideation,
            (false, true) => Level::Distress,
            (false, false) if yes(0) => Level::Distress,
            (false, false) => Level::None,
        }
    }

    /// The word features that pushed `head` up the most, as token spans,
    /// strongest first, each span once; spans whose words all fail `keep`
    /// (say, function words) are passed over.
    pub fn strongest(
        &self,
        features: &[Feature],
        head: usize,
        n: usize,
        keep: impl Fn(u32) -> bool,
    ) -> Vec<(u32, u32)> {
        let mut pushes: Vec<(f32, u32, u32)> = self
            .pushes(features)
            .filter_map(|(f, c)| match f.origin {
                Origin::Words(a, b) => Some((c[head], a, b)),
                Origin::Rules => None,
            })
            .filter(|&(c, a, b)| c > 0.0 && (keep(a) || keep(b)))
            .collect();
        pushes.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(n);
        for (_, a, b) in pushes {
            if out.len() == n {
                break;
            }
            // A span inside one already named adds nothing.
            if !out.iter().any(|&(x, y)| x <= a && b <= y) {
                out.retain(|&(x, y)| !(a <= x && y <= b));
                out.push((a, b));
            }
        }
        out
    }

    /// The file format: magic, the number of features (u32), thresholds
    /// and biases (f32), the data hash (64 hex bytes), the features' hashes
    /// (u64, sorted), then for each head a scale (f32) and its weights as
    /// i16 (weight = i16 × scale). All little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.keys.len();
        let mut out = Vec::with_capacity(8 + 4 + 24 + 64 + 8 * n + HEADS * (4 + 2 * n));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for t in self.thresholds.iter().chain(&self.bias) {
            out.extend_from_slice(&t.to_le_bytes());
        }
        let mut hash = [b'0'; 64];
        let given = self.data_hash.as_bytes();
        let len = given.len().min(64);
        hash[..len].copy_from_slice(&given[..len]);
        out.extend_from_slice(&hash);
        for k in &self.keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for h in 0..HEADS {
            let row = || self.weights.iter().skip(h).step_by(HEADS);
            let max = row().fold(0.0f32, |m, w| m.max(w.abs()));
            let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
            out.extend_from_slice(&scale.to_le_bytes());
            for w in row() {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let bad = |what: &str| ModelError(format!("the crisis model file is not valid: {what}"));
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], ModelError> {
            let s = bytes
                .get(at..at + n)
                .ok_or_else(|| bad("it is cut short"))?;
            at += n;
            Ok(s)
        };
        let f32_at = |s: &[u8]| f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        if take(8)? != MAGIC {
            return Err(bad("it does not start as a Hearth model"));
        }
        let b = take(4)?;
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if n > 1 << 24 {
            return Err(bad("its size is out of range"));
        }
        let mut thresholds = [0.0; HEADS];
        for t in &mut thresholds {
            *t = f32_at(take(4)?);
        }
        let mut bias = [0.0; HEADS];
        for b in &mut bias {
            *b = f32_at(take(4)?);
        }
        let data_hash = std::str::from_utf8(take(64)?)
            .map_err(|_| bad("its data hash is not text"))?
            .to_owned();
        let keys: Vec<u64> = take(8 * n)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        if !keys.windows(2).all(|w| w[0] < w[1]) {
            return Err(bad("its features are not in order"));
        }
        let mut weights = vec![0.0f32; HEADS * n];
        for h in 0..HEADS {
            let scale = f32_at(take(4)?);
            let row = take(2 * n)?;
            for (i, c) in row.chunks_exact(2).enumerate() {
                weights[i * HEADS + h] = f32::from(i16::from_le_bytes([c[0], c[1]])) * scale;
            }
        }
        if at != bytes.len() {
            return Err(bad("it has bytes past its end"));
        }
        if !weights
            .iter()
            .chain(&bias)
            .chain(&thresholds)
            .all(|w| w.is_finite())
        {
            return Err(bad("it holds a weight that is not a number"));
        }
        Ok(Model {
            keys,
            weights,
            bias,
            thresholds,
            data_hash,
        })
    }
}
