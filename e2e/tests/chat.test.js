// Issue 4's browser check: two members chat live in a room; one loses its
// connection mid-conversation and, once back, shows every message once and
// in order; a message typed while offline shows "Not sent" with Retry and is
// never lost. Keyboard only for sending; axe-core on the live pages.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertOnlyOwnRequests, checkA11y, launch, newPage, startServer, uniqueHandle } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.makeAdmin("chat_admin", ADMIN_PASSWORD);
  const admin = await newPage(browser, server);
  await admin.goto(server.base + "/login");
  await admin.getByLabel("Handle").fill("chat_admin");
  await admin.getByLabel("Password").fill(ADMIN_PASSWORD);
  await admin.getByRole("button", { name: "Log in", exact: true }).click();
  await admin.getByText("You are logged in.").waitFor();
  await admin.goto(server.base + "/groups/new");
  await admin.getByLabel("Name").fill("Night Owls");
  await admin.getByLabel("What the group is for").fill("For those of us awake at 3 a.m. with a racing mind.");
  await admin.getByLabel("Anxiety").check();
  await admin.getByRole("button", { name: "Create group" }).click();
  await admin.getByText("Your group is live.").waitFor();
  await admin.context().close();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function member(prefix) {
  const page = await newPage(browser, server);
  const handle = uniqueHandle(prefix);
  await page.goto(server.base + "/register");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByLabel("18 or older").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Hearth").waitFor();
  await page.goto(server.base + "/groups/night-owls");
  await page.getByRole("button", { name: "Join this group" }).click();
  await page.getByText("Welcome to the group.").waitFor();
  await page.goto(server.base + "/groups/night-owls/chat");
  await page.getByText("Connected: new messages appear here").waitFor();
  page.handle = handle;
  return page;
}

/// Types into the composer and sends with Enter, as a keyboard user would.
async function say(page, text) {
  await page.getByLabel("Your message").focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  // Focus stays in the composer, which is empty again.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "body");
  assert.equal(await page.getByLabel("Your message").inputValue(), "");
}

/// The bodies shown in the room, top to bottom.
async function shown(page) {
  return page.locator("#chat-log li p.body").allTextContents();
}

/// Waits until the room shows exactly `want`, in order.
async function expectLog(page, want) {
  const deadline = Date.now() + 15000;
  let got;
  while (Date.now() < deadline) {
    got = await shown(page);
    if (JSON.stringify(got) === JSON.stringify(want) && (await page.locator("#chat-log li.pending").count()) === 0) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(got, want, `${page.handle}'s room`);
}

test("two members chat live; a dropped connection resumes with every message once, in order", async () => {
  const a = await member("owl");
  const b = await member("lark");

  await say(a, "Anyone else up?");
  await expectLog(b, ["Anyone else up?"]);
  await say(b, "Me. Can't switch my head off.");
  await expectLog(a, ["Anyone else up?", "Me. Can't switch my head off."]);
  // Presence and typing.
  await b.getByText(`Here now: ${a.handle}`).waitFor();
  await a.getByLabel("Your message").focus();
  await a.keyboard.type("Same");
  await b.getByText(`${a.handle} is typing…`).waitFor();
  await a.getByLabel("Your message").fill("");
  await checkA11y(a, "live chat room");
  await checkA11y(b, "live chat room, other member");

  // B's network fails mid-conversation; A keeps talking.
  await b.context().setOffline(true);
  await b.evaluate(() => window.hearthChat.drop());
  await b.getByText("Offline — reconnecting.").waitFor();
  await say(a, "What helps you, usually?");
  await say(a, "For me it's writing things down.");
  // B writes while offline: kept, shown as sending, sent once back.
  await say(b, "Breathing, counting to four.");
  await b.getByText("Sending…").waitFor();
  await b.waitForTimeout(500);
  await b.context().setOffline(false);
  const all = [
    "Anyone else up?",
    "Me. Can't switch my head off.",
    "What helps you, usually?",
    "For me it's writing things down.",
    "Breathing, counting to four.",
  ];
  await expectLog(b, all);
  await expectLog(a, all);

  // A message never acknowledged says so, with Retry; nothing is lost.
  await b.context().setOffline(true);
  await b.evaluate(() => window.hearthChat.drop());
  await say(b, "Are you still there?");
  await b.getByText("Not sent.").waitFor({ timeout: 15000 });
  const retry = b.getByRole("button", { name: "Retry" });
  await retry.waitFor();
  await checkA11y(b, "chat room with a message not sent");
  // Retry works from the keyboard (still offline: it says Sending… again);
  // back online, the page reconnects at once, without waiting out its
  // backoff, and the message goes.
  await retry.focus();
  await b.keyboard.press("Enter");
  await b.getByText("Sending…").waitFor();
  await b.context().setOffline(false);
  await expectLog(a, [...all, "Are you still there?"]);
  await expectLog(b, [...all, "Are you still there?"]);
  // Reloading shows the same room, from the server.
  await b.reload();
  await expectLog(b, [...all, "Are you still there?"]);
  assertOnlyOwnRequests(a, server);
  assertOnlyOwnRequests(b, server);
  await a.context().close();
  await b.context().close();
});
