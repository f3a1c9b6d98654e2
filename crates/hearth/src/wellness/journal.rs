//! The journal: a member's private entries, each sealed with their own key
//! (title and body together; the mood tag and the prompt's key stay plain
//! for filtering and say nothing the member wrote). Search opens the
//! member's entries and looks in them; nothing is indexed in clear.
//!
//! What the member writes is read by the crisis detector as they save it:
//! if it reads as risk, they see crisis lines and their safety plan at
//! once. Nobody is alerted: the journal is theirs alone.

use serde::{Deserialize, Serialize};

use crate::crypto::DataKey;
use crate::db::{Db, now_ms};
use crate::on_db;
use crate::web::AppError;
use crate::web::CurrentUser;
use crate::{AppState, text};

/// An entry's title, at most…
pub const TITLE_MAX: usize = 200;
/// …and its body.
pub const BODY_MAX: usize = text::WRITING_MAX;
/// Entries on one page of the journal.
pub const PAGE: usize = 20;
/// The most entries a search opens (the newest first).
pub const SEARCH_SCOPE: i64 = 5_000;

/// Moods a member may tag an entry with (words in the locale files:
/// `mood-{key}`).
pub const MOODS: [&str; 8] = [
    "calm", "hopeful", "grateful", "okay", "tired", "low", "anxious", "angry",
];

/// Prompts a member may write to (words in the locale files:
/// `journal-prompt-{key}`).
pub const PROMPTS: [&str; 8] = [
    "today", "grateful", "hard", "kind", "need", "proud", "worry", "tomorrow",
];

const PURPOSE: &str = "journal_entries.entry";

/// What is sealed: the words.
#[derive(Serialize, Deserialize)]
struct Words {
    title: String,
    body: String,
}

/// An entry, opened.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: i64,
    /// Empty when the member gave none.
    pub title: String,
    pub body: String,
    /// One of the moods, if tagged.
    pub mood: Option<String>,
    /// The prompt's key, if the entry answers one.
    pub prompt: Option<String>,
    /// Epoch milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// An entry as stored: opened on demand.
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    prompt: Option<String>,
    mood: Option<String>,
    entry_sealed: Vec<u8>,
    created_at: i64,
    updated_at: i64,
}

/// What the member typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Draft {
    pub title: String,
    pub body: String,
    /// One of the moods, or empty.
    pub mood: Option<String>,
    /// One of the prompts' keys, or empty.
    pub prompt: Option<String>,
}

/// A draft that passed its checks.
struct Clean {
    words: Words,
    mood: Option<String>,
    prompt: Option<String>,
}

/// A known key from `keys`, or none for an empty choice.
fn choice(
    value: Option<&str>,
    keys: &[&str],
    field: &'static str,
    error: &'static str,
    errors: &mut Vec<(&'static str, &'static str)>,
) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if keys.contains(&v) {
        Some(v.to_owned())
    } else {
        errors.push((field, error));
        None
    }
}

fn check(d: &Draft) -> Result<Clean, AppError> {
    let mut errors = Vec::new();
    let title = text::parse_text(&d.title, 0, TITLE_MAX, false, "error-journal-title")
        .map_err(|e| errors.push(("title", e)))
        .unwrap_or_default();
    let body = text::parse_text(&d.body, 1, BODY_MAX, true, "error-journal-body")
        .map_err(|e| errors.push(("body", e)))
        .unwrap_or_default();
    let mood = choice(
        d.mood.as_deref(),
        &MOODS,
        "mood",
        "error-journal-mood",
        &mut errors,
    );
    let prompt = choice(
        d.prompt.as_deref(),
        &PROMPTS,
        "prompt",
        "error-journal-prompt",
        &mut errors,
    );
    if errors.is_empty() {
        Ok(Clean {
            words: Words { title, body },
            mood,
            prompt,
        })
    } else {
        Err(AppError::Validation(errors))
    }
}

fn owner(account: i64) -> [u8; 8] {
    account.to_be_bytes()
}

fn seal(key: &DataKey, account: i64, words: &Words) -> Result<Vec<u8>, AppError> {
    super::seal_json(key, PURPOSE, &owner(account), words)
}

/// An entry opened; a damaged one (tampered with, or sealed for someone
/// else) is reported and never shown as garbage.
fn open(key: &DataKey, account: i64, row: Row) -> Result<Entry, Damaged> {
    let words: Words = super::open_json(key, PURPOSE, &owner(account), row.id, &row.entry_sealed)
        .ok_or(Damaged { id: row.id })?;
    Ok(Entry {
        id: row.id,
        title: words.title,
        body: words.body,
        mood: row.mood,
        prompt: row.prompt,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// An entry that does not open.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Damaged {
    pub id: i64,
}

/// A page of the journal.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Journal {
    pub entries: Vec<Entry>,
    /// Entries that would be here but do not open (damaged).
    pub damaged: Vec<Damaged>,
    /// Pass as `before` for the next (older) page.
    pub older: Option<i64>,
}

/// What to show of the journal.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct Filter {
    /// Words to look for in titles and bodies (case-insensitive).
    pub q: Option<String>,
    /// Only entries tagged with this mood.
    pub mood: Option<String>,
    /// Only entries older than this entry's id (the next page).
    pub before: Option<i64>,
}

/// The member's journal, newest first, a page at a time.
pub async fn list(state: &AppState, user: &CurrentUser, f: &Filter) -> Result<Journal, AppError> {
    let account = user.account.id;
    let mood = f.mood.as_deref().map(str::trim).filter(|m| !m.is_empty());
    if mood.is_some_and(|m| !MOODS.contains(&m)) {
        return Err(AppError::Validation(vec![("mood", "error-journal-mood")]));
    }
    let q =
        f.q.as_deref()
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > TITLE_MAX) {
        return Err(AppError::Validation(vec![("q", "error-journal-search")]));
    }
    let limit = if q.is_some() {
        SEARCH_SCOPE
    } else {
        PAGE as i64 + 1
    };
    let rows = rows(&state.db, account, mood, f.before, limit).await?;
    let key = super::member_key(state, account).await?;
    let mut entries = Vec::new();
    let mut damaged = Vec::new();
    let mut older = None;
    // The last row looked at, shown or not: the next page starts below it.
    let mut last_seen = None;
    for row in rows {
        if entries.len() + damaged.len() == PAGE {
            older = last_seen;
            break;
        }
        last_seen = Some(row.id);
        match open(&key, account, row) {
            Ok(e) => {
                let found = q.as_ref().is_none_or(|q| {
                    e.title.to_lowercase().contains(q) || e.body.to_lowercase().contains(q)
                });
                if found {
                    entries.push(e);
                }
            }
            Err(d) => damaged.push(d),
        }
    }
    Ok(Journal {
        entries,
        damaged,
        older,
    })
}

async fn rows(
    db: &Db,
    account: i64,
    mood: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Row>, AppError> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, prompt, mood, entry_sealed, created_at, updated_at FROM journal_entries \
             WHERE account_id = $1 AND ($2 IS NULL OR mood = $2) AND ($3 IS NULL OR id < $3) \
             ORDER BY id DESC LIMIT $4",
        )
        .bind(account)
        .bind(mood)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}

async fn row(db: &Db, account: i64, id: i64) -> Result<Row, AppError> {
    let row: Option<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, prompt, mood, entry_sealed, created_at, updated_at FROM journal_entries \
             WHERE account_id = $1 AND id = $2",
        )
        .bind(account)
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    // Someone else's entry is as absent as one that never was.
    row.ok_or(AppError::NotFound)
}

/// One of the member's entries.
pub async fn entry(state: &AppState, user: &CurrentUser, id: i64) -> Result<Entry, AppError> {
    let account = user.account.id;
    let row = row(&state.db, account, id).await?;
    let key = super::member_key(state, account).await?;
    open(&key, account, row).map_err(|_| AppError::Internal("damaged journal entry".into()))
}

/// What saving an entry did: its id, and the crisis reading of its words.
pub struct Saved {
    pub id: i64,
    pub risk: Option<crisis::Level>,
}

/// Reads the words for risk (no alert: the journal is private).
async fn read_risk(state: &AppState, words: &Words) -> Option<crisis::Level> {
    let text = if words.title.is_empty() {
        words.body.clone()
    } else {
        format!("{}\n{}", words.title, words.body)
    };
    let a = crate::safety::assess(state, &text, async { Ok(Vec::new()) }).await;
    a.level.is_risk().then_some(a.level)
}

/// Writes a new entry.
pub async fn create(state: &AppState, user: &CurrentUser, d: &Draft) -> Result<Saved, AppError> {
    let clean = check(d)?;
    let account = user.account.id;
    let key = super::member_key(state, account).await?;
    let sealed = seal(&key, account, &clean.words)?;
    let now = now_ms();
    let id: i64 = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO journal_entries (account_id, prompt, mood, entry_sealed, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(account)
        .bind(&clean.prompt)
        .bind(&clean.mood)
        .bind(&sealed)
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    Ok(Saved {
        id,
        risk: read_risk(state, &clean.words).await,
    })
}

/// Rewrites one of the member's entries.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    d: &Draft,
) -> Result<Saved, AppError> {
    let clean = check(d)?;
    let account = user.account.id;
    row(&state.db, account, id).await?;
    let key = super::member_key(state, account).await?;
    let sealed = seal(&key, account, &clean.words)?;
    on_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE journal_entries SET prompt = $1, mood = $2, entry_sealed = $3, updated_at = $4 \
             WHERE account_id = $5 AND id = $6",
        )
        .bind(&clean.prompt)
        .bind(&clean.mood)
        .bind(&sealed)
        .bind(now_ms())
        .bind(account)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(Saved {
        id,
        risk: read_risk(state, &clean.words).await,
    })
}

/// Deletes one of the member's entries for good.
pub async fn delete(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let done = on_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM journal_entries WHERE account_id = $1 AND id = $2")
            .bind(user.account.id)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if done == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Every entry of the member's, oldest first, and how many did not open
/// (for their data export).
pub async fn all(state: &AppState, user: &CurrentUser) -> Result<(Vec<Entry>, usize), AppError> {
    let account = user.account.id;
    let mut rows = rows(&state.db, account, None, None, i64::MAX).await?;
    rows.reverse();
    let key = super::member_key(state, account).await?;
    let mut entries = Vec::with_capacity(rows.len());
    let mut damaged = 0;
    for row in rows {
        match open(&key, account, row) {
            Ok(e) => entries.push(e),
            Err(_) => damaged += 1,
        }
    }
    Ok((entries, damaged))
}
