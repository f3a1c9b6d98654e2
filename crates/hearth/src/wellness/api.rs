//! The wellness JSON API: the member's own journal and safety plan. Every route reads and
//! writes the caller's own records only; nobody else's are reachable.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::journal::{self, Draft, Entry, Filter, Journal};
use super::safety_plan::{self, Plan, SavedPlan};
use crate::AppState;
use crate::safety::CrisisResponse;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::{AppError, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_entries, create_entry))
        .routes(routes!(get_entry, update_entry, delete_entry))
        .routes(routes!(get_plan, put_plan))
}

/// The caller's safety plan (empty steps before they write one).
#[utoipa::path(get, path = "/api/v1/me/safety-plan", tag = "wellness", security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = SavedPlan),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn get_plan(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<SavedPlan>, AppError> {
    Ok(Json(safety_plan::get(&state, &user).await?))
}

/// Replaces the caller's safety plan (a step left out is empty).
#[utoipa::path(put, path = "/api/v1/me/safety-plan", tag = "wellness", security(("bearer" = [])),
    request_body = Plan,
    responses(
        (status = 200, description = "Saved", body = SavedPlan),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A step too long, or with control characters", body = ErrorBody),
    ))]
async fn put_plan(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(plan): ApiJson<Plan>,
) -> Result<Json<SavedPlan>, AppError> {
    safety_plan::save(&state, &user, plan).await?;
    Ok(Json(safety_plan::get(&state, &user).await?))
}

/// A journal entry to write.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// At most 200 characters, on one line; may be empty.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub title: String,
    /// 1 to 20,000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// `calm`, `hopeful`, `grateful`, `okay`, `tired`, `low`, `anxious` or `angry`.
    #[serde(default)]
    pub mood: Option<String>,
    /// The prompt answered: `today`, `grateful`, `hard`, `kind`, `need`,
    /// `proud`, `worry` or `tomorrow`.
    #[serde(default)]
    pub prompt: Option<String>,
}

impl From<EntryRequest> for Draft {
    fn from(r: EntryRequest) -> Self {
        Draft {
            title: r.title,
            body: r.body,
            mood: r.mood,
            prompt: r.prompt,
        }
    }
}

/// A saved entry, and crisis lines when its words read as risk (nobody
/// was alerted: the journal is private).
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedEntry {
    pub entry: Entry,
    pub crisis: Option<CrisisResponse>,
}

async fn saved(
    state: &AppState,
    user: &crate::web::CurrentUser,
    ctx: &Ctx,
    s: journal::Saved,
) -> Result<SavedEntry, AppError> {
    Ok(SavedEntry {
        entry: journal::entry(state, user, s.id).await?,
        crisis: s
            .risk
            .map(|level| crate::safety::response(state, ctx, level)),
    })
}

/// The caller's journal, newest first, 20 entries a page.
#[utoipa::path(get, path = "/api/v1/me/journal", tag = "wellness", security(("bearer" = [])),
    params(Filter),
    responses(
        (status = 200, description = "A page of entries", body = Journal),
        (status = 422, description = "An unknown mood, or a search too long", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn list_entries(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(filter): Query<Filter>,
) -> Result<Json<Journal>, AppError> {
    Ok(Json(journal::list(&state, &user, &filter).await?))
}

/// Writes a journal entry.
#[utoipa::path(post, path = "/api/v1/me/journal", tag = "wellness", security(("bearer" = [])),
    request_body = EntryRequest,
    responses(
        (status = 201, description = "Written", body = SavedEntry),
        (status = 422, description = "Empty, too long, or an unknown mood or prompt", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn create_entry(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<(StatusCode, Json<SavedEntry>), AppError> {
    let s = journal::create(&state, &user, &req.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(saved(&state, &user, &ctx, s).await?),
    ))
}

/// One of the caller's entries.
#[utoipa::path(get, path = "/api/v1/me/journal/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The entry", body = Entry),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's", body = ErrorBody),
        (status = 500, description = "The entry is damaged and was not opened", body = ErrorBody),
    ))]
async fn get_entry(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Entry>, AppError> {
    Ok(Json(journal::entry(&state, &user, id).await?))
}

/// Rewrites one of the caller's entries.
#[utoipa::path(put, path = "/api/v1/me/journal/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = EntryRequest,
    responses(
        (status = 200, description = "Saved", body = SavedEntry),
        (status = 422, description = "Empty, too long, or an unknown mood or prompt", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's", body = ErrorBody),
    ))]
async fn update_entry(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<Json<SavedEntry>, AppError> {
    let s = journal::update(&state, &user, id, &req.into()).await?;
    Ok(Json(saved(&state, &user, &ctx, s).await?))
}

/// Deletes one of the caller's entries for good.
#[utoipa::path(delete, path = "/api/v1/me/journal/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's", body = ErrorBody),
    ))]
async fn delete_entry(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    journal::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
