//! Live-session media: the seam a room talks to ([`MediaEngine`]) and
//! Hearth's own selective forwarding unit ([`sfu::Sfu`]).
//!
//! A room never touches media itself. It hands the engine a participant's
//! WebRTC offer, passes on the engine's signals (an answer, later offers as
//! other people's tracks come and go), and says whose audio or video may be
//! forwarded. An external SFU for very large meetings would implement the
//! same trait (see `docs/media.md`).

pub mod sfu;

use std::sync::atomic::{AtomicU64, Ordering};

use jiff::civil::Date;

/// One media connection: unique on this node, new for every join (a
/// participant who reloads joins again with a new one).
pub type PeerId = u64;

/// One occurrence of one meeting: the room's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct RoomKey {
    pub meeting: i64,
    pub date: Date,
}

/// What the engine tells a participant's connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// The answer to the participant's offer (SDP).
    Answer(String),
    /// An offer the participant answers: other people's tracks came or went.
    Offer(String),
    /// The media connection ended; the reason is a short code.
    Closed(&'static str),
}

/// Where a participant's signals go (their WebSocket connection).
pub type SignalSink = Box<dyn Fn(Signal) + Send>;

/// A participant joining a room's media.
pub struct Join {
    pub room: RoomKey,
    pub peer: PeerId,
    /// Shown to the others as the stream id of this participant's tracks
    /// (the room's public participant number, never an account).
    pub label: String,
    /// The participant's offer (SDP).
    pub offer: String,
    /// Whether this participant's audio and video may reach the others.
    pub audio: bool,
    pub video: bool,
    pub signals: SignalSink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the media engine is not running")]
    Stopped,
    #[error("the media engine is busy")]
    Busy,
}

/// The seam between a room and whatever forwards its media.
pub trait MediaEngine: Send + Sync {
    /// Starts a participant's media; the answer comes as a [`Signal`].
    fn join(&self, join: Join) -> Result<(), MediaError>;
    /// The participant's answer to the engine's last offer.
    fn answer(&self, peer: PeerId, sdp: String) -> Result<(), MediaError>;
    /// Whether `peer`'s audio and video may reach the others: a
    /// facilitator's mute holds here, whatever the participant's browser
    /// sends.
    fn forward(&self, peer: PeerId, audio: bool, video: bool) -> Result<(), MediaError>;
    /// Ends a participant's media.
    fn leave(&self, peer: PeerId) -> Result<(), MediaError>;
    /// What the engine has done so far.
    fn stats(&self) -> Counts;
}

/// A TURN (or STUN) server for browsers, as `RTCPeerConnection` takes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// Running totals, for metrics and the media benchmark.
#[derive(Debug, Default)]
pub struct Counters {
    pub peers: AtomicU64,
    pub frames_in: AtomicU64,
    pub frames_out: AtomicU64,
    /// Frames not forwarded because a facilitator holds the sender's
    /// audio or video.
    pub held: AtomicU64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub peers: u64,
    pub frames_in: u64,
    pub frames_out: u64,
    pub held: u64,
}

impl Counters {
    pub fn read(&self) -> Counts {
        Counts {
            peers: self.peers.load(Ordering::Relaxed),
            frames_in: self.frames_in.load(Ordering::Relaxed),
            frames_out: self.frames_out.load(Ordering::Relaxed),
            held: self.held.load(Ordering::Relaxed),
        }
    }
}
