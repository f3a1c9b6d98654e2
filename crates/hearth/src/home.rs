//! The home page.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::web::render::{NoticeQuery, Shell, html, notice_id};
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
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
