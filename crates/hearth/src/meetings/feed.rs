//! Each member's private calendar feed: a secret address (made, remade and
//! ended on `/account/calendar`) that a calendar app reads the sessions of
//! the member's groups from, without logging in. Only a keyed hash of its
//! token is kept, so the address is shown once, when it is made; whoever
//! leaves a group stops seeing its sessions there at once.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;

use super::ics::{self, Event};
use super::store;
use crate::AppState;
use crate::db::now_ms;
use crate::web::extract::PageUser;
use crate::web::render::{NoticeQuery, Shell, html, notice_id};
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/calendar", get(page).post(make))
        .route("/account/calendar/off", post(end))
        .route("/calendar/{token}", get(feed))
}

fn token_hash(state: &AppState, token: &str) -> [u8; 32] {
    state.secret.mac("calendar-feed", &[token.as_bytes()])
}

#[derive(Template)]
#[template(path = "meetings/calendar.html")]
struct CalendarPage {
    s: Shell,
    /// When the member's feed was made, said, if they have one.
    made: Option<String>,
    /// The address, just made: shown this once.
    address: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    address: Option<String>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let made = store::feed_made_at(&state.db, user.account.id)
        .await?
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .map(|t| {
            ctx.tr().t_args(
                "calendar-made",
                &[("when", t.strftime("%Y-%m-%d").to_string())],
            )
        });
    html(&CalendarPage {
        s: Shell::new(state, ctx, ctx.tr().t("calendar-title")).with_notice(notice),
        made,
        address,
    })
}

async fn page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    render(&state, &ctx, &user, None, notice_id(q.notice.as_deref())).await
}

/// Makes the member a new address (the old one stops working) and shows it.
async fn make(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    let bytes: [u8; 32] = crate::secret::random_bytes().map_err(AppError::internal)?;
    let token = crate::secret::hex(&bytes);
    store::set_feed(
        &state.db,
        user.account.id,
        &token_hash(&state, &token),
        now_ms(),
    )
    .await?;
    let address = format!(
        "{}/calendar/{token}.ics",
        state.settings.public_url.trim_end_matches('/')
    );
    render(&state, &ctx, &user, Some(address), None).await
}

async fn end(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    store::end_feed(&state.db, user.account.id).await?;
    Ok(Redirect::to(&ctx.href("/account/calendar?notice=calendar-off")).into_response())
}

/// The feed: every session of the owner's groups, as one calendar.
async fn feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let Some(account) = store::feed_owner(&state.db, &token_hash(&state, token)).await? else {
        return Err(AppError::NotFound);
    };
    let meetings = store::of_member(&state.db, account).await?;
    let cancelled = store::cancellations_of_member(&state.db, account).await?;
    let base = state.settings.public_url.trim_end_matches('/').to_owned();
    let events: Vec<Event> = meetings
        .iter()
        .map(|(m, group, slug)| Event {
            meeting: m,
            cancelled: cancelled
                .iter()
                .filter(|(id, _)| *id == m.id)
                .map(|(_, d)| d.clone())
                .collect(),
            url: format!("{base}/groups/{slug}/sessions/{}", m.id),
            group,
        })
        .collect();
    let body = ics::calendar(
        &events,
        &ctx.tr().t("session-ics-name"),
        Timestamp::from_millisecond(now_ms()).unwrap_or_else(|_| Timestamp::now()),
    );
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response())
}
