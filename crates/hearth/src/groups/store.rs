//! SQL for taxonomy, groups and membership, one body for both backends.

use sqlx::FromRow;

use super::model::{
    AgeSpace, GroupRole, GroupStatus, Joining, Leadership, RequestStatus, Taxonomy, Visibility,
};
use crate::db::{Backend, Db, Tx, is_unique_violation};
use crate::{on_db, on_tx};

#[derive(Debug, Clone, FromRow)]
pub struct Term {
    pub id: i64,
    pub kind: String,
    pub slug: String,
    pub name_en: String,
    pub name_es: String,
}

/// Adds any shipped terms the database lacks; never overwrites an admin's edits.
pub async fn seed_taxonomy(db: &Db, taxonomy: &Taxonomy) -> Result<(), sqlx::Error> {
    for (kind, terms) in taxonomy.kinds() {
        for (position, t) in terms.iter().enumerate() {
            let position = i64::try_from(position).unwrap_or(i64::MAX);
            on_db!(db, |pool| {
                sqlx::query(
                    "INSERT INTO taxonomy_terms (kind, slug, name_en, name_es, position) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (kind, slug) DO NOTHING",
                )
                .bind(kind)
                .bind(&t.slug)
                .bind(&t.en)
                .bind(&t.es)
                .bind(position)
                .execute(pool)
                .await
                .map(|_| ())
            })?;
        }
    }
    Ok(())
}

pub async fn terms(db: &Db) -> Result<Vec<Term>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, Term>("SELECT id, kind, slug, name_en, name_es FROM taxonomy_terms ORDER BY kind, position, id")
            .fetch_all(pool)
            .await
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct GroupRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub guidelines: String,
    pub language: String,
    pub leadership: Leadership,
    pub age_space: AgeSpace,
    pub visibility: Visibility,
    pub joining: Joining,
    pub status: GroupStatus,
    pub created_by: Option<i64>,
    pub member_count: i64,
    pub last_activity_at: i64,
    pub created_at: i64,
    /// One question a line; asked of people who ask to join a closed group.
    pub intake_questions: String,
    /// Members may post "as a member", their handle shown only to the
    /// group's facilitators and the moderators.
    pub allow_anonymous: bool,
    /// Each member's first post waits for a facilitator's approval.
    pub hold_first_posts: bool,
    /// Archived: read by its members, written in by nobody, not listed
    /// or joined.
    #[sqlx(default)]
    pub archived_at: Option<i64>,
    /// Raised (by triggers) with every change to any of its threads: the
    /// thread list is kept while it holds (`forum::cache`).
    pub page_rev: i64,
}

impl GroupRow {
    /// Active and not archived: members may write, people may join.
    pub fn open_for_writing(&self) -> bool {
        self.status == GroupStatus::Active && self.archived_at.is_none()
    }
}

/// Archives a group (`Some(now)`) or brings it back (`None`).
pub async fn set_archived(db: &Db, group_id: i64, at: Option<i64>) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE groups SET archived_at = $1 WHERE id = $2")
            .bind(at)
            .bind(group_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub(crate) const GROUP_COLUMNS: &str = "g.id, g.slug, g.name, g.purpose, g.guidelines, g.language, g.leadership, g.age_space, \
     g.visibility, g.joining, g.status, g.created_by, g.member_count, g.last_activity_at, g.created_at, g.intake_questions, g.allow_anonymous, g.hold_first_posts, g.archived_at, g.page_rev";

pub struct NewGroup<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub purpose: &'a str,
    pub guidelines: &'a str,
    pub language: &'a str,
    pub leadership: &'a str,
    pub age_space: &'a str,
    pub visibility: &'a str,
    pub joining: &'a str,
    pub status: &'a str,
    pub created_by: i64,
    pub term_ids: &'a [i64],
    pub intake_questions: &'a str,
    pub now: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("the slug is taken")]
    SlugTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates the group, its tags, and makes its creator a facilitator, in one transaction.
pub async fn insert_group(db: &Db, g: NewGroup<'_>) -> Result<i64, InsertError> {
    let result: Result<i64, sqlx::Error> = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO groups (slug, name, purpose, guidelines, language, leadership, age_space, visibility, \
                 joining, status, created_by, member_count, last_activity_at, created_at, updated_at, intake_questions) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12, $12, $13) RETURNING id",
            )
            .bind(g.slug)
            .bind(g.name)
            .bind(g.purpose)
            .bind(g.guidelines)
            .bind(g.language)
            .bind(g.leadership)
            .bind(g.age_space)
            .bind(g.visibility)
            .bind(g.joining)
            .bind(g.status)
            .bind(g.created_by)
            .bind(g.now)
            .bind(g.intake_questions)
            .fetch_one(&mut *tx)
            .await?;
            for term in g.term_ids {
                sqlx::query("INSERT INTO group_terms (group_id, term_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(term)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO group_members (group_id, account_id, role, joined_at, guidelines_accepted_at) \
                 VALUES ($1, $2, 'facilitator', $3, $3)",
            )
            .bind(id)
            .bind(g.created_by)
            .bind(g.now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        }
        .await
    });
    result.map_err(|e| {
        if is_unique_violation(&e) {
            InsertError::SlugTaken
        } else {
            InsertError::Db(e)
        }
    })
}

/// Directory filters; `None` means "any".
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub condition: Option<String>,
    pub community: Option<String>,
    pub format: Option<String>,
    pub leadership: Option<String>,
    pub language: Option<String>,
    /// Words to search names and purposes for (see [`search_words`]).
    pub search: Option<Vec<String>>,
    /// Only groups in this age space; `None` for staff, who see both.
    pub age_space: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (by activity when there is no search).
    Relevance,
    Activity,
    Newest,
    Name,
    Members,
}

impl Sort {
    /// `relevance`, `newest`, `name` or `members`; anything else is by
    /// activity.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "relevance" => Sort::Relevance,
            "newest" => Sort::Newest,
            "name" => Sort::Name,
            "members" => Sort::Members,
            _ => Sort::Activity,
        }
    }
}

/// The words of a search: letters and digits, lower-cased, at most 8 words
/// of at most 40 characters.
pub fn search_words(q: &str) -> Option<Vec<String>> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .collect();
    (!words.is_empty()).then_some(words)
}

/// A page of the directory.
pub struct Directory {
    pub groups: Vec<GroupRow>,
    /// Matching groups on every page.
    pub total: i64,
    /// (group id, term id) for the groups on this page.
    pub group_terms: Vec<(i64, i64)>,
}

/// One page of listed, active groups matching the filters, the total and
/// the page's tags, in one query (a window count; tags aggregated per
/// group). The term filters are uncorrelated subqueries, read once.
pub async fn directory(
    db: &Db,
    f: &Filters,
    sort: Sort,
    limit: i64,
    offset: i64,
) -> Result<Directory, sqlx::Error> {
    let backend = db.backend();
    let searching = f.search.as_ref().is_some_and(|w| !w.is_empty());
    let order = match sort {
        Sort::Relevance if searching => match backend {
            Backend::Sqlite => {
                "(SELECT bm25(groups_fts) FROM groups_fts WHERE groups_fts MATCH $4 AND groups_fts.rowid = g.id), g.id DESC"
            }
            Backend::Postgres => "ts_rank(g.search, to_tsquery('simple', $4)) DESC, g.id DESC",
        },
        Sort::Relevance | Sort::Activity => "g.last_activity_at DESC, g.id DESC",
        Sort::Newest => "g.created_at DESC, g.id DESC",
        Sort::Name => "lower(g.name), g.id",
        Sort::Members => "g.member_count DESC, g.id DESC",
    };
    let search_clause = match backend {
        Backend::Sqlite => {
            "(CAST($4 AS TEXT) IS NULL OR g.id IN (SELECT rowid FROM groups_fts WHERE groups_fts MATCH $4))"
        }
        Backend::Postgres => "(CAST($4 AS TEXT) IS NULL OR g.search @@ to_tsquery('simple', $4))",
    };
    // Every filter is a fixed clause that an absent (NULL) value switches off.
    let filter = format!(
        "FROM groups g WHERE g.status = 'active' AND g.archived_at IS NULL AND g.visibility = 'listed' \
         AND (CAST($1 AS TEXT) IS NULL OR g.age_space = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR g.leadership = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR g.language = $3) \
         AND {search_clause} \
         AND (CAST($5 AS TEXT) IS NULL OR g.id IN (SELECT gt.group_id FROM group_terms gt JOIN taxonomy_terms t ON t.id = gt.term_id \
              WHERE t.kind = 'condition' AND t.slug = $5)) \
         AND (CAST($6 AS TEXT) IS NULL OR g.id IN (SELECT gt.group_id FROM group_terms gt JOIN taxonomy_terms t ON t.id = gt.term_id \
              WHERE t.kind = 'community' AND t.slug = $6)) \
         AND (CAST($7 AS TEXT) IS NULL OR g.id IN (SELECT gt.group_id FROM group_terms gt JOIN taxonomy_terms t ON t.id = gt.term_id \
              WHERE t.kind = 'format' AND t.slug = $7))"
    );
    // Words are letters and digits only, so neither query language can be
    // injected: every word matches as a prefix, all words must match.
    let search = f
        .search
        .as_ref()
        .filter(|w| !w.is_empty())
        .map(|words| match backend {
            Backend::Sqlite => words
                .iter()
                .map(|w| format!("\"{w}\"*"))
                .collect::<Vec<_>>()
                .join(" "),
            Backend::Postgres => words
                .iter()
                .map(|w| format!("{w}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        });
    let tags = match backend {
        Backend::Sqlite => {
            "(SELECT group_concat(gt.term_id) FROM group_terms gt WHERE gt.group_id = g.id)"
        }
        Backend::Postgres => {
            "(SELECT string_agg(CAST(gt.term_id AS TEXT), ',') FROM group_terms gt WHERE gt.group_id = g.id)"
        }
    };
    let list_sql = format!(
        "SELECT {GROUP_COLUMNS}, COUNT(*) OVER () AS total, {tags} AS tags {filter} ORDER BY {order} LIMIT $8 OFFSET $9"
    );
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        group: GroupRow,
        total: i64,
        tags: Option<String>,
    }
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(list_sql))
            .bind(&f.age_space)
            .bind(&f.leadership)
            .bind(&f.language)
            .bind(&search)
            .bind(&f.condition)
            .bind(&f.community)
            .bind(&f.format)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await
    })?;
    let total = match rows.first() {
        Some(r) => r.total,
        // Past the last page: count on its own.
        None if offset > 0 => {
            let count_sql = format!("SELECT COUNT(*) {filter}");
            on_db!(db, |pool| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                    .bind(&f.age_space)
                    .bind(&f.leadership)
                    .bind(&f.language)
                    .bind(&search)
                    .bind(&f.condition)
                    .bind(&f.community)
                    .bind(&f.format)
                    .fetch_one(pool)
                    .await
            })?
        }
        None => 0,
    };
    let group_terms = rows
        .iter()
        .flat_map(|r| {
            r.tags
                .as_deref()
                .unwrap_or("")
                .split(',')
                .filter_map(|t| t.trim().parse().ok())
                .map(move |t| (r.group.id, t))
        })
        .collect();
    Ok(Directory {
        groups: rows.into_iter().map(|r| r.group).collect(),
        total,
        group_terms,
    })
}

pub async fn group_by_id(db: &Db, id: i64) -> Result<Option<GroupRow>, sqlx::Error> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups g WHERE g.id = $1");
    on_db!(db, |pool| sqlx::query_as::<_, GroupRow>(
        sqlx::AssertSqlSafe(sql)
    )
    .bind(id)
    .fetch_optional(pool)
    .await)
}

pub async fn group_by_slug(db: &Db, slug: &str) -> Result<Option<GroupRow>, sqlx::Error> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups g WHERE g.slug = $1");
    on_db!(db, |pool| sqlx::query_as::<_, GroupRow>(
        sqlx::AssertSqlSafe(sql)
    )
    .bind(slug)
    .fetch_optional(pool)
    .await)
}

/// The term ids of a set of groups, as (group id, term id) pairs.
pub async fn terms_of(db: &Db, group_ids: &[i64]) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = group_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    // The ids are integers we read ourselves, never input.
    let sql = format!("SELECT group_id, term_id FROM group_terms WHERE group_id IN ({list})");
    on_db!(db, |pool| sqlx::query_as::<_, (i64, i64)>(
        sqlx::AssertSqlSafe(sql)
    )
    .fetch_all(pool)
    .await)
}

/// The viewer's role in the group, if a member.
/// Every member's account id (chat re-checks who may read a room).
pub async fn member_ids(
    db: &Db,
    group_id: i64,
) -> Result<std::collections::HashSet<i64>, sqlx::Error> {
    let ids: Vec<i64> = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT account_id FROM group_members WHERE group_id = $1")
            .bind(group_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(ids.into_iter().collect())
}

pub async fn membership(
    db: &Db,
    group_id: i64,
    account_id: i64,
) -> Result<Option<GroupRole>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, GroupRole>(
            "SELECT role FROM group_members WHERE group_id = $1 AND account_id = $2",
        )
        .bind(group_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })
}

/// Handles of the group's facilitators.
pub async fn facilitators(db: &Db, group_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, String>(
            "SELECT a.handle FROM group_members m JOIN accounts a ON a.id = m.account_id \
             WHERE m.group_id = $1 AND m.role = 'facilitator' ORDER BY lower(a.handle)",
        )
        .bind(group_id)
        .fetch_all(pool)
        .await
    })
}

/// Adds a member inside the caller's transaction, keeping the group's
/// member count in step; whether they were added.
async fn add_member_in(
    tx: &mut Tx<'_>,
    group_id: i64,
    account_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| {
        let added = sqlx::query(
            "INSERT INTO group_members (group_id, account_id, role, joined_at) VALUES ($1, $2, 'member', $3) \
             ON CONFLICT (group_id, account_id) DO NOTHING",
        )
        .bind(group_id)
        .bind(account_id)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
            > 0;
        if added {
            sqlx::query("UPDATE groups SET member_count = member_count + 1 WHERE id = $1")
                .bind(group_id)
                .execute(c)
                .await?;
        }
        Ok(added)
    })
}

/// Adds a member; false if they already were one.
pub async fn join(db: &Db, group_id: i64, account_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let added = add_member_in(&mut tx, group_id, account_id, now).await?;
    tx.commit().await?;
    Ok(added)
}

/// Removes a member; false if they were not one.
pub async fn leave(db: &Db, group_id: i64, account_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let removed =
                sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND account_id = $2")
                    .bind(group_id)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if removed > 0 {
                sqlx::query("UPDATE groups SET member_count = member_count - 1 WHERE id = $1")
                    .bind(group_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(removed > 0)
        }
        .await
    })
}

/// Groups waiting for approval, oldest first, with their proposers' handles.
pub async fn proposals(db: &Db) -> Result<Vec<(GroupRow, Option<String>)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        group: GroupRow,
        proposer: Option<String>,
    }
    let sql = format!(
        "SELECT {GROUP_COLUMNS}, a.handle AS proposer FROM groups g LEFT JOIN accounts a ON a.id = g.created_by \
         WHERE g.status = 'proposed' ORDER BY g.created_at, g.id"
    );
    let rows = on_db!(db, |pool| sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(
        sql
    ))
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|r| (r.group, r.proposer)).collect())
}

/// Moves a proposal to `status`; false if it was not a pending proposal.
pub async fn decide_proposal(
    db: &Db,
    group_id: i64,
    status: GroupStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE groups SET status = $1, updated_at = $2, last_activity_at = $2 WHERE id = $3 AND status = 'proposed'")
            .bind(status)
            .bind(now)
            .bind(group_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}

/// What the member told onboarding.
pub async fn interests(
    db: &Db,
    account_id: i64,
) -> Result<super::matching::Interests, sqlx::Error> {
    let (term_ids, languages) = on_db!(db, |pool| {
        async {
            let terms: Vec<i64> = sqlx::query_scalar(
                "SELECT term_id FROM account_interests WHERE account_id = $1 ORDER BY term_id",
            )
            .bind(account_id)
            .fetch_all(pool)
            .await?;
            let languages: Vec<String> = sqlx::query_scalar(
                "SELECT language FROM account_languages WHERE account_id = $1 ORDER BY language",
            )
            .bind(account_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((terms, languages))
        }
        .await
    })?;
    Ok(super::matching::Interests {
        term_ids,
        languages,
    })
}

/// Replaces the member's interests.
pub async fn set_interests(
    db: &Db,
    account_id: i64,
    interests: &super::matching::Interests,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM account_interests WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM account_languages WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
            for term in &interests.term_ids {
                sqlx::query("INSERT INTO account_interests (account_id, term_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(account_id)
                    .bind(term)
                    .execute(&mut *tx)
                    .await?;
            }
            for language in &interests.languages {
                sqlx::query("INSERT INTO account_languages (account_id, language) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(account_id)
                    .bind(language)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    })
}

/// Listed, active groups in `age_space` that the account has not joined.
pub async fn joinable(
    db: &Db,
    account_id: i64,
    age_space: &str,
) -> Result<Vec<GroupRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {GROUP_COLUMNS} FROM groups g WHERE g.status = 'active' AND g.archived_at IS NULL AND g.visibility = 'listed' AND g.age_space = $1 \
         AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.account_id = $2) \
         ORDER BY g.last_activity_at DESC LIMIT 2000"
    );
    on_db!(db, |pool| {
        sqlx::query_as::<_, GroupRow>(sqlx::AssertSqlSafe(sql))
            .bind(age_space)
            .bind(account_id)
            .fetch_all(pool)
            .await
    })
}

// ---- join requests ------------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct JoinRequest {
    pub id: i64,
    pub account_id: i64,
    pub handle: String,
    pub answers_sealed: Vec<u8>,
    pub status: RequestStatus,
    pub decision_message: Option<String>,
    pub created_at: i64,
}

const REQUEST_COLUMNS: &str =
    "r.id, r.account_id, a.handle, r.answers_sealed, r.status, r.decision_message, r.created_at";

/// Records a request; false if one is already pending.
pub async fn insert_request(
    db: &Db,
    group_id: i64,
    account_id: i64,
    sealed: &[u8],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO join_requests (group_id, account_id, answers_sealed, status, created_at) VALUES ($1, $2, $3, 'pending', $4)",
        )
        .bind(group_id)
        .bind(account_id)
        .bind(sealed)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    });
    match result {
        Ok(()) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The account's most recent request to the group.
pub async fn latest_request(
    db: &Db,
    group_id: i64,
    account_id: i64,
) -> Result<Option<JoinRequest>, sqlx::Error> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM join_requests r JOIN accounts a ON a.id = r.account_id \
         WHERE r.group_id = $1 AND r.account_id = $2 ORDER BY r.id DESC LIMIT 1"
    );
    on_db!(db, |pool| {
        sqlx::query_as::<_, JoinRequest>(sqlx::AssertSqlSafe(sql))
            .bind(group_id)
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })
}

/// Requests waiting for the group's facilitators, oldest first.
pub async fn pending_requests(db: &Db, group_id: i64) -> Result<Vec<JoinRequest>, sqlx::Error> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM join_requests r JOIN accounts a ON a.id = r.account_id \
         WHERE r.group_id = $1 AND r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 200"
    );
    on_db!(db, |pool| sqlx::query_as::<_, JoinRequest>(
        sqlx::AssertSqlSafe(sql)
    )
    .bind(group_id)
    .fetch_all(pool)
    .await)
}

/// Decides a pending request; on approval the person becomes a member in
/// the same transaction. False if the request was not pending in this group.
pub async fn decide_request(
    db: &Db,
    group_id: i64,
    request_id: i64,
    approve: bool,
    message: Option<&str>,
    decided_by: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let status = if approve { "approved" } else { "declined" };
    let mut tx = db.begin().await?;
    let account: Option<i64> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
        "UPDATE join_requests SET status = $1, decision_message = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND group_id = $6 AND status = 'pending' RETURNING account_id",
    )
    .bind(status)
    .bind(message)
    .bind(decided_by)
    .bind(now)
    .bind(request_id)
    .bind(group_id)
    .fetch_optional(c)
    .await
    })?;
    let Some(account) = account else {
        return Ok(false);
    };
    if approve {
        add_member_in(&mut tx, group_id, account, now).await?;
    }
    use crate::notifications::store::{Decision, NotificationKind, decided_in};
    decided_in(
        &mut tx,
        &Decision {
            kind: if approve {
                NotificationKind::RequestApproved
            } else {
                NotificationKind::RequestDeclined
            },
            account_id: account,
            group_id: Some(group_id),
            actor_id: decided_by,
            report_id: None,
            sanction_id: None,
            request_id: Some(request_id),
            now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, FromRow)]
pub struct Member {
    pub account_id: i64,
    pub handle: String,
    pub role: GroupRole,
}

/// Members, facilitators first, then by handle.
pub async fn members(db: &Db, group_id: i64) -> Result<Vec<Member>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, Member>(
            "SELECT m.account_id, a.handle, m.role FROM group_members m JOIN accounts a ON a.id = m.account_id \
             WHERE m.group_id = $1 ORDER BY CASE m.role WHEN 'facilitator' THEN 0 ELSE 1 END, lower(a.handle) LIMIT 5000",
        )
        .bind(group_id)
        .fetch_all(pool)
        .await
    })
}

/// What a group's facilitators may change after it was made.
pub struct Settings<'a> {
    pub purpose: &'a str,
    pub guidelines: &'a str,
    pub leadership: Leadership,
    pub visibility: Visibility,
    pub joining: Joining,
    pub intake_questions: &'a str,
}

/// Saves a group's settings.
pub async fn update_settings(db: &Db, group_id: i64, s: &Settings<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE groups SET purpose = $1, guidelines = $2, leadership = $3, visibility = $4, \
             joining = $5, intake_questions = $6 WHERE id = $7",
        )
        .bind(s.purpose)
        .bind(s.guidelines)
        .bind(s.leadership)
        .bind(s.visibility)
        .bind(s.joining)
        .bind(s.intake_questions)
        .bind(group_id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Makes a facilitator a member again; false if they were not one.
pub async fn demote(db: &Db, group_id: i64, account_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE group_members SET role = 'member' WHERE group_id = $1 AND account_id = $2 AND role = 'facilitator'",
        )
        .bind(group_id)
        .bind(account_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// Makes a member a facilitator; false if they are not a member.
pub async fn promote(db: &Db, group_id: i64, account_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE group_members SET role = 'facilitator' WHERE group_id = $1 AND account_id = $2",
        )
        .bind(group_id)
        .bind(account_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0)
    })
}

/// Adds a term; false if the kind already has that slug.
pub async fn add_term(
    db: &Db,
    kind: &str,
    slug: &str,
    name_en: &str,
    name_es: &str,
) -> Result<bool, sqlx::Error> {
    let result = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO taxonomy_terms (kind, slug, name_en, name_es, position) \
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM taxonomy_terms WHERE kind = $1))",
        )
        .bind(kind)
        .bind(slug)
        .bind(name_en)
        .bind(name_es)
        .execute(pool)
        .await
        .map(|_| ())
    });
    match result {
        Ok(()) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Renames a term; false if there is no such term.
pub async fn rename_term(
    db: &Db,
    id: i64,
    name_en: &str,
    name_es: &str,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE taxonomy_terms SET name_en = $1, name_es = $2 WHERE id = $3")
            .bind(name_en)
            .bind(name_es)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}

/// How many requests wait for the group's facilitators.
pub async fn count_pending_requests(db: &Db, group_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM join_requests WHERE group_id = $1 AND status = 'pending'",
        )
        .bind(group_id)
        .fetch_one(pool)
        .await
    })
}

/// The groups `account_id` facilitates.
/// A group someone belongs to, for their home page.
#[derive(Debug, Clone, FromRow)]
pub struct Membership {
    pub group_id: i64,
    pub slug: String,
    pub name: String,
    pub role: GroupRole,
}

/// The groups `account_id` belongs to, by name.
pub async fn memberships(db: &Db, account_id: i64) -> Result<Vec<Membership>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, Membership>(
            "SELECT g.id AS group_id, g.slug, g.name, m.role FROM group_members m \
             JOIN groups g ON g.id = m.group_id WHERE m.account_id = $1 AND g.status = 'active' \
             ORDER BY lower(g.name) LIMIT 500",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn facilitated(db: &Db, account_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT group_id FROM group_members WHERE account_id = $1 AND role = 'facilitator'",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await
    })
}
