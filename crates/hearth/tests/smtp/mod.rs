//! A small SMTP server for tests: it keeps every message it is given, and
//! can be told to refuse the next few with "451 try again later".
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as it arrived: its recipients and its text, decoded.
#[derive(Debug, Clone)]
pub struct Caught {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

#[derive(Default)]
struct Shared {
    caught: Mutex<Vec<Caught>>,
    refuse: AtomicUsize,
    tries: AtomicUsize,
}

pub struct Catcher {
    /// `smtp://127.0.0.1:PORT`, for `--mail-url`.
    pub url: String,
    shared: Arc<Shared>,
}

impl Catcher {
    pub async fn start() -> Catcher {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, s.clone()));
            }
        });
        Catcher { url, shared }
    }

    /// The next `n` messages are refused for now (451).
    pub fn refuse_next(&self, n: usize) {
        self.shared.refuse.store(n, Ordering::SeqCst);
    }

    /// Messages offered so far, refused or taken.
    pub fn tries(&self) -> usize {
        self.shared.tries.load(Ordering::SeqCst)
    }

    pub fn caught(&self) -> Vec<Caught> {
        self.shared.caught.lock().unwrap().clone()
    }

    /// Waits (up to `within`) until `n` messages have arrived.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Caught> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let caught = self.caught();
            if caught.len() >= n || tokio::time::Instant::now() > deadline {
                return caught;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn session(socket: tokio::net::TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 catcher ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 catcher\r\n"
        } else if upper.starts_with("MAIL FROM") {
            shared.tries.fetch_add(1, Ordering::SeqCst);
            to.clear();
            let refused = shared
                .refuse
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refused {
                b"451 4.3.0 try again later\r\n"
            } else {
                b"250 OK\r\n"
            }
        } else if upper.starts_with("RCPT TO") {
            let address = line[8..]
                .trim()
                .trim_start_matches(':')
                .trim()
                .trim_matches(['<', '>'])
                .to_owned();
            to.push(address);
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 go ahead\r\n").await;
            let mut data = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push('\n');
            }
            shared.caught.lock().unwrap().push(decode(&to, &data));
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

fn decode(to: &[String], data: &str) -> Caught {
    let (head, body) = data.split_once("\n\n").unwrap_or((data, ""));
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let encoding = header("Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match encoding.as_str() {
        "quoted-printable" => quoted_printable(body),
        "base64" => String::from_utf8(base64(&body.replace(['\n', '\r'], ""))).unwrap(),
        _ => body.to_owned(),
    };
    Caught {
        to: to.to_vec(),
        subject: header("Subject"),
        body,
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(b) = joined
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
