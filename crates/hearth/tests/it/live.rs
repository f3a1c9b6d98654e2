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

use crate::helpers::TestApp;

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

async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::Text(frame.to_string().into()))
        .await
        .unwrap();
}

/// The next JSON frame (failing after 5 s of silence).
async fn next(ws: &mut Ws) -> Value {
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

/// An admin's open group with two members; returns their tokens and the room.
async fn room_with_members(app: &TestApp) -> (String, String, String, i64) {
    let admin = app.staff("chat_admin", "admin").await;
    admin.create_group("Open Door", &[]).await;
    let a = app.api_member("alex").await;
    let b = app.api_member("blair").await;
    let http = app.http();
    for t in [&a, &b] {
        let r = http
            .post(app.url("/api/v1/groups/open-door/membership"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let rooms: Value = http
        .get(app.url("/api/v1/groups/open-door/rooms"))
        .bearer_auth(&a)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let room = rooms[0]["id"].as_i64().unwrap();
    let admin_token = app.api_login("chat_admin", crate::helpers::PASSWORD).await;
    (a, b, admin_token, room)
}

#[tokio::test]
async fn members_chat_live_with_acks_and_a_resend_is_stored_once() {
    let app = TestApp::spawn().await;
    let (a, b, _, room) = room_with_members(&app).await;
    let mut wa = connect(&app, &a).await;
    let mut wb = connect(&app, &b).await;
    for ws in [&mut wa, &mut wb] {
        send(ws, json!({"type": "subscribe", "room": room})).await;
        assert_eq!(
            next(ws).await,
            json!({"type": "subscribed", "room": room, "last_seq": 0})
        );
    }
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
    assert_eq!(
        next(&mut wb).await,
        json!({"type": "subscribed", "room": room, "last_seq": 7})
    );
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
    let huge = "y".repeat(20 * 1024);
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
    let r = app
        .http()
        .delete(app.url(&format!("/api/v1/groups/open-door/members/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    send(
        &mut other,
        json!({"type": "send", "room": room, "client_id": "after", "body": "still here?"}),
    )
    .await;
    let mut f = next(&mut other).await;
    while f["type"] == "message" {
        f = next(&mut other).await;
    }
    assert_eq!(f["code"], "not_member");
}

/// Two nodes on one database, joined by NATS: a message sent through one
/// reaches a subscriber on the other at once, in order. Needs a NATS server:
/// `HEARTH_TEST_NATS_URL=nats://127.0.0.1:4222` (CI starts one).
#[tokio::test]
async fn two_nodes_share_a_room_through_the_bus() {
    let Ok(nats) = std::env::var("HEARTH_TEST_NATS_URL") else {
        eprintln!("skipped: set HEARTH_TEST_NATS_URL to run the two-node test");
        return;
    };
    let bus = nats.clone();
    let a = TestApp::spawn_with(|s| s.bus = Some(bus)).await;
    let (data_dir, url) = (
        a.state.settings.data_dir.clone(),
        a.state.settings.database_url.clone(),
    );
    let b = TestApp::spawn_with(|s| {
        s.database_url = url;
        s.data_dir = data_dir;
        s.bus = Some(nats);
    })
    .await;
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
