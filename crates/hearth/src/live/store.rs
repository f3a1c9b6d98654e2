//! SQL for chat rooms and messages, one body for both backends.

use sqlx::FromRow;

use crate::db::{Db, is_unique_violation};
use crate::on_db;

#[derive(Debug, Clone, FromRow)]
pub struct RoomRow {
    pub id: i64,
    pub group_id: i64,
    pub slug: String,
    pub name: String,
    pub last_seq: i64,
}

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
            sqlx::query_as::<_, RoomRow>(
                "SELECT id, group_id, slug, name, last_seq FROM rooms WHERE group_id = $1 AND slug = 'chat'",
            )
            .bind(group_id)
            .fetch_one(pool)
            .await
        }
        .await
    })
}

pub async fn room(db: &Db, id: i64) -> Result<Option<RoomRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, RoomRow>(
            "SELECT id, group_id, slug, name, last_seq FROM rooms WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

/// Where a stored message landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub seq: i64,
    pub at: i64,
    /// The same client id was stored before: nothing new was written.
    pub duplicate: bool,
}

/// Stores a message as the room's next number, in one transaction (the
/// room's counter is taken first, so SQLite takes its write lock at once).
/// A second message with the same author and client id is not stored; the
/// first one's number is returned.
pub async fn insert_message(
    db: &Db,
    room_id: i64,
    author_id: i64,
    client_id: &str,
    body: &str,
    now: i64,
) -> Result<Option<Stored>, sqlx::Error> {
    let attempt: Result<Option<i64>, sqlx::Error> = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let seq: Option<i64> = sqlx::query_scalar(
                "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
            )
            .bind(room_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(seq) = seq else {
                return Ok(None);
            };
            sqlx::query(
                "INSERT INTO messages (room_id, seq, author_id, client_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(room_id)
            .bind(seq)
            .bind(author_id)
            .bind(client_id)
            .bind(body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(seq))
        }
        .await
    });
    match attempt {
        Ok(Some(seq)) => Ok(Some(Stored {
            seq,
            at: now,
            duplicate: false,
        })),
        Ok(None) => Ok(None),
        // Sent before: the transaction rolled back, the counter with it.
        Err(e) if is_unique_violation(&e) => {
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
                duplicate: true,
            }))
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct MessageRow {
    pub room_id: i64,
    pub seq: i64,
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub client_id: String,
}

/// Messages numbered after `after`, oldest first, at most `limit`.
pub async fn messages_after(
    db: &Db,
    room_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, MessageRow>(
            "SELECT m.room_id, m.seq, a.handle AS author, m.body, m.created_at, m.client_id \
             FROM messages m LEFT JOIN accounts a ON a.id = m.author_id \
             WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3",
        )
        .bind(room_id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// The `limit` messages before number `before` (all the newest when
/// `before` is past the end), oldest first.
pub async fn messages_before(
    db: &Db,
    room_id: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let mut rows = on_db!(db, |pool| {
        sqlx::query_as::<_, MessageRow>(
            "SELECT m.room_id, m.seq, a.handle AS author, m.body, m.created_at, m.client_id \
             FROM messages m LEFT JOIN accounts a ON a.id = m.author_id \
             WHERE m.room_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3",
        )
        .bind(room_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    rows.reverse();
    Ok(rows)
}
