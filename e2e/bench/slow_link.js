// Issue 19: Hearth's pages on a slow rural link. Chromium emulates a 3G
// link (400 kbit/s each way, 400 ms round trip) through the DevTools
// protocol; each page is opened with a cold cache (a new browser context
// holding only the member's session cookie) at 375 px, and the navigation
// timings say when the page became interactive (DOMContentLoaded: the HTML
// parsed and the deferred scripts run) and fully loaded, with the bytes
// that crossed the link. The chat page also counts until its live
// connection says "Connected".
//
//   cargo build && (cd e2e && node bench/slow_link.js)
//
// HEARTH_BIN picks the binary (target/debug/hearth by default; the
// server's own time is a few milliseconds of the seconds measured).
import { joinedMember, launch, login, newPage, startGroup, startServer } from "../tests/harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
const KBPS = Number(process.env.KBPS || 400);
const RTT_MS = Number(process.env.RTT_MS || 400);
const RUNS = Number(process.env.RUNS || 3);

const server = await startServer(
  [],
  {},
  "chat_burst = 1000\nchat_per_second = 1000.0\nwrites_per_account_per_minute = 100000\nwrites_per_client_per_minute = 100000\n",
);
const browser = await launch();
try {
  await startGroup(browser, server, "slow_admin", ADMIN_PASSWORD);
  const { page, handle } = await joinedMember(browser, server, "slow_member", PASSWORD);

  // Twenty threads, the first with 100 replies, and 30 chat messages, as
  // the member. The words vary (a seeded mix of sentences), so compression
  // is not flattered by repetition.
  const thread = await page.evaluate(async () => {
    let seed = 42;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const words = ("the night long sleep kettle window tea walk breathe slowly counting morning worry tomorrow " +
      "friend sister work money letter quiet music rain street dog cat garden book page list light dark " +
      "today yesterday week doctor therapist group helped tried again small step kind voice hands warm cold " +
      "heavy lighter sometimes often never always maybe still enough better worse honest tired awake calm " +
      "noise mind racing thoughts write down phone away bath shower blanket pillow stars moon routine").split(" ");
    const sentence = () => {
      const n = 8 + rand(14);
      const w = Array.from({ length: n }, () => words[rand(words.length)]);
      return w[0][0].toUpperCase() + w.join(" ").slice(1) + ".";
    };
    const text = (k) => Array.from({ length: k }, sentence).join(" ");
    const csrfOf = async (path) => {
      const html = await (await fetch(path)).text();
      return html.match(/name="csrf" value="([^"]+)"/)[1];
    };
    const post = async (path, action, fields) => {
      const body = new URLSearchParams({ ...fields, csrf: await csrfOf(path) });
      const r = await fetch(action, { method: "POST", body, redirect: "manual" });
      if (r.type !== "opaqueredirect") throw new Error(`${action}: ${r.status}`);
    };
    for (let t = 20; t >= 1; t--) {
      await post("/groups/night-owls/threads/new", "/groups/night-owls/threads", {
        title: t === 1 ? "What helps on the long nights" : sentence().slice(0, 80),
        body: text(3),
        accept_guidelines: "on",
      });
    }
    const list = await (await fetch("/groups/night-owls")).text();
    const id = list.match(/href="\/groups\/night-owls\/threads\/(\d+)"[^>]*>What helps/)[1];
    const path = `/groups/night-owls/threads/${id}`;
    for (let i = 1; i <= 100; i++) {
      await post(path, `${path}/replies`, { body: text(2 + rand(3)) });
    }
    return path;
  });
  await page.goto(server.base + "/groups/night-owls/chat");
  await page.getByText("Connected: new messages appear here").waitFor();
  const room = Number(await page.locator("#chat").getAttribute("data-room"));
  await page.evaluate(async ({ room }) => {
    const ws = new WebSocket(`ws://${location.host}/live`);
    await new Promise((ok) => ws.addEventListener("open", ok));
    let acks = 0;
    const done = new Promise((ok) => ws.addEventListener("message", (e) => {
      if (JSON.parse(e.data).type === "ack" && ++acks === 30) ok();
    }));
    ws.send(JSON.stringify({ type: "subscribe", room, since: 1e9 }));
    for (let i = 1; i <= 30; i++) {
      ws.send(JSON.stringify({ type: "send", room, client_id: `seed-${i}`, body: `Message ${i}: still awake here, the kettle is on if anyone wants to talk.` }));
    }
    await done;
    ws.close();
  }, { room });
  const session = await page.context().storageState();
  await page.context().close();

  const pages = [
    ["home (member)", "/"],
    ["directory", "/groups"],
    ["group", "/groups/night-owls"],
    ["thread, 100 replies", thread],
    ["chat, 30 messages", "/groups/night-owls/chat"],
  ];
  console.log(`3G emulation: ${KBPS} kbit/s each way, ${RTT_MS} ms round trip; cold cache; 375 x 667; ${RUNS} runs each (median); member ${handle}`);
  console.log("| page | transferred | HTML (uncompressed) | interactive (DOMContentLoaded) | loaded | live connection |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const [name, path] of pages) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext({ storageState: session, viewport: { width: 375, height: 667 } });
      const p = await context.newPage();
      const cdp = await context.newCDPSession(p);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: RTT_MS,
        downloadThroughput: (KBPS * 1000) / 8,
        uploadThroughput: (KBPS * 1000) / 8,
      });
      const started = Date.now();
      await p.goto(server.base + path, { waitUntil: "load", timeout: 120000 });
      let live = null;
      if (path.endsWith("/chat")) {
        await p.getByText("Connected: new messages appear here").waitFor({ timeout: 60000 });
        live = Date.now() - started;
      }
      const t = await p.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const res = performance.getEntriesByType("resource");
        return {
          dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd,
          bytes: nav.transferSize + res.reduce((a, e) => a + (e.transferSize || 0), 0),
          html: nav.decodedBodySize,
        };
      });
      runs.push({ ...t, live });
      await context.close();
    }
    const median = (k) => runs.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    const s = (ms) => (ms === null || ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);
    const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
    console.log(`| ${name} | ${kb(median("bytes"))} | ${kb(median("html"))} | ${s(median("dcl"))} | ${s(median("load"))} | ${path.endsWith("/chat") ? s(median("live")) : "—"} |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
