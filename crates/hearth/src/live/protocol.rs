//! The JSON frames of `/live` (documented in `docs/protocol.md`).

use serde::{Deserialize, Serialize};

/// What a client may send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// Start receiving a room's messages after `since` (0 for all history
    /// the server keeps), then the live stream.
    Subscribe {
        room: i64,
        #[serde(default)]
        since: i64,
    },
    Unsubscribe {
        room: i64,
    },
    /// `client_id` (1–64 characters) makes re-sending the same message
    /// harmless: the answer is the same `ack`, and it is stored once.
    Send {
        room: i64,
        client_id: String,
        body: String,
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
    },
    Unsubscribed {
        room: i64,
    },
    /// The message is durably stored as number `seq`.
    Ack {
        room: i64,
        client_id: String,
        seq: i64,
    },
    Message(Message),
    Error {
        /// `bad_frame`, `not_found`, `not_member`, `too_large`,
        /// `invalid`, `rate_limited`, `unavailable`.
        code: String,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        room: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub room: i64,
    pub seq: i64,
    /// Absent once the author's account is deleted.
    pub author: Option<String>,
    pub body: String,
    /// Epoch milliseconds, the server's clock.
    pub at: i64,
    pub client_id: String,
}

/// Close codes (RFC 6455 private range).
pub mod close {
    /// The connection could not keep up; resume from the last `seq` seen.
    pub const TOO_SLOW: u16 = 4008;
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
