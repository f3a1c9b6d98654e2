//! Reminders before a live session: a day before and a quarter of an hour
//! before each date, to everyone with a place. Each node looks every
//! `reminder_check_secs`; a reminder is claimed in the database before it
//! goes (with its in-app notice, in one transaction), so it goes once
//! whichever node gets there first. Members who gave an address also get
//! an e-mail, unless it would arrive in their quiet hours. The e-mail says
//! that something happens and when, and links to it: never the session's
//! title, its group or anything said there.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::service::{self, schedule_of};
use super::store::{self, MeetingRow, Reader};
use crate::AppState;
use crate::web::i18n::{Lang, Tr};

/// A reminder this long before the start, or less…
const SOON_MS: i64 = 15 * 60 * 1000;
/// …and one this long before, or less (but more than [`SOON_MS`]).
const DAY_MS: i64 = 24 * 3600 * 1000;

pub async fn worker(state: AppState) {
    let every = Duration::from_secs(state.settings.limits.reminder_check_secs.max(1));
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        state.rooms.heartbeat(&state).await;
        match send_due(&state).await {
            Ok(n) if n > 0 => tracing::info!(reminders = n, "session reminders sent"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session reminders failed"),
        }
    }
}

/// Sends every reminder now due; returns how many went.
pub async fn send_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let now = service::now();
    let now_ms = now.as_millisecond();
    let places = store::places_from(&state.db, &service::from_date(now)).await?;
    let mut meetings: HashMap<i64, Option<MeetingRow>> = HashMap::new();
    let mut sent = 0;
    for (meeting_id, date, account) in places {
        let m = match meetings.entry(meeting_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(store::meeting(&state.db, meeting_id).await?)
            }
        };
        let Some(m) = m.as_ref() else {
            continue;
        };
        let Some(o) = schedule_of(m)
            .zip(date.parse().ok())
            .and_then(|(s, d)| s.on(d))
        else {
            continue;
        };
        let lead = o.start.as_millisecond() - now_ms;
        let kind = match lead {
            l if l <= 0 => continue,
            l if l <= SOON_MS => "soon",
            l if l <= DAY_MS => "day",
            _ => continue,
        };
        if !store::claim_reminder(&state.db, m, &date, account, kind, now_ms).await? {
            continue;
        }
        sent += 1;
        if state.mail.enabled() {
            mail(state, m, o.start, account, now).await;
        }
    }
    Ok(sent)
}

/// Queues the e-mail for one reminder, unless the reader gave no address
/// or it is their quiet hours. Failing to queue it is logged; the in-app
/// notice stands.
async fn mail(state: &AppState, m: &MeetingRow, start: Timestamp, account: i64, now: Timestamp) {
    let reader = match store::reader(&state.db, account).await {
        Ok(Some(r)) => r,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "reminder reader not read");
            return;
        }
    };
    let Some(sealed) = reader.email_sealed.as_deref() else {
        return;
    };
    let clock = service::reading_zone(reader.time_zone.as_deref(), m);
    if quiet(&reader, now, &clock) {
        tracing::info!(
            account.id = account,
            "session reminder e-mail held back: quiet hours"
        );
        return;
    }
    let Some(address) = state
        .data_key
        .open("accounts.email", reader.handle_key.as_bytes(), sealed)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return;
    };
    let tr = Tr(reader
        .language
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| state.default_lang()));
    let local = start.to_zoned_datetime(clock.clone());
    let when = format!(
        "{} {}",
        local.strftime("%Y-%m-%d %H:%M"),
        clock.iana_name().unwrap_or("UTC")
    );
    let link = format!(
        "{}/sessions/{}",
        state.settings.public_url.trim_end_matches('/'),
        m.id
    );
    let args: [(&'static str, crate::web::i18n::Arg); 4] = [
        ("handle", reader.handle.clone().into()),
        ("site", crate::site::name(state).into()),
        ("when", when.into()),
        ("link", link.into()),
    ];
    let message = crate::mail::Outgoing {
        to: address,
        subject: tr.t_args("mail-session-reminder-subject", &args),
        body: tr.t_args("mail-session-reminder-body", &args),
    };
    if let Err(e) = crate::mail::enqueue(state, &message).await {
        tracing::warn!(error = ?e, "session reminder e-mail not queued");
    }
}

/// Whether `now` falls in the reader's quiet hours on their clock.
fn quiet(r: &Reader, now: Timestamp, clock: &TimeZone) -> bool {
    let (Some(from), Some(to)) = (r.quiet_from, r.quiet_to) else {
        return false;
    };
    let hour = i64::from(now.to_zoned_datetime(clock.clone()).hour());
    if from <= to {
        (from..to).contains(&hour)
    } else {
        hour >= from || hour < to
    }
}
