//! How nodes tell each other what happened in a room. A stored event is
//! never on the bus: every node reads it from the shared database, in
//! order, so the bus can drop, repeat or reorder notices without losing
//! anything (a lost notice delays delivery until the next one, or the
//! fan-out's periodic check). Presence and typing, which are never stored,
//! travel on the bus itself, and may be lost like any ephemeral signal.
//!
//! Subjects: `hearth.room.ID` (the room advanced), `.controls` (its
//! controls changed), `.typing` and `.presence` (JSON, with the sending
//! node so it can ignore its own); `hearth.group.ID` (someone left the
//! group or was removed).

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::AppState;

const SUBJECT_PREFIX: &str = "hearth.room.";
const GROUP_PREFIX: &str = "hearth.group.";
/// Crisis alerts and reports for the moderators on every node (the frame
/// itself).
const ALERTS: &str = "hearth.alerts";
/// A group's reports for its facilitators on every node:
/// `hearth.reports.GROUP` (the frame itself).
const REPORTS_PREFIX: &str = "hearth.reports.";
/// An account one of whose sessions ended (its id), for every node's open
/// connections of that account.
const SESSIONS: &str = "hearth.sessions";

#[derive(Serialize, Deserialize)]
struct Typing {
    node: u64,
    author: String,
}

#[derive(Serialize, Deserialize)]
struct Presence {
    node: u64,
    here: Vec<String>,
    ask: bool,
}

/// Connects to NATS and starts passing other nodes' notices to this node's
/// hub.
pub async fn connect(
    state: &AppState,
    url: &str,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    // No echo: this node has already told its own hub; hearing its own
    // notices back would repeat moderators' and facilitators' frames.
    let client = async_nats::ConnectOptions::new()
        .name("hearth")
        .no_echo()
        .retry_on_initial_connect()
        .connect(url)
        .await?;
    for subject in [
        format!("{SUBJECT_PREFIX}>"),
        format!("{GROUP_PREFIX}*"),
        ALERTS.to_owned(),
        format!("{REPORTS_PREFIX}*"),
        SESSIONS.to_owned(),
    ] {
        match client.subscribe(subject).await {
            Ok(mut sub) => {
                let state = state.clone();
                tokio::spawn(async move {
                    while let Some(msg) = sub.next().await {
                        receive(&state, &msg.subject, &msg.payload);
                    }
                });
            }
            Err(e) => tracing::warn!(error = %e, "cannot subscribe to the bus"),
        }
    }
    Ok(client)
}

fn receive(state: &AppState, subject: &str, payload: &[u8]) {
    if subject == SESSIONS {
        if let Some(id) = std::str::from_utf8(payload)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
        {
            state.live.session_ended(id);
        }
        return;
    }
    if subject == ALERTS {
        if let Ok(frame) = std::str::from_utf8(payload) {
            state.live.to_staff(frame.to_owned().into());
        }
        return;
    }
    if let Some(group) = subject
        .strip_prefix(REPORTS_PREFIX)
        .and_then(|id| id.parse::<i64>().ok())
    {
        if let Ok(frame) = std::str::from_utf8(payload) {
            state.live.to(
                super::hub::Audience::Facilitators(group),
                frame.to_owned().into(),
            );
        }
        return;
    }
    if let Some(group) = subject
        .strip_prefix(GROUP_PREFIX)
        .and_then(|id| id.parse::<i64>().ok())
    {
        state.live.access_changed(group);
        return;
    }
    let Some(rest) = subject.strip_prefix(SUBJECT_PREFIX) else {
        return;
    };
    let (id, what) = rest.split_once('.').unwrap_or((rest, ""));
    let Ok(room) = id.parse::<i64>() else {
        return;
    };
    let hub = &state.live;
    match what {
        "" => hub.advanced(room),
        "controls" => hub.controls_changed(room),
        "typing" => {
            if let Ok(t) = serde_json::from_slice::<Typing>(payload)
                && t.node != hub.node
            {
                hub.typing(room, &t.author, None);
            }
        }
        "presence" => {
            if let Ok(p) = serde_json::from_slice::<Presence>(payload) {
                hub.remote_presence(room, p.node, p.here, p.ask);
            }
        }
        _ => {}
    }
}

async fn publish(state: &AppState, subject: String, payload: Vec<u8>) {
    if let Some(client) = state.bus.get()
        && let Err(e) = client.publish(subject, payload.into()).await
    {
        tracing::warn!(error = %e, "bus notice not sent");
    }
}

/// Hands an event this node stored to its hub, and tells every other node
/// that the room advanced.
pub async fn stored(state: &AppState, delivery: super::hub::Delivery) {
    let room = delivery.room;
    state.live.stored(delivery);
    publish(state, format!("{SUBJECT_PREFIX}{room}"), Vec::new()).await;
}

/// A crisis alert was raised or rose: every moderator and admin online, on
/// every node, is told.
pub async fn alert(state: &AppState, id: i64, level: &str, open: i64) {
    let frame = super::protocol::ServerFrame::Alert {
        id,
        level: level.to_owned(),
        open,
        url: format!("/moderation/alerts#alert-{id}"),
    };
    let Ok(text) = serde_json::to_string(&frame) else {
        return;
    };
    state.live.to_staff(text.clone().into());
    publish(state, ALERTS.to_owned(), text.into_bytes()).await;
}

/// A report was filed (or an appeal, with id 0, and no group): moderators
/// online, and the facilitators of the report's group, on every node, are
/// told. Facilitators' frames carry no count (the count is everyone's).
pub async fn report(state: &AppState, id: i64, open: i64, group: Option<i64>) {
    let frame = super::protocol::ServerFrame::Report {
        id,
        open: Some(open),
        url: "/moderation/reports".to_owned(),
    };
    if let Ok(text) = serde_json::to_string(&frame) {
        state.live.to_staff(text.clone().into());
        publish(state, ALERTS.to_owned(), text.into_bytes()).await;
    }
    let Some(group) = group else {
        return;
    };
    let frame = super::protocol::ServerFrame::Report {
        id,
        open: None,
        url: "/moderation/reports".to_owned(),
    };
    if let Ok(text) = serde_json::to_string(&frame) {
        state.live.to(
            super::hub::Audience::Facilitators(group),
            text.clone().into(),
        );
        publish(state, format!("{REPORTS_PREFIX}{group}"), text.into_bytes()).await;
    }
}

/// One of `account_id`'s sessions ended: its open connections, on every
/// node, check their own session and close if it is gone.
pub async fn session_ended(state: &AppState, account_id: i64) {
    state.live.session_ended(account_id);
    publish(
        state,
        SESSIONS.to_owned(),
        account_id.to_string().into_bytes(),
    )
    .await;
}

/// Someone left the group or was removed: every node checks who may still
/// read its rooms.
pub async fn access_changed(state: &AppState, group: i64) {
    state.live.access_changed(group);
    publish(state, format!("{GROUP_PREFIX}{group}"), Vec::new()).await;
}

/// The room's controls changed.
pub async fn controls_changed(state: &AppState, room: i64) {
    state.live.controls_changed(room);
    publish(
        state,
        format!("{SUBJECT_PREFIX}{room}.controls"),
        Vec::new(),
    )
    .await;
}

/// Someone on connection `from` of this node is typing.
pub async fn typing(state: &AppState, room: i64, author: &str, from: u64) {
    state.live.typing(room, author, Some(from));
    let payload = Typing {
        node: state.live.node,
        author: author.to_owned(),
    };
    if let Ok(bytes) = serde_json::to_vec(&payload) {
        publish(state, format!("{SUBJECT_PREFIX}{room}.typing"), bytes).await;
    }
}

/// This node's part of a room's presence, for the other nodes.
pub async fn presence(state: &AppState, room: i64, here: Vec<String>, ask: bool) {
    let payload = Presence {
        node: state.live.node,
        here,
        ask,
    };
    if let Ok(bytes) = serde_json::to_vec(&payload) {
        publish(state, format!("{SUBJECT_PREFIX}{room}.presence"), bytes).await;
    }
}
