//! Crisis alerts in the database.

use sqlx::FromRow;

use super::audit;
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};

crate::word_enum!(AlertStatus {
    Open = "open",
    Acknowledged = "acknowledged",
    Resolved = "resolved",
});

#[derive(Debug, Clone, FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub account_id: Option<i64>,
    pub writer: Option<String>,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub level: String,
    pub score: f64,
    pub source_kind: String,
    pub source_url: String,
    pub evidence: Vec<u8>,
    pub count: i64,
    pub status: AlertStatus,
    pub created_at: i64,
    pub last_at: i64,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub outcome: Option<String>,
}

const COLUMNS: &str = "al.id, al.account_id, w.handle AS writer, al.group_id, g.name AS group_name, \
    al.level, al.score, al.source_kind, al.source_url, al.evidence, al.count, al.status, \
    al.created_at, al.last_at, ack.handle AS acknowledged_by, al.acknowledged_at, \
    res.handle AS resolved_by, al.resolved_at, al.outcome \
    FROM crisis_alerts al \
    LEFT JOIN accounts w ON w.id = al.account_id \
    LEFT JOIN groups g ON g.id = al.group_id \
    LEFT JOIN accounts ack ON ack.id = al.acknowledged_by \
    LEFT JOIN accounts res ON res.id = al.resolved_by";

/// Level as a number, for "the highest level seen" and for sorting.
pub fn rank(level: &str) -> i64 {
    match level {
        "imminent" => 2,
        "ideation" => 1,
        _ => 0,
    }
}

pub struct NewAlert<'a> {
    pub account_id: i64,
    pub group_id: Option<i64>,
    pub level: &'a str,
    pub score: f64,
    pub source_kind: &'a str,
    pub source_id: i64,
    pub source_url: &'a str,
    pub evidence: &'a [u8],
    pub now: i64,
}

/// What `raise` did.
pub struct Raised {
    pub id: i64,
    /// A new alert, or an open one whose level rose: moderators are told.
    pub notify: bool,
}

/// Opens an alert, or joins the writer's unresolved alert in the same
/// place: its count goes up and it points at the latest writing; a higher
/// level replaces its level and evidence (so the evidence always explains
/// the level) and reopens it if acknowledged, so it is seen again.
pub async fn raise(db: &Db, a: &NewAlert<'_>) -> Result<Raised, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        // Write first: on SQLite this takes the write lock before reading
        // (a read-then-write transaction can fail with SQLITE_BUSY_SNAPSHOT
        // when another commit lands in between, which waits for nothing);
        // on PostgreSQL it locks this member's open alerts.
        sqlx::query("UPDATE crisis_alerts SET last_at = last_at WHERE account_id = $1 AND status <> 'resolved'")
            .bind(a.account_id)
            .execute(&mut *tx)
            .await?;
        let existing: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, level FROM crisis_alerts WHERE account_id = $1 \
             AND ((group_id IS NULL AND $2 IS NULL) OR group_id = $2) AND status <> 'resolved' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(a.account_id)
        .bind(a.group_id)
        .fetch_optional(&mut *tx)
        .await?;
        let raised = match existing {
            Some((id, level)) => {
                let rises = rank(a.level) > rank(&level);
                sqlx::query(
                    "UPDATE crisis_alerts SET count = count + 1, last_at = $1, source_kind = $2, \
                     source_id = $3, source_url = $4, \
                     evidence = CASE WHEN $6 THEN $5 ELSE evidence END, \
                     level = CASE WHEN $6 THEN $7 ELSE level END, \
                     score = CASE WHEN $6 THEN $8 ELSE score END, \
                     status = CASE WHEN $6 THEN 'open' ELSE status END, \
                     acknowledged_by = CASE WHEN $6 THEN NULL ELSE acknowledged_by END, \
                     acknowledged_at = CASE WHEN $6 THEN NULL ELSE acknowledged_at END \
                     WHERE id = $9",
                )
                .bind(a.now)
                .bind(a.source_kind)
                .bind(a.source_id)
                .bind(a.source_url)
                .bind(a.evidence)
                .bind(rises)
                .bind(a.level)
                .bind(a.score)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Raised { id, notify: rises }
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO crisis_alerts (account_id, group_id, level, score, source_kind, \
                     source_id, source_url, evidence, created_at, last_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(a.account_id)
                .bind(a.group_id)
                .bind(a.level)
                .bind(a.score)
                .bind(a.source_kind)
                .bind(a.source_id)
                .bind(a.source_url)
                .bind(a.evidence)
                .bind(a.now)
                .fetch_one(&mut *tx)
                .await?;
                Raised { id, notify: true }
            }
        };
        tx.commit().await?;
        Ok(raised)
    })
}

/// Alerts not yet resolved (or resolved ones), by level then age: the
/// most urgent and the longest waiting first. Acknowledging one leaves it
/// where it was, so a moderator working down the list keeps their place.
pub async fn list(db: &Db, resolved: bool, limit: i64) -> Result<Vec<AlertRow>, sqlx::Error> {
    let order = if resolved {
        "al.resolved_at DESC"
    } else {
        "CASE al.level WHEN 'imminent' THEN 0 WHEN 'ideation' THEN 1 ELSE 2 END, \
         al.created_at, al.id"
    };
    let sql =
        format!("SELECT {COLUMNS} WHERE (al.status = 'resolved') = $1 ORDER BY {order} LIMIT $2");
    on_db!(db, |pool| {
        sqlx::query_as::<_, AlertRow>(sqlx::AssertSqlSafe(sql))
            .bind(resolved)
            .bind(limit)
            .fetch_all(pool)
            .await
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<AlertRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} WHERE al.id = $1");
    on_db!(db, |pool| {
        sqlx::query_as::<_, AlertRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// Alerts not yet resolved.
pub async fn open_count(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM crisis_alerts WHERE status <> 'resolved'")
            .fetch_one(pool)
            .await
    })
}

/// The audit row for a moderator's step on an alert.
fn alert_entry(by: i64, action: audit::Action, id: i64) -> audit::Entry<'static> {
    audit::Entry {
        actor_id: Some(by),
        action,
        object_kind: audit::ObjectKind::CrisisAlert,
        object_id: id,
        reason: "",
    }
}

/// Commits a step on an alert with its audit row, when the step was taken
/// (`done`); whether it was.
async fn audited(
    mut tx: Tx<'_>,
    done: bool,
    entry: &audit::Entry<'_>,
) -> Result<bool, sqlx::Error> {
    if done {
        audit::append_in(&mut tx, entry).await?;
        tx.commit().await?;
    }
    Ok(done)
}

/// open → acknowledged, with its audit row, in one transaction. False if it
/// was not open.
pub async fn acknowledge(db: &Db, id: i64, by: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = on_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE crisis_alerts SET status = 'acknowledged', acknowledged_by = $1, acknowledged_at = $2 \
         WHERE id = $3 AND status = 'open'",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    audited(
        tx,
        done == 1,
        &alert_entry(by, audit::Action::AlertAcknowledge, id),
    )
    .await
}

/// open or acknowledged → resolved, with the outcome and its audit row, in
/// one transaction. An alert resolved without being acknowledged counts as
/// acknowledged at the same moment.
pub async fn resolve(
    db: &Db,
    id: i64,
    by: i64,
    outcome: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = on_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE crisis_alerts SET status = 'resolved', resolved_by = $1, resolved_at = $2, outcome = $3, \
         acknowledged_by = COALESCE(acknowledged_by, $1), acknowledged_at = COALESCE(acknowledged_at, $2) \
         WHERE id = $4 AND status <> 'resolved'",
    )
    .bind(by)
    .bind(now)
    .bind(outcome)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    audited(
        tx,
        done == 1,
        &alert_entry(by, audit::Action::AlertResolve, id),
    )
    .await
}

/// (created_at, acknowledged_at) of alerts raised since `since`.
pub async fn response_times(db: &Db, since: i64) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT created_at, acknowledged_at FROM crisis_alerts WHERE created_at >= $1",
        )
        .bind(since)
        .fetch_all(pool)
        .await
    })
}
