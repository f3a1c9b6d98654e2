//! Chat over `/live`: acknowledgements after storage, sequence numbers
//! without gaps, harmless re-sends, resuming after a dropped connection,
//! and everyone who may not be there refused.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::send_json as send;
use crate::helpers::{Scene, TestApp};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn live_request(
    app: &TestApp,
    token: Option<&str>,
    origin: Option<&str>,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let url = format!("{}/live", app.base.replacen("http://", "ws://", 1));
    let mut req = url.into_client_request().unwrap();
    if let Some(t) = token {
        req.headers_mut()
            .insert("authorization", format!("Bearer {t}").parse().unwrap());
    }
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    req
}

async fn connect(app: &TestApp, token: &str) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(live_request(app, Some(token), None))
        .await
        .unwrap();
    ws
}

/// The next JSON frame that is not presence or typing (failing after 5 s
/// of silence).
async fn next(ws: &mut Ws) -> Value {
    loop {
        let f = next_any(ws).await;
        if f["type"] != "presence" && f["type"] != "typing" {
            return f;
        }
    }
}

/// The next JSON frame of any kind.
async fn next_any(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .expect("the connection is open")
            .unwrap();
        match msg {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn subscribed(room: i64, last_seq: i64) -> Value {
    json!({"type": "subscribed", "room": room, "last_seq": last_seq,
           "name": "Chat", "locked": false, "slow_seconds": 0})
}

/// An admin's open group with two members; returns their tokens and the room.
async fn room_with_members(app: &TestApp) -> (String, String, String, i64) {
    let scene = Scene::open_group(app, "chat_admin", "Open Door", &["alex", "blair"]).await;
    let (status, rooms) = scene
        .api(app, "alex")
        .get(&format!("/api/v1/groups/{}/rooms", scene.slug))
        .await;
    assert_eq!(status, StatusCode::OK, "{rooms}");
    let room = rooms[0]["id"].as_i64().unwrap();
    let admin_token = app.api_login("chat_admin", crate::helpers::PASSWORD).await;
    (
        scene.tokens["alex"].clone(),
        scene.tokens["blair"].clone(),
        admin_token,
        room,
    )
}

#[tokio::test]
async fn members_chat_live_with_acks_and_a_resend_is_stored_once() {
    let app = TestApp::spawn().await;
    let (a, b, _, room) = room_with_members(&app).await;
    let mut wa = connect(&app, &a).await;
    let mut wb = connect(&app, &b).await;
    for ws in [&mut wa, &mut wb] {
        send(ws, json!({"type": "subscribe", "room": room})).await;
        assert_eq!(next(ws).await, subscribed(room, 0));
    }
    let deliveries = app.metric("hearth_chat_deliveries_total").await;
    send(
        &mut wa,
        json!({"type": "send", "room": room, "client_id": "c1", "body": "hello, anyone here?"}),
    )
    .await;
    assert_eq!(
        next(&mut wa).await,
        json!({"type": "ack", "room": room, "client_id": "c1", "seq": 1})
    );
    let got = next(&mut wb).await;
    assert_eq!(got["type"], "message");
    assert_eq!(got["seq"], 1);
    assert_eq!(got["author"], "alex");
    assert_eq!(got["body"], "hello, anyone here?");
    assert_eq!(got["client_id"], "c1");
    assert!(got["at"].as_i64().unwrap() > 0);
    // The sender sees its own message in the stream too.
    assert_eq!(next(&mut wa).await["seq"], 1);
    // Metrics count both deliveries (other tests may add theirs).
    assert!(app.metric("hearth_chat_deliveries_total").await >= deliveries + 2.0);

    // Re-sending the same client id: the same ack, nothing new stored.
    send(
        &mut wa,
        json!({"type": "send", "room": room, "client_id": "c1", "body": "hello, anyone here?"}),
    )
    .await;
    assert_eq!(
        next(&mut wa).await,
        json!({"type": "ack", "room": room, "client_id": "c1", "seq": 1})
    );
    send(
        &mut wb,
        json!({"type": "send", "room": room, "client_id": "c1", "body": "yes, I am"}),
    )
    .await;
    assert_eq!(next(&mut wb).await["seq"], 2, "client ids are per author");
    assert_eq!(
        next(&mut wa).await["seq"],
        2,
        "no duplicate of 1 came first"
    );
    assert_eq!(app.count("messages").await, 2);
}

#[tokio::test]
async fn a_client_that_reconnects_gets_everything_after_its_last_seq_once_in_order() {
    let app = TestApp::spawn().await;
    let (a, b, _, room) = room_with_members(&app).await;
    let mut wa = connect(&app, &a).await;
    send(&mut wa, json!({"type": "subscribe", "room": room})).await;
    next(&mut wa).await;
    let mut wb = connect(&app, &b).await;
    send(&mut wb, json!({"type": "subscribe", "room": room})).await;
    next(&mut wb).await;
    for i in 1..=2 {
        send(&mut wa, json!({"type": "send", "room": room, "client_id": format!("m{i}"), "body": format!("message {i}")})).await;
    }
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let f = next(&mut wb).await;
        seen.push(f["seq"].as_i64().unwrap());
    }
    assert_eq!(seen, [1, 2]);
    // B drops its connection mid-conversation.
    drop(wb);
    for i in 3..=7 {
        send(&mut wa, json!({"type": "send", "room": room, "client_id": format!("m{i}"), "body": format!("message {i}")})).await;
    }
    // Every message is stored once its ack arrives (the first two acks
    // are still queued ahead of these).
    loop {
        let f = next(&mut wa).await;
        if f["type"] == "ack" && f["seq"] == 7 {
            break;
        }
    }
    let mut wb = connect(&app, &b).await;
    send(
        &mut wb,
        json!({"type": "subscribe", "room": room, "since": 2}),
    )
    .await;
    assert_eq!(next(&mut wb).await, subscribed(room, 7));
    let mut got = Vec::new();
    for _ in 3..=7 {
        let f = next(&mut wb).await;
        assert_eq!(f["type"], "message");
        got.push((
            f["seq"].as_i64().unwrap(),
            f["body"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [3, 4, 5, 6, 7]);
    assert_eq!(got[0].1, "message 3");
    // Then the live stream, without repeats.
    send(
        &mut wa,
        json!({"type": "send", "room": room, "client_id": "m8", "body": "message 8"}),
    )
    .await;
    assert_eq!(next(&mut wb).await["seq"], 8);
    // A new client (since 0) starts with the recent history.
    let mut wc = connect(&app, &a).await;
    send(&mut wc, json!({"type": "subscribe", "room": room})).await;
    next(&mut wc).await;
    assert_eq!(next(&mut wc).await["seq"], 1);
}

#[tokio::test]
async fn strangers_foreign_origins_and_visitors_are_refused() {
    let app = TestApp::spawn().await;
    let (a, _, _, room) = room_with_members(&app).await;
    let stranger = app.api_member("stranger").await;

    // No credentials: 401. A foreign Origin: 403, even with a valid token.
    let err = tokio_tungstenite::connect_async(live_request(&app, None, None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
    let err = tokio_tungstenite::connect_async(live_request(
        &app,
        Some(&a),
        Some("https://evil.invalid"),
    ))
    .await
    .unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    // Our own Origin is fine.
    let ours = app.base.clone();
    assert!(
        tokio_tungstenite::connect_async(live_request(&app, Some(&a), Some(&ours)))
            .await
            .is_ok()
    );
    // A browser session (cookie) must come with our Origin.
    let page = app
        .browser()
        .register("cookie_person", crate::helpers::PASSWORD)
        .await;
    let session = page
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("hearth_session="))
        .unwrap();
    let session = session.split(';').next().unwrap().to_owned();
    let mut req = live_request(&app, None, None);
    req.headers_mut().insert("cookie", session.parse().unwrap());
    let err = tokio_tungstenite::connect_async(req).await.unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    let mut req = live_request(&app, None, Some(&ours));
    req.headers_mut().insert("cookie", session.parse().unwrap());
    assert!(tokio_tungstenite::connect_async(req).await.is_ok());

    // A non-member cannot subscribe or send.
    let mut ws = connect(&app, &stranger).await;
    send(&mut ws, json!({"type": "subscribe", "room": room})).await;
    let e = next(&mut ws).await;
    assert_eq!(
        (e["type"].as_str(), e["code"].as_str()),
        (Some("error"), Some("not_member"))
    );
    send(
        &mut ws,
        json!({"type": "send", "room": room, "client_id": "x", "body": "let me in"}),
    )
    .await;
    assert_eq!(next(&mut ws).await["code"], "not_member");
    send(&mut ws, json!({"type": "subscribe", "room": 999_999})).await;
    assert_eq!(next(&mut ws).await["code"], "not_found");
    assert_eq!(app.count("messages").await, 0);
}

#[tokio::test]
async fn bad_frames_get_error_frames_and_limits_hold() {
    let app = TestApp::spawn().await;
    let (a, b, admin, room) = room_with_members(&app).await;
    let mut ws = connect(&app, &a).await;
    for bad in [
        "not json",
        "{\"type\":\"explode\"}",
        "{\"type\":\"send\",\"room\":1}",
        "[1,2]",
    ] {
        ws.send(Message::Text(bad.into())).await.unwrap();
        let e = next(&mut ws).await;
        assert_eq!(e["code"], "bad_frame", "{bad}");
    }
    ws.send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .unwrap();
    assert_eq!(next(&mut ws).await["code"], "bad_frame");
    let long = "x".repeat(4001);
    send(
        &mut ws,
        json!({"type": "send", "room": room, "client_id": "long", "body": long}),
    )
    .await;
    let e = next(&mut ws).await;
    assert_eq!(
        (e["code"].as_str(), e["client_id"].as_str()),
        (Some("too_large"), Some("long"))
    );
    send(
        &mut ws,
        json!({"type": "send", "room": room, "client_id": "", "body": "hi"}),
    )
    .await;
    assert_eq!(next(&mut ws).await["code"], "invalid");
    send(
        &mut ws,
        json!({"type": "send", "room": room, "client_id": "blank", "body": "   "}),
    )
    .await;
    assert_eq!(next(&mut ws).await["code"], "invalid");
    // A flood: the first ten go through, then a clear refusal (nothing dropped silently).
    let mut codes = Vec::new();
    for i in 0..12 {
        send(
            &mut ws,
            json!({"type": "send", "room": room, "client_id": format!("f{i}"), "body": "flood"}),
        )
        .await;
        let f = next(&mut ws).await;
        codes.push(f["type"].as_str().unwrap().to_owned() + ":" + f["code"].as_str().unwrap_or(""));
    }
    assert_eq!(
        codes.iter().filter(|c| c.as_str() == "ack:").count(),
        10,
        "{codes:?}"
    );
    assert_eq!(codes.last().unwrap(), "error:rate_limited");
    // An oversize frame closes that connection only.
    let huge = "y".repeat(hearth::live::ws::MAX_FRAME + 1024);
    let _ = ws.send(Message::Text(huge.into())).await;
    let end = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap();
    assert!(
        matches!(end, None | Some(Ok(Message::Close(_))) | Some(Err(_))),
        "{end:?}"
    );
    let mut other = connect(&app, &b).await;
    send(&mut other, json!({"type": "subscribe", "room": room})).await;
    assert_eq!(next(&mut other).await["type"], "subscribed");

    // A member removed from the group is refused at their next send.
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'blair'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let (status, _) = app
        .api(&admin)
        .delete(&format!("/api/v1/groups/open-door/members/{id}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Their open connection stops receiving the room at once: it is told,
    // and what is said next does not reach it.
    let mut speaker = connect(&app, &a).await;
    loop {
        let f = next(&mut other).await;
        if f["type"] == "error" {
            assert_eq!(f["code"], "not_member");
            break;
        }
    }
    // (alex's allowance is spent by the flood above; wait for one token)
    tokio::time::sleep(Duration::from_millis(600)).await;
    send(
        &mut speaker,
        json!({"type": "send", "room": room, "client_id": "private", "body": "only for members now"}),
    )
    .await;
    assert_eq!(next(&mut speaker).await["type"], "ack");
    send(&mut other, json!({"type": "typing", "room": room})).await;
    send(
        &mut other,
        json!({"type": "send", "room": room, "client_id": "after", "body": "still here?"}),
    )
    .await;
    let f = next_any(&mut other).await;
    assert_eq!(f["code"], "not_member", "no message, no typing: {f}");
}

#[tokio::test]
async fn the_rate_limit_is_per_member_and_a_resend_is_never_refused() {
    let app = TestApp::spawn().await;
    let (a, _, admin, room) = room_with_members(&app).await;
    // Two connections of one member share one allowance.
    let mut one = connect(&app, &a).await;
    let mut two = connect(&app, &a).await;
    let mut codes = Vec::new();
    for i in 0..12 {
        let ws = if i % 2 == 0 { &mut one } else { &mut two };
        send(
            ws,
            json!({"type": "send", "room": room, "client_id": format!("r{i}"), "body": "hello"}),
        )
        .await;
        let f = next(ws).await;
        codes.push(f["type"].as_str().unwrap().to_owned() + ":" + f["code"].as_str().unwrap_or(""));
    }
    assert_eq!(
        codes.iter().filter(|c| c.as_str() == "ack:").count(),
        10,
        "{codes:?}"
    );
    // A re-send of something stored gets its ack even now, when a new
    // message is refused.
    send(
        &mut one,
        json!({"type": "send", "room": room, "client_id": "r0", "body": "hello"}),
    )
    .await;
    assert_eq!(
        next(&mut one).await,
        json!({"type": "ack", "room": room, "client_id": "r0", "seq": 1})
    );
    // And under slow mode.
    let (status, _) = app
        .api(&admin)
        .patch(
            &format!("/api/v1/groups/open-door/rooms/{room}"),
            json!({"slow_seconds": 300}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    send(
        &mut two,
        json!({"type": "send", "room": room, "client_id": "r1", "body": "hello"}),
    )
    .await;
    assert_eq!(until(&mut two, "ack").await["seq"], 2);
}

/// Two nodes on one database, joined by NATS: a message sent through one
/// reaches a subscriber on the other at once, in order. Needs a NATS server
/// (CI starts one and runs it with `--include-ignored`):
/// `HEARTH_TEST_NATS_URL=nats://127.0.0.1:4222 cargo test --test it -- --include-ignored two_nodes`.
#[tokio::test]
#[ignore = "needs a NATS server named by HEARTH_TEST_NATS_URL"]
async fn two_nodes_share_a_room_through_the_bus() {
    let nats = std::env::var("HEARTH_TEST_NATS_URL")
        .expect("HEARTH_TEST_NATS_URL names the NATS server this test needs");
    let bus = nats.clone();
    let a = TestApp::spawn_with(|s| s.bus = Some(bus)).await;
    let b = a.another_node(|s| s.bus = Some(nats)).await;
    let (alex, blair, _, room) = room_with_members(&a).await;
    let mut on_b = connect(&b, &blair).await;
    send(&mut on_b, json!({"type": "subscribe", "room": room})).await;
    assert_eq!(next(&mut on_b).await["type"], "subscribed");
    let mut on_a = connect(&a, &alex).await;
    // Eight: within one member's burst allowance.
    for i in 1..=8 {
        let started = std::time::Instant::now();
        send(&mut on_a, json!({"type": "send", "room": room, "client_id": format!("n{i}"), "body": format!("across {i}")})).await;
        let got = next(&mut on_b).await;
        assert_eq!(got["seq"], i, "in order, none missing");
        assert_eq!(got["body"], format!("across {i}"));
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "delivered by the bus, not the periodic check: {:?}",
            started.elapsed()
        );
        assert_eq!(next(&mut on_a).await["type"], "ack");
    }
    // Presence and typing, never stored, cross the bus too.
    send(&mut on_a, json!({"type": "subscribe", "room": room})).await;
    loop {
        let here = until(&mut on_b, "presence").await;
        if here["here"] == json!(["alex", "blair"]) {
            break;
        }
    }
    send(&mut on_a, json!({"type": "typing", "room": room})).await;
    assert_eq!(until(&mut on_b, "typing").await["author"], "alex");
}

/// The room works as a page without JavaScript, and a page's message
/// reaches live clients too.
#[tokio::test]
async fn the_chat_page_sends_and_shows_messages_without_javascript() {
    let app = TestApp::spawn().await;
    let (a, _, _, room) = room_with_members(&app).await;
    let mut live = connect(&app, &a).await;
    send(&mut live, json!({"type": "subscribe", "room": room})).await;
    next(&mut live).await;

    let m = app.member("page_chatter").await;
    m.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    let page = m.get("/groups/open-door/chat").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("No messages yet"));
    let marker = "name=\"client_id\" value=\"";
    let start = page.body.find(marker).unwrap() + marker.len();
    let client_id = page.body[start..start + 32].to_owned();
    let token = page.csrf();
    for _ in 0..2 {
        // The same form twice (a double click) stores one message.
        let r = m
            .post_raw(
                "/groups/open-door/chat",
                &[
                    ("csrf", &token),
                    ("client_id", &client_id),
                    ("body", "<b>hi</b> from a page"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    assert_eq!(app.count("messages").await, 1);
    let shown = m.get("/groups/open-door/chat").await;
    assert!(shown.text().contains("<b>hi</b> from a page") && !shown.body.contains("<b>hi</b>"));
    assert!(shown.text().contains("page_chatter"));
    let got = next(&mut live).await;
    assert_eq!(
        (got["seq"].as_i64(), got["author"].as_str()),
        (Some(1), Some("page_chatter"))
    );

    let empty = m
        .post_raw(
            "/groups/open-door/chat",
            &[("csrf", &token), ("client_id", "abc"), ("body", " ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .text()
            .contains("Write a message of at most 4,000 characters.")
    );
    let stranger = app.member("chat_stranger").await;
    assert_eq!(
        stranger.get("/groups/open-door/chat").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Thousands of mangled frames (valid ones cut, spliced, retyped and
/// garbled) over one connection: each gets an answer or is ignored, none
/// closes the connection or harms the server, and the room still works.
#[tokio::test]
async fn mangled_frames_never_break_the_connection() {
    let app = TestApp::spawn().await;
    let (a, b, _, room) = room_with_members(&app).await;
    let mut ws = connect(&app, &a).await;
    let seeds = [
        json!({"type": "subscribe", "room": room, "since": 0}).to_string(),
        json!({"type": "unsubscribe", "room": room}).to_string(),
        json!({"type": "send", "room": room, "client_id": "z", "body": "hello"}).to_string(),
    ];
    let junk = [
        "\"",
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "null",
        "-1",
        "1e999",
        "\\u0000",
        "\u{1F600}",
        "type",
        "room",
        "9223372036854775808",
        "true",
    ];
    let mut state: u64 = 0x5eed;
    let mut rand = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n.max(1)
    };
    for i in 0..2000 {
        let mut frame: Vec<char> = seeds[rand(seeds.len())].chars().collect();
        for _ in 0..1 + rand(4) {
            let at = rand(frame.len() + 1);
            match rand(3) {
                0 => frame.truncate(at),
                1 => {
                    let piece: Vec<char> = junk[rand(junk.len())].chars().collect();
                    frame.splice(at..at, piece);
                }
                _ => {
                    if at < frame.len() {
                        frame.remove(at);
                    }
                }
            }
        }
        let text: String = frame.into_iter().collect();
        ws.send(Message::Text(text.clone().into())).await.unwrap();
        // Every frame is answered (errors included) except those that
        // happen to be valid subscribe/unsubscribe/sends, which answer too.
        let reply = next(&mut ws).await;
        assert!(reply["type"].is_string(), "frame {i} {text:?}: {reply}");
    }
    // The connection and the room still work, for this client and others.
    let mut other = connect(&app, &b).await;
    send(&mut other, json!({"type": "subscribe", "room": room})).await;
    assert_eq!(next(&mut other).await["type"], "subscribed");
    let ok = app.http().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

/// Waits for a frame of `kind`, skipping others (failing after 5 s each).
async fn until(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let f = next_any(ws).await;
        if f["type"] == kind {
            return f;
        }
    }
}

#[tokio::test]
async fn authors_edit_and_delete_facilitators_remove_and_a_resume_replays_it_all() {
    let app = TestApp::spawn().await;
    let (a, b, admin, room) = room_with_members(&app).await;
    let mut wa = connect(&app, &a).await;
    let mut wb = connect(&app, &b).await;
    for ws in [&mut wa, &mut wb] {
        send(ws, json!({"type": "subscribe", "room": room})).await;
        next(ws).await;
    }
    for (id, body) in [("m1", "first try"), ("m2", "something I regret")] {
        send(
            &mut wa,
            json!({"type": "send", "room": room, "client_id": id, "body": body}),
        )
        .await;
        assert_eq!(next(&mut wa).await["type"], "ack");
        assert_eq!(next(&mut wa).await["type"], "message");
        assert_eq!(next(&mut wb).await["type"], "message");
    }
    // The author edits message 1: everyone sees the new text.
    let edit = json!({"type": "edit", "room": room, "target": 1, "client_id": "e1", "body": "first try, fixed"});
    send(&mut wa, edit.clone()).await;
    assert_eq!(
        next(&mut wa).await,
        json!({"type": "ack", "room": room, "client_id": "e1", "seq": 3})
    );
    let got = next(&mut wb).await;
    assert_eq!(
        (
            got["type"].as_str(),
            got["seq"].as_i64(),
            got["target"].as_i64(),
            got["body"].as_str()
        ),
        (Some("edit"), Some(3), Some(1), Some("first try, fixed"))
    );
    next(&mut wa).await;
    // Sending the same edit again changes nothing.
    send(&mut wa, edit).await;
    assert_eq!(next(&mut wa).await["seq"], 3);
    // Someone else's message can be neither edited nor deleted by a member.
    send(
        &mut wb,
        json!({"type": "edit", "room": room, "target": 1, "client_id": "x1", "body": "mine now"}),
    )
    .await;
    assert_eq!(next(&mut wb).await["code"], "forbidden");
    send(
        &mut wb,
        json!({"type": "delete", "room": room, "target": 2, "client_id": "x2"}),
    )
    .await;
    assert_eq!(next(&mut wb).await["code"], "forbidden");
    send(
        &mut wb,
        json!({"type": "delete", "room": room, "target": 99, "client_id": "x3"}),
    )
    .await;
    assert_eq!(next(&mut wb).await["code"], "no_message");
    // The author deletes message 2; staff remove message 1.
    send(
        &mut wa,
        json!({"type": "delete", "room": room, "target": 2, "client_id": "d2"}),
    )
    .await;
    assert_eq!(next(&mut wa).await["seq"], 4);
    let got = next(&mut wb).await;
    assert_eq!(
        (got["type"].as_str(), got["by"].as_str()),
        (Some("delete"), Some("author"))
    );
    let mut staff = connect(&app, &admin).await;
    send(
        &mut staff,
        json!({"type": "delete", "room": room, "target": 1, "client_id": "r1"}),
    )
    .await;
    assert_eq!(next(&mut staff).await["type"], "ack");
    let got = next(&mut wb).await;
    assert_eq!(
        (
            got["type"].as_str(),
            got["target"].as_i64(),
            got["by"].as_str()
        ),
        (Some("delete"), Some(1), Some("moderator"))
    );
    // A deleted message cannot be edited, and its words are gone from the
    // database: the message's and its edit's.
    send(
        &mut wa,
        json!({"type": "edit", "room": room, "target": 2, "client_id": "e2", "body": "back"}),
    )
    .await;
    let e = loop {
        let f = next(&mut wa).await;
        if f["type"] == "error" {
            break f;
        }
    };
    assert_eq!(e["code"], "no_message");
    let words: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE body LIKE '%first try%' OR body LIKE '%regret%'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(words, 0);
    // Resuming from the start replays messages as they stand now, then
    // the edit and deletions, in order.
    let mut wc = connect(&app, &b).await;
    send(&mut wc, json!({"type": "subscribe", "room": room})).await;
    next(&mut wc).await;
    let mut kinds = Vec::new();
    for _ in 0..5 {
        let f = next(&mut wc).await;
        kinds.push(format!(
            "{}{}:{}",
            f["type"].as_str().unwrap(),
            f["seq"],
            f["deleted"].as_str().unwrap_or("")
        ));
    }
    assert_eq!(
        kinds,
        [
            "message1:moderator",
            "message2:author",
            "edit3:",
            "delete4:",
            "delete5:"
        ]
    );
    // The history API shows the same.
    let history: Value = app
        .api(&b)
        .get_json(&format!("/api/v1/groups/open-door/rooms/{room}/messages"))
        .await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["deleted"], "moderator");
    assert_eq!(history[0]["body"], "");
}

#[tokio::test]
async fn typing_and_presence_reach_the_others_and_are_never_stored() {
    let app = TestApp::spawn().await;
    let (a, b, _, room) = room_with_members(&app).await;
    let mut wa = connect(&app, &a).await;
    send(&mut wa, json!({"type": "subscribe", "room": room})).await;
    assert_eq!(until(&mut wa, "presence").await["here"], json!(["alex"]));
    let mut wb = connect(&app, &b).await;
    send(&mut wb, json!({"type": "subscribe", "room": room})).await;
    assert_eq!(
        until(&mut wb, "presence").await["here"],
        json!(["alex", "blair"])
    );
    assert_eq!(
        until(&mut wa, "presence").await["here"],
        json!(["alex", "blair"])
    );
    send(&mut wa, json!({"type": "typing", "room": room})).await;
    assert_eq!(
        until(&mut wb, "typing").await,
        json!({"type": "typing", "room": room, "author": "alex"})
    );
    // Typing for a room one has not opened goes nowhere.
    send(&mut wa, json!({"type": "typing", "room": room + 1})).await;
    drop(wb);
    assert_eq!(until(&mut wa, "presence").await["here"], json!(["alex"]));
    assert_eq!(app.count("messages").await, 0);
}

#[tokio::test]
async fn facilitators_add_rooms_and_set_slow_mode_and_the_lock() {
    let app = TestApp::spawn().await;
    let (a, b, admin, room) = room_with_members(&app).await;
    let (member_a, member_b, staff_api) = (app.api(&a), app.api(&b), app.api(&admin));
    let rooms = "/api/v1/groups/open-door/rooms";
    // Members cannot add rooms; staff (and facilitators) can.
    let (status, _) = member_a.post(rooms, json!({"name": "Off-topic"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, check_in) = staff_api.post(rooms, json!({"name": "Check-in"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(check_in["slug"], "check-in");
    let listed: Value = member_b.get_json(rooms).await;
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Chat", "Check-in"]);
    let (status, _) = staff_api.post(rooms, json!({"name": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for i in 3..=10 {
        let (status, _) = staff_api
            .post(rooms, json!({"name": format!("Room {i}")}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = staff_api.post(rooms, json!({"name": "One too many"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Slow mode: connected members are told, and a second message within
    // the interval is refused with how long to wait.
    let mut wa = connect(&app, &a).await;
    send(&mut wa, json!({"type": "subscribe", "room": room})).await;
    next(&mut wa).await;
    let controls = format!("/api/v1/groups/open-door/rooms/{room}");
    let (status, _) = staff_api.patch(&controls, json!({"slow_seconds": 7})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = staff_api
        .patch(&controls, json!({"slow_seconds": 30}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        until(&mut wa, "room").await,
        json!({"type": "room", "room": room, "name": "Chat", "locked": false, "slow_seconds": 30})
    );
    send(
        &mut wa,
        json!({"type": "send", "room": room, "client_id": "s1", "body": "one"}),
    )
    .await;
    assert_eq!(next(&mut wa).await["type"], "ack");
    send(
        &mut wa,
        json!({"type": "send", "room": room, "client_id": "s2", "body": "two"}),
    )
    .await;
    let e = until(&mut wa, "error").await;
    assert_eq!(e["code"], "slow_mode");
    assert!(
        (1..=30).contains(&e["retry_after"].as_i64().unwrap()),
        "{e}"
    );
    // Locked: members read but cannot write; staff still can.
    let (status, _) = staff_api
        .patch(&controls, json!({"slow_seconds": 0, "locked": true}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(until(&mut wa, "room").await["locked"], true);
    send(
        &mut wa,
        json!({"type": "send", "room": room, "client_id": "s3", "body": "three"}),
    )
    .await;
    assert_eq!(until(&mut wa, "error").await["code"], "room_locked");
    let mut staff = connect(&app, &admin).await;
    send(&mut staff, json!({"type": "send", "room": room, "client_id": "calm", "body": "Pausing here for a bit."})).await;
    assert_eq!(next(&mut staff).await["type"], "ack");
    // Members cannot change the controls.
    let (status, _) = member_b.patch(&controls, json!({"locked": false})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Without JavaScript: delete and edit through forms, and a facilitator's
/// room controls.
#[tokio::test]
async fn the_room_pages_edit_delete_and_control_without_javascript() {
    let app = TestApp::spawn().await;
    let admin = app.staff("page_admin", "admin").await;
    admin.create_group("Quiet Harbour", &[]).await;
    let m = app.member("page_member").await;
    m.submit("/groups/quiet-harbour", "/groups/quiet-harbour/join", &[])
        .await;
    let r = m
        .submit(
            "/groups/quiet-harbour/chat",
            "/groups/quiet-harbour/chat/chat",
            &[("client_id", "p1"), ("body", "typo here")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let edit = m
        .get("/groups/quiet-harbour/chat/chat/messages/1/edit")
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("typo here"));
    let r = m
        .submit(
            "/groups/quiet-harbour/chat/chat/messages/1/edit",
            "/groups/quiet-harbour/chat/chat/messages/1/edit",
            &[("client_id", "e1"), ("body", "no typo here")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = m.get("/groups/quiet-harbour/chat").await;
    assert!(page.text().contains("no typo here") && page.text().contains("(edited)"));
    // Edited into words of danger: the room opens on the crisis lines,
    // right above the composer, as after sending.
    let r = m
        .submit(
            "/groups/quiet-harbour/chat/chat/messages/1/edit",
            "/groups/quiet-harbour/chat/chat/messages/1/edit",
            &[
                ("client_id", "e2"),
                (
                    "body",
                    "I have the pills counted out and I'm taking them tonight.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let location = r.headers["location"].to_str().unwrap().to_owned();
    assert!(location.ends_with("?crisis=1#crisis-panel"), "{location}");
    let page = m.get(&location).await;
    let (panel, log, form) = (
        page.body
            .find("id=\"crisis-panel\"")
            .expect("the crisis panel"),
        page.body.find("id=\"chat-log\"").expect("the log"),
        page.body.find("id=\"chat-form\"").expect("the composer"),
    );
    assert!(
        log < panel && panel < form,
        "between the log and the composer"
    );
    let r = m
        .submit(
            "/groups/quiet-harbour/chat",
            "/groups/quiet-harbour/chat/chat/messages/1/delete",
            &[("client_id", "d1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = m.get("/groups/quiet-harbour/chat").await;
    assert!(page.text().contains("This message was deleted."));
    assert!(!page.text().contains("no typo here"));

    // The facilitator adds a room and locks it; the member reads it but
    // gets no composer, and a posted form is refused with the reason.
    let r = admin
        .submit(
            "/groups/quiet-harbour/chat",
            "/groups/quiet-harbour/rooms",
            &[("name", "Check-in")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = admin
        .submit(
            "/groups/quiet-harbour/chat/check-in",
            "/groups/quiet-harbour/chat/check-in/settings",
            &[
                ("name", "Check-in"),
                ("slow_seconds", "0"),
                ("locked", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = m.get("/groups/quiet-harbour/chat/check-in").await;
    assert!(page.text().contains("This room is locked"));
    assert!(!page.body.contains("id=\"chat-form\""));
    let main = m.get("/groups/quiet-harbour/chat").await;
    assert!(main.body.contains("/groups/quiet-harbour/chat/check-in"));
    let token = main.csrf();
    let r = m
        .post_raw(
            "/groups/quiet-harbour/chat/check-in",
            &[
                ("csrf", &token),
                ("client_id", "locked1"),
                ("body", "hello?"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("only its facilitators can write"));
    // Slow mode on a page: the text stays in the box with the wait.
    let r = admin
        .submit(
            "/groups/quiet-harbour/chat",
            "/groups/quiet-harbour/chat/chat/settings",
            &[("name", "Chat"), ("slow_seconds", "60")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // (A newcomer: the member above wrote a moment ago, which counts.)
    let n = app.member("page_newcomer").await;
    n.submit("/groups/quiet-harbour", "/groups/quiet-harbour/join", &[])
        .await;
    let n_token = n.get("/groups/quiet-harbour/chat").await.csrf();
    for (i, expect) in [
        (1, StatusCode::SEE_OTHER),
        (2, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = n
            .post_raw(
                "/groups/quiet-harbour/chat",
                &[
                    ("csrf", &n_token),
                    ("client_id", &format!("slow{i}")),
                    ("body", "keep these words"),
                ],
            )
            .await;
        assert_eq!(r.status, expect);
        if i == 2 {
            assert!(
                r.text()
                    .contains("Slow mode is on: you can send your next message in")
            );
            assert!(r.body.contains("keep these words"));
        }
    }
    // A member cannot change a room's controls.
    let r = m
        .post_raw(
            "/groups/quiet-harbour/chat/chat/settings",
            &[("csrf", &token), ("name", "Mine"), ("slow_seconds", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Subscribing reads history, so it is counted: a flood of `subscribe`
/// frames gets a few through (the burst) and `rate_limited` for the rest,
/// not history a thousand times over; writing is not slowed by it.
#[tokio::test]
async fn a_flood_of_subscriptions_is_refused_past_the_limit() {
    let app = TestApp::spawn().await;
    let (a, _, _, room) = room_with_members(&app).await;
    let mut ws = connect(&app, &a).await;
    for i in 0..200 {
        send(
            &mut ws,
            json!({"type": "subscribe", "room": room, "since": 0}),
        )
        .await;
        if i == 199 {
            send(
                &mut ws,
                json!({"type": "send", "room": room, "client_id": "after", "body": "still here"}),
            )
            .await;
        }
    }
    let (mut subscribed, mut limited) = (0, 0);
    loop {
        let f = next_any(&mut ws).await;
        match f["type"].as_str() {
            Some("subscribed") => subscribed += 1,
            Some("error") if f["code"] == "rate_limited" => {
                assert_eq!(f["room"], room);
                limited += 1;
            }
            Some("ack") => break,
            _ => {}
        }
    }
    assert!(subscribed <= 20, "{subscribed} subscriptions went through");
    assert!(limited >= 150, "only {limited} refused");
}

/// The next close frame's code (failing after 5 s), skipping other frames.
async fn closed_with(ws: &mut Ws) -> u16 {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("closed within 5 s");
        match msg {
            Some(Ok(Message::Close(Some(frame)))) => return u16::from(frame.code),
            Some(Ok(Message::Close(None))) | None | Some(Err(_)) => return 0,
            Some(Ok(_)) => continue,
        }
    }
}

/// A live connection lasts no longer than its session: logging out closes
/// it at once with code 4001 while another session's connection stays open;
/// a suspension closes every connection of the account.
#[tokio::test]
async fn a_live_connection_closes_when_its_session_ends() {
    let app = TestApp::spawn().await;
    let (a, b, _, room) = room_with_members(&app).await;
    let second = app.api_login("alex", crate::helpers::PASSWORD).await;
    let mut first_ws = connect(&app, &a).await;
    let mut second_ws = connect(&app, &second).await;
    for ws in [&mut first_ws, &mut second_ws] {
        send(ws, json!({"type": "subscribe", "room": room})).await;
        next(ws).await;
    }
    let (status, _) = app.api(&a).delete("/api/v1/sessions/current").await;
    assert!(status.is_success(), "{status}");
    assert_eq!(closed_with(&mut first_ws).await, 4001);
    // The other session's connection is still there, and still sends.
    send(
        &mut second_ws,
        json!({"type": "send", "room": room, "client_id": "s1", "body": "still here"}),
    )
    .await;
    assert_eq!(next(&mut second_ws).await["type"], "ack");

    // Reported and suspended by an admin: the account's connections close.
    let (status, report) = app
        .api(&b)
        .post(
            "/api/v1/groups/open-door/reports",
            json!({"member": "alex", "reason": "harassment", "details": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let report = report["id"].as_i64().unwrap();
    let admin = app.api(&app.api_login("chat_admin", crate::helpers::PASSWORD).await);
    let (status, v) = admin
        .post(
            &format!("/api/v1/moderation/reports/{report}/actions"),
            json!({"kind": "suspend", "reason": "A pause.", "hours": 24}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(closed_with(&mut second_ws).await, 4001);
}
