//! Forum pages: a group's thread list (on the group page), a thread with its
//! replies, reactions and reply form, new-thread, edit and history pages,
//! notifications, and personal filters. Every action is a plain form post
//! that works without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::markdown;
use super::service::{self, Author, Filters, Fold, PostInput, REACTIONS};
use super::store::{self, Flag, PostPage, ThreadRow};
use crate::AppState;
use crate::accounts::drafts;
use crate::groups::access::{self, Access};
use crate::safety::{self, CrisisResponse};
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::Tr;
use crate::web::render::{FormView, Shell, html, html_with_status, notice_id};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{slug}/threads/new", get(new_thread_page))
        .route("/groups/{slug}/threads", post(create_thread))
        .route("/groups/{slug}/threads/{id}", get(thread_page))
        .route("/groups/{slug}/threads/{id}/replies", post(reply))
        .route("/groups/{slug}/threads/{id}/pin", post(pin))
        .route("/groups/{slug}/threads/{id}/lock", post(lock))
        .route("/groups/{slug}/threads/{id}/follow", post(follow))
        .route("/groups/{slug}/threads/{id}/mute", post(mute))
        .route("/groups/{slug}/posts/{id}", get(goto_post))
        .merge(super::post_pages::router())
        .route("/groups/{slug}/posts/{id}/react", post(react))
        .merge(super::settings_pages::router())
}

fn group_path(slug: &str, rest: &str) -> String {
    format!("/groups/{slug}/{rest}")
}

fn author_label(tr: Tr, a: &Author) -> (String, Option<String>) {
    match a {
        Author::Named(h) => (h.clone(), None),
        Author::Former => (tr.t("forum-former-member"), None),
        Author::Anonymous { revealed, mine } => {
            let note = match (revealed, mine) {
                (_, true) => Some(tr.t("forum-anonymous-you")),
                (Some(h), false) => {
                    Some(tr.t_args("forum-anonymous-revealed", &[("handle", h.clone())]))
                }
                (None, false) => None,
            };
            (tr.t("forum-anonymous"), note)
        }
    }
}

/// A thread in a list.
pub struct ThreadItem {
    pub href: String,
    pub title: String,
    /// The opening post's warning hides the title for members who asked.
    pub hidden_title: Option<String>,
    pub author: String,
    pub pinned: bool,
    pub locked: bool,
    /// Waiting for review (listed for its author and reviewers only).
    pub held: bool,
    /// Holds posts the viewer has not read.
    pub unread: bool,
    pub replies: String,
    pub last_display: String,
    pub last_machine: String,
    pub warning: Option<String>,
}

fn thread_item(
    tr: Tr,
    access: &Access,
    filters: &Filters,
    slug: &str,
    t: &ThreadRow,
) -> ThreadItem {
    let (author, _) = author_label(
        tr,
        &service::author(access, t.author_id, t.author_handle.as_deref(), t.anonymous),
    );
    let warning = (!t.content_warning.is_empty()).then(|| t.content_warning.clone());
    let hidden_title = hidden_title(tr, filters, t);
    ThreadItem {
        href: group_path(slug, &format!("threads/{}", t.id)),
        title: t.title.clone(),
        hidden_title,
        author,
        pinned: t.pinned,
        locked: t.locked,
        held: t.held,
        unread: t.unread,
        replies: tr.t_args("forum-replies", &[("count", t.reply_count)]),
        last_display: time::display(t.last_post_at),
        last_machine: time::machine(t.last_post_at),
        warning,
    }
}

/// What a thread's title shows as for a member whose filters hide it (its
/// opening post's warning, when they fold every warned post, or one of
/// their own words in it): the title stays out of lists, headings and the
/// browser's tab until they choose to see it.
fn hidden_title(tr: Tr, filters: &Filters, t: &ThreadRow) -> Option<String> {
    match (t.content_warning.is_empty(), filters.collapse_warnings) {
        (false, true) => Some(tr.t_args(
            "forum-warning-title",
            &[("warning", t.content_warning.clone())],
        )),
        _ if filters.matches(&t.title) => Some(tr.t("forum-filtered-title")),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "forum/settings_form.html")]
struct SettingsFormHtml<'a> {
    s: &'a Shell,
    fs: &'a ForumSection,
}

/// The forum's settings form, for the group's settings page (its
/// facilitators and staff only).
pub async fn settings_html(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    group: &crate::groups::store::GroupRow,
    role: Option<crate::groups::model::GroupRole>,
) -> Result<Option<String>, AppError> {
    let Some(access) = access::with_role(group.clone(), user, role) else {
        return Ok(None);
    };
    if !access.facilitates {
        return Ok(None);
    }
    let filters = Filters::default();
    let fs = build_section(
        ctx.tr(),
        &access,
        &filters,
        service::ThreadListPage::default(),
    );
    let s = Shell::new(state, ctx, String::new());
    SettingsFormHtml { s: &s, fs: &fs }
        .render()
        .map(Some)
        .map_err(|e| AppError::internal(format!("forum settings: {e}")))
}

/// The forum part of a group page.
pub struct ForumSection {
    pub pinned: Vec<ThreadItem>,
    pub threads: Vec<ThreadItem>,
    /// Threads on this page the viewer muted.
    pub muted: Vec<ThreadItem>,
    pub muted_summary: String,
    pub older: Option<String>,
    pub new_thread: String,
    pub can_post: bool,
    pub facilitates: bool,
    pub allow_anonymous: bool,
    pub hold_first_posts: bool,
    pub settings_action: String,
    /// The group's settings page (where the forum's settings are too).
    pub group_settings: String,
    /// The group's chat room page.
    pub chat: String,
    pub sessions: String,
    /// Who writes how much in the group (for its facilitators).
    pub dynamics: String,
}

#[derive(Template)]
#[template(path = "forum/section.html")]
struct SectionHtml<'a> {
    s: &'a Shell,
    fs: &'a ForumSection,
}

/// The forum's part of a group's page, as HTML: the thread list (and the
/// group's forum settings for those who moderate it), when the viewer may
/// read the forum (`role` is theirs in `group`, already read).
pub async fn section_html(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    group: &crate::groups::store::GroupRow,
    role: Option<crate::groups::model::GroupRole>,
    cursor: Option<&str>,
) -> Result<Option<String>, AppError> {
    let Some(access) = access::with_role(group.clone(), user, role) else {
        return Ok(None);
    };
    let filters = service::filters(state, user.account.id).await?;
    let list = service::thread_list(state, &access, cursor.and_then(store::parse_cursor)).await?;
    let fs = build_section(ctx.tr(), &access, &filters, list);
    let s = Shell::new(state, ctx, String::new());
    SectionHtml { s: &s, fs: &fs }
        .render()
        .map(Some)
        .map_err(|e| AppError::internal(format!("forum section: {e}")))
}

fn build_section(
    tr: Tr,
    access: &Access,
    filters: &Filters,
    list: service::ThreadListPage,
) -> ForumSection {
    let slug = &access.group.slug;
    let older = list
        .next
        .map(|c| format!("/groups/{slug}?threads={c}#forum"));
    let (pinned, rest) = (list.pinned, list.rest);
    let muted_count = pinned.iter().chain(&rest).filter(|t| t.muted).count();
    ForumSection {
        muted_summary: tr.t_args(
            "forum-muted-threads",
            &[("count", i64::try_from(muted_count).unwrap_or(i64::MAX))],
        ),
        // Threads the member muted are folded away at the end.
        pinned: pinned
            .iter()
            .filter(|t| !t.muted)
            .map(|t| thread_item(tr, access, filters, slug, t))
            .collect(),
        threads: rest
            .iter()
            .filter(|t| !t.muted)
            .map(|t| thread_item(tr, access, filters, slug, t))
            .collect(),
        muted: pinned
            .iter()
            .chain(&rest)
            .filter(|t| t.muted)
            .map(|t| thread_item(tr, access, filters, slug, t))
            .collect(),
        older,
        new_thread: group_path(slug, "threads/new"),
        can_post: access.group.open_for_writing(),
        facilitates: access.facilitates,
        allow_anonymous: access.group.allow_anonymous,
        hold_first_posts: access.group.hold_first_posts,
        settings_action: group_path(slug, "forum-settings"),
        group_settings: format!("/groups/{slug}/settings"),
        chat: group_path(slug, "chat"),
        sessions: group_path(slug, "sessions"),
        dynamics: group_path(slug, "dynamics"),
    }
}

pub struct ReactionView {
    pub kind: &'static str,
    pub label: String,
    pub count: i64,
    pub mine: bool,
}

pub struct PostView {
    pub id: i64,
    pub author: String,
    pub author_note: Option<String>,
    pub created_display: String,
    pub created_machine: String,
    pub edited: bool,
    pub deleted: bool,
    /// The disclosure's summary when the body is folded away.
    pub fold: Option<String>,
    /// Collapse the whole post, not only its body (the member's setting).
    pub fold_all: bool,
    pub html: String,
    pub reactions: Vec<ReactionView>,
    pub can_edit: bool,
    pub can_delete: bool,
    /// Hidden by a moderator: others see only that; the author and those
    /// who moderate see the words, marked.
    pub hidden: bool,
    pub hidden_shown: bool,
    /// Waiting for a reviewer (shown to its author and reviewers only).
    pub held: bool,
    pub can_report: bool,
    /// Where to block the author (not for anonymous posts or one's own).
    pub block_href: Option<String>,
}

#[derive(Template)]
#[template(path = "forum/thread.html")]
struct ThreadPage {
    s: Shell,
    group_name: String,
    group_href: String,
    at: Paths,
    pinned: bool,
    locked: bool,
    following: bool,
    muted: bool,
    facilitates: bool,
    posts: Vec<PostView>,
    earlier: Option<String>,
    later: Option<String>,
    first_page: Option<String>,
    f: FormView,
    compose: Compose,
    crisis: Option<CrisisResponse>,
    /// The real title, when the viewer's filters hide it (the heading and
    /// the tab show what hid it; this opens on request).
    hidden_title: Option<String>,
}

/// Where a thread page's forms and links lead.
pub struct Paths {
    slug: String,
    thread_id: i64,
}

impl Paths {
    pub fn thread(&self, action: &str) -> String {
        format!("/groups/{}/threads/{}/{action}", self.slug, self.thread_id)
    }

    pub fn post(&self, id: &i64, action: &str) -> String {
        format!("/groups/{}/posts/{id}/{action}", self.slug)
    }

    pub fn report(&self, id: &i64) -> String {
        format!("/groups/{}/report?post={id}", self.slug)
    }

    pub fn quote(&self, id: &i64) -> String {
        format!(
            "/groups/{}/threads/{}?quote={id}",
            self.slug, self.thread_id
        )
    }
}

/// The reply or new-thread form.
pub struct Compose {
    pub action: String,
    /// The page the form is on: where its words return if the session
    /// ends before they are sent (`accounts::drafts`).
    pub back: String,
    pub allow_anonymous: bool,
    /// The guidelines to accept with this first post, if still needed.
    pub guidelines: Option<Vec<String>>,
    pub closed: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThreadQuery {
    after: Option<i64>,
    before: Option<i64>,
    quote: Option<i64>,
    notice: Option<String>,
    /// Show the crisis lines (after the writer's own risky post).
    crisis: Option<String>,
}

fn guideline_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn compose(
    state: &AppState,
    access: &Access,
    action: String,
    back: String,
    closed: bool,
) -> Result<Compose, AppError> {
    let guidelines = service::must_accept_guidelines(state, access)
        .await?
        .then(|| guideline_lines(&access.group.guidelines));
    Ok(Compose {
        action,
        back,
        allow_anonymous: access.group.allow_anonymous,
        guidelines,
        closed,
    })
}

#[allow(clippy::too_many_arguments)]
async fn thread_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    access: Access,
    thread: ThreadRow,
    page: PostPage,
    f: FormView,
    notice: Option<&str>,
) -> Result<ThreadPage, AppError> {
    let tr = ctx.tr();
    let slug = access.group.slug.clone();
    let service::ThreadPage {
        shared,
        mine,
        following,
        muted,
        filters,
        marked_read,
    } = service::read_thread(state, user, &thread, page).await?;
    let (rows, has_before, has_after) = (&shared.posts, shared.has_earlier, shared.has_later);
    let labels: Vec<String> = REACTIONS
        .iter()
        .map(|k| tr.t(&format!("reaction-{}", k.as_str())))
        .collect();
    let thread_path = group_path(&slug, &format!("threads/{}", thread.id));
    let blocked = crate::moderation::blocks::blocked_ids(&state.db, user.account.id).await?;
    let posts = rows
        .iter()
        .zip(&shared.html)
        .filter(|(p, _)| !service::unlisted(&access, p))
        .map(|(p, html)| {
            let (author, author_note) = author_label(
                tr,
                &service::author(
                    &access,
                    p.author_id,
                    p.author_handle.as_deref(),
                    p.anonymous,
                ),
            );
            let texts: Vec<&str> = if p.id == rows[0].id && !has_before {
                vec![p.body.as_str(), thread.title.as_str()]
            } else {
                vec![p.body.as_str()]
            };
            let fold = service::fold(&filters, &p.content_warning, &texts).map(|f| match f {
                Fold::Warning(w) => tr.t_args("forum-warning-summary", &[("warning", w)]),
                Fold::Filtered => tr.t("forum-filtered-summary"),
            });
            // Someone the viewer blocked: collapsed (never for anonymous
            // posts, where folding would say who wrote them).
            let blocked_author = !p.anonymous
                && p.author_id.is_some_and(|a| blocked.contains(&a))
                && p.deleted_at.is_none();
            let fold = if blocked_author {
                Some(tr.t_args(
                    "forum-blocked-summary",
                    &[("handle", p.author_handle.clone().unwrap_or_default())],
                ))
            } else {
                fold
            };
            let deleted = p.deleted_at.is_some();
            let hidden = p.hidden_by.is_some() && !deleted;
            let hidden_shown =
                hidden && (access.facilitates || p.author_id == Some(user.account.id));
            let withheld = hidden && !hidden_shown;
            let held = p.held_reason.is_some() && !deleted;
            PostView {
                id: p.id,
                author,
                author_note,
                created_display: time::display(p.created_at),
                created_machine: time::machine(p.created_at),
                edited: p.edited_at.is_some(),
                deleted,
                fold_all: filters.collapse_warnings && !p.content_warning.is_empty(),
                fold: if deleted || withheld { None } else { fold },
                html: if deleted || withheld {
                    String::new()
                } else {
                    html.clone()
                },
                hidden,
                hidden_shown,
                held,
                can_report: !deleted && p.author_id != Some(user.account.id),
                block_href: (!p.anonymous
                    && p.author_id != Some(user.account.id)
                    && !blocked_author)
                    .then(|| {
                        p.author_handle
                            .as_ref()
                            .map(|h| format!("/account/blocks?handle={h}"))
                    })
                    .flatten(),
                reactions: REACTIONS
                    .iter()
                    .zip(&labels)
                    .map(|(k, label)| ReactionView {
                        kind: k.as_str(),
                        label: label.clone(),
                        count: shared
                            .reactions
                            .iter()
                            .find(|c| c.post_id == p.id && c.kind == *k)
                            .map_or(0, |c| c.n),
                        mine: mine.iter().any(|(post, kind)| *post == p.id && kind == k),
                    })
                    .collect(),
                can_edit: service::can_edit(&access, p),
                can_delete: service::can_delete(&access, p),
            }
        })
        .collect();
    let compose = compose(
        state,
        &access,
        format!("{thread_path}/replies"),
        thread_path.clone(),
        thread.locked,
    )
    .await?;
    let shown_title = hidden_title(tr, &filters, &thread);
    let mut s = Shell::new(
        state,
        ctx,
        shown_title.clone().unwrap_or_else(|| thread.title.clone()),
    )
    .with_notice(notice);
    if marked_read > 0 {
        // The header counts what is still unread after this page.
        let left = (ctx.badges.unread_notifications - marked_read).max(0);
        s.notifications = Some(tr.t_args("nav-notifications", &[("count", left)]));
    }
    Ok(ThreadPage {
        s,
        group_name: access.group.name.clone(),
        group_href: format!("/groups/{slug}#forum"),
        earlier: has_before
            .then(|| {
                rows.first()
                    .map(|p| format!("{thread_path}?before={}", p.id))
            })
            .flatten(),
        later: has_after
            .then(|| rows.last().map(|p| format!("{thread_path}?after={}", p.id)))
            .flatten(),
        first_page: has_before.then(|| thread_path.clone()),
        at: Paths {
            slug,
            thread_id: thread.id,
        },
        pinned: thread.pinned,
        locked: thread.locked,
        following,
        muted,
        facilitates: access.facilitates,
        posts,
        f,
        compose,
        crisis: None,
        hidden_title: shown_title.map(|_| thread.title.clone()),
    })
}

async fn thread_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ThreadQuery>,
) -> Result<Response, AppError> {
    let (access, thread) = service::thread(&state, &user, &slug, id).await?;
    let (mut f, restored) =
        drafts::restore(&state, &user, &ctx.path, FormView::new(ctx.tr())).await?;
    if !restored
        && let Some(quoted) = q.quote
        && let Some(p) = store::post(&state.db, quoted).await?
        && p.thread_id == thread.id
        && p.deleted_at.is_none()
        && !service::withheld(&access, &p)
    {
        let (who, _) = author_label(
            ctx.tr(),
            &service::author(
                &access,
                p.author_id,
                p.author_handle.as_deref(),
                p.anonymous,
            ),
        );
        f = f.with_value("body", &markdown::quote(&who, &p.body));
        // A quoted post's warning goes with its words into the reply.
        if !p.content_warning.is_empty() {
            f = f.with_value("content_warning", &p.content_warning);
        }
    }
    let mut page = thread_view(
        &state,
        &ctx,
        &user,
        access,
        thread,
        PostPage::from_query(q.after, q.before),
        f,
        notice_id(q.notice.as_deref()),
    )
    .await?;
    if q.crisis.is_some() {
        page.crisis = Some(safety::response(&state, &ctx, crisis::Level::Ideation));
    }
    html(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PostForm {
    title: String,
    pub(super) body: String,
    pub(super) content_warning: String,
    anonymous: Option<String>,
    accept_guidelines: Option<String>,
}

impl PostForm {
    fn input(&self) -> PostInput {
        PostInput {
            title: self.title.clone(),
            body: self.body.clone(),
            content_warning: self.content_warning.clone(),
            anonymous: self.anonymous.is_some(),
            accept_guidelines: self.accept_guidelines.is_some(),
        }
    }

    pub(super) fn view(
        &self,
        state: &AppState,
        tr: Tr,
        errors: &[(&'static str, &'static str)],
    ) -> FormView {
        let mut f = FormView::new(tr)
            .with_site_errors(state, tr, errors)
            .with_value("title", &self.title)
            .with_value("body", &self.body)
            .with_value("content_warning", &self.content_warning);
        if self.anonymous.is_some() {
            f = f.with_value("anonymous", "on");
        }
        f
    }
}

async fn reply(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<PostForm>,
) -> Result<Response, AppError> {
    match service::reply(&state, &user, &slug, id, &form.input()).await {
        Ok(p) if p.crisis.is_some() => Ok(to_crisis_panel(&ctx, &p.access, id)),
        Ok(p) if p.held => to_post(&state, &ctx, &p.access, id, p.id, Some("post-held")).await,
        Ok(p) => to_post(&state, &ctx, &p.access, id, p.id, None).await,
        Err(AppError::Validation(errors)) => {
            let (access, thread) = service::thread(&state, &user, &slug, id).await?;
            let f = form.view(&state, ctx.tr(), &errors);
            let page = thread_view(
                &state,
                &ctx,
                &user,
                access,
                thread,
                PostPage::First,
                f,
                None,
            )
            .await?;
            html_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

async fn goto_post(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, post) = service::post(&state, &user, &slug, id).await?;
    to_post(&state, &ctx, &access, post.thread_id, id, None).await
}

#[derive(Template)]
#[template(path = "forum/new_thread.html")]
struct NewThreadPage {
    s: Shell,
    group_name: String,
    group_href: String,
    f: FormView,
    compose: Compose,
}

async fn new_thread_view(
    state: &AppState,
    ctx: &Ctx,
    access: &Access,
    f: FormView,
) -> Result<NewThreadPage, AppError> {
    let tr = ctx.tr();
    Ok(NewThreadPage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args(
                "forum-new-thread-title",
                &[("group", access.group.name.clone())],
            ),
        ),
        group_name: access.group.name.clone(),
        group_href: format!("/groups/{}", access.group.slug),
        f,
        compose: compose(
            state,
            access,
            format!("/groups/{}/threads", access.group.slug),
            format!("/groups/{}/threads/new", access.group.slug),
            !access.group.open_for_writing(),
        )
        .await?,
    })
}

async fn new_thread_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let access = access::check(&state, &user, &slug).await?;
    let (f, _) = drafts::restore(&state, &user, &ctx.path, FormView::new(ctx.tr())).await?;
    html(&new_thread_view(&state, &ctx, &access, f).await?)
}

async fn create_thread(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<PostForm>,
) -> Result<Response, AppError> {
    match service::create_thread(&state, &user, &slug, &form.input()).await {
        Ok(p) if p.crisis.is_some() => Ok(to_crisis_panel(&ctx, &p.access, p.id)),
        Ok(p) => Ok(Redirect::to(&ctx.href(&format!(
            "/groups/{}/threads/{}?notice={}",
            p.access.group.slug,
            p.id,
            if p.held { "post-held" } else { "thread-posted" }
        )))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let access = access::check(&state, &user, &slug).await?;
            let f = form.view(&state, ctx.tr(), &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_thread_view(&state, &ctx, &access, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}

/// The thread's page that holds this post, with the posts before and
/// after it on that page, scrolled to it.
pub(super) async fn to_post(
    state: &AppState,
    ctx: &Ctx,
    access: &Access,
    thread_id: i64,
    post_id: i64,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let page = store::page_of(&state.db, thread_id, post_id, service::POSTS_PER_PAGE).await?;
    let query = [
        page.map(|after| format!("after={after}")),
        notice.map(|n| format!("notice={n}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("&");
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/threads/{thread_id}{query}#post-{post_id}",
        access.group.slug
    )))
    .into_response())
}

/// After posting words that suggest the writer may be in danger: the
/// thread's latest page, opening on the crisis lines for their region.
/// The post is up like any other.
pub(crate) fn to_crisis_panel(ctx: &Ctx, access: &Access, thread_id: i64) -> Response {
    Redirect::to(&ctx.href(&format!(
        "/groups/{}/threads/{thread_id}?crisis=1#crisis-panel",
        access.group.slug
    )))
    .into_response()
}

fn back_to_thread(ctx: &Ctx, access: &Access, thread_id: i64, notice: &str) -> Response {
    Redirect::to(&ctx.href(&format!(
        "/groups/{}/threads/{thread_id}?notice={notice}",
        access.group.slug
    )))
    .into_response()
}

async fn pin(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, t) = service::set_flag(&state, &user, &slug, id, Flag::Pinned, None).await?;
    let notice = if t.pinned { "unpinned" } else { "pinned" };
    Ok(back_to_thread(&ctx, &access, id, notice))
}

async fn lock(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, t) = service::set_flag(&state, &user, &slug, id, Flag::Locked, None).await?;
    let notice = if t.locked { "unlocked" } else { "locked" };
    Ok(back_to_thread(&ctx, &access, id, notice))
}

async fn mute(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, on) = service::mute(&state, &user, &slug, id, None).await?;
    let notice = if on { "muted" } else { "unmuted" };
    Ok(back_to_thread(&ctx, &access, id, notice))
}

async fn follow(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, _, on) = service::follow(&state, &user, &slug, id, None).await?;
    let notice = if on { "following" } else { "unfollowed" };
    Ok(back_to_thread(&ctx, &access, id, notice))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReactForm {
    kind: String,
}

async fn react(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<ReactForm>,
) -> Result<Response, AppError> {
    let (access, post) = service::react(&state, &user, &slug, id, &form.kind, None).await?;
    to_post(&state, &ctx, &access, post.thread_id, id, None).await
}
