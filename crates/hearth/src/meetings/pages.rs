//! A group's live sessions as pages: its schedule, the form to schedule
//! one, a session with its coming dates (come, give up a place, call off),
//! and its calendar file.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::schedule::{self, Occurrence, Recurrence};
use super::service::{self, MeetingInput, Upcoming};
use super::store::{self, Format, MeetingRow, Rsvp};
use crate::AppState;
use crate::web::extract::{FormData, PageUser};
use crate::web::i18n::Tr;
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{slug}/sessions", get(list).post(create))
        .route("/groups/{slug}/sessions/new", get(new_form))
        .route("/groups/{slug}/sessions/{id}", get(show))
        .route("/groups/{slug}/sessions/{id}/attend", post(attend))
        .route("/groups/{slug}/sessions/{id}/withdraw", post(withdraw))
        .route("/groups/{slug}/sessions/{id}/cancel", post(cancel))
        .route("/groups/{slug}/sessions/{id}/calendar.ics", get(ics))
        .route("/groups/{slug}/sessions/{id}/room", get(room))
        .route("/groups/{slug}/sessions/{id}/notes", post(save_notes))
        .route("/sessions/{id}", get(by_number))
        .route(
            "/groups/{slug}/sessions/{id}/edit",
            get(edit_form).post(edit),
        )
}

/// One coming date of a session, as a page shows it.
pub struct DateView {
    pub meeting_href: String,
    pub title: String,
    /// Listed among other sessions' dates: the title leads.
    pub show_title: bool,
    /// The date's name (`2026-12-10`), as forms send it back.
    pub date: String,
    /// When, in the viewer's zone: "Thursday 10 December 2026, 19:00–20:30".
    pub when: String,
    /// The zone `when` is in.
    pub zone: String,
    /// RFC 3339, for `<time datetime>`.
    pub machine: String,
    pub format: String,
    /// "3 of 12 places taken", and who waits.
    pub places: String,
    pub status: Option<String>,
    pub going: bool,
    pub waiting: bool,
    pub full: bool,
    /// The room, while it is open.
    pub room_href: Option<String>,
}

/// "Thursday 10 December 2026, 19:00–20:30" in the viewer's language.
pub fn when(tr: Tr, o: &Occurrence, zone: &TimeZone) -> String {
    let start = o.start.to_zoned_datetime(zone.clone());
    let end = o.end.to_zoned_datetime(zone.clone());
    let weekday = start.weekday().to_monday_one_offset();
    tr.t_args(
        "session-when",
        &[
            ("weekday", tr.t(&format!("weekday-{weekday}"))),
            ("day", start.day().to_string()),
            ("month", tr.t(&format!("month-{}", start.month()))),
            ("year", start.year().to_string()),
            ("start", start.strftime("%H:%M").to_string()),
            ("end", end.strftime("%H:%M").to_string()),
        ],
    )
}

/// The form again, as typed, with what is wrong with it.
fn as_typed(tr: Tr, form: &MeetingInput, errors: &[(&'static str, &'static str)]) -> FormView {
    FormView::new(tr)
        .with_value("title", &form.title)
        .with_value("description", &form.description)
        .with_value("start", &form.start)
        .with_value("time_zone", &form.time_zone)
        .with_value("minutes", &form.minutes)
        .with_value("recurrence", &form.recurrence)
        .with_value("until", &form.until)
        .with_value("capacity", &form.capacity)
        .with_value("format", &form.format)
        .with_errors(tr, errors)
}

/// After a session is saved: its page, opening on the crisis lines when
/// its words suggested the writer may be in danger.
fn after_saving(
    ctx: &Ctx,
    slug: &str,
    id: i64,
    crisis: Option<crisis::Level>,
    notice: &str,
) -> Response {
    let then = if crisis.is_some() {
        "crisis=1#crisis-panel".to_owned()
    } else {
        format!("notice={notice}")
    };
    Redirect::to(&ctx.href(&format!("/groups/{slug}/sessions/{id}?{then}"))).into_response()
}

/// Each format, with its words, for the form's choices.
fn formats(tr: Tr) -> Vec<(&'static str, String)> {
    Format::ALL
        .iter()
        .map(|f| (f.as_str(), format_label(tr, *f)))
        .collect()
}

fn format_label(tr: Tr, f: Format) -> String {
    tr.t(&format!("session-format-{}", f.as_str()))
}

fn date_view(tr: Tr, user: &CurrentUser, slug: &str, u: &Upcoming) -> DateView {
    let zone = service::viewer_zone(user, &u.meeting);
    let (going, waiting) = match u.mine {
        Some((Rsvp::Going, _)) => (true, false),
        Some((Rsvp::Waiting, _)) => (false, true),
        None => (false, false),
    };
    DateView {
        meeting_href: format!("/groups/{slug}/sessions/{}", u.meeting.id),
        title: u.meeting.title.clone(),
        show_title: true,
        date: u.occurrence.date.to_string(),
        when: when(tr, &u.occurrence, &zone),
        zone: zone.iana_name().unwrap_or("UTC").to_owned(),
        machine: u.occurrence.start.to_string(),
        format: format_label(tr, u.meeting.format),
        places: if u.full() {
            if u.waiting > 0 {
                tr.t_args(
                    "session-places-full-waiting",
                    &[("count", u.going), ("n", u.waiting)],
                )
            } else {
                tr.t_args("session-places-full", &[("count", u.going)])
            }
        } else if u.waiting > 0 {
            tr.t_args(
                "session-places-waiting",
                &[
                    ("count", u.going),
                    ("total", u.meeting.capacity),
                    ("n", u.waiting),
                ],
            )
        } else {
            tr.t_args(
                "session-places",
                &[("count", u.going), ("total", u.meeting.capacity)],
            )
        },
        status: u.mine.map(|(s, place)| match s {
            Rsvp::Going => tr.t("session-you-are-going"),
            Rsvp::Waiting => tr.t_args("session-you-are-waiting", &[("n", place)]),
        }),
        going,
        waiting,
        full: u.full(),
        room_href: (super::room::window(&u.occurrence, Timestamp::now())
            == super::room::Window::Open)
            .then(|| {
                format!(
                    "/groups/{slug}/sessions/{}/room?date={}",
                    u.meeting.id, u.occurrence.date
                )
            }),
    }
}

#[derive(Template)]
#[template(path = "meetings/room.html")]
struct RoomPage {
    s: Shell,
    group_name: String,
    group_href: String,
    meeting_href: String,
    title: String,
    when: String,
    zone: String,
    heading: String,
    privacy_who: String,
    meeting_id: i64,
    date: String,
    /// The room is open now; otherwise, when it opens (or that it is over).
    open: bool,
    closed_note: String,
    facilitator: bool,
    session_js: &'static str,
    /// The session's chat on its own page (it works without JavaScript),
    /// for those who may be in the session.
    chat_href: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoomQuery {
    date: String,
}

/// A session's room on one date: members of the group only. The page says
/// who can see and hear whom before anyone joins; joining, audio, video
/// and the facilitators' controls go over `/live` (docs/protocol.md).
async fn room(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<RoomQuery>,
) -> Result<Response, AppError> {
    let (access, m) = service::meeting(&state, &user, &slug, id).await?;
    let Some(role) = access.role else {
        return Err(AppError::Forbidden);
    };
    let date: jiff::civil::Date = q.date.trim().parse().map_err(|_| AppError::NotFound)?;
    let o = service::occurrence(&state.db, &m, date)
        .await?
        .ok_or(AppError::NotFound)?;
    let tr = ctx.tr();
    let zone = service::viewer_zone(&user, &m);
    let now = Timestamp::now();
    let window = super::room::window(&o, now);
    let closed_note = match window {
        super::room::Window::NotYet => {
            let at = (o.start - super::room::OPENS_BEFORE).to_zoned_datetime(zone.clone());
            tr.t_args(
                "room-opens-at",
                &[("time", at.strftime("%H:%M").to_string())],
            )
        }
        _ => tr.t("room-over"),
    };
    let g = &access.group;
    let day = o.date.to_string();
    let entry = service::entry(&state.db, m.id, &day, user.account.id, Some(role)).await?;
    let chat_href = if matches!(entry, service::Entry::Yes | service::Entry::Ended) {
        let room = crate::live::store::session_room(
            &state.db,
            g.id,
            m.id,
            &day,
            false,
            now.as_millisecond(),
        )
        .await?;
        Some(format!("/groups/{}/chat/{}", g.slug, room.slug))
    } else {
        None
    };
    let page = html(&RoomPage {
        s: Shell::new(&state, &ctx, m.title.clone()),
        group_name: g.name.clone(),
        group_href: format!("/groups/{}", g.slug),
        meeting_href: format!("/groups/{}/sessions/{}", g.slug, m.id),
        when: when(tr, &o, &zone),
        zone: zone.iana_name().unwrap_or("UTC").to_owned(),
        meeting_id: m.id,
        date: o.date.to_string(),
        open: window == super::room::Window::Open,
        closed_note,
        heading: tr.t_args("room-title", &[("what", m.title.clone())]),
        privacy_who: tr.t_args("room-privacy-who", &[("group", g.name.clone())]),
        facilitator: role == crate::groups::model::GroupRole::Facilitator,
        session_js: crate::web::assets::SESSION_JS.path(),
        chat_href,
        title: m.title,
    })?;
    Ok((
        [(
            header::HeaderName::from_static("permissions-policy"),
            header::HeaderValue::from_static(crate::web::middleware::ROOM_DEVICES),
        )],
        page,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "meetings/list.html")]
struct ListPage {
    s: Shell,
    group_name: String,
    group_href: String,
    new_href: String,
    dates: Vec<DateView>,
    can_schedule: bool,
    zone_note: String,
    is_member: bool,
}

fn zone_note(tr: Tr, user: &CurrentUser) -> String {
    match &user.account.time_zone {
        Some(z) => tr.t_args("session-zone-yours", &[("zone", z.clone())]),
        None => tr.t("session-zone-theirs"),
    }
}

async fn list(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let access = crate::groups::access::check(&state, &user, &slug).await?;
    let tr = ctx.tr();
    let agenda = service::agenda(&state, &access, None).await?;
    let g = &access.group;
    html(&ListPage {
        s: Shell::new(
            &state,
            &ctx,
            tr.t_args("sessions-title", &[("group", g.name.clone())]),
        )
        .with_notice(notice_id(q.notice.as_deref())),
        group_name: g.name.clone(),
        group_href: format!("/groups/{}", g.slug),
        new_href: format!("/groups/{}/sessions/new", g.slug),
        dates: agenda
            .iter()
            .map(|u| date_view(tr, &user, &g.slug, u))
            .collect(),
        can_schedule: access.facilitates && g.open_for_writing(),
        zone_note: zone_note(tr, &user),
        is_member: access.role.is_some() && g.open_for_writing(),
    })
}

#[derive(Template)]
#[template(path = "meetings/new.html")]
struct NewPage {
    s: Shell,
    group_name: String,
    group_href: String,
    action: String,
    f: FormView,
    zones: &'static [String],
    recurrences: Vec<(&'static str, String)>,
    formats: Vec<(&'static str, String)>,
    capacity_hint: &'static str,
}

async fn new_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    slug: &str,
    f: Option<FormView>,
) -> Result<NewPage, AppError> {
    let access = crate::groups::access::check(state, user, slug).await?;
    if !access.facilitates || !access.group.open_for_writing() {
        return Err(AppError::Forbidden);
    }
    let tr = ctx.tr();
    let g = &access.group;
    let f = f.unwrap_or_else(|| {
        FormView::new(tr)
            .with_value(
                "time_zone",
                user.account.time_zone.as_deref().unwrap_or("UTC"),
            )
            .with_value("minutes", "60")
            .with_value("capacity", "12")
            .with_value("recurrence", "weekly")
            .with_value("format", "audio")
    });
    Ok(NewPage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args("session-new-title", &[("group", g.name.clone())]),
        ),
        group_name: g.name.clone(),
        group_href: format!("/groups/{}", g.slug),
        action: format!("/groups/{}/sessions", g.slug),
        f,
        zones: schedule::zone_names(),
        capacity_hint: "session-field-capacity-hint",
        recurrences: Recurrence::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str(),
                    tr.t(&format!("session-recurrence-{}", r.as_str())),
                )
            })
            .collect(),
        formats: formats(tr),
    })
}

async fn new_form(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    html(&new_page(&state, &ctx, &user, &slug, None).await?)
}

async fn create(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<MeetingInput>,
) -> Result<Response, AppError> {
    match service::create(&state, &user, &slug, &form).await {
        Ok((access, id, crisis)) => Ok(after_saving(
            &ctx,
            &access.group.slug,
            id,
            crisis,
            "session-scheduled",
        )),
        Err(AppError::Validation(errors)) => {
            let f = as_typed(ctx.tr(), &form, &errors);
            let page = new_page(&state, &ctx, &user, &slug, Some(f)).await?;
            html_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
struct ShowPage {
    s: Shell,
    group_name: String,
    group_href: String,
    schedule_href: String,
    base: String,
    title: String,
    description: String,
    repeats: String,
    home_zone: String,
    format: String,
    dates: Vec<DateView>,
    can_manage: bool,
    is_member: bool,
    zone_note: String,
    /// Who is coming to the next date (facilitators only).
    attendees: Vec<(String, bool)>,
    /// Who came to the latest date anyone came to (facilitators only).
    came: Option<(String, Vec<store::Attended>)>,
    /// The group's facilitators' private notes on that date (or the next).
    notes: Option<(String, service::Notes)>,
    cancelled: bool,
    /// The crisis lines, after the writer's own words suggested risk.
    crisis: Option<crate::safety::CrisisResponse>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
    crisis: Option<String>,
}

fn repeats(tr: Tr, m: &MeetingRow) -> String {
    let base = tr.t(&format!("session-recurrence-{}", m.recurrence.as_str()));
    match (&m.until_date, m.recurrence) {
        (Some(until), r) if r != Recurrence::Once => tr.t_args(
            "session-repeats-until",
            &[("what", base), ("when", until.clone())],
        ),
        _ => base,
    }
}

async fn show(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (access, m) = service::meeting(&state, &user, &slug, id).await?;
    let tr = ctx.tr();
    let agenda = service::agenda(&state, &access, Some(&m)).await?;
    let g = &access.group;
    let attendees = match agenda.first() {
        Some(next) if access.facilitates => {
            store::attendees(&state.db, m.id, &next.occurrence.date.to_string())
                .await?
                .into_iter()
                .map(|(h, s)| (h, s == Rsvp::Waiting))
                .collect()
        }
        _ => Vec::new(),
    };
    let came = match store::last_attended(&state.db, m.id).await? {
        Some(day) if access.facilitates => {
            let people = store::attendance(&state.db, m.id, &day).await?;
            Some((day, people))
        }
        _ => None,
    };
    let notes_date = came
        .as_ref()
        .map(|(d, _)| d.clone())
        .or_else(|| agenda.first().map(|u| u.occurrence.date.to_string()));
    let notes = match notes_date {
        Some(day) if access.role == Some(crate::groups::model::GroupRole::Facilitator) => {
            let n = service::notes(&state, &user, &slug, id, &day).await?;
            Some((day, n))
        }
        _ => None,
    };
    html(&ShowPage {
        s: Shell::new(&state, &ctx, m.title.clone()).with_notice(notice_id(q.notice.as_deref())),
        came,
        notes,
        group_name: g.name.clone(),
        group_href: format!("/groups/{}", g.slug),
        schedule_href: format!("/groups/{}/sessions", g.slug),
        base: format!("/groups/{}/sessions/{}", g.slug, m.id),
        description: m.description.clone(),
        repeats: repeats(tr, &m),
        home_zone: m.time_zone.clone(),
        format: format_label(tr, m.format),
        dates: agenda
            .iter()
            .map(|u| DateView {
                show_title: false,
                ..date_view(tr, &user, &g.slug, u)
            })
            .collect(),
        can_manage: access.facilitates && m.cancelled_at.is_none(),
        is_member: access.role.is_some() && g.open_for_writing(),
        zone_note: zone_note(tr, &user),
        attendees,
        cancelled: m.cancelled_at.is_some(),
        crisis: q
            .crisis
            .is_some()
            .then(|| crate::safety::response(&state, &ctx, crisis::Level::Ideation)),
        title: m.title,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DateForm {
    date: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NotesForm {
    date: String,
    body: String,
}

async fn save_notes(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<NotesForm>,
) -> Result<Response, AppError> {
    service::save_notes(&state, &user, &slug, id, &form.date, &form.body).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{slug}/sessions/{id}?notice=session-notes-saved#notes-title"
    )))
    .into_response())
}

async fn attend(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<DateForm>,
) -> Result<Response, AppError> {
    let (access, status) = service::attend(&state, &user, &slug, id, &form.date).await?;
    let notice = match status {
        Rsvp::Going => "session-going",
        Rsvp::Waiting => "session-waiting",
    };
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/sessions/{id}?notice={notice}",
        access.group.slug
    )))
    .into_response())
}

async fn withdraw(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<DateForm>,
) -> Result<Response, AppError> {
    let access = service::withdraw(&state, &user, &slug, id, &form.date).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/sessions/{id}?notice=session-withdrawn",
        access.group.slug
    )))
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CancelForm {
    /// A date, or `series` for every date still to come.
    date: String,
}

async fn cancel(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<CancelForm>,
) -> Result<Response, AppError> {
    let date = (form.date != "series").then_some(form.date.as_str());
    let access = service::cancel(&state, &user, &slug, id, date).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/sessions/{id}?notice=session-cancelled",
        access.group.slug
    )))
    .into_response())
}

/// The session as an iCalendar file: the series with its rule and the
/// dates called off, at its own wall-clock time in its own zone.
async fn ics(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (access, m) = service::meeting(&state, &user, &slug, id).await?;
    let cancelled = store::cancelled_dates(&state.db, m.id).await?;
    let url = format!(
        "{}/groups/{}/sessions/{}",
        state.settings.public_url.trim_end_matches('/'),
        access.group.slug,
        m.id
    );
    let body = super::ics::calendar(
        &[super::ics::Event {
            meeting: &m,
            cancelled,
            url,
            group: &access.group.name,
        }],
        &ctx.tr().t("session-ics-name"),
        Timestamp::from_millisecond(crate::db::now_ms()).unwrap_or_else(|_| Timestamp::now()),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"session.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// A session by its number alone, as e-mails link to it (a group's address
/// can name what the group is about): on to its page, for whoever may see
/// it.
async fn by_number(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = store::meeting(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let group = crate::groups::store::group_by_id(&state.db, m.group_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (access, m) = service::meeting(&state, &user, &group.slug, m.id).await?;
    Ok(
        Redirect::to(&ctx.href(&format!("/groups/{}/sessions/{}", access.group.slug, m.id)))
            .into_response(),
    )
}

#[derive(Template)]
#[template(path = "meetings/edit.html")]
struct EditPage {
    s: Shell,
    session_href: String,
    title: String,
    action: String,
    f: FormView,
    repeats: bool,
    formats: Vec<(&'static str, String)>,
    capacity_hint: &'static str,
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    f: Option<FormView>,
) -> Result<EditPage, AppError> {
    let (access, m) = service::meeting(state, user, slug, id).await?;
    if !access.facilitates || !access.group.open_for_writing() || m.cancelled_at.is_some() {
        return Err(AppError::Forbidden);
    }
    let tr = ctx.tr();
    let f = f.unwrap_or_else(|| {
        FormView::new(tr)
            .with_value("title", &m.title)
            .with_value("description", &m.description)
            .with_value("capacity", &m.capacity.to_string())
            .with_value("format", m.format.as_str())
            .with_value("until", m.until_date.as_deref().unwrap_or(""))
    });
    let base = format!("/groups/{}/sessions/{}", access.group.slug, m.id);
    Ok(EditPage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args("session-edit-title", &[("what", m.title.clone())]),
        ),
        action: format!("{base}/edit"),
        session_href: base,
        title: m.title.clone(),
        f,
        repeats: m.recurrence != Recurrence::Once,
        capacity_hint: "session-edit-capacity-hint",
        formats: formats(tr),
    })
}

async fn edit_form(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    html(&edit_page(&state, &ctx, &user, &slug, id, None).await?)
}

async fn edit(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, id)): Path<(String, i64)>,
    FormData(form): FormData<MeetingInput>,
) -> Result<Response, AppError> {
    match service::update(&state, &user, &slug, id, &form).await {
        Ok((access, crisis)) => Ok(after_saving(
            &ctx,
            &access.group.slug,
            id,
            crisis,
            "session-changed",
        )),
        Err(AppError::Validation(errors)) => {
            let f = as_typed(ctx.tr(), &form, &errors);
            let page = edit_page(&state, &ctx, &user, &slug, id, Some(f)).await?;
            html_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}
