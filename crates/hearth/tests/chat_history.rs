//! RELIABILITY.md T5-lite for chat: a history check under faults. Six
//! members send and sometimes delete messages over `/live` while the server
//! is killed with SIGKILL, paused with SIGSTOP, and restarted; each member
//! reconnects, resumes from the last number it saw, and sends again (same
//! client id) whatever had no acknowledgement. Then the histories are
//! checked against the database:
//! 1. no acknowledged message is lost;
//! 2. no client id is stored twice;
//! 3. the room's numbers are gap-free, and each member saw them increasing
//!    and without gaps from where it started (nothing reordered, nothing
//!    skipped across reconnects: monotonic reads);
//! 4. read-your-writes: each member saw every one of its acknowledged
//!    messages;
//! 5. no resurrection: a message whose deletion was acknowledged stays
//!    deleted, with its words gone.
//!
//! Seconds of load from `HEARTH_T5_SECONDS` (default 20; CI runs 60).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Server, random_below};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn seconds() -> u64 {
    common::env_seconds("HEARTH_T5_SECONDS", 20)
}

/// What one member did and saw.
#[derive(Default, Debug)]
struct History {
    /// client id → seq, from acks.
    acked: HashMap<String, i64>,
    /// Targets of acknowledged deletions.
    deleted: HashSet<i64>,
    /// Every (seq, kind) received, in arrival order.
    seen: Vec<(i64, String)>,
    connections: u32,
}

enum Op {
    Send(String, String),
    Delete(String, i64),
}

impl Op {
    fn id(&self) -> &str {
        match self {
            Op::Send(id, _) | Op::Delete(id, _) => id,
        }
    }
    fn frame(&self, room: i64) -> Value {
        match self {
            Op::Send(id, body) => {
                json!({"type": "send", "room": room, "client_id": id, "body": body})
            }
            Op::Delete(id, target) => {
                json!({"type": "delete", "room": room, "client_id": id, "target": target})
            }
        }
    }
}

async fn member(
    n: usize,
    token: String,
    room: i64,
    base: Arc<Mutex<String>>,
    until: Instant,
    history: Arc<Mutex<History>>,
) {
    let mut last_seq = 0_i64;
    let mut counter = 0_u64;
    // The operation waiting for its ack, kept across reconnects.
    let mut pending: Option<Op> = None;
    let mut mine: Vec<i64> = Vec::new();
    while Instant::now() < until {
        let url = format!(
            "{}/live",
            base.lock().unwrap().replacen("http://", "ws://", 1)
        );
        let mut req = url.into_client_request().unwrap();
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
        let Ok(Ok((mut ws, _))) = tokio::time::timeout(
            Duration::from_secs(2),
            tokio_tungstenite::connect_async(req),
        )
        .await
        else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        history.lock().unwrap().connections += 1;
        let since = if last_seq == 0 { i64::MAX } else { last_seq };
        let sub = json!({"type": "subscribe", "room": room, "since": since});
        if ws
            .send(Message::Text(sub.to_string().into()))
            .await
            .is_err()
        {
            continue;
        }
        // Read until this connection fails; send the next operation once
        // the last is acknowledged.
        let mut subscribed = false;
        loop {
            if Instant::now() >= until {
                return;
            }
            if subscribed && pending.is_none() {
                counter += 1;
                let id = format!("m{n}-{counter}");
                pending = Some(if counter.is_multiple_of(5) && !mine.is_empty() {
                    let target = mine.remove(random_below(mine.len() as u64) as usize);
                    Op::Delete(id, target)
                } else {
                    Op::Send(id, format!("member {n} message {counter}"))
                });
                let frame = pending.as_ref().unwrap().frame(room);
                if ws
                    .send(Message::Text(frame.to_string().into()))
                    .await
                    .is_err()
                {
                    break;
                }
            }
            let next = tokio::time::timeout(Duration::from_secs(2), ws.next()).await;
            let Ok(Some(Ok(Message::Text(text)))) = next else {
                if matches!(next, Ok(Some(Ok(_)))) {
                    continue;
                }
                break; // failed, closed or silent: reconnect
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            match v["type"].as_str().unwrap() {
                "subscribed" => {
                    subscribed = true;
                    // Whatever had no ack goes again, under the same id.
                    if let Some(op) = &pending {
                        let frame = op.frame(room);
                        if ws
                            .send(Message::Text(frame.to_string().into()))
                            .await
                            .is_err()
                        {
                            break;
                        }
                    }
                }
                kind @ ("message" | "edit" | "delete") => {
                    let seq = v["seq"].as_i64().unwrap();
                    last_seq = last_seq.max(seq);
                    history.lock().unwrap().seen.push((seq, kind.to_owned()));
                }
                "ack" => {
                    let id = v["client_id"].as_str().unwrap().to_owned();
                    let seq = v["seq"].as_i64().unwrap();
                    if pending.as_ref().is_some_and(|op| op.id() == id) {
                        let mut h = history.lock().unwrap();
                        match pending.take().unwrap() {
                            Op::Send(..) => mine.push(seq),
                            Op::Delete(_, target) => {
                                h.deleted.insert(target);
                            }
                        }
                        h.acked.insert(id, seq);
                    }
                }
                // The server could not store it just now: reconnect and
                // send it again.
                "error" if v["code"] == "unavailable" => break,
                "error" => panic!("member {n}: unexpected error {v}"),
                _ => {}
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_history_holds_under_kill_pause_and_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hearth.toml");
    std::fs::write(
        &config,
        "[limits]\nchat_burst = 100000\nchat_per_second = 100000.0\n",
    )
    .unwrap();
    let config_arg = config.to_str().unwrap().to_owned();
    let seed = common::chat_seed(dir.path(), 1, 6).remove(0);
    let room = seed["room"].as_i64().unwrap();
    let mut server = Server::start(dir.path(), &["--config", &config_arg], &[]).await;
    let base = Arc::new(Mutex::new(server.base.clone()));
    let until = Instant::now() + Duration::from_secs(seconds());
    let histories: Vec<Arc<Mutex<History>>> = (0..6).map(|_| Arc::default()).collect();
    let mut members = Vec::new();
    for (n, token) in seed["tokens"].as_array().unwrap().iter().enumerate() {
        members.push(tokio::spawn(member(
            n,
            token.as_str().unwrap().to_owned(),
            room,
            base.clone(),
            until,
            histories[n].clone(),
        )));
    }
    // The nemesis: every 1–3 s, a SIGKILL and restart, or a pause.
    let (mut kills, mut pauses) = (0, 0);
    while Instant::now() + Duration::from_secs(3) < until {
        tokio::time::sleep(Duration::from_millis(1000 + random_below(2000))).await;
        if random_below(3) == 0 {
            let pid = server.child.id().to_string();
            std::process::Command::new("kill")
                .args(["-STOP", &pid])
                .status()
                .unwrap();
            tokio::time::sleep(Duration::from_millis(500 + random_below(1500))).await;
            std::process::Command::new("kill")
                .args(["-CONT", &pid])
                .status()
                .unwrap();
            pauses += 1;
        } else {
            server.kill9();
            server = Server::start(dir.path(), &["--config", &config_arg], &[]).await;
            *base.lock().unwrap() = server.base.clone();
            kills += 1;
        }
    }
    for m in members {
        m.await.unwrap();
    }
    server.kill9();

    let options = SqliteConnectOptions::new().filename(dir.path().join("hearth.db"));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let rows: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT seq, client_id, kind, deleted_by, body FROM messages WHERE room_id = $1 ORDER BY seq",
    )
    .bind(room)
    .fetch_all(&pool)
    .await
    .unwrap();
    let by_seq: BTreeMap<i64, &(i64, String, String, Option<String>, String)> =
        rows.iter().map(|r| (r.0, r)).collect();
    let mut violations = Vec::new();
    // 3. The room's numbers: 1..=N without gaps.
    for (i, r) in rows.iter().enumerate() {
        if r.0 != i as i64 + 1 {
            violations.push(format!("gap in the room: row {i} has seq {}", r.0));
            break;
        }
    }
    // 2. No client id twice (per author: ids carry the member's number).
    let mut ids = HashSet::new();
    for r in &rows {
        if !ids.insert(r.1.clone()) {
            violations.push(format!("client id {} stored twice", r.1));
        }
    }
    let (mut acked_total, mut seen_total, mut connections) = (0, 0, 0);
    for (n, h) in histories.iter().enumerate() {
        let h = h.lock().unwrap();
        acked_total += h.acked.len();
        seen_total += h.seen.len();
        connections += h.connections;
        // 1. Every acknowledged operation is stored, under its number.
        for (id, seq) in &h.acked {
            match by_seq.get(seq) {
                Some(r) if r.1 == *id => {}
                other => {
                    violations.push(format!("member {n}: ack {id} → {seq} but stored {other:?}"))
                }
            }
        }
        // 3 and 6. What the member saw increases without gaps.
        for pair in h.seen.windows(2) {
            if pair[1].0 != pair[0].0 + 1 {
                violations.push(format!("member {n}: saw {} after {}", pair[1].0, pair[0].0));
            }
        }
        // 4. Read-your-writes.
        let seen: HashSet<i64> = h.seen.iter().map(|s| s.0).collect();
        let last = h.seen.last().map_or(0, |s| s.0);
        for seq in h.acked.values() {
            if *seq <= last && !seen.contains(seq) {
                violations.push(format!("member {n}: never saw its own {seq}"));
            }
        }
        // 5. No resurrection.
        for target in &h.deleted {
            match by_seq.get(target) {
                Some(r) if r.3.is_some() && r.4.is_empty() => {}
                other => {
                    violations.push(format!("member {n}: deleted {target} is back: {other:?}"))
                }
            }
        }
    }
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    eprintln!(
        "T5-lite chat: {} s, {kills} kills, {pauses} pauses, {connections} connections, \
         {acked_total} acknowledged operations, {seen_total} deliveries, {} events stored, {} violations",
        seconds(),
        rows.len(),
        violations.len()
    );
    assert_eq!(integrity, "ok");
    assert!(acked_total > 50, "the members made progress: {acked_total}");
    assert!(kills > 0);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
