//! A group's members and requests to join: asking to join a closed
//! group, facilitators deciding, the member list, making a member a
//! facilitator, removing a member.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::model::GroupRole;
use super::pages::{GroupCard, cards, group_view};
use super::service;
use super::store;
use crate::AppState;
use crate::web::extract::PageUser;
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{slug}/members", get(members_page))
        .route(
            "/groups/{slug}/members/{id}/facilitator",
            post(make_facilitator),
        )
        .route("/groups/{slug}/members/{id}/remove", post(remove_member))
        .route("/groups/{slug}/members/{id}/step-down", post(step_down))
        .route(
            "/groups/{slug}/requests",
            get(requests_page).post(ask_to_join),
        )
        .route(
            "/groups/{slug}/requests/{id}/approve",
            post(approve_request),
        )
        .route(
            "/groups/{slug}/requests/{id}/decline",
            post(decline_request),
        )
}

async fn ask_to_join(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let mut answers = vec![String::new(); service::MAX_QUESTIONS];
    for (k, v) in form_urlencoded::parse(&body) {
        if let Some(i) = service::ANSWER_FIELDS.iter().position(|f| *f == k) {
            answers[i] = v.into_owned();
        }
    }
    let group = service::visible_group(&state, &slug, Some(&user)).await?;
    answers.truncate(service::questions(&group).len());
    match service::request_to_join(&state, &user, &slug, &answers).await {
        Ok(g) => Ok(
            Redirect::to(&ctx.href(&format!("/groups/{}?notice=requested", g.slug)))
                .into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let mut f = FormView::new(tr).with_errors(tr, &errors);
            for (field, answer) in service::ANSWER_FIELDS.iter().zip(&answers) {
                f = f.with_value(field, answer);
            }
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &group_view(&state, &ctx, group, f, None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "groups/requests.html")]
struct RequestsPage {
    s: Shell,
    g: GroupCard,
    requests: Vec<service::OpenRequest>,
}

async fn requests_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let (group, requests) = service::pending_requests(&state, &user, &slug).await?;
    let terms = service::terms(&state).await?;
    let group_terms = store::terms_of(&state.db, &[group.id]).await?;
    html(&RequestsPage {
        s: Shell::new(
            &state,
            &ctx,
            tr.t_args("requests-title", &[("group", group.name.clone())]),
        )
        .with_notice(notice_id(n.notice.as_deref())),
        g: cards(std::slice::from_ref(&group), &group_terms, &terms, tr).remove(0),
        requests,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    message: String,
}

async fn decide(
    state: AppState,
    user: crate::web::CurrentUser,
    ctx: Ctx,
    slug: String,
    id: i64,
    approve: bool,
    message: String,
) -> Result<Response, AppError> {
    let group = service::decide_request(&state, &user, &slug, id, approve, &message).await?;
    let notice = if approve {
        "request-approved"
    } else {
        "request-declined"
    };
    Ok(
        Redirect::to(&ctx.href(&format!("/groups/{}/requests?notice={notice}", group.slug)))
            .into_response(),
    )
}

async fn approve_request(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    crate::web::extract::FormData(form): crate::web::extract::FormData<DecisionForm>,
) -> Result<Response, AppError> {
    decide(state, user, ctx, slug, id, true, form.message).await
}

async fn decline_request(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    crate::web::extract::FormData(form): crate::web::extract::FormData<DecisionForm>,
) -> Result<Response, AppError> {
    decide(state, user, ctx, slug, id, false, form.message).await
}

pub struct MemberLine {
    pub id: i64,
    pub handle: String,
    pub role: String,
    pub is_facilitator: bool,
    pub is_you: bool,
}

#[derive(Template)]
#[template(path = "groups/members.html")]
struct MembersPage {
    s: Shell,
    g: GroupCard,
    members: Vec<MemberLine>,
    can_manage: bool,
    is_staff: bool,
}

async fn members_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let (group, members, can_manage) = service::members(&state, &user, &slug).await?;
    let terms = service::terms(&state).await?;
    let group_terms = store::terms_of(&state.db, &[group.id]).await?;
    html(&MembersPage {
        s: Shell::new(
            &state,
            &ctx,
            tr.t_args("members-title", &[("group", group.name.clone())]),
        )
        .with_notice(notice_id(n.notice.as_deref())),
        g: cards(std::slice::from_ref(&group), &group_terms, &terms, tr).remove(0),
        members: members
            .into_iter()
            .map(|m| MemberLine {
                is_you: m.account_id == user.account.id,
                is_facilitator: m.role == GroupRole::Facilitator,
                role: tr.t(if m.role == GroupRole::Facilitator {
                    "group-role-facilitator"
                } else {
                    "group-role-member"
                }),
                id: m.account_id,
                handle: m.handle,
            })
            .collect(),
        can_manage,
        is_staff: user.is_staff(),
    })
}

async fn make_facilitator(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let group = service::make_facilitator(&state, &user, &slug, id).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/members?notice=facilitator-added",
        group.slug
    )))
    .into_response())
}

async fn step_down(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    match service::step_down(&state, &user, &slug, id).await {
        Ok(group) => Ok(Redirect::to(&ctx.href(&format!(
            "/groups/{}/members?notice=stepped-down",
            group.slug
        )))
        .into_response()),
        Err(AppError::Validation(_)) => Ok(Redirect::to(
            &ctx.href(&format!("/groups/{slug}/members?notice=last-facilitator")),
        )
        .into_response()),
        Err(e) => Err(e),
    }
}

async fn remove_member(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let group = service::remove_member(&state, &user, &slug, id).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/members?notice=member-removed",
        group.slug
    )))
    .into_response())
}
