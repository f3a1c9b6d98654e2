//! SQL for chat rooms and their events, one body for both backends.
//!
//! A room's events (messages, edits, deletions) are numbered 1, 2, 3…
//! without gaps: `rooms.last_seq` is raised in the transaction that stores
//! the event, so a rolled-back event leaves no hole.

use sqlx::FromRow;

use crate::db::{Db, Tx, is_unique_violation};
use crate::{on_db, on_tx};

/// Hides a message's words, and brings them back: the rows that carry
/// them are the message and its edits and restores (the room is `$2`, the
/// message's number `$3`).
const HIDE_WORDS: &str = "UPDATE messages SET hidden_by = $1 WHERE room_id = $2 \
     AND (seq = $3 OR (target_seq = $3 AND kind IN ('edit', 'restore')))";
const SHOW_WORDS: &str = "UPDATE messages SET hidden_by = NULL WHERE hidden_by = $1 AND room_id = $2 \
     AND (seq = $3 OR (target_seq = $3 AND kind IN ('edit', 'restore')))";

/// A moderator hides the chat message with row id `message` by
/// `sanction`, inside the caller's transaction: its words are kept and
/// withheld, and a `hide` event is numbered in its room. Returns the
/// event's `(room, seq)`, or `None` when the message is deleted or was
/// hidden already (then only the sanction changes).
pub async fn hide_in(
    tx: &mut Tx<'_>,
    message: i64,
    sanction: i64,
    actor: i64,
    now: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let found: Option<(i64, i64, Option<i64>)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT room_id, seq, hidden_by FROM messages \
         WHERE id = $1 AND kind = 'message' AND deleted_at IS NULL",
    )
    .bind(message)
    .fetch_optional(c)
    .await)?;
    let Some((room, seq, before)) = found else {
        return Ok(None);
    };
    mark_words(tx, HIDE_WORDS, sanction, room, seq).await?;
    if before.is_some() {
        return Ok(None);
    }
    let client_id = format!("hide-{sanction}");
    let at = event_in(tx, room, actor, &client_id, "", "hide", seq, now).await?;
    Ok(Some((room, at)))
}

/// Undoes `sanction`'s hiding of the chat message with row id `message`,
/// inside the caller's transaction: a `restore` event carrying its words
/// is numbered in its room. Returns the event's `(room, seq)`, or `None`
/// when the message is not hidden by this sanction.
pub async fn restore_in(
    tx: &mut Tx<'_>,
    message: i64,
    sanction: i64,
    actor: i64,
    now: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let found: Option<(i64, i64, String)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT room_id, seq, body FROM messages WHERE id = $1 AND hidden_by = $2",
    )
    .bind(message)
    .bind(sanction)
    .fetch_optional(c)
    .await)?;
    let Some((room, seq, body)) = found else {
        return Ok(None);
    };
    mark_words(tx, SHOW_WORDS, sanction, room, seq).await?;
    let client_id = format!("restore-{sanction}");
    let at = event_in(tx, room, actor, &client_id, &body, "restore", seq, now).await?;
    Ok(Some((room, at)))
}

/// Runs `HIDE_WORDS` or `SHOW_WORDS` for message `seq` of `room`.
async fn mark_words(
    tx: &mut Tx<'_>,
    sql: &'static str,
    sanction: i64,
    room: i64,
    seq: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(sql)
        .bind(sanction)
        .bind(room)
        .bind(seq)
        .execute(c)
        .await
        .map(|_| ()))
}

/// Numbers a moderator's event in `room` and stores it, inside the
/// caller's transaction; returns its number.
#[allow(clippy::too_many_arguments)]
async fn event_in(
    tx: &mut Tx<'_>,
    room: i64,
    author: i64,
    client_id: &str,
    body: &str,
    kind: &str,
    target: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        let seq: i64 = sqlx::query_scalar(
            "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
        )
        .bind(room)
        .fetch_one(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO messages (room_id, seq, author_id, client_id, body, created_at, kind, target_seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(room)
        .bind(seq)
        .bind(author)
        .bind(client_id)
        .bind(body)
        .bind(now)
        .bind(kind)
        .bind(target)
        .execute(c)
        .await
        .map(|_| seq)
    })
}

/// Rooms a group may have, the main one included.
pub const MAX_ROOMS: i64 = 10;

#[derive(Debug, Clone, FromRow)]
pub struct RoomRow {
    pub id: i64,
    pub group_id: i64,
    pub slug: String,
    pub name: String,
    pub last_seq: i64,
    /// Seconds a member waits between messages; 0 when slow mode is off.
    pub slow_seconds: i64,
    /// Only facilitators and staff may write while a room is locked.
    pub locked: bool,
    /// A mute (in its group), suspension or ban holding for the member it
    /// was read for (`room_access` only): `mute`, `suspend` or `ban`.
    #[sqlx(default)]
    pub restriction: Option<String>,
    /// Its group is archived: nobody writes (`room_access` only).
    #[sqlx(default)]
    pub archived: bool,
    /// A live session's chat: its meeting and the occurrence's date.
    #[sqlx(default)]
    pub meeting_id: Option<i64>,
    #[sqlx(default)]
    pub occurrence: Option<String>,
    /// A session's backchannel: the group's facilitators only.
    #[sqlx(default)]
    pub facilitators_only: bool,
}

const ROOM_COLUMNS: &str = "id, group_id, slug, name, last_seq, slow_seconds, locked, meeting_id, occurrence, facilitators_only";

/// A group's main room, made the first time anyone asks for it.
pub async fn main_room(db: &Db, group_id: i64, now: i64) -> Result<RoomRow, sqlx::Error> {
    on_db!(db, |pool| {
        async {
            sqlx::query(
                "INSERT INTO rooms (group_id, slug, name, created_at) VALUES ($1, 'chat', 'Chat', $2) \
                 ON CONFLICT (group_id, slug) DO NOTHING",
            )
            .bind(group_id)
            .bind(now)
            .execute(pool)
            .await?;
            sqlx::query_as::<_, RoomRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ROOM_COLUMNS} FROM rooms WHERE group_id = $1 AND slug = 'chat'"
            )))
            .bind(group_id)
            .fetch_one(pool)
            .await
        }
        .await
    })
}

/// The chat of one occurrence of a live session (or, `backchannel`, its
/// facilitators' own), made the first time anyone asks for it.
pub async fn session_room(
    db: &Db,
    group_id: i64,
    meeting_id: i64,
    occurrence: &str,
    backchannel: bool,
    now: i64,
) -> Result<RoomRow, sqlx::Error> {
    let (slug, name) = if backchannel {
        (
            format!("session-{meeting_id}-{occurrence}-facilitators"),
            "Facilitators",
        )
    } else {
        (format!("session-{meeting_id}-{occurrence}"), "Session chat")
    };
    on_db!(db, |pool| {
        async {
            sqlx::query(
                "INSERT INTO rooms (group_id, slug, name, created_at, meeting_id, occurrence, facilitators_only) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (group_id, slug) DO NOTHING",
            )
            .bind(group_id)
            .bind(&slug)
            .bind(name)
            .bind(now)
            .bind(meeting_id)
            .bind(occurrence)
            .bind(backchannel)
            .execute(pool)
            .await?;
            sqlx::query_as::<_, RoomRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ROOM_COLUMNS} FROM rooms WHERE group_id = $1 AND slug = $2"
            )))
            .bind(group_id)
            .bind(&slug)
            .fetch_one(pool)
            .await
        }
        .await
    })
}

/// A group's rooms, the main one first, then in the order they were made.
pub async fn rooms_of(db: &Db, group_id: i64, now: i64) -> Result<Vec<RoomRow>, sqlx::Error> {
    main_room(db, group_id, now).await?;
    on_db!(db, |pool| {
        sqlx::query_as::<_, RoomRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ROOM_COLUMNS} FROM rooms WHERE group_id = $1 AND meeting_id IS NULL \
             ORDER BY CASE WHEN slug = 'chat' THEN 0 ELSE 1 END, id"
        )))
        .bind(group_id)
        .fetch_all(pool)
        .await
    })
}

/// A room with its group and the account's role there, in one query (it
/// is asked on every message).
pub async fn room_access(
    db: &Db,
    room_id: i64,
    account_id: i64,
) -> Result<
    Option<(
        RoomRow,
        crate::groups::store::GroupRow,
        Option<crate::groups::model::GroupRole>,
    )>,
    sqlx::Error,
> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        group: crate::groups::store::GroupRow,
        member_role: Option<crate::groups::model::GroupRole>,
        room_id: i64,
        room_slug: String,
        room_name: String,
        room_last_seq: i64,
        room_slow_seconds: i64,
        room_locked: bool,
        room_meeting_id: Option<i64>,
        room_occurrence: Option<String>,
        room_facilitators_only: bool,
        restriction: Option<String>,
    }
    let sql = format!(
        "SELECT {}, m.role AS member_role, r.id AS room_id, r.slug AS room_slug, r.name AS room_name, \
         r.last_seq AS room_last_seq, r.slow_seconds AS room_slow_seconds, r.locked AS room_locked, \
         r.meeting_id AS room_meeting_id, r.occurrence AS room_occurrence, \
         r.facilitators_only AS room_facilitators_only, {} AS restriction \
         FROM rooms r JOIN groups g ON g.id = r.group_id \
         LEFT JOIN group_members m ON m.group_id = g.id AND m.account_id = $2 WHERE r.id = $1",
        crate::groups::store::GROUP_COLUMNS,
        crate::safety::restrictions::restriction_sql("$2", "$3", "g.id")
    );
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
            .bind(room_id)
            .bind(account_id)
            .bind(crate::db::now_ms())
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|r| {
        (
            RoomRow {
                id: r.room_id,
                group_id: r.group.id,
                slug: r.room_slug,
                name: r.room_name,
                last_seq: r.room_last_seq,
                slow_seconds: r.room_slow_seconds,
                locked: r.room_locked,
                restriction: r.restriction,
                archived: r.group.archived_at.is_some(),
                meeting_id: r.room_meeting_id,
                occurrence: r.room_occurrence,
                facilitators_only: r.room_facilitators_only,
            },
            r.group,
            r.member_role,
        )
    }))
}

pub async fn room(db: &Db, id: i64) -> Result<Option<RoomRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, RoomRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ROOM_COLUMNS} FROM rooms WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

pub async fn room_by_slug(
    db: &Db,
    group_id: i64,
    slug: &str,
) -> Result<Option<RoomRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, RoomRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ROOM_COLUMNS} FROM rooms WHERE group_id = $1 AND slug = $2"
        )))
        .bind(group_id)
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

/// Adds a room; `None` when the group has one at that address already.
pub async fn create_room(
    db: &Db,
    group_id: i64,
    slug: &str,
    name: &str,
    now: i64,
) -> Result<Option<RoomRow>, sqlx::Error> {
    let made = on_db!(db, |pool| {
        sqlx::query_as::<_, RoomRow>(sqlx::AssertSqlSafe(format!(
            "INSERT INTO rooms (group_id, slug, name, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING {ROOM_COLUMNS}"
        )))
        .bind(group_id)
        .bind(slug)
        .bind(name)
        .bind(now)
        .fetch_one(pool)
        .await
    });
    match made {
        Ok(room) => Ok(Some(room)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn room_count(db: &Db, group_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM rooms WHERE group_id = $1 AND meeting_id IS NULL")
            .bind(group_id)
            .fetch_one(pool)
            .await
    })
}

pub async fn set_controls(
    db: &Db,
    room_id: i64,
    name: &str,
    slow_seconds: i64,
    locked: bool,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE rooms SET name = $1, slow_seconds = $2, locked = $3 WHERE id = $4")
            .bind(name)
            .bind(slow_seconds)
            .bind(locked)
            .bind(room_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// When the member last sent a message in the room (for slow mode).
pub async fn last_message_at(
    db: &Db,
    room_id: i64,
    author_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT MAX(created_at) FROM messages WHERE room_id = $1 AND author_id = $2 AND kind = 'message'",
        )
        .bind(room_id)
        .bind(author_id)
        .fetch_one(pool)
        .await
    })
}

/// The writer's own messages in the room since `since` (epoch ms), the
/// newest `limit` of them, oldest first, without `except` (a message being
/// edited) or deleted ones: the context the crisis detector reads a new
/// line in.
pub async fn recent_lines(
    db: &Db,
    room_id: i64,
    author_id: i64,
    since: i64,
    except: Option<i64>,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let mut rows: Vec<String> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT body FROM messages WHERE room_id = $1 AND author_id = $2 AND kind = 'message' \
             AND deleted_at IS NULL AND created_at >= $3 AND seq <> $4 ORDER BY seq DESC LIMIT $5",
        )
        .bind(room_id)
        .bind(author_id)
        .bind(since)
        .bind(except.unwrap_or(-1))
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    rows.reverse();
    Ok(rows)
}

/// What an event does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    Message {
        body: &'a str,
    },
    /// The author replaces the text of message `target`.
    Edit {
        target: i64,
        body: &'a str,
    },
    /// Erases message `target`: its author, or (`moderator`) a facilitator
    /// or staff member.
    Delete {
        target: i64,
        moderator: bool,
    },
}

/// Where a stored event landed (for a duplicate, `kind` is not read back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub seq: i64,
    pub at: i64,
    /// `message`, `edit`, `delete` or `remove` (a deletion by a moderator).
    pub kind: &'static str,
    /// The same client id was stored before: nothing new was written.
    pub duplicate: bool,
    /// Set by the service once stored: the writer's words suggest risk and
    /// they are shown crisis lines (see `safety::screen`).
    pub crisis: Option<crisis::Level>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored(Stored),
    NoRoom,
    /// No such message, or it was deleted.
    NoTarget,
    /// Someone else's message.
    NotYours,
    /// The message is hidden by a moderator: kept as it is (see
    /// `insert_event`).
    Hidden,
}

/// Stores an event as the room's next number, in one transaction (the
/// room's counter is taken first, so SQLite takes its write lock at once
/// and the target is read under it). A second event with the same author
/// and client id is not stored; the first one's number is returned.
pub async fn insert_event(
    db: &Db,
    room_id: i64,
    author_id: i64,
    client_id: &str,
    change: Change<'_>,
    now: i64,
) -> Result<Outcome, sqlx::Error> {
    let (mut kind, target, body) = match change {
        Change::Message { body } => ("message", None, body),
        Change::Edit { target, body } => ("edit", Some(target), body),
        Change::Delete { target, .. } => ("delete", Some(target), ""),
    };
    let attempt: Result<Outcome, sqlx::Error> = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let seq: Option<i64> = sqlx::query_scalar(
                "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
            )
            .bind(room_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(seq) = seq else {
                return Ok(Outcome::NoRoom);
            };
            if let Some(target) = target {
                // A hidden message keeps its words for the appeal: nobody
                // edits it, and only its author deletes it, while no appeal
                // is open.
                let found: Option<(Option<i64>, Option<i64>, bool)> = sqlx::query_as(
                    "SELECT author_id, hidden_by, EXISTS (SELECT 1 FROM appeals ap \
                       WHERE ap.sanction_id = messages.hidden_by AND ap.status = 'open') \
                     FROM messages \
                     WHERE room_id = $1 AND seq = $2 AND kind = 'message' AND deleted_at IS NULL",
                )
                .bind(room_id)
                .bind(target)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((owner, hidden_by, appealed)) = found else {
                    return Ok(Outcome::NoTarget);
                };
                if hidden_by.is_some()
                    && (matches!(change, Change::Edit { .. }) || appealed || owner != Some(author_id))
                {
                    return Ok(Outcome::Hidden);
                }
                if owner != Some(author_id) {
                    match change {
                        // Removed by a facilitator or moderator, and shown so.
                        Change::Delete {
                            moderator: true, ..
                        } => kind = "remove",
                        _ => return Ok(Outcome::NotYours),
                    }
                }
            }
            sqlx::query(
                "INSERT INTO messages (room_id, seq, author_id, client_id, body, created_at, kind, target_seq) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(room_id)
            .bind(seq)
            .bind(author_id)
            .bind(client_id)
            .bind(body)
            .bind(now)
            .bind(kind)
            .bind(target)
            .execute(&mut *tx)
            .await?;
            match change {
                Change::Message { .. } => {}
                Change::Edit { target, body } => {
                    sqlx::query(
                        "UPDATE messages SET body = $1, edited_at = $2 WHERE room_id = $3 AND seq = $4",
                    )
                    .bind(body)
                    .bind(now)
                    .bind(room_id)
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
                }
                Change::Delete { target, .. } => {
                    // The words are gone: the message's and every edit's.
                    sqlx::query(
                        "UPDATE messages SET body = '', deleted_at = $1, deleted_by = $2 \
                         WHERE room_id = $3 AND seq = $4",
                    )
                    .bind(now)
                    .bind(if kind == "remove" { "moderator" } else { "author" })
                    .bind(room_id)
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "UPDATE messages SET body = '' \
                         WHERE room_id = $1 AND kind IN ('edit', 'restore') AND target_seq = $2",
                    )
                    .bind(room_id)
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(Outcome::Stored(Stored {
                seq,
                at: now,
                kind,
                duplicate: false,
                crisis: None,
            }))
        }
        .await
    });
    match attempt {
        // A re-sent edit or deletion whose target has changed since is
        // still answered as before.
        Ok(Outcome::NoTarget | Outcome::NotYours | Outcome::Hidden) | Err(_) => {
            if let Err(e) = &attempt
                && !is_unique_violation(e)
            {
                return attempt;
            }
            match earlier(db, room_id, author_id, client_id).await? {
                Some(stored) => Ok(Outcome::Stored(stored)),
                None => attempt,
            }
        }
        other => other,
    }
}

/// The event this author already stored under `client_id`.
pub async fn earlier(
    db: &Db,
    room_id: i64,
    author_id: i64,
    client_id: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    let row: Option<(i64, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT seq, created_at FROM messages WHERE room_id = $1 AND author_id = $2 AND client_id = $3",
        )
        .bind(room_id)
        .bind(author_id)
        .bind(client_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(seq, at)| Stored {
        seq,
        at,
        kind: "message",
        duplicate: true,
        crisis: None,
    }))
}

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub room_id: i64,
    pub seq: i64,
    pub kind: String,
    pub target_seq: Option<i64>,
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub client_id: String,
    pub edited_at: Option<i64>,
    pub deleted_by: Option<String>,
    /// The sanction hiding the message (on a message, and on the edits and
    /// restores that carry its words). Its `body` is the kept words, which
    /// readers withhold (`Access::withholds`).
    pub hidden_by: Option<i64>,
    pub author_id: Option<i64>,
}

const EVENT_COLUMNS: &str = "m.room_id, m.seq, m.kind, m.target_seq, a.handle AS author, m.body, \
     m.created_at, m.client_id, m.edited_at, m.deleted_by, m.hidden_by, m.author_id";

/// Events numbered after `after`, oldest first, at most `limit`.
pub async fn events_after(
    db: &Db,
    room_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM messages m LEFT JOIN accounts a ON a.id = m.author_id \
             WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
        )))
        .bind(room_id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// The `limit` messages (not edits or deletions: a message shows its
/// current text) before number `before`, oldest first.
pub async fn messages_before(
    db: &Db,
    room_id: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let mut rows = on_db!(db, |pool| {
        sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM messages m LEFT JOIN accounts a ON a.id = m.author_id \
             WHERE m.room_id = $1 AND m.seq < $2 AND m.kind = 'message' ORDER BY m.seq DESC LIMIT $3"
        )))
        .bind(room_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    rows.reverse();
    Ok(rows)
}

/// One message as it stands now.
pub async fn message(db: &Db, room_id: i64, seq: i64) -> Result<Option<EventRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM messages m LEFT JOIN accounts a ON a.id = m.author_id \
             WHERE m.room_id = $1 AND m.seq = $2 AND m.kind = 'message'"
        )))
        .bind(room_id)
        .bind(seq)
        .fetch_optional(pool)
        .await
    })
}

/// Mutes a room for a member (it is quiet for them), or unmutes it.
pub async fn set_mute(
    db: &Db,
    room_id: i64,
    account_id: i64,
    on: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = if on {
        "INSERT INTO room_mutes (room_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM room_mutes WHERE room_id = $1 AND account_id = $2 AND $3 = $3"
    };
    on_db!(db, |pool| {
        sqlx::query(sql)
            .bind(room_id)
            .bind(account_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn mutes(db: &Db, room_id: i64, account_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT room_id FROM room_mutes WHERE room_id = $1 AND account_id = $2")
            .bind(room_id)
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

/// A message by its row id (as reports name it): its words, its number
/// and its room's slug.
pub async fn message_by_id(db: &Db, id: i64) -> Result<Option<(String, i64, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT m.body, m.seq, r.slug FROM messages m JOIN rooms r ON r.id = m.room_id \
             WHERE m.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

/// A chat message a member may report: standing (not deleted), in a room
/// of `group`.
#[derive(Debug, sqlx::FromRow)]
pub struct Reportable {
    pub id: i64,
    pub author_id: Option<i64>,
    pub body: String,
    pub hidden_by: Option<i64>,
}

/// The message numbered `seq` in `room`, if it is reportable in `group`.
pub async fn reportable(
    db: &Db,
    group: i64,
    room: i64,
    seq: i64,
) -> Result<Option<Reportable>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT m.id, m.author_id, m.body, m.hidden_by FROM messages m JOIN rooms r ON r.id = m.room_id \
             WHERE m.room_id = $1 AND m.seq = $2 AND r.group_id = $3 AND m.kind = 'message' \
             AND m.deleted_at IS NULL",
        )
        .bind(room)
        .bind(seq)
        .bind(group)
        .fetch_optional(pool)
        .await
    })
}

/// How many of the latest events of a room unread counts look at: a count
/// past this reads as "many", and the count stays cheap however long a
/// member was away.
pub const UNREAD_WINDOW: i64 = 500;
/// From this many unread messages on, a count reads as "many".
pub const UNREAD_MANY: i64 = 100;

/// Messages by others a member has not seen, in the rooms of their groups
/// (`group_id`, or all of them) that they have not muted: after their read
/// mark, or with none, written since they joined the group. Each room counts
/// at most its last [`UNREAD_WINDOW`] events. Per room: (group, room, count).
pub async fn unread_messages(
    db: &Db,
    account: i64,
    group_id: Option<i64>,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.group_id, r.id, COUNT(*) FROM rooms r \
             JOIN group_members gm ON gm.group_id = r.group_id AND gm.account_id = $1 \
             LEFT JOIN room_reads rr ON rr.room_id = r.id AND rr.account_id = $1 \
             JOIN messages m ON m.room_id = r.id AND m.seq > r.last_seq - $3 \
                  AND m.seq > COALESCE(rr.last_seq, 0) \
             WHERE (CAST($2 AS BIGINT) IS NULL OR r.group_id = $2) \
             AND m.kind = 'message' AND m.deleted_at IS NULL AND m.hidden_by IS NULL \
             AND (m.author_id IS NULL OR m.author_id <> $1) \
             AND (rr.last_seq IS NOT NULL OR m.created_at > gm.joined_at) \
             AND NOT EXISTS (SELECT 1 FROM room_mutes rm WHERE rm.room_id = r.id AND rm.account_id = $1) \
             GROUP BY r.group_id, r.id",
        )
        .bind(account)
        .bind(group_id)
        .bind(UNREAD_WINDOW)
        .fetch_all(pool)
        .await
    })
}

/// The number of the newest event `account` has seen in the room.
pub async fn read_mark(db: &Db, account: i64, room_id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT last_seq FROM room_reads WHERE account_id = $1 AND room_id = $2")
            .bind(account)
            .bind(room_id)
            .fetch_optional(pool)
            .await
    })
}

/// Moves `account`'s read mark in the room forward to `seq` (never back).
pub async fn mark_read(db: &Db, account: i64, room_id: i64, seq: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO room_reads (account_id, room_id, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, room_id) DO UPDATE SET last_seq = excluded.last_seq \
             WHERE room_reads.last_seq < excluded.last_seq",
        )
        .bind(account)
        .bind(room_id)
        .bind(seq)
        .execute(pool)
        .await
        .map(|_| ())
    })
}
