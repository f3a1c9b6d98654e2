//! Prometheus metrics on their own address (`--metrics-bind`): requests by
//! route template and status, open WebSockets, database statements; nothing
//! on the public address, and nothing that names a member or a group.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Server;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The value of the sample line starting with `series`, if any.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn scrape(server: &Server) -> String {
    let url = format!("{}/metrics", server.metrics.as_deref().unwrap());
    let r = reqwest::get(url).await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_and_sockets_on_their_own_address_and_name_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--metrics-bind", "127.0.0.1:0"], &[]).await;
    let http = reqwest::Client::new();

    // Nothing on the public address.
    let r = http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND);

    let r = http
        .post(format!("{}/api/v1/accounts", server.base))
        .json(&serde_json::json!({"handle": "quiet_river_7", "password": "lantern orchard mosaic tide", "age_bracket": "18+"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let r = http
        .post(format!("{}/api/v1/sessions", server.base))
        .json(&serde_json::json!({"handle": "quiet_river_7", "password": "lantern orchard mosaic tide"}))
        .send()
        .await
        .unwrap();
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..3 {
        http.get(format!("{}/groups/a-very-private-circle", server.base))
            .send()
            .await
            .unwrap();
    }

    let before = scrape(&server).await;
    assert_eq!(
        sample(
            &before,
            r#"hearth_http_requests_total{route="/api/v1/accounts",method="POST",status="201"}"#
        ),
        Some(1.0),
        "{before}"
    );
    assert_eq!(
        sample(
            &before,
            r#"hearth_http_requests_total{route="/groups/{slug}",method="GET",status="404"}"#
        ),
        Some(3.0),
        "{before}"
    );
    assert!(
        sample(
            &before,
            r#"hearth_http_request_duration_seconds_count{route="/api/v1/sessions"}"#
        )
        .is_some(),
        "{before}"
    );
    assert!(
        sample(&before, "hearth_db_statement_duration_seconds_count").unwrap() > 0.0,
        "{before}"
    );
    assert_eq!(sample(&before, "hearth_websockets_open"), Some(0.0));
    assert_eq!(sample(&before, "hearth_crisis_alerts_open"), Some(0.0));
    assert!(before.contains("hearth_password_hashes_waiting"));
    assert!(before.contains("hearth_db_pool_connections{state=\"idle\"}"));
    for private in ["quiet_river_7", "a-very-private-circle", &token] {
        assert!(!before.contains(private), "metrics name {private:?}");
    }

    // An open WebSocket is counted while it is open.
    let url = format!("{}/live", server.base.replacen("http://", "ws://", 1));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let open = scrape(&server).await;
    assert_eq!(sample(&open, "hearth_websockets_open"), Some(1.0), "{open}");
    drop(socket);
    let mut closed = 1.0;
    for _ in 0..100 {
        closed = sample(&scrape(&server).await, "hearth_websockets_open").unwrap();
        if closed == 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(closed, 0.0, "the closed socket is no longer counted");
}
