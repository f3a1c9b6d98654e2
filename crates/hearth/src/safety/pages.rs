//! Moderators' pages: the crisis alert queue, the dashboard with response
//! times, and (for admins) the audit log. Staff only; every action is
//! written to the audit log.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::store::AlertStatus;
use super::{ResponseTimes, audit, store};
use crate::AppState;
use crate::accounts::model::Role;
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::Arg;
use crate::web::render::{Shell, html};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation", get(dashboard))
        .route("/moderation/alerts", get(alerts_page))
        .route("/moderation/alerts/{id}/acknowledge", post(acknowledge))
        .route("/moderation/alerts/{id}/resolve", post(resolve))
        .route("/admin/audit", get(audit_page))
}

/// Longest outcome note, in characters.
pub const OUTCOME_MAX: usize = 2000;

pub fn require_staff(user: &CurrentUser) -> Result<(), AppError> {
    if user.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub struct AlertView {
    pub id: i64,
    pub level: String,
    pub level_label: String,
    pub writer: String,
    pub group: Option<String>,
    pub summary: String,
    pub at_display: String,
    pub at_machine: String,
    pub source_url: String,
    pub status_line: String,
    pub evidence: Vec<String>,
    pub outcome: Option<String>,
    pub can_acknowledge: bool,
    pub can_resolve: bool,
}

fn view(state: &AppState, ctx: &Ctx, a: &store::AlertRow) -> AlertView {
    let tr = ctx.tr();
    let writer = a
        .writer
        .clone()
        .unwrap_or_else(|| tr.t("alerts-deleted-account"));
    let status_line = match a.status {
        AlertStatus::Open => tr.t("alerts-status-open"),
        AlertStatus::Acknowledged => tr.t_args(
            "alerts-status-acknowledged",
            &[
                ("who", a.acknowledged_by.clone().unwrap_or_default()),
                (
                    "when",
                    a.acknowledged_at.map(time::display).unwrap_or_default(),
                ),
            ],
        ),
        AlertStatus::Resolved => tr.t_args(
            "alerts-status-resolved",
            &[
                ("who", a.resolved_by.clone().unwrap_or_default()),
                ("when", a.resolved_at.map(time::display).unwrap_or_default()),
            ],
        ),
    };
    let evidence = super::evidence(state, a)
        .into_iter()
        .filter(|e| e.effect == crisis::Effect::Counted)
        .map(|e| format!("“{}”: {}", e.words, e.note))
        .collect();
    AlertView {
        id: a.id,
        level: a.level.clone(),
        level_label: tr.t(&format!("alerts-level-{}", a.level)),
        writer,
        group: a.group_name.clone(),
        summary: tr.t_args(
            "alerts-summary",
            &[
                ("count", Arg::Number(a.count)),
                ("last", Arg::Text(time::display(a.last_at))),
            ],
        ),
        at_display: time::display(a.created_at),
        at_machine: time::machine(a.created_at),
        source_url: ctx.href(&a.source_url),
        status_line,
        evidence,
        outcome: a.outcome.clone(),
        can_acknowledge: a.status == AlertStatus::Open,
        can_resolve: a.status != AlertStatus::Resolved,
    }
}

#[derive(Template)]
#[template(path = "safety/alerts.html")]
struct AlertsPage {
    s: Shell,
    resolved: bool,
    alerts: Vec<AlertView>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertsQuery {
    resolved: Option<String>,
    notice: Option<String>,
}

async fn alerts_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<AlertsQuery>,
) -> Result<Response, AppError> {
    let resolved = q.resolved.is_some_and(|v| v == "1");
    let rows = super::alerts(&state, &user, resolved).await?;
    let alerts = rows.iter().map(|a| view(&state, &ctx, a)).collect();
    html(&AlertsPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("alerts-title"))
            .with_notice(crate::web::render::notice_id(q.notice.as_deref())),
        resolved,
        alerts,
    })
}

async fn acknowledge(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    acknowledge_alert(&state, &user, id).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/moderation/alerts?notice=alert-acknowledged#alert-{id}"
    )))
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResolveForm {
    outcome: String,
}

async fn resolve(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<ResolveForm>,
) -> Result<Response, AppError> {
    resolve_alert(&state, &user, id, &form.outcome).await?;
    Ok(Redirect::to(&ctx.href("/moderation/alerts?notice=alert-resolved")).into_response())
}

/// open → acknowledged, by a moderator or admin; audited. Acknowledging
/// twice is harmless.
pub async fn acknowledge_alert(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<store::AlertRow, AppError> {
    require_staff(user)?;
    let Some(alert) = store::get(&state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    let now = crate::db::now_ms();
    if store::acknowledge(&state.db, id, user.account.id, now).await? {
        crate::metrics::global().alert_acknowledged(now - alert.created_at);
        tracing::info!(
            alert.id = id,
            by = user.account.id,
            "crisis alert acknowledged"
        );
    }
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// → resolved, with an outcome note, by a moderator or admin; audited.
pub async fn resolve_alert(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    outcome: &str,
) -> Result<store::AlertRow, AppError> {
    require_staff(user)?;
    let outcome = crate::text::parse_text(outcome, 1, OUTCOME_MAX, true, "error-alert-outcome")
        .map_err(|e| AppError::Validation(vec![("outcome", e)]))?;
    let Some(alert) = store::get(&state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    if alert.status == AlertStatus::Resolved {
        return Ok(alert);
    }
    if store::resolve(
        &state.db,
        id,
        user.account.id,
        &outcome,
        crate::db::now_ms(),
    )
    .await?
    {
        tracing::info!(alert.id = id, by = user.account.id, "crisis alert resolved");
    }
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub struct WindowView {
    pub label: String,
    pub raised: i64,
    pub acknowledged: i64,
    pub median: String,
    pub p90: String,
}

fn duration_text(ctx: &Ctx, seconds: Option<i64>) -> String {
    let tr = ctx.tr();
    match seconds {
        None => tr.t("moderation-no-data"),
        Some(s) if s < 120 => tr.t_args("duration-seconds", &[("n", s.to_string())]),
        Some(s) if s < 7200 => tr.t_args("duration-minutes", &[("n", (s / 60).to_string())]),
        Some(s) => tr.t_args("duration-hours", &[("n", (s / 3600).to_string())]),
    }
}

#[derive(Template)]
#[template(path = "safety/dashboard.html")]
struct DashboardPage {
    s: Shell,
    open_line: String,
    windows: Vec<WindowView>,
    is_admin: bool,
}

async fn dashboard(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    require_staff(&user)?;
    let tr = ctx.tr();
    let open = store::open_count(&state.db).await?;
    let mut windows = Vec::new();
    for days in [7, 30] {
        let t: ResponseTimes = super::response_times(&state, days).await?;
        windows.push(WindowView {
            label: tr.t_args("moderation-last-days", &[("n", days.to_string())]),
            raised: t.raised,
            acknowledged: t.acknowledged,
            median: duration_text(&ctx, t.median_seconds),
            p90: duration_text(&ctx, t.p90_seconds),
        });
    }
    html(&DashboardPage {
        s: Shell::new(&state, &ctx, tr.t("moderation-title")),
        open_line: tr.t_args("nav-alerts", &[("count", open)]),
        windows,
        is_admin: user.account.role == Role::Admin,
    })
}

pub struct AuditView {
    pub seq: i64,
    pub at_display: String,
    pub at_machine: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "safety/audit.html")]
struct AuditPage {
    s: Shell,
    intact: bool,
    verdict: String,
    rows: Vec<AuditView>,
}

async fn audit_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    if user.account.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let tr = ctx.tr();
    let verdict = audit::verify(&state.db).await?;
    let rows = audit::recent(&state.db, 200)
        .await?
        .into_iter()
        .map(|r| AuditView {
            seq: r.seq,
            at_display: time::display(r.at),
            at_machine: time::machine(r.at),
            actor: r.actor_handle.unwrap_or_else(|| "—".into()),
            action: r.action,
            object: format!("{} {}", r.object_kind, r.object_id),
            reason: r.reason,
        })
        .collect();
    let (intact, verdict) = match verdict.broken_at {
        None => (
            true,
            tr.t_args("audit-intact", &[("rows", verdict.rows.to_string())]),
        ),
        Some(at) => (false, tr.t_args("audit-broken", &[("seq", at.to_string())])),
    };
    html(&AuditPage {
        s: Shell::new(&state, &ctx, tr.t("audit-title")),
        intact,
        verdict,
        rows,
    })
}
