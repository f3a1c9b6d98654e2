//! Reports, moderators' actions and appeals.
//!
//! Any member reports a post, a chat message or a member, with a reason.
//! The report is a case: the group's facilitators and the moderators see
//! it at once (moderators online get a live `report` frame); one takes it,
//! keeps private notes, acts from it (hide the post, warn, mute in the
//! group, suspend, ban; each with a reason), and resolves it with a message
//! to the reporter. The member sees each action with its reason on their
//! notices page and may appeal it once; a moderator other than the one who
//! acted decides. A hidden post keeps its words until then (and after: a
//! hidden post is not deleted). Every action, undoing and decision is in
//! the audit log.
//!
//! Who may do what: facilitators within their groups (hide, warn, mute);
//! moderators and admins everywhere (also suspend and ban, and appeals).
//! A mute, a suspension or a ban holds at once on every write path (the
//! forum, chat on open connections and on reconnect), on every node.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use crate::AppState;
use crate::accounts::model::Role;
use crate::db::{Db, Tx, now_ms};
use crate::notifications::store::{Decision, NotificationKind, decided_in};
use crate::safety::audit::{self, Action, ObjectKind};
use crate::safety::reports::{Target, TargetKind, open_reports};
use crate::web::{AppError, CurrentUser};
use crate::{on_db, on_tx};

/// Undoes an action inside the caller's transaction: marks it revoked and
/// brings a hidden post or chat message back. Returns the chat room event
/// that restores a message, if any (for `announce` once committed).
async fn revoke_in(
    tx: &mut Tx<'_>,
    s: &SanctionRow,
    by: i64,
    now: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE sanctions SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(s.id)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    if let Some(post) = s.post_id {
        crate::forum::store::unhide_in(tx, post, s.id).await?;
    }
    match s.message_id {
        Some(message) => crate::live::store::restore_in(tx, message, s.id, by, now).await,
        None => Ok(None),
    }
}

/// A moderator's action, inside the caller's transaction: the sanction
/// row, for a hidden post or chat message the post or message marked
/// with it (its words kept), and the member's notification. Returns the sanction's id and the chat room
/// event that hides a message, if any (for `announce` once committed).
pub(crate) async fn sanction_in(
    tx: &mut Tx<'_>,
    s: &NewSanction<'_>,
) -> Result<(i64, Option<(i64, i64)>), sqlx::Error> {
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO sanctions (kind, account_id, group_id, post_id, reason, report_id, actor_id, created_at, expires_at, message_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(s.kind)
    .bind(s.account_id)
    .bind(s.group_id)
    .bind(s.post_id)
    .bind(s.reason)
    .bind(s.report_id)
    .bind(s.actor_id)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.message_id)
    .fetch_one(c)
    .await
    })?;
    if let Some(post) = s.post_id {
        crate::forum::store::hide_in(tx, post, id).await?;
    }
    let event = match s.message_id {
        Some(message) => crate::live::store::hide_in(tx, message, id, s.actor_id, s.now).await?,
        None => None,
    };
    // The member hears of it (their notices say what and why).
    decided_in(
        tx,
        &Decision {
            kind: NotificationKind::Action,
            account_id: s.account_id,
            group_id: s.group_id,
            actor_id: s.actor_id,
            report_id: None,
            sanction_id: Some(id),
            request_id: None,
            now: s.now,
        },
    )
    .await?;
    Ok((id, event))
}

/// A moderator's action about to be recorded (see `sanction_in`).
pub struct NewSanction<'a> {
    pub kind: ActionKind,
    pub account_id: i64,
    pub group_id: Option<i64>,
    /// The post a `hide` hides.
    pub post_id: Option<i64>,
    /// The chat message (its row id) a `hide` hides.
    pub message_id: Option<i64>,
    pub reason: &'a str,
    pub report_id: Option<i64>,
    pub actor_id: i64,
    pub now: i64,
    pub expires_at: Option<i64>,
}

/// Report reasons, in the order the form offers them.
pub const REASONS: [&str; 7] = [
    "harassment",
    "hate",
    "unsafe",
    "spam",
    "sexual",
    "privacy",
    "other",
];

crate::word_enum!(ReportStatus { Open = "open", Resolved = "resolved" });
crate::word_enum!(AppealStatus {
    Open = "open",
    Upheld = "upheld",
    Overturned = "overturned",
});

crate::word_enum!(
    /// A moderator's action; a sanction row keeps its word.
    #[derive(Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    ActionKind {
        /// Hide the reported post (its words are kept).
        Hide = "hide",
        Warn = "warn",
        /// No posting or chat in the report's group for a time.
        Mute = "mute",
        /// No posting or chat anywhere for a time.
        Suspend = "suspend",
        /// No posting or chat anywhere until lifted.
        Ban = "ban",
    }
);

impl ActionKind {
    /// The audit log's word for taking this action.
    pub fn done(self) -> Action {
        match self {
            ActionKind::Hide => Action::MemberHide,
            ActionKind::Warn => Action::MemberWarn,
            ActionKind::Mute => Action::MemberMute,
            ActionKind::Suspend => Action::MemberSuspend,
            ActionKind::Ban => Action::MemberBan,
        }
    }

    /// The audit log's word for undoing it.
    pub fn undone(self) -> Action {
        match self {
            ActionKind::Hide => Action::MemberUnhide,
            ActionKind::Warn => Action::MemberUnwarn,
            ActionKind::Mute => Action::MemberUnmute,
            ActionKind::Suspend => Action::MemberUnsuspend,
            ActionKind::Ban => Action::MemberUnban,
        }
    }

    /// Facilitators may act only within their group, and not beyond it.
    fn for_facilitators(self) -> bool {
        matches!(self, ActionKind::Hide | ActionKind::Warn | ActionKind::Mute)
    }

    /// Mute and suspend last a while; the others don't expire.
    fn lasts(self) -> bool {
        matches!(self, ActionKind::Mute | ActionKind::Suspend)
    }
}

/// Hours a mute or suspension may last.
pub const DURATIONS_HOURS: [i64; 5] = [1, 24, 72, 168, 720];
pub const REASON_MAX: usize = 500;
pub const DETAILS_MAX: usize = 2000;

#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub reporter_id: Option<i64>,
    pub reporter: Option<String>,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub target_account_id: Option<i64>,
    pub target_handle: Option<String>,
    pub group_id: Option<i64>,
    pub group_slug: Option<String>,
    pub group_name: Option<String>,
    pub reason: String,
    pub details: String,
    pub status: ReportStatus,
    pub assigned_to: Option<i64>,
    pub assignee: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub resolution: Option<String>,
}

const REPORT_COLUMNS: &str = "r.id, r.reporter_id, rp.handle AS reporter, r.target_kind, r.target_id, \
    r.target_account_id, ta.handle AS target_handle, r.group_id, g.slug AS group_slug, g.name AS group_name, \
    r.reason, r.details, r.status, r.assigned_to, asg.handle AS assignee, r.created_at, r.resolved_at, r.resolution \
    FROM reports r \
    LEFT JOIN accounts rp ON rp.id = r.reporter_id \
    LEFT JOIN accounts ta ON ta.id = r.target_account_id \
    LEFT JOIN groups g ON g.id = r.group_id \
    LEFT JOIN accounts asg ON asg.id = r.assigned_to";

#[derive(Debug, Clone, FromRow)]
pub struct SanctionRow {
    pub id: i64,
    pub kind: ActionKind,
    pub account_id: i64,
    pub handle: Option<String>,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub post_id: Option<i64>,
    /// A hidden chat message: its row id, room and number.
    pub message_id: Option<i64>,
    pub message_room: Option<i64>,
    pub message_seq: Option<i64>,
    /// The words a `hide` hid (kept; for the member and those who decide):
    /// only a hide names a post or a message.
    pub content: Option<String>,
    pub reason: String,
    pub report_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub appeal_id: Option<i64>,
    pub appeal_body: Option<String>,
    pub appeal_status: Option<AppealStatus>,
    pub appeal_decision: Option<String>,
}

const SANCTION_COLUMNS: &str = "s.id, s.kind, s.account_id, a.handle, s.group_id, g.name AS group_name, \
    s.post_id, s.message_id, hm.room_id AS message_room, hm.seq AS message_seq, \
    COALESCE(hp.body, hm.body) AS content, s.reason, s.report_id, s.actor_id, s.created_at, s.expires_at, s.revoked_at, \
    ap.id AS appeal_id, ap.body AS appeal_body, ap.status AS appeal_status, ap.decision AS appeal_decision \
    FROM sanctions s \
    LEFT JOIN accounts a ON a.id = s.account_id \
    LEFT JOIN groups g ON g.id = s.group_id \
    LEFT JOIN posts hp ON hp.id = s.post_id \
    LEFT JOIN messages hm ON hm.id = s.message_id \
    LEFT JOIN appeals ap ON ap.sanction_id = s.id";

/// SQL: report `r` is about someone who leads its group (a facilitator of
/// it) or about staff. Such reports are the moderators' alone: the group's
/// facilitators neither see nor handle reports about themselves or each
/// other.
const ABOUT_A_LEADER: &str = "(r.target_account_id IS NOT NULL AND (\
    EXISTS (SELECT 1 FROM group_members lm WHERE lm.group_id = r.group_id \
        AND lm.account_id = r.target_account_id AND lm.role = 'facilitator') \
    OR EXISTS (SELECT 1 FROM accounts la WHERE la.id = r.target_account_id \
        AND la.role IN ('moderator', 'admin'))))";

fn text(input: &str, max: usize, required: bool, id: &'static str) -> Result<String, &'static str> {
    crate::text::parse_text(input, usize::from(required), max, true, id)
}

/// Files a report. The reporter must be able to read what they report.
pub async fn report(
    state: &AppState,
    user: &CurrentUser,
    target: &Target,
    reason: &str,
    details: &str,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    if !REASONS.contains(&reason) {
        errors.push(("reason", "error-report-reason"));
    }
    let details = text(details, DETAILS_MAX, false, "error-report-details")
        .map_err(|e| errors.push(("details", e)))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = now_ms();
    let id: i64 = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO reports (reporter_id, target_kind, target_id, target_account_id, group_id, reason, details, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(user.account.id)
        .bind(target.kind.as_str())
        .bind(target.id)
        .bind(target.account_id)
        .bind(target.group_id)
        .bind(reason)
        .bind(&details)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    tracing::info!(
        report.id = id,
        target = target.kind.as_str(),
        "report filed"
    );
    let open = open_reports(&state.db).await.unwrap_or(0);
    // About one of the group's leaders: told to the moderators alone.
    let facilitators = match about_a_leader(&state.db, id).await {
        Ok(false) => Some(target.group_id),
        _ => None,
    };
    crate::bus::publish(
        state,
        crate::bus::Event::Report {
            id,
            open,
            group: facilitators,
        },
    )
    .await;
    Ok(id)
}

/// Whether report `id` is about one of its group's leaders or staff.
async fn about_a_leader(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let sql = format!("SELECT {ABOUT_A_LEADER} FROM reports r WHERE r.id = $1");
    on_db!(db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_one(pool)
            .await
    })
}

/// Reports `user` may see: all for staff, their groups' for facilitators.
pub async fn reports(
    state: &AppState,
    user: &CurrentUser,
    resolved: bool,
) -> Result<Vec<ReportRow>, AppError> {
    let groups = if user.is_staff() {
        None
    } else {
        Some(crate::groups::store::facilitated(&state.db, user.account.id).await?)
    };
    if groups.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::Forbidden);
    }
    let order = if resolved {
        "r.resolved_at DESC"
    } else {
        "r.created_at"
    };
    // Staff see every report; facilitators their groups' (chosen in the
    // query, so older reports elsewhere never crowd theirs out).
    let sql = format!(
        "SELECT {REPORT_COLUMNS} WHERE (r.status = 'resolved') = $1 \
         AND ($2 OR (r.group_id IN (SELECT group_id FROM group_members \
              WHERE account_id = $3 AND role = 'facilitator') AND NOT {ABOUT_A_LEADER})) \
         ORDER BY {order} LIMIT 200"
    );
    let rows = on_db!(&state.db, |pool| {
        sqlx::query_as::<_, ReportRow>(sqlx::AssertSqlSafe(sql))
            .bind(resolved)
            .bind(groups.is_none())
            .bind(user.account.id)
            .fetch_all(pool)
            .await
    })?;
    audit::record(
        &state.db,
        Some(user.account.id),
        Action::ReportsList,
        ObjectKind::Report,
        0,
    )
    .await;
    Ok(rows)
}

/// One report, if `user` may handle it: staff, or a facilitator of its
/// group when it is not about one of the group's leaders. Anyone else is
/// told it is not there.
pub async fn case(state: &AppState, user: &CurrentUser, id: i64) -> Result<ReportRow, AppError> {
    let sql = format!("SELECT {REPORT_COLUMNS} WHERE r.id = $1");
    let row = on_db!(&state.db, |pool| {
        sqlx::query_as::<_, ReportRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    let Some(row) = row else {
        return Err(AppError::NotFound);
    };
    if user.is_staff() {
        return Ok(row);
    }
    let groups = crate::groups::store::facilitated(&state.db, user.account.id).await?;
    match row.group_id {
        Some(g) if groups.contains(&g) && !about_a_leader(&state.db, row.id).await? => Ok(row),
        _ if groups.is_empty() => Err(AppError::Forbidden),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct NoteRow {
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

pub async fn notes(db: &Db, report_id: i64) -> Result<Vec<NoteRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, NoteRow>(
            "SELECT a.handle AS author, n.body, n.created_at FROM report_notes n \
             LEFT JOIN accounts a ON a.id = n.author_id WHERE n.report_id = $1 ORDER BY n.id",
        )
        .bind(report_id)
        .fetch_all(pool)
        .await
    })
}

/// A private note on the case (those who handle it see it; nobody else).
pub async fn add_note(
    state: &AppState,
    user: &CurrentUser,
    report_id: i64,
    body: &str,
) -> Result<(), AppError> {
    case(state, user, report_id).await?;
    let body = text(body, DETAILS_MAX, true, "error-note")
        .map_err(|e| AppError::Validation(vec![("note", e)]))?;
    on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO report_notes (report_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(report_id)
        .bind(user.account.id)
        .bind(&body)
        .bind(now_ms())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Takes the case.
pub async fn assign(state: &AppState, user: &CurrentUser, report_id: i64) -> Result<(), AppError> {
    case(state, user, report_id).await?;
    let entry = entry(
        user,
        Action::ReportAssign,
        ObjectKind::Report,
        report_id,
        "",
    );
    let mut tx = state.db.begin().await?;
    on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE reports SET assigned_to = $1 WHERE id = $2"
    )
    .bind(user.account.id)
    .bind(report_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    audit::append_in(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the case with a message for the reporter.
pub async fn resolve(
    state: &AppState,
    user: &CurrentUser,
    report_id: i64,
    message: &str,
) -> Result<(), AppError> {
    let row = case(state, user, report_id).await?;
    let message = text(message, DETAILS_MAX, true, "error-report-resolution")
        .map_err(|e| AppError::Validation(vec![("message", e)]))?;
    if row.status == ReportStatus::Resolved {
        return Ok(());
    }
    let entry = entry(
        user,
        Action::ReportResolve,
        ObjectKind::Report,
        report_id,
        "",
    );
    let mut tx = state.db.begin().await?;
    let done = on_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE reports SET status = 'resolved', resolved_at = $1, resolved_by = $2, resolution = $3 \
         WHERE id = $4 AND status <> 'resolved'",
    )
    .bind(now_ms())
    .bind(user.account.id)
    .bind(&message)
    .bind(report_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if done == 1 {
        audit::append_in(&mut tx, &entry).await?;
        // The reporter hears how it ended (a filter's report has none).
        if let Some(reporter) = row.reporter_id.filter(|r| *r != user.account.id) {
            decided_in(
                &mut tx,
                &Decision {
                    kind: NotificationKind::ReportResolved,
                    account_id: reporter,
                    group_id: row.group_id,
                    actor_id: user.account.id,
                    report_id: Some(report_id),
                    sanction_id: None,
                    request_id: None,
                    now: now_ms(),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// An audit row for `user`'s action.
pub(crate) fn entry<'a>(
    user: &CurrentUser,
    action: Action,
    kind: ObjectKind,
    id: i64,
    reason: &'a str,
) -> audit::Entry<'a> {
    audit::Entry {
        actor_id: Some(user.account.id),
        action,
        object_kind: kind,
        object_id: id,
        reason,
    }
}

/// The account's role, if it exists.
async fn role_of(db: &Db, account_id: i64) -> Result<Option<Role>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT role FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })
}

fn is_staff_role(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Moderator | Role::Admin))
}

/// Takes an action from a case. Returns the action's id.
pub async fn act(
    state: &AppState,
    user: &CurrentUser,
    report_id: i64,
    kind: ActionKind,
    reason: &str,
    hours: Option<i64>,
) -> Result<i64, AppError> {
    let row = case(state, user, report_id).await?;
    if !user.is_staff() && !kind.for_facilitators() {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let reason = text(reason, REASON_MAX, true, "error-action-reason")
        .map_err(|e| errors.push(("reason", e)))
        .unwrap_or_default();
    let expires_at = match (kind.lasts(), hours) {
        (true, Some(h)) if DURATIONS_HOURS.contains(&h) => Some(now_ms() + h * 3_600_000),
        (true, _) => {
            errors.push(("hours", "error-action-duration"));
            None
        }
        (false, _) => None,
    };
    let Some(account_id) = row.target_account_id else {
        return Err(AppError::Validation(vec![(
            "kind",
            "error-action-no-member",
        )]));
    };
    // Nobody acts on themself; facilitators never act on staff.
    if account_id == user.account.id
        || (!user.is_staff() && is_staff_role(role_of(&state.db, account_id).await?))
    {
        return Err(AppError::Forbidden);
    }
    let hides = |target: TargetKind| {
        (kind == ActionKind::Hide && row.target_kind == target).then_some(row.target_id)
    };
    let (post_id, message_id) = (hides(TargetKind::Post), hides(TargetKind::Message));
    if kind == ActionKind::Hide && post_id.is_none() && message_id.is_none() {
        errors.push(("kind", "error-action-hide-post"));
    }
    if let Some(message) = message_id
        && !message_stands(&state.db, message).await?
    {
        errors.push(("kind", "error-action-hide-gone"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let group_id = match kind {
        ActionKind::Suspend | ActionKind::Ban => None,
        _ => row.group_id,
    };
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let (id, event) = sanction_in(
        &mut tx,
        &NewSanction {
            kind,
            account_id,
            group_id,
            post_id,
            message_id,
            reason: &reason,
            report_id: Some(report_id),
            actor_id: user.account.id,
            now,
            expires_at,
        },
    )
    .await?;
    if kind == ActionKind::Ban {
        // Their sessions end now; they may log in again to read their
        // notices and appeal, and write nothing else.
        crate::accounts::store::end_sessions_in(&mut tx, account_id).await?;
    }
    audit::append_in(
        &mut tx,
        &entry(user, kind.done(), ObjectKind::Sanction, id, &reason),
    )
    .await?;
    tx.commit().await?;
    if let Some((room, seq)) = event {
        crate::live::service::announce(state, room, seq).await;
    }
    if matches!(kind, ActionKind::Suspend | ActionKind::Ban) {
        // Their open connections, on every node, close now.
        crate::bus::publish(
            state,
            crate::bus::Event::SessionEnded {
                account: account_id,
            },
        )
        .await;
    }
    tracing::info!(
        sanction.id = id,
        kind = kind.as_str(),
        "moderation action taken"
    );
    Ok(id)
}

/// One action, for its member or for those who may handle it.
pub async fn sanction(db: &Db, id: i64) -> Result<Option<SanctionRow>, sqlx::Error> {
    let sql = format!("SELECT {SANCTION_COLUMNS} WHERE s.id = $1");
    on_db!(db, |pool| {
        sqlx::query_as::<_, SanctionRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// The actions taken from a case.
pub async fn actions_of_report(db: &Db, report_id: i64) -> Result<Vec<SanctionRow>, sqlx::Error> {
    let sql = format!("SELECT {SANCTION_COLUMNS} WHERE s.report_id = $1 ORDER BY s.id");
    on_db!(db, |pool| {
        sqlx::query_as::<_, SanctionRow>(sqlx::AssertSqlSafe(sql))
            .bind(report_id)
            .fetch_all(pool)
            .await
    })
}

/// A member's own notices (every action about them), newest first; marks
/// them seen.
pub async fn my_sanctions(db: &Db, account_id: i64) -> Result<Vec<SanctionRow>, sqlx::Error> {
    let sql = format!("SELECT {SANCTION_COLUMNS} WHERE s.account_id = $1 ORDER BY s.id DESC");
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, SanctionRow>(sqlx::AssertSqlSafe(sql))
            .bind(account_id)
            .fetch_all(pool)
            .await
    })?;
    on_db!(db, |pool| {
        sqlx::query("UPDATE sanctions SET seen_at = $1 WHERE account_id = $2 AND seen_at IS NULL")
            .bind(now_ms())
            .bind(account_id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(rows)
}

/// The member appeals an action about them, once.
pub async fn appeal(
    state: &AppState,
    user: &CurrentUser,
    sanction_id: i64,
    body: &str,
) -> Result<i64, AppError> {
    let Some(s) = sanction(&state.db, sanction_id).await? else {
        return Err(AppError::NotFound);
    };
    if s.account_id != user.account.id {
        return Err(AppError::NotFound);
    }
    if s.appeal_id.is_some() {
        return Err(AppError::Validation(vec![("appeal", "error-appeal-twice")]));
    }
    if s.revoked_at.is_some() {
        return Err(AppError::Validation(vec![(
            "appeal",
            "error-appeal-lifted",
        )]));
    }
    let body = text(body, DETAILS_MAX, true, "error-appeal-body")
        .map_err(|e| AppError::Validation(vec![("appeal", e)]))?;
    let entry = entry(
        user,
        Action::AppealFile,
        ObjectKind::Sanction,
        sanction_id,
        "",
    );
    let mut tx = state.db.begin().await?;
    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO appeals (sanction_id, body, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(sanction_id)
    .bind(&body)
    .bind(now_ms())
    .fetch_one(c)
    .await)?;
    audit::append_in(&mut tx, &entry).await?;
    tx.commit().await?;
    let open = open_reports(&state.db).await.unwrap_or(0);
    crate::bus::publish(
        state,
        crate::bus::Event::Report {
            id: 0,
            open,
            group: None,
        },
    )
    .await;
    Ok(id)
}

/// Appeals waiting for a decision (staff).
pub async fn open_appeals(db: &Db) -> Result<Vec<SanctionRow>, sqlx::Error> {
    let sql = format!("SELECT {SANCTION_COLUMNS} WHERE ap.status = 'open' ORDER BY ap.created_at");
    on_db!(db, |pool| {
        sqlx::query_as::<_, SanctionRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await
    })
}

/// A moderator or admin other than the one who acted decides an appeal:
/// upheld (the action stands) or overturned (undone: a hidden post comes
/// back, a mute or suspension or ban is lifted). Either way the member sees
/// the decision and its reason.
pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    sanction_id: i64,
    overturn: bool,
    decision: &str,
) -> Result<(), AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let Some(s) = sanction(&state.db, sanction_id).await? else {
        return Err(AppError::NotFound);
    };
    if s.appeal_status != Some(AppealStatus::Open) {
        return Err(AppError::NotFound);
    }
    // Neither the moderator who acted nor the member it is about decides.
    if s.actor_id == Some(user.account.id) || s.account_id == user.account.id {
        return Err(AppError::Validation(vec![(
            "decision",
            "error-appeal-own-action",
        )]));
    }
    let decision = text(decision, REASON_MAX, true, "error-appeal-decision")
        .map_err(|e| AppError::Validation(vec![("decision", e)]))?;
    let now = now_ms();
    let action = if overturn {
        Action::AppealOverturn
    } else {
        Action::AppealUphold
    };
    let undo = s.kind.undone();
    let mut tx = state.db.begin().await?;
    // Only an open appeal is decided, once, even by two at a time.
    let done = on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE appeals SET status = $1, decided_by = $2, decided_at = $3, decision = $4 \
         WHERE sanction_id = $5 AND status = 'open'",
    )
    .bind(if overturn {
        AppealStatus::Overturned
    } else {
        AppealStatus::Upheld
    })
    .bind(user.account.id)
    .bind(now)
    .bind(&decision)
    .bind(sanction_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    let decided = if done == 1 {
        audit::append_in(
            &mut tx,
            &entry(user, action, ObjectKind::Sanction, sanction_id, &decision),
        )
        .await?;
        decided_in(
            &mut tx,
            &Decision {
                kind: NotificationKind::AppealDecided,
                account_id: s.account_id,
                group_id: s.group_id,
                actor_id: user.account.id,
                report_id: None,
                sanction_id: Some(sanction_id),
                request_id: None,
                now,
            },
        )
        .await?;
        let mut event = None;
        if overturn {
            event = revoke_in(&mut tx, &s, user.account.id, now).await?;
            audit::append_in(
                &mut tx,
                &entry(user, undo, ObjectKind::Sanction, sanction_id, &decision),
            )
            .await?;
        }
        tx.commit().await?;
        Some(event)
    } else {
        None
    };
    let Some(event) = decided else {
        return Err(AppError::NotFound);
    };
    if let Some((room, seq)) = event {
        crate::live::service::announce(state, room, seq).await;
    }
    Ok(())
}

/// Undoes an action (restore, unmute, unsuspend, unban) without an appeal.
pub async fn revoke(
    state: &AppState,
    user: &CurrentUser,
    sanction_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let Some(s) = sanction(&state.db, sanction_id).await? else {
        return Err(AppError::NotFound);
    };
    if let Some(report) = s.report_id {
        case(state, user, report).await?;
    } else if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    // Facilitators undo only what facilitators may do, never an action
    // about themself or one a moderator took.
    if !user.is_staff()
        && (!s.kind.for_facilitators()
            || s.account_id == user.account.id
            || match s.actor_id {
                Some(actor) => is_staff_role(role_of(&state.db, actor).await?),
                None => true,
            })
    {
        return Err(AppError::Forbidden);
    }
    let reason = text(reason, REASON_MAX, true, "error-action-reason")
        .map_err(|e| AppError::Validation(vec![("reason", e)]))?;
    if s.revoked_at.is_some() {
        return Ok(());
    }
    let now = now_ms();
    let undo = s.kind.undone();
    let mut tx = state.db.begin().await?;
    let event = revoke_in(&mut tx, &s, user.account.id, now).await?;
    audit::append_in(
        &mut tx,
        &entry(user, undo, ObjectKind::Sanction, sanction_id, &reason),
    )
    .await?;
    tx.commit().await?;
    if let Some((room, seq)) = event {
        crate::live::service::announce(state, room, seq).await;
    }
    Ok(())
}

/// The chat message (its row id) is still there to hide.
async fn message_stands(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM messages WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(pool)
            .await
            .map(|found| found.is_some())
    })
}
