//! People and roles over the JSON API (admins only).

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use crate::AppState;
use crate::accounts::model::Role;
use crate::web::AppError;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people))
        .routes(routes!(set_role))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub id: i64,
    pub handle: String,
    pub role: Role,
    /// Milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
}

impl From<crate::accounts::store::Person> for PersonView {
    fn from(p: crate::accounts::store::Person) -> Self {
        Self {
            id: p.id,
            handle: p.handle,
            role: p.role,
            created_at: p.created_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct PeopleParams {
    /// The start of a handle (any when empty).
    #[param(max_length = 40)]
    q: String,
}

/// Accounts whose handle starts with `q`, staff first (50 at most).
#[utoipa::path(get, path = "/api/v1/admin/people", tag = "admin", security(("bearer" = [])),
    params(PeopleParams),
    responses(
        (status = 200, description = "People", body = Vec<PersonView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "`q` is longer than 40 characters", body = ErrorBody),
    ))]
async fn list_people(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(p): Query<PeopleParams>,
) -> Result<Json<Vec<PersonView>>, AppError> {
    if p.q.chars().count() > service::QUERY_MAX {
        return Err(AppError::Validation(vec![("q", "error-people-query")]));
    }
    let rows = service::people(&state, &user, &p.q).await?;
    Ok(Json(rows.into_iter().map(PersonView::from).collect()))
}

/// A role an admin may give from here.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GivenRole {
    Member,
    Moderator,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    pub role: GivenRole,
}

/// Make an account a moderator, or a moderator a member again. Admins'
/// roles, and one's own, are not changed here.
#[utoipa::path(put, path = "/api/v1/admin/people/{id}/role", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = RoleBody,
    responses(
        (status = 200, description = "The account with its role", body = PersonView),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "That account's role cannot be changed here", body = ErrorBody),
    ))]
async fn set_role(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<Json<PersonView>, AppError> {
    let role = match body.role {
        GivenRole::Member => Role::Member,
        GivenRole::Moderator => Role::Moderator,
    };
    Ok(Json(
        service::set_role(&state, &user, id, role).await?.into(),
    ))
}
