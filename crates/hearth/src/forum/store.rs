//! SQL for the forum, one body for both backends. Every transaction starts
//! with a write so that SQLite takes its write lock first (no lock upgrade
//! that could fail under load).

use sqlx::FromRow;

use super::service::Reaction;
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};

/// The columns of [`ThreadRow`], with the author's handle and the opening
/// post's content warning.
const THREAD_SELECT: &str = "SELECT t.id, t.group_id, t.author_id, a.handle AS author_handle, t.anonymous, t.title, \
     t.pinned, t.locked, t.reply_count, t.last_post_at, t.created_at, t.rev, t.held, \
     COALESCE((SELECT p.content_warning FROM posts p WHERE p.thread_id = t.id ORDER BY p.id LIMIT 1), '') AS content_warning \
     FROM threads t LEFT JOIN accounts a ON a.id = t.author_id";

#[derive(Debug, Clone, FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub group_id: i64,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub anonymous: bool,
    pub title: String,
    pub pinned: bool,
    pub locked: bool,
    pub reply_count: i64,
    pub last_post_at: i64,
    pub created_at: i64,
    /// Raised by every change to the thread's posts (see [`bump_rev`]).
    pub rev: i64,
    /// Its first post waits for a reviewer: listed for its author and the
    /// group's facilitators only.
    pub held: bool,
    /// The viewer muted it (thread lists only).
    #[sqlx(default)]
    pub muted: bool,
    /// It holds posts the viewer has not read (thread lists only).
    #[sqlx(default)]
    pub unread: bool,
    pub content_warning: String,
}

/// Raises the revision of the thread holding `post_id`, in a transaction.
const BUMP_BY_POST: &str =
    "UPDATE threads SET rev = rev + 1 WHERE id = (SELECT thread_id FROM posts WHERE id = $1)";

/// Where the next page of a thread list starts: after the thread last
/// active at `.0` with id `.1`.
pub type ThreadCursor = (i64, i64);

/// A cursor as it travels in links and the API: `<last_post_at>.<id>`.
pub fn parse_cursor(raw: &str) -> Option<ThreadCursor> {
    let (at, id) = raw.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

/// The cursor for the page after `rest`, the unpinned threads of a full
/// page (none when the page was not full).
pub fn next_cursor(rest: &[ThreadRow], page_size: i64) -> Option<String> {
    let last = rest.last()?;
    (i64::try_from(rest.len()).ok()? == page_size)
        .then(|| format!("{}.{}", last.last_post_at, last.id))
}

/// A thread whose every post was deleted has left its group's list.
const STANDING: &str =
    "EXISTS (SELECT 1 FROM posts sp WHERE sp.thread_id = t.id AND sp.deleted_at IS NULL)";

/// Whether any post of the thread is still there (not deleted).
pub async fn thread_stands(db: &Db, thread_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM posts WHERE thread_id = $1 AND deleted_at IS NULL)",
        )
        .bind(thread_id)
        .fetch_one(pool)
        .await
    })
}

/// Whether thread `t` has posts the viewer (`$2`) has not been shown: newer
/// than their read mark, or, with none, than their joining the group
/// (staff who are not members have nothing unread until they read).
const UNREAD: &str = "t.last_post_at > COALESCE(\
     (SELECT tr.read_at FROM thread_reads tr WHERE tr.thread_id = t.id AND tr.account_id = $2), \
     (SELECT gm.joined_at FROM group_members gm WHERE gm.group_id = t.group_id AND gm.account_id = $2), \
     t.last_post_at)";

/// The most threads one page of a list holds: pinned ones and the rest.
#[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
pub const LIST_MAX: usize =
    (super::service::MAX_PINNED + super::service::THREADS_PER_PAGE) as usize;

/// For up to [`LIST_MAX`] listed threads (`$2`…; unused places hold 0, no
/// thread's id): whether the viewer (`$1`) muted each, and whether it holds
/// posts they have not read.
static MARKS_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let places: Vec<String> = (2..LIST_MAX + 2).map(|i| format!("${i}")).collect();
    format!(
        "SELECT t.id, EXISTS (SELECT 1 FROM thread_mutes tm WHERE tm.thread_id = t.id AND tm.account_id = $1), \
         {} FROM threads t WHERE t.id IN ({})",
        UNREAD.replace("$2", "$1"),
        places.join(", ")
    )
});

/// What the viewer's own marks say of the listed threads: (thread, muted,
/// unread). At most [`LIST_MAX`] threads are asked about; the rest read as
/// neither.
pub async fn marks(
    db: &Db,
    account_id: i64,
    threads: &[i64],
) -> Result<Vec<(i64, bool, bool)>, sqlx::Error> {
    let sql = MARKS_SQL.as_str();
    on_db!(db, |pool| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account_id);
        for i in 0..LIST_MAX {
            q = q.bind(threads.get(i).copied().unwrap_or(0));
        }
        q.fetch_all(pool).await
    })
}

/// Threads with posts `account` has not read, per group they belong to:
/// (group, count). Muted threads, held ones and those whose every post was
/// deleted do not count.
pub async fn unread_threads(db: &Db, account: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT t.group_id, COUNT(*) FROM threads t \
         JOIN group_members gm ON gm.group_id = t.group_id AND gm.account_id = $1 \
         LEFT JOIN thread_reads tr ON tr.thread_id = t.id AND tr.account_id = $1 \
         WHERE t.held = FALSE AND t.last_post_at > COALESCE(tr.read_at, gm.joined_at) \
         AND NOT EXISTS (SELECT 1 FROM thread_mutes tm WHERE tm.thread_id = t.id AND tm.account_id = $1) \
         AND {STANDING} GROUP BY t.group_id"
    );
    on_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(account)
            .fetch_all(pool)
            .await
    })
}

/// The time of the newest post `account` was shown in the thread.
pub async fn read_mark(db: &Db, account: i64, thread_id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT read_at FROM thread_reads WHERE account_id = $1 AND thread_id = $2",
        )
        .bind(account)
        .bind(thread_id)
        .fetch_optional(pool)
        .await
    })
}

/// Moves `account`'s read mark in the thread forward to `at` (never back).
pub async fn mark_read(db: &Db, account: i64, thread_id: i64, at: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO thread_reads (account_id, thread_id, read_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, thread_id) DO UPDATE SET read_at = excluded.read_at \
             WHERE thread_reads.read_at < excluded.read_at",
        )
        .bind(account)
        .bind(thread_id)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Pinned threads (first page only), then a page of the rest by latest
/// activity, after `cursor`: every standing thread, held ones included,
/// as the group's facilitators see them (who else sees a held thread, and
/// each viewer's marks, are for the caller).
pub async fn threads(
    db: &Db,
    group_id: i64,
    cursor: Option<ThreadCursor>,
    limit: i64,
) -> Result<(Vec<ThreadRow>, Vec<ThreadRow>), sqlx::Error> {
    let pinned = if cursor.is_none() {
        let sql = format!(
            "{THREAD_SELECT} WHERE t.group_id = $1 AND t.pinned = TRUE AND {STANDING} \
             ORDER BY t.last_post_at DESC, t.id DESC LIMIT $2"
        );
        on_db!(db, |pool| {
            sqlx::query_as::<_, ThreadRow>(sqlx::AssertSqlSafe(sql))
                .bind(group_id)
                .bind(super::service::MAX_PINNED)
                .fetch_all(pool)
                .await
        })?
    } else {
        Vec::new()
    };
    let (at, id) = cursor.unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "{THREAD_SELECT} WHERE t.group_id = $1 AND t.pinned = FALSE AND {STANDING} \
         AND (t.last_post_at < $2 OR (t.last_post_at = $2 AND t.id < $3)) \
         ORDER BY t.last_post_at DESC, t.id DESC LIMIT $4"
    );
    let rest = on_db!(db, |pool| {
        sqlx::query_as::<_, ThreadRow>(sqlx::AssertSqlSafe(sql))
            .bind(group_id)
            .bind(at)
            .bind(id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok((pinned, rest))
}

pub async fn thread(db: &Db, id: i64) -> Result<Option<ThreadRow>, sqlx::Error> {
    let sql = format!("{THREAD_SELECT} WHERE t.id = $1");
    on_db!(db, |pool| {
        sqlx::query_as::<_, ThreadRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

const POST_SELECT: &str = "SELECT p.id, p.thread_id, t.group_id, p.author_id, a.handle AS author_handle, p.anonymous, \
     p.body, p.content_warning, p.created_at, p.edited_at, p.deleted_at, p.hidden_by, p.held_reason, t.held AS thread_held \
     FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN accounts a ON a.id = p.author_id";

#[derive(Debug, Clone, FromRow)]
pub struct PostRow {
    pub id: i64,
    pub thread_id: i64,
    pub group_id: i64,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub anonymous: bool,
    pub body: String,
    pub content_warning: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// The moderator's action that hid it, if one did (its words are kept).
    pub hidden_by: Option<i64>,
    /// Waiting for a reviewer, and why (`first_post`, `filter:<phrases>`).
    pub held_reason: Option<String>,
    /// Its thread waits for a reviewer (its opening post is held).
    pub thread_held: bool,
}

/// Which page of a thread's posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostPage {
    /// The first posts.
    First,
    /// Posts after this id.
    After(i64),
    /// Posts before this id (the page before).
    Before(i64),
}

impl PostPage {
    /// From `?after=` / `?before=`; `after` wins when both are given.
    pub fn from_query(after: Option<i64>, before: Option<i64>) -> Self {
        match (after, before) {
            (Some(a), _) => PostPage::After(a),
            (None, Some(b)) => PostPage::Before(b),
            (None, None) => PostPage::First,
        }
    }
}

/// One page of a thread's posts in order, and whether posts lie before and
/// after it.
pub async fn posts(
    db: &Db,
    thread_id: i64,
    page: PostPage,
    limit: i64,
) -> Result<(Vec<PostRow>, bool, bool), sqlx::Error> {
    let (cond, order, bound) = match page {
        PostPage::First => ("p.id > $2", "ASC", 0),
        PostPage::After(id) => ("p.id > $2", "ASC", id),
        PostPage::Before(id) => ("p.id < $2", "DESC", id),
    };
    let sql =
        format!("{POST_SELECT} WHERE p.thread_id = $1 AND {cond} ORDER BY p.id {order} LIMIT $3");
    let mut rows = on_db!(db, |pool| {
        sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(sql))
            .bind(thread_id)
            .bind(bound)
            .bind(limit + 1)
            .fetch_all(pool)
            .await
    })?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    if matches!(page, PostPage::Before(_)) {
        rows.reverse();
    }
    let (Some(first), Some(last)) = (rows.first().map(|p| p.id), rows.last().map(|p| p.id)) else {
        return Ok((rows, false, false));
    };
    let (has_before, has_after) = match page {
        PostPage::Before(_) => (more, exists_post(db, thread_id, "p.id > $2", last).await?),
        _ => (exists_post(db, thread_id, "p.id < $2", first).await?, more),
    };
    Ok((rows, has_before, has_after))
}

/// Where the page that holds `post_id` begins, in the thread's own paging
/// (pages of `limit` from the first post): `None` for the first page, or
/// the id its `?after=` names.
pub async fn page_of(
    db: &Db,
    thread_id: i64,
    post_id: i64,
    limit: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let earlier: i64 = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE thread_id = $1 AND id < $2")
            .bind(thread_id)
            .bind(post_id)
            .fetch_one(pool)
            .await
    })?;
    let page = earlier / limit.max(1);
    if page == 0 {
        return Ok(None);
    }
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM posts WHERE thread_id = $1 ORDER BY id LIMIT 1 OFFSET $2",
        )
        .bind(thread_id)
        .bind(page * limit - 1)
        .fetch_optional(pool)
        .await
    })
}

async fn exists_post(db: &Db, thread_id: i64, cond: &str, id: i64) -> Result<bool, sqlx::Error> {
    let sql = format!("SELECT p.id FROM posts p WHERE p.thread_id = $1 AND {cond} LIMIT 1");
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(thread_id)
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

pub async fn post(db: &Db, id: i64) -> Result<Option<PostRow>, sqlx::Error> {
    let sql = format!("{POST_SELECT} WHERE p.id = $1");
    on_db!(db, |pool| {
        sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// A new post's text and who wrote it.
pub struct NewPost<'a> {
    pub author_id: i64,
    pub anonymous: bool,
    pub body: &'a str,
    pub content_warning: &'a str,
    /// Accounts mentioned in the body who may read the thread.
    pub mentioned: &'a [i64],
    /// Records the author's acceptance of the group's guidelines.
    pub accepts_guidelines: bool,
    /// Held for review, and why: nobody is notified until it is approved.
    pub held: Option<&'a str>,
    pub now: i64,
}

/// Inserts a post inside the caller's transaction; `notify` is false for a
/// post nobody else may see yet (held, or in a held thread): no
/// notifications, and the group's activity is not bumped. The author
/// follows the thread.
async fn insert_post(
    tx: &mut Tx<'_>,
    group_id: i64,
    thread_id: i64,
    p: &NewPost<'_>,
    notify: bool,
) -> Result<i64, sqlx::Error> {
    if p.accepts_guidelines {
        on_tx!(tx, |c| sqlx::query(
            "UPDATE group_members SET guidelines_accepted_at = $1 \
             WHERE group_id = $2 AND account_id = $3 AND guidelines_accepted_at IS NULL",
        )
        .bind(p.now)
        .bind(group_id)
        .bind(p.author_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    let post_id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO posts (thread_id, author_id, anonymous, body, content_warning, created_at, held_reason, held_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(thread_id)
    .bind(p.author_id)
    .bind(p.anonymous)
    .bind(p.body)
    .bind(p.content_warning)
    .bind(p.now)
    .bind(p.held)
    .bind(p.held.map(|_| p.now))
    .fetch_one(c)
    .await
    })?;
    if notify {
        on_tx!(tx, |c| sqlx::query(
            "UPDATE groups SET last_activity_at = $1 WHERE id = $2"
        )
        .bind(p.now)
        .bind(group_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        let posted = crate::notifications::store::Posted {
            group_id,
            thread_id,
            post_id,
            author_id: p.author_id,
            anonymous: p.anonymous,
            now: p.now,
        };
        crate::notifications::store::mentions_in(tx, &posted, p.mentioned).await?;
    }
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO thread_follows (thread_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(thread_id)
    .bind(p.author_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(post_id)
}

/// Opens a thread with its first post; the author follows it. Returns the
/// thread's and the post's ids.
pub async fn insert_thread(
    db: &Db,
    group_id: i64,
    title: &str,
    p: &NewPost<'_>,
) -> Result<(i64, i64), sqlx::Error> {
    let mut tx = db.begin().await?;
    let thread_id: i64 = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO threads (group_id, author_id, anonymous, title, last_post_at, created_at, held) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(group_id)
    .bind(p.author_id)
    .bind(p.anonymous)
    .bind(title)
    .bind(p.now)
    .bind(p.held.is_some())
    .fetch_one(c)
    .await
    })?;
    let post_id = insert_post(&mut tx, group_id, thread_id, p, p.held.is_none()).await?;
    tx.commit().await?;
    Ok((thread_id, post_id))
}

/// Adds a reply unless the thread is locked (then `None`); the thread's
/// followers other than the author are notified, and the author follows it.
pub async fn insert_reply(
    db: &Db,
    thread_id: i64,
    p: &NewPost<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin().await?;
    // A held reply does not count yet (approving it does): others see no
    // change to the thread.
    let found: Option<(i64, bool)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "UPDATE threads SET reply_count = reply_count + $3, \
         last_post_at = CASE WHEN $3 = 1 THEN $1 ELSE last_post_at END, rev = rev + 1 \
         WHERE id = $2 AND locked = FALSE RETURNING group_id, held",
    )
    .bind(p.now)
    .bind(thread_id)
    .bind(if p.held.is_none() { 1i64 } else { 0i64 })
    .fetch_optional(c)
    .await)?;
    let Some((group_id, thread_held)) = found else {
        return Ok(None);
    };
    let notify = p.held.is_none() && !thread_held;
    let post_id = insert_post(&mut tx, group_id, thread_id, p, notify).await?;
    if notify {
        let posted = crate::notifications::store::Posted {
            group_id,
            thread_id,
            post_id,
            author_id: p.author_id,
            anonymous: p.anonymous,
            now: p.now,
        };
        crate::notifications::store::replies_in(&mut tx, &posted).await?;
    }
    tx.commit().await?;
    Ok(Some(post_id))
}

/// A reviewer approves the held post, inside the caller's transaction:
/// only the version they read (`version`: its `edited_at`, 0 if never
/// edited), still there and still held. Whether it was.
pub async fn approve_held_in(
    tx: &mut Tx<'_>,
    post_id: i64,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE posts SET held_reason = NULL, held_at = NULL WHERE id = $1 AND held_at IS NOT NULL \
         AND deleted_at IS NULL AND COALESCE(edited_at, 0) = $2",
    )
    .bind(post_id)
    .bind(version)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

/// Takes a post out of the review queue, inside the caller's
/// transaction; its thread, if it was held.
pub async fn unhold_in(tx: &mut Tx<'_>, post_id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "UPDATE posts SET held_reason = NULL, held_at = NULL WHERE id = $1 AND held_at IS NOT NULL \
         RETURNING thread_id",
    )
    .bind(post_id)
    .fetch_optional(c)
    .await)
}

/// Deletes a held post whose author is gone, inside the caller's
/// transaction. Whether it was still held.
pub async fn delete_held_in(
    tx: &mut Tx<'_>,
    post_id: i64,
    by: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| {
        let n = sqlx::query(
            "UPDATE posts SET deleted_at = $1, deleted_by = $2, held_reason = NULL, held_at = NULL \
             WHERE id = $3 AND held_at IS NOT NULL AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(by)
        .bind(post_id)
        .execute(&mut *c)
        .await?
        .rows_affected();
        if n > 0 {
            sqlx::query(
                "UPDATE threads SET rev = rev + 1 WHERE id = (SELECT thread_id FROM posts WHERE id = $1)",
            )
            .bind(post_id)
            .execute(c)
            .await?;
        }
        Ok::<_, sqlx::Error>(n > 0)
    })
}

/// Counts a post that was held as published, inside the caller's
/// transaction: a reply counts in its thread now; an opening post brings
/// its thread into the list (a thread stays held while its opening post
/// is), and the group's activity moves once the thread is visible.
/// Returns (the post opens its thread, the thread is still held).
pub async fn count_published_in(
    tx: &mut Tx<'_>,
    post_id: i64,
    thread_id: i64,
    now: i64,
) -> Result<(bool, bool), sqlx::Error> {
    on_tx!(tx, |c| {
        let first: Option<i64> =
            sqlx::query_scalar("SELECT id FROM posts WHERE thread_id = $1 ORDER BY id LIMIT 1")
                .bind(thread_id)
                .fetch_optional(&mut *c)
                .await?;
        let opening = first == Some(post_id);
        let still_held: bool = sqlx::query_scalar(
            "UPDATE threads SET rev = rev + 1, held = held AND $2, reply_count = reply_count + $3, \
             last_post_at = CASE WHEN $3 = 1 AND last_post_at < $4 THEN $4 ELSE last_post_at END \
             WHERE id = $1 RETURNING held",
        )
        .bind(thread_id)
        .bind(!opening)
        .bind(if opening { 0i64 } else { 1i64 })
        .bind(now)
        .fetch_one(&mut *c)
        .await?;
        if !still_held {
            sqlx::query(
                "UPDATE groups SET last_activity_at = $1 WHERE id = (SELECT group_id FROM threads WHERE id = $2)",
            )
            .bind(now)
            .bind(thread_id)
            .execute(c)
            .await?;
        }
        Ok((opening, still_held))
    })
}

/// Publishes a held post without a reviewer because its author, editing
/// it, wrote words that ask for help: such writing is never held back.
pub async fn release_for_help(db: &Db, post_id: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    if let Some(thread) = unhold_in(&mut tx, post_id).await? {
        count_published_in(&mut tx, post_id, thread, now).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// A moderator hides a post by `sanction`, inside the caller's
/// transaction (its words are kept); the thread's pages are read afresh.
pub async fn hide_in(tx: &mut Tx<'_>, post: i64, sanction: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE posts SET hidden_by = $1 WHERE id = $2")
            .bind(sanction)
            .bind(post)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "UPDATE threads SET rev = rev + 1 WHERE id = (SELECT thread_id FROM posts WHERE id = $1)",
        )
        .bind(post)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Undoes `sanction`'s hiding of a post, inside the caller's transaction.
/// A declined first post that comes back brings its thread back into the
/// list (unless its first post is held again).
pub async fn unhide_in(tx: &mut Tx<'_>, post: i64, sanction: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE posts SET hidden_by = NULL WHERE id = $1 AND hidden_by = $2")
            .bind(post)
            .bind(sanction)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "UPDATE threads SET rev = rev + 1, held = held AND \
             (SELECT fp.held_at FROM posts fp WHERE fp.thread_id = threads.id ORDER BY fp.id LIMIT 1) IS NOT NULL \
             WHERE id = (SELECT thread_id FROM posts WHERE id = $1)",
        )
        .bind(post)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The writer's own posts in the thread since `since` (epoch ms), the
/// newest `limit` of them, oldest first, without `except` (a post being
/// edited) or deleted ones: the context the crisis detector reads a new
/// reply in.
pub async fn recent_posts(
    db: &Db,
    thread_id: i64,
    author_id: i64,
    since: i64,
    except: Option<i64>,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let mut rows: Vec<String> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT body FROM posts WHERE thread_id = $1 AND author_id = $2 \
             AND deleted_at IS NULL AND created_at >= $3 AND id <> $4 ORDER BY id DESC LIMIT $5",
        )
        .bind(thread_id)
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

/// Replaces a post's text, keeping the earlier version in its history.
/// False if the post is gone or deleted. The first statement takes the
/// post's row (a lock on PostgreSQL), so a deletion cannot slip in between
/// and have its text brought back.
pub async fn edit_post(
    db: &Db,
    post_id: i64,
    body: &str,
    content_warning: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let live = sqlx::query(
                "UPDATE posts SET edited_at = $1 WHERE id = $2 AND deleted_at IS NULL",
            )
            .bind(now)
            .bind(post_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if live == 0 {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO post_revisions (post_id, body, content_warning, replaced_at) \
                 SELECT id, body, content_warning, $2 FROM posts WHERE id = $1",
            )
            .bind(post_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(BUMP_BY_POST)
                .bind(post_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE posts SET body = $1, content_warning = $2 WHERE id = $3 AND deleted_at IS NULL",
            )
            .bind(body)
            .bind(content_warning)
            .bind(post_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        }
        .await
    })
}

/// Soft delete: the post stays in place, marked deleted, so the thread
/// still reads in order. Its text and history go.
pub async fn delete_post(db: &Db, post_id: i64, by: i64, now: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE posts SET deleted_at = $1, deleted_by = $2, body = '', content_warning = '' \
                 WHERE id = $3 AND deleted_at IS NULL",
            )
            .bind(now)
            .bind(by)
            .bind(post_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(BUMP_BY_POST)
                .bind(post_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM post_revisions WHERE post_id = $1")
                .bind(post_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM reactions WHERE post_id = $1")
                .bind(post_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(n > 0)
        }
        .await
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct Revision {
    pub body: String,
    pub content_warning: String,
    pub replaced_at: i64,
}

/// Earlier versions of a post, oldest first.
pub async fn revisions(db: &Db, post_id: i64) -> Result<Vec<Revision>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, Revision>(
            "SELECT body, content_warning, replaced_at FROM post_revisions WHERE post_id = $1 ORDER BY id LIMIT 200",
        )
        .bind(post_id)
        .fetch_all(pool)
        .await
    })
}

/// Adds (`on`) or removes one reaction of a member to a post.
pub async fn set_reaction(
    db: &Db,
    post_id: i64,
    account_id: i64,
    kind: Reaction,
    on: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = if on {
        "INSERT INTO reactions (post_id, account_id, kind, created_at) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM posts WHERE id = $1 AND deleted_at IS NULL) \
         ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM reactions WHERE post_id = $1 AND account_id = $2 AND kind = $3 AND CAST($4 AS BIGINT) >= 0"
    };
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(sql)
                .bind(post_id)
                .bind(account_id)
                .bind(kind)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed > 0 {
                sqlx::query(BUMP_BY_POST)
                    .bind(post_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    })
}

pub async fn has_reaction(
    db: &Db,
    post_id: i64,
    account_id: i64,
    kind: Reaction,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT post_id FROM reactions WHERE post_id = $1 AND account_id = $2 AND kind = $3",
        )
        .bind(post_id)
        .bind(account_id)
        .bind(kind)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

#[derive(Debug, Clone, FromRow)]
pub struct ReactionCount {
    pub post_id: i64,
    pub kind: Reaction,
    pub n: i64,
}

/// How many of each reaction the thread's posts with ids in `first..=last`
/// have.
pub async fn reaction_counts(
    db: &Db,
    thread_id: i64,
    first: i64,
    last: i64,
) -> Result<Vec<ReactionCount>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, ReactionCount>(
            "SELECT r.post_id, r.kind, COUNT(*) AS n \
             FROM reactions r WHERE r.post_id IN (SELECT id FROM posts WHERE thread_id = $1 AND id BETWEEN $2 AND $3) \
             GROUP BY r.post_id, r.kind",
        )
        .bind(thread_id)
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await
    })
}

/// The viewer's own reactions among those posts: (post id, kind).
pub async fn my_reactions(
    db: &Db,
    thread_id: i64,
    first: i64,
    last: i64,
    viewer: i64,
) -> Result<Vec<(i64, Reaction)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, Reaction)>(
            "SELECT r.post_id, r.kind FROM reactions r JOIN posts p ON p.id = r.post_id \
             WHERE r.account_id = $1 AND p.thread_id = $2 AND r.post_id BETWEEN $3 AND $4",
        )
        .bind(viewer)
        .bind(thread_id)
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await
    })
}

pub async fn set_flag(db: &Db, thread_id: i64, flag: Flag, on: bool) -> Result<(), sqlx::Error> {
    let sql = match flag {
        Flag::Pinned => "UPDATE threads SET pinned = $1 WHERE id = $2",
        Flag::Locked => "UPDATE threads SET locked = $1 WHERE id = $2",
    };
    on_db!(db, |pool| {
        sqlx::query(sql)
            .bind(on)
            .bind(thread_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn pinned_count(db: &Db, group_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM threads WHERE group_id = $1 AND pinned = TRUE")
            .bind(group_id)
            .fetch_one(pool)
            .await
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Pinned,
    Locked,
}

pub async fn set_follow(
    db: &Db,
    thread_id: i64,
    account_id: i64,
    on: bool,
) -> Result<(), sqlx::Error> {
    let sql = if on {
        "INSERT INTO thread_follows (thread_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM thread_follows WHERE thread_id = $1 AND account_id = $2"
    };
    on_db!(db, |pool| {
        sqlx::query(sql)
            .bind(thread_id)
            .bind(account_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Mutes a thread for a member (they stop following it too), or unmutes it.
pub async fn set_mute(
    db: &Db,
    thread_id: i64,
    account_id: i64,
    on: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            if on {
                sqlx::query(
                    "INSERT INTO thread_mutes (thread_id, account_id, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(thread_id)
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM thread_follows WHERE thread_id = $1 AND account_id = $2")
                    .bind(thread_id)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
            } else {
                sqlx::query("DELETE FROM thread_mutes WHERE thread_id = $1 AND account_id = $2")
                    .bind(thread_id)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    })
}

pub async fn mutes(db: &Db, thread_id: i64, account_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT thread_id FROM thread_mutes WHERE thread_id = $1 AND account_id = $2",
        )
        .bind(thread_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

pub async fn follows(db: &Db, thread_id: i64, account_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT thread_id FROM thread_follows WHERE thread_id = $1 AND account_id = $2",
        )
        .bind(thread_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

/// Whether the member has accepted the group's guidelines.
pub async fn accepted_guidelines(
    db: &Db,
    group_id: i64,
    account_id: i64,
) -> Result<bool, sqlx::Error> {
    let at: Option<Option<i64>> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT guidelines_accepted_at FROM group_members WHERE group_id = $1 AND account_id = $2",
        )
        .bind(group_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(matches!(at, Some(Some(_))))
}

pub async fn set_forum_settings(
    db: &Db,
    group_id: i64,
    allow_anonymous: bool,
    hold_first_posts: bool,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE groups SET allow_anonymous = $1, hold_first_posts = $2 WHERE id = $3")
            .bind(allow_anonymous)
            .bind(hold_first_posts)
            .bind(group_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Accounts with this handle key who are members of the group.
pub async fn member_by_handle_key(
    db: &Db,
    group_id: i64,
    key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT a.id FROM accounts a JOIN group_members m ON m.account_id = a.id AND m.group_id = $1 \
             WHERE a.handle_key = $2",
        )
        .bind(group_id)
        .bind(key)
        .fetch_optional(pool)
        .await
    })
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct FiltersRow {
    pub words_sealed: Option<Vec<u8>>,
    pub collapse_warnings: bool,
}

pub async fn filters(db: &Db, account_id: i64) -> Result<Option<FiltersRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, FiltersRow>(
            "SELECT words_sealed, collapse_warnings FROM personal_filters WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })
}

pub async fn set_filters(
    db: &Db,
    account_id: i64,
    words_sealed: Option<&[u8]>,
    collapse_warnings: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO personal_filters (account_id, words_sealed, collapse_warnings, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id) DO UPDATE SET words_sealed = $2, collapse_warnings = $3, updated_at = $4",
        )
        .bind(account_id)
        .bind(words_sealed)
        .bind(collapse_warnings)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}
