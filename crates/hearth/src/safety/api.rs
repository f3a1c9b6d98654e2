//! The moderation API: crisis alerts, response times, and the audit log's
//! verification. Staff only (the audit log: admins).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pages::{acknowledge_alert, require_staff, resolve_alert};
use super::{ResponseTimes, audit, store};
use crate::AppState;
use crate::accounts::model::Role;
use crate::web::AppError;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_alerts))
        .routes(routes!(acknowledge))
        .routes(routes!(resolve))
        .routes(routes!(response_times))
        .routes(routes!(verify_audit))
        .routes(routes!(list_filters, add_filter))
        .routes(routes!(remove_filter))
        .routes(routes!(check_draft))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// What the member is still writing (up to 20,000 characters). It is
    /// read by the crisis detector and forgotten: never stored or logged.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftCheck {
    /// Offer the crisis lines gently, before they post.
    pub offer: bool,
}

/// While a member is still writing, whether the composer should offer the
/// crisis lines gently. Nothing is raised and nothing is kept: alerts come
/// only from what is posted.
#[utoipa::path(post, path = "/api/v1/crisis/check", tag = "safety", security(("bearer" = [])),
    request_body = Draft,
    responses(
        (status = 200, description = "Whether to offer help now", body = DraftCheck),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Longer than 20,000 characters", body = ErrorBody),
    ))]
async fn check_draft(
    State(state): State<AppState>,
    ApiUser(_user, _): ApiUser,
    ApiJson(body): ApiJson<Draft>,
) -> Result<Json<DraftCheck>, AppError> {
    if body.text.chars().count() > crate::text::WRITING_MAX {
        return Err(AppError::Validation(vec![("text", "error-post-body")]));
    }
    Ok(Json(DraftCheck {
        offer: state.detector.assess(&body.text).asks_for_help(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: i64,
    /// `imminent` or `ideation`: the highest level seen.
    pub level: String,
    pub score: f64,
    /// The writer's handle (absent once their account is deleted).
    pub writer: Option<String>,
    pub group: Option<String>,
    /// Where the latest risky writing is, in context.
    pub source_url: String,
    /// `thread`, `reply`, `post_edit`, `chat_message`, `chat_edit`, `session`
    /// (a session's title or description), or `session_incident` (logged by a
    /// facilitator during a live session; its evidence is their note).
    pub source_kind: String,
    /// How many risky writings joined this alert.
    pub count: i64,
    /// `open`, `acknowledged` or `resolved`.
    pub status: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub last_at: i64,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub outcome: Option<String>,
    /// What the detector read, and why.
    #[schema(value_type = Vec<Object>)]
    pub evidence: Vec<crisis::Evidence>,
}

fn view(state: &AppState, a: store::AlertRow) -> AlertView {
    let evidence = super::evidence(state, &a);
    AlertView {
        id: a.id,
        level: a.level,
        score: a.score,
        writer: a.writer,
        group: a.group_name,
        source_url: a.source_url,
        source_kind: a.source_kind,
        count: a.count,
        status: a.status.as_str().to_owned(),
        created_at: a.created_at,
        last_at: a.last_at,
        acknowledged_by: a.acknowledged_by,
        acknowledged_at: a.acknowledged_at,
        resolved_by: a.resolved_by,
        resolved_at: a.resolved_at,
        outcome: a.outcome,
        evidence,
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct AlertsQuery {
    /// `true` for resolved alerts (newest first); otherwise those not yet
    /// resolved, imminent first, then the longest waiting.
    resolved: bool,
}

/// Crisis alerts (moderators and admins).
#[utoipa::path(get, path = "/api/v1/moderation/alerts", tag = "moderation", security(("bearer" = [])),
    params(AlertsQuery),
    responses(
        (status = 200, description = "Alerts, most urgent first", body = Vec<AlertView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a moderator or admin", body = ErrorBody),
    ))]
async fn list_alerts(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<AlertsQuery>,
) -> Result<Json<Vec<AlertView>>, AppError> {
    let rows = crate::safety::alerts(&state, &user, q.resolved).await?;
    Ok(Json(rows.into_iter().map(|a| view(&state, a)).collect()))
}

/// Acknowledge an alert: someone is on it (moderators and admins).
#[utoipa::path(post, path = "/api/v1/moderation/alerts/{id}/acknowledge", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The alert, acknowledged", body = AlertView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a moderator or admin", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
    ))]
async fn acknowledge(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AlertView>, AppError> {
    let alert = acknowledge_alert(&state, &user, id).await?;
    Ok(Json(view(&state, alert)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// What was done: 1–2,000 characters.
    pub outcome: String,
}

/// Resolve an alert with an outcome note (moderators and admins).
#[utoipa::path(post, path = "/api/v1/moderation/alerts/{id}/resolve", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = Resolution,
    responses(
        (status = 200, description = "The alert, resolved", body = AlertView),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a moderator or admin", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
        (status = 422, description = "The outcome is missing or too long", body = ErrorBody),
    ))]
async fn resolve(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Resolution>,
) -> Result<Json<AlertView>, AppError> {
    let alert = resolve_alert(&state, &user, id, &body.outcome).await?;
    Ok(Json(view(&state, alert)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// Alerts not yet resolved.
    pub open: i64,
    pub last_7_days: ResponseTimes,
    pub last_30_days: ResponseTimes,
}

/// Time to acknowledge crisis alerts over the last 7 and 30 days.
#[utoipa::path(get, path = "/api/v1/moderation/stats", tag = "moderation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Open alerts and response times", body = Stats),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a moderator or admin", body = ErrorBody),
    ))]
async fn response_times(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Stats>, AppError> {
    require_staff(&user)?;
    Ok(Json(Stats {
        open: store::open_count(&state.db).await?,
        last_7_days: super::response_times(&state, 7).await?,
        last_30_days: super::response_times(&state, 30).await?,
    }))
}

/// Check the audit log's hash chain (admins).
#[utoipa::path(get, path = "/api/v1/admin/audit/verify", tag = "moderation", security(("bearer" = [])),
    responses(
        (status = 200, description = "The verdict", body = audit::Verdict),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    ))]
async fn verify_audit(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<audit::Verdict>, AppError> {
    if user.account.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok(Json(audit::verify(&state.db).await?))
}

/// The word filters (admins).
#[utoipa::path(get, path = "/api/v1/admin/filters", tag = "moderation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every filter", body = Vec<super::filters::FilterRow>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    ))]
async fn list_filters(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<super::filters::FilterRow>>, AppError> {
    Ok(Json(super::filters::list(&state, &user).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFilter {
    /// A word or phrase (up to 8 words, 100 characters); a trailing `*`
    /// matches words that start with it.
    pub phrase: String,
    pub action: super::filters::FilterAction,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FilterId {
    pub id: i64,
}

/// Add a word filter, or change what the filter for the same words does
/// (admins). Words people use to ask for help cannot be filtered.
#[utoipa::path(post, path = "/api/v1/admin/filters", tag = "moderation", security(("bearer" = [])),
    request_body = NewFilter,
    responses(
        (status = 201, description = "Saved", body = FilterId),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "The phrase is not valid, or is crisis language", body = ErrorBody),
    ))]
async fn add_filter(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<NewFilter>,
) -> Result<(StatusCode, Json<FilterId>), AppError> {
    let id = super::filters::add(&state, &user, &body.phrase, body.action.as_str()).await?;
    Ok((StatusCode::CREATED, Json(FilterId { id })))
}

/// Remove a word filter (admins).
#[utoipa::path(delete, path = "/api/v1/admin/filters/{id}", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such filter", body = ErrorBody),
    ))]
async fn remove_filter(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    super::filters::remove(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
