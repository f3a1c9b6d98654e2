//! The one way chat is written, for the WebSocket, the pages and the API
//! alike (and the seam later safety checks hook into): who may write, what
//! a message may hold, room controls, storing, and telling every node.

use super::store::{self, Change, Outcome, RoomRow, Stored};
use crate::AppState;
use crate::db::now_ms;
use crate::groups::access::Access;
use crate::groups::model::GroupSlug;
use crate::safety::{SourceKind, Written, filters};
use crate::text::parse_text;
use crate::web::{AppError, CurrentUser};

/// The longest message, in characters.
pub const MAX_BODY: usize = 4000;
/// The slow-mode intervals a facilitator may choose, in seconds.
pub const SLOW_CHOICES: &[i64] = &[0, 10, 30, 60, 300];

/// Why an event was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    NotMember,
    BadClientId,
    Empty,
    TooLarge,
    ControlCharacters,
    RateLimited,
    /// Only facilitators and staff write in a locked room.
    Locked,
    /// The room's group is archived: nobody writes.
    Archived,
    /// Slow mode: this many more seconds before the next message.
    SlowMode(u32),
    /// No such message, or it was deleted.
    NoTarget,
    /// Someone else's message.
    NotYours,
    /// The message is hidden by a moderator and kept as it is: nobody edits
    /// it, and its author deletes it only while no appeal is open.
    Hidden,
    /// A moderator muted this member in the room's group.
    Muted,
    /// A moderator suspended or banned this member.
    Suspended,
    /// An admin's word filter does not allow a word or phrase in it.
    Filtered,
    Unavailable,
}

/// The room, if `user` may read and write it now, whether they facilitate
/// its group, and the group's slug: the forum's rule (members of its group
/// and staff; age spaces never mix; a hidden group is "not found").
pub async fn room(
    state: &AppState,
    user: &CurrentUser,
    room_id: i64,
) -> Result<(RoomRow, bool, String), Refused> {
    let found = async {
        let Some((room, group, role)) =
            store::room_access(&state.db, room_id, user.account.id).await?
        else {
            return Ok(None);
        };
        if !crate::groups::service::can_see(&group, Some(user)) {
            return Ok(None);
        }
        let slug = group.slug.clone();
        Ok::<_, AppError>(Some((
            room,
            crate::groups::access::with_role(group, user, role),
            slug,
        )))
    };
    match found.await {
        Ok(Some((room, Some(access), slug))) => {
            match session_chat_allows(state, &access, &room).await {
                Ok(true) => Ok((room, access.facilitates, slug)),
                Ok(false) => Err(Refused::NotMember),
                Err(_) => Err(Refused::Unavailable),
            }
        }
        Ok(Some((_, None, _))) => Err(Refused::NotMember),
        Ok(None) => Err(Refused::NotFound),
        Err(_) => Err(Refused::Unavailable),
    }
}

fn check_client_id(client_id: &str) -> Result<(), Refused> {
    if client_id.is_empty()
        || client_id.chars().count() > 64
        || client_id
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Refused::BadClientId);
    }
    Ok(())
}

fn check_body(body: &str) -> Result<String, Refused> {
    match parse_text(body, 1, MAX_BODY, true, "error-chat-body") {
        Ok(b) => Ok(b),
        Err("error-text-control") => Err(Refused::ControlCharacters),
        Err(_) if body.trim().is_empty() => Err(Refused::Empty),
        Err(_) => Err(Refused::TooLarge),
    }
}

/// What a client asks to write.
#[derive(Debug, Clone, Copy)]
pub enum Write<'a> {
    Message(&'a str),
    Edit { target: i64, body: &'a str },
    Delete { target: i64 },
}

/// Checks and stores an event; the room's readers, on every node, are
/// told. Re-sending a `client_id` stores nothing and answers as before,
/// even when the lock, slow mode or the rate limit would refuse a new one.
/// The member's rate (shared by all their connections and forms) is
/// counted only once the event is valid and allowed, so mistakes do not
/// use up their allowance.
pub async fn write(
    state: &AppState,
    user: &CurrentUser,
    room_id: i64,
    client_id: &str,
    what: Write<'_>,
) -> Result<Stored, Refused> {
    let refused = match write_new(state, user, room_id, client_id, what).await {
        Err(
            r @ (Refused::Locked | Refused::Archived | Refused::SlowMode(_) | Refused::RateLimited),
        ) => r,
        other => return other,
    };
    // A re-send of something stored before (a double submit, a lost ack)
    // gets its ack, not a refusal meant for new messages.
    match store::earlier(&state.db, room_id, user.account.id, client_id).await {
        Ok(Some(stored)) => Ok(stored),
        _ => Err(refused),
    }
}

async fn write_new(
    state: &AppState,
    user: &CurrentUser,
    room_id: i64,
    client_id: &str,
    what: Write<'_>,
) -> Result<Stored, Refused> {
    check_client_id(client_id)?;
    let body = match what {
        Write::Message(body) | Write::Edit { body, .. } => check_body(body)?,
        Write::Delete { .. } => String::new(),
    };
    // Checked on every event: someone removed a moment ago is refused.
    let (room, facilitates, group_slug) = room(state, user, room_id).await?;
    let now = now_ms();
    let change = match what {
        Write::Message(_) => Change::Message { body: &body },
        Write::Edit { target, .. } => Change::Edit {
            target,
            body: &body,
        },
        Write::Delete { target } => Change::Delete {
            target,
            moderator: facilitates,
        },
    };
    // Checked on every event, on every connection (read with the room, in
    // the same query): a mute, suspension or ban holds at once (deleting
    // one's own messages still works).
    if !matches!(change, Change::Delete { .. })
        && let Some(kind) = room.restriction.as_deref()
    {
        return Err(if kind == "mute" {
            Refused::Muted
        } else {
            Refused::Suspended
        });
    }
    if room.archived && !matches!(change, Change::Delete { .. }) {
        return Err(Refused::Archived);
    }
    if room.locked && !facilitates && !matches!(change, Change::Delete { .. }) {
        return Err(Refused::Locked);
    }
    // The detector reads the words once: the filters and slow mode below
    // never stop writing that asks for help, and the alert (if any) comes
    // once the words are stored.
    let assessment = match change {
        Change::Message { body } | Change::Edit { body, .. } => {
            // Read with the writer's earlier lines here (less the one edited).
            let except = match change {
                Change::Edit { target, .. } => Some(target),
                _ => None,
            };
            let (since, limit) = crate::safety::context_window();
            let earlier = super::store::recent_lines(
                &state.db,
                room.id,
                user.account.id,
                since,
                except,
                limit,
            );
            Some(crate::safety::assess(state, body, earlier).await)
        }
        Change::Delete { .. } => None,
    };
    let asking_for_help = assessment
        .as_ref()
        .is_some_and(crisis::Assessment::asks_for_help);
    // Word filters: a `block` refuses; `hold` and `flag` flag it once
    // stored (chat cannot wait for a reviewer).
    let gate = match change {
        Change::Message { body } | Change::Edit { body, .. } => {
            let place = filters::Place {
                group_id: room.group_id,
                hold_first_posts: false,
            };
            filters::gate(
                state,
                user,
                place,
                facilitates,
                body,
                asking_for_help,
                filters::Writing::Chat,
            )
            .await
            .map_err(|_| Refused::Filtered)?
        }
        Change::Delete { .. } => filters::Gate::default(),
    };
    if room.slow_seconds > 0 && !facilitates && matches!(change, Change::Message { .. }) {
        let last = store::last_message_at(&state.db, room.id, user.account.id)
            .await
            .map_err(|_| Refused::Unavailable)?;
        if let Some(last) = last {
            let wait_ms = room.slow_seconds * 1000 - (now - last);
            // Slow mode never holds back someone asking for help.
            if wait_ms > 0 && !asking_for_help {
                let secs = u32::try_from((wait_ms + 999) / 1000).unwrap_or(u32::MAX);
                return Err(Refused::SlowMode(secs));
            }
        }
    }
    let limits = &state.settings.limits;
    if !state.live.within_rate(
        user.account.id,
        super::hub::Rate::Writes,
        limits.chat_burst,
        limits.chat_per_second,
    ) {
        return Err(Refused::RateLimited);
    }
    let outcome = store::insert_event(&state.db, room.id, user.account.id, client_id, change, now)
        .await
        .map_err(|e| {
            tracing::warn!(room.id = room.id, error = %e, "chat event not stored");
            Refused::Unavailable
        })?;
    match outcome {
        Outcome::Stored(stored) => {
            if !stored.duplicate {
                let row = store::EventRow {
                    room_id: room.id,
                    seq: stored.seq,
                    kind: match change {
                        Change::Message { .. } => "message",
                        Change::Edit { .. } => "edit",
                        Change::Delete { .. } => stored.kind,
                    }
                    .to_owned(),
                    target_seq: match change {
                        Change::Message { .. } => None,
                        Change::Edit { target, .. } | Change::Delete { target, .. } => Some(target),
                    },
                    author: Some(user.account.handle.clone()),
                    body: body.clone(),
                    created_at: stored.at,
                    client_id: client_id.to_owned(),
                    edited_at: None,
                    deleted_by: None,
                    hidden_by: None,
                    author_id: Some(user.account.id),
                };
                if let Some(delivery) = super::hub::delivery(row) {
                    super::bus::stored(state, delivery).await;
                }
            }
            if matches!(change, Change::Delete { .. }) && !stored.duplicate {
                state.db.checkpoint_after_erasure().await;
            }
            // Screened once stored: nothing is held back.
            let mut stored = stored;
            if !stored.duplicate
                && let Some(assessment) = assessment
            {
                let kind = match change {
                    Change::Message { .. } => SourceKind::ChatMessage,
                    _ => SourceKind::ChatEdit,
                };
                let written = Written {
                    kind,
                    id: stored.seq,
                    group_id: Some(room.group_id),
                    url: format!("/groups/{group_slug}/chat/{}#m{}", room.slug, stored.seq),
                    assessment,
                    private: false,
                };
                stored.crisis = crate::safety::screen(state, user, written).await;
                let seq = match change {
                    Change::Edit { target, .. } => target,
                    _ => stored.seq,
                };
                filters::flag_message(
                    state,
                    room.id,
                    seq,
                    user.account.id,
                    room.group_id,
                    &gate.flagged,
                )
                .await;
            }
            Ok(stored)
        }
        Outcome::NoRoom => Err(Refused::NotFound),
        Outcome::NoTarget => Err(Refused::NoTarget),
        Outcome::NotYours => Err(Refused::NotYours),
        Outcome::Hidden => Err(Refused::Hidden),
    }
}

/// Tells the room's readers, on every node, of event `seq`, stored outside
/// `write` (a moderator hiding or restoring a message from a case). If it
/// cannot be read back now, readers still get it in order with the room's
/// next event, or when they resume.
pub async fn announce(state: &AppState, room_id: i64, seq: i64) {
    match store::events_after(&state.db, room_id, seq - 1, 1).await {
        Ok(rows) => {
            for row in rows.into_iter().filter(|r| r.seq == seq) {
                if let Some(delivery) = super::hub::delivery(row) {
                    super::bus::stored(state, delivery).await;
                }
            }
        }
        Err(e) => tracing::warn!(room.id = room_id, error = %e, "room event not announced"),
    }
}

/// Adds a room to the group (its facilitators and staff), named `name`.
pub async fn add_room(state: &AppState, access: &Access, name: &str) -> Result<RoomRow, AppError> {
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    let name = parse_text(name, 1, 40, false, "error-room-name")
        .map_err(|key| AppError::Validation(vec![("name", key)]))?;
    let count = store::room_count(&state.db, access.group.id).await?;
    if count >= store::MAX_ROOMS {
        return Err(AppError::Validation(vec![("name", "error-room-limit")]));
    }
    let now = now_ms();
    let base = GroupSlug::from_name(&name)
        .map(|s| s.as_str().to_owned())
        .filter(|s| s != "chat")
        .unwrap_or_else(|| "room".to_owned());
    for n in 0..=store::MAX_ROOMS {
        let slug = if n == 0 {
            base.clone()
        } else {
            format!("{base}-{}", n + 1)
        };
        if let Some(room) =
            store::create_room(&state.db, access.group.id, &slug, &name, now).await?
        {
            return Ok(room);
        }
    }
    Err(AppError::Validation(vec![(
        "name",
        "error-room-name-taken",
    )]))
}

/// Changes a room's name, slow mode and lock (its group's facilitators and
/// staff); connected members are told at once.
pub async fn set_controls(
    state: &AppState,
    access: &Access,
    room: &RoomRow,
    name: Option<&str>,
    slow_seconds: Option<i64>,
    locked: Option<bool>,
) -> Result<RoomRow, AppError> {
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    let name = match name {
        Some(n) => parse_text(n, 1, 40, false, "error-room-name")
            .map_err(|key| AppError::Validation(vec![("name", key)]))?,
        None => room.name.clone(),
    };
    let slow_seconds = slow_seconds.unwrap_or(room.slow_seconds);
    if !SLOW_CHOICES.contains(&slow_seconds) {
        return Err(AppError::Validation(vec![(
            "slow_seconds",
            "error-slow-mode",
        )]));
    }
    let locked = locked.unwrap_or(room.locked);
    store::set_controls(&state.db, room.id, &name, slow_seconds, locked).await?;
    crate::bus::publish(state, crate::bus::Event::RoomControls { room: room.id }).await;
    Ok(RoomRow {
        name,
        slow_seconds,
        locked,
        ..room.clone()
    })
}

/// A live session's chat is for those who may be in the session (see
/// `meetings::service::entry`); every other room, for the group.
async fn session_chat_allows(
    state: &AppState,
    access: &Access,
    room: &RoomRow,
) -> Result<bool, sqlx::Error> {
    let (Some(meeting), Some(day)) = (room.meeting_id, room.occurrence.as_deref()) else {
        return Ok(true);
    };
    if room.facilitators_only {
        return Ok(access.role == Some(crate::groups::model::GroupRole::Facilitator));
    }
    let entry =
        crate::meetings::service::entry(&state.db, meeting, day, access.account_id, access.role)
            .await?;
    Ok(matches!(
        entry,
        crate::meetings::service::Entry::Yes | crate::meetings::service::Entry::Ended
    ))
}

/// A room of the group at `slug` (`room_slug` "chat" is the main one), for
/// someone who may read it.
pub async fn group_room(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    room_slug: &str,
) -> Result<(Access, RoomRow), AppError> {
    let access = crate::groups::access::check(state, user, slug).await?;
    let room = if room_slug == "chat" {
        store::main_room(&state.db, access.group.id, now_ms()).await?
    } else {
        store::room_by_slug(&state.db, access.group.id, room_slug)
            .await?
            .ok_or(AppError::NotFound)?
    };
    if !session_chat_allows(state, &access, &room).await? {
        return Err(AppError::Forbidden);
    }
    Ok((access, room))
}
