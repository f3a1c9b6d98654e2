//! Chat rooms over HTTP: finding them, reading history, and the
//! facilitators' controls. Live traffic travels over `/live` (see
//! docs/protocol.md).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use super::store::{self, RoomRow};
use crate::AppState;
use crate::db::now_ms;
use crate::groups::access::Access;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::{AppError, CurrentUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rooms, create_room))
        .routes(routes!(update_room))
        .routes(routes!(room_messages))
        .routes(routes!(mute_room, unmute_room))
}

/// Mute a room, for the caller only: it is quiet for them (the page reads
/// no new messages out and shows no typing).
#[utoipa::path(put, path = "/api/v1/groups/{slug}/rooms/{id}/mute", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Muted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
async fn mute_room(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    let (_, room) = room_of(&state, &user, &slug, id).await?;
    store::set_mute(&state.db, room.id, user.account.id, true, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unmute a room.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/rooms/{id}/mute", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Not muted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
async fn unmute_room(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    let (_, room) = room_of(&state, &user, &slug, id).await?;
    store::set_mute(&state.db, room.id, user.account.id, false, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    /// Use it in `subscribe` and `send` frames.
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The newest event's number.
    pub last_seq: i64,
    /// Only facilitators and staff may write while locked.
    pub locked: bool,
    /// Seconds a member waits between messages; 0 when off.
    pub slow_seconds: i64,
}

fn room_view(room: RoomRow) -> RoomView {
    RoomView {
        id: room.id,
        slug: room.slug,
        name: room.name,
        last_seq: room.last_seq,
        locked: room.locked,
        slow_seconds: room.slow_seconds,
    }
}

/// A group's chat rooms, the main one first (members and staff).
#[utoipa::path(get, path = "/api/v1/groups/{slug}/rooms", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The group's rooms", body = Vec<RoomView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn list_rooms(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<RoomView>>, AppError> {
    let access = crate::groups::access::check(&state, &user, &slug).await?;
    let rooms = store::rooms_of(&state.db, access.group.id, now_ms()).await?;
    Ok(Json(rooms.into_iter().map(room_view).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoom {
    /// 1–40 characters, e.g. "Check-in".
    pub name: String,
}

/// Add a room to the group (its facilitators and staff; at most 10 rooms).
#[utoipa::path(post, path = "/api/v1/groups/{slug}/rooms", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = NewRoom,
    responses(
        (status = 201, description = "The room is open", body = RoomView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The name is invalid, or the group has 10 rooms", body = ErrorBody),
    ))]
async fn create_room(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewRoom>,
) -> Result<Response, AppError> {
    let access = crate::groups::access::check(&state, &user, &slug).await?;
    let room = service::add_room(&state, &access, &body.name).await?;
    Ok((StatusCode::CREATED, Json(room_view(room))).into_response())
}

/// The room `id` of the group at `slug`, for someone who may read it.
async fn room_of(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
) -> Result<(Access, RoomRow), AppError> {
    let access = crate::groups::access::check(state, user, slug).await?;
    match store::room(&state.db, id).await? {
        Some(room) if room.group_id == access.group.id => Ok((access, room)),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomUpdate {
    pub name: Option<String>,
    /// 0 (off), 10, 30, 60 or 300.
    pub slow_seconds: Option<i64>,
    pub locked: Option<bool>,
}

/// Rename a room, set its slow mode or lock it (the group's facilitators
/// and staff). Connected members get a `room` frame at once.
#[utoipa::path(patch, path = "/api/v1/groups/{slug}/rooms/{id}", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = RoomUpdate,
    responses(
        (status = 200, description = "The room as it is now", body = RoomView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn update_room(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<RoomUpdate>,
) -> Result<Json<RoomView>, AppError> {
    let (access, room) = room_of(&state, &user, &slug, id).await?;
    let room = service::set_controls(
        &state,
        &access,
        &room,
        body.name.as_deref(),
        body.slow_seconds,
        body.locked,
    )
    .await?;
    Ok(Json(room_view(room)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Messages numbered below this; the newest when absent.
    pub before: Option<i64>,
    /// 1–100 (default 50).
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub seq: i64,
    /// Absent once the author's account is deleted.
    pub author: Option<String>,
    /// The current text; empty once deleted (or withheld, see `hidden`).
    pub body: String,
    /// Epoch milliseconds.
    pub at: i64,
    pub client_id: String,
    pub edited: Option<i64>,
    /// `author` or `moderator` once deleted.
    pub deleted: Option<String>,
    /// Hidden by a moderator: `body` is empty but for its author and those
    /// who moderate the group.
    pub hidden: bool,
}

/// A page of a room's messages as they stand now, oldest first (edits and
/// deletions applied). Live clients use `subscribe` instead.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/rooms/{id}/messages", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), HistoryQuery),
    responses(
        (status = 200, description = "Messages, oldest first", body = Vec<MessageView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 422, description = "limit is out of range", body = ErrorBody),
    ))]
async fn room_messages(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<Vec<MessageView>>, AppError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(AppError::Validation(vec![("limit", "error-limit")]));
    }
    let (access, room) = room_of(&state, &user, &slug, id).await?;
    let rows =
        store::messages_before(&state.db, room.id, q.before.unwrap_or(i64::MAX), limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|m| MessageView {
                hidden: m.hidden_by.is_some(),
                body: if access.withholds(m.hidden_by.is_some(), m.author_id) {
                    String::new()
                } else {
                    m.body
                },
                seq: m.seq,
                author: m.author,
                at: m.created_at,
                client_id: m.client_id,
                edited: m.edited_at,
                deleted: m.deleted_by,
            })
            .collect(),
    ))
}
