//! Writing is never lost to an ended session: a form posted after the
//! session expired answers with the log-in page carrying the words, and
//! logging in again lands back on the form with them in it, once. Risky
//! words reach the crisis lines at once, with nothing posted or raised.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Browser, PASSWORD, Scene, TestApp, decode_html};

/// Ends every session of `handle`, as expiry would.
async fn expire_sessions(app: &TestApp, handle: &str) {
    hearth::on_db!(&app.state.db, |pool| sqlx::query(
        "DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE handle_key = $1)"
    )
    .bind(handle)
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
}

/// The value of the hidden `draft` field of a page.
fn draft_field(html: &str) -> String {
    let start = html
        .find("name=\"draft\" value=\"")
        .expect("the page carries the draft")
        + "name=\"draft\" value=\"".len();
    let end = html[start..].find('"').unwrap() + start;
    decode_html(&html[start..end])
}

/// A server, a thread in an open group, and its writer logged in.
async fn writer_in_a_thread() -> (TestApp, String, Browser) {
    let app = TestApp::spawn().await;
    let scene = Scene::open_group(&app, "draft_admin", "Open Door", &["writer"]).await;
    let id = scene
        .api(&app, "writer")
        .ok_post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Evenings", "body": "Opening words.", "accept_guidelines": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let writer = app.browser();
    writer.login("writer", PASSWORD).await;
    (app, format!("/groups/open-door/threads/{id}"), writer)
}

async fn reply_after_expiry(
    app: &TestApp,
    writer: &Browser,
    thread: &str,
    words: &str,
) -> crate::helpers::Page {
    let token = writer.get(thread).await.csrf();
    expire_sessions(app, "writer").await;
    writer
        .post_raw(
            &format!("{thread}/replies"),
            &[
                ("csrf", &token),
                ("back", thread),
                ("body", words),
                ("content_warning", ""),
            ],
        )
        .await
}

#[tokio::test]
async fn a_reply_sent_after_the_session_expired_returns_to_its_form_after_logging_in() {
    let (app, thread, writer) = writer_in_a_thread().await;
    let posts_before = app.count("posts").await;

    let words = "Thank you all for the kind words about my garden & my \"new\" dog <3";
    let page = reply_after_expiry(&app, &writer, &thread, words).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.body);
    let html = page.text();
    assert!(html.contains("nothing was posted"), "{html}");
    assert!(
        !html.contains("id=\"crisis-panel\""),
        "no crisis lines for ordinary words"
    );
    assert_eq!(app.count("posts").await, posts_before, "nothing posted");
    assert_eq!(
        app.count("kept_drafts").await,
        0,
        "nothing stored while logged out"
    );

    // Logging in lands on the form, with the words in it.
    let draft = draft_field(&page.body);
    let login = writer
        .submit(
            "/login",
            &format!("/login?next={}", thread.replace('/', "%2F")),
            &[
                ("handle", "writer"),
                ("password", PASSWORD),
                ("draft", &draft),
            ],
        )
        .await;
    login.assert_redirects_to(&format!("{thread}?notice=draft-kept"));
    let form = writer.get(login.location()).await.text();
    assert!(form.contains("Your words are in the form again"), "{form}");
    assert!(form.contains(words), "{form}");
    // Shown once, then forgotten; still nothing posted until they send it.
    assert!(!writer.get(&thread).await.text().contains("about my garden"));
    assert_eq!(app.count("kept_drafts").await, 0);
    assert_eq!(app.count("posts").await, posts_before);

    // A mistyped password keeps the words on the log-in page.
    let page = reply_after_expiry(&app, &writer, &thread, "Second try at saying it.").await;
    let draft = draft_field(&page.body);
    let wrong = writer
        .submit(
            "/login",
            "/login",
            &[
                ("handle", "writer"),
                ("password", "not it"),
                ("draft", &draft),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(draft_field(&wrong.body), draft);

    // A form with no words in it goes to log in as before.
    let token = writer.get("/login").await.csrf();
    let follow = writer
        .post_raw(&format!("{thread}/follow"), &[("csrf", &token)])
        .await;
    assert_eq!(follow.status, StatusCode::SEE_OTHER);
    assert!(
        follow.location().starts_with("/login?next="),
        "{}",
        follow.location()
    );
}

#[tokio::test]
async fn risky_words_in_a_draft_that_could_not_be_posted_still_bring_the_crisis_lines() {
    let (app, thread, writer) = writer_in_a_thread().await;
    let risky = "I have the pills saved and I'm taking all of them tonight. Goodbye everyone.";
    let page = reply_after_expiry(&app, &writer, &thread, risky).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    let html = page.text();
    assert!(html.contains("id=\"crisis-panel\""), "{html}");
    assert!(html.contains("988"), "the region's lines: {html}");
    assert!(html.contains("not posted yet"), "{html}");
    assert_eq!(
        app.count("crisis_alerts").await,
        0,
        "nothing raised from a draft"
    );
}
