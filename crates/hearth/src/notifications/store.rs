//! SQL for notifications, one body for both backends.

use sqlx::FromRow;

use crate::db::{Db, Tx};
use crate::{on_db, on_tx};

crate::word_enum!(
    /// What a notification tells of.
    #[derive(serde::Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "kebab-case")]
    NotificationKind {
        /// A reply in a thread the member follows.
        Reply = "reply",
        Mention = "mention",
        /// Their request to join a closed group was approved (with the
        /// facilitator's welcome, if they wrote one).
        RequestApproved = "request-approved",
        RequestDeclined = "request-declined",
        /// A report they made was resolved, with the moderator's message.
        ReportResolved = "report-resolved",
        /// A moderator or facilitator acted about them (see their notices).
        Action = "action",
        /// Their appeal was decided.
        AppealDecided = "appeal-decided",
        /// A date of a live session they have a place at is near.
        SessionReminder = "session-reminder",
        /// A place freed for them from a session's waiting list.
        SessionPlace = "session-place",
        /// A date they had a place at was called off.
        SessionCancelled = "session-cancelled",
    }
);

/// A post others are told of: where it is, who wrote it, when.
#[derive(Debug, Clone, Copy)]
pub struct Posted {
    pub group_id: i64,
    pub thread_id: i64,
    pub post_id: i64,
    pub author_id: i64,
    pub anonymous: bool,
    pub now: i64,
}

/// Tells the members mentioned in a post, inside the caller's transaction.
pub async fn mentions_in(
    tx: &mut Tx<'_>,
    p: &Posted,
    mentioned: &[i64],
) -> Result<(), sqlx::Error> {
    for &account in mentioned {
        if account == p.author_id {
            continue;
        }
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO notifications (account_id, kind, group_id, thread_id, post_id, actor_id, actor_anonymous, created_at) \
             SELECT $1, 'mention', $2, $3, $4, $5, $6, $7 \
             WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $2 AND m.account_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM thread_mutes tm WHERE tm.thread_id = $3 AND tm.account_id = $1)",
        )
        .bind(account)
        .bind(p.group_id)
        .bind(p.thread_id)
        .bind(p.post_id)
        .bind(p.author_id)
        .bind(p.anonymous)
        .bind(p.now)
        .execute(c)
        .await
        .map(|_| ())
        })?;
    }
    Ok(())
}

/// Tells a thread's followers of a reply, inside the caller's transaction:
/// followers who are still members (or staff), other than its author;
/// someone already told of a mention in it is not told twice.
pub async fn replies_in(tx: &mut Tx<'_>, p: &Posted) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO notifications (account_id, kind, group_id, thread_id, post_id, actor_id, actor_anonymous, created_at) \
         SELECT f.account_id, 'reply', $1, $2, $3, $4, $5, $6 FROM thread_follows f \
         JOIN accounts a ON a.id = f.account_id \
         WHERE f.thread_id = $2 AND f.account_id <> $4 \
         AND (a.role IN ('moderator', 'admin') OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $1 AND m.account_id = f.account_id)) \
         AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.post_id = $3 AND n.account_id = f.account_id) \
         AND NOT EXISTS (SELECT 1 FROM thread_mutes tm WHERE tm.thread_id = $2 AND tm.account_id = f.account_id)",
    )
    .bind(p.group_id)
    .bind(p.thread_id)
    .bind(p.post_id)
    .bind(p.author_id)
    .bind(p.anonymous)
    .bind(p.now)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// A decision about one member, to tell them of: what it is, what it is
/// about, who took it, and where its words are kept.
#[derive(Debug, Clone, Copy)]
pub struct Decision {
    pub kind: NotificationKind,
    pub account_id: i64,
    pub group_id: Option<i64>,
    pub actor_id: i64,
    pub report_id: Option<i64>,
    pub sanction_id: Option<i64>,
    pub request_id: Option<i64>,
    pub now: i64,
}

/// Tells a member of a decision about them, inside the caller's
/// transaction (so the decision and its notice commit together).
pub async fn decided_in(tx: &mut Tx<'_>, d: &Decision) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO notifications (account_id, kind, group_id, actor_id, report_id, sanction_id, request_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(d.account_id)
        .bind(d.kind)
        .bind(d.group_id)
        .bind(d.actor_id)
        .bind(d.report_id)
        .bind(d.sanction_id)
        .bind(d.request_id)
        .bind(d.now)
        .execute(c)
        .await
        .map(|_| ())
    })
}

/// Tells a member something about a date of a live session, inside the
/// caller's transaction.
pub async fn session_in(
    tx: &mut Tx<'_>,
    kind: NotificationKind,
    account_id: i64,
    group_id: i64,
    meeting_id: i64,
    occurrence: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO notifications (account_id, kind, group_id, meeting_id, occurrence, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(account_id)
        .bind(kind)
        .bind(group_id)
        .bind(meeting_id)
        .bind(occurrence)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ())
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: NotificationKind,
    pub group_slug: Option<String>,
    pub group_name: Option<String>,
    pub thread_id: Option<i64>,
    pub thread_title: Option<String>,
    pub post_id: Option<i64>,
    pub actor_handle: Option<String>,
    pub actor_anonymous: bool,
    pub created_at: i64,
    pub read_at: Option<i64>,
    /// The words of a decision: a request's message, a report's
    /// resolution, an action's reason, an appeal's decision.
    pub detail: Option<String>,
    /// What an action was (`hide`, `warn`, …), for `action` and
    /// `appeal-decided`.
    pub action_kind: Option<String>,
    /// Whether an appeal was upheld or overturned.
    pub appeal_status: Option<String>,
    /// A live session's, and which of its dates.
    pub meeting_id: Option<i64>,
    pub meeting_title: Option<String>,
    pub occurrence: Option<String>,
}

const NOTIFICATION_SELECT: &str = "SELECT n.id, n.kind, g.slug AS group_slug, g.name AS group_name, n.thread_id, \
             CASE WHEN me.role IN ('moderator', 'admin') \
                  OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = n.group_id AND m.account_id = n.account_id) \
                  THEN t.title END AS thread_title, \
             n.post_id, a.handle AS actor_handle, n.actor_anonymous, n.created_at, n.read_at, \
             CASE n.kind WHEN 'report-resolved' THEN r.resolution WHEN 'action' THEN s.reason \
                  WHEN 'appeal-decided' THEN ap.decision ELSE jr.decision_message END AS detail, \
             s.kind AS action_kind, ap.status AS appeal_status, \
             n.meeting_id, mt.title AS meeting_title, n.occurrence \
             FROM notifications n JOIN accounts me ON me.id = n.account_id \
             LEFT JOIN meetings mt ON mt.id = n.meeting_id \
             LEFT JOIN groups g ON g.id = n.group_id LEFT JOIN threads t ON t.id = n.thread_id \
             LEFT JOIN accounts a ON a.id = n.actor_id \
             LEFT JOIN reports r ON r.id = n.report_id LEFT JOIN sanctions s ON s.id = n.sanction_id \
             LEFT JOIN appeals ap ON ap.sanction_id = n.sanction_id \
             LEFT JOIN join_requests jr ON jr.id = n.request_id";

/// The newest notifications of an account, before id `before`.
pub async fn list(
    db: &Db,
    account_id: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, NotificationRow>(
            sqlx::AssertSqlSafe(format!("{NOTIFICATION_SELECT} WHERE n.account_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3")),
        )
        .bind(account_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// The newest unread notifications of an account.
pub async fn list_unread(
    db: &Db,
    account_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, NotificationRow>(sqlx::AssertSqlSafe(format!(
            "{NOTIFICATION_SELECT} WHERE n.account_id = $1 AND n.read_at IS NULL ORDER BY n.id DESC LIMIT $2"
        )))
        .bind(account_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

pub async fn unread_count(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL",
        )
        .bind(account_id)
        .fetch_one(pool)
        .await
    })
}

/// Whether the account has unread notifications about the thread.
pub async fn has_unread(db: &Db, account_id: i64, thread_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM notifications \
             WHERE account_id = $1 AND read_at IS NULL AND thread_id = $2)",
        )
        .bind(account_id)
        .bind(thread_id)
        .fetch_one(pool)
        .await
    })
}

/// Marks notifications read: all of them, or those about one thread.
pub async fn mark_read(
    db: &Db,
    account_id: i64,
    thread_id: Option<i64>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL \
             AND (CAST($3 AS BIGINT) IS NULL OR thread_id = $3)",
        )
        .bind(now)
        .bind(account_id)
        .bind(thread_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })
}
