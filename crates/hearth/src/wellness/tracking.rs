//! How a member is doing, as they record it: mood check-ins (1 to 5, a
//! few tags, a note) and questionnaires (PHQ-9, GAD-7). Each record is
//! sealed whole with the member's own key; trends open the member's own
//! records for the period asked (a year of daily check-ins is a few
//! hundred small rows).
//!
//! A PHQ-9 whose ninth item is answered above zero brings the member the
//! crisis response and their safety plan at once. Nobody is alerted
//! unless the member asks for someone to reach out ([`ask_for_help`]).

use serde::{Deserialize, Serialize};

use super::instruments::{self, Band, Incomplete, Kind};
use crate::db::now_ms;
use crate::on_db;
use crate::web::{AppError, CurrentUser};
use crate::{AppState, text};

/// Tags a member may add to a check-in (words in the locale files:
/// `checkin-tag-{key}`).
pub const TAGS: [&str; 10] = [
    "sleep",
    "work",
    "family",
    "friends",
    "health",
    "exercise",
    "money",
    "loneliness",
    "outdoors",
    "creativity",
];
/// A check-in's note, at most.
pub const NOTE_MAX: usize = 1_000;
/// The most records one trend opens.
pub const SCOPE: i64 = 2_000;

const CHECKIN_PURPOSE: &str = "checkins.entry";
const ASSESSMENT_PURPOSE: &str = "assessments.entry";

/// A mood check-in.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checkin {
    #[serde(default)]
    pub id: i64,
    /// 1 (very low) to 5 (very good).
    pub mood: u8,
    pub tags: Vec<String>,
    pub note: String,
    /// Epoch milliseconds.
    #[serde(default)]
    pub created_at: i64,
}

/// What the member chose.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinDraft {
    /// 1 (very low) to 5 (very good).
    #[schema(minimum = 1, maximum = 5)]
    pub mood: Option<u8>,
    /// Any of `sleep`, `work`, `family`, `friends`, `health`, `exercise`,
    /// `money`, `loneliness`, `outdoors`, `creativity`.
    pub tags: Vec<String>,
    /// At most 1,000 characters.
    #[schema(max_length = 1000)]
    pub note: String,
}

/// A completed questionnaire.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub kind: Kind,
    /// 0–27 (PHQ-9) or 0–21 (GAD-7).
    pub score: u8,
    pub band: Band,
    /// Each item's answer, 0 to 3, in order.
    pub answers: Vec<u8>,
    /// How difficult the problems made things, 0 to 3, if answered.
    pub difficulty: Option<u8>,
    /// PHQ-9: the ninth item (thoughts of being better off dead or of
    /// self-harm) was answered above zero.
    pub thoughts_of_harm: bool,
    pub created_at: i64,
}

/// What is sealed of a questionnaire.
#[derive(Serialize, Deserialize)]
struct Answers {
    answers: Vec<u8>,
    difficulty: Option<u8>,
}

/// The answers given.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentDraft {
    /// One answer (0–3) for each item, in order; every item must be
    /// answered.
    pub answers: Vec<Option<u8>>,
    /// How difficult the problems made things (0–3), if the member says.
    #[schema(minimum = 0, maximum = 3)]
    pub difficulty: Option<u8>,
}

/// A check-in, checked.
fn check_checkin(d: &CheckinDraft) -> Result<Checkin, AppError> {
    let mut errors = Vec::new();
    let mood = d.mood.filter(|m| (1..=5).contains(m));
    if mood.is_none() {
        errors.push(("mood", "error-checkin-mood"));
    }
    let mut tags: Vec<String> = Vec::new();
    for t in &d.tags {
        let t = t.trim();
        if !TAGS.contains(&t) {
            errors.push(("tags", "error-checkin-tag"));
            break;
        }
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    let note = text::parse_text(&d.note, 0, NOTE_MAX, true, "error-checkin-note")
        .map_err(|e| errors.push(("note", e)))
        .unwrap_or_default();
    match mood {
        Some(mood) if errors.is_empty() => Ok(Checkin {
            id: 0,
            mood,
            tags,
            note,
            created_at: 0,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// A check-in saved, and the crisis reading of its note.
pub struct SavedCheckin {
    pub checkin: Checkin,
    pub risk: Option<crisis::Level>,
}

/// Records a check-in.
pub async fn check_in(
    state: &AppState,
    user: &CurrentUser,
    d: &CheckinDraft,
) -> Result<SavedCheckin, AppError> {
    let mut c = check_checkin(d)?;
    let account = user.account.id;
    let key = super::member_key(state, account).await?;
    let sealed = super::seal_json(&key, CHECKIN_PURPOSE, &account.to_be_bytes(), &c)?;
    let now = now_ms();
    let id: i64 = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO checkins (account_id, entry_sealed, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(account)
        .bind(&sealed)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    c.id = id;
    c.created_at = now;
    let risk = if c.note.is_empty() {
        None
    } else {
        let a = crate::safety::assess(state, &c.note, async { Ok(Vec::new()) }).await;
        a.level.is_risk().then_some(a.level)
    };
    Ok(SavedCheckin { checkin: c, risk })
}

/// The member's check-ins since `since` (epoch ms), oldest first, and how
/// many did not open (damaged).
pub async fn checkins(
    state: &AppState,
    user: &CurrentUser,
    since: i64,
) -> Result<(Vec<Checkin>, usize), AppError> {
    let account = user.account.id;
    let rows: Vec<(i64, Vec<u8>, i64)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, entry_sealed, created_at FROM checkins WHERE account_id = $1 AND created_at >= $2 \
             ORDER BY created_at DESC LIMIT $3",
        )
        .bind(account)
        .bind(since)
        .bind(SCOPE)
        .fetch_all(pool)
        .await
    })?;
    let key = super::member_key(state, account).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut damaged = 0;
    for (id, sealed, created_at) in rows.into_iter().rev() {
        match super::open_json::<Checkin>(
            &key,
            CHECKIN_PURPOSE,
            &account.to_be_bytes(),
            id,
            &sealed,
        ) {
            Some(mut c) => {
                c.id = id;
                c.created_at = created_at;
                out.push(c);
            }
            None => damaged += 1,
        }
    }
    Ok((out, damaged))
}

/// The field and message for answers that do not complete a questionnaire.
fn incomplete(e: Incomplete) -> AppError {
    AppError::Validation(vec![match e {
        Incomplete::Missing(i) => (item_field(i), "error-assessment-missing"),
        Incomplete::OutOfRange(i) => (item_field(i), "error-assessment-range"),
        Incomplete::TooMany => ("answers", "error-assessment-too-many"),
    }])
}

/// Form field names of the items (`q1` to `q9`).
pub const ITEM_FIELDS: [&str; 9] = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"];

fn item_field(i: usize) -> &'static str {
    ITEM_FIELDS.get(i).copied().unwrap_or("answers")
}

fn assessment(kind: Kind, id: i64, a: Answers, created_at: i64) -> Option<Assessment> {
    let answers: Vec<Option<u8>> = a.answers.iter().copied().map(Some).collect();
    let score = instruments::score(kind, &answers).ok()?;
    Some(Assessment {
        id,
        kind,
        score,
        band: kind.band(score),
        thoughts_of_harm: kind == Kind::Phq9 && a.answers.get(8).is_some_and(|x| *x > 0),
        answers: a.answers,
        difficulty: a.difficulty,
        created_at,
    })
}

/// Scores and records a completed questionnaire.
pub async fn take(
    state: &AppState,
    user: &CurrentUser,
    kind: Kind,
    d: &AssessmentDraft,
) -> Result<Assessment, AppError> {
    instruments::score(kind, &d.answers).map_err(incomplete)?;
    if d.difficulty.is_some_and(|x| x > 3) {
        return Err(AppError::Validation(vec![(
            "difficulty",
            "error-assessment-range",
        )]));
    }
    let sealed_answers = Answers {
        answers: d.answers.iter().map(|a| a.unwrap_or_default()).collect(),
        difficulty: d.difficulty,
    };
    let account = user.account.id;
    let key = super::member_key(state, account).await?;
    let sealed = super::seal_json(
        &key,
        ASSESSMENT_PURPOSE,
        &account.to_be_bytes(),
        &sealed_answers,
    )?;
    let now = now_ms();
    let id: i64 = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO assessments (account_id, kind, entry_sealed, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(account)
        .bind(kind.as_str())
        .bind(&sealed)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    assessment(kind, id, sealed_answers, now).ok_or_else(|| AppError::internal("unscored"))
}

/// The member's questionnaires of `kind` since `since`, oldest first, and
/// how many did not open.
pub async fn assessments(
    state: &AppState,
    user: &CurrentUser,
    kind: Kind,
    since: i64,
) -> Result<(Vec<Assessment>, usize), AppError> {
    let account = user.account.id;
    let rows: Vec<(i64, Vec<u8>, i64)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, entry_sealed, created_at FROM assessments \
             WHERE account_id = $1 AND kind = $2 AND created_at >= $3 ORDER BY created_at DESC LIMIT $4",
        )
        .bind(account)
        .bind(kind.as_str())
        .bind(since)
        .bind(SCOPE)
        .fetch_all(pool)
        .await
    })?;
    let key = super::member_key(state, account).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut damaged = 0;
    for (id, sealed, created_at) in rows.into_iter().rev() {
        match super::open_json::<Answers>(
            &key,
            ASSESSMENT_PURPOSE,
            &account.to_be_bytes(),
            id,
            &sealed,
        )
        .and_then(|a| assessment(kind, id, a, created_at))
        {
            Some(a) => out.push(a),
            None => damaged += 1,
        }
    }
    Ok((out, damaged))
}

/// One of the member's questionnaires.
pub async fn assessment_of(
    state: &AppState,
    user: &CurrentUser,
    kind: Kind,
    id: i64,
) -> Result<Assessment, AppError> {
    let account = user.account.id;
    let row: Option<(Vec<u8>, i64)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT entry_sealed, created_at FROM assessments WHERE account_id = $1 AND kind = $2 AND id = $3",
        )
        .bind(account)
        .bind(kind.as_str())
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    let (sealed, created_at) = row.ok_or(AppError::NotFound)?;
    let key = super::member_key(state, account).await?;
    super::open_json::<Answers>(
        &key,
        ASSESSMENT_PURPOSE,
        &account.to_be_bytes(),
        id,
        &sealed,
    )
    .and_then(|a| assessment(kind, id, a, created_at))
    .ok_or_else(|| AppError::internal("damaged assessment"))
}

/// The member asks for someone to reach out: a safety alert for the
/// moderators, saying only that they asked (never their answers).
pub async fn ask_for_help(state: &AppState, user: &CurrentUser) -> Result<i64, AppError> {
    crate::safety::raise_request(state, user.account.id)
        .await
        .map_err(AppError::internal)
}
