//! `hearth-loadgen room`: a chat room's fan-out, measured. M members
//! connect and subscribe; S of them send K messages each at a fixed rate
//! (open loop: message k of a sender is due at its start + k / rate, and
//! its latency runs from that moment). Every member records what it
//! receives, so the report counts deliveries lost, duplicated and out of
//! order as well as latency from send to receipt by every other member.
//!
//! `hearth-loadgen idle` holds N subscribed connections open for the
//! server's memory to be read, and `hearth-loadgen broadcast` is the
//! ceiling: a minimal server speaking the same frames with no storage and
//! no authentication.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::percentile;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The first room and its tokens made by `hearth dev chat-seed`; none for
/// the broadcast server.
pub struct Seed {
    pub room: i64,
    pub tokens: Vec<String>,
}

impl Seed {
    pub fn load(path: Option<&std::path::Path>) -> Result<Self, String> {
        let Some(path) = path else {
            return Ok(Self {
                room: 1,
                tokens: Vec::new(),
            });
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let v = &v["rooms"][0];
        Ok(Self {
            room: v["room"].as_i64().ok_or("the seed file has no room")?,
            tokens: v["tokens"]
                .as_array()
                .ok_or("the seed file has no tokens")?
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
        })
    }

    fn token(&self, i: usize) -> Option<&str> {
        if self.tokens.is_empty() {
            None
        } else {
            self.tokens.get(i % self.tokens.len()).map(String::as_str)
        }
    }
}

async fn connect(url: &str, token: Option<&str>) -> Result<Ws, String> {
    let mut req = url.into_client_request().map_err(|e| e.to_string())?;
    if let Some(t) = token {
        let value = format!("Bearer {t}").parse().map_err(|_| "bad token")?;
        req.headers_mut().insert("authorization", value);
    }
    let config = WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0);
    let (ws, _) = tokio_tungstenite::connect_async_with_config(req, Some(config), true)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(ws)
}

/// Subscribes and waits for `subscribed`.
async fn subscribe(ws: &mut Ws, room: i64) -> Result<(), String> {
    let frame = json!({"type": "subscribe", "room": room, "since": i64::MAX});
    ws.send(Message::Text(frame.to_string().into()))
        .await
        .map_err(|e| e.to_string())?;
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .map_err(|_| "no answer to subscribe within 30 s")?
            .ok_or("closed while subscribing")?
            .map_err(|e| e.to_string())?;
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).map_err(|e| e.to_string())?;
            match v["type"].as_str() {
                Some("subscribed") => return Ok(()),
                Some("error") => return Err(format!("subscribe refused: {t}")),
                _ => {}
            }
        }
    }
}

/// The fields of a server frame the load generator reads, borrowed.
#[derive(serde::Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    seq: Option<i64>,
    body: Option<&'a str>,
    client_id: Option<&'a str>,
    code: Option<&'a str>,
}

#[derive(Default)]
struct Member {
    /// (sender, k) received.
    seen: HashSet<(usize, u64)>,
    duplicates: u64,
    out_of_order: u64,
    last_seq: i64,
    /// Microseconds from due to receipt, for others' messages.
    latencies: Vec<u64>,
    received_in_window: u64,
}

#[derive(Default)]
struct Sent {
    acked: HashSet<(usize, u64)>,
    ack_latencies: Vec<u64>,
    refused: HashMap<String, u64>,
}

pub struct RoomRun {
    pub urls: Vec<String>,
    pub seed: Seed,
    pub members: usize,
    pub senders: usize,
    pub rate: f64,
    pub messages: u64,
    pub settle: u64,
}

pub async fn run_room(run: RoomRun) -> Result<Value, String> {
    if run.senders > run.members || run.members < 2 || run.rate <= 0.0 || run.urls.is_empty() {
        return Err("need 2+ members, senders <= members, a positive rate and a URL".into());
    }
    // Tells this run's messages from any others in the room.
    let tag = format!(
        "lg{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() % 1_000_000_000_000)
            .unwrap_or(0)
    );
    // Connect everyone first.
    let mut sockets = Vec::with_capacity(run.members);
    for i in 0..run.members {
        let url = &run.urls[i % run.urls.len()];
        let mut ws = connect(url, run.seed.token(i)).await?;
        subscribe(&mut ws, run.seed.room).await?;
        sockets.push(ws);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let start = Instant::now() + Duration::from_millis(200);
    let send_window = Duration::from_secs_f64(run.messages as f64 / run.rate);
    let window_end = start + send_window;
    let sent = Arc::new(Mutex::new(Sent::default()));
    let members: Vec<Arc<Mutex<Member>>> = (0..run.members)
        .map(|_| Arc::new(Mutex::new(Member::default())))
        .collect();
    let mut readers = Vec::new();
    let mut writers = Vec::new();
    for (i, ws) in sockets.into_iter().enumerate() {
        let (mut sink, mut stream) = ws.split();
        let member = members[i].clone();
        let sent = sent.clone();
        let reader_tag = tag.clone();
        let room = run.seed.room;
        readers.push(tokio::spawn(async move {
            let tag = reader_tag;
            while let Some(Ok(msg)) = stream.next().await {
                let Message::Text(text) = msg else { continue };
                let now = Instant::now();
                let Ok(f) = serde_json::from_str::<Frame<'_>>(&text) else {
                    if i == 0 && std::env::var_os("LOADGEN_DEBUG").is_some() {
                        eprintln!("unparsed: {}", &text[..text.len().min(300)]);
                    }
                    continue;
                };
                if i == 0 && std::env::var_os("LOADGEN_DEBUG").is_some() {
                    eprintln!("frame: {}", &text[..text.len().min(200)]);
                }
                match f.kind {
                    "message" => {
                        let mut parts = f.body.unwrap_or("").split(' ');
                        if parts.next() != Some(tag.as_str()) {
                            continue;
                        }
                        let (Some(s), Some(k), Some(due)) = (
                            parts.next().and_then(|p| p.parse::<usize>().ok()),
                            parts.next().and_then(|p| p.parse::<u64>().ok()),
                            parts.next().and_then(|p| p.parse::<u64>().ok()),
                        ) else {
                            continue;
                        };
                        let Ok(mut m) = member.lock() else { return };
                        let seq = f.seq.unwrap_or(0);
                        if seq <= m.last_seq {
                            m.out_of_order += 1;
                        }
                        m.last_seq = m.last_seq.max(seq);
                        if !m.seen.insert((s, k)) {
                            m.duplicates += 1;
                            continue;
                        }
                        if s != i {
                            let at = now.saturating_duration_since(start).as_micros() as u64;
                            m.latencies.push(at.saturating_sub(due));
                            if now <= window_end {
                                m.received_in_window += 1;
                            }
                        }
                    }
                    "ack" => {
                        if let Some((s, k, due)) =
                            f.client_id.and_then(|id| parse_client_id(id, &tag))
                        {
                            let at = now.saturating_duration_since(start).as_micros() as u64;
                            let Ok(mut t) = sent.lock() else { return };
                            if t.acked.insert((s, k)) {
                                t.ack_latencies.push(at.saturating_sub(due));
                            }
                        }
                    }
                    "error" => {
                        let code = f.code.unwrap_or("?").to_owned();
                        let Ok(mut t) = sent.lock() else { return };
                        *t.refused.entry(code).or_default() += 1;
                    }
                    _ => {}
                }
            }
        }));
        if i < run.senders {
            let tag = tag.clone();
            let (rate, count, senders) = (run.rate, run.messages, run.senders);
            writers.push(tokio::spawn(async move {
                // Senders are spread evenly over each interval.
                let offset = Duration::from_secs_f64(i as f64 / (senders as f64 * rate));
                for k in 0..count {
                    let due = start + offset + Duration::from_secs_f64(k as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                    let due_us = due.duration_since(start).as_micros() as u64;
                    let frame = json!({
                        "type": "send",
                        "room": room,
                        // Unique to this run: the server rightly treats a
                        // client id it has seen as a re-send.
                        "client_id": format!("{tag}-{i}-{k}-{due_us}"),
                        "body": format!("{tag} {i} {k} {due_us}"),
                    });
                    if sink
                        .send(Message::Text(frame.to_string().into()))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
                sink
            }));
        } else {
            // Keep the sink alive so the connection stays open.
            writers.push(tokio::spawn(async move { sink }));
        }
    }
    let mut sinks = Vec::new();
    for w in writers {
        sinks.push(w.await.map_err(|e| e.to_string())?);
    }
    // Wait for every acknowledged message to reach every other member, or
    // until the settle time runs out.
    let settle_end = Instant::now() + Duration::from_secs(run.settle);
    loop {
        let (acked, refused) = {
            let t = lock(&sent);
            (t.acked.clone(), t.refused.values().sum::<u64>())
        };
        let mut complete = acked.len() as u64 + refused >= (run.senders as u64) * run.messages;
        if complete {
            for (i, m) in members.iter().enumerate() {
                let m = lock(m);
                if acked
                    .iter()
                    .any(|(s, k)| *s != i && !m.seen.contains(&(*s, *k)))
                {
                    complete = false;
                    break;
                }
            }
        }
        if complete || Instant::now() >= settle_end {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for mut s in sinks {
        let _ = s.close().await;
    }
    for r in readers {
        r.abort();
    }
    let sent = lock(&sent);
    let mut latencies = Vec::new();
    let (mut duplicates, mut out_of_order, mut delivered, mut in_window, mut lost) =
        (0, 0, 0, 0, 0);
    for (i, m) in members.iter().enumerate() {
        let m = lock(m);
        latencies.extend_from_slice(&m.latencies);
        duplicates += m.duplicates;
        out_of_order += m.out_of_order;
        in_window += m.received_in_window;
        delivered += m.latencies.len() as u64;
        lost += sent
            .acked
            .iter()
            .filter(|(s, k)| *s != i && !m.seen.contains(&(*s, *k)))
            .count() as u64;
    }
    latencies.sort_unstable();
    let mut acks = sent.ack_latencies.clone();
    acks.sort_unstable();
    let offered = run.senders as f64 * run.rate;
    Ok(json!({
        "mode": "room",
        "urls": run.urls,
        "members": run.members,
        "senders": run.senders,
        "rate_per_sender": run.rate,
        "offered_msgs_per_s": offered,
        "messages_per_sender": run.messages,
        "sent": run.senders as u64 * run.messages,
        "acked": sent.acked.len(),
        "refused": sent.refused,
        "deliveries_expected": sent.acked.len() as u64 * (run.members as u64 - 1),
        "delivered": delivered,
        "lost": lost,
        "duplicated": duplicates,
        "out_of_order": out_of_order,
        "deliveries_per_s": (in_window as f64 / send_window.as_secs_f64()).round(),
        "delivery_latency_ms": {
            "p50": percentile(&latencies, 50.0),
            "p95": percentile(&latencies, 95.0),
            "p99": percentile(&latencies, 99.0),
            "max": percentile(&latencies, 100.0),
        },
        "ack_latency_ms": {
            "p50": percentile(&acks, 50.0),
            "p99": percentile(&acks, 99.0),
            "max": percentile(&acks, 100.0),
        }
    }))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn parse_client_id(id: &str, tag: &str) -> Option<(usize, u64, u64)> {
    let mut parts = id.split('-');
    if parts.next()? != tag {
        return None;
    }
    Some((
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    ))
}

/// Opens `connections` subscribed connections and holds them.
pub async fn run_idle(
    urls: Vec<String>,
    seed: Seed,
    connections: usize,
    hold: u64,
) -> Result<Value, String> {
    let started = Instant::now();
    let mut held = Vec::with_capacity(connections);
    let mut failed = 0u64;
    let mut pending = futures_util::stream::FuturesUnordered::new();
    let seed = Arc::new(seed);
    for i in 0..connections {
        let url = urls[i % urls.len()].clone();
        let seed = seed.clone();
        pending.push(async move {
            let mut ws = connect(&url, seed.token(i)).await?;
            subscribe(&mut ws, seed.room).await?;
            Ok::<_, String>(ws)
        });
        // At most 200 handshakes in flight.
        while pending.len() >= 200 {
            match pending.next().await {
                Some(Ok(ws)) => held.push(ws),
                Some(Err(_)) => failed += 1,
                None => break,
            }
        }
    }
    while let Some(r) = pending.next().await {
        match r {
            Ok(ws) => held.push(ws),
            Err(_) => failed += 1,
        }
    }
    let connected_in = started.elapsed().as_secs_f64();
    eprintln!(
        "hearth-loadgen: {} connections open, holding {hold} s",
        held.len()
    );
    // Read (and drop) whatever arrives, so nothing backs up.
    let drains: Vec<_> = held
        .into_iter()
        .map(|ws| {
            tokio::spawn(async move {
                let (_sink, mut stream) = ws.split();
                while let Some(Ok(_)) = stream.next().await {}
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(hold)).await;
    let open = drains.iter().filter(|d| !d.is_finished()).count();
    for d in drains {
        d.abort();
    }
    Ok(json!({
        "mode": "idle",
        "connections": connections,
        "failed": failed,
        "still_open_after_hold": open,
        "connect_seconds": (connected_in * 10.0).round() / 10.0,
    }))
}

/// The ceiling: subscribe, send → ack and fan-out to every subscriber of
/// the room, in memory, with no storage and no authentication.
pub async fn broadcast(bind: std::net::SocketAddr) -> Result<Value, String> {
    type Outbox = tokio::sync::mpsc::Sender<Arc<str>>;
    struct Room {
        seq: i64,
        subscribers: HashMap<u64, Outbox>,
    }
    let rooms: Arc<std::sync::Mutex<HashMap<i64, Room>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("hearth-loadgen: broadcast server on {bind}");
    let mut next_id = 0u64;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        next_id += 1;
        let id = next_id;
        let rooms = rooms.clone();
        tokio::spawn(async move {
            let config = WebSocketConfig::default().read_buffer_size(4096);
            let Ok(ws) = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await
            else {
                return;
            };
            let (mut sink, mut stream) = ws.split();
            let (tx, mut rx) = tokio::sync::mpsc::channel::<Arc<str>>(1024);
            let writer = tokio::spawn(async move {
                while let Some(text) = rx.recv().await {
                    if sink.send(Message::Text((*text).into())).await.is_err() {
                        break;
                    }
                }
            });
            let mut joined = Vec::new();
            while let Some(Ok(Message::Text(text))) = stream.next().await {
                let Ok(v) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                let room = v["room"].as_i64().unwrap_or(0);
                match v["type"].as_str() {
                    Some("subscribe") => {
                        let last = {
                            let Ok(mut rooms) = rooms.lock() else { break };
                            let r = rooms.entry(room).or_insert_with(|| Room {
                                seq: 0,
                                subscribers: HashMap::new(),
                            });
                            r.subscribers.insert(id, tx.clone());
                            r.seq
                        };
                        joined.push(room);
                        let frame = json!({"type": "subscribed", "room": room, "last_seq": last});
                        let _ = tx.send(frame.to_string().into()).await;
                    }
                    Some("send") => {
                        // Offered to every queue under the lock, so each
                        // subscriber sees the room's order.
                        let ack = {
                            let Ok(mut rooms) = rooms.lock() else { break };
                            let Some(r) = rooms.get_mut(&room) else {
                                continue;
                            };
                            r.seq += 1;
                            let message: Arc<str> = json!({
                                "type": "message", "room": room, "seq": r.seq,
                                "author": "member", "body": v["body"], "at": 0,
                                "client_id": v["client_id"],
                            })
                            .to_string()
                            .into();
                            let ack = json!({"type": "ack", "room": room, "client_id": v["client_id"], "seq": r.seq});
                            let _ = tx.try_send(ack.to_string().into());
                            for s in r.subscribers.values() {
                                let _ = s.try_send(message.clone());
                            }
                            ack
                        };
                        drop(ack);
                    }
                    _ => {}
                }
            }
            if let Ok(mut rooms) = rooms.lock() {
                for room in joined {
                    if let Some(r) = rooms.get_mut(&room) {
                        r.subscribers.remove(&id);
                    }
                }
            }
            writer.abort();
        });
    }
}
