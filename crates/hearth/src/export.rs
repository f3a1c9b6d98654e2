//! "Download my data": everything a member wrote or recorded on Hearth,
//! opened, as JSON and as a readable page. It gathers several features'
//! records (as `home` gathers their news), reading only the member's own.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::db::now_ms;
use crate::on_db;
use crate::web::extract::PageUser;
use crate::web::render::{Shell, html};
use crate::web::{AppError, CurrentUser};
use crate::wellness::{instruments::Kind, journal, safety_plan, tracking};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/export", get(export_page))
        .route("/account/export.json", get(download_json))
        .route("/account/export.html", get(download_html))
}

/// `GET /api/v1/me/export`.
pub fn api_router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(api_export))
}

/// Everything the caller wrote or recorded, opened: their account, groups,
/// posts, chat messages, journal, safety plan, check-ins and
/// questionnaires.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's data", body = Export),
        (status = 401, description = "Not logged in", body = crate::web::error::ErrorBody),
    ))]
async fn api_export(
    State(state): State<AppState>,
    crate::web::extract::ApiUser(user, _): crate::web::extract::ApiUser,
) -> Result<axum::Json<Export>, AppError> {
    tracing::info!(account.id = user.account.id, "data export downloaded");
    Ok(axum::Json(gather(&state, &user).await?))
}

/// The account itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountPart {
    pub handle: String,
    pub email: Option<String>,
    pub age_bracket: String,
    pub role: String,
    pub language: Option<String>,
    pub region: Option<String>,
    pub time_zone: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct GroupPart {
    pub name: String,
    pub slug: String,
    pub role: String,
    pub joined_at: i64,
}

/// A forum post of theirs (a thread's opening post, or a reply).
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct PostPart {
    pub group: String,
    pub thread: String,
    pub body: String,
    pub anonymous: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// A chat message of theirs, as it stands (edits applied).
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct MessagePart {
    pub group: String,
    pub room: String,
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// Everything, opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct Export {
    pub exported_at: i64,
    pub account: AccountPart,
    pub groups: Vec<GroupPart>,
    pub posts: Vec<PostPart>,
    pub chat_messages: Vec<MessagePart>,
    pub journal: Vec<journal::Entry>,
    pub safety_plan: safety_plan::SavedPlan,
    pub check_ins: Vec<tracking::Checkin>,
    pub assessments: Vec<tracking::Assessment>,
    pub goals: Vec<crate::wellness::api::GoalWithCheckins>,
    /// Sealed records that did not open (damaged): counted, not guessed.
    pub damaged: usize,
}

/// Gathers the member's data.
pub async fn gather(state: &AppState, user: &CurrentUser) -> Result<Export, AppError> {
    let id = user.account.id;
    let db = &state.db;
    let (handle_key, email_sealed): (String, Option<Vec<u8>>) = on_db!(db, |pool| {
        sqlx::query_as("SELECT handle_key, email_sealed FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
    })?;
    let mut damaged = 0;
    let email = match email_sealed {
        Some(sealed) => {
            match state
                .data_key
                .open("accounts.email", handle_key.as_bytes(), &sealed)
            {
                Ok(plain) => Some(String::from_utf8_lossy(&plain).into_owned()),
                Err(_) => {
                    tracing::error!("an e-mail address is damaged and was not opened");
                    damaged += 1;
                    None
                }
            }
        }
        None => None,
    };
    let a = &user.account;
    let account = AccountPart {
        handle: a.handle.clone(),
        email,
        age_bracket: a.age_bracket.as_str().to_owned(),
        role: a.role.as_str().to_owned(),
        language: a.language.clone(),
        region: a.region.clone(),
        time_zone: a.time_zone.clone(),
        created_at: a.created_at,
    };
    let groups: Vec<GroupPart> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT g.name, g.slug, m.role, m.joined_at FROM group_members m JOIN groups g ON g.id = m.group_id \
             WHERE m.account_id = $1 ORDER BY m.joined_at",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let posts: Vec<PostPart> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT g.name AS \"group\", t.title AS thread, p.body, p.anonymous, p.created_at, p.edited_at \
             FROM posts p JOIN threads t ON t.id = p.thread_id JOIN groups g ON g.id = t.group_id \
             WHERE p.author_id = $1 AND p.deleted_at IS NULL ORDER BY p.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let chat_messages: Vec<MessagePart> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT g.name AS \"group\", r.name AS room, m.body, m.created_at, m.edited_at \
             FROM messages m JOIN rooms r ON r.id = m.room_id JOIN groups g ON g.id = r.group_id \
             WHERE m.author_id = $1 AND m.kind = 'message' AND m.deleted_at IS NULL ORDER BY m.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let (journal, lost) = journal::all(state, user).await?;
    damaged += lost;
    let safety_plan = safety_plan::get(state, user).await?;
    let (check_ins, lost) = tracking::checkins(state, user, 0).await?;
    damaged += lost;
    let mut assessments = Vec::new();
    for kind in [Kind::Phq9, Kind::Gad7] {
        let (taken, lost) = tracking::assessments(state, user, kind, 0).await?;
        damaged += lost;
        assessments.extend(taken);
    }
    assessments.sort_by_key(|a| a.created_at);
    let (listed, lost) = crate::wellness::goals::list(state, user).await?;
    damaged += lost;
    let mut goals = Vec::with_capacity(listed.len());
    for g in listed {
        let (goal, checkins) = crate::wellness::goals::get(state, user, g.id).await?;
        goals.push(crate::wellness::api::GoalWithCheckins { goal, checkins });
    }
    Ok(Export {
        exported_at: now_ms(),
        account,
        groups,
        posts,
        chat_messages,
        journal,
        safety_plan,
        check_ins,
        assessments,
        goals,
        damaged,
    })
}

#[derive(Template)]
#[template(path = "accounts/export.html")]
struct ExportPage {
    s: Shell,
}

async fn export_page(
    State(state): State<AppState>,
    PageUser(_, ctx): PageUser,
) -> Result<Response, AppError> {
    html(&ExportPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("export-title")),
    })
}

/// The file name a download is saved as.
fn attachment(user: &CurrentUser, ext: &str) -> String {
    let day = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    // Handles are letters, digits, `_` and `-`: safe in a header.
    let handle: String = user
        .account
        .handle
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    format!("attachment; filename=\"hearth-{handle}-{day}.{ext}\"")
}

async fn download_json(
    State(state): State<AppState>,
    PageUser(user, _): PageUser,
) -> Result<Response, AppError> {
    let export = gather(&state, &user).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(AppError::internal)?;
    tracing::info!(account.id = user.account.id, "data export downloaded");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, attachment(&user, "json")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "accounts/export_copy.html")]
struct ExportCopy {
    s: Shell,
    e: Export,
    /// The safety plan's written steps: (title, text).
    plan: Vec<(String, String)>,
}

impl ExportCopy {
    fn when(&self, ms: &i64) -> String {
        crate::web::time::display(*ms)
    }
}

async fn download_html(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    let e = gather(&state, &user).await?;
    let tr = ctx.tr();
    let plan = e
        .safety_plan
        .plan
        .steps()
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(key, t)| (tr.t(&format!("plan-step-{key}")), (*t).to_owned()))
        .collect();
    let page = ExportCopy {
        s: Shell::new(&state, &ctx, tr.t("export-copy-title")),
        e,
        plan,
    };
    let body = page.render().map_err(AppError::internal)?;
    tracing::info!(account.id = user.account.id, "data export downloaded");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, attachment(&user, "html")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
