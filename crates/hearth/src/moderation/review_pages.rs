//! The review queue of held posts (facilitators and staff) and the word
//! filters (admins), as pages that work without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::review::{self, HeldPost};
use crate::AppState;
use crate::safety::filters::{self, FilterAction};
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation/held", get(held_page))
        .route("/moderation/held/{id}/approve", post(approve))
        .route("/moderation/held/{id}/decline", post(decline))
        .route("/admin/filters", get(filters_page).post(add_filter))
        .route("/admin/filters/{id}/remove", post(remove_filter))
}

pub struct HeldView {
    pub post_id: i64,
    /// The version shown (its `edited_at`, 0 if never edited).
    pub version: i64,
    pub where_line: String,
    pub thread_href: String,
    pub author: String,
    pub reason: String,
    pub content_warning: String,
    pub body: String,
    pub at_display: String,
    pub at_machine: String,
}

/// Why a post is held, in words.
pub fn reason_text(ctx: &Ctx, reason: &str) -> String {
    let tr = ctx.tr();
    match reason.strip_prefix("filter:") {
        Some(phrases) => tr.t_args(
            "held-reason-filter",
            &[("phrases", phrases.trim().to_owned())],
        ),
        None => tr.t("held-reason-first-post"),
    }
}

fn held_view(ctx: &Ctx, h: &HeldPost) -> HeldView {
    let tr = ctx.tr();
    HeldView {
        post_id: h.post_id,
        version: h.edited_at.unwrap_or(0),
        where_line: format!("{} · {}", h.group_name, h.thread_title),
        thread_href: ctx.href(&format!(
            "/groups/{}/threads/{}?before={}#post-{}",
            h.group_slug,
            h.thread_id,
            h.post_id + 1,
            h.post_id
        )),
        author: h
            .author
            .clone()
            .unwrap_or_else(|| tr.t("alerts-deleted-account")),
        reason: reason_text(ctx, &h.reason),
        content_warning: h.content_warning.clone(),
        body: h.body.clone(),
        at_display: time::display(h.held_at),
        at_machine: time::machine(h.held_at),
    }
}

#[derive(Template)]
#[template(path = "safety/held.html")]
struct HeldPage {
    s: Shell,
    held: Vec<HeldView>,
    f: FormView,
    /// The post whose decline form `f` belongs to.
    failed: Option<i64>,
}

async fn held_view_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    notice: Option<&str>,
    f: FormView,
    failed: Option<i64>,
) -> Result<HeldPage, AppError> {
    let rows = review::queue(state, user).await?;
    Ok(HeldPage {
        s: Shell::new(state, ctx, ctx.tr().t("held-title")).with_notice(notice_id(notice)),
        held: rows.iter().map(|h| held_view(ctx, h)).collect(),
        f,
        failed,
    })
}

async fn held_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let f = FormView::new(ctx.tr());
    html(&held_view_page(&state, &ctx, &user, q.notice.as_deref(), f, None).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ApproveForm {
    /// The version read (its `edited_at`, 0 if never edited).
    version: Option<i64>,
}

async fn approve(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(post_id): Path<i64>,
    FormData(form): FormData<ApproveForm>,
) -> Result<Response, AppError> {
    match review::approve(&state, &user, post_id, form.version).await {
        Ok(()) => {
            Ok(Redirect::to(&ctx.href("/moderation/held?notice=post-approved")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let f = FormView::new(ctx.tr()).with_errors(ctx.tr(), &errors);
            let page = held_view_page(&state, &ctx, &user, None, f, None).await?;
            html_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeclineForm {
    reason: String,
}

async fn decline(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(post_id): Path<i64>,
    FormData(form): FormData<DeclineForm>,
) -> Result<Response, AppError> {
    match review::decline(&state, &user, post_id, &form.reason).await {
        Ok(()) => {
            Ok(Redirect::to(&ctx.href("/moderation/held?notice=post-declined")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let f = FormView::new(ctx.tr())
                .with_errors(ctx.tr(), &errors)
                .with_value("reason", &form.reason);
            let page = held_view_page(&state, &ctx, &user, None, f, Some(post_id)).await?;
            html_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

// -------------------------------------------------------------- word filters

pub struct FilterView {
    pub id: i64,
    pub phrase: String,
    pub action: String,
    pub by: String,
    pub at_display: String,
    pub at_machine: String,
}

pub struct ActionChoice {
    pub value: &'static str,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "safety/filters.html")]
struct FiltersPage {
    s: Shell,
    filters: Vec<FilterView>,
    actions: Vec<ActionChoice>,
    f: FormView,
}

async fn filters_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    notice: Option<&str>,
    f: FormView,
) -> Result<FiltersPage, AppError> {
    let tr = ctx.tr();
    let rows = filters::list(state, user).await?;
    let chosen = match f.value("action") {
        "" => "flag".to_owned(),
        v => v.to_owned(),
    };
    Ok(FiltersPage {
        s: Shell::new(state, ctx, tr.t("filters-admin-title")).with_notice(notice_id(notice)),
        filters: rows
            .iter()
            .map(|r| FilterView {
                id: r.id,
                phrase: r.phrase.clone(),
                action: tr.t(&format!("filter-action-{}", r.action)),
                by: r
                    .created_by
                    .clone()
                    .unwrap_or_else(|| tr.t("alerts-deleted-account")),
                at_display: time::display(r.created_at),
                at_machine: time::machine(r.created_at),
            })
            .collect(),
        actions: FilterAction::ALL
            .iter()
            .map(|a| ActionChoice {
                value: a.as_str(),
                label: tr.t(&format!("filter-action-{}", a.as_str())),
                hint: tr.t(&format!("filter-action-{}-hint", a.as_str())),
                checked: chosen == a.as_str(),
            })
            .collect(),
        f,
    })
}

async fn filters_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let f = FormView::new(ctx.tr());
    html(&filters_view(&state, &ctx, &user, q.notice.as_deref(), f).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FilterForm {
    phrase: String,
    action: String,
}

async fn add_filter(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<FilterForm>,
) -> Result<Response, AppError> {
    match filters::add(&state, &user, &form.phrase, &form.action).await {
        Ok(_) => Ok(Redirect::to(&ctx.href("/admin/filters?notice=filter-saved")).into_response()),
        Err(AppError::Validation(errors)) => {
            let f = FormView::new(ctx.tr())
                .with_errors(ctx.tr(), &errors)
                .with_value("phrase", &form.phrase)
                .with_value("action", &form.action);
            let page = filters_view(&state, &ctx, &user, None, f).await?;
            html_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

async fn remove_filter(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    filters::remove(&state, &user, id).await?;
    Ok(Redirect::to(&ctx.href("/admin/filters?notice=filter-removed")).into_response())
}
