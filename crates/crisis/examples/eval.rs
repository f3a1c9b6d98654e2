//! Evaluate the shipped rules on a labelled JSON-lines file and show each
//! mistake with its evidence: `cargo run -p hearth-crisis --example eval -- FILE`.
//! (Operators use `hearth crisis eval`, which prints the same report.)

use std::io::BufRead;

use crisis::Detector;
use crisis::eval::{Labelled, evaluate, parse_label};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/crisis_dev.jsonl".into());
    let detector = Detector::shipped()?;
    let mut rows = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let row: Labelled = serde_json::from_str(&line)?;
        let label = parse_label(&row.label).ok_or("unknown label")?;
        rows.push((row, label));
    }
    let report = evaluate(&detector, &rows);
    for (id, truth, got) in &report.mistakes {
        let Some((row, _)) = rows.iter().find(|(r, _)| &r.id == id) else {
            continue;
        };
        println!(
            "{id} truth={} got={}: {}",
            truth.as_str(),
            got.as_str(),
            row.text
        );
        for e in detector.assess(&row.text).evidence {
            println!(
                "    {:?} {} {:?} [{}]",
                e.effect,
                e.rule,
                e.words,
                e.category.as_str()
            );
        }
    }
    println!("\n{report}");
    Ok(())
}
