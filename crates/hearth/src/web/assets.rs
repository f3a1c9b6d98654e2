//! Stylesheet, script and icon, embedded in the binary and served under
//! content-hashed names with a year-long immutable cache. No third-party
//! assets, ever.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::AppState;

pub struct Asset {
    content_type: &'static str,
    body: &'static str,
    path: LazyLock<String>,
}

impl Asset {
    /// `/assets/<name>-<hash>.<ext>`
    pub fn path(&'static self) -> &'static str {
        self.path.as_str()
    }
}

macro_rules! asset {
    ($name:literal, $ext:literal, $ct:literal) => {
        Asset {
            content_type: $ct,
            body: include_str!(concat!("../../assets/", $name, ".", $ext)),
            path: LazyLock::new(|| {
                let body = include_str!(concat!("../../assets/", $name, ".", $ext));
                let hash = Sha256::digest(body.as_bytes());
                format!(
                    "/assets/{}-{}.{}",
                    $name,
                    crate::secret::hex(&hash[..6]),
                    $ext
                )
            }),
        }
    };
}

pub static CSS: Asset = asset!("hearth", "css", "text/css; charset=utf-8");
pub static JS: Asset = asset!("hearth", "js", "text/javascript; charset=utf-8");
pub static ICON: Asset = asset!("icon", "svg", "image/svg+xml");
/// Live chat, on room pages only.
pub static CHAT_JS: Asset = asset!("chat", "js", "text/javascript; charset=utf-8");

/// Live sessions' rooms: joining, audio and video, the controls.
pub static SESSION_JS: Asset = asset!("session", "js", "text/javascript; charset=utf-8");

static ALL: [&Asset; 5] = [&CSS, &JS, &ICON, &CHAT_JS, &SESSION_JS];

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(serve))
}

async fn serve(Path(file): Path<String>) -> Response {
    let wanted = format!("/assets/{file}");
    match ALL.iter().find(|a| a.path() == wanted) {
        Some(a) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(a.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            a.body,
        )
            .into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}
