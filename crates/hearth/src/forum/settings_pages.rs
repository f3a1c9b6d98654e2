//! Forum settings: a group's (anonymous posts, holding first posts; its
//! facilitators) and a member's own filters (words whose posts are folded
//! for them, warnings collapsed).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service;
use crate::AppState;
use crate::web::AppError;
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{slug}/forum-settings", post(forum_settings))
        .route("/account/filters", get(filters_page).post(save_filters))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    allow_anonymous: Option<String>,
    hold_first_posts: Option<String>,
}

async fn forum_settings(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<SettingsForm>,
) -> Result<Response, AppError> {
    let access = service::set_forum_settings(
        &state,
        &user,
        &slug,
        service::ForumSettings {
            allow_anonymous: form.allow_anonymous.is_some(),
            hold_first_posts: Some(form.hold_first_posts.is_some()),
        },
    )
    .await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/settings?notice=forum-settings",
        access.group.slug
    )))
    .into_response())
}

#[derive(Template)]
#[template(path = "forum/filters.html")]
struct FiltersPage {
    s: Shell,
    f: FormView,
    collapse_warnings: bool,
}

async fn filters_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let filters = service::filters(&state, user.account.id).await?;
    let f = FormView::new(ctx.tr()).with_value("words", &filters.words.join("\n"));
    html(&FiltersPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("filters-title"))
            .with_notice(notice_id(n.notice.as_deref())),
        f,
        collapse_warnings: filters.collapse_warnings,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FiltersForm {
    words: String,
    collapse_warnings: Option<String>,
}

async fn save_filters(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<FiltersForm>,
) -> Result<Response, AppError> {
    let collapse = form.collapse_warnings.is_some();
    match service::save_filters(&state, &user, &form.words, collapse).await {
        Ok(_) => {
            Ok(Redirect::to(&ctx.href("/account/filters?notice=filters-saved")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FiltersPage {
                    s: Shell::new(&state, &ctx, tr.t("filters-title")),
                    f: FormView::new(tr)
                        .with_errors(tr, &errors)
                        .with_value("words", &form.words),
                    collapse_warnings: collapse,
                },
            )
        }
        Err(e) => Err(e),
    }
}
