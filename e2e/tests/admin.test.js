// Issue 18's admin hub in a real browser: an admin reaches it from the
// header, finds a member on the People page and makes them a moderator,
// with the keyboard alone, at phone and desktop widths, with JavaScript on
// and off; axe-core checks each page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertOnlyOwnRequests, checkA11y, launch, login, newPage, register, startServer, openMenu } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.makeAdmin("hub_admin", ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const width of [375, 1280]) {
  for (const js of [true, false]) {
    test(`an admin makes a moderator from the hub at ${width}px, JavaScript ${js ? "on" : "off"}`, async () => {
      const member = await register(browser, server, "helper", PASSWORD);
      // Before: no way into the moderators' pages.
      const before = await member.page.goto(server.base + "/moderation/alerts");
      assert.equal(before.status(), 403);

      const page = await newPage(browser, server, { viewport: { width, height: 800 }, javaScriptEnabled: js });
      await login(page, server, "hub_admin", ADMIN_PASSWORD);
      await openMenu(page);
      await page.getByRole("link", { name: "Admin", exact: true }).click();
      await page.getByRole("heading", { name: "Administration" }).waitFor();
      await checkA11y(page, `admin hub at ${width}px`);
      await page.getByRole("link", { name: "People and roles" }).click();
      await checkA11y(page, `people at ${width}px`);

      // Search and act with the keyboard only.
      await page.getByLabel("Handle starts with").focus();
      await page.keyboard.type(member.handle);
      await page.keyboard.press("Enter");
      await page.getByRole("rowheader", { name: member.handle }).waitFor();
      await page.getByRole("button", { name: `Make moderator (${member.handle})` }).focus();
      await page.keyboard.press("Enter");
      await page.getByText("The role is changed.").waitFor();
      await page.getByRole("button", { name: `Remove as moderator (${member.handle})` }).waitFor();
      await checkA11y(page, `people after the change at ${width}px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the people page is ${overflow}px wider than the screen`);
      assertOnlyOwnRequests(page, server);

      // From their next page on, they moderate.
      const after = await member.page.goto(server.base + "/moderation/alerts");
      assert.equal(after.status(), 200);
      await page.context().close();
      await member.page.context().close();
    });
  }
}
