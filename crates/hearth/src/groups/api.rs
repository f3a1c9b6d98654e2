//! The groups JSON API: the taxonomy, the directory, a group, creating a
//! group, joining and leaving. The same rules as the pages (service.rs).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, GroupInput};
use super::store::{self, Filters, GroupRow, Sort, Term};
use crate::AppState;
use crate::api::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::{AppError, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(taxonomy))
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group))
        .routes(routes!(join_group, leave_group))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    pub id: i64,
    /// `condition`, `community` or `format`.
    pub kind: String,
    pub slug: String,
    /// In the request's language.
    pub name: String,
}

fn term_view(t: &Term, ctx: &Ctx) -> TermView {
    TermView {
        id: t.id,
        kind: t.kind.clone(),
        slug: t.slug.clone(),
        name: if ctx.lang == crate::web::i18n::Lang::Es {
            t.name_es.clone()
        } else {
            t.name_en.clone()
        },
    }
}

/// Every taxonomy term groups can be tagged with.
#[utoipa::path(get, path = "/api/v1/taxonomy", tag = "groups",
    responses((status = 200, description = "Terms in display order", body = Vec<TermView>)))]
async fn taxonomy(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<TermView>>, AppError> {
    let terms = store::terms(&state.db).await?;
    Ok(Json(terms.iter().map(|t| term_view(t, &ctx)).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub guidelines: String,
    /// `en` or `es`.
    pub language: String,
    /// `peer` or `professional`.
    pub leadership: String,
    /// `youth` or `adult`.
    pub age_space: String,
    /// `listed` or `unlisted`.
    pub visibility: String,
    /// `open` or `closed`.
    pub joining: String,
    /// `active`, `proposed` or `declined`.
    pub status: String,
    pub member_count: i64,
    pub terms: Vec<String>,
    /// Epoch milliseconds.
    pub last_activity_at: i64,
}

fn group_view(g: &GroupRow, group_terms: &[(i64, i64)], terms: &[Term]) -> GroupView {
    GroupView {
        slug: g.slug.clone(),
        name: g.name.clone(),
        purpose: g.purpose.clone(),
        guidelines: g.guidelines.clone(),
        language: g.language.clone(),
        leadership: g.leadership.clone(),
        age_space: g.age_space.clone(),
        visibility: g.visibility.clone(),
        joining: g.joining.clone(),
        status: g.status.clone(),
        member_count: g.member_count,
        terms: group_terms
            .iter()
            .filter(|(gid, _)| *gid == g.id)
            .filter_map(|(_, tid)| terms.iter().find(|t| t.id == *tid))
            .map(|t| format!("{}:{}", t.kind, t.slug))
            .collect(),
        last_activity_at: g.last_activity_at,
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct DirectoryParams {
    /// Words in the name or purpose.
    q: Option<String>,
    condition: Option<String>,
    community: Option<String>,
    format: Option<String>,
    /// `peer` or `professional`.
    leadership: Option<String>,
    /// `en` or `es`.
    language: Option<String>,
    /// `activity` (default), `newest`, `name` or `members`.
    sort: Option<String>,
    /// From 1.
    page: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupPage {
    pub groups: Vec<GroupView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

const PAGE_SIZE: i64 = 20;

/// The directory: listed, active groups in the caller's age space.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups", params(DirectoryParams),
    responses(
        (status = 200, description = "One page of groups", body = GroupPage),
        (status = 400, description = "Malformed query", body = ErrorBody),
    ))]
async fn list_groups(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<DirectoryParams>,
) -> Result<Json<GroupPage>, AppError> {
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let filters = Filters {
        condition: clean(p.condition),
        community: clean(p.community),
        format: clean(p.format),
        leadership: clean(p.leadership),
        language: clean(p.language),
        search: p.q.as_deref().and_then(super::pages::like_pattern),
        age_space: service::directory_space(ctx.user.as_ref()),
    };
    let sort = Sort::parse(p.sort.as_deref().unwrap_or(""));
    let page = i64::from(p.page.unwrap_or(1).clamp(1, 10_000));
    let (rows, total) =
        store::directory(&state.db, &filters, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let ids: Vec<i64> = rows.iter().map(|g| g.id).collect();
    let group_terms = store::terms_of(&state.db, &ids).await?;
    let terms = store::terms(&state.db).await?;
    Ok(Json(GroupPage {
        groups: rows
            .iter()
            .map(|g| group_view(g, &group_terms, &terms))
            .collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
    }))
}

/// One group, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/groups/{slug}", tag = "groups", params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The group", body = GroupView),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn get_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Json<GroupView>, AppError> {
    let g = service::visible_group(&state, &slug, ctx.user.as_ref()).await?;
    let group_terms = store::terms_of(&state.db, &[g.id]).await?;
    let terms = store::terms(&state.db).await?;
    Ok(Json(group_view(&g, &group_terms, &terms)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroupRequest {
    #[schema(min_length = 3, max_length = 80)]
    pub name: String,
    /// Made from the name when omitted.
    #[serde(default)]
    pub slug: Option<String>,
    #[schema(min_length = 10, max_length = 2000)]
    pub purpose: String,
    #[serde(default)]
    pub guidelines: Option<String>,
    pub language: String,
    pub leadership: String,
    /// Only staff and verified professionals choose; members propose in their own space.
    #[serde(default)]
    pub age_space: Option<String>,
    pub visibility: String,
    pub joining: String,
    /// Term ids from `/api/v1/taxonomy`.
    #[serde(default)]
    pub terms: Vec<i64>,
    /// Up to five questions for people asking to join a closed group.
    #[serde(default)]
    pub intake_questions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupCreated {
    pub slug: String,
    /// False when the group is a proposal waiting for an admin.
    pub active: bool,
}

/// Start a group (staff, verified professionals) or propose one (members).
#[utoipa::path(post, path = "/api/v1/groups", tag = "groups", security(("bearer" = [])),
    request_body = CreateGroupRequest,
    responses(
        (status = 201, description = "Created or proposed", body = GroupCreated),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
async fn create_group(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<CreateGroupRequest>,
) -> Result<Response, AppError> {
    let input = GroupInput {
        name: body.name,
        slug: body.slug.unwrap_or_default(),
        purpose: body.purpose,
        guidelines: body.guidelines.unwrap_or_default(),
        language: body.language,
        leadership: body.leadership,
        age_space: body.age_space.unwrap_or_default(),
        visibility: body.visibility,
        joining: body.joining,
        term_ids: body.terms,
        intake_questions: body.intake_questions.join("\n"),
    };
    let (slug, active) = service::create(&state, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(GroupCreated { slug, active })).into_response())
}

/// Join an open group in the caller's age space.
#[utoipa::path(post, path = "/api/v1/groups/{slug}/membership", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 204, description = "A member now (or already)"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The group is closed or not active", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn join_group(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<StatusCode, AppError> {
    service::join(&state, &user, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leave a group.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/membership", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 204, description = "Not a member any more"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn leave_group(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<StatusCode, AppError> {
    service::leave(&state, &user, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}
