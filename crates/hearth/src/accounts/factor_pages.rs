//! The second factor's pages: the code step of logging in, and the
//! account's security page (set up an authenticator app, recovery codes,
//! turn it off). Plain forms, without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::passkeys::{self, Challenge};
use super::{factors, sessions};
use crate::AppState;
use crate::web::extract::{FormData, PageUser, safe_next};
use crate::web::middleware::{cookie, removal_cookie};
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, AuthVia, Ctx};

/// The cookie that carries an account from its password to its code.
pub const PENDING_COOKIE: &str = "hearth_second_factor";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login/second-factor", get(code_page).post(code))
        .route("/account/security", get(security_page))
        .route("/account/security/totp", post(begin))
        .route("/account/security/totp/confirm", post(confirm))
        .route("/account/security/totp/remove", post(remove))
        .route("/account/security/recovery-codes", post(regenerate))
        .route("/account/security/passkeys", post(add_passkey))
        .route(
            "/account/security/passkeys/{id}/remove",
            post(remove_passkey),
        )
        .route("/login/passkey", post(passkey_login))
        .route("/login/second-factor/passkey", post(passkey_code))
}

/// The response that sends someone whose password was right on to the
/// code step.
pub fn to_code_step(state: &AppState, account_id: i64, next: &str) -> Result<Response, AppError> {
    let value = factors::pending_value(state, account_id)?;
    let jar = CookieJar::new().add(cookie(state, PENDING_COOKIE, value));
    let to = format!(
        "/login/second-factor?next={}",
        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    );
    Ok((jar, Redirect::to(&to)).into_response())
}

/// The account the password step's cookie names, if any (and in time).
fn pending(state: &AppState, jar: &CookieJar) -> Option<i64> {
    jar.get(PENDING_COOKIE)
        .and_then(|c| factors::pending_account(state, c.value()))
}

#[derive(Template)]
#[template(path = "accounts/second_factor.html")]
struct CodePage {
    s: Shell,
    f: FormView,
    next: String,
    /// A passkey challenge, when the account has passkeys.
    passkey: Option<Challenge>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NextQuery {
    next: Option<String>,
}

async fn code_page(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let Some(account_id) = pending(&state, &jar) else {
        return Ok(Redirect::to(&ctx.href("/login")).into_response());
    };
    let tr = ctx.tr();
    html(&CodePage {
        s: Shell::new(&state, &ctx, tr.t("second-factor-title")),
        f: FormView::new(tr),
        next: safe_next(q.next.as_deref()).to_owned(),
        passkey: passkeys::second_factor_challenge(&state, account_id).await?,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CodeForm {
    code: String,
    next: String,
}

async fn code(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    FormData(form): FormData<CodeForm>,
) -> Result<Response, AppError> {
    let Some(account_id) = pending(&state, &jar) else {
        // Too late, or never asked: the password step again.
        return Ok(Redirect::to(&ctx.href("/login?notice=second-factor-expired")).into_response());
    };
    let tr = ctx.tr();
    let next = safe_next(Some(&form.next)).to_owned();
    if !factors::verify(&state, account_id, &form.code).await? {
        return html_with_status(
            StatusCode::UNAUTHORIZED,
            &CodePage {
                s: Shell::new(&state, &ctx, tr.t("second-factor-title")),
                f: FormView::new(tr).with_errors(tr, &[("code", "error-code-wrong")]),
                next,
                passkey: passkeys::second_factor_challenge(&state, account_id).await?,
            },
        );
    }
    log_in(&state, &ctx, jar, account_id, &next).await
}

/// A session that proved both factors, its cookie, and the way on.
async fn log_in(
    state: &AppState,
    ctx: &Ctx,
    jar: CookieJar,
    account_id: i64,
    next: &str,
) -> Result<Response, AppError> {
    if let Some(old) = &ctx.user {
        sessions::end(state, old.account.id, old.session_id).await?;
    }
    let (_, token, _) = sessions::create_with(state, account_id, AuthVia::Cookie, true).await?;
    let to = if next == "/" {
        "/?notice=logged-in".to_owned()
    } else {
        next.to_owned()
    };
    let response = (
        jar.add(removal_cookie(state, PENDING_COOKIE)),
        Redirect::to(&to),
    )
        .into_response();
    Ok(super::pages::with_session_cookie(state, response, token))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasskeyForm {
    state: String,
    credential: String,
    next: String,
    name: String,
}

/// Log in with a passkey alone (the device and its PIN are both factors).
async fn passkey_login(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    FormData(form): FormData<PasskeyForm>,
) -> Result<Response, AppError> {
    let account_id = passkeys::login(&state, &form.state, &form.credential).await?;
    tracing::info!(account.id = account_id, "logged in with a passkey");
    crate::safety::audit::record(
        &state.db,
        Some(account_id),
        crate::safety::audit::Action::Login,
        crate::safety::audit::ObjectKind::Account,
        account_id,
    )
    .await;
    let next = safe_next(Some(&form.next)).to_owned();
    log_in(&state, &ctx, jar, account_id, &next).await
}

/// The code step answered with a passkey instead of a code.
async fn passkey_code(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    FormData(form): FormData<PasskeyForm>,
) -> Result<Response, AppError> {
    let Some(account_id) = pending(&state, &jar) else {
        return Ok(Redirect::to(&ctx.href("/login?notice=second-factor-expired")).into_response());
    };
    passkeys::second_factor(&state, account_id, &form.state, &form.credential).await?;
    let next = safe_next(Some(&form.next)).to_owned();
    log_in(&state, &ctx, jar, account_id, &next).await
}

async fn add_passkey(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<PasskeyForm>,
) -> Result<Response, AppError> {
    passkeys::register(
        &state,
        user.account.id,
        &form.state,
        &form.credential,
        &form.name,
    )
    .await?;
    Ok(Redirect::to(&ctx.href("/account/security?notice=passkey-added")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RemovePasskeyForm {
    current_password: String,
}

async fn remove_passkey(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<RemovePasskeyForm>,
) -> Result<Response, AppError> {
    if !super::service::reauthenticate(&state, user.account.id, &form.current_password).await? {
        return again(
            &state,
            &ctx,
            &user,
            AppError::Validation(vec![("current_password", "error-current-password")]),
        )
        .await;
    }
    passkeys::remove(&state, user.account.id, id).await?;
    Ok(Redirect::to(&ctx.href("/account/security?notice=passkey-removed")).into_response())
}

#[derive(Template)]
#[template(path = "accounts/security.html")]
struct SecurityPage {
    s: Shell,
    f: FormView,
    status: factors::Status,
    setup: Option<factors::Setup>,
    /// Recovery codes just made, shown this once.
    codes: Vec<String>,
    passkeys: Vec<PasskeyView>,
    /// A challenge to add a passkey; none where the site cannot have them.
    add_passkey: Option<Challenge>,
}

struct PasskeyView {
    id: i64,
    name: String,
    added: String,
    last_used: String,
}

async fn security_view(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::web::CurrentUser,
    f: FormView,
    codes: Vec<String>,
) -> Result<SecurityPage, AppError> {
    let tr = ctx.tr();
    let passkeys = passkeys::list(&state.db, user.account.id)
        .await?
        .into_iter()
        .map(|p| PasskeyView {
            id: p.id,
            name: p.name,
            added: crate::web::time::display(p.created_at),
            last_used: p
                .last_used_at
                .map(crate::web::time::display)
                .unwrap_or_else(|| tr.t("security-passkey-never")),
        })
        .collect();
    let add_passkey = if state.webauthn.is_some() {
        Some(passkeys::register_challenge(state, user.account.id, &user.account.handle).await?)
    } else {
        None
    };
    Ok(SecurityPage {
        s: Shell::new(state, ctx, tr.t("security-title")),
        f,
        status: factors::status(state, user.account.id).await?,
        setup: factors::pending(state, user).await?,
        codes,
        passkeys,
        add_passkey,
    })
}

async fn security_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let mut page = security_view(&state, &ctx, &user, FormView::new(tr), Vec::new()).await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

async fn begin(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    factors::begin(&state, &user).await?;
    Ok(Redirect::to(&ctx.href("/account/security#set-up")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConfirmForm {
    current_password: String,
    code: String,
}

/// A form's failure shown on the security page (422), or the error itself.
async fn again(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::web::CurrentUser,
    error: AppError,
) -> Result<Response, AppError> {
    match error {
        AppError::Validation(errors) => {
            let tr = ctx.tr();
            let f = FormView::new(tr).with_errors(tr, &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &security_view(state, ctx, user, f, Vec::new()).await?,
            )
        }
        e => Err(e),
    }
}

async fn confirm(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<ConfirmForm>,
) -> Result<Response, AppError> {
    match factors::confirm(&state, &user, &form.current_password, &form.code).await {
        Ok(codes) => {
            let tr = ctx.tr();
            let mut page = security_view(&state, &ctx, &user, FormView::new(tr), codes).await?;
            page.s = page.s.with_notice(Some("notice-second-factor-on"));
            // This session proved the factor just now: staff tools are open
            // from the next page on, so this one no longer says they wait.
            page.s.staff_waiting = false;
            html(&page)
        }
        Err(e) => again(&state, &ctx, &user, e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
}

async fn remove(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<PasswordForm>,
) -> Result<Response, AppError> {
    match factors::remove(&state, &user, &form.current_password).await {
        Ok(()) => Ok(
            Redirect::to(&ctx.href("/account/security?notice=second-factor-off")).into_response(),
        ),
        Err(e) => again(&state, &ctx, &user, e).await,
    }
}

async fn regenerate(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<PasswordForm>,
) -> Result<Response, AppError> {
    match factors::regenerate(&state, &user, &form.current_password).await {
        Ok(codes) => {
            let tr = ctx.tr();
            html(&security_view(&state, &ctx, &user, FormView::new(tr), codes).await?)
        }
        Err(e) => again(&state, &ctx, &user, e).await,
    }
}
