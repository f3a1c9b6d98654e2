// Issue 21's self-care in a real browser: the breathing pacer moves, and
// stands still when reduced motion is asked; the grounding guide goes step
// by step with the keyboard, without JavaScript; a break reminder the
// member set appears after their minutes of continuous use, while they
// keep using the page (the page's
// clock run forward) and goes when dismissed. Every page axe-clean.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkA11y, launch, login, newPage, register, startServer } from "./harness.js";

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

test("breathing, grounding and a break reminder", async () => {
  const { page, handle } = await register(browser, server, "selfcare", PASSWORD);
  await page.goto(server.base + "/self-care");
  await checkA11y(page, "self-care");
  await page.getByRole("link", { name: "Breathing pacer" }).click();
  const moving = await page.locator(".pacer-circle").evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(moving, "pacer-breathe");
  await checkA11y(page, "the breathing pacer");

  const still = await newPage(browser, server, { reducedMotion: "reduce", javaScriptEnabled: false });
  await login(still, server, handle, PASSWORD);
  await still.goto(server.base + "/self-care/breathing");
  const name = await still.locator(".pacer-circle").evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(name, "none", "no motion when reduced motion is asked");
  // Grounding with the keyboard alone, no script.
  await still.goto(server.base + "/self-care/grounding");
  for (const sense of ["see", "touch", "hear", "smell", "taste"]) {
    await still.getByRole("heading", { name: new RegExp(`you can ${sense}`) }).waitFor();
    await still.getByRole("link", { name: "Next" }).focus();
    await still.keyboard.press("Enter");
  }
  await still.getByRole("heading", { name: "Well done" }).waitFor();
  await checkA11y(still, "grounding, done, without JavaScript");

  // A break reminder after 20 minutes of use, on the page's clock.
  await page.goto(server.base + "/self-care");
  await page.getByLabel("Suggest a break after").selectOption("20");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Your break reminder is saved.").waitFor();
  await page.clock.install();
  await page.goto(server.base + "/journal");
  const reminder = page.getByText("You've been here a while.");
  assert.equal(await reminder.isVisible(), false);
  // Twenty-one minutes of reading and typing, a key every three minutes.
  for (let i = 0; i < 7; i++) {
    await page.clock.runFor("03:00");
    await page.keyboard.press("Shift");
  }
  await page.clock.runFor("00:31");
  await reminder.waitFor();
  await checkA11y(page, "the break reminder");
  await page.getByRole("button", { name: "Not now" }).click();
  await reminder.waitFor({ state: "hidden" });
});
