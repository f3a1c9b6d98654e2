//! Safety: the crisis detector on every write path, the crisis response
//! shown to the writer, alerts for moderators, and the audit log.
//!
//! Every path that stores someone's words calls `screen` once the words
//! are stored: forum threads, replies and edits, chat messages and edits,
//! and every later write path through the same seam. Nothing is ever
//! blocked or hidden for asking for help. On ideation or imminent risk,
//! `screen` raises an alert for moderators (unless the writing is private,
//! such as a journal) and returns the level, and the caller shows the
//! writer the crisis lines for their region at once.

pub mod api;
pub mod audit;
pub mod cli;
pub mod filters;
pub mod pages;
pub mod reports;
pub mod restrictions;
pub mod store;

use std::future::Future;

use askama::Template;
use crisis::{Assessment, Level};
use serde::Serialize;

use crate::AppState;
use crate::db::now_ms;
use crate::help::RegionView;
use crate::web::render::Shell;
use crate::web::{Ctx, CurrentUser};

/// Where some writing lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Thread,
    Reply,
    PostEdit,
    ChatMessage,
    ChatEdit,
    /// A live session's title and description.
    Session,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Thread => "thread",
            SourceKind::Reply => "reply",
            SourceKind::PostEdit => "post_edit",
            SourceKind::ChatMessage => "chat_message",
            SourceKind::ChatEdit => "chat_edit",
            SourceKind::Session => "session",
        }
    }
}

/// How far back the writer's own earlier lines are read with a new one.
pub const CONTEXT_WINDOW_MS: i64 = 30 * 60 * 1000;

/// Reads `text` with the writer's own earlier lines from the last
/// `CONTEXT_WINDOW_MS` in the same room or thread (see
/// `crisis::Detector::assess_in_context`): `earlier` reads them (the
/// feature that stores them knows where: a room, a thread), and runs only
/// when needed. Imminent words alone need no context; if the lines cannot
/// be read, the text is read alone.
pub async fn assess<F>(state: &AppState, text: &str, earlier: F) -> Assessment
where
    F: Future<Output = Result<Vec<String>, sqlx::Error>>,
{
    let alone = state.detector.assess(text);
    if alone.level == Level::Imminent {
        return alone;
    }
    match earlier.await {
        Ok(lines) if !lines.is_empty() => {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            state.detector.in_context(text, alone, &lines)
        }
        Ok(_) => alone,
        Err(e) => {
            tracing::warn!(error = %e, "earlier lines not read for the crisis check");
            alone
        }
    }
}

/// Since when the writer's earlier lines count, and at most how many, for
/// the `earlier` reader of [`assess`].
pub fn context_window() -> (i64, i64) {
    (now_ms() - CONTEXT_WINDOW_MS, crisis::MAX_CONTEXT as i64)
}

/// Something a member has just written (and that is already stored), with
/// the detector's reading of it, made once before storing (the word
/// filters and limits need it too).
pub struct Written {
    pub kind: SourceKind,
    /// The post's id, or the chat message's sequence number.
    pub id: i64,
    pub group_id: Option<i64>,
    /// Where a moderator reads it in context.
    pub url: String,
    pub assessment: Assessment,
    /// Private writing (a journal): the writer sees crisis lines, and no
    /// alert is raised.
    pub private: bool,
}

/// The detector's verdict on words a member wrote, and, for risk, the alert
/// raised. Returns the level when the writer should see crisis lines.
/// Failing to raise an alert is logged and never undoes or blocks the write.
pub async fn screen(state: &AppState, user: &CurrentUser, w: Written) -> Option<Level> {
    if !w.assessment.level.is_risk() {
        return None;
    }
    if !w.private
        && let Err(e) = raise_alert(state, user, &w, &w.assessment).await
    {
        tracing::error!(error = %e, source = w.kind.as_str(), "crisis alert not raised");
    }
    Some(w.assessment.level)
}

const EVIDENCE_PURPOSE: &str = "crisis-alert-evidence";

async fn raise_alert(
    state: &AppState,
    user: &CurrentUser,
    w: &Written,
    a: &Assessment,
) -> Result<(), String> {
    let raised = raise(
        state,
        Alert {
            about: user.account.id,
            group_id: w.group_id,
            level: a.level,
            score: f64::from(a.score),
            source_kind: w.kind.as_str(),
            source_id: w.id,
            source_url: &w.url,
            evidence: &a.evidence,
        },
    )
    .await?;
    tracing::info!(
        alert.id = raised.id,
        level = a.level.as_str(),
        source = w.kind.as_str(),
        "crisis alert raised"
    );
    Ok(())
}

/// An alert to raise: about whom, where, and why.
struct Alert<'a> {
    about: i64,
    group_id: Option<i64>,
    level: Level,
    score: f64,
    source_kind: &'a str,
    source_id: i64,
    source_url: &'a str,
    evidence: &'a [crisis::Evidence],
}

/// Seals the evidence (bound to the person it is about), raises the alert
/// (or joins their open one) and tells moderators when it is new or rose.
async fn raise(state: &AppState, a: Alert<'_>) -> Result<store::Raised, String> {
    let plain = serde_json::to_vec(a.evidence).map_err(|e| e.to_string())?;
    let sealed = state
        .data_key
        .seal(EVIDENCE_PURPOSE, &a.about.to_be_bytes(), &plain)
        .map_err(|e| format!("{e:?}"))?;
    let raised = store::raise(
        &state.db,
        &store::NewAlert {
            account_id: a.about,
            group_id: a.group_id,
            level: a.level.as_str(),
            score: a.score,
            source_kind: a.source_kind,
            source_id: a.source_id,
            source_url: a.source_url,
            evidence: &sealed,
            now: now_ms(),
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    tell_moderators(state, &raised, a.level).await;
    Ok(raised)
}

/// A new alert, or one whose level rose, reaches moderators on every node.
async fn tell_moderators(state: &AppState, raised: &store::Raised, level: Level) {
    if raised.notify {
        let open = store::open_count(&state.db).await.unwrap_or(0);
        crate::bus::publish(
            state,
            crate::bus::Event::Alert {
                id: raised.id,
                level: level.as_str().to_owned(),
                open,
            },
        )
        .await;
    }
}

/// The evidence of an alert, opened for a moderator.
/// The alerts a moderator sees (open, or resolved), newest first; each
/// such read is in the audit log.
pub async fn alerts(
    state: &AppState,
    user: &CurrentUser,
    resolved: bool,
) -> Result<Vec<store::AlertRow>, crate::web::AppError> {
    pages::require_staff(user)?;
    let rows = store::list(&state.db, resolved, 200).await?;
    audit::record(
        &state.db,
        Some(user.account.id),
        audit::Action::AlertsList,
        audit::ObjectKind::Alert,
        0,
    )
    .await;
    Ok(rows)
}

pub fn evidence(state: &AppState, alert: &store::AlertRow) -> Vec<crisis::Evidence> {
    let owner = alert.account_id.unwrap_or_default().to_be_bytes();
    state
        .data_key
        .open(EVIDENCE_PURPOSE, &owner, &alert.evidence)
        .ok()
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .unwrap_or_default()
}

/// What the writer is shown: crisis lines for their region, in their
/// language, and where to find more help.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CrisisResponse {
    /// `ideation` or `imminent`.
    #[schema(value_type = String)]
    pub level: Level,
    pub region: RegionView,
    /// The help page, with every region's lines.
    pub help_url: String,
    /// The words were posted (false for writing kept while the writer
    /// logs in again: nothing was posted, and nobody was alerted).
    #[serde(skip)]
    pub posted: bool,
    /// The words are the writer's alone (a journal entry): saved, and
    /// nobody was told.
    #[serde(skip)]
    pub private: bool,
}

/// The one rule for every write path (forum and chat pages, the API, the
/// WebSocket): the account's region, else the browser's (Accept-Language of
/// the request, or of the WebSocket's upgrade request), else the default;
/// in the request's language.
pub fn response(state: &AppState, ctx: &Ctx, level: Level) -> CrisisResponse {
    let region = crate::help::routes::pick_region(state, ctx, None);
    CrisisResponse {
        level,
        region: state.crisis.view(region, ctx.lang),
        help_url: ctx.href("/help"),
        posted: true,
        private: false,
    }
}

/// The crisis panel on its own (`safety/crisis_panel.html`, as pages
/// include it), for a client that shows it without loading a page.
#[derive(Template)]
#[template(path = "safety/crisis_panel.html")]
struct CrisisPanel {
    s: Shell,
    crisis: Option<CrisisResponse>,
}

/// The crisis panel's HTML for this response, in the context's language.
pub fn panel_html(state: &AppState, ctx: &Ctx, response: &CrisisResponse) -> String {
    let panel = CrisisPanel {
        s: Shell::new(state, ctx, String::new()),
        crisis: Some(response.clone()),
    };
    panel.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "the crisis panel did not render");
        String::new()
    })
}

/// Time from raising to acknowledging, over a window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponseTimes {
    pub days: i64,
    pub raised: i64,
    pub acknowledged: i64,
    /// Median and 90th percentile, in seconds, of those acknowledged.
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

pub async fn response_times(state: &AppState, days: i64) -> Result<ResponseTimes, sqlx::Error> {
    let since = now_ms() - days * 86_400_000;
    let rows = store::response_times(&state.db, since).await?;
    let mut waits: Vec<i64> = rows
        .iter()
        .filter_map(|(raised, ack)| ack.map(|a| (a - raised).max(0)))
        .collect();
    waits.sort_unstable();
    // Nearest-rank percentiles.
    let pick = |p: f64| -> Option<i64> {
        if waits.is_empty() {
            return None;
        }
        let rank = ((p * waits.len() as f64).ceil() as usize).clamp(1, waits.len());
        Some(waits[rank - 1] / 1000)
    };
    Ok(ResponseTimes {
        days,
        raised: rows.len() as i64,
        acknowledged: waits.len() as i64,
        median_seconds: pick(0.5),
        p90_seconds: pick(0.9),
    })
}

/// A facilitator logs an incident about a participant of a live session:
/// a safety alert for moderators, as the detector's are, with the
/// facilitator's words as its evidence (sealed, as all evidence is).
/// `urgent`: the person may be in danger now.
pub async fn raise_incident(
    state: &AppState,
    about: i64,
    group_id: i64,
    meeting_id: i64,
    url: &str,
    note: &str,
    urgent: bool,
) -> Result<i64, String> {
    let level = if urgent {
        Level::Imminent
    } else {
        Level::Ideation
    };
    let evidence = vec![crisis::Evidence {
        rule: "session.incident".into(),
        category: crisis::Category::Ideation,
        words: note.to_owned(),
        note: "Logged by a facilitator during a live session.".into(),
        effect: crisis::Effect::Counted,
    }];
    let raised = raise(
        state,
        Alert {
            about,
            group_id: Some(group_id),
            level,
            score: 1.0,
            source_kind: "session_incident",
            source_id: meeting_id,
            source_url: url,
            evidence: &evidence,
        },
    )
    .await?;
    tracing::info!(
        alert.id = raised.id,
        level = level.as_str(),
        "session incident logged"
    );
    Ok(raised.id)
}

/// A member asked for someone to reach out (after a questionnaire, from
/// their own tools): an alert about them, urgent, that says only that
/// they asked. What they answered stays theirs.
pub async fn raise_request(state: &AppState, about: i64) -> Result<i64, String> {
    let evidence = vec![crisis::Evidence {
        rule: "member.request".into(),
        category: crisis::Category::Ideation,
        words: String::new(),
        note: "The member asked for someone to reach out to them.".into(),
        effect: crisis::Effect::Counted,
    }];
    let raised = raise(
        state,
        Alert {
            about,
            group_id: None,
            level: Level::Imminent,
            score: 1.0,
            source_kind: "member_request",
            source_id: about,
            source_url: "/moderation/alerts",
            evidence: &evidence,
        },
    )
    .await?;
    tracing::info!(
        alert.id = raised.id,
        "a member asked for someone to reach out"
    );
    Ok(raised.id)
}
