//! `hearth-loadgen http`: requests one URL at a fixed rate over a pool of
//! keep-alive connections and reports latency percentiles as JSON.
//! `room`, `idle` and `broadcast` measure live chat (see `room.rs`).
//!
//! Open loop: request *i* is due at `start + i / rate`. Its latency runs
//! from when it was due, not from when a connection was free, so a server
//! that falls behind shows it in the tail instead of quietly slowing the
//! load down (no coordinated omission). `--rate 0` runs closed loop instead:
//! every connection sends its next request as soon as the last is answered,
//! to find the most a server can do.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

mod room;
mod sessions;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// GET one URL at a fixed rate.
    Http {
        /// `http://host:port/path` (plain HTTP only).
        #[arg(long)]
        url: String,
        /// Requests per second; 0 for as many as the connections allow.
        #[arg(long, default_value_t = 100)]
        rate: u32,
        /// Seconds to run.
        #[arg(long, default_value_t = 20)]
        duration: u64,
        /// Seconds of load before measuring starts.
        #[arg(long, default_value_t = 3)]
        warmup: u64,
        /// Keep-alive connections.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// Extra request headers, `Name: value`.
        #[arg(long = "header")]
        headers: Vec<String>,
    },
    /// A chat room's fan-out: M members, S of them sending.
    Room {
        /// `ws://host:port/live`; given more than once, members are spread
        /// over the nodes in turn.
        #[arg(long = "url", required = true)]
        urls: Vec<String>,
        /// JSON from `hearth dev chat-seed` (room and tokens); none for the
        /// broadcast server.
        #[arg(long)]
        seed: Option<std::path::PathBuf>,
        #[arg(long, default_value_t = 50)]
        members: usize,
        #[arg(long, default_value_t = 5)]
        senders: usize,
        /// Messages a second from each sender.
        #[arg(long, default_value_t = 10.0)]
        rate: f64,
        /// Messages from each sender.
        #[arg(long, default_value_t = 200)]
        messages: u64,
        /// Seconds to wait after the last send for deliveries to finish.
        #[arg(long, default_value_t = 10)]
        settle: u64,
    },
    /// Hold many subscribed connections open (for the server's memory).
    Idle {
        #[arg(long = "url", required = true)]
        urls: Vec<String>,
        #[arg(long)]
        seed: Option<std::path::PathBuf>,
        #[arg(long, default_value_t = 10_000)]
        connections: usize,
        /// Seconds to hold them once all are open.
        #[arg(long, default_value_t = 20)]
        hold: u64,
    },
    /// Live-session rooms of synthetic participants through the node's SFU
    /// (seed from `hearth dev session-seed`).
    Media(sessions::MediaRun),
    /// The ceiling: a minimal broadcast server speaking the same frames,
    /// with no storage and no authentication.
    Broadcast {
        #[arg(long, default_value = "127.0.0.1:18400")]
        bind: std::net::SocketAddr,
    },
}

struct Target {
    addr: String,
    request: Vec<u8>,
}

fn parse_url(url: &str, headers: &[String]) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported")?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html,application/json\r\n");
    for h in headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    Ok(Target {
        addr: host.to_owned(),
        request: request.into_bytes(),
    })
}

/// One keep-alive connection.
struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    async fn open(addr: &str) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            reader: BufReader::with_capacity(64 * 1024, stream),
        })
    }

    /// Sends the request and reads the whole response; returns its status.
    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<u16> {
        self.reader.get_mut().write_all(request).await?;
        let mut line = String::new();
        if self.reader.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        loop {
            line.clear();
            if self.reader.read_line(&mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((name, value)) = l.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    length = value.trim().parse().ok();
                } else if name == "transfer-encoding"
                    && value.to_ascii_lowercase().contains("chunked")
                {
                    chunked = true;
                }
            }
        }
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim(), 16)
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
                let mut skip = vec![0u8; size + 2];
                self.reader.read_exact(&mut skip).await?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut left = length.unwrap_or(0);
            let mut buf = vec![0u8; 64 * 1024];
            while left > 0 {
                let n = self.reader.read(&mut buf[..left.min(64 * 1024)]).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                left -= n;
            }
        }
        Ok(status)
    }
}

#[derive(Default)]
struct Tally {
    /// Microseconds, measured requests only.
    latencies: Vec<u64>,
    ok: u64,
    non_2xx: u64,
    errors: u64,
}

pub(crate) fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

async fn run_http(
    url: String,
    rate: u32,
    duration: u64,
    warmup: u64,
    connections: usize,
    headers: Vec<String>,
) -> Result<serde_json::Value, String> {
    let target = Arc::new(parse_url(&url, &headers)?);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = Instant::now() + Duration::from_millis(200);
    let measure_from = start + Duration::from_secs(warmup);
    let end = measure_from + Duration::from_secs(duration);
    // Requests are numbered; connections take the next due number.
    let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let interval = if rate == 0 {
        None
    } else {
        Some(Duration::from_secs_f64(1.0 / f64::from(rate)))
    };
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let target = target.clone();
        let tally = tally.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn: Option<Conn> = None;
            loop {
                let due = match interval {
                    Some(iv) => {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let due = start + iv.mul_f64(i as f64);
                        if due >= end {
                            break;
                        }
                        tokio::time::sleep_until(due.into()).await;
                        due
                    }
                    None => {
                        let now = Instant::now().max(start);
                        if now >= end {
                            break;
                        }
                        tokio::time::sleep_until(now.into()).await;
                        now
                    }
                };
                if conn.is_none() {
                    conn = Conn::open(&target.addr).await.ok();
                }
                let result = match conn.as_mut() {
                    Some(c) => c.exchange(&target.request).await,
                    None => Err(std::io::ErrorKind::ConnectionRefused.into()),
                };
                let done = Instant::now();
                let mut t = tally.lock().await;
                let measured = due >= measure_from;
                match result {
                    Ok(status) if measured => {
                        t.latencies
                            .push(done.duration_since(due).as_micros() as u64);
                        if (200..300).contains(&status) {
                            t.ok += 1;
                        } else {
                            t.non_2xx += 1;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => {
                        if measured {
                            t.errors += 1;
                        }
                        conn = None;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())?;
    }
    let mut t = tally.lock().await;
    t.latencies.sort_unstable();
    let answered = t.latencies.len() as f64;
    Ok(serde_json::json!({
        "url": url,
        "mode": if rate == 0 { "closed-loop" } else { "open-loop" },
        "offered_rps": rate,
        "connections": connections,
        "seconds": duration,
        "answered": t.latencies.len(),
        "ok": t.ok,
        "non_2xx": t.non_2xx,
        "errors": t.errors,
        "achieved_rps": (answered / duration as f64).round(),
        "latency_ms": {
            "p50": percentile(&t.latencies, 50.0),
            "p90": percentile(&t.latencies, 90.0),
            "p99": percentile(&t.latencies, 99.0),
            "p99.9": percentile(&t.latencies, 99.9),
            "max": percentile(&t.latencies, 100.0),
        }
    }))
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // The load runs on one thread, leaving the rest of the machine to the
    // server; the broadcast server, a server itself, gets what Hearth gets.
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if !matches!(cli.command, Command::Broadcast { .. }) {
        builder.worker_threads(1);
    }
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hearth-loadgen: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Http {
                url,
                rate,
                duration,
                warmup,
                connections,
                headers,
            } => run_http(url, rate, duration, warmup, connections, headers).await,
            Command::Media(run) => sessions::run_media(run).await,
            Command::Room {
                urls,
                seed,
                members,
                senders,
                rate,
                messages,
                settle,
            } => match room::Seed::load(seed.as_deref()) {
                Ok(seed) => {
                    room::run_room(room::RoomRun {
                        urls,
                        seed,
                        members,
                        senders,
                        rate,
                        messages,
                        settle,
                    })
                    .await
                }
                Err(e) => Err(e),
            },
            Command::Idle {
                urls,
                seed,
                connections,
                hold,
            } => match room::Seed::load(seed.as_deref()) {
                Ok(seed) => room::run_idle(urls, seed, connections, hold).await,
                Err(e) => Err(e),
            },
            Command::Broadcast { bind } => room::broadcast(bind).await,
        }
    });
    match result {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hearth-loadgen: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
