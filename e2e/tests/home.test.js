// Issue 18's member home in a real browser: a member's groups with what is
// new in each, at phone and desktop widths, with JavaScript on and off,
// axe-clean; reading a thread and opening the room clear what was new.
// With HEARTH_SCREENSHOTS=dir, the phone-width home is saved there.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertOnlyOwnRequests, checkA11y, joinedMember, launch, login, newPage, startGroup, startServer } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  await startGroup(browser, server, "home_admin", ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// A new member who joined Night Owls: their handle.
test("the member home shows each group's new threads and messages until they are read", async () => {
  const reader = await joinedMember(browser, server, "reader", PASSWORD);
  await reader.page.context().close();
  const writer = await joinedMember(browser, server, "writer", PASSWORD);

  // The writer opens a thread and says two things in chat.
  const w = writer.page;
  await w.goto(server.base + "/groups/night-owls/threads/new");
  await w.getByLabel("Title").fill("What helps at 3 a.m.?");
  await w.getByLabel("What would you like to say?").fill("Mine is a warm drink and the window open.");
  await w.getByRole("button", { name: "Post thread" }).click();
  await w.getByText("Your thread is posted.").waitFor();
  await w.goto(server.base + "/groups/night-owls/chat");
  await w.getByText("Connected: new messages appear here").waitFor();
  for (const line of ["Anyone awake?", "Same here, can't sleep."]) {
    await w.getByLabel("Your message").fill(line);
    await w.keyboard.press("Enter");
    await w.locator("#chat-log li.pending").waitFor({ state: "detached" }).catch(() => {});
  }
  await w.locator("#chat-log li p.body", { hasText: "Same here" }).waitFor();
  assertOnlyOwnRequests(w, server);

  for (const width of [375, 1280]) {
    for (const js of [true, false]) {
      const page = await newPage(browser, server, { viewport: { width, height: 800 }, javaScriptEnabled: js });
      await login(page, server, reader.handle, PASSWORD);
      await page.goto(server.base + "/");
      const label = `member home at ${width}px, JavaScript ${js ? "on" : "off"}`;
      await page.getByRole("heading", { name: `Welcome back, ${reader.handle}.` }).waitFor();
      await page.getByRole("link", { name: "Night Owls" }).waitFor();
      await page.getByText("1 thread with new posts").waitFor();
      await page.getByText("2 new chat messages").waitFor();
      // Help is one click away, and nothing is wider than the screen.
      await page.getByRole("link", { name: "Get help now" }).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${label}: the page is ${overflow}px wider than the screen`);
      // On a phone with JavaScript the header is one line, its links behind
      // a menu; without JavaScript they are a plain list.
      if (width === 375 && js) {
        const bar = await page.evaluate(() =>
          ["[data-menu-button]", ".get-help-bar", ".quick-exit"].map((s) => {
            const r = document.querySelector(s).getBoundingClientRect();
            return r.width > 0 ? Math.round(r.top + r.height / 2) : null;
          }),
        );
        assert.ok(bar.every((y) => y !== null && Math.abs(y - bar[0]) < 8), `one line: ${bar}`);
        assert.equal(await page.locator("#site-nav").isVisible(), false, "the links wait behind the menu");
        await page.getByRole("button", { name: "Menu" }).click();
        await page.locator("#site-nav").getByRole("link", { name: "Groups", exact: true }).waitFor({ state: "visible" });
        await checkA11y(page, `${label}, menu open`);
        await page.getByRole("button", { name: "Menu" }).click();
      } else {
        await page.locator("#site-nav").getByRole("link", { name: "Groups", exact: true }).waitFor({ state: "visible" });
      }
      await checkA11y(page, label);
      if (width === 375 && js && process.env.HEARTH_SCREENSHOTS) {
        await page.screenshot({ path: join(process.env.HEARTH_SCREENSHOTS, "member-home-375.png"), fullPage: true });
      }
      assertOnlyOwnRequests(page, server);
      await page.context().close();
    }
  }

  // Reading the thread and opening the room clear what was new.
  const page = await newPage(browser, server);
  await login(page, server, reader.handle, PASSWORD);
  await page.goto(server.base + "/");
  await page.getByText("1 thread with new posts").click();
  await page.getByRole("link", { name: "What helps at 3 a.m.?" }).click();
  await page.getByText("Mine is a warm drink").waitFor();
  await page.goto(server.base + "/");
  await page.getByText("2 new chat messages").click();
  await page.getByText("Same here, can't sleep.").waitFor();
  await page.goto(server.base + "/");
  await page.getByText("Nothing new since you last looked.").waitFor();
  await checkA11y(page, "member home, all read");
  await page.context().close();
  await w.context().close();
});
