//! A member's own tools, private to them: the journal and the safety plan
//! (and, as they come, check-ins, assessments and goals). What a member
//! writes here is sealed with their own key (see `keys`); no role reads
//! it, moderators and admins included.

pub mod api;
pub mod chart;
pub mod goal_pages;
pub mod goals;
pub mod instruments;
pub mod journal;
pub mod pages;
pub mod safety_plan;
pub mod self_care;
pub mod track_pages;
pub mod tracking;

use crate::AppState;
use crate::crypto::DataKey;
use crate::web::AppError;

/// The member's own key, or a clear failure (a damaged key is logged,
/// never guessed around).
async fn member_key(state: &AppState, account: i64) -> Result<DataKey, AppError> {
    state.keys.member(&state.db, account).await.map_err(|e| {
        tracing::error!(error = %e, "a member's key did not open");
        AppError::Internal("member key".into())
    })
}
