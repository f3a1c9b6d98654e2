//! The group forum through its pages and its API: posting, guidelines,
//! content warnings, reactions, quoting, notifications, moderation tools,
//! anonymity, personal filters and who may read what.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp};

/// An admin's group with guidelines, and a member who joined it.
async fn group_with_member(app: &TestApp, admin: &str, member: &str) -> (Browser, Browser) {
    let a = app.staff(admin, "admin").await;
    a.create_group("Open Door", &[]).await;
    let m = app.member(member).await;
    m.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await
        .assert_redirects_to("/groups/open-door?notice=joined");
    (a, m)
}

/// Opens a thread through the form (accepting the guidelines) and returns its path.
async fn open_thread(b: &Browser, title: &str, body: &str, extra: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("title", title),
        ("body", body),
        ("accept_guidelines", "on"),
    ];
    fields.extend_from_slice(extra);
    let page = b
        .submit(
            "/groups/open-door/threads/new",
            "/groups/open-door/threads",
            &fields,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().split('?').next().unwrap().to_owned()
}

fn post_ids(body: &str) -> Vec<i64> {
    body.match_indices("<li id=\"post-")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn members_accept_the_guidelines_then_post_threads_with_warnings() {
    let app = TestApp::spawn().await;
    let (_, m) = group_with_member(&app, "forum_admin", "robin").await;

    let group = m.get("/groups/open-door").await.text();
    assert!(group.contains("Start a thread") && group.contains("No threads yet"));

    // The first post asks for the guidelines; the text typed is kept.
    let form = m.get("/groups/open-door/threads/new").await.text();
    assert!(form.contains("Be kind.") && form.contains("I have read the guidelines"));
    let refused = m
        .submit(
            "/groups/open-door/threads/new",
            "/groups/open-door/threads",
            &[
                ("title", "Hard week"),
                ("body", "Kept words"),
                ("content_warning", "loss"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text();
    assert!(text.contains("tick the box to accept them") && text.contains("Kept words"));
    assert_eq!(app.count("threads").await, 0);

    let path = open_thread(
        &m,
        "Hard week",
        "My dad died on **Tuesday**.\n\n- I can't sleep",
        &[("content_warning", "loss")],
    )
    .await;
    let thread = m.get(&path).await;
    assert_eq!(thread.status, StatusCode::OK);
    let body = &thread.body;
    assert!(body.contains("<h1 dir=\"auto\">Hard week</h1>"));
    // The body hides behind a disclosure named by its warning.
    let fold = body
        .find("<details class=\"fold\"><summary>Content warning: loss. Open to read.</summary>")
        .expect(body);
    let strong = body.find("<strong>Tuesday</strong>").unwrap();
    assert!(strong > fold);
    assert!(thread.text().contains("<li>I can't sleep</li>"));

    // The next post asks nothing more.
    let second = m.get("/groups/open-door/threads/new").await.text();
    assert!(!second.contains("I have read the guidelines"));
    let listed = m.get("/groups/open-door").await.text();
    assert!(
        listed.contains("Hard week")
            && listed.contains("Content warning: loss")
            && listed.contains("0 replies")
    );

    // Bad input keeps the form and says what to fix.
    let long = "x".repeat(20_001);
    for (fields, message) in [
        (
            vec![("title", "ab"), ("body", "fine")],
            "Give the thread a title",
        ),
        (
            vec![("title", "Fine title"), ("body", "  ")],
            "Write something",
        ),
        (
            vec![("title", "Fine title"), ("body", long.as_str())],
            "Write something",
        ),
        (
            vec![
                ("title", "Fine title"),
                ("body", "ok"),
                ("content_warning", "two\nlines"),
            ],
            "Keep the content warning",
        ),
        (
            vec![("title", "Fine title"), ("body", "ok"), ("anonymous", "on")],
            "does not allow anonymous",
        ),
        (
            vec![("title", "Fine title"), ("body", "bell \u{7} here")],
            "invisible control characters",
        ),
    ] {
        let page = m
            .submit(
                "/groups/open-door/threads/new",
                "/groups/open-door/threads",
                &fields,
            )
            .await;
        assert!(
            page.status == StatusCode::UNPROCESSABLE_ENTITY
                || page.status == StatusCode::PAYLOAD_TOO_LARGE,
            "{fields:?}: {}",
            page.status
        );
        if page.status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(page.text().contains(message), "{message}");
        }
    }
    assert_eq!(app.count("threads").await, 1);
}

#[tokio::test]
async fn replies_quotes_reactions_and_notifications() {
    let app = TestApp::spawn().await;
    let (_, robin) = group_with_member(&app, "notify_admin", "robin").await;
    let sam = app.member("sam").await;
    sam.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    let path = open_thread(&robin, "Small wins", "I went for a walk today.", &[]).await;
    let first = post_ids(&robin.get(&path).await.body)[0];

    // Quoting fills the reply box with the quoted words.
    let quoting = sam.get(&format!("{path}?quote={first}")).await.text();
    assert!(
        quoting.contains("> **robin:**") && quoting.contains("> I went for a walk today."),
        "{quoting}"
    );
    let reply = sam
        .submit(
            &path,
            &format!("{path}/replies"),
            &[
                ("body", "> I went for a walk\n\nThat is a big step, @Robin!"),
                ("accept_guidelines", "on"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // Robin follows their own thread and was mentioned: one notification.
    let home = robin.get("/").await.text();
    assert!(home.contains("Notifications (1 unread)"), "header count");
    let list = robin.get("/notifications").await.text();
    assert!(
        list.contains("sam mentioned you in \"Small wins\""),
        "{list}"
    );
    // A plain reply (no mention) notifies as a reply.
    sam.submit(
        &path,
        &format!("{path}/replies"),
        &[("body", "Also: well done.")],
    )
    .await;
    let list = robin.get("/notifications").await.text();
    assert!(
        list.contains("sam replied in \"Small wins\"") && list.contains("Notifications (2 unread)")
    );
    // Reading the thread marks them read.
    let thread = robin.get(&path).await;
    assert!(thread.text().contains("That is a big step"));
    assert!(thread.body.contains("<blockquote>"));
    assert!(robin.get("/").await.text().contains(">Notifications</a>"));
    // Sam follows the thread by replying; robin's reply reaches sam.
    robin
        .submit(
            &path,
            &format!("{path}/replies"),
            &[("body", "Thank you both.")],
        )
        .await;
    assert!(
        sam.get("/notifications")
            .await
            .text()
            .contains("robin replied in \"Small wins\"")
    );
    sam.submit("/notifications", "/notifications/read", &[])
        .await;
    assert!(sam.get("/").await.text().contains(">Notifications</a>"));
    // Unfollowing stops them.
    sam.submit(&path, &format!("{path}/follow"), &[])
        .await
        .assert_redirects_to(&format!("{path}?notice=unfollowed"));
    robin
        .submit(&path, &format!("{path}/replies"), &[("body", "One more.")])
        .await;
    assert!(sam.get("/").await.text().contains(">Notifications</a>"));

    // Reactions count, show as pressed for the giver, and toggle back.
    let react = format!("/groups/open-door/posts/{first}/react");
    sam.submit(&path, &react, &[("kind", "hug")]).await;
    robin.submit(&path, &react, &[("kind", "hug")]).await;
    let page = sam.get(&path).await.body;
    assert!(
        page.contains("aria-pressed=\"true\">Hug <span class=\"count\">2</span>"),
        "{page}"
    );
    sam.submit(&path, &react, &[("kind", "hug")]).await;
    let page = sam.get(&path).await.body;
    assert!(page.contains("aria-pressed=\"false\">Hug <span class=\"count\">1</span>"));
    let odd = sam.submit(&path, &react, &[("kind", "angry")]).await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn facilitators_pin_lock_and_delete_and_authors_edit_with_history() {
    let app = TestApp::spawn().await;
    let (admin, robin) = group_with_member(&app, "mod_admin", "robin").await;
    let sam = app.member("sam").await;
    sam.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    let older = open_thread(&robin, "Older thread", "first", &[]).await;
    let newer = open_thread(&sam, "Newer thread", "second", &[]).await;

    // Members may not pin or lock; the facilitator (the admin who made it) may.
    assert_eq!(
        robin
            .submit(&older, &format!("{older}/pin"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    admin
        .submit(&older, &format!("{older}/pin"), &[])
        .await
        .assert_redirects_to(&format!("{older}?notice=pinned"));
    let list = robin.get("/groups/open-door").await.text();
    assert!(
        list.find("Older thread").unwrap() < list.find("Newer thread").unwrap(),
        "pinned first"
    );
    assert!(list.contains("Pinned"));

    admin.submit(&newer, &format!("{newer}/lock"), &[]).await;
    let locked = robin.get(&newer).await.text();
    assert!(locked.contains("This thread is locked"));
    let refused = robin
        .submit(&newer, &format!("{newer}/replies"), &[("body", "hello?")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("This thread is locked"));
    admin.submit(&newer, &format!("{newer}/lock"), &[]).await;
    assert_eq!(
        robin
            .submit(
                &newer,
                &format!("{newer}/replies"),
                &[("body", "hello again")]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // The author edits; everyone who reads sees the history.
    let post = post_ids(&robin.get(&older).await.body)[0];
    let edit = format!("/groups/open-door/posts/{post}/edit");
    assert_eq!(sam.get(&edit).await.status, StatusCode::FORBIDDEN);
    robin
        .submit(&edit, &edit, &[("body", "first, better said")])
        .await;
    let page = sam.get(&older).await.text();
    assert!(page.contains("first, better said") && page.contains("edited (history)"));
    let history = sam
        .get(&format!("/groups/open-door/posts/{post}/history"))
        .await
        .text();
    assert!(
        history.contains("Version replaced on")
            && history.contains("<p>first</p>")
            && history.contains("Current version")
    );

    // Members delete only their own posts; facilitators any; the thread stays readable.
    let reply = sam
        .submit(
            &older,
            &format!("{older}/replies"),
            &[("body", "a reply to keep")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let delete = format!("/groups/open-door/posts/{post}/delete");
    assert_eq!(
        sam.submit(&older, &delete, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    admin.submit(&older, &delete, &[]).await;
    let page = robin.get(&older).await.text();
    assert!(page.contains("This post was deleted.") && !page.contains("first, better said"));
    assert!(page.contains("a reply to keep") && page.contains("Older thread"));
    // Its text and history are gone from the database too.
    assert_eq!(app.count("post_revisions").await, 0);
}

#[tokio::test]
async fn only_members_and_staff_read_a_groups_forum() {
    let app = TestApp::spawn().await;
    let (admin, robin) = group_with_member(&app, "gate_admin", "robin").await;
    let path = open_thread(&robin, "Members only", "private words", &[]).await;
    let stranger = app.member("stranger").await;
    let youth = app.youth("young_one").await;
    let moderator = app.staff("gate_mod", "moderator").await;

    assert_eq!(stranger.get(&path).await.status, StatusCode::FORBIDDEN);
    let group = stranger.get("/groups/open-door").await.text();
    assert!(group.contains("The forum is for members") && !group.contains("Members only"));
    assert_eq!(
        stranger.get("/groups/open-door/threads/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        stranger
            .submit(
                "/groups/open-door",
                &format!("{path}/replies"),
                &[("body", "let me in")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(youth.get(&path).await.status, StatusCode::NOT_FOUND);
    let visitor = app.browser().get(&path).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(visitor.location().starts_with("/login?next="));
    assert!(moderator.get(&path).await.text().contains("private words"));

    // A thread id from another group is not found through this one.
    admin.create_group("Second Room", &[]).await;
    let other = path.replace("open-door", "second-room");
    assert_eq!(admin.get(&other).await.status, StatusCode::NOT_FOUND);

    // A removed member loses access at once.
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'robin'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    admin
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{id}/remove"),
            &[],
        )
        .await;
    assert_eq!(robin.get(&path).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn anonymous_posts_show_their_author_only_to_facilitators_and_moderators() {
    let app = TestApp::spawn().await;
    let (admin, robin) = group_with_member(&app, "anon_admin", "robin").await;
    let sam = app.member("sam").await;
    sam.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    // Not allowed until the facilitator allows it.
    let refused = robin
        .submit(
            "/groups/open-door/threads/new",
            "/groups/open-door/threads",
            &[
                ("title", "Hidden"),
                ("body", "a secret"),
                ("anonymous", "on"),
                ("accept_guidelines", "on"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        sam.submit(
            "/groups/open-door",
            "/groups/open-door/forum-settings",
            &[("allow_anonymous", "on")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    admin
        .submit(
            "/groups/open-door",
            "/groups/open-door/forum-settings",
            &[("allow_anonymous", "on")],
        )
        .await
        .assert_redirects_to("/groups/open-door/settings?notice=forum-settings");

    let path = open_thread(&robin, "Hidden", "a secret", &[("anonymous", "on")]).await;
    let seen_by_sam = sam.get(&path).await.text();
    assert!(
        seen_by_sam.contains("A member") && !seen_by_sam.contains("robin"),
        "{seen_by_sam}"
    );
    let list = sam.get("/groups/open-door").await.text();
    assert!(!list[list.find("forum-heading").unwrap()..].contains("robin"));
    let seen_by_admin = admin.get(&path).await.text();
    assert!(seen_by_admin.contains("posted by robin; only facilitators and moderators see this"));
    let seen_by_robin = robin.get(&path).await.text();
    assert!(seen_by_robin.contains("posted by you"));

    // An anonymous reply notifies without naming its author.
    sam.submit(
        &path,
        &format!("{path}/replies"),
        &[("body", "Sending care."), ("accept_guidelines", "on")],
    )
    .await;
    robin
        .submit(
            &path,
            &format!("{path}/replies"),
            &[("body", "Thank you."), ("anonymous", "on")],
        )
        .await;
    let n = sam.get("/notifications").await.text();
    assert!(
        n.contains("A member replied in \"Hidden\"") && !n.contains("robin"),
        "{n}"
    );
}

#[tokio::test]
async fn personal_filters_fold_posts_for_the_member_who_set_them() {
    let app = TestApp::spawn().await;
    let (_, robin) = group_with_member(&app, "filter_admin", "robin").await;
    let sam = app.member("sam").await;
    sam.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    let plain = open_thread(
        &robin,
        "Back from the Hospital",
        "They kept me three nights.",
        &[],
    )
    .await;
    let warned = open_thread(
        &robin,
        "Anniversary",
        "It is a year today.",
        &[("content_warning", "grief")],
    )
    .await;

    let saved = sam
        .submit(
            "/account/filters",
            "/account/filters",
            &[("words", "hospital, ward\nrelapse")],
        )
        .await;
    saved.assert_redirects_to("/account/filters?notice=filters-saved");
    let page = sam.get(&plain).await.body;
    assert!(
        page.contains("<summary>Hidden by your personal filters. Open to read.</summary>"),
        "{page}"
    );
    // Robin, who set no filters, reads it open.
    assert!(
        !robin
            .get(&plain)
            .await
            .body
            .contains("Hidden by your personal filters")
    );
    // Titles in the list fold too.
    let list = sam.get("/groups/open-door").await.text();
    assert!(
        list.contains("A thread hidden by your filters")
            && !list.contains("Back from the Hospital")
    );
    // And on its own page: neither the heading nor the tab names it, until
    // they choose to see it.
    let page = sam.get(&plain).await.text();
    assert!(
        page.contains("<title>A thread hidden by your filters · Hearth</title>"),
        "{page}"
    );
    assert!(
        page.contains("<h1 dir=\"auto\">A thread hidden by your filters</h1>"),
        "{page}"
    );
    let shown = page
        .find("Back from the Hospital")
        .expect("the title, on request");
    let opener = page
        .find("<summary>Show its title</summary>")
        .expect("a way to see it");
    assert!(opener < shown, "the title sits behind its summary: {page}");
    assert_eq!(page.matches("Back from the Hospital").count(), 1, "{page}");

    // Collapsing every warned post hides its title in lists as well.
    assert!(list.contains("Anniversary"));
    sam.submit(
        "/account/filters",
        "/account/filters",
        &[("words", "hospital"), ("collapse_warnings", "on")],
    )
    .await;
    let list = sam.get("/groups/open-door").await.text();
    assert!(
        list.contains("A thread with a content warning: grief") && !list.contains(">Anniversary<")
    );
    assert!(
        sam.get(&warned)
            .await
            .text()
            .contains("Content warning: grief")
    );

    // The list is sealed at rest.
    let bytes: Vec<u8> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT words_sealed FROM personal_filters"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert!(!String::from_utf8_lossy(&bytes).contains("hospital"));

    let too_many: String = (0..101).map(|i| format!("word{i}\n")).collect();
    let refused = sam
        .submit(
            "/account/filters",
            "/account/filters",
            &[("words", &too_many)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("at most 100 words"));
}

#[tokio::test]
async fn markdown_from_members_never_runs_as_html() {
    let app = TestApp::spawn().await;
    let (_, robin) = group_with_member(&app, "xss_admin", "robin").await;
    let nasty = "<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n![pic](https://tracker.example/p.png)\n\n<a href=\"https://example.org\" onclick=\"alert(4)\">x</a>";
    let path = open_thread(
        &robin,
        "<b>bold title</b>",
        nasty,
        &[("content_warning", "\"><script>alert(5)</script>")],
    )
    .await;
    let page = robin.get(&path).await.body;
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("href=\"javascript:"));
    assert!(!page.contains("<img"));
    assert!(!page.contains("<a href=\"https://example.org\" onclick"));
    assert!(!page.contains("<b>bold title</b>"));
    assert!(page.contains("&lt;script&gt;"));
    assert!(page.contains("href=\"https://tracker.example/p.png\" rel=\"nofollow ugc noopener\""));
}

#[tokio::test]
async fn the_forum_api_follows_the_same_rules() {
    let app = TestApp::spawn().await;
    let admin = app.staff("api_forum_admin", "admin").await;
    admin.create_group("Open Door", &[]).await;
    let http = app.http();
    let robin = app.api(&app.api_member("robin").await);
    let sam = app.api(&app.api_member("sam").await);
    let stranger = app.api(&app.api_member("stranger").await);
    for member in [&robin, &sam] {
        let (status, _) = member
            .call("POST", "/api/v1/groups/open-door/membership", None)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let threads = "/api/v1/groups/open-door/threads";

    // Guidelines first.
    let (status, e) = robin
        .post(threads, json!({"title": "Hello all", "body": "New here."}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "validation");
    assert!(e["error"]["fields"]["accept_guidelines"].is_string());
    let (status, created) = robin
        .post(threads, json!({"title": "Hello all", "body": "New here, @sam.", "content_warning": "", "accept_guidelines": true}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();
    let thread = format!("/api/v1/groups/open-door/threads/{id}");

    // Strangers and visitors read nothing.
    let (status, _) = stranger.get(&thread).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = http.get(app.url(threads)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let (status, posted) = sam
        .post(
            &format!("{thread}/posts"),
            json!({"body": "Welcome!", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let reply = posted["id"].as_i64().unwrap();
    let (status, _) = robin
        .call(
            "PUT",
            &format!("/api/v1/groups/open-door/posts/{reply}/reactions/thank-you"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = robin
        .call(
            "PUT",
            &format!("/api/v1/groups/open-door/posts/{reply}/reactions/boo"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Sam was mentioned; robin was replied to.
    let n: Value = sam.get_json("/api/v1/notifications").await;
    assert_eq!(n["unread"], 1);
    assert_eq!(n["notifications"][0]["kind"], "mention");
    let n: Value = robin.get_json("/api/v1/notifications").await;
    assert_eq!(n["notifications"][0]["kind"], "reply");
    assert_eq!(
        n["notifications"][0]["text"],
        "sam replied in \"Hello all\""
    );

    let t: Value = robin.get_json(&thread).await;
    assert_eq!(t["thread"]["title"], "Hello all");
    assert_eq!(t["thread"]["reply_count"], 1);
    assert_eq!(t["posts"].as_array().unwrap().len(), 2);
    assert_eq!(t["posts"][1]["author"]["handle"], "sam");
    assert_eq!(t["posts"][1]["reactions"]["thank-you"], 1);
    assert_eq!(t["posts"][1]["my_reactions"], json!(["thank-you"]));
    assert_eq!(t["following"], true);
    // Reading marked robin's notification read.
    let n: Value = robin.get_json("/api/v1/notifications").await;
    assert_eq!(n["unread"], 0);

    // Only facilitators pin.
    let (status, _) = sam.patch(&thread, json!({"pinned": true})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Edit with history; delete by the author only.
    let post = format!("/api/v1/groups/open-door/posts/{reply}");
    let (status, _) = robin.patch(&post, json!({"body": "hijack"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = sam.patch(&post, json!({"body": "Welcome, robin!"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let h: Value = robin.get_json(&format!("{post}/history")).await;
    assert_eq!(h[0]["body"], "Welcome!");
    let (status, _) = robin.delete(&post).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = sam.delete(&post).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let t: Value = robin.get_json(&thread).await;
    assert_eq!(t["posts"][1]["deleted"], true);
    assert_eq!(t["posts"][1]["body"], "");

    // Filters round-trip and flag matching posts.
    let (status, _) = sam
        .put(
            "/api/v1/me/filters",
            json!({"words": ["New here"], "collapse_warnings": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let f: Value = sam.get_json("/api/v1/me/filters").await;
    assert_eq!(f, json!({"words": ["new here"], "collapse_warnings": true}));
    let t: Value = sam.get_json(&thread).await;
    assert_eq!(t["posts"][0]["filtered"], true);

    let list: Value = sam.get_json(threads).await;
    assert_eq!(list["threads"][0]["id"], id);
    assert!(list["next_cursor"].is_null());
    let (status, _) = sam.get(&format!("{threads}?cursor=nonsense")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn long_threads_and_thread_lists_page_by_keys() {
    let app = TestApp::spawn().await;
    let admin = app.staff("page_admin", "admin").await;
    admin.create_group("Open Door", &[("guidelines", "")]).await;
    let api = app.api(&app.api_login("page_admin", crate::helpers::PASSWORD).await);
    let threads = "/api/v1/groups/open-door/threads";
    let mut last = 0;
    for i in 0..27 {
        let (status, created) = api
            .post(
                threads,
                json!({"title": format!("Thread number {i}"), "body": "text"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        last = created["id"].as_i64().unwrap();
    }
    let first: Value = api.get_json(threads).await;
    assert_eq!(first["threads"].as_array().unwrap().len(), 25);
    assert_eq!(first["threads"][0]["title"], "Thread number 26");
    let cursor = first["next_cursor"].as_str().unwrap();
    // At most twenty pinned threads.
    let ids: Vec<i64> = first["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    for (i, id) in ids.iter().take(21).enumerate() {
        let (status, _) = api
            .patch(
                &format!("/api/v1/groups/open-door/threads/{id}"),
                json!({"pinned": true}),
            )
            .await;
        let expected = if i < 20 {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(status, expected, "pin number {}", i + 1);
    }
    for id in ids.iter().take(20) {
        api.patch(
            &format!("/api/v1/groups/open-door/threads/{id}"),
            json!({"pinned": false}),
        )
        .await;
    }
    let second: Value = api.get_json(&format!("{threads}?cursor={cursor}")).await;
    let titles: Vec<&str> = second["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Thread number 1", "Thread number 0"]);

    // 150 replies: two pages, every post exactly once.
    let thread = format!("/api/v1/groups/open-door/threads/{last}");
    for i in 0..150 {
        let (status, _) = api
            .post(
                &format!("{thread}/posts"),
                json!({"body": format!("reply {i}")}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let p1: Value = api.get_json(&thread).await;
    assert_eq!(p1["posts"].as_array().unwrap().len(), 100);
    assert_eq!(p1["has_later"], true);
    assert_eq!(p1["has_earlier"], false);
    let after = p1["posts"][99]["id"].as_i64().unwrap();
    let p2: Value = api.get_json(&format!("{thread}?after={after}")).await;
    assert_eq!(p2["posts"].as_array().unwrap().len(), 51);
    assert_eq!(p2["has_later"], false);
    assert_eq!(p2["has_earlier"], true);
    assert_eq!(p2["posts"][50]["body"], "reply 149");

    // The page shows the same split with links both ways.
    let page = admin
        .get(&format!("/groups/open-door/threads/{last}"))
        .await
        .text();
    assert!(page.contains("Later posts") && !page.contains("Earlier posts"));
    let page = admin
        .get(&format!("/groups/open-door/threads/{last}?after={after}"))
        .await
        .text();
    assert!(page.contains("Earlier posts") && page.contains("reply 149"));
}

#[tokio::test]
async fn decisions_on_join_requests_arrive_as_notifications() {
    let app = TestApp::spawn().await;
    let admin = app.staff("decide_admin", "admin").await;
    admin
        .create_group(
            "Quiet Room",
            &[
                ("joining", "closed"),
                ("intake_questions", "What brings you here?"),
            ],
        )
        .await;
    admin
        .create_group(
            "Second Room",
            &[("joining", "closed"), ("intake_questions", "Why?")],
        )
        .await;
    let m = app.member("asker").await;
    for slug in ["quiet-room", "second-room"] {
        let page = m
            .submit(
                &format!("/groups/{slug}"),
                &format!("/groups/{slug}/requests"),
                &[("answer_1", "A hard year.")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let ids: Vec<i64> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM join_requests ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    admin
        .submit(
            "/groups/quiet-room/requests",
            &format!("/groups/quiet-room/requests/{}/approve", ids[0]),
            &[("message", "")],
        )
        .await;
    admin
        .submit(
            "/groups/second-room/requests",
            &format!("/groups/second-room/requests/{}/decline", ids[1]),
            &[("message", "Not a fit now.")],
        )
        .await;
    let list = m.get("/notifications").await.text();
    assert!(list.contains("Notifications (2 unread)"));
    assert!(list.contains("Your request to join Quiet Room was approved."));
    assert!(list.contains("Your request to join Second Room was declined."));
    m.submit("/notifications", "/notifications/read", &[])
        .await
        .assert_redirects_to("/notifications?notice=notifications-read");
    assert!(
        m.get("/notifications")
            .await
            .text()
            .contains(">Notifications</a>")
    );
}

/// The "done when" journey, through the API alone.
#[tokio::test]
async fn a_new_member_finds_joins_posts_and_is_answered_through_the_api() {
    let app = TestApp::spawn().await;
    let fac = app.api(&app.api_member("facil").await);
    hearth::on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE accounts SET is_professional = TRUE WHERE handle_key = 'facil'"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let grief = app.term("condition", "grief").await;
    for (name, joining, questions) in [
        ("Grief Circle", "open", vec![]),
        (
            "Evening Grief Group",
            "closed",
            vec!["What brings you here?"],
        ),
    ] {
        let (status, v) = fac
            .post("/api/v1/groups", json!({"name": name, "purpose": "Talking through loss together, gently.",
                "guidelines": "Be kind.", "language": "en", "leadership": "professional", "age_space": "adult",
                "visibility": "listed", "joining": joining, "terms": [grief], "intake_questions": questions}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }

    let me = app.api(&app.api_member("newcomer").await);
    let (status, _) = me
        .put(
            "/api/v1/me/interests",
            json!({"terms": [grief], "languages": ["en"]}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let recs: Value = me.get_json("/api/v1/me/recommendations").await;
    let names: Vec<&str> = recs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"]["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Grief Circle") && names.contains(&"Evening Grief Group"),
        "{recs}"
    );
    assert!(
        recs[0]["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("condition:grief"))
    );

    let (status, _) = me
        .call("POST", "/api/v1/groups/grief-circle/membership", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = me
        .post(
            "/api/v1/groups/evening-grief-group/requests",
            json!({"answers": []}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "one answer per question");
    let (status, _) = me
        .post(
            "/api/v1/groups/evening-grief-group/requests",
            json!({"answers": ["My mum died in spring."]}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let (status, created) = me
        .post(
            "/api/v1/groups/grief-circle/threads",
            json!({"title": "First winter without her", "body": "The holidays scare me.",
            "content_warning": "bereavement", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let thread = created["id"].as_i64().unwrap();
    let base = format!("/api/v1/groups/grief-circle/threads/{thread}");
    let (status, posted) = fac
        .post(
            &format!("{base}/posts"),
            json!({"body": "You are not alone in this."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let reply = posted["id"].as_i64().unwrap();

    let n: Value = me.get_json("/api/v1/notifications").await;
    assert_eq!(n["unread"], 1);
    assert_eq!(
        n["notifications"][0]["text"],
        "facil replied in \"First winter without her\""
    );
    let (status, _) = me
        .call(
            "PUT",
            &format!("/api/v1/groups/grief-circle/posts/{reply}/reactions/thank-you"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // The facilitator approves the request, pins and locks the thread.
    let requests: Value = fac
        .get_json("/api/v1/groups/evening-grief-group/requests")
        .await;
    assert_eq!(requests[0]["handle"], "newcomer");
    assert_eq!(
        requests[0]["answers"][0],
        json!(["What brings you here?", "My mum died in spring."])
    );
    let id = requests[0]["id"].as_i64().unwrap();
    let (status, _) = fac
        .post(
            &format!("/api/v1/groups/evening-grief-group/requests/{id}"),
            json!({"approve": true, "message": "Welcome."}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = fac
        .patch(&base, json!({"pinned": true, "locked": true}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let t: Value = me.get_json(&base).await;
    assert_eq!(t["thread"]["pinned"], true);
    assert_eq!(t["thread"]["locked"], true);
    assert_eq!(t["posts"][0]["content_warning"], "bereavement");
    assert_eq!(t["posts"][1]["reactions"]["thank-you"], 1);
    let members: Value = me
        .get_json("/api/v1/groups/evening-grief-group/members")
        .await;
    assert!(
        members
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["handle"] == "newcomer")
    );
    let n: Value = me.get_json("/api/v1/notifications").await;
    assert_eq!(n["notifications"][0]["kind"], "request-approved");
    let (status, _) = me
        .post(&format!("{base}/posts"), json!({"body": "One more thing"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "locked");
}

/// Thread pages are cached per node; a change made through another node
/// on the same database shows on the next read all the same.
#[tokio::test]
async fn a_change_through_one_node_shows_at_once_on_another() {
    let a = TestApp::spawn().await;
    let b = a.another_node(|_| {}).await;
    let admin = a.staff("nodes_admin", "admin").await;
    admin.create_group("Open Door", &[("guidelines", "")]).await;
    let token = a.api_login("nodes_admin", crate::helpers::PASSWORD).await;
    let (through_a, through_b) = (a.api(&token), b.api(&token));
    let (_, created) = through_a
        .post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Across nodes", "body": "first words"}),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    let thread = format!("/api/v1/groups/open-door/threads/{id}");
    assert_eq!(
        through_a.get_json(&thread).await["posts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Through node B: a reply, a reaction, an edit.
    let (status, _) = through_b
        .post(&format!("{thread}/posts"), json!({"body": "second words"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let first = through_b.get_json(&thread).await["posts"][0]["id"]
        .as_i64()
        .unwrap();
    through_b
        .call(
            "PUT",
            &format!("/api/v1/groups/open-door/posts/{first}/reactions/hug"),
            None,
        )
        .await;
    through_b
        .patch(
            &format!("/api/v1/groups/open-door/posts/{first}"),
            json!({"body": "first words, revised"}),
        )
        .await;

    let seen = through_a.get_json(&thread).await;
    assert_eq!(seen["posts"].as_array().unwrap().len(), 2);
    assert_eq!(seen["posts"][0]["body"], "first words, revised");
    assert_eq!(seen["posts"][0]["reactions"]["hug"], 1);
    let page = admin
        .get(&format!("/groups/open-door/threads/{id}"))
        .await
        .text();
    assert!(page.contains("first words, revised") && page.contains("second words"));
}

/// Each node keeps a group's thread list while the group's page revision
/// holds. A change made through another node (a new thread, a reply, a pin,
/// a lock, a deletion) shows on the next read; what differs per reader
/// (their mutes, held threads) is never lent to another.
#[tokio::test]
async fn a_group_list_kept_by_one_node_follows_changes_through_another() {
    let a = TestApp::spawn().await;
    let b = a.another_node(|_| {}).await;
    group_with_member(&a, "lists_admin", "lists_member").await;
    let newcomer = a.member("lists_newcomer").await;
    newcomer
        .submit("/groups/open-door", "/groups/open-door/join", &[])
        .await
        .assert_redirects_to("/groups/open-door?notice=joined");
    let admin_token = a.api_login("lists_admin", crate::helpers::PASSWORD).await;
    let member_token = a.api_login("lists_member", crate::helpers::PASSWORD).await;
    let newcomer_token = a
        .api_login("lists_newcomer", crate::helpers::PASSWORD)
        .await;
    let (admin_a, admin_b) = (a.api(&admin_token), b.api(&admin_token));
    let (member_a, member_b) = (a.api(&member_token), b.api(&member_token));
    let newcomer_b = b.api(&newcomer_token);
    let list = "/api/v1/groups/open-door/threads";
    let titles = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_owned())
            .collect()
    };
    async fn open(api: &crate::helpers::Api, title: &str) -> i64 {
        let (status, v) = api
            .post(
                "/api/v1/groups/open-door/threads",
                json!({"title": title, "body": "words for the thread"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        v["id"].as_i64().unwrap()
    }

    let first = open(&admin_a, "First").await;
    // Node B reads the list, and keeps it.
    assert_eq!(titles(&member_b.get_json(list).await, "threads"), ["First"]);
    assert_eq!(titles(&member_b.get_json(list).await, "threads"), ["First"]);

    // A new thread through A, then a reply to the first: B lists both, the
    // first on top again.
    let second = open(&admin_a, "Second").await;
    assert_eq!(
        titles(&member_b.get_json(list).await, "threads"),
        ["Second", "First"]
    );
    let (status, _) = member_a
        .post(
            &format!("{list}/{first}/posts"),
            json!({"body": "a reply that moves it up", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let seen = member_b.get_json(list).await;
    assert_eq!(titles(&seen, "threads"), ["First", "Second"]);
    assert_eq!(seen["threads"][0]["reply_count"], 1);

    // Pinned and locked through A: B shows it.
    let (status, _) = admin_a
        .patch(
            &format!("{list}/{second}"),
            json!({"pinned": true, "locked": true}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let seen = member_b.get_json(list).await;
    assert_eq!(titles(&seen, "pinned"), ["Second"]);
    assert_eq!(seen["pinned"][0]["locked"], true);
    assert_eq!(titles(&seen, "threads"), ["First"]);

    // A mute is the member's own: B shows it to them and to nobody else.
    let (status, _) = member_a
        .call("PUT", &format!("{list}/{first}/mute"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(member_b.get_json(list).await["threads"][0]["muted"], true);
    assert_eq!(admin_b.get_json(list).await["threads"][0]["muted"], false);

    // A held thread is listed for its author and the facilitators only,
    // whoever read the list first.
    let (status, _) = admin_a
        .call(
            "PUT",
            "/api/v1/groups/open-door/forum-settings",
            Some(json!({"allow_anonymous": false, "hold_first_posts": true})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = newcomer_b
        .post(
            list,
            json!({"title": "Waiting", "body": "my first words here", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        admin_b.get_json(list).await["threads"][0]["title"],
        "Waiting"
    );
    assert_eq!(
        titles(&member_b.get_json(list).await, "threads"),
        ["First"],
        "another member does not see a held thread"
    );
    let theirs = newcomer_b.get_json(list).await;
    assert_eq!(titles(&theirs, "threads"), ["Waiting", "First"]);
    assert_eq!(theirs["threads"][0]["held"], true);

    // The last post of a thread deleted through A: it leaves B's list.
    let opening = admin_a.get_json(&format!("{list}/{second}")).await["posts"][0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = admin_a
        .call(
            "DELETE",
            &format!("/api/v1/groups/open-door/posts/{opening}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let seen = member_b.get_json(list).await;
    assert!(titles(&seen, "pinned").is_empty(), "{seen}");
    // And the group page through B says the same as the API.
    let m = b.browser();
    m.login("lists_member", crate::helpers::PASSWORD).await;
    let page = m.get("/groups/open-door").await.text();
    assert!(page.contains("First") && !page.contains("Second") && !page.contains("Waiting"));
}

/// The longest post, in a script of three-byte characters, fits the body
/// limit even form-encoded (nine bytes a character).
#[tokio::test]
async fn a_long_post_in_any_script_is_accepted() {
    let app = TestApp::spawn().await;
    let (_, m) = group_with_member(&app, "cjk_admin", "robin").await;
    let long = "心".repeat(20_000);
    let path = open_thread(&m, "Long post", &long, &[]).await;
    assert!(m.get(&path).await.text().contains(&"心".repeat(100)));
}

/// Anonymity outlives the account: deleting it must not turn its anonymous
/// posts into "a former member" all at once (which would link them).
#[tokio::test]
async fn anonymous_posts_stay_anonymous_after_their_author_leaves() {
    let app = TestApp::spawn().await;
    let (admin, robin) = group_with_member(&app, "gone_admin", "robin").await;
    let sam = app.member("sam").await;
    sam.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    admin
        .submit(
            "/groups/open-door",
            "/groups/open-door/forum-settings",
            &[("allow_anonymous", "on")],
        )
        .await;
    let path = open_thread(&robin, "Quietly", "said softly", &[("anonymous", "on")]).await;
    robin
        .submit(
            "/account",
            "/account/delete",
            &[("password", crate::helpers::PASSWORD), ("confirm", "yes")],
        )
        .await;
    let page = sam.get(&path).await.text();
    assert!(
        page.contains("A member") && !page.contains("A former member"),
        "{page}"
    );
    let list = sam.get("/groups/open-door").await.text();
    assert!(!list.contains("A former member"));
}

/// Someone removed from a group no longer reads its thread titles, even in
/// notifications they received before.
#[tokio::test]
async fn notifications_stop_showing_a_groups_titles_after_removal() {
    let app = TestApp::spawn().await;
    let (admin, robin) = group_with_member(&app, "titles_admin", "robin").await;
    let path = open_thread(&robin, "A private matter", "words", &[]).await;
    admin
        .submit(&path, &format!("{path}/replies"), &[("body", "replying")])
        .await;
    assert!(
        robin
            .get("/notifications")
            .await
            .text()
            .contains("A private matter")
    );
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'robin'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    admin
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{id}/remove"),
            &[],
        )
        .await;
    let n = robin.get("/notifications").await.text();
    assert!(
        !n.contains("A private matter") && n.contains("replied in"),
        "{n}"
    );
}

/// Someone reading in a language chosen by `?lang=` keeps it after an
/// action that lands on a post (the parameter goes before the `#post-`).
#[tokio::test]
async fn the_chosen_language_survives_a_redirect_to_a_post() {
    let app = TestApp::spawn().await;
    let (_, robin) = group_with_member(&app, "lang_admin", "robin").await;
    let path = open_thread(&robin, "Idioma", "hola", &[]).await;
    let post = post_ids(&robin.get(&path).await.body)[0];
    let r = robin
        .submit(
            &format!("{path}?lang=es"),
            &format!("/groups/open-door/posts/{post}/react?lang=es"),
            &[("kind", "hug")],
        )
        .await;
    let to = r.location().to_owned();
    assert!(to.ends_with(&format!("?lang=es#post-{post}")), "{to}");
    let page = robin.get(to.split('#').next().unwrap()).await.body;
    assert!(
        page.contains("Abrazo <span class=\"count\">1</span>")
            && page.contains("<html lang=\"es\"")
    );
}
