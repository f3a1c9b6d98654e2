//! Fan-out of room events to this node's connections.
//!
//! Each room with subscribers on this node has one task. Told the room
//! advanced, it reads the new events from the database in sequence order,
//! turns each into its frame once, and offers it to every subscriber's
//! bounded queue. A subscriber whose queue is full is dropped and told to
//! close (it resumes from its last number), so a slow client never holds
//! the room up. The same task sends the room's presence (who has it open,
//! on every node) and its controls when they change; typing notices are
//! passed straight to the queues. Nothing ephemeral is ever stored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{Notify, mpsc};

use super::protocol::{Message, RoomState, ServerFrame};
use super::store::{self, EventRow};
use crate::AppState;

/// How often a room with subscribers looks for events without a notice.
const SAFETY_CHECK: Duration = Duration::from_secs(5);
/// Presence changes within this window go out as one frame.
const PRESENCE_COALESCE: Duration = Duration::from_secs(1);
/// How often a node repeats its presence to the others, and how long the
/// others believe it.
const PRESENCE_REPEAT: Duration = Duration::from_secs(20);
const PRESENCE_TTL: Duration = Duration::from_secs(60);

/// Frames a connection may have waiting before it counts as too slow.
pub const QUEUE: usize = 1024;

/// What a member's frames are counted against: each has a bucket of its
/// own, so subscribing never eats into what one may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rate {
    /// Messages, edits and deletions.
    Writes,
    /// Subscriptions (each brings back history).
    Subscribes,
}

/// One frame for the connections of a room.
#[derive(Debug)]
pub struct Delivery {
    pub room: i64,
    /// The event's number; `None` for presence, typing and room controls,
    /// which are never stored and may be skipped by a full queue.
    pub seq: Option<i64>,
    pub text: Utf8Bytes,
}

/// Tells a connection to close because it fell behind.
#[derive(Default)]
pub struct Overflow {
    pub notify: Notify,
}

/// A connection's place in a room.
pub struct Subscriber {
    pub tx: mpsc::Sender<Arc<Delivery>>,
    pub overflow: Arc<Overflow>,
    /// Shown in the room's presence.
    pub handle: String,
    pub account_id: i64,
    /// Moderators and admins read every room without being members.
    pub staff: bool,
}

struct Room {
    group_id: i64,
    subscribers: Mutex<HashMap<u64, Subscriber>>,
    /// Someone left the group: check who may still read.
    recheck: AtomicBool,
    advanced: Notify,
    controls_changed: Notify,
    presence_changed: Notify,
    /// This node's presence changed (or another node asked): tell the others.
    publish_presence: AtomicBool,
    /// Other nodes' presence: node → (handles, when heard).
    remote: Mutex<HashMap<u64, (Vec<String>, Instant)>>,
    /// Events this node stored, handed over so the task need not read
    /// them back, by number.
    handed: Mutex<BTreeMap<i64, Arc<Delivery>>>,
    /// Told of events it was not handed (another node's, or a check):
    /// the task reads the database.
    read_needed: AtomicBool,
    closed: AtomicBool,
}

pub struct Hub {
    rooms: Mutex<HashMap<i64, Arc<Room>>>,
    /// Chat tokens per account: (tokens, last refill).
    rates: Mutex<HashMap<(i64, Rate), (f64, Instant)>>,
    next_id: AtomicU64,
    /// This node, on the bus.
    pub node: u64,
    /// Frames for moderators and admins connected to this node (alerts,
    /// reports), and for the facilitators of one group (its reports).
    staff: tokio::sync::broadcast::Sender<(Audience, Utf8Bytes)>,
    /// Accounts one of whose sessions ended (logout, a password change,
    /// "end this session", a suspension, erasure): their connections here
    /// check their own session at once.
    sessions: tokio::sync::broadcast::Sender<i64>,
}

/// Who a moderation frame is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Moderators and admins.
    Staff,
    /// The facilitators of this group who are not staff (staff get their
    /// own frame).
    Facilitators(i64),
}

impl Default for Hub {
    fn default() -> Self {
        let node = crate::secret::random_bytes::<8>()
            .map(u64::from_le_bytes)
            .unwrap_or_else(|_| u64::from(std::process::id()));
        Self {
            rooms: Mutex::new(HashMap::new()),
            rates: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            node,
            staff: tokio::sync::broadcast::channel(64).0,
            sessions: tokio::sync::broadcast::channel(256).0,
        }
    }
}

impl Hub {
    /// Every connection listens here for its account's sessions ending.
    pub fn session_feed(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.sessions.subscribe()
    }

    /// One of `account_id`'s sessions ended: its connections on this node
    /// check theirs.
    pub fn session_ended(&self, account_id: i64) {
        let _ = self.sessions.send(account_id);
    }

    /// A moderator's, admin's or facilitator's connection listens here.
    pub fn staff_feed(&self) -> tokio::sync::broadcast::Receiver<(Audience, Utf8Bytes)> {
        self.staff.subscribe()
    }

    /// Tells every moderator and admin connected to this node.
    pub fn to_staff(&self, frame: Utf8Bytes) {
        self.to(Audience::Staff, frame);
    }

    /// Tells those a moderation frame is for, on this node.
    pub fn to(&self, audience: Audience, frame: Utf8Bytes) {
        // No receivers (nobody online here) is not an error.
        let _ = self.staff.send((audience, frame));
    }

    pub fn connection_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    fn room(&self, room_id: i64) -> Option<Arc<Room>> {
        self.rooms.lock().ok()?.get(&room_id).cloned()
    }

    /// Adds a connection to a room; the room's task starts with the first.
    /// `from_seq` is where this node's fan-out starts if the room is new to
    /// it (the connection fills any gap before that itself).
    pub fn subscribe(
        &self,
        state: &AppState,
        (room_id, group_id): (i64, i64),
        from_seq: i64,
        conn: u64,
        subscriber: Subscriber,
    ) {
        let Ok(mut rooms) = self.rooms.lock() else {
            return;
        };
        let room = rooms.entry(room_id).or_insert_with(|| {
            let room = Arc::new(Room {
                group_id,
                subscribers: Mutex::new(HashMap::new()),
                recheck: AtomicBool::new(false),
                advanced: Notify::new(),
                controls_changed: Notify::new(),
                presence_changed: Notify::new(),
                publish_presence: AtomicBool::new(true),
                remote: Mutex::new(HashMap::new()),
                handed: Mutex::new(BTreeMap::new()),
                read_needed: AtomicBool::new(true),
                closed: AtomicBool::new(false),
            });
            tokio::spawn(room_task(state.clone(), room_id, from_seq, room.clone()));
            room
        });
        if let Ok(mut subs) = room.subscribers.lock() {
            subs.insert(conn, subscriber);
        }
        room.publish_presence.store(true, Ordering::Relaxed);
        room.presence_changed.notify_one();
    }

    /// Removes a connection; the room's task ends with the last.
    pub fn unsubscribe(&self, room_id: i64, conn: u64) {
        let Ok(mut rooms) = self.rooms.lock() else {
            return;
        };
        let Some(room) = rooms.get(&room_id).cloned() else {
            return;
        };
        let empty = room.subscribers.lock().map_or(true, |mut subs| {
            subs.remove(&conn);
            subs.is_empty()
        });
        if empty {
            rooms.remove(&room_id);
            room.closed.store(true, Ordering::Relaxed);
            room.advanced.notify_one();
        } else {
            room.publish_presence.store(true, Ordering::Relaxed);
            room.presence_changed.notify_one();
        }
    }

    /// An event was stored in the room (by another node, or by this one
    /// without handing it over): the room's task reads the database.
    pub fn advanced(&self, room_id: i64) {
        if let Some(room) = self.room(room_id) {
            room.read_needed.store(true, Ordering::Relaxed);
            room.advanced.notify_one();
        }
    }

    /// This node stored an event: the room's task sends it on as it is,
    /// in its turn, without reading it back.
    pub fn stored(&self, delivery: Delivery) {
        let Some(seq) = delivery.seq else {
            return;
        };
        if let Some(room) = self.room(delivery.room) {
            if let Ok(mut handed) = room.handed.lock() {
                handed.insert(seq, Arc::new(delivery));
            }
            room.advanced.notify_one();
        }
    }

    /// Someone left the group or was removed: its rooms' tasks drop the
    /// subscribers who may no longer read.
    pub fn access_changed(&self, group_id: i64) {
        let Ok(rooms) = self.rooms.lock() else {
            return;
        };
        for room in rooms.values().filter(|r| r.group_id == group_id) {
            room.recheck.store(true, Ordering::Relaxed);
            room.advanced.notify_one();
        }
    }

    /// Takes one of the account's chat tokens (on this node): a burst of
    /// `burst`, refilled at `per_second`. Shared by all of the account's
    /// connections and forms.
    pub fn within_rate(&self, account_id: i64, rate: Rate, burst: u32, per_second: f64) -> bool {
        let Ok(mut buckets) = self.rates.lock() else {
            return true;
        };
        let now = Instant::now();
        if buckets.len() > 50_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at) < Duration::from_secs(600));
        }
        let (tokens, at) = buckets
            .entry((account_id, rate))
            .or_insert((f64::from(burst), now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * per_second).min(f64::from(burst));
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// The room's controls changed (on this node or another).
    pub fn controls_changed(&self, room_id: i64) {
        if let Some(room) = self.room(room_id) {
            room.controls_changed.notify_one();
        }
    }

    /// Another node's presence in the room. `ask`: that node has just
    /// opened the room and wants to hear ours.
    pub fn remote_presence(&self, room_id: i64, node: u64, here: Vec<String>, ask: bool) {
        if node == self.node {
            return;
        }
        let Some(room) = self.room(room_id) else {
            return;
        };
        if let Ok(mut remote) = room.remote.lock() {
            if here.is_empty() {
                remote.remove(&node);
            } else {
                remote.insert(node, (here, Instant::now()));
            }
        }
        if ask {
            room.publish_presence.store(true, Ordering::Relaxed);
        }
        room.presence_changed.notify_one();
    }

    /// Passes a typing notice to the room's subscribers here, except the
    /// connection `from` it came from (if it came from this node).
    pub fn typing(&self, room_id: i64, author: &str, from: Option<u64>) {
        let Some(room) = self.room(room_id) else {
            return;
        };
        let frame = ServerFrame::Typing {
            room: room_id,
            author: author.to_owned(),
        };
        if let Some(delivery) = ephemeral(room_id, &frame) {
            offer_ephemeral(&room, &delivery, from);
        }
    }
}

fn ephemeral(room: i64, frame: &ServerFrame) -> Option<Arc<Delivery>> {
    let text = serde_json::to_string(frame).ok()?;
    Some(Arc::new(Delivery {
        room,
        seq: None,
        text: text.into(),
    }))
}

/// Ephemeral frames never close a connection: a queue more than half
/// full skips them, keeping its room for stored events.
fn offer_ephemeral(room: &Room, delivery: &Arc<Delivery>, except: Option<u64>) {
    if let Ok(subs) = room.subscribers.lock() {
        for (id, s) in subs.iter() {
            if Some(*id) != except && s.tx.capacity() > QUEUE / 2 {
                let _ = s.tx.try_send(delivery.clone());
            }
        }
    }
}

/// Drops the subscribers who may no longer read the room (they left the
/// group or were removed), telling each with a `not_member` error.
async fn recheck_access(state: &AppState, room_id: i64, room: &Room) {
    let members = match crate::groups::store::member_ids(&state.db, room.group_id).await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(room.id = room_id, error = %e, "chat access re-check could not read");
            room.recheck.store(true, Ordering::Relaxed);
            return;
        }
    };
    let notice = ephemeral(
        room_id,
        &ServerFrame::Error {
            code: "not_member".to_owned(),
            message: "You are no longer a member of this group.".to_owned(),
            room: Some(room_id),
            client_id: None,
            retry_after: None,
        },
    );
    let Ok(mut subs) = room.subscribers.lock() else {
        return;
    };
    subs.retain(|_, s| {
        let keep = s.staff || members.contains(&s.account_id);
        if !keep && let Some(notice) = &notice {
            let _ = s.tx.try_send(notice.clone());
        }
        keep
    });
    room.publish_presence.store(true, Ordering::Relaxed);
    room.presence_changed.notify_one();
}

/// The room's work on this node, until its last subscriber leaves.
async fn room_task(state: AppState, room_id: i64, mut sent: i64, room: Arc<Room>) {
    let mut check = tokio::time::interval(SAFETY_CHECK);
    let mut repeat = tokio::time::interval(PRESENCE_REPEAT);
    let mut presence_due: Option<tokio::time::Instant> = None;
    let mut shown: Vec<String> = Vec::new();
    let mut checks: u64 = 0;
    loop {
        let due = presence_due.unwrap_or_else(|| tokio::time::Instant::now() + SAFETY_CHECK * 100);
        tokio::select! {
            () = room.advanced.notified() => {}
            _ = check.tick() => {
                room.read_needed.store(true, Ordering::Relaxed);
                // Now and then, whoever may no longer read is dropped even
                // if the notice was lost.
                checks += 1;
                if checks.is_multiple_of(6) {
                    room.recheck.store(true, Ordering::Relaxed);
                }
            }
            () = room.controls_changed.notified() => send_controls(&state, room_id, &room).await,
            () = room.presence_changed.notified() => {
                presence_due.get_or_insert_with(|| tokio::time::Instant::now() + PRESENCE_COALESCE);
                continue;
            }
            () = tokio::time::sleep_until(due), if presence_due.is_some() => {
                presence_due = None;
                send_presence(&state, room_id, &room, &mut shown).await;
                continue;
            }
            _ = repeat.tick() => {
                room.publish_presence.store(true, Ordering::Relaxed);
                send_presence(&state, room_id, &room, &mut shown).await;
                continue;
            }
        }
        if room.recheck.swap(false, Ordering::Relaxed) {
            recheck_access(&state, room_id, &room).await;
        }
        if room.closed.load(Ordering::Relaxed) {
            // Tell the other nodes this one has nobody here now.
            super::bus::presence(&state, room_id, Vec::new(), false).await;
            return;
        }
        sent = fan_out(&state, room_id, sent, &room).await;
    }
}

/// Offers every event after `sent` to the subscribers, in order; returns
/// the last. Events handed over by this node go as they are; the database
/// is read when told of others, or to fill a gap.
async fn fan_out(state: &AppState, room_id: i64, mut sent: i64, room: &Room) -> i64 {
    loop {
        let (next, gap) = match room.handed.lock() {
            Ok(mut handed) => {
                handed.retain(|seq, _| *seq > sent);
                let next = handed.remove(&(sent + 1));
                (next, !handed.is_empty())
            }
            Err(_) => (None, true),
        };
        if let Some(delivery) = next {
            offer(room, &delivery);
            sent += 1;
            continue;
        }
        if !gap && !room.read_needed.swap(false, Ordering::Relaxed) {
            return sent;
        }
        let batch = match store::events_after(&state.db, room_id, sent, 500).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(room.id = room_id, error = %e, "chat fan-out could not read");
                room.read_needed.store(true, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let Some(last) = batch.last().map(|m| m.seq) else {
            return sent;
        };
        if batch.len() == 500 {
            // There may be more behind it.
            room.read_needed.store(true, Ordering::Relaxed);
        }
        for row in batch {
            if let Some(delivery) = delivery(row) {
                offer(room, &Arc::new(delivery));
            }
        }
        sent = last;
    }
}

/// Offers a stored event to every subscriber; one whose queue is full is
/// dropped and told to close.
fn offer(room: &Room, delivery: &Arc<Delivery>) {
    let Ok(mut subs) = room.subscribers.lock() else {
        return;
    };
    let (mut delivered, mut overflowed) = (0, 0);
    subs.retain(|_, s| match s.tx.try_send(delivery.clone()) {
        Ok(()) => {
            delivered += 1;
            true
        }
        Err(mpsc::error::TrySendError::Full(_)) => {
            overflowed += 1;
            s.overflow.notify.notify_one();
            false
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    });
    crate::metrics::global().chat_event(delivered, overflowed);
}

async fn send_controls(state: &AppState, room_id: i64, room: &Room) {
    if let Ok(Some(row)) = store::room(&state.db, room_id).await {
        let frame = ServerFrame::Room {
            room: room_id,
            state: controls(&row),
        };
        if let Some(delivery) = ephemeral(room_id, &frame) {
            offer_ephemeral(room, &delivery, None);
        }
    }
}

/// Sends who is here to this node's subscribers (when it changed), and
/// this node's part of it to the others (when asked to).
async fn send_presence(state: &AppState, room_id: i64, room: &Room, shown: &mut Vec<String>) {
    let local: BTreeSet<String> = room
        .subscribers
        .lock()
        .map(|subs| subs.values().map(|s| s.handle.clone()).collect())
        .unwrap_or_default();
    let mut here = local.clone();
    if let Ok(mut remote) = room.remote.lock() {
        remote.retain(|_, (_, heard)| heard.elapsed() < PRESENCE_TTL);
        for (handles, _) in remote.values() {
            here.extend(handles.iter().cloned());
        }
    }
    let here: Vec<String> = here.into_iter().collect();
    if here != *shown {
        let frame = ServerFrame::Presence {
            room: room_id,
            here: here.clone(),
        };
        if let Some(delivery) = ephemeral(room_id, &frame) {
            offer_ephemeral(room, &delivery, None);
        }
        *shown = here;
    }
    if room.publish_presence.swap(false, Ordering::Relaxed) {
        let ask = room.remote.lock().map(|r| r.is_empty()).unwrap_or(true);
        super::bus::presence(state, room_id, local.into_iter().collect(), ask).await;
    }
}

pub fn controls(row: &store::RoomRow) -> RoomState {
    RoomState {
        name: row.name.clone(),
        locked: row.locked,
        slow_seconds: row.slow_seconds,
    }
}

/// The frame for a stored event, the same for every reader: a hidden
/// message's words are withheld (its author and the group's moderators
/// read them on the room's page).
pub fn frame(row: EventRow) -> ServerFrame {
    let target = row.target_seq.unwrap_or(0);
    let hidden = row.hidden_by.is_some();
    let body = if hidden { String::new() } else { row.body };
    match row.kind.as_str() {
        "edit" => ServerFrame::Edit {
            room: row.room_id,
            seq: row.seq,
            target,
            body,
            at: row.created_at,
            client_id: row.client_id,
            hidden,
        },
        "hide" => ServerFrame::Hide {
            room: row.room_id,
            seq: row.seq,
            target,
            at: row.created_at,
        },
        "restore" => ServerFrame::Restore {
            room: row.room_id,
            seq: row.seq,
            target,
            body,
            at: row.created_at,
            hidden,
        },
        "delete" | "remove" => ServerFrame::Delete {
            room: row.room_id,
            seq: row.seq,
            target,
            by: if row.kind == "remove" {
                "moderator"
            } else {
                "author"
            }
            .to_owned(),
            at: row.created_at,
            client_id: row.client_id,
        },
        _ => ServerFrame::Message(Message {
            room: row.room_id,
            seq: row.seq,
            author: row.author,
            body,
            at: row.created_at,
            client_id: row.client_id,
            edited: row.edited_at,
            deleted: row.deleted_by,
            hidden,
        }),
    }
}

/// A stored event, ready for every connection.
pub fn delivery(row: EventRow) -> Option<Delivery> {
    let (room, seq) = (row.room_id, row.seq);
    let text = serde_json::to_string(&frame(row)).ok()?;
    Some(Delivery {
        room,
        seq: Some(seq),
        text: text.into(),
    })
}
