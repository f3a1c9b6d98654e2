//! A signed-in member's home: their groups with what is new in each (new
//! threads and chat messages, per member, read marks moving as they read),
//! what was said to them since their last visit, and help in reach.

use futures_util::SinkExt;
use reqwest::StatusCode;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{PASSWORD, Scene, TestApp, live_socket, next_of};

/// The home page's text for `browser`.
async fn home(b: &crate::helpers::Browser) -> String {
    let page = b.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.text()
}

#[tokio::test]
async fn the_member_home_shows_what_is_new_in_each_group_until_it_is_read() {
    let app = TestApp::spawn().await;
    let scene = Scene::open_group(&app, "home_admin", "Open Door", &["reader", "writer"]).await;
    let reader = app.browser();
    reader.login("reader", PASSWORD).await;

    // Nothing new yet: the group is there, with help in reach.
    let page = home(&reader).await;
    assert!(page.contains("Welcome back, reader."), "{page}");
    assert!(page.contains(">Open Door</a>"), "{page}");
    assert!(
        page.contains("Nothing new since you last looked."),
        "{page}"
    );
    assert!(page.contains("href=\"/help\""), "{page}");

    // The writer opens a thread, replies, and says three things in chat.
    let writer = scene.api(&app, "writer");
    let thread = writer
        .ok_post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Evenings", "body": "How do you wind down? @reader", "accept_guidelines": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let rooms = writer.get_json("/api/v1/groups/open-door/rooms").await;
    let room = rooms[0]["id"].as_i64().unwrap();
    let mut ws = live_socket(&app, &writer.token).await;
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .unwrap();
    next_of(&mut ws, "subscribed").await;
    for (i, body) in ["Hello all", "Anyone around?", "Tea helps me"]
        .iter()
        .enumerate()
    {
        ws.send(Message::text(
            json!({"type": "send", "room": room, "client_id": format!("c{i}"), "body": body})
                .to_string(),
        ))
        .await
        .unwrap();
        next_of(&mut ws, "ack").await;
    }

    // The reader's home says so, and lists the mention.
    let page = home(&reader).await;
    assert!(page.contains("1 thread with new posts"), "{page}");
    assert!(page.contains("3 new chat messages"), "{page}");
    assert!(page.contains("mentioned you in"), "{page}");
    // The writer's own words are nothing new to the writer.
    let writer_page = app.browser();
    writer_page.login("writer", PASSWORD).await;
    let mine = home(&writer_page).await;
    assert!(
        !mine.contains("new posts") && !mine.contains("new chat"),
        "{mine}"
    );

    // The thread is marked new in the group's list until it is read.
    let group = reader.get("/groups/open-door").await.text();
    assert!(group.contains("badge-new"), "{group}");
    reader
        .get(&format!("/groups/open-door/threads/{thread}"))
        .await;
    let group = reader.get("/groups/open-door").await.text();
    assert!(!group.contains("badge-new"), "{group}");
    let page = home(&reader).await;
    assert!(!page.contains("thread with new posts"), "{page}");
    assert!(page.contains("3 new chat messages"), "{page}");

    // Opening the room reads it.
    reader.get("/groups/open-door/chat").await;
    let page = home(&reader).await;
    assert!(
        page.contains("Nothing new since you last looked."),
        "{page}"
    );

    // A later message is new again; a live connection's read mark clears it.
    ws.send(Message::text(
        json!({"type": "send", "room": room, "client_id": "c9", "body": "Good night"}).to_string(),
    ))
    .await
    .unwrap();
    let seq = next_of(&mut ws, "ack").await["seq"].as_i64().unwrap();
    assert!(home(&reader).await.contains("1 new chat message"));
    let reader_token = app.api_login("reader", PASSWORD).await;
    let mut live = live_socket(&app, &reader_token).await;
    // A read mark for a room it is not subscribed to is ignored.
    live.send(Message::text(
        json!({"type": "read", "room": room, "seq": seq}).to_string(),
    ))
    .await
    .unwrap();
    live.send(Message::text(
        json!({"type": "subscribe", "room": room, "since": seq - 1}).to_string(),
    ))
    .await
    .unwrap();
    next_of(&mut live, "subscribed").await;
    assert!(home(&reader).await.contains("1 new chat message"));
    next_of(&mut live, "message").await;
    // Two marks in a moment: the first is stored, the second waits its
    // turn (a connection stores one every 2 s) and is stored when the room
    // is left. Frames are handled in order: the answer to a bad frame
    // comes after both.
    for mark in [seq - 1, seq] {
        live.send(Message::text(
            json!({"type": "read", "room": room, "seq": mark}).to_string(),
        ))
        .await
        .unwrap();
    }
    live.send(Message::text("{\"type\":\"nonsense\"}"))
        .await
        .unwrap();
    next_of(&mut live, "error").await;
    assert!(
        home(&reader).await.contains("1 new chat message"),
        "the later mark waits"
    );
    live.send(Message::text(
        json!({"type": "unsubscribe", "room": room}).to_string(),
    ))
    .await
    .unwrap();
    next_of(&mut live, "unsubscribed").await;
    let page = home(&reader).await;
    assert!(
        page.contains("Nothing new since you last looked."),
        "{page}"
    );
}

#[tokio::test]
async fn a_member_with_no_group_is_shown_the_way_to_one() {
    let app = TestApp::spawn().await;
    let b = app.member("newcomer").await;
    let page = home(&b).await;
    assert!(page.contains("You have not joined a group yet."), "{page}");
    assert!(page.contains("href=\"/welcome\""), "{page}");
    assert!(page.contains("Nothing new for you"), "{page}");
    // Someone not logged in still gets the public page.
    let visitor = app.browser().get("/").await.text();
    assert!(visitor.contains("href=\"/register\""), "{visitor}");
    assert!(!visitor.contains("Your groups"), "{visitor}");
}
