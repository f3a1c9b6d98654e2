//! A synthetic participant in a live session's room: it joins over
//! `/live` with a bearer token, speaks WebRTC to the node's media server
//! with `str0m`, sends generated Opus-sized audio (50 frames a second) and
//! VP8-shaped video (a keyframe, then deltas, at a set rate) and counts
//! what arrives from each other participant.
//!
//! The payloads are not real codec output: an SFU forwards frames without
//! decoding them, so their size, rate and keyframe marks are what count.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::media::{Direction, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// What one participant does.
#[derive(Debug, Clone)]
pub struct PeerConfig {
    /// `ws://host:port/live`
    pub url: String,
    pub token: String,
    pub meeting: i64,
    pub date: String,
    pub audio: bool,
    /// Video frames a second (0: no video).
    pub video_fps: u32,
    /// Bytes in each video delta frame (a keyframe is four times that).
    pub video_bytes: usize,
    /// How long to stay once in the room.
    pub stay: Duration,
}

/// Frames received from one other participant.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Received {
    pub audio_frames: u64,
    pub video_frames: u64,
    pub bytes: u64,
}

/// What one participant saw, shared while it runs.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    /// Its number in the room.
    pub number: Option<u32>,
    /// From sending the join to the first media frame from anyone.
    pub first_frame_ms: Option<u64>,
    /// Per other participant's number.
    pub from: HashMap<String, Received>,
    pub audio_sent: u64,
    pub video_sent: u64,
    /// Frames that came out of order or after a gap (str0m's `contiguous`).
    pub gaps: u64,
    /// The worst packet loss (fraction) and jitter any stream had, as
    /// str0m's ingress statistics measure them each second.
    pub loss: Option<f32>,
    pub jitter_ms: Option<f64>,
    /// Why it stopped, if not because its time was up.
    pub closed: Option<String>,
    /// Error frames the server sent, by code.
    pub errors: Vec<String>,
}

pub type Shared = Arc<Mutex<Report>>;

fn lock(r: &Shared) -> std::sync::MutexGuard<'_, Report> {
    r.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs one participant until `stay` is over or the room closes on it.
pub async fn run(config: PeerConfig, report: Shared) -> Result<(), String> {
    let mut request = config
        .url
        .as_str()
        .into_client_request()
        .map_err(|e| e.to_string())?;
    let bearer = format!("Bearer {}", config.token)
        .parse()
        .map_err(|_| "bad token".to_owned())?;
    request.headers_mut().insert("authorization", bearer);
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let join = serde_json::json!({
        "type": "session_join", "meeting": config.meeting, "date": config.date,
    });
    ws.send(Message::Text(join.to_string().into()))
        .await
        .map_err(|e| e.to_string())?;

    let socket = UdpSocket::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    let mut rtc = Rtc::builder()
        .set_stats_interval(Some(Duration::from_secs(1)))
        .build(Instant::now());
    let candidate = Candidate::host(local, "udp").map_err(|e| e.to_string())?;
    rtc.add_local_candidate(candidate);
    let mut change = rtc.sdp_api();
    let audio_mid = config
        .audio
        .then(|| change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None));
    let video_mid = (config.video_fps > 0)
        .then(|| change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None));
    let (offer, pending) = change
        .apply()
        .ok_or_else(|| "nothing to offer".to_owned())?;
    let mut peer = Peer {
        rtc,
        socket,
        local,
        pending: Some(pending),
        report: report.clone(),
        started,
        audio_mid,
        video_mid,
        config,
        connected: false,
        frame: 0,
    };
    let mut offered = false;
    let mut buf = vec![0u8; 2000];
    let mut audio_tick = tokio::time::interval(Duration::from_millis(20));
    let video_every = Duration::from_millis(1000 / u64::from(peer.config.video_fps.max(1)));
    let mut video_tick = tokio::time::interval(video_every);
    let mut stats_tick = tokio::time::interval(Duration::from_secs(1));
    let mut deadline: Option<tokio::time::Instant> = None;
    loop {
        let timeout = peer.drive();
        let until_end =
            deadline.unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            frame = ws.next() => {
                let Some(Ok(frame)) = frame else {
                    lock(&report).closed.get_or_insert_with(|| "websocket closed".into());
                    break;
                };
                let Message::Text(text) = frame else { continue };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
                match v["type"].as_str().unwrap_or_default() {
                    "session_state" => {
                        let you = v["you"].as_u64().and_then(|n| u32::try_from(n).ok());
                        lock(&report).number = you;
                        if !offered {
                            offered = true;
                            deadline = Some(tokio::time::Instant::now() + peer.config.stay);
                            let frame = serde_json::json!({"type": "session_offer", "sdp": offer.to_sdp_string()});
                            ws.send(Message::Text(frame.to_string().into())).await.map_err(|e| e.to_string())?;
                        }
                    }
                    "session_answer" => {
                        let sdp = v["sdp"].as_str().unwrap_or_default();
                        let answer = SdpAnswer::from_sdp_string(sdp).map_err(|e| e.to_string())?;
                        if let Some(p) = peer.pending.take() {
                            peer.rtc.sdp_api().accept_answer(p, answer).map_err(|e| e.to_string())?;
                        }
                    }
                    "session_offer" => {
                        let sdp = v["sdp"].as_str().unwrap_or_default();
                        let offer = SdpOffer::from_sdp_string(sdp).map_err(|e| e.to_string())?;
                        let answer = peer.rtc.sdp_api().accept_offer(offer).map_err(|e| e.to_string())?;
                        let frame = serde_json::json!({"type": "session_answer", "sdp": answer.to_sdp_string()});
                        ws.send(Message::Text(frame.to_string().into())).await.map_err(|e| e.to_string())?;
                    }
                    "session_closed" | "session_media_closed" => {
                        lock(&report).closed = Some(v["reason"].as_str().unwrap_or_default().to_owned());
                        break;
                    }
                    "error" => {
                        lock(&report).errors.push(v["code"].as_str().unwrap_or_default().to_owned());
                    }
                    _ => {}
                }
            }
            received = peer.socket.recv_from(&mut buf) => {
                if let Ok((n, source)) = received {
                    peer.receive(source, buf.get(..n).unwrap_or_default());
                }
            }
            _ = audio_tick.tick(), if peer.connected && peer.audio_mid.is_some() => peer.send_audio(),
            _ = video_tick.tick(), if peer.connected && peer.video_mid.is_some() => peer.send_video(),
            _ = stats_tick.tick() => {}
            () = tokio::time::sleep_until(timeout.into()) => {}
            () = tokio::time::sleep_until(until_end) => break,
        }
        peer.input(Input::Timeout(Instant::now()));
    }
    let _ = ws
        .send(Message::Text(r#"{"type":"session_leave"}"#.into()))
        .await;
    let _ = ws.close(None).await;
    Ok(())
}

struct Peer {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    pending: Option<SdpPendingOffer>,
    report: Shared,
    started: Instant,
    audio_mid: Option<Mid>,
    video_mid: Option<Mid>,
    config: PeerConfig,
    connected: bool,
    frame: u64,
}

impl Peer {
    fn input(&mut self, input: Input) {
        if self.rtc.handle_input(input).is_err() {
            self.rtc.disconnect();
        }
    }

    fn receive(&mut self, source: SocketAddr, data: &[u8]) {
        let Ok(contents) = data.try_into() else {
            return;
        };
        self.input(Input::Receive(
            Instant::now(),
            Receive {
                proto: Protocol::Udp,
                source,
                destination: self.local,
                contents,
            },
        ));
    }

    /// Polls until str0m wants time to pass; returns when.
    fn drive(&mut self) -> Instant {
        loop {
            if !self.rtc.is_alive() {
                return Instant::now() + Duration::from_millis(100);
            }
            match self.rtc.poll_output() {
                Ok(Output::Timeout(t)) => return t,
                Ok(Output::Transmit(t)) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Ok(Output::Event(e)) => self.event(e),
                Err(_) => self.rtc.disconnect(),
            }
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::IceConnectionStateChange(IceConnectionState::Connected) | Event::Connected => {
                self.connected = true;
            }
            Event::MediaData(data) => {
                let from = self
                    .rtc
                    .media(data.mid)
                    .map(|m| m.stream_id().to_owned())
                    .unwrap_or_default();
                let kind = self.rtc.media(data.mid).map(|m| m.kind());
                let mut r = lock(&self.report);
                if r.first_frame_ms.is_none() {
                    r.first_frame_ms =
                        Some(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX));
                }
                if !data.contiguous {
                    r.gaps += 1;
                }
                let entry = r.from.entry(from).or_default();
                entry.bytes += data.data.len() as u64;
                match kind {
                    Some(MediaKind::Audio) => entry.audio_frames += 1,
                    Some(MediaKind::Video) => entry.video_frames += 1,
                    None => {}
                }
            }
            Event::MediaIngressStats(s) => {
                let rate = match self.rtc.media(s.mid).map(|m| m.kind()) {
                    Some(MediaKind::Audio) => 48.0,
                    _ => 90.0,
                };
                let jitter = f64::from(s.jitter) / rate;
                let mut r = lock(&self.report);
                if let Some(loss) = s.loss {
                    r.loss = Some(r.loss.map_or(loss, |l| l.max(loss)));
                }
                r.jitter_ms = Some(r.jitter_ms.map_or(jitter, |j| j.max(jitter)));
            }
            _ => {}
        }
    }

    fn send_audio(&mut self) {
        let Some(mid) = self.audio_mid else { return };
        let Some(writer) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = writer.payload_params().next().map(|p| p.pt()) else {
            return;
        };
        self.frame += 1;
        // An Opus frame of 20 ms at about 32 kbit/s.
        let data = vec![0x78u8; 80];
        let time = MediaTime::new(self.frame * 960, str0m::media::Frequency::FORTY_EIGHT_KHZ);
        if writer.write(pt, Instant::now(), time, data).is_ok() {
            lock(&self.report).audio_sent += 1;
        }
    }

    fn send_video(&mut self) {
        let Some(mid) = self.video_mid else { return };
        let fps = u64::from(self.config.video_fps.max(1));
        let sent = lock(&self.report).video_sent;
        // A keyframe first and every two seconds.
        let key = sent.is_multiple_of(fps * 2);
        let size = if key {
            self.config.video_bytes * 4
        } else {
            self.config.video_bytes
        };
        let mut data = vec![0x55u8; size.max(10)];
        // The VP8 frame tag: bit 0 clear for a keyframe, then the start code.
        if let Some(first) = data.get_mut(0) {
            *first = if key { 0x10 } else { 0x11 };
        }
        if key && let Some(code) = data.get_mut(3..6) {
            code.copy_from_slice(&[0x9d, 0x01, 0x2a]);
        }
        let Some(writer) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == str0m::format::Codec::Vp8)
            .map(|p| p.pt())
        else {
            return;
        };
        let time = MediaTime::new(sent * (90_000 / fps), str0m::media::Frequency::NINETY_KHZ);
        if writer.write(pt, Instant::now(), time, data).is_ok() {
            lock(&self.report).video_sent += 1;
        }
    }
}
