//! The notifications page: replies, mentions and decisions about the
//! member, newest first, and "mark all read". Without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::store::{self, NotificationKind};
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
    /// The words of a decision (a welcome, a moderator's message).
    pub detail: Option<String>,
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
    let group_page = || {
        if slug.is_empty() {
            "/notifications".to_owned()
        } else {
            format!("/groups/{slug}")
        }
    };
    match n.kind {
        NotificationKind::Reply | NotificationKind::Mention => (
            tr.t_args(
                if n.kind == NotificationKind::Reply {
                    "notification-reply"
                } else {
                    "notification-mention"
                },
                &[("handle", who), ("thread", thread)],
            ),
            n.post_id
                .map_or_else(group_page, |p| format!("/groups/{slug}/posts/{p}")),
        ),
        NotificationKind::RequestApproved => (
            tr.t_args("notification-request-approved", &[("group", group)]),
            group_page(),
        ),
        NotificationKind::RequestDeclined => (
            tr.t_args("notification-request-declined", &[("group", group)]),
            group_page(),
        ),
        NotificationKind::ReportResolved => (
            if group.is_empty() {
                tr.t("notification-report-resolved-site")
            } else {
                tr.t_args("notification-report-resolved", &[("group", group)])
            },
            group_page(),
        ),
        NotificationKind::Action => (
            tr.t_args(
                &format!(
                    "notification-action-{}",
                    n.action_kind.as_deref().unwrap_or("warn")
                ),
                &[("group", group)],
            ),
            "/account/notices".to_owned(),
        ),
        NotificationKind::AppealDecided => (
            tr.t(if n.appeal_status.as_deref() == Some("overturned") {
                "notification-appeal-overturned"
            } else {
                "notification-appeal-upheld"
            }),
            "/account/notices".to_owned(),
        ),
        NotificationKind::SessionReminder
        | NotificationKind::SessionPlace
        | NotificationKind::SessionCancelled => (
            tr.t_args(
                &format!("notification-{}", n.kind.as_str()),
                &[
                    ("what", n.meeting_title.clone().unwrap_or_default()),
                    ("group", group),
                    ("when", n.occurrence.clone().unwrap_or_default()),
                ],
            ),
            match n.meeting_id {
                Some(id) if !slug.is_empty() => format!("/groups/{slug}/sessions/{id}"),
                _ => group_page(),
            },
        ),
    }
}

/// Up to `limit` unread notifications, newest first, as the list shows
/// them, and whether there are more.
pub async fn unread_views(
    state: &AppState,
    ctx: &crate::web::Ctx,
    account_id: i64,
    limit: usize,
) -> Result<(Vec<NotificationView>, bool), AppError> {
    let tr = ctx.tr();
    let rows = store::list_unread(&state.db, account_id, limit as i64 + 1).await?;
    let more = rows.len() > limit;
    let views = rows.iter().take(limit).map(|n| view(tr, n)).collect();
    Ok((views, more))
}

fn view(tr: Tr, n: &store::NotificationRow) -> NotificationView {
    let (text, href) = describe(tr, n);
    NotificationView {
        text,
        detail: n.detail.clone().filter(|d| !d.trim().is_empty()),
        href,
        unread: n.read_at.is_none(),
        when_display: time::display(n.created_at),
        when_machine: time::machine(n.created_at),
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
    let items: Vec<NotificationView> = rows.iter().map(|n| view(tr, n)).collect();
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
