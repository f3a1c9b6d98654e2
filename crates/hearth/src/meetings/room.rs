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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// One connection's place in a room.
pub struct Seat {
    pub key: RoomKey,
    pub peer: PeerId,
    pub account: i64,
    pub rx: mpsc::Receiver<Frame>,
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

/// A host not seen for this long (three of its heartbeats) may be replaced.
fn host_stale_ms(state: &AppState) -> i64 {
    let beat = state.settings.limits.reminder_check_secs.max(1);
    i64::try_from(beat.saturating_mul(3_000)).unwrap_or(i64::MAX)
}

/// Every room on this node.
pub struct Rooms {
    config: SfuConfig,
    engine: OnceCell<Option<Arc<dyn MediaEngine>>>,
    rooms: Mutex<HashMap<RoomKey, Room>>,
    next_peer: AtomicU64,
}

impl Rooms {
    pub fn new(config: SfuConfig) -> Self {
        Self {
            config,
            engine: OnceCell::new(),
            rooms: Mutex::new(HashMap::new()),
            next_peer: AtomicU64::new(1),
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

    /// Enters a member into an occurrence's room (or its lobby).
    pub async fn join(
        &self,
        state: &AppState,
        user: &CurrentUser,
        meeting_id: i64,
        date: &str,
        anonymous: bool,
    ) -> Result<Seat, Refusal> {
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
        // One node hosts a room: a second never opens a separate one.
        if !store::claim_host(
            db,
            m.id,
            &day,
            node_id(state),
            now.as_millisecond(),
            now.as_millisecond() - host_stale_ms(state),
        )
        .await
        .map_err(|_| Refusal::Unavailable)?
        {
            return Err(Refusal::Elsewhere);
        }
        let chat = crate::live::store::session_room(
            db,
            m.group_id,
            m.id,
            &day,
            false,
            now.as_millisecond(),
        )
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
        let key = RoomKey {
            meeting: m.id,
            date: occurrence.date,
        };
        let (tx, rx) = mpsc::channel(QUEUE);
        let peer = self.next_peer.fetch_add(1, Ordering::Relaxed);
        let account = user.account.id;
        let replaced = {
            let mut rooms = self.lock();
            rooms.retain(|_, r| r.closes_at > now);
            let room = rooms.entry(key).or_insert_with(|| Room {
                closes_at: occurrence.end + STAYS_AFTER,
                group_id: m.group_id,
                url: format!("/groups/{}/sessions/{}", group.slug, m.id),
                chat_room: chat.id,
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
            if backchannel.is_some() {
                room.backchannel = backchannel;
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
                handle: user.account.handle.clone(),
                anonymous,
                facilitator,
                mic: false,
                camera: false,
                tx,
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
        if let Err(e) =
            store::entered(db, m.id, &day, account, anonymous, now.as_millisecond()).await
        {
            tracing::warn!(error = %e, "attendance not recorded");
        }
        Ok(Seat {
            key,
            peer,
            account,
            rx,
        })
    }

    /// Runs `f` on the seat's room and its person (in the room, not the
    /// lobby).
    fn with_person<T>(
        &self,
        seat: &Seat,
        f: impl FnOnce(&mut Room, usize) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        let mut rooms = self.lock();
        let room = rooms.get_mut(&seat.key).ok_or(Refusal::NotInRoom)?;
        let at = room
            .people
            .iter()
            .position(|p| p.peer == seat.peer)
            .ok_or(Refusal::NotInRoom)?;
        f(room, at)
    }

    /// As [`Self::with_person`], for a change everyone sees: the room's
    /// view goes to everyone afterwards.
    fn change<T>(
        &self,
        seat: &Seat,
        f: impl FnOnce(&mut Room, usize) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        self.with_person(seat, |room, at| {
            let out = f(room, at)?;
            room.tell_all(seat.key, &self.config.ice_servers);
            Ok(out)
        })
    }

    /// The participant's offer: their media starts.
    pub async fn offer(&self, seat: &Seat, sdp: String) -> Result<(), Refusal> {
        let (label, hold, tx) = self.with_person(seat, |room, at| {
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
                room: seat.key,
                peer: seat.peer,
                label,
                offer: sdp,
                audio: !hold.mic,
                video: !hold.camera,
                signals,
            })
            .map_err(|_| Refusal::MediaUnavailable)
    }

    /// The participant's answer to the engine's offer.
    pub async fn answer(&self, seat: &Seat, sdp: String) -> Result<(), Refusal> {
        self.with_person(seat, |_, _| Ok(()))?;
        let engine = self.engine().await.ok_or(Refusal::MediaUnavailable)?;
        engine
            .answer(seat.peer, sdp)
            .map_err(|_| Refusal::MediaUnavailable)
    }

    /// Raises or lowers one's own hand.
    pub fn hand(&self, seat: &Seat, raised: bool) -> Result<(), Refusal> {
        self.change(seat, |room, at| {
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

    /// What one's own microphone and camera are doing (shown to others).
    pub fn media(&self, seat: &Seat, mic: bool, camera: bool) -> Result<(), Refusal> {
        self.change(seat, |room, at| {
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
    pub async fn act(&self, state: &AppState, seat: &Seat, action: Action) -> Result<(), Refusal> {
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

    /// Tells the database this node still hosts the rooms people are in
    /// (every `reminder_check_secs`, with the reminders).
    pub async fn heartbeat(&self, state: &AppState) {
        let busy: Vec<RoomKey> = {
            let rooms = self.lock();
            rooms
                .iter()
                .filter(|(_, r)| !r.people.is_empty() || !r.lobby.is_empty())
                .map(|(k, _)| *k)
                .collect()
        };
        let now = Timestamp::now().as_millisecond();
        for key in busy {
            let day = key.date.to_string();
            let stale = now - host_stale_ms(state);
            match store::claim_host(&state.db, key.meeting, &day, node_id(state), now, stale).await
            {
                Ok(true) => {}
                Ok(false) => tracing::warn!(meeting = key.meeting, "another node took over a room"),
                Err(e) => tracing::warn!(error = %e, "a room's host was not refreshed"),
            }
        }
    }

    /// The connection leaves (closed, or asked to).
    pub async fn leave(&self, state: &AppState, seat: &Seat) {
        let was_in = {
            let mut rooms = self.lock();
            let Some(room) = rooms.get_mut(&seat.key) else {
                return;
            };
            let before = room.people.len() + room.lobby.len();
            if let Some(at) = room.people.iter().position(|p| p.peer == seat.peer) {
                room.take(at);
            }
            room.lobby.retain(|p| p.peer != seat.peer);
            let was_in = room.people.len() + room.lobby.len() < before;
            // An empty room's controls (holds, lock) are kept until it
            // closes: a dropped facilitator does not unlock it.
            if was_in {
                room.tell_all(seat.key, &self.config.ice_servers);
            }
            was_in
        };
        if let Some(engine) = self.engine.get().cloned().flatten() {
            let _ = engine.leave(seat.peer);
        }
        if was_in {
            let now = Timestamp::now().as_millisecond();
            let day = seat.key.date.to_string();
            if let Err(e) = store::left(&state.db, seat.key.meeting, &day, seat.account, now).await
            {
                tracing::warn!(error = %e, "attendance not recorded");
            }
        }
    }
}
