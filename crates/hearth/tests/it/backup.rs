//! Backups, taken through the library while the server runs (the command
//! line and the write-load test are in `tests/backup.rs`): a backup
//! restores into a new data dir and database, and that server has the
//! members, their posts, their sealed e-mail addresses and their sessions;
//! the admin hub says when the last backup was taken.

use std::path::Path;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, Scene, TestApp, fresh_database_url};
use hearth::backup::{self, Passphrase};

fn pass() -> Passphrase {
    Passphrase::new("a long and private passphrase".into())
}

#[tokio::test]
async fn a_backup_restores_into_a_new_server_with_everything_in_it() {
    let app = TestApp::spawn().await;
    let scene = Scene::open_group(&app, "bk_admin", "Open Door", &["bk_writer"]).await;
    let writer = scene.api(&app, "bk_writer");
    let thread = writer
        .ok_post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Evenings", "body": "How do your evenings go?", "accept_guidelines": true}),
        )
        .await;
    let thread = thread["id"].as_i64().unwrap();
    let r = app
        .http()
        .post(app.url("/api/v1/accounts"))
        .json(&json!({"handle": "bk_mail", "password": PASSWORD, "age_bracket": "18+", "email": "someone@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("hearth.backup");
    let taken = backup::take(&app.state.settings, &file, &pass())
        .await
        .unwrap();
    assert!(taken.bytes > 0);
    let sealed = std::fs::read(&file).unwrap();
    for secret in [
        b"How do your evenings go?".as_slice(),
        b"bk_writer",
        b"bk_mail",
    ] {
        assert!(
            !sealed.windows(secret.len()).any(|w| w == secret),
            "the backup holds {:?} in clear",
            String::from_utf8_lossy(secret)
        );
    }

    // Written after the backup: not in it.
    writer
        .ok_post(
            &format!("/api/v1/groups/open-door/threads/{thread}/posts"),
            json!({"body": "Written after the backup."}),
        )
        .await;

    let verified = backup::verify(&file, &pass()).await.unwrap();
    assert!(
        verified
            .checks
            .iter()
            .any(|c| c.contains("every entry opened")),
        "{:?}",
        verified.checks
    );
    let wrong = backup::verify(&file, &Passphrase::new("not the passphrase at all".into())).await;
    assert!(wrong.unwrap_err().contains("passphrase is wrong"));

    // Restored into a new data dir (and, on PostgreSQL, a new database).
    let target = tempfile::tempdir().unwrap();
    let data_dir = target.path().join("restored");
    let database_url = restored_url(&data_dir, target.path()).await;
    let mut settings = hearth::config::Settings::for_data_dir(&data_dir);
    settings.database_url = database_url.clone();
    backup::restore(&settings, &file, &pass(), false)
        .await
        .unwrap();
    // A second restore over it is refused, and changes nothing.
    let again = backup::restore(&settings, &file, &pass(), false)
        .await
        .unwrap_err();
    assert!(again.contains("not empty"), "{again}");

    let restored = TestApp::spawn_with(|s| {
        s.data_dir = data_dir.clone();
        s.database_url = database_url.clone();
    })
    .await;
    // The writer's API token was made by the old server's secret: the
    // restored secret still knows it.
    let writer_again = restored.api(&scene.tokens["bk_writer"]);
    let (status, posts) = writer_again
        .get(&format!("/api/v1/groups/open-door/threads/{thread}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    let bodies = posts.to_string();
    assert!(bodies.contains("How do your evenings go?"), "{bodies}");
    assert!(!bodies.contains("Written after the backup."), "{bodies}");
    // Passwords and the sealed address came along with the data key.
    restored.api_login("bk_mail", PASSWORD).await;
    let sealed: Vec<u8> = hearth::on_db!(&restored.state.db, |pool| sqlx::query_scalar(
        "SELECT email_sealed FROM accounts WHERE handle_key = 'bk_mail'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(
        restored
            .state
            .data_key
            .open("accounts.email", b"bk_mail", &sealed)
            .unwrap(),
        b"someone@example.org"
    );
}

/// Where a restore goes: a SQLite file in the new data dir, or a new
/// PostgreSQL database.
async fn restored_url(data_dir: &Path, scratch: &Path) -> String {
    if TestApp::on_postgres() {
        fresh_database_url(scratch).await
    } else {
        format!("sqlite://{}?mode=rwc", data_dir.join("hearth.db").display())
    }
}

#[tokio::test]
async fn the_admin_hub_says_when_the_last_backup_was_taken() {
    let app = TestApp::spawn().await;
    let admin = app.staff("hub_backup_admin", "admin").await;
    let hub = admin.get("/admin").await.text();
    assert!(
        hub.contains("No backup of this database has been taken yet."),
        "{hub}"
    );
    assert!(hub.contains("This server sends no e-mail"), "{hub}");
    let out = tempfile::tempdir().unwrap();
    backup::take(&app.state.settings, &out.path().join("b"), &pass())
        .await
        .unwrap();
    let hub = admin.get("/admin").await.text();
    assert!(hub.contains("The last backup was taken at"), "{hub}");
    assert!(!hub.contains("No backup of this database"), "{hub}");
    // A passphrase too short to protect anything is refused.
    let short = backup::take(
        &app.state.settings,
        &out.path().join("c"),
        &Passphrase::new("short".into()),
    )
    .await
    .unwrap_err();
    assert!(short.contains("at least 12 characters"), "{short}");
    assert!(!out.path().join("c").exists());
}
