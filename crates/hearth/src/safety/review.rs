//! Posts held for review (see `filters`): the queue, approving and
//! declining. Reviewers are the group's facilitators and staff.
//!
//! Approving publishes the post as if it had just been posted (mentions
//! and followers are told then), brings its thread into the list when it
//! opened one, and ends its author's time as a newcomer. Declining hides
//! it with a reason the member sees on their notices page and may appeal;
//! its words are kept. Both are in the audit log.

use serde::Serialize;
use sqlx::FromRow;

use super::{audit, moderation};
use crate::AppState;
use crate::db::now_ms;
use crate::on_db;
use crate::web::{AppError, CurrentUser};

/// Counts a post that was held as published, inside the transaction
/// `$tx`: a reply counts in its thread now; an opening post brings its
/// thread into the list (a thread stays held while its opening post is),
/// and the group's activity moves once the thread is visible. Evaluates to
/// (the post opens its thread, the thread is still held).
macro_rules! count_published_in {
    ($tx:ident, $post_id:expr, $thread_id:expr, $now:expr) => {{
        let first: Option<i64> =
            sqlx::query_scalar("SELECT id FROM posts WHERE thread_id = $1 ORDER BY id LIMIT 1")
                .bind($thread_id)
                .fetch_optional(&mut *$tx)
                .await?;
        let opening = first == Some($post_id);
        let still_held: bool = sqlx::query_scalar(
            "UPDATE threads SET rev = rev + 1, held = held AND $2, reply_count = reply_count + $3, \
             last_post_at = CASE WHEN $3 = 1 AND last_post_at < $4 THEN $4 ELSE last_post_at END \
             WHERE id = $1 RETURNING held",
        )
        .bind($thread_id)
        .bind(!opening)
        .bind(if opening { 0i64 } else { 1i64 })
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        if !still_held {
            sqlx::query(
                "UPDATE groups SET last_activity_at = $1 WHERE id = (SELECT group_id FROM threads WHERE id = $2)",
            )
            .bind($now)
            .bind($thread_id)
            .execute(&mut *$tx)
            .await?;
        }
        (opening, still_held)
    }};
}

#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct HeldPost {
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub group_slug: String,
    pub group_name: String,
    /// The author's handle (reviewers see who wrote an anonymous post too).
    pub author: Option<String>,
    pub body: String,
    pub content_warning: String,
    /// `first_post`, or `filter:<the phrases that fired>`.
    pub reason: String,
    /// Milliseconds since the Unix epoch, UTC.
    pub held_at: i64,
    /// When its author last edited it (the version a reviewer approves).
    pub edited_at: Option<i64>,
    /// For deciding (not shown): its group, author and anonymity.
    #[serde(skip)]
    pub group_id: i64,
    #[serde(skip)]
    pub author_id: Option<i64>,
    #[serde(skip)]
    pub anonymous: bool,
}

const HELD_SELECT: &str = "SELECT p.id AS post_id, p.thread_id, t.title AS thread_title, g.slug AS group_slug, \
     g.name AS group_name, a.handle AS author, p.body, p.content_warning, p.held_reason AS reason, p.held_at, p.edited_at, t.group_id, p.author_id, p.anonymous \
     FROM posts p JOIN threads t ON t.id = p.thread_id JOIN groups g ON g.id = t.group_id \
     LEFT JOIN accounts a ON a.id = p.author_id \
     WHERE p.held_at IS NOT NULL AND p.deleted_at IS NULL";

/// Held posts `user` reviews, oldest first: all for staff, their groups'
/// for facilitators; nobody else.
pub async fn queue(state: &AppState, user: &CurrentUser) -> Result<Vec<HeldPost>, AppError> {
    if !user.is_staff()
        && moderation::facilitated(&state.db, user.account.id)
            .await?
            .is_empty()
    {
        return Err(AppError::Forbidden);
    }
    let sql = format!(
        "{HELD_SELECT} AND ($1 OR t.group_id IN (SELECT group_id FROM group_members \
         WHERE account_id = $2 AND role = 'facilitator')) ORDER BY p.held_at, p.id LIMIT 200"
    );
    Ok(on_db!(&state.db, |pool| {
        sqlx::query_as::<_, HeldPost>(sqlx::AssertSqlSafe(sql))
            .bind(user.is_staff())
            .bind(user.account.id)
            .fetch_all(pool)
            .await
    })?)
}

/// The held post, if `user` reviews it; otherwise "not found" (or
/// "forbidden" for someone who reviews nothing).
async fn held(state: &AppState, user: &CurrentUser, post_id: i64) -> Result<HeldPost, AppError> {
    let sql = format!("{HELD_SELECT} AND p.id = $1");
    let row = on_db!(&state.db, |pool| {
        sqlx::query_as::<_, HeldPost>(sqlx::AssertSqlSafe(sql))
            .bind(post_id)
            .fetch_optional(pool)
            .await
    })?;
    let facilitated = if user.is_staff() {
        None
    } else {
        Some(moderation::facilitated(&state.db, user.account.id).await?)
    };
    if facilitated.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::Forbidden);
    }
    let Some(post) = row else {
        return Err(AppError::NotFound);
    };
    if facilitated.is_some_and(|groups| !groups.contains(&post.group_id)) {
        return Err(AppError::NotFound);
    }
    // Nobody reviews their own post.
    if post.author_id == Some(user.account.id) {
        return Err(AppError::Forbidden);
    }
    Ok(post)
}

/// Publishes a held post. `seen` is the `edited_at` (0 if never edited)
/// of the version the reviewer read: if the author has changed it since,
/// nothing is approved and the reviewer is asked to read it again.
pub async fn approve(
    state: &AppState,
    user: &CurrentUser,
    post_id: i64,
    seen: Option<i64>,
) -> Result<(), AppError> {
    let post = held(state, user, post_id).await?;
    let (group_id, author_id, anonymous) = (post.group_id, post.author_id, post.anonymous);
    let version = post.edited_at.unwrap_or(0);
    if seen.is_some_and(|s| s != version) {
        return Err(AppError::Validation(vec![(
            "version",
            "error-held-changed",
        )]));
    }
    let mentioned = crate::forum::service::mentioned(state, group_id, &post.body).await?;
    let now = now_ms();
    let approved = on_db!(&state.db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            // The version the reviewer read, still there and still held.
            let n = sqlx::query(
                "UPDATE posts SET held_reason = NULL, held_at = NULL WHERE id = $1 AND held_at IS NOT NULL \
                 AND deleted_at IS NULL AND COALESCE(edited_at, 0) = $2",
            )
            .bind(post_id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                // Someone else decided first, or the author just changed it.
                return Ok(false);
            }
            let (opening, still_held) = count_published_in!(tx, post_id, post.thread_id, now);
            if let Some(author) = author_id {
                sqlx::query(
                    "UPDATE accounts SET first_approved_at = COALESCE(first_approved_at, $1) WHERE id = $2",
                )
                .bind(now)
                .bind(author)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(author) = author_id.filter(|_| !still_held) {
                crate::forum::store::notify_mentions!(
                    tx,
                    group_id,
                    post.thread_id,
                    post_id,
                    author,
                    anonymous,
                    &mentioned,
                    now
                );
                if !opening {
                    crate::forum::store::notify_followers!(
                        tx,
                        group_id,
                        post.thread_id,
                        post_id,
                        author,
                        anonymous,
                        now
                    );
                }
            }
            audit::append_in!(
                tx,
                &moderation::entry(user, "post.approve", "post", post_id, &post.reason)
            );
            tx.commit().await?;
            Ok::<_, sqlx::Error>(true)
        }
        .await
    })?;
    if approved {
        tracing::info!(post.id = post_id, "held post approved");
    }
    Ok(())
}

/// Declines a held post: it is hidden, with a reason its author sees and
/// may appeal; its words are kept.
pub async fn decline(
    state: &AppState,
    user: &CurrentUser,
    post_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let post = held(state, user, post_id).await?;
    let (group_id, author_id) = (post.group_id, post.author_id);
    let reason = crate::groups::model::parse_text(
        reason,
        1,
        moderation::REASON_MAX,
        true,
        "error-action-reason",
    )
    .map_err(|e| AppError::Validation(vec![("reason", e)]))?;
    let now = now_ms();
    let Some(author_id) = author_id else {
        // The account is gone: there is nobody to tell; the post goes.
        on_db!(&state.db, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE posts SET deleted_at = $1, deleted_by = $2, held_reason = NULL, held_at = NULL \
                     WHERE id = $3 AND held_at IS NOT NULL AND deleted_at IS NULL",
                )
                .bind(now)
                .bind(user.account.id)
                .bind(post_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n > 0 {
                    sqlx::query(
                        "UPDATE threads SET rev = rev + 1 WHERE id = (SELECT thread_id FROM posts WHERE id = $1)",
                    )
                    .bind(post_id)
                    .execute(&mut *tx)
                    .await?;
                    audit::append_in!(
                        tx,
                        &moderation::entry(user, "post.decline", "post", post_id, &reason)
                    );
                }
                tx.commit().await
            }
            .await
        })?;
        return Ok(());
    };
    let declined = on_db!(&state.db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE posts SET held_reason = NULL, held_at = NULL WHERE id = $1 AND held_at IS NOT NULL",
            )
            .bind(post_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Ok(None);
            }
            let (id, _) = moderation::sanction_in!(
                tx,
                &moderation::NewSanction {
                    kind: "hide",
                    account_id: author_id,
                    group_id: Some(group_id),
                    post_id: Some(post_id),
                    message_id: None,
                    reason: &reason,
                    report_id: None,
                    actor_id: user.account.id,
                    now,
                    expires_at: None,
                }
            );
            audit::append_in!(
                tx,
                &moderation::entry(user, "post.decline", "sanction", id, &reason)
            );
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(id))
        }
        .await
    })?;
    if let Some(id) = declined {
        tracing::info!(post.id = post_id, sanction.id = id, "held post declined");
    }
    Ok(())
}

/// Publishes a held post without a reviewer because its author, editing
/// it, wrote words that ask for help: such writing is never held back.
pub async fn release_for_help(
    db: &crate::db::Db,
    post_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let thread: Option<i64> = sqlx::query_scalar(
                "UPDATE posts SET held_reason = NULL, held_at = NULL WHERE id = $1 AND held_at IS NOT NULL \
                 RETURNING thread_id",
            )
            .bind(post_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(thread) = thread else {
                return Ok(());
            };
            count_published_in!(tx, post_id, thread, now);
            tx.commit().await
        }
        .await
    })
}
