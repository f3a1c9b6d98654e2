//! SQL for accounts and sessions, one body for both backends.

use sqlx::FromRow;

use super::model::{Account, AgeBracket, Handle, Role};
use crate::db::{Db, Tx, is_unique_violation};
use crate::{on_db, on_tx};

#[derive(Debug, FromRow)]
struct AccountRow {
    id: i64,
    handle: String,
    age_bracket: AgeBracket,
    role: Role,
    is_professional: bool,
    has_email: bool,
    language: Option<String>,
    region: Option<String>,
    time_zone: Option<String>,
    quiet_from: Option<i64>,
    quiet_to: Option<i64>,
    break_minutes: Option<i64>,
    created_at: i64,
}

impl From<AccountRow> for Account {
    fn from(r: AccountRow) -> Self {
        Account {
            id: r.id,
            handle: r.handle,
            age_bracket: r.age_bracket,
            role: r.role,
            is_professional: r.is_professional,
            has_email: r.has_email,
            language: r.language,
            region: r.region,
            time_zone: r.time_zone,
            quiet_from: r.quiet_from,
            quiet_to: r.quiet_to,
            break_minutes: r.break_minutes,
            created_at: r.created_at,
        }
    }
}

const ACCOUNT_COLUMNS: &str = "a.id, a.handle, a.age_bracket, a.role, a.is_professional, \
     (a.email_sealed IS NOT NULL) AS has_email, a.language, a.region, a.time_zone, a.quiet_from, a.quiet_to, a.break_minutes, a.created_at";

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("the handle is taken or looks like one that is")]
    HandleTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub struct NewAccount<'a> {
    pub handle: &'a Handle,
    pub password_hash: &'a str,
    /// The e-mail address, already sealed with the data key.
    pub email_sealed: Option<&'a [u8]>,
    pub age_bracket: AgeBracket,
    pub role: Role,
    pub language: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_account(db: &Db, a: NewAccount<'_>) -> Result<i64, InsertError> {
    let result = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO accounts (handle, handle_key, handle_skeleton, password_hash, email_sealed, \
             age_bracket, role, is_professional, language, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $9, $9) RETURNING id",
        )
        .bind(&a.handle.display)
        .bind(&a.handle.key)
        .bind(&a.handle.skeleton)
        .bind(a.password_hash)
        .bind(a.email_sealed)
        .bind(a.age_bracket.as_str())
        .bind(a.role.as_str())
        .bind(a.language)
        .bind(a.now)
        .fetch_one(pool)
        .await
    });
    result.map_err(|e| {
        if is_unique_violation(&e) {
            InsertError::HandleTaken
        } else {
            InsertError::Db(e)
        }
    })
}

/// True if the handle, or a look-alike of it, is registered.
pub async fn handle_taken(db: &Db, handle: &Handle) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM accounts WHERE handle_key = $1 OR handle_skeleton = $2",
        )
        .bind(&handle.key)
        .bind(&handle.skeleton)
        .fetch_one(pool)
        .await
    })
    .map(|n| n > 0)
}

/// The account and its password hash, by handle key (for log-in).
pub async fn find_for_login(
    db: &Db,
    handle_key: &str,
) -> Result<Option<(Account, String)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        account: AccountRow,
        password_hash: String,
    }
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM accounts a WHERE a.handle_key = $1"
    );
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
            .bind(handle_key)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|r| (r.account.into(), r.password_hash)))
}

pub async fn password_hash(db: &Db, account_id: i64) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn set_password_hash(
    db: &Db,
    account_id: i64,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(account_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn set_preferences(
    db: &Db,
    account_id: i64,
    language: Option<&str>,
    region: Option<&str>,
    time_zone: Option<&str>,
    quiet: Option<(i64, i64)>,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE accounts SET language = $1, region = $2, time_zone = $5, quiet_from = $6, quiet_to = $7, updated_at = $3 WHERE id = $4")
            .bind(language)
            .bind(region)
            .bind(now)
            .bind(account_id)
            .bind(time_zone)
            .bind(quiet.map(|q| q.0))
            .bind(quiet.map(|q| q.1))
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Deletes the account; its sessions and memberships go with it (ON DELETE
/// CASCADE), and the member counts of its groups drop in the same transaction.
pub async fn delete_account(db: &Db, account_id: i64) -> Result<(), sqlx::Error> {
    delete_account_with(db, account_id, false).await
}

/// Deletes the account; with `erase_posts`, their forum posts and chat
/// messages go too (their text erased, each left as a deleted post so
/// conversations still read in order; a thread only they wrote goes
/// whole, and the title of one others replied to is replaced by a dash).
/// Without, their posts stay, shown as a former member's.
pub async fn delete_account_with(
    db: &Db,
    account_id: i64,
    erase_posts: bool,
) -> Result<(), sqlx::Error> {
    let now = crate::db::now_ms();
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            if erase_posts {
                // Cached thread lists of the groups they wrote in change.
                sqlx::query(
                    "UPDATE groups SET page_rev = page_rev + 1 WHERE id IN \
                     (SELECT t.group_id FROM threads t JOIN posts p ON p.thread_id = t.id WHERE p.author_id = $1)",
                )
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM threads WHERE author_id = $1 AND NOT EXISTS \
                     (SELECT 1 FROM posts p WHERE p.thread_id = threads.id AND (p.author_id IS NULL OR p.author_id <> $1))",
                )
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE threads SET title = '\u{2014}', rev = rev + 1 WHERE author_id = $1")
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "DELETE FROM post_revisions WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)",
                )
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE posts SET body = '', content_warning = '', deleted_at = COALESCE(deleted_at, $2) \
                     WHERE author_id = $1",
                )
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE messages SET body = '', deleted_at = COALESCE(deleted_at, $2) WHERE author_id = $1",
                )
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            // Their posts will show "a former member" and their reactions
            // go: cached thread pages must not show them.
            sqlx::query(
                "UPDATE threads SET rev = rev + 1 WHERE id IN (SELECT thread_id FROM posts WHERE author_id = $1) \
                 OR id IN (SELECT p.thread_id FROM reactions r JOIN posts p ON p.id = r.post_id WHERE r.account_id = $1)",
            )
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE groups SET member_count = member_count - 1 \
                 WHERE id IN (SELECT group_id FROM group_members WHERE account_id = $1)",
            )
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM accounts WHERE id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    })
}

// ---- people, for admins ---------------------------------------------------

/// An account as the admins' people list shows it: no e-mail, nothing
/// private.
#[derive(Debug, Clone, FromRow)]
pub struct Person {
    pub id: i64,
    pub handle: String,
    pub role: Role,
    pub age_bracket: AgeBracket,
    pub created_at: i64,
}

/// Accounts whose handle starts with `prefix` (lower case; any when
/// empty), staff first, then by handle.
pub async fn people(db: &Db, prefix: &str, limit: i64) -> Result<Vec<Person>, sqlx::Error> {
    // `_`, `%` and `\` in a handle prefix match themselves.
    let escaped: String = prefix
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    on_db!(db, |pool| {
        sqlx::query_as::<_, Person>(
            "SELECT id, handle, role, age_bracket, created_at FROM accounts \
             WHERE handle_key LIKE $1 ESCAPE '\\' \
             ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, handle_key LIMIT $2",
        )
        .bind(format!("{escaped}%"))
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// One account by id, as the people list shows it.
pub async fn person(db: &Db, id: i64) -> Result<Option<Person>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, Person>(
            "SELECT id, handle, role, age_bracket, created_at FROM accounts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

/// Sets an account's role from `from` to `to`, inside the caller's
/// transaction; false if its role was no longer `from`.
pub async fn set_role_in(
    tx: &mut Tx<'_>,
    id: i64,
    from: Role,
    to: Role,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE accounts SET role = $1 WHERE id = $2 AND role = $3")
            .bind(to)
            .bind(id)
            .bind(from)
            .execute(c)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}

// ---- writing kept across a log-in ----------------------------------------

/// Keeps `account_id`'s draft for the form at `path` (replacing any other).
pub async fn keep_draft(
    db: &Db,
    account_id: i64,
    path: &str,
    sealed: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO kept_drafts (account_id, path, sealed, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id) DO UPDATE SET path = excluded.path, sealed = excluded.sealed, \
             created_at = excluded.created_at",
        )
        .bind(account_id)
        .bind(path)
        .bind(sealed)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Takes (reads and forgets) `account_id`'s draft for the form at `path`,
/// if one was kept there since `since`. Every composer's page asks, and
/// almost never finds one: a read first, so a page view takes no write
/// lock for nothing.
pub async fn take_draft(
    db: &Db,
    account_id: i64,
    path: &str,
    since: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(Vec<u8>, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT sealed, created_at FROM kept_drafts WHERE account_id = $1 AND path = $2",
        )
        .bind(account_id)
        .bind(path)
        .fetch_optional(pool)
        .await
    })?;
    let Some((sealed, at)) = row else {
        return Ok(None);
    };
    // Only the one who deletes it shows it (two tabs opening at once).
    let taken = on_db!(db, |pool| {
        sqlx::query(
            "DELETE FROM kept_drafts WHERE account_id = $1 AND path = $2 AND created_at = $3",
        )
        .bind(account_id)
        .bind(path)
        .bind(at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })?;
    Ok((taken && at >= since).then_some(sealed))
}

// ---- sessions -------------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub kind: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The session proved a second factor when it began (or since).
    pub second_factor: bool,
}

pub async fn insert_session(
    db: &Db,
    token_hash: &[u8],
    account_id: i64,
    kind: &str,
    now: i64,
    expires_at: i64,
    second_factor: bool,
) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO sessions (token_hash, account_id, kind, created_at, last_seen_at, expires_at, second_factor) \
             VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(kind)
        .bind(now)
        .bind(expires_at)
        .bind(second_factor)
        .fetch_one(pool)
        .await
    })
}

/// The account's first post approved by a reviewer (newcomers' limits
/// end), inside the caller's transaction.
pub async fn first_approved_in(
    tx: &mut Tx<'_>,
    account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE accounts SET first_approved_at = COALESCE(first_approved_at, $1) WHERE id = $2",
    )
    .bind(now)
    .bind(account_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Ends every session of the account, inside the caller's transaction.
pub async fn end_sessions_in(tx: &mut Tx<'_>, account_id: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM sessions WHERE account_id = $1"
    )
    .bind(account_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The live session with this token hash and its account: one indexed
/// lookup, on every authenticated request.
pub async fn find_session(
    db: &Db,
    token_hash: &[u8],
    now: i64,
    idle_ms: i64,
) -> Result<Option<(SessionRow, Account)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        account: AccountRow,
        session_id: i64,
        kind: String,
        s_created_at: i64,
        last_seen_at: i64,
        expires_at: i64,
        second_factor: bool,
    }
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS}, s.id AS session_id, s.kind, s.created_at AS s_created_at, \
         s.last_seen_at, s.expires_at, s.second_factor \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3"
    );
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(now)
            .bind(now - idle_ms)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|r| {
        (
            SessionRow {
                id: r.session_id,
                kind: r.kind,
                created_at: r.s_created_at,
                last_seen_at: r.last_seen_at,
                expires_at: r.expires_at,
                second_factor: r.second_factor,
            },
            r.account.into(),
        )
    }))
}

/// What the header counts for a signed-in member, read in one query for
/// pages only (never for API calls or live connections).
#[derive(Debug, Clone, Copy, Default, FromRow)]
pub struct Badges {
    pub unread_notifications: i64,
    /// Crisis alerts not yet resolved (counted for moderators and admins only).
    pub open_alerts: i64,
    /// Reports and held posts (and, for staff, appeals) waiting: all for
    /// staff, their groups' for facilitators.
    pub open_reports: i64,
    /// Moderators' actions about this member they have not seen yet.
    pub unseen_notices: i64,
    /// Facilitates at least one group (and so handles its reports).
    pub facilitates: bool,
}

pub async fn badges(db: &Db, account_id: i64) -> Result<Badges, sqlx::Error> {
    let sql = "SELECT \
         (SELECT COUNT(*) FROM notifications n WHERE n.account_id = a.id AND n.read_at IS NULL) AS unread_notifications, \
         CASE WHEN a.role IN ('moderator', 'admin') \
           THEN (SELECT COUNT(*) FROM crisis_alerts al WHERE al.status <> 'resolved') ELSE 0 END AS open_alerts, \
         CASE WHEN a.role IN ('moderator', 'admin') \
           THEN (SELECT COUNT(*) FROM reports r WHERE r.status = 'open') \
              + (SELECT COUNT(*) FROM appeals ap WHERE ap.status = 'open') \
              + (SELECT COUNT(*) FROM posts hp WHERE hp.held_at IS NOT NULL AND hp.deleted_at IS NULL) \
           ELSE (SELECT COUNT(*) FROM reports r JOIN group_members gm ON gm.group_id = r.group_id \
                 WHERE r.status = 'open' AND gm.account_id = a.id AND gm.role = 'facilitator') \
              + (SELECT COUNT(*) FROM posts hp JOIN threads ht ON ht.id = hp.thread_id \
                 JOIN group_members gm ON gm.group_id = ht.group_id \
                 WHERE hp.held_at IS NOT NULL AND hp.deleted_at IS NULL \
                 AND gm.account_id = a.id AND gm.role = 'facilitator') END AS open_reports, \
         (SELECT COUNT(*) FROM sanctions sn WHERE sn.account_id = a.id AND sn.seen_at IS NULL) AS unseen_notices, \
         EXISTS (SELECT 1 FROM group_members fm WHERE fm.account_id = a.id AND fm.role = 'facilitator') AS facilitates \
         FROM accounts a WHERE a.id = $1";
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, Badges>(sql)
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.unwrap_or_default())
}

/// Whether session `id` exists, is within its absolute and idle limits,
/// and its account is not suspended or banned from the whole site.
pub async fn session_alive(db: &Db, id: i64, now: i64, idle_ms: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT s.id FROM sessions s WHERE s.id = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND NOT EXISTS (SELECT 1 FROM sanctions sn WHERE sn.account_id = s.account_id \
                 AND sn.group_id IS NULL AND sn.kind IN ('suspend', 'ban') AND sn.revoked_at IS NULL \
                 AND (sn.expires_at IS NULL OR sn.expires_at > $2))",
        )
        .bind(id)
        .bind(now)
        .bind(now.saturating_sub(idle_ms))
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

pub async fn touch_session(db: &Db, session_id: i64, now: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn list_sessions(
    db: &Db,
    account_id: i64,
    now: i64,
    idle_ms: i64,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, SessionRow>(
            "SELECT id, kind, created_at, last_seen_at, expires_at, second_factor FROM sessions \
             WHERE account_id = $1 AND expires_at > $2 AND last_seen_at > $3 \
             ORDER BY last_seen_at DESC",
        )
        .bind(account_id)
        .bind(now)
        .bind(now - idle_ms)
        .fetch_all(pool)
        .await
    })
}

/// Ends one of the account's sessions; false if it was not theirs or is gone.
pub async fn delete_session(
    db: &Db,
    account_id: i64,
    session_id: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE id = $1 AND account_id = $2")
            .bind(session_id)
            .bind(account_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}

/// Ends every session of the account but `keep`.
pub async fn delete_other_sessions(
    db: &Db,
    account_id: i64,
    keep: i64,
) -> Result<u64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id <> $2")
            .bind(account_id)
            .bind(keep)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

/// Removes sessions that can no longer be used.
pub async fn purge_sessions(db: &Db, now: i64, idle_ms: i64) -> Result<u64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(now - idle_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

/// What a password reset by e-mail needs of an account, by handle key.
#[derive(Debug, FromRow)]
pub struct ResetTarget {
    pub id: i64,
    pub handle: String,
    pub handle_key: String,
    pub email_sealed: Option<Vec<u8>>,
    pub language: Option<String>,
    pub role: Role,
}

pub async fn reset_target(db: &Db, handle_key: &str) -> Result<Option<ResetTarget>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, handle, handle_key, email_sealed, language, role FROM accounts WHERE handle_key = $1",
        )
        .bind(handle_key)
        .fetch_optional(pool)
        .await
    })
}

pub async fn reset_target_by_id(db: &Db, id: i64) -> Result<Option<ResetTarget>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, handle, handle_key, email_sealed, language, role FROM accounts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

/// Resets by e-mail asked for this account since `since`.
pub async fn recent_email_resets(db: &Db, account_id: i64, since: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM password_resets WHERE account_id = $1 AND kind = 'email' AND created_at > $2",
        )
        .bind(account_id)
        .bind(since)
        .fetch_one(pool)
        .await
    })
}

/// A new reset link's keyed hash.
pub struct NewReset<'a> {
    pub token_hash: &'a [u8],
    pub account_id: i64,
    pub kind: &'static str,
    pub created_by: Option<i64>,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_reset(tx: &mut Tx<'_>, r: &NewReset<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO password_resets (token_hash, account_id, kind, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(r.token_hash)
    .bind(r.account_id)
    .bind(r.kind)
    .bind(r.created_by)
    .bind(r.now)
    .bind(r.expires_at)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// The account a live (unused, unexpired) reset link is for, its handle,
/// and who made the link (`email` or `admin`).
pub async fn live_reset(
    db: &Db,
    token_hash: &[u8],
    now: i64,
) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.id, a.handle, r.kind FROM password_resets r JOIN accounts a ON a.id = r.account_id \
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
    })
}

/// Uses a live reset link (once: a second use finds nothing) and every
/// other link of the same account; returns the account.
pub async fn use_reset(
    tx: &mut Tx<'_>,
    token_hash: &[u8],
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let account: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING account_id"
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(c)
    .await)?;
    if let Some(id) = account {
        on_tx!(tx, |c| sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL"
        )
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(account)
}

pub async fn set_password_hash_in(
    tx: &mut Tx<'_>,
    account_id: i64,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(hash)
    .bind(now)
    .bind(account_id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Sets (or clears) the member's break reminder.
pub async fn set_break_minutes(
    db: &Db,
    account_id: i64,
    minutes: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE accounts SET break_minutes = $1, updated_at = $2 WHERE id = $3")
            .bind(minutes)
            .bind(crate::db::now_ms())
            .bind(account_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}
