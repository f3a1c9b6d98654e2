//! `hearth-loadgen media`: rooms of synthetic participants through a
//! node's own SFU (see `hearth_loadgen::media`), with the server's CPU and
//! memory read from `/proc` over the measured window.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hearth_loadgen::media::{PeerConfig, Report, run};

#[derive(serde::Deserialize)]
struct SeedRoom {
    meeting: i64,
    date: String,
    tokens: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Seed {
    rooms: Vec<SeedRoom>,
}

#[derive(clap::Args)]
pub struct MediaRun {
    /// `ws://host:port/live`
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub seed: std::path::PathBuf,
    /// Seconds measured.
    #[arg(long, default_value_t = 20)]
    pub duration: u64,
    /// Seconds after everyone started, before measuring.
    #[arg(long, default_value_t = 5)]
    pub warmup: u64,
    #[arg(long, default_value_t = 30)]
    pub video_fps: u32,
    /// Bytes in a video delta frame (keyframes are four times that).
    #[arg(long, default_value_t = 1700)]
    pub video_bytes: usize,
    /// The server's process, for its CPU and memory.
    #[arg(long)]
    pub server_pid: Option<u32>,
}

/// CPU seconds (user + system) and resident memory of a process.
fn usage(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    // The kernel's clock ticks are 100 a second on Linux's usual builds.
    Some((ticks / 100.0, rss_kb))
}

/// A participant under way: its room, its report, its task.
type Running = (
    usize,
    Arc<Mutex<Report>>,
    tokio::task::JoinHandle<Result<(), String>>,
);

/// Per participant: (room, number, audio sent, video sent, frames
/// received per sender number).
type Sample = Vec<(
    usize,
    Option<u32>,
    u64,
    u64,
    std::collections::HashMap<String, (u64, u64)>,
)>;

fn sample(all: &[Running]) -> Sample {
    all.iter()
        .map(|(room, rep, _)| {
            let rep = rep
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let from = rep
                .from
                .iter()
                .map(|(k, f)| (k.clone(), (f.audio_frames, f.video_frames)))
                .collect();
            (*room, rep.number, rep.audio_sent, rep.video_sent, from)
        })
        .collect()
}

/// Of the frames synthetic peers sent in the window, the share their
/// synthetic room-mates received: (audio, video). Frames in flight at the
/// window's edges make it approximate by a frame or two per stream.
fn delivery(before: &Sample, after: &Sample) -> serde_json::Value {
    let (mut sent_a, mut sent_v, mut got_a, mut got_v) = (0u64, 0u64, 0u64, 0u64);
    for (b, a) in before.iter().zip(after) {
        let Some(me) = a.1 else { continue };
        let mates = after
            .iter()
            .filter(|x| x.0 == a.0 && x.1 != Some(me))
            .count() as u64;
        sent_a += a.2.saturating_sub(b.2) * mates;
        sent_v += a.3.saturating_sub(b.3) * mates;
        for (ra, rb) in after
            .iter()
            .zip(before)
            .filter(|(x, _)| x.0 == a.0 && x.1 != Some(me))
        {
            let key = me.to_string();
            let now = ra.4.get(&key).copied().unwrap_or_default();
            let then = rb.4.get(&key).copied().unwrap_or_default();
            got_a += now.0.saturating_sub(then.0);
            got_v += now.1.saturating_sub(then.1);
        }
    }
    let share = |got: u64, sent: u64| {
        if sent == 0 {
            0.0
        } else {
            got as f64 / sent as f64
        }
    };
    serde_json::json!({"audio": share(got_a, sent_a), "video": share(got_v, sent_v)})
}

pub async fn run_media(r: MediaRun) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(&r.seed).map_err(|e| e.to_string())?;
    let seed: Seed = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let stay = Duration::from_secs(r.warmup + r.duration + 2);
    let mut all = Vec::new();
    for (room_no, room) in seed.rooms.iter().enumerate() {
        for token in &room.tokens {
            let report = Arc::new(Mutex::new(Report::default()));
            let config = PeerConfig {
                url: r.url.clone(),
                token: token.clone(),
                meeting: room.meeting,
                date: room.date.clone(),
                audio: true,
                video_fps: r.video_fps,
                video_bytes: r.video_bytes,
                stay,
            };
            let rep = report.clone();
            let task = tokio::spawn(async move { run(config, rep).await });
            all.push((room_no, report, task));
            // People arrive over a few seconds, not all in one instant.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    tokio::time::sleep(Duration::from_secs(r.warmup)).await;
    let received = |all: &[Running]| -> (u64, u64) {
        all.iter().fold((0, 0), |(a, v), (_, rep, _)| {
            let rep = rep
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            rep.from
                .values()
                .fold((a, v), |(a, v), f| (a + f.audio_frames, v + f.video_frames))
        })
    };
    let before = received(&all);
    let sample_before = sample(&all);
    let cpu_before = r.server_pid.and_then(usage);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(r.duration)).await;
    let elapsed = started.elapsed().as_secs_f64();
    let after = received(&all);
    let sample_after = sample(&all);
    let cpu_after = r.server_pid.and_then(usage);
    let delivery = delivery(&sample_before, &sample_after);
    let mut joins = Vec::new();
    let mut worst_loss: f32 = 0.0;
    let mut worst_jitter: f64 = 0.0;
    let mut incomplete = 0;
    let mut rooms_out = Vec::new();
    let participants = all.len();
    let mut results = Vec::new();
    for (room_no, rep, task) in all {
        let _ = task.await;
        let rep = rep
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(ms) = rep.first_frame_ms {
            joins.push(ms);
        }
        worst_loss = worst_loss.max(rep.loss.unwrap_or(0.0));
        worst_jitter = worst_jitter.max(rep.jitter_ms.unwrap_or(0.0));
        let others = seed
            .rooms
            .get(room_no)
            .map_or(0, |s| s.tokens.len().saturating_sub(1));
        if rep.from.len() < others {
            incomplete += 1;
        }
        results.push((
            room_no,
            rep.audio_sent,
            rep.video_sent,
            rep.errors.clone(),
            rep.closed.clone(),
        ));
    }
    for (room_no, room) in seed.rooms.iter().enumerate() {
        rooms_out.push(serde_json::json!({
            "meeting": room.meeting,
            "participants": room.tokens.len(),
            "errors": results.iter().filter(|x| x.0 == room_no).flat_map(|x| x.3.clone()).collect::<Vec<_>>(),
        }));
    }
    joins.sort_unstable();
    let pick = |p: f64| -> u64 {
        if joins.is_empty() {
            return 0;
        }
        let rank = ((p / 100.0) * joins.len() as f64).ceil() as usize;
        joins[rank.clamp(1, joins.len()) - 1]
    };
    let frames = (after.0 - before.0) + (after.1 - before.1);
    let cpu = match (cpu_before, cpu_after) {
        (Some((a, _)), Some((b, rss))) => serde_json::json!({
            "cores": (b - a) / elapsed,
            "cores_per_participant": (b - a) / elapsed / participants.max(1) as f64,
            "rss_mib": rss as f64 / 1024.0,
        }),
        _ => serde_json::Value::Null,
    };
    Ok(serde_json::json!({
        "participants": participants,
        "rooms": rooms_out,
        "joined": joins.len(),
        "saw_everyone_else": participants - incomplete,
        "join_to_first_frame_ms": {"p50": pick(50.0), "p95": pick(95.0), "max": pick(100.0)},
        "frames_delivered_per_second": frames as f64 / elapsed,
        "audio_frames_per_second": (after.0 - before.0) as f64 / elapsed,
        "video_frames_per_second": (after.1 - before.1) as f64 / elapsed,
        "delivered_of_sent_between_synthetic_peers": delivery,
        "worst_loss_fraction_reported": worst_loss,
        "worst_jitter_ms": worst_jitter,
        "server": cpu,
        "seconds": elapsed,
    }))
}
