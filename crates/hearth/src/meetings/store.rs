//! Meetings, their cancelled dates and who is coming, on either database.

use sqlx::FromRow;

use crate::db::Db;
use crate::{on_db, on_tx};

use super::schedule::Recurrence;

crate::word_enum!(
    /// How people take part.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "kebab-case")]
    Format {
        Video = "video",
        /// Audio only: nobody's camera is asked for.
        Audio = "audio",
        /// Text only: the room's chat.
        Text = "text",
    }
);

crate::word_enum!(
    /// Where a member stands for one occurrence.
    #[derive(serde::Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "kebab-case")]
    Rsvp {
        Going = "going",
        /// Waiting for a place, in the order they asked.
        Waiting = "waiting",
    }
);

#[derive(Debug, Clone, FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub group_id: i64,
    pub title: String,
    pub description: String,
    /// The first start on the wall clock of `time_zone` (`2026-12-10T19:00:00`).
    pub first_start: String,
    pub time_zone: String,
    pub minutes: i64,
    pub recurrence: Recurrence,
    /// The last date an occurrence may fall on, in `time_zone`.
    pub until_date: Option<String>,
    pub capacity: i64,
    pub format: Format,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub cancelled_at: Option<i64>,
}

/// A meeting's columns, of `meetings m`.
const MEETING_COLUMNS: &str = "m.id, m.group_id, m.title, m.description, m.first_start, m.time_zone, \
     m.minutes, m.recurrence, m.until_date, m.capacity, m.format, m.created_by, m.created_at, m.cancelled_at";

pub struct NewMeeting<'a> {
    pub group_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub first_start: &'a str,
    pub time_zone: &'a str,
    pub minutes: i64,
    pub recurrence: Recurrence,
    pub until_date: Option<&'a str>,
    pub capacity: i64,
    pub format: Format,
    pub created_by: i64,
    pub now: i64,
}

pub async fn create(db: &Db, m: &NewMeeting<'_>) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO meetings (group_id, title, description, first_start, time_zone, minutes, \
             recurrence, until_date, capacity, format, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(m.group_id)
        .bind(m.title)
        .bind(m.description)
        .bind(m.first_start)
        .bind(m.time_zone)
        .bind(m.minutes)
        .bind(m.recurrence)
        .bind(m.until_date)
        .bind(m.capacity)
        .bind(m.format)
        .bind(m.created_by)
        .bind(m.now)
        .fetch_one(pool)
        .await
    })
}

/// A group's meetings that were not called off, oldest first.
pub async fn of_group(db: &Db, group_id: i64) -> Result<Vec<MeetingRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.group_id = $1 AND m.cancelled_at IS NULL \
         ORDER BY m.id LIMIT 200"
    );
    on_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(group_id)
            .fetch_all(pool)
            .await
    })
}

pub async fn meeting(db: &Db, id: i64) -> Result<Option<MeetingRow>, sqlx::Error> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.id = $1");
    on_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// Calls off every occurrence still to come.
pub async fn cancel_series(db: &Db, id: i64, now: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE meetings SET cancelled_at = $2 WHERE id = $1 AND cancelled_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Calls off one occurrence (by its date), and tells whoever had a place
/// or waited for one; calling it off again changes nothing.
pub async fn cancel_occurrence(
    db: &Db,
    group_id: i64,
    id: i64,
    occurrence: &str,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let told: Vec<i64> = on_tx!(&mut tx, |c| {
        async {
            let done = sqlx::query(
                "INSERT INTO meeting_cancellations (meeting_id, occurrence, cancelled_by, cancelled_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, occurrence) DO NOTHING",
            )
            .bind(id)
            .bind(occurrence)
            .bind(by)
            .bind(now)
            .execute(&mut *c)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok::<_, sqlx::Error>(Vec::new());
            }
            sqlx::query_scalar(
                "SELECT account_id FROM meeting_rsvps WHERE meeting_id = $1 AND occurrence = $2",
            )
            .bind(id)
            .bind(occurrence)
            .fetch_all(&mut *c)
            .await
        }
        .await
    })?;
    for account in told {
        crate::notifications::store::session_in(
            &mut tx,
            crate::notifications::store::NotificationKind::SessionCancelled,
            account,
            group_id,
            id,
            occurrence,
            now,
        )
        .await?;
    }
    tx.commit().await
}

/// The cancelled dates of a group's meetings: (meeting, date).
pub async fn cancellations(db: &Db, group_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT c.meeting_id, c.occurrence FROM meeting_cancellations c \
             JOIN meetings m ON m.id = c.meeting_id WHERE m.group_id = $1",
        )
        .bind(group_id)
        .fetch_all(pool)
        .await
    })
}

/// The cancelled dates of one meeting.
pub async fn cancelled_dates(db: &Db, meeting_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT occurrence FROM meeting_cancellations WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_all(pool)
            .await
    })
}

/// How many are coming and waiting, per occurrence of a group's meetings
/// on or after `from` (a date): (meeting, date, going, waiting).
pub async fn counts(
    db: &Db,
    group_id: i64,
    from: &str,
) -> Result<Vec<(i64, String, i64, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.meeting_id, r.occurrence, \
             SUM(CASE WHEN r.status = 'going' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.status = 'waiting' THEN 1 ELSE 0 END) \
             FROM meeting_rsvps r JOIN meetings m ON m.id = r.meeting_id \
             WHERE m.group_id = $1 AND r.occurrence >= $2 GROUP BY r.meeting_id, r.occurrence",
        )
        .bind(group_id)
        .bind(from)
        .fetch_all(pool)
        .await
    })
}

/// Where `account` stands for occurrences of a group's meetings on or after
/// `from`: (meeting, date, status, place in the waiting list from 1).
pub async fn mine(
    db: &Db,
    group_id: i64,
    account_id: i64,
    from: &str,
) -> Result<Vec<(i64, String, Rsvp, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.meeting_id, r.occurrence, r.status, \
             (SELECT COUNT(*) FROM meeting_rsvps w WHERE w.meeting_id = r.meeting_id \
              AND w.occurrence = r.occurrence AND w.status = 'waiting' \
              AND (w.asked_at < r.asked_at OR (w.asked_at = r.asked_at AND w.account_id <= r.account_id))) \
             FROM meeting_rsvps r JOIN meetings m ON m.id = r.meeting_id \
             WHERE m.group_id = $1 AND r.account_id = $2 AND r.occurrence >= $3",
        )
        .bind(group_id)
        .bind(account_id)
        .bind(from)
        .fetch_all(pool)
        .await
    })
}

/// Who is coming to one occurrence, then who waits, in order: (handle,
/// status).
pub async fn attendees(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
) -> Result<Vec<(String, Rsvp)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.handle, r.status FROM meeting_rsvps r JOIN accounts a ON a.id = r.account_id \
             WHERE r.meeting_id = $1 AND r.occurrence = $2 \
             ORDER BY r.status, r.asked_at, r.account_id",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .fetch_all(pool)
        .await
    })
}

/// Takes a place at one occurrence, or a place in its waiting list when
/// `capacity` are already coming. Asking again changes nothing. Changes to
/// one meeting's places take turns: the meeting's row is written first.
pub async fn attend(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
    capacity: i64,
    now: i64,
) -> Result<Rsvp, sqlx::Error> {
    let mut tx = db.begin().await?;
    let status = on_tx!(&mut tx, |c| {
        async {
            sqlx::query("UPDATE meetings SET rsvp_rev = rsvp_rev + 1 WHERE id = $1")
                .bind(meeting_id)
                .execute(&mut *c)
                .await?;
            let existing: Option<Rsvp> = sqlx::query_scalar(
                "SELECT status FROM meeting_rsvps WHERE meeting_id = $1 AND occurrence = $2 AND account_id = $3",
            )
            .bind(meeting_id)
            .bind(occurrence)
            .bind(account_id)
            .fetch_optional(&mut *c)
            .await?;
            if let Some(s) = existing {
                return Ok::<_, sqlx::Error>(s);
            }
            let going: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM meeting_rsvps WHERE meeting_id = $1 AND occurrence = $2 AND status = 'going'",
            )
            .bind(meeting_id)
            .bind(occurrence)
            .fetch_one(&mut *c)
            .await?;
            let status = if going < capacity {
                Rsvp::Going
            } else {
                Rsvp::Waiting
            };
            sqlx::query(
                "INSERT INTO meeting_rsvps (meeting_id, occurrence, account_id, status, asked_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(meeting_id)
            .bind(occurrence)
            .bind(account_id)
            .bind(status)
            .bind(now)
            .execute(&mut *c)
            .await?;
            Ok(status)
        }
        .await
    })?;
    tx.commit().await?;
    Ok(status)
}

/// Gives up a place (or a place in the waiting list). A freed place goes
/// to the first who waits, who is told.
pub async fn withdraw(
    db: &Db,
    group_id: i64,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let promoted = on_tx!(&mut tx, |c| {
        async {
            sqlx::query("UPDATE meetings SET rsvp_rev = rsvp_rev + 1 WHERE id = $1")
                .bind(meeting_id)
                .execute(&mut *c)
                .await?;
            let was: Option<Rsvp> = sqlx::query_scalar(
                "DELETE FROM meeting_rsvps WHERE meeting_id = $1 AND occurrence = $2 AND account_id = $3 \
                 RETURNING status",
            )
            .bind(meeting_id)
            .bind(occurrence)
            .bind(account_id)
            .fetch_optional(&mut *c)
            .await?;
            if was != Some(Rsvp::Going) {
                return Ok::<_, sqlx::Error>(Vec::new());
            }
            sqlx::query_scalar(PROMOTE)
                .bind(meeting_id)
                .bind(occurrence)
                .bind(1i64)
                .fetch_all(&mut *c)
                .await
        }
        .await
    })?;
    let promoted: Vec<(String, i64)> = promoted
        .into_iter()
        .map(|a| (occurrence.to_owned(), a))
        .collect();
    tell_of_places(&mut tx, group_id, meeting_id, &promoted, now).await?;
    tx.commit().await
}

/// Gives up to `$3` places of date `$2` of meeting `$1` to those who wait
/// for one, in the order they asked; answers their accounts.
const PROMOTE: &str = "UPDATE meeting_rsvps SET status = 'going' \
     WHERE meeting_id = $1 AND occurrence = $2 AND status = 'waiting' AND account_id IN \
     (SELECT account_id FROM meeting_rsvps WHERE meeting_id = $1 AND occurrence = $2 \
      AND status = 'waiting' ORDER BY asked_at, account_id LIMIT $3) \
     RETURNING account_id";

/// Tells each (date, account) that a place is theirs, in the transaction
/// that gave it.
async fn tell_of_places(
    tx: &mut crate::db::Tx<'_>,
    group_id: i64,
    meeting_id: i64,
    promoted: &[(String, i64)],
    now: i64,
) -> Result<(), sqlx::Error> {
    for (date, account) in promoted {
        crate::notifications::store::session_in(
            tx,
            crate::notifications::store::NotificationKind::SessionPlace,
            *account,
            group_id,
            meeting_id,
            date,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The meetings of every group `account_id` belongs to (not called off),
/// with each group's name and slug.
pub async fn of_member(
    db: &Db,
    account_id: i64,
) -> Result<Vec<(MeetingRow, String, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS}, g.name, g.slug FROM meetings m \
         JOIN groups g ON g.id = m.group_id \
         JOIN group_members gm ON gm.group_id = m.group_id AND gm.account_id = $1 \
         WHERE m.cancelled_at IS NULL ORDER BY m.id LIMIT 500"
    );
    let rows: Vec<MemberMeeting> = on_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(account_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| (r.meeting, r.name, r.slug))
        .collect())
}

#[derive(FromRow)]
struct MemberMeeting {
    #[sqlx(flatten)]
    meeting: MeetingRow,
    name: String,
    slug: String,
}

/// The cancelled dates of the meetings of `account_id`'s groups.
pub async fn cancellations_of_member(
    db: &Db,
    account_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT c.meeting_id, c.occurrence FROM meeting_cancellations c \
             JOIN meetings m ON m.id = c.meeting_id \
             JOIN group_members gm ON gm.group_id = m.group_id AND gm.account_id = $1",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await
    })
}

/// Gives the member a (new) calendar feed; an earlier one ends.
pub async fn set_feed(db: &Db, account_id: i64, hash: &[u8], now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, |c| {
        async {
            sqlx::query("DELETE FROM calendar_feeds WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *c)
                .await?;
            sqlx::query(
                "INSERT INTO calendar_feeds (token_hash, account_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(hash)
            .bind(account_id)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|_| ())
        }
        .await
    })?;
    tx.commit().await
}

pub async fn end_feed(db: &Db, account_id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM calendar_feeds WHERE account_id = $1")
            .bind(account_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Whose feed a token's hash opens.
pub async fn feed_owner(db: &Db, hash: &[u8]) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT account_id FROM calendar_feeds WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(pool)
            .await
    })
}

/// When the member's feed was made, if they have one.
pub async fn feed_made_at(db: &Db, account_id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })
}

/// Places taken at dates on or after `from`: (meeting, date, account).
pub async fn places_from(db: &Db, from: &str) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.meeting_id, r.occurrence, r.account_id FROM meeting_rsvps r \
             JOIN meetings m ON m.id = r.meeting_id \
             WHERE r.status = 'going' AND r.occurrence >= $1 AND m.cancelled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM meeting_cancellations c \
                             WHERE c.meeting_id = r.meeting_id AND c.occurrence = r.occurrence)",
        )
        .bind(from)
        .fetch_all(pool)
        .await
    })
}

/// Claims one reminder (`day` or `soon`) and stores its in-app notice, in
/// one transaction: false when it was sent before (by any node).
pub async fn claim_reminder(
    db: &Db,
    m: &MeetingRow,
    occurrence: &str,
    account_id: i64,
    kind: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let claimed = on_tx!(&mut tx, |c| {
        sqlx::query(
            "INSERT INTO meeting_reminders (meeting_id, occurrence, account_id, kind, sent_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(m.id)
        .bind(occurrence)
        .bind(account_id)
        .bind(kind)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected() == 1)
    })?;
    if claimed {
        crate::notifications::store::session_in(
            &mut tx,
            crate::notifications::store::NotificationKind::SessionReminder,
            account_id,
            m.group_id,
            m.id,
            occurrence,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// What a reminder e-mail needs of its reader.
#[derive(Debug, FromRow)]
pub struct Reader {
    pub handle: String,
    pub handle_key: String,
    pub email_sealed: Option<Vec<u8>>,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub quiet_from: Option<i64>,
    pub quiet_to: Option<i64>,
}

pub async fn reader(db: &Db, account_id: i64) -> Result<Option<Reader>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT handle, handle_key, email_sealed, language, time_zone, quiet_from, quiet_to \
             FROM accounts WHERE id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })
}

/// What a facilitator may change of a meeting once scheduled.
pub struct MeetingChange<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub capacity: i64,
    pub format: Format,
    pub until_date: Option<&'a str>,
}

/// Changes a meeting. Where more places than before are now free, those
/// who wait for dates on or after `from` get them, in the order they asked,
/// and are told; nobody loses a place to fewer places.
pub async fn update(
    db: &Db,
    group_id: i64,
    id: i64,
    c: &MeetingChange<'_>,
    from: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let promoted: Vec<(String, i64)> = on_tx!(&mut tx, |conn| {
        async {
            sqlx::query(
                "UPDATE meetings SET rsvp_rev = rsvp_rev + 1, title = $2, description = $3, \
                 capacity = $4, format = $5, until_date = $6 WHERE id = $1",
            )
            .bind(id)
            .bind(c.title)
            .bind(c.description)
            .bind(c.capacity)
            .bind(c.format)
            .bind(c.until_date)
            .execute(&mut *conn)
            .await?;
            let dates: Vec<(String, i64)> = sqlx::query_as(
                "SELECT occurrence, SUM(CASE WHEN status = 'going' THEN 1 ELSE 0 END) \
                 FROM meeting_rsvps WHERE meeting_id = $1 AND occurrence >= $2 \
                 GROUP BY occurrence HAVING SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END) > 0",
            )
            .bind(id)
            .bind(from)
            .fetch_all(&mut *conn)
            .await?;
            let mut promoted = Vec::new();
            for (date, going) in dates {
                let free = c.capacity - going;
                if free <= 0 {
                    continue;
                }
                let given: Vec<i64> = sqlx::query_scalar(PROMOTE)
                    .bind(id)
                    .bind(&date)
                    .bind(free)
                    .fetch_all(&mut *conn)
                    .await?;
                promoted.extend(given.into_iter().map(|a| (date.clone(), a)));
            }
            Ok::<_, sqlx::Error>(promoted)
        }
        .await
    })?;
    tell_of_places(&mut tx, group_id, id, &promoted, now).await?;
    tx.commit().await
}

/// The member's places and places in waiting lists at dates on or after
/// `from`: (meeting, date, status).
pub async fn my_places(
    db: &Db,
    account_id: i64,
    from: &str,
) -> Result<Vec<(i64, String, Rsvp)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT meeting_id, occurrence, status FROM meeting_rsvps \
             WHERE account_id = $1 AND occurrence >= $2 ORDER BY occurrence LIMIT 200",
        )
        .bind(account_id)
        .bind(from)
        .fetch_all(pool)
        .await
    })
}

/// Where a member stands for one occurrence, if they asked for a place.
pub async fn rsvp_of(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
) -> Result<Option<Rsvp>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT status FROM meeting_rsvps \
             WHERE meeting_id = $1 AND occurrence = $2 AND account_id = $3",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(account_id)
        .fetch_optional(pool)
        .await
    })
}

/// A member entered an occurrence's room (again).
pub async fn entered(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
    anonymous: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO meeting_attendance \
             (meeting_id, occurrence, account_id, anonymous, first_joined) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (meeting_id, occurrence, account_id) \
             DO UPDATE SET anonymous = excluded.anonymous, last_left = NULL",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(account_id)
        .bind(anonymous)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// A member left an occurrence's room.
pub async fn left(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE meeting_attendance SET last_left = $4 \
             WHERE meeting_id = $1 AND occurrence = $2 AND account_id = $3",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(account_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// One member's attendance at one occurrence.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct Attended {
    pub handle: String,
    /// They chose a neutral label in the room.
    pub anonymous: bool,
    /// Epoch milliseconds.
    pub first_joined: i64,
    /// Absent while they are in the room.
    pub last_left: Option<i64>,
}

/// Who came to one occurrence, in the order they first came.
pub async fn attendance(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
) -> Result<Vec<Attended>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.handle, t.anonymous, t.first_joined, t.last_left \
             FROM meeting_attendance t JOIN accounts a ON a.id = t.account_id \
             WHERE t.meeting_id = $1 AND t.occurrence = $2 ORDER BY t.first_joined, a.handle",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .fetch_all(pool)
        .await
    })
}

/// A facilitator removed a member from an occurrence: they cannot enter
/// it again.
pub async fn remove(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO meeting_removals (meeting_id, occurrence, account_id, removed_by, removed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, occurrence, account_id) DO NOTHING",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(account_id)
        .bind(by)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Whether a member was removed from an occurrence, and whether it was
/// ended for everyone.
pub async fn barred(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    account_id: i64,
) -> Result<(bool, bool), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT \
               EXISTS (SELECT 1 FROM meeting_removals \
                       WHERE meeting_id = $1 AND occurrence = $2 AND account_id = $3), \
               EXISTS (SELECT 1 FROM meeting_endings WHERE meeting_id = $1 AND occurrence = $2)",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(account_id)
        .fetch_one(pool)
        .await
    })
}

/// A facilitator ended an occurrence for everyone.
pub async fn end_room(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO meeting_endings (meeting_id, occurrence, ended_by, ended_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, occurrence) DO NOTHING",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(by)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The latest date anyone came to a meeting's room.
pub async fn last_attended(db: &Db, meeting_id: i64) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT occurrence FROM meeting_attendance WHERE meeting_id = $1 \
             ORDER BY occurrence DESC LIMIT 1",
        )
        .bind(meeting_id)
        .fetch_optional(pool)
        .await
    })
}

/// Claims (or keeps) an occurrence's room for `node`: true when this node
/// hosts it now, false when another node that was seen since `stale`
/// does.
pub async fn claim_host(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    node: i64,
    now: i64,
    stale: i64,
) -> Result<bool, sqlx::Error> {
    let host: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO meeting_hosts (meeting_id, occurrence, node, seen_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (meeting_id, occurrence) DO UPDATE SET node = excluded.node, seen_at = excluded.seen_at \
             WHERE meeting_hosts.node = excluded.node OR meeting_hosts.seen_at < $5 \
             RETURNING node",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(node)
        .bind(now)
        .bind(stale)
        .fetch_optional(pool)
        .await
    })?;
    Ok(host == Some(node))
}

/// The node hosting an occurrence's room, if any has claimed it.
pub async fn host(db: &Db, meeting_id: i64, occurrence: &str) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT node FROM meeting_hosts WHERE meeting_id = $1 AND occurrence = $2",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .fetch_optional(pool)
        .await
    })
}

/// The facilitators' notes on one occurrence, sealed, with who last wrote
/// them and when.
pub async fn notes(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
) -> Result<Option<(Vec<u8>, Option<String>, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT n.body_sealed, a.handle, n.updated_at FROM meeting_notes n \
             LEFT JOIN accounts a ON a.id = n.updated_by \
             WHERE n.meeting_id = $1 AND n.occurrence = $2",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .fetch_optional(pool)
        .await
    })
}

pub async fn set_notes(
    db: &Db,
    meeting_id: i64,
    occurrence: &str,
    sealed: &[u8],
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO meeting_notes (meeting_id, occurrence, body_sealed, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, occurrence) \
             DO UPDATE SET body_sealed = excluded.body_sealed, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(meeting_id)
        .bind(occurrence)
        .bind(sealed)
        .bind(by)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}
