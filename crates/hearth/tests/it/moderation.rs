//! Reports, moderators' actions and appeals, through the pages and the
//! API: a report reaches the group's facilitators and the moderators; a
//! hidden post keeps its words; a mute holds in the forum and on an open
//! chat connection; an appeal is decided by a different moderator; the
//! audit log has every step.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{PASSWORD, Scene, TestApp, live_socket, next_of};

struct World {
    app: TestApp,
    http: reqwest::Client,
    writer: String,
    reporter: String,
    moderator: String,
    second_moderator: String,
    thread: i64,
    post: i64,
}

impl World {
    async fn new() -> World {
        let app = TestApp::spawn().await;
        let scene =
            Scene::open_group(&app, "mod_admin", "Open Door", &["writer", "reporter"]).await;
        assert_eq!(scene.slug, "open-door");
        app.staff("mod_one", "moderator").await;
        app.staff("mod_two", "moderator").await;
        let writer = scene.api(&app, "writer");
        let created = writer
            .ok_post(
                "/api/v1/groups/open-door/threads",
                json!({"title": "Hello", "body": "First words, rude ones.", "accept_guidelines": true}),
            )
            .await;
        let thread = created["id"].as_i64().unwrap();
        let (_, posts) = writer
            .get(&format!("/api/v1/groups/open-door/threads/{thread}"))
            .await;
        let post = posts["posts"][0]["id"]
            .as_i64()
            .or_else(|| posts[0]["id"].as_i64())
            .unwrap_or_else(|| panic!("no post in {posts}"));
        World {
            moderator: app.api_login("mod_one", PASSWORD).await,
            second_moderator: app.api_login("mod_two", PASSWORD).await,
            http: app.http(),
            writer: writer.token,
            reporter: scene.tokens["reporter"].clone(),
            app,
            thread,
            post,
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

    /// Where replies to the world's thread are posted.
    fn thread_posts(&self) -> String {
        format!("/api/v1/groups/open-door/threads/{}/posts", self.thread)
    }

    /// Makes `handle`, a member of the group, its facilitator.
    async fn make_facilitator(&self, handle: &str) {
        hearth::on_db!(&self.app.state.db, |pool| sqlx::query(
            "UPDATE group_members SET role = 'facilitator' WHERE account_id = \
             (SELECT id FROM accounts WHERE handle_key = $1)"
        )
        .bind(handle)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
    }

    async fn report_post(&self) -> i64 {
        let (status, v) = self
            .call(
                "POST",
                "/api/v1/groups/open-door/reports",
                &self.reporter,
                Some(json!({"post": self.post, "reason": "harassment", "details": "Aimed at me."})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        v["id"].as_i64().unwrap()
    }
}

#[tokio::test]
async fn report_hide_appeal_and_overturn_with_an_audit_trail() {
    let w = World::new().await;
    // Bad reports are refused clearly.
    let (status, v) = w
        .call(
            "POST",
            "/api/v1/groups/open-door/reports",
            &w.reporter,
            Some(json!({"post": w.post, "reason": "because"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, _) = w
        .call(
            "POST",
            "/api/v1/groups/open-door/reports",
            &w.reporter,
            Some(json!({"post": 999_999, "reason": "spam"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let report = w.report_post().await;
    // Moderators see it, with the reporter; members do not.
    let (status, list) = w
        .call("GET", "/api/v1/moderation/reports", &w.moderator, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], report);
    assert_eq!(list[0]["reporter"], "reporter");
    assert_eq!(list[0]["target_member"], "writer");
    let (status, _) = w
        .call("GET", "/api/v1/moderation/reports", &w.writer, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Hide the post, from the case.
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/actions"),
            &w.moderator,
            Some(json!({"kind": "hide", "reason": "Personal attacks are not allowed here."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let action = v["id"].as_i64().unwrap();
    // Others see that it was hidden; its author still sees the words.
    let reader = w.app.browser();
    reader.login("reporter", PASSWORD).await;
    let page = reader
        .get(&format!("/groups/open-door/threads/{}", w.thread))
        .await
        .text();
    assert!(
        page.contains("This post was hidden by a moderator."),
        "{page}"
    );
    assert!(!page.contains("rude ones"));
    let author = w.app.browser();
    author.login("writer", PASSWORD).await;
    let page = author
        .get(&format!("/groups/open-door/threads/{}", w.thread))
        .await
        .text();
    assert!(
        page.contains("rude ones") && page.contains("Hidden by a moderator"),
        "{page}"
    );
    // The words are kept for the appeal.
    let body: String = hearth::on_db!(&w.app.state.db, |pool| sqlx::query_scalar(
        "SELECT body FROM posts WHERE id = $1"
    )
    .bind(w.post)
    .fetch_one(pool)
    .await
    .unwrap());
    assert!(body.contains("rude ones"));

    // The member is told, with the reason, and appeals once.
    assert!(
        author
            .get("/groups")
            .await
            .text()
            .contains("Notices from moderators (1 new)")
    );
    let (_, notices) = w
        .call("GET", "/api/v1/account/notices", &w.writer, None)
        .await;
    assert_eq!(notices[0]["kind"], "hide");
    assert_eq!(
        notices[0]["reason"],
        "Personal attacks are not allowed here."
    );
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{action}/appeal"),
            &w.reporter,
            Some(json!({"appeal": "Not mine."})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only its member appeals");
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{action}/appeal"),
            &w.writer,
            Some(json!({"appeal": "I was quoting a song; I did not mean anyone here."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{action}/appeal"),
            &w.writer,
            Some(json!({"appeal": "Again."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Under appeal the post is kept as it was hidden: its author can
    // neither change nor delete it, and facilitators and moderators do not
    // delete it either.
    let at = format!("/api/v1/groups/open-door/posts/{}", w.post);
    let (status, v) = w
        .call(
            "PATCH",
            &at,
            &w.writer,
            Some(json!({"body": "Softer words."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, v) = w.call("DELETE", &at, &w.writer, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, _) = w.call("DELETE", &at, &w.second_moderator, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, notices) = w
        .call("GET", "/api/v1/account/notices", &w.writer, None)
        .await;
    assert!(
        notices[0]["content"]
            .as_str()
            .unwrap()
            .contains("rude ones"),
        "{notices}"
    );

    // The moderator who acted may not decide; another one overturns.
    let decide = format!("/api/v1/moderation/appeals/{action}/decide");
    let (status, v) = w
        .call(
            "POST",
            &decide,
            &w.moderator,
            Some(json!({"outcome": "overturn", "decision": "Fair."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, _) = w
        .call(
            "POST",
            &decide,
            &w.second_moderator,
            Some(json!({"outcome": "overturn", "decision": "A quotation, not an attack."})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let page = reader
        .get(&format!("/groups/open-door/threads/{}", w.thread))
        .await
        .text();
    assert!(page.contains("rude ones"), "restored: {page}");
    let (_, notices) = w
        .call("GET", "/api/v1/account/notices", &w.writer, None)
        .await;
    assert_eq!(notices[0]["appeal"], "overturned");
    assert_eq!(notices[0]["decision"], "A quotation, not an attack.");
    assert!(notices[0]["lifted_at"].is_i64());

    // The case is resolved with a message to the reporter.
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/resolve"),
            &w.moderator,
            Some(json!({"message": "Thank you; we looked at it and talked with them."})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // The audit log has each step, one row each.
    let actions = w.app.audited_actions().await;
    assert_eq!(
        actions,
        [
            "member.hide",
            "appeal.file",
            "appeal.overturn",
            "member.unhide",
            "report.resolve"
        ]
    );
    assert_eq!(
        hearth::safety::audit::verify(&w.app.state.db)
            .await
            .unwrap()
            .broken_at,
        None
    );
}

#[tokio::test]
async fn a_mute_holds_in_the_forum_and_on_an_open_chat_connection_until_lifted() {
    let w = World::new().await;
    let (_, rooms) = w
        .call("GET", "/api/v1/groups/open-door/rooms", &w.writer, None)
        .await;
    let room = rooms[0]["id"].as_i64().unwrap();
    let mut ws = live_socket(&w.app, &w.writer).await;
    ws.send(Message::Text(
        json!({"type": "subscribe", "room": room})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();

    let report = w.report_post().await;
    // Facilitators cannot suspend; a mute needs a duration.
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/actions"),
            &w.moderator,
            Some(json!({"kind": "mute", "reason": "A day's pause."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/actions"),
            &w.moderator,
            Some(json!({"kind": "mute", "reason": "A day's pause.", "hours": 24})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let mute = v["id"].as_i64().unwrap();

    // The forum refuses, clearly.
    let (status, _) = w
        .call(
            "POST",
            &w.thread_posts(),
            &w.writer,
            Some(json!({"body": "Still here."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The open chat connection refuses too.
    ws.send(Message::Text(
        json!({"type": "send", "room": room, "client_id": "m1", "body": "hello?"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let refused = loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "error" || v["type"] == "ack" {
                break v;
            }
        }
    };
    assert_eq!(refused["code"], "muted", "{refused}");
    assert_eq!(w.app.count("messages").await, 0);
    // Others still write.
    let (status, _) = w
        .call(
            "POST",
            &w.thread_posts(),
            &w.reporter,
            Some(json!({"body": "Me too.", "accept_guidelines": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Lifted: writing works again at once.
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/actions/{mute}/revoke"),
            &w.moderator,
            Some(json!({"reason": "Talked it through."})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    ws.send(Message::Text(
        json!({"type": "send", "room": room, "client_id": "m2", "body": "thanks"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "ack" {
                break;
            }
            assert_ne!(v["type"], "error", "{v}");
        }
    }
}

#[tokio::test]
async fn a_ban_ends_sessions_and_holds_everywhere_but_the_member_can_still_appeal() {
    let w = World::new().await;
    let report = w.report_post().await;
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/actions"),
            &w.moderator,
            Some(json!({"kind": "ban", "reason": "Repeated threats."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let ban = v["id"].as_i64().unwrap();
    // The old token no longer works.
    let (status, _) = w
        .call("GET", "/api/v1/account/notices", &w.writer, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let token = w.app.api_login("writer", PASSWORD).await;
    let (status, _) = w
        .call(
            "POST",
            &w.thread_posts(),
            &token,
            Some(json!({"body": "Let me back."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{ban}/appeal"),
            &token,
            Some(json!({"appeal": "Please look again."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Appeals reach moderators, and are counted in their header.
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/appeals/{ban}/decide"),
            &w.second_moderator,
            Some(json!({"outcome": "uphold", "decision": "The threats were clear."})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, notices) = w.call("GET", "/api/v1/account/notices", &token, None).await;
    assert_eq!(notices[0]["appeal"], "upheld");
    assert!(notices[0]["lifted_at"].is_null());
}

#[tokio::test]
async fn the_report_form_and_the_case_page_work_without_javascript() {
    let w = World::new().await;
    let reader = w.app.browser();
    reader.login("reporter", PASSWORD).await;
    let thread = reader
        .get(&format!("/groups/open-door/threads/{}", w.thread))
        .await;
    assert!(
        thread
            .body
            .contains(&format!("/groups/open-door/report?post={}", w.post))
    );
    let form = format!("/groups/open-door/report?post={}", w.post);
    let page = reader
        .submit(
            &form,
            "/groups/open-door/report",
            &[("post", &w.post.to_string()), ("details", "x")],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let page = reader
        .submit(
            &form,
            "/groups/open-door/report",
            &[
                ("post", &w.post.to_string()),
                ("reason", "hate"),
                ("details", ""),
            ],
        )
        .await;
    page.assert_redirects_to("/groups/open-door?notice=reported");
    let moderator = w.app.browser();
    moderator.login("mod_one", PASSWORD).await;
    let list = moderator.get("/moderation/reports").await.text();
    assert!(list.contains("Reports (1 waiting)"), "{list}");
    let id: i64 = hearth::on_db!(&w.app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM reports"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let case = format!("/moderation/reports/{id}");
    let page = moderator.get(&case).await.text();
    assert!(
        page.contains("Reported by") && page.contains("reporter") && page.contains("rude ones"),
        "{page}"
    );
    moderator
        .submit(&case, &format!("{case}/assign"), &[])
        .await
        .assert_redirects_to(&format!("{case}?notice=report-assigned"));
    moderator
        .submit(
            &case,
            &format!("{case}/notes"),
            &[("note", "Second report about them this month.")],
        )
        .await
        .assert_redirects_to(&format!("{case}?notice=note-added"));
    let page = moderator
        .submit(
            &case,
            &format!("{case}/actions"),
            &[("kind", "warn"), ("reason", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    moderator
        .submit(
            &case,
            &format!("{case}/actions"),
            &[("kind", "warn"), ("reason", "Please keep it kind.")],
        )
        .await
        .assert_redirects_to(&format!("{case}?notice=action-taken"));
    let page = moderator.get(&case).await.text();
    assert!(
        page.contains("Second report about them") && page.contains("Please keep it kind."),
        "{page}"
    );
    // Members cannot open cases.
    let outsider = w.app.browser();
    outsider.login("writer", PASSWORD).await;
    assert_eq!(outsider.get(&case).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn facilitators_see_who_dominates_and_who_has_gone_quiet() {
    let w = World::new().await;
    // Four members: the writer posts a lot, the reporter a little, two say
    // nothing.
    let quiet_a = w.app.api_member("quiet_a").await;
    let quiet_b = w.app.api_member("quiet_b").await;
    for t in [&quiet_a, &quiet_b] {
        w.call("POST", "/api/v1/groups/open-door/membership", t, None)
            .await;
    }
    for i in 0..5 {
        let (status, _) = w
            .call(
                "POST",
                &w.thread_posts(),
                &w.writer,
                Some(json!({"body": format!("More from me, {i}.")})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = w
        .call(
            "POST",
            &w.thread_posts(),
            &w.reporter,
            Some(json!({"body": "Hi.", "accept_guidelines": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Members may not look.
    let (status, _) = w
        .call("GET", "/api/v1/groups/open-door/dynamics", &w.writer, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = w.app.api_login("mod_admin", PASSWORD).await;
    let (status, d) = w
        .call(
            "GET",
            "/api/v1/groups/open-door/dynamics?days=30",
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["days"], 30);
    assert_eq!(
        d["total"], 7,
        "6 writer posts (thread + 5 replies) + 1: {d}"
    );
    let voices = d["voices"].as_array().unwrap();
    assert_eq!(voices[0]["handle"], "writer");
    assert_eq!(voices[0]["posts"], 6);
    assert_eq!(voices[0]["dominant"], true);
    let quiet: Vec<&str> = voices
        .iter()
        .filter(|v| v["quiet"] == true)
        .map(|v| v["handle"].as_str().unwrap())
        .collect();
    assert!(
        quiet.contains(&"quiet_a") && quiet.contains(&"quiet_b"),
        "{quiet:?}"
    );
    let (status, _) = w
        .call(
            "GET",
            "/api/v1/groups/open-door/dynamics?days=9",
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let page = w.app.browser();
    page.login("mod_admin", PASSWORD).await;
    let text = page.get("/groups/open-door/dynamics").await.text();
    assert!(text.contains("Carries much of the conversation"), "{text}");
    assert!(text.contains("Has gone quiet"));
}

#[tokio::test]
async fn a_blocked_members_posts_and_messages_are_collapsed_for_the_blocker_only() {
    let w = World::new().await;
    let reader = w.app.browser();
    reader.login("reporter", PASSWORD).await;
    let thread = format!("/groups/open-door/threads/{}", w.thread);
    let page = reader.get(&thread).await;
    assert!(
        page.body.contains("/account/blocks?handle=writer"),
        "a block link by each post"
    );
    // Mistakes are clear.
    let r = reader
        .submit(
            "/account/blocks",
            "/account/blocks",
            &[("handle", "nobody_at_all")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("There is no member with that handle."));
    let r = reader
        .submit(
            "/account/blocks",
            "/account/blocks",
            &[("handle", "reporter")],
        )
        .await;
    assert!(r.text().contains("You cannot block yourself."));
    reader
        .submit(
            "/account/blocks?handle=writer",
            "/account/blocks",
            &[("handle", "writer")],
        )
        .await
        .assert_redirects_to("/account/blocks?notice=blocked");

    let page = reader.get(&thread).await.text();
    assert!(
        page.contains("A post by writer, whom you blocked"),
        "{page}"
    );
    // Others see it as before.
    let other = w.app.browser();
    other.login("mod_one", PASSWORD).await;
    assert!(!other.get(&thread).await.text().contains("whom you blocked"));

    // In chat too, with the list for the live script.
    let rooms: Value = w
        .app
        .api(&w.writer)
        .get_json("/api/v1/groups/open-door/rooms")
        .await;
    let room = rooms[0]["id"].as_i64().unwrap();
    let mut ws = live_socket(&w.app, &w.writer).await;
    ws.send(Message::Text(
        json!({"type": "send", "room": room, "client_id": "b1", "body": "you again"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg
            && serde_json::from_str::<Value>(&t).unwrap()["type"] == "ack"
        {
            break;
        }
    }
    let chat = reader.get("/groups/open-door/chat").await;
    assert!(
        chat.body.contains("data-blocked=\"[&quot;writer&quot;]\"")
            || chat.body.contains("data-blocked=\"[&#34;writer&#34;]\""),
        "{}",
        chat.body
    );
    assert!(chat.text().contains("A message from someone you blocked"));

    // The API agrees, and unblocking restores.
    let token = w.app.api_login("reporter", PASSWORD).await;
    let (_, v) = w.call("GET", "/api/v1/account/blocks", &token, None).await;
    assert_eq!(v["handles"], json!(["writer"]));
    let (status, _) = w
        .call("DELETE", "/api/v1/account/blocks/writer", &token, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        !reader
            .get(&thread)
            .await
            .text()
            .contains("whom you blocked")
    );
}

#[tokio::test]
async fn facilitators_act_within_their_limits_and_never_see_who_reported() {
    let w = World::new().await;
    // The reporter facilitates the group.
    w.make_facilitator("reporter").await;
    let report = w.report_post().await;
    let (status, list) = w
        .call("GET", "/api/v1/moderation/reports", &w.reporter, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], report);
    assert!(
        list[0]["reporter"].is_null(),
        "who reported is for staff: {list}"
    );
    let actions = format!("/api/v1/moderation/reports/{report}/actions");
    // Beyond a facilitator: suspension.
    let (status, _) = w
        .call(
            "POST",
            &actions,
            &w.reporter,
            Some(json!({"kind": "suspend", "reason": "No.", "hours": 24})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w
        .call(
            "POST",
            &actions,
            &w.reporter,
            Some(json!({"kind": "warn", "reason": "Please be kind."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // A moderator's mute cannot be undone by a facilitator.
    let (status, v) = w
        .call(
            "POST",
            &actions,
            &w.moderator,
            Some(json!({"kind": "mute", "reason": "A pause.", "hours": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mute = v["id"].as_i64().unwrap();
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/actions/{mute}/revoke"),
            &w.reporter,
            Some(json!({"reason": "I disagree."})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The member muted cannot decide their own appeal, even as staff.
    hearth::on_db!(&w.app.state.db, |pool| sqlx::query(
        "UPDATE accounts SET role = 'moderator' WHERE handle_key = 'writer'"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{mute}/appeal"),
            &w.writer,
            Some(json!({"appeal": "Let me decide this."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/appeals/{mute}/decide"),
            &w.writer,
            Some(json!({"outcome": "overturn", "decision": "Mine."})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_report_reaches_the_groups_facilitators_live_and_no_other_group_s() {
    let w = World::new().await;
    // `guide` facilitates this group; `other` facilitates another one.
    let guide = w.app.api_member("guide").await;
    let (status, _) = w
        .call("POST", "/api/v1/groups/open-door/membership", &guide, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    w.make_facilitator("guide").await;
    let other = w.app.api_member("other_facilitator").await;
    let other_browser = w.app.browser();
    other_browser.login("other_facilitator", PASSWORD).await;
    // Proposing a group makes them its facilitator.
    let page = other_browser.create_group("Elsewhere", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut facilitator = live_socket(&w.app, &guide).await;
    let mut moderator = live_socket(&w.app, &w.moderator).await;
    let mut elsewhere = live_socket(&w.app, &other).await;
    // The writer's post is reported by the reporter.
    let report = w.report_post().await;
    let frame = next_of(&mut facilitator, "report").await;
    assert_eq!(frame["id"], report);
    assert!(frame.get("open").is_none(), "{frame}");
    let frame = next_of(&mut moderator, "report").await;
    assert_eq!(frame["id"], report);
    assert_eq!(frame["open"], 1);
    let quiet = tokio::time::timeout(
        Duration::from_millis(500),
        next_of(&mut elsewhere, "report"),
    )
    .await;
    assert!(
        quiet.is_err(),
        "a facilitator of another group hears nothing"
    );
    // Facilitators see the reports link in the header, with its count.
    let b = w.app.browser();
    b.login("guide", PASSWORD).await;
    let page = b.get("/groups").await;
    assert!(page.body.contains("data-report-badge"), "{}", page.body);
    assert!(page.body.contains("data-t-report"));
}

/// Sends `body` into `room` on `ws` and waits for its acknowledgement: its
/// number.
async fn chat_send(ws: &mut crate::helpers::Ws, room: i64, client_id: &str, body: &str) -> i64 {
    ws.send(Message::Text(
        json!({"type": "send", "room": room, "client_id": client_id, "body": body})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let ack = next_of(ws, "ack").await;
    ack["seq"].as_i64().unwrap()
}

#[tokio::test]
async fn a_hidden_chat_message_is_withheld_live_and_in_history_and_comes_back_when_the_appeal_wins()
{
    let w = World::new().await;
    let (_, rooms) = w
        .call("GET", "/api/v1/groups/open-door/rooms", &w.writer, None)
        .await;
    let room = rooms[0]["id"].as_i64().unwrap();
    let subscribe = |since: i64| {
        Message::Text(
            json!({"type": "subscribe", "room": room, "since": since})
                .to_string()
                .into(),
        )
    };
    let mut writer_ws = live_socket(&w.app, &w.writer).await;
    writer_ws.send(subscribe(0)).await.unwrap();
    next_of(&mut writer_ws, "subscribed").await;
    let mut reader_ws = live_socket(&w.app, &w.reporter).await;
    reader_ws.send(subscribe(0)).await.unwrap();
    next_of(&mut reader_ws, "subscribed").await;
    let seq = chat_send(
        &mut writer_ws,
        room,
        "c1",
        "You are all fools, every one of you.",
    )
    .await;
    next_of(&mut reader_ws, "message").await;

    // Reported, and hidden from the case.
    let (status, v) = w
        .call(
            "POST",
            "/api/v1/groups/open-door/reports",
            &w.reporter,
            Some(json!({"message": format!("{room}-{seq}"), "reason": "harassment"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let report = v["id"].as_i64().unwrap();
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/actions"),
            &w.moderator,
            Some(json!({"kind": "hide", "reason": "Name-calling is not allowed here."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let action = v["id"].as_i64().unwrap();

    // Everyone in the room is told at once, without the words.
    for ws in [&mut reader_ws, &mut writer_ws] {
        let hide = next_of(ws, "hide").await;
        assert_eq!(hide["target"], seq, "{hide}");
        assert!(hide.get("body").is_none(), "{hide}");
    }
    // Someone joining later, or resuming, gets the message without its
    // words, then the hide.
    let mut late = live_socket(&w.app, &w.reporter).await;
    late.send(subscribe(0)).await.unwrap();
    let replayed = next_of(&mut late, "message").await;
    assert_eq!(replayed["seq"], seq);
    assert_eq!(replayed["hidden"], true, "{replayed}");
    assert_eq!(replayed["body"], "", "{replayed}");
    assert_eq!(next_of(&mut late, "hide").await["target"], seq);
    // The history: withheld from readers, shown to its author with a note.
    let (_, history) = w
        .call(
            "GET",
            &format!("/api/v1/groups/open-door/rooms/{room}/messages"),
            &w.reporter,
            None,
        )
        .await;
    assert_eq!(history[0]["hidden"], true, "{history}");
    assert_eq!(history[0]["body"], "", "{history}");
    let reader = w.app.browser();
    reader.login("reporter", PASSWORD).await;
    let page = reader.get("/groups/open-door/chat").await.text();
    assert!(
        page.contains("This message was hidden by a moderator.") && !page.contains("fools"),
        "{page}"
    );
    let author = w.app.browser();
    author.login("writer", PASSWORD).await;
    let page = author.get("/groups/open-door/chat").await.text();
    assert!(
        page.contains("fools") && page.contains("Hidden by a moderator: only its author"),
        "{page}"
    );

    // The member sees what was hidden and why, and appeals.
    let (_, notices) = w
        .call("GET", "/api/v1/account/notices", &w.writer, None)
        .await;
    assert_eq!(notices[0]["kind"], "hide");
    assert_eq!(notices[0]["room_id"], room);
    assert_eq!(notices[0]["message_seq"], seq);
    assert!(
        notices[0]["content"].as_str().unwrap().contains("fools"),
        "{notices}"
    );
    let page = author.get("/account/notices").await.text();
    assert!(
        page.contains("Hide the message") && page.contains("fools"),
        "{page}"
    );
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/account/notices/{action}/appeal"),
            &w.writer,
            Some(json!({"appeal": "It was a line from a film we were all quoting."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // While the appeal is open the words are kept as they are: no edit, no
    // deletion (by the author or a moderator).
    for (token, frame) in [
        (
            &w.writer,
            json!({"type": "edit", "room": room, "client_id": "e1", "target": seq, "body": "Nicer words."}),
        ),
        (
            &w.writer,
            json!({"type": "delete", "room": room, "client_id": "d1", "target": seq}),
        ),
        (
            &w.moderator,
            json!({"type": "delete", "room": room, "client_id": "d2", "target": seq}),
        ),
    ] {
        let mut ws = live_socket(&w.app, token).await;
        ws.send(Message::Text(frame.to_string().into()))
            .await
            .unwrap();
        let refused = next_of(&mut ws, "error").await;
        assert_eq!(refused["code"], "hidden", "{refused}");
    }
    let kept: String = hearth::on_db!(&w.app.state.db, |pool| sqlx::query_scalar(
        "SELECT body FROM messages WHERE room_id = $1 AND seq = $2"
    )
    .bind(room)
    .bind(seq)
    .fetch_one(pool)
    .await
    .unwrap());
    assert!(kept.contains("fools"), "the words are kept: {kept}");

    // Overturned by another moderator: the message is back, for everyone,
    // live.
    let (status, v) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/appeals/{action}/decide"),
            &w.second_moderator,
            Some(json!({"outcome": "overturn", "decision": "A quotation, in context."})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    let restored = next_of(&mut reader_ws, "restore").await;
    assert_eq!(restored["target"], seq);
    assert!(
        restored["body"].as_str().unwrap().contains("fools"),
        "{restored}"
    );
    let page = reader.get("/groups/open-door/chat").await.text();
    assert!(page.contains("fools"), "{page}");
    // The room's numbers stay without gaps: the hide and the restore are
    // events of their own.
    let (_, history) = w
        .call(
            "GET",
            &format!("/api/v1/groups/open-door/rooms/{room}/messages"),
            &w.reporter,
            None,
        )
        .await;
    assert_eq!(history[0]["hidden"], false);
    assert_eq!(restored["seq"], seq + 2);

    let actions = w.app.audited_actions().await;
    assert_eq!(
        actions,
        [
            "member.hide",
            "appeal.file",
            "appeal.overturn",
            "member.unhide"
        ]
    );
}

/// A report about one of the group's facilitators goes to the moderators
/// alone: she does not see it, cannot open it and cannot act on it (or
/// resolve it away from the moderators' queue); the moderators can.
#[tokio::test]
async fn a_report_about_a_facilitator_is_for_the_moderators_alone() {
    let w = World::new().await;
    w.make_facilitator("writer").await;
    // The report names the facilitator's own post.
    let report = w.report_post().await;
    let (status, list) = w
        .call("GET", "/api/v1/moderation/reports", &w.writer, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.as_array().unwrap().iter().all(|r| r["id"] != report),
        "not listed to her: {list}"
    );
    let actions = format!("/api/v1/moderation/reports/{report}/actions");
    let (status, _) = w
        .call(
            "POST",
            &actions,
            &w.writer,
            Some(json!({"kind": "warn", "reason": "Nothing to see."})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .call(
            "POST",
            &format!("/api/v1/moderation/reports/{report}/resolve"),
            &w.writer,
            Some(json!({"message": "Dealt with."})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = w
        .call("GET", "/api/v1/moderation/reports", &w.moderator, None)
        .await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == report && r["status"] == "open"),
        "still open for the moderators: {list}"
    );
}
