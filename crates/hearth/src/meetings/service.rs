//! The rules of live sessions: a group's facilitators (and staff) schedule
//! and call them off; its members say they are coming, or wait for a place
//! that is given in the order they asked.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::schedule::{Occurrence, Recurrence, Schedule, ScheduleInput, parse_date};
use super::store::{self, Format, MeetingRow, NewMeeting, Rsvp};
use crate::AppState;
use crate::db::now_ms;
use crate::groups::access::{self, Access};
use crate::text::parse_text;
use crate::web::{AppError, CurrentUser, FieldErrors};

pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4000;
pub const CAPACITY_MAX: i64 = 100;
/// Occurrences of each meeting a group's schedule shows.
pub const AHEAD: usize = 6;

/// A meeting as typed into the form or sent to the API.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DDTHH:MM` on the wall clock of `time_zone`.
    pub start: String,
    pub time_zone: String,
    pub minutes: String,
    pub recurrence: String,
    /// `YYYY-MM-DD`, or empty.
    pub until: String,
    pub capacity: String,
    pub format: String,
}

/// The stored schedule, read back.
pub fn schedule_of(m: &MeetingRow) -> Option<Schedule> {
    Some(Schedule {
        first: super::schedule::parse_local(&m.first_start)?,
        zone: super::schedule::zone(&m.time_zone)?,
        minutes: m.minutes,
        recurrence: m.recurrence,
        until: match &m.until_date {
            Some(d) => Some(d.parse().ok()?),
            None => None,
        },
    })
}

pub(super) fn now() -> Timestamp {
    Timestamp::from_millisecond(now_ms()).unwrap_or_else(|_| Timestamp::now())
}

/// The earliest date whose places still matter at `now`: the day before
/// today in UTC, a day before today anywhere on Earth (dates are compared
/// as text).
pub(super) fn from_date(now: Timestamp) -> String {
    now.to_zoned_datetime(TimeZone::UTC)
        .date()
        .yesterday()
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// What a meeting says of itself beside its schedule, checked alike when
/// it is made and when it is changed.
struct Details {
    title: String,
    description: String,
    capacity: i64,
    format: Format,
}

impl Details {
    /// The details, or none with what is wrong added to `errors`.
    fn parse(input: &MeetingInput, errors: &mut FieldErrors) -> Option<Self> {
        let title = parse_text(&input.title, 1, TITLE_MAX, false, "error-session-title")
            .map_err(|e| errors.push(("title", e)))
            .ok();
        let description = parse_text(
            &input.description,
            0,
            DESCRIPTION_MAX,
            true,
            "error-session-description",
        )
        .map_err(|e| errors.push(("description", e)))
        .ok();
        let capacity = input
            .capacity
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|c| (2..=CAPACITY_MAX).contains(c));
        if capacity.is_none() {
            errors.push(("capacity", "error-session-capacity"));
        }
        let format = Format::parse(&input.format);
        if format.is_none() {
            errors.push(("format", "error-session-format"));
        }
        Some(Self {
            title: title?,
            description: description?,
            capacity: capacity?,
            format: format?,
        })
    }
}

/// Reads a session's words through the crisis detector once they are
/// stored, as every write path does: risk raises an alert for the
/// moderators, and the level returned means the writer sees crisis lines.
async fn screen_words(
    state: &AppState,
    user: &CurrentUser,
    access: &Access,
    id: i64,
    title: &str,
    description: &str,
) -> Option<crisis::Level> {
    let assessment = state.detector.assess(&format!("{title}\n{description}"));
    crate::safety::screen(
        state,
        user,
        crate::safety::Written {
            kind: crate::safety::SourceKind::Session,
            id,
            group_id: Some(access.group.id),
            url: format!("/groups/{}/sessions/{id}", access.group.slug),
            assessment,
            private: false,
        },
    )
    .await
}

/// Schedules a meeting in the group (its facilitators and staff); the
/// level, when its words should show the writer crisis lines.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    input: &MeetingInput,
) -> Result<(Access, i64, Option<crisis::Level>), AppError> {
    let access = access::check(state, user, slug).await?;
    if !access.facilitates || !access.group.open_for_writing() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let details = Details::parse(input, &mut errors);
    let schedule = Schedule::parse(
        &ScheduleInput {
            start: &input.start,
            zone: &input.time_zone,
            minutes: &input.minutes,
            recurrence: &input.recurrence,
            until: &input.until,
        },
        now(),
    )
    .map_err(|e| errors.extend(e))
    .ok();
    let (Some(d), Some(schedule)) = (details, schedule) else {
        return Err(AppError::Validation(errors));
    };
    let zone_name = schedule.zone.iana_name().unwrap_or("UTC").to_owned();
    let until = schedule.until.map(|d| d.to_string());
    let id = store::create(
        &state.db,
        &NewMeeting {
            group_id: access.group.id,
            title: &d.title,
            description: &d.description,
            first_start: &schedule.first.to_string(),
            time_zone: &zone_name,
            minutes: schedule.minutes,
            recurrence: schedule.recurrence,
            until_date: until.as_deref(),
            capacity: d.capacity,
            format: d.format,
            created_by: user.account.id,
            now: now_ms(),
        },
    )
    .await?;
    let crisis = screen_words(state, user, &access, id, &d.title, &d.description).await;
    Ok((access, id, crisis))
}

/// Changes what may change of a scheduled meeting: its title,
/// description, places, format and last date (the group's facilitators and
/// staff). Its time and how it repeats stay: places are held by date, so a
/// session at another time is a new one. The level, when its words should
/// show the writer crisis lines.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    input: &MeetingInput,
) -> Result<(Access, Option<crisis::Level>), AppError> {
    let (access, m) = meeting(state, user, slug, id).await?;
    if !access.facilitates || !access.group.open_for_writing() || m.cancelled_at.is_some() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let details = Details::parse(input, &mut errors);
    // The last date is checked as for a new series from the same start.
    let until = match (parse_date(&input.until), schedule_of(&m)) {
        (Err(e), _) => {
            errors.push(("until", e));
            None
        }
        (Ok(Some(until)), Some(s)) if s.recurrence != Recurrence::Once => {
            match s.until_error(until, now()) {
                Some(e) => {
                    errors.push(("until", e));
                    None
                }
                None => Some(until.to_string()),
            }
        }
        _ => None,
    };
    let Some(d) = details.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    store::update(
        &state.db,
        m.group_id,
        m.id,
        &store::MeetingChange {
            title: &d.title,
            description: &d.description,
            capacity: d.capacity,
            format: d.format,
            until_date: until.as_deref(),
        },
        &from_date(now()),
        now_ms(),
    )
    .await?;
    let crisis = screen_words(state, user, &access, m.id, &d.title, &d.description).await;
    Ok((access, crisis))
}

/// One occurrence as its viewer sees it.
#[derive(Debug, Clone)]
pub struct Upcoming {
    pub meeting: MeetingRow,
    pub occurrence: Occurrence,
    pub going: i64,
    pub waiting: i64,
    /// The viewer's place: coming, or waiting (their place in the list
    /// from 1).
    pub mine: Option<(Rsvp, i64)>,
}

impl Upcoming {
    pub fn full(&self) -> bool {
        self.going >= self.meeting.capacity
    }
}

/// The group's coming occurrences (up to [`AHEAD`] of each meeting, or of
/// the one meeting `only`), soonest first, with who is coming.
pub async fn agenda(
    state: &AppState,
    access: &Access,
    only: Option<&MeetingRow>,
) -> Result<Vec<Upcoming>, AppError> {
    let meetings = match only {
        Some(m) => vec![m.clone()],
        None => store::of_group(&state.db, access.group.id).await?,
    };
    let now = now();
    let from = from_date(now);
    let cancelled = store::cancellations(&state.db, access.group.id).await?;
    let counts = store::counts(&state.db, access.group.id, &from).await?;
    let mine = store::mine(&state.db, access.group.id, access.account_id, &from).await?;
    let mut list = Vec::new();
    for m in meetings.into_iter().filter(|m| m.cancelled_at.is_none()) {
        let Some(schedule) = schedule_of(&m) else {
            continue;
        };
        let skip: Vec<Date> = cancelled
            .iter()
            .filter(|(id, _)| *id == m.id)
            .filter_map(|(_, d)| d.parse().ok())
            .collect();
        for o in schedule.upcoming(now, &skip, AHEAD) {
            let day = o.date.to_string();
            let (going, waiting) = counts
                .iter()
                .find(|(id, d, _, _)| *id == m.id && *d == day)
                .map_or((0, 0), |c| (c.2, c.3));
            list.push(Upcoming {
                meeting: m.clone(),
                occurrence: o,
                going,
                waiting,
                mine: mine
                    .iter()
                    .find(|(id, d, _, _)| *id == m.id && *d == day)
                    .map(|r| (r.2, r.3)),
            });
        }
    }
    list.sort_by_key(|u| (u.occurrence.start, u.meeting.id));
    Ok(list)
}

/// A meeting of the group the viewer may see.
pub async fn meeting(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
) -> Result<(Access, MeetingRow), AppError> {
    let access = access::check(state, user, slug).await?;
    match store::meeting(&state.db, id).await? {
        Some(m) if m.group_id == access.group.id => Ok((access, m)),
        _ => Err(AppError::NotFound),
    }
}

/// The occurrence on `date`, if the meeting (not called off) meets then and
/// that date was not called off.
pub async fn occurrence(
    db: &crate::db::Db,
    m: &MeetingRow,
    date: Date,
) -> Result<Option<Occurrence>, sqlx::Error> {
    let Some(o) = (m.cancelled_at.is_none())
        .then(|| schedule_of(m))
        .flatten()
        .and_then(|s| s.on(date))
    else {
        return Ok(None);
    };
    let cancelled = store::cancelled_dates(db, m.id).await?;
    Ok((!cancelled.contains(&o.date.to_string())).then_some(o))
}

/// The occurrence on `date`, if the meeting has one still to end that was
/// not called off.
async fn open_occurrence(
    state: &AppState,
    m: &MeetingRow,
    date: &str,
) -> Result<Occurrence, AppError> {
    let date: Date = date
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("error-session-date"))?;
    occurrence(&state.db, m, date)
        .await?
        .filter(|o| o.end > now())
        .ok_or(AppError::NotFound)
}

/// Says the member is coming to one occurrence: a place, or a place in the
/// waiting list when it is full. Members of the group only.
pub async fn attend(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: &str,
) -> Result<(Access, Rsvp), AppError> {
    let (access, m) = meeting(state, user, slug, id).await?;
    if access.role.is_none() || !access.group.open_for_writing() {
        return Err(AppError::Forbidden);
    }
    let o = open_occurrence(state, &m, date).await?;
    let status = store::attend(
        &state.db,
        m.id,
        &o.date.to_string(),
        user.account.id,
        m.capacity,
        now_ms(),
    )
    .await?;
    Ok((access, status))
}

/// Gives up the member's place (or their place in the waiting list); a
/// freed place goes to the first who waits.
pub async fn withdraw(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: &str,
) -> Result<Access, AppError> {
    let (access, m) = meeting(state, user, slug, id).await?;
    let o = open_occurrence(state, &m, date).await?;
    store::withdraw(
        &state.db,
        m.group_id,
        m.id,
        &o.date.to_string(),
        user.account.id,
        now_ms(),
    )
    .await?;
    Ok(access)
}

/// Calls off one occurrence (`date`), or the whole series (`None`): the
/// group's facilitators and staff.
pub async fn cancel(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: Option<&str>,
) -> Result<Access, AppError> {
    let (access, m) = meeting(state, user, slug, id).await?;
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    match date {
        None => store::cancel_series(&state.db, m.id, now_ms()).await?,
        Some(date) => {
            let o = open_occurrence(state, &m, date).await?;
            store::cancel_occurrence(
                &state.db,
                m.group_id,
                m.id,
                &o.date.to_string(),
                user.account.id,
                now_ms(),
            )
            .await?;
        }
    }
    Ok(access)
}

/// The zone the viewer reads times in: theirs, or else the meeting's.
pub fn viewer_zone(user: &CurrentUser, m: &MeetingRow) -> TimeZone {
    reading_zone(user.account.time_zone.as_deref(), m)
}

/// The zone someone who chose `theirs` (or none) reads `m`'s times in.
pub fn reading_zone(theirs: Option<&str>, m: &MeetingRow) -> TimeZone {
    theirs
        .and_then(super::schedule::zone)
        .or_else(|| super::schedule::zone(&m.time_zone))
        .unwrap_or(TimeZone::UTC)
}

/// A date the member has a place at, or waits for, in one of their groups.
pub struct MyDate {
    pub meeting: MeetingRow,
    pub group: String,
    pub slug: String,
    pub occurrence: Occurrence,
    pub status: Rsvp,
}

/// The member's next `limit` dates still to end, soonest first: those of
/// groups they still belong to, not called off.
pub async fn my_coming(
    state: &AppState,
    account_id: i64,
    limit: usize,
) -> Result<Vec<MyDate>, AppError> {
    let now = now();
    let from = from_date(now);
    let places = store::my_places(&state.db, account_id, &from).await?;
    if places.is_empty() {
        return Ok(Vec::new());
    }
    let meetings = store::of_member(&state.db, account_id).await?;
    let cancelled = store::cancellations_of_member(&state.db, account_id).await?;
    let mut out: Vec<MyDate> = places
        .into_iter()
        .filter(|(id, d, _)| !cancelled.iter().any(|(c, cd)| c == id && cd == d))
        .filter_map(|(id, date, status)| {
            let (m, group, slug) = meetings.iter().find(|(m, _, _)| m.id == id)?;
            let o = schedule_of(m)?.on(date.parse().ok()?)?;
            (o.end > now).then(|| MyDate {
                meeting: m.clone(),
                group: group.clone(),
                slug: slug.clone(),
                occurrence: o,
                status,
            })
        })
        .collect();
    out.sort_by_key(|d| d.occurrence.start);
    out.truncate(limit);
    Ok(out)
}

/// Who came to one date of a meeting (its group's facilitators and staff).
pub async fn attended(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: &str,
) -> Result<Vec<store::Attended>, AppError> {
    let (access, m) = meeting(state, user, slug, id).await?;
    if !access.facilitates {
        return Err(AppError::Forbidden);
    }
    let date: Date = date
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("error-session-date"))?;
    Ok(store::attendance(&state.db, m.id, &date.to_string()).await?)
}

/// Who may be in an occurrence's room and its chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Yes,
    NotMember,
    /// A member without a place (the waiting list is not one).
    NoPlace,
    Removed,
    /// Ended for everyone: nobody comes in any more (its chat can still be
    /// read by those who could).
    Ended,
}

/// The group's facilitators always; its members with a place who were not
/// removed; nobody else (staff who are not members included).
pub async fn entry(
    db: &crate::db::Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
    role: Option<crate::groups::model::GroupRole>,
) -> Result<Entry, sqlx::Error> {
    let Some(role) = role else {
        return Ok(Entry::NotMember);
    };
    let (removed, ended) = store::barred(db, meeting_id, occurrence, account_id).await?;
    if removed {
        return Ok(Entry::Removed);
    }
    if role != crate::groups::model::GroupRole::Facilitator
        && store::rsvp_of(db, meeting_id, occurrence, account_id).await? != Some(store::Rsvp::Going)
    {
        return Ok(Entry::NoPlace);
    }
    Ok(if ended { Entry::Ended } else { Entry::Yes })
}

/// The most a session's notes may hold.
pub const NOTES_MAX: usize = 10_000;
const NOTES_PURPOSE: &str = "session-notes";

fn notes_owner(meeting_id: i64, date: &str) -> Vec<u8> {
    let mut owner = meeting_id.to_be_bytes().to_vec();
    owner.extend_from_slice(date.as_bytes());
    owner
}

/// The facilitators' private notes on one date (the group's facilitators
/// only: not members, not staff who are not facilitators), with who last
/// wrote them and when.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Notes {
    pub body: String,
    pub updated_by: Option<String>,
    /// Epoch milliseconds; absent before anyone wrote any.
    pub updated_at: Option<i64>,
}

async fn facilitator_of(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: &str,
) -> Result<(MeetingRow, String), AppError> {
    let (access, m) = meeting(state, user, slug, id).await?;
    if access.role != Some(crate::groups::model::GroupRole::Facilitator) {
        return Err(AppError::Forbidden);
    }
    let date: Date = date
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("error-session-date"))?;
    Ok((m, date.to_string()))
}

pub async fn notes(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: &str,
) -> Result<Notes, AppError> {
    let (m, day) = facilitator_of(state, user, slug, id, date).await?;
    let Some((sealed, by, at)) = store::notes(&state.db, m.id, &day).await? else {
        return Ok(Notes {
            body: String::new(),
            updated_by: None,
            updated_at: None,
        });
    };
    let plain = state
        .data_key
        .open(NOTES_PURPOSE, &notes_owner(m.id, &day), &sealed)
        .map_err(|e| AppError::Internal(format!("session notes: {e:?}")))?;
    Ok(Notes {
        body: String::from_utf8_lossy(&plain).into_owned(),
        updated_by: by,
        updated_at: Some(at),
    })
}

/// Replaces the notes on one date (an empty text keeps an empty note).
pub async fn save_notes(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: i64,
    date: &str,
    body: &str,
) -> Result<(), AppError> {
    let (m, day) = facilitator_of(state, user, slug, id, date).await?;
    let body = if body.trim().is_empty() {
        String::new()
    } else {
        parse_text(body, 1, NOTES_MAX, true, "error-session-notes").map_err(AppError::BadRequest)?
    };
    let sealed = state
        .data_key
        .seal(NOTES_PURPOSE, &notes_owner(m.id, &day), body.as_bytes())
        .map_err(|e| AppError::Internal(format!("session notes: {e:?}")))?;
    store::set_notes(&state.db, m.id, &day, &sealed, user.account.id, now_ms()).await?;
    Ok(())
}
