//! The pages of check-ins and questionnaires: recording them, and their
//! trends over weeks and months as charts with their data in tables.
//! Everything works without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::chart::Chart;
use super::instruments::{Kind, Text};
use super::tracking::{self, Assessment, AssessmentDraft, CheckinDraft, ITEM_FIELDS, TAGS};
use crate::AppState;
use crate::safety::CrisisResponse;
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::{Arg, Tr};
use crate::web::render::{FormView, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/check-ins", get(checkins_page).post(check_in))
        .route("/assessments", get(assessments_page))
        .route("/assessments/help", post(ask_for_help))
        .route("/assessments/{kind}", get(questionnaire).post(take))
        .route("/assessments/{kind}/{id}", get(result))
}

const DAY_MS: i64 = 86_400_000;

/// A period a trend covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Range {
    Weeks4,
    Months3,
    Months12,
}

impl Range {
    fn parse(s: Option<&str>) -> Self {
        match s {
            Some("3m") => Range::Months3,
            Some("12m") => Range::Months12,
            _ => Range::Weeks4,
        }
    }

    fn days(self) -> i64 {
        match self {
            Range::Weeks4 => 28,
            Range::Months3 => 91,
            Range::Months12 => 365,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Range::Weeks4 => "4w",
            Range::Months3 => "3m",
            Range::Months12 => "12m",
        }
    }

    /// Days between marks on the time axis.
    fn tick_days(self) -> i64 {
        match self {
            Range::Weeks4 => 7,
            Range::Months3 => 14,
            Range::Months12 => 61,
        }
    }
}

/// The links that choose a period: (href, label, current).
fn range_links(ctx: &Ctx, tr: Tr, path: &str, current: Range) -> Vec<(String, String, bool)> {
    [Range::Weeks4, Range::Months3, Range::Months12]
        .into_iter()
        .map(|r| {
            (
                ctx.href(&format!("{path}?range={}", r.key())),
                tr.t(&format!("trend-range-{}", r.key())),
                r == current,
            )
        })
        .collect()
}

fn format(user: &CurrentUser, ms: i64, pattern: &str) -> String {
    super::member_time(user, ms, pattern)
}

fn x_ticks(user: &CurrentUser, from: i64, to: i64, range: Range) -> Vec<(i64, String)> {
    let step = range.tick_days() * DAY_MS;
    (0..)
        .map(|i| from + i * step)
        .take_while(|t| *t <= to)
        .map(|t| (t, format(user, t, "%m-%d")))
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TrendQuery {
    range: Option<String>,
    notice: Option<String>,
    crisis: Option<String>,
}

/// A check-in as the table shows it.
struct CheckinRow {
    when: String,
    machine: String,
    mood: String,
    tags: String,
    note: String,
}

#[derive(Template)]
#[template(path = "wellness/checkins.html")]
struct CheckinsPage {
    s: Shell,
    f: FormView,
    moods: Vec<(u8, String)>,
    tags: Vec<(String, String)>,
    chosen_tags: Vec<String>,
    ranges: Vec<(String, String, bool)>,
    chart: String,
    rows: Vec<CheckinRow>,
    damaged: usize,
    crisis: Option<CrisisResponse>,
}

fn mood_label(tr: Tr, mood: u8) -> String {
    tr.t(&format!("checkin-mood-{mood}"))
}

async fn checkins_view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    range: Range,
    f: FormView,
    chosen_tags: Vec<String>,
    crisis: Option<CrisisResponse>,
) -> Result<CheckinsPage, AppError> {
    let tr = ctx.tr();
    let to = crate::db::now_ms();
    let from = to - range.days() * DAY_MS;
    let (checkins, damaged) = tracking::checkins(state, user, from).await?;
    let points: Vec<(i64, f64)> = checkins
        .iter()
        .map(|c| (c.created_at, f64::from(c.mood)))
        .collect();
    let y_ticks: Vec<(f64, String)> = (1..=5u8).map(|m| (f64::from(m), m.to_string())).collect();
    let title = tr.t("checkin-chart-title");
    let description = tr.t_args(
        "checkin-chart-desc",
        &[("count", fluent_num(checkins.len()))],
    );
    let chart = Chart {
        id: "mood-chart",
        title: &title,
        description: &description,
        from,
        to,
        y_min: 1.0,
        y_max: 5.0,
        y_ticks: &y_ticks,
        x_ticks: &x_ticks(user, from, to, range),
        points: &points,
    }
    .svg();
    let rows = checkins
        .iter()
        .rev()
        .map(|c| CheckinRow {
            when: format(user, c.created_at, "%Y-%m-%d %H:%M"),
            machine: format(user, c.created_at, "%Y-%m-%dT%H:%M:%S%:z"),
            mood: format!("{} ({})", c.mood, mood_label(tr, c.mood)),
            tags: c
                .tags
                .iter()
                .map(|t| tr.t(&format!("checkin-tag-{t}")))
                .collect::<Vec<_>>()
                .join(", "),
            note: c.note.clone(),
        })
        .collect();
    Ok(CheckinsPage {
        s: Shell::new(state, ctx, tr.t("checkin-title")),
        f,
        moods: (1..=5u8).map(|m| (m, mood_label(tr, m))).collect(),
        tags: TAGS
            .iter()
            .map(|t| ((*t).to_owned(), tr.t(&format!("checkin-tag-{t}"))))
            .collect(),
        chosen_tags,
        ranges: range_links(ctx, tr, "/check-ins", range),
        chart,
        rows,
        damaged,
        crisis,
    })
}

fn fluent_num(n: usize) -> Arg {
    Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
}

async fn checkins_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<TrendQuery>,
) -> Result<Response, AppError> {
    let range = Range::parse(q.range.as_deref());
    let crisis = super::crisis_from_param(&state, &ctx, q.crisis.as_deref());
    let mut page = checkins_view(
        &state,
        &ctx,
        &user,
        range,
        FormView::new(ctx.tr()),
        Vec::new(),
        crisis,
    )
    .await?;
    page.s = page.s.with_notice(notice_id(q.notice.as_deref()));
    html(&page)
}

/// The check-in form, read by hand: `tag` comes once for each tag chosen.
struct CheckinForm {
    mood: String,
    tags: Vec<String>,
    note: String,
}

async fn check_in(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let mut form = CheckinForm {
        mood: String::new(),
        tags: Vec::new(),
        note: String::new(),
    };
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "mood" => form.mood = v.into_owned(),
            "tag" => form.tags.push(v.into_owned()),
            "note" => form.note = v.into_owned(),
            _ => {}
        }
    }
    let draft = CheckinDraft {
        mood: form.mood.trim().parse().ok(),
        tags: form.tags.clone(),
        note: form.note.clone(),
    };
    match tracking::check_in(&state, &user, &draft).await {
        Ok(saved) => {
            let crisis = match saved.risk {
                Some(crisis::Level::Imminent) => "&crisis=imminent",
                Some(_) => "&crisis=ideation",
                None => "",
            };
            Ok(
                Redirect::to(&ctx.href(&format!("/check-ins?notice=checkin-saved{crisis}")))
                    .into_response(),
            )
        }
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_errors(tr, &errors)
                .with_value("mood", &form.mood)
                .with_value("note", &form.note);
            let page =
                checkins_view(&state, &ctx, &user, Range::Weeks4, f, form.tags, None).await?;
            html_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

/// One questionnaire's trend on the overview.
struct Trend {
    kind: &'static str,
    name: &'static str,
    title: &'static str,
    latest: Option<String>,
    chart: String,
    rows: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "wellness/assessments.html")]
struct AssessmentsPage {
    s: Shell,
    ranges: Vec<(String, String, bool)>,
    trends: Vec<Trend>,
    damaged: usize,
}

fn band_label(tr: Tr, a: &Assessment) -> String {
    tr.t(&format!("band-{}", a.band.as_str()))
}

async fn assessments_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(q): Query<TrendQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let range = Range::parse(q.range.as_deref());
    let to = crate::db::now_ms();
    let from = to - range.days() * DAY_MS;
    let mut trends = Vec::new();
    let mut damaged = 0;
    for kind in [Kind::Phq9, Kind::Gad7] {
        let (taken, lost) = tracking::assessments(&state, &user, kind, from).await?;
        damaged += lost;
        let points: Vec<(i64, f64)> = taken
            .iter()
            .map(|a| (a.created_at, f64::from(a.score)))
            .collect();
        // The bands' lower bounds.
        let mut y_ticks: Vec<(f64, String)> = [0u8, 5, 10, 15]
            .into_iter()
            .map(|v| (f64::from(v), v.to_string()))
            .collect();
        if kind == Kind::Phq9 {
            y_ticks.push((20.0, "20".into()));
        }
        let title = tr.t_args(
            "assessment-chart-title",
            &[("name", Arg::Text(kind.name().to_owned()))],
        );
        let description = tr.t_args(
            "assessment-chart-desc",
            &[("count", fluent_num(taken.len()))],
        );
        let chart = Chart {
            id: kind.as_str(),
            title: &title,
            description: &description,
            from,
            to,
            y_min: 0.0,
            y_max: f64::from(kind.max()),
            y_ticks: &y_ticks,
            x_ticks: &x_ticks(&user, from, to, range),
            points: &points,
        }
        .svg();
        trends.push(Trend {
            kind: kind.as_str(),
            name: kind.name(),
            title: kind.text(ctx.lang).title,
            latest: taken.last().map(|a| {
                tr.t_args(
                    "assessment-latest",
                    &[
                        ("score", fluent_num(usize::from(a.score))),
                        ("max", fluent_num(usize::from(kind.max()))),
                        ("band", Arg::Text(band_label(tr, a))),
                        ("when", Arg::Text(format(&user, a.created_at, "%Y-%m-%d"))),
                    ],
                )
            }),
            chart,
            rows: taken
                .iter()
                .rev()
                .map(|a| {
                    (
                        format(&user, a.created_at, "%Y-%m-%d %H:%M"),
                        format(&user, a.created_at, "%Y-%m-%dT%H:%M:%S%:z"),
                        format!("{} / {}", a.score, kind.max()),
                        band_label(tr, a),
                    )
                })
                .collect(),
        });
    }
    html(&AssessmentsPage {
        s: Shell::new(&state, &ctx, tr.t("assessments-title"))
            .with_notice(notice_id(q.notice.as_deref())),
        ranges: range_links(&ctx, tr, "/assessments", range),
        trends,
        damaged,
    })
}

#[derive(Template)]
#[template(path = "wellness/questionnaire.html")]
struct QuestionnairePage {
    s: Shell,
    f: FormView,
    kind: &'static str,
    text: &'static Text,
    /// (field, number, item text)
    items: Vec<(&'static str, usize, &'static str)>,
}

fn kind_of(s: &str) -> Result<Kind, AppError> {
    Kind::parse(s).ok_or(AppError::NotFound)
}

fn questionnaire_page(state: &AppState, ctx: &Ctx, kind: Kind, f: FormView) -> QuestionnairePage {
    let text = kind.text(ctx.lang);
    QuestionnairePage {
        s: Shell::new(state, ctx, text.title.to_owned()),
        f,
        kind: kind.as_str(),
        text,
        items: text
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (ITEM_FIELDS.get(i).copied().unwrap_or("q"), i + 1, *item))
            .collect(),
    }
}

async fn questionnaire(
    State(state): State<AppState>,
    PageUser(_, ctx): PageUser,
    Path(kind): Path<String>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    html(&questionnaire_page(
        &state,
        &ctx,
        kind,
        FormView::new(ctx.tr()),
    ))
}

/// The questionnaire's form: `q1`…`q9` and `difficulty`, each "0"–"3".
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnswersForm {
    q1: String,
    q2: String,
    q3: String,
    q4: String,
    q5: String,
    q6: String,
    q7: String,
    q8: String,
    q9: String,
    difficulty: String,
}

impl AnswersForm {
    fn fields(&self) -> [&str; 9] {
        [
            &self.q1, &self.q2, &self.q3, &self.q4, &self.q5, &self.q6, &self.q7, &self.q8,
            &self.q9,
        ]
    }

    fn draft(&self, kind: Kind) -> AssessmentDraft {
        AssessmentDraft {
            answers: self
                .fields()
                .iter()
                .take(kind.items())
                .map(|v| v.trim().parse().ok())
                .collect(),
            difficulty: self.difficulty.trim().parse().ok(),
        }
    }
}

async fn take(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(kind): Path<String>,
    FormData(form): FormData<AnswersForm>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    match tracking::take(&state, &user, kind, &form.draft(kind)).await {
        Ok(a) => Ok(
            Redirect::to(&ctx.href(&format!("/assessments/{}/{}", kind.as_str(), a.id)))
                .into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = ITEM_FIELDS
                .iter()
                .zip(form.fields())
                .fold(FormView::new(tr).with_errors(tr, &errors), |f, (k, v)| {
                    f.with_value(k, v)
                })
                .with_value("difficulty", &form.difficulty);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &questionnaire_page(&state, &ctx, kind, f),
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "wellness/result.html")]
struct ResultPage {
    s: Shell,
    a: Assessment,
    max: u8,
    band: String,
    meaning: String,
    crisis: Option<CrisisResponse>,
    /// The member's safety plan, shown at once with the crisis lines.
    plan: Vec<(String, Vec<String>)>,
    has_plan: bool,
}

async fn result(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let a = tracking::assessment_of(&state, &user, kind, id).await?;
    let tr = ctx.tr();
    let (crisis, plan) = if a.thoughts_of_harm {
        let plan = super::safety_plan::get(&state, &user).await?.plan;
        let steps = plan
            .steps()
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(key, t)| {
                (
                    tr.t(&format!("plan-step-{key}")),
                    t.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            })
            .collect();
        (
            Some(super::private_crisis(&state, &ctx, crisis::Level::Ideation)),
            steps,
        )
    } else {
        (None, Vec::new())
    };
    html(&ResultPage {
        s: Shell::new(&state, &ctx, tr.t("assessment-result-title")),
        band: band_label(tr, &a),
        meaning: tr.t(&format!("band-meaning-{}", a.band.as_str())),
        max: kind.max(),
        has_plan: !plan.is_empty(),
        a,
        crisis,
        plan,
    })
}

async fn ask_for_help(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    tracking::ask_for_help(&state, &user).await?;
    Ok(Redirect::to(&ctx.href("/assessments?notice=help-asked")).into_response())
}
