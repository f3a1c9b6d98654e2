//! Chat's side of the bus (`crate::bus`): what this node's hub does with
//! every event, its own and other nodes', and the events chat tells.

use crate::AppState;
use crate::bus::{self, Event};

use super::hub::{Audience, Delivery};
use super::protocol::ServerFrame;

/// Hears every event (registered when the state is built).
pub fn hear(state: &AppState, event: &Event) {
    let hub = &state.live;
    match event {
        Event::RoomAdvanced { room } => hub.advanced(*room),
        Event::RoomControls { room } => hub.controls_changed(*room),
        Event::Typing { room, node, author } => {
            if *node != hub.node {
                hub.typing(*room, author, None);
            }
        }
        Event::Presence {
            room,
            node,
            here,
            ask,
        } => hub.remote_presence(*room, *node, here.clone(), *ask),
        Event::GroupAccessChanged { group } => hub.access_changed(*group),
        Event::SessionEnded { account } => hub.session_ended(*account),
        Event::Alert { id, level, open } => {
            let frame = ServerFrame::Alert {
                id: *id,
                level: level.clone(),
                open: *open,
                url: format!("/moderation/alerts#alert-{id}"),
            };
            if let Ok(text) = serde_json::to_string(&frame) {
                hub.to_staff(text.into());
            }
        }
        Event::Report { id, open, group } => {
            let frame = |open| ServerFrame::Report {
                id: *id,
                open,
                url: "/moderation/reports".to_owned(),
            };
            if let Ok(text) = serde_json::to_string(&frame(Some(*open))) {
                hub.to_staff(text.into());
            }
            // Facilitators' frames carry no count (the count is everyone's).
            if let Some(group) = group
                && let Ok(text) = serde_json::to_string(&frame(None))
            {
                hub.to(Audience::Facilitators(*group), text.into());
            }
        }
    }
}

/// Hands an event this node stored to its hub (serialized once, no
/// database read), and tells every other node that the room advanced.
pub async fn stored(state: &AppState, delivery: Delivery) {
    let room = delivery.room;
    state.live.stored(delivery);
    bus::tell_others(state, Event::RoomAdvanced { room }).await;
}

/// Someone on connection `from` of this node is typing.
pub async fn typing(state: &AppState, room: i64, author: &str, from: u64) {
    state.live.typing(room, author, Some(from));
    let event = Event::Typing {
        room,
        node: state.live.node,
        author: author.to_owned(),
    };
    bus::tell_others(state, event).await;
}

/// This node's part of a room's presence, for the other nodes.
pub async fn presence(state: &AppState, room: i64, here: Vec<String>, ask: bool) {
    let event = Event::Presence {
        room,
        node: state.live.node,
        here,
        ask,
    };
    bus::tell_others(state, event).await;
}
