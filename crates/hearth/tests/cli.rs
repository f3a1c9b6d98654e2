//! The command line: version, help, migrate, and creating the first admin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "smtp/mod.rs"]
mod smtp;

use std::process::Command;

use common::{Server, run_cli};

fn run(args: &[&str], stdin: &str) -> (bool, String, String) {
    let out = run_cli(args, stdin);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn version_and_help_describe_the_binary() {
    let (ok, out, _) = run(&["--version"], "");
    assert!(ok);
    assert_eq!(out.trim(), format!("hearth {}", env!("CARGO_PKG_VERSION")));
    let (ok, out, _) = run(&["--help"], "");
    assert!(ok);
    for word in [
        "serve",
        "migrate",
        "admin",
        "backup",
        "restore",
        "--bind",
        "--data-dir",
        "--database-url",
        "--public-url",
        "--crisis-resources",
        "--config",
    ] {
        assert!(out.contains(word), "--help mentions {word}");
    }
}

#[test]
fn migrate_creates_the_database_and_the_secret_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    let (ok, out, err) = run(&["migrate", "--data-dir", data.to_str().unwrap()], "");
    assert!(ok, "{err}");
    assert!(out.contains("Migrations applied."));
    assert!(data.join("hearth.db").exists());
}

/// The mode bits of `path`.
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The data dir and the database files are the owner's alone: made so when
/// new, and repaired at start when an older install left them readable.
#[tokio::test]
async fn the_data_dir_and_database_files_are_readable_by_their_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    let (ok, _, err) = run(&["migrate", "--data-dir", data.to_str().unwrap()], "");
    assert!(ok, "{err}");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("hearth.db")), 0o600);

    // Loosened, as an older version left them: the server repairs them,
    // and SQLite's -wal and -shm files follow the database file's mode.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        data.join("hearth.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let server = Server::start(&data, &[], &[]).await;
    let r = reqwest::get(format!("{}/groups", server.base))
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(mode(&data), 0o700);
    for file in ["hearth.db", "hearth.db-wal", "hearth.db-shm"] {
        let path = data.join(file);
        assert!(path.exists(), "{file} exists while the server runs");
        assert_eq!(mode(&path), 0o600, "{file}");
    }
}

#[test]
fn a_bad_configuration_is_reported_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hearth.toml");
    std::fs::write(&file, "bnid = \"x\"\n").unwrap();
    let (ok, _, err) = run(&["--config", file.to_str().unwrap(), "migrate"], "");
    assert!(!ok);
    assert!(err.contains("is not valid"), "{err}");
    let (ok, _, err) = run(&["migrate", "--public-url", "ftp://x"], "");
    assert!(!ok);
    assert!(err.contains("public-url"), "{err}");
}

#[tokio::test]
async fn the_first_admin_is_made_from_the_command_line_and_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();

    let (ok, _, err) = run(
        &[
            "admin",
            "create",
            "--handle",
            "ops_lead",
            "--data-dir",
            &data,
        ],
        "password12345\n",
    );
    assert!(!ok, "a common password is refused");
    assert!(err.contains("too common"), "{err}");

    let (ok, out, err) = run(
        &[
            "admin",
            "create",
            "--handle",
            "ops_lead",
            "--data-dir",
            &data,
        ],
        "quartz meadow lantern fig\n",
    );
    assert!(ok, "{err}");
    assert!(out.contains("Admin ops_lead created."));

    let server = Server::start(dir.path(), &[], &[]).await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", server.base))
        .json(&serde_json::json!({"handle": "ops_lead", "password": "quartz meadow lantern fig"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["account"]["role"], "admin");
}

#[tokio::test]
async fn flags_win_over_the_environment_and_the_environment_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hearth.toml");
    std::fs::write(
        &file,
        "default_language = \"es\"\nquick_exit_url = \"https://file.example/\"\n",
    )
    .unwrap();
    let config = file.to_str().unwrap().to_owned();
    // File says Spanish; the environment says English and wins.
    let server = Server::start(
        dir.path(),
        &["--config", &config],
        &[("HEARTH_DEFAULT_LANGUAGE", "en")],
    )
    .await;
    let body = reqwest::get(format!("{}/", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("<html lang=\"en\""));
    assert!(
        body.contains("https://file.example/"),
        "the file still sets what nothing else does"
    );
    drop(server);
    // The flag beats the environment.
    let server = Server::start(
        dir.path(),
        &["--config", &config, "--default-language", "es"],
        &[("HEARTH_DEFAULT_LANGUAGE", "en")],
    )
    .await;
    let body = reqwest::get(format!("{}/", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("<html lang=\"es\""));
}

#[tokio::test]
async fn json_logs_are_one_object_a_line_with_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--log-format", "json"], &[]).await;
    let r = reqwest::get(format!("{}/help", server.base)).await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    drop(server);
    let log = std::fs::read_to_string(
        dir.path()
            .join(format!("server-{}.log", std::process::id())),
    )
    .unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object"))
        .collect();
    let response = lines
        .iter()
        .find(|l| l["message"] == "response" && l["span"]["path"] == "/help")
        .expect("the request was logged");
    assert_eq!(response["span"]["id"], id);
    assert_eq!(response["status"], 200);
}

#[test]
fn crisis_classify_answers_every_line_and_names_bad_ones() {
    let input = concat!(
        r#"{"id": 1, "text": "ctb tmrw morning. everything's ready"}"#,
        "\n",
        "this is not json\n",
        "\n",
        r#"{"id": "b", "text": "this commute is killing me", "lang": "en"}"#,
        "\n",
        r#"{"id": "c", "text": "Me quiero morir"}"#,
        "\n",
    );
    let (ok, stdout, stderr) = run(&["crisis", "classify"], input);
    assert!(!ok, "a refused line makes the exit status non-zero");
    assert!(stderr.contains("1 line"), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["level"], "imminent");
    assert!(lines[0]["score"].as_f64().unwrap() > 0.8);
    let fired: Vec<&str> = lines[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["words"].as_str().unwrap())
        .collect();
    assert!(
        fired.contains(&"ctb") && fired.contains(&"tmrw"),
        "{fired:?}"
    );
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], "b");
    assert_eq!(lines[2]["level"], "none");
    assert_eq!(lines[3]["level"], "ideation");
}

#[test]
fn crisis_eval_prints_the_scores_and_the_confusion_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("set.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"1","text":"I want to kill myself tonight, I have the pills saved","label":"imminent"}"#,
            "\n",
            r#"{"id":"2","text":"I keep wishing I would not wake up","label":"ideation"}"#,
            "\n",
            r#"{"id":"3","text":"Walking group meets Sundays","label":"safe"}"#,
            "\n",
            r#"{"id":"4","text":"Walking group meets Sundays","label":"imminent"}"#,
            "\n",
        ),
    )
    .unwrap();
    let (ok, stdout, stderr) = run(
        &["crisis", "eval", "--mistakes", file.to_str().unwrap()],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("4 rows"), "{stdout}");
    assert!(stdout.contains("confusion"), "{stdout}");
    assert!(
        stdout.contains("4: labelled imminent, assessed none"),
        "{stdout}"
    );
    let imminent = stdout.lines().find(|l| l.starts_with("imminent ")).unwrap();
    // One of two imminent rows found: recall 0.5.
    assert!(imminent.contains("0.500"), "{imminent}");

    std::fs::write(&file, r#"{"id":"1","text":"x","label":"maybe"}"#).unwrap();
    let (ok, _, stderr) = run(&["crisis", "eval", file.to_str().unwrap()], "");
    assert!(!ok);
    assert!(stderr.contains("unknown label"), "{stderr}");
}

#[test]
fn audit_verify_reports_an_intact_log_and_a_tampered_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("audit");
    let data = data.to_str().unwrap();
    let (ok, _, err) = run(&["migrate", "--data-dir", data], "");
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["audit", "verify", "--data-dir", data], "");
    assert!(ok, "{err}");
    assert!(out.contains("intact: 0 rows"), "{out}");
    // A row that was never chained (forged straight into the database).
    let db = std::path::Path::new(data).join("hearth.db");
    let status = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
             c.execute(\"INSERT INTO audit_log VALUES (1, 0, 1, 'alert.resolve', 'crisis_alert', 1, '', '', 'x')\"); c.commit()",
            db.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let (ok, _, err) = run(&["audit", "verify", "--data-dir", data], "");
    assert!(!ok);
    assert!(err.contains("broken at row 1"), "{err}");
}

#[tokio::test]
async fn mail_test_sends_through_the_configured_server_or_says_why_not() {
    let catcher = smtp::Catcher::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let url = catcher.url.clone();
    let mail_test = move || {
        let (data, url) = (data.clone(), url.clone());
        tokio::task::spawn_blocking(move || {
            run(
                &[
                    "--data-dir",
                    &data,
                    "--mail-url",
                    &url,
                    "--mail-from",
                    "Hearth <hearth@example.org>",
                    "mail",
                    "test",
                    "operator@example.org",
                ],
                "",
            )
        })
    };
    let (ok, out, err) = mail_test().await.unwrap();
    assert!(ok, "{out}{err}");
    assert!(out.contains("took the test message"), "{out}");
    let caught = catcher.caught();
    assert_eq!(caught.len(), 1);
    assert_eq!(caught[0].to, vec!["operator@example.org".to_owned()]);
    assert!(caught[0].body.contains("Mail from this server works"));

    // A refusal is reported, and the message stays queued for the server.
    catcher.refuse_next(1);
    let (ok, _, err) = mail_test().await.unwrap();
    assert!(!ok);
    assert!(err.contains("the mail server answered 451"), "{err}");

    // Without a mail server, it says how to set one.
    let data = dir.path().to_str().unwrap().to_owned();
    let (ok, _, err) = run(&["--data-dir", &data, "mail", "test", "x@example.org"], "");
    assert!(!ok);
    assert!(err.contains("--mail-url"), "{err}");
}
