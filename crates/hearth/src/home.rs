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
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    s: Shell,
    welcome: String,
}

async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let welcome = match &ctx.user {
        Some(u) => tr.t_args("home-welcome-back", &[("handle", u.account.handle.clone())]),
        None => String::new(),
    };
    html(&HomePage {
        s: Shell::new(&state, &ctx, tr.t("home-page-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        welcome,
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
