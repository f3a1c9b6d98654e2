//! Reporting, the moderators' cases, members' notices and appeals, as
//! pages that work without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service::{self as m, ActionKind};
use super::target::{TargetQuery, resolve_target};
use crate::AppState;
use crate::db::Db;
use crate::safety::reports::{Target, TargetKind};
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, Shell, html, html_with_status, notice_id};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/groups/{slug}/report",
            get(report_page).post(report_submit),
        )
        .route("/moderation/reports", get(reports_page))
        .route("/moderation/reports/{id}", get(case_page))
        .route("/moderation/reports/{id}/assign", post(assign))
        .route("/moderation/reports/{id}/notes", post(add_note))
        .route("/moderation/reports/{id}/actions", post(act))
        .route("/moderation/reports/{id}/resolve", post(resolve))
        .route("/moderation/actions/{id}/revoke", post(revoke))
        .route("/moderation/appeals", get(appeals_page))
        .route("/moderation/appeals/{id}/decide", post(decide))
        .route("/account/notices", get(notices_page))
        .route("/account/notices/{id}/appeal", post(appeal))
}

// ------------------------------------------------------------------ reporting

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "safety/report.html")]
struct ReportPage {
    s: Shell,
    action: String,
    what: String,
    excerpt: String,
    hidden: Vec<(&'static str, String)>,
    reasons: Vec<Choice>,
    f: FormView,
}

fn report_view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    q: &TargetQuery,
    target: &Target,
    excerpt: String,
    f: FormView,
) -> ReportPage {
    let tr = ctx.tr();
    let mut hidden = Vec::new();
    if let Some(p) = q.post {
        hidden.push(("post", p.to_string()));
    }
    if let Some(msg) = &q.message {
        hidden.push(("message", msg.clone()));
    }
    if let Some(h) = &q.member {
        hidden.push(("member", h.clone()));
    }
    let chosen = f.value("reason").to_owned();
    ReportPage {
        s: Shell::new(state, ctx, tr.t("report-title")),
        action: format!("/groups/{slug}/report"),
        what: tr.t(&format!("report-what-{}", target.kind.as_str())),
        excerpt,
        hidden,
        reasons: m::REASONS
            .iter()
            .map(|r| Choice {
                value: r,
                label: tr.t(&format!("report-reason-{r}")),
                checked: chosen == *r,
            })
            .collect(),
        f,
    }
}

async fn report_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    Query(q): Query<TargetQuery>,
) -> Result<Response, AppError> {
    let (target, excerpt) = resolve_target(&state, &user, &slug, &q).await?;
    let f = FormView::new(ctx.tr());
    html(&report_view(&state, &ctx, &slug, &q, &target, excerpt, f))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportForm {
    post: Option<i64>,
    message: Option<String>,
    member: Option<String>,
    reason: String,
    details: String,
}

async fn report_submit(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<ReportForm>,
) -> Result<Response, AppError> {
    let q = TargetQuery {
        post: form.post,
        message: form.message.clone(),
        member: form.member.clone(),
    };
    let (target, excerpt) = resolve_target(&state, &user, &slug, &q).await?;
    match m::report(&state, &user, &target, &form.reason, &form.details).await {
        Ok(_) => {
            Ok(Redirect::to(&ctx.href(&format!("/groups/{slug}?notice=reported"))).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let f = FormView::new(ctx.tr())
                .with_value("reason", &form.reason)
                .with_value("details", &form.details)
                .with_errors(ctx.tr(), &errors);
            html_with_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                &report_view(&state, &ctx, &slug, &q, &target, excerpt, f),
            )
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------- cases

pub struct ReportView {
    pub id: i64,
    pub href: String,
    pub summary: String,
    pub reason: String,
    pub at_display: String,
    pub at_machine: String,
    pub assignee: Option<String>,
}

fn report_line(ctx: &Ctx, r: &m::ReportRow) -> ReportView {
    let tr = ctx.tr();
    ReportView {
        id: r.id,
        href: ctx.href(&format!("/moderation/reports/{}", r.id)),
        summary: tr.t_args(
            "report-summary",
            &[
                (
                    "what",
                    tr.t(&format!("case-what-{}", r.target_kind.as_str())),
                ),
                ("who", r.target_handle.clone().unwrap_or_else(|| "—".into())),
                ("group", r.group_name.clone().unwrap_or_default()),
            ],
        ),
        reason: tr.t(&format!("report-reason-{}", r.reason)),
        at_display: time::display(r.created_at),
        at_machine: time::machine(r.created_at),
        assignee: r.assignee.clone(),
    }
}

#[derive(Template)]
#[template(path = "safety/reports.html")]
struct ReportsPage {
    s: Shell,
    resolved: bool,
    reports: Vec<ReportView>,
    appeals_link: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    resolved: Option<String>,
    notice: Option<String>,
}

async fn reports_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let resolved = q.resolved.as_deref() == Some("1");
    let rows = m::reports(&state, &user, resolved).await?;
    html(&ReportsPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("reports-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        resolved,
        reports: rows.iter().map(|r| report_line(&ctx, r)).collect(),
        appeals_link: user.is_staff(),
    })
}

pub struct ActionView {
    pub id: i64,
    pub line: String,
    pub revoked: bool,
    pub appeal: Option<String>,
}

fn action_line(ctx: &Ctx, s: &m::SanctionRow) -> String {
    let tr = ctx.tr();
    let until = s
        .expires_at
        .map(|e| tr.t_args("action-until", &[("when", time::display(e))]))
        .unwrap_or_default();
    format!(
        "{}{} — {}",
        tr.t(&action_label(s.kind, s.message_id.is_some())),
        until,
        s.reason
    )
}

/// The start of the words a hide hid (kept for the appeal), if any.
fn hidden_words(s: &m::SanctionRow) -> Option<String> {
    s.content
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| c.chars().take(500).collect())
}

/// The message id naming an action (hiding says what it hides).
fn action_label(kind: ActionKind, message: bool) -> String {
    if kind == ActionKind::Hide && message {
        "action-hide-message".to_owned()
    } else {
        format!("action-{}", kind.as_str())
    }
}

/// Where a case page's forms post.
pub struct CaseActions {
    pub assign: String,
    pub actions: String,
    pub notes: String,
    pub resolve: String,
}

#[derive(Template)]
#[template(path = "safety/case.html")]
struct CasePage {
    s: Shell,
    r: ReportView,
    at: CaseActions,
    /// Who reported: for staff only.
    reporter: Option<String>,
    details: String,
    target_text: String,
    target_href: Option<String>,
    status_line: String,
    open: bool,
    notes: Vec<(String, String, String)>,
    actions: Vec<ActionView>,
    kinds: Vec<Choice>,
    durations: Vec<(i64, String)>,
    f: FormView,
}

async fn target_text(db: &Db, r: &m::ReportRow) -> Result<(String, Option<String>), AppError> {
    Ok(match r.target_kind {
        TargetKind::Post => {
            let post = crate::forum::store::post(db, r.target_id).await?;
            let text = post.as_ref().map(|p| p.body.clone()).unwrap_or_default();
            let href = r
                .group_slug
                .as_ref()
                .map(|g| format!("/groups/{g}/posts/{}", r.target_id));
            (text, href)
        }
        TargetKind::Message => {
            let found = crate::live::store::message_by_id(db, r.target_id).await?;
            match (found, r.group_slug.as_ref()) {
                (Some((body, seq, room)), Some(g)) => {
                    (body, Some(format!("/groups/{g}/chat/{room}#m{seq}")))
                }
                (found, _) => (found.map(|f| f.0).unwrap_or_default(), None),
            }
        }
        TargetKind::Member => (r.target_handle.clone().unwrap_or_default(), None),
    })
}

async fn case_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    f: FormView,
) -> Result<CasePage, AppError> {
    let tr = ctx.tr();
    let r = m::case(state, user, id).await?;
    let (target_text, target_href) = target_text(&state.db, &r).await?;
    let notes = m::notes(&state.db, id)
        .await?
        .into_iter()
        .map(|n| {
            (
                n.author.unwrap_or_default(),
                time::display(n.created_at),
                n.body,
            )
        })
        .collect();
    let actions = m::actions_of_report(&state.db, id)
        .await?
        .iter()
        .map(|s| ActionView {
            id: s.id,
            line: action_line(ctx, s),
            revoked: s.revoked_at.is_some(),
            appeal: s
                .appeal_status
                .map(|st| tr.t(&format!("appeal-status-{}", st.as_str()))),
        })
        .collect();
    let staff = user.is_staff();
    let chosen = f.value("kind").to_owned();
    let kinds = [
        ActionKind::Hide,
        ActionKind::Warn,
        ActionKind::Mute,
        ActionKind::Suspend,
        ActionKind::Ban,
    ]
    .into_iter()
    .filter(|k| staff || matches!(k, ActionKind::Hide | ActionKind::Warn | ActionKind::Mute))
    .filter(|k| {
        *k != ActionKind::Hide || matches!(r.target_kind, TargetKind::Post | TargetKind::Message)
    })
    .map(|k| Choice {
        value: k.as_str(),
        label: tr.t(&action_label(k, r.target_kind == TargetKind::Message)),
        checked: chosen == k.as_str(),
    })
    .collect();
    let status_line = match (r.status, &r.resolution) {
        (m::ReportStatus::Resolved, Some(msg)) => {
            tr.t_args("report-resolved-with", &[("message", msg.clone())])
        }
        _ => tr.t("report-open"),
    };
    Ok(CasePage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args("case-title", &[("id", id.to_string())]),
        ),
        at: CaseActions {
            assign: format!("/moderation/reports/{id}/assign"),
            actions: format!("/moderation/reports/{id}/actions"),
            notes: format!("/moderation/reports/{id}/notes"),
            resolve: format!("/moderation/reports/{id}/resolve"),
        },
        reporter: if r.reason == "filter" {
            Some(tr.t("case-reporter-filter"))
        } else {
            staff.then(|| {
                r.reporter
                    .clone()
                    .unwrap_or_else(|| tr.t("alerts-deleted-account"))
            })
        },
        details: r.details.clone(),
        target_text,
        target_href,
        status_line,
        open: r.status != m::ReportStatus::Resolved,
        notes,
        actions,
        kinds,
        durations: m::DURATIONS_HOURS
            .iter()
            .map(|h| (*h, tr.t_args("duration-hours", &[("n", h.to_string())])))
            .collect(),
        r: report_line(ctx, &r),
        f,
    })
}

async fn case_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let mut page = case_view(&state, &ctx, &user, id, FormView::new(ctx.tr())).await?;
    crate::safety::audit::record(
        &state.db,
        Some(user.account.id),
        crate::safety::audit::Action::ReportView,
        crate::safety::audit::ObjectKind::Report,
        id,
    )
    .await;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

fn back_to_case(ctx: &Ctx, id: i64, notice: &str) -> Response {
    Redirect::to(&ctx.href(&format!("/moderation/reports/{id}?notice={notice}"))).into_response()
}

/// A case form's mistake: the case again, with what was typed.
async fn case_error(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    values: &[(&'static str, &str)],
    errors: &[(&'static str, &'static str)],
) -> Result<Response, AppError> {
    let mut f = FormView::new(ctx.tr());
    for (k, v) in values {
        f = f.with_value(k, v);
    }
    let f = f.with_errors(ctx.tr(), errors);
    html_with_status(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        &case_view(state, ctx, user, id, f).await?,
    )
}

async fn assign(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    m::assign(&state, &user, id).await?;
    Ok(back_to_case(&ctx, id, "report-assigned"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    note: String,
}

async fn add_note(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<NoteForm>,
) -> Result<Response, AppError> {
    match m::add_note(&state, &user, id, &form.note).await {
        Ok(()) => Ok(back_to_case(&ctx, id, "note-added")),
        Err(AppError::Validation(e)) => {
            case_error(&state, &ctx, &user, id, &[("note", &form.note)], &e).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActForm {
    kind: String,
    reason: String,
    hours: Option<i64>,
}

async fn act(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<ActForm>,
) -> Result<Response, AppError> {
    let result = match ActionKind::parse(&form.kind) {
        Some(kind) => m::act(&state, &user, id, kind, &form.reason, form.hours).await,
        None => Err(AppError::Validation(vec![("kind", "error-action-kind")])),
    };
    match result {
        Ok(_) => Ok(back_to_case(&ctx, id, "action-taken")),
        Err(AppError::Validation(e)) => {
            case_error(
                &state,
                &ctx,
                &user,
                id,
                &[("kind", &form.kind), ("reason", &form.reason)],
                &e,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResolveForm {
    message: String,
}

async fn resolve(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<ResolveForm>,
) -> Result<Response, AppError> {
    match m::resolve(&state, &user, id, &form.message).await {
        Ok(()) => Ok(
            Redirect::to(&ctx.href("/moderation/reports?notice=report-resolved")).into_response(),
        ),
        Err(AppError::Validation(e)) => {
            case_error(&state, &ctx, &user, id, &[("message", &form.message)], &e).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    reason: String,
}

async fn revoke(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<RevokeForm>,
) -> Result<Response, AppError> {
    m::revoke(&state, &user, id, &form.reason).await?;
    let report = m::sanction(&state.db, id).await?.and_then(|s| s.report_id);
    Ok(match report {
        Some(r) => back_to_case(&ctx, r, "action-revoked"),
        None => Redirect::to(&ctx.href("/moderation/reports")).into_response(),
    })
}

// ------------------------------------------------------- notices and appeals

pub struct NoticeView {
    pub id: i64,
    pub line: String,
    /// What a hide hid: the member's own words, kept for their appeal.
    pub content: Option<String>,
    pub at_display: String,
    pub group: Option<String>,
    pub lifted: bool,
    pub appeal: Option<String>,
    pub decision: Option<String>,
    pub can_appeal: bool,
}

#[derive(Template)]
#[template(path = "safety/notices.html")]
struct NoticesPage {
    s: Shell,
    notices: Vec<NoticeView>,
}

async fn notices_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let rows = m::my_sanctions(&state.db, user.account.id).await?;
    let notices = rows
        .iter()
        .map(|s| NoticeView {
            id: s.id,
            line: action_line(&ctx, s),
            content: hidden_words(s),
            at_display: time::display(s.created_at),
            group: s.group_name.clone(),
            lifted: s.revoked_at.is_some(),
            appeal: s
                .appeal_status
                .map(|st| tr.t(&format!("appeal-status-{}", st.as_str()))),
            decision: s.appeal_decision.clone(),
            can_appeal: s.appeal_id.is_none() && s.revoked_at.is_none(),
        })
        .collect();
    html(&NoticesPage {
        s: Shell::new(&state, &ctx, tr.t("notices-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        notices,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AppealForm {
    appeal: String,
}

async fn appeal(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<AppealForm>,
) -> Result<Response, AppError> {
    m::appeal(&state, &user, id, &form.appeal).await?;
    Ok(Redirect::to(&ctx.href("/account/notices?notice=appeal-filed")).into_response())
}

pub struct AppealView {
    pub id: i64,
    pub member: String,
    pub line: String,
    /// The words a hide hid, kept for the decision.
    pub content: Option<String>,
    pub appeal: String,
    pub case_href: Option<String>,
    pub own_action: bool,
}

#[derive(Template)]
#[template(path = "safety/appeals.html")]
struct AppealsPage {
    s: Shell,
    appeals: Vec<AppealView>,
}

async fn appeals_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let rows = m::open_appeals(&state.db).await?;
    let appeals = rows
        .iter()
        .map(|s| AppealView {
            id: s.id,
            member: s.handle.clone().unwrap_or_default(),
            line: action_line(&ctx, s),
            content: hidden_words(s),
            appeal: s.appeal_body.clone().unwrap_or_default(),
            case_href: s
                .report_id
                .map(|r| ctx.href(&format!("/moderation/reports/{r}"))),
            own_action: s.actor_id == Some(user.account.id),
        })
        .collect();
    html(&AppealsPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("appeals-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        appeals,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecideForm {
    outcome: String,
    decision: String,
}

async fn decide(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<DecideForm>,
) -> Result<Response, AppError> {
    let overturn = match form.outcome.as_str() {
        "overturn" => true,
        "uphold" => false,
        _ => {
            return Err(AppError::Validation(vec![(
                "outcome",
                "error-appeal-outcome",
            )]));
        }
    };
    m::decide(&state, &user, id, overturn, &form.decision).await?;
    Ok(Redirect::to(&ctx.href("/moderation/appeals?notice=appeal-decided")).into_response())
}
