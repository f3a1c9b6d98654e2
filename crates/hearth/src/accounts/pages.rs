//! The account pages: register, log in, log out and settings. They work
//! without JavaScript: plain forms, a redirect after each success, and on a
//! mistake the same form again with what was typed and what to fix.

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::net::SocketAddr;

use super::drafts::{self, Kept};
use super::model::Role;
use super::service::{self, LoginError, Registration, Secret};
use super::{sessions, store};
use crate::AppState;
use crate::db::now_ms;
use crate::web::extract::{FormData, PageUser, safe_next};
use crate::web::i18n::Tr;
use crate::web::middleware::{client_ip, cookie, removal_cookie, session_cookie_name};
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, AuthVia, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", get(register_page).post(register))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/preferences", post(save_preferences))
        .route("/account/password", post(change_password))
        .route("/account/sessions/{id}/end", post(end_session))
        .route("/account/sessions/end-others", post(end_other_sessions))
        .route("/account/delete", post(delete_account))
}

pub fn with_session_cookie(state: &AppState, mut response: Response, token: String) -> Response {
    let c = cookie(state, session_cookie_name(state), token);
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

fn without_session_cookie(state: &AppState, mut response: Response) -> Response {
    let c = removal_cookie(state, session_cookie_name(state));
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

// ---- register ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    s: Shell,
    f: FormView,
    /// Who may register here (the form asks for an invitation, or is not
    /// shown at all).
    registration: crate::site::Registration,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RegisterQuery {
    invite: String,
}

#[derive(Template)]
#[template(path = "accounts/too_young.html")]
struct TooYoungPage {
    s: Shell,
}

async fn register_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&ctx.href("/account")).into_response());
    }
    let tr = ctx.tr();
    html(&RegisterPage {
        s: Shell::new(&state, &ctx, tr.t("register-title")),
        f: FormView::new(tr)
            .with_value("language", ctx.lang.code())
            .with_value("invite", q.invite.trim()),
        registration: crate::site::current(&state).await?.registration,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RegisterForm {
    handle: String,
    password: String,
    password_confirm: String,
    email: String,
    age_bracket: String,
    language: String,
    invite: String,
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    FormData(form): FormData<RegisterForm>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let registration = Registration {
        handle: form.handle.clone(),
        password: Secret(form.password),
        password_confirm: Some(Secret(form.password_confirm)),
        email: form.email.clone(),
        age_bracket: form.age_bracket.clone(),
        language: form.language.clone(),
        invite: form.invite.clone(),
    };
    match service::register(
        &state,
        &registration,
        client_ip(&state, &headers, Some(peer)),
    )
    .await
    {
        Ok(account) => {
            let (_, token, _) = sessions::create(&state, account.id, AuthVia::Cookie).await?;
            let lang = crate::web::i18n::Lang::from_code(&form.language).unwrap_or(ctx.lang);
            let to = if ctx.lang_param {
                format!("/welcome?notice=welcome&lang={}", lang.code())
            } else {
                "/welcome?notice=welcome".into()
            };
            Ok(with_session_cookie(
                &state,
                Redirect::to(&to).into_response(),
                token,
            ))
        }
        Err(AppError::Validation(errors)) => {
            if errors.iter().any(|(_, id)| *id == "error-age-under-13") {
                return html(&TooYoungPage {
                    s: Shell::new(&state, &ctx, tr.t("too-young-title")),
                });
            }
            let f = FormView::new(tr)
                .with_value("handle", &form.handle)
                .with_value("email", &form.email)
                .with_value("age_bracket", &form.age_bracket)
                .with_value("language", &form.language)
                .with_value("invite", &form.invite)
                .with_errors(tr, &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    s: Shell::new(&state, &ctx, tr.t("register-title")),
                    f,
                    registration: crate::site::current(&state).await?.registration,
                },
            )
        }
        Err(e) => Err(e),
    }
}

// ---- log in / out -------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    s: Shell,
    f: FormView,
    action: String,
    /// Writing from a form posted after the session ended, carried back.
    draft: Option<String>,
    /// Crisis lines, when that writing suggests risk.
    crisis: Option<crate::safety::CrisisResponse>,
    /// A challenge to log in with a passkey, where the site can have them.
    passkey: Option<super::passkeys::Challenge>,
}

/// The log-in page for someone whose session ended as they posted a form:
/// what they wrote rides along, and returns to its form once they are in
/// (see `accounts::drafts`).
pub fn login_keeping(state: &AppState, ctx: &Ctx, kept: &Kept) -> Response {
    let tr = ctx.tr();
    let page = LoginPage {
        s: Shell::new(state, ctx, tr.t("login-title"))
            .with_notice(Some("notice-session-ended-kept")),
        f: FormView::new(tr),
        action: login_action(ctx, Some(&kept.back)),
        draft: Some(kept.encode()),
        crisis: kept_crisis(state, ctx, kept),
        passkey: None,
    };
    html_with_status(StatusCode::UNAUTHORIZED, &page).unwrap_or_else(IntoResponse::into_response)
}

/// Crisis lines for kept writing that suggests risk (nothing is posted,
/// nobody is alerted: the lines reach the writer at once all the same).
fn kept_crisis(state: &AppState, ctx: &Ctx, kept: &Kept) -> Option<crate::safety::CrisisResponse> {
    let level = state.detector.assess(&kept.text()).level;
    (level >= crisis::Level::Ideation).then(|| crate::safety::CrisisResponse {
        posted: false,
        ..crate::safety::response(state, ctx, level)
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NextQuery {
    next: Option<String>,
    notice: Option<String>,
}

fn login_action(ctx: &Ctx, next: Option<&str>) -> String {
    match next {
        Some(n) if safe_next(Some(n)) != "/" => ctx.href(&format!(
            "/login?next={}",
            crate::web::extract::encode_path(n)
        )),
        _ => ctx.href("/login"),
    }
}

async fn login_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(safe_next(q.next.as_deref())).into_response());
    }
    let tr = ctx.tr();
    html(&LoginPage {
        s: Shell::new(&state, &ctx, tr.t("login-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        f: FormView::new(tr),
        action: login_action(&ctx, q.next.as_deref()),
        draft: None,
        crisis: None,
        passkey: super::passkeys::login_challenge(&state).ok(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    handle: String,
    password: String,
    /// Writing carried from a form posted after the session ended.
    draft: String,
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
    FormData(form): FormData<LoginForm>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    match service::login(
        &state,
        &form.handle,
        &form.password,
        client_ip(&state, &headers, Some(peer)),
    )
    .await
    {
        Ok(account) => {
            // With a second factor, no session yet: the code step first
            // (writing carried here is kept for the account meanwhile).
            if super::factors::enabled(&state.db, account.id).await? {
                let next = match Kept::decode(&form.draft) {
                    Some(kept) => {
                        drafts::keep(&state, account.id, &kept).await?;
                        format!("{}?notice=draft-kept", kept.back)
                    }
                    None => safe_next(q.next.as_deref()).to_owned(),
                };
                return super::factor_pages::to_code_step(&state, account.id, &next);
            }
            // A fresh token at every log-in (no session fixation); any
            // session this browser had ends.
            if let Some(old) = &ctx.user {
                sessions::end(&state, old.account.id, old.session_id).await?;
            }
            let (_, token, _) = sessions::create(&state, account.id, AuthVia::Cookie).await?;
            if let Some(kept) = Kept::decode(&form.draft) {
                drafts::keep(&state, account.id, &kept).await?;
                let to = ctx.href(&format!("{}?notice=draft-kept", kept.back));
                return Ok(with_session_cookie(
                    &state,
                    Redirect::to(&to).into_response(),
                    token,
                ));
            }
            let next = safe_next(q.next.as_deref());
            let to = if next == "/" {
                "/?notice=logged-in".to_owned()
            } else {
                next.to_owned()
            };
            Ok(with_session_cookie(
                &state,
                Redirect::to(&to).into_response(),
                token,
            ))
        }
        Err(LoginError::InvalidCredentials) => {
            let kept = Kept::decode(&form.draft);
            html_with_status(
                StatusCode::UNAUTHORIZED,
                &LoginPage {
                    s: Shell::new(&state, &ctx, tr.t("login-title")),
                    f: FormView::new(tr)
                        .with_value("handle", &form.handle)
                        .with_errors(tr, &[("handle", "error-login-failed")]),
                    action: login_action(&ctx, q.next.as_deref()),
                    crisis: kept.as_ref().and_then(|k| kept_crisis(&state, &ctx, k)),
                    passkey: super::passkeys::login_challenge(&state).ok(),
                    draft: kept.map(|k| k.encode()),
                },
            )
        }
        Err(LoginError::Other(e)) => Err(e),
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(user) = &ctx.user {
        sessions::end(&state, user.account.id, user.session_id).await?;
        tracing::info!(account.id = user.account.id, "logged out");
    }
    let to = ctx.href("/login?notice=logged-out");
    Ok(without_session_cookie(
        &state,
        Redirect::to(&to).into_response(),
    ))
}

// ---- settings ---------------------------------------------------------------------

pub struct SessionLine {
    pub id: i64,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "accounts/settings.html")]
struct SettingsPage {
    s: Shell,
    f: FormView,
    handle: String,
    role: String,
    age_space: String,
    language: String,
    region: String,
    regions: Vec<(String, String)>,
    time_zone: String,
    zones: &'static [String],
    quiet_from: String,
    quiet_to: String,
    hours: Vec<String>,
    sessions: Vec<SessionLine>,
}

fn minutes_ago(now: i64, then: i64) -> String {
    ((now - then).max(0) / 60_000).to_string()
}

async fn settings_page(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::web::CurrentUser,
    f: FormView,
    notice: Option<&str>,
) -> Result<SettingsPage, AppError> {
    let tr: Tr = ctx.tr();
    let now = now_ms();
    let rows =
        store::list_sessions(&state.db, user.account.id, now, sessions::idle_ms(state)).await?;
    let a = &user.account;
    let role = match (a.role, a.is_professional) {
        (Role::Admin, _) => tr.t("role-admin"),
        (Role::Moderator, _) => tr.t("role-moderator"),
        (Role::Member, true) => tr.t("role-professional"),
        (Role::Member, false) => tr.t("role-member"),
    };
    Ok(SettingsPage {
        s: Shell::new(state, ctx, tr.t("account-title")).with_notice(notice),
        f,
        handle: a.handle.clone(),
        role,
        age_space: tr.t(match a.age_bracket {
            super::model::AgeBracket::Youth => "age-space-youth",
            super::model::AgeBracket::Adult => "age-space-adult",
        }),
        language: a.language.clone().unwrap_or_default(),
        region: a.region.clone().unwrap_or_default(),
        regions: state.crisis.choices(ctx.lang),
        time_zone: a.time_zone.clone().unwrap_or_default(),
        zones: crate::meetings::schedule::zone_names(),
        quiet_from: a.quiet_from.map(|h| h.to_string()).unwrap_or_default(),
        quiet_to: a.quiet_to.map(|h| h.to_string()).unwrap_or_default(),
        hours: (0..24).map(|h| h.to_string()).collect(),
        sessions: rows
            .iter()
            .map(|r| SessionLine {
                id: r.id,
                current: r.id == user.session_id,
                label: tr.t_args(
                    if r.kind == "api" {
                        "account-session-api"
                    } else {
                        "account-session-browser"
                    },
                    &[
                        ("signed_in", minutes_ago(now, r.created_at)),
                        ("active", minutes_ago(now, r.last_seen_at)),
                    ],
                ),
            })
            .collect(),
    })
}

async fn account_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let page = settings_page(
        &state,
        &ctx,
        &user,
        FormView::new(ctx.tr()),
        notice_id(q.notice.as_deref()),
    )
    .await?;
    html(&page)
}

/// The settings page again, with the errors of one of its forms.
async fn settings_with_errors(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::web::CurrentUser,
    errors: &[(&'static str, &'static str)],
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let page = settings_page(
        state,
        ctx,
        user,
        FormView::new(tr).with_errors(tr, errors),
        None,
    )
    .await?;
    html_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PreferencesForm {
    language: String,
    region: String,
    time_zone: String,
    quiet_from: String,
    quiet_to: String,
}

async fn save_preferences(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<PreferencesForm>,
) -> Result<Response, AppError> {
    match service::set_preferences(
        &state,
        &user.account,
        &form.language,
        &form.region,
        &form.time_zone,
        (&form.quiet_from, &form.quiet_to),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?notice=prefs").into_response()),
        Err(AppError::Validation(errors)) => {
            settings_with_errors(&state, &ctx, &user, &errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<PasswordForm>,
) -> Result<Response, AppError> {
    match service::change_password(
        &state,
        &user.account,
        user.session_id,
        &form.current_password,
        &form.new_password,
        Some(&form.new_password_confirm),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.href("/account?notice=password")).into_response()),
        Err(AppError::Validation(errors)) => {
            settings_with_errors(&state, &ctx, &user, &errors).await
        }
        Err(e) => Err(e),
    }
}

async fn end_session(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if id == user.session_id || !sessions::end(&state, user.account.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&ctx.href("/account?notice=session-ended")).into_response())
}

async fn end_other_sessions(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    store::delete_other_sessions(&state.db, user.account.id, user.session_id).await?;
    crate::bus::publish(
        &state,
        crate::bus::Event::SessionEnded {
            account: user.account.id,
        },
    )
    .await;
    Ok(Redirect::to(&ctx.href("/account?notice=sessions-ended")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    password: String,
    confirm: String,
    /// "yes": their posts and messages go too.
    erase_posts: String,
}

async fn delete_account(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<DeleteForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        return settings_with_errors(&state, &ctx, &user, &[("confirm", "error-delete-confirm")])
            .await;
    }
    let erase = form.erase_posts == "yes";
    match service::delete_account(&state, &user.account, &form.password, erase).await {
        Ok(()) => {
            let to = ctx.href("/?notice=deleted");
            Ok(without_session_cookie(
                &state,
                Redirect::to(&to).into_response(),
            ))
        }
        Err(AppError::Validation(errors)) => {
            settings_with_errors(&state, &ctx, &user, &errors).await
        }
        Err(e) => Err(e),
    }
}
