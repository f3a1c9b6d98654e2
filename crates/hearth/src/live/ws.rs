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
use tokio::sync::mpsc;

use super::hub::{self, Overflow, QUEUE};
use super::protocol::{ClientFrame, Message, ServerFrame, close};
use super::service::{self, Refused};
use super::store;
use crate::AppState;
use crate::web::ctx::AuthVia;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new().route("/live", get(upgrade))
}

/// The largest frame a client may send.
pub const MAX_FRAME: usize = 16 * 1024;
/// Messages a member may send at once, and how many a second after that.
const BURST: f64 = 10.0;
const PER_SECOND: f64 = 2.0;

async fn upgrade(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Some(user) = ctx.user else {
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
    ws.max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .on_upgrade(move |socket| connection(state, user, socket))
}

/// Per room: the last number this connection delivered.
struct Subscription {
    delivered: i64,
}

struct Conn {
    state: AppState,
    user: CurrentUser,
    id: u64,
    rooms: HashMap<i64, Subscription>,
    tx: mpsc::Sender<Arc<Message>>,
    overflow: Arc<Overflow>,
    tokens: f64,
    refilled: Instant,
}

async fn connection(state: AppState, user: CurrentUser, mut socket: WebSocket) {
    let (tx, mut rx) = mpsc::channel::<Arc<Message>>(QUEUE);
    let overflow = Arc::new(Overflow::default());
    let mut conn = Conn {
        id: state.live.connection_id(),
        state,
        user,
        rooms: HashMap::new(),
        tx,
        overflow: overflow.clone(),
        tokens: BURST,
        refilled: Instant::now(),
    };
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(frame)) = incoming else { break };
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
                if conn.handle(&mut socket, text.as_str()).await.is_err() {
                    break;
                }
            }
            Some(message) = rx.recv() => {
                if conn.deliver(&mut socket, &message).await.is_err() {
                    break;
                }
            }
            () = overflow.notify.notified() => {
                let _ = socket
                    .send(WsMessage::Close(Some(CloseFrame {
                        code: close::TOO_SLOW,
                        reason: Utf8Bytes::from_static("too slow: resume from the last seq"),
                    })))
                    .await;
                break;
            }
        }
    }
    for room in conn.rooms.keys() {
        conn.state.live.unsubscribe(*room, conn.id);
    }
}

/// The error frame for a message or subscription that was refused.
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
        Refused::Unavailable => (
            "unavailable",
            "Not done: the server could not do that just now. Try again.",
        ),
    };
    error(code, message, Some(room), client_id)
}

fn error(code: &str, message: &str, room: Option<i64>, client_id: Option<String>) -> ServerFrame {
    ServerFrame::Error {
        code: code.to_owned(),
        message: message.to_owned(),
        room,
        client_id,
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
                self.rooms.remove(&room);
                self.state.live.unsubscribe(room, self.id);
                send(socket, &ServerFrame::Unsubscribed { room }).await
            }
            ClientFrame::Send {
                room,
                client_id,
                body,
            } => self.send_message(socket, room, client_id, body).await,
        }
    }

    async fn subscribe(
        &mut self,
        socket: &mut WebSocket,
        room_id: i64,
        since: i64,
    ) -> Result<(), ()> {
        let room = match service::room(&self.state, &self.user, room_id).await {
            Ok(room) => room,
            Err(refused) => return send(socket, &refusal(refused, room_id, None)).await,
        };
        // A new client starts with recent history; a resuming one gets
        // everything after what it saw.
        let start = if since <= 0 {
            (room.last_seq - 100).max(0)
        } else {
            since.min(room.last_seq)
        };
        self.state.live.subscribe(
            &self.state.db,
            room.id,
            room.last_seq,
            self.id,
            self.tx.clone(),
            self.overflow.clone(),
        );
        self.rooms
            .insert(room.id, Subscription { delivered: start });
        send(
            socket,
            &ServerFrame::Subscribed {
                room: room.id,
                last_seq: room.last_seq,
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
            let batch = store::messages_after(&self.state.db, room_id, delivered, 500)
                .await
                .map_err(|_| ())?;
            if batch.is_empty() {
                return Ok(());
            }
            for row in batch {
                let seq = row.seq;
                send(socket, &ServerFrame::Message(hub::message(row))).await?;
                if let Some(s) = self.rooms.get_mut(&room_id) {
                    s.delivered = seq;
                }
            }
        }
    }

    /// Delivers a message from the hub in sequence: one already sent is
    /// skipped, and a gap before it is filled from the database first.
    async fn deliver(&mut self, socket: &mut WebSocket, message: &Message) -> Result<(), ()> {
        let Some(delivered) = self.rooms.get(&message.room).map(|s| s.delivered) else {
            return Ok(());
        };
        if message.seq <= delivered {
            return Ok(());
        }
        if message.seq > delivered + 1 {
            self.catch_up(socket, message.room, message.seq - 1).await?;
        }
        send(socket, &ServerFrame::Message(message.clone())).await?;
        if let Some(s) = self.rooms.get_mut(&message.room) {
            s.delivered = message.seq;
        }
        Ok(())
    }

    fn take_token(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.refilled).as_secs_f64();
        self.refilled = now;
        self.tokens = (self.tokens + elapsed * PER_SECOND).min(BURST);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    async fn send_message(
        &mut self,
        socket: &mut WebSocket,
        room_id: i64,
        client_id: String,
        body: String,
    ) -> Result<(), ()> {
        let (state, user) = (self.state.clone(), self.user.clone());
        let within_rate = || self.take_token();
        let frame =
            match service::post(&state, &user, room_id, &client_id, &body, within_rate).await {
                Ok(stored) => ServerFrame::Ack {
                    room: room_id,
                    client_id,
                    seq: stored.seq,
                },
                Err(refused) => refusal(refused, room_id, Some(client_id)),
            };
        send(socket, &frame).await
    }
}
