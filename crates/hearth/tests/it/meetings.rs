//! Live sessions: scheduling, the coming dates in each viewer's own time
//! zone, places and the waiting list, calling off, the calendar file.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Browser, PASSWORD, TestApp};
use crate::smtp::Catcher;

/// A weekly 19:00 New York session that began in the past: its dates
/// still to come are always on the wall clock it was given, whenever the
/// test runs.
const WEEKLY: &[(&str, &str)] = &[
    ("title", "Evening circle"),
    ("description", "Bring a cup of tea.\nCameras are optional."),
    ("start", "2026-10-20T19:00"),
    ("time_zone", "America/New_York"),
    ("minutes", "90"),
    ("recurrence", "weekly"),
    ("until", ""),
    ("format", "audio"),
];

async fn group_with(app: &TestApp, admin: &str, members: &[&str]) -> (Browser, Vec<Browser>) {
    let a = app.staff(admin, "admin").await;
    a.create_group("Open Door", &[]).await;
    let mut out = Vec::new();
    for handle in members {
        let m = app.member(handle).await;
        m.submit("/groups/open-door", "/groups/open-door/join", &[])
            .await
            .assert_redirects_to("/groups/open-door?notice=joined");
        out.push(m);
    }
    (a, out)
}

/// Schedules a session with `capacity` places; returns its page's path.
async fn schedule(b: &Browser, capacity: &str) -> String {
    let mut fields = WEEKLY.to_vec();
    fields.push(("capacity", capacity));
    let page = b
        .submit(
            "/groups/open-door/sessions/new",
            "/groups/open-door/sessions",
            &fields,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let to = page.headers["location"].to_str().unwrap().to_owned();
    assert!(to.ends_with("?notice=session-scheduled"), "{to}");
    to.trim_end_matches("?notice=session-scheduled").to_owned()
}

#[tokio::test]
async fn a_weekly_session_shows_at_its_wall_clock_in_each_viewers_zone() {
    let app = TestApp::spawn().await;
    let (admin, members) = group_with(&app, "sessions_admin", &["in_chicago"]).await;
    let chicago = &members[0];
    let path = schedule(&admin, "12").await;

    // The member reads times in Chicago, an hour behind New York all year.
    chicago
        .submit(
            "/account",
            "/account/preferences",
            &[
                ("language", ""),
                ("region", ""),
                ("time_zone", "America/Chicago"),
            ],
        )
        .await
        .assert_redirects_to("/account?notice=prefs");
    let theirs = chicago.get("/groups/open-door/sessions").await.text();
    assert!(theirs.contains("Evening circle"), "{theirs}");
    assert!(theirs.contains("18:00–19:30") && theirs.contains("(America/Chicago)"));
    assert!(!theirs.contains("19:00–20:30"));
    assert!(theirs.contains("Times are in your time zone, America/Chicago."));
    // Someone who chose no zone reads the session's own.
    let own = admin.get("/groups/open-door/sessions").await.text();
    assert!(own.contains("19:00–20:30") && own.contains("(America/New_York)"));
    // Six dates ahead, each on a Tuesday.
    let body = admin.get("/groups/open-door/sessions").await.body;
    assert_eq!(body.matches("<time datetime=").count(), 6, "{body}");
    assert_eq!(body.matches("\">Tuesday ").count(), 6);

    let page = chicago.get(&path).await.text();
    assert!(page.contains("Every week") && page.contains("Audio only"));
    assert!(page.contains("Bring a cup of tea."));
    assert!(page.contains("Nothing in a live session is recorded"));
    // The group's page leads to its sessions.
    let group = chicago.get("/groups/open-door").await.body;
    assert!(group.contains("href=\"/groups/open-door/sessions\""));
    // And a member cannot schedule one.
    let mut fields = WEEKLY.to_vec();
    fields.push(("capacity", "12"));
    let refused = chicago
        .submit(
            "/groups/open-door/sessions",
            "/groups/open-door/sessions",
            &fields,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_schedules_are_explained_and_what_was_typed_is_kept() {
    let app = TestApp::spawn().await;
    let (admin, _) = group_with(&app, "sessions_admin2", &[]).await;
    let page = admin
        .submit(
            "/groups/open-door/sessions/new",
            "/groups/open-door/sessions",
            &[
                ("title", "Morning check-in"),
                ("start", "next tuesday"),
                ("time_zone", "Mars/Olympus_Mons"),
                ("minutes", "5"),
                ("recurrence", "daily"),
                ("until", "2027-02-30"),
                ("capacity", "1"),
                ("format", "hologram"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = page.text();
    for message in [
        "Enter the date and start time, like 2027-01-14 19:00.",
        "Choose a time zone from the list, like America/Chicago.",
        "Enter a length from 15 to 480 minutes.",
        "Choose how often it repeats.",
        "Enter the last date like 2027-06-30, or leave it empty.",
        "Enter a number of places from 2 to 100.",
        "Choose how people take part.",
    ] {
        assert!(text.contains(message), "{message} in {text}");
    }
    assert!(page.body.contains("value=\"Morning check-in\""));
    assert!(page.body.contains("value=\"next tuesday\""));

    // A single session in the past, and one more than two years ahead.
    for (start, recurrence, message) in [
        ("2020-01-01T10:00", "once", "That time has already passed."),
        (
            "2099-01-01T10:00",
            "weekly",
            "Sessions can be scheduled up to two years ahead.",
        ),
    ] {
        let page = admin
            .submit(
                "/groups/open-door/sessions/new",
                "/groups/open-door/sessions",
                &[
                    ("title", "Check-in"),
                    ("start", start),
                    ("time_zone", "UTC"),
                    ("minutes", "60"),
                    ("recurrence", recurrence),
                    ("capacity", "10"),
                    ("format", "text"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text().contains(message), "{}", page.text());
    }
    assert!(
        admin
            .get("/groups/open-door/sessions")
            .await
            .text()
            .contains("No sessions are scheduled yet.")
    );
}

#[tokio::test]
async fn places_go_in_order_and_a_freed_place_goes_to_the_first_who_waits() {
    let app = TestApp::spawn().await;
    let (admin, m) = group_with(&app, "sessions_admin3", &["ana", "ben", "cai", "dee"]).await;
    let path = schedule(&admin, "2").await;
    let date = m[0].get(&path).await.hidden("date");
    async fn attend(b: &Browser, path: &str, date: &str) -> crate::helpers::Page {
        b.submit(path, &format!("{path}/attend"), &[("date", date)])
            .await
    }
    for (who, notice) in [
        (0, "going"),
        (1, "going"),
        (2, "waiting"),
        (3, "waiting"),
        // Asking twice keeps the place asked first.
        (0, "going"),
    ] {
        attend(&m[who], &path, &date)
            .await
            .assert_redirects_to(&format!("{path}?notice=session-{notice}"));
    }
    let dee = m[3].get(&path).await.text();
    assert!(
        dee.contains("You are number 2 on the waiting list."),
        "{dee}"
    );
    assert!(dee.contains("Full: 2 coming, 2 waiting"));
    // The facilitator sees who is coming to the next date.
    let manage = admin.get(&path).await.text();
    assert!(manage.contains("ana") && manage.contains("cai (waiting)"));

    // Ana gives up her place: Cai, who asked first, has it.
    let page = m[0]
        .submit(&path, &format!("{path}/withdraw"), &[("date", &date)])
        .await;
    page.assert_redirects_to(&format!("{path}?notice=session-withdrawn"));
    let cai = m[2].get(&path).await.text();
    assert!(cai.contains("You are coming."), "{cai}");
    let dee = m[3].get(&path).await.text();
    assert!(
        dee.contains("You are number 1 on the waiting list."),
        "{dee}"
    );
    assert!(dee.contains("Full: 2 coming, 1 waiting"));

    // Not a member: no place. Not one of its dates, or not a date: refused.
    let outsider = app.member("not_in_group").await;
    let token = m[0].get(&path).await.csrf();
    let page = outsider
        .post_raw(
            &format!("{path}/attend"),
            &[("date", &date), ("csrf", &token)],
        )
        .await;
    assert!(
        page.status == StatusCode::FORBIDDEN || page.status == StatusCode::NOT_FOUND,
        "{}",
        page.status
    );
    for (bad, status) in [
        ("2026-10-21", StatusCode::NOT_FOUND),
        ("someday", StatusCode::BAD_REQUEST),
    ] {
        let page = m[0]
            .submit(&path, &format!("{path}/attend"), &[("date", bad)])
            .await;
        assert_eq!(page.status, status, "{bad}");
    }
}

#[tokio::test]
async fn a_date_called_off_leaves_the_schedule_and_the_calendar() {
    let app = TestApp::spawn().await;
    let (admin, m) = group_with(&app, "sessions_admin4", &["eve"]).await;
    let path = schedule(&admin, "12").await;
    let first = m[0].get(&path).await.hidden("date");

    let ics = m[0].get(&format!("{path}/calendar.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = ics.body.clone();
    assert!(body.contains("BEGIN:VEVENT\r\n") && body.contains("END:VCALENDAR\r\n"));
    assert!(body.contains("DTSTART;TZID=America/New_York:20261020T190000\r\n"));
    assert!(body.contains("RRULE:FREQ=WEEKLY\r\n"));
    assert!(body.contains("BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"));
    assert!(!body.contains("EXDATE"));

    // A member cannot call it off; the facilitator can.
    let page = m[0]
        .submit(&path, &format!("{path}/cancel"), &[("date", &first)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    admin
        .submit(&path, &format!("{path}/cancel"), &[("date", &first)])
        .await
        .assert_redirects_to(&format!("{path}?notice=session-cancelled"));
    let next = m[0].get(&path).await.hidden("date");
    assert_ne!(next, first, "the date called off is no longer listed");
    let compact = first.replace('-', "");
    let body = m[0].get(&format!("{path}/calendar.ics")).await.body;
    assert!(
        body.contains(&format!("EXDATE;TZID=America/New_York:{compact}T190000")),
        "{body}"
    );
    let page = m[0]
        .submit(&path, &format!("{path}/attend"), &[("date", &first)])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // The whole series.
    admin
        .submit(&path, &format!("{path}/cancel"), &[("date", "series")])
        .await
        .assert_redirects_to(&format!("{path}?notice=session-cancelled"));
    let page = m[0].get(&path).await.text();
    assert!(page.contains("This session was called off."));
    assert!(
        m[0].get("/groups/open-door/sessions")
            .await
            .text()
            .contains("No sessions are scheduled yet.")
    );
    assert!(
        m[0].get(&format!("{path}/calendar.ics"))
            .await
            .body
            .contains("STATUS:CANCELLED")
    );
}

#[tokio::test]
async fn the_api_schedules_and_keeps_places_as_the_pages_do() {
    let app = TestApp::spawn().await;
    group_with(&app, "sessions_api_admin", &["api_ann", "api_bo"]).await;
    let admin = app.api(&app.api_login("sessions_api_admin", PASSWORD).await);
    let ann = app.api(&app.api_login("api_ann", PASSWORD).await);
    let bo = app.api(&app.api_login("api_bo", PASSWORD).await);
    let list = "/api/v1/groups/open-door/sessions";

    let (status, v) = admin
        .post(
            list,
            json!({"title": "Morning", "start": "soon", "time_zone": "Nowhere/Land",
                   "minutes": 600, "recurrence": "weekly", "capacity": 1, "format": "video"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    for field in ["start", "time_zone", "minutes", "capacity"] {
        assert!(v["error"]["fields"][field].is_string(), "{field} in {v}");
    }
    let (status, v) = ann
        .post(
            list,
            json!({"title": "Mine", "start": "2026-10-20T19:00", "time_zone": "UTC",
                   "minutes": 60, "recurrence": "weekly", "capacity": 2, "format": "text"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a member does not schedule: {v}"
    );

    let (status, v) = admin
        .post(
            list,
            json!({"title": "Monthly circle", "start": "2026-10-13T18:30",
                   "time_zone": "Europe/Madrid", "minutes": 60, "recurrence": "monthly",
                   "capacity": 2, "format": "video"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let seen = ann.get_json(list).await;
    assert_eq!(seen["sessions"][0]["title"], "Monthly circle");
    let dates = seen["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 6);
    // Monthly on the second Tuesday, at 18:30 in Madrid whatever the season.
    for d in dates {
        let local = d["local_start"].as_str().unwrap();
        assert!(local.contains("T18:30:00+0"), "{local}");
        assert_eq!(d["local_zone"], "Europe/Madrid");
        let day: u32 = d["date"].as_str().unwrap()[8..].parse().unwrap();
        assert!((8..=14).contains(&day), "{d}");
    }
    let date = dates[0]["date"].as_str().unwrap().to_owned();
    let attendance = format!("{list}/{id}/dates/{date}/attendance");
    let (status, v) = ann.put(&attendance, json!({})).await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("going"))
    );
    let (_, v) = bo.put(&attendance, json!({})).await;
    assert_eq!(v["status"], "going");
    let (_, v) = admin.put(&attendance, json!({})).await;
    assert_eq!(v["status"], "waiting", "two places, both taken");
    let mine = admin.get_json(&format!("{list}/{id}")).await;
    assert_eq!(mine["dates"][0]["waiting_place"], 1);
    assert_eq!(mine["dates"][0]["going"], 2);

    let (status, _) = bo.delete(&attendance).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mine = admin.get_json(&format!("{list}/{id}")).await;
    assert_eq!(mine["dates"][0]["mine"], "going", "{mine}");
    let told = admin.get_json("/api/v1/notifications").await;
    assert_eq!(told["notifications"][0]["kind"], "session-place", "{told}");

    // Calling off the date: it leaves the list; the next one leads.
    let (status, _) = admin.delete(&format!("{list}/{id}/dates/{date}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let after = ann.get_json(&format!("{list}/{id}")).await;
    assert_ne!(after["dates"][0]["date"].as_str(), Some(date.as_str()));
    let told = ann.get_json("/api/v1/notifications").await;
    assert_eq!(
        told["notifications"][0]["kind"], "session-cancelled",
        "{told}"
    );
    let (status, _) = ann.put(&attendance, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = ann
        .put(
            &format!("{list}/{id}/dates/not-a-date/attendance"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Changed through the API: its facilitators only.
    let (status, _) = ann
        .patch(&format!("{list}/{id}"), json!({"title": "Mine now"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = admin
        .patch(
            &format!("{list}/{id}"),
            json!({"title": "Monthly circle, renamed", "capacity": 3, "until": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["sessions"][0]["title"], "Monthly circle, renamed");
    assert_eq!(v["sessions"][0]["capacity"], 3);
    let (status, v) = admin
        .patch(&format!("{list}/{id}"), json!({"capacity": 1000}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}

#[tokio::test]
async fn a_private_calendar_feed_shows_the_groups_sessions_until_it_is_remade() {
    let app = TestApp::spawn().await;
    let (admin, m) = group_with(&app, "sessions_admin5", &["fay"]).await;
    schedule(&admin, "12").await;
    let fay = &m[0];
    let page = fay
        .submit("/account/calendar", "/account/calendar", &[])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let marker = "id=\"calendar-address\" type=\"text\" readonly value=\"";
    let at = page.body.find(marker).expect("the address is shown") + marker.len();
    let address = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let path = &address[address.find("/calendar/").unwrap()..];
    assert!(path.ends_with(".ics"));

    // Read without logging in, as a calendar app does.
    let anyone = app.browser();
    let feed = anyone.get(path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.body.contains("SUMMARY:Evening circle\r\n"),
        "{}",
        feed.body
    );
    assert!(feed.body.contains("DESCRIPTION:Bring a cup of tea."));
    // The address is shown once: the account page only says when.
    let later = fay.get("/account/calendar").await.body;
    assert!(!later.contains(path) && later.contains("You made a calendar address on"));

    // Leaving the group takes its sessions out of the feed.
    fay.submit("/groups/open-door", "/groups/open-door/leave", &[])
        .await;
    let feed = anyone.get(path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(!feed.body.contains("Evening circle"));

    // A new address ends the old one; turning it off ends the new one.
    let page = fay
        .submit("/account/calendar", "/account/calendar", &[])
        .await;
    assert!(!page.body.contains(path));
    assert_eq!(anyone.get(path).await.status, StatusCode::NOT_FOUND);
    let at = page.body.find(marker).unwrap() + marker.len();
    let address = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let new_path = address[address.find("/calendar/").unwrap()..].to_owned();
    assert_eq!(anyone.get(&new_path).await.status, StatusCode::OK);
    fay.submit("/account/calendar", "/account/calendar/off", &[])
        .await
        .assert_redirects_to("/account/calendar?notice=calendar-off");
    assert_eq!(anyone.get(&new_path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reminder_reaches_those_with_a_place_once_and_not_in_their_quiet_hours() {
    let catcher = Catcher::start().await;
    let url = catcher.url.clone();
    let app = TestApp::spawn_with(move |s| {
        s.mail_url = Some(url);
        s.mail_from = Some("Hearth <hearth@example.org>".into());
        s.limits.reminder_check_secs = 1;
    })
    .await;
    let (admin, _) = group_with(&app, "reminder_admin", &[]).await;
    let now = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let hour = i64::from(now.hour());
    let mut members = Vec::new();
    for (handle, email, quiet) in [
        ("awake_one", "awake@example.org", None),
        (
            "asleep_one",
            "asleep@example.org",
            Some((hour, (hour + 2) % 24)),
        ),
    ] {
        app.register_with_email(handle, email).await;
        let api = app.api(&app.api_login(handle, PASSWORD).await);
        let (status, v) = api
            .patch(
                "/api/v1/me",
                json!({"time_zone": "UTC",
                       "quiet_hours": quiet.map(|(from, to)| json!({"from": from, "to": to}))}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["quiet_from"], json!(quiet.map(|q| q.0)));
        let (status, _) = api
            .post("/api/v1/groups/open-door/membership", json!({}))
            .await;
        assert!(status.is_success(), "{status}");
        members.push(api);
    }

    // A session ten minutes from now, whose title and group say private things.
    let start = (now + jiff::Span::new().minutes(10))
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let page = admin
        .submit(
            "/groups/open-door/sessions/new",
            "/groups/open-door/sessions",
            &[
                ("title", "Secret circle"),
                ("start", &start),
                ("time_zone", "UTC"),
                ("minutes", "60"),
                ("recurrence", "once"),
                ("capacity", "10"),
                ("format", "audio"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    let list = members[0]
        .get_json("/api/v1/groups/open-door/sessions")
        .await;
    let id = list["sessions"][0]["id"].as_i64().unwrap();
    let date = list["dates"][0]["date"].as_str().unwrap().to_owned();
    for m in &members {
        let (status, _) = m
            .put(
                &format!("/api/v1/groups/open-door/sessions/{id}/dates/{date}/attendance"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }

    let caught = catcher.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(caught.len(), 1, "one e-mail");
    let mail = &caught[0];
    assert_eq!(mail.to, ["awake@example.org"]);
    assert!(mail.subject.contains("live session"), "{}", mail.subject);
    assert!(
        mail.body.contains(&format!("/sessions/{id}")),
        "{}",
        mail.body
    );
    for private in ["Secret circle", "Open Door", "open-door"] {
        assert!(!mail.body.contains(private) && !mail.subject.contains(private));
    }
    // Both are told in the app, the one in quiet hours too.
    for m in &members {
        let mut kinds = Vec::new();
        for _ in 0..100 {
            let told = m.get_json("/api/v1/notifications").await;
            kinds = told["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["kind"].as_str().unwrap_or("").to_owned())
                .collect();
            if kinds.iter().any(|k| k == "session-reminder") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(
            kinds.iter().filter(|k| *k == "session-reminder").count(),
            1,
            "{kinds:?}"
        );
    }
    // Later passes send nothing again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(catcher.caught().len(), 1);
    // The e-mail's link leads a member to the session's page.
    let b = app.browser();
    b.login("awake_one", PASSWORD).await;
    b.get(&format!("/sessions/{id}"))
        .await
        .assert_redirects_to(&format!("/groups/open-door/sessions/{id}"));
}

#[tokio::test]
async fn more_places_go_to_those_waiting_and_fewer_take_none_away() {
    let app = TestApp::spawn().await;
    let (admin, m) = group_with(&app, "sessions_admin6", &["gil", "hal", "ivy", "joy"]).await;
    let path = schedule(&admin, "2").await;
    let date = m[0].get(&path).await.hidden("date");
    for b in &m {
        let page = b
            .submit(&path, &format!("{path}/attend"), &[("date", &date)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let edit = format!("{path}/edit");
    assert_eq!(m[0].get(&edit).await.status, StatusCode::FORBIDDEN);
    let form = admin.get(&edit).await;
    assert!(
        form.body.contains("value=\"Evening circle\""),
        "{}",
        form.body
    );

    // A last date before the first, and too few places, are explained.
    let page = admin
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Evening circle"),
                ("capacity", "1"),
                ("format", "audio"),
                ("until", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = page.text();
    assert!(text.contains("The last date cannot come before the first."));
    assert!(text.contains("Enter a number of places from 2 to 100."));

    // Three places: Ivy, who waited first, has one and is told.
    admin
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Evening circle, renamed"),
                ("description", ""),
                ("capacity", "3"),
                ("format", "video"),
                ("until", ""),
            ],
        )
        .await
        .assert_redirects_to(&format!("{path}?notice=session-changed"));
    let home = m[2].get("/").await.text();
    assert!(home.contains("Your coming live sessions"), "{home}");
    assert!(
        home.contains("Evening circle, renamed (Open Door)") && home.contains("You are coming.")
    );
    let ivy = m[2].get(&path).await.text();
    assert!(ivy.contains("You are coming.") && ivy.contains("Evening circle, renamed"));
    assert!(ivy.contains("Video (cameras optional)"));
    assert!(
        m[2].get("/notifications")
            .await
            .text()
            .contains("A place opened for you at Evening circle, renamed")
    );
    let joy = m[3].get(&path).await.text();
    assert!(
        joy.contains("You are number 1 on the waiting list."),
        "{joy}"
    );

    // Two places again: nobody loses theirs.
    admin
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Evening circle, renamed"),
                ("capacity", "2"),
                ("format", "video"),
            ],
        )
        .await
        .assert_redirects_to(&format!("{path}?notice=session-changed"));
    for b in &m[..3] {
        assert!(b.get(&path).await.text().contains("You are coming."));
    }
    assert!(
        m[3].get(&path)
            .await
            .text()
            .contains("Full: 3 coming, 1 waiting")
    );
}

/// A session's words go through the crisis detector like every other write:
/// the writer sees crisis lines where they are, and moderators get an alert.
#[tokio::test]
async fn risky_words_in_a_session_bring_the_crisis_lines_and_an_alert() {
    let app = TestApp::spawn().await;
    let (admin, _) = group_with(&app, "sessions_admin7", &[]).await;
    let page = admin
        .submit(
            "/groups/open-door/sessions/new",
            "/groups/open-door/sessions",
            &[
                ("title", "Last circle"),
                (
                    "description",
                    "I have the pills ready and I am going to kill myself tonight.",
                ),
                ("start", "2026-10-20T19:00"),
                ("time_zone", "UTC"),
                ("minutes", "60"),
                ("recurrence", "weekly"),
                ("capacity", "10"),
                ("format", "text"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let to = page.headers["location"].to_str().unwrap().to_owned();
    assert!(to.ends_with("?crisis=1#crisis-panel"), "{to}");
    let shown = admin.get(to.trim_end_matches("#crisis-panel")).await.text();
    assert!(
        shown.contains("988"),
        "the writer sees the crisis lines: {shown}"
    );
    assert!(
        shown.contains("Last circle"),
        "the session is scheduled all the same"
    );

    let moderator = app.staff("sessions_moderator", "moderator").await;
    let queue = moderator.get("/moderation/alerts").await.text();
    assert!(queue.contains("Crisis alerts (1 open)"), "{queue}");
}
