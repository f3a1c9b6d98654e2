// Issue 20: a room of twelve through Hearth's own SFU. Ten synthetic
// participants (hearth-loadgen media: str0m peers sending Opus-sized audio
// and VP8-shaped video) and two real Chromium pages with fake camera and
// microphone, which observe: from the click on "Join the session" to the
// first media from the others and to the first decoded frame from the
// other real page; packet loss and jitter of everything they receive
// (getStats). The loadgen reports the server's CPU and memory.
//
//   cargo build --release -p hearth -p hearth-loadgen
//   (cd e2e && HEARTH_BIN=../target/release/hearth node bench/media_room.js)
//
// SECONDS_MEASURED (default 20) is the measured window; JOINS (10) how
// many times the second page joins for the join-time percentiles.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, RECORD_PEERS, launch, newPage, startServer } from "../tests/harness.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const LOADGEN = process.env.LOADGEN || resolve(here, "..", "..", "target", "release", "hearth-loadgen");
const SECONDS = Number(process.env.SECONDS_MEASURED || 20);
const JOINS = Number(process.env.JOINS || 10);
const SEEDED_PASSWORD = "seeded lantern orchard";

const server = await startServer();
const pid = Number(spawnSync("pgrep", ["-f", `data-dir ${server.dataDir}`]).stdout.toString().trim().split("\n")[0]);
const seeded = spawnSync(BIN, ["dev", "session-seed", "--data-dir", server.dataDir, "--participants", "12", "--rooms", "1"]);
if (seeded.status !== 0) throw new Error(seeded.stderr.toString());
const seed = JSON.parse(seeded.stdout.toString());
const room = seed.rooms[0];
const synthetic = { rooms: [{ ...room, tokens: room.tokens.slice(2) }] };
const seedFile = join(server.dataDir, "synthetic.json");
writeFileSync(seedFile, JSON.stringify(synthetic));

const browser = await launch([
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--allow-loopback-in-peer-connection",
  "--autoplay-policy=no-user-gesture-required",
]);

async function inbound(page) {
  return page.evaluate(async () => {
    const pc = window.__pcs.filter((p) => p.connectionState !== "closed").pop();
    const out = [];
    if (!pc) return out;
    (await pc.getStats()).forEach((r) => {
      if (r.type === "inbound-rtp") {
        out.push({ who: window.__tracks[r.trackIdentifier], kind: r.kind, bytes: r.bytesReceived || 0,
          packets: r.packetsReceived || 0, lost: r.packetsLost || 0, jitter: r.jitter || 0, decoded: r.framesDecoded || 0 });
      }
    });
    return out;
  });
}

const url = `${server.base}/groups/${room.group}/sessions/${room.meeting}/room?date=${room.date}`;
let loadgen;
try {
  const observers = [];
  for (const i of [0, 1]) {
    const page = await newPage(browser, server);
    await page.context().addInitScript(RECORD_PEERS);
    await page.goto(server.base + "/login");
    await page.getByLabel("Handle").fill(`chat_0_bench_${i}`);
    await page.getByLabel("Password").fill(SEEDED_PASSWORD);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByText("You are logged in.").waitFor();
    await page.goto(url);
    observers.push(page);
  }
  // The synthetic ten are in the room, sending, before the observers come.
  loadgen = spawn(LOADGEN, ["media", "--url", server.base.replace("http://", "ws://") + "/live", "--seed", seedFile,
    "--duration", String(SECONDS + 45), "--warmup", "3", "--server-pid", String(pid)]);
  let loadOut = "";
  loadgen.stdout.on("data", (d) => (loadOut += d));
  await new Promise((r) => setTimeout(r, 5000));

  // The first observer comes in and turns its camera and microphone on.
  const [first, second] = observers;
  await first.getByRole("button", { name: "Join the session" }).click();
  await first.locator("#session-status", { hasText: "You are in the room." }).waitFor();
  await first.getByRole("button", { name: "Turn my camera on" }).click();
  await first.getByRole("button", { name: "Turn my microphone on" }).click();
  const firstNo = await first.locator("#session-people li", { hasText: "(you" }).getAttribute("data-participant");
  await first.waitForTimeout(2000);
  // The second joins JOINS times: from the click on "Join the session" to
  // the first media from anyone, and to the first decoded frame of the
  // first observer's camera (a real VP8 stream through the SFU).
  const samples = [];
  for (let n = 0; n < JOINS; n++) {
    const clicked = Date.now();
    await second.getByRole("button", { name: "Join the session" }).click();
    let media = null;
    let frame = null;
    for (let t = 0; t < 400 && frame === null; t++) {
      const s = await inbound(second);
      if (media === null && s.some((r) => r.bytes > 0)) media = Date.now() - clicked;
      if (s.some((r) => r.who === firstNo && r.kind === "video" && r.decoded > 0)) frame = Date.now() - clicked;
      else await second.waitForTimeout(20);
    }
    samples.push({ media, frame });
    if (n + 1 < JOINS) {
      await second.getByRole("button", { name: "Leave" }).click();
      await second.getByRole("button", { name: "Join the session" }).waitFor();
      await second.waitForTimeout(300);
    }
  }
  await second.getByRole("button", { name: "Turn my camera on" }).click();
  await second.getByRole("button", { name: "Turn my microphone on" }).click();
  await second.waitForTimeout(2000);
  const pct = (xs, p) => {
    const sorted = xs.filter((x) => x !== null).sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length, Math.ceil((p / 100) * sorted.length)) - 1] : null;
  };
  const before = await Promise.all(observers.map(inbound));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const after = await Promise.all(observers.map(inbound));
  const seen = after.map((rows, i) => {
    const lost = rows.reduce((a, r) => a + r.lost, 0) - before[i].reduce((a, r) => a + r.lost, 0);
    const packets = rows.reduce((a, r) => a + r.packets, 0) - before[i].reduce((a, r) => a + r.packets, 0);
    const senders = new Set(rows.filter((r) => r.bytes > 0).map((r) => r.who)).size;
    return {
      senders_heard: senders,
      packets,
      loss_percent: (100 * Math.max(0, lost)) / Math.max(1, packets + Math.max(0, lost)),
      worst_jitter_ms: Math.max(...rows.map((r) => r.jitter * 1000)),
    };
  });
  await new Promise((r) => loadgen.on("exit", r));
  console.log(JSON.stringify({
    joins: JOINS,
    click_to_first_media_ms: { p50: pct(samples.map((x) => x.media), 50), p95: pct(samples.map((x) => x.media), 95) },
    click_to_first_decoded_frame_ms: {
      p50: pct(samples.map((x) => x.frame), 50),
      p95: pct(samples.map((x) => x.frame), 95),
      failed: samples.filter((x) => x.frame === null).length,
    },
    observers: seen,
    synthetic: JSON.parse(loadOut || "null"),
  }, null, 2));
} finally {
  loadgen?.kill();
  await browser.close();
  await server.stop();
}
