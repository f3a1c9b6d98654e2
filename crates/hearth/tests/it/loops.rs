//! Every loop closes: whoever is waiting on a decision hears of it, with
//! the words the decider wrote for them. A reporter hears how their report
//! ended, a member of an action about them and of their appeal's decision,
//! an approved member reads the facilitator's welcome.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Scene, TestApp};

/// The caller's notifications of one kind, newest first.
fn of_kind<'a>(list: &'a Value, kind: &str) -> Vec<&'a Value> {
    list["notifications"]
        .as_array()
        .map(|all| all.iter().filter(|n| n["kind"] == kind).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_reporter_and_the_member_each_hear_how_it_ended() {
    let app = TestApp::spawn().await;
    let scene = Scene::open_group(&app, "loop_admin", "Open Door", &["writer", "reporter"]).await;
    let moderator_page = app.staff("loop_mod", "moderator").await;
    app.staff("loop_mod_two", "moderator").await;
    let moderator = app.api(&app.api_login("loop_mod", PASSWORD).await);
    let second = app.api(&app.api_login("loop_mod_two", PASSWORD).await);
    let writer = scene.api(&app, "writer");
    let reporter = scene.api(&app, "reporter");
    let slug = &scene.slug;

    let thread = writer
        .ok_post(
            &format!("/api/v1/groups/{slug}/threads"),
            json!({"title": "Hello", "body": "Some sharp words.", "accept_guidelines": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let posts = writer
        .get_json(&format!("/api/v1/groups/{slug}/threads/{thread}"))
        .await;
    let post = posts["posts"][0]["id"].as_i64().unwrap();
    let report = reporter
        .ok_post(
            &format!("/api/v1/groups/{slug}/reports"),
            json!({"post": post, "reason": "harassment", "details": "Aimed at me."}),
        )
        .await["id"]
        .as_i64()
        .unwrap();

    // The moderators' list speaks to them, not in the reporter's words.
    let list = moderator_page.get("/moderation/reports").await.text();
    assert!(list.contains("A post by writer (Open Door)"), "{list}");
    assert!(!list.contains("You are reporting"), "{list}");

    // Nobody has heard anything yet.
    assert!(
        of_kind(
            &reporter.get_json("/api/v1/notifications").await,
            "report-resolved"
        )
        .is_empty()
    );
    assert!(of_kind(&writer.get_json("/api/v1/notifications").await, "action").is_empty());

    // A warning reaches its member as a notification, with the reason,
    // leading to their notices.
    let action = moderator
        .ok_post(
            &format!("/api/v1/moderation/reports/{report}/actions"),
            json!({"kind": "warn", "reason": "Please keep it kind here."}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let list = writer.get_json("/api/v1/notifications").await;
    let told = of_kind(&list, "action");
    assert_eq!(told.len(), 1, "{list}");
    assert_eq!(told[0]["detail"], "Please keep it kind here.");
    assert_eq!(told[0]["href"], "/account/notices");
    assert!(
        told[0]["read"] == false && list["unread"].as_i64() >= Some(1),
        "{list}"
    );
    let browser = app.browser();
    browser.login("writer", PASSWORD).await;
    let page = browser.get("/notifications").await.text();
    assert!(page.contains("A moderator sent you a warning."), "{page}");
    assert!(page.contains("Please keep it kind here."), "{page}");
    assert!(page.contains("href=\"/account/notices\""), "{page}");
    // The account page leads to the notices at any time.
    let account = browser.get("/account").await.text();
    assert!(account.contains("href=\"/account/notices\""), "{account}");

    // The case closes with a message for the reporter, and it reaches
    // them; who the member was and what was done stay with the moderators.
    let (status, v) = moderator
        .post(
            &format!("/api/v1/moderation/reports/{report}/resolve"),
            json!({"message": "Thank you. We looked at it and spoke with them."}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    let list = reporter.get_json("/api/v1/notifications").await;
    let told = of_kind(&list, "report-resolved");
    assert_eq!(told.len(), 1, "{list}");
    assert_eq!(
        told[0]["detail"],
        "Thank you. We looked at it and spoke with them."
    );
    let text = told[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Open Door") && text.contains("closed"),
        "{text}"
    );
    assert!(!text.contains("writer") && !text.contains("warn"), "{text}");
    let browser = app.browser();
    browser.login("reporter", PASSWORD).await;
    let page = browser.get("/notifications").await.text();
    assert!(
        page.contains("We looked at it and spoke with them."),
        "{page}"
    );
    // Resolving again tells nobody twice.
    moderator
        .post(
            &format!("/api/v1/moderation/reports/{report}/resolve"),
            json!({"message": "Again."}),
        )
        .await;
    let list = reporter.get_json("/api/v1/notifications").await;
    assert_eq!(of_kind(&list, "report-resolved").len(), 1, "{list}");

    // The member appeals; the decision reaches them with its reason.
    let (status, v) = writer
        .post(
            &format!("/api/v1/account/notices/{action}/appeal"),
            json!({"appeal": "I was quoting someone."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = second
        .post(
            &format!("/api/v1/moderation/appeals/{action}/decide"),
            json!({"outcome": "overturn", "decision": "A quotation, not an attack."}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    let list = writer.get_json("/api/v1/notifications").await;
    let told = of_kind(&list, "appeal-decided");
    assert_eq!(told.len(), 1, "{list}");
    assert_eq!(told[0]["detail"], "A quotation, not an attack.");
    assert!(
        told[0]["text"].as_str().unwrap().contains("undone"),
        "{list}"
    );
}

#[tokio::test]
async fn an_approved_member_reads_the_facilitators_welcome() {
    let app = TestApp::spawn().await;
    let admin = app.staff("welcome_admin", "admin").await;
    admin
        .create_group(
            "Quiet Room",
            &[
                ("joining", "closed"),
                ("intake_questions", "What brings you here?"),
            ],
        )
        .await;
    let asker = app.member("asker").await;
    let page = asker
        .submit(
            "/groups/quiet-room",
            "/groups/quiet-room/requests",
            &[("answer_1", "A hard year.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM join_requests ORDER BY id DESC LIMIT 1"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let welcome = "Welcome! We meet on Tuesdays; say hello in the intro thread.";
    admin
        .submit(
            "/groups/quiet-room/requests",
            &format!("/groups/quiet-room/requests/{id}/approve"),
            &[("message", welcome)],
        )
        .await;
    let page = asker.get("/notifications").await.text();
    assert!(
        page.contains("Your request to join Quiet Room was approved."),
        "{page}"
    );
    assert!(
        page.contains("We meet on Tuesdays; say hello in the intro thread."),
        "{page}"
    );
    let api = app.api(&app.api_login("asker", PASSWORD).await);
    let list = api.get_json("/api/v1/notifications").await;
    let told = of_kind(&list, "request-approved");
    assert_eq!(told.len(), 1, "{list}");
    assert_eq!(told[0]["detail"], welcome);
}

/// A thread of three posts by `writer` over the API: its id and its posts'.
async fn thread_of_three(app: &TestApp, scene: &Scene) -> (i64, Vec<i64>) {
    let writer = scene.api(app, "writer");
    let slug = &scene.slug;
    let thread = writer
        .ok_post(
            &format!("/api/v1/groups/{slug}/threads"),
            json!({"title": "Evenings", "body": "Opening words.", "accept_guidelines": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    for body in ["Second words.", "Third words."] {
        writer
            .ok_post(
                &format!("/api/v1/groups/{slug}/threads/{thread}/posts"),
                json!({"body": body, "accept_guidelines": true}),
            )
            .await;
    }
    let v = writer
        .get_json(&format!("/api/v1/groups/{slug}/threads/{thread}"))
        .await;
    let posts = v["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    (thread, posts)
}

#[tokio::test]
async fn reacting_or_editing_returns_to_the_whole_thread_at_that_post() {
    let app = TestApp::spawn().await;
    let scene = Scene::open_group(&app, "keep_admin", "Open Door", &["writer", "reader"]).await;
    let (thread, posts) = thread_of_three(&app, &scene).await;
    let thread_path = format!("/groups/open-door/threads/{thread}");
    let reader = app.browser();
    reader.login("reader", PASSWORD).await;

    // Reacting to the first post comes back to the thread, every post
    // shown, at that post.
    let page = reader
        .submit(
            &thread_path,
            &format!("/groups/open-door/posts/{}/react", posts[0]),
            &[("kind", "hug")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), format!("{thread_path}#post-{}", posts[0]));
    let shown = reader.get(page.location()).await.text();
    for words in ["Opening words.", "Second words.", "Third words."] {
        assert!(shown.contains(words), "{words} missing: {shown}");
    }
    assert!(!shown.contains("Later posts"), "{shown}");

    // So does editing the middle post, with its notice.
    let writer = app.browser();
    writer.login("writer", PASSWORD).await;
    let edit = format!("/groups/open-door/posts/{}/edit", posts[1]);
    let page = writer
        .submit(
            &edit,
            &edit,
            &[
                ("body", "Second words, better put."),
                ("content_warning", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        page.location(),
        format!("{thread_path}?notice=post-edited#post-{}", posts[1])
    );
    let shown = writer.get(page.location()).await.text();
    assert!(
        shown.contains("Opening words.") && shown.contains("Third words."),
        "{shown}"
    );
    assert!(shown.contains("Second words, better put."), "{shown}");

    // The link a notification uses lands the same way.
    let page = reader
        .get(&format!("/groups/open-door/posts/{}", posts[2]))
        .await;
    assert_eq!(page.location(), format!("{thread_path}#post-{}", posts[2]));
}

#[tokio::test]
async fn a_thread_whose_only_post_is_deleted_leaves_the_list() {
    let app = TestApp::spawn().await;
    let scene = Scene::open_group(&app, "gone_admin", "Open Door", &["writer", "reader"]).await;
    let writer_api = scene.api(&app, "writer");
    let lonely = writer_api
        .ok_post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "A lonely thread", "body": "Only words.", "accept_guidelines": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let (kept, posts) = thread_of_three(&app, &scene).await;
    let first: i64 = writer_api
        .get_json(&format!("/api/v1/groups/open-door/threads/{lonely}"))
        .await["posts"][0]["id"]
        .as_i64()
        .unwrap();
    let writer = app.browser();
    writer.login("writer", PASSWORD).await;
    let reader = app.browser();
    reader.login("reader", PASSWORD).await;
    assert!(
        reader
            .get("/groups/open-door")
            .await
            .text()
            .contains("A lonely thread")
    );

    // Deleting the first post of a thread with replies keeps the thread.
    let page = writer
        .submit(
            &format!("/groups/open-door/threads/{kept}"),
            &format!("/groups/open-door/posts/{}/delete", posts[0]),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        page.location()
            .starts_with(&format!("/groups/open-door/threads/{kept}"))
    );

    // Deleting a thread's only post takes the thread off the list, for
    // everyone, and its writer lands back on the group.
    let page = writer
        .submit(
            &format!("/groups/open-door/threads/{lonely}"),
            &format!("/groups/open-door/posts/{first}/delete"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/groups/open-door?notice=thread-deleted");
    for who in [&writer, &reader] {
        let list = who.get("/groups/open-door").await.text();
        assert!(!list.contains("A lonely thread"), "{list}");
        assert!(list.contains("Evenings"), "{list}");
    }
    let (_, v) = writer_api.get("/api/v1/groups/open-door/threads").await;
    let titles: Vec<&str> = v["threads"]
        .as_array()
        .or_else(|| v.as_array())
        .unwrap()
        .iter()
        .filter_map(|t| t["title"].as_str())
        .collect();
    assert_eq!(titles, ["Evenings"], "{v}");
}
