// Issue 20's room in real browsers: Debian's Chromium with fake devices.
// A facilitator schedules a session starting in a few minutes; two members
// take places; all three join the room and receive each other's audio and
// video through Hearth's own media server (getStats: inbound bytes grow,
// loss under 1%); raised hands appear in order for everyone; a mute holds
// on the server (the others' inbound audio from that person stops
// growing); a removed member cannot come back; the facilitator ends the
// session for all. The room page is axe-clean before and after joining.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { RECORD_PEERS, checkA11y, joinedMember, launch, login, newPage, startGroup, startServer } from "./harness.js";

const PASSWORD = "harbour willow lantern kite";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;


/// Inbound media on the page's live connection: bytes and losses per
/// participant number and kind.
async function inbound(page) {
  return page.evaluate(async () => {
    const pc = window.__pcs.filter((p) => p.connectionState !== "closed").pop();
    if (!pc) return {};
    const out = {};
    const stats = await pc.getStats();
    stats.forEach((r) => {
      if (r.type !== "inbound-rtp") return;
      const who = window.__tracks[r.trackIdentifier];
      if (!who) return;
      out[`${who}/${r.kind}`] = {
        bytes: r.bytesReceived || 0,
        packets: r.packetsReceived || 0,
        lost: r.packetsLost || 0,
      };
    });
    return out;
  });
}

async function number(page) {
  // The page's own number: the one its people list marks as "you".
  const li = page.locator("#session-people li", { hasText: "(you" });
  return Number(await li.getAttribute("data-participant"));
}

async function growing(page, key, ms = 2500) {
  const a = (await inbound(page))[key]?.bytes ?? 0;
  await page.waitForTimeout(ms);
  const b = (await inbound(page))[key]?.bytes ?? 0;
  return b - a;
}

before(async () => {
  server = await startServer();
  // Fake camera and microphone, WebRTC on loopback, and sound without a
  // click (the room plays others' audio as they arrive).
  browser = await launch([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
  ]);
  await startGroup(browser, server, "room_admin", ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("three people meet in a session's room: audio and video, hands, a mute that holds, a removal, the end", async () => {
  const admin = await newPage(browser, server);
  await admin.addInitScript(RECORD_PEERS);
  await login(admin, server, "room_admin", ADMIN_PASSWORD);
  await admin.goto(server.base + "/groups/night-owls/sessions/new");
  // Five minutes from now, in UTC: the room is open (it opens 15 minutes before).
  const start = new Date(Date.now() + 5 * 60 * 1000);
  const local = start.toISOString().slice(0, 16);
  await admin.getByLabel("Title").fill("Evening circle");
  await admin.getByLabel("First date and start time").fill(local);
  await admin.getByLabel("Time zone").selectOption("UTC");
  await admin.getByLabel("Length in minutes").fill("60");
  await admin.getByLabel("Once").check();
  await admin.getByLabel("Places").fill("8");
  await admin.getByLabel("Video (cameras optional)").check();
  await admin.getByRole("button", { name: "Schedule a session" }).click();
  await admin.getByText("The session is scheduled.").waitFor();

  await admin.getByRole("heading", { name: "Evening circle" }).waitFor();
  const sessionUrl = admin.url().split("?")[0];

  // Two members take places and come to the room.
  const members = [];
  for (const prefix of ["ash", "birch"]) {
    const { page, handle } = await joinedMember(browser, server, prefix, PASSWORD);
    await page.context().addInitScript(RECORD_PEERS);
    await page.goto(sessionUrl);
    await page.locator("li.session").first().getByRole("button", { name: /I'll come/ }).click();
    await page.getByText("You have a place.").waitFor();
    await page.locator("li.session").first().getByRole("link", { name: /Enter the room/ }).click();
    members.push({ page, handle });
  }
  await admin.goto(sessionUrl);
  await admin.locator("li.session").first().getByRole("link", { name: /Enter the room/ }).click();
  const everyone = [admin, ...members.map((m) => m.page)];

  // Before joining: who can see and hear you, and that nothing is recorded.
  await admin.getByRole("heading", { name: "Before you join" }).waitFor();
  await admin.getByText("Nothing in a live session is recorded").waitFor();
  await checkA11y(admin, "the room before joining");

  for (const p of everyone) {
    await p.getByRole("button", { name: "Join the session" }).click();
    await p.locator("#session-status", { hasText: "You are in the room." }).waitFor();
  }
  // Everyone came in muted with the camera off; each turns both on.
  for (const p of everyone) {
    await p.getByRole("button", { name: "Turn my microphone on" }).click();
    await p.getByRole("button", { name: "Mute my microphone" }).waitFor();
    await p.getByRole("button", { name: "Turn my camera on" }).click();
    await p.getByRole("button", { name: "Turn my camera off" }).waitFor();
  }
  for (const p of everyone) await p.locator("#session-people li").nth(2).waitFor();
  const numbers = [];
  for (const p of everyone) numbers.push(await number(p));
  const [, ashNo, birchNo] = numbers;

  // Each page receives the other two's audio and video, growing, with
  // under 1% loss.
  for (const [i, p] of everyone.entries()) {
    const others = numbers.filter((_, j) => j !== i);
    const want = others.flatMap((n) => [`${n}/audio`, `${n}/video`]);
    let got = {};
    for (let tries = 0; tries < 60; tries++) {
      got = await inbound(p);
      if (want.every((k) => (got[k]?.bytes ?? 0) > 0)) break;
      await p.waitForTimeout(250);
    }
    for (const k of want) assert.ok((got[k]?.bytes ?? 0) > 0, `page ${i} receives ${k}: ${JSON.stringify(got)}`);
    for (const k of want) assert.ok((await growing(p, k, 1000)) > 0, `page ${i}: ${k} keeps coming`);
    const after = await inbound(p);
    for (const k of want) {
      const r = after[k];
      const loss = r.lost / Math.max(1, r.packets + r.lost);
      assert.ok(loss < 0.01, `page ${i}: ${k} lost ${(loss * 100).toFixed(2)}%`);
    }
  }
  await checkA11y(admin, "the room with three people");

  // Hands: Ash, then Birch; everyone sees them in that order.
  await members[0].page.getByRole("button", { name: "Raise my hand" }).click();
  await members[0].page.getByRole("button", { name: "Lower my hand" }).waitFor();
  await members[1].page.getByRole("button", { name: "Raise my hand" }).click();
  for (const p of everyone) {
    await p.locator("#session-hands li").nth(1).waitFor();
    const hands = await p.locator("#session-hands li").allTextContents();
    assert.match(hands[0], new RegExp(members[0].handle));
    assert.match(hands[1], new RegExp(members[1].handle));
  }

  // The session chat: Ash writes words of danger; the crisis lines open
  // right above Ash's composer, and the others read the message.
  const ash = members[0].page;
  await ash.getByRole("textbox", { name: "Message" }).fill("I don't want to be alive anymore");
  await ash.getByRole("button", { name: "Send", exact: true }).click();
  await ash.locator("#session-crisis [data-crisis-panel]").waitFor();
  for (const p of [admin, members[1].page]) {
    await p.locator("#session-chat-log li", { hasText: "I don't want to be alive anymore" }).waitFor();
  }
  await checkA11y(ash, "the room with the crisis lines open");

  // The facilitators' own chat: on the facilitator's page only.
  await admin.getByLabel("Message to the facilitators").fill("I'll check in with Ash after.");
  await admin.getByRole("button", { name: "Send to facilitators" }).click();
  await admin.locator("#session-backchannel-log li", { hasText: "check in with Ash" }).waitFor();
  assert.equal(await ash.locator("#session-backchannel").isVisible(), false);

  // The facilitator mutes Ash: the server stops forwarding Ash's audio,
  // and Ash cannot turn the microphone back on.
  const ashRow = admin.locator(`#session-people li[data-participant="${ashNo}"]`);
  await ashRow.getByRole("button", { name: "Mute" }).click();
  await members[0].page.getByText("muted by a facilitator").waitFor();
  await members[0].page.getByRole("button", { name: "Turn my microphone on" }).waitFor();
  assert.ok(await members[0].page.getByRole("button", { name: "Turn my microphone on" }).isDisabled());
  await members[1].page.waitForTimeout(1000);
  assert.equal(await growing(members[1].page, `${ashNo}/audio`), 0, "Birch hears nothing more from Ash");
  assert.equal(await growing(admin, `${ashNo}/audio`), 0, "the facilitator hears nothing more from Ash");
  assert.ok((await growing(members[1].page, `${ashNo}/video`)) > 0, "Ash's video still reaches Birch");

  // The facilitator logs an incident about Birch: moderators are alerted.
  await admin.getByLabel("About").selectOption(String(birchNo));
  await admin.getByLabel("What happened (optional)").fill("Said goodbye and went quiet.");
  await admin.getByLabel("They may be in danger now").check();
  await admin.getByRole("button", { name: "Alert the moderators" }).click();
  await admin.getByText("The moderators are alerted.").waitFor();

  // The facilitator removes Birch, who cannot come back.
  const birchRow = admin.locator(`#session-people li[data-participant="${birchNo}"]`);
  await birchRow.getByRole("button", { name: "Remove from session" }).click();
  await members[1].page.getByText("A facilitator removed you from this session.").waitFor();
  await members[1].page.reload();
  await members[1].page.getByRole("button", { name: "Join the session" }).click();
  await members[1].page.getByRole("alert").getByText("A facilitator removed you from this session.").waitFor();
  await admin.locator("#session-people li").nth(1).waitFor();
  assert.equal(await admin.locator("#session-people li").count(), 2);

  // The end, for everyone.
  admin.once("dialog", (d) => d.accept());
  await admin.getByRole("button", { name: "End the session for everyone" }).click();
  await members[0].page.getByText("The facilitator ended the session.").waitFor();
  for (const p of everyone) await p.context().close();
});
