//! `hearth crisis classify` and `hearth crisis eval`: the detector from
//! the command line, without a database or a server.

use std::io::{BufRead, Write};
use std::path::Path;

use crisis::Detector;
use crisis::eval::{Labelled, evaluate, parse_label};
use serde::{Deserialize, Serialize};

/// Longest input line read, in bytes; longer lines are answered with an
/// error and skipped, so one bad line never stops the rest.
const MAX_LINE: usize = 1 << 20;

/// One input line. A `lang` field is accepted and not needed: every
/// language's rules run on every text, because people mix languages.
#[derive(Deserialize)]
struct Input {
    id: serde_json::Value,
    text: String,
}

#[derive(Serialize)]
struct Output<'a> {
    id: &'a serde_json::Value,
    level: crisis::Level,
    score: f32,
    evidence: &'a [crisis::Evidence],
}

#[derive(Serialize)]
struct LineError<'a> {
    line: usize,
    id: Option<&'a serde_json::Value>,
    error: String,
}

/// Classify JSON lines from `input` onto `output`. A line that is not
/// valid input gets an `error` line naming it; the rest go on. Returns how
/// many lines were refused.
pub fn classify(
    detector: &Detector,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<usize> {
    let mut refused = 0;
    for (n, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let number = n + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed: Result<Input, String> = if line.len() > MAX_LINE {
            Err(format!("the line is longer than {MAX_LINE} bytes"))
        } else {
            serde_json::from_slice(&line).map_err(|e| e.to_string())
        };
        match parsed {
            Ok(input) => {
                let a = detector.assess(&input.text);
                serde_json::to_writer(
                    &mut output,
                    &Output {
                        id: &input.id,
                        level: a.level,
                        score: a.score,
                        evidence: &a.evidence,
                    },
                )?;
            }
            Err(error) => {
                refused += 1;
                let id = serde_json::from_slice::<serde_json::Value>(&line).ok();
                serde_json::to_writer(
                    &mut output,
                    &LineError {
                        line: number,
                        id: id.as_ref().and_then(|v| v.get("id")),
                        error,
                    },
                )?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(refused)
}

/// The evaluation report for a labelled file, as text.
pub fn eval(detector: &Detector, file: &Path, mistakes: bool) -> Result<String, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Labelled = serde_json::from_str(line)
            .map_err(|e| format!("{} line {}: {e}", file.display(), n + 1))?;
        let label = parse_label(&row.label).ok_or_else(|| {
            format!(
                "{} line {}: unknown label {:?} (imminent, ideation, distress or safe)",
                file.display(),
                n + 1,
                row.label
            )
        })?;
        rows.push((row, label));
    }
    if rows.is_empty() {
        return Err(format!("{} has no labelled rows", file.display()));
    }
    let report = evaluate(detector, &rows);
    let mut out = String::new();
    if mistakes {
        for (id, truth, got) in &report.mistakes {
            let Some((row, _)) = rows.iter().find(|(r, _)| &r.id == id) else {
                continue;
            };
            out.push_str(&format!(
                "{id}: labelled {}, assessed {}: {}\n",
                truth.as_str(),
                got.as_str(),
                row.text
            ));
            for e in detector.assess(&row.text).evidence {
                out.push_str(&format!(
                    "    {:?} {} {:?} ({})\n",
                    e.effect,
                    e.rule,
                    e.words,
                    e.category.as_str()
                ));
            }
        }
        out.push('\n');
    }
    out.push_str(&format!("{} rows\n\n{report}", rows.len()));
    Ok(out)
}

/// Every labelled row the model learns from, and the hash of those files.
fn training_rows(root: &Path) -> Result<(Vec<(Labelled, crisis::Level)>, String), String> {
    let mut files = Vec::new();
    for name in crisis::eval::TRAINING_FILES {
        let path = root.join(name);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push((*name, bytes));
    }
    let mut rows = Vec::new();
    for (name, bytes) in &files {
        let text = std::str::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8"))?;
        rows.extend(crisis::eval::parse_rows(name, text)?);
    }
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    Ok((rows, crisis::eval::data_hash(&named)))
}

/// `hearth crisis eval --cv`.
pub fn cross_validate(rules: &Detector, root: &Path, folds: usize) -> Result<String, String> {
    let (rows, _) = training_rows(root)?;
    let settings = crisis::train::Settings::default();
    let cv = crisis::eval::cross_validate(rules, &rows, folds, &settings);
    Ok(format!("{} rows\n\n{cv}", rows.len()))
}

/// `hearth crisis train`: write the model, or with `check` compare.
pub fn train(rules: &Detector, root: &Path, out: &Path, check: bool) -> Result<String, String> {
    let (rows, hash) = training_rows(root)?;
    let settings = crisis::train::Settings::default();
    let examples = crisis::eval::examples(rules, &rows);
    let mut model = crisis::train::fit(&examples, &settings);
    model.data_hash = hash;
    let bytes = model.to_bytes();
    let summary = format!(
        "{} rows, data {}, thresholds distress {:.3}, risk {:.3}, imminent {:.3}\n",
        rows.len(),
        model.data_hash,
        model.thresholds[0],
        model.thresholds[1],
        model.thresholds[2]
    );
    if check {
        let current =
            std::fs::read(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        if current != bytes {
            return Err(format!(
                "{} is not what training on this data gives; run hearth crisis train",
                out.display()
            ));
        }
        return Ok(format!("{summary}{} matches\n", out.display()));
    }
    std::fs::write(out, &bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(format!(
        "{summary}wrote {} ({} bytes)\n",
        out.display(),
        bytes.len()
    ))
}
