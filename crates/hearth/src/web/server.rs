//! The accept loop: HTTP/1.1 connections (WebSockets upgrade from them)
//! with the limits a public server needs. A client that opens connections
//! and sends nothing, or sends its headers a byte at a time, cannot hold
//! the server's file descriptors for long:
//!
//! - the request head must arrive within `header_read_secs` of the
//!   connection opening or of the previous response (idle keep-alive
//!   connections close after the same time);
//! - the body within `request_secs` (`read_in_time`, a middleware);
//! - at most `max_connections` connections are open at once (less where
//!   the process may open fewer files), and at most
//!   `connections_per_address` from one address (an IPv6 /64 counts as one
//!   address; behind a reverse proxy, which is the only peer, the proxy
//!   limits each address);
//! - a WebSocket that answers nothing, not even a ping, for
//!   `websocket_idle_secs` is closed (`live::ws`).
//!
//! A connection over a limit gets a short 503 and is closed at once.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// What the accept loop allows.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub header_read: Duration,
    pub total: usize,
    /// 0: no limit per address.
    pub per_address: usize,
}

/// Counts open connections, in total and per address. A slot is held by a
/// [`Slot`] that travels with the connection's socket, through a WebSocket
/// upgrade too, and is given back when the socket is dropped.
pub struct Gate {
    limits: ConnectionLimits,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// Why a connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Full,
    TooManyFromAddress,
}

impl Gate {
    pub fn new(limits: ConnectionLimits) -> Arc<Self> {
        Arc::new(Self {
            limits,
            open: Mutex::new(Open::default()),
        })
    }

    /// A slot for a connection from `ip`, or why there is none.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, Refused> {
        let key = address_key(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= self.limits.total {
            return Err(Refused::Full);
        }
        let from_here = open.by_address.get(&key).copied().unwrap_or(0);
        if self.limits.per_address > 0 && from_here >= self.limits.per_address {
            return Err(Refused::TooManyFromAddress);
        }
        open.total += 1;
        open.by_address.insert(key, from_here + 1);
        Ok(Slot {
            gate: self.clone(),
            key,
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

/// One address for counting: IPv4 as it is; IPv6 by its /64, which one
/// household or machine is usually given whole.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

pub struct Slot {
    gate: Arc<Gate>,
    key: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.gate.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.by_address.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.by_address.remove(&self.key);
            }
        }
    }
}

/// A socket and the slot it holds.
struct Counted {
    tcp: TcpStream,
    _slot: Slot,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

/// The answer to a connection over a limit, written without reading the
/// request (a best effort: the socket is closed either way).
const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 5\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 43\r\n\r\nToo many connections. Try again in a moment.";

/// Serves `app` on `listener` until `shutdown` resolves; then stops
/// accepting, lets requests in flight finish and returns.
pub async fn run(
    listener: TcpListener,
    app: Router,
    gate: Arc<Gate>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let header_read = gate.limits.header_read;
    // Told to every connection when shutdown begins; closed (all receivers
    // gone) once every connection has finished.
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    let mut refused_logged: Option<tokio::time::Instant> = None;
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    if !is_connection_error(&e) {
                        // Out of file descriptors, most likely: wait for
                        // some to close rather than spin.
                        tracing::error!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match gate.admit(peer.ip()) {
            Ok(slot) => slot,
            Err(why) => {
                // Logged at most once a minute; never the address.
                let now = tokio::time::Instant::now();
                if refused_logged.is_none_or(|t| now.duration_since(t) > Duration::from_secs(60)) {
                    refused_logged = Some(now);
                    tracing::warn!(reason = ?why, open = gate.open(), "connection refused");
                }
                let _ = tcp.try_write(REFUSED);
                continue;
            }
        };
        // Small frames (chat deliveries, acks) go out at once: without
        // TCP_NODELAY, Nagle's algorithm holds a frame back until the
        // client acknowledges the one before (up to 40 ms).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
        let io = TokioIo::new(Counted { tcp, _slot: slot });
        let service = TowerToHyperService::new(app.clone().map_request(
            move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(axum::body::Body::new)
            },
        ));
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_read)
                .keep_alive(true);
            let mut conn = pin!(builder.serve_connection(io, service).with_upgrades());
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::trace!(error = %e, "connection ended");
                    }
                    return;
                }
                _ = stop.wait_for(|stopping| *stopping) => {}
            }
            conn.as_mut().graceful_shutdown();
            if let Err(e) = conn.await {
                tracing::trace!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(stop_rx);
    stop_tx.closed().await;
    Ok(())
}

/// Errors that end one connection attempt, not the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// The most connections this process can hold: `wanted`, or fewer where
/// the open-files limit (Linux: /proc/self/limits) leaves less room, with
/// some kept for the database, the bus and the data files.
pub fn total_limit(wanted: usize) -> usize {
    const KEEP: usize = 128;
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).map(str::to_owned))
        })
        .and_then(|n| n.parse::<usize>().ok());
    match soft {
        Some(n) => wanted.min(n.saturating_sub(KEEP).max(16)),
        None => wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(total: usize, per_address: usize) -> Arc<Gate> {
        Gate::new(ConnectionLimits {
            header_read: Duration::from_secs(1),
            total,
            per_address,
        })
    }

    #[test]
    fn slots_are_counted_and_given_back() {
        let g = gate(3, 2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let s1 = g.admit(a).unwrap();
        let _s2 = g.admit(a).unwrap();
        assert_eq!(g.admit(a).err(), Some(Refused::TooManyFromAddress));
        let _s3 = g.admit(b).unwrap();
        assert_eq!(g.admit(b).err(), Some(Refused::Full));
        drop(s1);
        assert_eq!(g.open(), 2);
        assert!(g.admit(a).is_ok());
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let g = gate(10, 1);
        let _s = g.admit("2001:db8:1:2::1".parse().unwrap()).unwrap();
        assert!(g.admit("2001:db8:1:2:ffff::9".parse().unwrap()).is_err());
        assert!(g.admit("2001:db8:1:3::1".parse().unwrap()).is_ok());
        // An IPv4 address mapped into IPv6 is that IPv4 address.
        let _v4 = g.admit("192.0.2.7".parse().unwrap()).unwrap();
        assert!(g.admit("::ffff:192.0.2.7".parse().unwrap()).is_err());
    }

    #[test]
    fn no_per_address_limit_when_zero() {
        let g = gate(5, 0);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let slots: Vec<_> = (0..5).map(|_| g.admit(a).unwrap()).collect();
        assert_eq!(g.admit(a).err(), Some(Refused::Full));
        drop(slots);
        assert_eq!(g.open(), 0);
    }

    #[test]
    fn the_open_files_limit_bounds_the_total() {
        let n = total_limit(usize::MAX);
        assert!(n >= 16);
        assert_eq!(total_limit(10), 10);
    }
}
