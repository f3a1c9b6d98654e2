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

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::crypto::DataKey;
use crate::safety::CrisisResponse;
use crate::web::{AppError, Ctx, CurrentUser};

/// The member's own key, or a clear failure (a damaged key is logged,
/// never guessed around).
async fn member_key(state: &AppState, account: i64) -> Result<DataKey, AppError> {
    state.keys.member(&state.db, account).await.map_err(|e| {
        tracing::error!(error = %e, "a member's key did not open");
        AppError::Internal("member key".into())
    })
}

/// `value` as JSON, sealed with a member's key for `purpose` and `owner`.
fn seal_json<T: Serialize>(
    key: &DataKey,
    purpose: &str,
    owner: &[u8],
    value: &T,
) -> Result<Vec<u8>, AppError> {
    let plain = serde_json::to_vec(value).map_err(AppError::internal)?;
    key.seal(purpose, owner, &plain).map_err(AppError::internal)
}

/// A sealed JSON value, opened; a damaged one (tampered with, or sealed
/// for someone else) is logged, without its content, and never guessed at.
fn open_json<T: DeserializeOwned>(
    key: &DataKey,
    purpose: &str,
    owner: &[u8],
    id: i64,
    sealed: &[u8],
) -> Option<T> {
    let opened = key
        .open(purpose, owner, sealed)
        .ok()
        .and_then(|plain| serde_json::from_slice(&plain).ok());
    if opened.is_none() {
        tracing::error!(
            record = id,
            purpose,
            "a sealed record is damaged and was not opened"
        );
    }
    opened
}

/// Crisis lines for a member's own words: nobody was told.
pub(crate) fn private_crisis(state: &AppState, ctx: &Ctx, level: crisis::Level) -> CrisisResponse {
    CrisisResponse {
        private: true,
        ..crate::safety::response(state, ctx, level)
    }
}

/// What a page's address carries after saving words that read as risk
/// (`&crisis=…`), so the page it leads to shows the lines at once.
fn crisis_param(risk: Option<crisis::Level>) -> &'static str {
    match risk {
        Some(crisis::Level::Imminent) => "&crisis=imminent",
        Some(_) => "&crisis=ideation",
        None => "",
    }
}

/// The crisis lines [`crisis_param`] asked for.
fn crisis_from_param(state: &AppState, ctx: &Ctx, param: Option<&str>) -> Option<CrisisResponse> {
    let level = match param? {
        "imminent" => crisis::Level::Imminent,
        "ideation" => crisis::Level::Ideation,
        _ => return None,
    };
    Some(private_crisis(state, ctx, level))
}

/// An instant in the member's own zone (UTC if they chose none), as
/// `pattern` (strftime) writes it.
fn member_time(user: &CurrentUser, ms: i64, pattern: &str) -> String {
    let zone = user
        .account
        .time_zone
        .as_deref()
        .and_then(crate::meetings::schedule::zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned_datetime(zone).strftime(pattern).to_string())
        .unwrap_or_default()
}
