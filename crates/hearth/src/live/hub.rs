//! Fan-out of room messages to this node's connections.
//!
//! Each room with subscribers has a task that, when told the room advanced,
//! reads the new messages from the database in sequence order and offers
//! each to every subscriber's bounded queue. A subscriber whose queue is
//! full is dropped and told to close (it resumes from its last number), so
//! a slow client never holds the room up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, mpsc};

use super::protocol::Message;
use super::store;
use crate::db::Db;

/// How often a room with subscribers looks for messages without a notice.
const SAFETY_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// Messages a connection may have waiting before it counts as too slow.
pub const QUEUE: usize = 1024;

/// Tells a connection to close because it fell behind.
#[derive(Default)]
pub struct Overflow {
    pub notify: Notify,
}

struct Subscriber {
    tx: mpsc::Sender<Arc<Message>>,
    overflow: Arc<Overflow>,
}

struct Room {
    subscribers: Mutex<HashMap<u64, Subscriber>>,
    advanced: Notify,
}

#[derive(Default)]
pub struct Hub {
    rooms: Mutex<HashMap<i64, Arc<Room>>>,
    next_id: AtomicU64,
}

impl Hub {
    pub fn connection_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Adds a connection to a room; the room's task starts with the first.
    /// `from_seq` is where this node's fan-out starts if the room is new to
    /// it (the connection fills any gap before that itself).
    pub fn subscribe(
        &self,
        db: &Db,
        room_id: i64,
        from_seq: i64,
        conn: u64,
        tx: mpsc::Sender<Arc<Message>>,
        overflow: Arc<Overflow>,
    ) {
        let Ok(mut rooms) = self.rooms.lock() else {
            return;
        };
        let room = rooms.entry(room_id).or_insert_with(|| {
            let room = Arc::new(Room {
                subscribers: Mutex::new(HashMap::new()),
                advanced: Notify::new(),
            });
            tokio::spawn(fan_out(db.clone(), room_id, from_seq, room.clone()));
            room
        });
        if let Ok(mut subs) = room.subscribers.lock() {
            subs.insert(conn, Subscriber { tx, overflow });
        }
    }

    pub fn unsubscribe(&self, room_id: i64, conn: u64) {
        if let Ok(rooms) = self.rooms.lock()
            && let Some(room) = rooms.get(&room_id)
            && let Ok(mut subs) = room.subscribers.lock()
        {
            subs.remove(&conn);
        }
    }

    /// A message was stored in the room (on this node or another).
    pub fn advanced(&self, room_id: i64) {
        if let Ok(rooms) = self.rooms.lock()
            && let Some(room) = rooms.get(&room_id)
        {
            room.advanced.notify_one();
        }
    }
}

/// Reads what is new in the room, in order, and offers it to subscribers.
async fn fan_out(db: Db, room_id: i64, mut sent: i64, room: Arc<Room>) {
    loop {
        // Woken by a notice, or every few seconds in case a notice from
        // another node was lost on the way.
        let _ = tokio::time::timeout(SAFETY_CHECK, room.advanced.notified()).await;
        loop {
            let batch = match store::messages_after(&db, room_id, sent, 500).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(room.id = room_id, error = %e, "chat fan-out could not read");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    continue;
                }
            };
            let Some(last) = batch.last().map(|m| m.seq) else {
                break;
            };
            for row in batch {
                let message = Arc::new(message(row));
                let Ok(mut subs) = room.subscribers.lock() else {
                    return;
                };
                subs.retain(|_, s| match s.tx.try_send(message.clone()) {
                    Ok(()) => true,
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        s.overflow.notify.notify_one();
                        false
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => false,
                });
            }
            sent = last;
        }
    }
}

pub fn message(row: store::MessageRow) -> Message {
    Message {
        room: row.room_id,
        seq: row.seq,
        author: row.author,
        body: row.body,
        at: row.created_at,
        client_id: row.client_id,
    }
}
