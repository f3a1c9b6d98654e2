//! Self-care: a breathing pacer and a 5-4-3-2-1 grounding guide (both
//! work without JavaScript, and the pacer stands still when the browser
//! asks for reduced motion), and an optional reminder to take a break
//! after a chosen time of continuous use. Quiet hours for e-mail live with
//! the account's preferences.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{Shell, html, notice_id};
use crate::web::{AppError, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/self-care", get(index))
        .route("/self-care/breathing", get(breathing))
        .route("/self-care/grounding", get(grounding))
        .route("/self-care/break", post(save_break))
}

/// The break reminder's choices, in minutes.
pub const BREAK_CHOICES: [i64; 6] = [20, 30, 45, 60, 90, 120];
/// A break reminder may be set from…
pub const BREAK_MIN: i64 = 15;
/// …to this many minutes.
pub const BREAK_MAX: i64 = 240;

/// Sets or clears the member's break reminder.
pub async fn set_break(
    state: &AppState,
    user: &CurrentUser,
    minutes: Option<i64>,
) -> Result<(), AppError> {
    if minutes.is_some_and(|m| !(BREAK_MIN..=BREAK_MAX).contains(&m)) {
        return Err(AppError::Validation(vec![(
            "minutes",
            "error-break-minutes",
        )]));
    }
    crate::accounts::store::set_break_minutes(&state.db, user.account.id, minutes).await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "wellness/self_care.html")]
struct IndexPage {
    s: Shell,
    choices: Vec<(i64, bool)>,
    off: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoticeOnly {
    notice: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<NoticeOnly>,
) -> Result<Response, AppError> {
    let current = user.account.break_minutes;
    html(&IndexPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("self-care-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        // The member's own value (set through the API) is offered too, so
        // saving the form keeps it.
        choices: {
            let mut c: Vec<i64> = BREAK_CHOICES.to_vec();
            if let Some(m) = current.filter(|m| !c.contains(m)) {
                c.push(m);
                c.sort_unstable();
            }
            c.into_iter().map(|m| (m, current == Some(m))).collect()
        },
        off: current.is_none(),
    })
}

#[derive(Template)]
#[template(path = "wellness/breathing.html")]
struct BreathingPage {
    s: Shell,
}

async fn breathing(
    State(state): State<AppState>,
    PageUser(_, ctx): PageUser,
) -> Result<Response, AppError> {
    html(&BreathingPage {
        s: Shell::new(&state, &ctx, ctx.tr().t("breathing-title")),
    })
}

/// The five senses of the 5-4-3-2-1 guide, in order (words in the locale
/// files: `grounding-step-{n}`).
const GROUNDING_STEPS: u8 = 5;

#[derive(Template)]
#[template(path = "wellness/grounding.html")]
struct GroundingPage {
    s: Shell,
    /// 1 to 5; 6 when done.
    step: u8,
    steps: u8,
    heading: String,
    hint: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepQuery {
    step: Option<String>,
}

async fn grounding(
    State(state): State<AppState>,
    PageUser(_, ctx): PageUser,
    Query(q): Query<StepQuery>,
) -> Result<Response, AppError> {
    let step = q
        .step
        .as_deref()
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|s| (1..=GROUNDING_STEPS + 1).contains(s))
        .unwrap_or(1);
    let tr = ctx.tr();
    html(&GroundingPage {
        s: Shell::new(&state, &ctx, tr.t("grounding-title")),
        step,
        steps: GROUNDING_STEPS,
        heading: tr.t(&format!("grounding-step-{step}")),
        hint: tr.t(&format!("grounding-hint-{step}")),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BreakForm {
    /// Minutes, or "off".
    minutes: String,
}

async fn save_break(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<BreakForm>,
) -> Result<Response, AppError> {
    let minutes = match form.minutes.trim() {
        "" | "off" => None,
        m => Some(
            m.parse::<i64>()
                .map_err(|_| AppError::Validation(vec![("minutes", "error-break-minutes")]))?,
        ),
    };
    set_break(&state, &user, minutes).await?;
    Ok(Redirect::to(&ctx.href("/self-care?notice=break-saved")).into_response())
}
