//! Server-side sessions. A session token is 256 random bits; the database
//! keeps only a keyed hash of it, so a copy of the database cannot be used
//! to log in, and rotating the server secret ends every session.
//! Sessions end after 30 minutes unused or 12 hours after log-in (both
//! configurable), and are revocable at once.

use super::model::{Account, Role};
use super::store;
use crate::AppState;
use crate::db::now_ms;
use crate::secret::{hex, random_bytes};
use crate::web::{AppError, AuthVia};

/// Only touch `last_seen_at` this often, to keep reads free of writes.
const TOUCH_EVERY_MS: i64 = 60_000;

fn token_hash(state: &AppState, token: &str) -> [u8; 32] {
    state.secret.mac("session", &[token.as_bytes()])
}

fn kind(via: AuthVia) -> &'static str {
    match via {
        AuthVia::Cookie => "browser",
        AuthVia::Bearer => "api",
    }
}

pub fn idle_ms(state: &AppState) -> i64 {
    i64::try_from(
        state
            .settings
            .limits
            .session_idle_minutes
            .saturating_mul(60_000),
    )
    .unwrap_or(i64::MAX)
}

fn absolute_ms(state: &AppState) -> i64 {
    i64::try_from(
        state
            .settings
            .limits
            .session_absolute_hours
            .saturating_mul(3_600_000),
    )
    .unwrap_or(i64::MAX)
}

/// A new session for the account; returns (session id, token, expiry).
pub async fn create(
    state: &AppState,
    account_id: i64,
    via: AuthVia,
) -> Result<(i64, String, i64), AppError> {
    create_with(state, account_id, via, false).await
}

/// A new session that proved (or not) a second factor.
pub async fn create_with(
    state: &AppState,
    account_id: i64,
    via: AuthVia,
    second_factor: bool,
) -> Result<(i64, String, i64), AppError> {
    let token = hex(&random_bytes::<32>().map_err(AppError::internal)?);
    let now = now_ms();
    let expires_at = now.saturating_add(absolute_ms(state));
    let id = store::insert_session(
        &state.db,
        &token_hash(state, &token),
        account_id,
        kind(via),
        now,
        expires_at,
        second_factor,
    )
    .await?;
    Ok((id, token, expires_at))
}

/// Who a live session is: its id, the account, and whether the account's
/// staff role waits for a second factor.
pub struct Authenticated {
    pub session_id: i64,
    /// With a moderator's or admin's role held back (a member's) while
    /// `staff_waiting`.
    pub account: Account,
    pub staff_waiting: bool,
}

/// The account behind a token, if its session is live and of the right
/// kind. A moderator's or admin's session that has not proved a second
/// factor acts with a member's powers (where the site asks staff for one).
pub async fn authenticate(
    state: &AppState,
    token: &str,
    via: AuthVia,
) -> Result<Option<Authenticated>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let now = now_ms();
    let Some((session, account)) =
        store::find_session(&state.db, &token_hash(state, token), now, idle_ms(state)).await?
    else {
        return Ok(None);
    };
    if session.kind != kind(via) {
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY_MS {
        store::touch_session(&state.db, session.id, now).await?;
    }
    let mut account = account;
    let staff_waiting = state.settings.limits.staff_second_factor
        && account.role >= Role::Moderator
        && !session.second_factor;
    if staff_waiting {
        account.role = Role::Member;
    }
    Ok(Some(Authenticated {
        session_id: session.id,
        account,
        staff_waiting,
    }))
}

/// Whether session `session_id` is still live (not ended, not past its
/// idle or absolute limit). `active`: its holder did something just now
/// (a live connection's frames), which counts as use, as a request does.
pub async fn alive(state: &AppState, session_id: i64, active: bool) -> Result<bool, AppError> {
    let now = now_ms();
    let live = store::session_alive(&state.db, session_id, now, idle_ms(state)).await?;
    if live && active {
        store::touch_session(&state.db, session_id, now).await?;
    }
    Ok(live)
}

/// Ends one session of the account.
pub async fn end(state: &AppState, account_id: i64, session_id: i64) -> Result<bool, AppError> {
    let ended = store::delete_session(&state.db, account_id, session_id).await?;
    if ended {
        crate::bus::publish(
            state,
            crate::bus::Event::SessionEnded {
                account: account_id,
            },
        )
        .await;
        crate::safety::audit::record(
            &state.db,
            Some(account_id),
            crate::safety::audit::Action::Logout,
            crate::safety::audit::ObjectKind::Session,
            session_id,
        )
        .await;
    }
    Ok(ended)
}
