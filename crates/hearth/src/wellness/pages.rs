//! The journal's pages: the member's entries (search, mood, older pages),
//! writing one (to a prompt if they like), reading, rewriting and
//! deleting it; and the safety plan (read, print, edit). Everything works
//! without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::journal::{self, Draft, Entry, Filter, MOODS, PROMPTS};
use super::safety_plan;
use crate::AppState;
use crate::safety::CrisisResponse;
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::Tr;
use crate::web::render::{FormView, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/journal", get(journal_page).post(create))
        .route("/journal/new", get(new_page))
        .route("/journal/{id}", get(entry_page).post(update))
        .route("/journal/{id}/edit", get(edit_page))
        .route("/journal/{id}/delete", post(delete))
        .route("/safety-plan", get(plan_page).post(save_plan))
        .route("/safety-plan/edit", get(edit_plan))
}

/// A choice in a select: (value, label).
type Choice = (String, String);

fn moods(tr: Tr) -> Vec<Choice> {
    MOODS
        .iter()
        .map(|m| ((*m).to_owned(), tr.t(&format!("mood-{m}"))))
        .collect()
}

fn prompts(tr: Tr) -> Vec<Choice> {
    PROMPTS
        .iter()
        .map(|p| ((*p).to_owned(), tr.t(&format!("journal-prompt-{p}"))))
        .collect()
}

/// An instant in the member's own zone: shown, and for `<time datetime>`.
fn when(user: &CurrentUser, ms: i64) -> (String, String) {
    (
        super::member_time(user, ms, "%Y-%m-%d %H:%M %Z"),
        super::member_time(user, ms, "%Y-%m-%dT%H:%M:%S%:z"),
    )
}

/// An entry as the pages show it.
struct EntryView {
    id: i64,
    title: String,
    /// Paragraphs, split at blank lines; lines within kept.
    paragraphs: Vec<String>,
    /// The first words, for the list.
    excerpt: String,
    mood: Option<String>,
    prompt: Option<String>,
    when_display: String,
    when_machine: String,
    edited: bool,
}

fn view(tr: Tr, user: &CurrentUser, e: &Entry) -> EntryView {
    let (when_display, when_machine) = when(user, e.created_at);
    let excerpt: String = e.body.chars().take(160).collect();
    let excerpt = if excerpt.len() < e.body.len() {
        format!("{}\u{2026}", excerpt.trim_end())
    } else {
        excerpt
    };
    EntryView {
        id: e.id,
        title: if e.title.is_empty() {
            tr.t("journal-untitled")
        } else {
            e.title.clone()
        },
        paragraphs: e
            .body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        excerpt,
        mood: e.mood.as_ref().map(|m| tr.t(&format!("mood-{m}"))),
        prompt: e
            .prompt
            .as_ref()
            .map(|p| tr.t(&format!("journal-prompt-{p}"))),
        when_display,
        when_machine,
        edited: e.updated_at > e.created_at,
    }
}

#[derive(Template)]
#[template(path = "wellness/journal.html")]
struct JournalPage {
    s: Shell,
    entries: Vec<EntryView>,
    damaged: usize,
    q: String,
    mood: String,
    moods: Vec<Choice>,
    prompts: Vec<Choice>,
    /// The next page's link, if there are older entries.
    older: Option<String>,
    searching: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    q: Option<String>,
    mood: Option<String>,
    before: Option<i64>,
    notice: Option<String>,
}

async fn journal_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(lq): Query<ListQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let filter = Filter {
        q: lq.q.clone(),
        mood: lq.mood.clone(),
        before: lq.before,
    };
    let journal = match journal::list(&state, &user, &filter).await {
        Ok(j) => j,
        // A mood or search the form never offers: show everything.
        Err(AppError::Validation(_)) => journal::list(&state, &user, &Filter::default()).await?,
        Err(e) => return Err(e),
    };
    let q = lq.q.unwrap_or_default();
    let mood = lq.mood.unwrap_or_default();
    let older = journal.older.map(|before| {
        let mut url = form_urlencoded::Serializer::new(String::new());
        if !q.is_empty() {
            url.append_pair("q", &q);
        }
        if !mood.is_empty() {
            url.append_pair("mood", &mood);
        }
        url.append_pair("before", &before.to_string());
        ctx.href(&format!("/journal?{}", url.finish()))
    });
    html(&JournalPage {
        s: Shell::new(&state, &ctx, tr.t("journal-title"))
            .with_notice(notice_id(lq.notice.as_deref())),
        entries: journal.entries.iter().map(|e| view(tr, &user, e)).collect(),
        damaged: journal.damaged.len(),
        searching: !q.trim().is_empty() || !mood.is_empty(),
        q,
        mood,
        moods: moods(tr),
        prompts: prompts(tr),
        older,
    })
}

#[derive(Template)]
#[template(path = "wellness/journal_form.html")]
struct FormPage {
    s: Shell,
    f: FormView,
    /// The entry being rewritten, if any.
    id: Option<i64>,
    moods: Vec<Choice>,
    prompts: Vec<Choice>,
    /// The chosen prompt's words, shown above the body.
    prompt_text: Option<String>,
}

fn form_page(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    f: FormView,
    prompt: Option<&str>,
) -> FormPage {
    let tr = ctx.tr();
    let title = if id.is_some() {
        tr.t("journal-edit-title")
    } else {
        tr.t("journal-new-title")
    };
    FormPage {
        s: Shell::new(state, ctx, title),
        f,
        id,
        moods: moods(tr),
        prompts: prompts(tr),
        prompt_text: prompt
            .filter(|p| PROMPTS.contains(p))
            .map(|p| tr.t(&format!("journal-prompt-{p}"))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewQuery {
    prompt: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    PageUser(_, ctx): PageUser,
    Query(nq): Query<NewQuery>,
) -> Result<Response, AppError> {
    let prompt = nq.prompt.unwrap_or_default();
    let f = FormView::new(ctx.tr()).with_value("prompt", &prompt);
    html(&form_page(&state, &ctx, None, f, Some(&prompt)))
}

async fn edit_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let e = journal::entry(&state, &user, id).await?;
    let prompt = e.prompt.clone().unwrap_or_default();
    let f = FormView::new(ctx.tr())
        .with_value("title", &e.title)
        .with_value("body", &e.body)
        .with_value("mood", e.mood.as_deref().unwrap_or_default())
        .with_value("prompt", &prompt);
    html(&form_page(&state, &ctx, Some(id), f, Some(&prompt)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntryForm {
    title: String,
    body: String,
    mood: String,
    prompt: String,
}

impl EntryForm {
    fn draft(&self) -> Draft {
        Draft {
            title: self.title.clone(),
            body: self.body.clone(),
            mood: Some(self.mood.clone()),
            prompt: Some(self.prompt.clone()),
        }
    }

    /// The form again, as typed, with what is wrong: nothing is lost.
    fn refused(
        &self,
        state: &AppState,
        ctx: &Ctx,
        id: Option<i64>,
        errors: &[(&'static str, &'static str)],
    ) -> Result<Response, AppError> {
        let tr = ctx.tr();
        let f = FormView::new(tr)
            .with_errors(tr, errors)
            .with_value("title", &self.title)
            .with_value("body", &self.body)
            .with_value("mood", &self.mood)
            .with_value("prompt", &self.prompt);
        html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(state, ctx, id, f, Some(&self.prompt)),
        )
    }
}

/// Where a saved entry goes: its page, with crisis lines when its words
/// read as risk.
fn saved(ctx: &Ctx, s: &journal::Saved) -> Response {
    Redirect::to(&ctx.href(&format!(
        "/journal/{}?notice=journal-saved{}",
        s.id,
        super::crisis_param(s.risk)
    )))
    .into_response()
}

async fn create(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(form): FormData<EntryForm>,
) -> Result<Response, AppError> {
    match journal::create(&state, &user, &form.draft()).await {
        Ok(s) => Ok(saved(&ctx, &s)),
        Err(AppError::Validation(errors)) => form.refused(&state, &ctx, None, &errors),
        Err(e) => Err(e),
    }
}

async fn update(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    FormData(form): FormData<EntryForm>,
) -> Result<Response, AppError> {
    match journal::update(&state, &user, id, &form.draft()).await {
        Ok(s) => Ok(saved(&ctx, &s)),
        Err(AppError::Validation(errors)) => form.refused(&state, &ctx, Some(id), &errors),
        Err(e) => Err(e),
    }
}

async fn delete(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    journal::delete(&state, &user, id).await?;
    Ok(Redirect::to(&ctx.href("/journal?notice=journal-deleted")).into_response())
}

#[derive(Template)]
#[template(path = "wellness/journal_entry.html")]
struct EntryPage {
    s: Shell,
    e: EntryView,
    crisis: Option<CrisisResponse>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntryQuery {
    notice: Option<String>,
    /// Set by saving words that read as risk.
    crisis: Option<String>,
}

async fn entry_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
    Query(eq): Query<EntryQuery>,
) -> Result<Response, AppError> {
    let e = journal::entry(&state, &user, id).await?;
    let crisis = super::crisis_from_param(&state, &ctx, eq.crisis.as_deref());
    let tr = ctx.tr();
    let e = view(tr, &user, &e);
    html(&EntryPage {
        s: Shell::new(&state, &ctx, e.title.clone()).with_notice(notice_id(eq.notice.as_deref())),
        e,
        crisis,
    })
}

/// A step of the safety plan as the pages show it.
struct StepView {
    key: &'static str,
    number: usize,
    title: String,
    hint: String,
    /// One item a line, as written.
    items: Vec<String>,
}

fn steps(tr: Tr, plan: &safety_plan::Plan) -> Vec<StepView> {
    plan.steps()
        .iter()
        .enumerate()
        .map(|(i, (key, text))| StepView {
            key,
            number: i + 1,
            title: tr.t(&format!("plan-step-{key}")),
            hint: tr.t(&format!("plan-step-{key}-hint")),
            items: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "wellness/safety_plan.html")]
struct PlanPage {
    s: Shell,
    steps: Vec<StepView>,
    empty: bool,
    updated: Option<(String, String)>,
    /// The member's region's crisis lines, shown with step five.
    region: crate::help::RegionView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlanQuery {
    notice: Option<String>,
}

async fn plan_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(pq): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let saved = safety_plan::get(&state, &user).await?;
    let tr = ctx.tr();
    let region = crate::help::routes::pick_region(&state, &ctx, None);
    html(&PlanPage {
        s: Shell::new(&state, &ctx, tr.t("plan-title"))
            .with_notice(notice_id(pq.notice.as_deref())),
        empty: saved.plan.is_empty(),
        steps: steps(tr, &saved.plan),
        updated: saved.updated_at.map(|ms| when(&user, ms)),
        region: state.crisis.view(region, ctx.lang),
    })
}

#[derive(Template)]
#[template(path = "wellness/safety_plan_form.html")]
struct PlanForm {
    s: Shell,
    f: FormView,
    steps: Vec<StepView>,
}

fn plan_form(state: &AppState, ctx: &Ctx, plan: &safety_plan::Plan, f: FormView) -> PlanForm {
    let tr = ctx.tr();
    let f = plan
        .steps()
        .iter()
        .fold(f, |f, (key, text)| f.with_value(key, text));
    PlanForm {
        s: Shell::new(state, ctx, tr.t("plan-edit-title")),
        f,
        steps: steps(tr, plan),
    }
}

async fn edit_plan(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    let saved = safety_plan::get(&state, &user).await?;
    html(&plan_form(
        &state,
        &ctx,
        &saved.plan,
        FormView::new(ctx.tr()),
    ))
}

async fn save_plan(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    FormData(plan): FormData<PlanFields>,
) -> Result<Response, AppError> {
    let plan = plan.into_plan();
    match safety_plan::save(&state, &user, plan.clone()).await {
        Ok(()) => Ok(Redirect::to(&ctx.href("/safety-plan?notice=plan-saved")).into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &plan_form(
                    &state,
                    &ctx,
                    &plan,
                    FormView::new(tr).with_errors(tr, &errors),
                ),
            )
        }
        Err(e) => Err(e),
    }
}

/// The plan's form (with its CSRF field, which the extractor checks).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlanFields {
    warning_signs: String,
    coping: String,
    distractions: String,
    people: String,
    professionals: String,
    surroundings: String,
}

impl PlanFields {
    fn into_plan(self) -> safety_plan::Plan {
        safety_plan::Plan {
            warning_signs: self.warning_signs,
            coping: self.coping,
            distractions: self.distractions,
            people: self.people,
            professionals: self.professionals,
            surroundings: self.surroundings,
        }
    }
}
