//! The JSON frames of `/live` (documented in `docs/protocol.md`).

use serde::{Deserialize, Serialize};

/// What a client may send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// Start receiving a room's events after `since` (0 for recent
    /// history), then the live stream.
    Subscribe {
        room: i64,
        #[serde(default)]
        since: i64,
    },
    Unsubscribe {
        room: i64,
    },
    /// `client_id` (1–64 characters) makes re-sending the same frame
    /// harmless: the answer is the same `ack`, and it is stored once.
    Send {
        room: i64,
        client_id: String,
        body: String,
    },
    /// The author replaces the text of message `target`.
    Edit {
        room: i64,
        target: i64,
        client_id: String,
        body: String,
    },
    /// Erases message `target` (its author, the group's facilitators, staff).
    Delete {
        room: i64,
        target: i64,
        client_id: String,
    },
    /// "I am typing": shown to the room's other members for a few seconds.
    Typing {
        room: i64,
    },
    /// "I have seen this room up to event `seq`": kept for the member's
    /// unread counts. No answer.
    Read {
        room: i64,
        seq: i64,
    },
    /// Enter a live session's room (or its lobby) for the occurrence on
    /// `date`. One room per connection; joining another leaves the first.
    SessionJoin {
        meeting: i64,
        date: String,
        /// Appear to the others as "Participant N", not by name.
        #[serde(default)]
        anonymous: bool,
    },
    SessionLeave,
    /// The browser's WebRTC offer: its media starts (or starts again).
    SessionOffer {
        sdp: String,
    },
    /// The browser's answer to the server's `session_offer`.
    SessionAnswer {
        sdp: String,
    },
    /// Raise or lower one's hand (asking to speak).
    SessionHand {
        raised: bool,
    },
    /// One's own microphone and camera, on or off.
    SessionMedia {
        mic: bool,
        camera: bool,
    },
    /// A facilitator's action on the room or on one participant.
    SessionAct {
        action: crate::meetings::room::Act,
        #[serde(default)]
        participant: Option<u32>,
        #[serde(default)]
        seconds: Option<u32>,
        /// `incident`: what happened (at most 1,000 characters).
        #[serde(default)]
        note: Option<String>,
        /// `incident`: the person may be in danger now.
        #[serde(default)]
        urgent: bool,
    },
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Subscribed {
        room: i64,
        /// The room's newest sequence number when subscribing.
        last_seq: i64,
        #[serde(flatten)]
        state: RoomState,
    },
    Unsubscribed {
        room: i64,
    },
    /// The event is durably stored as number `seq`.
    Ack {
        room: i64,
        client_id: String,
        seq: i64,
    },
    Message(Message),
    Edit {
        room: i64,
        seq: i64,
        target: i64,
        /// Empty while the message is hidden.
        body: String,
        at: i64,
        client_id: String,
        /// The message is hidden by a moderator: its words are withheld.
        #[serde(skip_serializing_if = "is_false")]
        hidden: bool,
    },
    Delete {
        room: i64,
        seq: i64,
        target: i64,
        /// `author` or `moderator`.
        by: String,
        at: i64,
        client_id: String,
    },
    /// A moderator hid message `target`, acting on a report: its words are
    /// withheld from the room (they are kept, for an appeal).
    Hide {
        room: i64,
        seq: i64,
        target: i64,
        at: i64,
    },
    /// Message `target`, hidden before, is shown again (the hiding was
    /// undone, or overturned on appeal), with its current words.
    Restore {
        room: i64,
        seq: i64,
        target: i64,
        /// Empty if it has been hidden again since.
        body: String,
        at: i64,
        #[serde(skip_serializing_if = "is_false")]
        hidden: bool,
    },
    /// Never stored: someone started typing.
    Typing {
        room: i64,
        author: String,
    },
    /// Never stored: who has the room open now, on every node.
    Presence {
        room: i64,
        here: Vec<String>,
    },
    /// The room's controls changed.
    Room {
        room: i64,
        #[serde(flatten)]
        state: RoomState,
    },
    /// Only to the writer, after their message is stored: their words
    /// suggest they may be in danger, and these are the crisis lines for
    /// their region. Nothing they wrote is held back.
    Crisis {
        room: i64,
        client_id: String,
        level: String,
        region: String,
        emergency: String,
        lines: Vec<CrisisLine>,
        help_url: String,
        /// The crisis panel as pages show it (the same template, escaped
        /// HTML, in the writer's language): what a browser puts beside the
        /// composer.
        html: String,
    },
    /// Only to moderators and admins: a crisis alert was raised, or its
    /// level rose.
    Alert {
        id: i64,
        level: String,
        /// Alerts not yet resolved, everywhere.
        open: i64,
        url: String,
    },
    /// To moderators and admins: a report (or an appeal) came in; to the
    /// facilitators of the report's group: a report came in.
    Report {
        id: i64,
        /// Reports not yet resolved, everywhere (staff only).
        #[serde(skip_serializing_if = "Option::is_none")]
        open: Option<i64>,
        url: String,
    },
    Error {
        /// See `docs/protocol.md` for the codes.
        code: String,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        room: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        /// Seconds to wait before sending again.
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_after: Option<u32>,
    },
}

/// A crisis line, with everything `/help` shows for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrisisLine {
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What to do after dialling (`then press 1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_extra: Option<String>,
    /// The number to text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The word to text to it (`HOME`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_keyword: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomState {
    pub name: String,
    pub locked: bool,
    pub slow_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub room: i64,
    pub seq: i64,
    /// Absent once the author's account is deleted.
    pub author: Option<String>,
    /// The current text; empty once deleted, or while hidden.
    pub body: String,
    /// Epoch milliseconds, the server's clock.
    pub at: i64,
    pub client_id: String,
    /// When it was last edited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited: Option<i64>,
    /// `author` or `moderator` once deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
    /// Hidden by a moderator: `body` is empty (the words are kept, for an
    /// appeal, and withheld from the room).
    #[serde(skip_serializing_if = "is_false")]
    pub hidden: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Close codes (RFC 6455 private range).
pub mod close {
    /// The session the connection was opened with has ended (logged out,
    /// ended from another device, expired, a password change, a
    /// suspension): log in again, then reconnect.
    pub const SESSION_ENDED: u16 = 4001;
    /// The connection could not keep up; resume from the last `seq` seen.
    pub const TOO_SLOW: u16 = 4008;
    /// Nothing came from the client, not even an answer to a ping, for the
    /// idle limit: reconnect and resume.
    pub const IDLE: u16 = 4009;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn frames_parse_strictly() {
        let f: ClientFrame =
            serde_json::from_str(r#"{"type":"subscribe","room":3,"since":10}"#).unwrap();
        assert_eq!(f, ClientFrame::Subscribe { room: 3, since: 10 });
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"explode"}"#).is_err());
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"send","room":1}"#).is_err());
        assert!(
            serde_json::from_str::<ClientFrame>(r#"{"type":"unsubscribe","room":1,"x":2}"#)
                .is_err()
        );
        let out = serde_json::to_string(&ServerFrame::Ack {
            room: 1,
            client_id: "a".into(),
            seq: 7,
        })
        .unwrap();
        assert_eq!(out, r#"{"type":"ack","room":1,"client_id":"a","seq":7}"#);
        let out = serde_json::to_string(&ServerFrame::Room {
            room: 1,
            state: RoomState {
                name: "Chat".into(),
                locked: true,
                slow_seconds: 30,
            },
        })
        .unwrap();
        assert_eq!(
            out,
            r#"{"type":"room","room":1,"name":"Chat","locked":true,"slow_seconds":30}"#
        );
    }

    fn frame_json() -> impl Strategy<Value = String> {
        let field = prop_oneof![
            Just("\"type\"".to_owned()),
            Just("\"room\"".to_owned()),
            Just("\"since\"".to_owned()),
            Just("\"body\"".to_owned()),
            Just("\"client_id\"".to_owned()),
            Just("\"target\"".to_owned()),
            "\"[a-z_]{0,8}\"",
        ];
        let value = prop_oneof![
            Just("\"send\"".to_owned()),
            Just("\"subscribe\"".to_owned()),
            Just("\"edit\"".to_owned()),
            Just("\"delete\"".to_owned()),
            Just("\"typing\"".to_owned()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| format!("{n:e}")),
            ".{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            Just("null".to_owned()),
            Just("[]".to_owned()),
            Just("{}".to_owned()),
        ];
        proptest::collection::vec((field, value), 0..6).prop_map(|pairs| {
            let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("{{{}}}", inner.join(","))
        })
    }

    proptest! {
        /// Any text, and any object built from the protocol's own words,
        /// decodes to a frame or to an error: never a panic.
        #[test]
        fn the_decoder_never_panics_on_text(s in ".{0,200}") {
            let _ = serde_json::from_str::<ClientFrame>(&s);
        }

        #[test]
        fn the_decoder_never_panics_on_near_frames(s in frame_json()) {
            if let Ok(frame) = serde_json::from_str::<ClientFrame>(&s) {
                // Whatever decoded came from an object with a known type.
                prop_assert!(s.contains("\"type\""));
                let _ = format!("{frame:?}");
            }
        }
    }
}
