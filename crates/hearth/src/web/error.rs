//! The one error type at the HTTP edge.
//!
//! A handler returns `AppError`; its response carries an [`ErrorInfo`] and
//! no body. The `render_errors` middleware, which knows the request's
//! language and whether it came to the API, turns that into a JSON error or
//! an HTML page. Internal causes are logged with the request id and never
//! shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The JSON API's error answer, as its OpenAPI document describes it:
/// `{"error": {"code": "...", "message": "...", "fields": {...}}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `validation`, `unauthorized`, `rate_limited`, …
    pub code: String,
    /// For people, in the request's language.
    pub message: String,
    /// For `validation`: what is wrong with each field.
    pub fields: Option<std::collections::BTreeMap<String, String>>,
    /// For server errors: quote it when reporting a problem.
    pub request_id: Option<String>,
}

/// A field and the Fluent id of what is wrong with it.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

#[derive(Debug)]
pub enum AppError {
    /// The request itself is malformed; the id names the problem.
    BadRequest(&'static str),
    Validation(FieldErrors),
    Unauthorized,
    /// The password was right; the account also needs its second factor.
    SecondFactorRequired,
    Forbidden,
    CsrfRejected,
    NotFound,
    PayloadTooLarge,
    RateLimited {
        retry_after_secs: u64,
    },
    /// Too many writes in a minute (every form and API call that changes
    /// something), per account and per client.
    WritingTooFast {
        retry_after_secs: u64,
    },
    Unavailable,
    Internal(String),
}

/// What the renderer needs to show an error.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_id: &'static str,
    pub fields: FieldErrors,
    pub retry_after_secs: Option<u64>,
}

impl ErrorInfo {
    /// For bare error statuses produced outside handlers (routing, body limits).
    pub fn from_status(status: StatusCode) -> Self {
        let (code, message_id) = match status {
            StatusCode::NOT_FOUND => ("not_found", "error-not-found"),
            StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "error-method-not-allowed"),
            StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "error-too-large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "error-bad-request"),
            StatusCode::REQUEST_TIMEOUT => ("timeout", "error-unavailable"),
            StatusCode::UNAUTHORIZED => ("unauthorized", "error-unauthorized"),
            StatusCode::FORBIDDEN => ("forbidden", "error-forbidden"),
            StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "error-rate-limited"),
            StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "error-unavailable"),
            s if s.is_client_error() => ("bad_request", "error-bad-request"),
            _ => ("internal", "error-internal"),
        };
        Self {
            status,
            code,
            message_id,
            fields: Vec::new(),
            retry_after_secs: None,
        }
    }
}

impl AppError {
    pub fn info(&self) -> ErrorInfo {
        let (status, code, message_id) = match self {
            AppError::BadRequest(id) => (StatusCode::BAD_REQUEST, "bad_request", *id),
            AppError::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "error-validation",
            ),
            AppError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "error-unauthorized",
            ),
            AppError::SecondFactorRequired => (
                StatusCode::UNAUTHORIZED,
                "second_factor_required",
                "error-second-factor-required",
            ),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "error-forbidden"),
            AppError::CsrfRejected => (StatusCode::FORBIDDEN, "csrf", "error-csrf"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "error-not-found"),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "error-too-large",
            ),
            AppError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "error-rate-limited",
            ),
            AppError::WritingTooFast { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "error-writes-limited",
            ),
            AppError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "error-unavailable",
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "error-internal",
            ),
        };
        ErrorInfo {
            status,
            code,
            message_id,
            fields: match self {
                AppError::Validation(f) => f.clone(),
                _ => Vec::new(),
            },
            retry_after_secs: match self {
                AppError::RateLimited { retry_after_secs }
                | AppError::WritingTooFast { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            },
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) => tracing::error!(%cause, "internal error"),
            AppError::Unavailable => tracing::warn!("service unavailable"),
            _ => {}
        }
        let info = self.info();
        let mut response = info.status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if crate::db::is_unavailable(&e) {
            tracing::warn!(error = %e, "database unavailable");
            AppError::Unavailable
        } else {
            AppError::Internal(format!("database: {e}"))
        }
    }
}

impl From<crate::accounts::password::HashError> for AppError {
    fn from(e: crate::accounts::password::HashError) -> Self {
        AppError::Internal(e.to_string())
    }
}
