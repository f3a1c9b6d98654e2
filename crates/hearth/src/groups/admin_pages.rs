//! Admins' group pages: proposed groups to approve or decline, and the
//! taxonomy of topics.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::model::AgeSpace;
use super::pages::{GroupCard, cards};
use super::service;
use super::store::{self, Term};
use crate::AppState;
use crate::web::extract::PageUser;
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/groups", get(proposals_page))
        .route("/admin/taxonomy", get(taxonomy_page).post(add_term))
        .route("/admin/taxonomy/{id}", post(rename_term))
        .route("/admin/groups/{slug}/approve", post(approve))
        .route("/admin/groups/{slug}/decline", post(decline))
}

pub struct Proposal {
    pub card: GroupCard,
    pub proposer: String,
    pub space: String,
}

#[derive(Template)]
#[template(path = "groups/proposals.html")]
struct ProposalsPage {
    s: Shell,
    proposals: Vec<Proposal>,
}

async fn proposals_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    service::require_admin(&user)?;
    let tr = ctx.tr();
    let terms = service::terms(&state).await?;
    let rows = store::proposals(&state.db).await?;
    let ids: Vec<i64> = rows.iter().map(|(g, _)| g.id).collect();
    let group_terms = store::terms_of(&state.db, &ids).await?;
    let proposals = rows
        .iter()
        .map(|(g, proposer)| Proposal {
            card: cards(std::slice::from_ref(g), &group_terms, &terms, tr).remove(0),
            proposer: proposer
                .clone()
                .unwrap_or_else(|| tr.t("group-proposer-gone")),
            space: tr.t(if g.age_space == AgeSpace::Youth {
                "age-space-youth"
            } else {
                "age-space-adult"
            }),
        })
        .collect();
    html(&ProposalsPage {
        s: Shell::new(&state, &ctx, tr.t("proposals-title"))
            .with_notice(notice_id(n.notice.as_deref())),
        proposals,
    })
}

async fn approve(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    service::decide(&state, &user, &slug, true).await?;
    Ok(Redirect::to(&ctx.href("/admin/groups?notice=proposal-approved")).into_response())
}

async fn decline(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    service::decide(&state, &user, &slug, false).await?;
    Ok(Redirect::to(&ctx.href("/admin/groups?notice=proposal-declined")).into_response())
}

#[derive(Template)]
#[template(path = "groups/taxonomy.html")]
struct TaxonomyPage {
    s: Shell,
    f: FormView,
    /// Each kind's value, heading and terms.
    kinds: Vec<(&'static str, String, Vec<Term>)>,
}

async fn taxonomy_view(
    state: &AppState,
    ctx: &Ctx,
    f: FormView,
    notice: Option<&str>,
) -> Result<TaxonomyPage, AppError> {
    let tr = ctx.tr();
    let terms = service::terms(state).await?;
    Ok(TaxonomyPage {
        s: Shell::new(state, ctx, tr.t("taxonomy-title")).with_notice(notice),
        f,
        kinds: super::model::TERM_KINDS
            .iter()
            .map(|k| {
                (
                    *k,
                    tr.t(&format!("groups-filter-{k}")),
                    terms.iter().filter(|t| t.kind == *k).cloned().collect(),
                )
            })
            .collect(),
    })
}

async fn taxonomy_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    service::require_admin(&user)?;
    html(
        &taxonomy_view(
            &state,
            &ctx,
            FormView::new(ctx.tr()),
            notice_id(n.notice.as_deref()),
        )
        .await?,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TermForm {
    kind: String,
    slug: String,
    name_en: String,
    name_es: String,
}

async fn add_term(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    crate::web::extract::FormData(form): crate::web::extract::FormData<TermForm>,
) -> Result<Response, AppError> {
    match service::add_term(
        &state,
        &user,
        &form.kind,
        &form.slug,
        &form.name_en,
        &form.name_es,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.href("/admin/taxonomy?notice=term-saved")).into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_value("kind", &form.kind)
                .with_value("slug", &form.slug)
                .with_value("name_en", &form.name_en)
                .with_value("name_es", &form.name_es)
                .with_errors(tr, &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &taxonomy_view(&state, &ctx, f, None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

async fn rename_term(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    crate::web::extract::FormData(form): crate::web::extract::FormData<TermForm>,
) -> Result<Response, AppError> {
    match service::rename_term(&state, &user, id, &form.name_en, &form.name_es).await {
        Ok(()) => Ok(Redirect::to(&ctx.href("/admin/taxonomy?notice=term-saved")).into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &taxonomy_view(
                    &state,
                    &ctx,
                    FormView::new(tr).with_errors(tr, &errors),
                    None,
                )
                .await?,
            )
        }
        Err(e) => Err(e),
    }
}
