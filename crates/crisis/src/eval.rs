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
    let mut confusion = [[0usize; 4]; 4];
    let mut mistakes = Vec::new();
    for (row, truth) in rows {
        let got = detector.assess(&row.text).level;
        confusion[idx(*truth)][idx(got)] += 1;
        if got != *truth {
            mistakes.push((row.id.clone(), *truth, got));
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
