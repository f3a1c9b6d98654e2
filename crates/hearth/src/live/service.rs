//! The one way a chat message is written, for the WebSocket and the page
//! alike (and the seam later safety checks hook into): who may write, what
//! a message may hold, storing it, and telling every node.

use super::store::{self, RoomRow, Stored};
use crate::AppState;
use crate::db::now_ms;
use crate::groups::model::parse_text;
use crate::web::{AppError, CurrentUser};

/// The longest message, in characters.
pub const MAX_BODY: usize = 4000;

/// Why a message was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    NotMember,
    BadClientId,
    Empty,
    TooLarge,
    ControlCharacters,
    RateLimited,
    Unavailable,
}

/// The room, if `user` may read and write it now: the forum's rule
/// (members of its group and staff; age spaces never mix; a hidden group
/// is "not found").
pub async fn room(state: &AppState, user: &CurrentUser, room_id: i64) -> Result<RoomRow, Refused> {
    let found = async {
        let Some(room) = store::room(&state.db, room_id).await? else {
            return Ok(None);
        };
        let Some(group) = crate::groups::store::group_by_id(&state.db, room.group_id).await? else {
            return Ok(None);
        };
        if !crate::groups::service::can_see(&group, Some(user)) {
            return Ok(None);
        }
        let role = crate::groups::store::membership(&state.db, group.id, user.account.id).await?;
        Ok::<_, AppError>(Some((
            room,
            crate::forum::service::access_with(group, user, role),
        )))
    };
    match found.await {
        Ok(Some((room, Some(_)))) => Ok(room),
        Ok(Some((_, None))) => Err(Refused::NotMember),
        Ok(None) => Err(Refused::NotFound),
        Err(_) => Err(Refused::Unavailable),
    }
}

/// Checks and stores a message; the room's other readers, on every node,
/// are told. Re-sending a `client_id` stores nothing and answers as before.
/// `within_rate` is asked only once the message is valid and allowed, so
/// mistakes do not use up a member's allowance.
pub async fn post(
    state: &AppState,
    user: &CurrentUser,
    room_id: i64,
    client_id: &str,
    body: &str,
    within_rate: impl FnOnce() -> bool,
) -> Result<Stored, Refused> {
    if client_id.is_empty()
        || client_id.chars().count() > 64
        || client_id
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Refused::BadClientId);
    }
    let body = match parse_text(body, 1, MAX_BODY, true, "error-chat-body") {
        Ok(b) => b,
        Err("error-text-control") => return Err(Refused::ControlCharacters),
        Err(_) if body.trim().is_empty() => return Err(Refused::Empty),
        Err(_) => return Err(Refused::TooLarge),
    };
    // Checked on every message: someone removed a moment ago is refused.
    let room = room(state, user, room_id).await?;
    if !within_rate() {
        return Err(Refused::RateLimited);
    }
    let stored = store::insert_message(
        &state.db,
        room.id,
        user.account.id,
        client_id,
        &body,
        now_ms(),
    )
    .await
    .map_err(|e| {
        tracing::warn!(room.id = room.id, error = %e, "chat message not stored");
        Refused::Unavailable
    })?
    .ok_or(Refused::NotFound)?;
    if !stored.duplicate {
        super::bus::room_advanced(state, room.id).await;
    }
    Ok(stored)
}
