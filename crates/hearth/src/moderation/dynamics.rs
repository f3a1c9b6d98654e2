//! Group dynamics: who is carrying the conversation and who has gone
//! quiet, per group over the last 7 or 30 days, so facilitators can balance
//! voices. Counts forum posts and chat messages; visible to the group's
//! facilitators and to staff only, never to members.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::now_ms;
use crate::on_db;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiUser, PageUser};
use crate::web::render::{Shell, html};
use crate::web::{AppError, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new().route("/groups/{slug}/dynamics", get(page))
}

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dynamics_api))
}

/// A member whose share is at least this many times an equal share
/// "carries much of the conversation".
const DOMINANT_FACTOR: f64 = 2.0;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Voice {
    pub handle: String,
    pub posts: i64,
    pub messages: i64,
    /// Share of everything written in the group in the window, 0 to 1.
    pub share: f64,
    /// Writes at least twice an equal share.
    pub dominant: bool,
    /// Wrote nothing in the window.
    pub quiet: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dynamics {
    pub days: i64,
    pub members: i64,
    /// Posts and messages written in the window by current members.
    pub total: i64,
    /// Most active first; the quiet ones last.
    pub voices: Vec<Voice>,
}

async fn compute(state: &AppState, group_id: i64, days: i64) -> Result<Dynamics, sqlx::Error> {
    let since = now_ms() - days * 86_400_000;
    let rows: Vec<(String, i64, i64)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT a.handle, \
             (SELECT COUNT(*) FROM posts p JOIN threads t ON t.id = p.thread_id \
              WHERE t.group_id = gm.group_id AND p.author_id = gm.account_id \
              AND p.created_at >= $2 AND p.deleted_at IS NULL) AS posts, \
             (SELECT COUNT(*) FROM messages m JOIN rooms r ON r.id = m.room_id \
              WHERE r.group_id = gm.group_id AND m.author_id = gm.account_id \
              AND m.kind = 'message' AND m.created_at >= $2 AND m.deleted_at IS NULL) AS messages \
             FROM group_members gm JOIN accounts a ON a.id = gm.account_id \
             WHERE gm.group_id = $1",
        )
        .bind(group_id)
        .bind(since)
        .fetch_all(pool)
        .await
    })?;
    let members = rows.len() as i64;
    let total: i64 = rows.iter().map(|(_, p, m)| p + m).sum();
    let fair = if members > 0 {
        1.0 / members as f64
    } else {
        0.0
    };
    let mut voices: Vec<Voice> = rows
        .into_iter()
        .map(|(handle, posts, messages)| {
            let n = posts + messages;
            let share = if total > 0 {
                n as f64 / total as f64
            } else {
                0.0
            };
            Voice {
                handle,
                posts,
                messages,
                share,
                dominant: members > 2 && total > 0 && share >= DOMINANT_FACTOR * fair,
                quiet: n == 0,
            }
        })
        .collect();
    voices.sort_by(|a, b| {
        (b.posts + b.messages)
            .cmp(&(a.posts + a.messages))
            .then_with(|| a.handle.cmp(&b.handle))
    });
    Ok(Dynamics {
        days,
        members,
        total,
        voices,
    })
}

/// The group, if `user` facilitates it or is staff.
async fn facilitated_group(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
) -> Result<crate::groups::store::GroupRow, AppError> {
    let access = crate::groups::access::check(state, user, slug).await?;
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    Ok(access.group)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct WindowQuery {
    /// 7 or 30 (the default is 7).
    days: Option<i64>,
}

fn window(q: &WindowQuery) -> Result<i64, AppError> {
    match q.days.unwrap_or(7) {
        d @ (7 | 30) => Ok(d),
        _ => Err(AppError::BadRequest("error-bad-form")),
    }
}

/// Who writes how much in a group (its facilitators and staff only).
#[utoipa::path(get, path = "/api/v1/groups/{slug}/dynamics", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path), WindowQuery),
    responses(
        (status = 200, description = "Each member's share of posts and messages", body = Dynamics),
        (status = 400, description = "days is not 7 or 30", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
    ))]
async fn dynamics_api(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    Query(q): Query<WindowQuery>,
) -> Result<Json<Dynamics>, AppError> {
    let days = window(&q)?;
    let group = facilitated_group(&state, &user, &slug).await?;
    Ok(Json(compute(&state, group.id, days).await?))
}

pub struct VoiceLine {
    pub handle: String,
    pub posts: i64,
    pub messages: i64,
    pub percent: String,
    /// Width of the bar, 0 to 100.
    pub bar: i64,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "safety/dynamics.html")]
struct DynamicsPage {
    s: Shell,
    group_name: String,
    group_href: String,
    other_href: String,
    other_label: String,
    summary: String,
    voices: Vec<VoiceLine>,
}

async fn page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let days = window(&q)?;
    let group = facilitated_group(&state, &user, &slug).await?;
    let d = compute(&state, group.id, days).await?;
    let tr = ctx.tr();
    let other = if days == 7 { 30 } else { 7 };
    html(&DynamicsPage {
        s: Shell::new(
            &state,
            &ctx,
            tr.t_args("dynamics-title", &[("group", group.name.clone())]),
        ),
        group_href: format!("/groups/{slug}"),
        other_href: format!("/groups/{slug}/dynamics?days={other}"),
        other_label: tr.t_args("dynamics-window", &[("n", other.to_string())]),
        summary: tr.t_args(
            "dynamics-summary",
            &[
                ("n", days.to_string()),
                ("total", d.total.to_string()),
                ("members", d.members.to_string()),
            ],
        ),
        voices: d
            .voices
            .iter()
            .map(|v| VoiceLine {
                handle: v.handle.clone(),
                posts: v.posts,
                messages: v.messages,
                percent: format!("{:.0} %", v.share * 100.0),
                bar: (v.share * 100.0).round() as i64,
                note: if v.dominant {
                    Some(tr.t("dynamics-dominant"))
                } else if v.quiet {
                    Some(tr.t("dynamics-quiet"))
                } else {
                    None
                },
            })
            .collect(),
        group_name: group.name,
    })
}
