//! iCalendar (RFC 5545) for live sessions: each series as one event with
//! its rule, at its own wall-clock time in its own zone, the dates called
//! off as exceptions, and the zone's offsets spelled out (VTIMEZONE) for
//! the years the series covers, so a calendar needs no zone database of
//! its own. Text is escaped and lines folded at 75 bytes.

use jiff::Span;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::schedule::Recurrence;
use super::service::schedule_of;
use super::store::MeetingRow;

pub struct Event<'a> {
    pub meeting: &'a MeetingRow,
    /// Dates called off (`YYYY-MM-DD`).
    pub cancelled: Vec<String>,
    /// The session's page.
    pub url: String,
    pub group: &'a str,
}

/// A calendar holding `events`.
pub fn calendar(events: &[Event], name: &str, now: Timestamp) -> String {
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Hearth//Live sessions//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.text("X-WR-CALNAME", name);
    let mut zones: Vec<&str> = Vec::new();
    for e in events {
        let m = e.meeting;
        if !zones.contains(&m.time_zone.as_str())
            && let Some(s) = schedule_of(m)
        {
            zones.push(&m.time_zone);
            let last = s
                .last()
                .map_or_else(|| now.checked_add(Span::new().years(3)), |o| Ok(o.end))
                .unwrap_or(now);
            vtimezone(&mut out, &m.time_zone, &s.zone, s.first, last);
        }
    }
    for e in events {
        event(&mut out, e, now);
    }
    out.line("END:VCALENDAR");
    out.0
}

fn event(out: &mut Lines, e: &Event, now: Timestamp) {
    let m = e.meeting;
    let Some(s) = schedule_of(m) else {
        return;
    };
    let tzid = &m.time_zone;
    out.line("BEGIN:VEVENT");
    out.line(&format!("UID:hearth-session-{}-{}", m.id, m.created_at));
    out.line(&format!("DTSTAMP:{}", utc(now)));
    out.line(&format!("DTSTART;TZID={tzid}:{}", local(s.first)));
    out.line(&format!("DURATION:PT{}M", m.minutes));
    let freq = match m.recurrence {
        Recurrence::Once => None,
        Recurrence::Weekly => Some("FREQ=WEEKLY".to_owned()),
        Recurrence::Fortnightly => Some("FREQ=WEEKLY;INTERVAL=2".to_owned()),
        Recurrence::Monthly => {
            let day = s.first.date();
            let nth = (day.day() - 1) / 7 + 1;
            let nth = if nth >= 5 { -1 } else { nth };
            let weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
                [usize::try_from(day.weekday().to_monday_zero_offset()).unwrap_or(0)];
            Some(format!("FREQ=MONTHLY;BYDAY={nth}{weekday}"))
        }
    };
    if let Some(freq) = freq {
        // With a zoned start, UNTIL is in UTC: the last start.
        match s.last() {
            Some(last) => out.line(&format!("RRULE:{freq};UNTIL={}", utc(last.start))),
            None => out.line(&format!("RRULE:{freq}")),
        }
    }
    for date in &e.cancelled {
        if let Ok(d) = date.parse::<jiff::civil::Date>() {
            out.line(&format!(
                "EXDATE;TZID={tzid}:{}",
                local(d.to_datetime(s.first.time()))
            ));
        }
    }
    if m.cancelled_at.is_some() {
        out.line("STATUS:CANCELLED");
    }
    out.text("SUMMARY", &m.title);
    let description = if m.description.is_empty() {
        format!("{}\n{}", e.group, e.url)
    } else {
        format!("{}\n\n{}\n{}", m.description, e.group, e.url)
    };
    out.text("DESCRIPTION", &description);
    out.text("URL", &e.url);
    out.line("END:VEVENT");
}

/// The zone's offsets from a year before `from` until `until`: each change
/// as its own STANDARD or DAYLIGHT part (a zone without changes gets one).
fn vtimezone(out: &mut Lines, tzid: &str, zone: &TimeZone, from: DateTime, until: Timestamp) {
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{tzid}"));
    let first = from
        .to_zoned_datetime(zone.clone())
        .map_or(until, |z| z.timestamp());
    let start = first
        .checked_sub(Span::new().hours(24 * 366))
        .unwrap_or(first);
    let mut before = zone.to_offset(start);
    let mut any = false;
    for t in zone.following(start).take(64) {
        if t.timestamp() > until {
            break;
        }
        let after = t.offset();
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        out.line(&format!("BEGIN:{kind}"));
        // The onset, on the wall clock of the offset it leaves.
        let onset = t.timestamp().to_zoned_datetime(TimeZone::fixed(before));
        out.line(&format!("DTSTART:{}", local(onset.datetime())));
        out.line(&format!("TZOFFSETFROM:{}", offset(before)));
        out.line(&format!("TZOFFSETTO:{}", offset(after)));
        out.text("TZNAME", t.abbreviation());
        out.line(&format!("END:{kind}"));
        before = after;
        any = true;
    }
    if !any {
        out.line("BEGIN:STANDARD");
        out.line("DTSTART:19700101T000000");
        out.line(&format!("TZOFFSETFROM:{}", offset(before)));
        out.line(&format!("TZOFFSETTO:{}", offset(before)));
        out.line("END:STANDARD");
    }
    out.line("END:VTIMEZONE");
}

fn utc(t: Timestamp) -> String {
    t.to_zoned_datetime(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn local(dt: DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

fn offset(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("{sign}{:02}{:02}", secs / 3600, secs % 3600 / 60)
}

/// Lines of a calendar, each ended with CRLF and folded at 75 bytes.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn line(&mut self, line: &str) {
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                used = 1;
            }
            self.0.push(c);
            used += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }

    /// A text property, escaped as RFC 5545 asks.
    fn text(&mut self, name: &str, value: &str) {
        let mut v = String::with_capacity(value.len());
        for c in value.chars() {
            match c {
                '\\' => v.push_str("\\\\"),
                ';' => v.push_str("\\;"),
                ',' => v.push_str("\\,"),
                '\n' => v.push_str("\\n"),
                '\r' => {}
                c if c.is_control() => {}
                c => v.push(c),
            }
        }
        self.line(&format!("{name}:{v}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::store::Format;

    fn meeting(recurrence: Recurrence, until: Option<&str>) -> MeetingRow {
        MeetingRow {
            id: 7,
            group_id: 1,
            title: "Evening circle; all welcome, really".into(),
            description: "Bring tea.\nCameras optional.".into(),
            first_start: "2026-10-20T19:00:00".into(),
            time_zone: "America/New_York".into(),
            minutes: 90,
            recurrence,
            until_date: until.map(str::to_owned),
            capacity: 12,
            format: Format::Audio,
            created_by: None,
            created_at: 1,
            cancelled_at: None,
        }
    }

    #[test]
    fn a_weekly_series_has_its_rule_exceptions_and_zone() {
        let m = meeting(Recurrence::Weekly, Some("2026-12-29"));
        let now: Timestamp = "2026-10-01T00:00:00Z".parse().unwrap();
        let ics = calendar(
            &[Event {
                meeting: &m,
                cancelled: vec!["2026-11-03".to_owned()],
                url: "https://example.org/groups/g/sessions/7".into(),
                group: "Group",
            }],
            "Hearth",
            now,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART;TZID=America/New_York:20261020T190000\r\n"));
        assert!(ics.contains("RRULE:FREQ=WEEKLY;UNTIL=20261230T000000Z\r\n"));
        assert!(ics.contains("EXDATE;TZID=America/New_York:20261103T190000\r\n"));
        assert!(ics.contains("SUMMARY:Evening circle\\; all welcome\\, really\r\n"));
        assert!(ics.contains("DESCRIPTION:Bring tea.\\nCameras optional."));
        // The change back to standard time on 2026-11-01 at 02:00 EDT.
        assert!(ics.contains(
            "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
        ));
        assert!(ics.lines().all(|l| l.len() <= 75), "{ics}");
    }

    #[test]
    fn a_monthly_series_names_its_weekday_of_the_month() {
        let m = meeting(Recurrence::Monthly, None);
        let now: Timestamp = "2026-10-01T00:00:00Z".parse().unwrap();
        let ics = calendar(
            &[Event {
                meeting: &m,
                cancelled: Vec::new(),
                url: "u".into(),
                group: "g",
            }],
            "Hearth",
            now,
        );
        assert!(ics.contains("RRULE:FREQ=MONTHLY;BYDAY=3TU\r\n"), "{ics}");
    }

    #[test]
    fn long_lines_fold_without_splitting_a_character() {
        let mut l = Lines::default();
        l.text("SUMMARY", &"é".repeat(100));
        for line in l.0.split("\r\n") {
            assert!(line.len() <= 75);
        }
        let unfolded = l.0.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(100)));
    }
}
