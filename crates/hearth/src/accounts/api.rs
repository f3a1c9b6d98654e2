//! The accounts JSON API (`/api/v1/…`), described in the OpenAPI document.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{Account, AgeBracket, Role};
use super::service::{self, LoginError, Registration, Secret};
use super::{sessions, store};
use crate::AppState;
use crate::db::now_ms;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::middleware::client_ip;
use crate::web::{AppError, AuthVia};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(create_session, list_sessions))
        .routes(routes!(delete_current_session))
        .routes(routes!(delete_session))
        .routes(routes!(me, update_me, delete_me))
        .routes(routes!(change_password))
}

/// An account as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub handle: String,
    pub role: Role,
    pub is_professional: bool,
    pub age_bracket: AgeBracket,
    /// Interface language (`en`, `es`), or null to follow the browser.
    pub language: Option<String>,
    /// Region for crisis lines (e.g. `US`), or null for automatic.
    pub region: Option<String>,
    /// IANA time zone times are shown in, or null for each session's own.
    pub time_zone: Option<String>,
    /// Quiet hours (0-23, on the member's clock): no e-mailed reminders
    /// from `quiet_from` until `quiet_to`. Null: none.
    pub quiet_from: Option<i64>,
    pub quiet_to: Option<i64>,
    /// Minutes of continuous use after which a break is suggested; null:
    /// never (`PUT /api/v1/me/break-reminder`).
    pub break_minutes: Option<i64>,
    pub has_email: bool,
    /// Epoch milliseconds.
    pub created_at: i64,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id,
            handle: a.handle.clone(),
            role: a.role,
            is_professional: a.is_professional,
            age_bracket: a.age_bracket,
            language: a.language.clone(),
            region: a.region.clone(),
            time_zone: a.time_zone.clone(),
            quiet_from: a.quiet_from,
            quiet_to: a.quiet_to,
            break_minutes: a.break_minutes,
            has_email: a.has_email,
            created_at: a.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 3–30 letters, digits, `_`, `-` or `.`; not a real name.
    #[schema(min_length = 3, max_length = 30)]
    pub handle: String,
    /// At least 10 characters; common passwords are refused.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// Optional, for account recovery only.
    #[serde(default)]
    pub email: Option<String>,
    /// `13-17` or `18+`. `under-13` is refused.
    pub age_bracket: String,
    /// `en` or `es`.
    #[serde(default)]
    pub language: Option<String>,
    /// An admin's invitation code, where the site registers by invitation
    /// only.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub invite: Option<String>,
}

/// Create an account.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Created", body = AccountView),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is invalid; `fields` says which", body = ErrorBody),
        (status = 429, description = "Too many registrations from this client", body = ErrorBody),
    ))]
async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<Response, AppError> {
    let registration = Registration {
        handle: body.handle,
        password: Secret(body.password),
        password_confirm: None,
        email: body.email.unwrap_or_default(),
        age_bracket: body.age_bracket,
        language: body.language.unwrap_or_default(),
        invite: body.invite.unwrap_or_default(),
    };
    let client = client_ip(&state, &headers, Some(peer));
    #[cfg(feature = "test-hooks")]
    if crate::test_hooks::ack_before_commit() {
        return Ok(crate::test_hooks::register_acknowledging_first(
            state,
            registration,
            client,
        ));
    }
    let account = service::register(&state, &registration, client).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(&account))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub handle: String,
    pub password: String,
    /// For an account with a second factor: the code its authenticator app
    /// shows now, or one of its recovery codes.
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`. Never put it in a URL.
    pub token: String,
    pub session_id: i64,
    /// Epoch milliseconds; the session also ends after 30 minutes unused.
    pub expires_at: i64,
    pub account: AccountView,
}

/// Log in; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 201, description = "Logged in", body = SessionCreated),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Unknown handle or wrong password (the same answer for both), or a wrong code; `second_factor_required` when the account needs its code", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    ))]
async fn create_session(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let client = client_ip(&state, &headers, Some(peer));
    let account = match service::login(&state, &body.handle, &body.password, client).await {
        Ok(a) => a,
        Err(LoginError::InvalidCredentials) => return Err(AppError::Unauthorized),
        Err(LoginError::Other(e)) => return Err(e),
    };
    let second_factor = super::factors::enabled(&state.db, account.id).await?;
    if second_factor {
        let Some(code) = body.code.as_deref() else {
            return Err(AppError::SecondFactorRequired);
        };
        if !super::factors::verify(&state, account.id, code).await? {
            return Err(AppError::Unauthorized);
        }
    }
    let (session_id, token, expires_at) =
        sessions::create_with(&state, account.id, AuthVia::Bearer, second_factor).await?;
    let body = SessionCreated {
        token,
        session_id,
        expires_at,
        account: AccountView::from(&account),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: i64,
    /// `browser` or `api`.
    pub kind: String,
    pub current: bool,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

/// The account's live sessions.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", security(("bearer" = [])),
    responses(
        (status = 200, description = "Sessions, most recently used first", body = Vec<SessionView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn list_sessions(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<SessionView>>, AppError> {
    let rows = store::list_sessions(
        &state.db,
        user.account.id,
        now_ms(),
        sessions::idle_ms(&state),
    )
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| SessionView {
                current: r.id == user.session_id,
                id: r.id,
                kind: r.kind,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
                expires_at: r.expires_at,
            })
            .collect(),
    ))
}

/// Log out: end the session this request was made with.
#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "sessions", security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn delete_current_session(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<StatusCode, AppError> {
    sessions::end(&state, user.account.id, user.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End another of the account's sessions.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}", tag = "sessions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such session of this account", body = ErrorBody),
    ))]
async fn delete_session(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    if sessions::end(&state, user.account.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = AccountView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn me(ApiUser(user, _): ApiUser) -> Json<AccountView> {
    Json(AccountView::from(&user.account))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesRequest {
    /// `en`, `es`, or empty to follow the browser. Omit to keep.
    pub language: Option<String>,
    /// A region code from `/api/v1/crisis-resources`, or empty for automatic. Omit to keep.
    pub region: Option<String>,
    /// An IANA time zone (`America/Chicago`), or empty for each session's
    /// own. Omit to keep.
    pub time_zone: Option<String>,
    /// Quiet hours, from and to (0-23, different), both or neither: null
    /// for none. Omit to keep.
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<QuietHours>)]
    pub quiet_hours: Option<Option<QuietHours>>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    #[schema(minimum = 0, maximum = 23)]
    pub from: i64,
    #[schema(minimum = 0, maximum = 23)]
    pub to: i64,
}

/// Change preferences.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    request_body = PreferencesRequest,
    responses(
        (status = 200, description = "Updated account", body = AccountView),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn update_me(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<PreferencesRequest>,
) -> Result<Json<AccountView>, AppError> {
    let a = &user.account;
    let language = body
        .language
        .unwrap_or_else(|| a.language.clone().unwrap_or_default());
    let region = body
        .region
        .unwrap_or_else(|| a.region.clone().unwrap_or_default());
    let time_zone = body
        .time_zone
        .unwrap_or_else(|| a.time_zone.clone().unwrap_or_default());
    let quiet = match body.quiet_hours {
        Some(Some(q)) => Some((q.from, q.to)),
        Some(None) => None,
        None => a.quiet_from.zip(a.quiet_to),
    };
    let (from, to) = quiet.map_or((String::new(), String::new()), |(f, t)| {
        (f.to_string(), t.to_string())
    });
    service::set_preferences(&state, a, &language, &region, &time_zone, (&from, &to)).await?;
    let mut updated = a.clone();
    updated.quiet_from = quiet.map(|q| q.0);
    updated.quiet_to = quiet.map(|q| q.1);
    updated.time_zone = Some(time_zone.trim().to_owned()).filter(|z| !z.is_empty());
    updated.language = Some(language).filter(|l| !l.is_empty());
    updated.region = state.crisis.region(&region).map(|r| r.code.clone());
    Ok(Json(AccountView::from(&updated)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    #[schema(min_length = 10, max_length = 256)]
    pub new_password: String,
}

/// Change the password; every other session of the account ends.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", security(("bearer" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Wrong current password or unacceptable new one", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<PasswordChangeRequest>,
) -> Result<StatusCode, AppError> {
    service::change_password(
        &state,
        &user.account,
        user.session_id,
        &body.current_password,
        &body.new_password,
        None,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    pub password: String,
    /// Also delete their forum posts and chat messages (their text is
    /// erased); otherwise they stay, shown as a former member's.
    #[serde(default)]
    pub erase_posts: bool,
}

/// Delete the account and end all its sessions.
#[utoipa::path(delete, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Wrong password", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    ))]
async fn delete_me(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<DeleteAccountRequest>,
) -> Result<StatusCode, AppError> {
    service::delete_account(&state, &user.account, &body.password, body.erase_posts).await?;
    Ok(StatusCode::NO_CONTENT)
}
