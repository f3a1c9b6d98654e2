//! RELIABILITY.md T1: `kill -9` under registration load loses no
//! acknowledged write, and the SQLite file stays intact. The number of
//! cycles comes from `HEARTH_T1_CYCLES` (CI runs 100).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, random_below};
use sqlx::sqlite::SqliteConnectOptions;

fn cycles() -> usize {
    std::env::var("HEARTH_T1_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

struct Outcome {
    acknowledged: usize,
    lost: Vec<String>,
    integrity: String,
    foreign_key_problems: usize,
    slowest_restart: Duration,
}

/// Registers accounts from 8 writers, SIGKILLs the server at a random
/// moment, restarts it, and repeats; then compares what was acknowledged
/// with what is in the database.
async fn kill_nine_under_registration_load(env: &[(&str, &str)], cycles: usize) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hearth.toml");
    std::fs::write(
        &config,
        "[limits]\nregistrations_per_client_per_hour = 10000000\nwrites_per_account_per_minute = 100000000\nwrites_per_client_per_minute = 100000000\nnewcomer_post_interval_secs = 0\nconcurrent_password_hashes = 2\n",
    )
    .unwrap();
    let config_arg = config.to_str().unwrap().to_owned();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut slowest_restart = Duration::ZERO;
    let mut server = Server::start(dir.path(), &["--config", &config_arg], env).await;

    for cycle in 0..cycles {
        let mut writers = Vec::new();
        for w in 0..8 {
            let base = server.base.clone();
            let acked = acked.clone();
            writers.push(tokio::spawn(async move {
                let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
                for n in 0.. {
                    let handle = format!("t1_{cycle}_{w}_{n}");
                    let body = serde_json::json!({"handle": handle, "password": "lantern orchard mosaic tide", "age_bracket": "18+"});
                    match http.post(format!("{base}/api/v1/accounts")).json(&body).send().await {
                        Ok(r) if r.status() == reqwest::StatusCode::CREATED => acked.lock().unwrap().push(handle),
                        Ok(r) => panic!("unexpected answer {}", r.status()),
                        Err(_) => return, // the server is gone
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(200 + random_below(1800))).await;
        server.kill9();
        for w in writers {
            w.await.unwrap();
        }
        let restarted = std::time::Instant::now();
        server = Server::start(dir.path(), &["--config", &config_arg], env).await;
        slowest_restart = slowest_restart.max(restarted.elapsed());
    }
    server.kill9();

    let options = SqliteConnectOptions::new().filename(dir.path().join("hearth.db"));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let stored: std::collections::HashSet<String> =
        sqlx::query_scalar::<_, String>("SELECT handle_key FROM accounts")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    let foreign_key_problems = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap()
        .len();
    let acked = acked.lock().unwrap().clone();
    let lost = acked
        .iter()
        .filter(|h| !stored.contains(*h))
        .cloned()
        .collect();
    Outcome {
        acknowledged: acked.len(),
        lost,
        integrity,
        foreign_key_problems,
        slowest_restart,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_loses_no_acknowledged_registration() {
    let outcome = kill_nine_under_registration_load(&[], cycles()).await;
    eprintln!(
        "T1: {} cycles, {} acknowledged registrations, {} lost, slowest restart {:?}",
        cycles(),
        outcome.acknowledged,
        outcome.lost.len(),
        outcome.slowest_restart
    );
    assert!(outcome.acknowledged > 0, "the load generator made progress");
    assert_eq!(
        outcome.lost,
        Vec::<String>::new(),
        "acknowledged registrations were lost"
    );
    assert_eq!(outcome.integrity, "ok");
    assert_eq!(outcome.foreign_key_problems, 0);
    assert!(
        outcome.slowest_restart < Duration::from_secs(2),
        "restart took {:?}",
        outcome.slowest_restart
    );
}

/// The negative control: a server that acknowledges before it commits must
/// be caught losing writes, or this test proves nothing.
#[cfg(feature = "test-hooks")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_harness_catches_a_server_that_acknowledges_before_committing() {
    // A few cycles suffice to show the loss; more only pile up work.
    let outcome = kill_nine_under_registration_load(
        &[("HEARTH_TEST_ACK_BEFORE_COMMIT", "1")],
        cycles().min(10),
    )
    .await;
    eprintln!(
        "T1 negative control: {} acknowledged, {} lost",
        outcome.acknowledged,
        outcome.lost.len()
    );
    assert!(
        !outcome.lost.is_empty(),
        "the harness failed to detect lost acknowledged writes"
    );
}
