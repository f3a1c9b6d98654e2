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
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::{AppError, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(taxonomy))
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group))
        .routes(routes!(join_group, leave_group))
        .routes(routes!(list_requests, ask_to_join))
        .routes(routes!(decide_request))
        .routes(routes!(list_members))
        .routes(routes!(make_facilitator))
        .routes(routes!(remove_member))
        .routes(routes!(get_interests, put_interests))
        .routes(routes!(recommendations))
        .routes(routes!(list_proposals))
        .routes(routes!(decide_proposal))
        .routes(routes!(add_term))
        .routes(routes!(rename_term))
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
    let terms = service::terms(&state).await?;
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
        leadership: g.leadership.as_str().to_owned(),
        age_space: g.age_space.as_str().to_owned(),
        visibility: g.visibility.as_str().to_owned(),
        joining: g.joining.as_str().to_owned(),
        status: g.status.as_str().to_owned(),
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
    /// `relevance` (the default with `q`), `activity` (the default without), `newest`, `name` or `members`.
    sort: Option<String>,
    /// From 1.
    #[param(minimum = 1, maximum = 10000)]
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
        search: p.q.as_deref().and_then(store::search_words),
        age_space: service::directory_space(ctx.user.as_ref()),
    };
    let sort = match p.sort.as_deref() {
        None | Some("") if filters.search.is_some() => Sort::Relevance,
        other => Sort::parse(other.unwrap_or("")),
    };
    let page = match p.page {
        None => 1,
        Some(n @ 1..=10_000) => i64::from(n),
        Some(_) => return Err(AppError::BadRequest("error-bad-request")),
    };
    let store::Directory {
        groups: rows,
        total,
        group_terms,
    } = store::directory(&state.db, &filters, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let terms = service::terms(&state).await?;
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
    let terms = service::terms(&state).await?;
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
        language: body.language,
        age_space: body.age_space.unwrap_or_default(),
        term_ids: body.terms,
        settings: service::SettingsInput {
            purpose: body.purpose,
            guidelines: body.guidelines.unwrap_or_default(),
            leadership: body.leadership,
            visibility: body.visibility,
            joining: body.joining,
            intake_questions: body.intake_questions.join("\n"),
        },
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequestBody {
    /// One answer for each of the group's intake questions, in order.
    #[schema(max_items = 5)]
    pub answers: Vec<String>,
}

/// Ask to join a closed group, answering its intake questions.
#[utoipa::path(post, path = "/api/v1/groups/{slug}/requests", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = JoinRequestBody,
    responses(
        (status = 202, description = "Asked; the group's facilitators decide"),
        (status = 400, description = "Malformed request, or not one answer per question", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The group is open or not active", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "An answer is empty or too long", body = ErrorBody),
    ))]
async fn ask_to_join(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<JoinRequestBody>,
) -> Result<StatusCode, AppError> {
    if body.answers.len() > service::MAX_QUESTIONS {
        return Err(AppError::BadRequest("error-bad-form"));
    }
    service::request_to_join(&state, &user, &slug, &body.answers).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JoinRequestView {
    pub id: i64,
    pub handle: String,
    /// (question, answer) pairs.
    pub answers: Vec<(String, String)>,
}

/// Pending requests to join (the group's facilitators and staff).
#[utoipa::path(get, path = "/api/v1/groups/{slug}/requests", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "Pending requests, oldest first", body = Vec<JoinRequestView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn list_requests(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<JoinRequestView>>, AppError> {
    let (_, requests) = service::pending_requests(&state, &user, &slug).await?;
    Ok(Json(
        requests
            .into_iter()
            .map(|r| JoinRequestView {
                id: r.id,
                handle: r.handle,
                answers: r.answers,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub approve: bool,
    /// Shown to the person who asked.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub message: String,
}

/// Approve or decline a request to join (the group's facilitators and staff).
#[utoipa::path(post, path = "/api/v1/groups/{slug}/requests/{id}", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Decided; the person is notified"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "No such pending request", body = ErrorBody),
        (status = 422, description = "The message is too long", body = ErrorBody),
    ))]
async fn decide_request(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<StatusCode, AppError> {
    service::decide_request(&state, &user, &slug, id, body.approve, &body.message).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub account_id: i64,
    pub handle: String,
    /// `member` or `facilitator`.
    pub role: String,
}

/// The member list (members of the group and staff; handles only).
#[utoipa::path(get, path = "/api/v1/groups/{slug}/members", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "Facilitators first, then by handle", body = Vec<MemberView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn list_members(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<MemberView>>, AppError> {
    let (_, members, _) = service::members(&state, &user, &slug).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| MemberView {
                account_id: m.account_id,
                handle: m.handle,
                role: m.role.as_str().to_owned(),
            })
            .collect(),
    ))
}

/// Make a member a facilitator (the group's facilitators and staff).
#[utoipa::path(put, path = "/api/v1/groups/{slug}/members/{id}/facilitator", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path, description = "Account id")),
    responses(
        (status = 204, description = "A facilitator now"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a facilitator of the group", body = ErrorBody),
        (status = 404, description = "Not a member", body = ErrorBody),
    ))]
async fn make_facilitator(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::make_facilitator(&state, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a member; their access ends at once.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/members/{id}", tag = "groups", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i64, Path, description = "Account id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Not a member", body = ErrorBody),
    ))]
async fn remove_member(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    service::remove_member(&state, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestsView {
    /// Term ids from `/api/v1/taxonomy`.
    #[schema(max_items = 50)]
    pub terms: Vec<i64>,
    /// `en`, `es`.
    pub languages: Vec<String>,
}

/// What the caller would like support with.
#[utoipa::path(get, path = "/api/v1/me/interests", tag = "groups", security(("bearer" = [])),
    responses(
        (status = 200, description = "Interests", body = InterestsView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn get_interests(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<InterestsView>, AppError> {
    let i = store::interests(&state.db, user.account.id).await?;
    Ok(Json(InterestsView {
        terms: i.term_ids,
        languages: i.languages,
    }))
}

/// Replace what the caller would like support with.
#[utoipa::path(put, path = "/api/v1/me/interests", tag = "groups", security(("bearer" = [])),
    request_body = InterestsView,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown term or language", body = ErrorBody),
    ))]
async fn put_interests(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<InterestsView>,
) -> Result<StatusCode, AppError> {
    let interests = super::matching::Interests {
        term_ids: body.terms,
        languages: body.languages,
    };
    service::save_interests(&state, &user, &interests).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationView {
    pub group: GroupView,
    /// Why: shared terms (`kind:slug`) and languages (`language:xx`).
    pub reasons: Vec<String>,
}

/// Groups the caller may join, ranked for their interests, with reasons.
#[utoipa::path(get, path = "/api/v1/me/recommendations", tag = "groups", security(("bearer" = [])),
    responses(
        (status = 200, description = "Best first, at most 10", body = Vec<RecommendationView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn recommendations(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<RecommendationView>>, AppError> {
    let (interests, groups, group_terms, terms) = service::recommendations(&state, &user).await?;
    let recs = super::matching::recommend(&interests, &groups, &group_terms, &terms, 10);
    Ok(Json(
        recs.iter()
            .map(|r| RecommendationView {
                group: group_view(r.group, &group_terms, &terms),
                reasons: r
                    .reasons
                    .iter()
                    .map(|reason| match reason {
                        super::matching::Reason::Term(id) => terms
                            .iter()
                            .find(|t| t.id == *id)
                            .map(|t| format!("{}:{}", t.kind, t.slug))
                            .unwrap_or_default(),
                        super::matching::Reason::Language(l) => format!("language:{l}"),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    pub group: GroupView,
    /// Absent when the proposer deleted their account.
    pub proposer: Option<String>,
}

/// Groups proposed by members, waiting for an admin (admins only).
#[utoipa::path(get, path = "/api/v1/admin/proposals", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first", body = Vec<ProposalView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    ))]
async fn list_proposals(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Vec<ProposalView>>, AppError> {
    service::require_admin(&user)?;
    let rows = store::proposals(&state.db).await?;
    let ids: Vec<i64> = rows.iter().map(|(g, _)| g.id).collect();
    let group_terms = store::terms_of(&state.db, &ids).await?;
    let terms = service::terms(&state).await?;
    Ok(Json(
        rows.iter()
            .map(|(g, proposer)| ProposalView {
                group: group_view(g, &group_terms, &terms),
                proposer: proposer.clone(),
            })
            .collect(),
    ))
}

/// Approve or decline a proposed group (admins only).
#[utoipa::path(post, path = "/api/v1/admin/proposals/{slug}", tag = "admin", security(("bearer" = [])),
    params(("slug" = String, Path)),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such proposal", body = ErrorBody),
    ))]
async fn decide_proposal(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<StatusCode, AppError> {
    service::decide(&state, &user, &slug, body.approve).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTermBody {
    /// `condition`, `community` or `format`.
    pub kind: String,
    pub slug: String,
    #[schema(min_length = 2, max_length = 60)]
    pub name_en: String,
    #[schema(min_length = 2, max_length = 60)]
    pub name_es: String,
}

/// Add a taxonomy term (admins only).
#[utoipa::path(post, path = "/api/v1/admin/taxonomy", tag = "admin", security(("bearer" = [])),
    request_body = NewTermBody,
    responses(
        (status = 204, description = "Added"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "A field is invalid or the slug is taken", body = ErrorBody),
    ))]
async fn add_term(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(body): ApiJson<NewTermBody>,
) -> Result<StatusCode, AppError> {
    service::add_term(
        &state,
        &user,
        &body.kind,
        &body.slug,
        &body.name_en,
        &body.name_es,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameTermBody {
    #[schema(min_length = 2, max_length = 60)]
    pub name_en: String,
    #[schema(min_length = 2, max_length = 60)]
    pub name_es: String,
}

/// Rename a taxonomy term in both languages (admins only).
#[utoipa::path(put, path = "/api/v1/admin/taxonomy/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = RenameTermBody,
    responses(
        (status = 204, description = "Renamed"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such term", body = ErrorBody),
        (status = 422, description = "A name is invalid", body = ErrorBody),
    ))]
async fn rename_term(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RenameTermBody>,
) -> Result<StatusCode, AppError> {
    service::rename_term(&state, &user, id, &body.name_en, &body.name_es).await?;
    Ok(StatusCode::NO_CONTENT)
}
