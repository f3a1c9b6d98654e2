//! Extractors whose rejections are [`AppError`]s, so bad input gets our
//! translated error page or JSON error instead of axum's plain text.

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

use super::ctx::{Ctx, CurrentUser};
use super::error::AppError;

/// `application/x-www-form-urlencoded` body.
pub struct FormData<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormData<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Self(v)),
            Err(FormRejection::BytesRejection(r))
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(AppError::PayloadTooLarge)
            }
            Err(_) => Err(AppError::BadRequest("error-bad-form")),
        }
    }
}

/// A JSON body: malformed JSON is a 400 with a message, too large a 413.
/// Every request body of ours is a JSON object; an array is refused even
/// where serde would read it as a struct's fields in order.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !is_json {
            return Err(AppError::BadRequest("error-json-content-type"));
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::PayloadTooLarge);
            }
            Err(_) => return Err(AppError::BadRequest("error-malformed-json")),
        };
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(AppError::BadRequest(if bytes.is_empty() {
                "error-malformed-json"
            } else {
                "error-json-shape"
            }));
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match T::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
            Ok(v) => Ok(Self(v)),
            Err(e) if e.is_syntax() || e.is_eof() => {
                Err(AppError::BadRequest("error-malformed-json"))
            }
            Err(_) => Err(AppError::BadRequest("error-json-shape")),
        }
    }
}

/// A signed-in person on an HTML page; anyone else is sent to log in and
/// brought back afterwards.
pub struct PageUser(pub CurrentUser, pub Ctx);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match ctx.user.clone() {
            Some(user) => Ok(Self(user, ctx)),
            None => {
                let next = parts.uri.path();
                let target = ctx.href(&format!("/login?next={}", encode_path(next)));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// A signed-in API client; anyone else gets 401.
pub struct ApiUser(pub CurrentUser, pub Ctx);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.user.clone() {
            Some(user) => Ok(Self(user, ctx)),
            None => Err(AppError::Unauthorized),
        }
    }
}

/// Percent-encodes a path for use as a query value.
pub fn encode_path(path: &str) -> String {
    form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

/// A safe place to return to after logging in: a local path, never another site.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if is_local_path(n) => n,
        _ => "/",
    }
}

/// A path on this site, and nothing a browser could read as another
/// origin: it starts with one `/` (not `//`), and holds no backslash, no
/// white space and no control character anywhere (browsers drop tabs and
/// line breaks from URLs, so `/\t/evil.example` is `//evil.example`, and
/// read `\` as `/`).
fn is_local_path(n: &str) -> bool {
    n.len() <= 500
        && n.starts_with('/')
        && !n[1..].starts_with('/')
        && !n
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// A field that is present, null or not: `Some`; absent: `None` (default).
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_log_in() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        for sneaky in [
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/a\\..\\\\evil.example",
            "/\u{0}",
        ] {
            assert_eq!(safe_next(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(safe_next(Some("/groups/a?x=1#y")), "/groups/a?x=1#y");
        assert_eq!(safe_next(None), "/");
    }
}
