// Issue 18: chat that feels like chat. A room of 60 messages opens at the
// newest one with the composer in view (375 and 1280 px); earlier messages
// load above without losing the reader's place; times are relative and
// local with the full date on hover; each message's actions sit in one
// menu; the status says "Offline" when the network goes; without
// JavaScript the page says how it works. axe-core on each.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertOnlyOwnRequests, checkA11y, joinedMember, launch, login, newPage, startGroup, startServer } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
const COUNT = 60;
let server;
let browser;
let reader;

before(async () => {
  server = await startServer([], {}, "chat_burst = 1000\nchat_per_second = 1000.0\nwrites_per_account_per_minute = 100000\n");
  browser = await launch();
  await startGroup(browser, server, "room_admin", ADMIN_PASSWORD);
  const { page } = await joinedMember(browser, server, "writer", PASSWORD);
  const joined = await joinedMember(browser, server, "reader", PASSWORD);
  reader = joined.handle;
  await joined.page.context().close();
  // The writer fills the room over the live connection.
  await page.goto(server.base + "/groups/night-owls/chat");
  await page.getByText("Connected: new messages appear here").waitFor();
  const room = Number(await page.locator("#chat").getAttribute("data-room"));
  const acked = await page.evaluate(async ({ room, count }) => {
    const ws = new WebSocket(`ws://${location.host}/live`);
    await new Promise((ok) => ws.addEventListener("open", ok));
    let acks = 0;
    const done = new Promise((ok) => ws.addEventListener("message", (e) => {
      if (JSON.parse(e.data).type === "ack" && ++acks === count) ok();
    }));
    ws.send(JSON.stringify({ type: "subscribe", room, since: 1e9 }));
    for (let i = 1; i <= count; i++) {
      ws.send(JSON.stringify({ type: "send", room, client_id: `seed-${i}`, body: `Message number ${i} of the night` }));
    }
    await done;
    ws.close();
    return acks;
  }, { room, count: COUNT });
  assert.equal(acked, COUNT);
  await page.context().close();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// Whether `locator` lies wholly inside the viewport.
async function inView(page, locator) {
  const box = await locator.boundingBox();
  const vh = page.viewportSize().height;
  return box !== null && box.y >= 0 && box.y + box.height <= vh + 1;
}

for (const width of [375, 1280]) {
  test(`the room opens at the newest message with the composer in view at ${width}px`, async () => {
    const page = await newPage(browser, server, { viewport: { width, height: 740 } });
    await login(page, server, reader, PASSWORD);
    await page.goto(server.base + "/groups/night-owls/chat");
    await page.getByText("Connected: new messages appear here").waitFor();
    const newest = page.locator("#chat-log li", { hasText: `Message number ${COUNT} of the night` });
    await newest.waitFor();
    await page.waitForTimeout(300);
    assert.ok(await inView(page, newest.locator("p.body")), "the newest message is on screen");
    assert.ok(await inView(page, page.getByLabel("Your message")), "the composer is on screen");
    await page.getByText("Press Enter to send, Shift+Enter for a new line.").waitFor();

    // Times are relative, with the full date on hover.
    const time = newest.locator("time");
    assert.match(await time.textContent(), /now|second|minute/);
    assert.match(await time.getAttribute("title"), /20\d\d/);
    // Each message's actions are in one menu.
    await newest.getByText("Actions").click();
    await newest.getByRole("link", { name: /Report/ }).waitFor();
    await checkA11y(page, `chat room at ${width}px`);
    if (width === 375 && process.env.HEARTH_SCREENSHOTS) {
      await newest.getByText("Actions").click();
      await page.screenshot({ path: join(process.env.HEARTH_SCREENSHOTS, "chat-room-375.png") });
    }

    // Earlier messages load above, and the reader keeps their place: the
    // message they were reading at the top stays where it was.
    const link = page.getByRole("link", { name: "Earlier messages" });
    await link.scrollIntoViewIfNeeded();
    const anchor = page.locator("#chat-log li", { hasText: `Message number ${COUNT - 49} of the night` }).first();
    const before = (await anchor.boundingBox()).y;
    await link.click();
    await page.locator("#chat-log li", { hasText: "Message number 1 of the night" }).first().waitFor({ state: "attached" });
    const after = (await anchor.boundingBox()).y;
    assert.ok(Math.abs(after - before) < 4, `the reader's place moved by ${after - before}px`);
    assert.ok(page.url().endsWith("/groups/night-owls/chat"), "no page load");

    // With the network gone, the status says so.
    await page.context().setOffline(true);
    await page.getByText("Offline — reconnecting.").waitFor();
    await page.context().setOffline(false);
    await page.getByText("Connected: new messages appear here").waitFor();
    assertOnlyOwnRequests(page, server);
    await page.context().close();
  });
}

test("without JavaScript the room says how it works", async () => {
  const page = await newPage(browser, server, { viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  await login(page, server, reader, PASSWORD);
  await page.goto(server.base + "/groups/night-owls/chat");
  await page.getByText("Write your message and choose Send.").waitFor();
  assert.equal(await page.getByText("Press Enter to send").count(), 0);
  await page.getByLabel("Your message").fill("Hello from a plain page");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator("#chat-log li", { hasText: "Hello from a plain page" }).waitFor();
  await checkA11y(page, "chat room without JavaScript");
  await page.context().close();
});
