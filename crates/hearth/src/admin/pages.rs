//! The hub and the people page, without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service;
use crate::AppState;
use crate::accounts::model::Role;
use crate::groups::service::require_admin;
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(hub))
        .route("/admin/people", get(people_page))
        .route("/admin/people/{id}/role", post(set_role))
        .route("/admin/site", get(site_page).post(save_site))
        .route("/admin/site/invites", post(make_invite))
}

/// One task on the hub.
pub struct Task {
    pub href: &'static str,
    pub title: String,
    pub about: String,
}

/// The latest backup, as the hub shows it.
struct BackupView {
    display: String,
    machine: String,
    size: String,
    /// Older than a week: the hub says so.
    stale: bool,
}

/// A week: a backup older than this is called out on the hub, and mail
/// given up on is counted over it.
const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;

/// `1.4 MB`, `812 kB`, `93 bytes`.
fn size_text(bytes: i64) -> String {
    match bytes {
        b if b >= 1_000_000_000 => format!("{:.1} GB", b as f64 / 1e9),
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{} kB", b / 1_000),
        b => format!("{b} bytes"),
    }
}

#[derive(Template)]
#[template(path = "admin/hub.html")]
struct HubPage {
    s: Shell,
    tasks: Vec<Task>,
    backup: Option<BackupView>,
    /// Mail's state: off, or how many wait and how many failed this week.
    mail: Option<(i64, i64)>,
}

async fn hub(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    require_admin(&user)?;
    let tr = ctx.tr();
    let tasks = [
        ("/admin/people", "admin-people"),
        ("/admin/site", "admin-site"),
        ("/admin/groups", "admin-proposals"),
        ("/groups/new", "admin-new-group"),
        ("/admin/taxonomy", "admin-taxonomy"),
        ("/admin/filters", "admin-filters"),
        ("/moderation/alerts", "admin-alerts"),
        ("/moderation/reports", "admin-reports"),
        ("/moderation/appeals", "admin-appeals"),
        ("/admin/audit", "admin-audit"),
    ]
    .into_iter()
    .map(|(href, key)| Task {
        href,
        title: tr.t(key),
        about: tr.t(&format!("{key}-about")),
    })
    .collect();
    let backup = crate::backup::latest(&state.db).await?.map(|b| BackupView {
        display: time::display(b.taken_at),
        machine: time::machine(b.taken_at),
        size: size_text(b.bytes),
        stale: crate::db::now_ms() - b.taken_at > WEEK_MS,
    });
    let mail = if state.mail.enabled() {
        let week_ago = crate::db::now_ms() - WEEK_MS;
        Some((
            crate::mail::store::queued(&state.db).await?,
            crate::mail::store::failed_since(&state.db, week_ago).await?,
        ))
    } else {
        None
    };
    html(&HubPage {
        s: Shell::new(&state, &ctx, tr.t("admin-title")),
        tasks,
        backup,
        mail,
    })
}

pub struct PersonView {
    pub id: i64,
    pub handle: String,
    pub role: String,
    pub joined: String,
    pub joined_machine: String,
    /// The role the form offers instead (none for admins and oneself).
    pub offer: Option<(&'static str, String)>,
    /// Whether an admin may make them a password reset link (not for admins).
    pub can_reset: bool,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
struct PeoplePage {
    s: Shell,
    q: String,
    people: Vec<PersonView>,
    full: bool,
    f: FormView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PeopleQuery {
    q: String,
    notice: Option<String>,
}

async fn people_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    q: &str,
    f: FormView,
) -> Result<PeoplePage, AppError> {
    let tr = ctx.tr();
    let rows = service::people(state, user, q).await?;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= service::PEOPLE_PER_PAGE;
    let people = rows
        .into_iter()
        .map(|p| PersonView {
            can_reset: p.role != Role::Admin,
            offer: match p.role {
                _ if p.id == user.account.id => None,
                Role::Admin => None,
                Role::Moderator => Some(("member", tr.t("admin-remove-moderator"))),
                Role::Member => Some(("moderator", tr.t("admin-make-moderator"))),
            },
            id: p.id,
            role: tr.t(&format!("role-{}", p.role.as_str())),
            joined: time::display(p.created_at),
            joined_machine: time::machine(p.created_at),
            handle: p.handle,
        })
        .collect();
    Ok(PeoplePage {
        s: Shell::new(state, ctx, tr.t("admin-people")),
        q: q.to_owned(),
        people,
        full,
        f,
    })
}

async fn people_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, AppError> {
    let mut page = people_view(&state, &ctx, &user, &q.q, FormView::new(ctx.tr())).await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleForm {
    role: String,
    /// The search the form was on, to return to it.
    q: String,
}

async fn set_role(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<RoleForm>,
) -> Result<Response, AppError> {
    let role = Role::from_stored(&form.role);
    let result = match role {
        Some(role) => service::set_role(&state, &user, id, role).await,
        None => Err(AppError::Validation(vec![("role", "error-role-choice")])),
    };
    match result {
        Ok(person) => Ok(Redirect::to(&ctx.href(&format!(
            "/admin/people?q={}&notice=role-saved#person-{}",
            crate::web::extract::encode_path(&form.q),
            person.id
        )))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let f = FormView::new(ctx.tr()).with_errors(ctx.tr(), &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &people_view(&state, &ctx, &user, &form.q, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin/site.html")]
struct SitePage {
    s: Shell,
    f: FormView,
    open_invites: i64,
    /// A new invitation's link, shown once.
    new_invite: Option<String>,
}

async fn site_view(
    state: &AppState,
    ctx: &Ctx,
    f: Option<FormView>,
    new_invite: Option<String>,
) -> Result<SitePage, AppError> {
    let tr = ctx.tr();
    let site = crate::site::current(state).await?;
    Ok(SitePage {
        s: Shell::new(state, ctx, tr.t("admin-site")),
        f: f.unwrap_or_else(|| {
            FormView::new(tr)
                .with_value("name", &site.name)
                .with_value("registration", site.registration.as_str())
        }),
        open_invites: crate::site::open_invites(&state.db).await?,
        new_invite,
    })
}

async fn site_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    require_admin(&user)?;
    let mut page = site_view(&state, &ctx, None, None).await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SiteForm {
    name: String,
    registration: String,
}

async fn save_site(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<SiteForm>,
) -> Result<Response, AppError> {
    match service::save_site(&state, &user, &form.name, &form.registration).await {
        Ok(()) => Ok(Redirect::to(&ctx.href("/admin/site?notice=site-saved")).into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_value("name", &form.name)
                .with_value("registration", &form.registration)
                .with_errors(tr, &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &site_view(&state, &ctx, Some(f), None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

async fn make_invite(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    let code = service::make_invite(&state, &user).await?;
    let link = format!(
        "{}/register?invite={code}",
        state.settings.public_url.trim_end_matches('/')
    );
    let mut page = site_view(&state, &ctx, None, Some(link)).await?;
    page.s = page.s.with_notice(Some("notice-invite-made"));
    html(&page)
}
