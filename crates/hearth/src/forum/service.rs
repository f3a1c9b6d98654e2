//! Forum rules: who reads and writes a group's threads, validation, and who
//! may edit, delete, pin, lock and see behind anonymity. Pages and the API
//! both go through here.

use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use super::cache::{CachedList, CachedPage};
use super::markdown;

use super::store::{self, Flag, NewPost, PostPage, PostRow, ThreadRow};
use crate::AppState;
use crate::db::now_ms;
use crate::groups::access::{self, Access};
use crate::safety::filters::{self, Gate, Writing};
use crate::safety::reports::{Target, TargetKind};
use crate::safety::{SourceKind, Written, screen};
use crate::text::parse_text;
use crate::web::{AppError, CurrentUser, FieldErrors};
use crisis::Level;

pub const TITLE_MAX: usize = 150;
pub const BODY_MAX: usize = crate::text::WRITING_MAX;
pub const WARNING_MAX: usize = 100;
pub const MAX_MENTIONS: usize = 10;
pub const THREADS_PER_PAGE: i64 = 25;
pub const POSTS_PER_PAGE: i64 = 100;
/// Pinned threads all show at the top of a group's first page.
pub const MAX_PINNED: i64 = 20;

crate::word_enum!(
    /// A supportive reaction to a post; each has a message id
    /// `reaction-<word>`. `ALL` is the display order.
    #[derive(PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "kebab-case")]
    Reaction {
        Hug = "hug",
        MeToo = "me-too",
        ThankYou = "thank-you",
        Strength = "strength",
    }
);

/// The reactions, in display order.
pub const REACTIONS: &[Reaction] = Reaction::ALL;

/// A thread of the group at `slug`, for someone who may read it.
pub async fn thread(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    thread_id: i64,
) -> Result<(Access, ThreadRow), AppError> {
    let access = access::check(state, user, slug).await?;
    match store::thread(&state.db, thread_id).await? {
        // A held thread is there for its author and those who review it.
        Some(t)
            if t.group_id == access.group.id
                && (!t.held || access.facilitates || t.author_id == Some(access.account_id)) =>
        {
            Ok((access, t))
        }
        _ => Err(AppError::NotFound),
    }
}

/// A post of the group at `slug`, for someone who may read it.
pub async fn post(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    post_id: i64,
) -> Result<(Access, PostRow), AppError> {
    let access = access::check(state, user, slug).await?;
    match store::post(&state.db, post_id).await? {
        Some(p) if p.group_id == access.group.id && !unlisted(&access, &p) => {
            // A post in a held thread is there for those who see the thread.
            if p.thread_held
                && !access.facilitates
                && store::thread(&state.db, p.thread_id)
                    .await?
                    .is_none_or(|t| t.author_id != Some(access.account_id))
            {
                return Err(AppError::NotFound);
            }
            Ok((access, p))
        }
        _ => Err(AppError::NotFound),
    }
}

/// One page of a group's thread list as its viewer sees it.
#[derive(Default)]
pub struct ThreadListPage {
    pub pinned: Vec<ThreadRow>,
    pub rest: Vec<ThreadRow>,
    /// Where the next page starts; absent on the last page.
    pub next: Option<String>,
}

/// One page of a group's threads, after `cursor`: read from the cache while
/// the group's page revision is unchanged, then narrowed to what the viewer
/// may see (a held thread only for its author and the group's
/// facilitators) and marked with their own mutes and read marks.
pub async fn thread_list(
    state: &AppState,
    access: &Access,
    cursor: Option<store::ThreadCursor>,
) -> Result<ThreadListPage, AppError> {
    let group = &access.group;
    let key = (group.id, cursor);
    let shared = match state.thread_lists.get(&key, group.page_rev) {
        Some(list) => list,
        None => {
            let (pinned, rest) =
                store::threads(&state.db, group.id, cursor, THREADS_PER_PAGE).await?;
            let next = store::next_cursor(&rest, THREADS_PER_PAGE);
            let list = Arc::new(CachedList { pinned, rest, next });
            state.thread_lists.put(key, group.page_rev, list.clone());
            list
        }
    };
    let visible =
        |t: &&ThreadRow| !t.held || access.facilitates || t.author_id == Some(access.account_id);
    let mut pinned: Vec<ThreadRow> = shared.pinned.iter().filter(visible).cloned().collect();
    let mut rest: Vec<ThreadRow> = shared.rest.iter().filter(visible).cloned().collect();
    let ids: Vec<i64> = pinned.iter().chain(&rest).map(|t| t.id).collect();
    if !ids.is_empty() {
        let marks = store::marks(&state.db, access.account_id, &ids).await?;
        for t in pinned.iter_mut().chain(rest.iter_mut()) {
            if let Some((_, muted, unread)) = marks.iter().find(|m| m.0 == t.id) {
                t.muted = *muted;
                t.unread = *unread;
            }
        }
    }
    Ok(ThreadListPage {
        pinned,
        rest,
        next: shared.next.clone(),
    })
}

/// One page of a thread as its reader sees it.
pub struct ThreadPage {
    /// Posts, their HTML and reaction counts: the same for every reader.
    pub shared: Arc<CachedPage>,
    /// The reader's own reactions: (post id, kind).
    pub mine: Vec<(i64, Reaction)>,
    pub following: bool,
    pub muted: bool,
    pub filters: Filters,
    /// The reader's notifications about this thread, marked read now.
    pub marked_read: i64,
}

/// Reads one page of a thread (from the cache while the thread is
/// unchanged); reading it marks the reader's notifications about it read.
pub async fn read_thread(
    state: &AppState,
    user: &CurrentUser,
    thread: &ThreadRow,
    page: PostPage,
) -> Result<ThreadPage, AppError> {
    let shared = match state.thread_pages.get(&(thread.id, page), thread.rev) {
        Some(cached) => cached,
        None => {
            let (posts, has_earlier, has_later) =
                store::posts(&state.db, thread.id, page, POSTS_PER_PAGE).await?;
            let reactions = match (posts.first(), posts.last()) {
                (Some(a), Some(b)) => {
                    store::reaction_counts(&state.db, thread.id, a.id, b.id).await?
                }
                _ => Vec::new(),
            };
            let cached = Arc::new(CachedPage {
                html: posts.iter().map(|p| markdown::render(&p.body)).collect(),
                posts,
                has_earlier,
                has_later,
                reactions,
            });
            state
                .thread_pages
                .put((thread.id, page), thread.rev, cached.clone());
            cached
        }
    };
    let mine = match (shared.posts.first(), shared.posts.last()) {
        (Some(a), Some(b)) => {
            store::my_reactions(&state.db, thread.id, a.id, b.id, user.account.id).await?
        }
        _ => Vec::new(),
    };
    // Read marks move forward only when there is something new: a read
    // first, as a write would take the database's write lock for nothing.
    let newest = if shared.has_later {
        shared.posts.iter().map(|p| p.created_at).max()
    } else {
        Some(thread.last_post_at)
    };
    if let Some(newest) = newest
        && store::read_mark(&state.db, user.account.id, thread.id)
            .await?
            .is_none_or(|at| at < newest)
    {
        store::mark_read(&state.db, user.account.id, thread.id, newest).await?;
    }
    // Likewise for notifications.
    let marked_read =
        if crate::notifications::store::has_unread(&state.db, user.account.id, thread.id).await? {
            crate::notifications::store::mark_read(
                &state.db,
                user.account.id,
                Some(thread.id),
                now_ms(),
            )
            .await?
        } else {
            0
        };
    Ok(ThreadPage {
        marked_read: i64::try_from(marked_read).unwrap_or(0),
        shared,
        mine,
        following: store::follows(&state.db, thread.id, user.account.id).await?,
        muted: store::mutes(&state.db, thread.id, user.account.id).await?,
        filters: filters(state, user.account.id).await?,
    })
}

/// A writer has read their own post: the thread is not new to them. The
/// post is already stored, so a failure here is logged, never reported as
/// the post failing (that would invite posting it twice).
async fn own_words_read(state: &AppState, user: &CurrentUser, thread_id: i64) {
    if let Err(e) = store::mark_read(&state.db, user.account.id, thread_id, now_ms()).await {
        tracing::warn!(error = %e, thread.id = thread_id, "read mark not moved");
    }
}

/// What someone wrote in a thread or reply form.
#[derive(Debug, Default, Clone)]
pub struct PostInput {
    /// Threads only.
    pub title: String,
    pub body: String,
    pub content_warning: String,
    pub anonymous: bool,
    pub accept_guidelines: bool,
}

struct Checked {
    title: String,
    body: String,
    content_warning: String,
    accepts_guidelines: bool,
}

/// Whether this member must still accept the group's guidelines before
/// posting (staff who are not members never do; a group without guidelines
/// asks nothing).
pub async fn must_accept_guidelines(state: &AppState, access: &Access) -> Result<bool, AppError> {
    if access.role.is_none() || access.group.guidelines.trim().is_empty() {
        return Ok(false);
    }
    Ok(!store::accepted_guidelines(&state.db, access.group.id, access.account_id).await?)
}

async fn check(
    state: &AppState,
    access: &Access,
    input: &PostInput,
    with_title: bool,
) -> Result<Checked, AppError> {
    let mut errors: FieldErrors = Vec::new();
    let title = if with_title {
        parse_text(&input.title, 3, TITLE_MAX, false, "error-thread-title")
            .map_err(|e| errors.push(("title", e)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let content_warning = parse_text(
        &input.content_warning,
        0,
        WARNING_MAX,
        false,
        "error-content-warning",
    )
    .map_err(|e| errors.push(("content_warning", e)))
    .unwrap_or_default();
    let body = parse_text(&input.body, 1, BODY_MAX, true, "error-post-body")
        .map_err(|e| errors.push(("body", e)))
        .unwrap_or_default();
    if input.anonymous && !access.group.allow_anonymous {
        errors.push(("anonymous", "error-anonymous-not-allowed"));
    }
    let must_accept = must_accept_guidelines(state, access).await?;
    if must_accept && !input.accept_guidelines {
        errors.push(("accept_guidelines", "error-accept-guidelines"));
    }
    if !access.group.open_for_writing() {
        return Err(AppError::Forbidden);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Checked {
        title,
        body,
        content_warning,
        accepts_guidelines: must_accept,
    })
}

/// `@handle` mentions in a body, as handle keys, at most [`MAX_MENTIONS`].
pub fn mentions(body: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('@') {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = &rest[at + 1..];
        let end = after
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .map_or(after.len(), |(i, _)| i);
        let handle = after[..end].trim_end_matches(['.', '-']);
        if before_ok && (3..=30).contains(&handle.chars().count()) {
            let key: String = handle.nfkc().collect::<String>().to_lowercase();
            if !keys.contains(&key) {
                keys.push(key);
            }
            if keys.len() == MAX_MENTIONS {
                break;
            }
        }
        rest = &after[end..];
    }
    keys
}

pub async fn mentioned(state: &AppState, group_id: i64, body: &str) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for key in mentions(body) {
        if let Some(id) = store::member_by_handle_key(&state.db, group_id, &key).await? {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A mute in this group, a suspension or a ban refuses the write, with a
/// clear message; staff are never muted by the group's facilitators.
async fn refuse_if_restricted(
    state: &AppState,
    user: &CurrentUser,
    group_id: i64,
) -> Result<(), AppError> {
    match crate::safety::restrictions::restriction(state, user.account.id, Some(group_id)).await? {
        Some(kind) => Err(crate::safety::restrictions::refusal(&kind)),
        None => Ok(()),
    }
}

/// A new thread or reply, stored.
#[derive(Debug)]
pub struct Posted {
    pub access: Access,
    /// The thread's id (for a new thread) or the reply's.
    pub id: i64,
    /// The crisis level when the writer should be shown crisis lines (see
    /// `safety::screen`).
    pub crisis: Option<Level>,
    /// Held for a reviewer (see `safety::filters`).
    pub held: bool,
}

/// Word filters and newcomers' limits (`safety::filters::gate`), before
/// anything is stored.
async fn gate(
    state: &AppState,
    user: &CurrentUser,
    access: &Access,
    text: &str,
    assessment: &crisis::Assessment,
    writing: Writing,
) -> Result<Gate, AppError> {
    filters::gate(
        state,
        user,
        (&access.group).into(),
        access.facilitates,
        text,
        assessment.asks_for_help(),
        writing,
    )
    .await
    .map_err(filters::Refusal::into_app_error)
}

/// Opens a thread: it may be held for review (see `safety::filters`).
pub async fn create_thread(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    input: &PostInput,
) -> Result<Posted, AppError> {
    let access = access::check(state, user, slug).await?;
    refuse_if_restricted(state, user, access.group.id).await?;
    let c = check(state, &access, input, true).await?;
    let text = format!("{}\n\n{}", c.title, c.body);
    let assessment = state.detector.assess(&text);
    let gate = gate(state, user, &access, &text, &assessment, Writing::Post).await?;
    let mentioned = mentioned(state, access.group.id, &c.body).await?;
    let (thread_id, post_id) = store::insert_thread(
        &state.db,
        access.group.id,
        &c.title,
        &NewPost {
            author_id: user.account.id,
            anonymous: input.anonymous,
            body: &c.body,
            content_warning: &c.content_warning,
            mentioned: &mentioned,
            accepts_guidelines: c.accepts_guidelines,
            held: gate.held.as_deref(),
            now: now_ms(),
        },
    )
    .await?;
    tracing::info!(
        group.id = access.group.id,
        thread.id = thread_id,
        held = gate.held.is_some(),
        "thread opened"
    );
    own_words_read(state, user, thread_id).await;
    flag_post(state, user, &access, post_id, &gate).await;
    let crisis = screen(
        state,
        user,
        Written {
            kind: SourceKind::Thread,
            id: thread_id,
            group_id: Some(access.group.id),
            url: format!("/groups/{}/threads/{thread_id}", access.group.slug),
            assessment,
            private: false,
        },
    )
    .await;
    Ok(Posted {
        access,
        id: thread_id,
        crisis,
        held: gate.held.is_some(),
    })
}

async fn flag_post(
    state: &AppState,
    user: &CurrentUser,
    access: &Access,
    post_id: i64,
    gate: &Gate,
) {
    let target = Target {
        kind: TargetKind::Post,
        id: post_id,
        account_id: Some(user.account.id),
        group_id: access.group.id,
    };
    filters::flag(state, &target, &gate.flagged).await;
}

/// Replies in a thread that is not locked: it may be held for review.
pub async fn reply(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    thread_id: i64,
    input: &PostInput,
) -> Result<Posted, AppError> {
    let (access, thread) = thread(state, user, slug, thread_id).await?;
    if thread.locked {
        return Err(AppError::Validation(vec![("body", "error-thread-locked")]));
    }
    refuse_if_restricted(state, user, access.group.id).await?;
    let c = check(state, &access, input, false).await?;
    let (since, limit) = crate::safety::context_window();
    let earlier = store::recent_posts(&state.db, thread.id, user.account.id, since, None, limit);
    let assessment = crate::safety::assess(state, &c.body, earlier).await;
    let gate = gate(state, user, &access, &c.body, &assessment, Writing::Post).await?;
    let mentioned = mentioned(state, access.group.id, &c.body).await?;
    let post_id = store::insert_reply(
        &state.db,
        thread.id,
        &NewPost {
            author_id: user.account.id,
            anonymous: input.anonymous,
            body: &c.body,
            content_warning: &c.content_warning,
            mentioned: &mentioned,
            accepts_guidelines: c.accepts_guidelines,
            held: gate.held.as_deref(),
            now: now_ms(),
        },
    )
    .await?
    .ok_or(AppError::Validation(vec![("body", "error-thread-locked")]))?;
    tracing::info!(
        group.id = access.group.id,
        thread.id = thread.id,
        post.id = post_id,
        held = gate.held.is_some(),
        "reply posted"
    );
    own_words_read(state, user, thread.id).await;
    flag_post(state, user, &access, post_id, &gate).await;
    let crisis = screen(
        state,
        user,
        Written {
            kind: SourceKind::Reply,
            id: post_id,
            group_id: Some(access.group.id),
            url: format!("/groups/{}/posts/{post_id}", access.group.slug),
            assessment,
            private: false,
        },
    )
    .await;
    Ok(Posted {
        access,
        id: post_id,
        crisis,
        held: gate.held.is_some(),
    })
}

/// The author edits their post; the earlier text goes into its history.
/// Returns the crisis level when the writer should be shown crisis lines.
pub async fn edit(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    post_id: i64,
    body: &str,
    content_warning: &str,
) -> Result<(Access, PostRow, Option<Level>), AppError> {
    let (access, post) = post(state, user, slug, post_id).await?;
    if post.author_id != Some(user.account.id) || post.deleted_at.is_some() {
        return Err(AppError::Forbidden);
    }
    // A hidden post is kept as it was hidden, for the appeal.
    if post.hidden_by.is_some() {
        return Err(AppError::Validation(vec![("body", "error-post-hidden")]));
    }
    refuse_if_restricted(state, user, access.group.id).await?;
    let mut errors: FieldErrors = Vec::new();
    let body = parse_text(body, 1, BODY_MAX, true, "error-post-body")
        .map_err(|e| errors.push(("body", e)))
        .unwrap_or_default();
    let content_warning = parse_text(
        content_warning,
        0,
        WARNING_MAX,
        false,
        "error-content-warning",
    )
    .map_err(|e| errors.push(("content_warning", e)))
    .unwrap_or_default();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if body != post.body || content_warning != post.content_warning {
        // An edit is not held (the post is already up): a `hold` filter
        // flags it instead.
        let (since, limit) = crate::safety::context_window();
        let earlier = store::recent_posts(
            &state.db,
            post.thread_id,
            user.account.id,
            since,
            Some(post.id),
            limit,
        );
        let assessment = crate::safety::assess(state, &body, earlier).await;
        let gate = gate(state, user, &access, &body, &assessment, Writing::Edit).await?;
        if !store::edit_post(&state.db, post.id, &body, &content_warning, now_ms()).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(post.id = post.id, "post edited");
        flag_post(state, user, &access, post.id, &gate).await;
        // A held post whose author now asks for help is published at once.
        if post.held_reason.is_some() && assessment.asks_for_help() {
            store::release_for_help(&state.db, post.id, now_ms()).await?;
        }
        let crisis = screen(
            state,
            user,
            Written {
                kind: SourceKind::PostEdit,
                id: post.id,
                group_id: Some(access.group.id),
                url: format!("/groups/{}/posts/{}", access.group.slug, post.id),
                assessment,
                private: false,
            },
        )
        .await;
        return Ok((access, post, crisis));
    }
    Ok((access, post, None))
}

/// A post hidden by a moderator, or held for review, is withheld from
/// readers other than its author and those who moderate the group (its
/// words are kept).
pub fn withheld(access: &Access, post: &PostRow) -> bool {
    access.withholds(
        post.hidden_by.is_some() || post.held_reason.is_some(),
        post.author_id,
    )
}

/// A post held for review is not shown at all to those it is withheld
/// from (a hidden one leaves a note that it was hidden).
pub fn unlisted(access: &Access, post: &PostRow) -> bool {
    post.held_reason.is_some() && withheld(access, post)
}

/// May `user` delete this post: its author, the group's facilitators, staff.
/// A hidden post is kept for the appeal: only its author deletes it (and
/// not while an appeal is open, see `delete`).
pub fn can_delete(access: &Access, post: &PostRow) -> bool {
    let mine = post.author_id == Some(access.account_id);
    post.deleted_at.is_none() && (mine || (access.facilitates && post.hidden_by.is_none()))
}

/// May the author edit this post (a hidden one is kept as it was).
pub fn can_edit(access: &Access, post: &PostRow) -> bool {
    post.deleted_at.is_none()
        && post.hidden_by.is_none()
        && post.author_id == Some(access.account_id)
}

pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    post_id: i64,
) -> Result<(Access, PostRow), AppError> {
    let (access, post) = post(state, user, slug, post_id).await?;
    if post.deleted_at.is_some() {
        return Ok((access, post));
    }
    if !can_delete(&access, &post) {
        return Err(AppError::Forbidden);
    }
    if let Some(sanction) = post.hidden_by
        && crate::safety::restrictions::appeal_open(&state.db, sanction).await?
    {
        return Err(AppError::Validation(vec![("post", "error-post-appealed")]));
    }
    store::delete_post(&state.db, post.id, user.account.id, now_ms()).await?;
    state.db.checkpoint_after_erasure().await;
    tracing::info!(post.id = post.id, by = user.account.id, "post deleted");
    Ok((access, post))
}

/// Adds or takes back a reaction.
pub async fn react(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    post_id: i64,
    kind: &str,
    on: Option<bool>,
) -> Result<(Access, PostRow), AppError> {
    let (access, post) = post(state, user, slug, post_id).await?;
    let Some(kind) = Reaction::from_stored(kind) else {
        return Err(AppError::Validation(vec![("kind", "error-reaction")]));
    };
    if post.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    let on = match on {
        Some(on) => on,
        None => !store::has_reaction(&state.db, post.id, user.account.id, kind).await?,
    };
    store::set_reaction(&state.db, post.id, user.account.id, kind, on, now_ms()).await?;
    Ok((access, post))
}

/// A facilitator pins or locks a thread (or undoes it).
pub async fn set_flag(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    thread_id: i64,
    flag: Flag,
    on: Option<bool>,
) -> Result<(Access, ThreadRow), AppError> {
    let (access, thread) = thread(state, user, slug, thread_id).await?;
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    let on = on.unwrap_or(match flag {
        Flag::Pinned => !thread.pinned,
        Flag::Locked => !thread.locked,
    });
    if flag == Flag::Pinned
        && on
        && !thread.pinned
        && store::pinned_count(&state.db, access.group.id).await? >= MAX_PINNED
    {
        return Err(AppError::Validation(vec![(
            "pinned",
            "error-too-many-pinned",
        )]));
    }
    store::set_flag(&state.db, thread.id, flag, on).await?;
    tracing::info!(
        thread.id = thread.id,
        ?flag,
        on,
        by = user.account.id,
        "thread flag set"
    );
    Ok((access, thread))
}

pub async fn follow(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    thread_id: i64,
    on: Option<bool>,
) -> Result<(Access, ThreadRow, bool), AppError> {
    let (access, thread) = thread(state, user, slug, thread_id).await?;
    let on = match on {
        Some(on) => on,
        None => !store::follows(&state.db, thread.id, user.account.id).await?,
    };
    store::set_follow(&state.db, thread.id, user.account.id, on).await?;
    Ok((access, thread, on))
}

/// Mutes a thread for the member (no notifications from it; it is folded
/// away in lists), or unmutes it; `None` toggles. Returns the new state.
pub async fn mute(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    thread_id: i64,
    on: Option<bool>,
) -> Result<(Access, bool), AppError> {
    let (access, thread) = thread(state, user, slug, thread_id).await?;
    let on = match on {
        Some(on) => on,
        None => !store::mutes(&state.db, thread.id, user.account.id).await?,
    };
    store::set_mute(&state.db, thread.id, user.account.id, on, now_ms()).await?;
    Ok((access, on))
}

/// A group's forum settings, as its facilitators set them.
#[derive(Debug, Clone, Copy)]
pub struct ForumSettings {
    /// Members may post "as a member".
    pub allow_anonymous: bool,
    /// Each member's first post waits for a facilitator's approval
    /// (unchanged when `None`).
    pub hold_first_posts: Option<bool>,
}

/// A facilitator sets their group's forum settings.
pub async fn set_forum_settings(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    settings: ForumSettings,
) -> Result<Access, AppError> {
    let access = access::check(state, user, slug).await?;
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    store::set_forum_settings(
        &state.db,
        access.group.id,
        settings.allow_anonymous,
        settings
            .hold_first_posts
            .unwrap_or(access.group.hold_first_posts),
    )
    .await?;
    Ok(access)
}

/// Who wrote a post or thread, as this viewer may know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    Named(String),
    /// Posted "as a member"; `revealed` is the handle for the group's
    /// facilitators and staff only.
    Anonymous {
        revealed: Option<String>,
        mine: bool,
    },
    /// The account was deleted.
    Former,
}

pub fn author(
    access: &Access,
    author_id: Option<i64>,
    handle: Option<&str>,
    anonymous: bool,
) -> Author {
    match (handle, anonymous) {
        // An anonymous author who deleted their account stays anonymous:
        // their posts must not all change together and so be linked.
        (None, true) => Author::Anonymous {
            revealed: None,
            mine: false,
        },
        (None, false) => Author::Former,
        (Some(h), false) => Author::Named(h.to_owned()),
        (Some(h), true) => Author::Anonymous {
            revealed: access.facilitates.then(|| h.to_owned()),
            mine: author_id == Some(access.account_id),
        },
    }
}

/// A member's personal filters, opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Lower-cased, NFKC-normalised words and phrases.
    pub words: Vec<String>,
    pub collapse_warnings: bool,
}

pub const MAX_FILTER_WORDS: usize = 100;
pub const FILTER_WORD_MAX: usize = 60;

fn filters_owner(account_id: i64) -> Vec<u8> {
    account_id.to_string().into_bytes()
}

pub async fn filters(state: &AppState, account_id: i64) -> Result<Filters, AppError> {
    let Some(row) = store::filters(&state.db, account_id).await? else {
        return Ok(Filters::default());
    };
    let words = match row.words_sealed {
        Some(sealed) => state
            .data_key
            .open(
                "personal_filters.words",
                &filters_owner(account_id),
                &sealed,
            )
            .map_err(AppError::internal)
            .and_then(|plain| serde_json::from_slice(&plain).map_err(AppError::internal))?,
        None => Vec::new(),
    };
    Ok(Filters {
        words,
        collapse_warnings: row.collapse_warnings,
    })
}

/// Parses a list of words, one a line or separated by commas.
pub fn parse_filter_words(raw: &str) -> Result<Vec<String>, &'static str> {
    let mut words: Vec<String> = Vec::new();
    for w in raw.split(['\n', ',']) {
        let w: String = w.trim().nfkc().collect::<String>().to_lowercase();
        if w.is_empty() {
            continue;
        }
        if w.chars().count() > FILTER_WORD_MAX || w.chars().any(char::is_control) {
            return Err("error-filter-word");
        }
        if !words.contains(&w) {
            words.push(w);
        }
    }
    if words.len() > MAX_FILTER_WORDS {
        return Err("error-filter-too-many");
    }
    Ok(words)
}

pub async fn save_filters(
    state: &AppState,
    user: &CurrentUser,
    words: &str,
    collapse_warnings: bool,
) -> Result<Filters, AppError> {
    let words = parse_filter_words(words).map_err(|e| AppError::Validation(vec![("words", e)]))?;
    let sealed = if words.is_empty() {
        None
    } else {
        let plain = serde_json::to_vec(&words).map_err(AppError::internal)?;
        Some(
            state
                .data_key
                .seal(
                    "personal_filters.words",
                    &filters_owner(user.account.id),
                    &plain,
                )
                .map_err(AppError::internal)?,
        )
    };
    store::set_filters(
        &state.db,
        user.account.id,
        sealed.as_deref(),
        collapse_warnings,
        now_ms(),
    )
    .await?;
    Ok(Filters {
        words,
        collapse_warnings,
    })
}

impl Filters {
    /// Whether `text` contains one of the words at the start of a word
    /// ("cut" hides "cutting" but not "shortcut").
    pub fn matches(&self, text: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let text: String = text.nfkc().collect::<String>().to_lowercase();
        self.words.iter().any(|w| {
            text.match_indices(w.as_str()).any(|(i, _)| {
                text[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
    }
}

/// Why a post's body is folded away for this viewer, if it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fold {
    /// The author's content warning.
    Warning(String),
    /// One of the viewer's own words.
    Filtered,
}

pub fn fold(filters: &Filters, content_warning: &str, texts: &[&str]) -> Option<Fold> {
    if !content_warning.is_empty() {
        Some(Fold::Warning(content_warning.to_owned()))
    } else if texts.iter().any(|t| filters.matches(t)) {
        Some(Fold::Filtered)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_once_each() {
        assert_eq!(
            mentions("thanks @Robin_B and @robin_b, also @sam. mail a@b.c @x"),
            vec!["robin_b", "sam"]
        );
    }

    #[test]
    fn filters_match_at_the_start_of_words() {
        let f = Filters {
            words: parse_filter_words("Cut, hospital\nself harm").unwrap(),
            collapse_warnings: false,
        };
        assert!(f.matches("I was cutting again"));
        assert!(f.matches("back in HOSPITAL"));
        assert!(f.matches("thoughts of self harm"));
        assert!(!f.matches("a shortcut home"));
        assert!(!f.matches("nothing here"));
    }

    #[test]
    fn filter_lists_are_capped() {
        let many: String = (0..101).map(|i| format!("w{i}\n")).collect();
        assert_eq!(parse_filter_words(&many), Err("error-filter-too-many"));
        assert_eq!(
            parse_filter_words(&"x".repeat(61)),
            Err("error-filter-word")
        );
    }
}
