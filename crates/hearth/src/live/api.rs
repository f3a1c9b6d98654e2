//! Finding a group's chat rooms (the messages themselves travel over
//! `/live`; see docs/protocol.md).

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store;
use crate::AppState;
use crate::api::ErrorBody;
use crate::db::now_ms;
use crate::web::AppError;
use crate::web::extract::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_rooms))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    /// Use it in `subscribe` and `send` frames.
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The newest message's number.
    pub last_seq: i64,
}

/// A group's chat rooms (members and staff).
#[utoipa::path(get, path = "/api/v1/groups/{slug}/rooms", tag = "chat", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The group's rooms", body = Vec<RoomView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
    ))]
async fn list_rooms(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<RoomView>>, AppError> {
    let access = crate::forum::service::access(&state, &user, &slug).await?;
    let room = store::main_room(&state.db, access.group.id, now_ms()).await?;
    Ok(Json(vec![RoomView {
        id: room.id,
        slug: room.slug,
        name: room.name,
        last_seq: room.last_seq,
    }]))
}
