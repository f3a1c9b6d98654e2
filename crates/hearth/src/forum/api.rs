//! The forum JSON API: threads, posts, reactions, follows, pin and lock,
//! edit history, notifications and personal filters. The same rules as the
//! pages (service.rs).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, Author, Filters, PostInput, REACTIONS};
use super::store::{self, Flag, PostPage, PostRow, ThreadRow};
use crate::AppState;
use crate::groups::access::{self, Access};
use crate::safety::{self, CrisisResponse};
use crate::web::AppError;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_threads, create_thread))
        .routes(routes!(get_thread, update_thread))
        .routes(routes!(follow_thread, unfollow_thread))
        .routes(routes!(mute_thread, unmute_thread))
        .routes(routes!(create_post))
        .routes(routes!(edit_post, delete_post))
        .routes(routes!(post_history))
        .routes(routes!(add_reaction, remove_reaction))
        .routes(routes!(forum_settings))
        .routes(routes!(get_filters, put_filters))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorView {
    /// The handle; absent for anonymous posts (unless the caller
    /// facilitates the group) and for deleted accounts.
    pub handle: Option<String>,
    /// Posted "as a member".
    pub anonymous: bool,
    /// The caller wrote it.
    pub mine: bool,
}

fn author_view(
    access: &Access,
    author_id: Option<i64>,
    handle: Option<&str>,
    anonymous: bool,
) -> AuthorView {
    let mine = author_id == Some(access.account_id);
    match service::author(access, author_id, handle, anonymous) {
        Author::Named(h) => AuthorView {
            handle: Some(h),
            anonymous: false,
            mine,
        },
        Author::Anonymous { revealed, mine } => AuthorView {
            handle: revealed,
            anonymous: true,
            mine,
        },
        Author::Former => AuthorView {
            handle: None,
            anonymous,
            mine: false,
        },
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadView {
    pub id: i64,
    pub title: String,
    pub author: AuthorView,
    pub pinned: bool,
    pub locked: bool,
    pub reply_count: i64,
    /// The opening post's content warning, if any.
    pub content_warning: Option<String>,
    /// The title contains one of the caller's filter words.
    pub filtered: bool,
    /// Waiting for a reviewer (listed for its author and reviewers only).
    pub held: bool,
    /// The caller muted it (in thread lists).
    pub muted: bool,
    /// Epoch milliseconds.
    pub last_post_at: i64,
    pub created_at: i64,
}

fn thread_view(access: &Access, filters: &Filters, t: &ThreadRow) -> ThreadView {
    ThreadView {
        id: t.id,
        title: t.title.clone(),
        author: author_view(access, t.author_id, t.author_handle.as_deref(), t.anonymous),
        pinned: t.pinned,
        locked: t.locked,
        reply_count: t.reply_count,
        content_warning: (!t.content_warning.is_empty()).then(|| t.content_warning.clone()),
        filtered: filters.matches(&t.title),
        held: t.held,
        muted: t.muted,
        last_post_at: t.last_post_at,
        created_at: t.created_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadList {
    /// Pinned threads (first page only).
    pub pinned: Vec<ThreadView>,
    pub threads: Vec<ThreadView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ThreadListParams {
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<(i64, i64)>, AppError> {
    match raw.filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(raw) => store::parse_cursor(raw)
            .map(Some)
            .ok_or(AppError::BadRequest("error-bad-cursor")),
    }
}

/// A group's threads: pinned first, then by latest activity.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/threads", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ThreadListParams),
    responses(
        (status = 200, description = "One page of threads", body = ThreadList),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn list_threads(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    Query(p): Query<ThreadListParams>,
) -> Result<Json<ThreadList>, AppError> {
    let cursor = parse_cursor(p.cursor.as_deref())?;
    let access = access::check(&state, &user, &slug).await?;
    let filters = service::filters(&state, user.account.id).await?;
    let list = service::thread_list(&state, &access, cursor).await?;
    Ok(Json(ThreadList {
        pinned: list
            .pinned
            .iter()
            .map(|t| thread_view(&access, &filters, t))
            .collect(),
        threads: list
            .rest
            .iter()
            .map(|t| thread_view(&access, &filters, t))
            .collect(),
        next_cursor: list.next,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewThreadRequest {
    #[schema(min_length = 3, max_length = 150)]
    pub title: String,
    /// Markdown.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// Hides the body behind a disclosure until opened.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub content_warning: String,
    /// Post "as a member", where the group allows it.
    #[serde(default)]
    pub anonymous: bool,
    /// Needed with a member's first post in a group with guidelines.
    #[serde(default)]
    pub accept_guidelines: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
    /// Present when the words suggest the writer may be in danger: crisis
    /// lines for their region, to show them now. Nothing was held back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crisis: Option<CrisisResponse>,
    /// Waiting for a reviewer: until approved, only the writer and the
    /// group's facilitators see it.
    pub held: bool,
}

impl Created {
    fn of(state: &AppState, ctx: &crate::web::Ctx, p: &service::Posted) -> Self {
        Created {
            id: p.id,
            crisis: p.crisis.map(|level| safety::response(state, ctx, level)),
            held: p.held,
        }
    }
}

/// The body of an edit that should show the writer crisis lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct Edited {
    pub crisis: CrisisResponse,
}

/// Open a thread in a group the caller belongs to.
#[utoipa::path(post, path = "/api/v1/groups/{slug}/threads", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = NewThreadRequest,
    responses(
        (status = 201, description = "The thread is open", body = Created),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "A field is invalid, or the guidelines are not accepted yet", body = ErrorBody),
    ))]
async fn create_thread(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewThreadRequest>,
) -> Result<Response, AppError> {
    let input = PostInput {
        title: body.title,
        body: body.body,
        content_warning: body.content_warning,
        anonymous: body.anonymous,
        accept_guidelines: body.accept_guidelines,
    };
    let posted = service::create_thread(&state, &user, &slug, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created::of(&state, &ctx, &posted)),
    )
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostView {
    pub id: i64,
    pub thread_id: i64,
    pub author: AuthorView,
    /// Markdown source; empty once deleted, and for readers of a hidden post.
    pub body: String,
    /// Hidden by a moderator (only its author and moderators read it).
    pub hidden: bool,
    /// Waiting for a reviewer (only its author and reviewers see it).
    pub held: bool,
    /// The body rendered safely.
    pub html: String,
    pub content_warning: Option<String>,
    /// The body contains one of the caller's filter words.
    pub filtered: bool,
    pub deleted: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// Count of each reaction given (`hug`, `me-too`, `thank-you`, `strength`).
    pub reactions: BTreeMap<String, i64>,
    /// The reactions the caller gave.
    pub my_reactions: Vec<service::Reaction>,
}

fn post_view(access: &Access, page: &service::ThreadPage, p: &PostRow, html: &str) -> PostView {
    // A post hidden by a moderator: its author and those who moderate
    // still read it; others get only that it was hidden.
    let hidden = p.hidden_by.is_some();
    let withheld = service::withheld(access, p);
    PostView {
        id: p.id,
        thread_id: p.thread_id,
        author: author_view(access, p.author_id, p.author_handle.as_deref(), p.anonymous),
        body: if withheld {
            String::new()
        } else {
            p.body.clone()
        },
        html: if withheld {
            String::new()
        } else {
            html.to_owned()
        },
        hidden,
        held: p.held_reason.is_some(),
        content_warning: (!p.content_warning.is_empty()).then(|| p.content_warning.clone()),
        filtered: page.filters.matches(&p.body),
        deleted: p.deleted_at.is_some(),
        created_at: p.created_at,
        edited_at: p.edited_at,
        reactions: REACTIONS
            .iter()
            .map(|k| {
                let n = page
                    .shared
                    .reactions
                    .iter()
                    .find(|c| c.post_id == p.id && c.kind == *k)
                    .map_or(0, |c| c.n);
                (k.as_str().to_owned(), n)
            })
            .collect(),
        my_reactions: page
            .mine
            .iter()
            .filter(|(post, _)| *post == p.id)
            .map(|(_, kind)| *kind)
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadDetail {
    pub thread: ThreadView,
    pub following: bool,
    pub posts: Vec<PostView>,
    /// Posts exist before this page (ask with `before=<first id>`).
    pub has_earlier: bool,
    /// Posts exist after this page (ask with `after=<last id>`).
    pub has_later: bool,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ThreadParams {
    /// Posts after this post id.
    after: Option<i64>,
    /// Posts before this post id.
    before: Option<i64>,
}

/// A thread and one page (up to 100) of its posts, oldest first.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/threads/{id}", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ThreadParams),
    responses(
        (status = 200, description = "The thread", body = ThreadDetail),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
    ))]
async fn get_thread(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    Query(p): Query<ThreadParams>,
) -> Result<Json<ThreadDetail>, AppError> {
    let (access, thread) = service::thread(&state, &user, &slug, id).await?;
    let page = service::read_thread(
        &state,
        &user,
        &thread,
        PostPage::from_query(p.after, p.before),
    )
    .await?;
    Ok(Json(ThreadDetail {
        following: page.following,
        posts: page
            .shared
            .posts
            .iter()
            .zip(&page.shared.html)
            .filter(|(p, _)| !service::unlisted(&access, p))
            .map(|(p, html)| post_view(&access, &page, p, html))
            .collect(),
        thread: thread_view(&access, &page.filters, &thread),
        has_earlier: page.shared.has_earlier,
        has_later: page.shared.has_later,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadUpdate {
    pub pinned: Option<bool>,
    pub locked: Option<bool>,
}

/// Pin or lock a thread (the group's facilitators and staff).
#[utoipa::path(patch, path = "/api/v1/groups/{slug}/threads/{id}", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = ThreadUpdate,
    responses(
        (status = 204, description = "Updated"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
    ))]
async fn update_thread(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<ThreadUpdate>,
) -> Result<StatusCode, AppError> {
    if body.pinned.is_none() && body.locked.is_none() {
        service::thread(&state, &user, &slug, id).await?;
    }
    if let Some(on) = body.pinned {
        service::set_flag(&state, &user, &slug, id, Flag::Pinned, Some(on)).await?;
    }
    if let Some(on) = body.locked {
        service::set_flag(&state, &user, &slug, id, Flag::Locked, Some(on)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Follow a thread: its replies become notifications.
#[utoipa::path(put, path = "/api/v1/groups/{slug}/threads/{id}/follow", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Following"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
    ))]
async fn follow_thread(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::follow(&state, &user, &slug, id, Some(true)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mute a thread, for the caller only: no notifications from it (and no
/// more following it), and it is folded away in lists.
#[utoipa::path(put, path = "/api/v1/groups/{slug}/threads/{id}/mute", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Muted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
    ))]
async fn mute_thread(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::mute(&state, &user, &slug, id, Some(true)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unmute a thread.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/threads/{id}/mute", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Not muted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
    ))]
async fn unmute_thread(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::mute(&state, &user, &slug, id, Some(false)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following a thread.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/threads/{id}/follow", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Not following"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
    ))]
async fn unfollow_thread(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::follow(&state, &user, &slug, id, Some(false)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPostRequest {
    /// Markdown.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub content_warning: String,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub accept_guidelines: bool,
}

/// Reply in a thread that is not locked.
#[utoipa::path(post, path = "/api/v1/groups/{slug}/threads/{id}/posts", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = NewPostRequest,
    responses(
        (status = 201, description = "Posted", body = Created),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
        (status = 422, description = "A field is invalid, the thread is locked, or the guidelines are not accepted yet", body = ErrorBody),
    ))]
async fn create_post(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<NewPostRequest>,
) -> Result<Response, AppError> {
    let input = PostInput {
        title: String::new(),
        body: body.body,
        content_warning: body.content_warning,
        anonymous: body.anonymous,
        accept_guidelines: body.accept_guidelines,
    };
    let posted = service::reply(&state, &user, &slug, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created::of(&state, &ctx, &posted)),
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditPostRequest {
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub content_warning: String,
}

/// Edit one's own post; the earlier text is kept in its history.
#[utoipa::path(patch, path = "/api/v1/groups/{slug}/posts/{id}", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = EditPostRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 200, description = "Saved; the words suggest the writer may be in danger: show them these crisis lines", body = Edited),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not the author", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn edit_post(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<EditPostRequest>,
) -> Result<Response, AppError> {
    let (_, _, crisis) =
        service::edit(&state, &user, &slug, id, &body.body, &body.content_warning).await?;
    Ok(match crisis {
        Some(level) => Json(Edited {
            crisis: safety::response(&state, &ctx, level),
        })
        .into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Delete a post (its author, the group's facilitators, staff). The thread
/// keeps its place, marked deleted. A post hidden by a moderator is kept
/// for its appeal: only its author deletes it, and not while an appeal is
/// open.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/posts/{id}", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "Hidden by a moderator, with an appeal open: kept until it is decided", body = ErrorBody),
    ))]
async fn delete_post(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::delete(&state, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    pub body: String,
    pub content_warning: Option<String>,
    /// When this version was replaced (epoch milliseconds).
    pub replaced_at: i64,
}

/// Earlier versions of a post, oldest first.
#[utoipa::path(get, path = "/api/v1/groups/{slug}/posts/{id}/history", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 200, description = "Earlier versions", body = Vec<RevisionView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
    ))]
async fn post_history(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<Vec<RevisionView>>, AppError> {
    let (access, post) = service::post(&state, &user, &slug, id).await?;
    if service::withheld(&access, &post) {
        return Err(AppError::NotFound);
    }
    Ok(Json(
        store::revisions(&state.db, post.id)
            .await?
            .into_iter()
            .map(|r| RevisionView {
                body: r.body,
                content_warning: (!r.content_warning.is_empty()).then_some(r.content_warning),
                replaced_at: r.replaced_at,
            })
            .collect(),
    ))
}

/// React to a post: `hug`, `me-too`, `thank-you` or `strength`.
#[utoipa::path(put, path = "/api/v1/groups/{slug}/posts/{id}/reactions/{kind}", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("kind" = String, Path)),
    responses(
        (status = 204, description = "Reacted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "Unknown reaction", body = ErrorBody),
    ))]
async fn add_reaction(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, kind)): Path<(String, i64, String)>,
) -> Result<StatusCode, AppError> {
    service::react(&state, &user, &slug, id, &kind, Some(true)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take back a reaction.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/posts/{id}/reactions/{kind}", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path), ("kind" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "Unknown reaction", body = ErrorBody),
    ))]
async fn remove_reaction(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id, kind)): Path<(String, i64, String)>,
) -> Result<StatusCode, AppError> {
    service::react(&state, &user, &slug, id, &kind, Some(false)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForumSettings {
    /// Members may post "as a member".
    pub allow_anonymous: bool,
    /// Each member's first post waits for a facilitator's approval; left
    /// as it is when absent.
    #[serde(default)]
    pub hold_first_posts: Option<bool>,
}

/// A group's forum settings (its facilitators and staff).
#[utoipa::path(put, path = "/api/v1/groups/{slug}/forum-settings", tag = "forum", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = ForumSettings,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
    ))]
async fn forum_settings(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ForumSettings>,
) -> Result<StatusCode, AppError> {
    service::set_forum_settings(
        &state,
        &user,
        &slug,
        service::ForumSettings {
            allow_anonymous: body.allow_anonymous,
            hold_first_posts: body.hold_first_posts,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FiltersView {
    /// Words and phrases; posts containing them are collapsed for the caller.
    #[schema(max_items = 100)]
    pub words: Vec<String>,
    /// Collapse every post with a content warning, author and all.
    pub collapse_warnings: bool,
}

/// The caller's personal filters.
#[utoipa::path(get, path = "/api/v1/me/filters", tag = "forum", security(("bearer" = [])),
    responses(
        (status = 200, description = "Filters", body = FiltersView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn get_filters(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<FiltersView>, AppError> {
    let f = service::filters(&state, user.account.id).await?;
    Ok(Json(FiltersView {
        words: f.words,
        collapse_warnings: f.collapse_warnings,
    }))
}

/// Replace the caller's personal filters.
#[utoipa::path(put, path = "/api/v1/me/filters", tag = "forum", security(("bearer" = [])),
    request_body = FiltersView,
    responses(
        (status = 200, description = "Saved, as stored", body = FiltersView),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Too many words, or one too long", body = ErrorBody),
    ))]
async fn put_filters(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<FiltersView>,
) -> Result<Json<FiltersView>, AppError> {
    if body.words.len() > service::MAX_FILTER_WORDS {
        return Err(AppError::Validation(vec![(
            "words",
            "error-filter-too-many",
        )]));
    }
    if body.words.iter().any(|w| w.contains([',', '\n'])) {
        return Err(AppError::Validation(vec![("words", "error-filter-word")]));
    }
    let f = service::save_filters(
        &state,
        &user,
        &body.words.join("\n"),
        body.collapse_warnings,
    )
    .await?;
    Ok(Json(FiltersView {
        words: f.words,
        collapse_warnings: f.collapse_warnings,
    }))
}
