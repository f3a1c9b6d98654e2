//! `hearth backup` while the server takes writes, `hearth backup --verify`,
//! and `hearth restore` into a fresh data dir: the restored server has every
//! write acknowledged before the backup began, and nothing that was never
//! acknowledged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, run_cli};
use sqlx::sqlite::SqliteConnectOptions;

const PASSWORD: &str = "lantern orchard mosaic tide";

fn hearth(args: &[&str], stdin: Option<&str>) -> Output {
    run_cli(args, stdin.unwrap_or(""))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn handles_in(db: &Path) -> Vec<String> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let handles = sqlx::query_scalar("SELECT handle FROM accounts")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    handles
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_write_load_restores_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hearth.toml");
    std::fs::write(
        &config,
        "[limits]\nregistrations_per_client_per_hour = 10000000\nwrites_per_client_per_minute = 100000000\nconcurrent_password_hashes = 2\n",
    )
    .unwrap();
    let config = config.to_str().unwrap().to_owned();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let data_arg = data.to_str().unwrap().to_owned();
    let pass_file = dir.path().join("passphrase");
    std::fs::write(&pass_file, "a long and private passphrase\n").unwrap();
    let pass_arg = pass_file.to_str().unwrap().to_owned();
    let file = dir.path().join("hearth.backup");
    let file_arg = file.to_str().unwrap().to_owned();

    let server = Server::start(&data, &["--config", &config], &[]).await;
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (base, acked, stop) = (server.base.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let handle = format!("load_{w}_{n}");
                let body = serde_json::json!({"handle": handle, "password": PASSWORD, "age_bracket": "18+", "email": format!("{handle}@example.org")});
                let r = http
                    .post(format!("{base}/api/v1/accounts"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), reqwest::StatusCode::CREATED);
                acked.lock().unwrap().push(handle);
            }
        }));
    }
    while acked.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The backup runs while the writers go on.
    let before: Vec<String> = acked.lock().unwrap().clone();
    let args = [
        "--data-dir".to_owned(),
        data_arg.clone(),
        "backup".to_owned(),
        file_arg.clone(),
        "--passphrase-file".to_owned(),
        pass_arg.clone(),
    ];
    let out = tokio::task::spawn_blocking(move || {
        hearth(&args.iter().map(String::as_str).collect::<Vec<_>>(), None)
    })
    .await
    .unwrap();
    let after_backup = acked.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let total: Vec<String> = acked.lock().unwrap().clone();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Backed up to"), "{}", text(&out));
    assert!(
        total.len() > after_backup && after_backup > before.len(),
        "writes went on during and after the backup: {} before, {after_backup} by its end, {} in all",
        before.len(),
        total.len()
    );

    // --verify opens it whole and checks the database inside.
    let out = hearth(
        &[
            "backup",
            "--verify",
            &file_arg,
            "--passphrase-file",
            &pass_arg,
        ],
        None,
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    for check in [
        "integrity and foreign keys check out",
        "the audit log is intact",
        "the data key opens the sealed values",
    ] {
        assert!(said.contains(check), "{check}: {said}");
    }
    let out = hearth(
        &["backup", "--verify", &file_arg],
        Some("not the passphrase\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("passphrase is wrong"), "{}", text(&out));

    // Restored into a fresh data dir; not over one in use without --force.
    let fresh = dir.path().join("restored");
    let fresh_arg = fresh.to_str().unwrap().to_owned();
    let restore = ["--data-dir", &fresh_arg, "restore", &file_arg];
    let out = hearth(&restore, Some("a long and private passphrase\n"));
    assert!(out.status.success(), "{}", text(&out));
    let out = hearth(&restore, Some("a long and private passphrase\n"));
    assert!(!out.status.success());
    assert!(text(&out).contains("not empty"), "{}", text(&out));
    let mut forced = restore.to_vec();
    forced.push("--force");
    let out = hearth(&forced, Some("a long and private passphrase\n"));
    assert!(out.status.success(), "{}", text(&out));

    // The restored server lets a member who registered before the backup
    // log in with their password.
    drop(server);
    let restored = Server::start(&fresh, &["--config", &config], &[]).await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", restored.base))
        .json(&serde_json::json!({"handle": before[0], "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    drop(restored);

    // Every acknowledged registration from before the backup is there;
    // nothing is there that was never acknowledged.
    let found = handles_in(&fresh.join("hearth.db")).await;
    let lost: Vec<&String> = before.iter().filter(|h| !found.contains(h)).collect();
    assert!(lost.is_empty(), "lost: {lost:?}");
    let phantom: Vec<&String> = found.iter().filter(|h| !total.contains(h)).collect();
    assert!(phantom.is_empty(), "never acknowledged: {phantom:?}");
    println!(
        "backup under load: {} acknowledged before it began, {after_backup} by its end, {} restored",
        before.len(),
        found.len()
    );
}
