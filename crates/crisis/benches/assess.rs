//! Assessments per second, the rules and the model together:
//! `cargo bench -p hearth-crisis`.
//!
//! Inputs are 50-word messages of the kinds the detector meets: ordinary
//! posts, distress, idioms and risk. Throughput is reported in messages.

use std::hint::black_box;

use crisis::Detector;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const MESSAGES: &[&str] = &[
    "Okay so weird week. My car got towed on Monday, which, fine, my fault, I parked by the hydrant. Then my landlord finally fixed the dishwasher after like two months so that's a win. Work was slow and I binged that baking show everybody is talking about.",
    "Taking care of Mom around the clock for five years. She's up every night and so am I. My brother sends money but never visits. Lately when I drive to the pharmacy I think about not coming back from anywhere, ever, and it scares me a bit.",
    "This traffic is murdering my will to drive, 45 minutes to go two miles, and my feet are killing me from the new shoes. I'd kill for a nap right now honestly, anyone have podcast recommendations for the commute home tonight please?",
    "My plan is set for Thursday night, I picked up the stuff from the pharmacy and I've written to my parents. Anyway if anyone has a good croissant recipe drop it below, I guess somebody should make them. Thanks for everything, all of you here.",
    "Hoy fui al grupo de apoyo por primera vez y me sentí escuchada. Nadie me juzgó y pude hablar de mi mamá y de la ansiedad que tengo desde hace meses. Gracias a todas por el espacio, de verdad, nos vemos el próximo martes en la noche.",
];

fn bench(c: &mut Criterion) {
    let detector = match Detector::shipped() {
        Ok(d) => d,
        Err(e) => panic!("the shipped rules do not load: {e}"),
    };
    let mut group = c.benchmark_group("assess");
    group.throughput(Throughput::Elements(MESSAGES.len() as u64));
    group.bench_function("50-word messages", |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(detector.assess(black_box(m)));
            }
        })
    });
    // The same messages through the rules alone: what the model adds.
    let rules = match Detector::shipped_rules() {
        Ok(d) => d,
        Err(e) => panic!("the shipped rules do not load: {e}"),
    };
    group.bench_function("50-word messages, rules alone", |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(rules.assess(black_box(m)));
            }
        })
    });
    group.finish();

    // Building the shipped detector: the rules and the model (under 100 ms).
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("shipped rules and model", |b| {
        b.iter(|| black_box(Detector::shipped().is_ok()))
    });
    group.finish();

    // T7 and issue 15: the worst case on 64 KiB of hostile input must stay
    // under 20 ms, rules and model together.
    let k64 = 64 * 1024;
    let shapes: Vec<(&str, String)> = vec![
        ("risk phrases", "kill myself tonight ".repeat(k64 / 20)),
        ("open single quotes", "'a ".repeat(k64 / 3)),
        ("double quotes", "\"".repeat(k64)),
        ("one long word", "a".repeat(k64)),
        ("negations", "no no no no want to die ".repeat(k64 / 24)),
        ("sentence ends", ". ".repeat(k64 / 2)),
        ("emoji", "🔫".repeat(k64 / 4)),
        ("accented letters", "é".repeat(k64 / 2)),
        ("words", "lorem ipsum dolor sit amet ".repeat(k64 / 27)),
        (
            "short sentences, each read alone",
            "i cant do this. ".repeat(k64 / 16),
        ),
    ];
    let mut group = c.benchmark_group("worst case 64 KiB");
    group.sample_size(20);
    for (name, text) in &shapes {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(detector.assess(black_box(text))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
