//! T7: the crisis detector answers any input (any bytes, read as UTF-8 with
//! replacement, up to 64 KiB) without panicking; libFuzzer's `-timeout`
//! catches a slow input. Its answer is well formed.
#![no_main]

use std::sync::OnceLock;

use crisis::{Detector, MAX_EVIDENCE};
use libfuzzer_sys::fuzz_target;

static DETECTOR: OnceLock<Detector> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let detector = DETECTOR.get_or_init(|| match Detector::shipped() {
        Ok(d) => d,
        Err(e) => panic!("the shipped rules do not load: {e}"),
    });
    let text = String::from_utf8_lossy(&data[..data.len().min(64 * 1024)]);
    let a = detector.assess(&text);
    assert!((0.0..=1.0).contains(&a.score), "score {}", a.score);
    assert!(a.evidence.len() <= MAX_EVIDENCE);
    for e in &a.evidence {
        // Quoted words come from the input (or are cut with an ellipsis);
        // the model's evidence names several phrases, each from the input.
        for words in e.words.split(crisis::PHRASE_SEPARATOR) {
            let whole = words.trim_end_matches('…');
            assert!(text.contains(whole) || words.contains(" … "), "{:?}", e.words);
        }
    }
});
