//! Runs the real `hearth` binary as a separate process, for tests that kill
//! it, read its logs or drive its command line.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_hearth");

pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
    /// `http://ADDRESS` of the metrics listener, when `--metrics-bind` was given.
    pub metrics: Option<String>,
}

impl Server {
    /// Starts `hearth serve` on a port the OS picks and waits until /healthz answers.
    pub async fn start(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let log = data_dir.join(format!("server-{}.log", std::process::id()));
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg("--bind")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env_remove("HEARTH_CONFIG")
            .env_remove("HEARTH_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let with_metrics = extra.contains(&"--metrics-bind");
        // "Hearth is running at … (listening on 127.0.0.1:PORT). …", then
        // "Metrics at http://…/metrics" when asked for.
        let (addr, metrics) = tokio::task::spawn_blocking(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let start =
                line.find("listening on ").expect("the address line") + "listening on ".len();
            let end = line[start..].find(')').unwrap() + start;
            let addr = line[start..end].to_owned();
            let metrics = with_metrics.then(|| {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                line.trim()
                    .strip_prefix("Metrics at ")
                    .and_then(|l| l.strip_suffix("/metrics"))
                    .expect("the metrics line")
                    .to_owned()
            });
            (addr, metrics)
        })
        .await
        .unwrap();
        let base = format!("http://{addr}");
        let server = Server {
            child,
            base,
            log,
            metrics,
        };
        server.wait_healthy(Duration::from_secs(10)).await;
        server
    }

    pub async fn wait_healthy(&self, limit: Duration) -> Duration {
        let started = Instant::now();
        let client = reqwest::Client::new();
        loop {
            if let Ok(r) = client.get(format!("{}/healthz", self.base)).send().await
                && r.status().is_success()
            {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < limit,
                "the server did not become healthy"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn log_text(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.log).unwrap()).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the `hearth` command line (no configuration from the environment)
/// with `stdin` as its standard input, and waits for it.
pub fn run_cli(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("HEARTH_CONFIG")
        .env_remove("HEARTH_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

/// A random number in [0, n).
pub fn random_below(n: u64) -> u64 {
    u64::from_le_bytes(hearth::secret::random_bytes::<8>().unwrap()) % n.max(1)
}

/// Seconds a long test runs: the variable if set, else `default`.
pub fn env_seconds(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `hearth dev chat-seed` on a fresh SQLite data dir: the rooms, each with
/// `room` and its members' `tokens`.
pub fn chat_seed(data_dir: &Path, groups: u32, members: u32) -> Vec<serde_json::Value> {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["dev", "chat-seed", "--groups", &groups.to_string()])
        .args(["--members", &members.to_string()])
        .env_remove("HEARTH_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    seed["rooms"].as_array().unwrap().clone()
}
