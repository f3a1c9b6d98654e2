//! The moderation API: crisis alerts, response times, and the audit log's
//! verification. Staff only (the audit log: admins).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::moderation::{self, ActionKind};
use super::pages::{acknowledge_alert, require_staff, resolve_alert};
use super::{ResponseTimes, audit, moderation_pages, store};
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
    if body.text.chars().count() > crate::forum::service::BODY_MAX {
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
    audit::record(&state.db, Some(user.account.id), "alerts.list", "alert", 0).await;
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
    let q = moderation_pages::TargetQuery::new(body.post, body.message, body.member);
    let (target, _) = moderation_pages::resolve_target(&state, &user, &slug, &q).await?;
    let id = moderation::report(&state, &user, &target, &body.reason, &body.details).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    /// `post`, `message` or `member`.
    pub target_kind: String,
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
    params(AlertsQuery),
    responses(
        (status = 200, description = "Reports, oldest first (resolved: newest first)", body = Vec<ReportView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither staff nor a facilitator", body = ErrorBody),
    ))]
async fn list_reports(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<AlertsQuery>,
) -> Result<Json<Vec<ReportView>>, AppError> {
    let rows = moderation::reports(&state, &user, q.resolved).await?;
    audit::record(
        &state.db,
        Some(user.account.id),
        "reports.list",
        "report",
        0,
    )
    .await;
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
                status: r.status,
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
    /// hide, warn, mute, suspend or ban.
    pub kind: String,
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
                appeal: s.appeal_status,
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
        (status = 200, description = "Held posts", body = Vec<super::review::HeldPost>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither staff nor a facilitator", body = ErrorBody),
    ))]
async fn held_posts(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<super::review::HeldPost>>, AppError> {
    let rows = super::review::queue(&state, &user).await?;
    audit::record(&state.db, Some(user.account.id), "held.list", "post", 0).await;
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
    super::review::approve(&state, &user, post, q.version).await?;
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
    super::review::decline(&state, &user, post, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
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
