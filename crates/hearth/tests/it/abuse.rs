//! Abuse defences: admins' word filters (block, hold, flag) on posts and
//! chat, posts held for review (by a filter, or a group's first-post rule)
//! with approving and declining, and newcomers' wait between posts. None of
//! them ever stops someone asking for help.

use futures_util::SinkExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{Browser, PASSWORD, Scene, TestApp, live_socket, next_of};

const IMMINENT: &str =
    "I have the pills saved and I'm taking all of them tonight. Goodbye everyone.";

struct World {
    app: TestApp,
    http: reqwest::Client,
    admin: Browser,
    admin_token: String,
    moderator: String,
    writer: String,
    reader: String,
    thread: i64,
}

impl World {
    async fn new() -> World {
        Self::with(|_| {}).await
    }

    async fn with(configure: impl FnOnce(&mut hearth::config::Settings)) -> World {
        let app = TestApp::spawn_with(configure).await;
        let scene =
            Scene::open_group(&app, "filter_admin", "Open Door", &["writer", "reader"]).await;
        assert_eq!(scene.slug, "open-door");
        app.staff("filter_mod", "moderator").await;
        let created = scene
            .api(&app, "reader")
            .ok_post(
                "/api/v1/groups/open-door/threads",
                json!({"title": "Evenings", "body": "How do your evenings go?", "accept_guidelines": true}),
            )
            .await;
        World {
            http: app.http(),
            admin_token: app.api_login("filter_admin", PASSWORD).await,
            moderator: app.api_login("filter_mod", PASSWORD).await,
            writer: scene.tokens["writer"].clone(),
            reader: scene.tokens["reader"].clone(),
            admin: scene.admin,
            thread: created["id"].as_i64().unwrap(),
            app,
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        crate::helpers::api_call(&self.http, &self.app.url(path), method, token, body).await
    }

    async fn filter(&self, phrase: &str, action: &str) {
        let page = self
            .admin
            .submit(
                "/admin/filters",
                "/admin/filters",
                &[("phrase", phrase), ("action", action)],
            )
            .await;
        page.assert_redirects_to("/admin/filters?notice=filter-saved");
    }

    async fn reply(&self, token: &str, body: &str) -> (StatusCode, Value) {
        self.call(
            "POST",
            &format!("/api/v1/groups/open-door/threads/{}/posts", self.thread),
            token,
            Some(json!({"body": body, "accept_guidelines": true})),
        )
        .await
    }

    /// The bodies of the thread's posts as `token` reads them.
    async fn bodies(&self, token: &str) -> Vec<String> {
        let (status, v) = self
            .call(
                "GET",
                &format!("/api/v1/groups/open-door/threads/{}", self.thread),
                token,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["body"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn reports(&self) -> Vec<Value> {
        let (status, v) = self
            .call("GET", "/api/v1/moderation/reports", &self.moderator, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v.as_array().unwrap().clone()
    }

    async fn held(&self, token: &str) -> Vec<Value> {
        let (status, v) = self
            .call("GET", "/api/v1/moderation/held", token, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v.as_array().unwrap().clone()
    }

    async fn audit_actions(&self) -> Vec<String> {
        self.app.audited_actions().await
    }
}

#[tokio::test]
async fn word_filters_block_hold_and_flag_and_never_stop_someone_asking_for_help() {
    let w = World::new().await;
    w.filter("scamcoin", "block").await;
    w.filter("meetup*", "hold").await;
    w.filter("stupid", "flag").await;

    // Words people use to ask for help cannot be filtered.
    let refused = w
        .admin
        .submit(
            "/admin/filters",
            "/admin/filters",
            &[("phrase", "kill myself"), ("action", "block")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().contains("cannot be filtered"),
        "{}",
        refused.text()
    );
    let list = w.admin.get("/admin/filters").await.text();
    for phrase in ["scamcoin", "meetup*", "stupid"] {
        assert!(list.contains(phrase), "{list}");
    }
    assert!(!list.contains("kill myself"));

    // Block: however it is typed, nothing is posted, and the form keeps the text.
    let (status, v) = w.reply(&w.writer, "Get SCAMC0IN while it lasts").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("does not allow"),
        "{v}"
    );
    let writer_page = w.app.browser();
    writer_page.login("writer", PASSWORD).await;
    let thread_page = format!("/groups/open-door/threads/{}", w.thread);
    let page = writer_page
        .submit(
            &thread_page,
            &format!("{thread_page}/replies"),
            &[
                ("body", "Try ｓｃａｍｃｏｉｎ today"),
                ("accept_guidelines", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("does not allow"), "{}", page.text());
    assert!(
        page.body.contains("Try ｓｃａｍｃｏｉｎ today"),
        "the text stays"
    );
    assert_eq!(w.bodies(&w.reader).await.len(), 1);

    // Hold: the writer and reviewers see it; other members do not.
    let (status, v) = w.reply(&w.writer, "Anyone up for Meetups on Sunday?").await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["held"], true, "{v}");
    let held_id = v["id"].as_i64().unwrap();
    assert_eq!(
        w.bodies(&w.reader).await.len(),
        1,
        "held from other members"
    );
    assert!(
        w.bodies(&w.writer)
            .await
            .iter()
            .any(|b| b.contains("Meetups"))
    );
    let page = writer_page.get(&thread_page).await.text();
    assert!(page.contains("Waiting for review"), "{page}");
    let queue = w.held(&w.moderator).await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["post_id"], held_id);
    assert_eq!(
        queue[0]["reason"], "filter:meetup*",
        "reviewers see which word fired"
    );
    let queue_page = w.admin.get("/moderation/held").await.text();
    assert!(
        queue_page.contains("Held by a word filter: meetup*"),
        "{queue_page}"
    );
    assert!(queue_page.contains("Anyone up for Meetups on Sunday?"));

    // The writer cannot approve their own post; a reviewer can.
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/held/{held_id}/approve"),
            &w.writer,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let page = w
        .admin
        .submit(
            "/moderation/held",
            &format!("/moderation/held/{held_id}/approve"),
            &[],
        )
        .await;
    page.assert_redirects_to("/moderation/held?notice=post-approved");
    assert!(
        w.bodies(&w.reader)
            .await
            .iter()
            .any(|b| b.contains("Meetups"))
    );
    assert!(w.held(&w.moderator).await.is_empty());
    // The thread's author follows it and hears of the reply only now.
    let (_, notes) = w
        .call("GET", "/api/v1/notifications", &w.reader, None)
        .await;
    assert!(
        notes["notifications"]
            .as_array()
            .or(notes.as_array())
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "reply" && n["post_id"] == held_id),
        "{notes}"
    );

    // Flag: posted for everyone, and a report names the word.
    let (status, v) = w.reply(&w.writer, "That was a stupid thing to say.").await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["held"], false);
    assert!(
        w.bodies(&w.reader)
            .await
            .iter()
            .any(|b| b.contains("stupid"))
    );
    let reports = w.reports().await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["reason"], "filter");
    assert_eq!(reports[0]["details"], "stupid");

    // Someone asking for help is never blocked or held: the post is up,
    // they see crisis lines, an alert is raised, and the filter only flags.
    let text = format!("scamcoin meetups. {IMMINENT}");
    let (status, v) = w.reply(&w.writer, &text).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["held"], false, "{v}");
    assert_eq!(v["crisis"]["level"], "imminent", "{v}");
    assert!(w.bodies(&w.reader).await.contains(&text));
    let reports = w.reports().await;
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(
        reports.iter().any(|r| r["details"] == "scamcoin, meetup*"),
        "{reports:?}"
    );
    assert_eq!(w.app.count("crisis_alerts").await, 1);

    // Each filter change and review is audited, and the chain holds.
    let actions = w.audit_actions().await;
    assert_eq!(
        actions,
        ["filter.add", "filter.add", "filter.add", "post.approve"],
    );
    let (_, verdict) = w
        .call("GET", "/api/v1/admin/audit/verify", &w.admin_token, None)
        .await;
    assert!(verdict["rows"].as_i64().unwrap() > 4, "{verdict}");
    assert!(verdict["broken_at"].is_null(), "{verdict}");

    // Removing a filter takes effect at once on this node.
    let (_, filters) = w
        .call("GET", "/api/v1/admin/filters", &w.admin_token, None)
        .await;
    let block = filters
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["phrase"] == "scamcoin")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _) = w
        .call(
            "DELETE",
            &format!("/api/v1/admin/filters/{block}"),
            &w.admin_token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = w.reply(&w.writer, "scamcoin is fine now").await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn chat_word_filters_refuse_over_the_live_connection_and_flag_what_they_cannot_hold() {
    let w = World::new().await;
    w.filter("scamcoin", "block").await;
    w.filter("meetup*", "hold").await;
    let (_, rooms) = w
        .call("GET", "/api/v1/groups/open-door/rooms", &w.writer, None)
        .await;
    let room = rooms[0]["id"].as_i64().unwrap();
    let mut ws = live_socket(&w.app, &w.writer).await;
    let send = |client_id: &str, body: &str| {
        Message::Text(
            json!({"type": "send", "room": room, "client_id": client_id, "body": body})
                .to_string()
                .into(),
        )
    };
    ws.send(Message::Text(
        json!({"type": "subscribe", "room": room})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    next_of(&mut ws, "subscribed").await;

    ws.send(send("a1", "cheap sc4mcoin here")).await.unwrap();
    let error = next_of(&mut ws, "error").await;
    assert_eq!(error["code"], "filtered", "{error}");
    assert_eq!(error["client_id"], "a1");

    // Chat cannot wait for a reviewer: a `hold` word is sent and flagged.
    ws.send(send("a2", "meetups on friday?")).await.unwrap();
    let ack = next_of(&mut ws, "ack").await;
    assert_eq!(ack["client_id"], "a2", "{ack}");
    let reports = w.reports().await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["target_kind"], "message");
    assert_eq!(reports[0]["details"], "meetup*");

    // Asking for help goes through, whatever else it says.
    ws.send(send("a3", &format!("scamcoin. {IMMINENT}")))
        .await
        .unwrap();
    let ack = next_of(&mut ws, "ack").await;
    assert_eq!(ack["client_id"], "a3", "{ack}");
    next_of(&mut ws, "crisis").await;
}

#[tokio::test]
async fn a_group_can_hold_first_posts_and_a_declined_post_can_be_appealed() {
    let w = World::new().await;
    let (status, v) = w
        .call(
            "PUT",
            "/api/v1/groups/open-door/forum-settings",
            &w.admin_token,
            Some(json!({"allow_anonymous": false, "hold_first_posts": true})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    // The setting shows where facilitators change it: the group's settings.
    let page = w.admin.get("/groups/open-door/settings").await.text();
    assert!(page.contains("Hold each member"), "{page}");

    // The writer's first post here opens a thread nobody else sees yet.
    let (status, v) = w
        .call(
            "POST",
            "/api/v1/groups/open-door/threads",
            &w.writer,
            Some(
                json!({"title": "New here", "body": "Hello, I am new.", "accept_guidelines": true}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["held"], true);
    let thread = v["id"].as_i64().unwrap();
    let titles = |v: &Value| v.to_string().contains("New here");
    let (_, list) = w
        .call("GET", "/api/v1/groups/open-door/threads", &w.reader, None)
        .await;
    assert!(!titles(&list), "{list}");
    let (status, _) = w
        .call(
            "GET",
            &format!("/api/v1/groups/open-door/threads/{thread}"),
            &w.reader,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = w
        .call("GET", "/api/v1/groups/open-door/threads", &w.writer, None)
        .await;
    assert!(titles(&list), "the writer sees their own thread");
    let page = w.admin.get("/groups/open-door").await.text();
    assert!(
        page.contains("New here") && page.contains("Waiting for review"),
        "{page}"
    );

    // Approved: the thread is listed for everyone, and the writer's next
    // post is not held.
    let queue = w.held(&w.moderator).await;
    assert_eq!(queue[0]["reason"], "first_post");
    let post = queue[0]["post_id"].as_i64().unwrap();
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/held/{post}/approve"),
            &w.moderator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = w
        .call("GET", "/api/v1/groups/open-door/threads", &w.reader, None)
        .await;
    assert!(titles(&list), "{list}");
    let (_, v) = w.reply(&w.writer, "Thanks for having me.").await;
    assert_eq!(v["held"], false, "{v}");

    // Another newcomer's first post is declined with a reason; they see it
    // on their notices and appeal.
    let newcomer = w.app.api_member("newcomer").await;
    w.call(
        "POST",
        "/api/v1/groups/open-door/membership",
        &newcomer,
        None,
    )
    .await;
    let (_, v) = w.reply(&newcomer, "Buy my course at example.com").await;
    assert_eq!(v["held"], true, "{v}");
    let post = v["id"].as_i64().unwrap();
    let empty = w
        .admin
        .submit(
            "/moderation/held",
            &format!("/moderation/held/{post}/decline"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let page = w
        .admin
        .submit(
            "/moderation/held",
            &format!("/moderation/held/{post}/decline"),
            &[("reason", "Advertising is not allowed here.")],
        )
        .await;
    page.assert_redirects_to("/moderation/held?notice=post-declined");
    assert!(
        !w.bodies(&w.reader)
            .await
            .iter()
            .any(|b| b.contains("course"))
    );
    let (_, notices) = w
        .call("GET", "/api/v1/account/notices", &newcomer, None)
        .await;
    let notice = &notices.as_array().unwrap()[0];
    assert_eq!(notice["kind"], "hide", "{notices}");
    assert_eq!(notice["reason"], "Advertising is not allowed here.");
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{}/appeal", notice["id"]),
            &newcomer,
            Some(json!({"appeal": "It was a free resource, not an advert."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(w.audit_actions().await.contains(&"post.decline".to_owned()));

    // Asking for help in a first post is never held; staff are never held.
    let third = w.app.api_member("third").await;
    w.call("POST", "/api/v1/groups/open-door/membership", &third, None)
        .await;
    let (_, v) = w.reply(&third, IMMINENT).await;
    assert_eq!(v["held"], false, "{v}");
    assert_eq!(v["crisis"]["level"], "imminent");
    let (_, v) = w.reply(&w.moderator, "Welcome, everyone.").await;
    assert_eq!(v["held"], false, "{v}");
}

#[tokio::test]
async fn newcomers_wait_between_posts_unless_they_are_asking_for_help() {
    let w = World::with(|s| s.limits.newcomer_post_interval_secs = 30).await;
    let (status, v) = w.reply(&w.writer, "First reply.").await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = w.reply(&w.writer, "Second reply, straight away.").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v.to_string().contains("New members wait 30 seconds"),
        "the real wait: {v}"
    );

    // The page keeps what they wrote.
    let b = w.app.browser();
    b.login("writer", PASSWORD).await;
    let thread_page = format!("/groups/open-door/threads/{}", w.thread);
    let page = b
        .submit(
            &thread_page,
            &format!("{thread_page}/replies"),
            &[("body", "Typed with care.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Typed with care."));
    assert!(
        page.text().contains("New members wait 30 seconds"),
        "{}",
        page.text()
    );

    // Never for someone asking for help.
    let (status, v) = w.reply(&w.writer, IMMINENT).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");

    // Not once a reviewer has approved a post of theirs, nor for older
    // accounts, nor for staff.
    hearth::on_db!(&w.app.state.db, |pool| sqlx::query(
        "UPDATE accounts SET first_approved_at = 1 WHERE handle_key = 'writer'"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let (status, _) = w.reply(&w.writer, "Now at my own pace.").await;
    assert_eq!(status, StatusCode::CREATED);
    w.reply(&w.reader, "One.").await;
    hearth::on_db!(&w.app.state.db, |pool| sqlx::query(
        "UPDATE accounts SET created_at = created_at - 345600000 WHERE handle_key = 'reader'"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let reader = w.app.api_login("reader", PASSWORD).await;
    let (status, _) = w.reply(&reader, "Two.").await;
    assert_eq!(status, StatusCode::CREATED, "an account four days old");
    for body in ["Welcome.", "And again."] {
        let (status, _) = w.reply(&w.moderator, body).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

#[tokio::test]
async fn a_member_mutes_a_thread_and_a_room_for_themself_only() {
    let w = World::new().await;
    let thread = w.thread;
    let mute = format!("/api/v1/groups/open-door/threads/{thread}/mute");
    let notes = |token: String| {
        let w = &w;
        async move {
            let (_, v) = w.call("GET", "/api/v1/notifications", &token, None).await;
            v["notifications"]
                .as_array()
                .or(v.as_array())
                .unwrap()
                .iter()
                .filter(|n| n["thread_id"] == thread)
                .count()
        }
    };
    // The thread's author follows it; muting stops replies and mentions.
    let (status, _) = w.call("PUT", &mute, &w.reader, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    w.reply(&w.writer, "A reply, and hello @reader.").await;
    assert_eq!(
        notes(w.reader.clone()).await,
        0,
        "nothing from a muted thread"
    );

    // The group page folds it away for them, and only for them.
    let reader_page = w.app.browser();
    reader_page.login("reader", PASSWORD).await;
    let page = reader_page.get("/groups/open-door").await.text();
    assert!(page.contains("One thread you muted"), "{page}");
    let others = w.admin.get("/groups/open-door").await.text();
    assert!(!others.contains("you muted"));
    let thread_page = reader_page
        .get(&format!("/groups/open-door/threads/{thread}"))
        .await;
    assert!(thread_page.body.contains("aria-pressed=\"true\""));

    // Unmuted (by the page's button), and following again, they hear of replies.
    let page = reader_page
        .submit(
            &format!("/groups/open-door/threads/{thread}"),
            &format!("/groups/open-door/threads/{thread}/mute"),
            &[],
        )
        .await;
    page.assert_redirects_to(&format!(
        "/groups/open-door/threads/{thread}?notice=unmuted"
    ));
    w.call(
        "PUT",
        &format!("/api/v1/groups/open-door/threads/{thread}/follow"),
        &w.reader,
        None,
    )
    .await;
    w.reply(&w.writer, "Another reply.").await;
    assert_eq!(notes(w.reader.clone()).await, 1);

    // A muted room is quiet for the member: the page tells them, and the
    // script is told not to read messages out.
    let (_, rooms) = w
        .call("GET", "/api/v1/groups/open-door/rooms", &w.reader, None)
        .await;
    let room = rooms[0]["id"].as_i64().unwrap();
    let room_page = "/groups/open-door/chat";
    assert!(
        reader_page
            .get(room_page)
            .await
            .body
            .contains("data-muted=\"false\"")
    );
    let (status, _) = w
        .call(
            "PUT",
            &format!("/api/v1/groups/open-door/rooms/{room}/mute"),
            &w.reader,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let page = reader_page.get(room_page).await;
    assert!(page.body.contains("data-muted=\"true\""));
    assert!(
        page.text().contains("You muted this room"),
        "{}",
        page.text()
    );
    let writer_page = w.app.browser();
    writer_page.login("writer", PASSWORD).await;
    assert!(
        writer_page
            .get(room_page)
            .await
            .body
            .contains("data-muted=\"false\"")
    );
}

#[tokio::test]
async fn the_write_limit_never_refuses_someone_asking_for_help() {
    let w = World::with(|s| s.limits.writes_per_account_per_minute = 3).await;
    let mut refused = None;
    for i in 0..5 {
        let (status, v) = w.reply(&w.writer, &format!("Reply number {i}.")).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(v);
            break;
        }
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    let refused = refused.expect("the limit refuses ordinary writes");
    assert_eq!(refused["error"]["code"], "rate_limited");
    let (status, v) = w.reply(&w.writer, IMMINENT).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["crisis"]["level"], "imminent");
    // The form too, and the composer's check is never counted.
    let b = w.app.browser();
    b.login("writer", PASSWORD).await;
    let thread = format!("/groups/open-door/threads/{}", w.thread);
    let page = b
        .submit(&thread, &format!("{thread}/replies"), &[("body", IMMINENT)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    for _ in 0..5 {
        let (status, _) = w
            .call(
                "POST",
                "/api/v1/crisis/check",
                &w.writer,
                Some(json!({"text": "Still writing this."})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_held_thread_and_held_replies_show_nothing_to_others_until_approved() {
    let w = World::new().await;
    w.filter("meetup*", "hold").await;
    // A held thread: a facilitator's reply in it, its posts, its quote and
    // its notifications stay with those who see the thread.
    let (_, v) = w
        .call(
            "POST",
            "/api/v1/groups/open-door/threads",
            &w.writer,
            Some(
                json!({"title": "Sunday", "body": "Meetups on Sunday?", "accept_guidelines": true}),
            ),
        )
        .await;
    assert_eq!(v["held"], true, "{v}");
    let thread = v["id"].as_i64().unwrap();
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/groups/open-door/threads/{thread}/posts"),
            &w.admin_token,
            Some(json!({"body": "Welcome, @reader, glad you asked."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let reply = v["id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/groups/open-door/posts/{reply}/history"),
        format!("/api/v1/groups/open-door/threads/{thread}"),
    ] {
        let (status, _) = w.call("GET", &path, &w.reader, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let reader = w.app.browser();
    reader.login("reader", PASSWORD).await;
    let page = reader
        .get(&format!("/groups/open-door/posts/{reply}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let (_, notes) = w
        .call("GET", "/api/v1/notifications", &w.reader, None)
        .await;
    assert!(!notes.to_string().contains("Sunday"), "{notes}");

    // A held reply: the thread's count and activity do not move for others,
    // and nobody can quote it.
    let before = thread_counts(&w).await;
    let (_, v) = w.reply(&w.writer, "Meetups at the library?").await;
    assert_eq!(v["held"], true);
    let held = v["id"].as_i64().unwrap();
    assert_eq!(
        thread_counts(&w).await,
        before,
        "a held reply changes nothing others see"
    );
    let quote = reader
        .get(&format!(
            "/groups/open-door/threads/{}?quote={held}",
            w.thread
        ))
        .await;
    assert!(
        !quote.body.contains("Meetups at the library?"),
        "a held post cannot be quoted"
    );

    // The author edits it after the reviewer read it: approving that
    // version is refused; the new one can be approved, and then counts.
    let (status, _) = w
        .call(
            "PATCH",
            &format!("/api/v1/groups/open-door/posts/{held}"),
            &w.writer,
            Some(json!({"body": "Meetups after work, anyone?"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/held/{held}/approve?version=0"),
            &w.moderator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let queue = w.held(&w.moderator).await;
    let version = queue.iter().find(|h| h["post_id"] == held).unwrap()["edited_at"]
        .as_i64()
        .unwrap();
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/held/{held}/approve?version={version}"),
            &w.moderator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(thread_counts(&w).await.0, before.0 + 1);

    // A held post whose author edits it to ask for help is published.
    let (_, v) = w.reply(&w.writer, "Meetups, maybe.").await;
    let held = v["id"].as_i64().unwrap();
    let (status, v) = w
        .call(
            "PATCH",
            &format!("/api/v1/groups/open-door/posts/{held}"),
            &w.writer,
            Some(json!({"body": IMMINENT})),
        )
        .await;
    assert!(status.is_success(), "{v}");
    assert!(w.bodies(&w.reader).await.iter().any(|b| b == IMMINENT));
}

/// The "Evenings" thread's reply count and last activity, as the reader
/// sees them in the list.
async fn thread_counts(w: &World) -> (i64, i64) {
    let (_, list) = w
        .call("GET", "/api/v1/groups/open-door/threads", &w.reader, None)
        .await;
    let t = list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Evenings")
        .cloned()
        .unwrap();
    (
        t["reply_count"].as_i64().unwrap(),
        t["last_post_at"].as_i64().unwrap(),
    )
}

/// A post held for review is not there for those who may not see it:
/// reporting it answers as for a post that does not exist, so a report
/// cannot confirm it; its author and the group's reviewers still can.
#[tokio::test]
async fn a_held_post_cannot_be_reported_by_those_who_cannot_see_it() {
    let w = World::new().await;
    w.filter("meetup*", "hold").await;
    let (_, v) = w.reply(&w.writer, "Meetups at the library?").await;
    assert_eq!(v["held"], true, "{v}");
    let held = v["id"].as_i64().unwrap();
    let report = |token: String, post: i64| {
        let w = &w;
        async move {
            w.call(
                "POST",
                "/api/v1/groups/open-door/reports",
                &token,
                Some(json!({"post": post, "reason": "spam", "details": ""})),
            )
            .await
        }
    };
    let (missing, body_missing) = report(w.reader.clone(), held + 1000).await;
    let (hidden, body_hidden) = report(w.reader.clone(), held).await;
    assert_eq!(missing, StatusCode::NOT_FOUND);
    assert_eq!(hidden, StatusCode::NOT_FOUND, "{body_hidden}");
    assert_eq!(body_hidden, body_missing, "the same answer as for no post");
    // The moderators, who review it, may report it.
    let (status, v) = report(w.moderator.clone(), held).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
}

/// The filter page promises letters are matched however they are typed:
/// each way of typing a blocked word is refused, and ordinary lines that
/// merely share its letters are not.
#[tokio::test]
async fn a_block_filter_meets_every_way_of_typing_its_word() {
    let w = World::new().await;
    w.filter("idiot*", "block").await;
    for typed in [
        "what an idiot",
        "IDIOTS, all of them",
        "you id1ots",
        "you 1d10ts",
        "such an i.d.i.o.t",
        "such an i d i o t",
        "i-d-i-o-t-s",
        "1.d.1.0.t",
        "ｉｄｉｏｔ",
        "\u{0456}diot",
        "idiiiiot",
        "id\u{200B}iot",
    ] {
        let (status, v) = w.reply(&w.writer, typed).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed:?} got through: {v}"
        );
    }
    for ordinary in [
        "I did it, I told them at 10 in 2024",
        "That idea might work",
        "Plan a, b or c: I pick b",
    ] {
        let (status, v) = w.reply(&w.writer, ordinary).await;
        assert_eq!(status, StatusCode::CREATED, "{ordinary:?} was refused: {v}");
    }
}
