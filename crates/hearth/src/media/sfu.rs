//! Hearth's own SFU, on `str0m`: every participant sends one stream and the
//! node forwards it to the others in the same room without decoding it.
//!
//! One task owns every peer of the node. It reads one UDP socket (ICE-lite:
//! the browser checks, we answer) and, for networks that block UDP, the
//! frames of ICE-over-TCP connections to one TCP port (RFC 4571: two bytes
//! of length before each packet). Video comes in two simulcast layers,
//! `l` (about 180p) and `h` (360p); each viewer is sent the one their link
//! carries, switched on a keyframe.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use str0m::bwe::{Bitrate, BweKind};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::media::{
    Direction, KeyframeRequest, KeyframeRequestKind, MediaData, MediaKind, Mid, Rid,
};
use str0m::net::{Protocol, Receive, TcpType};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;

use super::{Counters, Counts, IceServer, Join, MediaEngine, MediaError, PeerId, RoomKey, Signal};

/// Where the SFU listens and what it announces.
#[derive(Debug, Clone)]
pub struct SfuConfig {
    /// The UDP socket for all media (port 0: any free one).
    pub udp: SocketAddr,
    /// The TCP port for ICE over TCP; none turns it off.
    pub tcp: Option<SocketAddr>,
    /// The address browsers reach this node at, when it is not the bound
    /// one (behind NAT, or bound to 0.0.0.0).
    pub public_ip: Option<IpAddr>,
    /// TURN (or STUN) servers for browsers, whatever forwards the media:
    /// rooms hand them out; the SFU itself does not use them.
    pub ice_servers: Vec<IceServer>,
}

/// Commands waiting for the media task; more than this and a join is told
/// the engine is busy.
const COMMANDS: usize = 1024;
/// At most this many ICE-over-TCP connections at once.
const TCP_CONNECTIONS: usize = 1024;
/// A TCP connection that carried nothing for this long is closed.
const TCP_IDLE: Duration = Duration::from_secs(30);
/// The layer sent when a link carries less than this per video track.
const HIGH_LAYER_BPS: u64 = 450_000;
/// Keyframe requests to one sender's track, at most this often.
const KEYFRAME_EVERY: Duration = Duration::from_millis(500);

enum Command {
    Join(Box<Join>),
    Answer(PeerId, String),
    Forward(PeerId, bool, bool),
    Leave(PeerId),
}

/// A handle on the media task.
pub struct Sfu {
    commands: mpsc::Sender<Command>,
    counters: Arc<Counters>,
}

impl Sfu {
    /// Binds the sockets and starts the media task.
    pub async fn start(config: SfuConfig) -> std::io::Result<Self> {
        let udp = UdpSocket::bind(config.udp).await?;
        let udp_local = udp.local_addr()?;
        let announce = |bound: SocketAddr| {
            let ip = config.public_ip.unwrap_or(if bound.ip().is_unspecified() {
                IpAddr::from([127, 0, 0, 1])
            } else {
                bound.ip()
            });
            SocketAddr::new(ip, bound.port())
        };
        let mut candidates = Vec::new();
        if let Ok(c) = Candidate::host(announce(udp_local), "udp") {
            candidates.push(c);
        }
        let (tcp_tx, tcp_rx) = mpsc::channel(COMMANDS);
        let mut tcp_local = None;
        if let Some(addr) = config.tcp {
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            tcp_local = Some(local);
            if let Ok(c) = Candidate::builder()
                .tcp()
                .host(announce(local))
                .tcptype(TcpType::Passive)
                .build()
            {
                candidates.push(c);
            }
            tokio::spawn(accept_tcp(listener, tcp_tx));
        }
        let (commands, rx) = mpsc::channel(COMMANDS);
        let counters = Arc::new(Counters::default());
        let engine = Engine {
            udp,
            udp_local,
            candidates,
            tcp_out: HashMap::new(),
            peers: Vec::new(),
            by_source: HashMap::new(),
            props: Vec::new(),
            counters: counters.clone(),
        };
        tokio::spawn(engine.run(rx, tcp_rx));
        tracing::info!(udp = %udp_local, tcp = ?tcp_local, "media engine started");
        Ok(Self { commands, counters })
    }

    fn send(&self, command: Command) -> Result<(), MediaError> {
        self.commands.try_send(command).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => MediaError::Busy,
            mpsc::error::TrySendError::Closed(_) => MediaError::Stopped,
        })
    }
}

impl MediaEngine for Sfu {
    fn join(&self, join: Join) -> Result<(), MediaError> {
        self.send(Command::Join(Box::new(join)))
    }
    fn answer(&self, peer: PeerId, sdp: String) -> Result<(), MediaError> {
        self.send(Command::Answer(peer, sdp))
    }
    fn forward(&self, peer: PeerId, audio: bool, video: bool) -> Result<(), MediaError> {
        self.send(Command::Forward(peer, audio, video))
    }
    fn leave(&self, peer: PeerId) -> Result<(), MediaError> {
        self.send(Command::Leave(peer))
    }
    fn stats(&self) -> Counts {
        self.counters.read()
    }
}

/// A packet that came over an ICE-over-TCP connection, or the news that
/// one opened (with where to write to it) or closed.
enum TcpEvent {
    Open(SocketAddr, mpsc::Sender<Vec<u8>>),
    Packet(SocketAddr, SocketAddr, Vec<u8>),
    Closed(SocketAddr),
}

async fn accept_tcp(listener: TcpListener, events: mpsc::Sender<TcpEvent>) {
    let open = Arc::new(tokio::sync::Semaphore::new(TCP_CONNECTIONS));
    loop {
        let Ok((stream, remote)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            continue;
        };
        let events = events.clone();
        tokio::spawn(async move {
            let _permit = permit;
            tcp_connection(stream, remote, events).await;
        });
    }
}

async fn tcp_connection(stream: TcpStream, remote: SocketAddr, events: mpsc::Sender<TcpEvent>) {
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let _ = stream.set_nodelay(true);
    let (mut read, mut write) = stream.into_split();
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(256);
    if events.send(TcpEvent::Open(remote, tx)).await.is_err() {
        return;
    }
    let writer = tokio::spawn(async move {
        while let Some(packet) = rx.recv().await {
            let Ok(len) = u16::try_from(packet.len()) else {
                continue;
            };
            let mut framed = Vec::with_capacity(packet.len() + 2);
            framed.extend_from_slice(&len.to_be_bytes());
            framed.extend_from_slice(&packet);
            if write.write_all(&framed).await.is_err() {
                break;
            }
        }
    });
    let mut len = [0u8; 2];
    loop {
        let read_len = tokio::time::timeout(TCP_IDLE, read.read_exact(&mut len)).await;
        if !matches!(read_len, Ok(Ok(_))) {
            break;
        }
        let mut packet = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if !matches!(
            tokio::time::timeout(TCP_IDLE, read.read_exact(&mut packet)).await,
            Ok(Ok(_))
        ) {
            break;
        }
        if events
            .send(TcpEvent::Packet(remote, local, packet))
            .await
            .is_err()
        {
            break;
        }
    }
    writer.abort();
    let _ = events.send(TcpEvent::Closed(remote)).await;
}

struct Engine {
    udp: UdpSocket,
    udp_local: SocketAddr,
    candidates: Vec<Candidate>,
    /// Where to write packets for each ICE-over-TCP peer address.
    tcp_out: HashMap<SocketAddr, mpsc::Sender<Vec<u8>>>,
    peers: Vec<Peer>,
    /// Which peer last accepted packets from a source.
    by_source: HashMap<SocketAddr, PeerId>,
    /// What polling the peers turned up, waiting to be passed on.
    props: Vec<Prop>,
    counters: Arc<Counters>,
}

struct Peer {
    id: PeerId,
    room: RoomKey,
    label: String,
    rtc: Rtc,
    signals: super::SignalSink,
    audio: bool,
    video: bool,
    pending: Option<SdpPendingOffer>,
    tracks_in: Vec<TrackIn>,
    tracks_out: Vec<TrackOut>,
    /// The outgoing bitrate the link is estimated to carry.
    estimate: Option<Bitrate>,
    /// When `rtc` wants its next timeout.
    next: Instant,
    /// Output is waiting to be polled.
    dirty: bool,
    /// Its outgoing tracks changed since the last offer (or an answer came):
    /// an offer may be due.
    renegotiate: bool,
}

struct TrackIn {
    mid: Mid,
    kind: MediaKind,
    keyframe_asked: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutState {
    ToOpen,
    Negotiating(Mid),
    Open(Mid),
    ToStop(Mid),
    Stopping(Mid),
}

struct TrackOut {
    origin: PeerId,
    /// The sender's label: the stream id the viewer sees.
    label: String,
    origin_mid: Mid,
    kind: MediaKind,
    state: OutState,
    /// The simulcast layer being forwarded (none before the first
    /// keyframe, or without simulcast).
    layer: Option<Rid>,
    /// Added to the sender's media time: each layer counts time from its
    /// own start, and the viewer must see one clock across a switch.
    shift: i64,
    /// The last media time sent to the viewer, and when.
    last: Option<(u64, Instant)>,
}

impl TrackOut {
    /// A sender's track this viewer is to be offered.
    fn new(origin: PeerId, label: String, origin_mid: Mid, kind: MediaKind) -> Self {
        Self {
            origin,
            label,
            origin_mid,
            kind,
            state: OutState::ToOpen,
            layer: None,
            shift: 0,
            last: None,
        }
    }

    fn mid(&self) -> Option<Mid> {
        match self.state {
            OutState::ToOpen => None,
            OutState::Negotiating(m)
            | OutState::Open(m)
            | OutState::ToStop(m)
            | OutState::Stopping(m) => Some(m),
        }
    }
}

/// What one peer's output means for the others.
#[expect(
    clippy::large_enum_variant,
    reason = "a frame's metadata moves once through a reused Vec; boxing would allocate per frame"
)]
enum Prop {
    TrackOpen(PeerId, Mid, MediaKind),
    Media(PeerId, MediaData),
    Keyframe(PeerId, Mid, Option<Rid>, KeyframeRequestKind),
    Gone(PeerId),
}

fn low() -> Rid {
    "l".into()
}

fn high() -> Rid {
    "h".into()
}

impl Engine {
    async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut tcp: mpsc::Receiver<TcpEvent>,
    ) {
        let mut buf = vec![0u8; 2000];
        loop {
            self.drive();
            let now = Instant::now();
            let deadline = self
                .peers
                .iter()
                .map(|p| p.next)
                .min()
                .unwrap_or(now + Duration::from_secs(1))
                .max(now + Duration::from_millis(1));
            tokio::select! {
                command = commands.recv() => {
                    let Some(command) = command else { break };
                    self.command(command);
                }
                received = self.udp.recv_from(&mut buf) => {
                    if let Ok((n, source)) = received {
                        let local = self.udp_local;
                        self.receive(Protocol::Udp, source, local, buf.get(..n).unwrap_or_default());
                    }
                }
                Some(event) = tcp.recv() => match event {
                    TcpEvent::Open(remote, tx) => {
                        self.tcp_out.insert(remote, tx);
                    }
                    TcpEvent::Packet(remote, local, packet) => {
                        self.receive(Protocol::Tcp, remote, local, &packet);
                    }
                    TcpEvent::Closed(remote) => {
                        self.tcp_out.remove(&remote);
                    }
                },
                () = tokio::time::sleep_until(deadline.into()) => {}
            }
            let now = Instant::now();
            for peer in &mut self.peers {
                if peer.next <= now {
                    peer.input(Input::Timeout(now));
                }
            }
        }
        tracing::info!("media engine stopped");
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Join(join) => self.join(*join),
            Command::Answer(peer, sdp) => {
                if let Some(p) = self.peers.iter_mut().find(|p| p.id == peer) {
                    p.accept_answer(&sdp);
                }
            }
            Command::Forward(peer, audio, video) => {
                if let Some(p) = self.peers.iter_mut().find(|p| p.id == peer) {
                    p.audio = audio;
                    p.video = video;
                }
            }
            Command::Leave(peer) => self.remove(peer, None),
        }
    }

    fn join(&mut self, join: Join) {
        // A second join on one connection replaces the first.
        self.remove(join.peer, None);
        let offer = match SdpOffer::from_sdp_string(&join.offer) {
            Ok(o) => o,
            Err(_) => return (join.signals)(Signal::Closed("bad_offer")),
        };
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .clear_codecs()
            .enable_opus(true, false)
            .enable_vp8(true)
            .enable_bwe(Some(Bitrate::kbps(600)))
            .build(Instant::now());
        for c in &self.candidates {
            rtc.add_local_candidate(c.clone());
        }
        let answer = match rtc.sdp_api().accept_offer(offer) {
            Ok(a) => a,
            Err(e) => {
                tracing::info!(error = %e, "a media offer was refused");
                return (join.signals)(Signal::Closed("bad_offer"));
            }
        };
        (join.signals)(Signal::Answer(answer.to_sdp_string()));
        let mut peer = Peer {
            id: join.peer,
            room: join.room,
            label: join.label,
            rtc,
            signals: join.signals,
            audio: join.audio,
            video: join.video,
            pending: None,
            tracks_in: Vec::new(),
            tracks_out: Vec::new(),
            estimate: None,
            next: Instant::now(),
            dirty: true,
            renegotiate: true,
        };
        // What the room's others already send.
        for other in self.peers.iter().filter(|p| p.room == peer.room) {
            for t in &other.tracks_in {
                peer.tracks_out
                    .push(TrackOut::new(other.id, other.label.clone(), t.mid, t.kind));
            }
        }
        self.peers.push(peer);
        self.counters
            .peers
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Ends a peer's media; `why` is told to it (a leave it asked for is not).
    fn remove(&mut self, id: PeerId, why: Option<&'static str>) {
        let Some(at) = self.peers.iter().position(|p| p.id == id) else {
            return;
        };
        let mut peer = self.peers.swap_remove(at);
        peer.rtc.disconnect();
        if let Some(why) = why {
            (peer.signals)(Signal::Closed(why));
        }
        self.by_source.retain(|_, p| *p != id);
        self.counters
            .peers
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        for other in self.peers.iter_mut().filter(|p| p.room == peer.room) {
            other.origin_gone(id);
        }
    }

    fn receive(
        &mut self,
        proto: Protocol,
        source: SocketAddr,
        destination: SocketAddr,
        data: &[u8],
    ) {
        let Ok(contents) = data.try_into() else {
            return;
        };
        let input = Input::Receive(
            Instant::now(),
            Receive {
                proto,
                source,
                destination,
                contents,
            },
        );
        let known = self
            .by_source
            .get(&source)
            .and_then(|id| self.peers.iter().position(|p| p.id == *id))
            .filter(|&i| self.peers.get(i).is_some_and(|p| p.rtc.accepts(&input)));
        let at = known.or_else(|| self.peers.iter().position(|p| p.rtc.accepts(&input)));
        if let Some(peer) = at.and_then(|i| self.peers.get_mut(i)) {
            self.by_source.insert(source, peer.id);
            peer.input(input);
        }
    }

    /// Polls every peer with output waiting, passes what it means to the
    /// others, and offers each peer the tracks it lacks, until all is quiet.
    fn drive(&mut self) {
        // One buffer for the engine's life: no allocation per packet.
        let mut props = std::mem::take(&mut self.props);
        loop {
            for peer in &mut self.peers {
                if peer.dirty {
                    peer.poll(&self.udp, &self.tcp_out, &mut props);
                }
            }
            for peer in &mut self.peers {
                peer.negotiate();
            }
            if props.is_empty() {
                break;
            }
            for prop in props.drain(..) {
                self.propagate(prop);
            }
        }
        self.props = props;
        let gone: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|p| !p.rtc.is_alive())
            .map(|p| p.id)
            .collect();
        for id in gone {
            self.remove(id, Some("disconnected"));
        }
    }

    fn propagate(&mut self, prop: Prop) {
        match prop {
            Prop::Gone(id) => self.remove(id, Some("disconnected")),
            Prop::TrackOpen(origin, mid, kind) => {
                let Some((room, label)) = self
                    .peers
                    .iter()
                    .find(|p| p.id == origin)
                    .map(|p| (p.room, p.label.clone()))
                else {
                    return;
                };
                for peer in self
                    .peers
                    .iter_mut()
                    .filter(|p| p.room == room && p.id != origin)
                {
                    peer.renegotiate = true;
                    peer.tracks_out
                        .push(TrackOut::new(origin, label.clone(), mid, kind));
                }
            }
            Prop::Media(origin, data) => self.forward(origin, &data),
            Prop::Keyframe(origin, mid, rid, kind) => {
                if let Some(peer) = self.peers.iter_mut().find(|p| p.id == origin) {
                    peer.ask_keyframe(mid, rid, kind);
                }
            }
        }
    }

    fn forward(&mut self, origin: PeerId, data: &MediaData) {
        use std::sync::atomic::Ordering::Relaxed;
        self.counters.frames_in.fetch_add(1, Relaxed);
        let Some(sender) = self.peers.iter().find(|p| p.id == origin) else {
            return;
        };
        let room = sender.room;
        let Some(kind) = sender
            .tracks_in
            .iter()
            .find(|t| t.mid == data.mid)
            .map(|t| t.kind)
        else {
            return;
        };
        let allowed = match kind {
            MediaKind::Audio => sender.audio,
            MediaKind::Video => sender.video,
        };
        if !allowed {
            self.counters.held.fetch_add(1, Relaxed);
            return;
        }
        let mut keyframes = Vec::new();
        let mut sent = 0;
        for peer in self
            .peers
            .iter_mut()
            .filter(|p| p.room == room && p.id != origin)
        {
            match peer.write(origin, data) {
                Written::Sent => sent += 1,
                Written::WantsKeyframe(rid) => keyframes.push(rid),
                Written::Skipped => {}
            }
        }
        self.counters.frames_out.fetch_add(sent, Relaxed);
        if let Some(sender) = self.peers.iter_mut().find(|p| p.id == origin) {
            for rid in keyframes {
                sender.ask_keyframe(data.mid, rid, KeyframeRequestKind::Pli);
            }
        }
    }
}

enum Written {
    Sent,
    Skipped,
    /// Waiting for a keyframe of this layer before switching to it.
    WantsKeyframe(Option<Rid>),
}

impl Peer {
    fn input(&mut self, input: Input) {
        if let Err(e) = self.rtc.handle_input(input) {
            tracing::debug!(error = %e, "media input refused; peer disconnected");
            self.rtc.disconnect();
        }
        self.dirty = true;
    }

    fn poll(
        &mut self,
        udp: &UdpSocket,
        tcp: &HashMap<SocketAddr, mpsc::Sender<Vec<u8>>>,
        props: &mut Vec<Prop>,
    ) {
        self.dirty = false;
        loop {
            if !self.rtc.is_alive() {
                self.next = Instant::now();
                props.push(Prop::Gone(self.id));
                return;
            }
            let output = match self.rtc.poll_output() {
                Ok(o) => o,
                Err(e) => {
                    tracing::debug!(error = %e, "media output failed; peer disconnected");
                    self.rtc.disconnect();
                    continue;
                }
            };
            match output {
                Output::Timeout(t) => {
                    self.next = t;
                    return;
                }
                Output::Transmit(t) => match t.proto {
                    Protocol::Udp => {
                        // A full socket buffer drops the packet, as the
                        // network would; the task never waits on it.
                        let _ = udp.try_send_to(&t.contents, t.destination);
                    }
                    _ => {
                        if let Some(conn) = tcp.get(&t.destination) {
                            let _ = conn.try_send(t.contents.to_vec());
                        }
                    }
                },
                Output::Event(event) => self.event(event, props),
            }
        }
    }

    fn event(&mut self, event: Event, props: &mut Vec<Prop>) {
        match event {
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                self.rtc.disconnect();
            }
            // What the participant sends (our own tracks to them are
            // send-only here).
            Event::MediaAdded(m)
                if matches!(m.direction, Direction::RecvOnly | Direction::SendRecv)
                    && !self.tracks_in.iter().any(|t| t.mid == m.mid) =>
            {
                self.tracks_in.push(TrackIn {
                    mid: m.mid,
                    kind: m.kind,
                    keyframe_asked: None,
                });
                props.push(Prop::TrackOpen(self.id, m.mid, m.kind));
            }
            Event::MediaData(data) => {
                if !data.contiguous {
                    self.ask_keyframe(data.mid, data.rid, KeyframeRequestKind::Fir);
                }
                props.push(Prop::Media(self.id, data));
            }
            Event::KeyframeRequest(req) => {
                if let Some(p) = self.keyframe_for(req) {
                    props.push(p);
                }
            }
            Event::EgressBitrateEstimate(BweKind::Twcc { estimate, .. }) => {
                self.estimate = Some(estimate);
            }
            _ => {}
        }
    }

    /// A viewer's keyframe request, turned into one to the sender of the
    /// layer the viewer gets.
    fn keyframe_for(&self, req: KeyframeRequest) -> Option<Prop> {
        let t = self.tracks_out.iter().find(|t| t.mid() == Some(req.mid))?;
        Some(Prop::Keyframe(t.origin, t.origin_mid, t.layer, req.kind))
    }

    fn ask_keyframe(&mut self, mid: Mid, rid: Option<Rid>, kind: KeyframeRequestKind) {
        let Some(track) = self.tracks_in.iter_mut().find(|t| t.mid == mid) else {
            return;
        };
        if track.kind != MediaKind::Video
            || track
                .keyframe_asked
                .is_some_and(|t| t.elapsed() < KEYFRAME_EVERY)
        {
            return;
        }
        track.keyframe_asked = Some(Instant::now());
        if let Some(mut writer) = self.rtc.writer(mid) {
            let _ = writer.request_keyframe(rid, kind);
            self.dirty = true;
        }
    }

    /// The layer this viewer's link carries.
    fn wanted_layer(&self) -> Rid {
        let videos = self
            .tracks_out
            .iter()
            .filter(|t| t.kind == MediaKind::Video)
            .count()
            .max(1) as u64;
        match self.estimate {
            Some(e) if e.as_u64() / videos < HIGH_LAYER_BPS => low(),
            _ => high(),
        }
    }

    /// Where the viewer gets `origin`'s track `mid`.
    fn track_of(&self, origin: PeerId, mid: Mid) -> Option<usize> {
        self.tracks_out
            .iter()
            .position(|t| t.origin == origin && t.origin_mid == mid)
    }

    fn write(&mut self, origin: PeerId, data: &MediaData) -> Written {
        // Without simulcast (audio) there is no layer to choose.
        let wanted = if data.rid.is_some() {
            self.wanted_layer()
        } else {
            high()
        };
        let Some(at) = self.track_of(origin, data.mid) else {
            return Written::Skipped;
        };
        let Some(track) = self.tracks_out.get_mut(at) else {
            return Written::Skipped;
        };
        let OutState::Open(mid) = track.state else {
            return Written::Skipped;
        };
        if let Some(rid) = data.rid {
            if track.layer != Some(rid) {
                // Switch only on a keyframe: to the wanted layer, or to any
                // layer while none is flowing yet.
                let switch = data.is_keyframe() && (rid == wanted || track.layer.is_none());
                if !switch {
                    return if rid == wanted {
                        Written::WantsKeyframe(Some(wanted))
                    } else {
                        Written::Skipped
                    };
                }
                // The new layer's clock continues where the old one's was,
                // plus the time since.
                track.shift = match track.last {
                    Some((numer, at)) if track.layer.is_some() => {
                        let hz = f64::from(data.time.frequency().get());
                        let since = (at.elapsed().as_secs_f64() * hz) as i64;
                        (numer as i64)
                            .saturating_add(since.max(1))
                            .saturating_sub(data.time.numer() as i64)
                    }
                    _ => 0,
                };
                track.layer = Some(rid);
            } else if rid != wanted && track.layer.is_some() {
                // Still on the old layer; the wanted one is asked for.
                let written = self.send(mid, at, data);
                return match written {
                    Written::Sent => Written::WantsKeyframe(Some(wanted)),
                    other => other,
                };
            }
        }
        self.send(mid, at, data)
    }

    fn send(&mut self, mid: Mid, at: usize, data: &MediaData) -> Written {
        let Some(track) = self.tracks_out.get_mut(at) else {
            return Written::Skipped;
        };
        let numer = (data.time.numer() as i64)
            .saturating_add(track.shift)
            .max(0) as u64;
        track.last = Some((numer, Instant::now()));
        let time = str0m::media::MediaTime::new(numer, data.time.frequency());
        let Some(writer) = self.rtc.writer(mid) else {
            return Written::Skipped;
        };
        let Some(pt) = writer.match_params(data.params) else {
            return Written::Skipped;
        };
        self.dirty = true;
        match writer.write(pt, data.network_time, time, data.data.clone()) {
            Ok(()) => Written::Sent,
            Err(e) => {
                tracing::debug!(error = %e, "media write failed; peer disconnected");
                self.rtc.disconnect();
                Written::Skipped
            }
        }
    }

    fn origin_gone(&mut self, origin: PeerId) {
        self.renegotiate = true;
        for t in &mut self.tracks_out {
            if t.origin == origin {
                t.state = match t.state {
                    OutState::ToOpen => OutState::ToOpen,
                    OutState::Negotiating(m) | OutState::Open(m) | OutState::ToStop(m) => {
                        OutState::ToStop(m)
                    }
                    OutState::Stopping(m) => OutState::Stopping(m),
                };
            }
        }
        self.tracks_out
            .retain(|t| !(t.origin == origin && t.state == OutState::ToOpen));
    }

    /// Offers the tracks this peer lacks (and stops those whose sender
    /// left), one offer at a time.
    fn negotiate(&mut self) {
        if !self.renegotiate || self.pending.is_some() || !self.rtc.is_alive() {
            return;
        }
        self.renegotiate = false;
        let needed = self
            .tracks_out
            .iter()
            .any(|t| matches!(t.state, OutState::ToOpen | OutState::ToStop(_)));
        if !needed {
            return;
        }
        let mut change = self.rtc.sdp_api();
        for t in &mut self.tracks_out {
            match t.state {
                OutState::ToOpen => {
                    let kind = match t.kind {
                        MediaKind::Audio => "audio",
                        MediaKind::Video => "video",
                    };
                    let stream = t.label.clone();
                    let track = format!("{}-{kind}", t.label);
                    let mid = change.add_media(
                        t.kind,
                        Direction::SendOnly,
                        Some(stream),
                        Some(track),
                        None,
                    );
                    t.state = OutState::Negotiating(mid);
                }
                OutState::ToStop(m) => {
                    change.stop_media(m);
                    t.state = OutState::Stopping(m);
                }
                _ => {}
            }
        }
        let Some((offer, pending)) = change.apply() else {
            return;
        };
        self.pending = Some(pending);
        self.dirty = true;
        (self.signals)(Signal::Offer(offer.to_sdp_string()));
    }

    fn accept_answer(&mut self, sdp: &str) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let accepted = SdpAnswer::from_sdp_string(sdp)
            .ok()
            .and_then(|a| self.rtc.sdp_api().accept_answer(pending, a).ok());
        if accepted.is_none() {
            tracing::info!("a media answer was refused; peer disconnected");
            self.rtc.disconnect();
            return;
        }
        for t in &mut self.tracks_out {
            if let OutState::Negotiating(m) = t.state {
                t.state = OutState::Open(m);
            }
        }
        self.tracks_out
            .retain(|t| !matches!(t.state, OutState::Stopping(_)));
        self.dirty = true;
        // Tracks that came while the offer was out are offered next.
        self.renegotiate = true;
    }
}
