// Issue 3's journey in a real browser: a new member is recommended groups,
// joins an open one and asks to join a closed one, posts a thread with a
// content warning, is notified of a reply, reacts; a facilitator approves
// the request, pins and locks. With JavaScript and without; axe-core checks
// every page on the way.
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
  server.makeAdmin("forum_admin", ADMIN_PASSWORD);
  const admin = await newPage(browser, server);
  await logIn(admin, "forum_admin", ADMIN_PASSWORD);
  for (const [name, closed] of [
    ["Grief Circle", false],
    ["Evening Grief Group", true],
  ]) {
    await admin.goto(server.base + "/groups/new");
    await admin.getByLabel("Name").fill(name);
    await admin.getByLabel("What the group is for").fill("Talking through loss together, gently and at our own pace.");
    await admin.getByLabel("Grief and loss").check();
    await admin.getByLabel("Guidelines (optional)").fill("Be gentle with each other.\nShare from your own experience.");
    if (closed) {
      await admin.getByLabel("Joined by request").check();
      await admin.getByLabel(/Questions for people who ask to join/).fill("What brings you here?");
    }
    await admin.getByRole("button", { name: "Create group" }).click();
    await admin.getByText("Your group is live.").waitFor();
  }
  await admin.context().close();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function logIn(page, handle, password) {
  await page.goto(server.base + "/login");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByText("You are logged in.").waitFor();
}

async function register(page) {
  const handle = uniqueHandle("willow");
  await page.goto(server.base + "/register");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByLabel("18 or older").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Hearth").waitFor();
  return handle;
}

async function journey(js) {
  const page = await newPage(browser, server, { javaScriptEnabled: js });
  const handle = await register(page);
  const title = js ? "First winter without her" : "Second winter without her";

  // Recommended groups, with the reason.
  await page.getByLabel("Grief and loss").check();
  await page.getByRole("button", { name: "Show groups for me" }).click();
  await page.getByRole("heading", { name: "Groups for you" }).waitFor();
  await page.getByText("Why: Grief and loss").first().waitFor();
  await checkA11y(page, "recommendations");

  // Join the open group; ask to join the closed one.
  await page.getByRole("link", { name: "Grief Circle" }).first().click();
  await page.getByRole("button", { name: "Join this group" }).click();
  await page.getByText("Welcome to the group.").waitFor();
  await page.goto(server.base + "/groups/evening-grief-group");
  await page.getByLabel("What brings you here?").fill("My mum died in the spring.");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await page.getByText("The facilitators will look at your request soon.").waitFor();

  // The group's chat room works as a page.
  await page.goto(server.base + "/groups/grief-circle/chat");
  await checkA11y(page, "chat room");
  await page.getByLabel("Your message").fill(`Hello from ${js ? "a script" : "a plain page"}`);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByText(`Hello from ${js ? "a script" : "a plain page"}`).waitFor();
  await checkA11y(page, "chat room with a message");

  // A thread with a content warning, after accepting the guidelines.
  await page.goto(server.base + "/groups/grief-circle");
  await checkA11y(page, "group page with forum");
  await page.getByRole("link", { name: "Start a thread" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("What would you like to say?").fill("The holidays **scare** me.\n\n- the table\n- the quiet");
  await page.getByLabel("Content warning (optional)").fill("bereavement");
  await page.getByRole("button", { name: "Post thread" }).click();
  await page.getByText("Please check the following").waitFor();
  await checkA11y(page, "new thread with an error");
  assert.equal(await page.getByLabel("Title").inputValue(), title, "the form keeps what was typed");
  await page.getByLabel("I have read the guidelines and will follow them").check();
  await page.getByRole("button", { name: "Post thread" }).click();
  await page.getByText("Your thread is posted.").waitFor();
  // The body stays folded until opened, with or without JavaScript.
  const body = page.locator(".post-body strong", { hasText: "scare" });
  assert.equal(await body.isVisible(), false, "folded behind its warning");
  await page.getByText("Content warning: bereavement. Open to read.").click();
  await body.waitFor({ state: "visible" });
  await checkA11y(page, "thread, warning opened");
  const threadUrl = page.url().split("?")[0];

  // The facilitator replies; the member is notified.
  const admin = await newPage(browser, server, { javaScriptEnabled: js });
  await logIn(admin, "forum_admin", ADMIN_PASSWORD);
  await admin.goto(threadUrl);
  await admin.getByLabel("Your reply").fill(`You are not alone in this, @${handle}.`);
  await admin.getByRole("button", { name: "Post reply" }).click();
  await admin.getByText("You are not alone in this").waitFor();

  await page.goto(server.base + "/");
  await page.getByRole("link", { name: "Notifications (1 unread)" }).click();
  await checkA11y(page, "notifications");
  await page.getByRole("link", { name: `forum_admin mentioned you in "${title}"` }).click();
  await page.getByText("You are not alone in this").waitFor();
  await page.getByRole("link", { name: "Notifications", exact: true }).waitFor();

  // The member answers, then reacts with thanks to the reply before theirs.
  await page.getByLabel("Your reply").fill("Thank you, it helps to hear that.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await page.locator(".post-body", { hasText: "it helps to hear that" }).waitFor();
  const reply = page.locator("li.post").nth(1);
  await reply.getByRole("button", { name: /Thank you/ }).click();
  await page
    .locator("li.post")
    .nth(1)
    .locator('button.reaction[aria-pressed="true"]', { hasText: "Thank you 1" })
    .waitFor();
  // Reacting keeps the whole thread in view, at that post: the later
  // reply is still there.
  assert.equal(await page.locator("li.post").count(), 3, "every post is still shown");
  await page.locator(".post-body", { hasText: "it helps to hear that" }).waitFor();
  assert.equal(await page.getByText("Later posts").count(), 0);
  await checkA11y(page, "thread after reacting");

  // The facilitator approves the request, pins and locks the thread.
  await admin.goto(server.base + "/groups/evening-grief-group");
  await admin.getByRole("link", { name: "1 request to join is waiting" }).click();
  await admin.getByText("My mum died in the spring.").waitFor();
  await admin.getByRole("button", { name: /Welcome them/ }).click();
  await admin.getByText("They are now a member.").waitFor();
  await admin.goto(threadUrl);
  await admin.getByRole("button", { name: "Pin", exact: true }).click();
  await admin.getByText("The thread is pinned.").waitFor();
  await admin.getByRole("button", { name: "Lock", exact: true }).click();
  await admin.getByText("The thread is locked.").waitFor();
  await checkA11y(admin, "thread, facilitator");

  await page.goto(threadUrl);
  await page.getByText("This thread is locked: no new replies.").waitFor();
  assert.equal(await page.getByLabel("Your reply").count(), 0, "no reply form on a locked thread");
  await page.goto(server.base + "/notifications");
  await page.getByText("Your request to join Evening Grief Group was approved.").waitFor();
  await page.goto(server.base + "/groups/grief-circle");
  await page.locator(".thread", { hasText: title }).getByText("Pinned").waitFor();

  // Personal filters fold a post for the member who set them.
  await page.goto(server.base + "/account/filters");
  await checkA11y(page, "personal filters");
  await page.getByLabel("Words or phrases").fill("not alone");
  await page.getByRole("button", { name: "Save filters" }).click();
  await page.getByText("Your filters are saved.").waitFor();
  await page.goto(threadUrl);
  await page.getByText("Hidden by your personal filters. Open to read.").waitFor();
  // A filtered title stays out of the list, the heading and the tab until
  // the member chooses to see it.
  await page.goto(server.base + "/account/filters");
  await page.getByLabel("Words or phrases").fill("not alone\nwinter");
  await page.getByRole("button", { name: "Save filters" }).click();
  await page.getByText("Your filters are saved.").waitFor();
  await page.goto(server.base + "/groups/grief-circle");
  assert.equal(await page.getByText(title).count(), 0, "the title is not in the list");
  await page.goto(threadUrl);
  await page.getByRole("heading", { name: "A thread hidden by your filters" }).waitFor();
  assert.ok(!(await page.title()).includes("winter"), "the tab does not name it");
  assert.equal(await page.getByText(title).isVisible(), false);
  await page.getByText("Show its title").click();
  await page.getByText(title).waitFor();
  await checkA11y(page, "thread with a filtered title");

  assertOnlyOwnRequests(page, server);
  assertOnlyOwnRequests(admin, server);
  await admin.context().close();
  await page.context().close();
}

test("the forum journey, with JavaScript", async () => {
  await journey(true);
});

test("the forum journey, without JavaScript", async () => {
  await journey(false);
});

test("a thread can be read and answered with the keyboard alone", async () => {
  const page = await newPage(browser, server);
  await register(page);
  await page.goto(server.base + "/groups/grief-circle");
  await page.getByRole("button", { name: "Join this group" }).click();
  await page.getByText("Welcome to the group.").waitFor();
  await page.getByRole("link", { name: "Start a thread" }).focus();
  await page.keyboard.press("Enter");
  await page.getByLabel("Title").waitFor();
  await page.getByLabel("Title").focus();
  await page.keyboard.type("Keyboard only");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Typed without a mouse.");
  // Tab on to the guidelines box and the button, in order.
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement?.id)) !== "accept_guidelines" && guard++ < 10) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Post thread");
  await page.keyboard.press("Enter");
  await page.getByText("Your thread is posted.").waitFor();
  await page.getByText("Typed without a mouse.").waitFor();
  await page.context().close();
});
