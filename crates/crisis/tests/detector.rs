//! The detector against labelled sets, under metamorphic transforms, and
//! on hostile input.

use std::path::Path;

use crisis::eval::{Labelled, Report, evaluate, parse_label};
use crisis::{Detector, Effect, Level};
use proptest::prelude::*;

fn detector() -> Detector {
    match Detector::shipped() {
        Ok(d) => d,
        Err(e) => panic!("the shipped rules do not load: {e}"),
    }
}

fn load(path: &Path) -> Vec<(Labelled, Level)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let row: Labelled = match serde_json::from_str(l) {
                Ok(r) => r,
                Err(e) => panic!("bad row {l}: {e}"),
            };
            let level = parse_label(&row.label).unwrap_or_else(|| panic!("label {}", row.label));
            (row, level)
        })
        .collect()
}

fn recall(report: &Report, level: Level) -> f64 {
    report
        .per_label
        .iter()
        .find(|(l, _)| *l == level)
        .map_or(0.0, |(_, s)| s.recall)
}

/// A file of `../shared/data`, or `None` (said plainly) where it is not
/// here, as on a fresh clone elsewhere. CI (which sets `CI`) always has
/// it: there a missing file fails the test instead.
fn shared(name: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have {}",
        path.display()
    );
    eprintln!("SKIPPED: {} is not here", path.display());
    None
}

/// The development set shared with the project (../shared/data). The
/// targets from the issue: imminent recall ≥ 0.90; any risk recall ≥ 0.95
/// with precision ≥ 0.85.
#[test]
fn development_set_meets_the_targets() {
    let Some(path) = shared("crisis_dev.jsonl") else {
        return;
    };
    let rows = load(&path);
    assert!(
        rows.len() >= 200,
        "the development set has {} rows",
        rows.len()
    );
    let report = evaluate(&detector(), &rows);
    println!("{report}");
    assert!(recall(&report, Level::Imminent) >= 0.90, "{report}");
    assert!(report.any_risk.recall >= 0.95, "{report}");
    assert!(report.any_risk.precision >= 0.85, "{report}");
}

/// Hearth's own variants: phrasings and hard negatives written apart from
/// the development set, to catch rules that only fit its sentences.
#[test]
fn variants_set_holds() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/variants.jsonl");
    let rows = load(&path);
    let report = evaluate(&detector(), &rows);
    println!("{report}");
    assert!(recall(&report, Level::Imminent) >= 0.90, "{report}");
    assert!(report.any_risk.recall >= 0.95, "{report}");
    assert!(report.any_risk.precision >= 0.90, "{report}");
}

#[test]
fn evidence_says_why() {
    let d = detector();
    let a = d.assess("I'm not suicidal, just tired of my commute.");
    assert_eq!(a.level, Level::None);
    assert!(
        a.evidence
            .iter()
            .any(|e| e.effect == Effect::Negated && e.words == "suicidal"),
        "{a:?}"
    );

    let a = d.assess("kms tmrw morning. everything's ready");
    assert_eq!(a.level, Level::Imminent);
    let counted: Vec<&str> = a
        .evidence
        .iter()
        .filter(|e| e.effect == Effect::Counted)
        .map(|e| e.words.as_str())
        .collect();
    assert!(counted.contains(&"kms"), "{counted:?}");
    assert!(counted.contains(&"tmrw"), "{counted:?}");
    assert!(a.score >= 0.85 && a.score <= 1.0, "{a:?}");

    let a = d.assess("My brother attempted suicide last spring.");
    assert_eq!(a.level, Level::None);
    assert!(
        a.evidence.iter().any(|e| e.effect == Effect::SomeoneElse),
        "{a:?}"
    );

    let a = d.assess("this commute is killing me and I'd die for tacos");
    assert_eq!(a.level, Level::None, "{a:?}");

    let a = d.assess("Two years ago I wanted to die. Today I'm grateful.");
    assert_eq!(a.level, Level::None, "{a:?}");
}

#[test]
fn one_risky_sentence_in_a_long_post_is_found() {
    let filler =
        "We went to the farmers market and bought tomatoes, then walked the dog around the lake. ";
    let mut post = filler.repeat(40);
    post.push_str("Honestly I don't want to be alive anymore. ");
    post.push_str(&filler.repeat(40));
    assert_eq!(detector().assess(&post).level, Level::Ideation);
}

// ------------------------------------------------------- metamorphic (T7)

/// Phrases that must be read as risk however they are typed: the risk
/// rows of the development set and of the variants, and these.
const SEEDS: &[&str] = &[
    "I want to kill myself",
    "i wanna die",
    "thinking about suicide every day",
    "I don't want to live anymore",
    "everyone would be better off without me",
    "I've been cutting myself again",
    "I have the rope and tonight is the night",
    "I took the whole bottle of pills",
    "I'm going to end my life tomorrow",
    "unalive thoughts all week",
    "kms",
    "ctb tonight",
    "sewerslide is all I think about",
    "I wish I was dead",
    "me quiero morir",
    "quiero quitarme la vida",
    "tengo ganas de cortarme",
    "esta noche me voy a matar",
    "I feel suicidal",
    "I just want to stop existing",
];

fn seeds() -> Vec<String> {
    let mut out: Vec<String> = SEEDS.iter().map(|s| (*s).to_owned()).collect();
    for file in [
        shared("crisis_dev.jsonl"),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/variants.jsonl")),
    ]
    .into_iter()
    .flatten()
    {
        if file.exists() {
            out.extend(
                load(&file)
                    .into_iter()
                    .filter(|(_, l)| l.is_risk())
                    .map(|(r, _)| r.text),
            );
        }
    }
    out
}

fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn cyrillic(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'c' => 'с',
            _ => c,
        })
        .collect()
}

fn alternate_case(s: &str) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        })
        .collect()
}

/// Ten ways of typing the same words.
fn transforms(s: &str) -> Vec<(&'static str, String)> {
    vec![
        ("upper case", s.to_uppercase()),
        ("lower case", s.to_lowercase()),
        ("alternating case", alternate_case(s)),
        ("double spaces", s.replace(' ', "  ")),
        (
            "zero-width spaces",
            s.replace(' ', " \u{200B}").replace("e", "e\u{200B}"),
        ),
        ("fullwidth letters", fullwidth(s)),
        ("look-alike letters", cyrillic(s)),
        ("punctuation", format!("{s}!!! ...")),
        (
            "surrounding text",
            format!("Hi everyone, long week at work. {s} Anyway, thanks for reading."),
        ),
        ("line breaks", s.replace(". ", ".\n\n")),
    ]
}

/// The risky rows of the shared corpus and of Hearth's written rows that
/// the detector reads as risk (its misses are counted by the
/// cross-validation, not here): every way of typing them keeps them risk.
#[test]
fn risk_in_the_new_rows_survives_ten_transforms() {
    let d = detector();
    let mut rows = Vec::new();
    for file in [
        shared("crisis_train.jsonl"),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/written.jsonl")),
    ]
    .into_iter()
    .flatten()
    {
        rows.extend(
            load(&file)
                .into_iter()
                .filter(|(_, l)| l.is_risk())
                .map(|(r, _)| r.text),
        );
    }
    let mut checked = 0;
    let mut lost = Vec::new();
    let mut moved = 0;
    for seed in &rows {
        let base = d.assess(seed).level;
        if !base.is_risk() {
            continue;
        }
        for (name, text) in transforms(seed) {
            checked += 1;
            let got = d.assess(&text).level;
            if !got.is_risk() {
                lost.push(format!("{name}: {text:?} gave {}", got.as_str()));
            } else if got != base {
                moved += 1;
            }
        }
    }
    println!(
        "metamorphic, new rows: {} of {checked} stayed risk ({moved} moved between ideation and imminent)",
        checked - lost.len()
    );
    assert!(lost.is_empty(), "{} lost:\n{}", lost.len(), lost.join("\n"));
}

#[test]
fn risk_survives_ten_transforms() {
    let d = detector();
    let seeds = seeds();
    let mut checked = 0;
    let mut missed = Vec::new();
    for seed in &seeds {
        let base = d.assess(seed).level;
        assert!(base.is_risk(), "seed not detected: {seed}");
        for (name, text) in transforms(seed) {
            checked += 1;
            let got = d.assess(&text).level;
            if got != base {
                missed.push(format!(
                    "{name}: {text:?} gave {} not {}",
                    got.as_str(),
                    base.as_str()
                ));
            }
        }
    }
    println!(
        "metamorphic: {} of {checked} kept their level",
        checked - missed.len()
    );
    assert!(
        missed.is_empty(),
        "{} changed:\n{}",
        missed.len(),
        missed.join("\n")
    );
    assert!(checked >= 1500, "only {checked} checks");
}

// ---------------------------------------------------------- bad input (T7)

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_gets_an_answer(text in any::<String>()) {
        let a = detector().assess(&text);
        prop_assert!((0.0..=1.0).contains(&a.score));
        prop_assert!(a.evidence.len() <= crisis::MAX_EVIDENCE);
    }

    #[test]
    fn risk_words_amid_noise_get_an_answer(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("kill myself".to_owned()), Just("not".to_owned()), Just("'".to_owned()),
                Just("\"".to_owned()), Just(". ".to_owned()), Just("tonight".to_owned()),
                Just("my brother".to_owned()), Just("🔫".to_owned()), Just("..".to_owned()),
                "[a-z]{1,8}", "\\PC{1,4}",
            ],
            0..200,
        )
    ) {
        let text = parts.join(" ");
        let a = detector().assess(&text);
        prop_assert!((0.0..=1.0).contains(&a.score));
    }
}

/// Hostile shapes at 64 KiB: every one gets an answer. (Their time is in
/// the benchmark; see docs/benchmarks.md.)
#[test]
fn large_hostile_inputs_get_an_answer() {
    let d = detector();
    let k64 = 64 * 1024;
    let shapes: Vec<String> = vec![
        "kill myself tonight ".repeat(k64 / 20),
        "'a ".repeat(k64 / 3),
        "\"".repeat(k64),
        "a".repeat(k64),
        "no no no no want to die ".repeat(k64 / 24),
        ". ".repeat(k64 / 2),
        "🔫".repeat(k64 / 4),
        "\u{200B}".repeat(k64 / 3),
        String::from_utf8_lossy(&(0..k64).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>())
            .into_owned(),
    ];
    for s in &shapes {
        let a = d.assess(s);
        assert!((0.0..=1.0).contains(&a.score));
    }
    assert_eq!(d.assess("").level, Level::None);
}

#[test]
fn words_are_read_the_way_the_detector_reads_them() {
    let d = detector();
    assert_eq!(d.words("B4DW0RD, b a d!"), vec!["badword", "b", "a", "d"]);
    assert_eq!(d.words("Ｓｐａｍ"), d.words("spam"));
    assert_eq!(d.words("sp\u{200B}am"), d.words("spam"));
    assert!(d.words("").is_empty());
}
