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

use super::service as moderation;
use crate::AppState;
use crate::db::now_ms;
use crate::forum;
use crate::on_db;
use crate::safety::audit::{self, Action, ObjectKind};
use crate::web::{AppError, CurrentUser};

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
        && crate::groups::store::facilitated(&state.db, user.account.id)
            .await?
            .is_empty()
    {
        return Err(AppError::Forbidden);
    }
    let sql = format!(
        "{HELD_SELECT} AND ($1 OR t.group_id IN (SELECT group_id FROM group_members \
         WHERE account_id = $2 AND role = 'facilitator')) ORDER BY p.held_at, p.id LIMIT 200"
    );
    let rows = on_db!(&state.db, |pool| {
        sqlx::query_as::<_, HeldPost>(sqlx::AssertSqlSafe(sql))
            .bind(user.is_staff())
            .bind(user.account.id)
            .fetch_all(pool)
            .await
    })?;
    audit::record(
        &state.db,
        Some(user.account.id),
        Action::HeldList,
        ObjectKind::Post,
        0,
    )
    .await;
    Ok(rows)
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
        Some(crate::groups::store::facilitated(&state.db, user.account.id).await?)
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
    let mentioned = forum::service::mentioned(state, group_id, &post.body).await?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    // The version the reviewer read, still there and still held; else
    // someone else decided first, or the author just changed it.
    let approved = forum::store::approve_held_in(&mut tx, post_id, version).await?;
    if approved {
        let (opening, still_held) =
            forum::store::count_published_in(&mut tx, post_id, post.thread_id, now).await?;
        if let Some(author) = author_id {
            crate::accounts::store::first_approved_in(&mut tx, author, now).await?;
        }
        if let Some(author) = author_id.filter(|_| !still_held) {
            let posted = crate::notifications::store::Posted {
                group_id,
                thread_id: post.thread_id,
                post_id,
                author_id: author,
                anonymous,
                now,
            };
            crate::notifications::store::mentions_in(&mut tx, &posted, &mentioned).await?;
            if !opening {
                crate::notifications::store::replies_in(&mut tx, &posted).await?;
            }
        }
        audit::append_in(
            &mut tx,
            &moderation::entry(
                user,
                Action::PostApprove,
                ObjectKind::Post,
                post_id,
                &post.reason,
            ),
        )
        .await?;
        tx.commit().await?;
    }
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
    let reason = crate::text::parse_text(
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
        let mut tx = state.db.begin().await?;
        if forum::store::delete_held_in(&mut tx, post_id, user.account.id, now).await? {
            audit::append_in(
                &mut tx,
                &moderation::entry(
                    user,
                    Action::PostDecline,
                    ObjectKind::Post,
                    post_id,
                    &reason,
                ),
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(());
    };
    let mut tx = state.db.begin().await?;
    let declined = if forum::store::unhold_in(&mut tx, post_id).await?.is_some() {
        let (id, _) = moderation::sanction_in(
            &mut tx,
            &moderation::NewSanction {
                kind: moderation::ActionKind::Hide,
                account_id: author_id,
                group_id: Some(group_id),
                post_id: Some(post_id),
                message_id: None,
                reason: &reason,
                report_id: None,
                actor_id: user.account.id,
                now,
                expires_at: None,
            },
        )
        .await?;
        audit::append_in(
            &mut tx,
            &moderation::entry(user, Action::PostDecline, ObjectKind::Sanction, id, &reason),
        )
        .await?;
        tx.commit().await?;
        Some(id)
    } else {
        None
    };
    if let Some(id) = declined {
        tracing::info!(post.id = post_id, sanction.id = id, "held post declined");
    }
    Ok(())
}
