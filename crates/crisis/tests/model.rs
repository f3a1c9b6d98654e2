//! The shipped model against the data it was trained on, and training's
//! promise: the same data gives the same bytes.

use std::path::{Path, PathBuf};

use crisis::eval::{TRAINING_FILES, data_hash, examples, parse_rows};
use crisis::train::{Settings, fit};
use crisis::{Category, Detector, Level, Model, SHIPPED_MODEL};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The training files' bytes, or `None` where `../shared/data` is absent
/// (a fresh clone elsewhere). CI always has it, so there a missing file
/// fails instead.
fn training_files() -> Option<Vec<(&'static str, Vec<u8>)>> {
    let mut files = Vec::new();
    for name in TRAINING_FILES {
        let path = root().join(name);
        match std::fs::read(&path) {
            Ok(bytes) => files.push((*name, bytes)),
            Err(e) => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI must have the training data: {}: {e}",
                    path.display()
                );
                eprintln!(
                    "SKIPPED: {} is not here ({e}); the model's data hash was not checked",
                    path.display()
                );
                return None;
            }
        }
    }
    Some(files)
}

#[test]
fn shipped_model_was_trained_on_this_data() {
    let model = Model::from_bytes(SHIPPED_MODEL);
    assert!(model.is_ok(), "{model:?}");
    let Some(files) = training_files() else {
        return;
    };
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let hash = data_hash(&named);
    let shipped = model.map(|m| m.data_hash).unwrap_or_default();
    assert_eq!(
        shipped, hash,
        "the labelled data or the rules changed since the model was trained: run `cargo run --release -- crisis train` and commit crates/crisis/data/model.bin"
    );
}

#[test]
fn the_same_data_gives_the_same_bytes() {
    let rules = match Detector::shipped_rules() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let rows = parse_rows("variants.jsonl", include_str!("data/variants.jsonl"));
    let rows = match rows {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let settings = Settings {
        epochs: 3,
        ..Settings::default()
    };
    let ex = examples(&rules, &rows);
    let a = fit(&ex, &settings).to_bytes();
    let b = fit(&ex, &settings).to_bytes();
    assert!(a == b, "two trainings on the same rows differ");
    let other = Settings {
        seed: settings.seed + 1,
        ..settings.clone()
    };
    assert!(fit(&ex, &other).to_bytes() != a, "the seed is not used");
    let read = Model::from_bytes(&a);
    assert!(read.is_ok(), "{read:?}");
    assert_eq!(read.map(|m| m.to_bytes()).unwrap_or_default(), a);
}

#[test]
fn a_broken_model_file_is_refused() {
    for bytes in [
        &b""[..],
        &b"HEARTHM1"[..],
        &SHIPPED_MODEL[..SHIPPED_MODEL.len() / 2],
        &[SHIPPED_MODEL, b"x"].concat()[..],
    ] {
        assert!(Model::from_bytes(bytes).is_err(), "{} bytes", bytes.len());
    }
}

#[test]
fn the_model_reads_what_no_rule_names() {
    let d = match Detector::shipped() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    // The model's evidence names the words that weighed most.
    let a = d.assess("gave my dog to my sister today. the letters are on the table. everything is arranged for friday");
    assert_eq!(a.level, Level::Imminent, "{a:?}");
    assert!(
        a.evidence.iter().any(|e| !e.words.is_empty()),
        "{:?}",
        a.evidence
    );
}

/// The fuzzer's find (T7): the model's evidence quotes several phrases,
/// each of them from the text, never words the writer did not write.
#[test]
fn the_model_quotes_only_the_writers_words() {
    let d = shipped();
    for text in [
        "I wenes i think about komorrow. I've goo a gun.",
        "gave my dog to my sister today. the letters are on the table. everything is arranged for friday",
    ] {
        let a = d.assess(text);
        let model = a.evidence.iter().find(|e| e.category == Category::Model);
        let Some(model) = model else {
            panic!("the model gave no evidence for {text:?}: {a:?}")
        };
        for phrase in model.words.split(crisis::PHRASE_SEPARATOR) {
            assert!(
                text.contains(phrase.trim_end_matches('…')) || phrase.contains(" … "),
                "{phrase:?} is not in {text:?}"
            );
        }
    }
}

fn shipped() -> Detector {
    match Detector::shipped() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

/// Ordinary community messages written for this check and never trained
/// on: the model must not turn everyday life into alerts.
#[test]
fn ordinary_messages_raise_no_alerts() {
    assert!(
        !TRAINING_FILES.iter().any(|f| f.contains("holdout")),
        "the held-out file must stay out of training"
    );
    let d = shipped();
    let rows = match parse_rows(
        "ordinary_holdout.jsonl",
        include_str!("data/ordinary_holdout.jsonl"),
    ) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert!(rows.len() >= 50);
    let risky: Vec<(&str, Level)> = rows
        .iter()
        .map(|(r, _)| (r.text.as_str(), d.assess(&r.text).level))
        .filter(|(_, l)| l.is_risk())
        .collect();
    eprintln!(
        "held-out ordinary messages read as risk: {} of {}",
        risky.len(),
        rows.len()
    );
    assert!(risky.len() <= 1, "{risky:?}");
}

/// The false alarms and the miss a new user found (issue 15).
#[test]
fn hyperbole_is_not_risk_and_a_wish_for_the_pain_to_stop_is_distress() {
    let d = shipped();
    for text in [
        "if I have to sit through one more meeting I will kill myself lol",
        "me quiero morir de verguenza jaja",
    ] {
        assert_eq!(d.assess(text).level, Level::None, "{text}");
    }
    let a = d.assess("I do not want to die, I want the pain to stop");
    assert_eq!(a.level, Level::Distress, "{a:?}");
    assert!(
        a.evidence
            .iter()
            .any(|e| e.rule.as_ref() == "en.pain_to_stop"),
        "{a:?}"
    );
}

/// Read with the writer's earlier lines, "tonight" after despair is a
/// time chosen; the same word after ordinary chat is not raised.
#[test]
fn context_raises_a_time_after_despair() {
    let d = shipped();
    let despair = [
        "i can't do this anymore",
        "nothing is ever going to get better and everyone would be better off without me",
    ];
    let line = "tonight";
    let alone = d.assess(line);
    assert!(alone.level < Level::Imminent, "{alone:?}");
    let after = d.assess_in_context(line, &despair);
    assert_eq!(after.level, Level::Imminent, "{after:?}");
    assert!(
        after
            .evidence
            .iter()
            .any(|e| e.rule.as_ref() == "context.recent_lines"),
        "{after:?}"
    );
    let chat = ["anyone watching the game tonight?", "pizza is here"];
    let plain = d.assess_in_context(line, &chat);
    assert_eq!(plain.level, alone.level, "{plain:?}");
}

/// Stratified 5-fold cross-validation over all the labelled data: the
/// floor under what `hearth crisis eval --cv` reports in
/// docs/benchmarks.md, so that a change that loses recall fails here.
#[test]
fn cross_validated_figures_hold() {
    let Some(files) = training_files() else {
        return;
    };
    let mut rows = Vec::new();
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        match parse_rows(name, &text) {
            Ok(r) => rows.extend(r),
            Err(e) => panic!("{e}"),
        }
    }
    let rules = match Detector::shipped_rules() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let cv = crisis::eval::cross_validate(&rules, &rows, 5, &Settings::default());
    eprintln!("{cv}");
    let r = &cv.overall;
    assert!(r.any_risk.recall >= 0.93, "{r}");
    assert!(r.any_risk.precision >= 0.79, "{r}");
    assert!(r.scores(Level::Imminent).recall >= 0.84, "{r}");
    assert!(r.imminent_as_none() <= 6, "{r}");
}
