//! The notifications page: replies, mentions and decisions about the
//! member, newest first, and "mark all read". Without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::store;
use crate::AppState;
use crate::db::now_ms;
use crate::web::AppError;
use crate::web::extract::PageUser;
use crate::web::i18n::Tr;
use crate::web::render::{Shell, html, notice_id};
use crate::web::time;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications_page))
        .route("/notifications/read", post(mark_all_read))
}

pub struct NotificationView {
    pub text: String,
    pub href: String,
    pub unread: bool,
    pub when_display: String,
    pub when_machine: String,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct NotificationsPage {
    s: Shell,
    items: Vec<NotificationView>,
    any_unread: bool,
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NotificationsQuery {
    before: Option<i64>,
    notice: Option<String>,
}

pub fn describe(tr: Tr, n: &store::NotificationRow) -> (String, String) {
    let who = match (&n.actor_handle, n.actor_anonymous) {
        (Some(h), false) => h.clone(),
        (None, false) => tr.t("forum-former-member"),
        (_, true) => tr.t("forum-anonymous"),
    };
    let group = n.group_name.clone().unwrap_or_default();
    let slug = n.group_slug.clone().unwrap_or_default();
    let thread = n.thread_title.clone().unwrap_or_default();
    match n.kind.as_str() {
        "reply" | "mention" => (
            tr.t_args(
                if n.kind == "reply" {
                    "notification-reply"
                } else {
                    "notification-mention"
                },
                &[("handle", who), ("thread", thread)],
            ),
            n.post_id.map_or_else(
                || format!("/groups/{slug}"),
                |p| format!("/groups/{slug}/posts/{p}"),
            ),
        ),
        "request-approved" => (
            tr.t_args("notification-request-approved", &[("group", group)]),
            format!("/groups/{slug}"),
        ),
        _ => (
            tr.t_args("notification-request-declined", &[("group", group)]),
            format!("/groups/{slug}"),
        ),
    }
}

async fn notifications_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NotificationsQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let rows = store::list(&state.db, user.account.id, q.before.unwrap_or(i64::MAX), 50).await?;
    let older = (rows.len() == 50)
        .then(|| {
            rows.last()
                .map(|n| format!("/notifications?before={}", n.id))
        })
        .flatten();
    let items: Vec<NotificationView> = rows
        .iter()
        .map(|n| {
            let (text, href) = describe(tr, n);
            NotificationView {
                text,
                href,
                unread: n.read_at.is_none(),
                when_display: time::display(n.created_at),
                when_machine: time::machine(n.created_at),
            }
        })
        .collect();
    html(&NotificationsPage {
        s: Shell::new(&state, &ctx, tr.t("notifications-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        any_unread: ctx.badges.unread_notifications > 0,
        items,
        older,
    })
}

async fn mark_all_read(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    store::mark_read(&state.db, user.account.id, None, now_ms()).await?;
    Ok(Redirect::to(&ctx.href("/notifications?notice=notifications-read")).into_response())
}
