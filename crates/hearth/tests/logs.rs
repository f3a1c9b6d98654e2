//! RELIABILITY.md T16: at the most verbose log level, no password, token,
//! e-mail address or client address reaches the log, and no client address
//! reaches the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::Server;
use serde_json::json;

#[tokio::test]
async fn secrets_and_personal_data_never_reach_the_logs_or_addresses_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let canary = hearth::secret::hex(&hearth::secret::random_bytes::<6>().unwrap());
    let password = format!("pw-CANARY-{canary} river");
    let new_password = format!("pw-CANARY2-{canary} river");
    let email = format!("canary+{canary}@example.invalid");
    let forwarded_ip = "127.0.0.77";
    let peer_ip = Ipv4Addr::new(127, 0, 0, 23);

    let server = Server::start(
        dir.path(),
        &["--trust-forwarded-for", "true"],
        &[("HEARTH_LOG", "trace"), ("RUST_BACKTRACE", "1")],
    )
    .await;
    let http = reqwest::Client::builder()
        .local_address(IpAddr::V4(peer_ip))
        .build()
        .unwrap();
    let url = |p: &str| format!("{}{p}", server.base);

    let r = http
        .post(url("/api/v1/accounts"))
        .header("x-forwarded-for", forwarded_ip)
        .json(&json!({"handle": "canary_keeper", "password": password, "email": email, "age_bracket": "18+"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let r = http
        .post(url("/api/v1/sessions"))
        .json(&json!({"handle": "canary_keeper", "password": password}))
        .send()
        .await
        .unwrap();
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    http.post(url("/api/v1/sessions"))
        .json(&json!({"handle": "canary_keeper", "password": "wrong-CANARY-guess"}))
        .send()
        .await
        .unwrap();
    http.get(url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    http.put(url("/api/v1/me/password"))
        .bearer_auth(&token)
        .json(&json!({"current_password": password, "new_password": new_password}))
        .send()
        .await
        .unwrap();
    // A browser session, with its CSRF cookie and form.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .local_address(IpAddr::V4(peer_ip))
        .build()
        .unwrap();
    let page = browser
        .get(url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page[start..start + 64].to_owned();
    browser
        .post(url("/login"))
        .form(&[
            ("handle", "canary_keeper"),
            ("password", new_password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    // A handle crafted to forge log lines.
    http.post(url("/api/v1/sessions"))
        .json(&json!({"handle": "x\n\u{1b}[31mFAKE ENTRY", "password": "nothing"}))
        .send()
        .await
        .unwrap();
    http.get(url("/no%0Asuch%1b[31m")).send().await.unwrap();
    drop(server);

    let log = std::fs::read_to_string(
        dir.path()
            .join(format!("server-{}.log", std::process::id())),
    )
    .unwrap();
    assert!(log.contains("response"), "the log was written at all");
    // A log file is plain text: no terminal colour codes (and no escape
    // character smuggled in by a request).
    assert!(!log.contains('\u{1b}'), "the log file holds escape codes");
    for secret in [
        password.as_str(),
        new_password.as_str(),
        "wrong-CANARY-guess",
        email.as_str(),
        token.as_str(),
        csrf.as_str(),
        canary.as_str(),
        forwarded_ip,
        "127.0.0.23",
    ] {
        assert!(!log.contains(secret), "the log contains {secret:?}");
    }
    assert!(
        !log.contains("FAKE ENTRY"),
        "submitted handles are not logged"
    );
    // The crafted path carried an encoded newline: no forged line may start
    // with what followed it.
    assert!(
        !log.lines().any(|l| l.starts_with("such")),
        "a request path split a log line"
    );

    let mut stored = std::fs::read(dir.path().join("hearth.db")).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("hearth.db-wal")) {
        stored.extend(wal);
    }
    let stored = String::from_utf8_lossy(&stored);
    for ip in [forwarded_ip, "127.0.0.23"] {
        assert!(!stored.contains(ip), "the database holds the address {ip}");
    }
    assert!(
        !stored.contains(&token),
        "the session token is stored only hashed"
    );
    assert!(
        !stored.contains(&new_password),
        "passwords are stored only hashed"
    );
}
