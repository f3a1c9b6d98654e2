//! The wellness JSON API: the member's own journal, safety plan,
//! check-ins and questionnaires. Every route reads and
//! writes the caller's own records only; nobody else's are reachable.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::goals::{self, Goal, GoalCheckin, GoalDraft};
use super::instruments::Kind;
use super::journal::{self, Draft, Entry, Filter, Journal};
use super::safety_plan::{self, Plan, SavedPlan};
use super::tracking::{self, Assessment, AssessmentDraft, Checkin, CheckinDraft};
use crate::AppState;
use crate::safety::CrisisResponse;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiUser};
use crate::web::{AppError, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_entries, create_entry))
        .routes(routes!(get_entry, update_entry, delete_entry))
        .routes(routes!(get_plan, put_plan))
        .routes(routes!(list_checkins, create_checkin))
        .routes(routes!(list_assessments))
        .routes(routes!(take_assessment))
        .routes(routes!(ask_for_help))
        .routes(routes!(put_break_reminder))
        .routes(routes!(list_goals, create_goal))
        .routes(routes!(get_goal, delete_goal))
        .routes(routes!(goal_check_in))
        .routes(routes!(goal_done))
}

/// The caller's goals, open ones first, and how many did not open.
#[derive(Debug, Serialize, ToSchema)]
pub struct Goals {
    pub goals: Vec<Goal>,
    pub damaged: usize,
}

/// The caller's goals.
#[utoipa::path(get, path = "/api/v1/me/goals", tag = "wellness", security(("bearer" = [])),
    responses(
        (status = 200, description = "The goals", body = Goals),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn list_goals(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<Goals>, AppError> {
    let (goals, damaged) = goals::list(&state, &user).await?;
    Ok(Json(Goals { goals, damaged }))
}

/// Adds a goal. To share one with a group, post a thread there
/// (`POST /api/v1/groups/{slug}/threads`) with the words the member
/// chooses.
#[utoipa::path(post, path = "/api/v1/me/goals", tag = "wellness", security(("bearer" = [])),
    request_body = GoalDraft,
    responses(
        (status = 201, description = "Added", body = Goal),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "No title, or too long", body = ErrorBody),
    ))]
async fn create_goal(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(d): ApiJson<GoalDraft>,
) -> Result<(StatusCode, Json<Goal>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(goals::create(&state, &user, &d).await?),
    ))
}

/// A goal with its check-ins, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalWithCheckins {
    pub goal: Goal,
    pub checkins: Vec<GoalCheckin>,
}

/// One of the caller's goals.
#[utoipa::path(get, path = "/api/v1/me/goals/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The goal", body = GoalWithCheckins),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such goal of the caller's", body = ErrorBody),
    ))]
async fn get_goal(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<GoalWithCheckins>, AppError> {
    let (goal, checkins) = goals::get(&state, &user, id).await?;
    Ok(Json(GoalWithCheckins { goal, checkins }))
}

/// Deletes one of the caller's goals, with its check-ins.
#[utoipa::path(delete, path = "/api/v1/me/goals/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such goal of the caller's", body = ErrorBody),
    ))]
async fn delete_goal(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    goals::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records how one of the caller's goals went.
#[utoipa::path(post, path = "/api/v1/me/goals/{id}/check-ins", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = goals::CheckinDraft,
    responses(
        (status = 201, description = "Recorded", body = GoalCheckin),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such goal of the caller's", body = ErrorBody),
        (status = 422, description = "No `went`, or a note too long", body = ErrorBody),
    ))]
async fn goal_check_in(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<goals::CheckinDraft>,
) -> Result<(StatusCode, Json<GoalCheckin>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(goals::check_in(&state, &user, id, &d).await?),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalDone {
    pub done: bool,
}

/// Marks one of the caller's goals done, or open again.
#[utoipa::path(put, path = "/api/v1/me/goals/{id}/done", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = GoalDone,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such goal of the caller's", body = ErrorBody),
    ))]
async fn goal_done(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<GoalDone>,
) -> Result<StatusCode, AppError> {
    goals::set_done(&state, &user, id, d.done).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakReminder {
    /// Minutes of continuous use (15 to 240) after which the site's pages
    /// suggest a break; null for never.
    #[schema(minimum = 15, maximum = 240)]
    pub minutes: Option<i64>,
}

/// Sets or clears the caller's break reminder.
#[utoipa::path(put, path = "/api/v1/me/break-reminder", tag = "wellness", security(("bearer" = [])),
    request_body = BreakReminder,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Not 15 to 240 minutes", body = ErrorBody),
    ))]
async fn put_break_reminder(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(req): ApiJson<BreakReminder>,
) -> Result<StatusCode, AppError> {
    super::self_care::set_break(&state, &user, req.minutes).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct Period {
    /// Records from the last this many days (1 to 400; 28 if not given).
    pub days: Option<i64>,
}

impl Period {
    fn since(&self) -> Result<i64, AppError> {
        let days = self.days.unwrap_or(28);
        if !(1..=400).contains(&days) {
            return Err(AppError::Validation(vec![("days", "error-period")]));
        }
        Ok(crate::db::now_ms() - days * 86_400_000)
    }
}

/// Records of a period, and how many did not open (damaged).
#[derive(Debug, Serialize, ToSchema)]
pub struct Checkins {
    pub checkins: Vec<Checkin>,
    pub damaged: usize,
}

/// The caller's check-ins over a period, oldest first.
#[utoipa::path(get, path = "/api/v1/me/check-ins", tag = "wellness", security(("bearer" = [])),
    params(Period),
    responses(
        (status = 200, description = "The check-ins", body = Checkins),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A period outside 1 to 400 days", body = ErrorBody),
    ))]
async fn list_checkins(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(period): Query<Period>,
) -> Result<Json<Checkins>, AppError> {
    let (checkins, damaged) = tracking::checkins(&state, &user, period.since()?).await?;
    Ok(Json(Checkins { checkins, damaged }))
}

/// A check-in recorded, and crisis lines when its note reads as risk
/// (nobody was alerted).
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedCheckin {
    pub checkin: Checkin,
    pub crisis: Option<CrisisResponse>,
}

/// Records a mood check-in.
#[utoipa::path(post, path = "/api/v1/me/check-ins", tag = "wellness", security(("bearer" = [])),
    request_body = CheckinDraft,
    responses(
        (status = 201, description = "Recorded", body = SavedCheckin),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "No mood from 1 to 5, an unknown tag, or a note too long", body = ErrorBody),
    ))]
async fn create_checkin(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    ApiJson(draft): ApiJson<CheckinDraft>,
) -> Result<(StatusCode, Json<SavedCheckin>), AppError> {
    let saved = tracking::check_in(&state, &user, &draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(SavedCheckin {
            checkin: saved.checkin,
            crisis: saved.risk.map(|l| super::private_crisis(&state, &ctx, l)),
        }),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct AssessmentQuery {
    /// `phq9` or `gad7`.
    pub kind: Option<String>,
    /// Records from the last this many days (1 to 400; 28 if not given).
    pub days: Option<i64>,
}

/// Questionnaires of a period, and how many did not open (damaged).
#[derive(Debug, Serialize, ToSchema)]
pub struct Assessments {
    pub assessments: Vec<Assessment>,
    pub damaged: usize,
}

fn kind_of(s: &str) -> Result<Kind, AppError> {
    Kind::parse(s).ok_or(AppError::Validation(vec![(
        "kind",
        "error-assessment-kind",
    )]))
}

/// The caller's completed questionnaires of one kind over a period,
/// oldest first.
#[utoipa::path(get, path = "/api/v1/me/assessments", tag = "wellness", security(("bearer" = [])),
    params(AssessmentQuery),
    responses(
        (status = 200, description = "The questionnaires", body = Assessments),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "An unknown kind, or a period outside 1 to 400 days", body = ErrorBody),
    ))]
async fn list_assessments(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<AssessmentQuery>,
) -> Result<Json<Assessments>, AppError> {
    let kind = kind_of(q.kind.as_deref().unwrap_or("phq9"))?;
    let since = Period { days: q.days }.since()?;
    let (assessments, damaged) = tracking::assessments(&state, &user, kind, since).await?;
    Ok(Json(Assessments {
        assessments,
        damaged,
    }))
}

/// A questionnaire scored and recorded. When the PHQ-9's ninth item is
/// above zero: crisis lines and the caller's safety plan, at once (nobody
/// was alerted; `POST /api/v1/me/help-requests` asks for someone).
#[derive(Debug, Serialize, ToSchema)]
pub struct TakenAssessment {
    pub assessment: Assessment,
    pub crisis: Option<CrisisResponse>,
    pub safety_plan: Option<SavedPlan>,
}

/// Scores and records a completed PHQ-9 or GAD-7.
#[utoipa::path(post, path = "/api/v1/me/assessments/{kind}", tag = "wellness", security(("bearer" = [])),
    params(("kind" = String, Path, description = "`phq9` or `gad7`")),
    request_body = AssessmentDraft,
    responses(
        (status = 201, description = "Scored and recorded", body = TakenAssessment),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such questionnaire", body = ErrorBody),
        (status = 422, description = "An item unanswered, or an answer outside 0 to 3", body = ErrorBody),
    ))]
async fn take_assessment(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path(kind): Path<String>,
    ApiJson(draft): ApiJson<AssessmentDraft>,
) -> Result<(StatusCode, Json<TakenAssessment>), AppError> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let assessment = tracking::take(&state, &user, kind, &draft).await?;
    let (crisis, safety_plan) = if assessment.thoughts_of_harm {
        (
            Some(super::private_crisis(&state, &ctx, crisis::Level::Ideation)),
            Some(safety_plan::get(&state, &user).await?),
        )
    } else {
        (None, None)
    };
    Ok((
        StatusCode::CREATED,
        Json(TakenAssessment {
            assessment,
            crisis,
            safety_plan,
        }),
    ))
}

/// Asks for someone from the site's team to reach out: a safety alert
/// that says only that the caller asked.
#[utoipa::path(post, path = "/api/v1/me/help-requests", tag = "wellness", security(("bearer" = [])),
    responses(
        (status = 202, description = "The team is told"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn ask_for_help(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<StatusCode, AppError> {
    tracking::ask_for_help(&state, &user).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The caller's safety plan (empty steps before they write one).
#[utoipa::path(get, path = "/api/v1/me/safety-plan", tag = "wellness", security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = SavedPlan),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn get_plan(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
) -> Result<Json<SavedPlan>, AppError> {
    Ok(Json(safety_plan::get(&state, &user).await?))
}

/// Replaces the caller's safety plan (a step left out is empty).
#[utoipa::path(put, path = "/api/v1/me/safety-plan", tag = "wellness", security(("bearer" = [])),
    request_body = Plan,
    responses(
        (status = 200, description = "Saved", body = SavedPlan),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A step too long, or with control characters", body = ErrorBody),
    ))]
async fn put_plan(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    ApiJson(plan): ApiJson<Plan>,
) -> Result<Json<SavedPlan>, AppError> {
    safety_plan::save(&state, &user, plan).await?;
    Ok(Json(safety_plan::get(&state, &user).await?))
}

/// A journal entry to write.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// At most 200 characters, on one line; may be empty.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub title: String,
    /// 1 to 20,000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// `calm`, `hopeful`, `grateful`, `okay`, `tired`, `low`, `anxious` or `angry`.
    #[serde(default)]
    pub mood: Option<String>,
    /// The prompt answered: `today`, `grateful`, `hard`, `kind`, `need`,
    /// `proud`, `worry` or `tomorrow`.
    #[serde(default)]
    pub prompt: Option<String>,
}

impl From<EntryRequest> for Draft {
    fn from(r: EntryRequest) -> Self {
        Draft {
            title: r.title,
            body: r.body,
            mood: r.mood,
            prompt: r.prompt,
        }
    }
}

/// A saved entry, and crisis lines when its words read as risk (nobody
/// was alerted: the journal is private).
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedEntry {
    pub entry: Entry,
    pub crisis: Option<CrisisResponse>,
}

async fn saved(
    state: &AppState,
    user: &crate::web::CurrentUser,
    ctx: &Ctx,
    s: journal::Saved,
) -> Result<SavedEntry, AppError> {
    Ok(SavedEntry {
        entry: journal::entry(state, user, s.id).await?,
        crisis: s
            .risk
            .map(|level| crate::safety::response(state, ctx, level)),
    })
}

/// The caller's journal, newest first, 20 entries a page.
#[utoipa::path(get, path = "/api/v1/me/journal", tag = "wellness", security(("bearer" = [])),
    params(Filter),
    responses(
        (status = 200, description = "A page of entries", body = Journal),
        (status = 422, description = "An unknown mood, or a search too long", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn list_entries(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(filter): Query<Filter>,
) -> Result<Json<Journal>, AppError> {
    Ok(Json(journal::list(&state, &user, &filter).await?))
}

/// Writes a journal entry.
#[utoipa::path(post, path = "/api/v1/me/journal", tag = "wellness", security(("bearer" = [])),
    request_body = EntryRequest,
    responses(
        (status = 201, description = "Written", body = SavedEntry),
        (status = 422, description = "Empty, too long, or an unknown mood or prompt", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
async fn create_entry(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<(StatusCode, Json<SavedEntry>), AppError> {
    let s = journal::create(&state, &user, &req.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(saved(&state, &user, &ctx, s).await?),
    ))
}

/// One of the caller's entries.
#[utoipa::path(get, path = "/api/v1/me/journal/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The entry", body = Entry),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's", body = ErrorBody),
        (status = 500, description = "The entry is damaged and was not opened", body = ErrorBody),
    ))]
async fn get_entry(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Entry>, AppError> {
    Ok(Json(journal::entry(&state, &user, id).await?))
}

/// Rewrites one of the caller's entries.
#[utoipa::path(put, path = "/api/v1/me/journal/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = EntryRequest,
    responses(
        (status = 200, description = "Saved", body = SavedEntry),
        (status = 422, description = "Empty, too long, or an unknown mood or prompt", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's", body = ErrorBody),
    ))]
async fn update_entry(
    State(state): State<AppState>,
    ApiUser(user, ctx): ApiUser,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<Json<SavedEntry>, AppError> {
    let s = journal::update(&state, &user, id, &req.into()).await?;
    Ok(Json(saved(&state, &user, &ctx, s).await?))
}

/// Deletes one of the caller's entries for good.
#[utoipa::path(delete, path = "/api/v1/me/journal/{id}", tag = "wellness", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's", body = ErrorBody),
    ))]
async fn delete_entry(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    journal::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
