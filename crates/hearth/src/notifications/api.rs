//! The notifications over the JSON API.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store;
use crate::AppState;
use crate::db::now_ms;
use crate::web::AppError;
use crate::web::error::ErrorBody;
use crate::web::extract::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(read_notifications))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: store::NotificationKind,
    /// In the request's language.
    pub text: String,
    /// The words of a decision about the member: a facilitator's welcome
    /// or reason, a moderator's message about a report, the reason for an
    /// action or an appeal's decision.
    pub detail: Option<String>,
    /// Where it leads on the site.
    pub href: String,
    pub group: Option<String>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub read: bool,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: i64,
    pub notifications: Vec<NotificationView>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct NotificationParams {
    /// Notifications older than this id.
    before: Option<i64>,
}

/// The caller's notifications, newest first (50 a page).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])),
    params(NotificationParams),
    responses(
        (status = 200, description = "Notifications", body = NotificationList),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn list_notifications(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Query(p): Query<NotificationParams>,
) -> Result<Json<NotificationList>, AppError> {
    let tr = ctx.tr();
    let rows = store::list(&state.db, user.account.id, p.before.unwrap_or(i64::MAX), 50).await?;
    Ok(Json(NotificationList {
        unread: store::unread_count(&state.db, user.account.id).await?,
        notifications: rows
            .iter()
            .map(|n| {
                let (text, href) = super::pages::describe(tr, n);
                NotificationView {
                    id: n.id,
                    kind: n.kind,
                    text,
                    detail: n.detail.clone().filter(|d| !d.trim().is_empty()),
                    href,
                    group: n.group_slug.clone(),
                    thread_id: n.thread_id,
                    post_id: n.post_id,
                    read: n.read_at.is_some(),
                    created_at: n.created_at,
                }
            })
            .collect(),
    }))
}

/// Mark every notification read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", security(("bearer" = [])),
    responses(
        (status = 204, description = "All read"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn read_notifications(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<StatusCode, AppError> {
    store::mark_read(&state.db, user.account.id, None, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}
