//! Password reset: by a link e-mailed to a member who gave an address
//! (good for 30 minutes), or by a one-time link an admin makes for one who
//! did not (good for a day). Each link works once; only a keyed hash of its
//! token is stored. Asking for a link answers the same whether or not the
//! handle exists and has that address, so the form tells nobody who is
//! here. A new password ends every session of the account.

use std::net::{IpAddr, SocketAddr};

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;

use super::model::{NewPassword, Role};
use super::store;
use crate::AppState;
use crate::db::now_ms;
use crate::safety::audit::{self, Action, ObjectKind};
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::{Lang, Tr};
use crate::web::middleware::client_ip;
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx, CurrentUser};

/// How long an e-mailed link works.
pub const EMAIL_LINK_MINUTES: i64 = 30;
/// How long an admin's link works.
pub const ADMIN_LINK_HOURS: i64 = 24;
/// Links e-mailed to one account an hour, at most (more requests are
/// answered the same, and send nothing).
const EMAILS_PER_HOUR: i64 = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/forgot", get(forgot_page).post(forgot))
        .route("/account/reset", get(reset_page).post(reset))
        .route("/admin/people/{id}/reset-link", post(admin_link))
}

fn token_hash(state: &AppState, token: &str) -> [u8; 32] {
    state.secret.mac("password-reset", &[token.as_bytes()])
}

fn new_token() -> Result<String, AppError> {
    let bytes: [u8; 32] = crate::secret::random_bytes().map_err(AppError::internal)?;
    Ok(crate::secret::hex(&bytes))
}

fn link(state: &AppState, token: &str) -> String {
    format!("{}/account/reset?token={token}", state.settings.public_url)
}

/// Whether `typed` is the address sealed for this account (compared
/// case-insensitively, in constant time).
fn same_address(state: &AppState, target: &store::ResetTarget, typed: &str) -> Option<String> {
    let sealed = target.email_sealed.as_deref()?;
    let opened = state
        .data_key
        .open("accounts.email", target.handle_key.as_bytes(), sealed)
        .ok()?;
    let stored = String::from_utf8(opened).ok()?;
    let same: bool = stored
        .trim()
        .to_lowercase()
        .as_bytes()
        .ct_eq(typed.trim().to_lowercase().as_bytes())
        .into();
    same.then_some(stored)
}

/// Asks for a link by e-mail. Answers the same (nothing, or a validation
/// error about the shape of what was typed) whether or not anything is sent.
pub async fn request_by_email(
    state: &AppState,
    handle: &str,
    email: &str,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if handle.trim().is_empty() || handle.chars().count() > 60 {
        errors.push(("handle", "error-handle-required"));
    }
    if email.trim().is_empty() || email.len() > 254 {
        errors.push(("email", "error-email-required"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = now_ms();
    state
        .limits
        .register_client
        .hit(
            crate::web::middleware::client_key(state, "reset-client", client),
            now,
        )
        .map_err(|l| AppError::RateLimited {
            retry_after_secs: l.retry_after_secs,
        })?;
    if !state.mail.enabled() {
        return Ok(());
    }
    // The rest happens after the answer, so that how long the answer takes
    // says nothing about whether the handle and address matched.
    let (state, handle, email) = (state.clone(), handle.to_owned(), email.to_owned());
    tokio::spawn(async move {
        if let Err(e) = mail_link(&state, &handle, &email, now).await {
            tracing::warn!(error = ?e, "a password reset link could not be sent");
        }
    });
    Ok(())
}

/// Mails a reset link if the handle has that address (and has not had
/// too many this hour).
async fn mail_link(state: &AppState, handle: &str, email: &str, now: i64) -> Result<(), AppError> {
    // One at a time on this node, so that the hourly count is read and
    // raised together.
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let key: String = handle.trim().nfkc().collect::<String>().to_lowercase();
    let Some(target) = store::reset_target(&state.db, &key).await? else {
        return Ok(());
    };
    let Some(address) = same_address(state, &target, email) else {
        return Ok(());
    };
    let recent = store::recent_email_resets(&state.db, target.id, now - 3600 * 1000).await?;
    if recent >= EMAILS_PER_HOUR {
        tracing::info!(
            account.id = target.id,
            "password reset mail not sent: too many this hour"
        );
        return Ok(());
    }
    let token = new_token()?;
    let hash = token_hash(state, &token);
    let mut tx = state.db.begin().await?;
    store::insert_reset(
        &mut tx,
        &store::NewReset {
            token_hash: &hash,
            account_id: target.id,
            kind: "email",
            created_by: None,
            now,
            expires_at: now + EMAIL_LINK_MINUTES * 60 * 1000,
        },
    )
    .await?;
    tx.commit().await?;
    let tr = Tr(target
        .language
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| state.default_lang()));
    let site = crate::site::name(state);
    let url = link(state, &token);
    let args: [(&'static str, crate::web::i18n::Arg); 4] = [
        ("handle", target.handle.clone().into()),
        ("site", site.into()),
        ("link", url.into()),
        ("minutes", EMAIL_LINK_MINUTES.into()),
    ];
    crate::mail::enqueue(
        state,
        &crate::mail::Outgoing {
            to: address,
            subject: tr.t_args("mail-reset-subject", &args),
            body: tr.t_args("mail-reset-body", &args),
        },
    )
    .await?;
    tracing::info!(account.id = target.id, "password reset link e-mailed");
    Ok(())
}

/// An admin makes a one-time link for a member or moderator (never for an
/// admin: no admin can take over another's account). Audited.
pub async fn make_admin_link(
    state: &AppState,
    admin: &CurrentUser,
    account_id: i64,
) -> Result<(String, String), AppError> {
    crate::groups::service::require_admin(admin)?;
    let target = store::reset_target_by_id(&state.db, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role == Role::Admin {
        return Err(AppError::Forbidden);
    }
    let token = new_token()?;
    let hash = token_hash(state, &token);
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    store::insert_reset(
        &mut tx,
        &store::NewReset {
            token_hash: &hash,
            account_id,
            kind: "admin",
            created_by: Some(admin.account.id),
            now,
            expires_at: now + ADMIN_LINK_HOURS * 3600 * 1000,
        },
    )
    .await?;
    audit::append_in(
        &mut tx,
        &audit::Entry {
            actor_id: Some(admin.account.id),
            action: Action::ResetLinkMake,
            object_kind: ObjectKind::Account,
            object_id: account_id,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok((target.handle, link(state, &token)))
}

/// Sets a new password with a live link, ends every session of the
/// account, and uses up its links. Returns the handle.
pub async fn complete(
    state: &AppState,
    token: &str,
    new: &str,
    confirm: &str,
) -> Result<String, AppError> {
    let hash = token_hash(state, token);
    let (account_id, handle, kind) = store::live_reset(&state.db, &hash, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    let password = NewPassword::parse(new, Some(&handle.to_lowercase()))
        .map_err(|e| AppError::Validation(vec![("new_password", e)]))?;
    if confirm != new {
        return Err(AppError::Validation(vec![(
            "new_password_confirm",
            "error-password-mismatch",
        )]));
    }
    let password_hash = state.hasher.hash(password.expose()).await?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    // Used once: a second request with the same link finds nothing.
    if store::use_reset(&mut tx, &hash, now).await? != Some(account_id) {
        return Err(AppError::NotFound);
    }
    store::set_password_hash_in(&mut tx, account_id, &password_hash, now).await?;
    store::end_sessions_in(&mut tx, account_id).await?;
    // An admin's link is how someone who lost their phone and their
    // recovery codes gets back in: it turns the app off too, to be set up
    // again.
    if kind == "admin" {
        super::factors::remove_in(&mut tx, account_id).await?;
    }
    audit::append_in(
        &mut tx,
        &audit::Entry {
            actor_id: Some(account_id),
            action: Action::PasswordReset,
            object_kind: ObjectKind::Account,
            object_id: account_id,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    crate::bus::publish(
        state,
        crate::bus::Event::SessionEnded {
            account: account_id,
        },
    )
    .await;
    tracing::info!(account.id = account_id, "password reset");
    Ok(handle)
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    s: Shell,
    f: FormView,
    mail: bool,
}

async fn forgot_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    html(&ForgotPage {
        s: Shell::new(&state, &ctx, tr.t("forgot-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        f: FormView::new(tr),
        mail: state.mail.enabled(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotForm {
    handle: String,
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    FormData(form): FormData<ForgotForm>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let client = client_ip(&state, &headers, Some(peer));
    match request_by_email(&state, &form.handle, &form.email, client).await {
        Ok(()) => Ok(Redirect::to(&ctx.href("/account/forgot?notice=reset-sent")).into_response()),
        Err(AppError::Validation(errors)) => html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ForgotPage {
                s: Shell::new(&state, &ctx, tr.t("forgot-title")),
                f: FormView::new(tr)
                    .with_value("handle", &form.handle)
                    .with_value("email", &form.email)
                    .with_errors(tr, &errors),
                mail: state.mail.enabled(),
            },
        ),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    s: Shell,
    f: FormView,
    /// The link's token, when it is live; none shows why it cannot be used.
    token: Option<String>,
    handle: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenQuery {
    token: String,
}

/// Only the shape of a token we make (64 hexadecimal digits) is looked up.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn reset_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let live = if well_formed(&q.token) {
        store::live_reset(&state.db, &token_hash(&state, &q.token), now_ms()).await?
    } else {
        None
    };
    let page = ResetPage {
        s: Shell::new(&state, &ctx, tr.t("reset-title")),
        f: FormView::new(tr),
        handle: live.as_ref().map(|(_, h, _)| h.clone()).unwrap_or_default(),
        token: live.map(|_| q.token),
    };
    if page.token.is_some() {
        html(&page)
    } else {
        html_with_status(StatusCode::GONE, &page)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetForm {
    token: String,
    new_password: String,
    new_password_confirm: String,
}

async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    FormData(form): FormData<ResetForm>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let result = if well_formed(&form.token) {
        complete(
            &state,
            &form.token,
            &form.new_password,
            &form.new_password_confirm,
        )
        .await
    } else {
        Err(AppError::NotFound)
    };
    match result {
        Ok(_) => Ok(Redirect::to(&ctx.href("/login?notice=password-reset")).into_response()),
        Err(AppError::Validation(errors)) => {
            let handle = store::live_reset(&state.db, &token_hash(&state, &form.token), now_ms())
                .await?
                .map(|(_, h, _)| h)
                .unwrap_or_default();
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetPage {
                    s: Shell::new(&state, &ctx, tr.t("reset-title")),
                    f: FormView::new(tr).with_errors(tr, &errors),
                    token: Some(form.token),
                    handle,
                },
            )
        }
        Err(AppError::NotFound) => html_with_status(
            StatusCode::GONE,
            &ResetPage {
                s: Shell::new(&state, &ctx, tr.t("reset-title")),
                f: FormView::new(tr),
                token: None,
                handle: String::new(),
            },
        ),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin/reset_link.html")]
struct AdminLinkPage {
    s: Shell,
    handle: String,
    link: String,
    about: String,
}

async fn admin_link(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let (handle, link) = make_admin_link(&state, &user, id).await?;
    html(&AdminLinkPage {
        s: Shell::new(&state, &ctx, tr.t("reset-link-title")),
        handle,
        link,
        about: tr.t_args("reset-link-about", &[("hours", ADMIN_LINK_HOURS)]),
    })
}
