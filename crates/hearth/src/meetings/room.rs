//! A live session's room: who is in it, who waits in the lobby, raised
//! hands, the speaking timer, and the facilitators' controls, enforced
//! here and in the media engine rather than trusted to browsers.
//!
//! A room lives on the node whose connections joined it (see
//! `docs/media.md` for placement); what must hold beyond one node's memory
//! is kept in the database: who came, who was removed (by account, so no
//! device brings them back) and whether it was ended for everyone.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use tokio::sync::{OnceCell, mpsc};

use crate::AppState;
use crate::groups::model::GroupRole;
use crate::media::sfu::{Sfu, SfuConfig};
use crate::media::{Join, MediaEngine, PeerId, RoomKey, Signal};
use crate::web::ctx::CurrentUser;

use super::{service, store};

/// The room opens this long before the start…
pub const OPENS_BEFORE: SignedDuration = SignedDuration::from_mins(15);
/// …and stays open this long after the scheduled end, unless ended.
pub const STAYS_AFTER: SignedDuration = SignedDuration::from_mins(30);
/// Where `now` stands against an occurrence's room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYet,
    Open,
    Over,
}

pub fn window(o: &super::schedule::Occurrence, now: Timestamp) -> Window {
    if now < o.start - OPENS_BEFORE {
        Window::NotYet
    } else if now > o.end + STAYS_AFTER {
        Window::Over
    } else {
        Window::Open
    }
}

/// Frames waiting for one participant's connection.
const QUEUE: usize = 256;
/// A speaking turn lasts 30 seconds to 30 minutes.
const TURN_SECONDS: std::ops::RangeInclusive<u32> = 30..=1800;

/// A facilitator's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// Stop forwarding a participant's audio until allowed again.
    Mute,
    AllowMic,
    /// Stop forwarding a participant's video until allowed again.
    CameraOff,
    AllowCamera,
    /// Out of this session for good (by account).
    Remove,
    /// Let someone in the lobby in, or not.
    Admit,
    Deny,
    /// Send a participant back to the lobby.
    ToLobby,
    LowerHand,
    /// Start a speaking turn of `seconds` for a participant, or stop it.
    TimerStart,
    TimerStop,
    Lock,
    Unlock,
    /// Newcomers wait in the lobby until admitted.
    LobbyOn,
    LobbyOff,
    /// End the session for everyone.
    End,
    /// Log an incident about a participant: a safety alert for moderators.
    Incident,
}

/// A facilitator's action, with what it needs.
#[derive(Debug, Clone)]
pub struct Action {
    pub act: Act,
    pub participant: Option<u32>,
    pub seconds: Option<u32>,
    pub note: Option<String>,
    pub urgent: bool,
}

/// The most an incident's note may say.
const NOTE_MAX: usize = 1000;

/// Why a join or a frame was refused (codes in `docs/protocol.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    NotFound,
    NotMember,
    NotOpen,
    Over,
    Ended,
    Removed,
    Locked,
    NoPlace,
    NotInRoom,
    NotFacilitator,
    NoSuchParticipant,
    MicHeld,
    CameraHeld,
    BadTimer,
    BadNote,
    Elsewhere,
    /// The node hosting the room is gone: join again.
    Moved,
    MediaUnavailable,
    Unavailable,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotFound => "session_not_found",
            Refusal::NotMember => "session_members_only",
            Refusal::NotOpen => "session_not_open",
            Refusal::Over => "session_over",
            Refusal::Ended => "session_ended",
            Refusal::Removed => "session_removed",
            Refusal::Locked => "session_locked",
            Refusal::NoPlace => "session_no_place",
            Refusal::NotInRoom => "session_not_in_room",
            Refusal::NotFacilitator => "session_not_facilitator",
            Refusal::NoSuchParticipant => "session_no_participant",
            Refusal::MicHeld => "session_mic_held",
            Refusal::CameraHeld => "session_camera_held",
            Refusal::BadTimer => "session_bad_timer",
            Refusal::BadNote => "session_bad_note",
            Refusal::Elsewhere => "session_elsewhere",
            Refusal::Moved => "session_moved",
            Refusal::MediaUnavailable => "session_media_unavailable",
            Refusal::Unavailable => "unavailable",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::NotFound => "There is no such session on that date.",
            Refusal::NotMember => "Only the group's members can join its sessions.",
            Refusal::NotOpen => "The room opens 15 minutes before the session starts.",
            Refusal::Over => "This session is over.",
            Refusal::Ended => "The facilitator ended this session.",
            Refusal::Removed => "A facilitator removed you from this session.",
            Refusal::Locked => "The facilitator locked the room.",
            Refusal::NoPlace => {
                "Only people with a place can join: take one on the session's page."
            }
            Refusal::NotInRoom => "Join the session first.",
            Refusal::NotFacilitator => "Only the group's facilitators can do that.",
            Refusal::NoSuchParticipant => "That person is not in the session.",
            Refusal::MicHeld => "A facilitator muted you; ask to speak.",
            Refusal::CameraHeld => "A facilitator turned your camera off.",
            Refusal::BadTimer => "A speaking turn lasts 30 to 1800 seconds.",
            Refusal::BadNote => {
                "An incident's note is at most 1,000 characters, without control characters."
            }
            Refusal::Elsewhere => {
                "This session is running on another of this site's servers. Try again in a moment; if it keeps happening, tell the site's operator."
            }
            Refusal::Moved => "The server running this session stopped. Joining again.",
            Refusal::MediaUnavailable => "Audio and video are not available; the chat still works.",
            Refusal::Unavailable => "Something went wrong; try again.",
        }
    }
}

/// What the room sends one participant's connection.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Out {
    SessionState(Box<View>),
    /// In the lobby: a facilitator lets them in.
    SessionWaiting {
        meeting: i64,
        date: String,
    },
    SessionAnswer {
        sdp: String,
    },
    SessionOffer {
        sdp: String,
    },
    /// The participant's media connection ended; a new offer starts it again.
    SessionMediaClosed {
        reason: &'static str,
    },
    /// To a facilitator: the incident is logged, as safety alert `alert`.
    SessionIncidentLogged {
        alert: i64,
    },
    /// Out of the room: `ended`, `removed`, `denied`, `replaced` (the same
    /// account joined from elsewhere) or `left`.
    SessionClosed {
        reason: &'static str,
    },
}

/// The room as one participant sees it.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub meeting: i64,
    pub date: String,
    /// The participant's own number.
    pub you: u32,
    pub facilitator: bool,
    pub locked: bool,
    pub lobby: bool,
    pub participants: Vec<ParticipantView>,
    /// Raised hands, first raised first.
    pub hands: Vec<u32>,
    /// Facilitators only: who waits in the lobby.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<Waiting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timer: Option<Timer>,
    /// ICE servers besides the node's own (operators' TURN).
    pub ice_servers: Vec<crate::media::IceServer>,
    /// The session's chat: a chat room (`subscribe` to it on `/live`).
    pub chat_room: i64,
    /// Facilitators only: their own chat room for this session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backchannel_room: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub id: u32,
    /// Absent for someone who chose a neutral label ("Participant 3").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub facilitator: bool,
    pub mic: bool,
    pub camera: bool,
    /// A facilitator holds their microphone or camera off.
    pub mic_held: bool,
    pub camera_held: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Waiting {
    pub id: u32,
    pub name: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timer {
    pub participant: u32,
    pub seconds: u32,
    /// Epoch milliseconds.
    pub ends_at: i64,
}

/// Who one participant's connection is in which room: what the hosting
/// node knows it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub key: RoomKey,
    pub peer: PeerId,
    pub account: i64,
}

/// One connection's place in a room, and where the room is.
pub struct Seat {
    pub place: Place,
    /// The node hosting the room, when it is not this one (the seat's
    /// frames go through the bus).
    pub host: Option<u64>,
    /// This node's number for a seat hosted elsewhere.
    token: u64,
    pub rx: mpsc::Receiver<Frame>,
}

/// A member cleared to enter a room: what the hosting node needs to seat
/// them, worked out by the node their connection reached.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entrant {
    pub key: RoomKey,
    pub account: i64,
    pub handle: String,
    pub anonymous: bool,
    pub facilitator: bool,
    pub group_id: i64,
    pub url: String,
    pub chat_room: i64,
    pub backchannel: Option<i64>,
    /// When the room may be forgotten.
    pub closes_at: Timestamp,
}

struct Person {
    peer: PeerId,
    account: i64,
    number: u32,
    handle: String,
    anonymous: bool,
    facilitator: bool,
    mic: bool,
    camera: bool,
    tx: mpsc::Sender<Frame>,
    /// For a connection on another node: when that node last said it is
    /// still there (epoch ms).
    remote_seen: Option<i64>,
}

#[derive(Default, Clone, Copy)]
struct Hold {
    mic: bool,
    camera: bool,
}

struct Room {
    /// When the room may be forgotten (its occurrence is over).
    closes_at: Timestamp,
    group_id: i64,
    /// The session's page, for moderators reading an incident.
    url: String,
    /// The session's chat room (see `live`), and its facilitators' own.
    chat_room: i64,
    backchannel: Option<i64>,
    people: Vec<Person>,
    lobby: Vec<Person>,
    /// Numbers stay with an account for the room's life: a reload keeps
    /// one's place in the hand queue and one's label.
    numbers: HashMap<i64, u32>,
    /// Let in once: a reload does not send them back to the lobby.
    admitted: HashSet<i64>,
    holds: HashMap<i64, Hold>,
    hands: Vec<u32>,
    timer: Option<Timer>,
    locked: bool,
    lobby_on: bool,
    /// Removed from this session (also stored).
    removed: HashSet<i64>,
    /// Ended for everyone (also stored).
    ended: bool,
}

impl Room {
    fn number(&mut self, account: i64) -> u32 {
        let next = u32::try_from(self.numbers.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        *self.numbers.entry(account).or_insert(next)
    }

    fn hold(&self, account: i64) -> Hold {
        self.holds.get(&account).copied().unwrap_or_default()
    }

    fn view(&self, key: RoomKey, me: &Person, ice: &[crate::media::IceServer]) -> View {
        View {
            meeting: key.meeting,
            date: key.date.to_string(),
            you: me.number,
            facilitator: me.facilitator,
            locked: self.locked,
            lobby: self.lobby_on,
            participants: self
                .people
                .iter()
                .map(|p| {
                    let hold = self.hold(p.account);
                    ParticipantView {
                        id: p.number,
                        name: (!p.anonymous || p.peer == me.peer).then(|| p.handle.clone()),
                        facilitator: p.facilitator,
                        mic: p.mic && !hold.mic,
                        camera: p.camera && !hold.camera,
                        mic_held: hold.mic,
                        camera_held: hold.camera,
                    }
                })
                .collect(),
            hands: self.hands.clone(),
            waiting: if me.facilitator {
                self.lobby
                    .iter()
                    .map(|p| Waiting {
                        id: p.number,
                        name: p.handle.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            timer: self.timer,
            ice_servers: ice.to_vec(),
            chat_room: self.chat_room,
            backchannel_room: if me.facilitator {
                self.backchannel
            } else {
                None
            },
        }
    }

    /// Sends everyone in the room their view.
    fn tell_all(&self, key: RoomKey, ice: &[crate::media::IceServer]) {
        for p in &self.people {
            send(&p.tx, &Out::SessionState(Box::new(self.view(key, p, ice))));
        }
    }

    fn by_number(&self, number: u32) -> Option<usize> {
        self.people.iter().position(|p| p.number == number)
    }

    /// Takes someone out of the room (their hand comes down).
    fn take(&mut self, at: usize) -> Option<Person> {
        (at < self.people.len()).then(|| {
            let p = self.people.swap_remove(at);
            self.hands.retain(|h| *h != p.number);
            p
        })
    }
}

/// One frame for a participant's connection, as JSON text.
pub struct Frame {
    pub text: String,
    /// The seat is over (`session_closed`): the connection lets it go.
    pub closes: bool,
}

fn send(tx: &mpsc::Sender<Frame>, out: &Out) {
    if let Ok(text) = serde_json::to_string(out) {
        let closes = matches!(out, Out::SessionClosed { .. });
        // A connection this far behind is about to be closed for it.
        let _ = tx.try_send(Frame { text, closes });
    }
}

/// This node, as `meeting_hosts` names it.
fn node_id(state: &AppState) -> i64 {
    i64::from_ne_bytes(state.live.node.to_ne_bytes())
}

/// A node as `meeting_hosts` names it, as the bus does.
fn node_of(id: i64) -> u64 {
    u64::from_ne_bytes(id.to_ne_bytes())
}

/// A host not seen for this long (three of its heartbeats) may be replaced;
/// a participant's node not heard from for as long is gone.
fn host_stale_ms(state: &AppState) -> i64 {
    let beat = state.settings.limits.reminder_check_secs.max(1);
    i64::try_from(beat.saturating_mul(3_000)).unwrap_or(i64::MAX)
}

/// Claims (or keeps) a room for this node: whether it hosts it now. One
/// node hosts a room: a second never opens a separate one.
pub(super) async fn claim(state: &AppState, key: RoomKey) -> Result<bool, Refusal> {
    let now = Timestamp::now().as_millisecond();
    store::claim_host(
        &state.db,
        key.meeting,
        &key.date.to_string(),
        node_id(state),
        now,
        now - host_stale_ms(state),
    )
    .await
    .map_err(|_| Refusal::Unavailable)
}

/// A seat on this node whose room another node hosts.
struct Remote {
    host: u64,
    place: Place,
    tx: mpsc::Sender<Frame>,
}

/// Every room on this node.
pub struct Rooms {
    config: SfuConfig,
    engine: OnceCell<Option<Arc<dyn MediaEngine>>>,
    rooms: Mutex<HashMap<RoomKey, Room>>,
    next_peer: AtomicU64,
    /// Seats of this node's connections in rooms hosted elsewhere, by token.
    remote: Mutex<HashMap<u64, Remote>>,
    next_token: AtomicU64,
}

impl Rooms {
    pub fn new(config: SfuConfig) -> Self {
        Self {
            config,
            engine: OnceCell::new(),
            rooms: Mutex::new(HashMap::new()),
            next_peer: AtomicU64::new(1),
            remote: Mutex::new(HashMap::new()),
            next_token: AtomicU64::new(1),
        }
    }

    /// The media engine, started on first use (none if its sockets cannot
    /// be bound: the rooms' chat and controls still work).
    pub async fn engine(&self) -> Option<Arc<dyn MediaEngine>> {
        self.engine
            .get_or_init(|| async {
                match Sfu::start(self.config.clone()).await {
                    Ok(sfu) => Some(Arc::new(sfu) as Arc<dyn MediaEngine>),
                    Err(e) => {
                        tracing::error!(error = %e, "the media engine cannot start");
                        None
                    }
                }
            })
            .await
            .clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RoomKey, Room>> {
        self.rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn remote(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Remote>> {
        self.remote
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Enters a member into an occurrence's room (or its lobby): on this
    /// node when it hosts the room, else through the bus on the node that
    /// does.
    pub async fn join(
        &self,
        state: &AppState,
        user: &CurrentUser,
        meeting_id: i64,
        date: &str,
        anonymous: bool,
    ) -> Result<Seat, Refusal> {
        let entrant = entrant(state, user, meeting_id, date, anonymous).await?;
        let hosts_here = claim(state, entrant.key).await?;
        let (tx, rx) = mpsc::channel(QUEUE);
        if hosts_here {
            let key = entrant.key;
            let account = entrant.account;
            let peer = self.seat(state, entrant, tx, false).await?;
            return Ok(Seat {
                place: Place { key, peer, account },
                host: None,
                token: 0,
                rx,
            });
        }
        if !super::relay::available(state) {
            return Err(Refusal::Elsewhere);
        }
        let day = entrant.key.date.to_string();
        let host = store::host(&state.db, entrant.key.meeting, &day)
            .await
            .map_err(|_| Refusal::Unavailable)?
            .map(node_of)
            .ok_or(Refusal::Elsewhere)?;
        // Known before the host answers: its first frames may come first.
        let token = self.next_token.fetch_add(1, Ordering::Relaxed);
        let mut place = Place {
            key: entrant.key,
            peer: 0,
            account: entrant.account,
        };
        self.remote().insert(token, Remote { host, place, tx });
        let call = super::relay::Call::Join {
            entrant,
            node: state.live.node,
            token,
        };
        match super::relay::ask(state, host, &call).await {
            Ok(peer) => {
                place.peer = peer;
                if let Some(r) = self.remote().get_mut(&token) {
                    r.place.peer = peer;
                }
                Ok(Seat {
                    place,
                    host: Some(host),
                    token,
                    rx,
                })
            }
            Err(r) => {
                self.remote().remove(&token);
                Err(r)
            }
        }
    }

    /// Seats an entrant in a room this node hosts; `tx` carries their
    /// frames (to a connection here, or to another node's through the bus).
    pub(super) async fn seat(
        &self,
        state: &AppState,
        e: Entrant,
        tx: mpsc::Sender<Frame>,
        remote: bool,
    ) -> Result<PeerId, Refusal> {
        let now = Timestamp::now();
        let key = e.key;
        let day = key.date.to_string();
        let peer = self.next_peer.fetch_add(1, Ordering::Relaxed);
        let account = e.account;
        let facilitator = e.facilitator;
        let replaced = {
            let mut rooms = self.lock();
            rooms.retain(|_, r| r.closes_at > now);
            let room = rooms.entry(key).or_insert_with(|| Room {
                closes_at: e.closes_at,
                group_id: e.group_id,
                url: e.url.clone(),
                chat_room: e.chat_room,
                backchannel: None,
                people: Vec::new(),
                lobby: Vec::new(),
                numbers: HashMap::new(),
                admitted: HashSet::new(),
                holds: HashMap::new(),
                hands: Vec::new(),
                timer: None,
                locked: false,
                lobby_on: false,
                removed: HashSet::new(),
                ended: false,
            });
            if e.backchannel.is_some() {
                room.backchannel = e.backchannel;
            }
            // This node's word holds before the database's is written.
            if room.ended {
                return Err(Refusal::Ended);
            }
            if room.removed.contains(&account) {
                return Err(Refusal::Removed);
            }
            let here = room.people.iter().any(|p| p.account == account);
            if room.locked && !facilitator && !here {
                return Err(Refusal::Locked);
            }
            // The same account from elsewhere: the newer connection wins.
            let mut replaced = None;
            if let Some(i) = room.people.iter().position(|p| p.account == account) {
                let old = room.people.swap_remove(i);
                send(&old.tx, &Out::SessionClosed { reason: "replaced" });
                replaced = Some(old.peer);
            }
            if let Some(i) = room.lobby.iter().position(|p| p.account == account) {
                let old = room.lobby.swap_remove(i);
                send(&old.tx, &Out::SessionClosed { reason: "replaced" });
            }
            let number = room.number(account);
            let person = Person {
                peer,
                account,
                number,
                handle: e.handle,
                anonymous: e.anonymous,
                facilitator,
                mic: false,
                camera: false,
                tx,
                remote_seen: remote.then_some(now.as_millisecond()),
            };
            if room.lobby_on && !facilitator && !room.admitted.contains(&account) {
                send(
                    &person.tx,
                    &Out::SessionWaiting {
                        meeting: key.meeting,
                        date: day.clone(),
                    },
                );
                room.lobby.push(person);
            } else {
                room.admitted.insert(account);
                room.people.push(person);
            }
            room.tell_all(key, &self.config.ice_servers);
            replaced
        };
        if let Some(old) = replaced
            && let Some(engine) = self.engine.get().cloned().flatten()
        {
            let _ = engine.leave(old);
        }
        if let Err(e) = store::entered(
            &state.db,
            key.meeting,
            &day,
            account,
            e.anonymous,
            now.as_millisecond(),
        )
        .await
        {
            tracing::warn!(error = %e, "attendance not recorded");
        }
        Ok(peer)
    }

    /// Runs `f` on the place's room and its person (in the room, not the
    /// lobby).
    fn with_person<T>(
        &self,
        place: &Place,
        f: impl FnOnce(&mut Room, usize) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        let mut rooms = self.lock();
        let room = rooms.get_mut(&place.key).ok_or(Refusal::NotInRoom)?;
        let at = room
            .people
            .iter()
            .position(|p| p.peer == place.peer && p.account == place.account)
            .ok_or(Refusal::NotInRoom)?;
        f(room, at)
    }

    /// As [`Self::with_person`], for a change everyone sees: the room's
    /// view goes to everyone afterwards.
    fn change<T>(
        &self,
        place: &Place,
        f: impl FnOnce(&mut Room, usize) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        self.with_person(place, |room, at| {
            let out = f(room, at)?;
            room.tell_all(place.key, &self.config.ice_servers);
            Ok(out)
        })
    }

    /// A frame from a seat's connection, on whichever node hosts its room.
    async fn call(&self, state: &AppState, seat: &Seat, call: Call) -> Result<(), Refusal> {
        match seat.host {
            None => self.serve(state, &seat.place, call).await,
            Some(host) => {
                let call = super::relay::Call::Seat {
                    place: seat.place,
                    call,
                };
                super::relay::ask(state, host, &call).await.map(|_| ())
            }
        }
    }

    /// Carries out a seat's frame in a room this node hosts.
    pub(super) async fn serve(
        &self,
        state: &AppState,
        place: &Place,
        call: Call,
    ) -> Result<(), Refusal> {
        match call {
            Call::Offer { sdp } => self.offer(place, sdp).await,
            Call::Answer { sdp } => self.answer(place, sdp).await,
            Call::Hand { raised } => self.hand(place, raised),
            Call::Media { mic, camera } => self.media(place, mic, camera),
            Call::Act {
                act,
                participant,
                seconds,
                note,
                urgent,
            } => {
                let action = Action {
                    act,
                    participant,
                    seconds,
                    note,
                    urgent,
                };
                self.act(state, place, action).await
            }
            Call::Leave => {
                self.leave_here(state, place).await;
                Ok(())
            }
        }
    }

    /// The participant's offer: their media starts.
    pub async fn send_offer(
        &self,
        state: &AppState,
        seat: &Seat,
        sdp: String,
    ) -> Result<(), Refusal> {
        self.call(state, seat, Call::Offer { sdp }).await
    }

    /// The participant's answer to the engine's offer.
    pub async fn send_answer(
        &self,
        state: &AppState,
        seat: &Seat,
        sdp: String,
    ) -> Result<(), Refusal> {
        self.call(state, seat, Call::Answer { sdp }).await
    }

    /// Raises or lowers one's own hand.
    pub async fn raise_hand(
        &self,
        state: &AppState,
        seat: &Seat,
        raised: bool,
    ) -> Result<(), Refusal> {
        self.call(state, seat, Call::Hand { raised }).await
    }

    /// What one's own microphone and camera are doing (shown to others).
    pub async fn set_media(
        &self,
        state: &AppState,
        seat: &Seat,
        mic: bool,
        camera: bool,
    ) -> Result<(), Refusal> {
        self.call(state, seat, Call::Media { mic, camera }).await
    }

    /// A facilitator's action on the room or on one participant.
    pub async fn facilitate(
        &self,
        state: &AppState,
        seat: &Seat,
        action: Action,
    ) -> Result<(), Refusal> {
        let Action {
            act,
            participant,
            seconds,
            note,
            urgent,
        } = action;
        let call = Call::Act {
            act,
            participant,
            seconds,
            note,
            urgent,
        };
        self.call(state, seat, call).await
    }

    async fn offer(&self, place: &Place, sdp: String) -> Result<(), Refusal> {
        let (label, hold, tx) = self.with_person(place, |room, at| {
            let p = room.people.get(at).ok_or(Refusal::NotInRoom)?;
            Ok((p.number.to_string(), room.hold(p.account), p.tx.clone()))
        })?;
        let engine = self.engine().await.ok_or(Refusal::MediaUnavailable)?;
        let signals: crate::media::SignalSink = Box::new(move |signal| {
            let out = match signal {
                Signal::Answer(sdp) => Out::SessionAnswer { sdp },
                Signal::Offer(sdp) => Out::SessionOffer { sdp },
                Signal::Closed(reason) => Out::SessionMediaClosed { reason },
            };
            send(&tx, &out);
        });
        engine
            .join(Join {
                room: place.key,
                peer: place.peer,
                label,
                offer: sdp,
                audio: !hold.mic,
                video: !hold.camera,
                signals,
            })
            .map_err(|_| Refusal::MediaUnavailable)
    }

    async fn answer(&self, place: &Place, sdp: String) -> Result<(), Refusal> {
        self.with_person(place, |_, _| Ok(()))?;
        let engine = self.engine().await.ok_or(Refusal::MediaUnavailable)?;
        engine
            .answer(place.peer, sdp)
            .map_err(|_| Refusal::MediaUnavailable)
    }

    fn hand(&self, place: &Place, raised: bool) -> Result<(), Refusal> {
        self.change(place, |room, at| {
            let n = room
                .people
                .get(at)
                .map(|p| p.number)
                .ok_or(Refusal::NotInRoom)?;
            room.hands.retain(|h| *h != n);
            if raised {
                room.hands.push(n);
            }
            Ok(())
        })
    }

    fn media(&self, place: &Place, mic: bool, camera: bool) -> Result<(), Refusal> {
        self.change(place, |room, at| {
            let hold = room
                .people
                .get(at)
                .map(|p| room.hold(p.account))
                .unwrap_or_default();
            if mic && hold.mic {
                return Err(Refusal::MicHeld);
            }
            if camera && hold.camera {
                return Err(Refusal::CameraHeld);
            }
            let p = room.people.get_mut(at).ok_or(Refusal::NotInRoom)?;
            p.mic = mic;
            p.camera = camera;
            Ok(())
        })
    }
    /// A facilitator's action on the room or on participant `target`.
    async fn act(&self, state: &AppState, seat: &Place, action: Action) -> Result<(), Refusal> {
        let Action {
            act,
            participant: target,
            seconds,
            note,
            urgent,
        } = action;
        let now = Timestamp::now().as_millisecond();
        let day = seat.key.date.to_string();
        // Decided under the lock; the engine and the database afterwards.
        let mut forward: Option<(PeerId, bool, bool)> = None;
        let mut leave: Vec<PeerId> = Vec::new();
        // Accounts out of the room now (their attendance ends).
        let mut gone: Vec<i64> = Vec::new();
        let mut removed: Option<i64> = None;
        let mut ended = false;
        // (about whom, the group, the session's page, the facilitator's connection)
        let mut incident: Option<(i64, i64, String, mpsc::Sender<Frame>)> = None;
        let note = crate::text::parse_text(
            note.as_deref().unwrap_or_default(),
            0,
            NOTE_MAX,
            true,
            "error-session-notes",
        )
        .map_err(|_| Refusal::BadNote)?;
        {
            let mut rooms = self.lock();
            let room = rooms.get_mut(&seat.key).ok_or(Refusal::NotInRoom)?;
            let me = room
                .people
                .iter()
                .find(|p| p.peer == seat.peer)
                .ok_or(Refusal::NotInRoom)?;
            if !me.facilitator {
                return Err(Refusal::NotFacilitator);
            }
            let my_tx = me.tx.clone();
            let target_at = |room: &Room| {
                target
                    .and_then(|n| room.by_number(n))
                    .ok_or(Refusal::NoSuchParticipant)
            };
            match act {
                Act::Mute | Act::AllowMic | Act::CameraOff | Act::AllowCamera => {
                    let at = target_at(room)?;
                    let (account, peer) = room
                        .people
                        .get(at)
                        .map(|p| (p.account, p.peer))
                        .ok_or(Refusal::NoSuchParticipant)?;
                    let hold = room.holds.entry(account).or_default();
                    match act {
                        Act::Mute => hold.mic = true,
                        Act::AllowMic => hold.mic = false,
                        Act::CameraOff => hold.camera = true,
                        _ => hold.camera = false,
                    }
                    forward = Some((peer, !hold.mic, !hold.camera));
                }
                Act::Remove => {
                    let at = target_at(room)?;
                    let p = room.take(at).ok_or(Refusal::NoSuchParticipant)?;
                    send(&p.tx, &Out::SessionClosed { reason: "removed" });
                    leave.push(p.peer);
                    gone.push(p.account);
                    room.removed.insert(p.account);
                    removed = Some(p.account);
                }
                Act::ToLobby => {
                    let at = target_at(room)?;
                    let p = room.take(at).ok_or(Refusal::NoSuchParticipant)?;
                    room.admitted.remove(&p.account);
                    leave.push(p.peer);
                    send(
                        &p.tx,
                        &Out::SessionWaiting {
                            meeting: seat.key.meeting,
                            date: day.clone(),
                        },
                    );
                    room.lobby.push(p);
                }
                Act::Admit | Act::Deny => {
                    let at = target
                        .and_then(|n| room.lobby.iter().position(|p| p.number == n))
                        .ok_or(Refusal::NoSuchParticipant)?;
                    let p = room.lobby.swap_remove(at);
                    if act == Act::Admit {
                        room.admitted.insert(p.account);
                        room.people.push(p);
                    } else {
                        send(&p.tx, &Out::SessionClosed { reason: "denied" });
                    }
                }
                Act::LowerHand => {
                    let n = target.ok_or(Refusal::NoSuchParticipant)?;
                    room.hands.retain(|h| *h != n);
                }
                Act::TimerStart => {
                    let at = target_at(room)?;
                    let seconds = seconds
                        .filter(|s| TURN_SECONDS.contains(s))
                        .ok_or(Refusal::BadTimer)?;
                    let participant = room.people.get(at).map(|p| p.number).unwrap_or_default();
                    room.hands.retain(|h| *h != participant);
                    room.timer = Some(Timer {
                        participant,
                        seconds,
                        ends_at: now.saturating_add(i64::from(seconds) * 1000),
                    });
                }
                Act::TimerStop => room.timer = None,
                Act::Lock => room.locked = true,
                Act::Unlock => room.locked = false,
                Act::LobbyOn => room.lobby_on = true,
                Act::LobbyOff => {
                    room.lobby_on = false;
                    // Whoever waits comes in.
                    for p in std::mem::take(&mut room.lobby) {
                        room.admitted.insert(p.account);
                        room.people.push(p);
                    }
                }
                Act::End => ended = true,
                Act::Incident => {
                    let at = target_at(room)?;
                    let about = room.people.get(at).map(|p| p.account).unwrap_or_default();
                    incident = Some((about, room.group_id, room.url.clone(), my_tx));
                }
            }
            if ended {
                // Kept, ended, until it closes: nobody gets back in, even
                // before the database says so.
                room.ended = true;
                room.hands.clear();
                room.timer = None;
                for p in room.people.drain(..).chain(room.lobby.drain(..)) {
                    send(&p.tx, &Out::SessionClosed { reason: "ended" });
                    leave.push(p.peer);
                    gone.push(p.account);
                }
            } else {
                room.tell_all(seat.key, &self.config.ice_servers);
            }
        }
        if let Some(engine) = self.engine.get().cloned().flatten() {
            if let Some((peer, audio, video)) = forward {
                let _ = engine.forward(peer, audio, video);
            }
            for peer in &leave {
                let _ = engine.leave(*peer);
            }
        }
        if let Some((about, group, url, tell)) = incident {
            let alert = crate::safety::raise_incident(
                state,
                about,
                group,
                seat.key.meeting,
                &url,
                &note,
                urgent,
            )
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "a session incident was not logged");
                Refusal::Unavailable
            })?;
            send(&tell, &Out::SessionIncidentLogged { alert });
            return Ok(());
        }
        let db = &state.db;
        for account in gone {
            if let Err(e) = store::left(db, seat.key.meeting, &day, account, now).await {
                tracing::warn!(error = %e, "attendance not recorded");
            }
        }
        let written = if let Some(account) = removed {
            store::remove(db, seat.key.meeting, &day, account, seat.account, now).await
        } else if ended {
            store::end_room(db, seat.key.meeting, &day, seat.account, now).await
        } else {
            Ok(())
        };
        written.map_err(|e| {
            tracing::error!(error = %e, "a facilitator's action was not stored");
            Refusal::Unavailable
        })
    }

    /// Tells the database this node still hosts the rooms people are in,
    /// lets go of people whose node has gone quiet, and tells the nodes
    /// hosting this node's seats that they are still here (every
    /// `reminder_check_secs`, with the reminders).
    pub async fn heartbeat(&self, state: &AppState) {
        let now = Timestamp::now().as_millisecond();
        let stale = now - host_stale_ms(state);
        let (busy, quiet): (Vec<RoomKey>, Vec<Place>) = {
            let rooms = self.lock();
            let busy = rooms
                .iter()
                .filter(|(_, r)| !r.people.is_empty() || !r.lobby.is_empty())
                .map(|(k, _)| *k)
                .collect();
            let quiet = rooms
                .iter()
                .flat_map(|(key, r)| {
                    r.people
                        .iter()
                        .chain(&r.lobby)
                        .filter(|p| p.remote_seen.is_some_and(|t| t < stale))
                        .map(|p| Place {
                            key: *key,
                            peer: p.peer,
                            account: p.account,
                        })
                })
                .collect();
            (busy, quiet)
        };
        for place in quiet {
            self.leave_here(state, &place).await;
        }
        for key in busy {
            let day = key.date.to_string();
            match store::claim_host(&state.db, key.meeting, &day, node_id(state), now, stale).await
            {
                Ok(true) => {}
                Ok(false) => tracing::warn!(meeting = key.meeting, "another node took over a room"),
                Err(e) => tracing::warn!(error = %e, "a room's host was not refreshed"),
            }
        }
        let mut by_host: HashMap<u64, Vec<Place>> = HashMap::new();
        for r in self.remote().values() {
            by_host.entry(r.host).or_default().push(r.place);
        }
        for (host, places) in by_host {
            super::relay::tell(state, host, &super::relay::Call::Here { places }).await;
        }
    }

    /// A node says its connections in these places are still there.
    pub(super) fn still_here(&self, places: &[Place]) {
        let now = Timestamp::now().as_millisecond();
        let mut rooms = self.lock();
        for place in places {
            if let Some(room) = rooms.get_mut(&place.key) {
                for p in room.people.iter_mut().chain(room.lobby.iter_mut()) {
                    if p.peer == place.peer && p.remote_seen.is_some() {
                        p.remote_seen = Some(now);
                    }
                }
            }
        }
    }

    /// A frame from the node hosting the room of this node's seat `token`.
    pub(super) fn deliver(&self, token: u64, frame: Frame) {
        let mut remote = self.remote();
        let Some(r) = remote.get(&token) else {
            return;
        };
        let closes = frame.closes;
        // A connection this far behind is about to be closed for it.
        let _ = r.tx.try_send(frame);
        if closes {
            remote.remove(&token);
        }
    }

    /// The connection leaves (closed, or asked to).
    pub async fn leave(&self, state: &AppState, seat: &Seat) {
        match seat.host {
            None => self.leave_here(state, &seat.place).await,
            Some(host) => {
                self.remote().remove(&seat.token);
                let call = super::relay::Call::Seat {
                    place: seat.place,
                    call: Call::Leave,
                };
                let _ = super::relay::ask(state, host, &call).await;
            }
        }
    }

    async fn leave_here(&self, state: &AppState, place: &Place) {
        let was_in = {
            let mut rooms = self.lock();
            let Some(room) = rooms.get_mut(&place.key) else {
                return;
            };
            let before = room.people.len() + room.lobby.len();
            if let Some(at) = room.people.iter().position(|p| p.peer == place.peer) {
                room.take(at);
            }
            room.lobby.retain(|p| p.peer != place.peer);
            let was_in = room.people.len() + room.lobby.len() < before;
            // An empty room's controls (holds, lock) are kept until it
            // closes: a dropped facilitator does not unlock it.
            if was_in {
                room.tell_all(place.key, &self.config.ice_servers);
            }
            was_in
        };
        if let Some(engine) = self.engine.get().cloned().flatten() {
            let _ = engine.leave(place.peer);
        }
        if was_in {
            let now = Timestamp::now().as_millisecond();
            let day = place.key.date.to_string();
            if let Err(e) =
                store::left(&state.db, place.key.meeting, &day, place.account, now).await
            {
                tracing::warn!(error = %e, "attendance not recorded");
            }
        }
    }
}

/// A seat's frame, for the node hosting its room.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum Call {
    Offer {
        sdp: String,
    },
    Answer {
        sdp: String,
    },
    Hand {
        raised: bool,
    },
    Media {
        mic: bool,
        camera: bool,
    },
    Act {
        act: Act,
        participant: Option<u32>,
        seconds: Option<u32>,
        note: Option<String>,
        urgent: bool,
    },
    Leave,
}

/// Whether `user` may enter an occurrence's room, and what seating them
/// takes (read from the shared database, so any node can tell).
async fn entrant(
    state: &AppState,
    user: &CurrentUser,
    meeting_id: i64,
    date: &str,
    anonymous: bool,
) -> Result<Entrant, Refusal> {
    let db = &state.db;
    let m = store::meeting(db, meeting_id)
        .await
        .map_err(|_| Refusal::Unavailable)?
        .ok_or(Refusal::NotFound)?;
    let group = crate::groups::store::group_by_id(db, m.group_id)
        .await
        .map_err(|_| Refusal::Unavailable)?
        .filter(|g| crate::groups::service::can_see(g, Some(user)))
        .ok_or(Refusal::NotFound)?;
    // The group's own rules (hidden groups, age spaces), then
    // membership: staff who are not members do not enter its sessions.
    let role = crate::groups::store::membership(db, group.id, user.account.id)
        .await
        .map_err(|_| Refusal::Unavailable)?
        .ok_or(Refusal::NotMember)?;
    let facilitator = role == GroupRole::Facilitator;
    let date: Date = date.trim().parse().map_err(|_| Refusal::NotFound)?;
    let occurrence = service::occurrence(db, &m, date)
        .await
        .map_err(|_| Refusal::Unavailable)?
        .ok_or(Refusal::NotFound)?;
    let day = occurrence.date.to_string();
    let now = Timestamp::now();
    match window(&occurrence, now) {
        Window::NotYet => return Err(Refusal::NotOpen),
        Window::Over => return Err(Refusal::Over),
        Window::Open => {}
    }
    match service::entry(db, m.id, &day, user.account.id, Some(role))
        .await
        .map_err(|_| Refusal::Unavailable)?
    {
        service::Entry::Yes => {}
        service::Entry::NotMember => return Err(Refusal::NotMember),
        service::Entry::NoPlace => return Err(Refusal::NoPlace),
        service::Entry::Removed => return Err(Refusal::Removed),
        service::Entry::Ended => return Err(Refusal::Ended),
    }
    let chat =
        crate::live::store::session_room(db, m.group_id, m.id, &day, false, now.as_millisecond())
            .await
            .map_err(|_| Refusal::Unavailable)?;
    let backchannel = if facilitator {
        crate::live::store::session_room(db, m.group_id, m.id, &day, true, now.as_millisecond())
            .await
            .map(|r| Some(r.id))
            .map_err(|_| Refusal::Unavailable)?
    } else {
        None
    };
    Ok(Entrant {
        key: RoomKey {
            meeting: m.id,
            date: occurrence.date,
        },
        account: user.account.id,
        handle: user.account.handle.clone(),
        anonymous,
        facilitator,
        group_id: m.group_id,
        url: format!("/groups/{}/sessions/{}", group.slug, m.id),
        chat_room: chat.id,
        backchannel,
        closes_at: occurrence.end + STAYS_AFTER,
    })
}
