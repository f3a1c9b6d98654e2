//! Connections cannot be held open for nothing: a request's head and body
//! must arrive in time, connections are limited in total and per address,
//! and a WebSocket that answers nothing is closed (issue 16, finding 6).

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{TestApp, live_socket};

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or `limit` passes):
/// what it sent, and whether it closed.
async fn read_until_closed(tcp: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (got, false),
        }
    }
}

/// Whether a plain request on a new connection is answered.
async fn served(app: &TestApp) -> bool {
    let Ok(mut tcp) = TcpStream::connect(addr(app)).await else {
        return false;
    };
    let req = "GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";
    if tcp.write_all(req.as_bytes()).await.is_err() {
        return false;
    }
    let (answer, _) = read_until_closed(&mut tcp, Duration::from_secs(5)).await;
    answer.starts_with(b"HTTP/1.1 200")
}

/// A half-sent request head, and a connection that never sends one, are
/// closed after `header_read_secs`; so is an idle keep-alive connection.
#[tokio::test]
async fn a_request_head_that_never_ends_is_cut_off() {
    let app = TestApp::spawn_with(|s| s.limits.header_read_secs = 1).await;
    let mut slow = TcpStream::connect(addr(&app)).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nx-a: ")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(addr(&app)).await.unwrap();
    let mut kept = TcpStream::connect(addr(&app)).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    for (name, tcp) in [
        ("slow", &mut slow),
        ("silent", &mut silent),
        ("kept", &mut kept),
    ] {
        let (_, closed) = read_until_closed(tcp, Duration::from_secs(6)).await;
        assert!(closed, "the {name} connection is still open after 6 s");
    }
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert!(served(&app).await, "the server answers others");
}

/// A body that trickles in is answered with 408 after `request_secs`.
#[tokio::test]
async fn a_request_body_that_never_ends_is_cut_off() {
    let app = TestApp::spawn_with(|s| s.limits.request_secs = 1).await;
    let mut tcp = TcpStream::connect(addr(&app)).await.unwrap();
    tcp.write_all(
        b"POST /login HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\nhandle=ab",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let (answer, closed) = read_until_closed(&mut tcp, Duration::from_secs(6)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "after {:?}: {answer:?}",
        started.elapsed()
    );
    assert!(closed, "the connection is closed after the 408");
}

/// One address may hold `connections_per_address` connections; the next
/// is refused with 503 at once, and served again when one closes.
#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let app = TestApp::spawn_with(|s| s.limits.connections_per_address = 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(addr(&app)).await.unwrap());
    }
    // Let the server accept them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut over = TcpStream::connect(addr(&app)).await.unwrap();
    let (answer, closed) = read_until_closed(&mut over, Duration::from_secs(3)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(closed, "the fourth connection is closed at once");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 503"),
        "{answer:?}"
    );
    assert!(!served(&app).await);
    held.pop();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        served(&app).await,
        "a closed connection gives its place back"
    );
}

/// `max_connections` bounds every address together.
#[tokio::test]
async fn connections_are_limited_in_total() {
    let app = TestApp::spawn_with(|s| {
        s.limits.max_connections = 4;
        s.limits.connections_per_address = 0;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr(&app)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!served(&app).await, "a fifth connection is refused");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(served(&app).await);
}

/// The code of the first close frame in what a server sent (server
/// frames are not masked).
fn close_code(mut bytes: &[u8]) -> Option<u16> {
    while bytes.len() >= 2 {
        let opcode = bytes[0] & 0x0f;
        let len = usize::from(bytes[1] & 0x7f);
        assert!(len < 126, "small control frames only");
        let payload = bytes.get(2..2 + len)?;
        if opcode == 0x8 {
            return (len >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
        }
        bytes = &bytes[2 + len..];
    }
    None
}

/// A live connection whose client answers nothing, not even a ping, is
/// closed with 4009 after `websocket_idle_secs`; one that answers (as
/// every browser does by itself) stays open however quiet its member is.
#[tokio::test]
async fn a_websocket_that_answers_nothing_is_closed() {
    let app = TestApp::spawn_with(|s| s.limits.websocket_idle_secs = 3).await;
    let token = app.api_member("quietone").await;
    let deaf = live_socket(&app, &token).await;
    let listening = live_socket(&app, &token).await;
    // The listening client reads (and so answers pings) in the background.
    let (frames_tx, mut frames) = tokio::sync::mpsc::unbounded_channel();
    let (mut sink, mut stream) = listening.split();
    let reader = tokio::spawn(async move {
        while let Some(Ok(m)) = stream.next().await {
            if frames_tx.send(m).is_err() {
                break;
            }
        }
    });
    tokio::time::sleep(Duration::from_secs(5)).await;
    // The deaf one read nothing for 5 s (read here as bytes: a WebSocket
    // client would answer the pings as it read them): pings, then a close
    // with 4009, then the end of the connection.
    let tokio_tungstenite::MaybeTlsStream::Plain(mut tcp) = deaf.into_inner() else {
        panic!("a plain TCP stream")
    };
    let (bytes, closed) = read_until_closed(&mut tcp, Duration::from_secs(3)).await;
    assert!(closed, "the idle connection was not closed");
    let code = close_code(&bytes);
    assert_eq!(code, Some(4009));
    // The other still works: a frame gets its answer.
    sink.send(Message::Text(
        json!({"type": "subscribe", "room": 999_999, "since": 0})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let answered = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(m) = frames.recv().await {
            if let Message::Text(t) = m {
                return Some(t.to_string());
            }
            if let Message::Close(_) = m {
                return None;
            }
        }
        None
    })
    .await
    .ok()
    .flatten();
    assert!(
        answered.as_deref().is_some_and(|t| t.contains("\"error\"")),
        "{answered:?}"
    );
    reader.abort();
}
