//! A group's chat room as a page: recent history with earlier pages, and a
//! form that sends a message without JavaScript. Re-sending the same form
//! (a double click, a retry) stores the message once: the form carries a
//! client id made when the page was drawn.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::service::{self, Refused};
use super::store;
use crate::AppState;
use crate::db::now_ms;
use crate::secret::{hex, random_bytes};
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, Shell, html, html_with_status};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new().route("/groups/{slug}/chat", get(room_page).post(send))
}

const PAGE: i64 = 50;

pub struct Line {
    pub seq: i64,
    pub author: String,
    pub body: String,
    pub at_display: String,
    pub at_machine: String,
}

#[derive(Template)]
#[template(path = "live/room.html")]
struct RoomPage {
    s: Shell,
    group_name: String,
    group_href: String,
    messages: Vec<Line>,
    earlier: Option<String>,
    later: Option<String>,
    action: String,
    client_id: String,
    f: FormView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoomQuery {
    before: Option<i64>,
}

async fn view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    slug: &str,
    before: Option<i64>,
    f: FormView,
) -> Result<RoomPage, AppError> {
    let tr = ctx.tr();
    let access = crate::forum::service::access(state, user, slug).await?;
    let room = store::main_room(&state.db, access.group.id, now_ms()).await?;
    let before = before.unwrap_or(i64::MAX).min(room.last_seq + 1);
    let rows = store::messages_before(&state.db, room.id, before, PAGE).await?;
    let path = format!("/groups/{slug}/chat");
    let first = rows.first().map(|m| m.seq);
    let last = rows.last().map(|m| m.seq);
    Ok(RoomPage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args("chat-title", &[("group", access.group.name.clone())]),
        ),
        group_name: access.group.name.clone(),
        group_href: format!("/groups/{slug}"),
        earlier: first
            .filter(|s| *s > 1)
            .map(|s| format!("{path}?before={s}")),
        later: last.filter(|s| *s < room.last_seq).map(|_| path.clone()),
        messages: rows
            .into_iter()
            .map(|m| Line {
                seq: m.seq,
                author: m.author.unwrap_or_else(|| tr.t("forum-former-member")),
                body: m.body,
                at_display: time::display(m.created_at),
                at_machine: time::machine(m.created_at),
            })
            .collect(),
        action: path,
        client_id: hex(&random_bytes::<16>().map_err(AppError::internal)?),
        f,
    })
}

async fn room_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    Query(q): Query<RoomQuery>,
) -> Result<Response, AppError> {
    let f = FormView::new(ctx.tr());
    html(&view(&state, &ctx, &user, &slug, q.before, f).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SendForm {
    client_id: String,
    body: String,
}

async fn send(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<SendForm>,
) -> Result<Response, AppError> {
    let access = crate::forum::service::access(&state, &user, &slug).await?;
    let room = store::main_room(&state.db, access.group.id, now_ms()).await?;
    let field_error =
        match service::post(&state, &user, room.id, &form.client_id, &form.body, || true).await {
            Ok(stored) => {
                return Ok(Redirect::to(
                    &ctx.href(&format!("/groups/{slug}/chat#m{}", stored.seq)),
                )
                .into_response());
            }
            Err(Refused::Empty | Refused::TooLarge) => "error-chat-body",
            Err(Refused::ControlCharacters) => "error-text-control",
            Err(Refused::BadClientId) => return Err(AppError::BadRequest("error-bad-form")),
            Err(Refused::NotMember) => return Err(AppError::Forbidden),
            Err(Refused::NotFound) => return Err(AppError::NotFound),
            Err(Refused::Unavailable | Refused::RateLimited) => return Err(AppError::Unavailable),
        };
    let tr = ctx.tr();
    let f = FormView::new(tr)
        .with_errors(tr, &[("body", field_error)])
        .with_value("body", &form.body);
    html_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &view(&state, &ctx, &user, &slug, None, f).await?,
    )
}
