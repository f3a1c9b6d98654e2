// Starts a real Hearth server on a free port with a fresh data directory,
// and launches Debian's Chromium through playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = resolve(here, "..", "..");
export const BIN = process.env.HEARTH_BIN || join(repo, "target", "debug", "hearth");
const AXE = readFileSync(join(here, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

/// `limits`: more `[limits]` lines for this server (e.g. a looser chat pace).
export async function startServer(extraArgs = [], env = {}, limits = "", { host = "127.0.0.1" } = {}) {
  const port = await freePort();
  // Passkeys need a domain name: `host: "localhost"` serves the site there.
  if (host !== "127.0.0.1") extraArgs = [...extraArgs, "--public-url", `http://${host}:${port}`];
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-e2e-"));
  const logs = [];
  // New accounts' wait between posts is tested in the Rust suite; here it
  // would only slow each flow down.
  const config = join(dataDir, "e2e.toml");
  // Staff act here without a second factor (it is tested in the Rust suite
  // and in accounts.test.js, which turns it back on).
  writeFileSync(config, `[limits]\nnewcomer_post_interval_secs = 0\n${limits.includes("staff_second_factor") ? "" : "staff_second_factor = false\n"}${limits}`);
  const child = spawn(BIN, ["--config", config, "serve", "--bind", `127.0.0.1:${port}`, "--data-dir", dataDir, ...extraArgs], {
    env: { ...process.env, HEARTH_LOG: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const base = `http://${host}:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    dataDir,
    logs,
    /// Makes an admin with the command line, as an operator would.
    makeAdmin: (handle, password) => {
      const r = spawnSync(BIN, ["admin", "create", "--handle", handle, "--data-dir", dataDir], { input: `${password}\n` });
      assert.equal(r.status, 0, r.stderr?.toString());
    },
    stop: () =>
      new Promise((ok) => {
        child.on("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

/// `extraArgs`: more Chromium flags (fake camera and microphone, say).
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

export const QUICK_EXIT = "https://www.google.com/search?q=weather";

/// A page that records every request and every CSP violation, and answers
/// the quick-exit address itself so nothing leaves the machine.
export async function newPage(browser, server, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.noJs = options.javaScriptEnabled === false;
  page.requests = [];
  page.problems = [];
  page.on("request", (r) => page.requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) page.problems.push(m.text());
  });
  page.on("pageerror", (e) => page.problems.push(`script error: ${e.message}`));
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost[:/])/, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>Weather</title><p>Neutral page</p>" }),
  );
  return page;
}

/// Runs axe-core on the page and fails on any WCAG 2.x A/AA violation.
/// A page with JavaScript off cannot run axe itself: its HTML is served, at
/// the same address, to a JavaScript-enabled checker page instead.
export async function checkA11y(page, label) {
  let target = page;
  if (page.noJs) {
    const html = await page.content();
    const url = page.url();
    const checker = await page.context().browser().newPage();
    await checker.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
    await checker.goto(url);
    target = checker;
  }
  try {
    await runAxe(target, label);
  } finally {
    if (target !== page) await target.close();
  }
}

async function runAxe(page, label) {
  // Styles decide target sizes and contrast: check only once they apply.
  await page.waitForLoadState("load");
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${label} (${page.url()}):\n${summary.join("\n")}`);
}

/// Every request the page made went to our own server, and nothing broke the CSP.
export function assertOnlyOwnRequests(page, server) {
  const foreign = page.requests.filter((u) => !u.startsWith(server.base) && !u.startsWith("data:") && !u.startsWith(QUICK_EXIT));
  assert.deepEqual(foreign, [], "requests to third parties");
  assert.deepEqual(page.problems, [], "CSP violations or script errors");
}

export function uniqueHandle(prefix) {
  return `${prefix}_${Math.random().toString(36).slice(2, 8)}`;
}

/// A new adult member, registered through the form: their page (logged in)
/// and handle.
export async function register(browser, server, prefix, password) {
  const page = await newPage(browser, server);
  const handle = uniqueHandle(prefix);
  await page.goto(server.base + "/register");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Type the password again").fill(password);
  await page.getByLabel("18 or older").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Hearth").waitFor();
  return { page, handle };
}

/// Logs `page` in through the form.
export async function login(page, server, handle, password) {
  await page.goto(server.base + "/login");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByText("You are logged in.").waitFor();
}

/// Opens the header's menu where the page has one (a phone width with
/// JavaScript), so that its links can be used; elsewhere they are shown.
export async function openMenu(page) {
  // Deferred scripts (the menu's) have run once the DOM is loaded.
  await page.waitForLoadState("domcontentloaded");
  const button = page.locator("[data-menu-button]");
  if ((await button.count()) && (await button.isVisible()) && (await button.getAttribute("aria-expanded")) !== "true") {
    await button.click();
  }
}

/// The operator makes an admin, who starts an open group about anxiety
/// ("Night Owls" unless named); its page is closed again.
export async function startGroup(browser, server, admin, password, name = "Night Owls") {
  server.makeAdmin(admin, password);
  const page = await newPage(browser, server);
  await login(page, server, admin, password);
  await page.goto(server.base + "/groups/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("What the group is for").fill("For those of us awake at 3 a.m. with a racing mind.");
  await page.getByLabel("Anxiety").check();
  await page.getByRole("button", { name: "Create group" }).click();
  await page.getByText("Your group is live.").waitFor();
  await page.context().close();
}

/// A new member who joined the group at `slug`: their page (logged in)
/// and handle.
export async function joinedMember(browser, server, prefix, password, slug = "night-owls") {
  const { page, handle } = await register(browser, server, prefix, password);
  await page.goto(`${server.base}/groups/${slug}`);
  await page.getByRole("button", { name: "Join this group" }).click();
  await page.getByText("Welcome to the group.").waitFor();
  return { page, handle };
}

/// An init script (test-only): keeps every RTCPeerConnection a page makes
/// in `window.__pcs`, and which participant each received track comes
/// from in `window.__tracks` (track id → stream id), so getStats can be
/// read per participant.
export const RECORD_PEERS = () => {
  const Real = window.RTCPeerConnection;
  window.__pcs = [];
  window.__tracks = {};
  window.RTCPeerConnection = function (config) {
    const pc = new Real(config);
    window.__pcs.push(pc);
    pc.addEventListener("track", (e) => {
      const s = e.streams && e.streams[0];
      if (s) window.__tracks[e.track.id] = s.id;
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Real.prototype;
};
