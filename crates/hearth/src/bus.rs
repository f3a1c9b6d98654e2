//! How the parts of Hearth, on this node and on every other, tell each
//! other what happened: an [`Event`] is handed to this node's listeners
//! and, when `--bus nats://…` names a NATS server, published for every
//! other node's (one subject, `hearth.events`, JSON).
//!
//! Nothing stored travels on the bus: a stored event is read from the
//! shared database, in order, so the bus may drop, repeat or reorder
//! notices without losing anything (a lost notice delays delivery until
//! the next one, or a periodic check). Presence and typing, which are
//! never stored, travel on the bus itself and may be lost like any
//! ephemeral signal.
//!
//! Features listen with [`Bus::listen`] when the state is built (chat's
//! hub listens to every event today) and speak with [`publish`] (here and
//! everywhere) or [`tell_others`] (where this node has already acted).

use std::sync::{OnceLock, RwLock};

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::AppState;

const SUBJECT: &str = "hearth.events";

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A room has new stored events.
    RoomAdvanced { room: i64 },
    /// A room's controls (lock, slow mode) changed.
    RoomControls { room: i64 },
    /// Someone is typing in a room (on `node`).
    Typing {
        room: i64,
        node: u64,
        author: String,
    },
    /// The handles in a room on `node`; `ask`: tell me yours.
    Presence {
        room: i64,
        node: u64,
        here: Vec<String>,
        ask: bool,
    },
    /// Someone left the group or was removed: who may read it changed.
    GroupAccessChanged { group: i64 },
    /// One of the account's sessions ended: its open connections check
    /// their own.
    SessionEnded { account: i64 },
    /// A crisis alert was raised or rose; `open` alerts in all.
    Alert { id: i64, level: String, open: i64 },
    /// A report was filed (or an appeal: id 0, no group); `open` in all.
    Report {
        id: i64,
        open: i64,
        group: Option<i64>,
    },
}

/// Something that hears events: this node's own and other nodes'.
pub type Listener = fn(&AppState, &Event);

#[derive(Default)]
pub struct Bus {
    nats: OnceLock<async_nats::Client>,
    listeners: RwLock<Vec<Listener>>,
}

impl Bus {
    /// `listener` hears every event from now on.
    pub fn listen(&self, listener: Listener) {
        self.listeners
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(listener);
    }

    fn hear(&self, state: &AppState, event: &Event) {
        let listeners = self.listeners.read().unwrap_or_else(|e| e.into_inner());
        for listener in listeners.iter() {
            listener(state, event);
        }
    }
}

/// Connects to NATS and hands other nodes' events to this node's
/// listeners.
pub async fn connect(state: &AppState, url: &str) -> Result<(), async_nats::ConnectError> {
    // No echo: this node has told its own listeners already.
    let client = async_nats::ConnectOptions::new()
        .name("hearth")
        .no_echo()
        .retry_on_initial_connect()
        .connect(url)
        .await?;
    match client.subscribe(SUBJECT).await {
        Ok(mut sub) => {
            let state = state.clone();
            tokio::spawn(async move {
                while let Some(msg) = sub.next().await {
                    match serde_json::from_slice::<Event>(&msg.payload) {
                        Ok(event) => state.bus.hear(&state, &event),
                        Err(e) => tracing::debug!(error = %e, "unreadable bus event"),
                    }
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot subscribe to the bus"),
    }
    let _ = state.bus.nats.set(client);
    crate::meetings::relay::start(state).await;
    Ok(())
}

/// The connection to the other nodes, when there is one.
pub fn nats(state: &AppState) -> Option<&async_nats::Client> {
    state.bus.nats.get()
}

/// Tells this node's listeners, then every other node's.
pub async fn publish(state: &AppState, event: Event) {
    state.bus.hear(state, &event);
    tell_others(state, event).await;
}

/// Tells every other node only (this one has acted already).
pub async fn tell_others(state: &AppState, event: Event) {
    let Some(client) = state.bus.nats.get() else {
        return;
    };
    let payload = match serde_json::to_vec(&event) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "bus event not encoded");
            return;
        }
    };
    if let Err(e) = client.publish(SUBJECT, payload.into()).await {
        tracing::warn!(error = %e, "bus event not sent");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_back_as_written() {
        for e in [
            Event::RoomAdvanced { room: 7 },
            Event::Typing {
                room: 1,
                node: u64::MAX,
                author: "alex".into(),
            },
            Event::Report {
                id: 0,
                open: 3,
                group: None,
            },
        ] {
            let bytes = serde_json::to_vec(&e).unwrap();
            assert_eq!(serde_json::from_slice::<Event>(&bytes).unwrap(), e);
        }
    }
}
