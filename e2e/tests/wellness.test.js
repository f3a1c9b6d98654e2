// Issue 21's check-ins and questionnaires in a real browser: a member
// completes a PHQ-9 with item 9 above zero and sees the crisis response
// and their safety plan at once; checks in and reads the chart and its
// table (check-ins spread over several days are tested in the Rust suite,
// it/wellness.rs, which can date them back); downloads their data and
// deletes their account with its posts; every page axe-clean, and the
// chart page at 320 px without JavaScript.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { assertOnlyOwnRequests, checkA11y, login, launch, newPage, register, startServer } from "./harness.js";

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

test("a PHQ-9 with item 9 above zero brings crisis lines and the safety plan; check-ins draw a trend", async () => {
  const { page, handle } = await register(browser, server, "wellness", PASSWORD);

  // A safety plan first, so that the result can show it.
  await page.goto(server.base + "/safety-plan/edit");
  await page.getByLabel("Step 2: Things I can do on my own").fill("Cold water on my face\nA walk round the block");
  await page.getByRole("button", { name: "Save your plan" }).click();
  await page.getByText("Your safety plan is saved.").waitFor();

  await page.goto(server.base + "/assessments");
  await checkA11y(page, "the questionnaires");
  await page.getByRole("link", { name: "Take the PHQ-9" }).click();
  await page.getByRole("heading", { name: "Patient Health Questionnaire (PHQ-9)" }).waitFor();
  await checkA11y(page, "the PHQ-9");
  // Several days for each item, and item 9 too.
  for (let i = 1; i <= 9; i++) {
    await page.getByRole("group", { name: new RegExp(`^${i}\\. `) }).getByLabel("Several days").check();
  }
  await page.getByRole("button", { name: "See my score" }).click();
  await page.getByText("9 / 27").waitFor();
  await page.locator("#crisis-panel").waitFor();
  await page.getByText("Cold water on my face").waitFor();
  await page.getByRole("button", { name: "Ask someone to reach out to me" }).waitFor();
  await checkA11y(page, "a PHQ-9 result with crisis lines and the plan");

  // Check-ins: one through the page; the chart and the table show it.
  await page.goto(server.base + "/check-ins");
  await checkA11y(page, "check-ins");
  await page.getByLabel("4: Good").check();
  await page.getByLabel("Time outside").check();
  await page.getByRole("button", { name: "Check in" }).click();
  await page.getByText("Checked in.").waitFor();
  await page.locator("svg.chart circle.point").first().waitFor();
  await page.getByRole("cell", { name: "4 (Good)" }).waitFor();
  await checkA11y(page, "check-ins with a trend");
  assertOnlyOwnRequests(page, server);

  const phone = await newPage(browser, server, { viewport: { width: 320, height: 700 }, javaScriptEnabled: false });
  await login(phone, server, handle, PASSWORD);
  await phone.goto(server.base + "/check-ins?range=3m");
  await phone.getByRole("cell", { name: "4 (Good)" }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the check-ins page is ${overflow}px wider than a 320px screen`);
  await checkA11y(phone, "check-ins at 320px without JavaScript");

  // Their data, downloaded; then the account, deleted with its posts.
  await page.goto(server.base + "/account");
  await page.getByRole("link", { name: "Download my data" }).click();
  await checkA11y(page, "download your data");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "As data (JSON), for other programs" }).click(),
  ]);
  const data = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(data.account.handle, handle);
  assert.equal(data.assessments[0].score, 9);
  assert.equal(data.check_ins[0].mood, 4);
  assert.match(data.safety_plan.plan.coping, /Cold water on my face/);
  await page.goto(server.base + "/account");
  await page.getByLabel("Delete them too").check();
  await page.locator("#delete_password").fill(PASSWORD);
  await page.getByLabel("I understand that my account will be deleted for good").check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.getByText("Your account has been deleted.").waitFor();
});
