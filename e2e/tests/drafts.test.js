// Issue 18: drafts are never lost. A reply sent after the session ended
// comes back in its form once the writer logs in again (with JavaScript on
// and off, at phone and desktop widths, axe-clean); with JavaScript, an
// unsent reply is kept on the device across a reload and says so.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertOnlyOwnRequests, checkA11y, joinedMember, launch, login, newPage, openMenu, startGroup, startServer } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;
let threadUrl;

before(async () => {
  server = await startServer();
  browser = await launch();
  await startGroup(browser, server, "drafts_admin", ADMIN_PASSWORD);
  const admin = await newPage(browser, server);
  await login(admin, server, "drafts_admin", ADMIN_PASSWORD);
  await admin.goto(server.base + "/groups/night-owls/threads/new");
  await admin.getByLabel("Title").fill("Tonight");
  await admin.getByLabel("What would you like to say?").fill("How is everyone doing tonight?");
  await admin.getByRole("button", { name: "Post thread" }).click();
  await admin.getByText("Your thread is posted.").waitFor();
  threadUrl = admin.url().split("?")[0];
  await admin.context().close();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function joined(prefix) {
  const { page, handle } = await joinedMember(browser, server, prefix, PASSWORD);
  await page.context().close();
  return handle;
}

for (const width of [375, 1280]) {
  for (const js of [true, false]) {
    test(`a reply sent after the session ended returns to its form at ${width}px, JavaScript ${js ? "on" : "off"}`, async () => {
      const handle = await joined("writer");
      const page = await newPage(browser, server, { viewport: { width, height: 800 }, javaScriptEnabled: js });
      await login(page, server, handle, PASSWORD);
      await page.goto(threadUrl);
      const words = `Still awake here too (${width}px, script ${js ? "on" : "off"}). Thank you for asking.`;
      await page.getByLabel("Your reply").fill(words);

      // Meanwhile the session ends (logged out everywhere else, from another device).
      const other = await newPage(browser, server);
      await login(other, server, handle, PASSWORD);
      await other.goto(server.base + "/account");
      await other.getByRole("button", { name: "Log out everywhere else" }).click();
      await other.context().close();

      await page.getByRole("button", { name: "Post reply" }).click();
      await page.getByText("Your session ended before that could be sent").waitFor();
      await checkA11y(page, `log-in page keeping a draft at ${width}px`);
      await page.getByLabel("Handle").fill(handle);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in", exact: true }).click();
      await page.getByText("Your words are in the form again").waitFor();
      assert.equal(await page.getByLabel("Your reply").inputValue(), words);
      await checkA11y(page, `thread with the kept draft at ${width}px`);
      await page.getByRole("button", { name: "Post reply" }).click();
      await page.locator(".post-body", { hasText: words }).waitFor();
      assertOnlyOwnRequests(page, server);
      await page.context().close();
    });
  }
}

test("with JavaScript, an unsent reply is kept on this device across a reload", async () => {
  const handle = await joined("keeper");
  const page = await newPage(browser, server);
  await login(page, server, handle, PASSWORD);
  await page.goto(threadUrl);
  await page.getByLabel("Your reply").fill("Half a thought I will finish later");
  await page.getByText("Your draft is kept on this device until you send it.").waitFor();
  await page.reload();
  assert.equal(await page.getByLabel("Your reply").inputValue(), "Half a thought I will finish later");
  await page.getByText("Your unsent draft from this device is back.").waitFor();
  await checkA11y(page, "thread with a draft from this device");
  await page.getByLabel("Your reply").fill("Half a thought, finished now.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await page.locator(".post-body", { hasText: "Half a thought, finished now." }).waitFor();
  await page.goto(threadUrl);
  assert.equal(await page.getByLabel("Your reply").inputValue(), "", "sent: the draft is gone");
  // Logging out forgets drafts kept on the device.
  await page.getByLabel("Your reply").fill("Private words");
  await page.getByText("Your draft is kept on this device until you send it.").waitFor();
  await openMenu(page);
  await page.getByRole("button", { name: "Log out" }).click();
  const left = await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith("hearth-draft:")));
  assert.deepEqual(left, []);
  await page.context().close();
});
