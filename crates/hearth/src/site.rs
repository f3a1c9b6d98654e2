//! The site's own settings (its name, who may register) and the admins'
//! single-use invitations. Read on every page for the header, so each node
//! keeps them for a few seconds (`Fresh`); a change on another node reaches
//! this one within that time.

use std::sync::Arc;

use crate::AppState;
use crate::db::{Db, now_ms};
use crate::on_db;
use crate::secret::{hex, random_bytes};

/// How long a node trusts its copy of the settings.
pub const SITE_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(5);
/// The name a site has until an admin gives it one.
pub const DEFAULT_NAME: &str = "Hearth";
/// Longest site name, in characters.
pub const NAME_MAX: usize = 40;
/// How long an invitation can be used.
pub const INVITE_DAYS: i64 = 14;

crate::word_enum!(
    /// Who may register.
    Registration {
        /// Anyone.
        Open = "open",
        /// Those an admin invited, with a single-use link.
        Invite = "invite",
        /// Nobody, for now.
        Closed = "closed",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub name: String,
    pub registration: Registration,
}

impl Default for Site {
    fn default() -> Self {
        Self {
            name: DEFAULT_NAME.to_owned(),
            registration: Registration::Open,
        }
    }
}

pub type SiteCache = crate::fresh::Fresh<Site>;

/// The settings as this node knows them (read again once stale).
pub async fn current(state: &AppState) -> Result<Arc<Site>, sqlx::Error> {
    if let Some(site) = state.site.get() {
        return Ok(site);
    }
    let row: Option<(String, Registration)> = on_db!(&state.db, |pool| {
        sqlx::query_as("SELECT name, registration FROM site_settings WHERE id = 1")
            .fetch_optional(pool)
            .await
    })?;
    let site = Arc::new(
        row.map(|(name, registration)| Site { name, registration })
            .unwrap_or_default(),
    );
    state.site.put(site.clone());
    Ok(site)
}

/// The name for the header, from what this node last read (the request
/// path reads it when stale, before any page is drawn).
pub fn name(state: &AppState) -> String {
    state
        .site
        .get()
        .map_or_else(|| DEFAULT_NAME.to_owned(), |s| s.name.clone())
}

/// Saves the settings.
pub async fn save(state: &AppState, site: &Site) -> Result<(), sqlx::Error> {
    on_db!(&state.db, |pool| {
        sqlx::query("UPDATE site_settings SET name = $1, registration = $2 WHERE id = 1")
            .bind(&site.name)
            .bind(site.registration)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    state.site.forget();
    Ok(())
}

fn code_hash(state: &AppState, code: &str) -> [u8; 32] {
    state.secret.mac("invite", &[code.trim().as_bytes()])
}

/// A new single-use invitation: its code (shown once; only its hash is
/// kept).
pub async fn make_invite(state: &AppState, by: i64) -> Result<String, crate::web::AppError> {
    let bytes: [u8; 16] =
        random_bytes().map_err(|e| crate::web::AppError::internal(format!("random: {e}")))?;
    let code = hex(&bytes);
    let now = now_ms();
    on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO invites (code_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(code_hash(state, &code).as_slice())
        .bind(by)
        .bind(now)
        .bind(now + INVITE_DAYS * 24 * 3600 * 1000)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(code)
}

/// Invitations not yet used nor expired.
pub async fn open_invites(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM invites WHERE used_at IS NULL AND expires_at > $1")
            .bind(now_ms())
            .fetch_one(pool)
            .await
    })
}

/// Takes an invitation for a registration about to be made: true if the
/// code was good (unused, unexpired), and it is now spent. Two people
/// with one code: one of them gets it.
pub async fn claim_invite(state: &AppState, code: &str) -> Result<bool, sqlx::Error> {
    if code.trim().is_empty() || code.len() > 100 {
        return Ok(false);
    }
    let now = now_ms();
    on_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE invites SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(code_hash(state, code).as_slice())
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// After the registration: who used it, or (it failed) the code is good
/// again.
pub async fn settle_invite(
    state: &AppState,
    code: &str,
    account: Option<i64>,
) -> Result<(), sqlx::Error> {
    let hash = code_hash(state, code);
    on_db!(&state.db, |pool| {
        match account {
            Some(id) => sqlx::query("UPDATE invites SET used_by = $1 WHERE code_hash = $2")
                .bind(id)
                .bind(hash.as_slice())
                .execute(pool)
                .await
                .map(|_| ()),
            None => sqlx::query("UPDATE invites SET used_at = NULL WHERE code_hash = $1")
                .bind(hash.as_slice())
                .execute(pool)
                .await
                .map(|_| ()),
        }
    })
}
