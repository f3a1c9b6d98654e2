//! The append-only audit log (RELIABILITY.md T19): one row per privileged
//! action, with who, what, on what, when and why; never content, never an
//! IP address. Each row's hash covers the previous row's hash and its own
//! fields, so editing, deleting or reordering rows breaks the chain, and
//! `verify` finds where.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::db::{Db, Tx, now_ms};
use crate::secret::hex;
use crate::{on_db, on_tx};

/// Longest reason kept, in characters.
pub const REASON_MAX: usize = 500;

#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub seq: i64,
    /// Milliseconds since the Unix epoch, UTC.
    pub at: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub object_kind: String,
    pub object_id: i64,
    pub reason: String,
    pub prev_hash: String,
    pub hash: String,
    /// The actor's handle, where the query asks for it.
    #[sqlx(default)]
    pub actor_handle: Option<String>,
}

crate::word_enum!(
    /// What a privileged action was: the word the log keeps for it.
    Action {
        Login = "auth.login",
        LoginFailed = "auth.login_failed",
        Logout = "auth.logout",
        AccountErase = "account.erase",
        AlertsList = "alerts.list",
        AlertAcknowledge = "alert.acknowledge",
        AlertResolve = "alert.resolve",
        ReportsList = "reports.list",
        ReportView = "report.view",
        ReportAssign = "report.assign",
        ReportResolve = "report.resolve",
        HeldList = "held.list",
        PostApprove = "post.approve",
        PostDecline = "post.decline",
        MemberHide = "member.hide",
        MemberWarn = "member.warn",
        MemberMute = "member.mute",
        MemberSuspend = "member.suspend",
        MemberBan = "member.ban",
        MemberUnhide = "member.unhide",
        MemberUnwarn = "member.unwarn",
        MemberUnmute = "member.unmute",
        MemberUnsuspend = "member.unsuspend",
        MemberUnban = "member.unban",
        AppealFile = "appeal.file",
        AppealUphold = "appeal.uphold",
        AppealOverturn = "appeal.overturn",
        FilterAdd = "filter.add",
        FilterRemove = "filter.remove",
        AuditPurge = "audit.purge",
        /// An admin changed an account's role (the reason is the new role).
        RoleChange = "account.role",
        /// An admin changed the site's name or who may register (the
        /// reason is the policy).
        SiteChange = "site.settings",
        InviteMake = "invite.make",
        /// An admin made a one-time password reset link for an account.
        ResetLinkMake = "account.reset_link",
        /// A password was set with a reset link (the actor is the account).
        PasswordReset = "account.password_reset",
        SecondFactorOn = "account.second_factor_on",
        SecondFactorOff = "account.second_factor_off",
    }
);

crate::word_enum!(
    /// What an action was on. A read of a whole list is recorded against
    /// the list's kind with id 0 (`alerts.list` on `alert` 0).
    ObjectKind {
        Account = "account",
        Session = "session",
        Alert = "alert",
        CrisisAlert = "crisis_alert",
        Report = "report",
        Post = "post",
        Sanction = "sanction",
        WordFilter = "word_filter",
        AuditLog = "audit_log",
        Site = "site",
        Invite = "invite",
    }
);

/// What one privileged action was.
pub struct Entry<'a> {
    pub actor_id: Option<i64>,
    pub action: Action,
    pub object_kind: ObjectKind,
    pub object_id: i64,
    pub reason: &'a str,
}

pub(crate) fn row_hash(
    prev: &str,
    seq: i64,
    at: i64,
    actor: Option<i64>,
    e: (&str, &str, i64, &str),
) -> String {
    let (action, kind, object, reason) = e;
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different rows hash the same input.
    for field in [
        prev.as_bytes(),
        &seq.to_be_bytes(),
        &at.to_be_bytes(),
        &actor.unwrap_or(-1).to_be_bytes(),
        action.as_bytes(),
        kind.as_bytes(),
        &object.to_be_bytes(),
        reason.as_bytes(),
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field);
    }
    hex(&h.finalize())
}

/// Appends one row inside the transaction `tx`, so an action and its
/// audit row commit together or not at all. The chain's head is updated
/// first, so concurrent appends (on any node) take turns. Returns the
/// row's number.
pub async fn append_in(tx: &mut Tx<'_>, e: &Entry<'_>) -> Result<i64, sqlx::Error> {
    let reason: String = e.reason.chars().take(REASON_MAX).collect();
    let at = now_ms();
    let (seq, prev): (i64, String) = on_tx!(tx, |c| sqlx::query_as(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"
    )
    .fetch_one(c)
    .await)?;
    let hash = row_hash(
        &prev,
        seq,
        at,
        e.actor_id,
        (
            e.action.as_str(),
            e.object_kind.as_str(),
            e.object_id,
            &reason,
        ),
    );
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, action, object_kind, object_id, reason, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(seq)
        .bind(at)
        .bind(e.actor_id)
        .bind(e.action)
        .bind(e.object_kind)
        .bind(e.object_id)
        .bind(&reason)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(c)
            .await
            .map(|_| ())
    })?;
    Ok(seq)
}

/// Appends one row on its own.
pub async fn append(db: &Db, e: &Entry<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let seq = append_in(&mut tx, e).await?;
    tx.commit().await?;
    Ok(seq)
}

/// Records an authentication event or a privileged read on its own. A
/// failure is logged and never stops the person (nobody is kept from
/// logging in, or a moderator from a case, because the log was busy).
pub async fn record(
    db: &Db,
    actor_id: Option<i64>,
    action: Action,
    object_kind: ObjectKind,
    object_id: i64,
) {
    let entry = Entry {
        actor_id,
        action,
        object_kind,
        object_id,
        reason: "",
    };
    if let Err(e) = append(db, &entry).await {
        tracing::error!(error = %e, action = action.as_str(), "audit row not written");
    }
}

/// The latest rows, newest first, with the actors' handles.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, AuditRow>(
            "SELECT l.seq, l.at, l.actor_id, l.action, l.object_kind, l.object_id, l.reason, \
             l.prev_hash, l.hash, a.handle AS actor_handle \
             FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id ORDER BY l.seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// Rows about one object, oldest first.
pub async fn for_object(db: &Db, kind: ObjectKind, id: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, AuditRow>(
            "SELECT seq, at, actor_id, action, object_kind, object_id, reason, prev_hash, hash \
             FROM audit_log WHERE object_kind = $1 AND object_id = $2 ORDER BY seq",
        )
        .bind(kind)
        .bind(id)
        .fetch_all(pool)
        .await
    })
}

/// Purges rows older than `before` (ms since the epoch), keeping the last
/// purged row's number and hash as the chain's new start. Returns how many
/// rows went.
pub async fn purge(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    // The head first: appends wait, and the purge sees a settled chain.
    let last: Option<(i64, String)> = on_tx!(&mut tx, |c| {
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
            .execute(&mut *c)
            .await?;
        sqlx::query_as("SELECT seq, hash FROM audit_log WHERE at < $1 ORDER BY seq DESC LIMIT 1")
            .bind(before)
            .fetch_optional(c)
            .await
    })?;
    let Some((seq, hash)) = last else {
        return Ok(0);
    };
    let n = on_tx!(&mut tx, |c| {
        let n = sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
            .bind(seq)
            .execute(&mut *c)
            .await?
            .rows_affected();
        sqlx::query("UPDATE audit_head SET purged_seq = $1, purged_hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&hash)
            .execute(c)
            .await
            .map(|_| n)
    })?;
    // The purge itself is in the chain: rows up to `seq` went.
    append_in(
        &mut tx,
        &Entry {
            actor_id: None,
            action: Action::AuditPurge,
            object_kind: ObjectKind::AuditLog,
            object_id: seq,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verdict {
    pub rows: i64,
    /// The first row that does not fit the chain, if any.
    pub broken_at: Option<i64>,
    pub problem: Option<String>,
}

/// Recomputes every row's hash in order, and checks that numbers run
/// 1, 2, 3… (after the purged ones) without gaps up to the head. A purge
/// during the check makes it start again.
pub async fn verify(db: &Db) -> Result<Verdict, sqlx::Error> {
    let mut verdict = verify_once(db).await?;
    for _ in 0..3 {
        let Some(purged_then) = verdict.1 else {
            break;
        };
        let purged_now: i64 = on_db!(db, |pool| {
            sqlx::query_scalar("SELECT purged_seq FROM audit_head WHERE id = 1")
                .fetch_one(pool)
                .await
        })?;
        if purged_now == purged_then {
            break;
        }
        verdict = verify_once(db).await?;
    }
    Ok(verdict.0)
}

/// One pass, and (when it found a break) the purge point it started from:
/// a purge since then explains the break, and the check starts again.
async fn verify_once(db: &Db) -> Result<(Verdict, Option<i64>), sqlx::Error> {
    const PAGE: i64 = 1000;
    // The head first: rows appended while checking are beyond it, and are
    // left for the next check.
    let (head_seq, head_hash, purged_seq, purged_hash): (i64, String, i64, String) =
        on_db!(db, |pool| {
            sqlx::query_as("SELECT seq, hash, purged_seq, purged_hash FROM audit_head WHERE id = 1")
                .fetch_one(pool)
                .await
        })?;
    // Rows up to `purged_seq` were purged as their retention ended; the
    // chain goes on from the last one's hash.
    let mut prev = purged_hash;
    let mut expected = purged_seq + 1;
    let mut after = purged_seq;
    loop {
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, AuditRow>(
                "SELECT seq, at, actor_id, action, object_kind, object_id, reason, prev_hash, hash \
                 FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
            )
            .bind(after)
            .bind(head_seq)
            .bind(PAGE)
            .fetch_all(pool)
            .await
        })?;
        let done = (rows.len() as i64) < PAGE;
        for r in rows {
            let broken = |problem: &str| Verdict {
                rows: expected - 1,
                broken_at: Some(r.seq.min(expected)),
                problem: Some(problem.to_owned()),
            };
            if r.seq != expected {
                return Ok((broken("a row is missing or out of order"), Some(purged_seq)));
            }
            if r.prev_hash != prev {
                return Ok((
                    broken("the row does not follow the one before"),
                    Some(purged_seq),
                ));
            }
            let h = row_hash(
                &prev,
                r.seq,
                r.at,
                r.actor_id,
                (&r.action, &r.object_kind, r.object_id, &r.reason),
            );
            if h != r.hash {
                return Ok((broken("the row was changed"), Some(purged_seq)));
            }
            prev = r.hash;
            after = r.seq;
            expected += 1;
        }
        if done {
            break;
        }
    }
    if head_seq != expected - 1 || head_hash != prev {
        return Ok((
            Verdict {
                rows: expected - 1,
                broken_at: Some(expected),
                problem: Some("rows at the end are missing".into()),
            },
            Some(purged_seq),
        ));
    }
    // Rows past the head are appends made while checking, if the head has
    // since moved past them; otherwise they were put there outside the
    // chain.
    let (max_seq, head_now): (Option<i64>, i64) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT (SELECT MAX(seq) FROM audit_log), (SELECT seq FROM audit_head WHERE id = 1)",
        )
        .fetch_one(pool)
        .await
    })?;
    if max_seq.is_some_and(|m| m > head_now) {
        return Ok((
            Verdict {
                rows: expected - 1,
                broken_at: Some(head_now + 1),
                problem: Some("a row was added outside the chain".into()),
            },
            Some(purged_seq),
        ));
    }
    Ok((
        Verdict {
            rows: expected - 1,
            broken_at: None,
            problem: None,
        },
        None,
    ))
}
