//! Training the learned model, reproducibly: the same rows and the same
//! settings give the same bytes (one thread, a seeded shuffle, no clock).
//!
//! Each head is a logistic regression fitted by AdaGrad with L2
//! regularisation. The thresholds come from out-of-fold predictions on the
//! training rows only: the rows are cut into `inner_folds`, a model is
//! trained on all folds but one and predicts that one, and each head's
//! threshold is the highest that still finds `recall` of its positives
//! among those predictions. Evaluation (`eval::cross_validate`) calls
//! `fit` on four fifths of the data, so its figures never see the rows
//! they score, not even to choose a threshold.

use crate::Level;
use crate::model::{Feature, HEAD_LEVELS, HEADS, Model};

#[derive(Debug, Clone)]
pub struct Settings {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
    pub inner_folds: usize,
    /// Share of each head's positives its threshold must find, on the
    /// out-of-fold predictions: distress, any risk, imminent.
    pub recall: [f32; HEADS],
    /// How far past an empty text's probability each head must be.
    pub prior_margin: [f32; HEADS],
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: 12,
            learning_rate: 0.4,
            l2: 1e-3,
            seed: 0x4845_4152_5448,
            inner_folds: 4,
            recall: [0.97, 0.95, 0.95],
            prior_margin: [0.01, 0.01, 0.01],
        }
    }
}

/// One labelled text, as features.
#[derive(Debug, Clone)]
pub struct Example {
    /// The whole text's features (what the model learns from).
    pub features: Vec<Feature>,
    /// Each sentence's by its words alone, where there are several: the
    /// model also reads sentences alone, so thresholds are chosen with
    /// those readings too.
    pub sentences: Vec<Vec<Feature>>,
    pub level: Level,
    /// For stratified folds: label, language and context together.
    pub stratum: String,
}

/// A small, fast, seeded generator (SplitMix64): the same seed gives the
/// same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Fold numbers for `examples`, stratified: within each stratum (in the
/// order strata first appear) the rows are shuffled and dealt round-robin,
/// carrying on from where the previous stratum stopped.
pub fn folds(strata: &[&str], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    let mut order: Vec<&str> = Vec::new();
    for s in strata {
        if !order.contains(s) {
            order.push(s);
        }
    }
    let mut fold = vec![0; strata.len()];
    let mut next = 0;
    for s in order {
        let mut rows: Vec<usize> = (0..strata.len()).filter(|&i| strata[i] == s).collect();
        rng.shuffle(&mut rows);
        for i in rows {
            fold[i] = next % k;
            next += 1;
        }
    }
    fold
}

/// Whether `level` is a positive for head `h`.
fn positive(level: Level, h: usize) -> bool {
    level >= HEAD_LEVELS[h]
}

/// Weights and biases fitted to `examples` (thresholds left at 0.5).
fn fit_weights(examples: &[&Example], s: &Settings) -> Model {
    // The features seen, sorted.
    let mut keys: Vec<u64> = examples
        .iter()
        .flat_map(|e| e.features.iter().map(|f| f.key))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let index: std::collections::HashMap<u64, usize> =
        keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
    let rows: Vec<Vec<(usize, f32)>> = examples
        .iter()
        .map(|e| {
            e.features
                .iter()
                .filter_map(|f| index.get(&f.key).map(|&i| (i, f.value)))
                .collect()
        })
        .collect();
    let n = keys.len();
    let mut weights = vec![0.0f32; HEADS * n];
    let mut squares = vec![1e-8f32; HEADS * n];
    let mut bias = [0.0f32; HEADS];
    let mut bias_squares = [1e-8f32; HEADS];
    // Start each bias at the log-odds of its head.
    for (h, b) in bias.iter_mut().enumerate() {
        let pos = examples.iter().filter(|e| positive(e.level, h)).count() as f32;
        let p = (pos + 1.0) / (examples.len() as f32 + 2.0);
        *b = (p / (1.0 - p)).ln();
    }
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng::new(s.seed);
    for _ in 0..s.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (e, row) = (examples[i], &rows[i]);
            for h in 0..HEADS {
                let z: f32 = row
                    .iter()
                    .map(|&(k, v)| weights[k * HEADS + h] * v)
                    .sum::<f32>()
                    + bias[h];
                let y = if positive(e.level, h) { 1.0 } else { 0.0 };
                let g = 1.0 / (1.0 + (-z).exp()) - y;
                for &(k, v) in row {
                    let at = k * HEADS + h;
                    let grad = g * v + s.l2 * weights[at];
                    squares[at] += grad * grad;
                    weights[at] -= s.learning_rate * grad / squares[at].sqrt();
                }
                bias_squares[h] += g * g;
                bias[h] -= s.learning_rate * g / bias_squares[h].sqrt();
            }
        }
    }
    Model {
        keys,
        weights,
        bias,
        thresholds: [0.5; HEADS],
        data_hash: String::new(),
    }
}

/// The highest threshold that still says yes to `recall` of the positives
/// (their probabilities in `scores`).
fn threshold_for_recall(mut scores: Vec<f32>, recall: f32) -> f32 {
    if scores.is_empty() {
        return 0.5;
    }
    scores.sort_by(|a, b| b.total_cmp(a));
    let need = ((scores.len() as f32 * recall).ceil() as usize).clamp(1, scores.len());
    scores[need - 1]
}

/// A model fitted to `examples`, with thresholds chosen on out-of-fold
/// predictions among those same examples.
pub fn fit(examples: &[Example], s: &Settings) -> Model {
    let strata: Vec<&str> = examples.iter().map(|e| e.stratum.as_str()).collect();
    let inner = folds(&strata, s.inner_folds, s.seed ^ 0x1f);
    let mut oof = vec![[0.0f32; HEADS]; examples.len()];
    for k in 0..s.inner_folds {
        let train: Vec<&Example> = examples
            .iter()
            .zip(&inner)
            .filter(|(_, f)| **f != k)
            .map(|(e, _)| e)
            .collect();
        let m = fit_weights(&train, s);
        for (i, e) in examples.iter().enumerate() {
            if inner[i] == k {
                let mut p = m.read(&e.features).robust;
                for part in &e.sentences {
                    let q = m.read(part).robust;
                    for (p, q) in p.iter_mut().zip(q) {
                        *p = p.max(q);
                    }
                }
                oof[i] = p;
            }
        }
    }
    let mut thresholds = [0.5; HEADS];
    for (h, t) in thresholds.iter_mut().enumerate() {
        let scores: Vec<f32> = examples
            .iter()
            .zip(&oof)
            .filter(|(e, _)| positive(e.level, h))
            .map(|(_, p)| p[h])
            .collect();
        *t = threshold_for_recall(scores, s.recall[h]);
    }
    let all: Vec<&Example> = examples.iter().collect();
    let mut model = fit_weights(&all, s);
    // A head must be pushed past what a text with no words at all gets:
    // the corpus holds far more risk than real traffic, and a threshold
    // under that prior would flag any message the model knows nothing of.
    let empty = crate::Assessment::default();
    let prior = model.probabilities(&crate::model::features(&[], &empty));
    for ((t, p), margin) in thresholds.iter_mut().zip(prior).zip(s.prior_margin) {
        *t = t.max(p + margin);
    }
    model.thresholds = thresholds;
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_finds_the_recall_asked_for() {
        let t = threshold_for_recall(vec![0.9, 0.1, 0.5, 0.7], 0.75);
        assert_eq!(t, 0.5);
        assert_eq!(threshold_for_recall(vec![0.9, 0.1], 1.0), 0.1);
        assert_eq!(threshold_for_recall(Vec::new(), 1.0), 0.5);
    }

    #[test]
    fn folds_are_stratified_and_seeded() {
        let strata: Vec<&str> = (0..100)
            .map(|i| if i % 4 == 0 { "a" } else { "b" })
            .collect();
        let f = folds(&strata, 5, 7);
        assert_eq!(f, folds(&strata, 5, 7));
        for k in 0..5 {
            let a = (0..100).filter(|&i| f[i] == k && strata[i] == "a").count();
            assert_eq!(a, 5, "fold {k}");
        }
    }
}
