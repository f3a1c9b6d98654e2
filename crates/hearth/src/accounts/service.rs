//! Account rules: registration, log-in with throttling and no account
//! enumeration, password change, preferences and deletion.

use std::net::IpAddr;

use unicode_normalization::UnicodeNormalization;

use super::model::{Account, AgeBracket, Email, Handle, NewPassword, Role};
use super::store::{self, InsertError, NewAccount};
use crate::AppState;
use crate::db::now_ms;
use crate::safety::audit;
use crate::web::i18n::Lang;
use crate::web::ratelimit::Key;
use crate::web::{AppError, FieldErrors};

/// What a person typed into the registration form (or sent to the API).
#[derive(Debug, Default, Clone)]
pub struct Registration {
    pub handle: String,
    pub password: Secret,
    /// `None` from the API, which has no confirmation field.
    pub password_confirm: Option<Secret>,
    pub email: String,
    pub age_bracket: String,
    pub language: String,
    /// An admin's invitation, where the site registers by invitation.
    pub invite: String,
}

/// A string that never prints.
#[derive(Default, Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

fn client_key(state: &AppState, purpose: &str, client: Option<IpAddr>) -> Key {
    crate::web::middleware::client_key(state, purpose, client)
}

fn handle_key(state: &AppState, purpose: &str, key: &str) -> Key {
    state.secret.mac(purpose, &[key.as_bytes()])
}

fn limited(l: crate::web::ratelimit::Limited) -> AppError {
    AppError::RateLimited {
        retry_after_secs: l.retry_after_secs,
    }
}

fn parse_language(raw: &str) -> Result<Option<&'static str>, &'static str> {
    match raw.trim() {
        "" => Ok(None),
        code => Lang::from_code(code)
            .filter(|l| l.code() == code)
            .map(|l| Some(l.code()))
            .ok_or("error-language-invalid"),
    }
}

/// Validates and creates a member account; returns it.
pub async fn register(
    state: &AppState,
    r: &Registration,
    client: Option<IpAddr>,
) -> Result<Account, AppError> {
    state
        .limits
        .register_client
        .hit(client_key(state, "register-client", client), now_ms())
        .map_err(limited)?;
    match crate::site::current(state).await?.registration {
        crate::site::Registration::Open => create_account(state, r, Role::Member).await,
        crate::site::Registration::Closed => Err(AppError::Validation(vec![(
            "invite",
            "error-registration-closed",
        )])),
        crate::site::Registration::Invite => {
            if !crate::site::claim_invite(state, &r.invite).await? {
                return Err(AppError::Validation(vec![(
                    "invite",
                    "error-invite-invalid",
                )]));
            }
            let made = create_account(state, r, Role::Member).await;
            crate::site::settle_invite(state, &r.invite, made.as_ref().ok().map(|a| a.id)).await?;
            made
        }
    }
}

/// Creates an account with `role` (the CLI makes admins this way).
pub async fn create_account(
    state: &AppState,
    r: &Registration,
    role: Role,
) -> Result<Account, AppError> {
    let mut errors: FieldErrors = Vec::new();
    let handle = Handle::parse(&r.handle)
        .map_err(|e| errors.push(("handle", e)))
        .ok();
    let password = NewPassword::parse(&r.password.0, handle.as_ref().map(|h| h.key.as_str()))
        .map_err(|e| errors.push(("password", e)))
        .ok();
    if let Some(confirm) = &r.password_confirm
        && password.is_some()
        && confirm.0 != r.password.0
    {
        errors.push(("password_confirm", "error-password-mismatch"));
    }
    let email = Email::parse_optional(&r.email)
        .map_err(|e| errors.push(("email", e)))
        .ok()
        .flatten();
    let age = AgeBracket::parse(&r.age_bracket)
        .map_err(|e| errors.push(("age_bracket", e)))
        .ok();
    let language = parse_language(&r.language)
        .map_err(|e| errors.push(("language", e)))
        .ok()
        .flatten();
    if let Some(h) = &handle
        && store::handle_taken(&state.db, h).await?
    {
        errors.push(("handle", "error-handle-taken"));
    }
    let (Some(handle), Some(password), Some(age), true) =
        (handle, password, age, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let email_sealed = email
        .as_ref()
        .map(|e| {
            state.data_key.seal(
                "accounts.email",
                handle.key.as_bytes(),
                e.as_str().as_bytes(),
            )
        })
        .transpose()
        .map_err(AppError::internal)?;
    let hash = state.hasher.hash(password.expose()).await?;
    let now = now_ms();
    let id = store::insert_account(
        &state.db,
        NewAccount {
            handle: &handle,
            password_hash: &hash,
            email_sealed: email_sealed.as_deref(),
            age_bracket: age,
            role,
            language,
            now,
        },
    )
    .await
    .map_err(|e| match e {
        InsertError::HandleTaken => AppError::Validation(vec![("handle", "error-handle-taken")]),
        InsertError::Db(e) => e.into(),
    })?;
    tracing::info!(account.id = id, "account registered");
    Ok(Account {
        id,
        handle: handle.display,
        age_bracket: age,
        role,
        is_professional: false,
        has_email: email.is_some(),
        language: language.map(str::to_owned),
        region: None,
        time_zone: None,
        quiet_from: None,
        break_minutes: None,
        quiet_to: None,
        created_at: now,
    })
}

/// Why a log-in failed. Unknown handle and wrong password are one case.
#[derive(Debug)]
pub enum LoginError {
    InvalidCredentials,
    Other(AppError),
}

impl From<AppError> for LoginError {
    fn from(e: AppError) -> Self {
        LoginError::Other(e)
    }
}

/// Checks a handle and password, the same whether or not the handle
/// exists. Throttled per client (every attempt), per handle and client
/// (failures), and per handle from everywhere (ten times as many failures),
/// which an address that has logged in to the account before skips: nobody
/// can keep the owner out by typing their handle wrongly from elsewhere.
pub async fn login(
    state: &AppState,
    handle: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<Account, LoginError> {
    let now = now_ms();
    let key: String = handle.trim().nfkc().collect::<String>().to_lowercase();
    let per_handle = handle_key(state, "login-handle", &key);
    let address = client.map_or_else(String::new, |ip| ip.to_string());
    let per_pair = state
        .secret
        .mac("login-handle-client", &[key.as_bytes(), address.as_bytes()]);
    state
        .limits
        .login_client
        .hit(client_key(state, "login-client", client), now)
        .map_err(limited)?;
    state
        .limits
        .login_handle
        .check(per_pair, now)
        .map_err(limited)?;
    if !state.limits.login_known.knows(&per_pair, now) {
        state
            .limits
            .login_handle_total
            .check(per_handle, now)
            .map_err(limited)?;
    }
    let found = store::find_for_login(&state.db, &key)
        .await
        .map_err(AppError::from)?;
    // Audited (T19): the account when the handle exists, 0 when it does
    // not; never what was typed.
    let account_id = found.as_ref().map_or(0, |(a, _)| a.id);
    let failed = || {
        state.limits.login_handle.record(per_pair, now);
        state.limits.login_handle_total.record(per_handle, now);
        tracing::info!("log-in failed");
        audit::record(
            &state.db,
            None,
            audit::Action::LoginFailed,
            audit::ObjectKind::Account,
            account_id,
        )
    };
    if password.chars().count() > super::model::PASSWORD_MAX {
        failed().await;
        return Err(LoginError::InvalidCredentials);
    }
    let stored = found.as_ref().map(|(_, hash)| hash.as_str());
    if state
        .hasher
        .verify(password, stored)
        .await
        .map_err(AppError::from)?
    {
        match found {
            Some((account, _)) => {
                state.limits.login_handle.clear(per_pair);
                state.limits.login_known.remember(per_pair, now);
                tracing::info!(account.id = account.id, "logged in");
                audit::record(
                    &state.db,
                    Some(account.id),
                    audit::Action::Login,
                    audit::ObjectKind::Account,
                    account.id,
                )
                .await;
                Ok(account)
            }
            None => Err(LoginError::InvalidCredentials),
        }
    } else {
        failed().await;
        Err(LoginError::InvalidCredentials)
    }
}

/// Checks the account's current password (throttled like log-in).
pub async fn reauthenticate(
    state: &AppState,
    account_id: i64,
    password: &str,
) -> Result<bool, AppError> {
    let now = now_ms();
    let key = handle_key(state, "reauth", &account_id.to_string());
    state.limits.login_handle.check(key, now).map_err(limited)?;
    let stored = store::password_hash(&state.db, account_id).await?;
    let ok = password.chars().count() <= super::model::PASSWORD_MAX
        && state.hasher.verify(password, stored.as_deref()).await?;
    if ok {
        state.limits.login_handle.clear(key);
    } else {
        state.limits.login_handle.record(key, now);
    }
    Ok(ok)
}

/// Changes the password after checking the current one, and ends every
/// other session of the account.
pub async fn change_password(
    state: &AppState,
    account: &Account,
    keep_session: i64,
    current: &str,
    new: &str,
    confirm: Option<&str>,
) -> Result<u64, AppError> {
    if !reauthenticate(state, account.id, current).await? {
        return Err(AppError::Validation(vec![(
            "current_password",
            "error-current-password",
        )]));
    }
    let key = account.handle.to_lowercase();
    let password = NewPassword::parse(new, Some(&key))
        .map_err(|e| AppError::Validation(vec![("new_password", e)]))?;
    if confirm.is_some_and(|c| c != new) {
        return Err(AppError::Validation(vec![(
            "new_password_confirm",
            "error-password-mismatch",
        )]));
    }
    let hash = state.hasher.hash(password.expose()).await?;
    store::set_password_hash(&state.db, account.id, &hash, now_ms()).await?;
    let ended = store::delete_other_sessions(&state.db, account.id, keep_session).await?;
    crate::bus::publish(
        state,
        crate::bus::Event::SessionEnded {
            account: account.id,
        },
    )
    .await;
    tracing::info!(account.id = account.id, ended, "password changed");
    Ok(ended)
}

/// Sets the interface language, crisis-line region and time zone ("" for
/// automatic: the browser's language, the region it implies, each
/// session's own zone).
pub async fn set_preferences(
    state: &AppState,
    account: &Account,
    language: &str,
    region: &str,
    time_zone: &str,
    quiet: (&str, &str),
) -> Result<(), AppError> {
    let mut errors: FieldErrors = Vec::new();
    let language = parse_language(language)
        .map_err(|e| errors.push(("language", e)))
        .ok()
        .flatten();
    let region = match region.trim() {
        "" => None,
        code => match state.crisis.region(code) {
            Some(r) => Some(r.code.clone()),
            None => {
                errors.push(("region", "error-region-invalid"));
                None
            }
        },
    };
    let time_zone = match time_zone.trim() {
        "" => None,
        name => match crate::meetings::schedule::zone(name) {
            Some(_) => Some(name.to_owned()),
            None => {
                errors.push(("time_zone", "error-session-zone"));
                None
            }
        },
    };
    let hour = |raw: &str| {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|h| (0..24).contains(h))
    };
    let quiet = match (quiet.0.trim(), quiet.1.trim()) {
        ("", "") => None,
        (from, to) => match (hour(from), hour(to)) {
            (Some(f), Some(t)) if f != t => Some((f, t)),
            _ => {
                errors.push(("quiet_from", "error-quiet-hours"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    store::set_preferences(
        &state.db,
        account.id,
        language,
        region.as_deref(),
        time_zone.as_deref(),
        quiet,
        now_ms(),
    )
    .await?;
    Ok(())
}

/// Deletes the account after checking its password.
pub async fn delete_account(
    state: &AppState,
    account: &Account,
    password: &str,
    erase_posts: bool,
) -> Result<(), AppError> {
    if !reauthenticate(state, account.id, password).await? {
        return Err(AppError::Validation(vec![(
            "password",
            "error-current-password",
        )]));
    }
    store::delete_account_with(&state.db, account.id, erase_posts).await?;
    crate::bus::publish(
        state,
        crate::bus::Event::SessionEnded {
            account: account.id,
        },
    )
    .await;
    state.db.checkpoint_after_erasure().await;
    tracing::info!(account.id = account.id, "account deleted");
    audit::record(
        &state.db,
        Some(account.id),
        audit::Action::AccountErase,
        audit::ObjectKind::Account,
        account.id,
    )
    .await;
    Ok(())
}
