//! Personal goals, with check-ins on how they go. Sealed with the
//! member's own key. A member may share a goal with one of their groups
//! for accountability: that posts a thread with the words they choose
//! (see `goal_pages`), and nothing else of the goal leaves their hands.

use serde::{Deserialize, Serialize};

use crate::db::now_ms;
use crate::on_db;
use crate::web::{AppError, CurrentUser};
use crate::{AppState, text};

/// A goal's title, at most…
pub const TITLE_MAX: usize = 200;
/// …and why it matters to them.
pub const WHY_MAX: usize = 1_000;
/// A check-in's note, at most.
pub const NOTE_MAX: usize = 1_000;
/// The most goals a member keeps.
pub const GOALS_MAX: i64 = 200;

const GOAL_PURPOSE: &str = "goals.goal";
const CHECKIN_PURPOSE: &str = "goal_checkins.entry";

/// How a check-in went: said kindly, never scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Went {
    Did,
    Some,
    NotThisTime,
}

impl Went {
    pub fn as_str(self) -> &'static str {
        match self {
            Went::Did => "did",
            Went::Some => "some",
            Went::NotThisTime => "not_this_time",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "did" => Some(Went::Did),
            "some" => Some(Went::Some),
            "not_this_time" => Some(Went::NotThisTime),
            _ => None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct GoalWords {
    title: String,
    why: String,
}

#[derive(Serialize, Deserialize)]
struct CheckinWords {
    went: Went,
    note: String,
}

/// A goal, opened.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Goal {
    pub id: i64,
    pub title: String,
    pub why: String,
    pub created_at: i64,
    /// When the member marked it done; none while it is open.
    pub done_at: Option<i64>,
}

/// A check-in on a goal.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GoalCheckin {
    pub id: i64,
    pub went: Went,
    pub note: String,
    pub created_at: i64,
}

/// A new goal.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GoalDraft {
    /// 1 to 200 characters, on one line.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// Why it matters: at most 1,000 characters.
    #[schema(max_length = 1000)]
    pub why: String,
}

/// A check-in on a goal.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinDraft {
    /// `did`, `some` or `not_this_time`.
    pub went: Option<String>,
    /// At most 1,000 characters.
    #[schema(max_length = 1000)]
    pub note: String,
}

fn owner(account: i64, goal: i64) -> Vec<u8> {
    let mut o = account.to_be_bytes().to_vec();
    o.extend_from_slice(&goal.to_be_bytes());
    o
}

/// Creates a goal.
pub async fn create(state: &AppState, user: &CurrentUser, d: &GoalDraft) -> Result<Goal, AppError> {
    let mut errors = Vec::new();
    let title = text::parse_text(&d.title, 1, TITLE_MAX, false, "error-goal-title")
        .map_err(|e| errors.push(("title", e)))
        .unwrap_or_default();
    let why = text::parse_text(&d.why, 0, WHY_MAX, true, "error-goal-why")
        .map_err(|e| errors.push(("why", e)))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let account = user.account.id;
    let db = &state.db;
    let count: i64 = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM goals WHERE account_id = $1")
            .bind(account)
            .fetch_one(pool)
            .await
    })?;
    if count >= GOALS_MAX {
        return Err(AppError::Validation(vec![("title", "error-goal-many")]));
    }
    let key = super::member_key(state, account).await?;
    let now = now_ms();
    // The row first (its id binds the seal), then its words.
    let id: i64 = on_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO goals (account_id, goal_sealed, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(account)
        .bind(Vec::<u8>::new())
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    let words = GoalWords { title, why };
    let sealed = super::seal_json(&key, GOAL_PURPOSE, &owner(account, id), &words)?;
    on_db!(db, |pool| {
        sqlx::query("UPDATE goals SET goal_sealed = $1 WHERE id = $2")
            .bind(&sealed)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(Goal {
        id,
        title: words.title,
        why: words.why,
        created_at: now,
        done_at: None,
    })
}

/// The member's goals, open ones first (newest first), then done ones,
/// and how many did not open.
pub async fn list(state: &AppState, user: &CurrentUser) -> Result<(Vec<Goal>, usize), AppError> {
    let account = user.account.id;
    let rows: Vec<(i64, Vec<u8>, i64, Option<i64>)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, goal_sealed, created_at, done_at FROM goals WHERE account_id = $1 \
             ORDER BY (done_at IS NOT NULL), created_at DESC LIMIT $2",
        )
        .bind(account)
        .bind(GOALS_MAX)
        .fetch_all(pool)
        .await
    })?;
    let key = super::member_key(state, account).await?;
    let mut goals = Vec::with_capacity(rows.len());
    let mut damaged = 0;
    for (id, sealed, created_at, done_at) in rows {
        match super::open_json::<GoalWords>(&key, GOAL_PURPOSE, &owner(account, id), id, &sealed) {
            Some(w) => goals.push(Goal {
                id,
                title: w.title,
                why: w.why,
                created_at,
                done_at,
            }),
            None => damaged += 1,
        }
    }
    Ok((goals, damaged))
}

/// One of the member's goals, with its check-ins (newest first).
pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(Goal, Vec<GoalCheckin>), AppError> {
    let account = user.account.id;
    let row: Option<(Vec<u8>, i64, Option<i64>)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT goal_sealed, created_at, done_at FROM goals WHERE account_id = $1 AND id = $2",
        )
        .bind(account)
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    let (sealed, created_at, done_at) = row.ok_or(AppError::NotFound)?;
    let key = super::member_key(state, account).await?;
    let o = owner(account, id);
    let w: GoalWords = super::open_json(&key, GOAL_PURPOSE, &o, id, &sealed)
        .ok_or_else(|| AppError::internal("damaged goal"))?;
    let rows: Vec<(i64, Vec<u8>, i64)> = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, entry_sealed, created_at FROM goal_checkins WHERE goal_id = $1 ORDER BY created_at DESC LIMIT 500",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let checkins = rows
        .into_iter()
        .filter_map(|(cid, sealed, at)| {
            super::open_json::<CheckinWords>(&key, CHECKIN_PURPOSE, &o, cid, &sealed).map(|c| {
                GoalCheckin {
                    id: cid,
                    went: c.went,
                    note: c.note,
                    created_at: at,
                }
            })
        })
        .collect();
    Ok((
        Goal {
            id,
            title: w.title,
            why: w.why,
            created_at,
            done_at,
        },
        checkins,
    ))
}

/// Whether goal `id` is the member's (not found otherwise), without
/// opening it or its check-ins.
pub async fn owned(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let found: Option<i64> = on_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT id FROM goals WHERE account_id = $1 AND id = $2")
            .bind(user.account.id)
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

/// Records how a goal went.
pub async fn check_in(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    d: &CheckinDraft,
) -> Result<GoalCheckin, AppError> {
    let mut errors = Vec::new();
    let went = d.went.as_deref().map(str::trim).and_then(Went::parse);
    if went.is_none() {
        errors.push(("went", "error-goal-went"));
    }
    let note = text::parse_text(&d.note, 0, NOTE_MAX, true, "error-goal-note")
        .map_err(|e| errors.push(("note", e)))
        .unwrap_or_default();
    let Some(went) = went.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    owned(state, user, id).await?;
    let account = user.account.id;
    let key = super::member_key(state, account).await?;
    let words = CheckinWords { went, note };
    let sealed = super::seal_json(&key, CHECKIN_PURPOSE, &owner(account, id), &words)?;
    let now = now_ms();
    let cid: i64 = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO goal_checkins (goal_id, entry_sealed, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(id)
        .bind(&sealed)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    Ok(GoalCheckin {
        id: cid,
        went: words.went,
        note: words.note,
        created_at: now,
    })
}

/// Marks a goal done, or open again.
pub async fn set_done(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    done: bool,
) -> Result<(), AppError> {
    let at = done.then(now_ms);
    let n = on_db!(&state.db, |pool| {
        sqlx::query("UPDATE goals SET done_at = $1 WHERE account_id = $2 AND id = $3")
            .bind(at)
            .bind(user.account.id)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes a goal and its check-ins for good.
pub async fn delete(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let n = on_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM goals WHERE account_id = $1 AND id = $2")
            .bind(user.account.id)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
