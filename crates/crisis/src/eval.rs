//! Evaluation against a labelled set: per-label precision, recall and F1,
//! the "any risk" figures, and the confusion matrix.

use serde::Deserialize;

use crate::{Detector, Level};

#[derive(Debug, Deserialize)]
pub struct Labelled {
    pub id: String,
    pub text: String,
    pub label: String,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub context: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

#[derive(Debug)]
pub struct Report {
    /// confusion[truth][predicted], indexed like `Level::ALL`.
    pub confusion: [[usize; 4]; 4],
    pub per_label: Vec<(Level, Scores)>,
    pub any_risk: Scores,
    /// (id, truth, predicted) of every mistake.
    pub mistakes: Vec<(String, Level, Level)>,
}

impl Report {
    /// Imminent messages read as no risk at all.
    pub fn imminent_as_none(&self) -> usize {
        self.confusion[idx(Level::Imminent)][idx(Level::None)]
    }

    pub fn scores(&self, level: Level) -> Scores {
        self.per_label
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, s)| *s)
            .unwrap_or_default()
    }
}

fn idx(l: Level) -> usize {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(3)
}

/// Labels as the development set writes them ("safe" is `none`).
pub fn parse_label(s: &str) -> Option<Level> {
    match s {
        "safe" => Some(Level::None),
        other => Level::parse(other),
    }
}

fn scores(tp: usize, fp: usize, fn_: usize) -> Scores {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        precision,
        recall,
        f1,
        support: tp + fn_,
    }
}

pub fn evaluate(detector: &Detector, rows: &[(Labelled, Level)]) -> Report {
    let outcomes: Vec<(String, Level, Level)> = rows
        .iter()
        .map(|(row, truth)| (row.id.clone(), *truth, detector.assess(&row.text).level))
        .collect();
    report(&outcomes)
}

/// The report for (id, truth, predicted) outcomes.
pub fn report(outcomes: &[(String, Level, Level)]) -> Report {
    let mut confusion = [[0usize; 4]; 4];
    let mut mistakes = Vec::new();
    for (id, truth, got) in outcomes {
        confusion[idx(*truth)][idx(*got)] += 1;
        if got != truth {
            mistakes.push((id.clone(), *truth, *got));
        }
    }
    let per_label = Level::ALL
        .iter()
        .map(|&l| {
            let i = idx(l);
            let tp = confusion[i][i];
            let fp: usize = (0..4).filter(|&t| t != i).map(|t| confusion[t][i]).sum();
            let fn_: usize = (0..4).filter(|&p| p != i).map(|p| confusion[i][p]).sum();
            (l, scores(tp, fp, fn_))
        })
        .collect();
    let risk = |l: Level| l.is_risk();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (t, row) in confusion.iter().enumerate() {
        for (p, &n) in row.iter().enumerate() {
            match (risk(Level::ALL[t]), risk(Level::ALL[p])) {
                (true, true) => tp += n,
                (false, true) => fp += n,
                (true, false) => fn_ += n,
                _ => {}
            }
        }
    }
    Report {
        confusion,
        per_label,
        any_risk: scores(tp, fp, fn_),
        mistakes,
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<12} {:>9} {:>7} {:>7} {:>8}",
            "label", "precision", "recall", "f1", "support"
        )?;
        for (l, s) in &self.per_label {
            writeln!(
                f,
                "{:<12} {:>9.3} {:>7.3} {:>7.3} {:>8}",
                l.as_str(),
                s.precision,
                s.recall,
                s.f1,
                s.support
            )?;
        }
        let s = self.any_risk;
        writeln!(
            f,
            "{:<12} {:>9.3} {:>7.3} {:>7.3} {:>8}",
            "any risk", s.precision, s.recall, s.f1, s.support
        )?;
        writeln!(f)?;
        writeln!(f, "confusion (rows: truth, columns: predicted)")?;
        write!(f, "{:<12}", "")?;
        for l in Level::ALL {
            write!(f, " {:>9}", l.as_str())?;
        }
        writeln!(f)?;
        for (t, row) in self.confusion.iter().enumerate() {
            write!(f, "{:<12}", Level::ALL[t].as_str())?;
            for n in row {
                write!(f, " {n:>9}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Cross-validated figures: overall, by language and by context.
#[derive(Debug)]
pub struct CrossValidation {
    pub folds: usize,
    pub overall: Report,
    pub by_language: Vec<(String, Report)>,
    pub by_context: Vec<(String, Report)>,
}

/// Stratified k-fold cross-validation of the rules with a model trained
/// on the other folds: each row is scored by a model that never saw it,
/// whose thresholds were chosen without it too.
pub fn cross_validate(
    rules: &Detector,
    rows: &[(Labelled, Level)],
    k: usize,
    settings: &crate::train::Settings,
) -> CrossValidation {
    let examples = examples(rules, rows);
    let strata: Vec<&str> = examples.iter().map(|e| e.stratum.as_str()).collect();
    let fold = crate::train::folds(&strata, k, settings.seed);
    let mut outcomes = vec![(String::new(), Level::None, Level::None); rows.len()];
    for f in 0..k {
        let train: Vec<crate::train::Example> = examples
            .iter()
            .zip(&fold)
            .filter(|(_, g)| **g != f)
            .map(|(e, _)| e.clone())
            .collect();
        let model = crate::train::fit(&train, settings);
        for (i, (row, truth)) in rows.iter().enumerate() {
            if fold[i] == f {
                let got = rules.assess_with(&row.text, Some(&model)).level;
                outcomes[i] = (row.id.clone(), *truth, got);
            }
        }
    }
    let subset = |key: &dyn Fn(&Labelled) -> String| {
        let mut keys: Vec<String> = rows.iter().map(|(r, _)| key(r)).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let part: Vec<(String, Level, Level)> = rows
                    .iter()
                    .zip(&outcomes)
                    .filter(|((r, _), _)| key(r) == k)
                    .map(|(_, o)| o.clone())
                    .collect();
                (k, report(&part))
            })
            .collect()
    };
    let unknown = || "unknown".to_owned();
    CrossValidation {
        folds: k,
        by_language: subset(&|r| r.lang.clone().unwrap_or_else(unknown)),
        by_context: subset(&|r| r.context.clone().unwrap_or_else(unknown)),
        overall: report(&outcomes),
    }
}

/// Labelled rows as training examples.
pub fn examples(rules: &Detector, rows: &[(Labelled, Level)]) -> Vec<crate::train::Example> {
    rows.iter()
        .map(|(row, level)| {
            let (features, sentences) = rules.features(&row.text);
            crate::train::Example {
                features,
                sentences,
                level: *level,
                stratum: format!(
                    "{}/{}/{}",
                    level.as_str(),
                    row.lang.as_deref().unwrap_or("?"),
                    row.context.as_deref().unwrap_or("?")
                ),
            }
        })
        .collect()
}

impl std::fmt::Display for CrossValidation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}-fold stratified cross-validation: rules and a model trained on the other folds",
            self.folds
        )?;
        writeln!(f)?;
        write!(f, "{}", self.overall)?;
        writeln!(
            f,
            "imminent read as none: {}",
            self.overall.imminent_as_none()
        )?;
        for (title, parts) in [
            ("language", &self.by_language),
            ("context", &self.by_context),
        ] {
            for (name, r) in parts {
                writeln!(f)?;
                writeln!(f, "{title}: {name}")?;
                write!(f, "{r}")?;
                writeln!(f, "imminent read as none: {}", r.imminent_as_none())?;
            }
        }
        Ok(())
    }
}

/// The labelled data the shipped model is trained on, relative to the
/// repository's root, in this order:
/// the shared corpus and development set, then Hearth's own rows.
pub const TRAINING_FILES: &[&str] = &[
    "../shared/data/crisis_train.jsonl",
    "../shared/data/crisis_dev.jsonl",
    "crates/crisis/tests/data/variants.jsonl",
    "crates/crisis/tests/data/written.jsonl",
    "crates/crisis/tests/data/ordinary.jsonl",
];

/// Rows from JSON lines; every row's label must be one of the four.
pub fn parse_rows(name: &str, text: &str) -> Result<Vec<(Labelled, Level)>, String> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Labelled =
            serde_json::from_str(line).map_err(|e| format!("{name}:{}: {e}", n + 1))?;
        let level = parse_label(&row.label)
            .ok_or_else(|| format!("{name}:{}: unknown label {:?}", n + 1, row.label))?;
        rows.push((row, level));
    }
    Ok(rows)
}

/// SHA-256 (hex) of what the model is trained from: each training file's
/// name and bytes, then the shipped rule files (the rules' reading is part
/// of every example, so changed rules need a new model too).
pub fn data_hash(files: &[(&str, &[u8])]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let rules = crate::SHIPPED.iter().map(|(n, t)| (*n, t.as_bytes()));
    for (name, bytes) in files.iter().copied().chain(rules) {
        let base = name.rsplit('/').next().unwrap_or(name);
        h.update((base.len() as u64).to_le_bytes());
        h.update(base.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
