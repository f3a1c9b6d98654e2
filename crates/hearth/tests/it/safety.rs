//! Crisis response and alerts: the writer sees crisis lines at once and
//! nothing is held back; moderators get a prioritised, live alert, and
//! acknowledge and resolve it; every step is in the audit log.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{Browser, PASSWORD, TestApp, live_socket, next_of};

const IMMINENT: &str =
    "I have the pills saved and I'm taking all of them tonight. Goodbye everyone.";
const IDEATION: &str = "Honestly I don't want to be alive anymore.";

/// An admin's open group with a member (browser) who joined it, and a
/// moderator (browser).
async fn setup(app: &TestApp) -> (Browser, Browser) {
    let admin = app.staff("safety_admin", "admin").await;
    admin.create_group("Open Door", &[]).await;
    let m = app.member("river").await;
    m.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await
        .assert_redirects_to("/groups/open-door?notice=joined");
    let moderator = app.staff("mod_maya", "moderator").await;
    (m, moderator)
}

/// A new member who has joined the group (through the API): their token.
async fn joined_member(app: &TestApp, handle: &str) -> String {
    let token = app.api_member(handle).await;
    let (status, _) = app
        .api(&token)
        .call("POST", "/api/v1/groups/open-door/membership", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    token
}

/// The group's first chat room, as `token` lists it.
async fn chat_room(app: &TestApp, token: &str) -> i64 {
    let rooms: Value = app
        .api(token)
        .get_json("/api/v1/groups/open-door/rooms")
        .await;
    rooms[0]["id"].as_i64().unwrap()
}

async fn api_alerts(app: &TestApp, token: &str, resolved: bool) -> (StatusCode, Value) {
    app.api(token)
        .get(&format!("/api/v1/moderation/alerts?resolved={resolved}"))
        .await
}

#[tokio::test]
async fn a_risky_thread_is_posted_and_its_writer_sees_crisis_lines_at_once() {
    let app = TestApp::spawn().await;
    let (m, moderator) = setup(&app).await;
    let page = m
        .submit(
            "/groups/open-door/threads/new",
            "/groups/open-door/threads",
            &[
                ("title", "I can't anymore"),
                ("body", IMMINENT),
                ("accept_guidelines", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location().to_owned();
    assert!(location.ends_with("?crisis=1#crisis-panel"), "{location}");
    // Nothing held back: the thread is there, with the words as written.
    assert_eq!(app.count("threads").await, 1);
    let thread = m.get(location.split('#').next().unwrap()).await;
    assert_eq!(thread.status, StatusCode::OK);
    let text = thread.text();
    assert!(
        text.contains("You don't have to go through this alone"),
        "{text}"
    );
    assert!(text.contains("988"), "the US lines are shown: {text}");
    assert!(thread.body.contains("href=\"/help\""));
    assert!(text.contains("taking all of them tonight"));

    // One alert, imminent, with the evidence, for moderators only.
    assert_eq!(app.count("crisis_alerts").await, 1);
    let member_token = app.api_login("river", PASSWORD).await;
    let (status, _) = api_alerts(&app, &member_token, false).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        m.get("/moderation/alerts").await.status,
        StatusCode::FORBIDDEN
    );
    let mod_token = app.api_login("mod_maya", PASSWORD).await;
    let (status, alerts) = api_alerts(&app, &mod_token, false).await;
    assert_eq!(status, StatusCode::OK);
    let a = &alerts[0];
    assert_eq!(a["level"], "imminent");
    assert_eq!(a["writer"], "river");
    assert_eq!(a["group"], "Open Door");
    assert_eq!(a["status"], "open");
    assert_eq!(a["source_kind"], "thread");
    let words: Vec<&str> = a["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["effect"] == "counted")
        .map(|e| e["words"].as_str().unwrap())
        .collect();
    assert!(words.contains(&"tonight"), "{words:?}");

    // The header shows the moderator one open alert; the queue shows why.
    let queue = moderator.get("/moderation/alerts").await;
    assert_eq!(queue.status, StatusCode::OK);
    let text = queue.text();
    assert!(text.contains("Crisis alerts (1 open)"), "{text}");
    assert!(
        text.contains("Imminent") && text.contains("river"),
        "{text}"
    );
    assert!(text.contains("Why this alert"));
    // The evidence is sealed at rest: the member's words are not in the row.
    let sealed: Vec<u8> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT evidence FROM crisis_alerts"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert!(!String::from_utf8_lossy(&sealed).contains("tonight"));
}

#[tokio::test]
async fn safe_and_idiomatic_posts_raise_nothing() {
    let app = TestApp::spawn().await;
    let (m, _) = setup(&app).await;
    let page = m
        .submit(
            "/groups/open-door/threads/new",
            "/groups/open-door/threads",
            &[
                ("title", "Monday"),
                ("body", "This commute is killing me, and I'd die for a nap."),
                ("accept_guidelines", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().contains("notice=thread-posted"));
    assert_eq!(app.count("crisis_alerts").await, 0);
}

#[tokio::test]
async fn the_api_returns_crisis_lines_and_repeated_risk_joins_one_alert() {
    let app = TestApp::spawn().await;
    let (_, _) = setup(&app).await;
    let river = app.api(&app.api_login("river", PASSWORD).await);
    let (status, created) = river
        .post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Tired", "body": IDEATION, "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let thread = created["id"].as_i64().unwrap();
    assert_eq!(created["crisis"]["level"], "ideation");
    assert!(
        !created["crisis"]["region"]["lines"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(created["crisis"]["help_url"], "/help");

    // A safe reply has no crisis field.
    let posts = format!("/api/v1/groups/open-door/threads/{thread}/posts");
    let (status, v) = river
        .post(&posts, json!({"body": "Thanks for listening."}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(v.get("crisis").is_none(), "{v}");

    // A risky reply joins the open alert and raises its level.
    let (_, v) = river.post(&posts, json!({"body": IMMINENT})).await;
    assert_eq!(v["crisis"]["level"], "imminent");
    assert_eq!(app.count("crisis_alerts").await, 1);
    let mod_token = app.api_login("mod_maya", PASSWORD).await;
    let (_, alerts) = api_alerts(&app, &mod_token, false).await;
    assert_eq!(alerts[0]["count"], 2);
    assert_eq!(alerts[0]["level"], "imminent");
    assert_eq!(alerts[0]["source_kind"], "reply");

    // Editing a post into risk is screened too.
    let post = format!(
        "/api/v1/groups/open-door/posts/{}",
        v["id"].as_i64().unwrap()
    );
    let (status, v) = river
        .patch(&post, json!({"body": "I want to kill myself."}))
        .await;
    assert_eq!(status, StatusCode::OK);
    // The rules read ideation; the model may read it as nearer.
    assert!(
        matches!(v["crisis"]["level"].as_str(), Some("ideation" | "imminent")),
        "{v}"
    );
    let (status, _) = river
        .patch(&post, json!({"body": "Feeling a little better now."}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn moderators_acknowledge_and_resolve_and_each_step_is_audited() {
    let app = TestApp::spawn().await;
    let (m, moderator) = setup(&app).await;
    m.submit(
        "/groups/open-door/threads/new",
        "/groups/open-door/threads",
        &[
            ("title", "Help"),
            ("body", IMMINENT),
            ("accept_guidelines", "on"),
        ],
    )
    .await;
    let mod_token = app.api_login("mod_maya", PASSWORD).await;
    let (_, alerts) = api_alerts(&app, &mod_token, false).await;
    let id = alerts[0]["id"].as_i64().unwrap();
    let acknowledged = app
        .metric("hearth_crisis_alert_acknowledge_seconds_count")
        .await;

    // Members cannot act on alerts.
    let member_token = app.api_login("river", PASSWORD).await;
    let (status, _) = app
        .api(&member_token)
        .call(
            "POST",
            &format!("/api/v1/moderation/alerts/{id}/acknowledge"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The form, without JavaScript.
    let page = moderator
        .submit(
            "/moderation/alerts",
            &format!("/moderation/alerts/{id}/acknowledge"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let queue = moderator.get("/moderation/alerts").await.text();
    assert!(queue.contains("Acknowledged by mod_maya"), "{queue}");

    // Resolving needs an outcome.
    let page = moderator
        .submit(
            "/moderation/alerts",
            &format!("/moderation/alerts/{id}/resolve"),
            &[("outcome", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, v) = app
        .api(&mod_token)
        .post(
            &format!("/api/v1/moderation/alerts/{id}/resolve"),
            json!({"outcome": "Messaged River, who called the lifeline and is safe with a friend."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "resolved");
    assert!(
        app.metric("hearth_crisis_alert_acknowledge_seconds_count")
            .await
            >= acknowledged + 1.0,
        "the time to acknowledge is measured"
    );
    assert_eq!(v["acknowledged_by"], "mod_maya");
    assert_eq!(v["resolved_by"], "mod_maya");
    let (_, open) = api_alerts(&app, &mod_token, false).await;
    assert_eq!(open.as_array().unwrap().len(), 0);
    let (_, resolved) = api_alerts(&app, &mod_token, true).await;
    assert_eq!(resolved[0]["id"], id);

    // Time to acknowledge is tracked.
    let stats: Value = app
        .api(&mod_token)
        .get_json("/api/v1/moderation/stats")
        .await;
    assert_eq!(stats["open"], 0);
    assert_eq!(stats["last_7_days"]["raised"], 1);
    assert_eq!(stats["last_7_days"]["acknowledged"], 1);
    assert!(stats["last_7_days"]["median_seconds"].as_i64().unwrap() >= 0);
    let dashboard = moderator.get("/moderation").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.text().contains("Last 7 days"));

    // Two audited actions, one row each, chained; admins read and verify.
    assert_eq!(
        app.audited_actions().await,
        ["alert.acknowledge", "alert.resolve"]
    );
    let rows = app.count("audit_log").await;
    assert_eq!(
        moderator.get("/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
    let admin_token = app.api_login("safety_admin", PASSWORD).await;
    let verdict: Value = app
        .api(&admin_token)
        .get_json("/api/v1/admin/audit/verify")
        .await;
    // Logging in is audited too: one row more.
    assert_eq!(
        verdict,
        json!({"rows": rows + 1, "broken_at": null, "problem": null})
    );
    let admin = app.browser();
    admin.login("safety_admin", PASSWORD).await;
    let log = admin.get("/admin/audit").await.text();
    assert!(
        log.contains("alert.acknowledge") && log.contains("alert.resolve"),
        "{log}"
    );
    assert!(log.contains("intact"), "{log}");
    // No content in the log: the outcome note stays with the alert.
    assert!(!log.contains("lifeline"));

    // Tampering with a row is detected.
    hearth::on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE audit_log SET action = 'alert.dismiss' WHERE seq = 1"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let verdict: Value = app
        .api(&admin_token)
        .get_json("/api/v1/admin/audit/verify")
        .await;
    assert_eq!(verdict["broken_at"], 1);
}

#[tokio::test]
async fn in_chat_only_the_writer_gets_crisis_lines_and_moderators_get_a_live_alert() {
    let app = TestApp::spawn().await;
    let (_, _) = setup(&app).await;
    let friend = joined_member(&app, "friend").await;
    let token = app.api_login("river", PASSWORD).await;
    let room = chat_room(&app, &token).await;

    let mod_token = app.api_login("mod_maya", PASSWORD).await;
    let mut moderator = live_socket(&app, &mod_token).await;
    let mut writer = live_socket(&app, &token).await;
    let mut other = live_socket(&app, &friend).await;
    for ws in [&mut writer, &mut other] {
        ws.send(Message::Text(
            json!({"type": "subscribe", "room": room})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
        next_of(ws, "subscribed").await;
    }
    writer
        .send(Message::Text(
            json!({"type": "send", "room": room, "client_id": "c1", "body": IMMINENT})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let ack = next_of(&mut writer, "ack").await;
    assert_eq!(ack["seq"], 1);
    let crisis = next_of(&mut writer, "crisis").await;
    assert_eq!(crisis["client_id"], "c1");
    assert_eq!(crisis["level"], "imminent");
    assert!(!crisis["lines"].as_array().unwrap().is_empty());
    assert_eq!(crisis["help_url"], "/help");

    // The other member gets the message as written, and no crisis frame.
    let msg = next_of(&mut other, "message").await;
    assert_eq!(msg["body"], IMMINENT);
    other
        .send(Message::Text(
            json!({"type": "send", "room": room, "client_id": "f1", "body": "I'm here with you."})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), other.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            assert_ne!(v["type"], "crisis");
            if v["type"] == "ack" {
                break;
            }
        }
    }

    // The moderator, online, hears of it at once.
    let alert = next_of(&mut moderator, "alert").await;
    assert_eq!(alert["level"], "imminent");
    assert_eq!(alert["open"], 1);
    assert!(
        alert["url"]
            .as_str()
            .unwrap()
            .starts_with("/moderation/alerts#alert-")
    );
    let (_, alerts) = api_alerts(&app, &mod_token, false).await;
    assert_eq!(alerts[0]["source_kind"], "chat_message");
    assert!(
        alerts[0]["source_url"]
            .as_str()
            .unwrap()
            .ends_with("/chat/chat#m1"),
        "{}",
        alerts[0]["source_url"]
    );
}

/// T19: on a chained log, each of 1,000 random single-row tamperings (an
/// edited field, a deleted row, two rows swapped, a forged hash) is found
/// by `verify`; the log is put back after each and verifies again.
#[tokio::test]
async fn the_audit_chain_detects_a_thousand_random_tamperings() {
    use hearth::safety::audit;
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    const ROWS: i64 = 200;
    for i in 0..ROWS {
        audit::append(
            db,
            &audit::Entry {
                actor_id: Some(1 + i % 3),
                action: if i % 2 == 0 {
                    audit::Action::AlertAcknowledge
                } else {
                    audit::Action::AlertResolve
                },
                object_kind: audit::ObjectKind::CrisisAlert,
                object_id: i,
                reason: "",
            },
        )
        .await
        .unwrap();
    }
    let intact = audit::verify(db).await.unwrap();
    assert_eq!(intact.rows, ROWS);
    assert_eq!(intact.broken_at, None);

    async fn exec(app: &TestApp, sql: &str, a: i64, b: i64) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        hearth::on_db!(&app.state.db, |pool| sqlx::query(sql)
            .bind(a)
            .bind(b)
            .execute(pool)
            .await
            .map(|_| ())
            .unwrap());
    }
    let mut found = 0;
    // A small fixed-seed generator: the same rows are chosen on every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for t in 0..1000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let seq = 1 + (x % ROWS as u64) as i64;
        let original = audit::for_object(db, audit::ObjectKind::CrisisAlert, seq - 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(original.seq, seq);
        match t % 5 {
            0 => {
                exec(
                    &app,
                    "UPDATE audit_log SET object_id = object_id + $1 WHERE seq = $2",
                    1,
                    seq,
                )
                .await
            }
            1 => {
                exec(
                    &app,
                    "UPDATE audit_log SET at = at + $1 WHERE seq = $2",
                    1,
                    seq,
                )
                .await
            }
            2 => {
                exec(
                    &app,
                    "UPDATE audit_log SET actor_id = $1 WHERE seq = $2",
                    99,
                    seq,
                )
                .await
            }
            3 => {
                exec(
                    &app,
                    "DELETE FROM audit_log WHERE seq = $1 AND $2 = $2",
                    seq,
                    0,
                )
                .await
            }
            _ => {
                // Swap with a neighbour (a reordering).
                let other = if seq == ROWS { seq - 1 } else { seq + 1 };
                exec(
                    &app,
                    "UPDATE audit_log SET seq = -$1 WHERE seq = $2",
                    seq,
                    seq,
                )
                .await;
                exec(
                    &app,
                    "UPDATE audit_log SET seq = $1 WHERE seq = $2",
                    seq,
                    other,
                )
                .await;
                exec(
                    &app,
                    "UPDATE audit_log SET seq = $1 WHERE seq = -$2",
                    other,
                    seq,
                )
                .await;
            }
        }
        let verdict = audit::verify(db).await.unwrap();
        if verdict.broken_at.is_some() {
            found += 1;
        }
        // Put it back exactly.
        match t % 5 {
            0 => {
                exec(
                    &app,
                    "UPDATE audit_log SET object_id = object_id - $1 WHERE seq = $2",
                    1,
                    seq,
                )
                .await
            }
            1 => {
                exec(
                    &app,
                    "UPDATE audit_log SET at = at - $1 WHERE seq = $2",
                    1,
                    seq,
                )
                .await
            }
            2 => {
                exec(
                    &app,
                    "UPDATE audit_log SET actor_id = $1 WHERE seq = $2",
                    original.actor_id.unwrap(),
                    seq,
                )
                .await
            }
            3 => {
                let o = &original;
                hearth::on_db!(db, |pool| {
                    sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor_id, action, object_kind, object_id, reason, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                )
                .bind(o.seq)
                .bind(o.at)
                .bind(o.actor_id)
                .bind(&o.action)
                .bind(&o.object_kind)
                .bind(o.object_id)
                .bind(&o.reason)
                .bind(&o.prev_hash)
                .bind(&o.hash)
                .execute(pool)
                .await
                .map(|_| ())
                .unwrap()
                });
            }
            _ => {
                let other = if seq == ROWS { seq - 1 } else { seq + 1 };
                exec(
                    &app,
                    "UPDATE audit_log SET seq = -$1 WHERE seq = $2",
                    seq,
                    seq,
                )
                .await;
                exec(
                    &app,
                    "UPDATE audit_log SET seq = $1 WHERE seq = $2",
                    seq,
                    other,
                )
                .await;
                exec(
                    &app,
                    "UPDATE audit_log SET seq = $1 WHERE seq = -$2",
                    other,
                    seq,
                )
                .await;
            }
        }
        assert_eq!(
            audit::verify(db).await.unwrap().broken_at,
            None,
            "tampering {t} was not undone"
        );
    }
    assert_eq!(found, 1000, "tamperings found");
}

/// T19: each authentication event and privileged read writes exactly one
/// row, with no content, no handle typed and no address.
#[tokio::test]
async fn auth_events_and_privileged_reads_are_audited_once_each_without_content() {
    let app = TestApp::spawn().await;
    let rows = |action: &'static str| {
        let db = app.state.db.clone();
        async move {
            let found: Vec<(Option<i64>, i64, String)> = hearth::on_db!(&db, |pool| {
                sqlx::query_as(
                    "SELECT actor_id, object_id, reason FROM audit_log WHERE action = $1 ORDER BY seq",
                )
                .bind(action)
                .fetch_all(pool)
                .await
                .unwrap()
            });
            found
        }
    };
    let member = app.member("audited_one").await;
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'audited_one'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    // Registering logs the new member in: one login row.
    assert_eq!(
        rows("auth.login").await.len(),
        0,
        "registration is not a log-in"
    );
    member.submit("/account", "/logout", &[]).await;
    let logouts = rows("auth.logout").await;
    assert_eq!(logouts.len(), 1, "{logouts:?}");
    assert_eq!(logouts[0].0, Some(id));

    let b = app.browser();
    b.login("audited_one", "not the password at all").await;
    b.login("nobody_by_this_name", "what a secret password")
        .await;
    assert_eq!(
        rows("auth.login_failed").await,
        [(None, id, String::new()), (None, 0, String::new())],
        "a failure names the account if it exists, and never what was typed"
    );
    b.login("audited_one", PASSWORD).await;
    assert_eq!(rows("auth.login").await, [(Some(id), id, String::new())]);

    // A moderator opening a case is a privileged read.
    let moderator = app.staff("audit_mod", "moderator").await;
    let report: i64 = hearth::on_db!(&app.state.db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO reports (reporter_id, target_kind, target_id, target_account_id, group_id, reason, details, created_at) \
         VALUES ($1, 'member', $1, $1, NULL, 'spam', 'secret details', 0) RETURNING id"
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap()
    });
    let case = moderator
        .get(&format!("/moderation/reports/{report}"))
        .await;
    assert_eq!(case.status, StatusCode::OK);
    let views = rows("report.view").await;
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].1, report);

    // Erasure.
    b.submit(
        "/account",
        "/account/delete",
        &[("password", PASSWORD), ("confirm", "yes")],
    )
    .await;
    assert_eq!(rows("account.erase").await, [(Some(id), id, String::new())]);

    // Nothing typed, and no address, anywhere in the log.
    let all: Vec<String> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT action || ' ' || object_kind || ' ' || reason FROM audit_log"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    let text = all.join("\n");
    for secret in [
        "nobody_by_this_name",
        "not the password",
        "secret details",
        "127.0.0.1",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// T19: rows past their retention are purged (the cut-off is the injected
/// clock), and the rest of the chain still verifies and still catches a
/// tampering.
#[tokio::test]
async fn purging_old_audit_rows_keeps_the_rest_of_the_chain_verifiable() {
    let app = TestApp::spawn().await;
    for i in 0..10 {
        hearth::safety::audit::append(
            &app.state.db,
            &hearth::safety::audit::Entry {
                actor_id: Some(1),
                action: hearth::safety::audit::Action::FilterAdd,
                object_kind: hearth::safety::audit::ObjectKind::WordFilter,
                object_id: i,
                reason: "",
            },
        )
        .await
        .unwrap();
    }
    let fifth: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT at FROM audit_log WHERE seq = 5"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    // Rows at the same millisecond as the fifth may go with it.
    let purged = hearth::safety::audit::purge(&app.state.db, fifth + 1)
        .await
        .unwrap();
    assert!(purged >= 5, "{purged}");
    let left = app.count("audit_log").await;
    // The purge is itself a row of the chain.
    assert_eq!(left, 11 - i64::try_from(purged).unwrap());
    assert_eq!(
        app.audited_actions().await.last().map(String::as_str),
        Some("audit.purge")
    );
    let v = hearth::safety::audit::verify(&app.state.db).await.unwrap();
    assert_eq!(v.broken_at, None, "{v:?}");
    assert_eq!(v.rows, 11, "rows are numbered on from the purged ones");
    assert_eq!(
        hearth::safety::audit::purge(&app.state.db, 0)
            .await
            .unwrap(),
        0,
        "nothing older is left"
    );

    // The purge's own row is always left: tampering with it is found.
    hearth::on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE audit_log SET object_id = 99 WHERE seq = (SELECT MAX(seq) FROM audit_log)"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let v = hearth::safety::audit::verify(&app.state.db).await.unwrap();
    assert!(v.broken_at.is_some(), "{v:?}");
}

/// The composer's gentle offer: a draft with words of risk gets the offer;
/// an ordinary one does not; nothing is raised or kept.
#[tokio::test]
async fn a_draft_that_suggests_danger_is_offered_help_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let drafter = app.api(&app.api_member("drafting").await);
    let check = |text: String| drafter.post("/api/v1/crisis/check", json!({ "text": text }));
    let (status, v) = check(IDEATION.into()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({"offer": true}));
    let (_, v) = check("Made soup tonight; it was nice.".into()).await;
    assert_eq!(v, json!({"offer": false}));
    let (status, _) = check("x".repeat(20_001)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("crisis_alerts").await,
        0,
        "a draft raises nothing"
    );
    let anonymous = app
        .http()
        .post(app.url("/api/v1/crisis/check"))
        .json(&json!({"text": IDEATION}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

/// A chat line is read with the writer's own earlier lines there: "tonight"
/// after despair is a time chosen (imminent), after ordinary chat it is
/// nothing. The lines come for the region the browser asks for (es-MX), as
/// on pages, with the page's own panel.
#[tokio::test]
async fn a_chat_line_is_read_with_the_writers_earlier_lines_and_the_browsers_region() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::spawn().await;
    let (_, _) = setup(&app).await;
    let token = app.api_login("river", PASSWORD).await;
    let other = joined_member(&app, "calm_lake").await;
    let room = chat_room(&app, &token).await;
    let socket = |token: String| {
        let url = format!("{}/live", app.base.replacen("http://", "ws://", 1));
        async move {
            let mut req = url.into_client_request().unwrap();
            let h = req.headers_mut();
            h.insert("authorization", format!("Bearer {token}").parse().unwrap());
            h.insert("accept-language", "es-MX,es;q=0.9".parse().unwrap());
            tokio_tungstenite::connect_async(req).await.unwrap().0
        }
    };
    /// Sends `body`; returns the crisis frame that came for it, if any
    /// (frames come in order: a crisis frame before the next line's ack).
    async fn say(ws: &mut crate::helpers::Ws, room: i64, id: &str, body: &str) -> Option<Value> {
        for (cid, text) in [(id.to_owned(), body), (format!("{id}-after"), "ok")] {
            ws.send(Message::Text(
                json!({"type": "send", "room": room, "client_id": cid, "body": text})
                    .to_string()
                    .into(),
            ))
            .await
            .unwrap();
        }
        let mut crisis = None;
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            if let Message::Text(t) = msg {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == "crisis" && v["client_id"] == id {
                    crisis = Some(v);
                } else if v["type"] == "ack" && v["client_id"] == format!("{id}-after") {
                    return crisis;
                }
            }
        }
    }
    let mut writer = socket(token).await;
    let mut calm = socket(other).await;
    for ws in [&mut writer, &mut calm] {
        ws.send(Message::Text(
            json!({"type": "subscribe", "room": room})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
        next_of(ws, "subscribed").await;
    }

    // Ordinary chat, then "tonight": nothing.
    assert!(
        say(&mut calm, room, "c1", "anyone up for the quiz later?")
            .await
            .is_none()
    );
    assert!(say(&mut calm, room, "c2", "tonight").await.is_none());

    // Despair, then "tonight": imminent, with Mexico's lines.
    say(&mut writer, room, "w1", "i cant do this anymore").await;
    say(
        &mut writer,
        room,
        "w2",
        "nothing is ever going to get better and everyone would be better off without me",
    )
    .await;
    let crisis = say(&mut writer, room, "w3", "tonight")
        .await
        .expect("a crisis frame for the writer");
    assert_eq!(crisis["level"], "imminent", "{crisis}");
    // The account speaks English; the browser gives the region.
    assert_eq!(crisis["region"], "Mexico", "{crisis}");
    let html = crisis["html"].as_str().unwrap();
    assert!(html.contains("Línea de la Vida"), "{html}");
    assert!(html.contains("id=\"crisis-panel\""), "{html}");
}

/// Erased words leave the database file too (SQLite: `secure_delete`, and
/// a checkpoint that truncates the write-ahead log after an erasure): a
/// post edited then deleted, and a chat message edited then deleted, are
/// found nowhere in `hearth.db` or `hearth.db-wal`.
#[tokio::test]
async fn erased_words_leave_no_trace_in_the_database_files() {
    if TestApp::on_postgres() {
        eprintln!("SKIPPED: the files checked are SQLite's; PostgreSQL keeps its own");
        return;
    }
    let app = TestApp::spawn().await;
    let (_, _) = setup(&app).await;
    let token = app.api_login("river", PASSWORD).await;
    let river = app.api(&token);
    let (status, thread) = river
        .post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Plain title", "body": "lighthouse-5520 still here", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, reply) = river
        .post(
            &format!("/api/v1/groups/open-door/threads/{}/posts", thread["id"]),
            json!({"body": "zebrafinch-7731 first reply"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let post = format!(
        "/api/v1/groups/open-door/posts/{}",
        reply["id"].as_i64().unwrap()
    );
    let (status, _) = river
        .patch(&post, json!({"body": "zebrafinch-7731 edited"}))
        .await;
    assert!(status.is_success(), "{status}");
    let (status, _) = river.delete(&post).await;
    assert!(status.is_success(), "{status}");

    // A chat message, edited, then deleted.
    let room = chat_room(&app, &token).await;
    let mut ws = live_socket(&app, &token).await;
    for frame in [
        json!({"type": "subscribe", "room": room}),
        json!({"type": "send", "room": room, "client_id": "q1", "body": "quokkabird-9931 said"}),
        json!({"type": "edit", "room": room, "target": 1, "client_id": "q2", "body": "quokkabird-9931 edited"}),
        json!({"type": "delete", "room": room, "target": 1, "client_id": "q3"}),
    ] {
        ws.send(Message::Text(frame.to_string().into()))
            .await
            .unwrap();
    }
    loop {
        let ack = next_of(&mut ws, "ack").await;
        if ack["client_id"] == "q3" {
            break;
        }
    }

    let dir = app.data_dir();
    let mut read = 0;
    for file in ["hearth.db", "hearth.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        read += bytes.len();
        for marker in ["zebrafinch-7731", "quokkabird-9931"] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "{marker:?} is still in {file}"
            );
        }
    }
    assert!(read > 0, "the database files were read");
    // The thread's own words (not deleted) are still there: the search
    // above could find words.
    let db = std::fs::read(dir.join("hearth.db")).unwrap_or_default();
    let wal = std::fs::read(dir.join("hearth.db-wal")).unwrap_or_default();
    let draft = b"lighthouse-5520 still here";
    assert!(
        db.windows(draft.len()).any(|w| w == draft) || wal.windows(draft.len()).any(|w| w == draft),
        "the search finds words that are still there"
    );
}

/// A moderator working down the alert list keeps their place: one they
/// acknowledge stays where it was, and a single alert reads as raised
/// once, not "1 times".
#[tokio::test]
async fn acknowledging_an_alert_leaves_the_list_in_its_order() {
    let app = TestApp::spawn().await;
    let (_, moderator) = setup(&app).await;
    for handle in ["first_writer", "second_writer"] {
        let token = joined_member(&app, handle).await;
        let (status, v) = app
            .api(&token)
            .post(
                "/api/v1/groups/open-door/threads",
                json!({"title": "Tonight", "body": IMMINENT, "accept_guidelines": true}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    let page = moderator.get("/moderation/alerts").await.text();
    let order = |page: &str| {
        let first = page.find("first_writer").expect("first alert listed");
        let second = page.find("second_writer").expect("second alert listed");
        first < second
    };
    assert!(order(&page), "oldest first: {page}");
    assert!(!page.contains("1 times"), "{page}");
    let mod_token = app.api_login("mod_maya", PASSWORD).await;
    let (_, alerts) = api_alerts(&app, &mod_token, false).await;
    let first = alerts[0]["id"].as_i64().unwrap();
    moderator
        .submit(
            "/moderation/alerts",
            &format!("/moderation/alerts/{first}/acknowledge"),
            &[],
        )
        .await;
    let page = moderator.get("/moderation/alerts").await.text();
    assert!(page.contains("Acknowledged by mod_maya"), "{page}");
    assert!(
        order(&page),
        "the acknowledged alert kept its place: {page}"
    );
}
