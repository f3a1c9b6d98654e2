// Issue 21's journal in a real browser, with the keyboard alone: a member
// writes an entry to a prompt, finds it by searching, rewrites it; words
// of risk bring crisis lines to the writer at once, and their safety plan
// one click from them; every page axe-clean, at phone width without
// JavaScript too.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertOnlyOwnRequests, checkA11y, launch, login, newPage, register, startServer } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// Presses Tab until the focused element's accessible text matches `name`.
async function tabTo(page, name) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const text = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return "";
      const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
      return (el.getAttribute("aria-label") || label || el.textContent || "").trim();
    });
    if (text.includes(name)) return;
  }
  throw new Error(`no focusable element named ${name}`);
}

test("a member keeps a journal with the keyboard alone, and words of risk bring crisis lines", async () => {
  const { page, handle } = await register(browser, server, "journal", PASSWORD);
  await page.goto(server.base + "/");
  await tabTo(page, "Your journal (private)");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Your journal", level: 1 }).waitFor();
  await page.getByText("Only you can read your journal").first().waitFor();
  await checkA11y(page, "the empty journal");

  // A prompt, then the entry, typed.
  await tabTo(page, "What do you need right now?");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "A new journal entry" }).waitFor();
  await checkA11y(page, "a new entry");
  await tabTo(page, "Title (optional)");
  await page.keyboard.type("Thursday");
  await tabTo(page, "Your entry");
  await page.keyboard.type("Rest, and a walk by the canal.");
  await tabTo(page, "How are you feeling?");
  await page.keyboard.press("End");
  await tabTo(page, "Save entry");
  await page.keyboard.press("Enter");
  await page.getByText("Your entry is saved.").waitFor();
  await page.getByRole("heading", { name: "Thursday" }).waitFor();
  await page.getByText("What do you need right now?").waitFor();
  await checkA11y(page, "an entry");

  // Found by a word in it.
  await page.goto(server.base + "/journal");
  await tabTo(page, "Words to look for");
  await page.keyboard.type("CANAL");
  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: "Thursday" }).waitFor();
  await checkA11y(page, "a search");

  // Words of risk: the lines are there at once, and nobody was told.
  await page.goto(server.base + "/journal/new");
  await page.getByLabel("Your entry").fill("I want to end my life. I can't keep going.");
  await page.getByRole("button", { name: "Save entry" }).click();
  await page.locator("#crisis-panel").waitFor();
  await page.getByText("only you can read it. Nobody has been told").waitFor();
  await checkA11y(page, "an entry with crisis lines");
  assertOnlyOwnRequests(page, server);

  // The safety plan is one click from the crisis lines.
  await page.locator("#crisis-panel").getByRole("link", { name: "Your safety plan" }).click();
  await page.getByRole("heading", { name: "Your safety plan", level: 1 }).waitFor();
  await checkA11y(page, "an empty safety plan");
  await page.getByRole("link", { name: "Write your plan" }).click();
  await page.getByLabel("Step 1: Warning signs").fill("Not sleeping\nSkipping meals");
  await page.getByLabel("Step 4: People I can ask for help").fill("Sam, 555 0100");
  await checkA11y(page, "writing a safety plan");
  await page.getByRole("button", { name: "Save your plan" }).click();
  await page.getByText("Your safety plan is saved.").waitFor();
  await page.getByRole("listitem").filter({ hasText: "Skipping meals" }).first().waitFor();
  await checkA11y(page, "a safety plan");

  // At phone width, without JavaScript, the journal reads and writes.
  const phone = await newPage(browser, server, { viewport: { width: 320, height: 700 }, javaScriptEnabled: false });
  await login(phone, server, handle, PASSWORD);
  await phone.goto(server.base + "/journal");
  await phone.getByRole("link", { name: "Thursday" }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the journal is ${overflow}px wider than a 320px screen`);
  await checkA11y(phone, "the journal at 320px without JavaScript");
  await phone.goto(server.base + "/journal/new");
  await phone.getByLabel("Your entry").fill("A line from the phone.");
  await phone.getByRole("button", { name: "Save entry" }).click();
  await phone.getByText("Your entry is saved.").waitFor();
});
