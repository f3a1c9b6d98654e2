//! Goals' pages: the member's goals, one goal with its check-ins, and
//! sharing a goal with one of their groups as a thread in their own words.
//! Everything works without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::goals::{self, Goal, GoalCheckin, GoalDraft};
use crate::AppState;
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::Tr;
use crate::web::render::{FormView, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/goals", get(goals_page).post(create))
        .route("/goals/{id}", get(goal_page))
        .route("/goals/{id}/check-ins", post(check_in))
        .route("/goals/{id}/done", post(done))
        .route("/goals/{id}/delete", post(delete))
        .route("/goals/{id}/share", get(share_page).post(share))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoticeOnly {
    notice: Option<String>,
}

fn when(ms: i64) -> String {
    crate::web::time::display(ms)
}

#[derive(Template)]
#[template(path = "wellness/goals.html")]
struct GoalsPage {
    s: Shell,
    f: FormView,
    open: Vec<Goal>,
    done: Vec<Goal>,
    damaged: usize,
}

async fn goals_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    f: FormView,
) -> Result<GoalsPage, AppError> {
    let (all, damaged) = goals::list(state, user).await?;
    let (done, open): (Vec<Goal>, Vec<Goal>) = all.into_iter().partition(|g| g.done_at.is_some());
    Ok(GoalsPage {
        s: Shell::new(state, ctx, ctx.tr().t("goals-title")),
        f,
        open,
        done,
        damaged,
    })
}

async fn goals_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeOnly>,
) -> Result<Response, AppError> {
    let mut page = goals_view(&state, &ctx, &user, FormView::new(ctx.tr())).await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

/// The new-goal form (with its CSRF field, which the extractor checks).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GoalForm {
    title: String,
    why: String,
}

/// A goal check-in's form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CheckinForm {
    went: String,
    note: String,
}

async fn create(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<GoalForm>,
) -> Result<Response, AppError> {
    let d = GoalDraft {
        title: form.title,
        why: form.why,
    };
    match goals::create(&state, &user, &d).await {
        Ok(g) => Ok(
            Redirect::to(&ctx.href(&format!("/goals/{}?notice=goal-saved", g.id))).into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_errors(tr, &errors)
                .with_value("title", &d.title)
                .with_value("why", &d.why);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &goals_view(&state, &ctx, &user, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "wellness/goal.html")]
struct GoalPage {
    s: Shell,
    f: FormView,
    g: Goal,
    checkins: Vec<(String, String, String)>,
    went: Vec<(&'static str, String)>,
}

fn went_label(tr: Tr, w: goals::Went) -> String {
    tr.t(&format!("goal-went-{}", w.as_str()))
}

async fn goal_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    f: FormView,
) -> Result<GoalPage, AppError> {
    let (g, checkins) = goals::get(state, user, id).await?;
    let tr = ctx.tr();
    Ok(GoalPage {
        s: Shell::new(state, ctx, g.title.clone()),
        f,
        checkins: checkins
            .iter()
            .map(|c: &GoalCheckin| (when(c.created_at), went_label(tr, c.went), c.note.clone()))
            .collect(),
        went: [
            goals::Went::Did,
            goals::Went::Some,
            goals::Went::NotThisTime,
        ]
        .into_iter()
        .map(|w| (w.as_str(), went_label(tr, w)))
        .collect(),
        g,
    })
}

async fn goal_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<NoticeOnly>,
) -> Result<Response, AppError> {
    let mut page = goal_view(&state, &ctx, &user, id, FormView::new(ctx.tr())).await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

async fn check_in(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<CheckinForm>,
) -> Result<Response, AppError> {
    let d = goals::CheckinDraft {
        went: Some(form.went),
        note: form.note,
    };
    match goals::check_in(&state, &user, id, &d).await {
        Ok(_) => Ok(
            Redirect::to(&ctx.href(&format!("/goals/{id}?notice=goal-checked-in"))).into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_errors(tr, &errors)
                .with_value("went", d.went.as_deref().unwrap_or_default())
                .with_value("note", &d.note);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &goal_view(&state, &ctx, &user, id, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneForm {
    done: String,
}

async fn done(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<DoneForm>,
) -> Result<Response, AppError> {
    goals::set_done(&state, &user, id, form.done == "yes").await?;
    Ok(Redirect::to(&ctx.href(&format!("/goals/{id}"))).into_response())
}

async fn delete(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    goals::delete(&state, &user, id).await?;
    Ok(Redirect::to(&ctx.href("/goals?notice=goal-deleted")).into_response())
}

#[derive(Template)]
#[template(path = "wellness/goal_share.html")]
struct SharePage {
    s: Shell,
    f: FormView,
    id: i64,
    /// (slug, name) of the member's groups.
    groups: Vec<(String, String)>,
}

async fn share_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    f: FormView,
) -> Result<SharePage, AppError> {
    let groups = crate::groups::store::memberships(&state.db, user.account.id)
        .await?
        .into_iter()
        .map(|m| (m.slug, m.name))
        .collect();
    Ok(SharePage {
        s: Shell::new(state, ctx, ctx.tr().t("goal-share-title")),
        f,
        id,
        groups,
    })
}

async fn share_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (g, _) = goals::get(&state, &user, id).await?;
    let tr = ctx.tr();
    let f = FormView::new(tr).with_value(
        "title",
        &tr.t_args("goal-share-default-title", &[("what", g.title)]),
    );
    html(&share_view(&state, &ctx, &user, id, f).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShareForm {
    group: String,
    title: String,
    body: String,
    accept_guidelines: Option<String>,
}

async fn share(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<ShareForm>,
) -> Result<Response, AppError> {
    goals::owned(&state, &user, id).await?;
    let input = crate::forum::service::PostInput {
        title: form.title.clone(),
        body: form.body.clone(),
        accept_guidelines: form.accept_guidelines.is_some(),
        ..Default::default()
    };
    let refused = |errors: &[(&'static str, &'static str)]| {
        let tr = ctx.tr();
        FormView::new(tr)
            .with_errors(tr, errors)
            .with_value("group", &form.group)
            .with_value("title", &form.title)
            .with_value("body", &form.body)
    };
    if !crate::groups::store::memberships(&state.db, user.account.id)
        .await?
        .iter()
        .any(|m| m.slug == form.group)
    {
        let f = refused(&[("group", "error-goal-group")]);
        return html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &share_view(&state, &ctx, &user, id, f).await?,
        );
    }
    match crate::forum::service::create_thread(&state, &user, &form.group, &input).await {
        // Words of risk: the crisis lines at once, as for any thread.
        Ok(posted) if posted.crisis.is_some() => Ok(crate::forum::pages::to_crisis_panel(
            &ctx,
            &posted.access,
            posted.id,
        )),
        Ok(posted) => Ok(Redirect::to(&ctx.href(&format!(
            "/groups/{}/threads/{}?notice={}",
            posted.access.group.slug,
            posted.id,
            if posted.held {
                "post-held"
            } else {
                "goal-shared"
            }
        )))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let f = refused(&errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &share_view(&state, &ctx, &user, id, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}
