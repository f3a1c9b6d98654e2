//! A room's signalling between nodes. One node hosts a room (see `room`);
//! a participant's connection may reach any node. That node checks their
//! entry against the shared database, then asks the host, through the bus,
//! to seat them (NATS request and reply on `hearth.rooms.{host}`), and
//! hands it each of their frames the same way, one at a time, in order.
//! The room's frames for them come back on `hearth.seats.{their node}`,
//! in order: one forwarding task per seat. Their media goes straight to
//! the host's media ports, whose address the host's answer carries.
//!
//! Every heartbeat, a node tells each host which of its connections are
//! still seated there; a host lets go of people whose node has been quiet
//! for three heartbeats. A node that finds the host gone (nobody answers
//! on its subject) closes its seats with `moved`, and their pages join
//! again: once the host's claim is stale, the next join hosts the room.

use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::room::{self, Entrant, Frame, Place, Refusal};
use crate::AppState;
use crate::media::PeerId;

/// Requests for the rooms a node hosts: `hearth.rooms.{node}`.
const ROOMS: &str = "hearth.rooms";
/// Frames for a node's seats in rooms hosted elsewhere: `hearth.seats.{node}`.
const SEATS: &str = "hearth.seats";
/// How long a node waits for the host's answer.
const WAIT: Duration = Duration::from_secs(5);
/// Frames waiting to leave for one seat's node.
const QUEUE: usize = 256;

/// What a node asks of the node hosting a room.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Call {
    /// Seat this entrant; their frames go to `node`, marked `token`.
    Join {
        entrant: Entrant,
        node: u64,
        token: u64,
    },
    /// A seated participant's frame.
    Seat { place: Place, call: room::Call },
    /// These seats of the sender's connections are still there (no answer).
    Here { places: Vec<Place> },
}

/// A frame from the room for one seat, as it travels.
#[derive(Debug, Serialize, Deserialize)]
struct Delivery {
    token: u64,
    text: String,
    closes: bool,
}

/// The answer to a call: the seated participant's number with the host.
type Answer = Result<PeerId, Refusal>;

/// Whether rooms hosted elsewhere can be reached from this node.
pub fn available(state: &AppState) -> bool {
    crate::bus::nats(state).is_some()
}

/// Listens for calls to the rooms this node hosts, and for frames to its
/// seats in rooms hosted elsewhere (once the bus is connected).
pub async fn start(state: &AppState) {
    let Some(client) = crate::bus::nats(state) else {
        return;
    };
    let node = state.live.node;
    match client.subscribe(format!("{ROOMS}.{node}")).await {
        Ok(mut sub) => {
            let state = state.clone();
            tokio::spawn(async move {
                while let Some(msg) = sub.next().await {
                    // A call from one connection waits for its answer
                    // before the next: calls may run side by side.
                    let state = state.clone();
                    tokio::spawn(async move { serve(&state, msg).await });
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot host rooms for other nodes"),
    }
    match client.subscribe(format!("{SEATS}.{node}")).await {
        Ok(mut sub) => {
            let state = state.clone();
            tokio::spawn(async move {
                while let Some(msg) = sub.next().await {
                    match serde_json::from_slice::<Delivery>(&msg.payload) {
                        Ok(d) => state.rooms.deliver(
                            d.token,
                            Frame {
                                text: d.text,
                                closes: d.closes,
                            },
                        ),
                        Err(e) => tracing::debug!(error = %e, "unreadable room frame"),
                    }
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot reach rooms on other nodes"),
    }
}

/// Answers one call to a room this node hosts.
async fn serve(state: &AppState, msg: async_nats::Message) {
    let answer: Answer = match serde_json::from_slice::<Call>(&msg.payload) {
        Err(e) => {
            tracing::debug!(error = %e, "unreadable room call");
            Err(Refusal::Unavailable)
        }
        Ok(Call::Join {
            entrant,
            node,
            token,
        }) => seat(state, entrant, node, token).await,
        Ok(Call::Seat { place, call }) => state
            .rooms
            .serve(state, &place, call)
            .await
            .map(|()| place.peer),
        Ok(Call::Here { places }) => {
            state.rooms.still_here(&places);
            return;
        }
    };
    let (Some(reply), Some(client)) = (msg.reply, crate::bus::nats(state)) else {
        return;
    };
    if let Ok(bytes) = serde_json::to_vec(&answer)
        && let Err(e) = client.publish(reply, bytes.into()).await
    {
        tracing::warn!(error = %e, "a room's answer was not sent");
    }
}

/// Seats another node's entrant here, with a task that carries the room's
/// frames for them to that node.
async fn seat(state: &AppState, entrant: Entrant, node: u64, token: u64) -> Answer {
    if !room::claim(state, entrant.key).await? {
        return Err(Refusal::Elsewhere);
    }
    let client = crate::bus::nats(state)
        .cloned()
        .ok_or(Refusal::Unavailable)?;
    let (tx, mut rx) = mpsc::channel::<Frame>(QUEUE);
    let subject = format!("{SEATS}.{node}");
    tokio::spawn(async move {
        // Ends when the room lets go of the seat (and its media's signals).
        while let Some(frame) = rx.recv().await {
            let d = Delivery {
                token,
                text: frame.text,
                closes: frame.closes,
            };
            if let Ok(bytes) = serde_json::to_vec(&d)
                && let Err(e) = client.publish(subject.clone(), bytes.into()).await
            {
                tracing::warn!(error = %e, "a room's frame was not sent");
            }
        }
    });
    state.rooms.seat(state, entrant, tx, true).await
}

/// Asks the node hosting a room, and waits for its answer. Nobody
/// answering means the host is gone: `Elsewhere`.
pub async fn ask(state: &AppState, host: u64, call: &Call) -> Answer {
    let client = crate::bus::nats(state).ok_or(Refusal::Elsewhere)?;
    let payload = serde_json::to_vec(call).map_err(|_| Refusal::Unavailable)?;
    let asked = client.request(format!("{ROOMS}.{host}"), payload.into());
    match tokio::time::timeout(WAIT, asked).await {
        Ok(Ok(msg)) => {
            serde_json::from_slice::<Answer>(&msg.payload).unwrap_or(Err(Refusal::Unavailable))
        }
        Ok(Err(e)) if e.kind() == async_nats::RequestErrorKind::NoResponders => {
            Err(Refusal::Elsewhere)
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "a room's host did not answer");
            Err(Refusal::Unavailable)
        }
        Err(_) => Err(Refusal::Unavailable),
    }
}

/// Tells the node hosting a room, without waiting.
pub async fn tell(state: &AppState, host: u64, call: &Call) {
    let Some(client) = crate::bus::nats(state) else {
        return;
    };
    if let Ok(payload) = serde_json::to_vec(call)
        && let Err(e) = client
            .publish(format!("{ROOMS}.{host}"), payload.into())
            .await
    {
        tracing::warn!(error = %e, "a room's host was not told");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_answers_read_back() {
        let place = Place {
            key: crate::media::RoomKey {
                meeting: 3,
                date: jiff::civil::date(2026, 12, 8),
            },
            peer: 9,
            account: 4,
        };
        let call = Call::Seat {
            place,
            call: room::Call::Hand { raised: true },
        };
        let bytes = serde_json::to_vec(&call).unwrap();
        match serde_json::from_slice::<Call>(&bytes).unwrap() {
            Call::Seat {
                place: p,
                call: room::Call::Hand { raised: true },
            } => assert_eq!(p, place),
            other => panic!("read back as {other:?}"),
        }
        for answer in [Ok(7), Err(Refusal::Removed)] {
            let bytes = serde_json::to_vec(&answer).unwrap();
            assert_eq!(serde_json::from_slice::<Answer>(&bytes).unwrap(), answer);
        }
    }
}
