//! `/live`: the WebSocket. Browsers come with their session cookie and our
//! own Origin; other clients with the bearer token from
//! `POST /api/v1/sessions` in the `Authorization` header (never the URL).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::SinkExt;
use tokio::sync::mpsc;

use super::hub::Audience;
use super::hub::{self, Delivery, Overflow, QUEUE};
use super::protocol::{ClientFrame, CrisisLine, ServerFrame, close};
use super::service::{self, Refused, Write};
use super::store;
use crate::AppState;
use crate::meetings::room::{Frame, Refusal, Seat};
use crate::web::ctx::AuthVia;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new().route("/live", get(upgrade))
}

/// The largest frame a client may send: a WebRTC answer to an offer with
/// every participant's tracks in a room of twelve fits.
pub const MAX_FRAME: usize = 64 * 1024;

async fn upgrade(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return AppError::Unauthorized.into_response();
    };
    // Cross-site WebSocket hijacking: a browser always sends Origin, so a
    // cookie-authenticated handshake must carry ours; any foreign Origin is
    // refused whatever the credentials.
    let origin = headers.get(header::ORIGIN).map(|v| v.as_bytes());
    let ours = origin == Some(state.public_origin.as_bytes());
    let allowed = match (origin, user.via) {
        (Some(_), _) => ours,
        (None, AuthVia::Bearer) => true,
        (None, AuthVia::Cookie) => false,
    };
    if !allowed {
        tracing::info!("WebSocket handshake from another origin refused");
        return AppError::Forbidden.into_response();
    }
    let Ok(ws) = ws else {
        return AppError::BadRequest("error-websocket-only").into_response();
    };
    // Small buffers, grown only when a frame needs it: most connections
    // sit idle for hours.
    ws.max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .read_buffer_size(4096)
        .on_upgrade(move |socket| connection(state, user, ctx, socket))
}

/// Per room: the last number this connection delivered, and when it last
/// passed on a typing notice.
struct Subscription {
    delivered: i64,
    typed: Option<Instant>,
    /// The read mark last stored, when, and a later one waiting its turn.
    read: i64,
    read_stored: Option<Instant>,
    read_waiting: Option<i64>,
}

/// A connection stores a room's read mark at most this often; the latest
/// one waiting is stored when the connection ends.
const READ_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// A member's typing notices reach the room at most this often.
const TYPING_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

struct Conn {
    state: AppState,
    user: CurrentUser,
    /// The upgrade request's context (account, `?lang=`, Accept-Language):
    /// what this connection shows its writer is chosen as a page would.
    ctx: Ctx,
    id: u64,
    rooms: HashMap<i64, Subscription>,
    tx: mpsc::Sender<Arc<Delivery>>,
    overflow: Arc<Overflow>,
    /// The live session this connection is in, if any.
    seat: Option<Seat>,
    /// Live-session frames allowed now.
    session_frames: Bucket,
}

/// Live-session frames a connection may send: a burst of this many…
const SESSION_BURST: f64 = 40.0;
/// …then this many a second.
const SESSION_PER_SECOND: f64 = 20.0;

/// A token bucket.
struct Bucket {
    tokens: f64,
    at: Instant,
    /// When the last "slow down" was sent (one a second at most).
    told: Option<Instant>,
}

impl Bucket {
    fn new() -> Self {
        Self {
            tokens: SESSION_BURST,
            at: Instant::now(),
            told: None,
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let gained = now.duration_since(self.at).as_secs_f64() * SESSION_PER_SECOND;
        self.tokens = (self.tokens + gained).min(SESSION_BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Whether to tell the client it was refused (once a second).
    fn tell(&mut self) -> bool {
        let now = Instant::now();
        if self
            .told
            .is_some_and(|t| now.duration_since(t).as_secs() < 1)
        {
            return false;
        }
        self.told = Some(now);
        true
    }
}

/// The next frame from the connection's live session, if it is in one.
async fn next_seat_frame(seat: &mut Option<Seat>) -> Option<Frame> {
    match seat {
        Some(s) => s.rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn connection(state: AppState, user: CurrentUser, ctx: Ctx, mut socket: WebSocket) {
    let _open = crate::metrics::global().websocket_opened();
    let (tx, mut rx) = mpsc::channel::<Arc<Delivery>>(QUEUE);
    let overflow = Arc::new(Overflow::default());
    let mut conn = Conn {
        id: state.live.connection_id(),
        state,
        user,
        ctx,
        rooms: HashMap::new(),
        tx,
        overflow: overflow.clone(),
        seat: None,
        session_frames: Bucket::new(),
    };
    // Moderators and admins hear of crisis alerts and reports on the same
    // connection; facilitators hear of their groups' reports (the groups
    // they facilitate as they connect).
    let facilitated = if conn.user.is_staff() {
        Vec::new()
    } else {
        crate::groups::store::facilitated(&conn.state.db, conn.user.account.id)
            .await
            .unwrap_or_default()
    };
    let listener = Listener {
        staff: conn.user.is_staff(),
        groups: facilitated,
    };
    let mut staff =
        (listener.staff || !listener.groups.is_empty()).then(|| conn.state.live.staff_feed());
    // The session the connection was opened with is checked again when one
    // of the account's sessions ends (told on every node), and at least
    // every `recheck` (half the idle limit, at most a minute): once it is
    // gone, the connection closes.
    let mut sessions = conn.state.live.session_feed();
    let idle = u64::try_from(crate::accounts::sessions::idle_ms(&conn.state)).unwrap_or(u64::MAX);
    let recheck = std::time::Duration::from_millis((idle / 2).clamp(1_000, 60_000));
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + recheck, recheck);
    // Frames since the last check: use of the session, as a request is.
    let mut active = false;
    // A peer that answers nothing, not even a ping, for `idle_for` is gone
    // (a closed laptop, a dropped network): its connection is closed.
    let idle_for =
        std::time::Duration::from_secs(conn.state.settings.limits.websocket_idle_secs.max(3));
    let mut ping =
        tokio::time::interval_at(tokio::time::Instant::now() + idle_for / 3, idle_for / 3);
    let mut heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            Some(frame) = next_staff_frame(&mut staff, &listener) => {
                if socket.send(WsMessage::Text(frame)).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => {
                let Some(Ok(frame)) = incoming else { break };
                heard = tokio::time::Instant::now();
                let text = match frame {
                    WsMessage::Text(t) => t,
                    WsMessage::Binary(_) => {
                        if send(&mut socket, &error("bad_frame", "Frames are JSON text.", None, None)).await.is_err() {
                            break;
                        }
                        continue;
                    }
                    WsMessage::Close(_) => break,
                    WsMessage::Ping(_) | WsMessage::Pong(_) => continue,
                };
                active = true;
                if conn.handle(&mut socket, text.as_str()).await.is_err() {
                    break;
                }
            }
            Some(delivery) = rx.recv() => {
                // Whatever else is waiting goes out with it, in one write.
                let mut failed = conn.deliver(&mut socket, &delivery).await.is_err();
                for _ in 0..64 {
                    let Ok(more) = rx.try_recv() else { break };
                    if failed {
                        break;
                    }
                    failed = conn.deliver(&mut socket, &more).await.is_err();
                }
                if failed || socket.flush().await.is_err() {
                    break;
                }
            }
            ended = sessions.recv() => {
                // Another of this account's sessions ending is no reason to
                // close; a missed notice (lagged) is checked anyway.
                let mine = ended.map_or(true, |account| account == conn.user.account.id);
                if mine && !session_live(&conn, &mut active).await {
                    let _ = socket.send(session_ended()).await;
                    break;
                }
            }
            _ = ping.tick() => {
                if heard.elapsed() >= idle_for {
                    let _ = socket.send(closing(close::IDLE, "no answer to pings")).await;
                    break;
                }
                if socket.send(WsMessage::Ping(axum::body::Bytes::new())).await.is_err() {
                    break;
                }
            }
            _ = every.tick() => {
                if !session_live(&conn, &mut active).await {
                    let _ = socket.send(session_ended()).await;
                    break;
                }
            }
            frame = next_seat_frame(&mut conn.seat) => {
                let Some(frame) = frame else {
                    conn.seat = None;
                    continue;
                };
                // Out of the room: the seat is done.
                if frame.closes {
                    conn.seat = None;
                }
                if socket.send(WsMessage::Text(frame.text.into())).await.is_err() {
                    break;
                }
            }
            () = overflow.notify.notified() => {
                let _ = socket
                    .send(closing(close::TOO_SLOW, "too slow: resume from the last seq"))
                    .await;
                break;
            }
        }
    }
    if let Some(seat) = conn.seat.take() {
        conn.state.rooms.leave(&conn.state, &seat).await;
    }
    for (room, sub) in &conn.rooms {
        conn.state.live.unsubscribe(*room, conn.id);
        if let Some(seq) = sub.read_waiting
            && let Err(e) = store::mark_read(&conn.state.db, conn.user.account.id, *room, seq).await
        {
            tracing::warn!(error = %e, room.id = room, "read mark not stored");
        }
    }
}

/// Whether the connection's session is still live (a database error keeps
/// it open: a failed check is not an ended session). Frames since the last
/// check count as use of the session.
async fn session_live(conn: &Conn, active: &mut bool) -> bool {
    let used = std::mem::take(active);
    !matches!(
        crate::accounts::sessions::alive(&conn.state, conn.user.session_id, used).await,
        Ok(false)
    )
}

/// The close frame for a connection whose session ended.
fn session_ended() -> WsMessage {
    closing(close::SESSION_ENDED, "session ended: log in again")
}

fn closing(code: u16, reason: &'static str) -> WsMessage {
    WsMessage::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    }))
}

/// Who a connection's moderation frames are for.
struct Listener {
    staff: bool,
    /// Groups facilitated (for someone who is not staff).
    groups: Vec<i64>,
}

impl Listener {
    fn wants(&self, audience: Audience) -> bool {
        match audience {
            Audience::Staff => self.staff,
            Audience::Facilitators(g) => !self.staff && self.groups.contains(&g),
        }
    }
}

/// The next moderation frame for this connection: alerts and reports for
/// staff, their groups' reports for facilitators; never for others. A
/// connection that fell behind skips what it missed (the page's badge and
/// the queues are the record).
async fn next_staff_frame(
    feed: &mut Option<tokio::sync::broadcast::Receiver<(Audience, Utf8Bytes)>>,
    listener: &Listener,
) -> Option<Utf8Bytes> {
    let Some(rx) = feed else {
        return std::future::pending().await;
    };
    loop {
        match rx.recv().await {
            Ok((audience, frame)) if listener.wants(audience) => return Some(frame),
            Ok(_) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                return std::future::pending().await;
            }
        }
    }
}

/// The error frame for an event or subscription that was refused.
fn refusal(refused: Refused, room: i64, client_id: Option<String>) -> ServerFrame {
    let (code, message) = match refused {
        Refused::NotFound => ("not_found", "There is no such room."),
        Refused::NotMember => (
            "not_member",
            "Only members of this group can read and write here.",
        ),
        Refused::BadClientId => ("invalid", "client_id must be 1 to 64 visible characters."),
        Refused::Empty => ("invalid", "An empty message was not sent."),
        Refused::TooLarge => ("too_large", "Messages can be at most 4,000 characters."),
        Refused::ControlCharacters => (
            "invalid",
            "The message contains invisible control characters.",
        ),
        Refused::RateLimited => (
            "rate_limited",
            "You are sending quickly. Wait a moment, then send it again.",
        ),
        Refused::Locked => (
            "room_locked",
            "This room is locked: only its facilitators can write here for now.",
        ),
        Refused::Archived => (
            "group_archived",
            "This group is archived: you can read it, but nobody can write in it now.",
        ),
        Refused::SlowMode(_) => (
            "slow_mode",
            "Slow mode is on in this room: wait a little before your next message.",
        ),
        Refused::NoTarget => (
            "no_message",
            "There is no such message here (it may have been deleted).",
        ),
        Refused::Muted => (
            "muted",
            "A moderator has paused your messages in this group for now. You can still read, and you can appeal from your notices.",
        ),
        Refused::Suspended => (
            "suspended",
            "A moderator has paused your posting on Hearth. You can still read, and you can appeal from your notices.",
        ),
        Refused::Filtered => (
            "filtered",
            "This contains a word or phrase this community does not allow. Please change it and send it again.",
        ),
        Refused::NotYours => (
            "forbidden",
            "You can edit and delete only your own messages.",
        ),
        Refused::Hidden => (
            "hidden",
            "A moderator hid this message; it is kept as it is while it may be appealed.",
        ),
        Refused::Unavailable => (
            "unavailable",
            "Not done: the server could not do that just now. Try again.",
        ),
    };
    let retry_after = match refused {
        Refused::SlowMode(secs) => Some(secs),
        Refused::RateLimited => Some(1),
        _ => None,
    };
    ServerFrame::Error {
        code: code.to_owned(),
        message: message.to_owned(),
        room: Some(room),
        client_id,
        retry_after,
    }
}

/// Too many live-session frames: the last ones were dropped.
fn rate_limited() -> ServerFrame {
    ServerFrame::Error {
        code: "rate_limited".into(),
        message: "Too many frames: slow down.".into(),
        room: None,
        client_id: None,
        retry_after: Some(1),
    }
}

fn error(code: &str, message: &str, room: Option<i64>, client_id: Option<String>) -> ServerFrame {
    ServerFrame::Error {
        code: code.to_owned(),
        message: message.to_owned(),
        room,
        client_id,
        retry_after: None,
    }
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> Result<(), ()> {
    let text = serde_json::to_string(frame).map_err(|_| ())?;
    socket
        .send(WsMessage::Text(text.into()))
        .await
        .map_err(|_| ())
}

impl Conn {
    async fn handle(&mut self, socket: &mut WebSocket, text: &str) -> Result<(), ()> {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(_) => {
                return send(
                    socket,
                    &error(
                        "bad_frame",
                        "That frame is not one this server knows.",
                        None,
                        None,
                    ),
                )
                .await;
            }
        };
        match frame {
            ClientFrame::Subscribe { room, since } => self.subscribe(socket, room, since).await,
            ClientFrame::Unsubscribe { room } => {
                if let Some(sub) = self.rooms.remove(&room) {
                    self.state.live.unsubscribe(room, self.id);
                    if let Some(seq) = sub.read_waiting
                        && let Err(e) =
                            store::mark_read(&self.state.db, self.user.account.id, room, seq).await
                    {
                        tracing::warn!(error = %e, room.id = room, "read mark not stored");
                    }
                }
                send(socket, &ServerFrame::Unsubscribed { room }).await
            }
            ClientFrame::Send {
                room,
                client_id,
                body,
            } => {
                let sent = self
                    .write(socket, room, client_id, Write::Message(&body))
                    .await?;
                // A message ends "typing": the next one may be announced.
                if sent && let Some(sub) = self.rooms.get_mut(&room) {
                    sub.typed = None;
                }
                Ok(())
            }
            ClientFrame::Edit {
                room,
                target,
                client_id,
                body,
            } => {
                let edit = Write::Edit {
                    target,
                    body: &body,
                };
                self.write(socket, room, client_id, edit).await.map(|_| ())
            }
            ClientFrame::Delete {
                room,
                target,
                client_id,
            } => self
                .write(socket, room, client_id, Write::Delete { target })
                .await
                .map(|_| ()),
            ClientFrame::Typing { room } => {
                self.typing(room).await;
                Ok(())
            }
            ClientFrame::Read { room, seq } => {
                self.read(room, seq).await;
                Ok(())
            }
            ClientFrame::SessionJoin { .. }
            | ClientFrame::SessionLeave
            | ClientFrame::SessionOffer { .. }
            | ClientFrame::SessionAnswer { .. }
            | ClientFrame::SessionHand { .. }
            | ClientFrame::SessionMedia { .. }
            | ClientFrame::SessionAct { .. } => {
                if !self.session_frames.take() {
                    if self.session_frames.tell() {
                        return send(socket, &rate_limited()).await;
                    }
                    return Ok(());
                }
                match self.session(frame).await {
                    Ok(()) => Ok(()),
                    Err(r) => send(socket, &error(r.code(), r.message(), None, None)).await,
                }
            }
        }
    }

    /// A live-session frame.
    async fn session(&mut self, frame: ClientFrame) -> Result<(), Refusal> {
        let rooms = &self.state.rooms;
        if let ClientFrame::SessionJoin {
            meeting,
            date,
            anonymous,
        } = frame
        {
            if let Some(old) = self.seat.take() {
                rooms.leave(&self.state, &old).await;
            }
            let seat = rooms
                .join(&self.state, &self.user, meeting, &date, anonymous)
                .await?;
            self.seat = Some(seat);
            return Ok(());
        }
        let Some(seat) = self.seat.as_ref() else {
            return Err(Refusal::NotInRoom);
        };
        let remote = seat.host.is_some();
        let done = self.seat_frame(frame).await;
        // The node hosting the room is gone: the page joins again.
        if remote && done == Err(Refusal::Elsewhere) {
            if let Some(seat) = self.seat.take() {
                self.state.rooms.leave(&self.state, &seat).await;
            }
            return Err(Refusal::Moved);
        }
        done
    }

    /// A frame from a seated connection.
    async fn seat_frame(&mut self, frame: ClientFrame) -> Result<(), Refusal> {
        let rooms = &self.state.rooms;
        let Some(seat) = self.seat.as_ref() else {
            return Err(Refusal::NotInRoom);
        };
        match frame {
            ClientFrame::SessionLeave => {
                if let Some(seat) = self.seat.take() {
                    rooms.leave(&self.state, &seat).await;
                }
                Ok(())
            }
            ClientFrame::SessionOffer { sdp } => rooms.send_offer(&self.state, seat, sdp).await,
            ClientFrame::SessionAnswer { sdp } => rooms.send_answer(&self.state, seat, sdp).await,
            ClientFrame::SessionHand { raised } => {
                rooms.raise_hand(&self.state, seat, raised).await
            }
            ClientFrame::SessionMedia { mic, camera } => {
                rooms.set_media(&self.state, seat, mic, camera).await
            }
            ClientFrame::SessionAct {
                action,
                participant,
                seconds,
                note,
                urgent,
            } => {
                let act = crate::meetings::room::Action {
                    act: action,
                    participant,
                    seconds,
                    note,
                    urgent,
                };
                rooms.facilitate(&self.state, seat, act).await
            }
            _ => Ok(()),
        }
    }

    /// The member has seen `room` up to `seq`: no further than what this
    /// connection delivered, never backwards, and stored at most every
    /// [`READ_EVERY`] (a later mark waits, and is stored at the end).
    async fn read(&mut self, room_id: i64, seq: i64) {
        let Some(sub) = self.rooms.get_mut(&room_id) else {
            return;
        };
        let seq = seq.min(sub.delivered);
        if seq <= sub.read {
            return;
        }
        if sub.read_stored.is_some_and(|t| t.elapsed() < READ_EVERY) {
            sub.read_waiting = Some(seq);
            return;
        }
        sub.read = seq;
        sub.read_stored = Some(Instant::now());
        sub.read_waiting = None;
        if let Err(e) = store::mark_read(&self.state.db, self.user.account.id, room_id, seq).await {
            tracing::warn!(error = %e, room.id = room_id, "read mark not stored");
        }
    }

    async fn subscribe(
        &mut self,
        socket: &mut WebSocket,
        room_id: i64,
        since: i64,
    ) -> Result<(), ()> {
        // Each subscription reads history: subscribing is counted like
        // writing (a bucket of its own), so a flood of them is refused.
        let limits = &self.state.settings.limits;
        if !self.state.live.within_rate(
            self.user.account.id,
            hub::Rate::Subscribes,
            limits.chat_burst,
            limits.chat_per_second,
        ) {
            return send(socket, &refusal(Refused::RateLimited, room_id, None)).await;
        }
        let room = match service::room(&self.state, &self.user, room_id).await {
            Ok((room, _, _)) => room,
            Err(refused) => {
                // Refused now (removed since?): no more of this room.
                if self.rooms.remove(&room_id).is_some() {
                    self.state.live.unsubscribe(room_id, self.id);
                }
                return send(socket, &refusal(refused, room_id, None)).await;
            }
        };
        // A new client starts with recent history; a resuming one gets
        // everything after what it saw.
        let start = if since <= 0 {
            (room.last_seq - 100).max(0)
        } else {
            since.min(room.last_seq)
        };
        if !self.rooms.contains_key(&room.id) {
            self.state.live.subscribe(
                &self.state,
                (room.id, room.group_id),
                room.last_seq,
                self.id,
                hub::Subscriber {
                    tx: self.tx.clone(),
                    overflow: self.overflow.clone(),
                    handle: self.user.account.handle.clone(),
                    account_id: self.user.account.id,
                    staff: self.user.is_staff(),
                },
            );
        }
        self.rooms.insert(
            room.id,
            Subscription {
                delivered: start,
                typed: None,
                read: 0,
                read_stored: None,
                read_waiting: None,
            },
        );
        send(
            socket,
            &ServerFrame::Subscribed {
                room: room.id,
                last_seq: room.last_seq,
                state: hub::controls(&room),
            },
        )
        .await?;
        self.catch_up(socket, room.id, room.last_seq).await
    }

    /// Sends what the room holds after this connection's last delivery, up
    /// to `upto`, from the database.
    async fn catch_up(
        &mut self,
        socket: &mut WebSocket,
        room_id: i64,
        upto: i64,
    ) -> Result<(), ()> {
        loop {
            let Some(delivered) = self.rooms.get(&room_id).map(|s| s.delivered) else {
                return Ok(());
            };
            if delivered >= upto {
                return Ok(());
            }
            let batch = store::events_after(&self.state.db, room_id, delivered, 500)
                .await
                .map_err(|_| ())?;
            if batch.is_empty() {
                return Ok(());
            }
            for row in batch {
                let seq = row.seq;
                send(socket, &hub::frame(row)).await?;
                if let Some(s) = self.rooms.get_mut(&room_id) {
                    s.delivered = seq;
                }
            }
        }
    }

    /// Delivers a frame from the hub. A stored event goes out in sequence:
    /// one already sent is skipped, and a gap before it is filled from the
    /// database first.
    async fn deliver(&mut self, socket: &mut WebSocket, delivery: &Delivery) -> Result<(), ()> {
        let Some(delivered) = self.rooms.get(&delivery.room).map(|s| s.delivered) else {
            return Ok(());
        };
        if let Some(seq) = delivery.seq {
            if seq > delivered + 1 {
                // The catch-up may read past this event: then it was sent.
                self.catch_up(socket, delivery.room, seq - 1).await?;
            }
            let delivered = self
                .rooms
                .get(&delivery.room)
                .map_or(delivered, |s| s.delivered);
            if seq <= delivered {
                return Ok(());
            }
        }
        // Buffered: the caller flushes once the queue is drained.
        socket
            .feed(WsMessage::Text(delivery.text.clone()))
            .await
            .map_err(|_| ())?;
        if let (Some(seq), Some(s)) = (delivery.seq, self.rooms.get_mut(&delivery.room)) {
            s.delivered = seq;
        }
        Ok(())
    }

    async fn write(
        &mut self,
        socket: &mut WebSocket,
        room_id: i64,
        client_id: String,
        what: Write<'_>,
    ) -> Result<bool, ()> {
        let written = service::write(&self.state, &self.user, room_id, &client_id, what).await;
        let stored = written.is_ok();
        let (frame, crisis) = match written {
            Ok(stored) => (
                ServerFrame::Ack {
                    room: room_id,
                    client_id: client_id.clone(),
                    seq: stored.seq,
                },
                stored.crisis,
            ),
            Err(refused) => (refusal(refused, room_id, Some(client_id.clone())), None),
        };
        send(socket, &frame).await?;
        if let Some(level) = crisis {
            send(socket, &self.crisis_frame(room_id, client_id, level)).await?;
        }
        Ok(stored)
    }

    /// The crisis lines for this writer's region, in their language: for
    /// their eyes only, after their message is stored. Region, language and
    /// lines are chosen by the same rule as on a page
    /// ([`crate::safety::response`], from the upgrade request's context),
    /// and `html` is the page's own crisis panel, rendered here.
    fn crisis_frame(&self, room: i64, client_id: String, level: crisis::Level) -> ServerFrame {
        let response = crate::safety::response(&self.state, &self.ctx, level);
        let html = crate::safety::panel_html(&self.state, &self.ctx, &response);
        let view = response.region;
        ServerFrame::Crisis {
            room,
            client_id,
            level: level.as_str().to_owned(),
            region: view.name,
            emergency: view.emergency,
            lines: view
                .lines
                .into_iter()
                .map(|l| CrisisLine {
                    name: l.name,
                    description: l.description,
                    phone: l.phone,
                    phone_extra: l.phone_extra,
                    text: l.text_number,
                    text_keyword: l.text_keyword,
                    url: l.url,
                    hours: l.hours,
                })
                .collect(),
            help_url: response.help_url,
            html,
        }
    }

    /// Passes "typing" on to the room, at most every few seconds, only for
    /// a room this connection has open and may still write in. Never
    /// stored; never answered.
    async fn typing(&mut self, room_id: i64) {
        let Some(sub) = self.rooms.get_mut(&room_id) else {
            return;
        };
        if sub.typed.is_some_and(|t| t.elapsed() < TYPING_EVERY) {
            return;
        }
        sub.typed = Some(Instant::now());
        if service::room(&self.state, &self.user, room_id)
            .await
            .is_err()
        {
            return;
        }
        super::bus::typing(&self.state, room_id, &self.user.account.handle, self.id).await;
    }
}
