// Issue 20's scheduling in a real browser: a facilitator schedules a weekly
// session with the keyboard-reachable form, a member in another time zone
// sees it on their own clock, takes a place and downloads its calendar
// file; the pages are axe-clean at phone and desktop widths, with
// JavaScript on and off.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkA11y, joinedMember, login, launch, newPage, startGroup, startServer } from "./harness.js";

const PASSWORD = "harbour willow lantern kite";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  await startGroup(browser, server, "sessions_admin", ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a facilitator schedules a weekly session; a member elsewhere takes a place and adds it to their calendar", async () => {
  const admin = await newPage(browser, server);
  await login(admin, server, "sessions_admin", ADMIN_PASSWORD);
  await admin.goto(server.base + "/groups/night-owls/sessions");
  await checkA11y(admin, "an empty schedule");
  await admin.getByRole("link", { name: "Schedule a session" }).click();
  await checkA11y(admin, "the schedule form");
  // A first date in the past is fine for a series: the dates to come count.
  await admin.getByLabel("Title").fill("Night Owls circle");
  await admin.getByLabel("What it is about (optional)").fill("An hour together before bed.");
  await admin.getByLabel("First date and start time").fill("2026-10-20T21:00");
  await admin.getByLabel("Time zone").selectOption("America/New_York");
  await admin.getByLabel("Length in minutes").fill("60");
  await admin.getByLabel("Every week").check();
  await admin.getByLabel("Places").fill("8");
  await admin.getByLabel("Audio only").check();
  await admin.getByRole("button", { name: "Schedule a session" }).click();
  await admin.getByText("The session is scheduled.").waitFor();
  await admin.getByRole("heading", { name: "Night Owls circle" }).waitFor();
  await admin.context().close();

  const { page, handle } = await joinedMember(browser, server, "owl", PASSWORD);
  // The member reads times in Los Angeles: 21:00 in New York is 18:00 there.
  await page.goto(server.base + "/account");
  await page.getByLabel("Your time zone").selectOption("America/Los_Angeles");
  await page.getByRole("button", { name: "Save preferences" }).click();
  await page.getByText("Your preferences are saved.").waitFor();
  await page.context().close();

  for (const width of [375, 1280]) {
    for (const js of [true, false]) {
      const label = `sessions at ${width}px, JavaScript ${js ? "on" : "off"}`;
      const p = await newPage(browser, server, { viewport: { width, height: 800 }, javaScriptEnabled: js, acceptDownloads: true });
      await login(p, server, handle, PASSWORD);
      await p.goto(server.base + "/groups/night-owls");
      await p.getByRole("link", { name: "Live sessions" }).click();
      await p.getByText("Times are in your time zone, America/Los_Angeles.").waitFor();
      const first = p.locator("li.session").first();
      await first.locator("time", { hasText: "18:00–19:00" }).waitFor();
      await checkA11y(p, label);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${label}: the page is ${overflow}px wider than the screen`);
      if (width === 375 && js) {
        await first.getByRole("button", { name: /I'll come/ }).click();
        await p.getByText("You have a place.").waitFor();
        await p.locator("li.session").first().getByText("You are coming.").waitFor();
        await p.locator("li.session").first().getByText("1 of 8 places taken").waitFor();
        await checkA11y(p, `${label}, with a place`);
        const [download] = await Promise.all([
          p.waitForEvent("download"),
          p.getByRole("link", { name: "Add to my calendar (.ics)" }).click(),
        ]);
        const path = await download.path();
        const { readFile } = await import("node:fs/promises");
        const ics = await readFile(path, "utf8");
        assert.match(ics, /BEGIN:VCALENDAR\r\n/);
        assert.match(ics, /DTSTART;TZID=America\/New_York:20261020T210000\r\n/);
        assert.match(ics, /RRULE:FREQ=WEEKLY\r\n/);
        assert.match(ics, /SUMMARY:Night Owls circle\r\n/);
      } else if (width === 1280 && !js) {
        // Without JavaScript, the same buttons work as plain forms.
        await p.locator("li.session").first().getByText("You are coming.").waitFor();
        await p.locator("li.session").first().getByRole("button", { name: /I can't come after all/ }).click();
        await p.getByText("You gave up your place.").waitFor();
        await p.locator("li.session").first().getByText("0 of 8 places taken").waitFor();
      }
      await p.context().close();
    }
  }
});
