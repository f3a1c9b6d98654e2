//! Mutes, suspensions and bans as every write path sees them: whether one
//! holds for a writer now, and the refusal they see. Moderators impose them
//! (`moderation::service::act`).

use crate::AppState;
use crate::db::{Db, now_ms};
use crate::on_db;
use crate::web::AppError;

/// Why `account_id` may not write in `group_id` now, if a mute (there), a
/// suspension or a ban holds. Checked against the database on every write,
/// so it holds at once on every node.
pub async fn restriction(
    state: &AppState,
    account_id: i64,
    group_id: Option<i64>,
) -> Result<Option<String>, sqlx::Error> {
    // One row always: the subquery is NULL when nothing holds.
    let sql = format!("SELECT {}", restriction_sql("$1", "$2", "$3"));
    let kind: Option<String> = on_db!(&state.db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(account_id)
            .bind(now_ms())
            .bind(group_id)
            .fetch_one(pool)
            .await
    })?;
    Ok(kind)
}

/// The subquery naming the mute (in the group), suspension or ban holding
/// for an account at a time, the strongest first, from SQL expressions for
/// the three (placeholders or columns; never user input). The one rule for
/// every write path (chat reads it with the room).
pub fn restriction_sql(account: &str, now: &str, group: &str) -> String {
    format!(
        "(SELECT s.kind FROM sanctions s WHERE s.account_id = {account} AND s.revoked_at IS NULL \
         AND (s.expires_at IS NULL OR s.expires_at > {now}) \
         AND (s.kind IN ('suspend', 'ban') OR (s.kind = 'mute' AND s.group_id = {group})) \
         ORDER BY CASE s.kind WHEN 'ban' THEN 0 WHEN 'suspend' THEN 1 ELSE 2 END LIMIT 1)"
    )
}

/// The refusal a restricted writer sees.
pub fn refusal(kind: &str) -> AppError {
    AppError::Validation(vec![(
        "body",
        match kind {
            "mute" => "error-muted",
            _ => "error-suspended",
        },
    )])
}

/// An appeal of the action is waiting for a decision: what it hid is kept
/// as it is until then (no edit, and no deletion but by its author).
pub async fn appeal_open(db: &Db, sanction_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM appeals WHERE sanction_id = $1 AND status = 'open'",
        )
        .bind(sanction_id)
        .fetch_optional(pool)
        .await
        .map(|found| found.is_some())
    })
}
