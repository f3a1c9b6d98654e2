//! When a group's live sessions happen: a first start on a wall clock in
//! an IANA time zone, how it repeats, and until when. Occurrences are
//! computed with jiff's zone database, so a weekly 7 pm session stays at
//! 7 pm in its own zone across daylight-saving changes (and moves for
//! viewers elsewhere, as it should). An occurrence is named by its date in
//! the session's zone: at most one a day.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use crate::web::FieldErrors;

crate::word_enum!(
    /// How a session repeats.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "kebab-case")]
    Recurrence {
        Once = "once",
        Weekly = "weekly",
        /// Every two weeks, on the first start's weekday.
        Fortnightly = "fortnightly",
        /// Monthly on the first start's weekday and week of the month
        /// ("the second Tuesday"; a fifth one is read as the last).
        Monthly = "monthly",
    }
);

/// The longest session, and the shortest.
pub const MAX_MINUTES: i64 = 8 * 60;
pub const MIN_MINUTES: i64 = 15;
/// How far ahead a session may be scheduled, or a series end.
pub const MAX_YEARS_AHEAD: i16 = 2;
/// Most occurrences a series may have, whatever its end.
const MAX_OCCURRENCES: i64 = 500;

#[derive(Debug, Clone)]
pub struct Schedule {
    /// The first occurrence's start, on the wall clock of `zone`.
    pub first: DateTime,
    pub zone: TimeZone,
    pub minutes: i64,
    pub recurrence: Recurrence,
    /// No occurrence falls after this date (in `zone`); none: it goes on.
    pub until: Option<Date>,
}

/// One occurrence of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// Its date in the session's zone: its name.
    pub date: Date,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// What a facilitator typed, as it came.
pub struct ScheduleInput<'a> {
    /// `YYYY-MM-DDTHH:MM`, as a `datetime-local` field sends it.
    pub start: &'a str,
    pub zone: &'a str,
    pub minutes: &'a str,
    pub recurrence: &'a str,
    /// `YYYY-MM-DD`, or empty.
    pub until: &'a str,
}

/// A zone by its IANA name, from the zone database built into Hearth.
pub fn zone(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    jiff::tz::db().get(name).ok()
}

/// Every zone name the database knows, sorted (read once: forms list them).
pub fn zone_names() -> &'static [String] {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_owned())
            .filter(|n| n.contains('/') || n == "UTC")
            .collect();
        names.sort();
        names.dedup();
        names
    });
    &NAMES
}

impl Schedule {
    /// Reads and checks a schedule. `now` bounds how far ahead it may be;
    /// a first start already past is refused only for a single session
    /// (a series may start from an earlier date).
    pub fn parse(input: &ScheduleInput, now: Timestamp) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let zone = zone(input.zone);
        if zone.is_none() {
            errors.push(("time_zone", "error-session-zone"));
        }
        let first = parse_local(input.start);
        if first.is_none() {
            errors.push(("start", "error-session-start"));
        }
        let minutes = input.minutes.trim().parse::<i64>().ok();
        if !minutes.is_some_and(|m| (MIN_MINUTES..=MAX_MINUTES).contains(&m)) {
            errors.push(("minutes", "error-session-minutes"));
        }
        let recurrence = Recurrence::parse(input.recurrence);
        if recurrence.is_none() {
            errors.push(("recurrence", "error-session-recurrence"));
        }
        let until = parse_date(input.until);
        if let Err(e) = until {
            errors.push(("until", e));
        }
        let (Some(zone), Some(first), Some(minutes), Some(recurrence), Ok(until)) =
            (zone, first, minutes, recurrence, until)
        else {
            return Err(errors);
        };
        let schedule = Schedule {
            first,
            zone,
            minutes,
            recurrence,
            until: if recurrence == Recurrence::Once {
                None
            } else {
                until
            },
        };
        if first.date() > schedule.horizon(now) {
            errors.push(("start", "error-session-too-far"));
        } else if recurrence == Recurrence::Once
            && schedule.occurrence(0).is_none_or(|o| o.start < now)
        {
            errors.push(("start", "error-session-past"));
        }
        if let Some(e) = schedule.until.and_then(|u| schedule.until_error(u, now)) {
            errors.push(("until", e));
        }
        if errors.is_empty() {
            Ok(schedule)
        } else {
            Err(errors)
        }
    }

    /// The last date anything may be scheduled for from `now`, in the
    /// schedule's zone.
    fn horizon(&self, now: Timestamp) -> Date {
        let today = now.to_zoned_datetime(self.zone.clone()).date();
        today
            .checked_add(Span::new().years(MAX_YEARS_AHEAD))
            .unwrap_or(today)
    }

    /// What is wrong with `until` as this series' last date, if anything.
    pub fn until_error(&self, until: Date, now: Timestamp) -> Option<&'static str> {
        if until < self.first.date() {
            Some("error-session-until-before")
        } else if until > self.horizon(now) {
            Some("error-session-too-far")
        } else {
            None
        }
    }

    /// The date of the `n`th occurrence (from 0), before `until` is applied.
    fn nth_date(&self, n: i64) -> Option<Date> {
        if !(0..MAX_OCCURRENCES).contains(&n) {
            return None;
        }
        let day = self.first.date();
        match self.recurrence {
            Recurrence::Once => (n == 0).then_some(day),
            Recurrence::Weekly => day.checked_add(Span::new().weeks(n)).ok(),
            Recurrence::Fortnightly => day.checked_add(Span::new().weeks(2 * n)).ok(),
            Recurrence::Monthly => {
                let (nth, weekday) = week_of_month(day);
                day.first_of_month()
                    .checked_add(Span::new().months(n))
                    .ok()?
                    .nth_weekday_of_month(nth, weekday)
                    .ok()
            }
        }
    }

    /// The `n`th occurrence (from 0), if the series has one.
    pub fn occurrence(&self, n: i64) -> Option<Occurrence> {
        let date = self.nth_date(n)?;
        if self.until.is_some_and(|u| date > u) {
            return None;
        }
        // A start that falls in a gap (clocks going forward) moves later,
        // as calendars do; an ambiguous one takes the first.
        let start = date
            .to_datetime(self.first.time())
            .to_zoned_datetime(self.zone.clone())
            .ok()?
            .timestamp();
        let end = start.checked_add(Span::new().minutes(self.minutes)).ok()?;
        Some(Occurrence { date, start, end })
    }

    /// The occurrence on `date` (in the session's zone), if there is one.
    pub fn on(&self, date: Date) -> Option<Occurrence> {
        let n = self.index_near(date);
        ((n - 1).max(0)..=n + 1)
            .filter_map(|i| self.occurrence(i))
            .find(|o| o.date == date)
    }

    /// An index whose occurrence falls close to `date` (at or before it,
    /// within one period), so that a long series is not walked from its
    /// start.
    fn index_near(&self, date: Date) -> i64 {
        let first = self.first.date();
        let n = match self.recurrence {
            Recurrence::Once => 0,
            Recurrence::Weekly | Recurrence::Fortnightly => {
                let days = first
                    .until(date)
                    .map(|s| i64::from(s.get_days()))
                    .unwrap_or(0);
                let period = if self.recurrence == Recurrence::Weekly {
                    7
                } else {
                    14
                };
                days.div_euclid(period)
            }
            Recurrence::Monthly => {
                (i64::from(date.year()) - i64::from(first.year())) * 12 + i64::from(date.month())
                    - i64::from(first.month())
            }
        };
        n.clamp(0, MAX_OCCURRENCES)
    }

    /// Up to `limit` occurrences still to end after `after`, in order,
    /// leaving out the dates in `skip` (cancelled ones).
    pub fn upcoming(&self, after: Timestamp, skip: &[Date], limit: usize) -> Vec<Occurrence> {
        let today = after.to_zoned_datetime(self.zone.clone()).date();
        let yesterday = today.yesterday().unwrap_or(today);
        let from = (self.index_near(yesterday) - 1).max(0);
        (from..MAX_OCCURRENCES)
            .map_while(|n| self.occurrence(n))
            .filter(|o| o.end > after && !skip.contains(&o.date))
            .take(limit)
            .collect()
    }

    /// The last occurrence, for a series that ends.
    pub fn last(&self) -> Option<Occurrence> {
        match (self.recurrence, self.until) {
            (Recurrence::Once, _) => self.occurrence(0),
            (_, Some(until)) => {
                let n = self.index_near(until);
                (0..=n.saturating_add(1))
                    .rev()
                    .find_map(|i| self.occurrence(i))
            }
            (_, None) => None,
        }
    }
}

/// A last date as a `date` field sends it (`YYYY-MM-DD`); empty is none.
pub fn parse_date(raw: &str) -> Result<Option<Date>, &'static str> {
    const UNREADABLE: &str = "error-session-until";
    match raw.trim() {
        "" => Ok(None),
        raw if raw.len() > 16 => Err(UNREADABLE),
        raw => raw.parse::<Date>().map(Some).map_err(|_| UNREADABLE),
    }
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`, seconds allowed).
pub fn parse_local(raw: &str) -> Option<DateTime> {
    let raw = raw.trim();
    if raw.len() > 32 {
        return None;
    }
    raw.parse::<DateTime>().ok()
}

/// Which week of its month `day` falls in (1 to 4, or -1 for a fifth:
/// "the last"), and its weekday.
fn week_of_month(day: Date) -> (i8, Weekday) {
    let nth = (day.day() - 1) / 7 + 1;
    (if nth >= 5 { -1 } else { nth }, day.weekday())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(start: &str, zone_name: &str, recurrence: &str, until: &str) -> Schedule {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        Schedule::parse(
            &ScheduleInput {
                start,
                zone: zone_name,
                minutes: "90",
                recurrence,
                until,
            },
            now,
        )
        .unwrap()
    }

    fn utc(ts: Timestamp) -> String {
        ts.to_zoned_datetime(TimeZone::UTC)
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn a_weekly_session_keeps_its_wall_clock_across_daylight_saving() {
        // New York leaves daylight saving on 2026-11-01.
        let s = schedule("2026-10-20T19:00", "America/New_York", "weekly", "");
        let after: Timestamp = "2026-10-20T00:00:00Z".parse().unwrap();
        let next: Vec<String> = s
            .upcoming(after, &[], 3)
            .into_iter()
            .map(|o| utc(o.start))
            .collect();
        assert_eq!(
            next,
            ["2026-10-20 23:00", "2026-10-27 23:00", "2026-11-04 00:00"]
        );
    }

    #[test]
    fn a_start_in_the_spring_gap_moves_later_and_the_end_is_real_minutes_later() {
        // 02:30 does not exist in Berlin on 2027-03-28.
        let s = schedule("2027-03-21T02:30", "Europe/Berlin", "weekly", "");
        let o = s.on("2027-03-28".parse().unwrap()).unwrap();
        assert_eq!(utc(o.start), "2027-03-28 01:30");
        assert_eq!(utc(o.end), "2027-03-28 03:00");
    }

    #[test]
    fn monthly_means_the_same_weekday_of_the_same_week() {
        // The second Tuesday; and a fifth Thursday is read as the last.
        let s = schedule("2026-01-13T18:00", "Europe/Madrid", "monthly", "");
        let dates: Vec<String> = (0..4)
            .map(|n| s.occurrence(n).unwrap().date.to_string())
            .collect();
        assert_eq!(
            dates,
            ["2026-01-13", "2026-02-10", "2026-03-10", "2026-04-14"]
        );
        let last = schedule("2026-01-29T18:00", "Europe/Madrid", "monthly", "");
        assert_eq!(last.occurrence(1).unwrap().date.to_string(), "2026-02-26");
    }

    #[test]
    fn a_series_ends_on_its_last_date_and_skips_what_was_cancelled() {
        let s = schedule(
            "2026-03-02T10:00",
            "Asia/Tokyo",
            "fortnightly",
            "2026-04-13",
        );
        let after: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let skip: Vec<Date> = vec!["2026-03-16".parse().unwrap()];
        let dates: Vec<String> = s
            .upcoming(after, &skip, 10)
            .iter()
            .map(|o| o.date.to_string())
            .collect();
        assert_eq!(dates, ["2026-03-02", "2026-03-30", "2026-04-13"]);
        assert_eq!(s.last().unwrap().date.to_string(), "2026-04-13");
        assert!(s.on("2026-03-09".parse().unwrap()).is_none());
        assert!(s.on("2026-03-30".parse().unwrap()).is_some());
    }

    #[test]
    fn a_long_series_is_read_from_near_the_day_asked() {
        let s = schedule("2026-01-05T12:00", "UTC", "weekly", "");
        let after: Timestamp = "2030-06-01T00:00:00Z".parse().unwrap();
        let next = s.upcoming(after, &[], 1);
        assert_eq!(next[0].date.to_string(), "2030-06-03");
    }

    #[test]
    fn bad_input_is_explained_per_field() {
        let now: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
        let errors = |start, zone, minutes, recurrence, until| {
            Schedule::parse(
                &ScheduleInput {
                    start,
                    zone,
                    minutes,
                    recurrence,
                    until,
                },
                now,
            )
            .err()
            .unwrap_or_default()
        };
        assert_eq!(
            errors("2026-13-01T10:00", "Mars/Olympus", "5", "daily", "soon"),
            [
                ("time_zone", "error-session-zone"),
                ("start", "error-session-start"),
                ("minutes", "error-session-minutes"),
                ("recurrence", "error-session-recurrence"),
                ("until", "error-session-until"),
            ]
        );
        assert_eq!(
            errors("2026-05-01T10:00", "UTC", "60", "once", ""),
            [("start", "error-session-past")]
        );
        assert_eq!(
            errors("2029-05-01T10:00", "UTC", "60", "weekly", ""),
            [("start", "error-session-too-far")]
        );
        assert_eq!(
            errors("2026-07-01T10:00", "UTC", "60", "weekly", "2026-06-30"),
            [("until", "error-session-until-before")]
        );
        assert!(errors("2026-07-01T10:00", "UTC", "60", "weekly", "").is_empty());
    }
}
