//! The mail queue's table (see `migrations/*/0024_mail.sql`).

use super::Outgoing;
use crate::AppState;
use crate::db::Db;
use crate::on_db;

const PURPOSE: &str = "mail.queue";

/// A queued message, still sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Queued {
    pub id: i64,
    pub r#ref: String,
    pub sealed: Option<Vec<u8>>,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

pub async fn insert(state: &AppState, m: &Outgoing, now: i64) -> Result<i64, crate::web::AppError> {
    let reference = crate::secret::hex(
        &crate::secret::random_bytes::<16>().map_err(crate::web::AppError::internal)?,
    );
    let plain = serde_json::to_vec(m).map_err(crate::web::AppError::internal)?;
    let sealed = state
        .data_key
        .seal(PURPOSE, reference.as_bytes(), &plain)
        .map_err(crate::web::AppError::internal)?;
    let id = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO mail_queue (ref, sealed, created_at, next_attempt_at) \
             VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(&reference)
        .bind(&sealed)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    Ok(id)
}

/// The message inside a queued row, if the data key opens it.
pub fn open(state: &AppState, row: &Queued) -> Option<Outgoing> {
    let sealed = row.sealed.as_deref()?;
    let plain = state
        .data_key
        .open(PURPOSE, row.r#ref.as_bytes(), sealed)
        .ok()?;
    serde_json::from_slice(&plain).ok()
}

/// Messages due now, oldest first.
pub async fn due(db: &Db, now: i64, limit: i64) -> Result<Vec<Queued>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, ref, sealed, attempts, next_attempt_at FROM mail_queue \
             WHERE failed_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// Takes a message for this node until `until`; false if another node
/// took it (or sent it) first.
pub async fn claim(db: &Db, row: &Queued, now: i64, until: i64) -> Result<bool, sqlx::Error> {
    let n = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE mail_queue SET next_attempt_at = $1 \
             WHERE id = $2 AND failed_at IS NULL AND next_attempt_at = $3 AND next_attempt_at <= $4",
        )
        .bind(until)
        .bind(row.id)
        .bind(row.next_attempt_at)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn sent(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM mail_queue WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn retry_at(
    db: &Db,
    id: i64,
    attempts: i64,
    error: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE mail_queue SET attempts = $1, last_error = $2, next_attempt_at = $3 WHERE id = $4",
        )
        .bind(attempts)
        .bind(error)
        .bind(at)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Keeps the row as a record of the failure, without the message.
pub async fn give_up(
    db: &Db,
    id: i64,
    attempts: i64,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE mail_queue SET attempts = $1, last_error = $2, failed_at = $3, sealed = NULL \
             WHERE id = $4",
        )
        .bind(attempts)
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Messages waiting to be sent.
pub async fn queued(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE failed_at IS NULL")
            .fetch_one(pool)
            .await
    })
}

/// Messages given up on since `since` (their rows are kept as a record).
pub async fn failed_since(db: &Db, since: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE failed_at > $1")
            .bind(since)
            .fetch_one(pool)
            .await
    })
}

/// One message still waiting, for the `mail test` command.
pub async fn waiting(db: &Db, id: i64) -> Result<Option<Queued>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, ref, sealed, attempts, next_attempt_at FROM mail_queue \
             WHERE id = $1 AND failed_at IS NULL",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}
