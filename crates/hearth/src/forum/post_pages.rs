//! One post's own pages: editing it (read again for crisis words),
//! deleting it, and its edit history.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::markdown;
use super::pages::{PostForm, to_crisis_panel, to_post};
use super::service;
use super::store;
use crate::AppState;
use crate::groups::access::Access;
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, Shell, html, html_with_status};
use crate::web::time;
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{slug}/posts/{id}/edit", get(edit_page).post(edit))
        .route("/groups/{slug}/posts/{id}/delete", post(delete))
        .route("/groups/{slug}/posts/{id}/history", get(history_page))
}

#[derive(Template)]
#[template(path = "forum/edit.html")]
struct EditPage {
    s: Shell,
    action: String,
    cancel: String,
    f: FormView,
}

fn edit_view(state: &AppState, ctx: &Ctx, access: &Access, post_id: i64, f: FormView) -> EditPage {
    EditPage {
        s: Shell::new(state, ctx, ctx.tr().t("forum-edit-title")),
        action: format!("/groups/{}/posts/{post_id}/edit", access.group.slug),
        cancel: format!("/groups/{}/posts/{post_id}", access.group.slug),
        f,
    }
}

async fn edit_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, post) = service::post(&state, &user, &slug, id).await?;
    if post.author_id != Some(user.account.id) || post.deleted_at.is_some() {
        return Err(AppError::Forbidden);
    }
    let (f, restored) =
        crate::accounts::drafts::restore(&state, &user, &ctx.path, FormView::new(ctx.tr())).await?;
    let f = if restored {
        f
    } else {
        f.with_value("body", &post.body)
            .with_value("content_warning", &post.content_warning)
    };
    html(&edit_view(&state, &ctx, &access, id, f))
}

async fn edit(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<PostForm>,
) -> Result<Response, AppError> {
    match service::edit(&state, &user, &slug, id, &form.body, &form.content_warning).await {
        Ok((access, post, Some(_))) => Ok(to_crisis_panel(&ctx, &access, post.thread_id)),
        Ok((access, post, None)) => {
            to_post(
                &state,
                &ctx,
                &access,
                post.thread_id,
                id,
                Some("post-edited"),
            )
            .await
        }
        Err(AppError::Validation(errors)) => {
            let (access, _) = service::post(&state, &user, &slug, id).await?;
            let f = form.view(&state, ctx.tr(), &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &edit_view(&state, &ctx, &access, id, f),
            )
        }
        Err(e) => Err(e),
    }
}

async fn delete(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, post) = service::delete(&state, &user, &slug, id).await?;
    if !super::store::thread_stands(&state.db, post.thread_id).await? {
        // Its last post went, and the thread with it: back to the group.
        return Ok(Redirect::to(&ctx.href(&format!(
            "/groups/{}?notice=thread-deleted",
            access.group.slug
        )))
        .into_response());
    }
    to_post(
        &state,
        &ctx,
        &access,
        post.thread_id,
        id,
        Some("post-deleted"),
    )
    .await
}

pub struct RevisionView {
    pub label: String,
    pub warning: Option<String>,
    pub html: String,
}

#[derive(Template)]
#[template(path = "forum/history.html")]
struct HistoryPage {
    s: Shell,
    back: String,
    revisions: Vec<RevisionView>,
}

async fn history_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let (access, post) = service::post(&state, &user, &slug, id).await?;
    if service::withheld(&access, &post) {
        return Err(AppError::NotFound);
    }
    let mut revisions: Vec<RevisionView> = store::revisions(&state.db, post.id)
        .await?
        .into_iter()
        .map(|r| RevisionView {
            label: tr.t_args(
                "forum-history-replaced",
                &[("when", time::display(r.replaced_at))],
            ),
            warning: (!r.content_warning.is_empty()).then_some(r.content_warning),
            html: markdown::render(&r.body),
        })
        .collect();
    if post.deleted_at.is_none() {
        revisions.push(RevisionView {
            label: tr.t("forum-history-current"),
            warning: (!post.content_warning.is_empty()).then(|| post.content_warning.clone()),
            html: markdown::render(&post.body),
        });
    }
    html(&HistoryPage {
        s: Shell::new(&state, &ctx, tr.t("forum-history-title")),
        back: format!("/groups/{}/posts/{id}", access.group.slug),
        revisions,
    })
}
