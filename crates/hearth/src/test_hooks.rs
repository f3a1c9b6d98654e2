//! Fault hooks for negative-control reliability tests, compiled only with
//! `--features test-hooks` (RELIABILITY.md §2.0). Never in a release.

use std::net::IpAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::accounts::service::{self, Registration};

/// `HEARTH_TEST_ACK_BEFORE_COMMIT=1`: answer 201 before the account is stored.
pub fn ack_before_commit() -> bool {
    std::env::var("HEARTH_TEST_ACK_BEFORE_COMMIT").is_ok_and(|v| v == "1")
}

/// The broken behaviour T1 must catch: acknowledge, then write later.
pub fn register_acknowledging_first(
    state: AppState,
    r: Registration,
    client: Option<IpAddr>,
) -> Response {
    let handle = r.handle.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let _ = service::register(&state, &r, client).await;
    });
    (
        StatusCode::CREATED,
        axum::Json(serde_json::json!({ "handle": handle })),
    )
        .into_response()
}
