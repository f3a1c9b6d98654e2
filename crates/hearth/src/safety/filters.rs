//! Abuse defences: admins' word filters, posts held for review, and a pace
//! for newcomers.
//!
//! - **Word filters.** An admin names a word or phrase (a trailing `*`
//!   matches words that start with it) and what happens to a post or chat
//!   message containing it: `block` (refused, with a clear message; the
//!   text stays in the form), `hold` (a post waits for a reviewer; in chat,
//!   which cannot wait, it is flagged) or `flag` (published, and a report
//!   opens for the moderators naming the words that fired). Phrases are
//!   read the way the crisis detector reads text, so "b4dw0rd" and
//!   "ｂａｄｗｏｒｄ" meet "badword"; and again with every digit read as a
//!   letter and single letters in a row joined, so "1d10t" and "i.d.i.o.t"
//!   meet "idiot" too.
//! - **Held posts.** A post held by a filter, or a member's first post in a
//!   group that asks for it, is seen by its author and the group's
//!   facilitators (and staff) only, until a reviewer approves it or
//!   declines it (the post is then hidden, with a notice the member may
//!   appeal). Approving notifies as posting would have, and ends the
//!   author's time as a newcomer.
//! - **Newcomers** (accounts younger than a few days with no approved post)
//!   wait between posts. Staff and facilitators are exempt from holds and
//!   the pace.
//!
//! None of these ever blocks, holds or slows writing in which the crisis
//! detector finds any risk, distress included: it is published, its writer
//! sees crisis lines as always, and a filter that fired only flags it.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use super::audit;
use crate::AppState;
use crate::db::now_ms;
use crate::groups::service::require_admin;
use crate::groups::store::GroupRow;
use crate::web::{AppError, CurrentUser};
use crate::{on_db, on_tx};

/// Longest phrase, in characters, and most words in one.
pub const PHRASE_MAX: usize = 100;
const PHRASE_WORDS_MAX: usize = 8;
/// Most filters a community keeps.
pub const FILTERS_MAX: i64 = 1000;
/// How long a node trusts its copy of the filters (another node's change
/// reaches it within this).
pub const FILTERS_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// What a filter does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FilterAction {
    Flag,
    Hold,
    Block,
}

impl FilterAction {
    pub const ALL: [FilterAction; 3] =
        [FilterAction::Block, FilterAction::Hold, FilterAction::Flag];

    pub fn as_str(self) -> &'static str {
        match self {
            FilterAction::Flag => "flag",
            FilterAction::Hold => "hold",
            FilterAction::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct FilterRow {
    pub id: i64,
    /// As the admin typed it.
    pub phrase: String,
    /// `block`, `hold` or `flag`.
    pub action: String,
    /// Milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
    pub created_by: Option<String>,
}

struct Compiled {
    phrase: String,
    words: Vec<String>,
    /// The last word matches words that start with it.
    prefix: bool,
    action: FilterAction,
}

/// Each filter by its first word (exact), and single-word prefix filters.
#[derive(Default)]
pub struct Index {
    filters: Vec<Compiled>,
    by_first: HashMap<String, Vec<usize>>,
    prefixes: Vec<usize>,
}

/// This node's copy of the filters, compiled.
pub type FilterCache = crate::fresh::Fresh<Index>;

/// A phrase's words as the detector reads them, whether it ends in `*`,
/// and its key (unique among filters).
fn compile(state: &AppState, phrase: &str) -> Result<(Vec<String>, bool, String), &'static str> {
    let phrase = phrase.trim();
    if phrase.chars().count() > PHRASE_MAX || phrase.chars().any(char::is_control) {
        return Err("error-filter-phrase");
    }
    let prefix = phrase.ends_with('*');
    let words = state.detector.words(phrase.trim_end_matches('*'));
    if words.is_empty() || words.len() > PHRASE_WORDS_MAX {
        return Err("error-filter-phrase");
    }
    let key = format!("{}{}", words.join(" "), if prefix { "*" } else { "" });
    Ok((words, prefix, key))
}

fn build(state: &AppState, rows: Vec<(String, String)>) -> Index {
    let mut index = Index::default();
    for (phrase, action) in rows {
        let (Ok((words, prefix, _)), Some(action)) =
            (compile(state, &phrase), FilterAction::parse(&action))
        else {
            continue;
        };
        let i = index.filters.len();
        if prefix && words.len() == 1 {
            index.prefixes.push(i);
        } else {
            index.by_first.entry(words[0].clone()).or_default().push(i);
        }
        index.filters.push(Compiled {
            phrase,
            words,
            prefix,
            action,
        });
    }
    index
}

async fn index(state: &AppState) -> Result<Arc<Index>, sqlx::Error> {
    if let Some(index) = state.filters.get() {
        return Ok(index);
    }
    let rows: Vec<(String, String)> = on_db!(&state.db, |pool| {
        sqlx::query_as("SELECT phrase, action FROM word_filters ORDER BY id")
            .fetch_all(pool)
            .await
    })?;
    let index = Arc::new(build(state, rows));
    state.filters.put(index.clone());
    Ok(index)
}

/// The strongest action among the filters `text` trips, and each phrase
/// that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub action: FilterAction,
    pub phrases: Vec<String>,
}

fn matches_at(f: &Compiled, words: &[String], at: usize) -> bool {
    let Some(window) = words.get(at..at + f.words.len()) else {
        return false;
    };
    let last = f.words.len() - 1;
    window
        .iter()
        .zip(&f.words)
        .enumerate()
        .all(|(i, (w, f_w))| {
            if i == last && f.prefix {
                w.starts_with(f_w.as_str())
            } else {
                w == f_w
            }
        })
}

fn find(index: &Index, words: &[String]) -> Option<Found> {
    let mut fired = vec![false; index.filters.len()];
    for (at, word) in words.iter().enumerate() {
        if let Some(list) = index.by_first.get(word) {
            for &i in list {
                if !fired[i] && matches_at(&index.filters[i], words, at) {
                    fired[i] = true;
                }
            }
        }
        for &i in &index.prefixes {
            if !fired[i] && word.starts_with(index.filters[i].words[0].as_str()) {
                fired[i] = true;
            }
        }
    }
    let hits: Vec<&Compiled> = index
        .filters
        .iter()
        .zip(&fired)
        .filter_map(|(f, on)| on.then_some(f))
        .collect();
    let action = hits.iter().map(|f| f.action).max()?;
    Some(Found {
        action,
        phrases: hits.iter().map(|f| f.phrase.clone()).collect(),
    })
}

/// The filters `text` trips, if any.
pub async fn scan(state: &AppState, text: &str) -> Result<Option<Found>, sqlx::Error> {
    let index = index(state).await?;
    if index.filters.is_empty() {
        return Ok(None);
    }
    let words = state.detector.words(text);
    let found = find(&index, &words);
    // The same words spelled out or in digits ("i.d.i.o.t", "1d10ts").
    let Some(other) = crisis::normalize::spelled_out(&words) else {
        return Ok(found);
    };
    Ok(match (found, find(&index, &other)) {
        (Some(mut a), Some(b)) => {
            a.action = a.action.max(b.action);
            for p in b.phrases {
                if !a.phrases.contains(&p) {
                    a.phrases.push(p);
                }
            }
            Some(a)
        }
        (a, b) => a.or(b),
    })
}

pub async fn list(state: &AppState, user: &CurrentUser) -> Result<Vec<FilterRow>, AppError> {
    require_admin(user)?;
    Ok(on_db!(&state.db, |pool| {
        sqlx::query_as::<_, FilterRow>(
            "SELECT f.id, f.phrase, f.action, f.created_at, a.handle AS created_by \
             FROM word_filters f LEFT JOIN accounts a ON a.id = f.created_by ORDER BY f.phrase_key",
        )
        .fetch_all(pool)
        .await
    })?)
}

/// An admin adds a filter (or changes what an existing one for the same
/// words does). Words people use to ask for help cannot be filtered.
pub async fn add(
    state: &AppState,
    user: &CurrentUser,
    phrase: &str,
    action: &str,
) -> Result<i64, AppError> {
    require_admin(user)?;
    let mut errors = Vec::new();
    let action = FilterAction::parse(action);
    if action.is_none() {
        errors.push(("action", "error-filter-action"));
    }
    let compiled = compile(state, phrase).map_err(|e| errors.push(("phrase", e)));
    if let Ok((words, _, _)) = &compiled
        && state.detector.assess(&words.join(" ")).asks_for_help()
    {
        errors.push(("phrase", "error-filter-crisis"));
    }
    let (Ok((_, _, key)), Some(action), true) = (compiled, action, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let phrase = phrase.trim();
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let id: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO word_filters (phrase, phrase_key, action, created_by, created_at) \
         SELECT $1, $2, $3, $4, $5 WHERE (SELECT COUNT(*) FROM word_filters) < $6 \
         OR EXISTS (SELECT 1 FROM word_filters WHERE phrase_key = $2) \
         ON CONFLICT (phrase_key) DO UPDATE SET action = excluded.action, phrase = excluded.phrase \
         RETURNING id",
    )
    .bind(phrase)
    .bind(&key)
    .bind(action.as_str())
    .bind(user.account.id)
    .bind(now)
    .bind(FILTERS_MAX)
    .fetch_optional(c)
    .await)?;
    let Some(id) = id else {
        return Err(AppError::Validation(vec![(
            "phrase",
            "error-word-filters-too-many",
        )]));
    };
    audit::append_in(
        &mut tx,
        &audit::Entry {
            actor_id: Some(user.account.id),
            action: audit::Action::FilterAdd,
            object_kind: audit::ObjectKind::WordFilter,
            object_id: id,
            reason: action.as_str(),
        },
    )
    .await?;
    tx.commit().await?;
    state.filters.forget();
    tracing::info!(
        filter.id = id,
        action = action.as_str(),
        "word filter saved"
    );
    Ok(id)
}

pub async fn remove(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    require_admin(user)?;
    let mut tx = state.db.begin().await?;
    let n = on_tx!(&mut tx, |c| sqlx::query(
        "DELETE FROM word_filters WHERE id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if n > 0 {
        audit::append_in(
            &mut tx,
            &audit::Entry {
                actor_id: Some(user.account.id),
                action: audit::Action::FilterRemove,
                object_kind: audit::ObjectKind::WordFilter,
                object_id: id,
                reason: "",
            },
        )
        .await?;
    }
    tx.commit().await?;
    let gone = n > 0;
    if !gone {
        return Err(AppError::NotFound);
    }
    state.filters.forget();
    tracing::info!(filter.id = id, "word filter removed");
    Ok(())
}

/// The group writing goes to.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub group_id: i64,
    /// The group holds each member's first post for review.
    pub hold_first_posts: bool,
}

impl From<&GroupRow> for Place {
    fn from(g: &GroupRow) -> Self {
        Place {
            group_id: g.id,
            hold_first_posts: g.hold_first_posts,
        }
    }
}

/// What is about to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    /// A new thread or reply.
    Post,
    /// An edit of a post that is already published.
    Edit,
    /// A chat message or edit (chat cannot wait for a reviewer).
    Chat,
}

/// Why writing was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A `block` filter fired.
    Filtered,
    /// A newcomer posted moments ago.
    Newcomer,
}

impl Refusal {
    /// For forms and the API: the text stays in the form.
    pub fn into_app_error(self) -> AppError {
        match self {
            Refusal::Filtered => AppError::Validation(vec![("body", "error-filter-blocked")]),
            Refusal::Newcomer => AppError::Validation(vec![("body", "error-newcomer-wait")]),
        }
    }
}

/// What happens to writing that may go ahead.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Gate {
    /// Held for review, and why (`first_post` or `filter:<phrase>`).
    pub held: Option<String>,
    /// Published, and flagged for the moderators for these phrases.
    pub flagged: Vec<String>,
}

/// Decides, before it is stored, whether writing by `user` in `group` is
/// refused, held or flagged. `moderates` is true for the group's
/// facilitators and staff; `level` is the crisis detector's reading of
/// `text` (anything but `None` is never refused, held or slowed).
pub async fn gate(
    state: &AppState,
    user: &CurrentUser,
    group: Place,
    moderates: bool,
    text: &str,
    asking_for_help: bool,
    writing: Writing,
) -> Result<Gate, Refusal> {
    // Failing to read the filters must not stop anyone writing: the write
    // goes ahead unfiltered, and the failure is logged.
    let found = scan(state, text).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "word filters unreadable; writing not filtered");
        None
    });
    let may_hold = writing == Writing::Post && !moderates;
    let may_slow = writing == Writing::Post && !moderates;
    let needs_first_post_check = may_hold && group.hold_first_posts;
    if found.is_none() && !may_slow && !needs_first_post_check {
        return Ok(Gate::default());
    }
    if let Some(f) = &found
        && f.action == FilterAction::Block
        && !asking_for_help
    {
        return Err(Refusal::Filtered);
    }
    if may_slow && !asking_for_help {
        match newcomer_wait(state, user).await {
            Ok(true) => return Err(Refusal::Newcomer),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "newcomer pace unreadable"),
        }
    }
    let mut gate = Gate::default();
    if may_hold && !asking_for_help {
        if let Some(f) = found.as_ref().filter(|f| f.action == FilterAction::Hold) {
            gate.held = Some(format!("filter:{}", f.phrases.join(", ")));
        } else if needs_first_post_check {
            match has_published(state, user.account.id, group.group_id).await {
                Ok(false) => gate.held = Some("first_post".into()),
                Ok(true) => {}
                Err(e) => tracing::warn!(error = %e, "first posts unreadable; not held"),
            }
        }
    }
    if gate.held.is_none()
        && let Some(f) = found
    {
        gate.flagged = f.phrases;
    }
    Ok(gate)
}

/// Must this newcomer still wait before posting again?
async fn newcomer_wait(state: &AppState, user: &CurrentUser) -> Result<bool, sqlx::Error> {
    let limits = &state.settings.limits;
    let now = now_ms();
    let young = user.account.created_at > now - i64::from(limits.newcomer_days) * 86_400_000;
    if !young || user.is_staff() || limits.newcomer_post_interval_secs == 0 {
        return Ok(false);
    }
    let (approved, last): (Option<i64>, Option<i64>) = on_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT a.first_approved_at, (SELECT MAX(p.created_at) FROM posts p WHERE p.author_id = a.id) \
             FROM accounts a WHERE a.id = $1",
        )
        .bind(user.account.id)
        .fetch_one(pool)
        .await
    })?;
    let interval_ms = i64::from(limits.newcomer_post_interval_secs) * 1000;
    Ok(approved.is_none() && last.is_some_and(|last| now - last < interval_ms))
}

/// Has this member a published post in the group (not held, hidden or
/// deleted)?
async fn has_published(
    state: &AppState,
    account_id: i64,
    group_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT p.id FROM posts p JOIN threads t ON t.id = p.thread_id \
             WHERE t.group_id = $1 AND p.author_id = $2 AND p.held_at IS NULL \
             AND p.deleted_at IS NULL AND p.hidden_by IS NULL LIMIT 1",
        )
        .bind(group_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

/// Opens a report for the moderators (and the group's facilitators) about
/// published writing a `flag` filter fired on, naming the phrases. Failing
/// is logged and never undoes the write.
pub async fn flag(state: &AppState, target: &crate::safety::reports::Target, phrases: &[String]) {
    if phrases.is_empty() {
        return;
    }
    let details: String = phrases.join(", ").chars().take(500).collect();
    let inserted: Result<i64, sqlx::Error> = on_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO reports (reporter_id, target_kind, target_id, target_account_id, group_id, reason, details, created_at) \
             VALUES (NULL, $1, $2, $3, $4, 'filter', $5, $6) RETURNING id",
        )
        .bind(target.kind.as_str())
        .bind(target.id)
        .bind(target.account_id)
        .bind(target.group_id)
        .bind(&details)
        .bind(now_ms())
        .fetch_one(pool)
        .await
    });
    match inserted {
        Ok(id) => {
            tracing::info!(
                report.id = id,
                target = target.kind.as_str(),
                "writing flagged by a word filter"
            );
            let open = crate::safety::reports::open_reports(&state.db)
                .await
                .unwrap_or(0);
            crate::bus::publish(
                state,
                crate::bus::Event::Report {
                    id,
                    open,
                    group: Some(target.group_id),
                },
            )
            .await;
        }
        Err(e) => tracing::error!(error = %e, "word filter flag not raised"),
    }
}

/// Flags a chat message (by its room and sequence number) for `phrases`.
pub async fn flag_message(
    state: &AppState,
    room_id: i64,
    seq: i64,
    author_id: i64,
    group_id: i64,
    phrases: &[String],
) {
    if phrases.is_empty() {
        return;
    }
    let id: Result<Option<i64>, sqlx::Error> = on_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT id FROM messages WHERE room_id = $1 AND seq = $2")
            .bind(room_id)
            .bind(seq)
            .fetch_optional(pool)
            .await
    });
    match id {
        Ok(Some(id)) => {
            let target = crate::safety::reports::Target {
                kind: crate::safety::reports::TargetKind::Message,
                id,
                account_id: Some(author_id),
                group_id,
            };
            flag(state, &target, phrases).await;
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "word filter flag not raised"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(filters: &[(&str, bool, FilterAction)]) -> Index {
        let mut index = Index::default();
        for (i, (phrase, prefix, action)) in filters.iter().enumerate() {
            let words: Vec<String> = phrase.split(' ').map(str::to_owned).collect();
            if *prefix && words.len() == 1 {
                index.prefixes.push(i);
            } else {
                index.by_first.entry(words[0].clone()).or_default().push(i);
            }
            index.filters.push(Compiled {
                phrase: phrase.to_string(),
                words,
                prefix: *prefix,
                action: *action,
            });
        }
        index
    }

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn the_strongest_action_wins_and_every_phrase_that_fired_is_named() {
        let ix = index(&[
            ("spam", false, FilterAction::Flag),
            ("buy now", false, FilterAction::Hold),
            ("idiot", true, FilterAction::Block),
        ]);
        assert_eq!(find(&ix, &words("hello there")), None);
        assert_eq!(
            find(&ix, &words("spam spam buy now")),
            Some(Found {
                action: FilterAction::Hold,
                phrases: vec!["spam".into(), "buy now".into()],
            })
        );
        assert_eq!(
            find(&ix, &words("you idiots")).unwrap().action,
            FilterAction::Block
        );
        assert_eq!(find(&ix, &words("buy it now")), None, "a phrase is whole");
        assert_eq!(find(&ix, &words("now buy")), None);
        assert_eq!(
            find(&ix, &words("buy")),
            None,
            "a phrase cut short at the end"
        );
    }
}
