//! The JSON API of moderation: reports, actions, notices and appeals, and
//! the review queue.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::review;
use super::service::{self as moderation, ActionKind};
use crate::AppState;
use crate::safety::reports::TargetKind;
use crate::web::AppError;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ReportsQuery {
    /// `true` for resolved reports (newest first); otherwise the open ones.
    resolved: bool,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_report))
        .routes(routes!(list_reports))
        .routes(routes!(create_action))
        .routes(routes!(resolve_report))
        .routes(routes!(revoke_action))
        .routes(routes!(my_notices))
        .routes(routes!(create_appeal))
        .routes(routes!(decide_appeal))
        .routes(routes!(held_posts))
        .routes(routes!(approve_held))
        .routes(routes!(decline_held))
}

// ------------------------------------------------- reports, actions, appeals

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// One of `post` (a post's id), `message` (`ROOM-SEQ`) or `member` (a
    /// handle), in the group of the address.
    pub post: Option<i64>,
    pub message: Option<String>,
    pub member: Option<String>,
    /// harassment, hate, unsafe, spam, sexual, privacy or other.
    pub reason: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub details: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Report a post, a chat message or a member of a group to its
/// facilitators and the moderators.
#[utoipa::path(post, path = "/api/v1/groups/{slug}/reports", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = NewReport,
    responses(
        (status = 201, description = "Reported", body = Created),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group or target", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn create_report(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewReport>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let q = super::target::TargetQuery::new(body.post, body.message, body.member);
    let (target, _) = super::target::resolve_target(&state, &user, &slug, &q).await?;
    let id = moderation::report(&state, &user, &target, &body.reason, &body.details).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub target_member: Option<String>,
    pub group: Option<String>,
    /// Shown to moderators and admins only.
    pub reporter: Option<String>,
    pub reason: String,
    pub details: String,
    /// `open` or `resolved`.
    pub status: String,
    pub assignee: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub resolution: Option<String>,
}

/// Reports: all for moderators and admins, their groups' for facilitators.
#[utoipa::path(get, path = "/api/v1/moderation/reports", tag = "moderation", security(("bearer" = [])),
    params(ReportsQuery),
    responses(
        (status = 200, description = "Reports, oldest first (resolved: newest first)", body = Vec<ReportView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither staff nor a facilitator", body = ErrorBody),
    ))]
async fn list_reports(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<ReportsQuery>,
) -> Result<Json<Vec<ReportView>>, AppError> {
    let rows = moderation::reports(&state, &user, q.resolved).await?;
    // Who reported is for staff only, not for the group's facilitators.
    let staff = user.is_staff();
    Ok(Json(
        rows.into_iter()
            .map(|r| ReportView {
                id: r.id,
                target_kind: r.target_kind,
                target_id: r.target_id,
                target_member: r.target_handle,
                group: r.group_name,
                reporter: r.reporter.filter(|_| staff),
                reason: r.reason,
                details: r.details,
                status: r.status.as_str().to_owned(),
                assignee: r.assignee,
                created_at: r.created_at,
                resolved_at: r.resolved_at,
                resolution: r.resolution,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    pub kind: ActionKind,
    /// Up to 500 characters; the member sees it.
    pub reason: String,
    /// For `mute` and `suspend`: 1, 24, 72, 168 or 720.
    pub hours: Option<i64>,
}

/// Take an action from a case (facilitators in their groups: hide, warn,
/// mute; moderators and admins: also suspend and ban).
#[utoipa::path(post, path = "/api/v1/moderation/reports/{id}/actions", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = NewAction,
    responses(
        (status = 201, description = "Done; the member is told", body = Created),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such report", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn create_action(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewAction>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = moderation::act(&state, &user, id, body.kind, &body.reason, body.hours).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Up to 2,000 characters.
    pub message: String,
}

/// Resolve a case, with a message to the person who reported it.
#[utoipa::path(post, path = "/api/v1/moderation/reports/{id}/resolve", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = Message,
    responses(
        (status = 204, description = "Resolved"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such report", body = ErrorBody),
        (status = 422, description = "The message is missing or too long", body = ErrorBody),
    ))]
async fn resolve_report(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Message>,
) -> Result<StatusCode, AppError> {
    moderation::resolve(&state, &user, id, &body.message).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Up to 500 characters.
    pub reason: String,
}

/// Undo an action (restore a post, unmute, unsuspend, unban).
#[utoipa::path(post, path = "/api/v1/moderation/actions/{id}/revoke", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = Reason,
    responses(
        (status = 204, description = "Undone"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such action", body = ErrorBody),
        (status = 422, description = "The reason is missing or too long", body = ErrorBody),
    ))]
async fn revoke_action(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Reason>,
) -> Result<StatusCode, AppError> {
    moderation::revoke(&state, &user, id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    /// The action's id: appeal it with this.
    pub id: i64,
    pub kind: ActionKind,
    pub reason: String,
    pub group: Option<String>,
    pub post_id: Option<i64>,
    /// A hidden chat message: its room and number.
    pub room_id: Option<i64>,
    pub message_seq: Option<i64>,
    /// What a `hide` hid: the member's own words, kept for their appeal.
    pub content: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub lifted_at: Option<i64>,
    /// open, upheld or overturned, once appealed.
    pub appeal: Option<String>,
    pub decision: Option<String>,
}

/// The caller's notices: every moderator's action about them.
#[utoipa::path(get, path = "/api/v1/account/notices", tag = "moderation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first", body = Vec<NoticeView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn my_notices(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<NoticeView>>, AppError> {
    let rows = moderation::my_sanctions(&state.db, user.account.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| NoticeView {
                id: s.id,
                kind: s.kind,
                reason: s.reason,
                group: s.group_name,
                post_id: s.post_id,
                room_id: s.message_room,
                message_seq: s.message_seq,
                content: s.content,
                created_at: s.created_at,
                expires_at: s.expires_at,
                lifted_at: s.revoked_at,
                appeal: s.appeal_status.map(|a| a.as_str().to_owned()),
                decision: s.appeal_decision,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    /// Up to 2,000 characters.
    pub appeal: String,
}

/// Appeal an action about oneself, once.
#[utoipa::path(post, path = "/api/v1/account/notices/{id}/appeal", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = NewAppeal,
    responses(
        (status = 201, description = "Appealed", body = Created),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such action about the caller", body = ErrorBody),
        (status = 422, description = "Missing, too long, or appealed already", body = ErrorBody),
    ))]
async fn create_appeal(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewAppeal>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = moderation::appeal(&state, &user, id, &body.appeal).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `overturn` (the action is undone) or `uphold`.
    pub outcome: String,
    /// Up to 500 characters; the member sees it.
    pub decision: String,
}

/// Decide an appeal (moderators and admins other than the one who acted).
#[utoipa::path(post, path = "/api/v1/moderation/appeals/{id}/decide", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The appealed action's id")),
    request_body = Decision,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a moderator or admin", body = ErrorBody),
        (status = 404, description = "No open appeal of that action", body = ErrorBody),
        (status = 422, description = "Invalid, or the caller took the action", body = ErrorBody),
    ))]
async fn decide_appeal(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Decision>,
) -> Result<StatusCode, AppError> {
    let overturn = match body.outcome.as_str() {
        "overturn" => true,
        "uphold" => false,
        _ => {
            return Err(AppError::Validation(vec![(
                "outcome",
                "error-appeal-outcome",
            )]));
        }
    };
    moderation::decide(&state, &user, id, overturn, &body.decision).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Posts waiting for review, oldest first: all for staff, their groups'
/// for facilitators.
#[utoipa::path(get, path = "/api/v1/moderation/held", tag = "moderation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Held posts", body = Vec<review::HeldPost>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither staff nor a facilitator", body = ErrorBody),
    ))]
async fn held_posts(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<review::HeldPost>>, AppError> {
    let rows = review::queue(&state, &user).await?;
    Ok(Json(rows))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ApproveParams {
    /// The version read: the post's `edited_at`, 0 if never edited. If the
    /// author changed it since, nothing is approved (422).
    pub version: Option<i64>,
}

/// Publish a held post (its group's facilitators, staff; never its author).
#[utoipa::path(post, path = "/api/v1/moderation/held/{id}/approve", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path), ApproveParams),
    responses(
        (status = 204, description = "Approved"),
        (status = 422, description = "The author changed it since that version", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such held post", body = ErrorBody),
    ))]
async fn approve_held(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(post): Path<i64>,
    Query(q): Query<ApproveParams>,
) -> Result<StatusCode, AppError> {
    review::approve(&state, &user, post, q.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline a held post: it is hidden, and its author sees the reason and
/// may appeal.
#[utoipa::path(post, path = "/api/v1/moderation/held/{id}/decline", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = Reason,
    responses(
        (status = 204, description = "Declined"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such held post", body = ErrorBody),
        (status = 422, description = "The reason is missing or too long", body = ErrorBody),
    ))]
async fn decline_held(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(post): Path<i64>,
    ApiJson(body): ApiJson<Reason>,
) -> Result<StatusCode, AppError> {
    review::decline(&state, &user, post, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
