//! RELIABILITY.md T10: a wrong password for a real handle and any password
//! for an unknown handle take the same time (a dummy Argon2 verification),
//! so timing does not reveal who has an account. Its own test binary, so
//! no other test competes for the CPU while it measures.
//! `HEARTH_T10_TRIALS` sets the trials per side (CI: 200).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Server;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_handle_take_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hearth.toml");
    std::fs::write(
        &config,
        "[limits]\nlogin_failures_per_handle = 1000000\nlogin_attempts_per_client = 1000000\n",
    )
    .unwrap();
    let server = Server::start(dir.path(), &["--config", config.to_str().unwrap()], &[]).await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/sessions", server.base);
    let r = http
        .post(format!("{}/api/v1/accounts", server.base))
        .json(&json!({"handle": "timing_one", "password": "lantern orchard mosaic tide", "age_bracket": "18+"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);

    let trials: usize = std::env::var("HEARTH_T10_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    let mut bodies = std::collections::HashSet::new();
    for i in 0..trials * 2 {
        // Interleaved, so drift in machine load falls on both sides alike.
        let handle = if i % 2 == 0 {
            "timing_one"
        } else {
            "timing_two"
        };
        let started = std::time::Instant::now();
        let r = http
            .post(&url)
            .json(&json!({"handle": handle, "password": "wrong password here"}))
            .send()
            .await
            .unwrap();
        let status = r.status();
        bodies.insert(r.text().await.unwrap());
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
        if i % 2 == 0 {
            known.push(ms);
        } else {
            unknown.push(ms);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (k, u) = (median(&mut known), median(&mut unknown));
    eprintln!(
        "T10: median {k:.2} ms for a real handle, {u:.2} ms for an unknown one, over {trials} trials each"
    );
    assert_eq!(bodies.len(), 1, "every answer has the same body");
    assert!(
        (k - u).abs() < 5.0,
        "medians differ by {:.2} ms",
        (k - u).abs()
    );
}
