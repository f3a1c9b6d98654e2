//! Page rendering: the shell every page shares (header with the crisis link
//! and quick exit, footer with the disclaimer and languages), form state for
//! re-showing what a person typed with what is wrong, and error pages.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};

use super::assets;
use super::ctx::Ctx;
use super::error::{AppError, ErrorInfo};
use super::i18n::{Lang, Tr};
use crate::AppState;

pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the base template needs.
pub struct Shell {
    pub tr: Tr,
    /// The site's name (Hearth unless an admin named it).
    pub site_name: String,
    pub lang: &'static str,
    pub lang_param: bool,
    pub title: String,
    pub user: Option<String>,
    /// "Notifications (3 unread)" for someone logged in.
    pub notifications: Option<String>,
    pub is_admin: bool,
    /// "Crisis alerts (2 open)" for moderators and admins.
    pub alerts: Option<String>,
    /// "Reports (1 waiting)" for staff, and facilitators with reports.
    pub reports: Option<String>,
    /// "Notices from moderators (1 new)" for a member with unseen ones.
    pub notices: Option<String>,
    pub csrf: String,
    pub path: String,
    pub notice: Option<String>,
    /// A moderator or admin whose tools wait for a second factor.
    pub staff_waiting: bool,
    pub quick_exit: String,
    pub css: &'static str,
    pub js: &'static str,
    pub icon: &'static str,
    pub langs: Vec<LangLink>,
    /// The member's break reminder, in minutes (the page's script keeps
    /// time).
    pub break_minutes: Option<i64>,
}

impl Shell {
    pub fn new(state: &AppState, ctx: &Ctx, title: String) -> Self {
        Self {
            site_name: crate::site::name(state),
            tr: ctx.tr(),
            lang: ctx.lang.code(),
            lang_param: ctx.lang_param,
            title,
            user: ctx.user.as_ref().map(|u| u.account.handle.clone()),
            break_minutes: ctx.user.as_ref().and_then(|u| u.account.break_minutes),
            notifications: ctx.user.as_ref().map(|_| {
                ctx.tr().t_args(
                    "nav-notifications",
                    &[("count", ctx.badges.unread_notifications)],
                )
            }),
            is_admin: ctx
                .user
                .as_ref()
                .is_some_and(|u| u.account.role == crate::accounts::model::Role::Admin),
            alerts: ctx.user.as_ref().filter(|u| u.is_staff()).map(|_| {
                ctx.tr()
                    .t_args("nav-alerts", &[("count", ctx.badges.open_alerts)])
            }),
            reports: ctx
                .user
                .as_ref()
                .filter(|u| u.is_staff() || ctx.badges.facilitates || ctx.badges.open_reports > 0)
                .map(|_| {
                    ctx.tr()
                        .t_args("nav-reports", &[("count", ctx.badges.open_reports)])
                }),
            notices: ctx
                .user
                .as_ref()
                .filter(|_| ctx.badges.unseen_notices > 0)
                .map(|_| {
                    ctx.tr()
                        .t_args("nav-notices", &[("count", ctx.badges.unseen_notices)])
                }),
            csrf: super::middleware::mask_token(&ctx.csrf),
            path: ctx.path.clone(),
            notice: None,
            staff_waiting: ctx.user.as_ref().is_some_and(|u| u.staff_waiting),
            quick_exit: state.settings.quick_exit_url.clone(),
            css: assets::CSS.path(),
            js: assets::JS.path(),
            icon: assets::ICON.path(),
            langs: Lang::ALL
                .into_iter()
                .map(|l| LangLink {
                    code: l.code(),
                    name: l.native_name(),
                    href: format!("{}?lang={}", ctx.path, l.code()),
                    current: l == ctx.lang,
                })
                .collect(),
        }
    }

    /// A notice shown at the top of the page ("Your password was changed").
    pub fn with_notice(mut self, message_id: Option<&str>) -> Self {
        self.notice = message_id.map(|id| self.tr.t(id));
        self
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    pub fn href(&self, path: impl AsRef<str>) -> String {
        super::ctx::with_lang(path.as_ref(), self.lang_param.then_some(self.lang))
    }
}

/// The figures of this site that messages name (a newcomer's wait between
/// posts), so that what a member reads is what the server does.
pub fn site_args(state: &AppState) -> [(&'static str, i64); 1] {
    [(
        "newcomer_seconds",
        i64::from(state.settings.limits.newcomer_post_interval_secs),
    )]
}

/// `?notice=` values that show a message after an action redirects;
/// anything else shows nothing.
pub fn notice_id(notice: Option<&str>) -> Option<&'static str> {
    match notice? {
        "welcome" => Some("notice-welcome"),
        "session-scheduled" => Some("notice-session-scheduled"),
        "session-going" => Some("notice-session-going"),
        "session-waiting" => Some("notice-session-waiting"),
        "session-withdrawn" => Some("notice-session-withdrawn"),
        "session-cancelled" => Some("notice-session-cancelled"),
        "calendar-off" => Some("notice-calendar-off"),
        "session-changed" => Some("notice-session-changed"),
        "session-notes-saved" => Some("notice-session-notes-saved"),
        "journal-saved" => Some("notice-journal-saved"),
        "journal-deleted" => Some("notice-journal-deleted"),
        "plan-saved" => Some("notice-plan-saved"),
        "checkin-saved" => Some("notice-checkin-saved"),
        "help-asked" => Some("notice-help-asked"),
        "break-saved" => Some("notice-break-saved"),
        "goal-saved" => Some("notice-goal-saved"),
        "goal-checked-in" => Some("notice-goal-checked-in"),
        "goal-deleted" => Some("notice-goal-deleted"),
        "goal-shared" => Some("notice-goal-shared"),
        "reset-sent" => Some("notice-reset-sent"),
        "second-factor-off" => Some("notice-second-factor-off"),
        "passkey-added" => Some("notice-passkey-added"),
        "passkey-removed" => Some("notice-passkey-removed"),
        "second-factor-expired" => Some("notice-second-factor-expired"),
        "password-reset" => Some("notice-password-reset"),
        "logged-in" => Some("notice-logged-in"),
        "logged-out" => Some("notice-logged-out"),
        "prefs" => Some("notice-prefs-saved"),
        "password" => Some("notice-password-changed"),
        "session-ended" => Some("notice-session-ended"),
        "sessions-ended" => Some("notice-sessions-ended"),
        "deleted" => Some("notice-account-deleted"),
        "joined" => Some("notice-group-joined"),
        "left" => Some("notice-group-left"),
        "group-created" => Some("notice-group-created"),
        "group-proposed" => Some("notice-group-proposed"),
        "proposal-approved" => Some("notice-proposal-approved"),
        "interests" => Some("notice-interests-saved"),
        "requested" => Some("notice-join-requested"),
        "facilitator-added" => Some("notice-facilitator-added"),
        "member-removed" => Some("notice-member-removed"),
        "term-saved" => Some("notice-term-saved"),
        "request-approved" => Some("notice-request-approved"),
        "request-declined" => Some("notice-request-declined"),
        "proposal-declined" => Some("notice-proposal-declined"),
        "thread-posted" => Some("notice-thread-posted"),
        "thread-deleted" => Some("notice-thread-deleted"),
        "role-saved" => Some("notice-role-saved"),
        "draft-kept" => Some("notice-draft-kept"),
        "stepped-down" => Some("notice-stepped-down"),
        "group-settings" => Some("notice-group-settings"),
        "site-saved" => Some("notice-site-saved"),
        "group-archived" => Some("notice-group-archived"),
        "group-unarchived" => Some("notice-group-unarchived"),
        "last-facilitator" => Some("error-last-facilitator"),
        "pinned" => Some("notice-thread-pinned"),
        "unpinned" => Some("notice-thread-unpinned"),
        "locked" => Some("notice-thread-locked"),
        "unlocked" => Some("notice-thread-unlocked"),
        "following" => Some("notice-thread-following"),
        "unfollowed" => Some("notice-thread-unfollowed"),
        "muted" => Some("notice-thread-muted"),
        "unmuted" => Some("notice-thread-unmuted"),
        "post-edited" => Some("notice-post-edited"),
        "post-deleted" => Some("notice-post-deleted"),
        "forum-settings" => Some("notice-forum-settings"),
        "post-held" => Some("notice-post-held"),
        "post-approved" => Some("notice-post-approved"),
        "post-declined" => Some("notice-post-declined"),
        "filter-saved" => Some("notice-filter-saved"),
        "filter-removed" => Some("notice-filter-removed"),
        "notifications-read" => Some("notice-notifications-read"),
        "alert-acknowledged" => Some("notice-alert-acknowledged"),
        "reported" => Some("notice-reported"),
        "blocked" => Some("notice-blocked"),
        "unblocked" => Some("notice-unblocked"),
        "report-assigned" => Some("notice-report-assigned"),
        "note-added" => Some("notice-note-added"),
        "action-taken" => Some("notice-action-taken"),
        "action-revoked" => Some("notice-action-revoked"),
        "report-resolved" => Some("notice-report-resolved"),
        "appeal-filed" => Some("notice-appeal-filed"),
        "appeal-decided" => Some("notice-appeal-decided"),
        "alert-resolved" => Some("notice-alert-resolved"),
        "filters-saved" => Some("notice-filters-saved"),
        _ => None,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// What a person typed and what is wrong with it, for re-showing a form.
#[derive(Default)]
pub struct FormView {
    pub values: Vec<(&'static str, String)>,
    /// (field id, translated message), in the order fields appear.
    pub errors: Vec<(&'static str, String)>,
    pub summary_title: String,
}

impl FormView {
    pub fn new(tr: Tr) -> Self {
        Self {
            summary_title: tr.t("error-summary-title"),
            ..Self::default()
        }
    }

    pub fn with_value(mut self, field: &'static str, value: &str) -> Self {
        self.values.push((field, value.to_owned()));
        self
    }

    /// Adds the errors of a failed action, translated.
    pub fn with_errors(mut self, tr: Tr, errors: &[(&'static str, &'static str)]) -> Self {
        self.errors
            .extend(errors.iter().map(|(field, id)| (*field, tr.t(id))));
        self
    }

    /// Adds the errors of a failed action, translated with the site's own
    /// figures (see [`site_args`]).
    pub fn with_site_errors(
        mut self,
        state: &AppState,
        tr: Tr,
        errors: &[(&'static str, &'static str)],
    ) -> Self {
        let args = site_args(state);
        self.errors.extend(
            errors
                .iter()
                .map(|(field, id)| (*field, tr.t_args(id, &args))),
        );
        self
    }

    pub fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e.as_str())
    }

    pub fn invalid(&self, field: &str) -> bool {
        self.error(field).is_some()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Renders a template into an HTML response.
pub fn html<T: Template>(template: &T) -> Result<Response, AppError> {
    template
        .render()
        .map(|body| Html(body).into_response())
        .map_err(|e| AppError::internal(format!("template: {e}")))
}

/// Renders a template with a status (422 for a form with errors).
pub fn html_with_status<T: Template>(
    status: axum::http::StatusCode,
    template: &T,
) -> Result<Response, AppError> {
    html(template).map(|mut r| {
        *r.status_mut() = status;
        r
    })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    s: Shell,
    message: String,
    request_id: Option<String>,
}

/// An error as JSON (`{"error": {"code", "message", "fields"}}`) for the
/// API, or as a page in the visitor's language.
pub fn error_response(state: &AppState, ctx: &Ctx, info: &ErrorInfo, is_api: bool) -> Response {
    let tr = ctx.tr();
    let mut response = if is_api {
        let fields: serde_json::Map<String, serde_json::Value> = info
            .fields
            .iter()
            .map(|(f, id)| {
                (
                    (*f).to_owned(),
                    serde_json::Value::String(tr.t_args(id, &site_args(state))),
                )
            })
            .collect();
        let mut error = serde_json::json!({
            "code": info.code,
            "message": tr.t(info.message_id),
        });
        if !fields.is_empty() {
            error["fields"] = serde_json::Value::Object(fields);
        }
        if info.status.is_server_error() {
            error["request_id"] = serde_json::Value::String(ctx.request_id.clone());
        }
        Json(serde_json::json!({ "error": error })).into_response()
    } else {
        let title_id = match info.status.as_u16() {
            404 => "error-not-found-title",
            403 => "error-forbidden-title",
            401 => "error-unauthorized-title",
            413 => "error-too-large-title",
            429 => "error-rate-limited-title",
            503 => "error-unavailable-title",
            s if s >= 500 => "error-internal-title",
            _ => "error-bad-request-title",
        };
        let page = ErrorPage {
            s: Shell::new(state, ctx, tr.t(title_id)),
            message: tr.t(info.message_id),
            request_id: info
                .status
                .is_server_error()
                .then(|| tr.t_args("error-request-id", &[("id", ctx.request_id.clone())])),
        };
        match page.render() {
            Ok(body) => Html(body).into_response(),
            Err(_) => tr.t(info.message_id).into_response(),
        }
    };
    *response.status_mut() = info.status;
    if let Some(secs) = info.retry_after_secs
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
