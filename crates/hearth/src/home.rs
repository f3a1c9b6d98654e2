//! Pages that gather several features: the home page, and a group's
//! page (the group itself, from `groups`, with its forum's part, from
//! `forum`), so that neither feature imports the other's pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use serde::Deserialize;

use crate::web::render::{FormView, NoticeQuery, Shell, html, notice_id};
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/groups/{slug}", get(group_page))
        .route(
            "/groups/{slug}/settings",
            get(group_settings).post(crate::groups::settings_pages::save),
        )
        .route(
            "/groups/{slug}/archive",
            axum::routing::post(crate::groups::settings_pages::archive),
        )
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    s: Shell,
}

/// One of the member's groups, with what is new in it for them.
struct MyGroup {
    name: String,
    href: String,
    chat_href: String,
    facilitates: bool,
    /// "2 new threads", if any.
    threads: Option<String>,
    /// "5 new messages", if any.
    messages: Option<String>,
}

/// A signed-in member's home: their groups and what is new in each, what
/// was said to them since they last looked, and help one click away.
/// Nothing counts days in a row or scrolls without end.
#[derive(Template)]
#[template(path = "member_home.html")]
struct MemberHome {
    s: Shell,
    welcome: String,
    groups: Vec<MyGroup>,
    /// The member's next live-session dates: (link, title and group, when,
    /// coming or waiting).
    sessions: Vec<(String, String, String, String)>,
    /// Unread notifications, newest first (a few).
    news: Vec<crate::notifications::pages::NotificationView>,
    more_news: bool,
}

/// Unread notifications shown on the home page; the rest are a click away.
const HOME_NEWS: usize = 5;
/// Live-session dates shown on the home page.
const HOME_SESSIONS: usize = 3;

async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let notice = notice_id(q.notice.as_deref());
    let Some(user) = &ctx.user else {
        return html(&HomePage {
            s: Shell::new(&state, &ctx, tr.t("home-page-title")).with_notice(notice),
        });
    };
    let account = user.account.id;
    let memberships = crate::groups::store::memberships(&state.db, account).await?;
    let threads = crate::forum::store::unread_threads(&state.db, account).await?;
    let messages = crate::live::store::unread_messages(&state.db, account, None).await?;
    let groups = memberships
        .into_iter()
        .map(|m| {
            let new_threads: i64 = threads
                .iter()
                .filter(|t| t.0 == m.group_id)
                .map(|t| t.1)
                .sum();
            let new_messages: i64 = messages
                .iter()
                .filter(|r| r.0 == m.group_id)
                .map(|r| r.2)
                .sum();
            MyGroup {
                href: format!("/groups/{}", m.slug),
                chat_href: format!("/groups/{}/chat", m.slug),
                name: m.name,
                facilitates: m.role == crate::groups::model::GroupRole::Facilitator,
                threads: (new_threads > 0)
                    .then(|| tr.t_args("home-new-threads", &[("count", new_threads)])),
                messages: (new_messages > 0).then(|| {
                    if new_messages >= crate::live::store::UNREAD_MANY {
                        tr.t("home-new-messages-many")
                    } else {
                        tr.t_args("home-new-messages", &[("count", new_messages)])
                    }
                }),
            }
        })
        .collect();
    let (news, more_news) =
        crate::notifications::pages::unread_views(&state, &ctx, account, HOME_NEWS).await?;
    let sessions = crate::meetings::service::my_coming(&state, account, HOME_SESSIONS)
        .await?
        .into_iter()
        .map(|d| {
            let zone = crate::meetings::service::viewer_zone(user, &d.meeting);
            (
                format!("/groups/{}/sessions/{}", d.slug, d.meeting.id),
                tr.t_args(
                    "home-session",
                    &[("what", d.meeting.title.clone()), ("group", d.group)],
                ),
                crate::meetings::pages::when(tr, &d.occurrence, &zone),
                tr.t(match d.status {
                    crate::meetings::store::Rsvp::Going => "session-you-are-going",
                    crate::meetings::store::Rsvp::Waiting => "home-session-waiting",
                }),
            )
        })
        .collect();
    html(&MemberHome {
        s: Shell::new(&state, &ctx, tr.t("home-member-title")).with_notice(notice),
        welcome: tr.t_args(
            "home-welcome-back",
            &[("handle", user.account.handle.clone())],
        ),
        groups,
        sessions,
        news,
        more_news,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupQuery {
    notice: Option<String>,
    /// Where the thread list continues (`<last activity>.<id>`).
    threads: Option<String>,
}

/// A group's page: who it is for, joining, its guidelines and, for its
/// members and staff, its forum.
async fn group_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<GroupQuery>,
) -> Result<Response, AppError> {
    let group = crate::groups::service::visible_group(&state, &slug, ctx.user.as_ref()).await?;
    let f = FormView::new(ctx.tr());
    let notice = notice_id(q.notice.as_deref());
    let mut page = crate::groups::pages::group_view(&state, &ctx, group, f, notice).await?;
    if let Some(user) = &ctx.user {
        page.forum = crate::forum::pages::section_html(
            &state,
            &ctx,
            user,
            &page.group,
            page.member_role,
            q.threads.as_deref(),
        )
        .await?;
    }
    html(&page)
}

/// A group's settings page: the group's own (from `groups`) and its
/// forum's (from `forum`), for its facilitators and staff.
async fn group_settings(
    State(state): State<AppState>,
    crate::web::extract::PageUser(user, ctx): crate::web::extract::PageUser,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let (mut page, group, role) =
        crate::groups::settings_pages::view(&state, &ctx, &user, &slug, None).await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    page.forum_settings =
        crate::forum::pages::settings_html(&state, &ctx, &user, &group, role).await?;
    html(&page)
}
