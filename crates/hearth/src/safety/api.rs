//! The moderation API: crisis alerts, response times, and the audit log's
//! verification. Staff only (the audit log: admins).

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pages::{acknowledge_alert, require_staff, resolve_alert};
use super::{ResponseTimes, audit, store};
use crate::AppState;
use crate::accounts::model::Role;
use crate::api::ErrorBody;
use crate::web::AppError;
use crate::web::extract::{ApiJson, ApiUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_alerts))
        .routes(routes!(acknowledge))
        .routes(routes!(resolve))
        .routes(routes!(response_times))
        .routes(routes!(verify_audit))
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
    /// `thread`, `reply`, `post_edit`, `chat_message` or `chat_edit`.
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
        status: a.status,
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
    require_staff(&user)?;
    let rows = store::list(&state.db, q.resolved, 200).await?;
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
