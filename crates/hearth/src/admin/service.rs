//! People and roles: admins find accounts by handle and make or remove
//! moderators. Admins themselves are made on the command line
//! (`hearth admin create`), never from the web: a stolen admin session
//! cannot make more admins, nor remove the others.

use crate::AppState;
use crate::accounts::model::Role;
use crate::accounts::store::{self, Person};
use crate::db::now_ms;
use crate::groups::service::require_admin;
use crate::safety::audit::{self, Action, ObjectKind};
use crate::web::{AppError, CurrentUser};

/// Most accounts one search shows.
pub const PEOPLE_PER_PAGE: i64 = 50;
/// Longest handle prefix searched for.
pub const QUERY_MAX: usize = 40;

/// Accounts whose handle starts with `query` (staff first).
pub async fn people(
    state: &AppState,
    user: &CurrentUser,
    query: &str,
) -> Result<Vec<Person>, AppError> {
    require_admin(user)?;
    let prefix: String = query
        .trim()
        .trim_start_matches('@')
        .to_lowercase()
        .chars()
        .take(QUERY_MAX)
        .collect();
    Ok(store::people(&state.db, &prefix, PEOPLE_PER_PAGE).await?)
}

/// Makes an account a moderator, or a moderator a member again. Nobody
/// changes their own role; an admin's role is not changed here. Audited;
/// a demoted moderator's open pages lose their staff powers on their next
/// request (the role is read with the session).
pub async fn set_role(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    to: Role,
) -> Result<Person, AppError> {
    require_admin(user)?;
    if to == Role::Admin {
        return Err(AppError::Validation(vec![("role", "error-role-choice")]));
    }
    let person = store::person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if person.id == user.account.id || person.role == Role::Admin {
        return Err(AppError::Validation(vec![("role", "error-role-admin")]));
    }
    if person.role == to {
        return Ok(person);
    }
    let mut tx = state.db.begin().await?;
    if store::set_role_in(&mut tx, id, person.role, to).await? {
        audit::append_in(
            &mut tx,
            &audit::Entry {
                actor_id: Some(user.account.id),
                action: Action::RoleChange,
                object_kind: ObjectKind::Account,
                object_id: id,
                reason: to.as_str(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        account.id = id,
        role = to.as_str(),
        at = now_ms(),
        "role changed"
    );
    Ok(Person { role: to, ..person })
}

/// An admin names the site and says who may register.
pub async fn save_site(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
    registration: &str,
) -> Result<(), AppError> {
    require_admin(user)?;
    let mut errors = Vec::new();
    let name = crate::text::parse_text(name, 1, crate::site::NAME_MAX, false, "error-site-name")
        .map_err(|e| errors.push(("name", e)))
        .ok();
    let registration = crate::site::Registration::parse(registration)
        .ok_or("error-choose-one")
        .map_err(|e| errors.push(("registration", e)))
        .ok();
    let (Some(name), Some(registration)) = (name, registration) else {
        return Err(AppError::Validation(errors));
    };
    crate::site::save(state, &crate::site::Site { name, registration }).await?;
    audit::append(
        &state.db,
        &audit::Entry {
            actor_id: Some(user.account.id),
            action: Action::SiteChange,
            object_kind: ObjectKind::Site,
            object_id: 1,
            reason: registration.as_str(),
        },
    )
    .await?;
    Ok(())
}

/// A new single-use invitation, for the site's invitation-only joining.
pub async fn make_invite(state: &AppState, user: &CurrentUser) -> Result<String, AppError> {
    require_admin(user)?;
    let code = crate::site::make_invite(state, user.account.id).await?;
    audit::record(
        &state.db,
        Some(user.account.id),
        Action::InviteMake,
        ObjectKind::Invite,
        0,
    )
    .await;
    Ok(code)
}
