//! The live sessions JSON API: a group's sessions and their coming dates,
//! scheduling, places and the waiting list, calling off. The same rules as
//! the pages (service.rs).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::schedule::Recurrence;
use super::service::{self, MeetingInput, Upcoming};
use super::store::{Format, MeetingRow, Rsvp};
use crate::AppState;
use crate::groups::access::Access;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::{AppError, CurrentUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions, create_session))
        .routes(routes!(get_session, update_session, cancel_series))
        .routes(routes!(attend, withdraw))
        .routes(routes!(cancel_date))
        .routes(routes!(attended))
        .routes(routes!(get_notes, put_notes))
}

/// The facilitators' private notes on one date (the group's facilitators
/// only), kept sealed.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/sessions/{id}/dates/{date}/notes", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("date" = String, Path, description = "`YYYY-MM-DD`, in the session's time zone")),
    responses(
        (status = 200, description = "The notes (empty before anyone wrote any)", body = service::Notes),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
    ))]
async fn get_notes(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, date)): Path<(String, i64, String)>,
) -> Result<Json<service::Notes>, AppError> {
    Ok(Json(service::notes(&state, &user, &slug, id, &date).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotesRequest {
    /// At most 10,000 characters; empty clears them.
    #[schema(max_length = 10000)]
    pub body: String,
}

/// Replaces the facilitators' notes on one date.
#[utoipa::path(put, path = "/api/v1/groups/{slug}/sessions/{id}/dates/{date}/notes", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("date" = String, Path, description = "`YYYY-MM-DD`, in the session's time zone")),
    request_body = NotesRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Not a date, or notes too long or with control characters", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
    ))]
async fn put_notes(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, date)): Path<(String, i64, String)>,
    ApiJson(req): ApiJson<NotesRequest>,
) -> Result<StatusCode, AppError> {
    service::save_notes(&state, &user, &slug, id, &date, &req.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who came to one date, in the order they first came (the group's
/// facilitators, moderators and admins). Members who chose a neutral label
/// in the room are named here, marked `anonymous`.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/sessions/{id}/dates/{date}/attended", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("date" = String, Path, description = "`YYYY-MM-DD`, in the session's time zone")),
    responses(
        (status = 200, description = "Who came", body = [super::store::Attended]),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
    ))]
async fn attended(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, date)): Path<(String, i64, String)>,
) -> Result<Json<Vec<super::store::Attended>>, AppError> {
    Ok(Json(
        service::attended(&state, &user, &slug, id, &date).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// The first start on the wall clock of `time_zone` (`2026-12-10T19:00:00`).
    pub first_start: String,
    /// The session's IANA time zone.
    pub time_zone: String,
    pub minutes: i64,
    pub recurrence: Recurrence,
    /// The last date a meeting may fall on, in `time_zone`.
    pub until: Option<String>,
    pub capacity: i64,
    pub format: Format,
    /// Called off, every date still to come.
    pub cancelled: bool,
}

impl From<&MeetingRow> for SessionView {
    fn from(m: &MeetingRow) -> Self {
        Self {
            id: m.id,
            title: m.title.clone(),
            description: m.description.clone(),
            first_start: m.first_start.clone(),
            time_zone: m.time_zone.clone(),
            minutes: m.minutes,
            recurrence: m.recurrence,
            until: m.until_date.clone(),
            capacity: m.capacity,
            format: m.format,
            cancelled: m.cancelled_at.is_some(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DateView {
    pub session_id: i64,
    /// The date's name: its date in the session's time zone.
    pub date: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    /// The start on the caller's clock (their time zone, or else the
    /// session's), RFC 3339 with offset.
    pub local_start: String,
    /// The zone of `local_start`.
    pub local_zone: String,
    pub going: i64,
    pub waiting: i64,
    pub capacity: i64,
    /// The caller's place, if any.
    pub mine: Option<Rsvp>,
    /// The caller's place in the waiting list, from 1.
    pub waiting_place: Option<i64>,
}

fn date_view(user: &CurrentUser, u: &Upcoming) -> DateView {
    let zone = service::viewer_zone(user, &u.meeting);
    let local = u.occurrence.start.to_zoned_datetime(zone.clone());
    DateView {
        session_id: u.meeting.id,
        date: u.occurrence.date.to_string(),
        starts_at: u.occurrence.start.to_string(),
        ends_at: u.occurrence.end.to_string(),
        local_start: local.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        local_zone: zone.iana_name().unwrap_or("UTC").to_owned(),
        going: u.going,
        waiting: u.waiting,
        capacity: u.meeting.capacity,
        mine: u.mine.map(|m| m.0),
        waiting_place: u.mine.filter(|m| m.0 == Rsvp::Waiting).map(|m| m.1),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionView>,
    /// The coming dates of all of them, soonest first.
    pub dates: Vec<DateView>,
}

async fn list_of(
    state: &AppState,
    user: &CurrentUser,
    access: &Access,
    only: Option<&MeetingRow>,
) -> Result<SessionList, AppError> {
    let sessions = match only {
        Some(m) => vec![SessionView::from(m)],
        None => super::store::of_group(&state.db, access.group.id)
            .await?
            .iter()
            .map(SessionView::from)
            .collect(),
    };
    let dates = service::agenda(state, access, only)
        .await?
        .iter()
        .map(|u| date_view(user, u))
        .collect();
    Ok(SessionList { sessions, dates })
}

/// A group's sessions and their coming dates (its members and staff).
#[utoipa::path(get, path = "/api/v1/groups/{slug}/sessions", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The sessions not called off, and their coming dates", body = SessionList),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn list_sessions(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<SessionList>, AppError> {
    let access = crate::groups::access::check(&state, &user, &slug).await?;
    Ok(Json(list_of(&state, &user, &access, None).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSessionRequest {
    #[schema(max_length = 120)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
    /// The first start on the wall clock of `time_zone`: `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// An IANA time zone, e.g. `America/Chicago`.
    pub time_zone: String,
    /// From 15 to 480.
    pub minutes: i64,
    pub recurrence: Recurrence,
    /// The last date (`YYYY-MM-DD`) for a series; absent: no end.
    #[serde(default)]
    pub until: Option<String>,
    /// From 2 to 100.
    pub capacity: i64,
    pub format: Format,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSession {
    pub id: i64,
    /// Present when the words suggest the writer may be in danger: the
    /// crisis lines to show them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crisis: Option<crate::safety::CrisisResponse>,
}

/// Schedule a session (the group's facilitators and staff).
#[utoipa::path(post, path = "/api/v1/groups/{slug}/sessions", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = NewSessionRequest,
    responses(
        (status = 201, description = "Scheduled", body = CreatedSession),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn create_session(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewSessionRequest>,
) -> Result<Response, AppError> {
    let input = MeetingInput {
        title: body.title,
        description: body.description,
        start: body.start,
        time_zone: body.time_zone,
        minutes: body.minutes.to_string(),
        recurrence: body.recurrence.as_str().to_owned(),
        until: body.until.unwrap_or_default(),
        capacity: body.capacity.to_string(),
        format: body.format.as_str().to_owned(),
    };
    let (_, id, level) = service::create(&state, &user, &slug, &input).await?;
    let crisis = level.map(|l| crate::safety::response(&state, &ctx, l));
    Ok((StatusCode::CREATED, Json(CreatedSession { id, crisis })).into_response())
}

/// One session and its coming dates.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/sessions/{id}", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 200, description = "The session (its dates are empty once called off)", body = SessionList),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such session in the group", body = ErrorBody),
    ))]
async fn get_session(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<SessionList>, AppError> {
    let (access, m) = service::meeting(&state, &user, &slug, id).await?;
    Ok(Json(list_of(&state, &user, &access, Some(&m)).await?))
}

/// Call off every date still to come (the group's facilitators and staff).
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/sessions/{id}", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Called off"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such session in the group", body = ErrorBody),
    ))]
async fn cancel_series(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::cancel(&state, &user, &slug, id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attendance {
    pub status: Rsvp,
}

/// Take a place at one date, or a place in its waiting list when it is
/// full (the group's members). Asking again keeps the place.
#[utoipa::path(put, path = "/api/v1/groups/{slug}/sessions/{id}/dates/{date}/attendance", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("date" = String, Path, description = "`YYYY-MM-DD`, in the session's time zone")),
    responses(
        (status = 200, description = "A place, or a place in the waiting list", body = Attendance),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such session, or no such date still to come", body = ErrorBody),
    ))]
async fn attend(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, date)): Path<(String, i64, String)>,
) -> Result<Json<Attendance>, AppError> {
    let (_, status) = service::attend(&state, &user, &slug, id, &date).await?;
    Ok(Json(Attendance { status }))
}

/// Give up a place, or a place in the waiting list; a freed place goes to
/// the first who waits.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/sessions/{id}/dates/{date}/attendance", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("date" = String, Path, description = "`YYYY-MM-DD`, in the session's time zone")),
    responses(
        (status = 204, description = "Not coming"),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such session, or no such date still to come", body = ErrorBody),
    ))]
async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, date)): Path<(String, i64, String)>,
) -> Result<StatusCode, AppError> {
    service::withdraw(&state, &user, &slug, id, &date).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Call off one date (the group's facilitators and staff).
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/sessions/{id}/dates/{date}", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("date" = String, Path, description = "`YYYY-MM-DD`, in the session's time zone")),
    responses(
        (status = 204, description = "Called off"),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such session, or no such date still to come", body = ErrorBody),
    ))]
async fn cancel_date(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, date)): Path<(String, i64, String)>,
) -> Result<StatusCode, AppError> {
    service::cancel(&state, &user, &slug, id, Some(&date)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionUpdate {
    #[schema(max_length = 120)]
    pub title: Option<String>,
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// From 2 to 100. More places go to those waiting, in order; fewer
    /// take no place from anyone.
    pub capacity: Option<i64>,
    pub format: Option<Format>,
    /// The last date (`YYYY-MM-DD`), or null for no end. Omit to keep.
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<String>)]
    pub until: Option<Option<String>>,
}

/// Change a session's title, description, places, format or last date
/// (the group's facilitators and staff). Its time and how it repeats stay.
#[utoipa::path(patch, path = "/api/v1/groups/{slug}/sessions/{id}", tag = "sessions", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = SessionUpdate,
    responses(
        (status = 200, description = "The session as it is now", body = SessionList),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group, or called off", body = ErrorBody),
        (status = 404, description = "No such session in the group", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn update_session(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<SessionUpdate>,
) -> Result<Json<SessionList>, AppError> {
    let (_, m) = service::meeting(&state, &user, &slug, id).await?;
    let input = MeetingInput {
        title: body.title.unwrap_or(m.title),
        description: body.description.unwrap_or(m.description),
        capacity: body.capacity.unwrap_or(m.capacity).to_string(),
        format: body.format.unwrap_or(m.format).as_str().to_owned(),
        until: body.until.unwrap_or(m.until_date).unwrap_or_default(),
        ..MeetingInput::default()
    };
    service::update(&state, &user, &slug, id, &input).await?;
    let (access, m) = service::meeting(&state, &user, &slug, id).await?;
    Ok(Json(list_of(&state, &user, &access, Some(&m)).await?))
}
