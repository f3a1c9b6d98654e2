//! Blocking a member: their posts and chat messages are collapsed for the
//! one who blocked them (anonymous posts excepted: folding those would say
//! who wrote them). The blocked member is not told. Private messages, when
//! Hearth has them, will refuse blocked senders through the same list.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::{Db, now_ms};
use crate::on_db;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiUser, FormData, PageUser};
use crate::web::render::{Shell, html, notice_id};
use crate::web::{AppError, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/blocks", get(page).post(block_form))
        .route("/account/blocks/{handle}/remove", post(unblock_form))
}

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_api))
        .routes(routes!(block_api, unblock_api))
}

/// The accounts `account_id` has blocked.
pub async fn blocked_ids(db: &Db, account_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT blocked_id FROM blocks WHERE blocker_id = $1")
            .bind(account_id)
            .fetch_all(pool)
            .await
    })
}

/// The handles `account_id` has blocked, in order.
pub async fn blocked_handles(db: &Db, account_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT a.handle FROM blocks b JOIN accounts a ON a.id = b.blocked_id \
             WHERE b.blocker_id = $1 ORDER BY a.handle_key",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await
    })
}

async fn account_id(db: &Db, handle: &str) -> Result<Option<i64>, sqlx::Error> {
    let key = handle.trim().to_lowercase();
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM accounts WHERE handle_key = $1")
            .bind(&key)
            .fetch_optional(pool)
            .await
    })
}

/// Blocks the member with `handle`. Blocking oneself or someone unknown is
/// refused; blocking twice is harmless.
pub async fn block(state: &AppState, user: &CurrentUser, handle: &str) -> Result<(), AppError> {
    let Some(id) = account_id(&state.db, handle).await? else {
        return Err(AppError::Validation(vec![(
            "handle",
            "error-block-unknown",
        )]));
    };
    if id == user.account.id {
        return Err(AppError::Validation(vec![("handle", "error-block-self")]));
    }
    on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
        )
        .bind(user.account.id)
        .bind(id)
        .bind(now_ms())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn unblock(state: &AppState, user: &CurrentUser, handle: &str) -> Result<(), AppError> {
    if let Some(id) = account_id(&state.db, handle).await? {
        on_db!(&state.db, |pool| {
            sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
                .bind(user.account.id)
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "safety/blocks.html")]
struct BlocksPage {
    s: Shell,
    blocked: Vec<(String, String)>,
    handle: String,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BlocksQuery {
    handle: String,
    notice: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<BlocksQuery>,
) -> Result<Response, AppError> {
    let blocked = blocked_handles(&state.db, user.account.id)
        .await?
        .into_iter()
        .map(|h| (format!("/account/blocks/{h}/remove"), h))
        .collect();
    html(&BlocksPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("blocks-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        blocked,
        handle: q.handle,
        error: None,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BlockForm {
    handle: String,
}

async fn block_form(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<BlockForm>,
) -> Result<Response, AppError> {
    match block(&state, &user, &form.handle).await {
        Ok(()) => Ok(Redirect::to(&ctx.href("/account/blocks?notice=blocked")).into_response()),
        Err(AppError::Validation(e)) => {
            let blocked = blocked_handles(&state.db, user.account.id)
                .await?
                .into_iter()
                .map(|h| (format!("/account/blocks/{h}/remove"), h))
                .collect();
            crate::web::render::html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &BlocksPage {
                    s: Shell::new(&state, &ctx, ctx.tr().t("blocks-title")),
                    blocked,
                    handle: form.handle,
                    error: e.first().map(|(_, id)| ctx.tr().t(id)),
                },
            )
        }
        Err(e) => Err(e),
    }
}

async fn unblock_form(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(handle): Path<String>,
) -> Result<Response, AppError> {
    unblock(&state, &user, &handle).await?;
    Ok(Redirect::to(&ctx.href("/account/blocks?notice=unblocked")).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Blocked {
    pub handles: Vec<String>,
}

/// The members the caller has blocked.
#[utoipa::path(get, path = "/api/v1/account/blocks", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, description = "Blocked members' handles", body = Blocked),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn list_api(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Blocked>, AppError> {
    Ok(Json(Blocked {
        handles: blocked_handles(&state.db, user.account.id).await?,
    }))
}

/// Block a member: their posts and messages are collapsed for the caller.
#[utoipa::path(put, path = "/api/v1/account/blocks/{handle}", tag = "accounts", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Blocked"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown, or oneself", body = ErrorBody),
    ))]
async fn block_api(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(handle): Path<String>,
) -> Result<StatusCode, AppError> {
    block(&state, &user, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unblock a member.
#[utoipa::path(delete, path = "/api/v1/account/blocks/{handle}", tag = "accounts", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Not blocked (any more)"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn unblock_api(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(handle): Path<String>,
) -> Result<StatusCode, AppError> {
    unblock(&state, &user, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}
